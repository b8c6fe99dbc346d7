"""Whether this process can have an OpenGL context, asked once and without a word on stderr.

Qt's offscreen platform (and some remote desktops) have no OpenGL: a ``QOpenGLWidget`` made there
prints warnings and paints nothing. The 3-D view asks here first, so it can be switched off with
a reason instead. The probe makes a bare ``QOpenGLContext`` on a ``QOffscreenSurface``, which
fails quietly, and reads the renderer's name for the bench and the About box.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtGui

MIN_VERSION = (2, 1)  # what pyqtgraph.opengl needs
NO_GL_PLATFORMS = ("offscreen", "minimal", "vnc")


@dataclass(frozen=True)
class GLStatus:
    ok: bool
    reason: str  # why not, in a sentence a user can act on; "" when ok
    renderer: str = ""  # e.g. "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 Mesa 22.3.6"


_cached: GLStatus | None = None


def gl_status() -> GLStatus:
    """Probe once per process (a QGuiApplication must exist)."""
    global _cached
    if _cached is None:
        _cached = _probe()
    return _cached


def _probe() -> GLStatus:
    app = QtGui.QGuiApplication.instance()
    if app is None:
        return GLStatus(False, "the 3-D view needs a running Qt application")
    platform = QtGui.QGuiApplication.platformName()
    if platform in NO_GL_PLATFORMS:
        return GLStatus(
            False,
            f"Qt's {platform} platform has no OpenGL: run on a desktop, or under xvfb-run",
        )
    try:
        from OpenGL import GL
    except ImportError:
        return GLStatus(False, "the 3-D view needs PyOpenGL (pip install PyOpenGL)")
    context = QtGui.QOpenGLContext()
    surface = QtGui.QOffscreenSurface()
    surface.create()
    if not context.create() or not surface.isValid() or not context.makeCurrent(surface):
        return GLStatus(False, f"no OpenGL context could be made on Qt's {platform} platform")
    try:
        version = context.format().version()
        renderer = _text(GL.glGetString(GL.GL_RENDERER))
        detail = _text(GL.glGetString(GL.GL_VERSION))
    except Exception as exc:  # a broken driver: say so rather than crash later
        return GLStatus(False, f"OpenGL is there but does not answer ({exc})")
    finally:
        context.doneCurrent()
    described = f"{renderer}, OpenGL {detail}"
    if tuple(version) < MIN_VERSION:
        need = ".".join(map(str, MIN_VERSION))
        return GLStatus(False, f"OpenGL {detail} is older than the {need} needed", described)
    return GLStatus(True, "", described)


def _text(value: object) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value or "?")
