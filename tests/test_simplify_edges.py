"""Path simplification against a plain-Python transcription of its documented rule.

The module docstring defines the search: spans on a power-of-two grid (the path padded with
copies of its last point), each tested whole, split at the middle when one of its inner points is
too far from it; a point is near when its distance to the span's segment (clamped to the ends) is
within the tolerance and, for each extra coordinate, its vertical distance at its own step to the
straight line between the span's ends is within that coordinate's tolerance. Non-finite points
are never near. The reference below does that one point at a time with math, no numpy.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

from gui.model.simplify import keep_mask


def near(i, a, e, t, x, y, tol, extra, limit, exempt):
    ex, ey = x[e] - x[a], y[e] - y[a]
    dx, dy = x[i] - x[a], y[i] - y[a]
    length2 = ex * ex + ey * ey
    s = 0.0 if length2 == 0 else min(1.0, max(0.0, (dx * ex + dy * ey) / length2))
    if not math.hypot(dx - s * ex, dy - s * ey) <= tol:  # NaN is never near
        return False
    if extra is None or exempt[i]:
        return True
    span = t[e] - t[a]
    frac = (t[i] - t[a]) / span if span > 0 else 0.0
    for c, lim in enumerate(limit):
        line = extra[a][c] + frac * (extra[e][c] - extra[a][c])
        if not abs(extra[i][c] - line) <= lim:
            return False
    return True


def reference(t, x, y, tol, extra=None, limit=None, checked=None):
    n = len(x)
    if n <= 2:
        return [True] * n
    size = 1
    while size < n - 1:
        size *= 2
    pad = size + 1 - n

    def padded(seq):
        return list(seq) + [seq[-1]] * pad

    t, x, y = padded([float(v) for v in t]), padded(list(x)), padded(list(y))
    if extra is not None:
        extra = padded([list(row) for row in extra])
    exempt = [False] * (size + 1)
    if checked is not None:
        exempt[:n] = [not c for c in checked]
    mask = [False] * (size + 1)

    def visit(a, m):
        e = a + m
        if m == 1 or all(
            near(i, a, e, t, x, y, tol, extra, limit, exempt) for i in range(a + 1, e)
        ):
            mask[a] = mask[e] = True
        else:
            visit(a, m // 2)
            visit(a + m // 2, m // 2)

    visit(0, size)
    return [True, *mask[1 : n - 1], True]  # the ends are always kept


def walk(rng, n):
    steps = rng.normal(size=(n, 2)) * rng.choice([0.01, 0.1, 1.0], size=(n, 1))
    return np.cumsum(steps, axis=0)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, 9, 16, 17, 33, 100, 129])
def test_the_plane_search_keeps_what_the_rule_keeps(n):
    rng = np.random.default_rng(n)
    for tol in [0.0, 0.05, 0.3, 2.0]:
        p = walk(rng, n)
        t = np.arange(n)
        got = keep_mask(t, p[:, 0], p[:, 1], tol)
        assert got.dtype == bool and got.shape == (n,)
        assert got.tolist() == reference(t, p[:, 0], p[:, 1], tol), (n, tol)


@pytest.mark.parametrize("n", [3, 5, 8, 9, 40, 65])
def test_the_extra_coordinates_are_checked_vertically_at_their_own_steps(n):
    rng = np.random.default_rng(100 + n)
    for columns in [1, 2]:
        p = walk(rng, n)
        t = np.cumsum(rng.integers(1, 5, size=n))  # uneven steps: the line is read at each t
        extra = rng.normal(size=(n, columns)).cumsum(axis=0)
        limit = np.array([0.4, 1.5][:columns])
        checked = rng.random(n) < 0.7
        for c in [None, checked]:
            got = keep_mask(t, p[:, 0], p[:, 1], 0.5, extra, limit, c)
            want = reference(t, p[:, 0], p[:, 1], 0.5, extra, limit, c)
            assert got.tolist() == want, (n, columns, c is None)


def test_repeated_steps_measure_the_extra_coordinate_from_the_span_start():
    # A span with no length in steps reads its line at its start: 0.5, 0.2 and 0.1 are all
    # within 0.6 of the start's 0 (from the end's 1.0, 0.2 would be 0.8 off).
    t = np.array([0, 0, 0, 0, 0])
    x = np.zeros(5)
    extra = np.array([[0.0], [0.5], [0.2], [0.1], [1.0]])
    got = keep_mask(t, x, x, 1.0, extra, np.array([0.6]))
    assert got.tolist() == [True, False, False, False, True]
    assert got.tolist() == reference(t, x, x, 1.0, extra, [0.6])


def test_fractional_steps_place_the_line_at_each_points_own_step():
    # The loss rises linearly in t, so the line between the ends explains every point, however
    # short the span in steps; a point off that line by 0.125 is kept.
    t = np.array([0.0, 0.25, 0.5])
    x = np.zeros(3)
    on_line = np.array([[0.0], [0.25], [0.5]])
    assert keep_mask(t, x, x, 1.0, on_line, np.array([0.1])).tolist() == [True, False, True]
    off_line = np.array([[0.0], [0.125], [0.5]])
    assert keep_mask(t, x, x, 1.0, off_line, np.array([0.1])).tolist() == [True, True, True]


def test_a_straight_line_keeps_only_its_ends_and_a_spike_is_kept():
    x = np.arange(11, dtype=float)
    y = np.zeros(11)
    assert keep_mask(x, x, y, 1e-12).tolist() == [True] + [False] * 9 + [True]
    y[3] = 1.0
    kept = keep_mask(x, x, y, 0.5)
    assert kept[3] and kept.tolist() == reference(x, x, y, 0.5)


def test_a_path_doubling_back_keeps_its_turn():
    # 0 → 4 → 0 along a line: every point is on the line through the ends, but not on the
    # segment between them, so the far end of the excursion must stay.
    x = np.array([0.0, 1, 2, 3, 4, 3, 2, 1, 0])
    y = np.zeros(9)
    kept = keep_mask(np.arange(9), x, y, 0.1)
    assert kept[4] and kept.tolist() == reference(np.arange(9), x, y, 0.1)


def test_non_finite_points_are_kept_quietly():
    warnings.simplefilter("error")  # pytest restores the filters after the test
    for bad in [math.nan, math.inf, -math.inf]:
        x = np.arange(9, dtype=float)
        y = np.zeros(9)
        y[5] = bad
        kept = keep_mask(np.arange(9), x, y, 100.0)
        with np.errstate(invalid="ignore"):  # the reference's inf − inf, on numpy floats
            assert kept[5] and kept.tolist() == reference(np.arange(9), x, y, 100.0)
        extra = np.zeros((9, 1))
        extra[2, 0] = bad
        kept = keep_mask(np.arange(9), x, np.zeros(9), 100.0, extra, np.array([100.0]))
        assert kept[2]


def test_every_dropped_point_is_within_the_tolerance_of_its_kept_segment():
    rng = np.random.default_rng(7)
    p = walk(rng, 500)
    kept = np.flatnonzero(keep_mask(np.arange(500), p[:, 0], p[:, 1], 0.2))
    assert 2 < len(kept) < 500
    for a, e in itertools.pairwise(kept):
        for i in range(a + 1, e):
            assert near(i, a, e, range(500), p[:, 0], p[:, 1], 0.2, None, None, None)


def test_unchecked_points_need_no_line_even_from_a_non_finite_start():
    # Only the points ``checked`` marks are held to the extra line; a span whose start has a
    # NaN loss but only unchecked points inside passes on the plane test alone.
    t = np.arange(5)
    x = np.zeros(5)
    extra = np.array([[math.nan], [1.0], [2.0], [3.0], [0.0]])
    checked = np.array([True, False, False, False, True])
    kept = keep_mask(t, x, x, 0.1, extra, np.array([0.5]), checked)
    assert kept.tolist() == [True, False, False, False, True]
    assert kept.tolist() == reference(t, x, x, 0.1, extra, [0.5], checked)


def test_a_point_exactly_at_the_tolerance_is_within_it():
    # (1, 1) is exactly 1 from the segment (0, 0)–(2, 0); the loss 1.5 is exactly 0.5 above
    # the line from 1 to 1. "Within" includes the bound itself.
    t = np.arange(3)
    x, y = np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0])
    assert keep_mask(t, x, y, 1.0).tolist() == [True, False, True]
    assert keep_mask(t, x, y, 0.999).tolist() == [True, True, True]
    extra = np.array([[1.0], [1.5], [1.0]])
    flat = np.zeros(3)
    assert keep_mask(t, x, flat, 0.0, extra, np.array([0.5])).tolist() == [True, False, True]
    assert keep_mask(t, x, flat, 0.0, extra, np.array([0.49])).tolist() == [True, True, True]
