"""Every optimizer by its short name, in the order menus list them: the book's six first."""

from __future__ import annotations

from typing import Any

from optimizers.adam_family import Adamax, AdamW, AMSGrad, NAdam, RAdam
from optimizers.adaptive import AdaDelta, Rprop
from optimizers.base import Optimizer
from optimizers.book import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from optimizers.newton import Newton
from optimizers.papers import QHM, AdaBelief, Lion, QHAdam

REGISTRY: dict[str, type[Optimizer]] = {
    cls.key: cls
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
        Newton,
    )
}


def create(key: str, *args: Any, **hyper: Any) -> Optimizer:
    """``create("adam", lr=0.3)``: an optimizer by its short name."""
    try:
        cls = REGISTRY[key]
    except KeyError:
        raise ValueError(f"Unknown optimizer {key!r}; known: {', '.join(REGISTRY)}") from None
    return cls(*args, **hyper)
