"""The optimizer contract: the book's ``update(params, grads)`` over a dict of arrays.

Every optimizer works element-wise, so the same code runs on one point, a swarm of a million
points, or a sweep whose hyperparameters are arrays broadcast against the parameters.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np


@dataclass(frozen=True)
class Hyper:
    """One hyperparameter, declared as data: panels, validation and the CLI all read it.

    ``low``/``high`` frame the slider; ``minimum``/``maximum`` are the values the update rule
    accepts (``exclusive_*`` makes an end open, e.g. momentum in [0, 1)).
    """

    name: str
    default: float
    low: float
    high: float
    log: bool = False
    help: str = ""
    minimum: float = 0.0
    maximum: float = math.inf
    exclusive_min: bool = False
    exclusive_max: bool = False

    def interval(self) -> str:
        left = "(" if self.exclusive_min else "["
        right = ")" if self.exclusive_max or math.isinf(self.maximum) else "]"
        return f"{left}{self.minimum:g}, {self.maximum:g}{right}"

    def check(self, value: Any) -> None:
        """Raise ``ValueError("Invalid lr: -0.1 (must be in (0, inf))")`` for a bad value."""
        arr = np.asarray(value, dtype=float)
        ok = np.isfinite(arr)
        ok &= arr > self.minimum if self.exclusive_min else arr >= self.minimum
        ok &= arr < self.maximum if self.exclusive_max else arr <= self.maximum
        if not np.all(ok):
            bad = arr[~ok].flat[0] if arr.ndim else arr
            raise ValueError(f"Invalid {self.name}: {float(bad)!r} (must be in {self.interval()})")


@dataclass(frozen=True)
class Glyph:
    """A piece of optimizer state worth drawing at a racer's head (issue 8).

    ``buffer`` names an entry of ``state[key]``; ``kind`` says how to read it: ``"vector"`` is drawn
    as an arrow in parameter space, ``"rate"`` as a per-axis effective learning rate.
    """

    buffer: str
    label: str
    kind: str = "vector"


class Optimizer:
    """Base class. Subclasses declare ``key``, ``title``, ``hyperparams`` and implement ``_step``.

    State lives in ``self.state[key]``: a dict of named arrays created lazily on the first update
    of that key (as the book does) and cleared by :meth:`reset`. ``self.t`` counts ``update``
    calls, starting at 1 on the first update.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    hyperparams: ClassVar[tuple[Hyper, ...]] = ()
    glyphs: ClassVar[tuple[Glyph, ...]] = ()

    def __init__(self, **values: Any) -> None:
        names = {h.name for h in self.hyperparams}
        unknown = set(values) - names
        if unknown:
            raise TypeError(f"{type(self).__name__} got unknown hyperparameter(s): {sorted(unknown)}")
        for h in self.hyperparams:
            value = values.get(h.name, h.default)
            h.check(value)
            setattr(self, h.name, value if np.ndim(value) else float(value))
        self._check()
        self.reset()

    def _check(self) -> None:
        """Cross-field checks (e.g. Nesterov needs momentum > 0); override where needed."""

    def reset(self) -> None:
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0

    def settings(self) -> dict[str, Any]:
        return {h.name: getattr(self, h.name) for h in self.hyperparams}

    def buffers(self, key: str, like: np.ndarray, *names: str) -> list[np.ndarray]:
        """The named state arrays of ``key``, created as zeros shaped like ``like`` on first use."""
        slot = self.state.setdefault(key, {})
        return [slot.setdefault(n, np.zeros_like(like)) for n in names]

    def update(self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]) -> None:
        """One step. Arrays are updated in place (a network holds references to them); Python
        floats are replaced in the dict."""
        self.t += 1
        for key, p in params.items():
            if isinstance(p, np.ndarray):
                self._step(key, p, np.asarray(grads[key], dtype=p.dtype))
            else:
                arr = np.array(p, dtype=float)
                self._step(key, arr, np.asarray(grads[key], dtype=float))
                params[key] = float(arr) if arr.ndim == 0 else arr

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings().items())
        return f"{type(self).__name__}({args})"
