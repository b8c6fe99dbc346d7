"""A racer's gradient noise and learning-rate schedule: the "More…" part of its box.

Schedule parameters are declared like hyperparameters (``SCHEDULES[key].params``), so their rows
are the same slider + spin pairs; a small plot shows the learning rate over the race's steps."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.hyper_slider import HyperSlider
from gui.log_axis import ReadableAxis
from gui.model import Session
from gui.model.schedules import SCHEDULES
from optimizers.base import Hyper

# Log slider from 0.01 to 10 (gradients on the surfaces range over these decades); the spin box
# takes any σ ≥ 0, and the slider's far left means no noise at all.
NOISE = Hyper(
    "noise σ",
    0.0,
    0.01,
    10.0,
    log=True,
    help="Standard deviation of Gaussian noise added to each gradient component, "
    "as if the gradient came from a minibatch",
)
SEED_MAX = 2**31 - 1  # a spin box's limit; the session accepts larger seeds from files
CURVE_POINTS = 400
LOG_RATIO = 10.0  # a schedule whose rate spans this factor or more is drawn on a log axis


class NoiseSlider(HyperSlider):
    """A log slider whose leftmost position means 0 (a log scale cannot reach it)."""

    def _on_slider_moved(self, position: int) -> None:
        if position > 0:
            super()._on_slider_moved(position)
            return
        with QtCore.QSignalBlocker(self.spin):
            self.spin.setValue(0.0)
        self.changed.emit(self.name, 0.0)

    def set_value(self, value: float) -> None:
        super().set_value(value)
        if value == 0:
            with QtCore.QSignalBlocker(self.slider):
                self.slider.setValue(0)


class RacerExtras(QtWidgets.QWidget):
    """Noise σ and seed, schedule and its parameters, and the lr-over-steps curve."""

    def __init__(self, session: Session, racer_id: int, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.racer_id = racer_id
        racer = session.racer(racer_id)
        self.noise = NoiseSlider(NOISE, racer.noise)
        self.seed = QtWidgets.QSpinBox(minimum=0, maximum=SEED_MAX)
        self.seed.setToolTip("Seed of the noise: the same seed gives the same race")
        self.seed.setKeyboardTracking(False)
        seed_row = QtWidgets.QHBoxLayout()
        seed_row.addWidget(QtWidgets.QLabel("seed"))
        seed_row.addStretch(1)
        seed_row.addWidget(self.seed)
        self.schedule = QtWidgets.QComboBox()
        for key, schedule in SCHEDULES.items():
            self.schedule.addItem(schedule.title, key)
            self.schedule.setItemData(
                self.schedule.count() - 1, schedule.help, QtCore.Qt.ItemDataRole.ToolTipRole
            )
        schedule_row = QtWidgets.QHBoxLayout()
        schedule_row.addWidget(QtWidgets.QLabel("lr schedule"))
        schedule_row.addWidget(self.schedule, 1)
        self.params: dict[str, HyperSlider] = {}
        self._params_box = QtWidgets.QVBoxLayout()
        self._params_box.setSpacing(2)
        self._curve_plot: pg.PlotWidget | None = None  # see curve_plot

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.noise)
        layout.addLayout(seed_row)
        layout.addLayout(schedule_row)
        layout.addLayout(self._params_box)

        self._key: str | None = None
        self.sync()
        self.noise.changed.connect(self._on_noise_edited)
        self.seed.valueChanged.connect(self._on_seed_edited)
        self.schedule.currentIndexChanged.connect(self._on_schedule_chosen)

    @property
    def curve_plot(self) -> pg.PlotWidget:
        """The lr-over-steps plot, made the first time it is needed (last in the layout): a
        plot widget takes ~25 ms to make, a window opens with a box per racer, and most racers
        keep a constant rate, which has nothing to plot."""
        if self._curve_plot is None:
            plot = pg.PlotWidget(
                axisItems={
                    "left": ReadableAxis("left"),
                    "bottom": ReadableAxis("bottom", integer=True),
                }
            )
            plot.setFixedHeight(70)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(False, False)
            # No axis title: at 70 px it would be clipped; the tooltip says "lr".
            plot.getAxis("left").setWidth(48)
            plot.setToolTip("The learning rate (lr × schedule) at each step of the race")
            color = self.session.racer(self.racer_id).color
            self.curve = plot.plot(pen=pg.mkPen(color, width=2))
            self.layout().addWidget(plot)
            self._curve_plot = plot
        return self._curve_plot

    def summary(self) -> str:
        """What is set beyond the defaults, for the collapsed "More…" button."""
        racer = self.session.racer(self.racer_id)
        parts = [f"noise {racer.noise:g}"] if racer.noise else []
        if racer.schedule["key"] != "constant":
            parts.append(SCHEDULES[racer.schedule["key"]].title.lower())
        return ", ".join(parts)

    def sync(self) -> None:
        """Show the model's values without echoing them back."""
        racer = self.session.racer(self.racer_id)
        self.noise.set_value(racer.noise)
        with QtCore.QSignalBlocker(self.seed), QtCore.QSignalBlocker(self.schedule):
            self.seed.setValue(min(racer.seed, SEED_MAX))
            self.schedule.setCurrentIndex(self.schedule.findData(racer.schedule["key"]))
        if racer.schedule["key"] != self._key:
            self._build_params(racer.schedule["key"])
        for name, row in self.params.items():
            row.set_value(racer.schedule["params"][name])
        self._draw_curve()

    def _build_params(self, key: str) -> None:
        """Rows for the schedule's declared parameters (rebuilt only when the schedule changes)."""
        for row in self.params.values():
            row.hide()
            row.deleteLater()
        self.params = {}
        for spec in SCHEDULES[key].params:
            row = HyperSlider(spec, spec.default)
            row.changed.connect(self._on_param_edited)
            self.params[spec.name] = row
            self._params_box.addWidget(row)
        self._key = key

    def _draw_curve(self) -> None:
        racer = self.session.racer(self.racer_id)
        key = racer.schedule["key"]
        if key == "constant":
            if self._curve_plot is not None:
                self._curve_plot.hide()
            return
        self.curve_plot.show()
        steps = max(self.session.step_limit, 2)
        t = np.unique(np.linspace(0, steps, CURVE_POINTS).round())
        rate = racer.hyper.get("lr", 1.0) * SCHEDULES[key].factor(t, **racer.schedule["params"])
        # A rate that falls by decades reads on a log axis (a straight line for exponential
        # decay); one that reaches 0 (cosine, step to 0) cannot be drawn on one.
        log = bool(np.all(rate > 0) and rate.max() >= LOG_RATIO * rate.min())
        self.curve_plot.getAxis("left").set_log(log)
        self.curve.setData(t, np.log10(rate) if log else rate)
        self.curve.setPen(pg.mkPen(racer.color, width=2))

    # --- view → model -----------------------------------------------------------------------

    def _on_noise_edited(self, _name: str, sigma: float) -> None:
        if math.isfinite(sigma) and sigma >= 0:
            self.session.set_noise(self.racer_id, sigma)

    def _on_seed_edited(self, seed: int) -> None:
        self.session.set_noise(self.racer_id, self.session.racer(self.racer_id).noise, seed)

    def _on_schedule_chosen(self, index: int) -> None:
        self.session.set_schedule(self.racer_id, self.schedule.itemData(index))

    def _on_param_edited(self, name: str, value: float) -> None:
        racer = self.session.racer(self.racer_id)
        params = dict(racer.schedule["params"], **{name: value})
        try:
            self.session.set_schedule(self.racer_id, racer.schedule["key"], **params)
        except ValueError:
            self.params[name].set_value(racer.schedule["params"][name])
