"""Basin maps drawn: each start cell in the colour of the attractor it reaches, the attractors as
stars in the same colours, diverged starts in the "no value" colour. One panel per racer, side
by side with the same axes, so two optimizers compare at a glance; and the same picture laid
translucently over the main map."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.model.basins import BasinResult

# Paul Tol's "light" qualitative scheme (colour-blind safe, light enough that black paths and
# white-edged stars read on it), then his "muted" one for surfaces with many attractors.
ATTRACTOR_COLORS = (
    "#77aadd", "#ee8866", "#eedd88", "#ffaabb", "#99ddff", "#44bb99", "#bbcc33", "#aaaa00",
    "#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee", "#882255", "#44aa99", "#999933",
)  # fmt: skip
NO_VALUE = "#4d4d4d"  # diverged starts: darker than any attractor colour
OVERLAY_OPACITY = 0.45


def attractor_color(k: int) -> str:
    return ATTRACTOR_COLORS[k % len(ATTRACTOR_COLORS)]


def basin_rgba(result: BasinResult, alpha: int = 255) -> np.ndarray:
    """The (ny, nx, 4) picture of ``result``: row 0 is the bottom of the frame."""
    table = np.array(
        [pg.mkColor(attractor_color(k)).getRgb() for k in range(len(result.attractors))]
        + [pg.mkColor(NO_VALUE).getRgb()],
        dtype=np.ubyte,
    ).reshape(-1, 4)
    rgba = table[result.label]  # label -1 picks the last row: no value
    rgba[..., 3] = alpha
    return rgba


def key_text(result: BasinResult) -> str:
    """One line per attractor: where it is and the share of starts that end there."""
    shares = result.shares()
    parts = []
    for k, (x, y) in enumerate(result.attractors):
        kind = "minimum" if k < result.known else "attractor"
        parts.append(
            f'<span style="color:{attractor_color(k)}">■</span> {kind} ({x:.3g}, {y:.3g}): '
            f"{shares[k]:.0%}"
        )
    diverged = float(result.diverged.mean())
    if diverged:
        parts.append(f'<span style="color:{NO_VALUE}">■</span> diverged: {diverged:.0%}')
    return " · ".join(parts)


class BasinPanel:
    """One racer's basin map in a plot: image, attractor stars and a title."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setAspectLocked(True)
        plot.setLabels(bottom="x₀", left="y₀")
        self.image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.image)
        self.stars = pg.ScatterPlotItem(
            symbol="star", size=16, pen=pg.mkPen("w", width=1.5), tip=None
        )
        self.stars.setZValue(10)
        plot.addItem(self.stars)
        self.result: BasinResult | None = None

    def show(self, result: BasinResult, title: str) -> None:
        self.result = result
        xmin, xmax, ymin, ymax = result.bounds
        self.image.setImage(basin_rgba(result), autoLevels=False, levels=(0, 255))
        self.image.setRect(QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        k = len(result.attractors)
        self.stars.setData(
            x=result.attractors[:, 0],
            y=result.attractors[:, 1],
            brush=[pg.mkBrush(attractor_color(i)) for i in range(k)],
        )
        self.plot.setTitle(title, size="10pt")
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    def cell_at(self, scene_pos: QtCore.QPointF) -> tuple[int, int] | None:
        """The (i, j) cell under a scene position, or None outside the grid."""
        result = self.result
        if result is None or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.plot.vb.mapSceneToView(scene_pos)
        xmin, xmax, ymin, ymax = result.bounds
        ny, nx = result.label.shape
        i = int(np.floor((p.x() - xmin) / (xmax - xmin) * nx))
        j = int(np.floor((p.y() - ymin) / (ymax - ymin) * ny))
        return (i, j) if 0 <= i < nx and 0 <= j < ny else None

    def cell_center(self, i: int, j: int) -> QtCore.QPointF:
        """Where cell (i, j) is in scene coordinates (tests click there)."""
        r = self.result
        assert r is not None
        return self.plot.vb.mapViewToScene(QtCore.QPointF(r.x0[j, i], r.y0[j, i]))


class BasinFigure(pg.GraphicsLayoutWidget):
    """Panels side by side; a click on a cell emits its start point."""

    start_clicked = QtCore.Signal(float, float)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.panels: list[BasinPanel] = []
        self.scene().sigMouseClicked.connect(self._on_clicked)

    def show_results(self, results: list[tuple[str, BasinResult]]) -> None:
        """One panel per (title, result), made anew only when their number changes."""
        if len(results) != len(self.panels):
            self.clear()
            self.panels = [BasinPanel(self.addPlot(row=0, col=k)) for k in range(len(results))]
        for panel, (title, result) in zip(self.panels, results, strict=True):
            panel.show(result, title)

    def _on_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        for panel in self.panels:
            cell = panel.cell_at(event.scenePos())
            if cell is not None and panel.result is not None:
                i, j = cell
                self.start_clicked.emit(float(panel.result.x0[j, i]), float(panel.result.y0[j, i]))
                return


class BasinOverlay:
    """A basin map laid over the main map, translucent, under the contour lines and paths."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-60)  # above the heat map (-100), below the contours (-50)
        self.image.setOpacity(OVERLAY_OPACITY)
        self.stars = pg.ScatterPlotItem(
            symbol="star", size=17, pen=pg.mkPen("w", width=1.5), tip=None
        )
        self.stars.setZValue(-5)
        for item in (self.image, self.stars):
            item.hide()
            plot.addItem(item, ignoreBounds=True)

    def show(self, result: BasinResult | None) -> None:
        if result is None:
            self.hide()
            return
        xmin, xmax, ymin, ymax = result.bounds
        self.image.setImage(basin_rgba(result), autoLevels=False, levels=(0, 255))
        self.image.setRect(QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.stars.setData(
            x=result.attractors[:, 0],
            y=result.attractors[:, 1],
            brush=[pg.mkBrush(attractor_color(i)) for i in range(len(result.attractors))],
        )
        self.image.show()
        self.stars.show()

    def hide(self) -> None:
        self.image.hide()
        self.stars.hide()

    @property
    def shown(self) -> bool:
        return self.image.isVisible()
