"""A slider dragged on a long race, painted offscreen: how long the event loop is ever blocked,
and how long from the drag's last value until the re-simulated path is whole and painted.

The event loop's turns are timed by a zero-interval heartbeat timer, which fires once per pass
of the loop: the longest gap between two beats is the longest block a user could feel (a key
press, a paint or a mouse move waits at most that long). The drag sets the Adam racer's lr
slider to a new position every ``DRAG_INTERVAL_MS``, as a hand moving it would.

On a machine shared with other work the wall clock also counts the time this process waited
for a core; the same spans in this process's CPU time (``*_cpu_*`` details) say what they
would be on an idle machine.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6 import QtCore

from gui.bench.paint import _lr_slider, stage
from gui.bench.scene import race_scene

DRAG_VALUES = 20
DRAG_INTERVAL_MS = 30  # about the pace of a slider's mouse-move events in a steady drag


class Heartbeat(QtCore.QObject):
    """The longest gap between two turns of the event loop, since :meth:`start`."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QtCore.QTimer(self, interval=0)
        self.timer.timeout.connect(self._on_beat)
        self.longest = 0.0
        self.longest_cpu = 0.0
        self._last = self._last_cpu = 0.0

    def start(self) -> None:
        self._last, self._last_cpu = time.perf_counter(), time.process_time()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._on_beat()

    def _on_beat(self) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.longest = max(self.longest, now - self._last)
        self.longest_cpu = max(self.longest_cpu, cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu


def drag(at_step: int, values: int = DRAG_VALUES) -> dict[str, Any]:
    """Drag Adam's lr slider through ``values`` positions on the benchmark scene at step
    ``at_step``; returns the longest block (ms) and the seconds from the last value to the
    whole path painted."""
    session = race_scene(at_step)
    adam = next(r for r in session.racers if r.optimizer == "adam")
    scene = stage(session)
    slider = _lr_slider(scene.window, adam.id)
    if slider is None:
        raise RuntimeError("the racer panel no longer exposes the lr slider")
    app, counter = scene.app, scene.counter
    base = slider.value()
    marks: dict[str, float] = {}
    heartbeat = Heartbeat()
    loop = QtCore.QEventLoop()

    def move(i: int) -> None:
        slider.setValue(base - 1 - i)
        if i == values - 1:
            marks["last"], marks["last_cpu"] = time.perf_counter(), time.process_time()
            counter.reset()
            QtCore.QTimer.singleShot(0, watch)

    def watch() -> None:
        # Done when Adam's run is whole and both plots have painted since it became whole.
        if session.busy:
            counter.reset()
        elif not counter.missing():
            marks["painted"], marks["painted_cpu"] = time.perf_counter(), time.process_time()
            loop.quit()
            return
        QtCore.QTimer.singleShot(1, watch)

    try:
        heartbeat.start()
        for i in range(values):
            QtCore.QTimer.singleShot(i * DRAG_INTERVAL_MS, lambda i=i: move(i))
        QtCore.QTimer.singleShot(600_000, loop.quit)  # a broken catch-up must not hang the bench
        loop.exec()
        heartbeat.stop()
        app.processEvents()
    finally:
        scene.close()
    if "painted" not in marks:
        raise RuntimeError("the dragged racer's re-simulation did not finish within 10 minutes")
    run = session.runs[adam.id]
    return {
        "retune_block_ms": heartbeat.longest * 1e3,
        "retune_100k_s": marks["painted"] - marks["last"],
        "retune_block_cpu_ms": heartbeat.longest_cpu * 1e3,
        "retune_100k_cpu_s": marks["painted_cpu"] - marks["last_cpu"],
        "drag_at_step": at_step,
        "drag_slices": session.catchup.slices,
        "drag_abandoned": session.catchup.abandoned,
        "drag_final_step": run.step,
    }
