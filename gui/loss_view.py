"""The loss plot: each racer's f(x_t) against the step, in the racers' colours.

A log axis helps most, but log of a non-positive value is garbage: with a known minimum we plot
f − f_min (floored at a tiny positive value, which the axis label says); without one we plot f
on a log axis only while every loss is positive, and on a linear axis otherwise. The logarithm is
taken here and the axis only labels it, so the curves stay plain ``PlotCurveItem``s.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from gui import theme
from gui.model import Session

FLOOR = 1e-16  # relative to max(1, |f_min|): where f − f_min reaches rounding noise


class LossView(pg.PlotWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setLabel("bottom", "step")
        self.curves: dict[int, pg.PlotCurveItem] = {}
        self._drawn: dict[int, tuple] = {}
        self._fmin: float | None = None
        self._log: bool | None = None  # set by the first refresh
        self._on_surface_changed()
        self._on_racers_changed()
        self.refresh()
        session.events.connect(self._on_session_event)

    @property
    def log_y(self) -> bool:
        return bool(self._log)

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "surface":
            self._on_surface_changed()
        elif kind == "racers":
            self._on_racers_changed()
        elif kind == "racer" and racer_id in self.curves:
            self._style(racer_id)
        self.refresh()

    def _on_surface_changed(self) -> None:
        known = [m[2] for m in self.session.surface.minima if math.isfinite(m[2])]
        self._fmin = min(known) if known else None
        self._drawn.clear()
        self.setLabel("left", self._label())

    def _on_racers_changed(self) -> None:
        ids = {r.id for r in self.session.racers}
        for gone in set(self.curves) - ids:
            self.removeItem(self.curves.pop(gone))
            self._drawn.pop(gone, None)
        for racer in self.session.racers:
            if racer.id not in self.curves:
                self.curves[racer.id] = pg.PlotCurveItem(connect="finite", skipFiniteCheck=True)
                self.addItem(self.curves[racer.id])
                self._style(racer.id)

    def _style(self, racer_id: int) -> None:
        racer = self.session.racer(racer_id)
        self.curves[racer_id].setPen(theme.trail_pen(racer.color))
        self.curves[racer_id].setVisible(racer.enabled)

    def refresh(self) -> None:
        changed = []
        for racer in self.session.racers:
            run = self.session.runs[racer.id]
            seen = self._drawn.get(racer.id)
            if seen is not None and seen[0] is run and seen[1] == run.step:
                continue
            steps, data = run.trajectory.drawable(theme.MAX_DRAWN_POINTS)
            loss = data[:, 2]
            positive = bool(np.all(loss[np.isfinite(loss)] > 0))
            self._drawn[racer.id] = (run, run.step, steps.astype(float), loss, positive)
            changed.append(racer.id)
        log = self._fmin is not None or all(
            self._drawn[r.id][4] for r in self.session.racers if r.enabled
        )
        if log != self._log:
            self._log = log
            self.getPlotItem().getAxis("left").setLogMode(log)
            changed = list(self._drawn)
        for racer_id in changed:
            _, _, steps, loss, _ = self._drawn[racer_id]
            self.curves[racer_id].setData(
                steps, self._transform(loss), connect="finite", skipFiniteCheck=True
            )

    def _label(self) -> str:
        if self._fmin is None:
            return "f(x, y)"
        return "f − f_min" if self._fmin == 0 else f"f − f_min  (f_min = {self._fmin:g})"

    def _transform(self, loss: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            if self._fmin is not None:
                floor = FLOOR * max(1.0, abs(self._fmin))
                return np.log10(np.maximum(loss - self._fmin, floor))
            if self._log:
                return np.log10(np.where(loss > 0, loss, np.nan))
            return np.where(np.isfinite(loss), loss, np.nan)
