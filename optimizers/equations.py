"""Each optimizer's update rule as data: lines of arithmetic a viewer can show and evaluate.

A line is ``target ← expression`` in Python's expression syntax, read top to bottom; a line sees
the values assigned by the lines above it. Names are the optimizer's hyperparameters and state
buffers, ``g`` (the gradient), ``p`` (the param), ``t`` (the update count, from 1), the Hessian's
``hxx``, ``hxy``, ``hyy``, and the temporaries earlier lines define. Functions: ``sqrt``,
``sign``, ``abs``, ``maximum``, ``minimum``, ``clip``, ``vec(x, y)``; ``a if cond else b`` works
per coordinate, and ``g[0]``/``g[1]`` pick one.

The lines restate the docstrings' equations in the code's order, so evaluating them reproduces
the optimizer's step to rounding; the explain tests hold every entry to that. They live here
rather than on the classes while the optimizer modules are being tuned for speed; a class may
declare its own ``equations`` (Newton does), which :func:`rule_of` prefers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rule:
    """``lines``: the update, in order. ``starts``: buffers that do not start at 0, as an
    expression of the hyperparameters (Rprop's step starts at lr). ``carried``: scalars an
    optimizer keeps between updates besides ``t``, by attribute name (NAdam's running product).
    ``symbols``: HTML for names whose default reading would mislead."""

    lines: tuple[str, ...]
    starts: Mapping[str, str] = field(default_factory=dict)
    carried: Mapping[str, str] = field(default_factory=dict)
    symbols: Mapping[str, str] = field(default_factory=dict)


_BC = ("bc1 ← 1 - beta1**t", "bc2 ← 1 - beta2**t")
_M_LERP = "m ← m + (1 - beta1)*(g - m)"
_M_EMA = "m ← beta1*m + (1 - beta1)*g"
_V_EMA = "v ← beta2*v + (1 - beta2)*g**2"
_DIVIDE = "p ← p - lr*g/(sqrt(h) + eps)"

EQUATIONS: dict[str, Rule] = {
    "sgd": Rule(("p ← p - lr*g",)),
    "momentum": Rule(("v ← momentum*v - lr*g", "p ← p + v")),
    "nesterov": Rule(("p ← p + momentum**2*v - (1 + momentum)*lr*g", "v ← momentum*v - lr*g")),
    "adagrad": Rule(("h ← h + g**2", _DIVIDE)),
    "rmsprop": Rule(("h ← decay_rate*h + (1 - decay_rate)*g**2", _DIVIDE)),
    "adam": Rule(
        (
            "lr_t ← lr*sqrt(1 - beta2**t)/(1 - beta1**t)",
            _M_LERP,
            "v ← v + (1 - beta2)*(g**2 - v)",
            "p ← p - lr_t*m/(sqrt(v) + eps)",
        )
    ),
    "adadelta": Rule(
        (
            "h ← rho*h + (1 - rho)*g**2",
            "delta ← sqrt(dx2 + eps)/sqrt(h + eps)*g",
            "dx2 ← rho*dx2 + (1 - rho)*delta**2",
            "p ← p - lr*delta",
        ),
        symbols={"dx2": "E[Δθ<sup>2</sup>]", "delta": "Δθ"},
    ),
    "adamw": Rule(
        (
            "p ← p*(1 - lr*weight_decay)",
            *_BC,
            _M_LERP,
            _V_EMA,
            "p ← p - lr/bc1*m/(sqrt(v)/sqrt(bc2) + eps)",
        )
    ),
    "adamax": Rule(
        (
            "bc1 ← 1 - beta1**t",
            _M_LERP,
            "u ← maximum(beta2*u, abs(g) + eps)",
            "p ← p - lr/bc1*m/u",
        )
    ),
    "nadam": Rule(
        (
            "mu ← beta1*(1 - 0.5*0.96**(t*momentum_decay))",
            "mu_next ← beta1*(1 - 0.5*0.96**((t + 1)*momentum_decay))",
            "prod ← prod*mu",
            "bc2 ← 1 - beta2**t",
            _M_LERP,
            _V_EMA,
            "den ← sqrt(v/bc2) + eps",
            "p ← p - lr*(1 - mu)/(1 - prod)*g/den - lr*mu_next/(1 - prod*mu_next)*m/den",
        ),
        carried={"prod": "_mu_product"},
        symbols={"mu": "μ<sub>t</sub>", "mu_next": "μ<sub>t+1</sub>", "prod": "Π"},
    ),
    "radam": Rule(
        (
            *_BC,
            _M_LERP,
            _V_EMA,
            "rho_inf ← 2/(1 - beta2) - 1",
            "rho_t ← rho_inf - 2*t*beta2**t/bc2",
            "r ← sqrt((rho_t - 4)*(rho_t - 2)*rho_inf/((rho_inf - 4)*(rho_inf - 2)*rho_t))"
            " if rho_t > 5 else 0",
            "k ← r*sqrt(bc2)/(sqrt(v) + eps) if rho_t > 5 else 1",
            "p ← p - lr*(m/bc1)*k",
        ),
        symbols={"rho_inf": "ρ<sub>∞</sub>", "rho_t": "ρ<sub>t</sub>"},
    ),
    "amsgrad": Rule(
        (
            *_BC,
            _M_LERP,
            _V_EMA,
            "v_max ← maximum(v_max, v)",
            "p ← p - lr/bc1*m/(sqrt(v_max)/sqrt(bc2) + eps)",
        )
    ),
    "rprop": Rule(
        (
            "s ← sign(g*prev)",
            "step ← clip(step*(eta_plus if s > 0 else eta_minus if s < 0 else 1),"
            " step_min, step_max)",
            "prev ← 0 if s < 0 else g",
            "p ← p - sign(prev)*step",
        ),
        starts={"step": "lr"},
        symbols={"prev": "g<sub>prev</sub>", "step": "Δ"},
    ),
    "lion": Rule(
        (
            "c ← beta1*m + (1 - beta1)*g",
            "p ← p - lr*(sign(c) + weight_decay*p)",
            "m ← beta2*m + (1 - beta2)*g",
        )
    ),
    "qhm": Rule(("m ← momentum*m + (1 - momentum)*g", "p ← p - lr*((1 - nu)*g + nu*m)")),
    "qhadam": Rule(
        (
            *_BC,
            _M_EMA,
            _V_EMA,
            "p ← p - lr*((1 - nu1)*g + nu1*m/bc1)/(sqrt((1 - nu2)*g**2 + nu2*v/bc2) + eps)",
        )
    ),
    "adabelief": Rule(
        (
            *_BC,
            _M_EMA,
            "s ← beta2*s + (1 - beta2)*(g - m)**2 + eps",
            "p ← p - lr*(m/bc1)/(sqrt(s/bc2) + eps)",
        )
    ),
}


def rule_of(cls: Any) -> Rule:
    """The update rule of an optimizer class: its own ``equations``, else this table's entry."""
    own = getattr(cls, "equations", None)
    if isinstance(own, Rule):
        return own
    try:
        return EQUATIONS[cls.key]
    except KeyError:
        raise ValueError(f"{cls.__name__} declares no equations") from None
