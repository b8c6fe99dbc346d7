"""A racer: an optimizer with its settings, and the run that simulates it on a surface."""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gui.model.schedules import constant, learning_rates
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
    # Plain data, saved with the session: {"key": "cosine", "params": {"steps": 500.0, ...}}.
    schedule: dict[str, Any] = field(default_factory=constant)

    def build(self) -> Optimizer:
        return REGISTRY[self.optimizer](**self.hyper)


def check_hessian(optimizer: type[Optimizer] | Optimizer, surface: Surface) -> None:
    """Refuse an optimizer that needs curvature (Newton) on a surface that cannot give it."""
    if getattr(optimizer, "needs_hessian", False) and surface.hess is None:
        raise ValueError(
            f"{optimizer.title} needs the surface's Hessian, and {surface.title!r} has none"
        )


def scheduled_lr(optimizer: Optimizer, racer: Racer) -> Any:
    """The rate a schedule scales; a (PyTorch) optimizer without ``lr`` cannot have one."""
    lr = getattr(optimizer, "lr", None)
    if lr is None and racer.schedule.get("key", "constant") != "constant":
        raise ValueError(f"{optimizer.title} has no learning rate to schedule")
    return lr


def point(surface: Surface) -> Callable[[float, float], tuple[float, float, float]]:
    """``(x, y) → (loss, gx, gy)`` as floats at one point: a racer's step, the hot path of a
    re-simulation. Python float arithmetic first (see surfaces.numeric.as_xy: twice as fast as
    numpy scalars, the same numbers); where floats raise (an overflow in ``**``, a division by
    zero) or turn complex, the point is evaluated again with numpy's rules, giving inf or nan
    as before. An error that numpy raises too is the surface's bug and goes to the caller."""
    f, grad, values = surface.f, surface.grad, dict(surface.values)
    if values:
        f, grad = functools.partial(f, **values), functools.partial(grad, **values)

    def evaluate(x: float, y: float) -> tuple[float, float, float]:
        try:
            gx, gy = grad(x, y)
            return float(f(x, y)), float(gx), float(gy)
        except (ArithmeticError, TypeError, ValueError):
            with np.errstate(all="ignore"):
                X, Y = np.float64(x), np.float64(y)
                gx, gy = grad(X, Y)
                return float(f(X, Y)), float(gx), float(gy)

    return evaluate


def hessian_point(surface: Surface) -> Callable[[float, float], tuple]:
    """``(x, y) → (hxx, hxy, hyy)`` at one point, as :func:`point` evaluates the gradient:
    float arithmetic first, numpy's rules where floats raise."""
    hess = functools.partial(surface.hess, **surface.values)

    def evaluate(x: float, y: float) -> tuple:
        try:
            hxx, hxy, hyy = hess(x, y)
            return float(hxx), float(hxy), float(hyy)  # a complex raises TypeError here
        except (ArithmeticError, TypeError, ValueError):
            return tuple(float(h) for h in surface.hessian(x, y))

    return evaluate


def objective(surface: Surface):
    """``xy → (f, gradient)`` at one point: what a PyTorch optimizer's closure evaluates."""
    evaluate = point(surface)

    def value_and_gradient(xy: np.ndarray) -> tuple[float, np.ndarray]:
        loss, gx, gy = evaluate(float(xy[0]), float(xy[1]))
        return loss, np.array([gx, gy], dtype=float)

    return value_and_gradient


def _array_move(
    update: Callable[[], None], xy: np.ndarray, g: np.ndarray
) -> Callable[[float, float, float, float], list[float]]:
    """A step by ``update`` on the racer's arrays, as ``(x, y, gx, gy) → [x, y]``."""

    def move(x: float, y: float, gx: float, gy: float) -> list[float]:
        g[0], g[1] = gx, gy
        update()
        return xy.tolist()

    return move


def escape_box(surface: Surface) -> tuple[float, float, float, float]:
    """The region a racer may roam before it counts as diverged (see ``ESCAPE_FRAMES``)."""
    xmin, xmax, ymin, ymax = surface.bounds
    reach = ESCAPE_FRAMES * max(xmax - xmin, ymax - ymin)
    return (xmin - reach, xmax + reach, ymin - reach, ymax + reach)


class Run:
    """One racer simulated from a start point: the optimizer, its position and its trajectory.

    Re-simulating is building a new Run and advancing it, so a run is always reproducible from
    its settings (noise included: the generator is seeded at construction).
    """

    def __init__(self, racer: Racer, surface: Surface, start: tuple[float, float]) -> None:
        self.optimizer = racer.build()
        check_hessian(self.optimizer, surface)
        self.surface = surface
        self.noise = racer.noise
        self.rng = np.random.default_rng(racer.seed)
        self.params = {"xy": np.array(start, dtype=float)}
        self.grads = {"xy": np.zeros(2)}
        self.step = 0
        self.diverged_at: int | None = None
        self._box = escape_box(surface)
        self._lrs = learning_rates(racer.schedule, scheduled_lr(self.optimizer, racer))
        needs_hessian = getattr(self.optimizer, "needs_hessian", False)
        self._hess = hessian_point(surface) if needs_hessian else None
        self._at = point(surface)
        if getattr(self.optimizer, "wants_objective", False):  # a PyTorch optimizer's closure
            self.optimizer.objective = objective(surface)
        self.previous: tuple[float, float] | None = None  # the point before the head
        self.trajectory = Trajectory.for_surface(surface)
        with np.errstate(all="ignore"):
            self._record(*start)

    def _record(self, x: float, y: float) -> tuple[float, float]:
        """Evaluate the gradient at (x, y), store the point, and return the gradient.

        Numerics never raise; a surface that does has a bug. The point is then stored without a
        loss and the run stops there, like a diverged one, so step counts stay true while the
        error goes on to whoever shows it. :meth:`advance` does the same inline."""
        try:
            loss, gx, gy = self._at(x, y)
        except Exception:
            self.trajectory.append(self.step, x, y, math.nan, math.nan)
            self.diverged_at = self.step
            raise
        self.trajectory.append(self.step, x, y, loss, math.hypot(gx, gy))
        xmin, xmax, ymin, ymax = self._box
        finite = math.isfinite(loss) and math.isfinite(gx) and math.isfinite(gy)
        if not (finite and xmin <= x <= xmax and ymin <= y <= ymax):
            self.diverged_at = self.step
        return gx, gy

    def advance(self, n: int) -> int:
        """Take up to ``n`` steps; stop early on divergence. Returns the steps taken.

        This loop is what a re-simulation costs, so everything around the update rule is
        hoisted out of it: the optimizer's checks, attribute lookups, and the recording of each
        point (:meth:`_record`, inlined). A rule's step runs on floats
        (:meth:`Optimizer.point_stepper`): the point and the state live in Python floats for
        the length of this call and are written back to their arrays when it ends."""
        if self.diverged_at is not None or n <= 0:
            return 0
        xy, g = self.params["xy"], self.grads["xy"]
        opt, lrs, hess = self.optimizer, self._lrs, self._hess
        point = opt.point_stepper(self.params, self.grads)
        move = point or _array_move(opt.stepper(self.params, self.grads), xy, g)
        at = self._at
        append, noise, rng = self.trajectory.append, self.noise, self.rng
        xmin, xmax, ymin, ymax = self._box
        isfinite, hypot = math.isfinite, math.hypot
        step = self.step
        end = step + n
        # One errstate for the whole batch: entering it per step would cost more than the step.
        with np.errstate(all="ignore"):
            x, y = self.trajectory.head[0:2].tolist()
            px, py = x, y
            gx, gy = at(x, y)[1:]
            ux, uy = g.tolist()  # the gradient of the last update taken
            if point is not None:
                point.load()
            try:
                while step < end:
                    ux, uy = gx, gy
                    if noise:
                        # As numpy's g += noise * z: the same two roundings per element.
                        zx, zy = rng.standard_normal(2).tolist()
                        ux, uy = ux + noise * zx, uy + noise * zy
                    if lrs is not None:
                        lrs.apply(opt, step)
                    if hess is not None:
                        opt.set_hessians({"xy": hess(x, y)})
                    nx, ny = move(x, y, ux, uy)
                    step += 1
                    px, py, x, y = x, y, nx, ny
                    try:
                        loss, gx, gy = at(x, y)
                    except Exception:
                        append(step, x, y, math.nan, math.nan)
                        self.diverged_at = step
                        raise
                    append(step, x, y, loss, hypot(gx, gy))
                    # NaN fails every comparison, so the box also catches a NaN position.
                    if not (
                        xmin <= x <= xmax
                        and ymin <= y <= ymax
                        and isfinite(loss)
                        and isfinite(gx)
                        and isfinite(gy)
                    ):
                        self.diverged_at = step
                        break
            finally:
                if point is not None:
                    point.store()
                    xy[0], xy[1] = x, y
                g[0], g[1] = ux, uy
                taken = step - self.step
                self.step = step
                if taken:
                    self.previous = (px, py)
        return taken

    def copy(self) -> Run:
        """An independent copy of this run, its whole trajectory included."""
        twin = self.fork()
        twin.trajectory = copy.deepcopy(self.trajectory)
        return twin

    def fork(self) -> Run:
        """An independent copy at this run's head: stepping it (to explain or preview the next
        step) leaves this run untouched. Optimizer state and the noise generator are copied, so
        its next step is exactly this run's next step; its trajectory holds only the head."""
        twin = copy.copy(self)
        twin.optimizer = copy.deepcopy(self.optimizer)
        twin.rng = copy.deepcopy(self.rng)
        twin.params = {"xy": self.params["xy"].copy()}
        twin.grads = {"xy": self.grads["xy"].copy()}
        twin.trajectory = Trajectory(capacity=4)
        twin.trajectory.append(self.trajectory.head_step, *self.trajectory.head.tolist())
        return twin
