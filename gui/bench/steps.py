"""What one racer's step costs, per optimizer: the whole of ``Run.advance`` (gradient, update,
record, divergence check) on the book's bowl, in microseconds per step. No Qt."""

from __future__ import annotations

import time

from gui.model.racer import Racer, Run
from optimizers import REGISTRY
from surfaces import SURFACES

# The six: the book's four, the dearest element-wise rule (Rprop) and Newton.
OPTIMIZERS = ("sgd", "momentum", "adagrad", "adam", "rprop", "newton")


def step_us(steps: int, repeats: int = 3) -> dict[str, float]:
    """The fastest of ``repeats`` runs of ``steps`` steps from the bowl's start, per step."""
    surface = SURFACES["book"]
    out = {}
    for key in OPTIMIZERS:
        hyper = {h.name: h.default for h in REGISTRY[key].hyperparams}
        best = float("inf")
        for _ in range(repeats):
            run = Run(Racer(0, key, hyper, "#000000", key), surface, surface.start)
            start = time.perf_counter()
            taken = run.advance(steps)
            best = min(best, (time.perf_counter() - start) / max(taken, 1))
        out[key] = best * 1e6
    return out
