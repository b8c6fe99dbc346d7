"""A racer's trail as drawn: the stored path simplified again, by a tolerance in screen pixels.

The store keeps a path within a fixed tolerance in data units (gui/model/trajectory.py); a view
zoomed out needs far fewer points, and painting them is the frame's cost. Here the stored points
are simplified in pixel units (x and y scaled by the view's pixel size, so unequal axes are
handled) within ``1 − (the store's tolerance in pixels)``, so the drawn trail stays within one
pixel of the true path, or within a quarter of a pixel of the store once a zoom makes the store's
own tolerance a pixel or more.

The work is incremental: stored points are simplified once, as the store grows, and kept until
the view needs a finer tolerance (a zoom in) or could do with one more than twice as coarse (a
zoom out), or the store coarsens. The raw points waiting for the store (up to a block of 1,024)
are simplified the same way, :data:`RAW_CHUNK` at a time, as they come: drawn as they are they
were most of a long trail's points, and of the frame's paint. Only a trail no longer than
``exact`` steps is drawn point for point (its per-step markers sit on its corners).
"""

from __future__ import annotations

import numpy as np

from gui.model.simplify import keep_mask
from gui.model.trajectory import Trajectory

PIXEL = 1.0  # the drawn trail's promise, in pixels
MIN_DRAW_TOLERANCE = 0.25  # pixels: what the trail may add once the store alone takes a pixel
RAW_CHUNK = 32  # raw points simplified at once: at most this many are drawn as they are


class DrawnPath:
    def __init__(self, exact: int = 0) -> None:
        self.exact = exact  # a trajectory whose head is at an earlier step is drawn unsimplified
        self.trajectory: Trajectory | None = None
        self.generation = -1
        self.pixel = (np.inf, np.inf)  # the data size of a pixel the cache was made for
        self.done = 0  # stored rows simplified so far
        self.rows = np.empty((0, 5))  # the drawn stored rows: step, x, y, loss, gnorm
        self._count = 0
        # The raw rows after the stored ones, simplified a chunk at a time: valid while the
        # stored part is the one they follow (``_raw_after``, the stored rows simplified then).
        self._raw_after = -1
        self._raw_done = 0  # raw rows simplified so far
        self._raw_rows = np.empty((0, 5))

    def update(self, trajectory: Trajectory, pixel: tuple[float, float]) -> np.ndarray:
        """The rows to draw (step, x, y, loss, gnorm) for a view whose pixel is ``pixel``
        (data units wide and high): simplified stored rows, then the raw ones."""
        pw, ph = pixel
        valid = (
            trajectory is self.trajectory
            and self.pixel[0] <= pw <= 2 * self.pixel[0]
            and self.pixel[1] <= ph <= 2 * self.pixel[1]
        )
        if not valid:
            self.trajectory, self.generation, self.pixel = trajectory, trajectory.generation, pixel
            self.done = self._count = 0
            self._raw_after = -1
        elif trajectory.generation != self.generation:
            self.generation = trajectory.generation
            self._resume(trajectory)
        fresh = trajectory.stored(self.done)
        if len(fresh):
            if self._count:  # hung from the last row drawn: the simplification's anchor
                new = np.concatenate([self.rows[self._count - 1 : self._count], fresh])
            else:
                new = fresh
            kept = self._kept(new, trajectory.tolerance, anchored=self._count > 0)
            self._add(new[kept])
            self.done += len(fresh)
        return np.concatenate([self.rows[: self._count], self._raw(trajectory)])

    def _resume(self, trajectory: Trajectory) -> None:
        """After the store coarsened, which only removes rows: keep what is drawn up to the
        last drawn row the store still holds, and go on from there, instead of simplifying a
        long race's store again (a whole store took ~20 ms at a million steps, at every redraw
        of a catch-up). Not from the last row drawn: if the store dropped it, the true points
        after it are within the store's bound of the store's segment around it, not of one
        starting at it."""
        stored = trajectory.stored()[:, 0]
        drawn = self.rows[: self._count, 0]
        at = np.minimum(np.searchsorted(stored, drawn), max(len(stored) - 1, 0))
        still = np.flatnonzero(stored[at] == drawn) if len(stored) else at[:0]
        if not len(still):
            self.done = self._count = 0
            return
        last = int(still[-1])
        self._count = last + 1
        self.done = int(at[last]) + 1

    def _raw(self, trajectory: Trajectory) -> np.ndarray:
        """The raw rows to draw: whole chunks simplified (from the last stored row, their
        anchor, on), then the newest ones as they are."""
        pending = trajectory.pending()
        if trajectory.head_step < self.exact:
            return pending
        if self._raw_after != self.done:  # a new block was stored: its raw rows are gone
            self._raw_after, self._raw_done = self.done, 0
            self._raw_rows = np.empty((0, pending.shape[1]))
        picked = [self._raw_rows]
        while len(pending) - self._raw_done >= RAW_CHUNK:
            start = self._raw_done
            anchored = start > 0 or self._count > 0
            chunk = pending[start - 1 if start else 0 : start + RAW_CHUNK]
            if anchored and not start:  # the first chunk hangs from the last stored row
                chunk = np.concatenate([self.rows[self._count - 1 : self._count], chunk])
            picked.append(chunk[self._kept(chunk, 0.0, anchored)])
            self._raw_done += RAW_CHUNK
        if len(picked) > 1:
            self._raw_rows = np.concatenate(picked)
        return np.concatenate([self._raw_rows, pending[self._raw_done :]])

    def _kept(self, rows: np.ndarray, store_tolerance: float, anchored: bool) -> np.ndarray:
        """Which of ``rows`` to draw, within a pixel of them given that they lie within
        ``store_tolerance`` of the true path; an ``anchored`` first row is drawn already."""
        pw, ph = self.pixel
        if np.isfinite(pw) and np.isfinite(ph) and pw > 0 and ph > 0:
            store_pixels = store_tolerance / min(pw, ph)
            tolerance = max(PIXEL - store_pixels, MIN_DRAW_TOLERANCE)
            kept = keep_mask(rows[:, 0], rows[:, 1] / pw, rows[:, 2] / ph, tolerance)
        else:
            kept = np.ones(len(rows), dtype=bool)  # no view yet: draw what is stored
        if anchored:
            kept[0] = False  # the anchor is drawn already
        return kept

    def _add(self, picked: np.ndarray) -> None:
        end = self._count + len(picked)
        if end > len(self.rows):
            bigger = np.empty((max(end, 2 * len(self.rows), 64), picked.shape[1]))
            bigger[: self._count] = self.rows[: self._count]
            self.rows = bigger
        self.rows[self._count : end] = picked
        self._count = end
