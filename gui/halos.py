"""A white or black outline under the trails of racers whose colour comes too close to some part
of the colour map (measured in :func:`gui.colormaps.racer_contrast`). Only those racers get one:
an outline is a second wide stroke of every point, which costs as much to paint as the trail,
so it is drawn only while the trail is short enough to be drawn bold (see gui/theme.py): under
a bold pen, never under a thin one. (Counting drawn points instead made the outline come and go
every 1,024 steps of a long race, as the raw points waiting for the store came and went.)"""

from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from PySide6 import QtGui

from gui import theme
from gui.trails_item import Lines, ViewSized

# Outline each side of the trail, in device pixels: the racer's colour stays most of the line.
HALO_PX = 1.0


class Halos(ViewSized):
    """Paints, under ``trails``, each outlined racer's line again with a wider pen."""

    def __init__(self, trails: Lines) -> None:
        super().__init__()
        self.trails = trails
        self.colors: dict[int, QtGui.QColor] = {}  # racer id → halo colour

    def set_halos(self, halos: dict[int, str | None]) -> None:
        colors = {key: QtGui.QColor(c) for key, c in halos.items() if c is not None}
        if {k: c.rgba() for k, c in colors.items()} != {
            k: c.rgba() for k, c in self.colors.items()
        }:
            self.colors = colors
            self.update()

    def outlined(self) -> list[int]:
        """The racers whose outline the next paint draws: those that need one, shown, under
        a bold trail (which is a short one: a wide stroke of a long trail costs several
        milliseconds a tick)."""
        lines = self.trails.lines
        return [
            key
            for key in self.colors
            if key in lines
            and lines[key].shown
            and len(lines[key].x) >= 2
            and lines[key].pen.widthF() >= theme.BOLD_WIDTH
        ]

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        _, aa = self._mode()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
        for key in self.outlined():
            line, color = self.trails.lines[key], self.colors[key]
            scale = self.trails.width_scale
            pen = pg.mkPen(color, width=(max(line.pen.widthF(), 1.0) + 2 * HALO_PX) * scale)
            pen.setCosmetic(True)
            pen.setCapStyle(pg.QtCore.Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            if aa:
                if line.path is None:
                    line.path = pg.arrayToQPath(line.x, line.y, connect="finite")
                painter.drawPath(line.path)
            else:  # see Lines.paint: segments are ~10× faster than a wide stroked path
                if line.segments is None:
                    line.segments = arrayToLineSegments(line.x, line.y, "finite", False)
                painter.drawLines(*line.segments.drawargs())
