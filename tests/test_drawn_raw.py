"""The newest points, still raw while they wait for the store, are drawn like the stored ones:
within a pixel of the full path on the map, by column envelope on the loss plot. Checked against
the full path and against each column's extremes found by brute force."""

import numpy as np
import pytest

from gui.drawn_path import MIN_DRAW_TOLERANCE, RAW_CHUNK, DrawnPath
from gui.model.trajectory import BLOCK, RAW_COLUMN_STEPS, Trajectory

PIXEL = (0.01, 0.02)  # a view's pixel in data units: unequal on purpose


def spiral(steps: int) -> np.ndarray:
    """(step, x, y, loss, gnorm) of a path that turns all the time: nothing is straight."""
    t = np.arange(steps + 1, dtype=float)
    r = 3.0 * np.exp(-t / 4000)
    loss = r**2 * (1 + 0.3 * np.sin(t / 3))  # wiggles faster than a pixel column
    return np.column_stack([t, r * np.cos(t / 40), r * np.sin(t / 40), loss, r])


def recorded(rows: np.ndarray) -> Trajectory:
    trajectory = Trajectory(tolerance=1e-4)
    for row in rows.tolist():
        trajectory.append(int(row[0]), *row[1:])
    return trajectory


def pixel_distances(truth: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """Each true point's distance in pixels to the drawn segment spanning its step."""
    steps = drawn[:, 0]
    at = np.clip(np.searchsorted(steps, truth[:, 0], side="right") - 1, 0, len(steps) - 2)
    a = drawn[at, 1:3] / PIXEL
    e = drawn[at + 1, 1:3] / PIXEL
    p = truth[:, 1:3] / PIXEL
    d, s = p - a, e - a
    ss = (s * s).sum(axis=1)
    u = np.clip((d * s).sum(axis=1) / np.where(ss > 0, ss, 1.0), 0.0, 1.0)
    r = d - u[:, None] * s
    return np.hypot(r[:, 0], r[:, 1])


@pytest.mark.parametrize("steps", [150, 900, 3 * BLOCK + 1000, 5 * BLOCK + 3])
def test_a_trail_with_many_raw_points_is_drawn_within_a_pixel_in_far_fewer(steps):
    rows = spiral(steps)
    trajectory = recorded(rows)
    drawn = DrawnPath(exact=200).update(trajectory, PIXEL)
    assert drawn[0, 0] == 0 and drawn[-1, 0] == steps  # from the start to the head
    assert np.all(np.diff(drawn[:, 0]) > 0)
    np.testing.assert_array_equal(drawn, rows[drawn[:, 0].astype(int)])  # true points only
    assert pixel_distances(rows, drawn).max() <= 1.0
    if steps < 200:  # a short trail is drawn point for point: its per-step markers sit on it
        assert len(drawn) == steps + 1
    else:
        raw = len(trajectory.pending())
        assert len(drawn) < (len(trajectory.stored()) + raw) / 2
        assert len(drawn) - len(DrawnPath().update(trajectory, PIXEL)) < RAW_CHUNK + 1


def test_raw_points_are_simplified_as_they_come_and_again_after_each_block():
    rows = spiral(3 * BLOCK)
    trajectory, path = Trajectory(tolerance=1e-4), DrawnPath(exact=200)
    for row in rows.tolist():
        trajectory.append(int(row[0]), *row[1:])
        step = int(row[0])
        if step % 97 == 0 or step % BLOCK in (0, 1, 2):
            drawn = path.update(trajectory, PIXEL)
            assert drawn[-1, 0] == step
            assert pixel_distances(rows[: step + 1], drawn).max() <= 1.0
            # The same as drawing this trajectory afresh: nothing stale is kept.
            np.testing.assert_array_equal(drawn, DrawnPath(exact=200).update(trajectory, PIXEL))


def column_extremes(rows: np.ndarray, width: int) -> set[int]:
    """Steps of each column's first, last, lowest and highest loss, found one column at a time."""
    picks = set()
    for column in np.unique(rows[:, 0] // width):
        inside = rows[rows[:, 0] // width == column]
        for i in (0, -1, int(np.argmin(inside[:, 3])), int(np.argmax(inside[:, 3]))):
            picks.add(int(inside[i, 0]))
    return picks


def test_the_loss_plot_takes_raw_points_by_column_and_the_newest_column_whole():
    steps = 10 * BLOCK + 700
    rows = spiral(steps)
    trajectory = recorded(rows)
    width = 16  # steps in a pixel column, say
    assert width >= RAW_COLUMN_STEPS
    got, data = trajectory.drawable(1000, raw_columns=width)
    raw = trajectory.pending()
    newest = raw[raw[:, 0] // width == steps // width]
    whole = raw[raw[:, 0] // width < steps // width]
    assert column_extremes(whole, width) <= set(got.tolist())  # every column's envelope
    assert set(newest[:, 0].astype(int)) <= set(got.tolist())  # the growing column as it is
    kept_raw = got[got > trajectory.stored()[-1, 0]]
    assert len(kept_raw) <= 4 * len(np.unique(whole[:, 0] // width)) + len(newest)
    assert len(kept_raw) < len(raw) / 2
    assert np.all(np.diff(got) > 0) and got[-1] == steps
    np.testing.assert_array_equal(data, rows[got, 1:])
    # Asked again a step later, the kept columns are the same ones: the result is as fresh.
    trajectory.append(steps + 1, *spiral(steps + 1)[-1, 1:])
    again, _ = trajectory.drawable(1000, raw_columns=width)
    assert again[-1] == steps + 1 and set(got.tolist()) - set(again.tolist()) <= {steps}


def test_without_raw_columns_or_with_narrow_columns_every_raw_point_is_drawn():
    trajectory = recorded(spiral(3000))
    every, _ = trajectory.drawable(1000, raw_columns=RAW_COLUMN_STEPS // 2)
    plain, _ = trajectory.drawable(1000)
    np.testing.assert_array_equal(every, plain)
    assert len(every) == len(trajectory)


def test_the_stored_points_of_a_short_curve_are_drawn_whole_beside_raw_columns():
    trajectory = recorded(spiral(3 * BLOCK + 900))  # few stored points: all of them drawn
    got, _ = trajectory.drawable(1000, raw_columns=16)
    stored = trajectory.stored()[:, 0].astype(int)
    np.testing.assert_array_equal(got[: len(stored)], stored)
    assert len(got) - len(stored) < len(trajectory.pending()) / 2


def test_the_loss_plot_takes_columns_no_wider_than_its_pixels(qtbot, show_window):
    window = show_window(size=(1000, 700))
    session = window.session
    session.set_step_limit(20_000)
    session.advance(11 * BLOCK + 900)
    qtbot.waitUntil(lambda: not session.busy, timeout=120_000)
    view = window.loss_view
    (x0, x1), pixels = view.view_box.viewRange()[0], view.view_box.width()
    width = view._raw_width
    assert RAW_COLUMN_STEPS <= width <= (x1 - x0) / pixels < 2 * width
    view.view_box.setXRange(0, (x1 - x0) / 4, padding=0)  # zoomed in: narrower columns at once
    (x0, x1) = view.view_box.viewRange()[0]
    assert view._raw_width <= max((x1 - x0) / pixels, 0) or view._raw_width == 0
    racer = session.racers[0]
    drawn = view.lines.lines[racer.id].x
    expected, _ = session.runs[racer.id].trajectory.drawable(1000, view._raw_width)
    np.testing.assert_array_equal(drawn, expected)


def test_a_trail_drawn_while_its_store_coarsens_stays_within_a_pixel():
    # A small store coarsens again and again (each time it only loses rows); the drawn trail
    # goes on after the last stored row it drew instead of starting over. At every redraw it
    # must still hold only true points, in step order, within the documented bound: a pixel
    # of the path, or, once the store's own bound is a pixel or more, a quarter of a pixel
    # more than the store's.
    rows = spiral(40_000)
    trajectory, path = Trajectory(capacity=2048, tolerance=1e-4), DrawnPath(exact=200)
    generations, bounds = set(), set()
    for row in rows.tolist():
        trajectory.append(int(row[0]), *row[1:])
        step = int(row[0])
        if step % 613 == 0 or step == len(rows) - 1:
            drawn = path.update(trajectory, PIXEL)
            generations.add(trajectory.generation)
            assert drawn[0, 0] == 0 and drawn[-1, 0] == step
            assert np.all(np.diff(drawn[:, 0]) > 0)
            np.testing.assert_array_equal(drawn, rows[drawn[:, 0].astype(int)])
            store = trajectory.tolerance / min(PIXEL)
            bound = max(1.0, store + MIN_DRAW_TOLERANCE)
            assert pixel_distances(rows[: step + 1], drawn).max() <= bound
            bounds.add(bound)
    assert len(generations) > 4  # it coarsened between redraws, again and again
    assert min(bounds) == 1.0 < max(bounds)  # both regimes were drawn
