"""The session model: surface, start, racers, step count and trajectories. No Qt.

Every view, exporter, the CLI and the tests go through this class. A change of setting
re-simulates what it affects up to the current step (one call, no restart) and then tells the
listeners through :attr:`events`.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

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
        try:
            self._resimulate(racer)
        except Exception:
            self.runs.pop(racer.id, None)  # a racer whose first steps fail does not join
            raise
        self.racers.append(racer)
        self.events.emit("racers", racer.id)
        return racer

    def remove_racer(self, racer_id: int) -> None:
        self.racers.remove(self.racer(racer_id))
        self.runs.pop(racer_id, None)
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
        self.step += n
        failure: Exception | None = None
        for racer in self.racers:
            if racer.enabled:
                try:
                    self.runs[racer.id].advance(n)
                except Exception as exc:  # that run stopped where it failed; the rest go on
                    failure = failure or exc
        self.events.emit("stepped")
        if failure is not None:
            raise failure
        return n

    def reset(self) -> None:
        self.step = 0
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
        try:
            self._resimulate(racer)
        finally:
            self.events.emit("racer", racer.id)

    def _resimulate(self, racer: Racer) -> None:
        run = Run(racer, self.surface, self.start)
        # Stored before it runs: if a step raises, the racer keeps this run, stopped there.
        self.runs[racer.id] = run
        if racer.enabled:
            run.advance(self.step)

    def _resimulate_all(self) -> None:
        failure: Exception | None = None
        for racer in self.racers:
            try:
                self._resimulate(racer)
            except Exception as exc:  # every other racer still follows the new setting
                failure = failure or exc
        if failure is not None:
            raise failure

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
