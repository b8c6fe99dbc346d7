"""Glyphs at each racer's head — the negative gradient, the last step, the optimizer's own state —
and a faint gradient field under everything. Nothing here knows an optimizer by name: labels and
shapes come from :func:`gui.model.glyphs.glyphs`.

Scaling: glyphs are drawn at their true length in data units (a step of 0.01 is an arrow 0.01
long, −∇f is the step plain gradient descent with lr = 1 would take), times one exaggeration
:attr:`GlyphLayer.factor` that the user sets and the key prints ("lengths ×10"). Tooltips give
the true lengths too.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.map_legend import BesideLegend
from gui.model import Session
from gui.model.glyphs import GlyphVector, glyphs, gradient_field

FACTORS = (1.0, 3.0, 10.0, 30.0, 100.0)  # exaggerations the View menu offers
HEAD_PX = 9.0  # arrowhead barb length, in pixels, so heads look the same at any zoom
FIELD_N = 24  # quiver arrows per axis
FIELD_LENGTH = 0.4  # quiver arrow length, as a share of a cell
FIELD_PEN = (90, 90, 90, 120)
ELLIPSE_POINTS = 48
ROLES = ("gradient", "step", "state")
_DASH = QtCore.Qt.PenStyle.DashLine
_DASH_DOT = QtCore.Qt.PenStyle.DashDotLine
_SOLID = QtCore.Qt.PenStyle.SolidLine


def role_of(index: int, glyph: GlyphVector) -> str:
    """``glyphs()`` lists −gradient first, then the last step (once there is one), then state."""
    if index == 0:
        return "gradient"
    if glyph.label == "last step":
        return "step"
    return "state"


def pen_style(role: str, kind: str) -> QtCore.Qt.PenStyle:
    # Line style tells roles apart; colour tells racers apart.
    if role == "gradient":
        return _DASH
    if role == "step" or kind != "vector":
        return _SOLID
    return _DASH_DOT


def glyph_length(glyph: GlyphVector) -> float:
    """The length the group scale is fitted to: an arrow's length, a shape's longer half-axis."""
    if glyph.kind == "vector":
        return float(np.hypot(*glyph.extent))
    return float(np.max(np.abs(glyph.extent)))


class GlyphLayer(QtCore.QObject):
    def __init__(self, session: Session, plot: pg.PlotItem) -> None:
        super().__init__()
        self.session = session
        self.plot = plot
        self.view_box = plot.getViewBox()
        self.shown = {role: False for role in ROLES}
        self.field_shown = False
        self.scales: dict[str, float] = {}
        self.factor = 1.0  # drawn length ÷ true length, for every glyph
        self.curves: dict[int, list[pg.PlotCurveItem]] = {}  # racer id → one curve per glyph
        self.field = pg.PlotCurveItem(pen=pg.mkPen(FIELD_PEN, width=1), connect="finite")
        self.field.setZValue(-40)
        self.field.hide()
        plot.addItem(self.field, ignoreBounds=True)
        # The key: the map places it beside the plot (it must not cover the paths).
        self.legend = BesideLegend(columns=2, text_size="8pt")
        self.legend.show_entries(False)
        self._legend_key: tuple = ()
        self._legend_samples: list = []
        # Panning fires many range changes; one redraw after they settle is enough.
        self._view_timer = QtCore.QTimer(self, singleShot=True, interval=40)
        self._view_timer.timeout.connect(self._on_view_settled)
        self.view_box.sigRangeChanged.connect(self._view_timer.start)

    # --- toggles ----------------------------------------------------------------------------

    def set_shown(self, role: str, on: bool) -> None:
        self.shown[role] = bool(on)
        self.update()

    def set_factor(self, factor: float) -> None:
        """Draw every glyph ``factor`` times its true length (1: true length)."""
        if not (factor > 0 and math.isfinite(factor)):
            raise ValueError(f"Invalid glyph factor: {factor!r} (must be a positive number)")
        self.factor = float(factor)
        self._legend_key = ()  # the key prints the factor
        self.update()

    def set_field_shown(self, on: bool) -> None:
        self.field_shown = bool(on)
        self.field.setVisible(self.field_shown)
        self.update_field()

    # --- model → view -----------------------------------------------------------------------

    def on_session_event(self, kind: str, racer_id: int | None) -> None:
        """Called by the map, which owns the one session listener (and detaches it)."""
        if kind == "surface":
            self.update_field()
        self.update()

    def _on_view_settled(self) -> None:
        self.update_field()
        self.update()  # scales and arrowheads follow the view

    def update_field(self) -> None:
        """Recompute the quiver over the visible range (only while it is shown)."""
        if not self.field_shown:
            return
        (xmin, xmax), (ymin, ymax) = self.view_box.viewRange()
        # Only over the coloured frame: arrows on the blank margins equal axes leave look lost.
        fx0, fx1, fy0, fy1 = self.session.surface.bounds
        xmin, xmax, ymin, ymax = max(xmin, fx0), min(xmax, fx1), max(ymin, fy0), min(ymax, fy1)
        if not (xmax > xmin and ymax > ymin):
            self.field.setData([], [])
            return
        X, Y, U, V = gradient_field(self.session.surface, (xmin, xmax, ymin, ymax), FIELD_N)
        ok = np.isfinite(U) & np.isfinite(V)
        x, y, u, v = X[ok], Y[ok], U[ok], V[ok]
        # Arrows along −∇f in data space, all one length, centred on their cell: tail, tip, one
        # barb, gap. The barb is turned in pixels so it keeps its shape on a non-square view.
        length = FIELD_LENGTH * min(xmax - xmin, ymax - ymin) / FIELD_N
        dx, dy = u * length, v * length
        tx, ty, hx, hy = x - dx / 2, y - dy / 2, x + dx / 2, y + dy / 2
        pw, ph = self.view_box.viewPixelSize()
        px, py = dx / pw, dy / ph
        norm = np.maximum(np.hypot(px, py), 1e-12)
        c, s = math.cos(math.radians(25)), math.sin(math.radians(25))
        barb = np.minimum(0.35 * norm, 5.0) / norm
        bx = hx - (px * c - py * s) * barb * pw
        by = hy - (px * s + py * c) * barb * ph
        nan = np.full_like(x, np.nan)
        xs = np.column_stack([tx, hx, bx, nan]).ravel()
        ys = np.column_stack([ty, hy, by, nan]).ravel()
        self.field.setData(xs, ys, connect="finite")

    def update(self) -> None:
        """Redraw every glyph; does nothing (cheaply) while all glyph toggles are off."""
        if not any(self.shown.values()):
            self._hide_all()
            self._set_legend([])
            return
        shown = {}
        for racer in self.session.racers:
            run = self.session.runs.get(racer.id)
            if not racer.enabled or run is None or run.diverged_at is not None:
                continue
            items = [
                (role_of(i, g), g) for i, g in enumerate(glyphs(run)) if self.shown[role_of(i, g)]
            ]
            shown[racer.id] = (racer, np.asarray(run.trajectory.head[:2], dtype=float), items)
        self.scales = self._fit_scales(shown)
        for racer_id in set(self.curves) - set(shown):
            for curve in self.curves[racer_id]:
                curve.hide()
        legend = []
        for racer_id, (racer, head, items) in shown.items():
            curves = self._curves(racer_id, len(items))
            for curve, (role, glyph) in zip(curves, items, strict=False):
                self._draw(curve, racer, head, role, glyph)
                legend.append((role, glyph.kind, glyph.label, racer.label))
            for curve in curves[len(items) :]:
                curve.hide()
        self._set_legend(legend)

    def _fit_scales(self, shown: dict) -> dict[str, float]:
        units = {glyph.units for _r, _h, items in shown.values() for _role, glyph in items}
        return dict.fromkeys(units, self.factor)

    def _curves(self, racer_id: int, n: int) -> list[pg.PlotCurveItem]:
        curves = self.curves.setdefault(racer_id, [])
        while len(curves) < n:  # made once per racer and glyph, then only setData
            curve = pg.PlotCurveItem(connect="finite")
            curve.setZValue(30)
            self.plot.addItem(curve, ignoreBounds=True)
            curves.append(curve)
        return curves

    def _draw(self, curve, racer, head: np.ndarray, role: str, glyph: GlyphVector) -> None:
        scale = self.scales.get(glyph.units, 0.0)
        e = glyph.extent * scale
        if glyph.kind == "vector":
            xs, ys = self._arrow(head, e)
            true = f"length {glyph_length(glyph):.3g}"
        elif glyph.kind == "rate":
            t = np.linspace(0, 2 * np.pi, ELLIPSE_POINTS + 1)
            xs, ys = head[0] + e[0] * np.cos(t), head[1] + e[1] * np.sin(t)
            true = f"half-axes {glyph.extent[0]:.3g} × {glyph.extent[1]:.3g}"
        else:
            xs = head[0] + np.array([-e[0], e[0], np.nan, 0, 0])
            ys = head[1] + np.array([0, 0, np.nan, -e[1], e[1]])
            true = f"half-axes {glyph.extent[0]:.3g} × {glyph.extent[1]:.3g}"
        width = 2.5 if role == "step" else 2.0
        curve.setPen(pg.mkPen(racer.color, width=width, style=pen_style(role, glyph.kind)))
        curve.setData(xs, ys, connect="finite")
        curve.setToolTip(f"{racer.label}: {glyph.label} ({true}; drawn ×{scale:.3g})")
        curve.glyph, curve.role = glyph, role  # what the curve stands for, for tests
        curve.show()

    def _arrow(self, head: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shaft from the head, plus two barbs made in pixels so they keep their shape."""
        tip = head + e
        pw, ph = self.view_box.viewPixelSize()
        sx, sy = e[0] / pw, e[1] / ph
        norm = math.hypot(sx, sy)
        if not (norm > 0 and math.isfinite(norm)):
            return np.array([head[0]]), np.array([head[1]])
        ux, uy = sx / norm, sy / norm
        size = min(HEAD_PX, 0.5 * norm)
        xs, ys = [head[0], tip[0]], [head[1], tip[1]]
        for sign in (1, -1):
            c, s = math.cos(math.radians(25)), sign * math.sin(math.radians(25))
            bx, by = -(ux * c - uy * s) * size, -(ux * s + uy * c) * size
            xs += [np.nan, tip[0], tip[0] + bx * pw]
            ys += [np.nan, tip[1], tip[1] + by * ph]
        return np.array(xs), np.array(ys)

    def _hide_all(self) -> None:
        for curves in self.curves.values():
            for curve in curves:
                curve.hide()

    def _set_legend(self, entries: list[tuple[str, str, str, str]]) -> None:
        """One row per kind of glyph on the map, naming the racers that show it."""
        rows: dict[tuple[str, str, str], list[str]] = {}
        for role, kind, label, racer in entries:
            rows.setdefault((role, kind, label), []).append(racer)
        key = tuple((k, tuple(v)) for k, v in rows.items())
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        self._legend_samples = []
        for (role, kind, label), racers in rows.items():
            pen = pg.mkPen("#333", width=2, style=pen_style(role, kind))
            if kind == "vector":
                sample = pg.PlotDataItem(pen=pen)
            else:
                symbol = "o" if kind == "rate" else "+"
                sample = pg.ScatterPlotItem(symbol=symbol, pen=pen, brush=None, size=12)
            self._legend_samples.append(sample)
            shape = {"rate": "ellipse: ", "step": "cross: "}.get(kind, "")
            # The colour names the racer; names only when some racers lack this glyph.
            everyone = len(racers) == len({r for *_, r in entries})
            who = "" if everyone else f" — {', '.join(racers)}"
            self.legend.addItem(sample, f"{shape}{label}{who}")
        if rows:
            blank = pg.PlotDataItem(pen=None)
            self._legend_samples.append(blank)
            self.legend.addItem(blank, lengths_text(self.factor))
        self.legend.show_entries(bool(rows))


def lengths_text(factor: float) -> str:
    """What the key says about glyph lengths."""
    return "true lengths" if factor == 1 else f"lengths ×{factor:g}"
