"""The map: the surface as a heat map with contour lines, its minima and saddles, the draggable
start point, and each racer's path. Items are made once; a tick only calls ``setData``."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.contours import contour_lines, sample
from gui.glyph_layer import GlyphLayer
from gui.model import Session
from gui.racer_paths import RacerPaths


class MapView(pg.PlotWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        plot = self.getPlotItem()
        plot.setLabels(bottom="x", left="y")
        plot.setMenuEnabled(False)
        plot.hideButtons()
        # Room above and below the frame: the edge tick labels are centred on the frame's edges.
        plot.setContentsMargins(4, 10, 12, 4)
        self.view_box = plot.getViewBox()
        self.view_box.disableAutoRange()  # diverging paths must not zoom the map out

        self.image = pg.ImageItem()
        self.image.setZValue(-100)
        plot.addItem(self.image, ignoreBounds=True)
        self.colorbar = pg.ColorBarItem(
            colorMap=theme.surface_colormap(), interactive=False, width=12, colorMapMenu=False
        )
        self.colorbar.setImageItem(self.image, insert_in=plot)
        self.contours = pg.PlotCurveItem(
            pen=pg.mkPen(theme.CONTOUR_COLOR, width=1), connect="finite", skipFiniteCheck=True
        )
        self.contours.setZValue(-50)
        plot.addItem(self.contours, ignoreBounds=True)
        # Known minima as white stars, saddles as white crosses: landmarks, under the paths.
        self.minima, self.saddles = (
            self._landmark(plot, *look) for look in (("star", 15), ("x", 12))
        )

        theme.cache_pixels(self.image, self.contours, self.minima, self.saddles)
        theme.cache_axes(plot)

        self.legend = pg.LegendItem(
            offset=(-8, 8),
            brush=pg.mkBrush(255, 255, 255, 210),
            pen=pg.mkPen(180, 180, 180),
            labelTextSize="9pt",
        )
        self.legend.setParentItem(self.view_box)
        self.paths = RacerPaths(session, plot, self.legend)
        self.glyphs = GlyphLayer(session, plot)

        self.start_marker = pg.TargetItem(
            pos=session.start,
            size=16,
            symbol="crosshair",
            movable=True,
            pen=pg.mkPen(theme.MARKER_EDGE, width=2),
            hoverPen=pg.mkPen("#d00", width=2),
            brush=pg.mkBrush(255, 255, 255, 160),
        )
        self.start_marker.setToolTip("Start point: drag it, or click anywhere on the map")
        self.start_marker.setZValue(40)
        plot.addItem(self.start_marker, ignoreBounds=True)

        self._syncing = False
        self._bounds: tuple | None = None
        self._on_surface_changed()
        self.start_marker.sigPositionChanged.connect(self._on_start_dragged)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)

    def reset_view(self) -> None:
        """Frame the surface's bounds exactly."""
        xmin, xmax, ymin, ymax = self.session.surface.bounds
        self.view_box.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    def set_view(self, view: list[float]) -> None:
        """Show the range ``[xmin, xmax, ymin, ymax]`` (a restored or loaded scene's view)."""
        xmin, xmax, ymin, ymax = view
        self.view_box.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    def to_scene(self, x: float, y: float) -> QtCore.QPointF:
        """Where the surface point (x, y) is in scene coordinates (tests click there)."""
        return self.view_box.mapViewToScene(QtCore.QPointF(x, y))

    # --- model → view -----------------------------------------------------------------------

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "surface":
            self._on_surface_changed()
        elif kind == "start":
            self._on_start_changed()
        self.paths.on_session_event(kind, racer_id)
        self.glyphs.on_session_event(kind, racer_id)

    def _on_surface_changed(self) -> None:
        surface = self.session.surface
        field = sample(surface)
        xmin, xmax, ymin, ymax = surface.bounds
        self.image.setImage(field.c.T, autoLevels=False, levels=(field.low, field.high))
        self.image.setRect(QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.colorbar.setLevels((field.low, field.high))
        self.colorbar.axis.setLabel(field.label)
        lines = contour_lines(field)
        self.contours.setData(lines[:, 0], lines[:, 1], connect="finite", skipFiniteCheck=True)
        self._set_points(self.minima, surface.minima)
        self._set_points(self.saddles, surface.saddles)
        self.paths.set_frame(surface.bounds)
        if surface.bounds != self._bounds:
            self._bounds = surface.bounds
            self.reset_view()
        self._on_start_changed()

    @staticmethod
    def _landmark(plot: pg.PlotItem, symbol: str, size: int) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(
            symbol=symbol,
            size=size,
            brush=pg.mkBrush(theme.MINIMUM_COLOR),
            pen=pg.mkPen(theme.MARKER_EDGE, width=1),
            tip=None,
        )
        item.setZValue(-10)
        plot.addItem(item, ignoreBounds=True)
        return item

    @staticmethod
    def _set_points(item: pg.ScatterPlotItem, points) -> None:
        xy = np.array([p[:2] for p in points], dtype=float).reshape(-1, 2)
        item.setData(x=xy[:, 0], y=xy[:, 1])

    def _on_start_changed(self) -> None:
        self._syncing = True
        try:
            self.start_marker.setPos(*self.session.start)
        finally:
            self._syncing = False

    # --- view → model -----------------------------------------------------------------------

    def _on_start_dragged(self, marker: pg.TargetItem) -> None:
        if self._syncing:
            return
        pos = marker.pos()
        self.session.set_start(pos.x(), pos.y())

    def _on_scene_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton or event.double():
            return
        scene_pos = event.scenePos()
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            return  # a click on an axis or the colour bar
        if self.legend.sceneBoundingRect().contains(scene_pos):
            return
        glyph_legend = self.glyphs.legend
        if glyph_legend.isVisible() and glyph_legend.sceneBoundingRect().contains(scene_pos):
            return
        point = self.view_box.mapSceneToView(scene_pos)
        self.session.set_start(point.x(), point.y())
