"""Every optimizer by its short name, in the order menus list them: the book's six first."""

from __future__ import annotations

from typing import Any

from optimizers import torch_bridge
from optimizers.adam_family import Adamax, AdamW, AMSGrad, NAdam, RAdam
from optimizers.adan import Adan
from optimizers.adaptive import AdaDelta, Rprop
from optimizers.base import Optimizer
from optimizers.book import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from optimizers.newton import Newton
from optimizers.papers import QHM, AdaBelief, Lion, QHAdam


class Registry(dict):
    """Our optimizers by short name, in the order menus list them. A dotted path
    (``torch.optim.AdamW``) also finds a PyTorch optimizer (:mod:`optimizers.torch_bridge`),
    built on first use; iterating lists only our own."""

    def __missing__(self, key: str) -> type[Optimizer]:
        if isinstance(key, str) and torch_bridge.is_torch_key(key):
            try:
                return torch_bridge.torch_class(key)
            except ValueError as exc:
                raise KeyError(str(exc)) from None
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        try:
            self[key]
        except KeyError:
            return False
        return True


def lookup(key: str) -> type[Optimizer]:
    """The class for ``key``; ValueError says why there is none (unknown, or a PyTorch
    optimizer that cannot be had: not installed, not allowed to be imported, …)."""
    if dict.__contains__(REGISTRY, key):
        return REGISTRY[key]
    if torch_bridge.is_torch_key(key):
        return torch_bridge.torch_class(key)
    raise ValueError(f"Unknown optimizer {key!r}; known: {', '.join(REGISTRY)}")


REGISTRY: Registry = Registry(
    (cls.key, cls)
    for cls in (
        SGD,
        Momentum,
        Nesterov,
        AdaGrad,
        RMSprop,
        Adam,
        AdaDelta,
        AdamW,
        Adamax,
        NAdam,
        RAdam,
        AMSGrad,
        Rprop,
        Lion,
        QHM,
        QHAdam,
        AdaBelief,
        Adan,
        Newton,
    )
)


def create(key: str, *args: Any, **hyper: Any) -> Optimizer:
    """``create("adam", lr=0.3)``: an optimizer by its short name."""
    return lookup(key)(*args, **hyper)
