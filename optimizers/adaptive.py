"""Optimizers that pick each coordinate's step size without an Adam-style gradient average.

Both follow torch.optim's documented update rules and defaults; with the same
hyperparameters they reproduce it in float64 to rounding (tests/test_torch_reference.py).
"""

from __future__ import annotations

import numpy as np

from optimizers import hypers
from optimizers.base import Glyph, Hyper, Optimizer
from optimizers.rule import Rule


class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012): RMSprop whose numerator tracks the size of recent steps.
    ``h`` and ``dx2`` start at 0, so the first steps are about lr·√eps long. Defaults are
    ``torch.optim.Adadelta``'s (lr 1.0, rho 0.9, eps 1e-6); the paper has no lr (it is 1)."""

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
    rule = Rule(
        (
            "h ← rho*h + (1 - rho)*g*g",
            "delta ← sqrt(dx2 + eps)/sqrt(h + eps)*g",
            "dx2 ← rho*dx2 + (1 - rho)*delta*delta",
            "p ← p - lr*delta",
        ),
        state=("h", "dx2"),
        # The rate the next step will use: the h of the step just taken, the freshest dx2.
        rate="lr*sqrt(dx2 + eps)/sqrt(h + eps)",
        symbols={"dx2": "E[Δθ<sup>2</sup>]", "delta": "Δθ"},
    )


def _factor(name: str, default: float, low: float, high: float, **limits) -> Hyper:
    return Hyper(name, default, low, high, exclusive_min=True, **limits)


class Rprop(Optimizer):
    """Rprop (Riedmiller & Braun 1993): only the gradient's sign counts; each coordinate's step
    grows while the sign holds and shrinks when it flips, and after a flip the coordinate waits
    one step (its remembered gradient is set to 0). ``step`` starts at ``lr`` and ``prev`` at
    0. Defaults are ``torch.optim.Rprop``'s (lr 0.01, etas (0.5, 1.2), step sizes (1e-6, 50));
    its ``etas`` and ``step_sizes`` pairs are split here into ``eta_minus``/``eta_plus`` and
    ``step_min``/``step_max``."""

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
        _factor(
            "eta_minus",
            0.5,
            0.1,
            0.9,
            maximum=1.0,
            exclusive_max=True,
            help="Factor a step shrinks by when the gradient's sign flips",
        ),
        _factor(
            "eta_plus",
            1.2,
            1.01,
            2.0,
            minimum=1.0,
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
        _factor(
            "step_max",
            50.0,
            1e-2,
            100.0,
            log=True,
            help="Largest step size a coordinate may grow to",
        ),
    )
    glyphs = (Glyph("step", "step size", "step"),)
    rule = Rule(
        (
            "s ← g*prev",
            "step ← clip(step*(eta_plus if s > 0 else eta_minus if s < 0 else 1),"
            " step_min, step_max)",
            "prev ← 0 if s < 0 else g",
            "p ← p - sign(prev)*step",
        ),
        state=("prev", "step"),
        starts={"step": "lr"},
        symbols={"prev": "g<sub>prev</sub>", "step": "Δ"},
    )

    def _check(self) -> None:
        lo, hi = np.broadcast_arrays(self.step_min, self.step_max)
        bad = lo > hi
        if np.any(bad):
            raise ValueError(
                f"Invalid step_min: {float(lo[bad].flat[0])!r} "
                f"(must not exceed step_max = {float(hi[bad].flat[0])!r})"
            )
