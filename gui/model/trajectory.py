"""A racer's path, stored by shape within a tolerance, with a memory bound that export respects.

Rule: a step's point is kept unless it lies within ``tolerance`` (data units) of the kept
segment that spans its step, and its loss, as the loss plot draws it, within ``loss_tolerance``
of that segment's loss line at its step (see gui/model/simplify.py). A run's tolerance is
1/4000 of its surface's frame (``FRAME_FRACTION``), a quarter of a pixel on a map 1000 pixels
wide; the loss tolerance is 1/1000 of the span the loss plot's coordinate has covered so far
(at least a thousandth of a decade on a log plot), so points kept for shape keep their loss and
the loss curve keeps its own shape too. The first point and the newest (the head) are always
available, and every kept point keeps its step.

Appending is a tuple put on a list: the points of the last ``BLOCK`` steps wait there raw, and
a full block is simplified in one go with numpy. When the kept points pass three quarters of
``capacity``, the tolerances double and the store is simplified again against the points it
kept, a piece per block so that no step pays for the whole store: the error bound adds up (the
old tolerance plus the increment), and ``tolerance`` always states it.
"""

from __future__ import annotations

import math

import numpy as np

from gui.model.simplify import keep_mask
from surfaces import Surface

CAPACITY = 1 << 17  # kept points per racer: 5 MiB at five float64 columns, if ever reached
BLOCK = 1024  # raw points simplified at once: the cost of a numpy call spread over many steps
PIECES = 8  # blocks' worth of stored rows re-simplified per flush while the store is coarsened
FIELDS = 4  # x, y, loss, gradient norm
FRAME_FRACTION = 1 / 2000
LOSS_FRACTION = 1 / 1000
LOSS_FLOOR = 1e-16  # f − f_min below this (relative to max(1, |f_min|)) is rounding noise
LOSS_COLUMNS = 2000  # the loss curve is kept as a plot this many pixels wide would draw it
MIN_LOG_SPAN = 1.0  # decades: a flat curve still gets a thousandth of a decade
RAW_COLUMN_STEPS = 8  # raw rows are enveloped once a column holds this many (at most 4 stay)


def envelope(steps: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Which points the loss curve must pass near: of each window of ``steps[-1] /
    LOSS_COLUMNS`` steps, the first, lowest, highest and last loss in each coordinate — what a
    plot that wide draws of the window. The rest lie between them."""
    width = max(1, int(steps[-1]) // LOSS_COLUMNS)
    checked = np.ones(len(steps), dtype=bool)
    if width == 1:
        return checked
    checked[:] = False
    window = (steps // width).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, window[1:] != window[:-1]])
    ends = np.r_[starts[1:], len(steps)] - 1
    checked[starts] = checked[ends] = True
    for column in u.T:
        order = np.lexsort((column, window))  # NaN sorts last: a window keeps it as its highest
        checked[order[starts]] = checked[order[ends]] = True
    return checked


def envelope_rows(rows: np.ndarray, width: int) -> np.ndarray:
    """Of each ``width`` steps of ``rows``, the first, lowest, highest and last loss."""
    if len(rows) == 0:
        return rows
    column = (rows[:, 0] // width).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    ends = np.r_[starts[1:], len(rows)] - 1
    loss = np.where(np.isnan(rows[:, 3]), np.inf, rows[:, 3])
    order = np.lexsort((loss, column))  # by column, then by loss within it
    picks = np.unique(np.concatenate([starts, ends, order[starts], order[ends]]))
    return rows[picks]


class Trajectory:
    def __init__(
        self, capacity: int = CAPACITY, tolerance: float = 0.0, f_min: float | None = None
    ) -> None:
        if capacity < 4:
            raise ValueError(f"Invalid capacity: {capacity} (must be >= 4)")
        if not (math.isfinite(tolerance) and tolerance >= 0):
            raise ValueError(f"Invalid tolerance: {tolerance} (must be finite and >= 0)")
        self.capacity = capacity
        self.base_tolerance = tolerance
        self.f_min = f_min
        self.coarseness = 1.0  # doubles each time the store is re-simplified to fit
        self._pass: int | None = None  # the row a coarsening pass goes on from (_coarsen_some)
        self._pass_end = 0  # the rows stored before that pass began
        self._increment = 1.0
        self._block = max(2, min(BLOCK, capacity // 2))
        self._raw: list[tuple[float, ...]] = []  # (step, x, y, loss, gnorm), first one kept
        # The raw rows, once read, sit in the store's spare rows right after the stored ones
        # (the first raw row is the last stored one), so a reader gets one view, not a copy.
        self._converted = 0  # how many raw rows are in the store's spare rows
        # Changes whenever coarsening removes stored rows. Nothing else rewrites them: rows are
        # only appended (in step order) or removed, so a reader can resume by step.
        self.generation = 0
        self._store = np.empty((self._block + 1 + min(capacity, 256), 1 + FIELDS))
        self._count = 0
        # The loss plot's last envelope of the stored rows: (width, rows, the step where its
        # last column starts, and that column's first row in ``rows``). See _stored_envelope.
        self._envelope: tuple = (None, None, 0.0, 0)
        self._envelope_seen: tuple = ()  # (generation, stored rows) when last brought up to date
        self._raw_columns: tuple = (None, 0, None)  # (key, raw rows done, their envelope)
        self._span = np.array([np.inf, -np.inf] * self._loss_columns()).reshape(-1, 2)
        self.head_step = -1

    @classmethod
    def for_surface(cls, surface: Surface) -> Trajectory:
        """A run's store: its tolerance tied to the surface's frame, its loss to f_min."""
        xmin, xmax, ymin, ymax = surface.bounds
        known = [m[2] for m in surface.minima if math.isfinite(m[2])]
        return cls(
            capacity=CAPACITY,  # read now, so a test can make it small
            tolerance=FRAME_FRACTION * max(xmax - xmin, ymax - ymin),
            f_min=min(known) if known else None,
        )

    # --- recording (the hot path) -------------------------------------------------------------

    def append(self, step: int, x: float, y: float, loss: float, gnorm: float) -> None:
        """Add the point of ``step``; steps must be appended in increasing order."""
        raw = self._raw
        raw.append((step, x, y, loss, gnorm))
        self.head_step = step
        if len(raw) > self._block:
            self._flush()

    def _flush(self) -> None:
        self._convert()
        base = self._base()
        rows = self._store[base : base + len(self._raw)].copy()
        first_kept = self._count > 0  # the first raw row is already stored, unless it is step 0
        self._raw = [self._raw[-1]]
        u = self._loss_coordinates(rows[:, 3])
        self._widen_span(u)
        kept = keep_mask(
            *rows[:, :3].T, self.tolerance, u, self.loss_tolerance, envelope(rows[:, 0], u)
        )
        if first_kept:
            kept[0] = False
        self._put(rows[kept])
        self._converted = 1  # the block's last row, kept, is the next block's first
        self._coarsen_some()

    # --- reading ----------------------------------------------------------------------------

    @property
    def head(self) -> np.ndarray:
        """The newest point: x, y, loss, gnorm (NaN before the first append)."""
        if not self._raw:
            return np.full(FIELDS, np.nan)
        return np.array(self._raw[-1][1:], dtype=float)

    @property
    def tolerance(self) -> float:
        """The farthest, in data units, a true point may lie from its kept segment."""
        return self.base_tolerance * self.coarseness

    @property
    def loss_tolerance(self) -> np.ndarray:
        """The same bound for each loss coordinate (see ``loss_coordinates``)."""
        width = self._span[:, 1] - self._span[:, 0]
        width = np.where(np.isfinite(width), width, 0.0)
        if self.f_min is not None:
            width = np.maximum(width, MIN_LOG_SPAN)
        else:
            width[1] = max(width[1], MIN_LOG_SPAN)
        return LOSS_FRACTION * self.coarseness * width

    @property
    def loss_coordinates(self) -> tuple[str, ...]:
        """What the loss tolerance is measured in: the loss plot's vertical coordinate(s)."""
        if self.f_min is not None:
            return ("log10(f - f_min)",)
        return ("f", "log10(f)")  # the plot is linear or log depending on the signs it sees

    def __len__(self) -> int:
        """Number of points available: the stored ones and the raw ones waiting in the block."""
        return self._count + len(self._raw) - (self._count > 0)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """``(steps, data)`` of every available point; data columns are x, y, loss, gnorm."""
        rows = self._rows().copy()  # the caller may keep it while the race goes on
        return rows[:, 0].astype(np.int64), rows[:, 1:]

    def drawable(self, max_points: int, raw_columns: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`drawable_rows` as ``(steps, data)``, the steps as integers."""
        rows = self.drawable_rows(max_points, raw_columns)
        return rows[:, 0].astype(np.int64), rows[:, 1:]

    def drawable_rows(self, max_points: int, raw_columns: int = 0) -> np.ndarray:
        """The rows (step, x, y, loss, gnorm; possibly a view of the store, valid until the
        next append) for a plot of the loss about ``max_points`` pixels wide: every available
        point, or, when there are more than 4 per pixel column, the first, lowest, highest and
        last loss of each column of the stored points, then the raw ones, so the
        curve's envelope is drawn exactly. Columns are a power of two steps wide, so the
        stored part is redone only when the store grows or the columns double.

        ``raw_columns`` (steps, at most a pixel's worth of them) takes the raw points (one a
        step, up to a block of them) the same way, column by column as each fills, the newest
        column's as they are, once a column holds :data:`RAW_COLUMN_STEPS` steps or more:
        drawn whole, they were most of a long curve's points and of its paint."""
        rows = self._rows()
        by_columns = raw_columns >= RAW_COLUMN_STEPS
        if len(rows) <= 4 * max_points:
            if not by_columns:
                return rows
            stored = self._store[: self._count]
        else:
            width = 1 << max(0, math.ceil(math.log2(max(rows[-1, 0], 1.0) / max_points)))
            stored = self._stored_envelope(width)
        raw = self._raw_envelope(int(raw_columns)) if by_columns else self.pending()
        return np.concatenate([stored, raw])

    def _raw_envelope(self, width: int) -> np.ndarray:
        """The raw rows' whole columns enveloped (kept from call to call while the stored part
        and the width stay: raw rows only grow until the next block is stored), then the
        newest column's rows."""
        pending, key = self.pending(), (self.generation, self._count, width)
        if self._raw_columns[0] != key:
            self._raw_columns = (key, 0, pending[:0].copy())
        _, done, kept = self._raw_columns
        if not len(pending):
            return pending
        # The newest column may still grow: it starts at the first row of its column.
        newest = int(np.searchsorted(pending[:, 0], pending[-1, 0] // width * width))
        if newest > done:
            kept = np.concatenate([kept, envelope_rows(pending[done:newest], width)])
            self._raw_columns = (key, newest, kept)
            done = newest
        return np.concatenate([kept, pending[done:]])

    def _stored_envelope(self, width: int) -> np.ndarray:
        """The envelope of the stored rows in columns ``width`` steps wide. Kept between calls:
        the columns before the last one the store reaches are final, so only the rows from that
        column's first step on are redone (a long catch-up asks at every redraw). Coarsening
        only removes stored rows (see ``generation``): the final columns, made from the finer
        rows, stay, and the open column is found again by its first step."""
        key, rows, open_step, open_pick = self._envelope
        seen = (self.generation, self._count)
        if key != width:
            key, rows, open_step, open_pick = width, self._store[:0], 0.0, 0
        elif self._envelope_seen == seen and len(rows):
            return rows  # the store has not changed: its open column is as it was (every tick)
        self._envelope_seen = seen
        stored = self._store[: self._count]
        tail = stored[int(np.searchsorted(stored[:, 0], open_step)) :]
        fresh = envelope_rows(tail, width)
        rows = np.concatenate([rows[:open_pick], fresh])
        if len(tail):
            last = int(tail[-1, 0]) // width
            open_step = float(last * width)
            open_pick += int(np.searchsorted((fresh[:, 0] // width).astype(np.int64), last))
        self._envelope = (key, rows, open_step, open_pick)
        return rows

    def nbytes(self) -> int:
        return self._store.nbytes + len(self._raw) * (1 + FIELDS) * 8  # the rows, and the list

    # --- internals --------------------------------------------------------------------------

    def stored(self, start: int = 0) -> np.ndarray:
        """The simplified rows (step, x, y, loss, gnorm) from index ``start`` on: a view, valid
        until the next append; ``generation`` says when earlier rows were rewritten."""
        return self._store[start : self._count]

    def pending(self) -> np.ndarray:
        """The raw rows after the stored ones, as a view valid until the next append. Each
        call converts only the rows appended since the last one, so asking every frame costs
        what the frame's steps cost, not what the block holds."""
        self._convert()
        return self._store[self._count : self._base() + len(self._raw)]

    def _rows(self) -> np.ndarray:
        """Every available row, stored then raw: a view, valid until the next append."""
        self._convert()
        return self._store[: self._base() + len(self._raw)]

    def _base(self) -> int:
        """The store row that holds the first raw row."""
        return self._count - 1 if self._count else 0

    def _convert(self) -> None:
        raw, done = self._raw, self._converted
        if done < len(raw):
            base = self._base()
            self._store[base + done : base + len(raw)] = raw[done:]
            self._converted = len(raw)

    def _loss_columns(self) -> int:
        return 1 if self.f_min is not None else 2

    def _loss_coordinates(self, loss: np.ndarray) -> np.ndarray:
        """The loss plot's vertical coordinate(s) for ``loss``, one column each."""
        with np.errstate(all="ignore"):
            if self.f_min is not None:
                floor = LOSS_FLOOR * max(1.0, abs(self.f_min))
                return np.log10(np.maximum(loss - self.f_min, floor))[:, None]
            positive = np.log10(np.where(loss > 0, loss, LOSS_FLOOR))
            return np.column_stack([loss, positive])

    def _widen_span(self, u: np.ndarray) -> None:
        finite = np.where(np.isfinite(u), u, np.nan)  # fmin/fmax skip NaN without a warning
        self._span[:, 0] = np.fmin(self._span[:, 0], np.fmin.reduce(finite, axis=0))
        self._span[:, 1] = np.fmax(self._span[:, 1], np.fmax.reduce(finite, axis=0))

    def _put(self, rows: np.ndarray) -> None:
        end = self._count + len(rows)
        spare = self._block + 1  # room for the next block's raw rows
        if end + spare > len(self._store):
            grown = max(end, min(2 * (len(self._store) - spare), self.capacity + self._block))
            bigger = np.empty((grown + spare, 1 + FIELDS))
            bigger[: self._count] = self._store[: self._count]
            self._store = bigger
        self._store[self._count : end] = rows
        self._count = end

    def _coarsen_some(self) -> None:
        """Keep the store within its capacity, a piece at a time. Past three quarters of it, a
        pass doubles the tolerances and simplifies the stored points against themselves with
        the increment (the bounds add up), ``PIECES`` blocks' worth of rows per flush: a whole
        pass over 131,072 points costs ~60 ms, which no single step may take. Rows stored
        after the pass began were kept with the doubled tolerance already. If the store still
        reaches its capacity, the pass is finished at once."""
        if self._pass is None and self._count > self.capacity * 3 // 4:
            self._start_pass()
        if self._pass is not None:
            self._coarsen_piece(PIECES * self._block)
        while self._count > self.capacity:  # the pieces fell behind: finish now
            if self._pass is None:
                self._start_pass()
            self._coarsen_piece(self._count)

    def _start_pass(self) -> None:
        if self.base_tolerance == 0.0:
            stored = self._store[: self._count, 1:3]
            finite = stored[np.isfinite(stored).all(axis=1)]
            extent = float(np.ptp(finite, axis=0).max()) if len(finite) else 1.0
            self.base_tolerance = max(extent, 1e-300) * 2.0**-30
            self.coarseness = 0.5  # the increment below is the whole new bound
        self._increment = self.coarseness
        self.coarseness *= 2
        self._pass, self._pass_end = 0, self._count

    def _coarsen_piece(self, rows_at_most: int) -> None:
        """Simplify stored rows from where the pass stands, its ends kept, and close up."""
        a = self._pass
        e = min(a + rows_at_most, self._pass_end - 1)  # the last row of the piece, kept
        last = e >= self._pass_end - 1
        if e > a:
            rows = self._store[a : e + 1]
            u = self._loss_coordinates(rows[:, 3])
            step_tolerance = self.base_tolerance * self._increment
            loss_tolerance = self.loss_tolerance * (self._increment / self.coarseness)
            checked = envelope(rows[:, 0], u)
            kept_rows = rows[keep_mask(*rows[:, :3].T, step_tolerance, u, loss_tolerance, checked)]
            k = len(kept_rows)
            removed = e + 1 - a - k
            self._store[a : a + k] = kept_rows
            if removed:
                self._store[a + k : self._count - removed] = self._store[e + 1 : self._count]
                self._count -= removed
                self._pass_end -= removed
                self.generation += 1
            e = a + k - 1  # where the piece's last row now is: the next piece's first
        if last or self._pass_end - e <= 1:
            self._pass = None
            if self._count > self.capacity * 3 // 4:
                self._start_pass()  # still too full: another doubling
        else:
            self._pass = e
