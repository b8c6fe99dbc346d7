"""What every benchmark shares: the racing scene, a timer that takes medians, memory readings.

No Qt here: the engine benchmarks and the subprocesses import this too.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

from gui.model import Session
from surfaces import SURFACES

# Eight racers on Rosenbrock, each tuned to reach the valley floor without diverging over a
# million steps: a racer that diverged would stop and make every frame cheaper than it should be.
RACERS = (
    ("sgd", 1e-3),
    ("momentum", 2e-4),
    ("nesterov", 2e-4),
    ("adagrad", 0.5),
    ("rmsprop", 1e-3),
    ("adam", 0.02),
    ("adamw", 0.02),
    ("lion", 1e-3),
)


def race_scene(steps: int, step_limit: int = 10_000_000) -> Session:
    """The benchmark scene: eight racers on Rosenbrock, already ``steps`` steps into the race."""
    session = Session(SURFACES["rosenbrock"])
    session.set_step_limit(step_limit)
    for key, lr in RACERS:
        session.add_racer(key, lr=lr)
    session.advance(steps)
    diverged = [r.label for r in session.racers if session.runs[r.id].diverged_at is not None]
    if diverged:
        raise RuntimeError(f"benchmark racers diverged: {diverged}")
    return session


def median_seconds(fn: Callable[[], object], repeats: int, warmup: int = 2) -> float:
    """The median wall time of ``fn()``; warm-up calls first, and no garbage collection while
    timing (a collection landing in one repeat is noise, not the cost of ``fn``)."""
    for _ in range(warmup):
        fn()
    times = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return statistics.median(times)


def rss_mb() -> float:
    """This process's resident memory now, in MiB (Linux's /proc; peak RSS elsewhere, which
    can only overstate growth)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20 if sys.platform == "darwin" else 1 << 10)
