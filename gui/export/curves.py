"""The loss-curve figure of a network race, like the book's figure 6-9, drawn offscreen.

Iterations against training loss: each racer's raw per-batch loss as a faint line, its
smoothed curve (:func:`smooth_curve`) bold on top, the legend beside the plot (never over the
curves) with each racer's final test accuracy. Laid out at a screen-like size and rendered at
a device pixel ratio, as :mod:`gui.export.render` does, so text keeps its proportions.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui.export.render import LOGICAL_HEIGHT, TITLE_SIZE, ensure_app, export_svg, settle
from gui.export.spec import check_size
from gui.model.network import NetworkRace, smooth_curve

RAW_ALPHA = 60  # of 255: the noise of single batches, visible without competing with the curve


class CurvesFigure:
    def __init__(
        self,
        race: NetworkRace,
        size: tuple[int, int],
        title: str | None,
        window: int | None = None,
    ) -> None:
        ensure_app()
        width, height = check_size(size)
        self.size = (width, height)
        self.scale = max(1.0, height / LOGICAL_HEIGHT)
        live = pg.getConfigOption("antialias")
        pg.setConfigOptions(antialias=True)
        try:
            self.widget = pg.GraphicsLayoutWidget()
            self._draw(race, title, window)
        finally:
            pg.setConfigOptions(antialias=live)
        # A plain widget around the view: QGraphicsView.render paints the scene, not the widget.
        self.frame = QtWidgets.QWidget()
        self.frame.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.frame.setStyleSheet("background: white")
        layout = QtWidgets.QVBoxLayout(self.frame)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget)
        self.frame.resize(round(width / self.scale), round(height / self.scale))
        self.frame.show()
        settle()

    def _draw(self, race: NetworkRace, title: str | None, window: int) -> None:
        plot = self.widget.addPlot(row=0, col=0)
        plot.setLabel("bottom", "iterations")
        plot.setLabel("left", "training loss (smoothed)")
        plot.showGrid(x=True, y=True, alpha=0.15)
        for side_name in ("left", "bottom"):  # "700 (×0.001)" says less than 0.7
            plot.getAxis(side_name).enableAutoSIPrefix(False)
        if title:
            plot.setTitle(title, size=TITLE_SIZE)
        # The legend in a column of its own, at the top: beside the curves, never over them.
        side = self.widget.addLayout(row=0, col=1)
        legend = pg.LegendItem(offset=None, labelTextSize="9pt")
        side.addItem(legend, row=0, col=0)
        side.layout.setRowStretchFactor(1, 1)
        side.addLabel("", row=1, col=0)
        self.widget.ci.layout.setColumnStretchFactor(0, 1)
        self.widget.ci.layout.setColumnStretchFactor(1, 0)
        top = 0.0
        for racer in race.racers:
            run = race.runs[racer.id]
            loss = run.losses.values[:, 0]
            if not len(loss):
                continue
            x = np.arange(1, len(loss) + 1)
            raw_color = QtGui.QColor(racer.color)
            raw_color.setAlpha(RAW_ALPHA)
            plot.plot(x, loss, pen=pg.mkPen(raw_color, width=1))
            smooth = smooth_curve(loss, window or auto_window(len(loss)))
            curve = plot.plot(x, smooth, pen=pg.mkPen(racer.color, width=2))
            legend.addItem(curve, _legend_text(race, racer.id, racer.label))
            finite = smooth[np.isfinite(smooth)]
            if len(finite):
                top = max(top, float(np.max(finite[: max(1, len(finite) // 20)])))
        # The book's figure starts at 0 and shows the fall; the first few smoothed values set
        # the top, so one wild batch does not squash every curve to the floor.
        plot.setYRange(0, (top or 1.0) * 1.08, padding=0)
        plot.setXRange(0, max(1, race.iteration), padding=0.01)
        plot.getViewBox().setMouseEnabled(False, False)
        side.setMaximumWidth(legend.boundingRect().width() + 8)

    def image(self) -> QtGui.QImage:
        out = QtGui.QImage(*self.size, QtGui.QImage.Format.Format_RGB32)
        out.setDevicePixelRatio(self.scale)
        out.fill(QtGui.QColor("white"))
        self.frame.render(out)
        out.setDevicePixelRatio(1.0)
        return out

    def svg(self) -> bytes:
        settle()
        return export_svg(self.widget)

    def close(self) -> None:
        self.frame.close()
        self.frame.deleteLater()

    def __enter__(self) -> CurvesFigure:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def auto_window(points: int) -> int:
    """The book's 11 points for its 2,000 iterations of batch 128; longer curves (and the
    noisier small batches of the 2-D sets) read better with a window of about 1/40 of them."""
    return max(11, (points // 40) | 1)


def _legend_text(race: NetworkRace, racer_id: int, label: str) -> str:
    status = race.status(racer_id)
    if status["diverged_at"] is not None:
        return f"{label} — diverged at {status['diverged_at'] + 1}"
    return f"{label} — test accuracy {100 * status['test_accuracy']:.0f}%"
