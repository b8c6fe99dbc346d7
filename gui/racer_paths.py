"""Each racer's path on the map: a thin trail, per-step points while the trail is short, a head
marker, and a "diverged at step k" label. Created when a racer joins, updated with ``setData``.

Every racer's trail is one line of a shared :class:`Lines` item, the heads share one
:class:`Dots` item and the per-step points one scatter item: pyqtgraph's per-item paint and
bounds overhead, paid per racer, was most of a frame (see gui/trails_item.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from gui import theme
from gui.drawn_path import DrawnPath
from gui.model import Racer, Run, Session
from gui.model.racer import ESCAPE_FRAMES
from gui.trails_item import Dots, Line, Lines


@dataclass
class PathItems:
    key: int  # the racer's id, which keys its line in the shared trails item
    trail: Line  # this racer's line in the shared trails item
    label: pg.TextItem
    sample: pg.PlotDataItem  # never drawn: what the legend shows, bold whatever the trail's pen
    drawn: tuple = field(default=(None, -1))  # (run, step) last drawn: skip unchanged racers
    look: tuple = ()  # (colour, label, enabled) last styled
    bold: bool | None = None  # whether the trail has the bold pen of a short path
    head: tuple[float, float] = (np.nan, np.nan)  # where the head marker goes
    marked: tuple[np.ndarray, np.ndarray] | None = None  # per-step points, while the path is short
    brush: QtGui.QBrush | None = None
    # The trail simplified for this view; drawn point for point while its steps are marked.
    path: DrawnPath = field(default_factory=lambda: DrawnPath(exact=theme.MAX_MARKED_POINTS))
    label_at: tuple[float, float, float, float] | None = None  # where its label goes: x, y, anchor


class RacerPaths:
    def __init__(self, session: Session, plot: pg.PlotItem, legend: pg.LegendItem) -> None:
        self.session = session
        self.plot = plot
        self.legend = legend
        self.items: dict[int, PathItems] = {}
        self.trails = Lines()
        self.trails.setZValue(1)
        plot.addItem(self.trails, ignoreBounds=True)
        self.points = pg.ScatterPlotItem(size=theme.POINT_SIZE, pen=None, tip=None)
        self.points.setZValue(2)
        plot.addItem(self.points, ignoreBounds=True)
        self.heads = Dots(theme.HEAD_SIZE, pg.mkPen(theme.MARKER_EDGE, width=1.5))
        self.heads.setZValue(10)
        plot.addItem(self.heads, ignoreBounds=True)
        # The trails repaint the whole view every tick, legend included: eight samples and
        # labels painted in Python cost ~0.4 ms a frame, blitting their pixmaps next to nothing.
        theme.cache_pixels(legend)
        self._heads_due = True
        self._labels_due = False
        self._frame = (-1.0, 1.0, -1.0, 1.0)
        self._clip = self._frame
        self._pixel = (np.inf, np.inf)  # a pixel's width and height in data units
        plot.getViewBox().sigTransformChanged.connect(self._on_view_changed)
        self._on_racers_changed()

    def set_frame(self, bounds: tuple[float, float, float, float]) -> None:
        """Racers may leave the frame; their drawn coordinates are clipped to the model's escape
        box so a diverging head at 1e300 cannot stall the painter."""
        xmin, xmax, ymin, ymax = bounds
        reach = ESCAPE_FRAMES * max(xmax - xmin, ymax - ymin)
        self._frame = bounds
        clip = (xmin - reach, xmax + reach, ymin - reach, ymax + reach)
        if clip != self._clip:
            self._clip = clip
            for items in self.items.values():
                items.drawn = (None, -1)  # drawn against the old clip (or not yet: a new view)
            self.refresh()

    def _on_view_changed(self, *args) -> None:
        """A zoom or a resize: the trails are simplified for pixels of the new size (a pan
        keeps the size and costs nothing)."""
        pixel = tuple(float(v) for v in self.plot.getViewBox().viewPixelSize())
        if pixel != self._pixel:
            self._pixel = pixel
            for items in self.items.values():
                items.drawn = (None, -1)
            self.refresh()
        self._place_labels()  # a pan moves the legend over other data, so labels look again

    def on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "racers":
            self._on_racers_changed()
        elif kind == "racer" and racer_id in self.items:
            self._on_racer_changed(racer_id)
        self.refresh()

    def refresh(self) -> None:
        moved = False
        for racer in self.session.racers:
            run = self.session.runs[racer.id]
            items = self.items.get(racer.id)
            if items is None:
                # A racer whose "racers" event has not reached us yet: another listener (a
                # panel growing) resized the map first. It is drawn when the event arrives.
                continue
            if items.drawn[0] is run and items.drawn[1] == run.step:
                continue  # nothing new: a finished or diverged racer costs nothing per tick
            items.drawn = (run, run.step)
            self._draw(items, run)
            moved = True
        if moved or self._heads_due:
            self._heads_due = False
            shown = [
                self.items[r.id] for r in self.session.racers if r.enabled and r.id in self.items
            ]
            self.heads.set_data(
                [i.head[0] for i in shown], [i.head[1] for i in shown], [i.brush for i in shown]
            )
            self._mark([i for i in shown if i.marked is not None])
        if self._labels_due:
            self._place_labels()

    def _mark(self, marked: list[PathItems]) -> None:
        """Per-step points of the short paths, every racer in one item, in racer order."""
        if not marked:
            if self.points.isVisible():
                self.points.setData(x=[], y=[])
                self.points.hide()
            return
        self.points.setData(
            x=np.concatenate([i.marked[0] for i in marked]),
            y=np.concatenate([i.marked[1] for i in marked]),
            brush=[i.brush for i in marked for _ in range(len(i.marked[0]))],
        )
        self.points.show()

    def _draw(self, items: PathItems, run: Run) -> None:
        rows = items.path.update(run.trajectory, self._pixel)
        xmin, xmax, ymin, ymax = self._clip
        # np.clip's Python wrapper costs more than the two ufuncs (NaN stays NaN in both).
        x = np.minimum(np.maximum(rows[:, 1], xmin), xmax)
        y = np.minimum(np.maximum(rows[:, 2], ymin), ymax)
        self.trails.set_data(items.key, x, y)
        # By steps, not drawn points: a long race simplified to a few points is still long.
        points = run.step + 1
        bold = points <= theme.MAX_BOLD_POINTS
        if bold != items.bold:
            items.bold = bold
            self.trails.set_pen(items.key, theme.trail_pen(items.look[0], bold))
        every = points <= theme.MAX_MARKED_POINTS and len(x) == points
        items.marked = (x, y) if every else None
        hx, hy = x[-1], y[-1]
        if not np.isfinite(hx + hy):
            finite = np.isfinite(x) & np.isfinite(y)
            hx, hy = (x[finite][-1], y[finite][-1]) if finite.any() else (np.nan, np.nan)
        items.head = (hx, hy)
        if run.diverged_at is None:
            if items.label_at is not None:
                items.label_at = None
                self._labels_due = True
            items.label.hide()
            return
        # The head may be far outside the frame: pin the label to the frame's edge toward it, and
        # let the text run toward the middle so the edge does not cut it off.
        fxmin, fxmax, fymin, fymax = self._frame
        lx, ly = min(max(hx, fxmin), fxmax), min(max(hy, fymin), fymax)
        right, top = lx > (fxmin + fxmax) / 2, ly > (fymin + fymax) / 2
        items.label.setText(f"diverged at step {run.diverged_at}")
        items.label_at = (lx, ly, 1.05 if right else -0.05, -0.2 if top else 1.2)
        self._labels_due = True
        # TextItem fits its transform to the view in its Python setVisible; show() skips that,
        # and a label hidden since it was made has never been fitted.
        items.label.setVisible(True)

    def _place_labels(self) -> None:
        """Divergence labels never cover each other or the legend: each, in racer order, steps
        away from whatever it would cover, toward the middle of the map (down from the top
        edge, up from the bottom one). The step is made in the anchor, in text heights, so it
        holds in pixels whatever the view does next."""
        self._labels_due = False
        taken = [self.legend.sceneBoundingRect()] if self.legend.isVisible() else []
        for racer in self.session.racers:
            items = self.items.get(racer.id)  # None: its "racers" event is still on its way
            if items is None or items.label_at is None or not items.label.isVisible():
                continue
            label = items.label
            x, y, ax, ay = items.label_at
            top = ay < 0.5
            label.setAnchor((ax, ay))
            label.setPos(x, y)
            label.updateTransform(force=True)
            rect = label.sceneBoundingRect()
            shift = 0.0
            for _ in range(len(taken) + 1):
                hit = next((r for r in taken if r.intersects(rect)), None)
                if hit is None:
                    break
                step = hit.bottom() - rect.top() + 2 if top else hit.top() - rect.bottom() - 2
                rect.translate(0, step)
                shift += step
            if shift and rect.height() > 0:
                label.setAnchor((ax, ay - shift / rect.height()))
            taken.append(rect)

    def _on_racers_changed(self) -> None:
        ids = {r.id for r in self.session.racers}
        for gone in set(self.items) - ids:
            self.plot.removeItem(self.items.pop(gone).label)
            self.trails.remove(gone)
        for racer in self.session.racers:
            if racer.id not in self.items:
                self.items[racer.id] = self._make(racer)
                self._style(racer)
        self._heads_due = True
        self._rebuild_legend()

    def _make(self, racer: Racer) -> PathItems:
        trail = self.trails.add(racer.id, theme.trail_pen(racer.color))
        label = pg.TextItem(fill=pg.mkBrush(theme.LABEL_FILL))
        label.setZValue(11)
        self.plot.addItem(label, ignoreBounds=True)
        # One point of data, or the legend would show the scatter's default brush, not ours.
        sample = pg.PlotDataItem([0.0], [0.0], symbol="o", symbolSize=9)
        return PathItems(racer.id, trail, label, sample)

    def _on_racer_changed(self, racer_id: int) -> None:
        racer = self.session.racer(racer_id)
        before = self.items[racer_id].look
        self._style(racer)
        if self.items[racer_id].look != before:
            self._rebuild_legend()  # only for a new colour, name or on/off, not for slider moves

    def _style(self, racer: Racer) -> None:
        items = self.items[racer.id]
        look = (racer.color, racer.label, racer.enabled)
        if look == items.look:
            return
        items.look = look
        self.trails.set_pen(racer.id, theme.trail_pen(racer.color))
        self.trails.set_shown(racer.id, racer.enabled)
        items.bold = None
        items.brush = pg.mkBrush(racer.color)
        items.label.setColor(racer.color)
        items.sample.setPen(theme.trail_pen(racer.color))
        items.sample.setSymbolBrush(racer.color)
        items.sample.setSymbolPen(pg.mkPen(theme.MARKER_EDGE, width=1))
        for item in (items.label, items.sample):
            item.setVisible(racer.enabled)
        if not racer.enabled:
            items.label.hide()
        items.drawn = (None, -1)

    def _rebuild_legend(self) -> None:
        self.legend.clear()
        for racer in self.session.racers:
            self.legend.addItem(self.items[racer.id].sample, racer.label)
            sample = self.legend.items[-1][0]
            sample.sigClicked.connect(lambda item, rid=racer.id: self._on_legend_clicked(rid))
        # The entries cache like the legend: a figure turns caching off to draw at its own scale.
        for item in self.legend.allChildItems():
            item.setCacheMode(self.legend.cacheMode())

    def _on_legend_clicked(self, racer_id: int) -> None:
        # pyqtgraph has already flipped the sample's visibility; the model decides the rest.
        self.session.set_enabled(racer_id, self.items[racer_id].sample.isVisible())
