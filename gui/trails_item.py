"""Every racer in one plot item: their lines (the map's trails, the loss curves), their heads.

A ``PlotCurveItem`` per racer costs a Python paint call plus its own bounds, pixel padding and
geometry bookkeeping on every frame; sixteen of them (eight trails, eight loss curves) were most
of a tick, and a ``ScatterPlotItem`` of eight heads cost 0.7 ms a tick in ``setData``, bounds
and paint. These items paint all racers in one call. Their bounding rectangle is the view's:
what they draw is clipped to the view anyway, while data bounds would mean a NaN-aware min/max of
every racer on every tick, and a geometry change (a scene index update) whenever one moves.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol, renderSymbol
from PySide6 import QtCore, QtGui

FAR = 2.0**30  # device coordinates beyond this crash Qt's rasteriser (pyqtgraph clips too)


class ViewSized(pg.GraphicsObject):
    """An item as large as its view, which paints live without antialiasing unless it was
    made while pyqtgraph's ``antialias`` option was on (as figures do), and for an exporter
    as the exporter asks."""

    def __init__(self) -> None:
        super().__init__()
        self._antialias = bool(pg.getConfigOption("antialias"))
        self._rect: QtCore.QRectF | None = None

    def boundingRect(self) -> QtCore.QRectF:
        if self._rect is None:
            view = self.viewRect()
            self._rect = QtCore.QRectF() if view is None else QtCore.QRectF(view)
        return self._rect

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewTransformChanged()
        self._rect = None

    def _mode(self) -> tuple[bool, bool]:
        """(exporting, antialias)."""
        if self._exportOpts is not False:
            return True, bool(self._exportOpts.get("antialias", True))
        return False, self._antialias


class Line:
    """One racer's line in a :class:`Lines` item (read ``getData``/``isVisible`` like a curve)."""

    def __init__(self, pen: QtGui.QPen) -> None:
        self.x = self.y = np.empty(0)
        self.pen = pen
        self.shown = True
        self.finite = True  # no NaN or inf: one polyline, no breaks
        # Built when first painted after new data, in the form the pen and data call for.
        self.polygon: QtGui.QPolygonF | None = None
        self.path: QtGui.QPainterPath | None = None
        self.segments = None
        self.bounds: tuple[float, float, float, float] | None = None  # only if a view asks

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x, self.y

    def isVisible(self) -> bool:
        return self.shown


class Lines(ViewSized):
    """Lines keyed by racer id, painted in the order they were added (later ones on top, as
    separate items of equal z would be). Non-finite points break a line (``connect="finite"``)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, Line] = {}
        self.width_scale = 1.0  # bitmap exports widen cosmetic pens by their scale (render.py)

    # --- data -------------------------------------------------------------------------------

    def add(self, key: int, pen: QtGui.QPen) -> Line:
        line = self.lines[key] = Line(pen)
        return line

    def remove(self, key: int) -> None:
        if self.lines.pop(key, None) is not None:
            self.update()

    def set_data(self, key: int, x: np.ndarray, y: np.ndarray) -> None:
        line = self.lines[key]
        line.x, line.y = x, y
        # One sum instead of two isfinite masks: any NaN or inf makes it non-finite (so would
        # an overflow past 1e308, which only costs the slower path).
        line.finite = bool(np.isfinite(x.sum() + y.sum()))
        line.polygon = line.path = line.segments = line.bounds = None
        if line.shown:
            self.update()

    def set_pen(self, key: int, pen: QtGui.QPen) -> None:
        line = self.lines[key]
        line.pen = pen
        if line.shown:
            self.update()

    def set_shown(self, key: int, shown: bool) -> None:
        line = self.lines[key]
        if line.shown != shown:
            line.shown = shown
            self.update()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """What an auto-ranging view would fit (the live views frame themselves; computed only
        when asked)."""
        spans = [b for b in map(self._bounds, self.lines.values()) if b is not None]
        if not spans:
            return (None, None)
        lo, hi = (0, 1) if ax == 0 else (2, 3)
        return (min(b[lo] for b in spans), max(b[hi] for b in spans))

    @staticmethod
    def _bounds(line: Line) -> tuple[float, float, float, float] | None:
        if not line.shown:
            return None
        if line.bounds is None:
            finite = np.isfinite(line.x) & np.isfinite(line.y)
            if not finite.any():
                return None
            x, y = line.x[finite], line.y[finite]
            line.bounds = (float(x.min()), float(x.max()), float(y.min()), float(y.max()))
        return line.bounds

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        exporting, aa = self._mode()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
        for line in self.lines.values():
            if not line.shown or len(line.x) == 0:
                continue
            pen = line.pen
            if self.width_scale != 1.0:
                pen = QtGui.QPen(pen)
                pen.setWidthF(max(pen.widthF(), 1.0) * self.width_scale)
            painter.setPen(pen)
            # Like PlotCurveItem: a wide opaque pen without antialiasing strokes a path ~10×
            # slower than it draws the same segments one by one, and looks the same.
            if not aa and pen.widthF() > 1.0 and pen.color().alphaF() == 1.0:
                if line.segments is None:
                    line.segments = arrayToLineSegments(line.x, line.y, "finite", False)
                painter.drawLines(*line.segments.drawargs())
            elif line.finite and not exporting:
                # A polygon is filled straight from the arrays; a path costs a conversion more
                # (~20 µs for 2000 points) and paints no faster. SVG gets paths, as it always did.
                if line.polygon is None:
                    line.polygon = pg.functions.arrayToQPolygonF(line.x, line.y)
                painter.drawPolyline(line.polygon)
            else:
                if line.path is None:
                    line.path = pg.arrayToQPath(line.x, line.y, connect="finite")
                painter.drawPath(line.path)


class Dots(ViewSized):
    """Round markers of one size and edge, a fill colour each (the racers' heads), drawn like
    a ``ScatterPlotItem`` draws them: live from pre-rendered antialiased sprites, for an
    exporter as vector symbols. Non-finite points are skipped."""

    def __init__(self, size: float, pen: QtGui.QPen) -> None:
        super().__init__()
        self.size, self.pen = size, pen
        self.x = self.y = np.empty(0)
        self.brushes: list[QtGui.QBrush] = []
        self._sprites: dict[tuple[int, float], QtGui.QPixmap] = {}

    def set_data(self, x, y, brushes: list[QtGui.QBrush]) -> None:
        x, y, brushes = np.asarray(x, dtype=float), np.asarray(y, dtype=float), list(brushes)
        if not len(x) == len(y) == len(brushes):
            # Here, not in paint: an exception raised while Qt paints takes the process down.
            raise ValueError(f"Invalid dots: {len(x)} x, {len(y)} y, {len(brushes)} brushes")
        self.x, self.y, self.brushes = x, y, brushes
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x, self.y

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        exporting, aa = self._mode()
        to_device = painter.transform()
        painter.resetTransform()  # symbols are sized in pixels, not data units
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
        dpr = painter.device().devicePixelRatioF()
        for x, y, brush in zip(self.x, self.y, self.brushes, strict=True):
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            at = to_device.map(QtCore.QPointF(x, y))
            at = QtCore.QPointF(min(max(at.x(), -FAR), FAR), min(max(at.y(), -FAR), FAR))
            if exporting:
                painter.resetTransform()
                painter.translate(at)
                drawSymbol(painter, "o", self.size, self.pen, brush)
                continue
            sprite = self._sprite(brush, dpr)
            half = sprite.width() / dpr / 2
            painter.drawPixmap(QtCore.QPointF(at.x() - half, at.y() - half), sprite)

    def _sprite(self, brush: QtGui.QBrush, dpr: float) -> QtGui.QPixmap:
        # At the painter's pixel ratio: a figure drawn at 2× gets crisp heads, not blown-up ones.
        key = (brush.color().rgba(), dpr)
        if key not in self._sprites:
            image = renderSymbol("o", self.size, self.pen, brush, dpr=dpr)
            self._sprites[key] = QtGui.QPixmap.fromImage(image)
        return self._sprites[key]
