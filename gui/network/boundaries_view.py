"""Small multiples of the decision regions: per racer, the class its network predicts over the
data's range (a pale tint per class) with the training points on top. Only for 2-D datasets;
refreshed a few times a second by the mode, never on every tick."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.model.network import NetworkRace
from gui.model.network.boundary import grid_axes, predicted_classes

GRID = 64
MAX_POINTS = 600  # training points drawn per panel: enough to show the shape of the data
# Per class: a pale region tint and a strong point colour (Okabe–Ito hues).
HUES = [
    (0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167),
    (86, 180, 233), (213, 94, 0), (240, 228, 66), (0, 0, 0),
]  # fmt: skip


def region_colors(classes: int) -> np.ndarray:
    """(classes, 4) uint8 RGBA: each hue mixed a quarter into white."""
    hues = np.array([HUES[k % len(HUES)] for k in range(classes)], dtype=float)
    tint = 255 - 0.28 * (255 - hues)
    return np.column_stack([tint, np.full(classes, 255)]).round().astype(np.ubyte)


class BoundaryPanel:
    """One racer's panel: the region image and the points, made once."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setAspectLocked(True)
        plot.getViewBox().setMouseEnabled(False, False)
        plot.getViewBox().disableAutoRange()  # every panel frames the same square of data
        for side in ("left", "bottom"):
            plot.hideAxis(side)
        self.image = pg.ImageItem()
        self.points = pg.ScatterPlotItem(size=3, pen=None)
        plot.addItem(self.image)
        plot.addItem(self.points)
        self.classes: np.ndarray | None = None  # the last predicted class grid


class BoundariesView(pg.GraphicsLayoutWidget):
    def __init__(self, race: NetworkRace, parent=None) -> None:
        super().__init__(parent)
        self.race = race
        self.panels: dict[int, BoundaryPanel] = {}
        self._layout_key: tuple = ()
        self.set_race(race)

    @property
    def applicable(self) -> bool:
        return self.race.data.features == 2

    def set_race(self, race: NetworkRace) -> None:
        self.race = race
        self._layout_key = ()
        if self.applicable:
            self.xs, self.ys = grid_axes(race.data, GRID)
            self.colors = region_colors(race.data.classes)
            data = race.data
            take = np.linspace(0, len(data.x_train) - 1, min(MAX_POINTS, len(data.x_train)))
            take = take.astype(int)
            self._points = data.x_train[take]
            strong = np.array([HUES[k % len(HUES)] for k in range(data.classes)])
            self._brushes = [pg.mkBrush(*strong[t]) for t in data.t_train[take]]
        self.refresh()

    def refresh(self) -> None:
        """Every racer's panel (after an edit, or while paused)."""
        if not self.applicable:
            return
        self._sync_layout()
        for racer in self.race.racers:
            self._draw(racer.id)

    def refresh_next(self) -> None:
        """One racer's panel, the next in turn: while training, the cost of a refresh stays
        that of one grid of predictions, whatever the number of racers."""
        if not self.applicable or not self.race.racers:
            return
        self._sync_layout()
        ids = [r.id for r in self.race.racers]
        self._turn = (getattr(self, "_turn", -1) + 1) % len(ids)
        self._draw(ids[self._turn])

    def _draw(self, racer_id: int) -> None:
        panel = self.panels[racer_id]
        panel.plot.setRange(  # the view may have moved with a resize: every panel the same
            xRange=(self.xs[0], self.xs[-1]), yRange=(self.ys[0], self.ys[-1]), padding=0
        )
        classes = predicted_classes(self.race.runs[racer_id].net, self.xs, self.ys)
        panel.classes = classes
        # ImageItem reads [x, y]: the transpose of the [row=y, col=x] grid. Pixel centres sit
        # on the grid points, where the predictions were made.
        panel.image.setImage(self.colors[classes].transpose(1, 0, 2), autoLevels=False)
        dx = (self.xs[-1] - self.xs[0]) / (len(self.xs) - 1)
        dy = (self.ys[-1] - self.ys[0]) / (len(self.ys) - 1)
        panel.image.setRect(
            self.xs[0] - dx / 2, self.ys[0] - dy / 2, self.xs[-1] - self.xs[0] + dx,
            self.ys[-1] - self.ys[0] + dy,
        )  # fmt: skip

    def columns(self, n: int) -> int:
        """The columns that give square panels the most room in this widget's shape."""
        width, height = max(1, self.width()), max(1, self.height())
        return max(range(1, n + 1), key=lambda c: min(width / c, height / math.ceil(n / c)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # pyqtgraph resizes once inside its own __init__, before this view has a race.
        laid_out = getattr(self, "_layout_key", ()) and self.applicable
        if laid_out and self.columns(len(self.race.racers)) != self._columns:
            self._layout_key = ()
            self.refresh()
        elif laid_out:
            # Once the layout has given each panel its new size: frame the data again (an
            # aspect-locked view otherwise keeps whatever range its resize history left it).
            QtCore.QTimer.singleShot(0, self._reframe)

    def _reframe(self) -> None:
        for panel in self.panels.values():
            panel.plot.setRange(
                xRange=(self.xs[0], self.xs[-1]), yRange=(self.ys[0], self.ys[-1]), padding=0
            )

    def _sync_layout(self) -> None:
        key = tuple((r.id, r.label, r.color) for r in self.race.racers)
        if key == self._layout_key:
            return
        self._layout_key = key
        self.clear()
        self.panels = {}
        n = len(self.race.racers)
        cols = self._columns = self.columns(n)
        for i, racer in enumerate(self.race.racers):
            plot = self.addPlot(row=i // cols, col=i % cols)
            plot.setTitle(racer.label, color=racer.color, size="9pt")
            # The same size hints for every panel, so the grid shares its width out evenly
            # (a title's or an axis's own hint would otherwise make one column narrower).
            plot.setMinimumSize(10, 10)
            plot.setPreferredSize(100, 100)
            panel = BoundaryPanel(plot)
            panel.points.setData(pos=self._points, brush=self._brushes)
            self.panels[racer.id] = panel
            plot.setRange(
                xRange=(self.xs[0], self.xs[-1]), yRange=(self.ys[0], self.ys[-1]), padding=0
            )
        grid = self.ci.layout
        for c in range(cols):  # equal panels, whatever the width of each title
            grid.setColumnStretchFactor(c, 1)
        for r in range(math.ceil(n / cols)):
            grid.setRowStretchFactor(r, 1)
