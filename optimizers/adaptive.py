"""Optimizers that pick each coordinate's step size without an Adam-style gradient average.

Both follow torch.optim's documented update rules and defaults; with the same
hyperparameters they reproduce it in float64 to rounding (tests/test_torch_reference.py).
"""

from __future__ import annotations

import numpy as np

from optimizers import hypers
from optimizers.base import Glyph, Hyper, Optimizer
from optimizers.moments import ema_square_


class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012): RMSprop whose numerator tracks the size of recent steps::

        h ← rho·h + (1 − rho)·g²
        Δ ← √(dx2 + eps) / √(h + eps) · g
        dx2 ← rho·dx2 + (1 − rho)·Δ²
        p ← p − lr·Δ

    ``h`` and ``dx2`` start at 0, so the first steps are about lr·√eps long. Defaults are
    ``torch.optim.Adadelta``'s (lr 1.0, rho 0.9, eps 1e-6); the paper has no lr (it is 1).
    """

    key = "adadelta"
    title = "AdaDelta"
    hyperparams = (
        hypers.lr(1.0, 1e-2, 100.0),
        Hyper(
            "rho",
            0.9,
            0.5,
            0.999,
            help="Decay of both running averages (squared gradients and squared steps)",
            maximum=1.0,
        ),
        hypers.eps(1e-6, 1e-10, 1e-1),
    )
    glyphs = (Glyph("h", "effective learning rate", "rate"),)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        h, dx2 = self.buffers(key, p, "h", "dx2")
        delta, tmp = self.scratch(key, p, 2)
        ema_square_(h, g, self.rho, tmp)
        np.add(h, self.eps, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.add(dx2, self.eps, out=delta)
        np.sqrt(delta, out=delta)
        delta /= tmp
        delta *= g
        ema_square_(dx2, delta, self.rho, tmp)
        delta *= self.lr
        p -= delta

    def effective_rate(self, key: str) -> np.ndarray:
        slot = self.state[key]
        # The rate the next step will use: the h of the step just taken, the freshest dx2.
        return self.lr * np.sqrt(slot["dx2"] + self.eps) / np.sqrt(slot["h"] + self.eps)


class Rprop(Optimizer):
    """Rprop (Riedmiller & Braun 1993): only the gradient's sign counts; each coordinate's step
    grows while the sign holds and shrinks when it flips::

        s ← sign(g·g_prev)
        step ← clip(step·(eta_plus if s > 0, eta_minus if s < 0, 1 if s = 0), step_min, step_max)
        g ← 0 where s < 0          (after a flip, wait one step)
        p ← p − sign(g)·step
        g_prev ← g

    ``step`` starts at ``lr`` and ``prev`` at 0. Defaults are ``torch.optim.Rprop``'s (lr 0.01,
    etas (0.5, 1.2), step sizes (1e-6, 50)); its ``etas`` and ``step_sizes`` pairs are split
    here into ``eta_minus``/``eta_plus`` and ``step_min``/``step_max``.
    """

    key = "rprop"
    title = "Rprop"
    hyperparams = (
        Hyper(
            "lr",
            0.01,
            1e-4,
            1.0,
            log=True,
            exclusive_min=True,
            help="Initial step size of every coordinate",
        ),
        Hyper(
            "eta_minus",
            0.5,
            0.1,
            0.9,
            maximum=1.0,
            exclusive_min=True,
            exclusive_max=True,
            help="Factor a step shrinks by when the gradient's sign flips",
        ),
        Hyper(
            "eta_plus",
            1.2,
            1.01,
            2.0,
            minimum=1.0,
            exclusive_min=True,
            help="Factor a step grows by while the gradient's sign holds",
        ),
        Hyper(
            "step_min",
            1e-6,
            1e-9,
            1e-2,
            log=True,
            help="Smallest step size a coordinate may shrink to",
        ),
        Hyper(
            "step_max",
            50.0,
            1e-2,
            100.0,
            log=True,
            exclusive_min=True,
            help="Largest step size a coordinate may grow to",
        ),
    )
    glyphs = (Glyph("step", "step size", "step"),)

    def _check(self) -> None:
        lo, hi = np.broadcast_arrays(self.step_min, self.step_max)
        bad = lo > hi
        if np.any(bad):
            raise ValueError(
                f"Invalid step_min: {float(lo[bad].flat[0])!r} "
                f"(must not exceed step_max = {float(hi[bad].flat[0])!r})"
            )

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (prev,) = self.buffers(key, p, "prev")
        (step,) = self.buffers(key, p, "step", fill=self.lr)
        (tmp,) = self.scratch(key, p)
        grew, flipped = self.scratch(key, p, 2, dtype=bool)
        np.multiply(g, prev, out=tmp)
        np.greater(tmp, 0.0, out=grew)
        np.less(tmp, 0.0, out=flipped)
        tmp.fill(1.0)
        np.copyto(tmp, self.eta_plus, where=grew)
        np.copyto(tmp, self.eta_minus, where=flipped)
        step *= tmp
        np.clip(step, self.step_min, self.step_max, out=step)
        np.copyto(prev, g)
        np.copyto(prev, 0.0, where=flipped)
        np.sign(prev, out=tmp)
        tmp *= step
        p -= tmp
