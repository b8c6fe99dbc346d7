"""A frame repaints only what changed (a path's new tail, a head's old and new square), so what
the screen shows after many such frames must be exactly what a full repaint shows: no stale
pixels of a moved head, an old tail or a re-simplified trail.

The offscreen platform's grabWindow reads the window's backing store — the pixels painted so
far — while ``repaint()`` paints the widget afresh.
"""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui

from gui.model import Session, book_scene
from surfaces import SURFACES


def on_screen(win, widget) -> QtGui.QImage:
    shot = win.screen().grabWindow(win.winId()).toImage()
    return shot.copy(QtCore.QRect(widget.mapTo(win, QtCore.QPoint(0, 0)), widget.size()))


class Regions(QtCore.QObject):
    """The regions of the paint events a widget receives."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.widget, self.rects = widget, []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget and event.type() == QtCore.QEvent.Type.Paint:
            self.rects.append(event.region().boundingRect())
        return False


def play(qtbot, win, ticks: int) -> None:
    play_pause = win.playback_panel.playback_actions[0]
    start = win.playback.ticks
    play_pause.trigger()
    qtbot.waitUntil(lambda: win.playback.ticks >= start + ticks, timeout=20_000)
    play_pause.trigger()
    assert not win.playback.playing
    for _ in range(3):
        QtCore.QCoreApplication.processEvents()


def assert_screen_is_fresh(win) -> None:
    views = (win.map_view.viewport(), win.loss_view.viewport())
    painted = [on_screen(win, v) for v in views]
    for v in views:
        v.repaint()
    fresh = [on_screen(win, v) for v in views]
    assert painted[0] == fresh[0], "the map shows pixels a full repaint does not"
    assert painted[1] == fresh[1], "the loss plot shows pixels a full repaint does not"


def long_race() -> Session:
    session = Session(SURFACES["rosenbrock"])
    session.set_step_limit(100_000)
    for key, lr in (("sgd", 1e-3), ("adam", 0.02), ("momentum", 2e-4), ("rmsprop", 1e-3)):
        session.add_racer(key, lr=lr)
    session.advance(5000)
    return session


def diverging() -> Session:
    session = book_scene()
    session.add_racer("sgd", lr=1.05)  # |1 - 2·lr| > 1 along y: it leaves the map
    return session


@pytest.mark.parametrize("make", [book_scene, long_race, diverging], ids=lambda f: f.__name__)
def test_partly_repainted_frames_show_what_a_full_repaint_shows(qtbot, show_window, make):
    win = show_window(make(), size=(1100, 760))
    regions = Regions(win.map_view.viewport()), Regions(win.loss_view.viewport())
    play(qtbot, win, 40)
    assert_screen_is_fresh(win)
    # Not vacuous: frames did repaint only part of each view.
    for r in regions:
        full = r.widget.rect()
        assert any(rect.width() * rect.height() < full.width() * full.height() for rect in r.rects)


def test_heads_that_jump_many_pixels_a_frame_leave_nothing_behind(qtbot, show_window):
    # Past the per-step markers, at 301 steps a frame, racers that zig-zag (Lion's fixed steps,
    # SGD at the edge of stability on y, Momentum 0.99) move their heads many pixels a frame.
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    session.set_step_limit(100_000)
    session.add_racer("lion", lr=0.5)
    session.add_racer("sgd", lr=0.99)
    session.add_racer("momentum", lr=0.1, momentum=0.99)
    session.advance(1000)
    win = show_window(session, size=(1100, 760))
    speed = win.playback_panel.speed
    speed.selectAll()
    qtbot.keyClicks(speed, "301")
    qtbot.keyClick(speed, QtCore.Qt.Key.Key_Return)
    assert win.playback.speed == 301
    play(qtbot, win, 20)
    assert_screen_is_fresh(win)


def test_a_racer_switched_off_and_on_mid_race_leaves_no_trace(qtbot, show_window):
    win = show_window(long_race(), size=(1100, 760))
    racer = win.session.racers[1]
    box = win.racer_panel.boxes[racer.id].enabled  # the racer's "race this optimizer" box
    play(qtbot, win, 10)
    qtbot.mouseClick(box, QtCore.Qt.MouseButton.LeftButton)
    assert not win.session.racer(racer.id).enabled
    play(qtbot, win, 10)
    assert_screen_is_fresh(win)
    qtbot.mouseClick(box, QtCore.Qt.MouseButton.LeftButton)
    assert win.session.racer(racer.id).enabled
    play(qtbot, win, 10)
    assert_screen_is_fresh(win)


def _repainted(qtbot, plot, change) -> list[QtCore.QRectF]:
    """The scene rectangles repainted after ``change()``."""
    rects: list[QtCore.QRectF] = []
    plot.scene().changed.connect(rects.extend)
    change()
    qtbot.waitUntil(lambda: bool(rects), timeout=2000)
    plot.scene().changed.disconnect(rects.extend)
    return rects


def test_a_line_repaints_from_its_first_changed_point(qtbot):
    import numpy as np
    import pyqtgraph as pg

    from gui.trails_item import Lines

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    qtbot.waitExposed(plot)
    plot.setRange(xRange=(0, 100), yRange=(0, 100), padding=0)
    lines = Lines()
    plot.addItem(lines)
    pen = QtGui.QPen(QtGui.QColor("red"), 1.0)
    pen.setCosmetic(True)
    lines.add(1, pen)
    x, y = np.arange(50.0), np.full(50, 50.0)
    lines.set_data(1, x, y)
    qtbot.wait(50)

    def covered(rects, px, py) -> bool:
        at = lines.mapToScene(QtCore.QPointF(px, py))
        return any(r.contains(at) for r in rects)

    # A point more at the end: the tail is repainted, the start of the line is not.
    grown = _repainted(qtbot, plot, lambda: lines.set_data(1, np.append(x, 50.0), np.append(y, 50)))
    assert covered(grown, 49.5, 50) and not covered(grown, 10, 50)
    # An early point moved (a re-simplified trail): repainted from there, where it was and is.
    moved_y = np.append(y, 50.0)
    moved_y[10] = 70.0
    moved = _repainted(qtbot, plot, lambda: lines.set_data(1, np.append(x, 50.0), moved_y))
    assert covered(moved, 10, 50) and covered(moved, 10, 70) and covered(moved, 30, 50)
