"""The surface contract: data plus vectorised value, exact gradient and (optional) Hessian."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Bounds = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
Point = tuple[float, float, float]  # x, y, f(x, y)


@dataclass(frozen=True)
class Param:
    """A surface parameter (e.g. the ravine's condition number), declared as data like an
    optimizer's hyperparameters so the GUI can build a slider for it."""

    name: str
    default: float
    low: float
    high: float
    log: bool = False
    help: str = ""

    def check(self, value: Any) -> float:
        allowed = f"(must be in [{self.low:g}, {self.high:g}])"
        try:
            v = float(value)
        except (TypeError, ValueError):
            # float("abc") would not say which parameter was wrong.
            raise ValueError(f"Invalid {self.name}: {value!r} {allowed}") from None
        if not (math.isfinite(v) and self.low <= v <= self.high):
            raise ValueError(f"Invalid {self.name}: {v!r} {allowed}")
        return v


@dataclass(frozen=True)
class Surface:
    """A 2-D test function. ``f``, ``grad`` and ``hess`` take ``(x, y, **values)`` and broadcast.

    ``grad`` returns ``(gx, gy)``; ``hess`` returns ``(hxx, hxy, hyy)``. Numerics never raise or
    print: the public methods evaluate under ``np.errstate(all="ignore")`` so overflow gives inf
    and domain errors give nan, and callers decide what to do with non-finite values.
    """

    key: str
    title: str
    description: str
    f: Callable[..., Any]
    grad: Callable[..., Any]
    bounds: Bounds
    start: tuple[float, float]
    minima: tuple[Point, ...] = ()
    saddles: tuple[Point, ...] = ()
    log_scale: bool = False
    hess: Callable[..., Any] | None = None
    params: tuple[Param, ...] = ()
    values: Mapping[str, float] = field(default_factory=dict)
    formula: str | None = None
    # optimizer key → hyperparameters that suit this surface (see surfaces/suggested.py)
    suggested: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Parameters not given take their defaults, so ``values`` is always complete.
        full = {p.name: p.default for p in self.params}
        full.update(self.values)
        object.__setattr__(self, "values", full)

    # The checked entry points: numpy's rules (inf and nan, never an exception) for any input.
    # The raw ``f``/``grad``/``hess`` take a Python float point as float arithmetic, which may
    # raise on overflow (see surfaces.numeric.as_xy); these pass numpy scalars instead.

    def value(self, x: Any, y: Any) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(self.f(_numpy(x), _numpy(y), **self.values), dtype=float)

    def gradient(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            gx, gy = self.grad(_numpy(x), _numpy(y), **self.values)
            return np.asarray(gx, dtype=float), np.asarray(gy, dtype=float)

    def hessian(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if self.hess is None:
            return None
        with np.errstate(all="ignore"):
            hxx, hxy, hyy = self.hess(_numpy(x), _numpy(y), **self.values)
            return tuple(np.asarray(h, dtype=float) for h in (hxx, hxy, hyy))

    def with_values(self, **values: float) -> Surface:
        """A copy with some parameters changed; unknown names and out-of-range values raise."""
        specs = {p.name: p for p in self.params}
        unknown = set(values) - set(specs)
        if unknown:
            raise ValueError(f"Surface {self.key!r} has no parameter(s) {sorted(unknown)}")
        merged = dict(self.values)
        merged.update({k: specs[k].check(v) for k, v in values.items()})
        return dataclasses.replace(self, values=merged)


def _numpy(value: Any) -> Any:
    """A Python float as a numpy scalar (numpy's overflow rules); anything else as it is."""
    return np.float64(value) if type(value) is float else value
