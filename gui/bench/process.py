"""Benchmarks that need a fresh process: start-up time and memory over a long race.

The parent runs ``python -m gui.bench.process startup|soak …`` with Qt's offscreen platform and
reads one JSON line back. This module imports nothing heavy at the top, so the start-up child
pays for exactly what ``python main.py`` pays for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the project: gui/bench/process.py → ../..


def _child(*args: str, timeout: float) -> tuple[dict[str, Any], float]:
    """Run a child benchmark; its last stdout line is JSON. Also returns the spawn time on the
    system-wide monotonic clock, which the child can read too."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    spawned = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "gui.bench.process", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"bench child {args} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), spawned


def startup(repeats: int) -> dict[str, Any]:
    """Seconds from spawning ``python`` to the end of the window's first painted frame, the
    median of ``repeats`` runs after one warm-up run (which fills the OS file cache)."""
    times = []
    for i in range(repeats + 1):
        out, spawned = _child("startup", timeout=120)
        if i:
            times.append(out["painted"] - spawned)
    times.sort()
    return {"startup_s": times[len(times) // 2]}


def rss_growth(ticks: int, speed: int) -> dict[str, Any]:
    out, _ = _child("soak", str(ticks), str(speed), timeout=3600)
    return out


# --- the children -----------------------------------------------------------------------------


def _startup_child() -> None:
    """``python main.py --no-settings`` with a watcher: the first paint of the map's viewport
    marks the first frame; once that event (and the window's whole repaint) is done, report and
    close, which ends the app's event loop."""
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication(["optimizer-playground"])
    stamp: dict[str, float] = {}

    class FirstFrame(QtCore.QObject):
        def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
            is_paint = event.type() == QtCore.QEvent.Type.Paint
            parent = watched.parent() if is_paint else None
            if is_paint and not stamp and type(parent).__name__ == "MapView":
                stamp["seen"] = time.monotonic()
                QtCore.QTimer.singleShot(0, finish)  # runs after this paint has completed
            return False

    def finish() -> None:
        stamp["painted"] = time.monotonic()
        for window in app.topLevelWidgets():
            window.close()

    watcher = FirstFrame()
    app.installEventFilter(watcher)
    from gui.app import main

    code = main(["--no-settings"])
    print(json.dumps({"painted": stamp.get("painted"), "code": code}))


def _soak_child(ticks: int, speed: int) -> None:
    """Play ``ticks`` ticks of ``speed`` steps with the eight benchmark racers in a shown,
    offscreen window, through the playback's own timer, and report resident memory before and
    after. Before is taken once the window has painted its first frames."""
    from PySide6 import QtCore, QtWidgets

    from gui.bench.scene import race_scene, rss_mb
    from gui.window import MainWindow

    app = QtWidgets.QApplication(["optimizer-playground"])
    session = race_scene(0, step_limit=ticks * speed)
    window = MainWindow(session, store=None, speed=speed, tick_ms=0)
    window.show()
    for _ in range(5):
        app.processEvents()
    before = rss_mb()
    loop = QtCore.QEventLoop()
    window.playback.done.connect(loop.quit)
    window.playback.stop_after(ticks)
    start = time.perf_counter()
    window.playback.play()
    loop.exec()
    seconds = time.perf_counter() - start
    for _ in range(5):
        app.processEvents()
    after = rss_mb()
    stored = sum(run.trajectory.nbytes() for run in session.runs.values()) / (1 << 20)
    result = {
        "rss_growth_mb": after - before,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "soak_steps": session.step,
        "soak_racers": len(session.racers),
        "soak_s": seconds,
        "trajectory_mb": stored,
    }
    window.close()
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "startup":
        _startup_child()
    elif sys.argv[1] == "soak":
        _soak_child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown bench child {sys.argv[1]!r}")
