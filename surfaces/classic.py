"""The classic valleys and basins of the optimisation literature (low-degree polynomials).

Formulas and constants follow Surjanovic & Bingham's Virtual Library of Simulation Experiments
and Wikipedia's "Test functions for optimization"; minima are given to double precision.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from surfaces.base import Surface
from surfaces.numeric import as_xy, constant


def rosenbrock(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def rosenbrock_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 2 - 400 * y + 1200 * x**2, -400 * x, constant(200.0, x, y)


ROSENBROCK = Surface(
    key="rosenbrock",
    title="Rosenbrock",
    description="A long, curved, flat-bottomed valley: easy to find, hard to follow to the "
    "minimum at (1, 1).",
    f=rosenbrock,
    grad=rosenbrock_grad,
    hess=rosenbrock_hess,
    bounds=(-2.0, 2.0, -1.0, 3.0),
    # Rosenbrock's own 1960 start: across the valley from the minimum.
    start=(-1.2, 1.0),
    minima=((1.0, 1.0, 0.0),),
    log_scale=True,
)

_BEALE = (1.5, 2.25, 2.625)


def beale(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return sum((c - x + x * y**k) ** 2 for k, c in enumerate(_BEALE, start=1))


def beale_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    gx, gy = 0.0, 0.0
    for k, c in enumerate(_BEALE, start=1):
        r = c - x + x * y**k
        gx = gx + 2 * r * (y**k - 1)
        gy = gy + 2 * r * k * x * y ** (k - 1)
    return gx, gy


def beale_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    hxx, hxy, hyy = 0.0, 0.0, 0.0
    for k, c in enumerate(_BEALE, start=1):
        r = c - x + x * y**k
        rx, ry = y**k - 1, k * x * y ** (k - 1)
        # The residual's own second derivatives: r_xy = k y^(k-1), r_yy = k(k-1) x y^(k-2).
        hxx = hxx + 2 * rx**2
        hxy = hxy + 2 * (rx * ry + r * k * y ** (k - 1))
        hyy = hyy + 2 * (ry**2 + r * k * (k - 1) * x * y ** max(k - 2, 0))
    return hxx, hxy, hyy


BEALE = Surface(
    key="beale",
    title="Beale",
    description="Sharp ridges and flat plateaus, values from 0 to 180,000: a step size tuned "
    "for one region fails in the next; minimum at (3, 0.5).",
    f=beale,
    grad=beale_grad,
    hess=beale_hess,
    bounds=(-4.5, 4.5, -4.5, 4.5),
    start=(1.0, 1.5),
    minima=((3.0, 0.5, 0.0),),
    log_scale=True,
)


def himmelblau(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def himmelblau_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def himmelblau_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 12 * x**2 + 4 * y - 42, 4 * (x + y), 4 * x + 12 * y**2 - 26


HIMMELBLAU = Surface(
    key="himmelblau",
    title="Himmelblau",
    description="Four equal minima around a central hill: which one a racer reaches depends "
    "on its start and its momentum.",
    f=himmelblau,
    grad=himmelblau_grad,
    hess=himmelblau_hess,
    bounds=(-5.0, 5.0, -5.0, 5.0),
    start=(0.5, -0.5),
    minima=(
        (3.0, 2.0, 0.0),
        (-2.805118086952745, 3.131312518250573, 0.0),
        (-3.779310253377747, -3.283185991286169, 0.0),
        (3.584428340330492, -1.848126526964404, 0.0),
    ),
    # The four passes between the basins (the fifth stationary point is the hilltop).
    saddles=(
        (-3.073025750764390, -0.08135304428796751, 104.0151629175581),
        (-0.1279613467306801, -1.953714980244576, 178.3372392019275),
        (0.08667750455539635, 2.884254701174776, 67.71915008752614),
        (3.385154183607021, 0.07385187983774929, 13.31192627040559),
    ),
    log_scale=True,
)


def _gp_parts(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Goldstein-Price is g(a)·h(b) with a = x + y + 1 and b = 2x − 3y (expand the two
    brackets to check); returns g, g', g'', h, h', h''."""
    a, b = x + y + 1, 2 * x - 3 * y
    g = 1 + a**2 * (36 + a * (3 * a - 20))
    h = 30 + b**2 * (18 + b * (3 * b - 16))
    dg, ddg = a * (72 + a * (12 * a - 60)), 72 + a * (36 * a - 120)
    dh, ddh = b * (36 + b * (12 * b - 48)), 36 + b * (36 * b - 96)
    return g, dg, ddg, h, dh, ddh


def goldstein_price(x: Any, y: Any) -> np.ndarray:
    g, _, _, h, _, _ = _gp_parts(*as_xy(x, y))
    return g * h


def goldstein_price_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    g, dg, _, h, dh, _ = _gp_parts(*as_xy(x, y))
    return dg * h + 2 * g * dh, dg * h - 3 * g * dh


def goldstein_price_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g, dg, ddg, h, dh, ddh = _gp_parts(*as_xy(x, y))
    return (
        ddg * h + 4 * dg * dh + 4 * g * ddh,
        ddg * h - dg * dh - 6 * g * ddh,
        ddg * h - 6 * dg * dh + 9 * g * ddh,
    )


GOLDSTEIN_PRICE = Surface(
    key="goldstein-price",
    title="Goldstein-Price",
    description="Values from 3 to a million and pits at 840, 84 and 30: from one start, the "
    "step size decides which pit a racer ends in; the deepest is 3 at (0, −1).",
    f=goldstein_price,
    grad=goldstein_price_grad,
    hess=goldstein_price_hess,
    bounds=(-2.0, 2.0, -2.0, 2.0),
    start=(1.5, 1.5),
    minima=((0.0, -1.0, 3.0),),
    log_scale=True,
)


def mccormick(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return np.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1


def mccormick_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    c = np.cos(x + y)
    return c + 2 * (x - y) - 1.5, c - 2 * (x - y) + 2.5


def mccormick_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    s = np.sin(x + y)
    return 2 - s, -2 - s, 2 - s


MCCORMICK = Surface(
    key="mccormick",
    title="McCormick",
    description="A wavy trough with a shallower minimum at (2.59, 1.59) above the global one "
    "at (−0.55, −1.55); beyond the usual domain it falls forever.",
    f=mccormick,
    grad=mccormick_grad,
    hess=mccormick_hess,
    bounds=(-1.5, 4.0, -3.0, 4.0),
    start=(-1.0, 3.0),
    # cos(x + y) = −1/2 and x − y = 1 solve the gradient in closed form.
    minima=((0.5 - math.pi / 3, -0.5 - math.pi / 3, -math.sqrt(3) / 2 - math.pi / 3),),
    log_scale=False,
)
