"""Quadratic bowls: a constant Hessian, so only the conditioning and orientation can hurt."""

from __future__ import annotations

from typing import Any

import numpy as np

from surfaces.base import Param, Surface
from surfaces.numeric import as_xy, constant


def book(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return x**2 / 20 + y**2


def book_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return x / 10, 2 * y


def book_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return constant(0.1, x, y), constant(0.0, x, y), constant(2.0, x, y)


BOOK = Surface(
    key="book",
    title="The book's bowl x²/20 + y²",
    description="A bowl 20 times steeper across than along: plain SGD zig-zags, "
    "momentum and Adam glide to the minimum at (0, 0).",
    f=book,
    grad=book_grad,
    hess=book_hess,
    # The book draws x in [-10, 10] and y in [-5, 5]; the race from (-7, 2) stays inside.
    bounds=(-10.0, 10.0, -5.0, 5.0),
    start=(-7.0, 2.0),
    minima=((0.0, 0.0, 0.0),),
    log_scale=True,
)


def booth(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def booth_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 10 * x + 8 * y - 34, 8 * x + 10 * y - 38


def booth_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return constant(10.0, x, y), constant(8.0, x, y), constant(10.0, x, y)


BOOTH = Surface(
    key="booth",
    title="Booth",
    description="A tilted quadratic bowl (curvatures 18 and 2): a gentle warm-up with its "
    "minimum at (1, 3).",
    f=booth,
    grad=booth_grad,
    hess=booth_hess,
    bounds=(-10.0, 10.0, -10.0, 10.0),
    start=(-8.0, -4.0),
    minima=((1.0, 3.0, 0.0),),
    log_scale=True,
)


def matyas(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


def matyas_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x


def matyas_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return constant(0.52, x, y), constant(-0.48, x, y), constant(0.52, x, y)


MATYAS = Surface(
    key="matyas",
    title="Matyas",
    description="A flat diagonal trough (curvatures 1 and 0.04): the gradient points across "
    "it, so progress along it to (0, 0) is slow.",
    f=matyas,
    grad=matyas_grad,
    hess=matyas_hess,
    bounds=(-10.0, 10.0, -10.0, 10.0),
    start=(-8.0, -4.0),
    minima=((0.0, 0.0, 0.0),),
    log_scale=True,
)


def _ravine_curvatures(condition: float, angle: float) -> tuple[float, float, float]:
    """The Hessian (hxx, hxy, hyy) of the ravine.

    The steep direction keeps curvature 1 whatever the condition number, so a learning rate
    that is stable stays stable while the slider makes the valley floor (curvature
    1/condition, along ``angle``) ever flatter.
    """
    floor, wall = 1.0 / condition, 1.0
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    return floor * c * c + wall * s * s, (floor - wall) * c * s, floor * s * s + wall * c * c


def ravine(x: Any, y: Any, condition: float, angle: float) -> np.ndarray:
    x, y = as_xy(x, y)
    # Written as ½ (λ1 u² + λ2 v²) rather than from the Hessian entries so the value can
    # never come out a hair below zero through cancellation.
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    u, v = c * x + s * y, -s * x + c * y
    return 0.5 * (u**2 / condition + v**2)


def ravine_grad(x: Any, y: Any, condition: float, angle: float) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    hxx, hxy, hyy = _ravine_curvatures(condition, angle)
    return hxx * x + hxy * y, hxy * x + hyy * y


def ravine_hess(
    x: Any, y: Any, condition: float, angle: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return tuple(constant(h, x, y) for h in _ravine_curvatures(condition, angle))


RAVINE = Surface(
    key="ravine",
    title="Ravine",
    description="A straight valley of adjustable steepness and direction: raise the condition "
    "number and watch plain gradient descent crawl along the floor to (0, 0).",
    f=ravine,
    grad=ravine_grad,
    hess=ravine_hess,
    bounds=(-10.0, 10.0, -10.0, 10.0),
    start=(-8.0, 2.0),
    minima=((0.0, 0.0, 0.0),),
    log_scale=True,
    params=(
        Param(
            "condition",
            50.0,
            1.0,
            1000.0,
            log=True,
            help="Ratio of the steepest to the flattest curvature (1 is a round bowl).",
        ),
        Param(
            "angle",
            30.0,
            -90.0,
            90.0,
            help="Direction of the valley floor, in degrees anticlockwise from the x axis.",
        ),
    ),
)
