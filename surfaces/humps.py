"""Polynomial landscapes with a few minima of different depths (camels, Styblinski-Tang).

Formulas and constants follow Surjanovic & Bingham's Virtual Library of Simulation Experiments
and Wikipedia's "Test functions for optimization"; minima are given to double precision.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from surfaces.base import Surface
from surfaces.numeric import as_xy, constant

# Polynomials in x are written in Horner form: a huge x then overflows to +inf instead of
# giving inf − inf = nan.


def three_hump_camel(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return x**2 * (2 + x**2 * (-1.05 + x**2 / 6)) + x * y + y**2


def three_hump_camel_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return x * (4 + x**2 * (-4.2 + x**2)) + y, x + 2 * y


def three_hump_camel_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 4 + x**2 * (-12.6 + 5 * x**2), constant(1.0, x, y), constant(2.0, x, y)


THREE_HUMP_CAMEL = Surface(
    key="three-hump-camel",
    title="Three-hump camel",
    description="A valley with two shallow side pockets: a racer started on a flank may "
    "settle in a pocket instead of at (0, 0).",
    f=three_hump_camel,
    grad=three_hump_camel_grad,
    hess=three_hump_camel_hess,
    bounds=(-2.5, 2.5, -2.5, 2.5),
    start=(-2.0, -2.0),
    minima=((0.0, 0.0, 0.0),),
    log_scale=True,
)


def six_hump_camel(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return x**2 * (4 + x**2 * (-2.1 + x**2 / 3)) + x * y + y**2 * (-4 + 4 * y**2)


def six_hump_camel_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return x * (8 + x**2 * (-8.4 + 2 * x**2)) + y, x + y * (-8 + 16 * y**2)


def six_hump_camel_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 8 + x**2 * (-25.2 + 10 * x**2), constant(1.0, x, y), -8 + 48 * y**2


SIX_HUMP_CAMEL = Surface(
    key="six-hump-camel",
    title="Six-hump camel",
    description="Six minima, two of them global mirror images: from one start, racers "
    "with different momentum end in three different basins.",
    f=six_hump_camel,
    grad=six_hump_camel_grad,
    hess=six_hump_camel_hess,
    bounds=(-2.0, 2.0, -1.0, 1.0),
    start=(-1.7, -0.85),
    minima=(
        (0.08984201310031806, -0.7126564030207396, -1.031628453489877),
        (-0.08984201310031806, 0.7126564030207396, -1.031628453489877),
    ),
    log_scale=False,
)

# The one-dimensional minimiser of ½ (t⁴ − 16 t² + 5 t): the root of 2t³ − 16t + 2.5 near −2.9.
_ST_ARGMIN = -2.903534027771177
_ST_MIN = -39.16616570377142


def _styblinski_tang_1d(t: np.ndarray) -> np.ndarray:
    return 0.5 * t * (t * (t**2 - 16) + 5)


def styblinski_tang(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return _styblinski_tang_1d(x) + _styblinski_tang_1d(y)


def styblinski_tang_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return x * (2 * x**2 - 16) + 2.5, y * (2 * y**2 - 16) + 2.5


def styblinski_tang_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 6 * x**2 - 16, constant(0.0, x, y), 6 * y**2 - 16


STYBLINSKI_TANG = Surface(
    key="styblinski-tang",
    title="Styblinski-Tang",
    description="Four basins of unequal depth: the deepest at (−2.90, −2.90) is only found "
    "by racers that do not stop in the first one they meet.",
    f=styblinski_tang,
    grad=styblinski_tang_grad,
    hess=styblinski_tang_hess,
    bounds=(-5.0, 5.0, -5.0, 5.0),
    start=(4.0, 4.5),
    minima=((_ST_ARGMIN, _ST_ARGMIN, 2 * _ST_MIN),),
    log_scale=False,
)
