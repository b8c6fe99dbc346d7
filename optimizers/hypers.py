"""Hyperparameter specs shared by many optimizers, so one name means one thing everywhere."""

from __future__ import annotations

from optimizers.base import Hyper


def lr(default: float, low: float, high: float) -> Hyper:
    return Hyper(
        "lr",
        default,
        low,
        high,
        log=True,
        exclusive_min=True,
        help="Learning rate: how far each step moves",
    )


def momentum(
    default: float = 0.9, help: str = "Share of the previous velocity kept each step"
) -> Hyper:
    return decay("momentum", default, help)


def decay(name: str, default: float, help: str, low: float = 0.0, high: float = 0.99) -> Hyper:
    """A forgetting factor in [0, 1): the share of a running average kept each step."""
    return Hyper(name, default, low, high, help=help, maximum=1.0, exclusive_max=True)


def beta1(default: float = 0.9, help: str = "Decay of the gradient average m") -> Hyper:
    return decay("beta1", default, help)


def beta2(default: float = 0.999, help: str = "Decay of the squared-gradient average v") -> Hyper:
    return decay("beta2", default, help, 0.5, 0.9999)


def eps(default: float, low: float = 1e-12, high: float = 1e-1) -> Hyper:
    return Hyper(
        "eps",
        default,
        low,
        high,
        log=True,
        help="Added to the denominator so a near-zero average cannot blow the step up",
    )


def weight_decay(default: float) -> Hyper:
    return Hyper(
        "weight_decay",
        default,
        0.0,
        0.5,
        help="Pulls the parameters toward 0 by lr·weight_decay of themselves each step",
    )
