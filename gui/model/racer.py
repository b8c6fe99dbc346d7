"""A racer: an optimizer with its settings, and the run that simulates it on a surface."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gui.model.trajectory import Trajectory
from optimizers import REGISTRY, Optimizer
from surfaces import Surface

# How far outside the surface's frame a racer may wander before it counts as diverged, in frame
# widths: far enough that an overshooting Momentum is not cut short, near enough to stop a racer
# heading for overflow long before it gets there.
ESCAPE_FRAMES = 1000.0


@dataclass
class Racer:
    """What the user set: which optimizer, its hyperparameters, how it looks, and gradient noise."""

    id: int
    optimizer: str
    hyper: dict[str, float]
    color: str
    label: str
    enabled: bool = True
    noise: float = 0.0  # standard deviation of Gaussian noise added to each gradient component
    seed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def build(self) -> Optimizer:
        return REGISTRY[self.optimizer](**self.hyper)


class Run:
    """One racer simulated from a start point: the optimizer, its position and its trajectory.

    Re-simulating is building a new Run and advancing it, so a run is always reproducible from
    its settings (noise included: the generator is seeded at construction).
    """

    def __init__(self, racer: Racer, surface: Surface, start: tuple[float, float]) -> None:
        self.optimizer = racer.build()
        self.surface = surface
        self.noise = racer.noise
        self.rng = np.random.default_rng(racer.seed)
        self.params = {"xy": np.array(start, dtype=float)}
        self.grads = {"xy": np.zeros(2)}
        self.step = 0
        self.diverged_at: int | None = None
        xmin, xmax, ymin, ymax = surface.bounds
        reach = ESCAPE_FRAMES * max(xmax - xmin, ymax - ymin)
        self._box = (xmin - reach, xmax + reach, ymin - reach, ymax + reach)
        self.trajectory = Trajectory()
        with np.errstate(all="ignore"):
            self._record(*start)

    def _record(self, x: float, y: float) -> tuple[float, float]:
        """Evaluate the gradient at (x, y), store the point, and return the gradient."""
        f, grad, values = self.surface.f, self.surface.grad, self.surface.values
        gx, gy = grad(x, y, **values)
        gx, gy = float(gx), float(gy)
        loss = float(f(x, y, **values))
        self.trajectory.append(self.step, x, y, loss, math.hypot(gx, gy))
        xmin, xmax, ymin, ymax = self._box
        finite = math.isfinite(loss) and math.isfinite(gx) and math.isfinite(gy)
        if not (finite and xmin <= x <= xmax and ymin <= y <= ymax):
            self.diverged_at = self.step
        return gx, gy

    def advance(self, n: int) -> int:
        """Take up to ``n`` steps; stop early on divergence. Returns the steps taken."""
        if self.diverged_at is not None or n <= 0:
            return 0
        xy, g = self.params["xy"], self.grads["xy"]
        taken = 0
        # One errstate for the whole batch: entering it per step would cost more than the step.
        with np.errstate(all="ignore"):
            gx, gy = self.trajectory.head[0:2]
            gx, gy = self.surface.grad(gx, gy, **self.surface.values)
            while taken < n:
                g[0], g[1] = gx, gy
                if self.noise:
                    g += self.noise * self.rng.standard_normal(2)
                self.optimizer.update(self.params, self.grads)
                self.step += 1
                taken += 1
                x, y = xy.tolist()
                gx, gy = self._record(x, y)
                if self.diverged_at is not None:
                    break
        return taken
