"""Optimizers that torch.optim lacks, written from their papers' algorithms.

Notation: t counts update calls from 1, bc1 = 1 − beta1^t, bc2 = 1 − beta2^t; every buffer
starts at 0. The arithmetic follows each paper's equations in the order they are written.
"""

from __future__ import annotations

import numpy as np

from optimizers import hypers
from optimizers.base import Glyph, Hyper, Optimizer
from optimizers.moments import ema_

_M = Glyph("m", "gradient average", uphill=True)


def _nu(name: str, default: float, help: str) -> Hyper:
    return Hyper(name, default, 0.0, 1.0, help=help, maximum=1.0)


class Lion(Optimizer):
    """Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms")::

        c ← beta1·m + (1 − beta1)·g
        p ← p − lr·(sign(c) + weight_decay·p)
        m ← beta2·m + (1 − beta2)·g

    Every coordinate moves exactly lr per step (before decay): only the sign of an
    interpolation between momentum and gradient counts. Defaults are the paper's (lr 1e-4,
    beta1 0.9, beta2 0.99, weight decay 0); it advises an lr 3–10× below AdamW's.
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

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (m,) = self.buffers(key, p, "m")
        c, tmp = self.scratch(key, p, 2)
        np.multiply(m, self.beta1, out=c)
        np.multiply(g, 1 - self.beta1, out=tmp)
        c += tmp
        np.sign(c, out=c)
        if np.any(self.weight_decay):
            np.multiply(p, self.weight_decay, out=tmp)
            c += tmp
        c *= self.lr
        p -= c
        ema_(m, g, self.beta2, tmp)


class QHM(Optimizer):
    """Quasi-hyperbolic momentum (Ma & Yarats 2019): a ν-weighted average of a plain SGD step
    and a momentum step::

        m ← momentum·m + (1 − momentum)·g
        p ← p − lr·((1 − nu)·g + nu·m)

    ``momentum`` is the paper's β (named as in the authors' PyTorch code and our
    :class:`Momentum`). Defaults nu = 0.7, momentum = 0.999 are the paper's recommendation;
    lr = 0.01 is ours, SGD's: m is an average, not a sum, so lr compares with SGD's (the authors
    divide a Momentum lr by 1 − β to carry it over). Special cases: nu = 0 is SGD; nu = 1 is
    momentum on an averaged gradient, i.e. ``torch.optim.SGD(lr·(1 − β), momentum=β)``;
    nu = β is Nesterov's method, ``SGD(lr·(1 − β), momentum=β, nesterov=True)``.
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

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (m,) = self.buffers(key, p, "m")
        tmp, mix = self.scratch(key, p, 2)
        ema_(m, g, self.momentum, tmp)
        np.multiply(g, 1 - self.nu, out=mix)
        np.multiply(m, self.nu, out=tmp)
        mix += tmp
        mix *= self.lr
        p -= mix


class QHAdam(Optimizer):
    """Quasi-hyperbolic Adam (Ma & Yarats 2019, Algorithm 2)::

        m ← beta1·m + (1 − beta1)·g
        v ← beta2·v + (1 − beta2)·g²
        p ← p − lr·((1 − nu1)·g + nu1·m/bc1) / (√((1 − nu2)·g² + nu2·v/bc2) + eps)

    Defaults nu1 = 0.7, nu2 = 1 are the authors' recommendation; lr 1e-3, betas 0.9/0.999 and
    eps 1e-8 are Adam's, so the racer differs from Adam by the ν's alone (the authors pair
    nu1 = 0.7 with beta1 = 0.995). With nu1 = nu2 = 1 it is ``torch.optim.Adam``, eps included.
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

    def _prepare(self) -> None:
        self._bc1 = 1 - self.beta1**self.t
        self._bc2 = 1 - self.beta2**self.t

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, v = self.buffers(key, p, "m", "v")
        tmp, num, den = self.scratch(key, p, 3)
        ema_(m, g, self.beta1, tmp)
        v *= self.beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.beta2
        v += tmp
        np.divide(v, self._bc2, out=den)
        den *= self.nu2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.nu2
        den += tmp
        np.sqrt(den, out=den)
        den += self.eps
        np.divide(m, self._bc1, out=num)
        num *= self.nu1
        np.multiply(g, 1 - self.nu1, out=tmp)
        num += tmp
        num *= self.lr
        num /= den
        p -= num

    def effective_rate(self, key: str) -> np.ndarray:
        # Exact for nu2 = 1: the rate applied to the numerator's mix of g and m/bc1.
        return self.lr / (np.sqrt(self.state[key]["v"] / self._bc2) + self.eps)


class AdaBelief(Optimizer):
    """AdaBelief (Zhuang et al. 2020, Algorithm 2): Adam that divides by how far the gradient
    strays from its average (its "belief") instead of by the gradient's size::

        m ← beta1·m + (1 − beta1)·g
        s ← beta2·s + (1 − beta2)·(g − m)² + eps
        p ← p − lr·(m / bc1) / (√(s / bc2) + eps)

    Where the gradient is large but steady (a long straight slope) s stays small and the steps
    grow, where Adam would shrink them: the racer to watch on a long valley. Defaults lr 1e-3,
    betas 0.9/0.999 as the paper; eps = 1e-16 as the authors' released code, because eps enters
    s itself, under the square root, where 1e-16 weighs like Adam's 1e-8.
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

    def _prepare(self) -> None:
        self._bc1 = 1 - self.beta1**self.t
        self._bc2 = 1 - self.beta2**self.t

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, s = self.buffers(key, p, "m", "s")
        tmp, den = self.scratch(key, p, 2)
        ema_(m, g, self.beta1, tmp)
        np.subtract(g, m, out=tmp)
        tmp *= tmp
        tmp *= 1 - self.beta2
        s *= self.beta2
        s += tmp
        s += self.eps
        np.divide(s, self._bc2, out=den)
        np.sqrt(den, out=den)
        den += self.eps
        np.divide(m, self._bc1, out=tmp)
        tmp *= self.lr
        tmp /= den
        p -= tmp

    def effective_rate(self, key: str) -> np.ndarray:
        return self.lr / self._bc1 / (np.sqrt(self.state[key]["s"] / self._bc2) + self.eps)
