"""Live training curves: each racer's training loss (smoothed as the book smooths figure 6-9,
optionally on a log axis) and its test accuracy. Items are made once per racer; a refresh only
calls ``setData``."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.model.network import NetworkRace, smooth_curve

MAX_WINDOW = 101
MAX_BOLD_POINTS = 200  # as the map's loss plot: bold while short, thin (fast to paint) after


class CurvesView(QtWidgets.QWidget):
    def __init__(self, race: NetworkRace, parent=None) -> None:
        super().__init__(parent)
        self.race = race
        self.plots = pg.GraphicsLayoutWidget()
        self.loss_plot = self.plots.addPlot(row=0, col=0)
        self.loss_plot.setLabels(bottom="iterations", left="training loss")
        self.accuracy_plot = self.plots.addPlot(row=0, col=1)
        self.accuracy_plot.setLabels(bottom="iterations", left="test accuracy (%)")
        self.accuracy_plot.setYRange(0, 100, padding=0.02)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)
        self.plots.ci.layout.setColumnStretchFactor(0, 3)
        self.plots.ci.layout.setColumnStretchFactor(1, 2)

        self.log_scale = QtWidgets.QCheckBox("Log scale")
        self.log_scale.setToolTip("Training loss on a logarithmic axis")
        self.smoothing = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, MAX_WINDOW // 2)
        self.smoothing.setValue(5)
        self.smoothing.setToolTip("Smoothing window (Kaiser, β = 2), in iterations")
        self.smoothing_label = QtWidgets.QLabel()
        # The key above the plots, not in them: at any window size some racer's curve would
        # pass under a legend drawn inside a plot.
        self.key = QtWidgets.QLabel()
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.key)
        row.addSpacing(16)
        row.addWidget(self.log_scale)
        row.addSpacing(16)
        row.addWidget(QtWidgets.QLabel("Smoothing"))
        row.addWidget(self.smoothing, 1)
        row.addWidget(self.smoothing_label)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plots, 1)

        self.loss_curves: dict[int, pg.PlotDataItem] = {}
        self.accuracy_curves: dict[int, pg.PlotDataItem] = {}
        self._on_smoothing_moved(self.smoothing.value())
        self.log_scale.toggled.connect(self._on_log_toggled)
        self.smoothing.valueChanged.connect(self._on_smoothing_moved)

    @property
    def window(self) -> int:
        return 2 * self.smoothing.value() + 1

    def set_race(self, race: NetworkRace) -> None:
        self.race = race
        self.refresh()

    def refresh(self) -> None:
        self._sync_items()
        window = self.window
        for racer in self.race.racers:
            run = self.race.runs[racer.id]
            loss = run.losses.values[:, 0]
            shown = smooth_curve(loss, window) if window > 1 else loss
            if self.log_scale.isChecked():
                shown = np.where(shown > 0, shown, np.nan)
            visible = racer.enabled
            curve = self.loss_curves[racer.id]
            bold = len(loss) <= MAX_BOLD_POINTS
            if curve.opts["pen"].widthF() != (theme.BOLD_WIDTH if bold else theme.THIN_WIDTH):
                curve.setPen(theme.trail_pen(racer.color, bold))  # wide pens cost ~10× to paint
            curve.setData(np.arange(1, len(loss) + 1), shown, connect="finite")
            curve.setVisible(visible)
            tests = run.tests.values
            acc = self.accuracy_curves[racer.id]
            if acc.xData is None or len(acc.xData) != len(tests) or acc.xData[-1] != tests[-1, 0]:
                acc.setData(tests[:, 0], 100 * tests[:, 2])  # new tests only: symbols cost
            acc.setVisible(visible)

    def _sync_items(self) -> None:
        ids = {r.id for r in self.race.racers}
        for store, plot in ((self.loss_curves, self.loss_plot), (self.accuracy_curves, None)):
            for gone in set(store) - ids:
                item = store.pop(gone)
                (plot or self.accuracy_plot).removeItem(item)
        for racer in self.race.racers:
            pen = theme.trail_pen(racer.color, bold=False)
            if racer.id not in self.loss_curves:
                self.loss_curves[racer.id] = self.loss_plot.plot(pen=pen)
                self.accuracy_curves[racer.id] = self.accuracy_plot.plot(
                    pen=pen,
                    symbol="o",
                    symbolSize=4,
                    symbolPen=None,
                    symbolBrush=racer.color,
                    name=racer.label,
                )
            else:
                self.loss_curves[racer.id].setPen(pen)
                self.accuracy_curves[racer.id].setPen(pen)
                self.accuracy_curves[racer.id].setSymbolBrush(racer.color)
        key = "&nbsp;&nbsp;".join(
            f'<span style="color:{r.color}">━</span>&nbsp;{html.escape(r.label)}'
            for r in self.race.racers
            if r.enabled
        )
        if key != self.key.text():
            self.key.setText(key)

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self.loss_plot.setLabel("left", "training loss (log)" if on else "training loss")
        self.refresh()

    def _on_smoothing_moved(self, value: int) -> None:
        self.smoothing_label.setText(f"{2 * value + 1} it." if value else "off")
        if self.loss_curves:
            self.refresh()
