"""In-place running averages shared by the Adam family, in torch.optim's order of operations.

Each takes a scratch array ``tmp`` shaped like the buffer so that it allocates nothing.
"""

from __future__ import annotations

import numpy as np

from optimizers.base import Value


def lerp_(m: np.ndarray, g: np.ndarray, weight: Value, tmp: np.ndarray) -> None:
    """m ← m + weight·(g − m): torch's ``m.lerp_(g, weight)`` (its formula for weight < ½)."""
    np.subtract(g, m, out=tmp)
    tmp *= weight
    m += tmp


def ema_square_(
    v: np.ndarray, g: np.ndarray, beta: Value, tmp: np.ndarray, rest: Value | None = None
) -> None:
    """v ← beta·v + (1 − beta)·g²: torch's ``v.mul_(beta).addcmul_(g, g, value=1 - beta)``.
    ``rest`` is 1 − beta if the caller keeps it at hand (as a 0-d array, it is faster)."""
    v *= beta
    np.multiply(g, 1 - beta if rest is None else rest, out=tmp)
    tmp *= g
    v += tmp


def ema_(m: np.ndarray, g: np.ndarray, beta: Value, tmp: np.ndarray) -> None:
    """m ← beta·m + (1 − beta)·g, written as the papers write it."""
    m *= beta
    np.multiply(g, 1 - beta, out=tmp)
    m += tmp
