"""The six optimizers of "Deep Learning from Scratch" (Saitou), ``common/optimizer.py``.

Constructor arguments, their order and defaults are the book's, and so is the arithmetic, down to
the order of operations: a run reproduces the book's code bit for bit. Only the storage differs:
scratch arrays and ``out=`` replace the book's temporaries, so a swarm of a million points
allocates nothing per step, and constants derived from the hyperparameters are kept as 0-d
arrays (:func:`~optimizers.base.const`), which numpy takes faster than Python floats. Those
with a division take ``eps`` (the book hard-codes 1e-7).
"""

from __future__ import annotations

import numpy as np

from optimizers import hypers
from optimizers.base import Glyph, Optimizer, Value, const

_RATE = Glyph("h", "effective learning rate", "rate")


class SGD(Optimizer):
    """Stochastic gradient descent::

        p ← p − lr·g

    No state. Default ``lr = 0.01`` is the book's; PyTorch's SGD defaults to 1e-3.
    """

    key = "sgd"
    title = "SGD"
    hyperparams = (hypers.lr(0.01, 1e-4, 2.0),)

    def _settled(self) -> None:
        super()._settled()
        self._lr = const(self.lr)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (tmp,) = self.scratch(key, p)
        np.multiply(g, self._lr, out=tmp)
        p -= tmp


class Momentum(Optimizer):
    """Momentum SGD, the book's form (the velocity carries the learning rate)::

        v ← momentum·v − lr·g
        p ← p + v

    ``v`` starts at 0. Defaults ``lr = 0.01, momentum = 0.9`` are the book's (PyTorch's SGD:
    lr 1e-3, momentum 0). Equals ``torch.optim.SGD(lr, momentum)`` exactly, whose buffer is
    ``−v/lr``.
    """

    key = "momentum"
    title = "Momentum"
    hyperparams = (hypers.lr(0.01, 1e-4, 1.0), hypers.momentum())
    glyphs = (Glyph("v", "velocity"),)

    def _settled(self) -> None:
        super()._settled()
        self._lr, self._mu = const(self.lr), const(self.momentum)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (v,) = self.buffers(key, p, "v")
        (tmp,) = self.scratch(key, p)
        v *= self._mu
        np.multiply(g, self._lr, out=tmp)
        v -= tmp
        p += v


class Nesterov(Momentum):
    """Nesterov's accelerated gradient in the book's corrected form (see its errata)::

        p ← p + momentum²·v − (1 + momentum)·lr·g      (v is still the previous velocity)
        v ← momentum·v − lr·g

    ``v`` starts at 0. Defaults as :class:`Momentum`. Needs momentum > 0 (with 0 it is SGD).
    Equals ``torch.optim.SGD(lr, momentum, nesterov=True)`` exactly: with torch's buffer
    ``b = −v/lr``, both take ``p ← p − lr·(g + momentum·(momentum·b + g))``.
    """

    key = "nesterov"
    title = "Nesterov"

    def _check(self) -> None:
        if np.any(np.asarray(self.momentum) == 0):
            raise ValueError("Invalid momentum: 0.0 (must be > 0 for Nesterov; 0 is plain SGD)")

    def _settled(self) -> None:
        super()._settled()
        mu, lr = self.momentum, self.lr
        self._mu_mu, self._mu_lr = const(mu * mu), const((1 + mu) * lr)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (v,) = self.buffers(key, p, "v")
        (tmp,) = self.scratch(key, p)
        np.multiply(v, self._mu_mu, out=tmp)
        p += tmp
        np.multiply(g, self._mu_lr, out=tmp)
        p -= tmp
        v *= self._mu
        np.multiply(g, self._lr, out=tmp)
        v -= tmp


class AdaGrad(Optimizer):
    """AdaGrad: each coordinate's step shrinks with the squares of all its past gradients::

        h ← h + g²
        p ← p − lr·g / (√h + eps)

    ``h`` starts at 0. Defaults ``lr = 0.01`` (book and PyTorch) and ``eps = 1e-7`` (the
    book's constant; PyTorch's Adagrad uses 1e-10).
    """

    key = "adagrad"
    title = "AdaGrad"
    hyperparams = (hypers.lr(0.01, 1e-3, 10.0), hypers.eps(1e-7))
    glyphs = (_RATE,)

    def _settled(self) -> None:
        super()._settled()
        self._lr, self._eps = const(self.lr), const(self.eps)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (h,) = self.buffers(key, p, "h")
        tmp, den = self.scratch(key, p, 2)
        np.multiply(g, g, out=tmp)
        h += tmp
        _divide_step(p, g, h, self._lr, self._eps, tmp, den)

    def effective_rate(self, key: str) -> np.ndarray:
        return self.lr / (np.sqrt(self.state[key]["h"]) + self.eps)


class RMSprop(AdaGrad):
    """RMSprop: AdaGrad with a leaky average, so old gradients are forgotten::

        h ← decay_rate·h + (1 − decay_rate)·g²
        p ← p − lr·g / (√h + eps)

    ``h`` starts at 0. Defaults ``lr = 0.01, decay_rate = 0.99`` (the book's; PyTorch calls it
    ``alpha``, same default) and ``eps = 1e-7`` (the book's; PyTorch's is 1e-8).
    """

    key = "rmsprop"
    title = "RMSprop"
    hyperparams = (
        hypers.lr(0.01, 1e-4, 1.0),
        hypers.decay("decay_rate", 0.99, "Decay of the squared-gradient average h", 0.5, 0.9999),
        hypers.eps(1e-7),
    )

    def _settled(self) -> None:
        super()._settled()
        self._rho, self._rest = const(self.decay_rate), const(1 - self.decay_rate)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        (h,) = self.buffers(key, p, "h")
        tmp, den = self.scratch(key, p, 2)
        h *= self._rho
        np.multiply(g, self._rest, out=tmp)
        tmp *= g
        h += tmp
        _divide_step(p, g, h, self._lr, self._eps, tmp, den)


def _divide_step(
    p: np.ndarray,
    g: np.ndarray,
    h: np.ndarray,
    lr: Value,
    eps: Value,
    tmp: np.ndarray,
    den: np.ndarray,
) -> None:
    """p ← p − lr·g / (√h + eps), in the book's order of operations."""
    np.multiply(g, lr, out=tmp)
    np.sqrt(h, out=den)
    den += eps
    tmp /= den
    p -= tmp


class Adam(Optimizer):
    """Adam as the book writes it, with bias correction folded into the learning rate::

        t ← t + 1                                   (once per update call)
        lr_t ← lr·√(1 − beta2^t) / (1 − beta1^t)
        m ← m + (1 − beta1)·(g − m)
        v ← v + (1 − beta2)·(g² − v)
        p ← p − lr_t·m / (√v + eps)

    ``m`` and ``v`` start at 0. Defaults ``lr = 0.001, beta1 = 0.9, beta2 = 0.999`` (book and
    PyTorch), ``eps = 1e-7`` (the book's; PyTorch's is 1e-8). Unlike ``torch.optim.Adam``, which
    adds eps to the bias-corrected √(v / (1 − beta2^t)), the book adds it to the uncorrected √v,
    so eps weighs about 1/√(1 − beta2^t) times more in early steps: the two agree only at eps = 0.
    """

    key = "adam"
    title = "Adam"
    hyperparams = (hypers.lr(0.001, 1e-4, 1.0), hypers.beta1(), hypers.beta2(), hypers.eps(1e-7))
    glyphs = (
        Glyph("m", "gradient average", uphill=True),
        Glyph("v", "effective learning rate", "rate"),
    )

    def _settled(self) -> None:
        super()._settled()
        self._rest1, self._rest2 = const(1 - self.beta1), const(1 - self.beta2)
        self._eps = const(self.eps)

    def _prepare(self) -> None:
        t = self.t
        self._lr_t = const(self.lr * np.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t))

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, v = self.buffers(key, p, "m", "v")
        tmp, den = self.scratch(key, p, 2)
        np.subtract(g, m, out=tmp)
        tmp *= self._rest1
        m += tmp
        np.multiply(g, g, out=tmp)
        tmp -= v
        tmp *= self._rest2
        v += tmp
        np.multiply(m, self._lr_t, out=tmp)
        np.sqrt(v, out=den)
        den += self._eps
        tmp /= den
        p -= tmp

    def effective_rate(self, key: str) -> np.ndarray:
        return self._lr_t / (np.sqrt(self.state[key]["v"]) + self.eps)
