"""``tick3d_ms``: a timer tick of the 3-D view, stepped and drawn by the real OpenGL driver.

OpenGL needs a display (under Xvfb: Mesa's software renderer), so the parent runs
``python -m gui.bench.tick3d N`` on Qt's xcb platform when ``$DISPLAY`` is set and reads one JSON
line back. The child shows the 3-D view of the bench scene (eight racers, 10,000-point trails,
a 200×200 mesh); each timed tick steps every racer once and waits until the view has drawn and
handed its frame to the window (``frameSwapped``), the OpenGL pipeline finished.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
SIZE = (900, 620)  # about the 3-D view's share of a 1600×1000 window, side by side
TIMEOUT = 600


def tick3d(repeats: int, trail: int) -> dict[str, Any]:
    """``{"tick3d_ms": …, "gl_renderer": …}``, or a null value and a ``note`` saying why."""
    if not os.environ.get("DISPLAY"):
        return _none("no display for OpenGL (run the bench under xvfb-run or on a desktop)")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "gui.bench.tick3d", str(repeats), str(trail)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return _none(f"the 3-D bench child failed ({done.returncode}): {done.stderr[-300:]}")
    return json.loads(lines[-1])


def _none(why: str) -> dict[str, Any]:
    return {"tick3d_ms": None, "gl_renderer": None, "note": why}


def _child(repeats: int, trail: int) -> dict[str, Any]:
    from OpenGL import GL
    from PySide6 import QtWidgets

    from gui import theme
    from gui.bench.scene import median_seconds, race_scene
    from gui.gl_probe import gl_status

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["bench"])
    status = gl_status()
    if not status.ok:
        return _none(status.reason)
    from gui.view3d import View3D

    theme.setup_pyqtgraph()
    session = race_scene(trail)
    view = View3D(session)
    view.resize(*SIZE)
    swaps = [0]
    view.frameSwapped.connect(lambda: swaps.__setitem__(0, swaps[0] + 1))
    view.show()
    for _ in range(10):
        app.processEvents()

    def one() -> None:
        before = swaps[0]
        session.advance(1)  # the views follow through the session's events
        view.repaint()
        while swaps[0] == before:
            app.processEvents()
        view.makeCurrent()
        GL.glFinish()
        view.doneCurrent()

    seconds = median_seconds(one, repeats, warmup=3)
    # CPU time of this process (Mesa's software renderer draws in its threads): on a machine
    # shared with other work it says what a tick costs where the wall clock cannot.
    cpu = time.process_time()
    for _ in range(repeats):
        one()
    cpu_ms = (time.process_time() - cpu) / repeats * 1e3
    view.detach()
    view.close()
    return {"tick3d_ms": seconds * 1e3, "tick3d_cpu_ms": cpu_ms, "gl_renderer": status.renderer}


if __name__ == "__main__":
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    print(json.dumps(_child(int(sys.argv[1]), int(sys.argv[2]))))
