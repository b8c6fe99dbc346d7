"""The map draws each trail within one pixel of the full path, at the view's resolution and
after a zoom, and divergence labels never cover each other or the legend."""

import numpy as np
from PySide6 import QtCore

import gui.model.racer as racer_module
from gui.model.presets import PRESETS
from gui.model.trajectory import Trajectory

STEPS = 40_000


class Recording(Trajectory):
    """A trajectory that also keeps every point it is given: the brute-force truth."""

    def append(self, step, x, y, loss, gnorm):
        if step <= STEPS:
            self.every[step] = (step, x, y)
        super().append(step, x, y, loss, gnorm)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.every = np.full((STEPS + 1, 3), np.nan)


def pixel_distances(truth, steps, x, y, pixel):
    """Each true point's distance, in pixels, to the drawn segment spanning its step."""
    pw, ph = pixel
    at = np.clip(np.searchsorted(steps, truth[:, 0], side="right") - 1, 0, len(steps) - 2)
    a = np.column_stack([x[at] / pw, y[at] / ph])
    e = np.column_stack([x[at + 1] / pw, y[at + 1] / ph])
    p = np.column_stack([truth[:, 1] / pw, truth[:, 2] / ph])
    d, s = p - a, e - a
    ss = (s * s).sum(axis=1)
    t = np.clip((d * s).sum(axis=1) / np.where(ss > 0, ss, 1.0), 0.0, 1.0)
    r = d - t[:, None] * s
    return np.sqrt((r * r).sum(axis=1))


def check_drawn_within_a_pixel(window, zoomed=False):
    paths = window.map_view.paths
    pixel = tuple(window.map_view.getPlotItem().getViewBox().viewPixelSize())
    assert paths._pixel == pixel  # the trails were simplified for this very view
    worst = {}
    for racer in window.session.racers:
        run = window.session.runs[racer.id]
        line = paths.trails.lines[racer.id]
        rows = paths.items[racer.id].path.update(run.trajectory, pixel)  # cached: as drawn
        np.testing.assert_array_equal(line.x, rows[:, 1])
        np.testing.assert_array_equal(line.y, rows[:, 2])
        worst[racer.label] = pixel_distances(
            run.trajectory.every, rows[:, 0], line.x, line.y, pixel
        )
        # Zoomed in past the store's own tolerance, the trail is as true as the store, plus a
        # quarter of a pixel (gui/drawn_path.py); at the view of the frame, within a pixel.
        store = run.trajectory.tolerance / min(pixel)
        assert store < 1.0 or zoomed
        assert worst[racer.label].max() <= max(1.0, store + 0.25), racer.label
    return worst


def test_trails_lie_within_a_pixel_of_the_full_path_before_and_after_a_zoom(
    show_window, qtbot, monkeypatch
):
    monkeypatch.setattr(racer_module, "Trajectory", Recording)
    session, _ = PRESETS["book-fig6-8"].load()
    session.set_step_limit(STEPS)
    window = show_window(session, size=(1600, 1000))
    session.advance(STEPS - session.step)
    # The window catches long runs up in slices between paints: wait as a user would.
    qtbot.waitUntil(lambda: not session.busy, timeout=120_000)
    qtbot.wait(50)
    check_drawn_within_a_pixel(window)
    adam = next(r for r in session.racers if r.label == "Adam")
    drawn = len(window.map_view.paths.trails.lines[adam.id].x)
    assert drawn < len(session.runs[adam.id].trajectory) // 2  # the view needs far fewer
    # Zoom in 10× around the minimum.
    view = window.map_view.getPlotItem().getViewBox()
    view.setRange(xRange=(-2, 2), yRange=(-1, 1), padding=0)
    qtbot.wait(50)
    check_drawn_within_a_pixel(window, zoomed=True)
    assert len(window.map_view.paths.trails.lines[adam.id].x) > drawn  # finer for the zoom


def test_divergence_labels_cover_neither_each_other_nor_the_legend(show_window, qtbot):
    session, _ = PRESETS["saddle-escape"].load()
    sgd = next(r for r in session.racers if r.optimizer == "sgd")
    session.set_hyper(sgd.id, "lr", 0.06)
    twin = session.add_racer("sgd", lr=0.0601)  # leaves the map at nearly the same place
    fast = session.add_racer("momentum", lr=0.5)  # leaves early, elsewhere
    window = show_window(session, size=(900, 600))
    session.advance(session.step_limit - session.step)
    qtbot.waitUntil(lambda: not session.busy, timeout=120_000)
    qtbot.wait(50)
    paths = window.map_view.paths
    labels = [paths.items[r.id].label for r in (sgd, twin, fast)]
    texts = [label.toPlainText() for label in labels]
    assert texts == [
        f"diverged at step {session.runs[r.id].diverged_at}" for r in (sgd, twin, fast)
    ]
    wanted = [paths.items[r.id].label_at for r in (sgd, twin)]
    view = window.map_view.getPlotItem().getViewBox()
    a, b = (view.mapViewToScene(QtCore.QPointF(x, y)) for x, y, *_ in wanted)
    assert abs(a.x() - b.x()) < 20 and abs(a.y() - b.y()) < 5  # they would sit on each other
    for size in [(900, 600), (1600, 1000), (700, 500)]:  # and after the window is resized
        window.resize(*size)
        qtbot.wait(50)
        rects = [label.sceneBoundingRect() for label in labels if label.isVisible()]
        assert len(rects) == 3
        legend = window.map_view.legend.sceneBoundingRect()
        for i, rect in enumerate(rects):
            assert not rect.intersects(legend)
            assert not any(rect.intersects(other) for other in rects[i + 1 :])


def test_divergence_labels_sit_on_a_light_plate_over_any_colours(show_window, qtbot):
    # The saddle's top edge is the dark end of the colour map: bare text in a racer's colour
    # all but vanished there. Behind the text the label shows a near-white plate.
    session, _ = PRESETS["saddle-escape"].load()
    momentum = next(r for r in session.racers if r.optimizer == "momentum")
    window = show_window(session, size=(900, 600))
    session.advance(session.step_limit - session.step)
    qtbot.waitUntil(lambda: not session.busy, timeout=120_000)
    qtbot.wait(100)
    label = window.map_view.paths.items[momentum.id].label
    assert label.isVisible() and label.toPlainText().startswith("diverged at step")
    viewport = window.map_view.viewport()
    box = window.map_view.mapFromScene(label.sceneBoundingRect()).boundingRect()
    image = viewport.grab(box.adjusted(3, 3, -3, -3)).toImage()
    light = sum(
        min(c.red(), c.green(), c.blue()) >= 200
        for c in (
            image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
        )
    )
    assert light > 0.5 * image.width() * image.height(), light
