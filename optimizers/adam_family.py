"""Adam's relatives, following torch.optim's documented update rules and default values.

With the same hyperparameters each reproduces its ``torch.optim`` counterpart in float64 to
rounding (tests/test_torch_reference.py). Notation: t counts update calls from 1,
bc1 = 1 − beta1^t and bc2 = 1 − beta2^t; every buffer starts at 0.
"""

from __future__ import annotations

import numpy as np

from optimizers import hypers
from optimizers.base import Glyph, Hyper, Optimizer, const
from optimizers.moments import ema_square_, lerp_

_M = Glyph("m", "gradient average", uphill=True)
_RATE = Glyph("v", "effective learning rate", "rate")


def _adam_hypers(lr: float, low: float = 1e-4, high: float = 1.0) -> tuple[Hyper, ...]:
    return (hypers.lr(lr, low, high), hypers.beta1(), hypers.beta2(), hypers.eps(1e-8))


class _Moments(Optimizer):
    """Adam's running averages m and v, updated as torch does, for the family to share."""

    def _settled(self) -> None:
        super()._settled()
        self._rest1, self._beta2 = const(1 - self.beta1), const(self.beta2)
        self._rest2, self._eps = const(1 - self.beta2), const(self.eps)

    def _moments(self, key: str, p: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, ...]:
        """m and v after this step's update, and two scratch arrays."""
        m, v = self.buffers(key, p, "m", "v")
        tmp, den = self.scratch(key, p, 2)
        lerp_(m, g, self._rest1, tmp)
        ema_square_(v, g, self._beta2, tmp, rest=self._rest2)
        return m, v, tmp, den


class _TorchAdam(_Moments):
    """``torch.optim.Adam``'s arithmetic, shared by :class:`AMSGrad` and :class:`AdamW`."""

    hyperparams = _adam_hypers(0.001)
    glyphs = (_M, _RATE)
    _amsgrad = False

    def _prepare(self) -> None:
        t = self.t
        self._step_size = const(self.lr / (1 - self.beta1**t))
        self._bc2_sqrt = const((1 - self.beta2**t) ** 0.5)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, v, tmp, den = self._moments(key, p, g)
        if self._amsgrad:
            (v_max,) = self.buffers(key, p, "v_max")
            np.maximum(v_max, v, out=v_max)
            v = v_max
        np.sqrt(v, out=den)
        den /= self._bc2_sqrt
        den += self._eps
        np.multiply(m, self._step_size, out=tmp)
        tmp /= den
        p -= tmp

    def effective_rate(self, key: str) -> np.ndarray:
        second = self.state[key]["v_max" if self._amsgrad else "v"]
        return self._step_size / (np.sqrt(second) / self._bc2_sqrt + self.eps)


class AMSGrad(_TorchAdam):
    """AMSGrad (Reddi et al. 2018): Adam whose denominator never shrinks::

        m ← m + (1 − beta1)·(g − m)
        v ← beta2·v + (1 − beta2)·g²
        v_max ← max(v_max, v)
        p ← p − (lr / bc1)·m / (√v_max / √bc2 + eps)

    This is ``torch.optim.Adam(amsgrad=True)``, with its defaults (lr 1e-3, betas 0.9/0.999,
    eps 1e-8).
    """

    key = "amsgrad"
    title = "AMSGrad"
    glyphs = (_M, Glyph("v_max", "effective learning rate", "rate"))
    _amsgrad = True


class AdamW(_TorchAdam):
    """AdamW (Loshchilov & Hutter 2019): Adam with weight decay taken out of the gradient::

        p ← p·(1 − lr·weight_decay)
        m ← m + (1 − beta1)·(g − m)
        v ← beta2·v + (1 − beta2)·g²
        p ← p − (lr / bc1)·m / (√v / √bc2 + eps)

    ``torch.optim.AdamW`` with its defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay
    0.01). With ``weight_decay = 0`` it is ``torch.optim.Adam``: PyTorch's Adam, eps included.
    """

    key = "adamw"
    title = "AdamW"
    hyperparams = (*_adam_hypers(0.001), hypers.weight_decay(0.01))

    def _settled(self) -> None:
        super()._settled()
        self._decay = const(1 - self.lr * self.weight_decay)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        p *= self._decay
        super()._step(key, p, g)


class Adamax(Optimizer):
    """Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm in place of √v::

        m ← m + (1 − beta1)·(g − m)
        u ← max(beta2·u, |g| + eps)
        p ← p − (lr / bc1)·m / u

    ``torch.optim.Adamax`` with its defaults (lr 2e-3, betas 0.9/0.999, eps 1e-8).
    """

    key = "adamax"
    title = "Adamax"
    hyperparams = _adam_hypers(0.002)
    glyphs = (_M, Glyph("u", "effective learning rate", "rate"))

    def _prepare(self) -> None:
        self._step_size = self.lr / (1 - self.beta1**self.t)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, u = self.buffers(key, p, "m", "u")
        (tmp,) = self.scratch(key, p)
        lerp_(m, g, 1 - self.beta1, tmp)
        u *= self.beta2
        np.abs(g, out=tmp)
        tmp += self.eps
        np.maximum(u, tmp, out=u)
        np.multiply(m, self._step_size, out=tmp)
        tmp /= u
        p -= tmp

    def effective_rate(self, key: str) -> np.ndarray:
        return self._step_size / self.state[key]["u"]


class NAdam(_Moments):
    """NAdam (Dozat 2016): Adam with Nesterov momentum and a warming-up momentum schedule::

        μ_t ← beta1·(1 − ½·0.96^(t·momentum_decay)),   Π_t ← μ_1·μ_2·…·μ_t
        m ← m + (1 − beta1)·(g − m)
        v ← beta2·v + (1 − beta2)·g²
        d ← √(v / bc2) + eps
        p ← p − lr·(1 − μ_t)/(1 − Π_t)·g/d − lr·μ_{t+1}/(1 − Π_t·μ_{t+1})·m/d

    ``torch.optim.NAdam`` with its defaults (lr 2e-3, betas 0.9/0.999, eps 1e-8, momentum
    decay 4e-3). The product Π is one running scalar per optimizer, like ``t``.
    """

    key = "nadam"
    title = "NAdam"
    hyperparams = (
        *_adam_hypers(0.002),
        Hyper(
            "momentum_decay",
            0.004,
            0.0,
            0.1,
            help="How fast the momentum schedule μ_t warms up toward beta1",
        ),
    )
    glyphs = (_M, _RATE)

    def reset(self) -> None:
        super().reset()
        self._mu_product: float | np.ndarray = 1.0

    def _prepare(self) -> None:
        t, b1, psi, lr = self.t, self.beta1, self.momentum_decay, self.lr
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        self._mu_product = self._mu_product * mu
        self._bc2 = 1 - self.beta2**t
        self._c_grad = -lr * (1.0 - mu) / (1.0 - self._mu_product)
        self._c_avg = (-lr * mu_next) / (1.0 - self._mu_product * mu_next)

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, v, tmp, den = self._moments(key, p, g)
        np.divide(v, self._bc2, out=den)
        np.sqrt(den, out=den)
        den += self.eps
        np.multiply(g, self._c_grad, out=tmp)
        tmp /= den
        p += tmp
        np.multiply(m, self._c_avg, out=tmp)
        tmp /= den
        p += tmp

    def effective_rate(self, key: str) -> np.ndarray:
        return self.lr / (np.sqrt(self.state[key]["v"] / self._bc2) + self.eps)


class RAdam(_Moments):
    """RAdam (Liu et al. 2020): Adam that stays SGD with momentum until v can be trusted::

        m ← m + (1 − beta1)·(g − m)
        v ← beta2·v + (1 − beta2)·g²
        ρ_∞ = 2/(1 − beta2) − 1,   ρ_t = ρ_∞ − 2t·beta2^t / bc2
        if ρ_t > 5:  r = √((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))
                     p ← p − lr·(m / bc1)·r·√bc2 / (√v + eps)
        else:        p ← p − lr·(m / bc1)

    ``torch.optim.RAdam`` with its defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8). With the
    default beta2 the first five steps are the plain-momentum kind.
    """

    key = "radam"
    title = "RAdam"
    hyperparams = _adam_hypers(0.001)
    glyphs = (_M, _RATE)

    def _prepare(self) -> None:
        t, b2 = self.t, self.beta2
        self._bc1 = 1 - self.beta1**t
        self._bc2_sqrt = (1 - b2**t) ** 0.5
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * t * (b2**t) / (1 - b2**t)
        # An array beta2 may rectify some sweep points and not others: mask, never branch.
        self._adaptive = rho_t > 5.0
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            self._rect = np.sqrt(np.where(self._adaptive, r2, 1.0))

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        m, v, tmp, den = self._moments(key, p, g)
        np.divide(m, self._bc1, out=tmp)
        tmp *= self.lr
        if np.any(self._adaptive):
            np.sqrt(v, out=den)
            den += self.eps
            np.divide(self._bc2_sqrt, den, out=den)
            np.multiply(tmp, den, out=tmp, where=self._adaptive)
            np.multiply(tmp, self._rect, out=tmp, where=self._adaptive)
        p -= tmp

    def effective_rate(self, key: str) -> np.ndarray:
        v = self.state[key]["v"]
        adaptive = self._rect * self._bc2_sqrt / (np.sqrt(v) + self.eps)
        return self.lr / self._bc1 * np.where(self._adaptive, adaptive, 1.0)
