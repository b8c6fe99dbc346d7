"""Tools ▸ Basin map, driven as a user does: menu and shortcut, spin boxes, buttons, clicks."""

import csv

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from gui.basin_view import basin_rgba
from gui.model.basins import basins
from gui.model.presets import PRESETS

LEFT = QtCore.Qt.MouseButton.LeftButton


def menu_action(window, text):
    # Not QAction.menu(): in PySide6 6.10 its wrapper owns the menu and deletes it when collected.
    for menu in window.findChildren(QtWidgets.QMenu):
        for action in menu.actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu action {text!r}")


def type_into(spin, value):
    spin.selectAll()
    QTest.keyClicks(spin, str(value))
    QTest.keyClick(spin, QtCore.Qt.Key.Key_Tab)
    assert spin.value() == value


@pytest.fixture
def himmelblau(show_window):
    session, _ = PRESETS["himmelblau-basins"].load()
    return show_window(session, size=(1000, 700))


def open_dialog(window, qtbot, grid=16, steps=120):
    menu_action(window, "Basin map…").trigger()
    dialog = window.inside.basins.dialog
    qtbot.waitExposed(dialog)
    type_into(dialog.grid, grid)
    type_into(dialog.steps, steps)
    return dialog


def test_the_menu_opens_the_dialog_with_the_first_two_racers_ticked(himmelblau, qtbot):
    dialog = open_dialog(himmelblau, qtbot)
    assert dialog.isVisible()
    assert dialog.chosen() == [r.id for r in himmelblau.session.racers[:2]]
    assert not dialog.png_button.isEnabled() and not dialog.csv_button.isEnabled()


def test_ctrl_b_opens_the_dialog(himmelblau, qtbot):
    QTest.keyClick(himmelblau, QtCore.Qt.Key.Key_B, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert himmelblau.inside.basins.dialog is not None
    assert himmelblau.inside.basins.dialog.isVisible()


def test_compute_draws_each_racers_map_side_by_side(himmelblau, qtbot):
    dialog = open_dialog(himmelblau, qtbot)
    QTest.mouseClick(dialog.compute_button, LEFT)
    session = himmelblau.session
    assert len(dialog.figure.panels) == 2
    for panel, racer in zip(dialog.figure.panels, session.racers, strict=True):
        expected = basins(session, racer.id, 16, 120)
        assert np.array_equal(panel.result.label, expected.label)
        assert np.array_equal(panel.image.image, basin_rgba(expected))
        assert racer.label in panel.plot.titleLabel.text
    # SGD and Momentum do not agree everywhere: that is the preset's point.
    a, b = (p.result.label for p in dialog.figure.panels)
    assert (a != b).any()
    assert "%" in dialog.key.text() and dialog.csv_button.isEnabled()


def test_clicking_a_cell_starts_the_race_there(himmelblau, qtbot):
    dialog = open_dialog(himmelblau, qtbot)
    QTest.mouseClick(dialog.compute_button, LEFT)
    panel = dialog.figure.panels[1]
    i, j = 3, 12
    pos = dialog.figure.mapFromScene(panel.cell_center(i, j))
    QTest.mouseClick(dialog.figure.viewport(), LEFT, pos=pos)
    assert himmelblau.session.start == (panel.result.x0[j, i], panel.result.y0[j, i])


def test_the_overlay_box_and_the_menu_action_lay_the_map_over_the_main_map(himmelblau, qtbot):
    dialog = open_dialog(himmelblau, qtbot)
    QTest.mouseClick(dialog.compute_button, LEFT)
    overlay = himmelblau.inside.basins.overlay
    assert not overlay.shown
    QTest.mouseClick(
        dialog.overlay_box, LEFT, pos=QtCore.QPoint(8, dialog.overlay_box.height() // 2)
    )
    action = menu_action(himmelblau, "Basin map over the map")
    assert action.isChecked() and overlay.shown
    assert np.array_equal(overlay.image.image, dialog.figure.panels[0].image.image)
    action.trigger()
    assert not overlay.shown and not dialog.overlay_box.isChecked()


def test_a_retuned_racer_makes_the_map_stale(himmelblau, qtbot):
    dialog = open_dialog(himmelblau, qtbot)
    QTest.mouseClick(dialog.compute_button, LEFT)
    menu_action(himmelblau, "Basin map over the map").trigger()
    session = himmelblau.session
    session.set_label(session.racers[0].id, "renamed")  # a new name changes no basin
    assert dialog.results
    session.set_hyper(session.racers[0].id, "lr", 0.02)
    assert not dialog.results and not himmelblau.inside.basins.overlay.shown
    assert "again" in dialog.message.text() and not dialog.png_button.isEnabled()


def test_cancel_stops_the_run_and_changes_nothing(himmelblau, qtbot):
    dialog = open_dialog(himmelblau, qtbot, grid=64, steps=2000)
    QtCore.QTimer.singleShot(0, lambda: QTest.mouseClick(dialog.cancel_button, LEFT))
    QTest.mouseClick(dialog.compute_button, LEFT)
    assert not dialog.results and "Cancelled" in dialog.message.text()
    assert dialog.compute_button.isEnabled()


def test_exports_write_the_csv_and_a_png_of_the_chosen_size(
    himmelblau, qtbot, tmp_path, monkeypatch
):
    dialog = open_dialog(himmelblau, qtbot, grid=12, steps=80)
    QTest.mouseClick(dialog.compute_button, LEFT)
    target = {"path": ""}
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (target["path"], "")
    )
    target["path"] = str(tmp_path / "b.csv")
    QTest.mouseClick(dialog.csv_button, LEFT)
    with open(target["path"], newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 * 12 * 12
    first = dialog.figure.panels[0].result
    row = rows[5]  # row-major: j = 0, i = 5
    assert row["racer"] == himmelblau.session.racers[0].label
    assert float(row["x0"]) == first.x0[0, 5] and float(row["x_end"]) == first.final[0, 5, 0]
    assert int(row["basin"]) == first.label[0, 5]
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findText("800 × 500"))
    target["path"] = str(tmp_path / "b.png")
    QTest.mouseClick(dialog.png_button, LEFT)
    image = QtGui.QImage(target["path"])
    assert (image.width(), image.height()) == (800, 500)
    assert "Saved" in dialog.message.text()
