"""One walk through every user-facing action and button, pressed as a user presses it.

``test_every_action_and_button_has_a_row`` finds every menu entry, toolbar action, shortcut and
button of the window and of every dialog the app defines, and fails for any without a row in
``walk_table.ROWS`` (and for any row whose element is gone). ``test_pressing`` then runs each row
in a fresh window: the element is pressed by its shortcut, a menu click or a mouse click, file
dialogs are answered with paths in a temporary folder, and the row checks what changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
import walk_support as ws
import walk_table_network  # noqa: F401  (registers its rows in ROWS)
from PySide6 import QtCore, QtGui, QtWidgets
from walk_table import ROWS
from walk_table_map import ROWS as _MAP  # noqa: F401  (registers its rows in ROWS)
from walk_table_tools import ROWS as _TOOLS  # noqa: F401  (the same)

# How to open each dialog class for the census (the walk itself opens them through the menus).
DIALOGS = {
    "SweepDialog": lambda window: window.inside.open_sweep(),
    "ImageDialog": lambda window: _dialog("ImageDialog")(window, (400, 300)),
    "AnimationDialog": lambda window: _dialog("AnimationDialog")(window, (400, 300), 5),
    "BasinDialog": lambda window: window.inside.basins.open(),
    # Offscreen the 3-D actions are disabled (no OpenGL): the census opens their dialogs
    # directly; tests/test_view3d_gl.py drives them from the File menu under Xvfb.
    "Screenshot3DDialog": lambda window: _dialog("Screenshot3DDialog")(window, (400, 300)),
    "Orbit3DDialog": lambda window: _dialog("Orbit3DDialog")(window, (400, 300)),
}


def _dialog(name: str) -> type:
    return ws.dialog_classes()[name]


class Walk:
    """One row's world: a fresh window, its answers to dialogs, and the element to press."""

    def __init__(self, name, window, qtbot, tmp: Path, monkeypatch) -> None:
        self.name, self.window, self.qtbot = name, window, qtbot
        self.tmp, self.monkeypatch = tmp, monkeypatch
        self.files = ws.FileDialogs(monkeypatch)
        self.modals = ws.Modals()
        self.pressed: dict[str, object] = {}  # found once: Play reads "Pause" while playing

    def press(self) -> None:
        self.press_named(self.name)

    def press_named(self, name: str) -> None:
        element = self.pressed.get(name)
        if element is None or not shiboken6.isValid(element):
            element = self.pressed[name] = self.find(name)
        if isinstance(element, QtGui.QAction):
            ws.press_action(self.window, element)
        else:
            ws.click(element)

    def find(self, name: str):
        found = {**ws.actions(self.window), **ws.buttons(self.window)}
        for dialog in self.window.findChildren(QtWidgets.QDialog):
            if dialog.isVisible():
                found.update(ws.buttons(dialog))
        assert name in found, f"nothing named {name!r} in the window; known: {sorted(found)}"
        return found[name]


def census(window) -> set[str]:
    names = set(ws.actions(window)) | set(ws.buttons(window))
    classes = ws.dialog_classes()
    assert set(classes) <= set(DIALOGS), f"tell the walk how to open {set(classes) - set(DIALOGS)}"
    for make in DIALOGS.values():
        dialog = make(window)
        names |= set(ws.buttons(dialog))
        dialog.close()
    return names


@pytest.fixture
def walk_window(show_window, tmp_path):
    window = show_window(size=(1400, 900))
    # Hermetic: the last folder used goes to a throwaway file, not the user's settings.
    window.export_actions.settings = QtCore.QSettings(
        str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat
    )
    return window


def test_every_action_and_button_has_a_row(walk_window):
    found = census(walk_window)
    missing = sorted(found - set(ROWS))
    stale = sorted(set(ROWS) - found)
    assert not missing, f"add a row to tests/walk_table.py for each of: {missing}"
    assert not stale, f"these rows name nothing the user can press any more: {stale}"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_pressing(name, walk_window, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    walk = Walk(name, walk_window, qtbot, folder, monkeypatch)
    try:
        ROWS[name](walk)
    finally:
        walk.modals.stop()
    assert walk.modals.unexpected == [], f"{name} opened {walk.modals.unexpected}"
    assert walk.files.unexpected == [], f"{name} asked {walk.files.unexpected}"
    unused = {k: v for k, v in walk.files.answers.items() if v}
    assert not unused, f"{name} never asked for {unused}"
    assert walk.modals.handlers == [], f"{name} opened no dialog to answer"
