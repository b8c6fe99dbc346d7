"""What the user walk needs besides its table: finding every action and button a user can reach,
naming each one the same way every time, pressing it the way a user does, and answering the file
dialogs and modal boxes it opens.

Names are paths of the texts a user reads: ``"File › Open Session…"`` for a menu entry,
``"RacerBox › Remove this racer"`` for a button (the nearest of our own widget classes, then the
button's text, or its tooltip when it shows no text).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

SEP = " › "
# Qt's own chevron for menus that do not fit: it opens the same menus the walk already covers.
QT_INTERNAL = frozenset({"qt_menubar_ext_button"})
DOCK_BUTTONS = {"qt_dockwidget_closebutton": "close", "qt_dockwidget_floatbutton": "float"}


def clean(text: str) -> str:
    """A label as the user reads it: no mnemonic ampersands, no state shown in brackets."""
    return text.replace("&", "").split(" (")[0].strip()


# --- finding --------------------------------------------------------------------------------


def ptr(obj: QtCore.QObject) -> int:
    """The C++ object's address: Qt may hand Python a new wrapper for the same object."""
    return shiboken6.getCppPointer(obj)[0]


def submenus(window: QtWidgets.QWidget) -> dict[int, QtWidgets.QMenu]:
    # Not QAction.menu(): in PySide6 6.10 its result owns the menu, and collecting that
    # wrapper deletes the window's menu.
    return {ptr(m.menuAction()): m for m in window.findChildren(QtWidgets.QMenu)}


def menu_actions(
    menu: QtWidgets.QMenu, prefix: str, menus: dict[int, QtWidgets.QMenu]
) -> Iterator[tuple[str, QtGui.QAction]]:
    """Every entry of ``menu``, recursing into submenus (whose own entry only opens them)."""
    for action in menu.actions():
        if action.isSeparator():
            continue
        name = prefix + SEP + clean(action.text())
        if ptr(action) in menus:
            yield from menu_actions(menus[ptr(action)], name, menus)
        else:
            yield name, action


def actions(window: QtWidgets.QMainWindow) -> dict[str, QtGui.QAction]:
    """Every action a user can reach: the menu bar, toolbars, buttons' drop-down menus, and any
    action that has a shortcut of its own."""
    menus = submenus(window)
    found: dict[str, QtGui.QAction] = {}
    for top in window.menuBar().actions():
        if ptr(top) in menus:
            found.update(menu_actions(menus[ptr(top)], clean(top.text()), menus))
    for bar in window.findChildren(QtWidgets.QToolBar):
        for action in bar.actions():
            if not action.isSeparator():
                found[f"Toolbar {clean(bar.windowTitle())}" + SEP + clean(action.text())] = action
    for button in window.findChildren(QtWidgets.QAbstractButton):
        if button.objectName() in QT_INTERNAL:
            continue
        if isinstance(button, QtWidgets.QPushButton | QtWidgets.QToolButton) and button.menu():
            found.update(menu_actions(button.menu(), button_name(button), menus))
    reached = {ptr(a) for a in found.values()}
    for action in window.findChildren(QtGui.QAction):
        if action.shortcuts() and ptr(action) not in reached:
            found["Shortcut" + SEP + clean(action.text())] = action
    return found


def owner_name(widget: QtWidgets.QWidget) -> str:
    """The nearest of our own widget classes around ``widget`` (or the dock it sits in)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QDockWidget):
            return f"Dock {parent.windowTitle()}"
        if type(parent).__module__.startswith("gui."):
            return type(parent).__name__
        parent = parent.parentWidget()
    return "Window"


def button_name(button: QtWidgets.QAbstractButton) -> str:
    label = DOCK_BUTTONS.get(button.objectName()) or clean(button.text())
    if not label or label == "✕":  # an icon-like label: the tooltip says what it does
        label = clean(button.toolTip().splitlines()[0]) if button.toolTip() else label
    return owner_name(button) + SEP + (label or button.objectName())


def buttons(root: QtWidgets.QWidget) -> dict[str, QtWidgets.QAbstractButton]:
    """Every button (push, tool, check, radio) under ``root``; one per name (the first racer's
    box stands for every racer's)."""
    found: dict[str, QtWidgets.QAbstractButton] = {}
    for button in root.findChildren(QtWidgets.QAbstractButton):
        if button.objectName() in QT_INTERNAL:
            continue
        found.setdefault(button_name(button), button)
    return found


def dialog_classes() -> dict[str, type]:
    """Every dialog class the app defines (imported from every module under ``gui``)."""
    import gui

    for info in pkgutil.walk_packages(gui.__path__, "gui."):
        importlib.import_module(info.name)
    seen: dict[str, type] = {}
    todo = [QtWidgets.QDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("gui."):
                seen[sub.__name__] = sub
    return seen


# --- pressing -------------------------------------------------------------------------------


def key_event(sequence: QtGui.QKeySequence) -> tuple[QtCore.Qt.Key, QtCore.Qt.KeyboardModifier]:
    combined = sequence[0]
    return combined.key(), combined.keyboardModifiers()


def press_action(window: QtWidgets.QMainWindow, action: QtGui.QAction) -> None:
    """A shortcut's first key when the action has one (that is how most users reach it),
    else a click on the menu entry."""
    if action.shortcuts():
        window.activateWindow()
        window.map_view.setFocus()
        key, modifiers = key_event(action.shortcuts()[0])
        QTest.keyClick(window.map_view, key, modifiers)
    else:
        action.trigger()


def click(button: QtWidgets.QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button_name(button)} cannot be clicked"
    where = QtCore.QPoint()  # the middle
    if isinstance(button, QtWidgets.QCheckBox):
        # A check box stretched across a form answers only on its box and label: aim there.
        option = QtWidgets.QStyleOptionButton()
        button.initStyleOption(option)
        element = QtWidgets.QStyle.SubElement.SE_CheckBoxIndicator
        where = button.style().subElementRect(element, option, button).center()
    QTest.mouseClick(button, QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier(0), where)


# --- answering ------------------------------------------------------------------------------


class FileDialogs:
    """QFileDialog's static getters, answered with the paths a test queued (what a user would
    type); a getter nobody expected is answered with Cancel and remembered."""

    def __init__(self, monkeypatch: Any) -> None:
        self.answers: dict[str, list[Path]] = {"save": [], "open": []}
        self.unexpected: list[str] = []
        self.asked: list[tuple[str, str]] = []  # (kind, title)
        monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", self._getter("save"))
        monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", self._getter("open"))

    def save_as(self, path: Path) -> None:
        self.answers["save"].append(Path(path))

    def open(self, path: Path) -> None:
        self.answers["open"].append(Path(path))

    def _getter(self, kind: str) -> Callable[..., tuple[str, str]]:
        def answer(parent=None, caption="", folder="", filters="", *args, **kwargs):
            self.asked.append((kind, caption))
            if not self.answers[kind]:
                self.unexpected.append(f"{kind} dialog {caption!r}")
                return "", ""
            path = self.answers[kind].pop(0)
            chosen = next(
                (f for f in filters.split(";;") if f"*{path.suffix}" in f), filters.split(";;")[0]
            )
            return str(path), chosen

        return staticmethod(answer)


class Modals(QtCore.QObject):
    """Answers modal dialogs and message boxes as they open: each queued handler gets the next
    one (and presses its buttons); one nobody expected is rejected and remembered, so a wrong
    slot that opens a dialog fails the test instead of hanging it."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[Callable[[QtWidgets.QWidget], None]] = []
        self.seen: list[QtWidgets.QWidget] = []
        self.unexpected: list[str] = []
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def expect(self, handler: Callable[[QtWidgets.QWidget], None]) -> None:
        self.handlers.append(handler)

    def _poll(self) -> None:
        widget = QtWidgets.QApplication.activeModalWidget()
        if widget is None or widget in self.seen or not widget.isVisible():
            return
        if isinstance(widget, QtWidgets.QProgressDialog):
            return  # an export's progress: it closes itself
        self.seen.append(widget)
        if not self.handlers:
            self.unexpected.append(f"{type(widget).__name__} {widget.windowTitle()!r}")
            widget.close()
            return
        self.handlers.pop(0)(widget)

    def stop(self) -> None:
        self.timer.stop()


def dialog_button(dialog: QtWidgets.QWidget, label: str) -> QtWidgets.QAbstractButton:
    """The button of ``dialog`` a user reads as ``label`` (OK, Cancel, a check box's text)."""
    for button in dialog.findChildren(QtWidgets.QAbstractButton):
        if clean(button.text()) == label:
            return button
    raise AssertionError(f"{type(dialog).__name__} has no button {label!r}")
