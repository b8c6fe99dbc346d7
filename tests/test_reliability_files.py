"""Files: a bad settings or session file is never overwritten, and a failed write leaves nothing.

Corrupt settings give the book's race and a message, and the file's bytes are the same after the
app ran and quit. A corrupt session file is refused with a message. Every export the window makes
(screenshot, CSV, session, animation) into a read-only folder or onto a full disk gives a message
and leaves no file, temporary or not, and the previous file whole. Tests may run as root, where
folder modes do not stop writes: the read-only folder is then written as an ordinary user
(seteuid), and a full disk is simulated by making ``open`` or ``os.replace`` fail.
"""

import builtins
import contextlib
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6 import QtCore
from test_export_atomic import unprivileged

from gui.export import atomic
from gui.launch import launch_main
from gui.model import book_scene
from gui.model.scene import dumps, to_scene
from gui.settings import ENV, SettingsStore, scene_to_json
from gui.window import MainWindow

GOOD_SCENE = scene_to_json(book_scene(), 3)
CORRUPT_FILES = {
    "garbage bytes": b"\x00\xff[scene\n=\x01\x02 garbage \xfe" * 50,
    "random bytes": bytes((i * 7919 + 13) % 256 for i in range(3000)),
    "a picture": (Path(__file__).parent.parent / "docs" / "book-race.png").read_bytes()[:4000],
    "json, not ini": b'{"scene": {"version": 1}, "speed": 3}\n',
    "text": b"hello\nthis is not a settings file\n",
    "scene not json": b'[General]\nscene="{this is not json"\ngeometry=@ByteArray(abc)\n',
    "scene refused": b'[General]\nscene="{\\"version\\": 1, \\"racers\\": 7}"\n',
    "scene truncated": ("[General]\nscene=" + json.dumps(GOOD_SCENE)[:200] + "\n").encode(),
    "scene a list": b"[General]\nscene=a, b, c\n",
}


@pytest.fixture(autouse=True)
def hermetic(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "elsewhere.ini"))


def run_app(monkeypatch, args, during=None) -> list[str]:
    """``launch_main(args)`` in-process; returns the messages the window showed. ``during``
    (window) runs once the window is built."""
    shown: list[str] = []
    original_show_error, original_init = MainWindow.show_error, MainWindow.__init__

    def show_error(self, message):
        shown.append(message)
        original_show_error(self, message)

    def init(self, *a, **k):
        original_init(self, *a, **k)
        if during is not None:
            during(self)

    monkeypatch.setattr(MainWindow, "show_error", show_error)
    monkeypatch.setattr(MainWindow, "__init__", init)
    assert launch_main(args) == 0
    return shown


@pytest.mark.parametrize("content", CORRUPT_FILES.values(), ids=CORRUPT_FILES.keys())
def test_a_corrupt_settings_file_is_left_as_it_was(qapp, tmp_path, monkeypatch, capfd, content):
    path = tmp_path / "settings.ini"
    path.write_bytes(content)
    sessions = []

    def use_the_app(window):  # what a user might do that writes settings
        sessions.append(window.session)
        window.export_actions._remember(tmp_path / "shot.png")
        window.playback.speed = 7

    args = ["--settings", str(path), "--quit-after-ticks", "5", "--tick-ms", "0"]
    shown = run_app(monkeypatch, args, use_the_app)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.ini"]
    assert len(shown) == 1 and shown[0].startswith(f"Could not read the saved settings in {path}")
    assert "left as it is" in shown[0]
    assert sessions[0].surface.key == "book" and len(sessions[0].racers) == 4
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(
    "content", [None, b"", b"[General]\ngeometry=@ByteArray(abc)\nexport/folder=/tmp\n"]
)
def test_a_missing_empty_or_scene_less_file_is_still_saved(qapp, tmp_path, monkeypatch, content):
    path = tmp_path / "settings.ini"
    if content is not None:
        path.write_bytes(content)
    args = ["--settings", str(path), "--quit-after-ticks", "3", "--tick-ms", "0", "--speed", "4"]
    assert run_app(monkeypatch, args) == []
    store = SettingsStore(path)
    session, speed, _ = store.load_scene()
    assert speed == 4 and session.surface.key == "book" and store.problem is None


def test_a_good_settings_file_is_saved_again(qapp, tmp_path, monkeypatch):
    path = tmp_path / "settings.ini"
    store = SettingsStore(path)
    store.save_scene(book_scene(), 2, None)
    store.sync()
    args = ["--settings", str(path), "--quit-after-ticks", "3", "--tick-ms", "0", "--speed", "9"]
    assert run_app(monkeypatch, args) == []
    assert SettingsStore(path).load_scene()[1] == 9


@pytest.fixture
def window(show_window, tmp_path):
    win = show_window(size=(800, 600))
    win.export_actions.settings = QtCore.QSettings(
        str(tmp_path / "menu.ini"), QtCore.QSettings.Format.IniFormat
    )
    win.session.advance(12)
    return win


def test_a_corrupt_session_file_is_refused_and_left_as_it_was(window, tmp_path):
    path = tmp_path / "race.json"
    content = dumps(to_scene(window.session)).replace('"lr": 0.95', '"lr": -1').encode()
    path.write_bytes(content)
    before = to_scene(window.session)
    assert not window.export_actions.open_session_file(path)
    assert window.banner.label.text().startswith("Could not open race.json: racers[0].hyper.lr")
    assert to_scene(window.session) == before
    window.close()
    assert path.read_bytes() == content


def screenshot(window, folder):
    window.export_actions._remember(folder / "any.png")
    window.export_actions.quick_save()


def export_as(method):
    def export(window, folder, name):
        window.export_actions.ask_save_path = lambda *a: folder / name
        getattr(window.export_actions, method)()

    return export


def animation(window, folder, name, qtbot):
    actions = window.export_actions
    if actions.start_animation(folder / name, (160, 120), 10.0, 4, False):
        qtbot.waitUntil(lambda: not actions.runner.busy, timeout=30_000)


EXPORTS = {
    "screenshot": lambda w, f, name, qtbot: screenshot(w, f),
    "csv": lambda w, f, name, qtbot: export_as("export_trajectories")(w, f, name),
    "session": lambda w, f, name, qtbot: export_as("save_session")(w, f, name),
    "animation": animation,
}
NAMES = {"screenshot": "book_sgd-momentum-adagrad-adam_step12.png", "csv": "t.csv"}
NAMES |= {"session": "s.json", "animation": "race.gif"}


def fail_temporary_writes(code):
    real_open = builtins.open

    def fake_open(file, mode="r", *args, **kwargs):
        if ".part" in os.fspath(file) and ("w" in mode or "a" in mode or "+" in mode):
            raise OSError(code, os.strerror(code), os.fspath(file))
        return real_open(file, mode, *args, **kwargs)

    return fake_open


def fail_replace(src, dst):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["writing", "replacing"])
@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_onto_a_full_disk_says_so_and_leaves_the_old_file(
    window, tmp_path, monkeypatch, qtbot, kind, where
):
    folder = tmp_path / "out"
    folder.mkdir()
    name = NAMES[kind]
    (folder / name).write_bytes(b"the previous export")
    if kind == "screenshot":  # a quick save never overwrites: it picks the next free name
        name = name.replace(".png", "-2.png")
    if where == "writing":
        monkeypatch.setattr(builtins, "open", fail_temporary_writes(errno.ENOSPC))
    else:
        monkeypatch.setattr(atomic.os, "replace", fail_replace)
    EXPORTS[kind](window, folder, NAMES[kind], qtbot)
    assert window.banner.isVisible()
    assert window.banner.label.text() == f"Could not write {folder / name}: No space left on device"
    assert [p.name for p in folder.iterdir()] == [NAMES[kind]]
    assert (folder / NAMES[kind]).read_bytes() == b"the previous export"


@contextlib.contextmanager
def read_only_folder(files: dict[str, bytes] | None = None):
    """A folder (holding ``files``) the OS refuses to write into, for root too."""
    base = Path(tempfile.mkdtemp(prefix="playground-ro-"))
    locked = base / "locked"
    try:
        base.chmod(0o755)
        locked.mkdir()
        for name, content in (files or {}).items():
            (locked / name).write_bytes(content)
            (locked / name).chmod(0o644)
        locked.chmod(0o555)
        with unprivileged():
            yield locked
    finally:
        locked.chmod(0o755)
        shutil.rmtree(base)


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_into_a_read_only_folder_says_so_and_leaves_nothing(window, qtbot, kind):
    with read_only_folder() as folder:
        EXPORTS[kind](window, folder, NAMES[kind], qtbot)
        message = window.banner.label.text()
        left = list(folder.iterdir())
    assert window.banner.isVisible()
    assert message == f"Could not write {folder / NAMES[kind]}: Permission denied"
    assert left == []


def test_settings_that_cannot_be_saved_stay_whole_and_the_app_still_quits(
    qapp, tmp_path, monkeypatch, capfd
):
    store = SettingsStore(tmp_path / "settings.ini")
    store.save_scene(book_scene(), 2, None)
    store.sync()
    content = (tmp_path / "settings.ini").read_bytes()
    with read_only_folder({"settings.ini": content}) as folder:
        args = ["--settings", str(folder / "settings.ini"), "--quit-after-ticks", "3"]
        assert run_app(monkeypatch, [*args, "--tick-ms", "0", "--speed", "9"]) == []
        left = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert left == {"settings.ini": content}  # Qt's own atomic save left no temporary file
    assert capfd.readouterr() == ("", "")
