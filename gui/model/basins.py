"""Basins of attraction: where each start point of a grid leads one racer. No Qt.

Every start of an ``nx × ny`` grid over the surface's frame (cell centres) runs in ONE
vectorised run through the sweep's engine (``gui.model.sweep``), with the racer's settings as
they are — schedule, noise, Newton's Hessians, divergence — so each cell is the single racer
started there, to rounding.

Labels: a start whose end point lies within ``radius`` of a known minimum of the surface gets
that minimum's index. The end points left over (local minima the catalogue does not list,
typed formulas with no known minima) are clustered: each cluster of end points closer than
``radius`` becomes a further attractor. ``-1`` marks a start that diverged, or one left over
when more than ``MAX_ATTRACTORS`` attractors were found.

Steps to converge: the step from which the racer never again moved more than ``radius`` away
from where it settled (tracked during the run with a moving anchor, O(1) a step). A racer that
never settled has the last step; a diverged one nan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gui.model.session import Session
from gui.model.sweep import Progress, Stop, run_grid

MAX_CELLS = 512
MAX_ATTRACTORS = 256
RADIUS = 0.02  # default attraction radius, as a fraction of the frame's larger side
SLICE_CELL_STEPS = 200_000  # cell-steps between progress calls: ~20 ms of work each


@dataclass(frozen=True)
class BasinResult:
    """Row ``j``, column ``i`` started at ``(x0[j, i], y0[j, i])``."""

    x0: np.ndarray  # (ny, nx) start points: cell centres over the frame
    y0: np.ndarray
    final: np.ndarray  # (ny, nx, 2): where each start ended (where it diverged, if it did)
    label: np.ndarray  # (ny, nx) int: index into ``attractors``; -1 diverged or unlabelled
    loss: np.ndarray  # (ny, nx): final loss; nan where diverged
    steps: np.ndarray  # (ny, nx): steps until settled (see the module doc); nan where diverged
    attractors: np.ndarray  # (k, 2): the known minima first, then the clusters found
    known: int  # how many of ``attractors`` are the surface's known minima
    radius: float
    steps_asked: int
    done: int  # simulated: fewer than ``steps_asked`` when cancelled
    cancelled: bool
    bounds: tuple[float, float, float, float]

    @property
    def diverged(self) -> np.ndarray:
        return np.isnan(self.loss)

    def shares(self) -> np.ndarray:
        """The fraction of starts that ends at each attractor."""
        counts = np.bincount(self.label[self.label >= 0], minlength=len(self.attractors))
        return counts / self.label.size


def start_grid(bounds: tuple[float, float, float, float], nx: int, ny: int):
    """Cell centres of an ``nx × ny`` grid over ``bounds``: the (ny, nx) arrays x0, y0."""
    xmin, xmax, ymin, ymax = bounds
    xs = xmin + (np.arange(nx) + 0.5) * ((xmax - xmin) / nx)
    ys = ymin + (np.arange(ny) + 0.5) * ((ymax - ymin) / ny)
    return np.meshgrid(xs, ys)


def basins(
    session: Session,
    racer_id: int,
    n: int | tuple[int, int] = 256,
    steps: int = 500,
    *,
    radius: float | None = None,
    progress: Progress | None = None,
    should_stop: Stop | None = None,
) -> BasinResult:
    """Run ``session``'s racer from every start of an ``n × n`` (or ``(nx, ny)``) grid over
    the surface's frame for ``steps`` steps and label where each start ends.

    ``radius`` (in the surface's units) defaults to ``RADIUS`` of the frame's larger side.
    Invalid arguments raise ValueError before anything runs."""
    racer = session.racer(racer_id)
    nx, ny = (n, n) if np.ndim(n) == 0 else n
    nx, ny = int(nx), int(ny)
    if not (1 <= nx <= MAX_CELLS and 1 <= ny <= MAX_CELLS):
        raise ValueError(f"Invalid grid: {nx}×{ny} (each side must be in [1, {MAX_CELLS}])")
    if int(steps) < 1:
        raise ValueError(f"Invalid steps: {steps} (must be >= 1)")
    bounds = session.surface.bounds
    xmin, xmax, ymin, ymax = bounds
    r = RADIUS * max(xmax - xmin, ymax - ymin) if radius is None else float(radius)
    if not (np.isfinite(r) and r > 0):
        raise ValueError(f"Invalid radius: {radius!r} (must be > 0)")
    x0, y0 = start_grid(bounds, nx, ny)
    starts = np.stack([x0.ravel(), y0.ravel()], axis=1)
    tracker = _Settling(starts, r)
    out = run_grid(
        session, racer, {}, int(steps), 0.0, max(1, SLICE_CELL_STEPS // len(starts)),
        progress, should_stop, starts=starts, watch=tracker.watch,
    )  # fmt: skip
    diverged = out["diverged"]
    final = np.where(diverged[:, None], tracker.stopped_at, out["final"])
    known = np.array([m[:2] for m in session.surface.minima], dtype=float).reshape(-1, 2)
    label, attractors = label_ends(final, diverged, known, r)
    settled = np.where(diverged, np.nan, tracker.since.astype(float))
    shape = x0.shape
    return BasinResult(
        x0, y0, final.reshape(*shape, 2), label.reshape(shape), out["loss"].reshape(shape),
        settled.reshape(shape), attractors, len(known), r, int(steps), out["done"],
        out["cancelled"], bounds,
    )  # fmt: skip


class _Settling:
    """Per start: where it diverged, and the step since which it stayed within ``r`` of an
    anchor (the anchor jumps to the racer whenever it moves further than ``r`` from it)."""

    def __init__(self, starts: np.ndarray, r: float) -> None:
        self.anchor = starts.copy()
        self.since = np.zeros(len(starts), dtype=np.int64)
        self.stopped_at = np.full_like(starts, np.nan)
        self._seen = np.zeros(len(starts), dtype=bool)
        self._r2 = r * r
        self._dx, self._dy = np.empty(len(starts)), np.empty(len(starts))
        self._moved = np.empty(len(starts), dtype=bool)

    def watch(self, step: int, xy: np.ndarray, diverged: np.ndarray) -> None:
        new = diverged & ~self._seen
        if new.any():  # a single racer stops at the step it diverges: keep that point
            self.stopped_at[new] = xy[new]
            self._seen |= new
        dx = np.subtract(xy[:, 0], self.anchor[:, 0], out=self._dx)
        dy = np.subtract(xy[:, 1], self.anchor[:, 1], out=self._dy)
        dx *= dx
        dy *= dy
        dx += dy
        moved = np.greater(dx, self._r2, out=self._moved)
        if moved.any():
            self.anchor[moved] = xy[moved]
            self.since[moved] = step


def label_ends(
    ends: np.ndarray, diverged: np.ndarray, known: np.ndarray, radius: float
) -> tuple[np.ndarray, np.ndarray]:
    """Label each end point by the known minimum within ``radius`` (nearest first), cluster
    the rest into further attractors; returns ``(labels, attractors)``."""
    label = np.full(len(ends), -1, dtype=np.int64)
    r2 = radius * radius
    if len(known):
        d2 = ((ends[:, None, :] - known[None, :, :]) ** 2).sum(axis=2)
        nearest = np.argmin(np.where(np.isnan(d2), np.inf, d2), axis=1)
        close = d2[np.arange(len(ends)), nearest] < r2
        hit = close & ~diverged
        label[hit] = nearest[hit]
    rest = np.flatnonzero((label < 0) & ~diverged & np.isfinite(ends).all(axis=1))
    centres = _clusters(ends, rest, radius, label, first=len(known))
    attractors = np.vstack([known.reshape(-1, 2), np.array(centres).reshape(-1, 2)])
    return label, attractors


def _clusters(
    ends: np.ndarray, rest: np.ndarray, radius: float, label: np.ndarray, first: int
) -> list[np.ndarray]:
    """Leader clustering of ``ends[rest]`` in raster order: the first unlabelled end point
    gathers every end point within ``radius``; its cluster's centre is their mean. A cluster
    whose centre falls within ``radius`` of an earlier one joins it."""
    centres: list[np.ndarray] = []
    r2 = radius * radius
    pending = rest
    while len(pending) and first + len(centres) < MAX_ATTRACTORS:
        lead = ends[pending[0]]
        d = ends[pending] - lead
        near = np.einsum("ij,ij->i", d, d) < r2
        members = pending[near]
        centre = ends[members].mean(axis=0)
        index = _join(centres, centre, r2)
        if index is None:
            index = len(centres)
            centres.append(centre)
        label[members] = first + index
        pending = pending[~near]
    return centres


def _join(centres: list[np.ndarray], centre: np.ndarray, r2: float) -> int | None:
    for i, c in enumerate(centres):
        if float(((c - centre) ** 2).sum()) < r2:
            return i
    return None
