"""A racer's trail as drawn: the stored path simplified again, by a tolerance in screen pixels.

The store keeps a path within a fixed tolerance in data units (gui/model/trajectory.py); a view
zoomed out needs far fewer points, and painting them is the frame's cost. Here the stored points
are simplified in pixel units (x and y scaled by the view's pixel size, so unequal axes are
handled) within ``1 − (the store's tolerance in pixels)``, so the drawn trail stays within one
pixel of the true path, or within a quarter of a pixel of the store once a zoom makes the store's
own tolerance a pixel or more.

The work is incremental: stored points are simplified once, as the store grows, and kept until
the view needs a finer tolerance (a zoom in) or could do with one more than twice as coarse (a
zoom out), or the store coarsens. The newest raw points, not yet stored, are drawn as they are.
"""

from __future__ import annotations

import numpy as np

from gui.model.simplify import keep_mask
from gui.model.trajectory import Trajectory

PIXEL = 1.0  # the drawn trail's promise, in pixels
MIN_DRAW_TOLERANCE = 0.25  # pixels: what the trail may add once the store alone takes a pixel


class DrawnPath:
    def __init__(self) -> None:
        self.trajectory: Trajectory | None = None
        self.generation = -1
        self.pixel = (np.inf, np.inf)  # the data size of a pixel the cache was made for
        self.done = 0  # stored rows simplified so far
        self.rows = np.empty((0, 5))  # the drawn stored rows: step, x, y, loss, gnorm
        self._count = 0

    def update(self, trajectory: Trajectory, pixel: tuple[float, float]) -> np.ndarray:
        """The rows to draw (step, x, y, loss, gnorm) for a view whose pixel is ``pixel``
        (data units wide and high): simplified stored rows, then the raw ones."""
        pw, ph = pixel
        valid = (
            trajectory is self.trajectory
            and trajectory.generation == self.generation
            and self.pixel[0] <= pw <= 2 * self.pixel[0]
            and self.pixel[1] <= ph <= 2 * self.pixel[1]
        )
        if not valid:
            self.trajectory, self.generation, self.pixel = trajectory, trajectory.generation, pixel
            self.done = self._count = 0
        new = trajectory.stored(max(self.done - 1, 0))  # from the last drawn row, the anchor
        if len(new) > 1 or (self.done == 0 and len(new)):
            self._add(new, trajectory.tolerance)
            self.done += len(new) - (self.done > 0)
        return np.concatenate([self.rows[: self._count], trajectory.pending()])

    def _add(self, rows: np.ndarray, store_tolerance: float) -> None:
        pw, ph = self.pixel
        if np.isfinite(pw) and np.isfinite(ph) and pw > 0 and ph > 0:
            store_pixels = store_tolerance / min(pw, ph)
            tolerance = max(PIXEL - store_pixels, MIN_DRAW_TOLERANCE)
            kept = keep_mask(rows[:, 0], rows[:, 1] / pw, rows[:, 2] / ph, tolerance)
        else:
            kept = np.ones(len(rows), dtype=bool)  # no view yet: draw what is stored
        if self.done > 0:
            kept[0] = False  # the anchor is drawn already
        picked = rows[kept]
        end = self._count + len(picked)
        if end > len(self.rows):
            bigger = np.empty((max(end, 2 * len(self.rows), 64), rows.shape[1]))
            bigger[: self._count] = self.rows[: self._count]
            self.rows = bigger
        self.rows[self._count : end] = picked
        self._count = end
