"""The surface chooser: the catalogue by title plus a typed formula, the description, and a slider
per surface parameter (generated from ``surface.params``)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

import surfaces
from gui.hyper_slider import HyperSlider
from gui.model import Session
from gui.theme import ERROR_COLOR
from gui.wrapping import breakable
from surfaces.formula.surface import nonfinite_share, share_text

CUSTOM = "Custom formula…"
CUSTOM_HINT = (
    "Type f(x, y) and press Enter: e.g. x**2 + 3*y**2, sin(x)*cos(y), log(1 + x**2 + y**2). "
    "It is differentiated exactly."
)


class SurfacePanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.combo = QtWidgets.QComboBox()
        for key, surface in surfaces.SURFACES.items():
            self.combo.addItem(surface.title, key)
        self.combo.addItem(CUSTOM, None)
        self.combo.setToolTip("The landscape the optimizers race across")

        self.formula = QtWidgets.QLineEdit()
        self.formula.setPlaceholderText("e.g. x**2 + 3*y**2 + sin(3*x)")
        self.formula.setToolTip("f(x, y): press Enter or Apply")
        self.apply_button = QtWidgets.QPushButton("Apply")
        formula_row = QtWidgets.QHBoxLayout()
        formula_row.setContentsMargins(0, 0, 0, 0)
        formula_row.addWidget(self.formula, 1)
        formula_row.addWidget(self.apply_button)
        self.formula_box = QtWidgets.QWidget()
        self.formula_box.setLayout(formula_row)
        self.formula_error = QtWidgets.QLabel()
        self.formula_error.setWordWrap(True)
        self.formula_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.formula_error.hide()
        # Under the field: where f has no value (accepted, but the user should know).
        self.formula_note = QtWidgets.QLabel()
        self.formula_note.setWordWrap(True)
        self.formula_note.setStyleSheet("color: #8a5a00;")
        self.formula_note.hide()

        self.description = QtWidgets.QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555;")
        self.params: dict[str, HyperSlider] = {}
        self._param_specs: tuple = ()
        self._params_layout = QtWidgets.QVBoxLayout()
        self._params_layout.setContentsMargins(0, 0, 0, 0)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.formula_box)
        layout.addWidget(self.formula_error)
        layout.addWidget(self.formula_note)
        layout.addWidget(self.description)
        layout.addLayout(self._params_layout)

        self._on_surface_changed()
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.formula.returnPressed.connect(self._on_formula_applied)
        self.apply_button.clicked.connect(self._on_formula_applied)
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "surface":
            self._on_surface_changed()

    def _on_surface_changed(self) -> None:
        surface = self.session.surface
        custom = surface.formula is not None or surface.key not in surfaces.SURFACES
        index = self.combo.count() - 1 if custom else self.combo.findData(surface.key)
        with QtCore.QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(index)
        self.formula_box.setVisible(custom)
        if custom and surface.formula and not self.formula.hasFocus():
            self.formula.setText(surface.formula)
        self.formula_error.hide()
        self._show_note(surface if custom else None)
        self._set_text(self.description, surface.description)
        if surface.params != self._param_specs:
            self._build_params()
        for name, row in self.params.items():
            row.set_value(surface.values[name])

    def _build_params(self) -> None:
        # Only when the parameter specs change: rebuilding on every value would destroy the slider
        # the user is dragging.
        for row in self.params.values():
            row.hide()
            row.deleteLater()
        self.params = {}
        self._param_specs = self.session.surface.params
        for spec in self._param_specs:
            row = HyperSlider(spec, self.session.surface.values[spec.name])
            row.changed.connect(self._on_param_edited)
            self.params[spec.name] = row
            self._params_layout.addWidget(row)

    def _on_combo_changed(self, index: int) -> None:
        key = self.combo.itemData(index)
        if key is None:
            # Custom: show the field and wait for Enter/Apply; the current scene stays.
            self.formula_box.show()
            self._set_text(self.description, CUSTOM_HINT)  # not the previous surface's text
            self.formula.setFocus()
            return
        self.session.set_surface(surfaces.SURFACES[key])

    def _on_formula_applied(self) -> None:
        text = self.formula.text()
        # The first formula imports sympy (seconds): show that the app is working on it.
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            QtWidgets.QApplication.processEvents(
                QtCore.QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
            )
            try:
                surface = surfaces.from_formula(text)
            except ValueError as exc:  # FormulaError, or another refusal: say it, keep the scene
                self._set_text(self.formula_error, str(exc))
                self.formula_error.show()
                return
            self.session.set_surface(surface)
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()

    def _show_note(self, surface) -> None:
        share = nonfinite_share(surface) if surface is not None else 0.0
        self.formula_note.setVisible(share > 0)
        if share > 0:
            self._set_text(
                self.formula_note,
                f"f is not finite on {share_text(share)} of the frame",
            )

    @staticmethod
    def _set_text(label: QtWidgets.QLabel, text: str) -> None:
        """Wrap anywhere it must (a derivative has no spaces); the tooltip keeps it whole."""
        label.setText(breakable(text))
        label.setToolTip(text if len(text) > 80 else "")

    def _on_param_edited(self, name: str, value: float) -> None:
        try:
            self.session.set_surface_values(**{name: value})
        except ValueError:
            self.params[name].set_value(self.session.surface.values[name])
