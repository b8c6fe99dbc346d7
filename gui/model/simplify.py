"""Shape-preserving simplification of a path: which points can go without changing the picture.

A point may be dropped when it lies within a tolerance of the kept segment that spans its step:
in the plane, its distance to that segment (not to the segment's line, so a path that doubles
back on itself keeps its turns); and for each extra coordinate (the loss as the loss plot draws
it), its vertical distance at its own step to the straight line between the segment's ends.

The search is a Douglas–Peucker descent that splits at the middle instead of at the farthest
point: a span is tested whole, and split in halves only if one of its points is too far. Every
span of a level is tested at once with numpy, so a block of 2^k points costs at most k+1 passes
over it — a farthest-point split costs one numpy call per kept point, and a zig-zag keeps all of
them. A middle split keeps up to about twice as many points as the fewest that would do, never
more than the path needs to stay within the tolerance.
"""

from __future__ import annotations

import numpy as np


def keep_mask(
    t: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    tolerance: float,
    extra: np.ndarray | None = None,
    extra_tolerance: np.ndarray | None = None,
    checked: np.ndarray | None = None,
) -> np.ndarray:
    """Which points of the path ``(x, y)`` at steps ``t`` to keep, ends always kept.

    ``extra`` (n × c) holds coordinates checked vertically against ``extra_tolerance`` (c,),
    at the points ``checked`` marks (all if None): one search with both tests, because adding
    the points one test keeps to the other's result would split a segment that another point
    relied on. Non-finite values are never explained by a segment, so their points are kept."""
    n = len(x)
    kept = np.zeros(n, dtype=bool)
    if n == 0:
        return kept
    kept[0] = kept[-1] = True
    if n <= 2:
        return kept
    spans = n - 1
    size = 1 << (spans - 1).bit_length()  # a power of two at least ``spans``
    pad = size + 1 - n  # copies of the last point: zero-length spans that always pass

    def padded(a: np.ndarray) -> np.ndarray:
        return np.concatenate([a, np.repeat(a[-1:], pad, axis=0)]) if pad else a

    t, x, y = padded(np.asarray(t, dtype=float)), padded(x), padded(y)
    if extra is not None:
        extra = padded(extra)
        limit = np.asarray(extra_tolerance, dtype=float)
        exempt = np.zeros(size + 1, dtype=bool)
        if checked is not None:
            exempt[:n] = ~checked
    tol2 = tolerance * tolerance
    mask = np.zeros(size + 1, dtype=bool)
    open_ = np.zeros(1, dtype=np.int64)  # spans of length m still to test, by index
    m = size
    with np.errstate(all="ignore"):
        while m > 1 and len(open_):
            a = open_ * m
            e = a + m
            inner = a[:, None] + np.arange(1, m)
            ax, ay = x[a][:, None], y[a][:, None]
            ex, ey = x[e][:, None] - ax, y[e][:, None] - ay
            dx, dy = x[inner] - ax, y[inner] - ay
            ee = ex * ex + ey * ey
            # Nearest point of the segment: clamped to its ends (a zero-length one is its start).
            s = np.clip((dx * ex + dy * ey) / np.where(ee > 0, ee, 1.0), 0.0, 1.0)
            rx, ry = dx - s * ex, dy - s * ey
            ok = (rx * rx + ry * ry <= tol2).all(axis=1)
            if extra is not None:
                ta = t[a][:, None]
                span = t[e][:, None] - ta
                frac = np.where(span > 0, (t[inner] - ta) / np.where(span > 0, span, 1.0), 0.0)
                ua, ue = extra[a][:, None, :], extra[e][:, None, :]
                line = ua + frac[:, :, None] * (ue - ua)
                near = (np.abs(extra[inner] - line) <= limit).all(axis=2)
                ok &= (near | exempt[inner]).all(axis=1)
            mask[a[ok]] = mask[e[ok]] = True
            failed = open_[~ok]
            open_ = np.concatenate([2 * failed, 2 * failed + 1])
            m //= 2
    a = open_ * m  # spans of one step that never passed: both their ends stay
    mask[a] = mask[a + m] = True
    kept |= mask[:n]
    return kept
