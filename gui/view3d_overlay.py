"""What the 3-D view paints over its scene: the racers' legend (as on the map: a line and a
disc in each racer's colour), the step, and what the height shows. Painted with QPainter after
the GL items, so a screenshot or an animation frame carries it. The legend is drawn into an
image once per change of racers, not every frame."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from gui import theme
from gui.model import Session
from gui.view3d_terrain import FLOOR_QUANTILE, HEIGHT_QUANTILE, Terrain

FONT_PT = 9.0
PAD = 8
TEXT = QtGui.QColor(*theme.FOREGROUND)
MUTED = QtGui.QColor(150, 150, 150)


class Overlay:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.height_label = ""
        self._legend: QtGui.QImage | None = None
        self._legend_key: tuple = ()

    def invalidate(self) -> None:
        self._legend = None

    def set_height_label(self, terrain: Terrain) -> None:
        self.height_label = (
            f"height and colour: {terrain.field.label}, "
            f"clipped to its {FLOOR_QUANTILE:g}st–{HEIGHT_QUANTILE:g}th percentiles"
        )

    def paint(
        self, painter: QtGui.QPainter, rect: QtCore.QRect, scale: float, title: str | None
    ) -> None:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
        font = QtGui.QFont()
        font.setPointSizeF(FONT_PT * scale)
        painter.setFont(font)
        pad = round(PAD * scale)
        line = QtGui.QFontMetrics(font).height()
        painter.setPen(TEXT)
        top = rect.top() + pad
        if title:
            bold = QtGui.QFont(font)
            bold.setPointSizeF(FONT_PT * 1.2 * scale)
            painter.setFont(bold)
            painter.drawText(rect.left() + pad, top + QtGui.QFontMetrics(bold).ascent(), title)
            painter.setFont(font)
        else:  # a title already says the step
            step = f"step {self.session.step:,}"
            painter.drawText(rect.left() + pad, top + QtGui.QFontMetrics(font).ascent(), step)
        painter.setPen(MUTED)
        # A narrow view shortens the note rather than cutting it off at the edge.
        note = QtGui.QFontMetrics(font).elidedText(
            self.height_label, QtCore.Qt.TextElideMode.ElideRight, rect.width() - 2 * pad
        )
        painter.drawText(rect.left() + pad, rect.bottom() - pad - line // 4, note)
        legend = self._legend_image(font, scale)
        if legend is not None:
            painter.drawImage(rect.right() - pad - legend.width() + 1, rect.top() + pad, legend)

    def _legend_image(self, font: QtGui.QFont, scale: float) -> QtGui.QImage | None:
        racers = self.session.racers
        key = (tuple((r.label, r.color, r.enabled) for r in racers), scale)
        if self._legend is not None and key == self._legend_key:
            return self._legend
        self._legend_key = key
        if not racers:
            self._legend = None
            return None
        metrics = QtGui.QFontMetrics(font)
        pad, row = round(6 * scale), metrics.height() + round(2 * scale)
        sample = round(26 * scale)
        width = 3 * pad + sample + max(metrics.horizontalAdvance(r.label) for r in racers)
        image = QtGui.QImage(width, 2 * pad + row * len(racers), QtGui.QImage.Format.Format_ARGB32)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        p = QtGui.QPainter(image)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        p.setFont(font)
        p.setPen(QtGui.QPen(QtGui.QColor(180, 180, 180), max(1.0, scale)))
        p.setBrush(QtGui.QColor(255, 255, 255, 215))
        p.drawRect(QtCore.QRectF(0.5, 0.5, image.width() - 1, image.height() - 1))
        for i, racer in enumerate(racers):
            y = pad + i * row + row / 2
            color = QtGui.QColor(racer.color) if racer.enabled else MUTED
            p.setPen(QtGui.QPen(color, 2 * scale))
            p.drawLine(QtCore.QPointF(pad, y), QtCore.QPointF(pad + sample, y))
            p.setPen(QtGui.QPen(QtGui.QColor(*theme.MARKER_EDGE), scale))
            p.setBrush(color)
            p.drawEllipse(QtCore.QPointF(pad + sample / 2, y), 4.5 * scale, 4.5 * scale)
            p.setPen(TEXT if racer.enabled else MUTED)
            p.drawText(QtCore.QPointF(2 * pad + sample, y + metrics.ascent() / 2 - 1), racer.label)
        p.end()
        self._legend = image
        return image
