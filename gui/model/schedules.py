"""Learning-rate schedules as data: a key, a title, parameter specs, and a pure factor(t).

A racer's learning rate at step t is ``lr × factor(t)``, where t counts the updates already taken
(0 for the first update) — torch.optim.lr_scheduler's ``last_epoch`` when ``scheduler.step()``
follows every ``optimizer.step()``. The formulas are torch's closed forms, as fractions of the
base rate so one schedule fits any racer:

- ``step``: γ^⌊t / step_size⌋ (``StepLR``)
- ``exponential``: γ^t (``ExponentialLR``)
- ``cosine``: floor + (1 − floor)·(1 + cos(π·min(t, steps)/steps))/2 (``CosineAnnealingLR`` with
  eta_min = floor·lr; torch's keeps going round the cosine after ``steps``, ours holds the floor)
- ``warmup``: start + (1 − start)·min(t, warmup)/warmup (``LinearLR`` with end_factor 1)
- ``warmup_cosine``: warm-up, then the cosine over the next ``steps`` steps (``SequentialLR`` of
  the two)

Every factor lies in [0, 1]. Parameters are :class:`optimizers.Hyper` specs, so the panels that
build hyperparameter sliders build these too; those in ``integers`` count steps and are rounded.
A racer keeps its schedule as plain data, ``{"key": "cosine", "params": {"steps": 500.0, ...}}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizers import Hyper, Optimizer
from optimizers.base import Value


@dataclass(frozen=True)
class Schedule:
    key: str
    title: str
    help: str
    params: tuple[Hyper, ...]
    rule: Callable[..., np.ndarray]
    integers: frozenset[str] = frozenset()

    def checked(self, values: Mapping[str, Any]) -> dict[str, float]:
        """All parameters, defaults filled in, step counts rounded; nonsense raises ValueError
        naming the parameter, e.g. ``Invalid gamma: 1.5 (must be in (0, 1])``."""
        specs = {h.name: h for h in self.params}
        unknown = sorted(set(values) - set(specs))
        if unknown:
            raise ValueError(
                f"Schedule {self.key!r} has no parameter(s) {unknown}; it has {list(specs)}"
            )
        out = {}
        for h in self.params:
            value = values.get(h.name, h.default)
            h.check(value)
            # Step counts have minimum 1 and no maximum, so rounding cannot leave the range.
            out[h.name] = float(round(float(value)) if h.name in self.integers else value)
        return out

    def factor(self, t: Any, **values: Any) -> np.ndarray:
        """factor(t) for every t of an array (e.g. ``np.arange(500)`` for the lr-curve plot)."""
        return self.rule(np.asarray(t, dtype=float), **self.checked(values))


def _steps(name: str, default: float, help: str) -> Hyper:
    return Hyper(name, default, 1.0, 1e5, log=True, minimum=1.0, help=help)


def _share(name: str, default: float, low: float, high: float, help: str, **kw: Any) -> Hyper:
    return Hyper(name, default, low, high, maximum=1.0, help=help, **kw)


_GAMMA_HELP = "Factor the learning rate is multiplied by"
_WARMUP = _steps("warmup", 50.0, "Steps over which the rate rises linearly to the full rate")
_START = _share(
    "start", 0.01, 1e-3, 1.0, "Share of the full rate at step 0", log=True, exclusive_min=True
)
_COSINE = _steps("steps", 500.0, "Steps the cosine takes to fall from the full rate to the floor")
_FLOOR = _share("floor", 0.0, 0.0, 0.5, "Share of the full rate the cosine ends at")


def _constant(t: np.ndarray) -> np.ndarray:
    return np.ones_like(t)


def _step(t: np.ndarray, step_size: float, gamma: float) -> np.ndarray:
    return gamma ** np.floor(t / step_size)


def _exponential(t: np.ndarray, gamma: float) -> np.ndarray:
    return gamma**t


def _cosine(t: np.ndarray, steps: float, floor: float) -> np.ndarray:
    return floor + (1 - floor) * (1 + np.cos(np.pi * np.minimum(t, steps) / steps)) / 2


def _warmup(t: np.ndarray, warmup: float, start: float) -> np.ndarray:
    return start + (1 - start) * np.minimum(t, warmup) / warmup


def _warmup_cosine(
    t: np.ndarray, warmup: float, start: float, steps: float, floor: float
) -> np.ndarray:
    return np.where(t < warmup, _warmup(t, warmup, start), _cosine(t - warmup, steps, floor))


SCHEDULES: dict[str, Schedule] = {
    s.key: s
    for s in (
        Schedule("constant", "Constant", "The same learning rate at every step", (), _constant),
        Schedule(
            "step",
            "Step decay",
            "Multiply the rate by γ every step_size steps",
            (
                _steps("step_size", 100.0, "Steps between two drops of the rate"),
                _share("gamma", 0.5, 0.05, 1.0, _GAMMA_HELP + " at each drop", exclusive_min=True),
            ),
            _step,
            frozenset({"step_size"}),
        ),
        Schedule(
            "exponential",
            "Exponential decay",
            "Multiply the rate by γ at every step",
            (_share("gamma", 0.99, 0.9, 0.9999, _GAMMA_HELP + " each step", exclusive_min=True),),
            _exponential,
        ),
        Schedule(
            "cosine",
            "Cosine",
            "Fall along half a cosine from the full rate to the floor, then stay there",
            (_COSINE, _FLOOR),
            _cosine,
            frozenset({"steps"}),
        ),
        Schedule(
            "warmup",
            "Linear warm-up",
            "Rise linearly from a small share of the rate, then stay at the full rate",
            (_WARMUP, _START),
            _warmup,
            frozenset({"warmup"}),
        ),
        Schedule(
            "warmup_cosine",
            "Warm-up + cosine",
            "Rise linearly, then fall along half a cosine to the floor",
            (_WARMUP, _START, _COSINE, _FLOOR),
            _warmup_cosine,
            frozenset({"warmup", "steps"}),
        ),
    )
}


def constant() -> dict[str, Any]:
    """A racer's default schedule, as plain data."""
    return {"key": "constant", "params": {}}


def normalised(key: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The plain-data schedule ``{"key": ..., "params": {...}}``, checked and complete."""
    if key not in SCHEDULES:
        raise ValueError(f"Unknown schedule {key!r}; known: {', '.join(SCHEDULES)}")
    return {"key": key, "params": SCHEDULES[key].checked(values)}


BLOCK = 1024  # factors computed per call: one numpy call, then a list lookup per step


class LearningRates:
    """``lr × factor(t)`` for a stepping loop, without re-validating anything per step: the
    schedule was checked when it was set, and factors are computed BLOCK steps at a time."""

    def __init__(self, schedule: Schedule, params: Mapping[str, float], base: Value) -> None:
        self._rule, self._params, self._base = schedule.rule, dict(params), base
        self._first = 0
        self._block: list[float] = []

    def apply(self, opt: Optimizer, t: int) -> None:
        """Give ``opt`` the rate of step ``t``. Assigning ``opt.lr`` would re-validate it (and
        refuse the 0 a cosine may end at), so the value is written directly; an optimizer that
        derives constants from its hyperparameters re-derives them in ``_settled``."""
        opt.__dict__["lr"] = self.at(t)
        settle = getattr(opt, "_settled", None)
        if settle is not None:
            settle()

    def at(self, t: int) -> Value:
        i = t - self._first
        if not 0 <= i < len(self._block):
            self._first, i = t, 0
            self._block = self._rule(np.arange(t, t + BLOCK, dtype=float), **self._params).tolist()
        return self._base * self._block[i]


def learning_rates(schedule: Mapping[str, Any], base: Value) -> LearningRates | None:
    """The per-step rates of a racer's schedule from its ``base`` rate; None when constant, so
    the stepping loop skips schedules entirely in the common case."""
    spec = normalised(schedule["key"], schedule.get("params", {}))
    if spec["key"] == "constant":
        return None
    return LearningRates(SCHEDULES[spec["key"]], spec["params"], base)
