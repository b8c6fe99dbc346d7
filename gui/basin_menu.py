"""Tools ▸ Basin map… and Tools ▸ Basin map over the map: the dialog (made on first use) and the
translucent overlay on the main map, which the dialog's check box also switches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtGui, QtWidgets

from gui.basin_view import BasinOverlay

if TYPE_CHECKING:
    from gui.basin_dialog import BasinDialog


class BasinTools:
    def __init__(self, window: Any, menu: QtWidgets.QMenu) -> None:
        self.window = window
        self.overlay = BasinOverlay(window.map_view.getPlotItem())
        self.open_action = menu.addAction("Basin map…")
        self.open_action.setShortcut(QtGui.QKeySequence("Ctrl+B"))
        self.open_action.setToolTip("Where does every start point lead each racer?")
        self.open_action.triggered.connect(self._on_open_triggered)
        self.overlay_action = menu.addAction("Basin map over the map")
        self.overlay_action.setCheckable(True)
        self.overlay_action.setToolTip("Lay the first basin map translucently over the main map")
        self.dialog: BasinDialog | None = None
        # Before the dialog exists there is no map to lay over: ticking opens the dialog.
        self.overlay_action.toggled.connect(self._on_overlay_toggled)

    def open(self) -> BasinDialog:
        if self.dialog is None:
            from gui.basin_dialog import BasinDialog  # here: the window opens without it

            self.dialog = BasinDialog(
                self.window.session, self.overlay_action, self.overlay, self.window
            )
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _on_open_triggered(self, checked: bool = False) -> None:
        self.open()

    def _on_overlay_toggled(self, on: bool) -> None:
        if on and self.dialog is None:
            self.open()

    def detach(self) -> None:
        if self.dialog is not None:
            self.dialog.cancel()
            self.dialog.detach()
            self.dialog.close()
