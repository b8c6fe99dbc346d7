"""The window's export menu: actions, quick save, sessions, presets and the animation job."""

import json
from pathlib import Path

import pytest
from PIL import Image
from PySide6 import QtCore, QtWidgets

from gui.model.presets import PRESETS
from gui.model.scene import dumps, to_scene


@pytest.fixture
def window(show_window, tmp_path):
    win = show_window(size=(1000, 700))
    actions = win.export_actions
    # Hermetic: the last folder goes to a throwaway ini file, not the user's settings.
    actions.settings = QtCore.QSettings(str(tmp_path / "s.ini"), QtCore.QSettings.Format.IniFormat)
    return win


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".ini")


def test_menus_offer_every_export_and_the_presets(window):
    texts = [a.text().replace("&", "") for a in window.file_menu.actions()]
    for entry in ("Open Session…", "Save Session As…", "Save Screenshot", "Export Image…",
                  "Copy Image", "Export Animation…", "Export Trajectories…"):  # fmt: skip
        assert entry in texts
    assert texts[-1] == "Quit"
    quick = window.export_actions.actions["Save Screenshot"]
    assert quick.shortcut().toString() == "Ctrl+S"
    titles = [a.text() for a in window.export_actions.presets_menu.actions()]
    assert titles == [p.title for p in PRESETS.values()]
    assert "Presets" in [a.text().replace("&", "") for a in window.menuBar().actions()]


def test_quick_save_asks_once_then_saves_into_the_last_folder(window, tmp_path, monkeypatch):
    asked = []

    def ask(*args):
        asked.append(args)
        return tmp_path / "first.png"

    monkeypatch.setattr(window.export_actions, "ask_save_path", ask)
    window.session.advance(30)
    first = window.export_actions.quick_save()
    second = window.export_actions.quick_save()
    third = window.export_actions.quick_save()
    assert len(asked) == 1 and first == tmp_path / "first.png"
    assert second.name == "book_sgd-momentum-adagrad-adam_step30.png"
    assert third.name == "book_sgd-momentum-adagrad-adam_step30-2.png"
    size = window.map_view.size()
    assert Image.open(second).size == (2 * size.width(), 2 * size.height())
    assert files(tmp_path) == sorted(p.name for p in (first, second, third))


def test_ctrl_s_saves_a_screenshot(window, tmp_path, qtbot):
    window.export_actions._remember(tmp_path / "x.png")
    window.activateWindow()
    window.map_view.setFocus()
    qtbot.keyClick(window.map_view, QtCore.Qt.Key.Key_S, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert files(tmp_path) == ["book_sgd-momentum-adagrad-adam_step0.png"]
    assert window.session.step == 0  # plain S steps the race; Ctrl+S does not


def test_export_image_follows_the_dialog(window, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a: tmp_path / "fig.svg")

    def accept_custom_size():
        dialog = QtWidgets.QApplication.activeModalWidget()
        dialog.sizes.choice.setCurrentText("Custom")
        dialog.sizes.width_box.setValue(900)
        dialog.sizes.height_box.setValue(500)
        dialog.with_loss.setChecked(True)
        dialog.accept()

    QtCore.QTimer.singleShot(0, accept_custom_size)
    path = window.export_actions.export_image()
    assert path == tmp_path / "fig.svg"
    text = path.read_text()
    assert text.startswith("<?xml") and 'width="900"' in text


def test_copy_image_puts_the_map_on_the_clipboard(window):
    QtWidgets.QApplication.clipboard().clear()
    window.export_actions.copy_image()
    image = QtWidgets.QApplication.clipboard().image()
    assert image.width() == 2 * window.map_view.width()


def test_session_save_open_round_trip_with_the_view(window, tmp_path, monkeypatch):
    window.session.advance(12)
    window.map_menu.equal_axes.trigger()  # off: a view of any shape is kept exactly
    window.map_view.view_box.setRange(xRange=(-4, 2), yRange=(-1, 1), padding=0)
    monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a: tmp_path / "s.json")
    path = window.export_actions.save_session()
    saved = json.loads(path.read_text())
    assert saved["step"] == 12 and saved["view"] == pytest.approx([-4, 2, -1, 1])
    window.export_actions.load_preset("rastrigin-local-minima")
    assert window.session.surface.key == "rastrigin"
    assert window.export_actions.open_session_file(path)
    assert window.session.surface.key == "book" and window.session.step == 12
    (x0, x1), _ = window.map_view.view_box.viewRange()
    assert (x0, x1) == pytest.approx((-4, 2))
    assert dumps(to_scene(window.session, saved["view"], colormap="viridis")) == path.read_text()


def test_a_bad_session_file_changes_nothing_and_names_the_field(window, tmp_path):
    window.session.advance(7)
    before = dumps(to_scene(window.session))
    bad = json.loads(before)
    bad["racers"][2]["hyper"]["lr"] = -1.0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    assert not window.export_actions.open_session_file(path)
    assert dumps(to_scene(window.session)) == before
    message = window.banner.label.text()
    assert "racers[2].hyper.lr: -1.0 is not a valid lr (must be in (0, inf))" in message


def test_a_preset_loads_and_explains_itself(window):
    window.export_actions.load_preset("ravine-momentum")
    preset = PRESETS["ravine-momentum"]
    assert window.session.surface.key == "ravine" and window.session.step == 60
    assert preset.explanation in window.statusBar().currentMessage()
    assert [r.label for r in window.session.racers] == ["SGD lr=1.9", "Momentum lr=1, 0.8"]
    # The views follow: the map draws the new racers' paths.
    assert set(window.map_view.paths.items) == {r.id for r in window.session.racers}


def test_trajectories_export_as_csv_or_json(window, tmp_path, monkeypatch):
    window.session.advance(5)
    for name in ("t.csv", "t.json"):
        monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a, n=name: tmp_path / n)
        window.export_actions.export_trajectories()
    assert (tmp_path / "t.csv").read_text().startswith("label,optimizer,hyper,")
    assert len(json.loads((tmp_path / "t.json").read_text())["racers"]) == 4


def test_animation_runs_in_slices_and_the_window_stays_responsive(window, tmp_path, qtbot):
    window.session.advance(30)
    actions = window.export_actions
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(0)  # stands in for the window's own event handling while the job runs
    assert actions.start_animation(tmp_path / "race.gif", (240, 160), 10.0, 31, False)
    qtbot.waitUntil(lambda: not actions.runner.busy, timeout=30_000)
    timer.stop()
    assert len(ticks) > 3  # the event loop ran between slices
    with Image.open(tmp_path / "race.gif") as gif:
        assert gif.n_frames == 31
    assert window.session.step == 30
    assert "Saved" in window.statusBar().currentMessage()
    assert files(tmp_path) == ["race.gif"]


def test_cancelling_an_animation_leaves_nothing(window, tmp_path, qtbot):
    window.session.advance(30)
    actions = window.export_actions
    assert actions.start_animation(tmp_path / "race.gif", (240, 160), 10.0, 31, False)
    actions.runner.cancel()
    assert not actions.runner.busy
    assert files(tmp_path) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_an_animation_of_step_zero_is_refused_with_a_message(window, tmp_path):
    assert window.session.step == 0
    assert not window.export_actions.start_animation(tmp_path / "a.gif", (100, 100), 10, 5, False)
    assert "run the race first" in window.banner.label.text()
    assert files(tmp_path) == []
