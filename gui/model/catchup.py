"""Re-simulation in slices: the runs still behind the session's step, and a budget per slice. No Qt.

A change of setting rebuilds the racers it affects at step 0; on a race a million steps long,
simulating them back to the session's step in one call would freeze a window for minutes. The
runs wait here instead, and each :meth:`CatchUp.work` call advances them by one slice: a step
budget and, given a clock, a time budget. Runs take turns in chunks of :data:`CHUNK` steps, so
every path grows back from its start together. A run queued again for the same racer replaces
the one waiting (a slider moved on): the superseded run is abandoned at once, never finished.

Slicing changes nothing in the result: a run advanced in chunks takes exactly the steps it takes
in one call (:meth:`Run.advance` picks up from its head), so a settled session is the same, bit
for bit, however it was sliced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gui.model.racer import Run

# Steps a run takes between two looks at the clock and before the next run's turn: about 2 ms
# at the dearest racer's step, so a slice overshoots its time budget by little.
CHUNK = 128


@dataclass
class Budget:
    """How much one slice may do: at least ``steps`` steps in all (None: everything), then more
    while ``seconds`` (by ``clock``) have not passed. The floor makes small re-simulations — a
    slider moved at step 1,000 — finish inside the call that asked for them, whatever the load."""

    steps: int | None = None
    seconds: float | None = None
    clock: Callable[[], float] = field(default=time.perf_counter, repr=False)

    def __post_init__(self) -> None:
        if self.steps is not None and self.steps < 1:
            raise ValueError(f"Invalid slice budget: {self.steps} steps (must be >= 1 or None)")
        if self.seconds is not None and not self.seconds >= 0:
            raise ValueError(f"Invalid slice budget: {self.seconds} s (must be >= 0 or None)")

    @property
    def unlimited(self) -> bool:
        return self.steps is None


class CatchUp:
    """The runs behind their target step, by racer id, in the order they were queued."""

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()
        self._runs: dict[int, Run] = {}
        self.slices = 0  # slices worked so far: how tests see that work was cut up
        self.abandoned = 0  # runs replaced before they caught up

    def __bool__(self) -> bool:
        return bool(self._runs)

    def __contains__(self, racer_id: object) -> bool:
        return racer_id in self._runs

    def queue(self, racer_id: int, run: Run) -> None:
        """Let ``run`` catch up; a different run still waiting for this racer is abandoned."""
        waiting = self._runs.pop(racer_id, None)
        if waiting is not None and waiting is not run:
            self.abandoned += 1
        self._runs[racer_id] = run

    def drop(self, racer_id: int) -> None:
        self._runs.pop(racer_id, None)

    def clear(self) -> None:
        self._runs.clear()

    def progress(self, target: int) -> tuple[int, int]:
        """``(done, total)`` steps of the runs still waiting, each counted up to ``target``."""
        done = sum(min(run.step, target) for run in self._runs.values())
        return done, target * len(self._runs)

    def work(self, target: int, budget: Budget | None = None) -> dict[int, Exception]:
        """One slice: advance the waiting runs toward step ``target`` within ``budget`` (this
        catch-up's own by default). A run leaves when it reaches ``target``, diverges or fails;
        failures come back by racer id (the run stopped where it failed), never half-raised."""
        budget = budget or self.budget
        self.slices += 1
        failures: dict[int, Exception] = {}
        start = budget.clock() if budget.seconds is not None else 0.0
        spent = 0
        while self._runs:
            for racer_id, run in list(self._runs.items()):
                chunk = target - run.step if budget.unlimited else min(CHUNK, target - run.step)
                try:
                    spent += run.advance(chunk)
                except Exception as exc:  # that run stopped where it failed; the rest go on
                    failures[racer_id] = exc
                del self._runs[racer_id]
                if run.step < target and run.diverged_at is None and racer_id not in failures:
                    self._runs[racer_id] = run  # to the back: the next chunk is another's turn
                if not budget.unlimited and self._spent(spent, budget, start):
                    return failures
        return failures

    @staticmethod
    def _spent(steps: int, budget: Budget, start: float) -> bool:
        if steps < budget.steps:
            return False
        return budget.seconds is None or budget.clock() - start >= budget.seconds
