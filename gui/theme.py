"""Colours, pens and sizes shared by the views, in one place so the plots read as one picture."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

# A muted blue-grey ramp, light at the bottom of the valley: the saturated Okabe–Ito racer
# colours (and black) stand out on every part of it, and the minima read as bright basins.
SURFACE_COLORS = [(253, 253, 254), (230, 234, 240), (205, 212, 224), (176, 187, 205)]
CONTOUR_COLOR = (40, 48, 64, 90)
MINIMUM_COLOR = (255, 255, 255)
MARKER_EDGE = (20, 20, 20)
BACKGROUND = "w"
FOREGROUND = (60, 60, 60)
ERROR_COLOR = "#b00020"
# Behind a map label ("diverged at step k"): the racer's colour on a near-white plate reads
# on every colour map, where bare text vanished on the dark end of viridis.
LABEL_FILL = (255, 255, 255, 225)

# Pens wider than one pixel cost ~10× more to paint without antialiasing (14 ms for eight
# 2000-point trails at 2 px, against 1.3 ms at 1 px; 3.6 ms at 2 px for 500 points), so
# trails are bold only while they are short enough to paint quickly.
THIN_WIDTH = 1.0
BOLD_WIDTH = 2.0
POINT_SIZE = 5
HEAD_SIZE = 13
MAX_MARKED_POINTS = 200  # per-step point markers only while a trail is this short
MAX_BOLD_POINTS = 800  # map trails drawn bold up to this many points (loss curves: 200)


def surface_colormap() -> pg.ColorMap:
    n = len(SURFACE_COLORS)
    return pg.ColorMap(pos=[i / (n - 1) for i in range(n)], color=SURFACE_COLORS, name="playground")


def trail_pen(color: str, bold: bool = True) -> QtGui.QPen:
    pen = pg.mkPen(color, width=BOLD_WIDTH if bold else THIN_WIDTH)
    pen.setCosmetic(True)
    return pen


def cache_pixels(*items: QtWidgets.QGraphicsItem) -> None:
    """Paint these items from a pixmap until they change: the heat map, contours and axes stay
    still while the paths move over them, and re-rendering them every frame costs more than
    drawing every path."""
    for item in items:
        item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)


def cache_axes(plot: pg.PlotItem) -> None:
    for name in ("left", "bottom", "right", "top"):
        cache_axis(plot.getAxis(name))


def cache_axis(axis: pg.AxisItem) -> None:
    """The axis paints from a pixmap, and lays its title out only when the text changes:
    pyqtgraph sets a title's HTML again on every range change (in case its SI prefix changed),
    a text layout each time, two of them per axis on a surface switch."""
    cache_pixels(axis)
    axis._updateLabel = _title_updater(axis)


def _title_updater(axis: pg.AxisItem):
    relayout = axis._updateLabel
    shown: list[str] = []

    def update_label() -> None:
        text = axis.labelString()
        if shown == [text]:
            axis.picture = None  # what the rest of pyqtgraph's update does
            axis.update()
            return
        shown[:] = [text]
        relayout()

    return update_label


def setup_pyqtgraph() -> None:
    """Light plots (they go on slides) without antialiasing (it costs ~50× on long trails)."""
    pg.setConfigOptions(background=BACKGROUND, foreground=FOREGROUND, antialias=False)
