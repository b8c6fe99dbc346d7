"""The 3-D view: the surface as a shaded mesh in the map's colours, the racers rolling on it.

A ``pyqtgraph.opengl.GLViewWidget`` (mouse: drag to orbit, Ctrl+drag or middle-drag to pan,
wheel to zoom). The mesh is rebuilt only when the surface or its parameters change; a tick moves
the racers' items with ``setData``. The legend, the step and the height scale are painted over
the scene with QPainter, so screenshots and animations carry them too.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl.items.GLLinePlotItem import GLLinePlotItem
from pyqtgraph.opengl.items.GLScatterPlotItem import GLScatterPlotItem
from pyqtgraph.opengl.shaders import FragmentShader, ShaderProgram, VertexShader
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtOpenGL import QOpenGLFramebufferObject

from gui import theme
from gui.model import Session
from gui.view3d_items import RacerItems
from gui.view3d_overlay import Overlay
from gui.view3d_terrain import HEIGHT, Terrain, terrain

BACKGROUND = (246, 247, 249)
NAN_COLOR = (0.6, 0.6, 0.6, 1.0)  # where f is not finite (a formula's pole)
HOME = {"elevation": 42.0, "azimuth": -62.0, "fov": 40.0}
MARGIN = 1.3  # room around the frame: its near corners look larger than its middle

# Light from over the viewer's left shoulder, both faces lit (a surface seen from below stays
# readable), and enough ambient light that the colour map's pale floor keeps its colour.
LIT = ShaderProgram(
    "playground-lit",
    [
        VertexShader("""
            uniform mat4 u_mvp;
            uniform mat3 u_normal;
            attribute vec4 a_position;
            attribute vec3 a_normal;
            attribute vec4 a_color;
            varying vec4 v_color;
            varying vec3 v_normal;
            void main() {
                v_normal = normalize(u_normal * a_normal);
                v_color = a_color;
                gl_Position = u_mvp * a_position;
            }
        """),
        FragmentShader("""
            #ifdef GL_ES
            precision mediump float;
            #endif
            varying vec4 v_color;
            varying vec3 v_normal;
            void main() {
                vec3 light = normalize(vec3(-0.35, 0.55, 1.0));
                float p = abs(dot(normalize(v_normal), light));
                gl_FragColor = vec4(v_color.rgb * (0.5 + 0.5 * p), v_color.a);
            }
        """),
    ],
)


def named_colormap(name: str | None) -> pg.ColorMap:
    """The map's colour map called ``name`` (its default for None), from the map's own list
    where the app has one (``gui.colormaps``), else the theme's single map."""
    try:
        from gui import colormaps
    except ImportError:
        return theme.surface_colormap()
    return colormaps.colormap(name or colormaps.DEFAULT)


_programs_owner: QtGui.QOpenGLContext | None = None


def _own_programs(context: QtGui.QOpenGLContext) -> None:
    """pyqtgraph keeps its compiled shader programs in class attributes, valid only in the
    context (or share group) that compiled them. Applications made with
    ``AA_ShareOpenGLContexts`` (ours are) share one group; anywhere else, a second view's
    context must compile its own programs, so the cached ones are forgotten when it paints."""
    global _programs_owner
    owner = _programs_owner
    try:
        same = owner is not None and (
            owner is context or QtGui.QOpenGLContext.areSharing(owner, context)
        )
    except RuntimeError:  # the owner is gone
        same = False
    if same:
        return
    if owner is not None:
        GLLinePlotItem._shaderProgram = None
        GLScatterPlotItem._shaderProgram = None
        for program in ShaderProgram.names.values():
            program.prog = None
    _programs_owner = context


class View3D(gl.GLViewWidget):
    def __init__(
        self, session: Session, scale: float = 1.0, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.scale = scale  # exports draw at a multiple of the screen's sizes
        self.title: str | None = None  # a caption over the scene (exports)
        self.setBackgroundColor(BACKGROUND)
        self.setMinimumSize(160, 120)
        self.setToolTip("Drag to orbit, Ctrl+drag to pan, wheel to zoom; Home resets the camera")
        self.colormap: pg.ColorMap = named_colormap(None)
        self.mesh = gl.GLSurfacePlotItem(shader=LIT, smooth=True, glOptions="opaque")
        self.mesh.setDepthValue(0)
        self.addItem(self.mesh)
        self.racers = RacerItems(session, self)
        self.overlay = Overlay(session)
        self.terrain: Terrain | None = None
        self._surface = None
        # The mesh drawn once per camera, size and colouring, kept with its depth: a tick copies
        # it and draws only the racers, which costs a few ms where the mesh cost ~40 ms under
        # software GL.
        self._cache: QOpenGLFramebufferObject | None = None
        self._cache_key: tuple = ()
        self._mesh_version = 0
        self.use_cache = True
        self._on_surface_changed()
        self.reset_camera()
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)

    # --- camera -----------------------------------------------------------------------------

    def home(self) -> dict:
        """The whole surface from the front left, a little above: far enough back that the
        frame's corners fit across the view's shorter side whichever way it turns."""
        reach = 1.0
        if self.terrain is not None:
            x, y, _ = self.terrain.mesh()
            reach = math.hypot(float(np.ptp(x)), float(np.ptp(y))) / 2
        distance = MARGIN * reach / math.tan(math.radians(HOME["fov"] / 2))
        return {"center": pg.Vector(0, 0, HEIGHT * 0.3), "distance": distance, **HOME}

    def reset_camera(self) -> None:
        self.setCameraParams(**self.home())

    def camera(self) -> dict:
        return {**self.cameraParams(), "center": pg.Vector(self.opts["center"])}

    def set_camera(self, params: dict) -> None:
        self.setCameraParams(**params)

    def projectionMatrix(self, region, viewport) -> QtGui.QMatrix4x4:
        """pyqtgraph's frustum with the field of view across the *shorter* side, so a tall
        narrow view shows the whole surface as a wide one does."""
        x0, y0, w, h = viewport
        near = self.opts["distance"] * 0.001
        half = near * math.tan(0.5 * math.radians(self.opts["fov"]))
        r, t = (half * w / h, half) if w >= h else (half, half * h / w)
        left = r * ((region[0] - x0) * (2.0 / w) - 1)
        right = r * ((region[0] + region[2] - x0) * (2.0 / w) - 1)
        bottom = t * ((region[1] - y0) * (2.0 / h) - 1)
        top = t * ((region[1] + region[3] - y0) * (2.0 / h) - 1)
        matrix = QtGui.QMatrix4x4()
        matrix.frustum(left, right, bottom, top, near, near * 1e6)
        return matrix

    def project(self, point: np.ndarray) -> QtCore.QPointF:
        """Where scene point ``(x, y, z)`` appears, in widget pixels from the top left."""
        w, h = self.width(), self.height()
        mvp = self.projectionMatrix((0, 0, w, h), (0, 0, w, h)) * self.viewMatrix()
        clip = mvp.map(QtGui.QVector4D(*map(float, point), 1.0))
        ndc_x, ndc_y = clip.x() / clip.w(), clip.y() / clip.w()
        return QtCore.QPointF((ndc_x + 1) / 2 * w, (1 - ndc_y) / 2 * h)

    # --- model → view -----------------------------------------------------------------------

    def set_colormap(self, colormap: pg.ColorMap) -> None:
        """Recolour the mesh (the heights stay)."""
        self.colormap = colormap
        self._colour_mesh()

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "surface":
            self._on_surface_changed()
        elif kind == "start":
            self.racers.on_start_changed()
        self.racers.on_session_event(kind, racer_id)
        if kind in ("racers", "racer"):
            self.overlay.invalidate()
        self.update()

    def _on_surface_changed(self) -> None:
        surface = self.session.surface
        if surface == self._surface and self.terrain is not None:
            return  # the same surface again (a scene re-applied): the mesh stands
        self._surface = surface
        self.terrain = terrain(surface)
        x, y, z = self.terrain.mesh()
        self.mesh.setData(x=x, y=y, z=z)
        self._mesh_version += 1
        self._colour_mesh()
        self.racers.set_terrain(self.terrain)
        self.overlay.set_height_label(self.terrain)

    def _colour_mesh(self) -> None:
        if self.terrain is None:
            return
        t = self.terrain.colour_fraction()
        finite = np.isfinite(t)
        colors = np.empty((*t.shape, 4), dtype=np.float32)
        colors[finite] = self.colormap.map(t[finite], mode="float")[:, :4]
        colors[~finite] = NAN_COLOR
        self.mesh.setData(colors=colors.reshape(-1, 4))
        self.mesh.meshDataChanged()  # setData(colors=…) alone would not re-upload them
        self._mesh_version += 1

    # --- painting ---------------------------------------------------------------------------

    def paintGL(self) -> None:
        _own_programs(self.context())
        self.racers.face_camera(np.array(self.cameraPosition(), dtype=np.float32))
        if self.use_cache:
            try:
                self._paint_cached()
            except Exception:  # a driver that cannot blit depth: draw everything every time
                self.use_cache = False
                self._cache = None
                super().paintGL()
        else:
            super().paintGL()
        painter = QtGui.QPainter(self)
        try:
            self.overlay.paint(painter, self.rect(), self.scale, self.title)
        finally:
            painter.end()

    def _paint_cached(self) -> None:
        w, h = self.deviceWidth(), self.deviceHeight()
        target = self.defaultFramebufferObject()
        region = self.getViewport()
        camera = self.opts
        key = (
            w,
            h,
            self._mesh_version,
            tuple(camera["center"]),
            camera["distance"],
            camera["elevation"],
            camera["azimuth"],
            camera["fov"],
            self.opts["bgcolor"],
        )
        if self._cache is None or self._cache_key != key:
            if self._cache is None or (self._cache.width(), self._cache.height()) != (w, h):
                self._cache = QOpenGLFramebufferObject(
                    w, h, QOpenGLFramebufferObject.Attachment.CombinedDepthStencil
                )
            self._cache.bind()
            GL.glViewport(0, 0, w, h)
            self._draw([self.mesh], region)
            self._cache_key = key
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._cache.handle())
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, target)
        bits = GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT
        GL.glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, bits, GL.GL_NEAREST)
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)
        GL.glViewport(0, 0, w, h)
        self._draw([i for i in self.items if i is not self.mesh], region, clear=False)

    def _draw(self, items: list, region: tuple, clear: bool = True) -> None:
        """Draw these top-level items (with their children) into the bound framebuffer."""
        self.setProjection(region, region)
        self.setModelview()
        if clear:
            GL.glClearColor(*self.opts["bgcolor"])
            GL.glClear(GL.GL_DEPTH_BUFFER_BIT | GL.GL_COLOR_BUFFER_BIT)
        for item in sorted(items, key=lambda i: i.depthValue()):
            if item.visible() and item.parentItem() is None:
                self.drawItemTree(item)

    def image(self, size: tuple[int, int] | None = None) -> QtGui.QImage:
        """What the view shows, rendered now (at ``size`` if given, by resizing a hidden view)."""
        if size is not None and (self.width(), self.height()) != tuple(size):
            self.resize(*size)
        QtWidgets.QApplication.sendPostedEvents()
        image = self.grabFramebuffer()
        if size is not None and (image.width(), image.height()) != tuple(size):
            image = image.scaled(
                *size,
                QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                QtCore.Qt.TransformationMode.SmoothTransformation,
            )
        return image
