"""A sweep's result as a heat map: one cell per pair of hyperparameters, coloured by the measure,
diverged cells (and cells that never reached the tolerance) in colours of their own.

Cell ``[j, i]`` covers ``i..i+1`` × ``j..j+1`` in plot units; the axes carry the values as tick
labels, so a log-spaced axis reads as a log axis without the image being resampled."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.log_axis import ReadableAxis
from gui.model.sweep import SweepResult

DIVERGED_RGBA = (200, 30, 30, 255)  # red: outside viridis, so it cannot be read as a value
NEVER_RGBA = (150, 150, 150, 255)  # grey: ran, but never came within the tolerance


def display_values(result: SweepResult) -> tuple[np.ndarray, str]:
    """What the colours show, and its label: log10 of the final loss when every finished cell
    is positive (losses span decades), else the measure itself."""
    value = np.where(np.isfinite(result.value), result.value, np.nan)
    if result.measure == "steps":
        return value, f"steps to within {result.tol:g} of a minimum"
    finite = value[np.isfinite(value)]
    if finite.size and np.all(finite > 0):
        return np.log10(value), "log₁₀ final loss"
    return value, "final loss"


def label_axis(axis: ReadableAxis, values: np.ndarray, log: bool) -> None:
    """Cell k spans k … k + 1 with its value at the centre: label the axis in the values (log10 of
    them on a log axis), by the affine map from cell position to those units."""
    units = np.log10(values) if log and np.all(values > 0) else values
    n = len(units)
    a = (units[-1] - units[0]) / (n - 1) if n > 1 else 1.0
    axis.set_log(bool(log and np.all(values > 0)))
    axis.set_units(a, units[0] - 0.5 * a)


class HeatMap(pg.GraphicsLayoutWidget):
    cell_clicked = QtCore.Signal(int, int)  # i (x index), j (y index)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plot = self.addPlot(
            axisItems={"bottom": ReadableAxis("bottom"), "left": ReadableAxis("left")}
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.overlay = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.overlay)
        self.colorbar = pg.ColorBarItem(colorMap="viridis", interactive=False, width=12)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.marker = pg.ScatterPlotItem(
            symbol="s", size=14, pen=pg.mkPen("w", width=2.5), brush=None, tip=None
        )
        self.marker.setZValue(10)
        self.plot.addItem(self.marker)
        self.result: SweepResult | None = None
        self.shown = np.zeros((0, 0))
        self.scene().sigMouseClicked.connect(self._on_clicked)

    def show_result(self, result: SweepResult, x_log: bool, y_log: bool) -> None:
        self.result = result
        shown, label = display_values(result)
        self.shown = shown
        ny, nx = shown.shape
        finite = shown[np.isfinite(shown)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if high <= low:
            high = low + 1.0
        self.image.setImage(np.nan_to_num(shown, nan=low), autoLevels=False, levels=(low, high))
        self.image.setRect(QtCore.QRectF(0, 0, nx, ny))
        rgba = np.zeros((ny, nx, 4), dtype=np.ubyte)
        rgba[np.isnan(shown) & ~result.diverged] = NEVER_RGBA
        rgba[result.diverged] = DIVERGED_RGBA
        self.overlay.setImage(rgba, autoLevels=False, levels=(0, 255))
        self.overlay.setRect(QtCore.QRectF(0, 0, nx, ny))
        self.colorbar.setLevels((low, high))
        self.colorbar.axis.setLabel(label)
        for side, values, name, log in (
            ("bottom", result.x_values, result.x_name, x_log),
            ("left", result.y_values, result.y_name, y_log),
        ):
            label_axis(self.plot.getAxis(side), np.asarray(values, dtype=float), log)
            self.plot.getAxis(side).setLabel(name)
        self.plot.setRange(xRange=(0, nx), yRange=(0, ny), padding=0)
        self.marker.setData([], [])

    def mark(self, i: int, j: int) -> None:
        self.marker.setData([i + 0.5], [j + 0.5])

    def cell_center(self, i: int, j: int) -> QtCore.QPointF:
        """Where cell (i, j) is in scene coordinates (tests click there)."""
        return self.plot.vb.mapViewToScene(QtCore.QPointF(i + 0.5, j + 0.5))

    def _on_clicked(self, event) -> None:
        if self.result is None or event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        point = self.plot.vb.mapSceneToView(event.scenePos())
        i, j = int(np.floor(point.x())), int(np.floor(point.y()))
        ny, nx = self.shown.shape
        if 0 <= i < nx and 0 <= j < ny:
            self.cell_clicked.emit(i, j)
