"""The racers in the 3-D view: each path a line lifted just above the surface, the heads as
discs (a head behind a hill still shows through it, faintly, so no racer is ever lost), the
start as a pin and the known minima as white discs. Items are made once; a tick only calls
``setData``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from PySide6 import QtGui

from gui import theme
from gui.model import Run, Session
from gui.view3d_terrain import LIFT, Terrain

PATH_WIDTH = 2.0
# Points of a path drawn in 3-D: the stored path is already kept by shape, and the 3-D view is
# seen at a few hundred pixels across, so this bounds the vertex upload on long races.
MAX_PATH_POINTS = 2000
HEAD_SIZE = 14.0
LANDMARK_SIZE = 10.0
PIN_HEIGHT = 0.16
GHOST_ALPHA = 0.5  # a head hidden behind a hill
# Discs are flat sprites tested at their centre's depth: on a slope the nearer half would sink
# into the surface. Moved this far toward the camera (along the line of sight, so they do not
# move on screen) they clear the slope under them and still hide behind a real hill.
NUDGE = 0.06
EDGE = (*(c / 255 for c in theme.MARKER_EDGE), 1.0)
WHITE = (1.0, 1.0, 1.0, 1.0)
# Heads and the start pin's head go over the mesh whatever is in front of them.
ON_TOP = {
    GL.GL_DEPTH_TEST: False,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
}

# Landmarks hide behind hills; a disc's fill sits at its rim's depth, so equal depths must pass.
DEPTH_TESTED = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
    "glDepthFunc": (GL.GL_LEQUAL,),
}


def rgba(color: str) -> tuple[float, float, float, float]:
    return QtGui.QColor(color).getRgbF()


@dataclass
class PathLine:
    line: gl.GLLinePlotItem
    drawn: tuple = field(default=(None, -1))  # (run, step) last drawn
    head: np.ndarray | None = None  # scene point of the head, None when not shown
    look: tuple = ()


class Disc:
    """Points drawn as discs with a dark rim: two scatter items, the rim one larger, behind."""

    def __init__(self, view: gl.GLViewWidget, size: float, depth: int, on_top: bool) -> None:
        options = ON_TOP if on_top else DEPTH_TESTED
        self.size = size
        self.rim = gl.GLScatterPlotItem(pxMode=True, glOptions=options)
        self.fill = gl.GLScatterPlotItem(pxMode=True, glOptions=options)
        self.rim.setDepthValue(depth)
        self.fill.setDepthValue(depth + 1)
        for item in (self.rim, self.fill):
            view.addItem(item)

        self.points = np.empty((0, 3), np.float32)
        self.camera: np.ndarray | None = None

    def set_data(self, points: np.ndarray, colors: np.ndarray | tuple, scale: float) -> None:
        self.points = np.asarray(points, dtype=np.float32).reshape(-1, 3)
        self.rim.setData(color=EDGE, size=(self.size + 4) * scale)
        self.fill.setData(color=colors, size=self.size * scale)
        self._place()

    def face(self, camera: np.ndarray) -> None:
        if self.camera is None or not np.array_equal(camera, self.camera):
            self.camera = camera
            self._place()

    def _place(self) -> None:
        placed = self.points
        if self.camera is not None and len(placed):
            toward = self.camera - placed
            length = np.linalg.norm(toward, axis=1, keepdims=True)
            placed = placed + toward * (NUDGE / np.maximum(length, 1e-9))
        for item in (self.rim, self.fill):
            item.setData(pos=placed)


class RacerItems:
    def __init__(self, session: Session, view: gl.GLViewWidget) -> None:
        self.session = session
        self.view = view
        self.terrain: Terrain | None = None
        self.paths: dict[int, PathLine] = {}
        self.minima = Disc(view, LANDMARK_SIZE, depth=5, on_top=False)
        self.pin = gl.GLLinePlotItem(mode="lines", color=EDGE, glOptions="opaque")
        self.pin.setDepthValue(6)
        view.addItem(self.pin)
        self.start = Disc(view, LANDMARK_SIZE, depth=7, on_top=True)
        self.ghosts = gl.GLScatterPlotItem(pxMode=True, glOptions=ON_TOP)
        self.ghosts.setDepthValue(19)
        view.addItem(self.ghosts)
        self.heads = Disc(view, HEAD_SIZE, depth=20, on_top=False)
        self._heads_due = True

    @property
    def scale(self) -> float:
        return getattr(self.view, "scale", 1.0)

    def set_terrain(self, terrain: Terrain) -> None:
        """A new surface (or new parameters): every height changes."""
        self.terrain = terrain
        surface = self.session.surface
        minima = np.array([m[:3] for m in surface.minima], dtype=float).reshape(-1, 3)
        if len(minima):
            points = terrain.points(minima[:, 0], minima[:, 1], minima[:, 2], LIFT)
        else:
            points = np.empty((0, 3), np.float32)
        self.minima.set_data(points, WHITE, self.scale)
        for path in self.paths.values():
            path.drawn = (None, -1)
        self.on_start_changed()

    def face_camera(self, camera: np.ndarray) -> None:
        """Before each frame: the discs' sprites move toward the camera (see ``NUDGE``)."""
        for disc in (self.minima, self.start, self.heads):
            disc.face(camera)

    def on_start_changed(self) -> None:
        if self.terrain is None:
            return
        x, y = self.session.start
        f = self.session.surface.value(x, y)
        foot = self.terrain.points(np.array([x]), np.array([y]), np.array([f]), LIFT)[0]
        top = foot + np.array([0.0, 0.0, PIN_HEIGHT], dtype=np.float32)
        self.pin.setData(pos=np.array([foot, top]), width=2.0 * self.scale)
        self.start.set_data(top[None], WHITE, self.scale)
        self.refresh()

    def on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "racers":
            self._sync()
        elif kind == "racer" and racer_id in self.paths:
            self._style(racer_id)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the racers that moved; the heads if any did."""
        if self.terrain is None:
            return
        if set(self.paths) != {r.id for r in self.session.racers}:
            self._sync()
        moved = False
        for racer in self.session.racers:
            run = self.session.runs[racer.id]
            path = self.paths[racer.id]
            if path.drawn[0] is run and path.drawn[1] == run.step:
                continue
            path.drawn = (run, run.step)
            self._draw(path, run)
            moved = True
        if moved or self._heads_due:
            self._heads_due = False
            shown = [(r, self.paths[r.id]) for r in self.session.racers if r.enabled]
            shown = [(r, p) for r, p in shown if p.head is not None]
            points = np.array([p.head for _, p in shown], dtype=np.float32).reshape(-1, 3)
            colors = np.array([rgba(r.color) for r, _ in shown], dtype=np.float32).reshape(-1, 4)
            self.heads.set_data(points, colors, self.scale)
            ghosts = colors.copy()
            ghosts[:, 3] = GHOST_ALPHA
            self.ghosts.setData(pos=points, color=ghosts, size=HEAD_SIZE * self.scale)

    def _draw(self, path: PathLine, run: Run) -> None:
        _, data = run.trajectory.drawable(MAX_PATH_POINTS)
        x, y, f = data[:, 0], data[:, 1], data[:, 2]
        # Off the frame there is no surface to stand on: a racer that left it runs along the
        # frame's edge at the height of the loss it really has (clipped like the mesh).
        xmin, xmax, ymin, ymax = self.session.surface.bounds
        keep = np.isfinite(x) & np.isfinite(y)
        x, y, f = np.clip(x[keep], xmin, xmax), np.clip(y[keep], ymin, ymax), f[keep]
        if len(x) == 0:
            path.line.setData(pos=np.zeros((0, 3), np.float32))
            path.head = None
            return
        points = self.terrain.points(x, y, f, LIFT)
        path.line.setData(pos=points)
        path.head = points[-1]

    def _sync(self) -> None:
        ids = {r.id for r in self.session.racers}
        for gone in set(self.paths) - ids:
            self.view.removeItem(self.paths.pop(gone).line)
        for racer in self.session.racers:
            if racer.id not in self.paths:
                line = gl.GLLinePlotItem(mode="line_strip", glOptions="opaque")
                line.setDepthValue(10)
                self.view.addItem(line)
                self.paths[racer.id] = PathLine(line)
                self._style(racer.id)
        self._heads_due = True

    def _style(self, racer_id: int) -> None:
        racer = self.session.racer(racer_id)
        path = self.paths[racer_id]
        look = (racer.color, racer.enabled, self.scale)
        if look == path.look:
            return
        path.look = look
        path.line.setData(color=rgba(racer.color), width=PATH_WIDTH * self.scale)
        path.line.setVisible(racer.enabled)
        self._heads_due = True
