"""Adam's relatives, following torch.optim's documented update rules and default values.

With the same hyperparameters each reproduces its ``torch.optim`` counterpart in float64 to
rounding (tests/test_torch_reference.py): the lines keep torch's order of operations. Notation:
t counts update calls from 1, bc1 = 1 − beta1^t and bc2 = 1 − beta2^t; every buffer starts at 0.
"""

from __future__ import annotations

from optimizers import hypers
from optimizers.base import Glyph, Hyper, Optimizer
from optimizers.rule import Rule

_M = Glyph("m", "gradient average", uphill=True)
_RATE = Glyph("v", "effective learning rate", "rate")
# torch's m.lerp_(g, 1 − beta1) and v.mul_(beta2).addcmul_(g, g, value=1 − beta2)
MOMENTS = ("m ← m + (1 - beta1)*(g - m)", "v ← beta2*v + (1 - beta2)*g*g")
_CORRECTED = ("step_size ← lr/(1 - beta1**t)", "bc2_sqrt ← sqrt(1 - beta2**t)")
_SYMBOLS = {"step_size": "η/bc<sub>1</sub>", "bc2_sqrt": "√bc<sub>2</sub>"}


def _adam_hypers(lr: float, low: float = 1e-4, high: float = 1.0) -> tuple[Hyper, ...]:
    return (hypers.lr(lr, low, high), hypers.beta1(), hypers.beta2(), hypers.eps(1e-8))


class AMSGrad(Optimizer):
    """AMSGrad (Reddi et al. 2018): Adam whose denominator never shrinks. This is
    ``torch.optim.Adam(amsgrad=True)``, with its defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8).
    """

    key = "amsgrad"
    title = "AMSGrad"
    hyperparams = _adam_hypers(0.001)
    glyphs = (_M, Glyph("v_max", "effective learning rate", "rate"))
    rule = Rule(
        (
            *_CORRECTED,
            *MOMENTS,
            "v_max ← maximum(v_max, v)",
            "p ← p - step_size*m/(sqrt(v_max)/bc2_sqrt + eps)",
        ),
        state=("m", "v", "v_max"),
        rate="step_size/(sqrt(v_max)/bc2_sqrt + eps)",
        symbols=_SYMBOLS,
    )


class AdamW(Optimizer):
    """AdamW (Loshchilov & Hutter 2019): Adam with weight decay taken out of the gradient.
    ``torch.optim.AdamW`` with its defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay
    0.01). With ``weight_decay = 0`` it is ``torch.optim.Adam``: PyTorch's Adam, eps included.
    """

    key = "adamw"
    title = "AdamW"
    hyperparams = (*_adam_hypers(0.001), hypers.weight_decay(0.01))
    glyphs = (_M, _RATE)
    rule = Rule(
        (
            "p ← p*(1 - lr*weight_decay)",
            *_CORRECTED,
            *MOMENTS,
            "p ← p - step_size*m/(sqrt(v)/bc2_sqrt + eps)",
        ),
        state=("m", "v"),
        rate="step_size/(sqrt(v)/bc2_sqrt + eps)",
        symbols=_SYMBOLS,
    )


class Adamax(Optimizer):
    """Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm u in place of √v.
    ``torch.optim.Adamax`` with its defaults (lr 2e-3, betas 0.9/0.999, eps 1e-8)."""

    key = "adamax"
    title = "Adamax"
    hyperparams = _adam_hypers(0.002)
    glyphs = (_M, Glyph("u", "effective learning rate", "rate"))
    rule = Rule(
        (
            "step_size ← lr/(1 - beta1**t)",
            MOMENTS[0],
            "u ← maximum(beta2*u, abs(g) + eps)",
            "p ← p - step_size*m/u",
        ),
        state=("m", "u"),
        rate="step_size/u",
        symbols=_SYMBOLS,
    )


class NAdam(Optimizer):
    """NAdam (Dozat 2016): Adam with Nesterov momentum and a warming-up momentum schedule μ_t;
    Π is the running product μ_1·μ_2·…·μ_t, one scalar per optimizer, like ``t``.
    ``torch.optim.NAdam`` with its defaults (lr 2e-3, betas 0.9/0.999, eps 1e-8, momentum
    decay 4e-3)."""

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
    rule = Rule(
        (
            "mu ← beta1*(1 - 0.5*0.96**(t*momentum_decay))",
            "mu_next ← beta1*(1 - 0.5*0.96**((t + 1)*momentum_decay))",
            "prod ← prod*mu",
            "bc2 ← 1 - beta2**t",
            "c_grad ← -lr*(1 - mu)/(1 - prod)",
            "c_avg ← -lr*mu_next/(1 - prod*mu_next)",
            *MOMENTS,
            "den ← sqrt(v/bc2) + eps",
            "p ← p + c_grad*g/den + c_avg*m/den",
        ),
        state=("m", "v"),
        carried={"prod": "1"},
        rate="lr/(sqrt(v/bc2) + eps)",
        symbols={"mu": "μ<sub>t</sub>", "mu_next": "μ<sub>t+1</sub>", "prod": "Π"},
    )


class RAdam(Optimizer):
    """RAdam (Liu et al. 2020): Adam that stays SGD with momentum until v can be trusted (while
    ρ_t ≤ 5, r and k are 1). ``torch.optim.RAdam`` with its defaults (lr 1e-3, betas
    0.9/0.999, eps 1e-8). With the default beta2 the first five steps are the plain-momentum
    kind; an array beta2 may rectify some sweep points and not others (k is chosen per element).
    """

    key = "radam"
    title = "RAdam"
    hyperparams = _adam_hypers(0.001)
    glyphs = (_M, _RATE)
    rule = Rule(
        (
            "bc1 ← 1 - beta1**t",
            "bc2 ← 1 - beta2**t",
            *MOMENTS,
            "rho_inf ← 2/(1 - beta2) - 1",
            "rho_t ← rho_inf - 2*t*beta2**t/bc2",
            "r ← sqrt((rho_t - 4)*(rho_t - 2)*rho_inf/((rho_inf - 4)*(rho_inf - 2)*rho_t))"
            " if rho_t > 5 else 1",
            "k ← r*sqrt(bc2)/(sqrt(v) + eps) if rho_t > 5 else 1",
            "p ← p - lr*(m/bc1)*k",
        ),
        state=("m", "v"),
        rate="lr/bc1*(r*sqrt(bc2)/(sqrt(v) + eps) if rho_t > 5 else 1)",
        symbols={"rho_inf": "ρ<sub>∞</sub>", "rho_t": "ρ<sub>t</sub>"},
    )
