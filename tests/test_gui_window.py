"""The window as a whole: the timer, the map, the loss plot, errors and keys."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gui.loss_view import FLOOR
from gui.model import Session, book_scene
from gui.window import MainWindow
from surfaces import SURFACES


def run_ticks(qtbot, window, n):
    playback = window.playback
    playback.stop_after(n)
    with qtbot.waitSignal(playback.done, timeout=10_000):
        playback.play()


@pytest.mark.parametrize("speed", [1, 7])
def test_n_ticks_advance_n_times_speed_steps(qtbot, window, speed):
    window.playback.speed = speed
    run_ticks(qtbot, window, 12)
    assert window.session.step == 12 * speed
    assert not window.playback.playing
    for racer in window.session.racers:
        assert window.session.runs[racer.id].step == 12 * speed


def test_playing_draws_every_racer_and_its_loss(qtbot, window):
    run_ticks(qtbot, window, 30)
    session = window.session
    for racer in session.racers:
        _, data = session.runs[racer.id].trajectory.table()
        x, y = window.map_view.paths.items[racer.id].trail.getData()
        np.testing.assert_allclose(x, data[:, 0])
        np.testing.assert_allclose(y, data[:, 1])
        steps, logloss = window.loss_view.curves[racer.id].getData()
        assert steps[-1] == 30
        # The book's minimum is f = 0: the plot shows log10(f − 0), floored.
        np.testing.assert_allclose(logloss, np.log10(np.maximum(data[:, 2], FLOOR)))


def test_play_stops_at_the_step_limit(qtbot, window):
    window.session.set_step_limit(5)
    window.playback.play()
    qtbot.waitUntil(lambda: not window.playback.playing, timeout=5000)
    assert window.session.step == 5


def test_clicking_the_map_sets_the_start(qtbot, window):
    view = window.map_view
    window.session.advance(5)
    target = (3.0, -2.0)
    pixel = view.mapFromScene(view.to_scene(*target))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pixel)
    x, y = window.session.start
    # One pixel of the map spans about 20/900 in x and 10/500 in y.
    assert x == pytest.approx(target[0], abs=0.05) and y == pytest.approx(target[1], abs=0.05)
    marker = view.start_marker.pos()
    assert (marker.x(), marker.y()) == pytest.approx(window.session.start)
    for racer in window.session.racers:
        _, data = window.session.runs[racer.id].trajectory.table()
        assert tuple(data[0, :2]) == window.session.start and len(data) == 6


def test_dragging_the_start_marker_moves_the_start(window):
    window.map_view.start_marker.setPos(1.5, 0.5)  # what a drag does, step by step
    assert window.session.start == (1.5, 0.5)


def test_model_start_moves_the_marker(window):
    window.session.set_start(-4.0, 1.0)
    pos = window.map_view.start_marker.pos()
    assert (pos.x(), pos.y()) == (-4.0, 1.0)


def test_diverged_racer_is_marked_on_map_and_panel(window):
    session = window.session
    sgd = session.racers[0]
    session.set_hyper(sgd.id, "lr", 5.0)
    session.advance(50)
    k = session.runs[sgd.id].diverged_at
    assert k is not None and session.runs[session.racers[1].id].step == 50
    label = window.map_view.paths.items[sgd.id].label
    assert label.isVisible() and label.toPlainText() == f"diverged at step {k}"
    window.refresh_status()
    assert window.racer_panel.boxes[sgd.id].status.text() == f"diverged at step {k}"
    xmin, xmax, ymin, ymax = session.surface.bounds
    pos = label.pos()
    assert xmin <= pos.x() <= xmax and ymin <= pos.y() <= ymax  # pinned inside the frame


def test_surface_change_redraws_heat_map_and_frames_it(window):
    window.session.set_surface(SURFACES["rosenbrock"])
    xmin, xmax, ymin, ymax = SURFACES["rosenbrock"].bounds
    rect = window.map_view.image.mapRectToView(window.map_view.image.boundingRect())
    assert rect.left() == pytest.approx(xmin) and rect.right() == pytest.approx(xmax)

    def frames_it():
        # The whole frame, touching two opposite sides (equal axes add room on the others).
        (x0, x1), (y0, y1) = window.map_view.view_box.viewRange()
        eps = 1e-6 * (xmax - xmin)
        assert x0 <= xmin + eps and x1 >= xmax - eps and y0 <= ymin + eps and y1 >= ymax - eps
        assert (x0, x1) == pytest.approx((xmin, xmax)) or (y0, y1) == pytest.approx((ymin, ymax))

    frames_it()
    window.map_view.view_box.setRange(xRange=(0, 0.1), yRange=(0, 0.1), padding=0)
    window.map_view.reset_view()
    frames_it()


def test_racers_added_and_removed_create_and_drop_their_items(window):
    session = window.session
    racer = session.add_racer("adam", lr=0.05)
    assert racer.id in window.map_view.paths.items and racer.id in window.loss_view.curves
    assert len(window.map_view.legend.items) == len(session.racers)
    session.remove_racer(racer.id)
    assert racer.id not in window.map_view.paths.items
    assert racer.id not in window.loss_view.curves
    assert len(window.map_view.legend.items) == len(session.racers)


def test_loss_axis_goes_linear_when_losses_are_not_positive(qtbot):
    saddle = next(s for s in SURFACES.values() if not s.minima and s.saddles)
    session = Session(saddle)
    session.add_racer("sgd", lr=0.01)
    win = MainWindow(session, tick_ms=0)
    qtbot.addWidget(win)
    session.advance(20)
    values = [session.runs[r.id].trajectory.table()[1][:, 2] for r in session.racers]
    assert win.loss_view.log_y == all((v[np.isfinite(v)] > 0).all() for v in values)


def test_exception_in_a_tick_stops_playback_and_is_shown(qtbot, window, monkeypatch):
    def broken(n=1):
        raise RuntimeError("the model broke")

    monkeypatch.setattr(window.session, "advance", broken)
    window.playback.play()
    qtbot.waitUntil(lambda: not window.playback.playing, timeout=5000)
    assert window.banner.isVisible()
    assert "the model broke" in window.banner.label.text()
    assert "the model broke" in window.statusBar().currentMessage()
    monkeypatch.undo()
    window.banner.hide()
    run_ticks(qtbot, window, 3)  # the app keeps running
    assert window.session.step == 3


def test_keys_drive_playback(qtbot, window):
    qtbot.keyClick(window, QtCore.Qt.Key.Key_S)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Right)
    assert window.session.step == 2
    qtbot.keyClick(window, QtCore.Qt.Key.Key_R)
    assert window.session.step == 0
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Space)
    assert window.playback.playing
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Space)
    assert not window.playback.playing


def test_window_exposes_what_the_exporters_use(window):
    assert window.file_menu.title() == "&File"
    assert window.map_view is not None and window.loss_view is not None
    assert window.session.racers and window.statusBar() is not None


def test_legend_lists_racers_and_its_click_toggles_one(window):
    session = window.session
    legend = window.map_view.legend
    assert [label.text for _, label in legend.items] == [r.label for r in session.racers]
    momentum = session.racers[1]
    sample = legend.items[1][0]

    class Click:
        def button(self):
            return QtCore.Qt.MouseButton.LeftButton

        def accept(self):
            pass

    sample.mouseClickEvent(Click())
    assert momentum.enabled is False
    assert not window.map_view.paths.items[momentum.id].trail.isVisible()
    session.set_enabled(momentum.id, True)
    assert window.map_view.paths.items[momentum.id].trail.isVisible()


def test_heads_follow_racers_on_and_off_and_removed(window):
    session = window.session
    session.advance(3)
    heads = window.map_view.paths.heads
    expected = [session.runs[r.id].trajectory.head[:2] for r in session.racers]
    np.testing.assert_allclose(np.column_stack(heads.getData()), expected)
    session.set_enabled(session.racers[0].id, False)
    assert len(heads.getData()[0]) == len(session.racers) - 1
    session.remove_racer(session.racers[1].id)
    assert len(heads.getData()[0]) == len(session.racers) - 1


def test_a_focused_slider_keeps_its_arrow_keys(qtbot, window):
    row = next(iter(window.racer_panel.boxes.values())).sliders["lr"]
    row.slider.setFocus()
    qtbot.waitUntil(row.slider.hasFocus)
    before = row.slider.value()
    qtbot.keyClick(row.slider, QtCore.Qt.Key.Key_Right)
    assert row.slider.value() == before + 1 and window.session.step == 0
    window.map_view.setFocus()
    qtbot.waitUntil(window.map_view.hasFocus)
    qtbot.keyClick(window.map_view, QtCore.Qt.Key.Key_Right)
    assert window.session.step == 1


def send_mouse(widget, kind, pos, buttons):
    """A real mouse event (QTest's mouseMove cannot hold a button down)."""
    from PySide6 import QtGui, QtWidgets

    button = QtCore.Qt.MouseButton.NoButton if kind == "move" else QtCore.Qt.MouseButton.LeftButton
    types = {
        "press": QtCore.QEvent.Type.MouseButtonPress,
        "move": QtCore.QEvent.Type.MouseMove,
        "release": QtCore.QEvent.Type.MouseButtonRelease,
    }
    point = QtCore.QPointF(pos)
    event = QtGui.QMouseEvent(
        types[kind],
        point,
        widget.mapToGlobal(point),
        button,
        buttons,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    QtWidgets.QApplication.sendEvent(widget, event)


def test_dragging_the_start_marker_with_the_mouse_moves_the_start_live(qtbot, window):
    view = window.map_view
    window.session.advance(4)
    qtbot.wait(100)  # let the first layout settle: pixel positions must not move under the mouse
    held = QtCore.Qt.MouseButton.LeftButton
    start = view.mapFromScene(view.to_scene(*window.session.start))
    send_mouse(view.viewport(), "press", start, held)
    seen = []
    for frac in (0.25, 0.5, 0.75, 1.0):
        target = view.mapFromScene(view.to_scene(-7.0 + 4.0 * frac, 2.0 - 3.0 * frac))
        qtbot.wait(40)  # pyqtgraph drops mouse moves that come faster than its rate limit
        send_mouse(view.viewport(), "move", target, held)
        seen.append(window.session.start)
    send_mouse(view.viewport(), "release", target, QtCore.Qt.MouseButton.NoButton)
    assert len(set(seen)) == 4  # the start followed the mouse, re-simulating on the way
    assert seen[-1] == pytest.approx((-3.0, -1.0), abs=0.05)
    racer = window.session.racers[0]
    _, data = window.session.runs[racer.id].trajectory.table()
    assert tuple(data[0, :2]) == window.session.start and len(data) == 5


def test_every_preset_loads_into_the_window(window):
    from gui.model.presets import PRESETS

    for key, preset in PRESETS.items():
        window.export_actions.load_preset(key)
        session = window.session
        assert not window.banner.isVisible(), key
        assert set(window.racer_panel.boxes) == {r.id for r in session.racers}
        assert set(window.map_view.paths.items) == {r.id for r in session.racers}
        for racer in session.racers:
            box = window.racer_panel.boxes[racer.id]
            assert {n: row.value() for n, row in box.sliders.items()} == racer.hyper, key
        surface_key = preset.scene["surface"].get("key")
        if surface_key is not None:
            assert window.surface_panel.combo.currentData() == surface_key


def test_a_closed_window_no_longer_follows_its_session(qtbot):
    session = book_scene()
    win = MainWindow(session, tick_ms=0)
    qtbot.addWidget(win)
    win.show()
    views = [win, win.map_view, win.loss_view, win.racer_panel, win.surface_panel]
    views.append(win.playback_panel)
    win.close()
    assert not [f for f in session.events._listeners if getattr(f, "__self__", None) in views]
    session.advance(3)  # nothing calls into the closed window's widgets
    session.add_racer("adam")


def test_no_two_actions_share_a_shortcut(window):
    # Qt fires neither action of an ambiguous shortcut, so a clash silently kills both keys.
    seen: dict[str, str] = {}
    for action in window.findChildren(QtGui.QAction):
        for seq in action.shortcuts():
            key = seq.toString()
            assert key not in seen, f"{key} is both {seen[key]!r} and {action.text()!r}"
            seen[key] = action.text()
    assert {"Ctrl+S", "Ctrl+E", "Ctrl+I", "Ctrl+Q"} <= set(seen)
