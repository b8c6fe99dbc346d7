"""The loss plot: each racer's f(x_t) against the step, in the racers' colours.

A log axis helps most, but log of a non-positive value is garbage: with a known minimum we plot
f − f_min (floored at a tiny positive value, which the axis label says); without one we plot f
on a log axis only while every loss is positive, and on a linear axis otherwise. The logarithm is
taken here and the axis only labels it, so the curves stay plain lines. They are the lines of one
shared :class:`Lines` item: a pyqtgraph curve per racer cost a paint call and bounds upkeep each.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pyqtgraph as pg

from gui import theme
from gui.log_axis import ReadableAxis
from gui.model import Run, Session
from gui.trails_item import Line, Lines

LOSS_POINTS = 1000  # about one point per pixel of a plot this wide: more only costs paint time
DECADE_MARGIN = 0.12  # beyond the framed decades, so their labels are not cut at the edges
FLOOR = 1e-16  # relative to max(1, |f_min|): where f − f_min reaches rounding noise


class Drawn:
    """One racer's loss curve as last drawn, so an unchanged racer costs nothing per tick."""

    def __init__(self, run: Run, step: int, steps: np.ndarray, loss: np.ndarray) -> None:
        self.run, self.step, self.steps, self.loss = run, step, steps, loss
        self.set_y(loss)

    def set_y(self, y: np.ndarray) -> None:
        """The curve as plotted, and what framing needs of it: its lowest and highest finite
        values and its first finite one (None: no finite value), found once per change."""
        self.y = y
        low, high = (float(y.min()), float(y.max())) if len(y) else (math.nan, math.nan)
        if math.isfinite(low + high):
            self.span: tuple[float, float, float] | None = (low, high, float(y[0]))
            return
        finite = y[np.isfinite(y)]
        self.span = (
            (float(finite.min()), float(finite.max()), float(finite[0])) if len(finite) else None
        )

    @functools.cached_property
    def positive(self) -> bool:
        # Asked only on surfaces without a known minimum: no mask per racer per tick otherwise.
        return bool(np.all(self.loss[np.isfinite(self.loss)] > 0))


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6 or 8 × 10^k) at or above ``value``."""
    scale = 10.0 ** math.floor(math.log10(value))
    return next(m * scale for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if m * scale >= value)


class LossView(pg.PlotWidget):
    def __init__(self, session: Session, parent=None) -> None:
        axes = {"left": ReadableAxis("left"), "bottom": ReadableAxis("bottom", integer=True)}
        super().__init__(parent, axisItems=axes)
        self.session = session
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setLabel("bottom", "step")
        self.view_box = plot.getViewBox()
        # Framed here, with slack, rather than auto-ranged: a range that moves every tick makes
        # the axes and grid re-render every frame, which costs more than all the curves.
        self.view_box.disableAutoRange()
        self.view_box.sigRangeChangedManually.connect(self._on_user_zoomed)
        theme.cache_axes(plot)
        self.lines = Lines(ascending_x=True)
        self.addItem(self.lines)
        # At step 0 every curve is one point: say what will appear rather than show bare axes.
        self.hint = pg.TextItem(
            "Play (Space) or Step (S): each racer's loss appears here",
            color=theme.FOREGROUND,
            anchor=(0.5, 0.5),
        )
        self.addItem(self.hint, ignoreBounds=True)
        self.curves: dict[int, Line] = {}
        self._bold: dict[int, bool] = {}  # whether a curve has the bold pen of a short race
        self._drawn: dict[int, Drawn] = {}
        self._fmin: float | None = None
        self._log: bool | None = None  # set by the first refresh
        self._framed: tuple[float, float, float] | None = None  # x end, y low, y high
        self._user_zoomed = False
        self._raw_width = 0  # steps per column of the raw points (see _raw_columns)
        self.view_box.sigXRangeChanged.connect(self._on_x_range_changed)
        self.view_box.sigResized.connect(self._on_x_range_changed)
        self._on_surface_changed()
        self._on_racers_changed()
        self.refresh()
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)

    @property
    def log_y(self) -> bool:
        return bool(self._log)

    def reset_view(self) -> None:
        """Frame every racer's loss again (and keep doing so as the race goes on)."""
        self._user_zoomed = False
        self._framed = None
        self._frame()

    def _on_user_zoomed(self, *args) -> None:
        self._user_zoomed = True

    def _raw_columns(self) -> int:
        """The widest power of two steps that fits in a pixel of the plot: the raw points are
        drawn by the envelope of columns that wide (0 while there is no pixel to fit)."""
        (x0, x1), pixels = self.view_box.viewRange()[0], self.view_box.width()
        per_pixel = (x1 - x0) / pixels if pixels > 0 else 0.0
        return 1 << int(math.log2(per_pixel)) if per_pixel >= 1 else 0

    def _on_x_range_changed(self, *args) -> None:
        width = self._raw_columns()
        if width != self._raw_width:
            self._raw_width = width
            self._drawn.clear()  # drawn for columns of another width
            self.refresh()

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "surface":
            self._on_surface_changed()
        elif kind == "racers":
            self._on_racers_changed()
        elif kind == "racer" and racer_id in self.curves:
            self._style(racer_id)
        if kind in ("surface", "reset"):
            self._framed = None
        self.refresh()

    def _on_surface_changed(self) -> None:
        known = [m[2] for m in self.session.surface.minima if math.isfinite(m[2])]
        self._fmin = min(known) if known else None
        self._drawn.clear()
        self.setLabel("left", self._label())

    def _on_racers_changed(self) -> None:
        ids = {r.id for r in self.session.racers}
        for gone in set(self.curves) - ids:
            self.curves.pop(gone)
            self.lines.remove(gone)
            self._drawn.pop(gone, None)
            self._bold.pop(gone, None)
        for racer in self.session.racers:
            if racer.id not in self.curves:
                self.curves[racer.id] = self.lines.add(racer.id, theme.trail_pen(racer.color))
                self._style(racer.id)

    def _style(self, racer_id: int) -> None:
        racer = self.session.racer(racer_id)
        self.lines.set_pen(racer_id, theme.trail_pen(racer.color))
        self.lines.set_shown(racer_id, racer.enabled)
        self._bold[racer_id] = True

    def refresh(self) -> None:
        changed = []
        for racer in self.session.racers:
            run = self.session.runs[racer.id]
            seen = self._drawn.get(racer.id)
            if seen is not None and seen.run is run and seen.step == run.step:
                continue
            rows = run.trajectory.drawable_rows(LOSS_POINTS, self._raw_width)
            # Copies: the rows may be a view of the store, which the race goes on writing.
            self._drawn[racer.id] = Drawn(run, run.step, rows[:, 0].copy(), rows[:, 3].copy())
            changed.append(racer.id)
        log = self._fmin is not None or all(
            self._drawn[r.id].positive for r in self.session.racers if r.enabled
        )
        if log != self._log:
            self._log = log
            self.getPlotItem().getAxis("left").set_log(log)
            self._framed = None
            changed = list(self._drawn)
        for racer_id in changed:
            drawn = self._drawn[racer_id]
            drawn.set_y(self._transform(drawn.loss))
            self.lines.set_data(racer_id, drawn.steps, drawn.y)
            # By steps, not drawn points (like the map's trails): a long race drawn in a few
            # points is still long, and counting points made the curve bold again every time
            # a block of raw points was stored.
            bold = drawn.step + 1 <= theme.MAX_MARKED_POINTS
            if bold != self._bold[racer_id]:
                self._bold[racer_id] = bold
                pen = theme.trail_pen(self.session.racer(racer_id).color, bold)
                self.lines.set_pen(racer_id, pen)
        self.hint.setVisible(self.session.step == 0)
        if changed:
            self._frame()

    def _frame(self) -> None:
        """Keep every curve in view, moving the range only when the data outgrows it or fills
        too little of it. The top is the highest starting loss, so a diverging racer leaves
        through the top instead of squashing everyone else into the bottom row."""
        enabled = [
            self._drawn[r.id] for r in self.session.racers if r.enabled and r.id in self._drawn
        ]
        spans = [d.span for d in enabled if d.span is not None]
        if self._user_zoomed or not spans:
            return
        end = max(10.0, max(float(d.steps[-1]) for d in enabled))
        low = min(span[0] for span in spans)
        top = max(span[2] for span in spans)
        highest = max(span[1] for span in spans)
        high = max(min(highest, top + (1.0 if self._log else 0.5 * abs(top))), low)
        framed = self._framed
        if framed is not None and framed[0] >= end and framed[1] <= low and framed[2] >= high:
            span = framed[2] - framed[1]
            if end > 0.4 * framed[0] and high - low > 0.5 * span:
                return  # still a good fit: leave the axes alone
        pad = 0.3 if self._log else 0.05 * max(high - low, 1e-12)
        low, high = low - pad, high + pad
        if self._log and high - low < 1.0:
            # Under a decade the axis would carry ticks that say little (and at step 0 a single
            # point each): show the whole decade around the losses, labelled at both ends.
            low = math.floor(low)
            high = max(math.ceil(high), low + 1.0)
            low, high = low - DECADE_MARGIN, high + DECADE_MARGIN
        self._framed = (nice_ceiling(end * 1.1), low, high)
        self.view_box.setRange(xRange=(0, self._framed[0]), yRange=self._framed[1:], padding=0)
        self.hint.setPos(self._framed[0] / 2, (self._framed[1] + self._framed[2]) / 2)

    def _label(self) -> str:
        if self._fmin is None:
            return "f(x, y)"
        if self._fmin == 0:
            return "f(x, y)"  # minus a minimum of 0 is f itself
        return f"f(x, y) − f<sub>min</sub>  (f<sub>min</sub> = {self._fmin:g})".replace("-", "−")

    def _transform(self, loss: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            if self._fmin is not None:
                floor = FLOOR * max(1.0, abs(self._fmin))
                return np.log10(np.maximum(loss - self._fmin, floor))
            if self._log:
                return np.log10(np.where(loss > 0, loss, np.nan))
            return np.where(np.isfinite(loss), loss, np.nan)
