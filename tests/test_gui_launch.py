"""Starting the app: command line, settings that persist (and survive corruption), the soak run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtCore

from gui.launch import build_parser, launch_main
from gui.model import Session, book_scene
from gui.settings import ENV, SettingsStore, scene_from_json, scene_to_json
from gui.window import MainWindow
from surfaces import SURFACES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def hermetic_settings(tmp_path, monkeypatch):
    """Never touch the user's real settings, whatever a test does."""
    monkeypatch.setenv(ENV, str(tmp_path / "settings.ini"))
    return tmp_path / "settings.ini"


def assert_book_scene(session: Session) -> None:
    book = book_scene()
    assert session.surface.key == "book" and session.start == book.start
    assert [(r.optimizer, r.hyper) for r in session.racers] == [
        (r.optimizer, r.hyper) for r in book.racers
    ]


def test_scene_round_trips_through_json():
    session = Session(SURFACES["ravine"])
    spec = SURFACES["ravine"].params[0]
    session.set_surface_values(**{spec.name: spec.high})
    session.set_start(0.5, -0.25)
    a = session.add_racer("adam", lr=0.05, label="fast", color="#112233")
    session.add_racer("adam", lr=0.001)
    session.set_enabled(a.id, False)
    session.set_noise(a.id, 0.1, seed=4)
    session.set_step_limit(12345)
    session.advance(40)
    back, speed, view = scene_from_json(scene_to_json(session, 17, [0.0, 1.0, -2.0, 2.0]))
    assert speed == 17 and view == [0.0, 1.0, -2.0, 2.0]
    assert back.step_limit == 12345 and back.start == (0.5, -0.25)
    assert back.step == 0  # a restored race starts over: replaying millions of steps takes minutes
    assert back.surface.key == "ravine" and back.surface.values == session.surface.values
    keep = ("optimizer", "hyper", "color", "label", "enabled", "noise", "seed")
    assert [[getattr(r, k) for k in keep] for r in back.racers] == [
        [getattr(r, k) for k in keep] for r in session.racers
    ]


def good_scene() -> dict:
    return json.loads(scene_to_json(book_scene(), 3))["scene"]


def corrupt(change, speed=3):
    scene = good_scene()
    change(scene)
    return json.dumps({"scene": scene, "speed": speed})


CORRUPTIONS = {
    "not json": "{this is not json",
    "not a dict": "[1, 2, 3]",
    "empty": "",
    "no scene": json.dumps({"speed": 3}),
    "wrong version": corrupt(lambda s: s.update(version=99)),
    "unknown surface": corrupt(lambda s: s["surface"].update(key="no-such-surface")),
    "start of strings": corrupt(lambda s: s.update(start=["a", "b"])),
    "start too short": corrupt(lambda s: s.update(start=[1.0])),
    "unknown optimizer": corrupt(lambda s: s["racers"][0].update(optimizer="nope")),
    "refused lr": corrupt(lambda s: s["racers"][0]["hyper"].update(lr=-1.0)),
    "unknown hyper": corrupt(lambda s: s["racers"][0]["hyper"].update(zeta=1.0)),
    "nan lr": corrupt(lambda s: s["racers"][0]["hyper"].update(lr=float("nan"))),
    "bool lr": corrupt(lambda s: s["racers"][0]["hyper"].update(lr=True)),
    "bad colour": corrupt(lambda s: s["racers"][0].update(color="red; evil")),
    "label not text": corrupt(lambda s: s["racers"][0].update(label=42)),
    "racers not list": corrupt(lambda s: s.update(racers={"a": 1})),
    "step limit zero": corrupt(lambda s: s.update(step_limit=0)),
    "step limit float": corrupt(lambda s: s.update(step_limit=10.5)),
    "speed too fast": corrupt(lambda s: None, speed=10**9),
    "speed text": corrupt(lambda s: None, speed="fast"),
    "surface value out of range": corrupt(lambda s: s["surface"].update(values={"zeta": 1.0})),
}


@pytest.mark.parametrize("text", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_corrupt_store_falls_back_to_the_book_scene(hermetic_settings, capfd, text):
    store = SettingsStore()
    store.qsettings.setValue("scene", text)
    store.sync()
    session, speed, view = SettingsStore().load_scene()
    assert_book_scene(session)
    assert speed == 1 and view is None
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_settings_file_of_garbage_bytes_falls_back(hermetic_settings, capfd):
    hermetic_settings.write_bytes(b"\x00\xff[scene\n=\x01\x02 garbage \xfe" * 50)
    session, _, _ = SettingsStore().load_scene()
    assert_book_scene(session)
    assert capfd.readouterr() == ("", "")


def test_store_keeps_the_last_scene_and_geometry(hermetic_settings):
    session = Session(SURFACES["himmelblau"])
    session.add_racer("rmsprop", lr=0.02)
    store = SettingsStore()
    store.save_scene(session, 9, None)
    store.save_geometry(QtCore.QByteArray(b"geometry-bytes"))
    store.sync()
    again = SettingsStore(hermetic_settings)
    back, speed, _ = again.load_scene()
    assert back.surface.key == "himmelblau" and speed == 9
    assert [(r.optimizer, r.hyper["lr"]) for r in back.racers] == [("rmsprop", 0.02)]
    assert bytes(again.geometry()) == b"geometry-bytes"


def test_play_and_quit_after_ticks_returns_zero_in_process(qapp, hermetic_settings):
    args = ["--play", "--quit-after-ticks", "50", "--tick-ms", "0", "--no-settings"]
    assert launch_main(args) == 0
    assert not hermetic_settings.exists()  # hermetic: nothing read, nothing written


def test_launch_restores_and_saves_the_scene(qapp, hermetic_settings):
    store = SettingsStore(hermetic_settings)
    session = Session(SURFACES["rosenbrock"])
    session.add_racer("adam", lr=0.02)
    store.save_scene(session, 4, [-1.0, 1.0, 0.0, 2.0])
    # Equal axes off: a 2 × 2 view in a wider plot is otherwise widened to keep the scale.
    store.qsettings.setValue("view/equal_axes", False)
    store.sync()
    args = ["--settings", str(hermetic_settings), "--quit-after-ticks", "5", "--tick-ms", "0"]
    assert launch_main(args) == 0
    back, speed, view = SettingsStore(hermetic_settings).load_scene()
    assert back.surface.key == "rosenbrock" and speed == 4
    assert view == pytest.approx([-1.0, 1.0, 0.0, 2.0])  # the window showed it and saved it
    assert [(r.optimizer, r.hyper["lr"]) for r in back.racers] == [("adam", 0.02)]


def test_launch_with_a_corrupt_store_starts_the_book_and_exits_cleanly(qapp, hermetic_settings):
    hermetic_settings.write_text('[General]\nscene="{\\"version\\": 1, \\"racers\\": 7}"\n')
    args = ["--settings", str(hermetic_settings), "--quit-after-ticks", "3", "--tick-ms", "0"]
    assert launch_main(args) == 0
    assert_book_scene(SettingsStore(hermetic_settings).load_scene()[0])


def test_help_explains_the_options_and_the_commands():
    text = build_parser().format_help()
    for word in (
        "--play",
        "--quit-after-ticks",
        "--tick-ms",
        "--speed",
        "--settings",
        "--no-settings",
        "--step-limit",
        "render",
        "bench",
        ENV,
    ):
        assert word in text
    assert "--screenshot" not in text  # a tool for making the README's pictures


def test_excepthook_is_restored_after_the_run(qapp):
    before = sys.excepthook
    assert launch_main(["--quit-after-ticks", "2", "--tick-ms", "0", "--no-settings"]) == 0
    assert sys.excepthook is before


@pytest.mark.slow
def test_soak_twenty_thousand_ticks_in_a_subprocess(tmp_path):
    """Catches the PySide6 6.12 / CPython 3.11 abort after ~5,200 Qt calls, and any leak that
    kills a long demo. The first 5,000 ticks step four racers and redraw their paths and losses
    (the rest tick at the step limit, which must not stop the run either)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{ENV: str(tmp_path / "soak.ini")})
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--play",
            "--quit-after-ticks",
            "20000",
            "--tick-ms",
            "0",
            "--step-limit",
            "5000",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,  # a hang fails here, inside the 300 s test limit; about 22 s when quiet
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "soak.ini").exists()


def test_exception_in_a_slot_is_shown_in_the_window_not_printed(qapp, capfd, monkeypatch):
    """The launch's excepthook turns an exception escaping a Qt slot into the window's message
    (and a timed run's exit code 1, at once); nothing reaches the console."""
    shown = []
    original = MainWindow.show_error

    def show_error(self, message):
        shown.append((message, self.banner))
        original(self, message)

    monkeypatch.setattr(MainWindow, "show_error", show_error)

    def broken_slot():
        raise RuntimeError("a slot broke")

    QtCore.QTimer.singleShot(0, broken_slot)
    assert launch_main(["--quit-after-ticks", "100000", "--tick-ms", "0", "--no-settings"]) == 1
    message, banner = shown[-1]
    assert message == "RuntimeError: a slot broke" and banner.label.text() == message
    assert capfd.readouterr() == ("", "")
