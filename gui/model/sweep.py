"""Sweep maps: one racer run for a whole grid of its hyperparameters at once. No Qt.

The grid's N cells become ONE vectorised run: params ``{"xy": array (N, 2)}`` from the session's
start on its surface, with the swept hyperparameters as (N, 1) arrays (the optimizers broadcast
them), everything else as the racer has it — schedule, Hessians for Newton, and noise. Every cell
reproduces the single racer with those values to rounding:

- Noise: a single run draws ``standard_normal(2)`` per step from a generator seeded with the
  racer's seed. Every cell of a sweep has that same seed, so the sweep draws one such vector per
  step and adds it to every cell: each cell sees exactly its single run's noise.
- Divergence: a cell diverges when a single run would (non-finite loss or gradient, or beyond
  the escape box); it is masked from then on, as a single run would have stopped there.

The colour value is the final loss (``measure="loss"``) or the number of steps until the loss is
within ``tol`` of the surface's known minimum, or, with no minimum known, until |∇f| < tol
(``measure="steps"``; inf where never). Diverged cells hold nan and are flagged in ``diverged``.
Steps run in chunks; ``progress(done, total)`` is called after each, and ``should_stop()`` is
asked after each: a stopped sweep returns what it has, with ``cancelled`` set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gui.model.racer import Racer, check_hessian, escape_box, objective
from gui.model.schedules import learning_rates
from gui.model.session import Session
from optimizers import REGISTRY, Hyper

KEY = "xy"  # the param key a Run steps
Progress = Callable[[int, int], None]
Stop = Callable[[], bool]


@dataclass(frozen=True)
class SweepResult:
    """Cell ``[j, i]`` ran with ``x_name = x_values[i]`` and ``y_name = y_values[j]``."""

    x_name: str
    x_values: np.ndarray
    y_name: str
    y_values: np.ndarray
    measure: str
    tol: float
    steps: int  # asked for
    done: int  # simulated: fewer than ``steps`` when cancelled
    value: np.ndarray  # (ny, nx): the colour value; nan where diverged
    loss: np.ndarray  # (ny, nx): final loss; nan where diverged
    final: np.ndarray  # (ny, nx, 2): final positions
    diverged: np.ndarray  # (ny, nx) bool
    cancelled: bool


@dataclass(frozen=True)
class AutoTune:
    """``lr``: the rate of the sweep with the lowest final loss (None if every one diverged)."""

    lr: float | None
    lrs: np.ndarray
    losses: np.ndarray  # nan where diverged


def axis_values(spec: Hyper, n: int, low: float | None = None, high: float | None = None):
    """``n`` values over the spec's slider range (or ``low``..``high``), log-spaced when the
    spec says ``log``."""
    lo = spec.low if low is None else low
    hi = spec.high if high is None else high
    return np.geomspace(lo, hi, n) if spec.log else np.linspace(lo, hi, n)


def sweep(
    session: Session,
    racer_id: int,
    x: str,
    y: str,
    *,
    n: int | tuple[int, int] = 31,
    x_values: Sequence[float] | None = None,
    y_values: Sequence[float] | None = None,
    steps: int | None = None,
    measure: str = "loss",
    tol: float = 1e-6,
    chunk: int = 50,
    progress: Progress | None = None,
    should_stop: Stop | None = None,
) -> SweepResult:
    """The racer over a grid of hyperparameters ``x`` × ``y``; axes default to ``n`` values
    over each slider's range, and ``steps`` to the session's current step (or its limit at 0).
    Invalid values raise ValueError before anything runs (e.g. Nesterov with momentum 0)."""
    racer = session.racer(racer_id)
    specs = REGISTRY[racer.optimizer]._specs
    for name in (x, y):
        if name not in specs:
            raise ValueError(f"{racer.optimizer} has no hyperparameter {name!r}")
    if x == y:
        raise ValueError(f"Sweep two different hyperparameters, not {x!r} twice")
    if measure not in ("loss", "steps"):
        raise ValueError(f"Invalid measure: {measure!r} (must be 'loss' or 'steps')")
    nx, ny = (n, n) if np.ndim(n) == 0 else n
    xs = np.asarray(axis_values(specs[x], nx) if x_values is None else x_values, dtype=float)
    ys = np.asarray(axis_values(specs[y], ny) if y_values is None else y_values, dtype=float)
    X, Y = np.meshgrid(xs, ys)
    total = _steps(session, steps)
    out = run_grid(
        session, racer, {x: X.ravel(), y: Y.ravel()}, total, tol, chunk, progress, should_stop
    )
    shape = X.shape
    value = out["loss"] if measure == "loss" else out["reached"]
    return SweepResult(
        x, xs, y, ys, measure, tol, total, out["done"], value.reshape(shape),
        out["loss"].reshape(shape), out["final"].reshape(*shape, 2),
        out["diverged"].reshape(shape), out["cancelled"],
    )  # fmt: skip


def autotune_lr(
    session: Session,
    racer_id: int,
    steps: int | None = None,
    n: int = 41,
    low: float | None = None,
    high: float | None = None,
    progress: Progress | None = None,
    should_stop: Stop | None = None,
) -> AutoTune:
    """The learning rate that reaches the lowest loss in ``steps`` steps, from a log sweep of
    ``n`` rates over the lr slider's range; ties go to the smaller rate."""
    racer = session.racer(racer_id)
    lrs = np.geomspace(*_range(REGISTRY[racer.optimizer]._specs["lr"], low, high), n)
    out = run_grid(
        session, racer, {"lr": lrs}, _steps(session, steps), 0.0, 50, progress, should_stop
    )
    losses = out["loss"]
    best = None if np.all(np.isnan(losses)) else float(lrs[np.nanargmin(losses)])
    return AutoTune(best, lrs, losses)


def _range(spec: Hyper, low: float | None, high: float | None) -> tuple[float, float]:
    return (spec.low if low is None else low, spec.high if high is None else high)


def _steps(session: Session, steps: int | None) -> int:
    total = int(steps if steps is not None else session.step or session.step_limit)
    if total < 1:
        raise ValueError(f"Invalid steps: {total} (must be >= 1)")
    return total


def run_grid(
    session: Session,
    racer: Racer,
    grid: Mapping[str, np.ndarray],
    steps: int,
    tol: float,
    chunk: int,
    progress: Progress | None,
    should_stop: Stop | None,
    starts: np.ndarray | None = None,
    watch: Callable[[int, np.ndarray, np.ndarray], None] | None = None,
) -> dict[str, Any]:
    """Run the racer for every cell of ``grid`` (name → values, all of length N) at once.

    ``starts`` (N, 2) gives each cell its own start point (a basin map) instead of the
    session's; ``watch(step, xy, diverged)`` sees every cell after each step (and at 0)."""
    cls = REGISTRY[racer.optimizer]
    surface = session.surface
    check_hessian(cls, surface)
    n = len(starts) if starts is not None else len(next(iter(grid.values())))
    opt = cls(**{**racer.hyper, **{k: np.asarray(v, float)[:, None] for k, v in grid.items()}})
    f, grad, values = surface.f, surface.grad, surface.values
    hess = surface.hess if getattr(opt, "needs_hessian", False) else None
    if getattr(opt, "wants_objective", False):  # a PyTorch optimizer: one instance per cell
        opt.objective = objective(surface)
    lrs = learning_rates(racer.schedule, opt.lr)
    rng = np.random.default_rng(racer.seed)
    if starts is None:
        xy = np.tile(np.asarray(session.start, dtype=float), (n, 1))
    else:
        xy = np.array(starts, dtype=float).reshape(n, 2)
    g = np.empty_like(xy)
    params, grads = {KEY: xy}, {KEY: g}
    xmin, xmax, ymin, ymax = escape_box(surface)
    f_min = min((m[2] for m in surface.minima), default=None)
    diverged = np.zeros(n, dtype=bool)
    reached = np.full(n, np.inf)
    scratch = np.empty((2, n), dtype=bool)

    def record(step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, y = xy[:, 0], xy[:, 1]
        loss = np.broadcast_to(f(x, y, **values), (n,))
        gx, gy = (np.broadcast_to(c, (n,)) for c in grad(x, y, **values))
        # In place: with a basin map's 65,536 cells these masks cost as much as the step.
        ok = np.isfinite(loss, out=scratch[0])
        ok &= np.isfinite(gx, out=scratch[1])
        ok &= np.isfinite(gy, out=scratch[1])
        ok &= np.greater_equal(x, xmin, out=scratch[1])
        ok &= np.less_equal(x, xmax, out=scratch[1])
        ok &= np.greater_equal(y, ymin, out=scratch[1])
        ok &= np.less_equal(y, ymax, out=scratch[1])
        np.logical_or(diverged, np.logical_not(ok, out=ok), out=diverged)
        if tol > 0:
            close = loss - f_min < tol if f_min is not None else np.hypot(gx, gy) < tol
            reached[close & ~diverged & np.isinf(reached)] = step
        if watch is not None:
            watch(step, xy, diverged)
        return loss, gx, gy

    done, cancelled = 0, False
    with np.errstate(all="ignore"):
        loss, gx, gy = record(0)
        while done < steps and not cancelled:
            for _ in range(min(chunk, steps - done)):
                g[:, 0], g[:, 1] = gx, gy
                if racer.noise:
                    g += racer.noise * rng.standard_normal(2)
                if lrs is not None:
                    lrs.apply(opt, done)
                if hess is not None:
                    opt.set_hessians({KEY: hess(xy[:, 0], xy[:, 1], **values)})
                opt.update(params, grads)
                done += 1
                loss, gx, gy = record(done)
            if progress is not None:
                progress(done, steps)
            cancelled = done < steps and should_stop is not None and bool(should_stop())
    final_loss = np.where(diverged, np.nan, loss)
    return {
        "loss": final_loss,
        "reached": np.where(diverged, np.nan, reached),
        "final": xy.copy(),
        "diverged": diverged,
        "done": done,
        "cancelled": cancelled,
    }
