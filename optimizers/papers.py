"""Optimizers that torch.optim lacks, written from their papers' algorithms.

Notation: t counts update calls from 1, bc1 = 1 − beta1^t, bc2 = 1 − beta2^t; every buffer
starts at 0. The lines follow each paper's equations in the order they are written.
"""

from __future__ import annotations

from optimizers import hypers
from optimizers.base import Glyph, Hyper, Optimizer
from optimizers.rule import Rule

_M = Glyph("m", "gradient average", uphill=True)
_BC = ("bc1 ← 1 - beta1**t", "bc2 ← 1 - beta2**t")


def _nu(name: str, default: float, help: str) -> Hyper:
    return Hyper(name, default, 0.0, 1.0, help=help, maximum=1.0)


class Lion(Optimizer):
    """Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"). Every
    coordinate moves exactly lr per step (before decay): only the sign of an interpolation
    between momentum and gradient counts. Defaults are the paper's (lr 1e-4, beta1 0.9, beta2
    0.99, weight decay 0); it advises an lr 3–10× below AdamW's.
    """

    key = "lion"
    title = "Lion"
    hyperparams = (
        hypers.lr(1e-4, 1e-5, 1.0),
        hypers.beta1(0.9, "Weight of the momentum in the sign that sets the step"),
        hypers.decay("beta2", 0.99, "Decay of the momentum m", 0.5, 0.9999),
        hypers.weight_decay(0.0),
    )
    glyphs = (_M,)
    rule = Rule(
        (
            "c ← beta1*m + (1 - beta1)*g",
            "p ← p - lr*(sign(c) + weight_decay*p)",
            "m ← beta2*m + (1 - beta2)*g",
        ),
        state=("m",),
    )


class QHM(Optimizer):
    """Quasi-hyperbolic momentum (Ma & Yarats 2019): a ν-weighted average of a plain SGD step and a
    momentum step. ``momentum`` is the paper's β (named as in the authors' PyTorch code and our
    :class:`Momentum`). Defaults nu = 0.7, momentum = 0.999 are the paper's recommendation; lr =
    0.01 is ours, SGD's: m is an average, not a sum, so lr compares with SGD's (the authors
    divide a Momentum lr by 1 − β to carry it over). Special cases: nu = 0 is SGD; nu = 1 is
    momentum on an averaged gradient, i.e. ``torch.optim.SGD(lr·(1 − β), momentum=β)``; nu = β
    is Nesterov's method, ``SGD(lr·(1 − β), momentum=β, nesterov=True)``.
    """

    key = "qhm"
    title = "QHM"
    hyperparams = (
        hypers.lr(0.01, 1e-4, 2.0),
        hypers.decay(
            "momentum", 0.999, "Decay of the gradient average m (the paper's β)", 0.0, 0.9999
        ),
        _nu("nu", 0.7, "Share of the momentum step in the update (0: SGD, 1: momentum)"),
    )
    glyphs = (_M,)
    rule = Rule(
        ("m ← momentum*m + (1 - momentum)*g", "p ← p - lr*((1 - nu)*g + nu*m)"), state=("m",)
    )


class QHAdam(Optimizer):
    """Quasi-hyperbolic Adam (Ma & Yarats 2019, Algorithm 2): ν-weighted mixes of g with m in the
    numerator and of g² with v in the denominator. Defaults nu1 = 0.7, nu2 = 1 are the authors'
    recommendation; lr 1e-3, betas 0.9/0.999 and eps 1e-8 are Adam's, so the racer differs from
    Adam by the ν's alone (the authors pair nu1 = 0.7 with beta1 = 0.995). With nu1 = nu2 = 1 it
    is ``torch.optim.Adam``, eps included.
    """

    key = "qhadam"
    title = "QHAdam"
    hyperparams = (
        hypers.lr(0.001, 1e-4, 1.0),
        hypers.beta1(),
        hypers.beta2(),
        _nu("nu1", 0.7, "Share of the averaged gradient in the numerator (1: Adam)"),
        _nu("nu2", 1.0, "Share of the averaged squares in the denominator (1: Adam)"),
        hypers.eps(1e-8),
    )
    glyphs = (_M, Glyph("v", "effective learning rate", "rate"))
    rule = Rule(
        (
            *_BC,
            "m ← beta1*m + (1 - beta1)*g",
            "v ← beta2*v + g*g*(1 - beta2)",
            "p ← p - (m/bc1*nu1 + g*(1 - nu1))*lr/(sqrt(v/bc2*nu2 + g*g*(1 - nu2)) + eps)",
        ),
        state=("m", "v"),
        # Exact for nu2 = 1: the rate applied to the numerator's mix of g and m/bc1.
        rate="lr/(sqrt(v/bc2) + eps)",
    )


class AdaBelief(Optimizer):
    """AdaBelief (Zhuang et al. 2020, Algorithm 2): Adam that divides by how far the gradient strays
    from its average (its "belief") instead of by the gradient's size. Where the gradient is
    large but steady (a long straight slope) s stays small and the steps grow, where Adam would
    shrink them: the racer to watch on a long valley. Defaults lr 1e-3, betas 0.9/0.999 as the
    paper; eps = 1e-16 as the authors' released code, because eps enters s itself, under the
    square root, where 1e-16 weighs like Adam's 1e-8.
    """

    key = "adabelief"
    title = "AdaBelief"
    hyperparams = (
        hypers.lr(0.001, 1e-4, 1.0),
        hypers.beta1(),
        hypers.beta2(0.999, "Decay of the average squared surprise s = (g − m)²"),
        hypers.eps(1e-16, 1e-20, 1e-4),
    )
    glyphs = (_M, Glyph("s", "effective learning rate", "rate"))
    rule = Rule(
        (
            *_BC,
            "m ← beta1*m + (1 - beta1)*g",
            "s ← beta2*s + (g - m)**2*(1 - beta2) + eps",
            "p ← p - m/bc1*lr/(sqrt(s/bc2) + eps)",
        ),
        state=("m", "s"),
        rate="lr/bc1/(sqrt(s/bc2) + eps)",
    )
