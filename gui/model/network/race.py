"""The network race: the map's racers training one network on one dataset. No Qt.

All racers start from the same weights (drawn once from the setup's seed) and see the same
mini-batch sequence, so their curves differ by the optimizer alone — the book's experiment gives
each network its own random start. ``iteration`` is the race's clock; :meth:`advance` moves it
and every racer with it, one shared batch at a time.

A changed racer restarts from the shared start. It then lags behind the clock until
:meth:`catch_up` has re-trained it: in one call (``catch_up()``, for scripts and tests) or in
slices of a few iterations (``catch_up(20)`` per timer tick), so a window never blocks on it.
Events (see :class:`gui.model.events.Events`): ``"racers"`` (added or removed), ``"racer"``
(one racer's settings changed; it restarted), ``"caught_up"`` (a lagging racer reached the
clock), ``"stepped"``, ``"reset"``, ``"limit"``, ``"setup"`` (data or network changed: all restart).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from gui.model.events import Events
from gui.model.network.setup import MAX_ITERATIONS, NetworkSetup
from gui.model.network.training import BatchStream, Training
from gui.model.racer import Racer
from gui.model.session import Session
from optimizers import REGISTRY
from surfaces.datasets import Dataset


class NetworkRace:
    def __init__(self, setup: NetworkSetup | None = None, data: Dataset | None = None) -> None:
        """``data`` overrides the setup's dataset (the bench trains on random MNIST-shaped
        data); otherwise it is loaded from the setup, which may raise ValueError."""
        self.events = Events()
        self.racers: list[Racer] = []
        self.runs: dict[int, Training] = {}
        self.iteration = 0
        self._ids = itertools.count(1)
        self._install((setup or NetworkSetup()).checked(), data)

    # --- setup ------------------------------------------------------------------------------

    def _install(self, setup: NetworkSetup, data: Dataset | None) -> None:
        data = data if data is not None else setup.load_data()
        start = setup.network(data)  # validates the shape against the data before anything
        self.setup, self.data, self.start = setup, data, start
        self.batches = BatchStream(len(data.x_train), setup.batch, setup.seed)

    def set_setup(self, setup: NetworkSetup, data: Dataset | None = None) -> None:
        """New data, network, batch or seeds: every racer restarts, the clock goes to 0.
        A setup that fails (bad field, MNIST not found) changes nothing."""
        checked = setup.checked()
        old = (self.setup, self.data, self.start, self.batches)
        try:
            self._install(checked, data)
            self.iteration = 0
            self._restart_all()
        except Exception:
            self.setup, self.data, self.start, self.batches = old
            self._restart_all()
            raise
        self.events.emit("setup")

    def set_iterations(self, limit: int) -> None:
        if isinstance(limit, bool) or not 1 <= int(limit) <= MAX_ITERATIONS:
            raise ValueError(f"Invalid iterations: {limit} (must be in [1, {MAX_ITERATIONS}])")
        self.setup = replace(self.setup, iterations=int(limit))
        if self.iteration > self.setup.iterations:
            self.iteration = self.setup.iterations
            self._restart_all()
        self.events.emit("limit")

    @property
    def step_limit(self) -> int:
        """The race's limit under the map's name (the racer panels draw schedules up to it)."""
        return self.setup.iterations

    def jump_to(self, iteration: int) -> None:
        """Move the clock to ``iteration`` without training: every racer restarts and lags,
        and :meth:`catch_up` trains it there in slices (a window restoring a saved race)."""
        self.iteration = max(0, min(int(iteration), self.setup.iterations))
        self._restart_all()
        self.events.emit("reset")

    @property
    def shape(self) -> str:
        return self.setup.shape_text(self.data)

    # --- racers -----------------------------------------------------------------------------
    # Editing a racer is the map's code, borrowed from Session: one set of checks and one
    # meaning for both terrains. It needs ``racers``, ``runs``, ``events`` and ``_changed``.

    racer = Session.racer
    remove_racer = Session.remove_racer
    set_hyper = Session.set_hyper
    set_noise = Session.set_noise
    set_schedule = Session.set_schedule
    set_enabled = Session.set_enabled
    set_color = Session.set_color
    set_label = Session.set_label
    _free_color = Session._free_color
    _free_label = Session._free_label

    def add_racer(
        self, optimizer: str, label: str | None = None, color: str | None = None, **hyper: float
    ) -> Racer:
        """Add a racer at the optimizer's defaults (the book's figure 6-9 uses them); it starts
        from the shared weights and lags until :meth:`catch_up`."""
        if optimizer not in REGISTRY:
            raise ValueError(f"Unknown optimizer {optimizer!r}; known: {', '.join(REGISTRY)}")
        cls = REGISTRY[optimizer]
        values = {h.name: float(h.default) for h in cls.hyperparams}
        values.update({k: float(v) for k, v in hyper.items()})
        racer = Racer(
            id=next(self._ids),
            optimizer=optimizer,
            hyper=values,
            color=color or self._free_color(),
            label=label or self._free_label(cls.title),
        )
        self.runs[racer.id] = Training(racer, self.start, self.data, self.setup.test_limit)
        self.racers.append(racer)
        self.events.emit("racers", racer.id)
        return racer

    # --- time -------------------------------------------------------------------------------

    def advance(self, n: int = 1) -> int:
        """Move the clock by up to ``n`` iterations (not past the limit). Racers at the clock
        train on each shared batch in turn; lagging ones wait for :meth:`catch_up`."""
        n = max(0, min(int(n), self.setup.iterations - self.iteration))
        if n == 0:
            return 0
        racing = [run for run in self._active() if run.iteration == self.iteration]
        for _ in range(n):
            racing = [run for run in racing if run.running]
            if racing:
                x, t = self._batch(self.iteration)
                for run in racing:
                    self._step(run, x, t)
            self.iteration += 1
        self.events.emit("stepped")
        return n

    def catch_up(self, budget: int | None = None) -> int:
        """Re-train lagging racers toward the clock, at most ``budget`` iterations in all
        (None: all the way). Returns the iterations still owed."""
        left = math.inf if budget is None else max(0, int(budget))
        for racer_id, run in self._lagging():
            while run.running and run.iteration < self.iteration and left > 0:
                x, t = self._batch(run.iteration)
                self._step(run, x, t)
                left -= 1
            if not (run.running and run.iteration < self.iteration):
                self.events.emit("caught_up", racer_id)
        return self.owed

    @property
    def owed(self) -> int:
        """Iterations the lagging racers still need to reach the clock."""
        return sum(self.iteration - run.iteration for _, run in self._lagging())

    def reset(self) -> None:
        self.iteration = 0
        self._restart_all()
        self.events.emit("reset")

    def test_now(self) -> None:
        """Test every racer whose latest test is older than its weights (a race stopped between
        two scheduled tests), so final figures describe the final weights."""
        for r in self.racers:
            run = self.runs[r.id]
            if run.running and int(run.tests.values[-1, 0]) < run.iteration:
                run.evaluate()

    @property
    def finished(self) -> bool:
        return self.iteration >= self.setup.iterations

    def status(self, racer_id: int) -> dict[str, Any]:
        run = self.runs[racer_id]
        last_test = run.tests.values[-1]
        return {
            "iteration": run.iteration,
            "loss": run.loss,
            "test_iteration": int(last_test[0]),
            "test_loss": float(last_test[1]),
            "test_accuracy": float(last_test[2]),
            "diverged_at": run.diverged_at,
        }

    # --- internals --------------------------------------------------------------------------

    def _batch(self, iteration: int) -> tuple[Any, Any]:
        idx = self.batches.indices(iteration)
        return self.data.x_train[idx], self.data.t_train[idx]

    def _step(self, run: Training, x: Any, t: Any) -> None:
        run.step(x, t)
        if run.running and run.iteration % self.setup.eval_every == 0:
            run.evaluate()

    def _active(self) -> list[Training]:
        return [self.runs[r.id] for r in self.racers if r.enabled]

    def _lagging(self) -> Iterator[tuple[int, Training]]:
        for r in self.racers:
            run = self.runs[r.id]
            if r.enabled and run.running and run.iteration < self.iteration:
                yield r.id, run

    def _changed(self, racer: Racer) -> None:
        """A racer's settings changed: it restarts from the shared start (and lags)."""
        try:
            self.runs[racer.id] = Training(racer, self.start, self.data, self.setup.test_limit)
        finally:
            self.events.emit("racer", racer.id)

    def _restart_all(self) -> None:
        for racer in self.racers:
            self.runs[racer.id] = Training(racer, self.start, self.data, self.setup.test_limit)
