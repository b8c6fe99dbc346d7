"""A painted tick of the Network mode: the window's own page trains 4 racers × 10 iterations of
the spiral preset's 2-32-32-3 network and redraws what a tick redraws while training (the
curves, one racer's decision regions), and both views paint."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from gui.bench.paint import SIZE, PaintCounter, Stage
from gui.bench.scene import median_seconds
from gui.window import MainWindow

ITERATIONS = 10
WARM = 500  # iterations trained before measuring: curves of a realistic length


def train_tick(repeats: int, warm: int = WARM) -> dict[str, Any]:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["optimizer-playground"])
    window = MainWindow(store=None, tick_ms=0)
    window.resize(*SIZE)
    window.show()
    window.network_mode.network_action.trigger()
    page = window.network_mode.page
    race = page.race
    race.set_iterations(warm + ITERATIONS * (repeats + 10))
    race.advance(warm)
    views = [page.curves.plots.viewport(), page.boundaries.viewport()]
    counter = PaintCounter(views)
    for _ in range(5):
        app.processEvents()
    counter.reset()
    scene = Stage(window, app, counter)

    def one() -> None:
        race.advance(ITERATIONS)
        page._curves_at = page._boundaries_at = 0.0  # both redraws due: the tick's worst case
        page.playback.playing = True  # as while playing: the light refresh, not the full one
        try:
            page._on_ticked()
        finally:
            page.playback.playing = False
        scene.settle()

    try:
        seconds = median_seconds(one, repeats, warmup=3)
    finally:
        window.network_mode.shutdown()
        scene.close()
    return {"train_tick_ms": seconds * 1e3, "train_tick_forced_paints": scene.forced}
