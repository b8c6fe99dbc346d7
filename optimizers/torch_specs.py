"""Hyperparameter specs read from a PyTorch optimizer's constructor, so that any optimizer a
user already has gets sliders, validation and a place in session files like ours.

Floats become sliders (log around the default for rates and eps; [0, 1) for betas, momentum
and other forgetting factors), tuples of floats one slider per entry (``betas`` →
``betas_0``, ``betas_1``), booleans check boxes (``kind="bool"``), whole numbers integer
sliders (``kind="int"``). Arguments about how torch computes rather than what (``foreach``,
``fused``, ``maximize``, …) and those without a numeric default keep torch's default.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Any

from optimizers.base import Hyper

# Implementation switches, not hyperparameters: they change how torch runs a step, or (maximize)
# turn descent into ascent, which no racer on a surface wants.
SKIPPED = frozenset(
    {"params", "maximize", "foreach", "capturable", "differentiable", "fused", "decoupled"}
)
DECAYS = ("beta", "momentum", "rho", "alpha", "dampening", "gamma", "mu", "nu", "decay_rate")


@dataclass(frozen=True)
class Arg:
    """One constructor argument: its name, its kind and the names of its sliders."""

    name: str
    kind: str  # "float", "int", "bool" or "tuple"
    names: tuple[str, ...]

    def value(self, settings: dict[str, float]) -> Any:
        values = [settings[n] for n in self.names]
        if self.kind == "bool":
            return values[0] >= 0.5
        if self.kind == "int":
            return round(values[0])
        if self.kind == "tuple":
            return tuple(values)
        return values[0]


def read_signature(cls: type) -> tuple[tuple[Hyper, ...], tuple[Arg, ...]]:
    """The sliders (as ``Hyper`` specs) and constructor arguments of ``cls``.

    Raises ValueError for a class whose constructor needs anything besides ``params`` (a
    wrapper around another optimizer, say): it cannot be built from sliders alone."""
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{cls.__name__}: cannot read its constructor ({exc})") from None
    hypers: list[Hyper] = []
    args: list[Arg] = []
    for p in list(signature.parameters.values())[1:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in SKIPPED:
            continue
        if p.default is p.empty:
            raise ValueError(
                f"{cls.__name__} needs {p.name!r}, which a slider cannot give: it cannot race"
            )
        default = p.default
        if _written_as_int(p, default):
            default = float(default)  # torch's SGD writes momentum=0, L-BFGS lr=1: not counts
        arg = _arg(p.name, default)
        if arg is None:
            continue
        defaults = default if arg.kind == "tuple" else (default,)
        kind = "float" if arg.kind == "tuple" else arg.kind
        for name, value in zip(arg.names, defaults, strict=True):
            hypers.append(_spec(name, p.name, float(value), kind))
        args.append(arg)
    return tuple(hypers), tuple(args)


def _written_as_int(p: inspect.Parameter, default: Any) -> bool:
    """A whole-number default of a float argument: annotated float, or a rate, or (with no
    annotation to go by) 0 or 1."""
    if not isinstance(default, int) or isinstance(default, bool):
        return False
    annotation = "" if p.annotation is p.empty else str(p.annotation)
    if "float" in annotation or "lr" in p.name.lower():
        return True
    return not annotation and default in (0, 1)


def _arg(name: str, default: Any) -> Arg | None:
    if isinstance(default, bool):
        return Arg(name, "bool", (name,))
    if isinstance(default, int):
        return Arg(name, "int", (name,))
    if isinstance(default, float) and math.isfinite(default):
        return Arg(name, "float", (name,))
    if (
        isinstance(default, tuple)
        and default
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in default)
        and all(math.isfinite(v) for v in default)
    ):
        return Arg(name, "tuple", tuple(f"{name}_{i}" for i in range(len(default))))
    return None  # None, strings, tensors, callables: torch's default stands


def _spec(name: str, arg: str, default: float, kind: str) -> Hyper:
    help_text = f"torch argument {arg!r}" + ("" if name == arg else f", entry {name[-1]}")
    common = {"help": help_text, "minimum": -math.inf, "kind": kind}
    if kind == "bool":
        return Hyper(name, default, 0.0, 1.0, **common)
    if kind == "int":
        high = max(2.0 * default, default + 10.0)
        return Hyper(name, default, min(0.0, default), high, **common)
    lowered = arg.lower()
    if any(lowered.startswith(d) for d in DECAYS) and 0.0 <= default < 1.0:
        return Hyper(name, default, 0.0, max(0.999, default), **common)
    if default > 0 and ("lr" in lowered or "eps" in lowered or "rate" in lowered):
        return Hyper(name, default, default / 1000, default * 100, log=True, **common)
    if default > 0:
        return Hyper(name, default, 0.0, 10 * default, **common)
    if default == 0:
        return Hyper(name, default, 0.0, 1.0, **common)
    return Hyper(name, default, 10 * default, -10 * default, **common)
