"""The window's costs, offscreen and painted: a timer tick, a surface switch, a slider move.

Every timed action ends only when both plots have really painted: an event filter counts the
paint events of the map's and the loss plot's viewports, and the clock stops after both have
arrived (if Qt has not painted after a few rounds of events, they are repainted by force and
that is counted too). Painting is Qt's raster engine into the offscreen platform's backing store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore, QtWidgets

from gui.bench.scene import median_seconds, race_scene
from gui.model import Session
from gui.window import MainWindow
from surfaces import SURFACES

SIZE = (1280, 800)  # the window's default size
# Surfaces cycled through by the switch benchmark: built-in ones of every kind of colour scale.
SWITCH_CYCLE = ("rosenbrock", "himmelblau", "rastrigin", "beale", "ackley", "book")


class PaintCounter(QtCore.QObject):
    """Counts paint events on the watched widgets."""

    def __init__(self, widgets: list[QtWidgets.QWidget]) -> None:
        super().__init__()
        self.widgets = widgets
        self.counts = dict.fromkeys(map(id, widgets), 0)
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Paint and id(watched) in self.counts:
            self.counts[id(watched)] += 1
        return False

    def reset(self) -> None:
        self.counts = dict.fromkeys(self.counts, 0)

    def missing(self) -> list[QtWidgets.QWidget]:
        return [w for w in self.widgets if not self.counts[id(w)]]


@dataclass
class Stage:
    """A shown window and the means to wait until its plots have painted."""

    window: MainWindow
    app: QtWidgets.QApplication
    counter: PaintCounter
    forced: int = 0  # paints that had to be forced because Qt had not done them on its own

    def settle(self) -> None:
        """Process events until both plots have painted what changed."""
        for _ in range(5):
            self.app.processEvents()
            if not self.counter.missing():
                break
        for widget in self.counter.missing():
            widget.repaint()
            self.forced += 1
        self.counter.reset()

    def close(self) -> None:
        self.window.playback.pause()
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()
        # Deleted now, not in whatever event loop runs next: three windows torn down inside
        # the drag's first turn (15 ms each) were once its longest "block".
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


def stage(session: Session, speed: int = 1) -> Stage:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["optimizer-playground"])
    window = MainWindow(session, store=None, speed=speed, tick_ms=0)
    window.resize(*SIZE)
    window.show()
    counter = PaintCounter([window.map_view.viewport(), window.loss_view.viewport()])
    for _ in range(5):  # first layout, fonts and caches: not what a tick costs
        app.processEvents()
    counter.reset()
    return Stage(window, app, counter)


def tick(session: Session, repeats: int) -> dict[str, Any]:
    """One timer tick: the playback's own handler steps every racer, the plots follow through
    the session's events, and both plots paint."""
    scene = stage(session)
    timer = scene.window.playback.timer

    def one() -> None:
        timer.timeout.emit()
        scene.settle()

    try:
        seconds = median_seconds(one, repeats, warmup=5)
    finally:
        scene.close()
    return {"tick_ms": seconds * 1e3, "tick_forced_paints": scene.forced}


def surface_switch(repeats: int) -> dict[str, Any]:
    """Switch surface on the book scene at step 0: sample a 400×400 grid, colour it, trace the
    contour lines, re-simulate the racers (nothing to do at step 0) and paint."""
    from gui.model import book_scene

    scene = stage(book_scene())
    names = iter(SWITCH_CYCLE * (repeats + 10))

    def one() -> None:
        scene.window.session.set_surface(SURFACES[next(names)])
        scene.settle()

    try:
        seconds = median_seconds(one, repeats, warmup=len(SWITCH_CYCLE))
    finally:
        scene.close()
    return {"surface_switch_ms": seconds * 1e3, "switch_forced_paints": scene.forced}


def retune(repeats: int, at_step: int = 1000) -> dict[str, Any]:
    """Move the Adam racer's learning-rate slider on the benchmark scene at step ``at_step``:
    that racer is re-simulated from the start and both plots paint."""
    session = race_scene(at_step)
    racer = next(r for r in session.racers if r.optimizer == "adam")
    scene = stage(session)
    slider = _lr_slider(scene.window, racer.id)
    positions = iter(range(10**6))
    base = slider.value() if slider is not None else 0

    def one() -> None:
        step = next(positions) % 2 + 1  # alternate between two nearby positions
        if slider is not None:
            slider.setValue(base - step)
        else:
            session.set_hyper(racer.id, "lr", 0.02 * (1 - 0.01 * step))
        scene.settle()

    try:
        seconds = median_seconds(one, repeats, warmup=3)
    finally:
        scene.close()
    how = "the racer panel's lr slider" if slider is not None else "Session.set_hyper"
    return {"retune_ms": seconds * 1e3, "retune_via": how, "retune_forced_paints": scene.forced}


def _lr_slider(window: MainWindow, racer_id: int) -> QtWidgets.QSlider | None:
    """The real slider widget if the panel still exposes it (the window is evolving)."""
    try:
        return window.racer_panel.boxes[racer_id].sliders["lr"].slider
    except (AttributeError, KeyError):
        return None
