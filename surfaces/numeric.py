"""Small numpy helpers shared by the catalogue's formulas."""

from __future__ import annotations

from typing import Any

import numpy as np


def as_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as float64 arrays of their common broadcast shape.

    Float64 because Python floats raise ``OverflowError`` on ``**`` where numpy gives inf; the
    common shape so that a partial derivative depending on ``x`` alone still fills the whole grid.
    """
    bx, by = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return bx, by


def constant(value: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A constant derivative shaped like the grid; nan where the point is nan, so a diverged
    racer never gets a finite curvature back."""
    return np.where(np.isnan(x) | np.isnan(y), np.nan, value)
