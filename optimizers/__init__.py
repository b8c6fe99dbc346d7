"""Gradient-descent optimizers with the book's ``update(params, grads)`` interface; numpy only."""

from optimizers.adam_family import Adamax, AdamW, AMSGrad, NAdam, RAdam
from optimizers.adan import Adan
from optimizers.adaptive import AdaDelta, Rprop
from optimizers.base import Glyph, Hyper, Optimizer
from optimizers.book import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from optimizers.newton import Newton
from optimizers.papers import QHM, AdaBelief, Lion, QHAdam
from optimizers.registry import REGISTRY, create

__all__ = [
    "QHM",
    "REGISTRY",
    "SGD",
    "AMSGrad",
    "AdaBelief",
    "AdaDelta",
    "AdaGrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Adan",
    "Glyph",
    "Hyper",
    "Lion",
    "Momentum",
    "NAdam",
    "Nesterov",
    "Newton",
    "Optimizer",
    "QHAdam",
    "RAdam",
    "RMSprop",
    "Rprop",
    "create",
]
