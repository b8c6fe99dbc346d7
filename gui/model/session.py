"""The session model: surface, start, racers, step count and trajectories. No Qt.

Every view, exporter, the CLI and the tests go through this class. A change of setting
re-simulates what it affects up to the current step and then tells the listeners through
:attr:`events`.

By default every change is finished before its call returns. A window gives the session a slice
budget (:attr:`Session.catchup`, see :mod:`gui.model.catchup`): a change then re-simulates one
slice at once — all of it, for a small race — and the rest waits for :meth:`Session.catch_up`,
which the window calls between paints; each slice emits ``"progress"``. Whoever reads the runs
and must see them finished (the trajectory and picture exporters, explain) calls
:meth:`Session.settle` first. Saving a scene and the sweep read only settings and the step,
which a catch-up never changes, so they need not wait.
"""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

from gui.model.catchup import Budget, CatchUp
from gui.model.events import Events
from gui.model.racer import Racer, Run, check_hessian
from gui.model.schedules import normalised
from optimizers import REGISTRY
from optimizers.registry import lookup
from surfaces import SURFACES, Surface

# Okabe–Ito: distinguishable for the common forms of colour blindness, and on a heat map.
PALETTE = ("#d55e00", "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#000000", "#f0e442")
DEFAULT_STEP_LIMIT = 1000
MAX_STEP_LIMIT = 10_000_000


class Session:
    def __init__(self, surface: Surface | None = None) -> None:
        self.events = Events()
        self.surface = surface or SURFACES["book"]
        self.start: tuple[float, float] = tuple(self.surface.start)
        self.racers: list[Racer] = []
        self.runs: dict[int, Run] = {}
        self.step = 0
        self.step_limit = DEFAULT_STEP_LIMIT
        self._ids = itertools.count(1)
        self.catchup = CatchUp()

    # --- racers -----------------------------------------------------------------------------

    def racer(self, racer_id: int) -> Racer:
        for r in self.racers:
            if r.id == racer_id:
                return r
        raise KeyError(f"No racer with id {racer_id}")

    def add_racer(
        self, optimizer: str, label: str | None = None, color: str | None = None, **hyper: float
    ) -> Racer:
        """Add a racer; hyperparameters not given take the optimizer's defaults."""
        cls = lookup(optimizer)
        values = {h.name: h.default for h in cls.hyperparams}
        values.update({k: float(v) for k, v in hyper.items()})
        racer = Racer(
            id=next(self._ids),
            optimizer=optimizer,
            hyper=values,
            color=color or self._free_color(),
            label=label or self._free_label(cls.title),
        )
        racer.build()  # refuse nonsense before the racer joins
        check_hessian(cls, self.surface)
        self._queue(racer)
        failures = self._work()
        if racer.id in failures:
            self.runs.pop(racer.id, None)  # a racer whose first steps fail does not join
            raise failures[racer.id]
        self.racers.append(racer)
        self.events.emit("racers", racer.id)
        self._raise_first(failures)
        return racer

    def remove_racer(self, racer_id: int) -> None:
        self.racers.remove(self.racer(racer_id))
        self.runs.pop(racer_id, None)
        self.catchup.drop(racer_id)
        self.events.emit("racers", racer_id)

    def set_hyper(self, racer_id: int, name: str, value: float) -> None:
        """Change one hyperparameter and re-simulate that racer; a refused value changes nothing."""
        racer = self.racer(racer_id)
        trial = dict(racer.hyper, **{name: float(value)})
        if name not in racer.hyper:
            raise ValueError(f"{racer.optimizer} has no hyperparameter {name!r}")
        REGISTRY[racer.optimizer](**trial)
        racer.hyper = trial
        self._changed(racer)

    def set_noise(self, racer_id: int, sigma: float, seed: int | None = None) -> None:
        if not (math.isfinite(sigma) and sigma >= 0):
            raise ValueError(f"Invalid noise: {sigma!r} (must be a finite value >= 0)")
        if seed is not None and int(seed) < 0:
            raise ValueError(f"Invalid seed: {seed!r} (must be a whole number >= 0)")
        racer = self.racer(racer_id)
        racer.noise = float(sigma)
        if seed is not None:
            racer.seed = int(seed)
        self._changed(racer)

    def set_schedule(self, racer_id: int, key: str, **params: float) -> None:
        """Give a racer a learning-rate schedule (see ``gui.model.schedules``), e.g.
        ``set_schedule(1, "cosine", steps=300)``; parameters not given take their defaults."""
        racer = self.racer(racer_id)
        racer.schedule = normalised(key, params)
        self._changed(racer)

    def set_enabled(self, racer_id: int, enabled: bool) -> None:
        racer = self.racer(racer_id)
        racer.enabled = bool(enabled)
        self._changed(racer)

    def set_color(self, racer_id: int, color: str) -> None:
        self.racer(racer_id).color = color
        self.events.emit("racer", racer_id)

    def set_label(self, racer_id: int, label: str) -> None:
        self.racer(racer_id).label = label.strip() or self.racer(racer_id).label
        self.events.emit("racer", racer_id)

    # --- scene ------------------------------------------------------------------------------

    def set_surface(self, surface: Surface, start: tuple[float, float] | None = None) -> None:
        """Switch surface; the start moves to the surface's own unless one is given."""
        for racer in self.racers:
            check_hessian(REGISTRY[racer.optimizer], surface)
        checked = self._checked_start(start if start is not None else surface.start)
        self.surface = surface
        self.start = checked
        self._resimulate_all()
        self.events.emit("surface")

    def set_surface_values(self, **values: float) -> None:
        """Change the surface's parameters (e.g. the ravine's condition number) in place."""
        self.surface = self.surface.with_values(**values)
        self._resimulate_all()
        self.events.emit("surface")

    def set_start(self, x: float, y: float) -> None:
        self.start = self._checked_start((x, y))
        self._resimulate_all()
        self.events.emit("start")

    def set_step_limit(self, limit: int) -> None:
        if not 1 <= int(limit) <= MAX_STEP_LIMIT:
            raise ValueError(f"Invalid step limit: {limit} (must be in [1, {MAX_STEP_LIMIT}])")
        self.step_limit = int(limit)
        if self.step > self.step_limit:
            self.step = self.step_limit
            self._resimulate_all()
        self.events.emit("limit")

    # --- time -------------------------------------------------------------------------------

    def advance(self, n: int = 1) -> int:
        """Advance every active racer by up to ``n`` steps, stopping at the step limit."""
        n = max(0, min(int(n), self.step_limit - self.step))
        if n == 0:
            return 0
        # The step moves at once; every racer catches up to it, those still re-simulating too:
        # a step asked for during a catch-up is queued behind it, not lost.
        self.step += n
        busy = self.busy
        for racer in self.racers:
            if racer.enabled:
                self.catchup.queue(racer.id, self.runs[racer.id])
        failures = self._work(after=busy)
        self.events.emit("stepped")
        self._raise_first(failures)
        return n

    @property
    def busy(self) -> bool:
        """Whether a racer is still catching up to :attr:`step` (see :meth:`catch_up`)."""
        return bool(self.catchup)

    def progress(self) -> tuple[int, int]:
        """``(done, total)`` steps of the catch-up under way; ``(0, 0)`` when there is none."""
        return self.catchup.progress(self.step)

    def catch_up(self, budget: Budget | None = None, tell: bool = True) -> bool:
        """Work one slice of the catch-up (the session's own budget unless one is given) and
        emit ``"progress"`` — unless ``tell`` is false: a window redraws the growing paths a few
        times a second, in a turn of its own (see gui/playback.py), and then emits it itself
        with :meth:`tell_progress`. Returns whether more remains. A run that fails stops there
        and its error is raised once its slice is done."""
        if not self.catchup:
            return False
        failures = self._work(budget)
        if tell:
            self.events.emit("progress")
        self._raise_first(failures)
        return self.busy

    def snapshot(self) -> Session:
        """An independent copy of this session as it is now, finished runs and all, that hears
        nothing and re-simulates nothing: what an exporter draws while the window's race goes
        on (rebuilding the race from its scene would take seconds at a million steps)."""
        self.settle()
        twin = Session(self.surface)
        twin.start, twin.step, twin.step_limit = self.start, self.step, self.step_limit
        twin.racers = [copy.deepcopy(r) for r in self.racers]
        twin.runs = {racer_id: run.copy() for racer_id, run in self.runs.items()}
        twin._ids = itertools.count(max((r.id for r in self.racers), default=0) + 1)
        return twin

    def tell_progress(self) -> None:
        """Let the views redraw the catch-up so far (or its end)."""
        self.events.emit("progress")

    def settle(self) -> None:
        """Finish every pending re-simulation now: what exporters and explain call before they
        read the runs. Does nothing when nothing is pending."""
        while self.catchup:
            self.catch_up(Budget())

    def reset(self) -> None:
        self.step = 0
        self.catchup.clear()
        self._resimulate_all()
        self.events.emit("reset")

    @property
    def finished(self) -> bool:
        return self.step >= self.step_limit

    def status(self, racer_id: int) -> dict[str, Any]:
        """Where a racer is now: step, x, y, loss, gradient norm, and the divergence step."""
        run = self.runs[racer_id]
        x, y, loss, gnorm = run.trajectory.head.tolist()
        return {
            "step": run.step,
            "x": x,
            "y": y,
            "loss": loss,
            "gnorm": gnorm,
            "diverged_at": run.diverged_at,
        }

    # --- internals --------------------------------------------------------------------------

    def _checked_start(self, start: Any) -> tuple[float, float]:
        x, y = (float(v) for v in start)
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"Invalid start: ({x!r}, {y!r}) (must be finite)")
        return (x, y)

    def _changed(self, racer: Racer) -> None:
        failures: dict[int, Exception] = {}
        try:
            busy = self.busy
            self._queue(racer)
            failures = self._work(after=busy, first=True)
        finally:
            self.events.emit("racer", racer.id)
        self._raise_first(failures)

    def _queue(self, racer: Racer) -> None:
        """A new run for ``racer`` at step 0, waiting to catch up (a run still waiting for it
        is abandoned). Stored at once: the views draw it growing back from its start, and if a
        step raises, the racer keeps this run, stopped there."""
        run = Run(racer, self.surface, self.start)
        self.runs[racer.id] = run
        if racer.enabled:
            self.catchup.queue(racer.id, run)
        else:
            self.catchup.drop(racer.id)

    def _resimulate_all(self) -> None:
        busy = self.busy
        for racer in self.racers:
            self._queue(racer)
        # Every racer follows the new setting even if one of them fails.
        self._raise_first(self._work(after=busy, first=True))

    def _work(
        self, budget: Budget | None = None, after: bool = False, first: bool = False
    ) -> dict[int, Exception]:
        """One slice now, or — ``after`` a catch-up already under way, when slicing — none: the
        catch-up's next slice takes it, so a drag's values cost nothing until the last one.
        The ``first`` slice of a change takes only the budget's step floor: a small
        re-simulation finishes in it, and a large one leaves the rest to the catch-up's turns
        rather than holding the event loop for a whole slice on top of the change itself."""
        own = self.catchup.budget
        if not self.catchup or (after and budget is None and not own.unlimited):
            return {}
        if first and budget is None and not own.unlimited and own.seconds is not None:
            budget = Budget(own.steps, 0.0, own.clock)
        return self.catchup.work(self.step, budget)

    @staticmethod
    def _raise_first(failures: dict[int, Exception]) -> None:
        if failures:
            raise next(iter(failures.values()))

    def _free_color(self) -> str:
        used = {r.color for r in self.racers}
        return next((c for c in PALETTE if c not in used), PALETTE[len(self.racers) % len(PALETTE)])

    def _free_label(self, title: str) -> str:
        used = {r.label for r in self.racers}
        if title not in used:
            return title
        return next(f"{title} {i}" for i in itertools.count(2) if f"{title} {i}" not in used)


def book_scene() -> Session:
    """The book's comparison (figure 6-8): the first scene a user sees."""
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    for key, lr in (("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5), ("adam", 0.3)):
        session.add_racer(key, lr=lr)
    return session
