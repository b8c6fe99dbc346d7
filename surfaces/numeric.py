"""Small numpy helpers shared by the catalogue's formulas."""

from __future__ import annotations

from typing import Any

import numpy as np


def as_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as float64 arrays of their common broadcast shape.

    Float64 because Python floats raise ``OverflowError`` on ``**`` where numpy gives inf; the
    common shape so that a partial derivative depending on ``x`` alone still fills the whole grid.
    """
    if type(x) is float and type(y) is float:
        # A racer's single point, in Python float arithmetic: twice as fast as numpy scalars
        # (which decides how fast a retune re-simulates) and the same IEEE operations, so the
        # same numbers — except that ``**`` may raise OverflowError, ``/`` ZeroDivisionError,
        # and a fractional power of a negative number give a complex. The racer catches those
        # and evaluates the point again as numpy scalars (gui/model/racer.py ``point``);
        # Surface.value/gradient/hessian pass numpy scalars in from the start.
        return x, y
    if type(x) is np.float64 and type(y) is np.float64:
        return x, y
    bx, by = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if bx.shape != by.shape:  # broadcast_arrays costs microseconds; racers step one point
        bx, by = np.broadcast_arrays(bx, by)
    return bx, by


def constant(value: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A constant derivative shaped like the grid; nan where the point is nan, so a diverged
    racer never gets a finite curvature back."""
    return np.where(np.isnan(x) | np.isnan(y), np.nan, value)


def cos_turns(t: np.ndarray) -> np.ndarray:
    """cos(2πt), reducing t mod 1 first: fmod is exact, so 2πt can neither overflow (Ackley
    keeps its finite limit far away) nor lose digits for points far from the origin."""
    return np.cos(2 * np.pi * np.fmod(t, 1.0))


def sin_turns(t: np.ndarray) -> np.ndarray:
    """sin(2πt), reducing t mod 1 first (see :func:`cos_turns`)."""
    return np.sin(2 * np.pi * np.fmod(t, 1.0))
