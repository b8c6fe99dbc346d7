"""Saddles: stationary points that are not minima, where first-order methods stall."""

from __future__ import annotations

from typing import Any

import numpy as np

from surfaces.base import Surface
from surfaces.numeric import as_xy, constant


def saddle(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return x**2 - y**2


def saddle_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 2 * x, -2 * y


def saddle_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return constant(2.0, x, y), constant(0.0, x, y), constant(-2.0, x, y)


SADDLE = Surface(
    key="saddle",
    title="Saddle x² − y²",
    description="A pass with no minimum: started almost on the ridge line, descent slows "
    "at the saddle point and only slowly slides off down either side.",
    f=saddle,
    grad=saddle_grad,
    hess=saddle_hess,
    bounds=(-2.0, 2.0, -2.0, 2.0),
    start=(-1.8, 0.02),
    saddles=((0.0, 0.0, 0.0),),
    log_scale=False,
)


def monkey_saddle(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return x * (x**2 - 3 * y**2)


def monkey_saddle_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 3 * (x**2 - y**2), -6 * x * y


def monkey_saddle_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 6 * x, -6 * y, -6 * x


MONKEY_SADDLE = Surface(
    key="monkey-saddle",
    title="Monkey saddle x³ − 3xy²",
    description="Three valleys meet at a flat point where gradient and curvature both "
    "vanish: even Newton's method has nothing to go on there.",
    f=monkey_saddle,
    grad=monkey_saddle_grad,
    hess=monkey_saddle_hess,
    bounds=(-2.0, 2.0, -2.0, 2.0),
    start=(1.8, 0.05),
    saddles=((0.0, 0.0, 0.0),),
    log_scale=False,
)
