"""Colours, pens and sizes shared by the views, in one place so the plots read as one picture."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui

# A muted blue-grey ramp, light at the bottom of the valley: the saturated Okabe–Ito racer
# colours (and black) stand out on every part of it, and the minima read as bright basins.
SURFACE_COLORS = [(253, 253, 254), (226, 231, 238), (196, 205, 219), (160, 173, 194)]
CONTOUR_COLOR = (40, 48, 64, 90)
MINIMUM_COLOR = (255, 255, 255)
MARKER_EDGE = (20, 20, 20)
BACKGROUND = "w"
FOREGROUND = (60, 60, 60)
ERROR_COLOR = "#b00020"

TRAIL_WIDTH = 1.5  # thicker cosmetic pens cost far more to paint on long trails
POINT_SIZE = 5
HEAD_SIZE = 13
MAX_DRAWN_POINTS = 2000  # trails are decimated to about this many points for drawing
MAX_MARKED_POINTS = 200  # per-step point markers only while a trail is this short


def surface_colormap() -> pg.ColorMap:
    n = len(SURFACE_COLORS)
    return pg.ColorMap(pos=[i / (n - 1) for i in range(n)], color=SURFACE_COLORS, name="playground")


def trail_pen(color: str) -> QtGui.QPen:
    pen = pg.mkPen(color, width=TRAIL_WIDTH)
    pen.setCosmetic(True)
    return pen


def setup_pyqtgraph() -> None:
    """Light plots (they go on slides) without antialiasing (it costs ~50× on long trails)."""
    pg.setConfigOptions(background=BACKGROUND, foreground=FOREGROUND, antialias=False)
