"""Menus for seeing inside the optimizers: glyph and gradient-field toggles and the explain panel
in View, the sweep map in Tools. Kept out of ``window.py`` so the window only calls
:func:`install`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets

from gui.basin_menu import BasinTools
from gui.explain_panel import ExplainPanel

if TYPE_CHECKING:
    from gui.sweep_dialog import SweepDialog

# (setting key, menu text, glyph role or None for the gradient field, tooltip)
TOGGLES = (
    ("glyphs/gradient", "Show −gradient arrows", "gradient", "Dashed: the way downhill, scaled"),
    ("glyphs/step", "Show last steps", "step", "Solid: the step each racer just took, scaled"),
    (
        "glyphs/state",
        "Show optimizer state",
        "state",
        "Dotted arrows, ellipses and crosses: what each optimizer remembers (see the map's key)",
    ),
    ("glyphs/field", "Show gradient field", None, "Faint arrows: the way downhill everywhere"),
)


class Inside:
    def __init__(self, window: Any) -> None:
        self.window = window
        settings = window.store.qsettings if window.store is not None else None
        self.settings = settings
        layer = window.map_view.glyphs
        menu = window.view_menu
        menu.addSeparator()
        self.toggles: dict[str, QtGui.QAction] = {}
        for key, text, role, tip in TOGGLES:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            on = settings is not None and settings.value(key, False, type=bool)
            action.setChecked(bool(on))
            setter = layer.set_field_shown if role is None else _role_setter(layer, role)
            setter(action.isChecked())
            action.toggled.connect(setter)
            action.toggled.connect(lambda checked, k=key: self._remember(k, checked))
            self.toggles[role or "field"] = action

        self.explain = ExplainPanel(window.session)
        self.dock = QtWidgets.QDockWidget("Explain the next step", window)
        self.dock.setObjectName("explain")
        self.dock.setWidget(self.explain)
        window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        explain_action = self.dock.toggleViewAction()
        explain_action.setText("Explain panel")
        explain_action.setShortcut(QtGui.QKeySequence("Ctrl+I"))
        menu.addSeparator()
        menu.addAction(explain_action)

        self.tools_menu = QtWidgets.QMenu("&Tools", window)
        window.menuBar().insertMenu(window.help_menu.menuAction(), self.tools_menu)
        self.sweep_action = self.tools_menu.addAction("Sweep map…")
        self.sweep_action.setToolTip("Colour a grid of two hyperparameters by how well they do")
        self.sweep_action.setShortcut(QtGui.QKeySequence("Ctrl+M"))
        # triggered(bool) would hand its checked=False to racer_id: False is an int, no racer.
        self.sweep_action.triggered.connect(lambda _checked=False: self.open_sweep())
        self.sweep: SweepDialog | None = None
        window.racer_panel.find_lr.connect(self.find_lr)
        self.basins = BasinTools(window, self.tools_menu)

    def open_sweep(self, racer_id: int | None = None) -> SweepDialog:
        """Show the (one, non-modal) sweep dialog, on ``racer_id`` or the explained racer."""
        if self.sweep is None:
            from gui.sweep_dialog import SweepDialog  # here: the window opens without it

            self.sweep = SweepDialog(self.window.session, self.window)
        known = {r.id for r in self.window.session.racers}
        chosen = racer_id if racer_id in known and not isinstance(racer_id, bool) else None
        if chosen is None:
            chosen = self.explain.racer_id
        if chosen is not None:
            self.sweep.select(chosen)
        self.sweep.show()
        self.sweep.raise_()
        return self.sweep

    def find_lr(self, racer_id: int) -> None:
        """A racer's "Find a good learning rate" link: the finder, run on that racer."""
        self.open_sweep(racer_id).autotune()

    def detach(self) -> None:
        self.explain.detach()
        self.basins.detach()
        if self.sweep is not None:
            self.sweep.detach()
            self.sweep.close()

    def _remember(self, key: str, on: bool) -> None:
        if self.settings is not None:
            self.settings.setValue(key, bool(on))


def _role_setter(layer: Any, role: str):
    return lambda on: layer.set_shown(role, on)


def install(window: Any) -> Inside:
    return Inside(window)
