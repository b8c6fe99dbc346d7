"""The loss landscape drawn the way the map draws a surface: a heat map with a colour bar and
contour lines (the same :class:`gui.contours.Field` and contour tracing, the same colour map),
and every racer's path projected onto the plane, ending in a dot at its current weights."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.contours import Field, contour_lines
from gui.model.network.landscape import Landscape
from gui.model.racer import Racer


def landscape_field(result: Landscape) -> Field:
    """The landscape as the map's field: log₁₀ of the loss (a network's loss spans decades)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.log10(np.where(result.loss > 0, result.loss, np.nan))
    c = np.where(np.isfinite(c), c, np.nan)
    if not np.isfinite(c).any():
        return Field(result.alphas, result.betas, c, "log₁₀ loss", 0.0, 1.0)
    low, high = (float(v) for v in np.nanpercentile(c, [0.5, 99.5]))
    if not high > low:
        low, high = low - 0.5, low + 0.5
    return Field(result.alphas, result.betas, c, "log₁₀ training loss", low, high)


def axis_labels(result: Landscape) -> tuple[str, str]:
    if result.method == "pca" and result.explained is not None:
        a, b = result.explained
        return f"PCA direction 1 ({100 * a:.0f}% of the paths)", f"direction 2 ({100 * b:.0f}%)"
    return "random direction 1 (filter-normalised)", "random direction 2"


class LandscapePlot(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setContentsMargins(4, 10, 12, 4)
        plot.setAspectLocked(True)
        self.view_box = plot.getViewBox()
        self.image = pg.ImageItem()
        self.image.setZValue(-100)
        plot.addItem(self.image, ignoreBounds=True)
        self.colorbar = pg.ColorBarItem(
            colorMap=theme.surface_colormap(), interactive=False, width=12, colorMapMenu=False
        )
        self.colorbar.setImageItem(self.image, insert_in=plot)
        self.colorbar.axis.enableAutoSIPrefix(False)  # "0.2", never "200 (×0.001)"
        self.contours = pg.PlotCurveItem(
            pen=pg.mkPen(theme.CONTOUR_COLOR, width=1), connect="finite", skipFiniteCheck=True
        )
        self.contours.setZValue(-50)
        plot.addItem(self.contours, ignoreBounds=True)
        # Top left: the grid is square and the view usually wider, so the legend sits in the
        # margin beside the landscape rather than over it.
        self.legend = pg.LegendItem(
            offset=(8, 8), brush=pg.mkBrush(255, 255, 255, 210), pen=pg.mkPen(180, 180, 180),
            labelTextSize="9pt",
        )  # fmt: skip
        self.legend.setParentItem(self.view_box)
        self.paths: list[pg.PlotDataItem] = []
        self.result: Landscape | None = None
        self.center = pg.ScatterPlotItem(
            symbol="star", size=15, brush=pg.mkBrush(theme.MINIMUM_COLOR),
            pen=pg.mkPen(theme.MARKER_EDGE, width=1),
        )  # fmt: skip
        plot.addItem(self.center)
        self.message = pg.TextItem("", color=theme.FOREGROUND, anchor=(0.5, 0.5))
        plot.addItem(self.message, ignoreBounds=True)
        self.show_message("Compute a landscape to see the loss around the racers")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            rect = self.view_box.viewRect()
            self.message.setPos(rect.center())

    def show_landscape(self, result: Landscape, racers: list[Racer]) -> None:
        """Draw ``result`` (a complete grid) with the paths of ``racers`` that it holds."""
        self.result = result
        self.show_message("")
        field = landscape_field(result)
        xs, ys = result.alphas, result.betas
        dx = (xs[-1] - xs[0]) / (len(xs) - 1)
        dy = (ys[-1] - ys[0]) / (len(ys) - 1)
        # Pixel centres on the grid points, as the loss was computed there.
        self.image.setImage(field.c.T, autoLevels=False, levels=(field.low, field.high))
        self.image.setRect(
            QtCore.QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        )
        self.colorbar.setLevels((field.low, field.high))
        self.colorbar.axis.setLabel(field.label)
        lines = contour_lines(field)
        self.contours.setData(lines[:, 0], lines[:, 1], connect="finite", skipFiniteCheck=True)
        bottom, left = axis_labels(result)
        self.getPlotItem().setLabels(bottom=bottom, left=left)
        for item in self.paths:
            self.removeItem(item)
        self.paths = []
        self.legend.clear()
        for racer in racers:
            path = result.paths.get(racer.id)
            if path is None or not len(path):
                continue
            item = pg.PlotDataItem(
                path[:, 0], path[:, 1], pen=theme.trail_pen(racer.color), connect="finite"
            )
            head = pg.ScatterPlotItem(
                [path[-1, 0]], [path[-1, 1]], size=10, brush=pg.mkBrush(racer.color),
                pen=pg.mkPen(theme.MARKER_EDGE, width=1),
            )  # fmt: skip
            self.addItem(item)
            self.addItem(head)
            self.paths += [item, head]
            self.legend.addItem(item, racer.label)
        self.center.setData([0.0], [0.0])
        self.view_box.setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0)

    def clear_landscape(self, message: str) -> None:
        self.result = None
        self.image.clear()
        self.contours.setData([], [])
        for item in self.paths:
            self.removeItem(item)
        self.paths = []
        self.legend.clear()
        self.center.setData([], [])
        self.show_message(message)
