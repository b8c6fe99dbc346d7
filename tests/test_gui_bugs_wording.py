"""Wording and small behaviours a new user trips over, each reached through the real widgets:
key presses, clicks and menu actions."""

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

import surfaces
from gui.model import Session
from gui.model.presets import PRESETS


def type_into(spin: QtWidgets.QAbstractSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, QtCore.Qt.Key.Key_Return)


def test_speed_says_step_or_steps(window):
    spin = window.playback_panel.speed
    type_into(spin, "1")
    assert spin.text() == "1 step/tick"
    type_into(spin, "2")
    assert spin.text() == "2 steps/tick" and window.playback.speed == 2


def test_loss_axis_writes_f_min_as_maths(window, qtbot):
    combo = window.surface_panel.combo
    combo.setCurrentIndex(combo.findData("goldstein-price"))  # f_min = 3, not 0
    label = window.loss_view.getPlotItem().getAxis("left").labelString()
    assert "f_min" not in label and "f<sub>min</sub>" in label


def test_more_becomes_less_when_open(window, qtbot):
    box = next(iter(window.racer_panel.boxes.values()))
    qtbot.mouseClick(box.more, QtCore.Qt.MouseButton.LeftButton)
    assert box.more.text() == "Less" and box.extras.isVisible()
    qtbot.mouseClick(box.more, QtCore.Qt.MouseButton.LeftButton)
    assert box.more.text().startswith("More…") and not box.extras.isVisible()


def test_each_optimizer_has_one_colour_in_every_preset(window):
    colours: dict[str, set[str]] = {}
    for action in window.export_actions.presets_menu.actions():
        action.trigger()
        seen = set()
        racers = window.session.racers
        assert len({r.color for r in racers}) == len(racers)  # and racers differ in a scene
        for racer in racers:
            if racer.optimizer not in seen:
                colours.setdefault(racer.optimizer, set()).add(racer.color)
                seen.add(racer.optimizer)
    assert len(colours) >= 4
    assert all(len(c) == 1 for c in colours.values()), colours


def test_help_lists_every_key_of_every_menu(window, monkeypatch):
    shown = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "information", staticmethod(lambda _p, _t, text: shown.append(text))
    )
    help_action = next(a for a in window.help_menu.actions() if a.text().startswith("Keys"))
    help_action.trigger()
    (text,) = shown
    every_menu = window.findChildren(QtWidgets.QMenu)
    keyed = [a for menu in every_menu for a in menu.actions() if a.shortcuts()]
    keyed += [a for a in window.actions() if a.shortcuts()]  # keys that work without a menu
    assert len(keyed) >= 10
    # Two actions on one key would make Qt fire neither: every key belongs to one action.
    keys = [k.toString() for a in set(keyed) for k in a.shortcuts()]
    assert len(keys) == len(set(keys)), sorted(keys)
    for action in keyed:
        for key in action.shortcuts():
            assert key.toString(QtGui.QKeySequence.SequenceFormat.NativeText) in text, action.text()
    assert "Ctrl+M" in text and "Ctrl+I" in text and "Space" in text


def test_controls_can_be_narrowed_and_hidden(show_window, qtbot):
    win = show_window(size=(1600, 1000))
    before = win.controls.width()
    handle = win.splitter.handle(1)
    centre = handle.rect().center()
    QTest.mousePress(handle, QtCore.Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseMove(handle, centre + QtCore.QPoint(-120, 0))
    QTest.mouseRelease(
        handle, QtCore.Qt.MouseButton.LeftButton, pos=centre + QtCore.QPoint(-120, 0)
    )
    qtbot.wait(20)
    assert win.controls.width() <= before - 100
    map_width = win.map_view.width()
    win.activateWindow()
    qtbot.waitActive(win)
    QTest.keyClick(win, QtCore.Qt.Key.Key_L, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)
    assert not win.controls.isVisible() and win.map_view.width() > map_width
    win.controls_action.trigger()
    qtbot.wait(20)
    assert win.controls.isVisible() and win.controls.width() >= 200


def test_a_new_racer_is_scrolled_into_view(show_window, qtbot):
    win = show_window(size=(900, 600))
    adam = next(a for a in win.racer_panel.add_menu.actions() if a.data() == "adam")
    for _ in range(3):
        adam.trigger()
        qtbot.wait(30)
        box = win.racer_panel.boxes[win.session.racers[-1].id]
        viewport = win.controls.viewport()
        top = box.mapTo(viewport, QtCore.QPoint(0, 0)).y()
        assert top >= 0 and top + min(box.height(), viewport.height()) <= viewport.height()


def test_play_at_the_step_limit_says_so(window, qtbot):
    preset = next(
        a
        for a in window.export_actions.presets_menu.actions()
        if a.text() == PRESETS["book-fig6-8"].title
    )
    preset.trigger()
    assert window.session.finished
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, QtCore.Qt.Key.Key_Space)
    assert "step limit" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.playback.playing and window.session.finished)
    assert "step limit (30)" in window.statusBar().currentMessage()


def test_animation_speed_reads_15_frames_per_second(window, qtbot):
    seen = []

    def look():
        dialog = QtWidgets.QApplication.activeModalWidget()
        seen.append(dialog.fps.text())
        dialog.reject()

    QtCore.QTimer.singleShot(50, look)
    window.export_actions.actions["Export Animation"].trigger()
    assert seen == ["15 frames/s"]


@pytest.mark.parametrize("key", ["rosenbrock"])
def test_custom_after_catalogue_does_not_keep_its_description(show_window, key):
    win = show_window(Session(surfaces.SURFACES[key]))
    combo = win.surface_panel.combo
    combo.setCurrentIndex(combo.count() - 1)
    assert surfaces.SURFACES[key].description not in win.surface_panel.description.text()
