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

SHORT_TAIL = 64  # points of a changed tail below which Python's min and max beat numpy's
FAR = 2.0**30  # device coordinates beyond this crash Qt's rasteriser (pyqtgraph clips too)


def fill_polygon(polygon: QtGui.QPolygonF, x: np.ndarray, y: np.ndarray) -> QtGui.QPolygonF:
    """``polygon`` refilled in place with the points (x, y). Through the bindings, making and
    freeing a QPolygonF for every line at every frame cost more than the numbers it holds
    (~5 % of a tick); refilling one keeps its memory."""
    if polygon.size() != len(x):
        polygon.resize(len(x))
    memory = pg.functions.ndarray_from_qpolygonf(polygon)  # a view: after resize, not before
    memory[:, 0] = x
    memory[:, 1] = y
    return polygon


def _first_change(x: np.ndarray, y: np.ndarray, old_x: np.ndarray, old_y: np.ndarray) -> int:
    """The index of the first point that differs from the old line's (its length, or the
    new one's, if one starts the other; 0 for arrays changed in place)."""
    if x is old_x or y is old_y:
        return 0
    n = min(len(x), len(old_x))
    # The usual tick: the old line is where the new one starts. Compared as bytes, which is
    # a third of the cost of numpy's comparisons here, and just as right for pixels (a NaN
    # left as it was is unchanged; a zero that changed sign counts as changed).
    if x[:n].tobytes() == old_x[:n].tobytes() and y[:n].tobytes() == old_y[:n].tobytes():
        return n
    differs = x[:n] != old_x[:n]
    differs |= y[:n] != old_y[:n]
    return int(differs.argmax())


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
        self._pixel = None

    def pixel(self) -> tuple[float, float] | None:
        """A device pixel's width and height in this item's units (None without a view)."""
        if getattr(self, "_pixel", None) is None:
            device = self.deviceTransform_()
            if device is None or not device.isInvertible():
                return None
            back = device.inverted()[0]
            self._pixel = (abs(back.m11()) + abs(back.m21()), abs(back.m12()) + abs(back.m22()))
        return self._pixel

    def repaint_part(self, rect: QtCore.QRectF | None) -> None:
        """Repaint ``rect`` (this item's units; None: everything). Through the scene, not
        ``update(rect)``: Qt unites an item's dirty rects into one, so two racers' heads at
        opposite corners would repaint the whole view, while the scene keeps each rect and
        the view repaints just their region."""
        scene = self.scene()
        if rect is None or scene is None:
            self.update()
        elif not rect.isNull():
            scene.update(self.mapRectToScene(rect))

    def _mode(self) -> tuple[bool, bool]:
        """(exporting, antialias)."""
        if self._exportOpts is not False:
            return True, bool(self._exportOpts.get("antialias", True))
        return False, self._antialias


class Line:
    """One racer's line in a :class:`Lines` item (read ``getData``/``isVisible`` like a curve)."""

    def __init__(self, pen: QtGui.QPen) -> None:
        self.x = self.y = np.empty(0)
        self.set_pen(pen)
        self.shown = True
        self.finite = True  # no NaN or inf: one polyline, no breaks
        # Built when first painted after new data, in the form the pen and data call for. The
        # polygon is kept and refilled in place (``filled`` says whether it holds the data).
        self.polygon = QtGui.QPolygonF()
        self.filled = False
        self.path: QtGui.QPainterPath | None = None
        self.segments = None
        self.bounds: tuple[float, float, float, float] | None = None  # only if a view asks

    def set_pen(self, pen: QtGui.QPen) -> None:
        # What painting asks of the pen, read once here, not for every line at every frame.
        self.pen = pen
        self.width, self.cosmetic = pen.widthF(), pen.isCosmetic()
        self.wide_opaque = self.width > 1.0 and pen.color().alphaF() == 1.0

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x, self.y

    def isVisible(self) -> bool:
        return self.shown


class Lines(ViewSized):
    """Lines keyed by racer id, painted in the order they were added (later ones on top, as
    separate items of equal z would be). Non-finite points break a line (``connect="finite"``)."""

    def __init__(self, ascending_x: bool = False) -> None:
        super().__init__()
        self.lines: dict[int, Line] = {}
        # x never decreases along a line (the loss curves' steps): a repaint of part of the
        # view then draws only the points over that part, found by bisection.
        self.ascending_x = ascending_x
        if ascending_x:
            self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.width_scale = 1.0  # bitmap exports widen cosmetic pens by their scale (render.py)
        self._part_polygon = QtGui.QPolygonF()  # refilled for each part of a line repainted

    # --- data -------------------------------------------------------------------------------

    def add(self, key: int, pen: QtGui.QPen) -> Line:
        line = self.lines[key] = Line(pen)
        return line

    def remove(self, key: int) -> None:
        if self.lines.pop(key, None) is not None:
            self.update()

    def set_data(self, key: int, x: np.ndarray, y: np.ndarray) -> None:
        line = self.lines[key]
        old_x, old_y, was_finite = line.x, line.y, line.finite
        line.x, line.y = x, y
        line.path = line.segments = line.bounds = None
        line.filled = False
        first = _first_change(x, y, old_x, old_y)
        # Only the part after an unchanged finite start can bring a NaN or inf. One sum per
        # coordinate: any NaN or inf makes it non-finite (so would an overflow past 1e308,
        # which only costs the slower path).
        rest_x, rest_y = (x[first:], y[first:]) if was_finite else (x, y)
        if len(rest_x) <= SHORT_TAIL:
            line.finite = math.isfinite(sum(rest_x.tolist()) + sum(rest_y.tolist()))
        else:
            line.finite = math.isfinite(rest_x.sum() + rest_y.sum())
        if line.shown:
            changed = self._changed_rect(line, old_x, old_y, first) if was_finite else None
            self.repaint_part(changed)

    def _changed_rect(
        self, line: Line, old_x: np.ndarray, old_y: np.ndarray, first: int
    ) -> QtCore.QRectF | None:
        """Where the line's pixels may have changed: from the last point before the first one
        that differs, the old tail and the new, widened by the pen and a pixel of rounding.
        A growing path changes only at its head, so a frame repaints a strip, not the view
        (a null rect: nothing changed; None: everything may have, or it cannot be bounded)."""
        x, y = line.x, line.y
        if x is old_x or y is old_y:
            return None  # changed in place: nothing to compare with
        if first == len(x) == len(old_x):
            return QtCore.QRectF()
        pixel = self.pixel()
        if pixel is None or not line.finite or self.width_scale != 1.0:
            return None  # (the old line was finite: the caller checked)
        start = max(first - 1, 0)
        if len(x) + len(old_x) - 2 * start <= SHORT_TAIL:  # the usual tick: a point or two
            xs = x[start:].tolist() + old_x[start:].tolist()
            ys = y[start:].tolist() + old_y[start:].tolist()
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        else:
            xs = np.concatenate((x[start:], old_x[start:]))
            ys = np.concatenate((y[start:], old_y[start:]))
            x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        pw, ph = pixel
        # Pixels beyond the pen's half: rounding, and the outline gui/halos.py paints under a
        # trail from the same data (a pixel each side), which repaints with it.
        extra = 3.0
        if line.cosmetic:
            half = max(line.width, 1.0) / 2 + extra
            mx, my = half * pw, half * ph
        else:
            mx, my = line.width / 2 + extra * pw, line.width / 2 + extra * ph
        return QtCore.QRectF(x0 - mx, y0 - my, x1 - x0 + 2 * mx, y1 - y0 + 2 * my)

    def set_pen(self, key: int, pen: QtGui.QPen) -> None:
        line = self.lines[key]
        line.set_pen(pen)
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
        span = self._exposed_x(option) if self.ascending_x and not exporting else None
        for line in self.lines.values():
            if not line.shown or len(line.x) == 0:
                continue
            pen, wide_opaque = line.pen, line.wide_opaque
            if self.width_scale != 1.0:
                pen = QtGui.QPen(pen)
                pen.setWidthF(max(pen.widthF(), 1.0) * self.width_scale)
                wide_opaque = pen.widthF() > 1.0 and pen.color().alphaF() == 1.0
            painter.setPen(pen)
            part = self._part(line, span) if span is not None and line.finite else None
            # Like PlotCurveItem: a wide opaque pen without antialiasing strokes a path ~10×
            # slower than it draws the same segments one by one, and looks the same.
            if not aa and wide_opaque:
                if part is not None:
                    painter.drawLines(*arrayToLineSegments(*part, "finite", False).drawargs())
                    continue
                if line.segments is None:
                    line.segments = arrayToLineSegments(line.x, line.y, "finite", False)
                painter.drawLines(*line.segments.drawargs())
            elif line.finite and not exporting:
                # A polygon is filled straight from the arrays; a path costs a conversion more
                # (~20 µs for 2000 points) and paints no faster. SVG gets paths, as it always did.
                if part is not None:
                    painter.drawPolyline(fill_polygon(self._part_polygon, *part))
                    continue
                if not line.filled:
                    fill_polygon(line.polygon, line.x, line.y)
                    line.filled = True
                painter.drawPolyline(line.polygon)
            else:
                if line.path is None:
                    line.path = pg.arrayToQPath(line.x, line.y, connect="finite")
                painter.drawPath(line.path)

    def _exposed_x(self, option) -> tuple[float, float] | None:
        """The x range of the part being repainted, or None for all of the view."""
        exposed, whole = option.exposedRect, self.boundingRect()
        if exposed.isNull() or exposed.contains(whole):
            return None
        return exposed.left(), exposed.right()

    def _part(self, line: Line, span: tuple[float, float]) -> tuple[np.ndarray, np.ndarray] | None:
        """The points whose segments can reach ``span`` (widened by the pen and a pixel),
        from the one before the first inside to the one after the last; None: all of them.
        Only on screen (an export paints everything), so the pen is the line's own."""
        pixel = self.pixel()
        if pixel is None:
            return None
        if line.cosmetic:
            reach = (max(line.width, 1.0) + 2.0) * pixel[0]
        else:
            reach = line.width + 2.0 * pixel[0]
        x = line.x
        lo, hi = int(x.searchsorted(span[0] - reach)), int(x.searchsorted(span[1] + reach))
        lo, hi = max(lo - 1, 0), min(hi + 1, len(x))
        if hi <= lo or (lo == 0 and hi == len(line.x)):
            return None  # (never empty: a polygon of no points raises, and in paint that is fatal)
        return line.x[lo:hi], line.y[lo:hi]


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
        old = self.x, self.y, self.brushes
        self.x, self.y, self.brushes = x, y, brushes
        moved = self._moved(*old)
        if moved is None:
            self.update()
        else:
            for rect in moved:
                self.repaint_part(rect)

    def _moved(
        self, old_x: np.ndarray, old_y: np.ndarray, old_brushes: list[QtGui.QBrush]
    ) -> list[QtCore.QRectF] | None:
        """The squares around each head that moved or changed colour, where it was and where
        it is (None: repaint everything — heads came or went, or one is not finite)."""
        pixel = self.pixel()
        if pixel is None or len(old_x) != len(self.x):
            return None
        pw, ph = pixel
        half = self.size / 2 + self.pen.widthF() + 2.0  # pixels: the sprite and rounding
        rects = []
        for i, (x, y, brush) in enumerate(zip(self.x, self.y, self.brushes, strict=True)):
            ox, oy = old_x[i], old_y[i]
            if x == ox and y == oy and brush == old_brushes[i]:
                continue
            if not math.isfinite(x + y + ox + oy):
                return None
            hx, hy = half * pw, half * ph
            if abs(x - ox) < 2 * hx and abs(y - oy) < 2 * hy:
                # The two squares overlap (a head moves a pixel or less a frame): one rect
                # around both, one region for the scene instead of two.
                x0, y0 = min(x, ox) - hx, min(y, oy) - hy
                rects.append(QtCore.QRectF(x0, y0, abs(x - ox) + 2 * hx, abs(y - oy) + 2 * hy))
                continue
            for cx, cy in ((ox, oy), (x, y)):
                rects.append(QtCore.QRectF(cx - hx, cy - hy, 2 * hx, 2 * hy))
        return rects

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
