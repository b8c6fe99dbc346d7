"""What an optimizer declares besides its rule: its hyperparameters (ranges, scales, help) and
the glyph its state is drawn as. Panels, validation, the CLI and sessions all read these."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from optimizers.base import Optimizer

# A hyperparameter's value: a float, or an array broadcast against the parameters.
Value = float | np.ndarray


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
    kind: str = "float"  # "int" and "bool" for a PyTorch optimizer's whole-number and switch args

    def interval(self) -> str:
        left = "(" if self.exclusive_min else "["
        right = ")" if self.exclusive_max or math.isinf(self.maximum) else "]"
        return f"{left}{self.minimum:g}, {self.maximum:g}{right}"

    def check(self, value: Any) -> None:
        """Raise ``ValueError("Invalid lr: -0.1 (must be in (0, inf))")`` for a bad value."""
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"Invalid {self.name}: {value!r} (must be a real number or an array of them)"
            ) from None
        ok = np.isfinite(arr)
        ok &= arr > self.minimum if self.exclusive_min else arr >= self.minimum
        ok &= arr < self.maximum if self.exclusive_max else arr <= self.maximum
        if not np.all(ok):
            bad = arr[~ok].flat[0] if arr.ndim else arr
            raise ValueError(f"Invalid {self.name}: {float(bad)!r} (must be in {self.interval()})")

    def coerce(self, value: Any) -> Value:
        """A checked value: a float, or a read-only float array (so nobody edits it unchecked)."""
        self.check(value)
        if np.ndim(value) == 0:
            return float(value)
        arr = np.array(value, dtype=float)
        arr.flags.writeable = False
        return arr


class _Checked:
    """Validates assignment to a hyperparameter (``opt.lr = 0.5``) and restores the old value if
    a cross-field check fails. It has no ``__get__``, so reading ``opt.lr`` is a plain instance
    lookup, and writing the optimizer's own fields (``t``, per-step constants) pays nothing."""

    def __init__(self, spec: Hyper) -> None:
        self.spec = spec

    def __set__(self, opt: Optimizer, value: Any) -> None:
        name, values = self.spec.name, opt.__dict__
        old = values[name]
        values[name] = self.spec.coerce(value)
        try:
            opt._check()
        except ValueError:
            values[name] = old
            raise
        opt._settled()


@dataclass(frozen=True)
class Glyph:
    """A piece of optimizer state worth drawing at a racer's head (issue 8).

    ``buffer`` names an entry of ``state[key]``; ``kind`` says how to read it:

    - ``"vector"``: an arrow in parameter space. ``uphill`` is true for buffers that average
      gradients (Adam's ``m``): they point uphill, so draw them negated to show the push.
    - ``"rate"``: the per-axis effective learning rate, computed by
      :meth:`Optimizer.effective_rate` (the buffer alone does not know ``lr`` or ``eps``).
    - ``"step"``: the buffer is itself a per-axis step length (Rprop).
    """

    buffer: str
    label: str
    kind: str = "vector"
    uphill: bool = False
