"""A slider + spin box pair generated from a declared spec (an optimizer's ``Hyper`` or a surface's
``Param``): the slider spans the spec's ``low``..``high`` (logarithmically when ``log``), the spin
box accepts every valid value, and the spec's help is the tooltip."""

from __future__ import annotations

import math
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

STEPS = 1000  # slider resolution: a 1e-4..2 log range moves about 1% a step


def to_position(value: float, low: float, high: float, log: bool) -> int:
    """Where ``value`` sits on a slider of ``STEPS`` steps over ``low``..``high`` (clamped)."""
    if log:
        if value <= 0:
            return 0
        frac = (math.log(value) - math.log(low)) / (math.log(high) - math.log(low))
    else:
        frac = (value - low) / (high - low)
    return min(STEPS, max(0, round(frac * STEPS)))


def to_value(position: int, low: float, high: float, log: bool) -> float:
    """The value of a slider position, rounded to the digits one step can tell apart, so the
    spin box shows 0.302 rather than 0.30199517."""
    frac = position / STEPS
    if log:
        value = math.exp(math.log(low) + frac * (math.log(high) - math.log(low)))
        step = value * ((high / low) ** (1 / STEPS) - 1)
    else:
        value = low + frac * (high - low)
        step = (high - low) / STEPS
    digits = max(0, 1 - math.floor(math.log10(step))) if step > 0 else 6
    return min(high, max(low, round(value, digits)))


class ValueBox(QtWidgets.QDoubleSpinBox):
    """A spin box that shows values as ``%g`` (1e-08, 0.302, 1500) and accepts any float text."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(300)  # keep every digit; the text is formatted below
        self.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.setKeyboardTracking(False)  # commit on Enter, not on every keystroke
        self.setMinimumWidth(82)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        state = QtGui.QValidator.State
        try:
            value = float(text)
        except ValueError:
            return state.Intermediate, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (state.Acceptable if ok else state.Intermediate), text, pos


class KeySlider(QtWidgets.QSlider):
    """A slider that keeps its own keys while it has focus: without this, → would step the race
    (the Step shortcut) instead of nudging the slider the user just clicked."""

    KEYS = frozenset(
        getattr(QtCore.Qt.Key, f"Key_{name}")
        for name in ("Left", "Right", "Up", "Down", "PageUp", "PageDown", "Home", "End")
    )

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ShortcutOverride and event.key() in self.KEYS:
            event.accept()
            return True
        return super().event(event)


class HyperSlider(QtWidgets.QWidget):
    """One row: name, slider, spin box. ``changed`` fires only for user edits, never for
    :meth:`set_value`, so a model → widget update cannot loop back into the model."""

    changed = QtCore.Signal(str, float)

    def __init__(self, spec: Any, value: float, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.name: str = spec.name
        self._range = (float(spec.low), float(spec.high), bool(spec.log))
        self.label = QtWidgets.QLabel(spec.name)
        self.label.setMinimumWidth(64)
        self.slider = KeySlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, STEPS)
        self.slider.setMinimumWidth(80)
        self.spin = ValueBox()
        self.spin.setRange(*valid_range(spec))
        tip = spec.help or spec.name
        if hasattr(spec, "interval"):
            tip += f"\nValid: {spec.interval()}"
        for w in (self, self.label, self.slider, self.spin):
            w.setToolTip(tip)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.set_value(value)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.spin.valueChanged.connect(self._on_spin_changed)

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, value: float) -> None:
        """Show ``value`` without emitting ``changed``. The slider keeps its position when it
        already stands for this value, so a drag is not fought by its own echo."""
        with QtCore.QSignalBlocker(self.spin), QtCore.QSignalBlocker(self.slider):
            self.spin.setValue(value)
            if to_value(self.slider.value(), *self._range) != value:
                self.slider.setValue(to_position(value, *self._range))

    def _on_slider_moved(self, position: int) -> None:
        value = to_value(position, *self._range)
        with QtCore.QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self.changed.emit(self.name, value)

    def _on_spin_changed(self, value: float) -> None:
        with QtCore.QSignalBlocker(self.slider):
            self.slider.setValue(to_position(value, *self._range))
        self.changed.emit(self.name, value)


def valid_range(spec: Any) -> tuple[float, float]:
    """The spin box's range: what the update rule accepts, not just the slider's span."""
    low = float(getattr(spec, "minimum", spec.low))
    high = float(getattr(spec, "maximum", spec.high))
    if getattr(spec, "exclusive_min", False):
        low = math.nextafter(low, math.inf) if low else 1e-300
    if getattr(spec, "exclusive_max", False) or math.isinf(high):
        high = math.nextafter(high, -math.inf) if math.isfinite(high) else 1e300
    return low, high


class HyperCheck(QtWidgets.QCheckBox):
    """A switch hyperparameter (a PyTorch optimizer's ``amsgrad``, ``nesterov``): 1.0 when
    ticked. Same interface as :class:`HyperSlider`."""

    changed = QtCore.Signal(str, float)

    def __init__(self, spec: Any, value: float, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(spec.name, parent)
        self.spec = spec
        self.name: str = spec.name
        self.setToolTip(spec.help or spec.name)
        self.set_value(value)
        self.toggled.connect(lambda on: self.changed.emit(self.name, 1.0 if on else 0.0))

    def value(self) -> float:
        return 1.0 if self.isChecked() else 0.0

    def set_value(self, value: float) -> None:
        with QtCore.QSignalBlocker(self):
            self.setChecked(value >= 0.5)


def hyper_row(spec: Any, value: float) -> HyperSlider | HyperCheck:
    """The widget for one hyperparameter: a check box for a switch, else a slider row."""
    if getattr(spec, "kind", "float") == "bool":
        return HyperCheck(spec, value)
    return HyperSlider(spec, value)
