"""A racer's path, stored compactly with a memory bound that export respects.

Rule: at most ``capacity`` points are kept, at steps 0, s, 2s, … (the stride s starts at 1).
When the store is full, every other point is dropped and s doubles. The newest point (the head)
is always available, so a path never loses its end. Until a race passes ``capacity`` steps
(131,072 by default) nothing is thinned and every step is exact in exports.
"""

from __future__ import annotations

import numpy as np

CAPACITY = 1 << 17
FIELDS = 4  # x, y, loss, gradient norm


class Trajectory:
    def __init__(self, capacity: int = CAPACITY) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError(f"Invalid capacity: {capacity} (must be even and >= 4)")
        self.capacity = capacity
        self.stride = 1
        self._data = np.empty((min(capacity, 1024), FIELDS))
        self._count = 0
        self.head = np.full(FIELDS, np.nan)
        self.head_step = -1

    def append(self, step: int, x: float, y: float, loss: float, gnorm: float) -> None:
        """Add the point of ``step``; steps must be appended in order, one at a time."""
        self.head_step = step
        self.head[:] = (x, y, loss, gnorm)
        if step % self.stride:
            if self._count < len(self._data):
                # The spare slot after the stored points holds the head, so drawing the whole
                # path each tick is a view of the store rather than a copy of it.
                self._data[self._count] = self.head
            return
        if self._count == len(self._data):
            self._grow()
            if step % self.stride:
                return
        self._data[self._count] = self.head
        self._count += 1

    def _grow(self) -> None:
        if len(self._data) < self.capacity:
            bigger = np.empty((min(2 * len(self._data), self.capacity), FIELDS))
            bigger[: self._count] = self._data[: self._count]
            self._data = bigger
            return
        kept = self._data[: self._count : 2].copy()
        self._count = len(kept)
        self._data[: self._count] = kept
        self.stride *= 2

    def __len__(self) -> int:
        """Number of points available: the stored ones plus the head if it is not stored."""
        return self._count + (self._head_extra())

    def _head_extra(self) -> int:
        return int(self.head_step >= 0 and self.head_step % self.stride != 0)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """``(steps, data)`` of every available point; data columns are x, y, loss, gnorm."""
        steps = np.arange(self._count, dtype=np.int64) * self.stride
        data = self._data[: self._count]
        if self._head_extra():
            steps = np.append(steps, self.head_step)
            data = np.vstack([data, self.head])
        return steps, data

    def drawable(self, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """A view for drawing: at most about ``max_points`` points, evenly thinned, head last."""
        n = self._count
        k = max(1, -(-n // max_points))
        steps = np.arange(0, n, k, dtype=np.int64) * self.stride
        data = self._data[:n:k]
        if self.head_step >= 0 and (len(steps) == 0 or steps[-1] != self.head_step):
            steps = np.append(steps, self.head_step)
            if k == 1 and n < len(self._data):
                data = self._data[: n + 1]  # the head sits in the spare slot (see append)
            else:
                data = np.vstack([data, self.head])
        return steps, data

    def nbytes(self) -> int:
        return self._data.nbytes
