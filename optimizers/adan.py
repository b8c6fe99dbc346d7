"""Adan (Xie et al. 2022, "Adan: Adaptive Nesterov Momentum Algorithm for Faster Optimizing
Deep Models"), Algorithm 1 — the whole optimizer is its hyperparameters and its lines.

Besides Adam's gradient average m, Adan averages the change of the gradient between steps (dv)
and takes its second moment n of the gradient extrapolated along that change: a Nesterov
look-ahead computed from gradients alone. Defaults are the authors' (lr 1e-3, betas
0.98/0.92/0.99, eps 1e-8, weight decay 0); weight decay is the paper's proximal form, dividing
the new point by 1 + lr·weight_decay. Checked against the PyTorch implementation of the
``pytorch_optimizer`` library in tests/test_torch_reference.py.
"""

from __future__ import annotations

from optimizers import hypers
from optimizers.base import Glyph, Optimizer
from optimizers.rule import Rule


class Adan(Optimizer):
    """Adan: Adam with a Nesterov look-ahead built from the change of the gradient. The
    gradient difference is 0 at the first step, as in the authors' code."""

    key = "adan"
    title = "Adan"
    hyperparams = (
        hypers.lr(0.001, 1e-4, 1.0),
        hypers.decay("beta1", 0.98, "Decay of the gradient average m", 0.5, 0.999),
        hypers.decay("beta2", 0.92, "Decay of the gradient-difference average dv", 0.5, 0.999),
        hypers.decay("beta3", 0.99, "Decay of the squared look-ahead gradient average n", 0.5),
        hypers.eps(1e-8),
        hypers.weight_decay(0.0),
    )
    glyphs = (
        Glyph("m", "gradient average", uphill=True),
        Glyph("n", "effective learning rate", "rate"),
    )
    rule = Rule(
        (
            "bc1 ← 1 - beta1**t",
            "bc2 ← 1 - beta2**t",
            "bc3_sqrt ← sqrt(1 - beta3**t)",
            "d ← g - prev if t > 1 else 0",
            "m ← m + (1 - beta1)*(g - m)",
            "dv ← dv + (1 - beta2)*(d - dv)",
            "u ← g + beta2*d",
            "n ← beta3*n + (1 - beta3)*u*u",
            "den ← sqrt(n)/bc3_sqrt + eps",
            "p ← (p - lr/bc1*(m/den) - lr*beta2/bc2*(dv/den))/(1 + lr*weight_decay)",
            "prev ← g",
        ),
        state=("m", "dv", "n", "prev"),
        rate="lr/bc1/(sqrt(n)/bc3_sqrt + eps)",
        symbols={"dv": "Δm", "prev": "g<sub>prev</sub>", "bc3_sqrt": "√bc<sub>3</sub>"},
    )
