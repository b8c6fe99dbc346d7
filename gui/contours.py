"""The scalar field behind the map: colour values, their honest label, and contour lines. No Qt.

contourpy traces 20 levels on a 400×400 grid in a few milliseconds (pyqtgraph's IsocurveItem takes
about 100× longer), and returns each level as one NaN-separated array, so every level joins into
one array that a single curve item draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import contourpy
import numpy as np

from surfaces import Surface

GRID = 400
LEVELS = 20
# Closer than this, neighbouring contour lines stop reading as lines and become a texture (a
# moiré on Rastrigin); fewer levels are drawn instead.
MIN_SPACING_PX = 8.0
STEEP_SHARE = 90  # the spacing is kept at places less steep than this percentile of the map


@dataclass(frozen=True)
class Field:
    """What the map colours: ``c[row=y, col=x]`` sampled on ``xs`` × ``ys``, NaN where f is not
    finite. ``c`` is f itself, or log10(f + shift) on log-scaled surfaces, with
    shift = offset − f_min."""

    xs: np.ndarray
    ys: np.ndarray
    c: np.ndarray
    label: str
    low: float
    high: float
    shift: float | None = None  # None: c is f

    def levels(self, n: int = LEVELS) -> np.ndarray:
        """``n`` evenly spaced levels strictly inside the colour range (log-spaced in f on log
        surfaces, because ``c`` is already the logarithm there)."""
        return np.linspace(self.low, self.high, n + 2)[1:-1]


def sample(surface: Surface, n: int = GRID) -> Field:
    xmin, xmax, ymin, ymax = surface.bounds
    xs = np.linspace(xmin, xmax, n)
    ys = np.linspace(ymin, ymax, n)
    f = surface.value(*np.meshgrid(xs, ys))
    f = np.where(np.isfinite(f), f, np.nan)
    if not np.isfinite(f).any():
        return Field(xs, ys, f, "f(x, y)", 0.0, 1.0)
    shift = None
    if surface.log_scale:
        c, label, shift = _log_colours(surface, f)
        low, high = float(np.nanmin(c)), float(np.nanmax(c))
    else:
        c, label = f, "f(x, y)"
        # Percentiles, not extremes: one steep corner would otherwise wash out the whole map.
        low, high = (float(v) for v in np.nanpercentile(f, [0.5, 99.5]))
    if not high > low:
        low, high = low - 0.5, low + 0.5
    return Field(xs, ys, c, label, low, high, shift)


def _log_colours(surface: Surface, f: np.ndarray) -> tuple[np.ndarray, str, float]:
    known = [m[2] for m in surface.minima if math.isfinite(m[2])]
    fmin = min([float(np.nanmin(f)), *known])
    spread = float(np.nanmax(f)) - fmin
    # The offset keeps log finite at the minimum; a round number so the label stays readable.
    offset = 10.0 ** math.floor(math.log10(spread * 1e-4)) if spread > 0 else 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.log10(f - fmin + offset)
    shown = f" − {fmin:g}" if fmin > 0 else f" + {-fmin:g}" if fmin < 0 else ""
    return c, f"log₁₀(f{shown} + {offset:g})", offset - fmin


def steepness(field: Field) -> tuple[np.ndarray, np.ndarray]:
    """∂c/∂x and ∂c/∂y on the grid, in colour units per data unit (NaN where c is not finite)."""
    if len(field.xs) < 2 or len(field.ys) < 2:
        return np.zeros_like(field.c), np.zeros_like(field.c)
    dy, dx = np.gradient(field.c, field.ys, field.xs)
    return dx, dy


def spaced_levels(
    field: Field, n: int, pixel: tuple[float, float], slopes: tuple | None = None
) -> np.ndarray:
    """Up to ``n`` evenly spaced levels (log-spaced in f on log surfaces), as many as keep
    neighbouring lines :data:`MIN_SPACING_PX` apart on screen where the map is no steeper than
    its :data:`STEEP_SHARE` th percentile; ``pixel`` is the data size of one screen pixel."""
    if n <= 0:
        return np.empty(0)
    dx, dy = steepness(field) if slopes is None else slopes
    with np.errstate(invalid="ignore"):
        per_px = np.hypot(dx * pixel[0], dy * pixel[1])
    per_px = per_px[np.isfinite(per_px)]
    steep = float(np.percentile(per_px, STEEP_SHARE)) if per_px.size else 0.0
    if steep > 0:
        fits = int((field.high - field.low) / (MIN_SPACING_PX * steep)) - 1
        n = max(0, min(n, fits))
    return field.levels(n) if n > 0 else np.empty(0)


def contour_lines(field: Field, levels: np.ndarray | None = None) -> np.ndarray:
    """Every level's lines as one ``(N, 2)`` array, pieces separated by rows of NaN. Lines are
    traced in the colour field (log f on log surfaces): tried in f, they strayed further from
    their levels near the minima, where f is tiny."""
    levels = field.levels() if levels is None else levels
    if not np.isfinite(field.c).any():
        return np.empty((0, 2))
    # contourpy masks NaN itself: a masked copy made here was checked and copied once more.
    gen = contourpy.contour_generator(
        field.xs, field.ys, field.c, line_type=contourpy.LineType.ChunkCombinedNan
    )
    gap = np.full((1, 2), np.nan)
    pieces = []
    for (chunks,) in gen.multi_lines(levels):
        for points in chunks:
            if points is not None and len(points):
                pieces.extend((points, gap))
    return np.concatenate(pieces) if pieces else np.empty((0, 2))
