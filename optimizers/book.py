"""The six optimizers of "Deep Learning from Scratch" (Saitou), ``common/optimizer.py``.

Constructor arguments, their order and defaults are the book's, and so is the arithmetic, down to
the order of operations: each rule below is the book's line of numpy read as an equation, and a
run reproduces the book's code bit for bit. Those with a division take ``eps`` (the book
hard-codes 1e-7).
"""

from __future__ import annotations

import numpy as np

from optimizers import hypers
from optimizers.base import Glyph, Optimizer
from optimizers.rule import Rule

_RATE = Glyph("h", "effective learning rate", "rate")
_DIVIDE = "p ← p - lr*g/(sqrt(h) + eps)"


class SGD(Optimizer):
    """Stochastic gradient descent. No state. Default ``lr = 0.01`` is the book's; PyTorch's
    SGD defaults to 1e-3."""

    key = "sgd"
    title = "SGD"
    hyperparams = (hypers.lr(0.01, 1e-4, 2.0),)
    rule = Rule(("p ← p - lr*g",))


class Momentum(Optimizer):
    """Momentum SGD, the book's form (the velocity carries the learning rate). ``v`` starts at
    0. Defaults ``lr = 0.01, momentum = 0.9`` are the book's (PyTorch's SGD: lr 1e-3,
    momentum 0). Equals ``torch.optim.SGD(lr, momentum)`` exactly, whose buffer is ``−v/lr``."""

    key = "momentum"
    title = "Momentum"
    hyperparams = (hypers.lr(0.01, 1e-4, 1.0), hypers.momentum())
    glyphs = (Glyph("v", "velocity"),)
    rule = Rule(("v ← momentum*v - lr*g", "p ← p + v"), state=("v",))


class Nesterov(Momentum):
    """Nesterov's accelerated gradient in the book's corrected form (see its errata): the first
    line moves with the previous velocity. ``v`` starts at 0. Defaults as :class:`Momentum`.
    Needs momentum > 0 (with 0 it is SGD). Equals ``torch.optim.SGD(lr, momentum,
    nesterov=True)`` exactly: with torch's buffer ``b = −v/lr``, both take
    ``p ← p − lr·(g + momentum·(momentum·b + g))``."""

    key = "nesterov"
    title = "Nesterov"
    rule = Rule(
        ("p ← p + momentum**2*v - (1 + momentum)*lr*g", "v ← momentum*v - lr*g"), state=("v",)
    )

    def _check(self) -> None:
        if np.any(np.asarray(self.momentum) == 0):
            raise ValueError("Invalid momentum: 0.0 (must be > 0 for Nesterov; 0 is plain SGD)")


class AdaGrad(Optimizer):
    """AdaGrad: each coordinate's step shrinks with the squares of all its past gradients.
    ``h`` starts at 0. Defaults ``lr = 0.01`` (book and PyTorch) and ``eps = 1e-7`` (the book's
    constant; PyTorch's Adagrad uses 1e-10)."""

    key = "adagrad"
    title = "AdaGrad"
    hyperparams = (hypers.lr(0.01, 1e-3, 10.0), hypers.eps(1e-7))
    glyphs = (_RATE,)
    rule = Rule(("h ← h + g**2", _DIVIDE), state=("h",), rate="lr/(sqrt(h) + eps)")


class RMSprop(AdaGrad):
    """RMSprop: AdaGrad with a leaky average, so old gradients are forgotten. ``h`` starts at
    0. Defaults ``lr = 0.01, decay_rate = 0.99`` (the book's; PyTorch calls it ``alpha``, same
    default) and ``eps = 1e-7`` (the book's; PyTorch's is 1e-8)."""

    key = "rmsprop"
    title = "RMSprop"
    hyperparams = (
        hypers.lr(0.01, 1e-4, 1.0),
        hypers.decay("decay_rate", 0.99, "Decay of the squared-gradient average h", 0.5, 0.9999),
        hypers.eps(1e-7),
    )
    rule = Rule(
        ("h ← decay_rate*h + (1 - decay_rate)*g*g", _DIVIDE),
        state=("h",),
        rate="lr/(sqrt(h) + eps)",
    )


class Adam(Optimizer):
    """Adam as the book writes it, with bias correction folded into the learning rate, ``t``
    counting update calls. ``m`` and ``v`` start at 0. Defaults ``lr = 0.001, beta1 = 0.9,
    beta2 = 0.999`` (book and PyTorch), ``eps = 1e-7`` (the book's; PyTorch's is 1e-8). Unlike
    ``torch.optim.Adam``, which adds eps to the bias-corrected √(v / (1 − beta2^t)), the book
    adds it to the uncorrected √v, so eps weighs about 1/√(1 − beta2^t) times more in early
    steps: the two agree only at eps = 0."""

    key = "adam"
    title = "Adam"
    hyperparams = (hypers.lr(0.001, 1e-4, 1.0), hypers.beta1(), hypers.beta2(), hypers.eps(1e-7))
    glyphs = (
        Glyph("m", "gradient average", uphill=True),
        Glyph("v", "effective learning rate", "rate"),
    )
    rule = Rule(
        (
            "lr_t ← lr*sqrt(1 - beta2**t)/(1 - beta1**t)",
            "m ← m + (1 - beta1)*(g - m)",
            "v ← v + (1 - beta2)*(g**2 - v)",
            "p ← p - lr_t*m/(sqrt(v) + eps)",
        ),
        state=("m", "v"),
        rate="lr_t/(sqrt(v) + eps)",
        symbols={"lr_t": "η<sub>t</sub>"},
    )
