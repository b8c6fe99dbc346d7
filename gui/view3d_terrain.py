"""The surface as a landscape: heights, colours and the frame the 3-D view draws in. No Qt.

Heights are the map's colour values (f, or log₁₀(f + shift) on log-scaled surfaces, see
``gui.contours``), so a valley that reads as a basin on the map is a basin here too. They are
clipped at a high quantile: one steep corner (Rosenbrock's far rim is 10⁴ times its floor) would
otherwise squash every other feature flat; and at a low one, because log f falls to a needle at
an exact minimum that would do the same from below. The scene is scaled so the longer side of
the frame spans [-1, 1] (x and y at the same scale, as on the map) and heights span
[0, HEIGHT].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gui.contours import Field, sample
from surfaces import Surface

MESH = 200  # vertices per side: 80,000 triangles, smooth at any window size
HEIGHT = 0.7  # the tallest point, in units of half the frame's longer side
HEIGHT_QUANTILE = 98.0  # percent of the frame below the top clip
FLOOR_QUANTILE = 1.0  # and above the bottom clip: log f dives to a spike at an exact minimum
LIFT = 0.012  # paths float this far above the surface, so the mesh does not swallow them


@dataclass(frozen=True)
class Terrain:
    field: Field  # the colour values on the mesh, with the map's colour range
    floor: float  # colour value at height 0
    ceiling: float  # colour value at height HEIGHT (the clip)
    centre: tuple[float, float]
    half: float  # half the frame's longer side, in surface units

    def height(self, c: np.ndarray) -> np.ndarray:
        """Scene height of colour values ``c``; non-finite values stand at the top."""
        c = np.asarray(c, dtype=float)
        with np.errstate(invalid="ignore"):
            t = (np.clip(c, self.floor, self.ceiling) - self.floor) / (self.ceiling - self.floor)
        return HEIGHT * np.where(np.isfinite(t), t, 1.0)

    def colour_value(self, f: np.ndarray) -> np.ndarray:
        """What the map colours for function values ``f`` (f itself, or its shifted log)."""
        f = np.asarray(f, dtype=float)
        if self.field.shift is None:
            return f
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.log10(f + self.field.shift)

    def scene_xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cx, cy = self.centre
        return (np.asarray(x) - cx) / self.half, (np.asarray(y) - cy) / self.half

    def points(self, x: np.ndarray, y: np.ndarray, f: np.ndarray, lift: float = 0.0) -> np.ndarray:
        """``(N, 3)`` scene points of surface points ``(x, y)`` with values ``f``."""
        sx, sy = self.scene_xy(x, y)
        z = self.height(self.colour_value(f)) + lift
        return np.column_stack([sx, sy, z]).astype(np.float32)

    def mesh(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(x, y, z)`` for a surface plot: x and y the scene's grid lines, ``z[ix, iy]``."""
        sx, sy = self.scene_xy(self.field.xs, self.field.ys)
        return sx.astype(np.float32), sy.astype(np.float32), self.height(self.field.c.T)

    def colour_fraction(self) -> np.ndarray:
        """Where each vertex falls in the map's colour range, 0…1, ``[ix, iy]``; NaN where f is
        not finite."""
        low, high = self.field.low, self.field.high
        with np.errstate(invalid="ignore"):
            return np.clip((self.field.c.T - low) / (high - low), 0.0, 1.0)


def terrain(surface: Surface, n: int = MESH) -> Terrain:
    field = sample(surface, n)
    finite = field.c[np.isfinite(field.c)]
    if finite.size:
        floor, ceiling = (
            float(v) for v in np.percentile(finite, [FLOOR_QUANTILE, HEIGHT_QUANTILE])
        )
    else:
        floor, ceiling = 0.0, 1.0
    if not ceiling > floor:
        ceiling = floor + 1.0  # a flat surface: a flat plate at the bottom
    xmin, xmax, ymin, ymax = surface.bounds
    half = max(xmax - xmin, ymax - ymin) / 2
    return Terrain(field, floor, ceiling, ((xmin + xmax) / 2, (ymin + ymax) / 2), half)
