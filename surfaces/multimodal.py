"""Rippled landscapes with many local minima, and Easom's needle in a flat plain.

Formulas and constants follow Surjanovic & Bingham's Virtual Library of Simulation Experiments
and Wikipedia's "Test functions for optimization".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from surfaces.base import Surface
from surfaces.numeric import as_xy, constant, cos_turns, sin_turns

TAU = 2 * np.pi


def rastrigin(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return 20 + x**2 - 10 * cos_turns(x) + y**2 - 10 * cos_turns(y)


def rastrigin_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return 2 * x + 10 * TAU * sin_turns(x), 2 * y + 10 * TAU * sin_turns(y)


def rastrigin_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return (
        2 + 10 * TAU**2 * cos_turns(x),
        constant(0.0, x, y),
        2 + 10 * TAU**2 * cos_turns(y),
    )


RASTRIGIN = Surface(
    key="rastrigin",
    title="Rastrigin",
    description="A bowl covered in an egg-box of local minima: gradient methods stop in the "
    "nearest dimple, far from (0, 0).",
    f=rastrigin,
    grad=rastrigin_grad,
    hess=rastrigin_hess,
    bounds=(-5.12, 5.12, -5.12, 5.12),
    start=(-4.2, 3.8),
    minima=((0.0, 0.0, 0.0),),
    log_scale=False,
)

# Ackley's cone −20 exp(−0.2 √((x² + y²)/2)) is −20 exp(−C·hypot(x, y)); hypot never overflows.
_C = 0.2 / math.sqrt(2)


def ackley(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    waves = 0.5 * (cos_turns(x) + cos_turns(y))
    return -20 * np.exp(-_C * np.hypot(x, y)) - np.exp(waves) + math.e + 20


def ackley_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    s = np.hypot(x, y)
    # The cone's tip at the origin has no gradient; 0 is its one subgradient that keeps a
    # racer which got there at rest. x/s and y/s are 0/1 = 0 there.
    cone = 20 * _C * np.exp(-_C * s) / np.where(s == 0, 1.0, s)
    waves = np.pi * np.exp(0.5 * (cos_turns(x) + cos_turns(y)))
    return cone * x + waves * sin_turns(x), cone * y + waves * sin_turns(y)


def ackley_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    s = np.hypot(x, y)
    tip = s == 0
    s1 = np.where(tip, 1.0, s)
    k = 20 * _C * np.exp(-_C * s)
    # d²/dx² of -20 exp(-C s) = k (y²/s³ − C x²/s²), and alike for the other entries.
    cxx = k * (y**2 / s1**3 - _C * x**2 / s1**2)
    cxy = -k * x * y * (1 / s1**3 + _C / s1**2)
    cyy = k * (x**2 / s1**3 - _C * y**2 / s1**2)
    # At the tip every direction curves infinitely (a cone's kink): report an infinite
    # curvature, which makes a Newton step there zero rather than nan.
    cxx, cxy, cyy = np.where(tip, np.inf, cxx), np.where(tip, 0.0, cxy), np.where(tip, np.inf, cyy)
    sx, sy, cx, cy = sin_turns(x), sin_turns(y), cos_turns(x), cos_turns(y)
    e = np.pi**2 * np.exp(0.5 * (cx + cy))
    return cxx + e * (2 * cx - sx**2), cxy - e * sx * sy, cyy + e * (2 * cy - sy**2)


ACKLEY = Surface(
    key="ackley",
    title="Ackley",
    description="A nearly flat, rippled plain around a deep cone: the way to (0, 0) is only "
    "visible once you are close, and the tip has no gradient.",
    f=ackley,
    grad=ackley_grad,
    hess=ackley_hess,
    bounds=(-5.0, 5.0, -5.0, 5.0),
    start=(-3.3, 2.7),
    minima=((0.0, 0.0, 0.0),),
    log_scale=False,
)

THREE_PI = 3 * np.pi


def levi13(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return (
        np.sin(THREE_PI * x) ** 2
        + (x - 1) ** 2 * (1 + np.sin(THREE_PI * y) ** 2)
        + (y - 1) ** 2 * (1 + sin_turns(y) ** 2)
    )


def levi13_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    # sin²(a t) differentiates to a sin(2 a t).
    return (
        THREE_PI * np.sin(2 * THREE_PI * x) + 2 * (x - 1) * (1 + np.sin(THREE_PI * y) ** 2),
        THREE_PI * (x - 1) ** 2 * np.sin(2 * THREE_PI * y)
        + 2 * (y - 1) * (1 + sin_turns(y) ** 2)
        + TAU * (y - 1) ** 2 * sin_turns(2 * y),
    )


def levi13_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    return (
        2 * THREE_PI**2 * np.cos(2 * THREE_PI * x) + 2 * (1 + np.sin(THREE_PI * y) ** 2),
        2 * THREE_PI * (x - 1) * np.sin(2 * THREE_PI * y),
        2 * THREE_PI**2 * (x - 1) ** 2 * np.cos(2 * THREE_PI * y)
        + 2 * (1 + sin_turns(y) ** 2)
        + 4 * TAU * (y - 1) * sin_turns(2 * y)
        + 2 * TAU**2 * (y - 1) ** 2 * cos_turns(2 * y),
    )


LEVI13 = Surface(
    key="levi13",
    title="Lévi N.13",
    description="Ripples of two frequencies on a bowl: momentum can roll over the small "
    "bumps that trap plain descent on the way to (1, 1).",
    f=levi13,
    grad=levi13_grad,
    hess=levi13_hess,
    bounds=(-4.0, 6.0, -4.0, 6.0),
    start=(-3.0, -2.5),
    minima=((1.0, 1.0, 0.0),),
    log_scale=False,
)


def easom(x: Any, y: Any) -> np.ndarray:
    x, y = as_xy(x, y)
    return -np.cos(x) * np.cos(y) * np.exp(-((x - np.pi) ** 2) - (y - np.pi) ** 2)


def _easom_parts(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Gaussian e and the factors with ∂f/∂x = e·cos(y)·px and ∂f/∂y = e·cos(x)·py."""
    e = np.exp(-((x - np.pi) ** 2) - (y - np.pi) ** 2)
    px = np.sin(x) + 2 * (x - np.pi) * np.cos(x)
    py = np.sin(y) + 2 * (y - np.pi) * np.cos(y)
    return e, px, py


def easom_grad(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    e, px, py = _easom_parts(x, y)
    return e * np.cos(y) * px, e * np.cos(x) * py


def easom_hess(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = as_xy(x, y)
    e, px, py = _easom_parts(x, y)
    dx, dy = x - np.pi, y - np.pi
    qx = 3 * np.cos(x) - 4 * dx * np.sin(x) - 4 * dx**2 * np.cos(x)
    qy = 3 * np.cos(y) - 4 * dy * np.sin(y) - 4 * dy**2 * np.cos(y)
    return e * np.cos(y) * qx, -e * px * py, e * np.cos(x) * qy


EASOM = Surface(
    key="easom",
    title="Easom",
    description="A needle in a flat plain: the gradient is almost zero away from (π, π), so "
    "plain descent barely leaves the start while momentum and adaptive steps dive in.",
    f=easom,
    grad=easom_grad,
    hess=easom_hess,
    bounds=(-2.0, 8.0, -2.0, 8.0),
    start=(4.6, 1.7),
    minima=((math.pi, math.pi, -1.0),),
    log_scale=False,
)
