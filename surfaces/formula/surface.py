"""Typed formulas: a student's f(x, y) becomes a Surface with an exact gradient and Hessian.

The text is untrusted (session files from strangers carry formulas), so it never reaches
``eval``, ``exec``, ``compile``, ``sympify`` or ``lambdify``. The pipeline:

1. ``scan``: at most 1000 characters, plain ASCII, and a token scan that explains
   common mistakes (``x^2``, ``2x``, unknown names) with the column.
2. ``check``: ``ast.parse`` (builds a tree, runs nothing), then a whitelist walk
   (at most 500 nodes, 50 levels) and bounded constant folding.
3. ``symbolic``: sympy objects built node by node; sympy differentiates; results that are
   infinite, undefined or complex are refused.
4. ``evaluate``: the six expressions become straight-line numpy code.

The grammar: numbers (``2``, ``0.5``, ``1e-3``), the names ``x``, ``y``, ``pi``, ``e``, the
operators ``+ - * / **`` (and unary ``+ -``), parentheses, and calls with one argument of
sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh, arctanh, exp, log
(natural), log10, log2, sqrt, abs and sign (aliases asin, acos, atan, asinh, acosh, atanh, ln).

sympy is imported on the first call, not with ``surfaces``, so start-up does not pay for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from itertools import islice

import numpy as np

from surfaces.base import Bounds, Surface
from surfaces.formula.check import parse_formula
from surfaces.formula.grammar import FormulaError
from surfaces.formula.pretty import pretty

__all__ = ["FormulaError", "from_formula", "nonfinite_share", "share_text"]

DEFAULT_BOUNDS: Bounds = (-5.0, 5.0, -5.0, 5.0)
_START_FRACTION = 0.8  # the start sits 80 % of the way from the centre towards a corner
_GRID = 41  # samples per axis when looking for finite values and the colour scale
_LOG_RANGE = 1e3  # max / 5th percentile beyond which colours read better on a log scale
# A formula whose f is not finite on this share of the frame or more is refused: a dot or a
# sliver of values is no landscape (and the colours would be all "no value").
REFUSED_SHARE = 0.98


def from_formula(text: str, bounds: Iterable[float] | None = None) -> Surface:
    """The Surface of ``f(x, y) = text`` over ``bounds`` (xmin, xmax, ymin, ymax).

    Raises FormulaError, a ValueError, with a message that says where the problem is and
    what to write instead. ``minima`` is empty: the minima of a typed formula are unknown.
    """
    expr, normalised = parse_formula(text)
    box = _checked_bounds(bounds)
    from surfaces.formula.evaluate import Program  # sympy loads here, on first use
    from surfaces.formula.symbolic import derivatives

    f, fx, fy, fxx, fxy, fyy = derivatives(expr)
    value, grad, hess = Program([f]), Program([fx, fy]), Program([fxx, fxy, fyy])
    share = _nonfinite_share(value.first, box)
    if share >= REFUSED_SHARE:
        raise FormulaError(
            f"f is not finite on {share_text(share)} of the frame {box} (overflow, division by "
            "zero or outside its domain), so there is nothing to see or descend"
        )
    return Surface(
        key="custom",
        title=f"f(x, y) = {pretty(normalised)}",
        description=_description(fx, fy),
        f=value.first,
        grad=grad,
        hess=hess,
        bounds=box,
        start=_start(value.first, grad, box),
        minima=(),
        log_scale=_log_scale(value.first, box),
        formula=text,
    )


def _checked_bounds(bounds: Iterable[float] | None) -> Bounds:
    if bounds is None:
        return DEFAULT_BOUNDS
    try:
        values = tuple(float(b) for b in islice(bounds, 5))
    except (TypeError, ValueError):
        raise FormulaError(f"Invalid bounds: {bounds!r} (need four numbers)") from None
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise FormulaError(f"Invalid bounds: {bounds!r} (need four finite numbers)")
    xmin, xmax, ymin, ymax = values
    if not (xmin < xmax and ymin < ymax):
        raise FormulaError(f"Invalid bounds: {values} (need xmin < xmax and ymin < ymax)")
    return values


def nonfinite_share(surface: Surface) -> float:
    """The share of the surface's frame (on the sampling grid) where f is inf or nan."""
    return _nonfinite_share(lambda x, y: surface.value(x, y), surface.bounds)


def share_text(share: float) -> str:
    """37% — and never "0%" or "100%" for a share that is neither."""
    if 0 < share < 0.01:
        return "under 1%"
    if 0.99 < share < 1:
        return f"{100 * share:.1f}%".replace("100.0%", "99.9%")
    return f"{100 * share:.0f}%"


def _nonfinite_share(f: Callable[..., np.ndarray], box: Bounds) -> float:
    with np.errstate(all="ignore"):
        values = np.asarray(f(*_grid(box)), dtype=float)
    return float(np.mean(~np.isfinite(values)))


def _grid(box: Bounds) -> tuple[np.ndarray, np.ndarray]:
    xs = np.linspace(box[0], box[1], _GRID)
    ys = np.linspace(box[2], box[3], _GRID)
    return np.meshgrid(xs, ys)


def _start(
    f: Callable[..., np.ndarray], grad: Callable[..., tuple[np.ndarray, ...]], box: Bounds
) -> tuple[float, float]:
    """Of the four points 80 % of the way to a corner, the highest one where f and its gradient
    are finite, so the racers have a slope to run down; else the nearest such grid point."""
    xmin, xmax, ymin, ymax = box
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    corners = [(x, y) for x in (xmin, xmax) for y in (ymax, ymin)]
    px = np.array([cx + _START_FRACTION * (x - cx) for x, _ in corners])
    py = np.array([cy + _START_FRACTION * (y - cy) for _, y in corners])
    ok = _finite(f, grad, px, py)
    if ok.any():
        heights = np.where(ok, f(px, py), -np.inf)
        best = int(np.argmax(heights))
        return float(px[best]), float(py[best])
    gx, gy = _grid(box)
    ok = _finite(f, grad, gx, gy)
    if not ok.any():
        raise FormulaError(
            "f(x, y) is not a finite real number anywhere in the bounds "
            f"{box} (checked on a {_GRID}x{_GRID} grid), so there is nothing to descend"
        )
    distance = np.where(ok, np.hypot(gx - px[0], gy - py[0]), np.inf)
    best = np.unravel_index(int(np.argmin(distance)), distance.shape)
    return float(gx[best]), float(gy[best])


def _finite(
    f: Callable[..., np.ndarray],
    grad: Callable[..., tuple[np.ndarray, ...]],
    x: np.ndarray,
    y: np.ndarray,
) -> np.ndarray:
    gx, gy = grad(x, y)
    return np.isfinite(f(x, y)) & np.isfinite(gx) & np.isfinite(gy)


def _log_scale(f: Callable[..., np.ndarray], box: Bounds) -> bool:
    """True when f >= 0 on the grid and spans orders of magnitude (max over 5th percentile)."""
    values = f(*_grid(box))
    values = values[np.isfinite(values)]
    if values.size == 0 or values.min() < 0:
        return False
    top, low = float(values.max()), float(np.quantile(values, 0.05))
    return top > 0 and top >= _LOG_RANGE * low


def _description(fx: object, fy: object) -> str:
    from surfaces.formula.symbolic import short  # already loaded by the derivatives

    return (
        "A typed formula, differentiated exactly: "
        f"df/dx = {short(fx, 120)}, df/dy = {short(fy, 120)}. Its minima are not known."
    )
