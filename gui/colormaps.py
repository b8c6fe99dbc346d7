"""The map's colour maps, the "no value" look, and the halo each racer needs on a map.

viridis, cividis and magma are perceptually uniform (equal steps in f look like equal steps in
lightness) and span most of the lightness range, so the surface's shape reads without contour
lines; their data ship with pyqtgraph (CC0). "greys" is a plain lightness ramp and "muted" the
app's old pale ramp, kept for slides that need little ink.

Whether a racer stands out is measured, not eyeballed (:func:`racer_contrast`): the smallest
CIEDE2000 difference between the racer's colour and any of 256 colours of the map, or — where a
racer's own colour comes too close somewhere on the map — through a white or black halo drawn
round its trail. :data:`STAND_OUT` is the bar.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui.contrast import delta_e2000, hex_to_rgb, rgb_to_lab
from gui.model.scene.schema import COLORMAPS

NAMES = COLORMAPS
TITLES = {
    "viridis": "Viridis (default)",
    "cividis": "Cividis (colour-blind safe)",
    "magma": "Magma",
    "greys": "Greys",
    "muted": "Muted (pale, little ink)",
}
DEFAULT = "viridis"
MUTED = [(253, 253, 254), (230, 234, 240), (205, 212, 224), (176, 187, 205)]
# Greys stop short of black and white: black racers and the white minima stars stay visible.
GREYS = [(245, 245, 245), (70, 70, 70)]
HALOS = ("#ffffff", "#000000")
# The Okabe–Ito racer colours are at least ΔE₀₀ 21.7 apart from one another: a racer should
# differ from the map under it about as much as it differs from the next racer (a
# just-noticeable difference is about 2.3).
STAND_OUT = 20.0
SAMPLES = 256
NO_VALUE_FILL = (255, 255, 255)
NO_VALUE_HATCH = (150, 150, 150)
NO_VALUE_TEXT = "▨ no value"


@cache
def colormap(name: str) -> pg.ColorMap:
    """The named map, low values first. Unknown names are refused with the known ones."""
    if name not in NAMES:
        raise ValueError(f"Unknown colour map {name!r}; known: {', '.join(NAMES)}")
    if name == "muted":
        return _ramp(MUTED, name)
    if name == "greys":
        return _ramp(GREYS, name)
    return pg.colormap.get(name)


def _ramp(colors: list[tuple[int, int, int]], name: str) -> pg.ColorMap:
    n = len(colors)
    return pg.ColorMap(pos=[i / (n - 1) for i in range(n)], color=colors, name=name)


@cache
def samples(name: str) -> np.ndarray:
    """``(SAMPLES, 3)`` sRGB colours evenly spread over the map: what a trail can cross."""
    lut = colormap(name).getLookupTable(nPts=SAMPLES, alpha=False)
    return np.asarray(lut, dtype=float)


@cache
def racer_contrast(color: str, name: str) -> tuple[float, str | None]:
    """``(ΔE₀₀, halo)``: how well ``color`` stands out on the whole map ``name`` (its worst
    place), and the halo it needs for that — None when its own colour clears
    :data:`STAND_OUT` everywhere, else the halo that does best. Through a halo a line reads
    by the smaller of its two contrasts (line–halo, halo–map) wherever that beats its own."""
    lab = rgb_to_lab(hex_to_rgb(color))
    maps = rgb_to_lab(samples(name))
    direct = delta_e2000(lab, maps)
    if direct.min() >= STAND_OUT:
        return float(direct.min()), None
    best = (float(direct.min()), None)
    for halo in HALOS:
        ring = rgb_to_lab(hex_to_rgb(halo))
        through = np.minimum(delta_e2000(lab, ring), delta_e2000(ring, maps))
        worst = float(np.maximum(direct, through).min())
        if worst > best[0]:
            best = (worst, halo)
    return best


class NoValue(QtWidgets.QGraphicsRectItem):
    """The frame in white with grey hatching, which no colour map uses: it shows through where
    the heat map has no value. The hatching is drawn in pixels, so it looks the same at any
    zoom (a pattern brush in data coordinates would stretch with the axes)."""

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        device = painter.transform().mapRect(self.rect())
        painter.save()
        painter.resetTransform()
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.fillRect(device, QtGui.QColor(*NO_VALUE_FILL))
        hatch = QtGui.QBrush(QtGui.QColor(*NO_VALUE_HATCH), QtCore.Qt.BDiagPattern)
        painter.fillRect(device, hatch)
        painter.restore()
