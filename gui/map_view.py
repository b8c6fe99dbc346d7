"""The map: the surface as a heat map with contour lines, its minima and saddles, the draggable
start point, and each racer's path. Items are made once; a tick only calls ``setData``."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import colormaps, theme
from gui.contours import LEVELS, contour_lines, sample, spaced_levels, steepness
from gui.glyph_layer import GlyphLayer
from gui.halos import Halos
from gui.landmarks import Landmarks
from gui.map_legend import BesideLegend, place_below
from gui.model import Session
from gui.racer_paths import RacerPaths

# Equal x/y scale only where the frame's shape is within this factor of the plot's: a very long
# thin frame drawn to scale would leave a sliver of map in a sea of white.
EQUAL_AXES_LIMIT = 4.0


class MapView(pg.PlotWidget):
    colormap_changed = QtCore.Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.colormap = colormaps.DEFAULT
        self.contour_count = LEVELS
        self.equal_axes = True
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
        # Where f has no finite value the image is transparent, over this hatched frame.
        self.no_value = colormaps.NoValue()
        plot.addItem(self.no_value, ignoreBounds=True)
        self.no_value.setZValue(-101)  # after adding: the view box raises anything below it
        self.colorbar = pg.ColorBarItem(
            colorMap=colormaps.colormap(self.colormap),
            interactive=False,
            width=12,
            colorMapMenu=False,
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

        # The colour bar's too (its frame's other sides are bare lines, which a pixmap cut off):
        # painted afresh it cost a third of the map's frame.
        theme.cache_pixels(
            self.no_value, self.image, self.contours, self.minima, self.saddles, self.colorbar.bar
        )
        theme.cache_axes(plot)
        theme.cache_axis(self.colorbar.axis)

        # Both keys live under the x axis, outside the data, in as many columns as fit.
        self.legend = BesideLegend(columns=4)
        place_below(plot, self.legend, 4)
        self.paths = RacerPaths(session, plot, self.legend)
        self.halos = Halos(self.paths.trails)
        self.halos.setZValue(0.5)  # under the trails (z 1), over the contours
        plot.addItem(self.halos, ignoreBounds=True)
        self.glyphs = GlyphLayer(session, plot)
        place_below(plot, self.glyphs.legend, 5)

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
        theme.cache_pixels(self.start_marker)  # still while the race runs
        plot.addItem(self.start_marker, ignoreBounds=True)

        self._syncing = False
        self._bounds: tuple | None = None
        self._field = None
        self._slopes = None
        self._levels = np.empty(0)
        self._spacing: tuple = (None,)  # (field, count, pixel w, h) the levels were spaced for
        # Contour spacing and legend columns follow the plot's size and zoom, once settled.
        self._layout_timer = QtCore.QTimer(self, singleShot=True, interval=60)
        self._layout_timer.timeout.connect(self._on_view_settled)
        self.view_box.sigResized.connect(self._layout_timer.start)
        self.view_box.sigRangeChanged.connect(self._layout_timer.start)
        self._on_surface_changed()
        self._update_halos()
        self.start_marker.sigPositionChanged.connect(self._on_start_dragged)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)

    def reset_view(self) -> None:
        """Frame the surface's bounds (exactly, or with room on two sides at equal scale)."""
        xmin, xmax, ymin, ymax = self.session.surface.bounds
        self._lock_aspect()
        self.view_box.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    # --- the look: colour map, contours, scale ----------------------------------------------

    def set_colormap(self, name: str) -> None:
        """Colour the surface with the named map (see :data:`gui.colormaps.NAMES`)."""
        cmap = colormaps.colormap(name)
        if name == self.colormap:
            return
        self.colormap = name
        self.colorbar.setColorMap(cmap)
        self._update_halos()
        self.colormap_changed.emit(name)

    def set_contour_count(self, n: int) -> None:
        """At most ``n`` contour levels (0: none); fewer where they would crowd into texture."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"Invalid contour count: {n!r} (must be a whole number ≥ 0)")
        self.contour_count = n
        self.update_contours(force=True)

    def set_equal_axes(self, on: bool) -> None:
        """Draw x and y at the same scale (where the frame's shape allows it)."""
        self.equal_axes = bool(on)
        self.reset_view()

    def look(self, overlays: bool = True) -> dict:
        """How this map is drawn, for a figure to copy (:meth:`apply_look`); ``overlays``
        False leaves out the glyphs, their key and the gradient field."""
        glyphs = self.glyphs
        return {
            "colormap": self.colormap,
            "contours": self.contour_count,
            "equal_axes": self.equal_axes,
            "factor": glyphs.factor,
            "shown": {role: on and overlays for role, on in glyphs.shown.items()},
            "field": glyphs.field_shown and overlays,
        }

    def apply_look(self, look: dict) -> None:
        self.set_colormap(look["colormap"])
        self.contour_count = look["contours"]
        self.equal_axes = look["equal_axes"]
        self.glyphs.factor = look["factor"]
        self.glyphs.shown.update(look["shown"])
        self.glyphs.set_field_shown(look["field"])
        self.update_contours(force=True)

    def aspect_locked(self) -> bool:
        return bool(self.view_box.state["aspectLocked"])

    def _lock_aspect(self) -> None:
        xmin, xmax, ymin, ymax = self.session.surface.bounds
        w, h = self.view_box.width() or 4.0, self.view_box.height() or 3.0
        shape = ((ymax - ymin) / (xmax - xmin)) / (h / w)
        fits = 1 / EQUAL_AXES_LIMIT <= shape <= EQUAL_AXES_LIMIT
        self.view_box.setAspectLocked(self.equal_axes and fits, ratio=1.0)

    def _update_halos(self) -> None:
        self.halos.set_halos(
            {r.id: colormaps.racer_contrast(r.color, self.colormap)[1] for r in self.session.racers}
        )

    def _on_view_settled(self) -> None:
        self.fit_keys()
        self.update_contours()

    def fit_keys(self) -> None:
        """Wrap the legend and the glyph key into rows that fit the plot's width."""
        plot = self.getPlotItem()
        width, height = plot.width() or self.width(), plot.height() or self.height()
        self.legend.fit_columns(width, height)
        self.glyphs.legend.fit_columns(width, height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "glyphs"):  # pyqtgraph resizes once while the widget is being made
            self.fit_keys()

    def update_contours(self, force: bool = False) -> None:
        """Trace the levels that suit the current view's pixel size (when they changed)."""
        if self._field is None:
            return
        pw, ph = self.view_box.viewPixelSize() if self.view_box.width() > 0 else (0.0, 0.0)
        if not (pw > 0 and ph > 0):  # not laid out yet: assume the frame on 600 × 400 pixels
            xmin, xmax, ymin, ymax = self.session.surface.bounds
            pw, ph = (xmax - xmin) / 600, (ymax - ymin) / 400
        spacing = (self._field, self.contour_count, pw, ph)
        if not force and self._spacing[0] is self._field and self._spacing[1:] == spacing[1:]:
            return  # the view settled where the levels were last spaced for (a switch's own)
        self._spacing = spacing
        levels = spaced_levels(self._field, self.contour_count, (pw, ph), self._slopes)
        if not force and np.array_equal(levels, self._levels):
            return
        self._levels = levels
        lines = contour_lines(self._field, levels) if len(levels) else np.empty((0, 2))
        self.contours.setData(lines[:, 0], lines[:, 1], connect="finite", skipFiniteCheck=True)

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
        elif kind in ("racers", "racer"):
            self._update_halos()
        self.paths.on_session_event(kind, racer_id)
        self.glyphs.on_session_event(kind, racer_id)

    def _on_surface_changed(self) -> None:
        surface = self.session.surface
        field = sample(surface)
        xmin, xmax, ymin, ymax = surface.bounds
        self.image.setImage(field.c.T, autoLevels=False, levels=(field.low, field.high))
        self.image.setRect(QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.colorbar.setLevels((field.low, field.high))
        holes = not np.isfinite(field.c).all()
        frame = QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin)
        self.no_value.setRect(frame)
        self.no_value.setVisible(holes)
        # The hatching is named beside the scale it stands outside of.
        self.colorbar.axis.setLabel(
            f"{field.label}   {colormaps.NO_VALUE_TEXT}" if holes else field.label
        )
        self._field, self._slopes = field, steepness(field)
        self.minima.set_points(surface.minima)
        self.saddles.set_points(surface.saddles)
        self.paths.set_frame(surface.bounds)
        if surface.bounds != self._bounds:
            self._bounds = surface.bounds
            self.reset_view()
        self.update_contours(force=True)  # after the new frame: spaced for its own pixels
        self._on_start_changed()

    @staticmethod
    def _landmark(plot: pg.PlotItem, symbol: str, size: int) -> Landmarks:
        item = Landmarks(
            symbol=symbol,
            size=size,
            brush=pg.mkBrush(theme.MINIMUM_COLOR),
            pen=pg.mkPen(theme.MARKER_EDGE, width=1),
            tip=None,
        )
        item.setZValue(-10)
        plot.addItem(item, ignoreBounds=True)
        return item

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
