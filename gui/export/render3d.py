"""Pictures of the 3-D view at any size: a hidden view of its own, drawn by OpenGL.

Like the map's figures, the picture is laid out at a screen-like size and scaled: fonts, line
widths and disc sizes grow with the pixel height, so a 4K picture reads like the screen. The
hidden view draws into its own framebuffer, so nothing appears on screen and the window's view
keeps its state. Where OpenGL cannot be had, an :class:`ExportError` says why in one line.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from PySide6 import QtCore, QtGui

from gui.export.atomic import ExportError
from gui.export.render import LOGICAL_HEIGHT, Figure, caption, ensure_app, save_png
from gui.export.spec import check_size
from gui.model import Session

FORMATS = ("png", "gif", "mp4")


def require_gl() -> None:
    from gui.gl_probe import gl_status

    ensure_app()
    status = gl_status()
    if not status.ok:
        raise ExportError(f"--view 3d needs OpenGL, and {status.reason}")


class Figure3D:
    """A hidden 3-D view of ``session`` at ``size`` pixels, following the session until
    :meth:`close`; ``camera`` is a view's :meth:`~gui.view3d.View3D.camera` to copy."""

    def __init__(
        self,
        session: Session,
        size: tuple[int, int],
        camera: Mapping[str, Any] | None = None,
        title: str | None = None,
        colormap: Any = None,
    ) -> None:
        require_gl()
        from gui.view3d import View3D

        self.size = check_size(size)
        width, height = self.size
        self.view = View3D(session, scale=max(1.0, height / LOGICAL_HEIGHT))
        self.view.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.view.title = title
        if camera is not None:
            self.view.set_camera(dict(camera))
        if colormap is not None:  # a pyqtgraph ColorMap: the window's view's
            self.view.set_colormap(colormap)
        self.view.resize(width, height)
        self.view.show()

    def image(self) -> QtGui.QImage:
        return self.view.image(self.size)

    # The map figure's array conversion, which only needs ``image()``.
    rgb = Figure.rgb

    def close(self) -> None:
        self.view.detach()
        self.view.close()
        self.view.deleteLater()

    def __enter__(self) -> Figure3D:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_args(args: argparse.Namespace, fmt: str) -> None:
    """``render --view 3d``'s own rules, checked before any scene is built."""
    if fmt not in FORMATS:
        raise ExportError(f"--view 3d writes {', '.join('.' + f for f in FORMATS)}, not .{fmt}")
    if args.loss:
        raise ExportError("--loss goes with the map; --view 3d draws the 3-D view alone")
    require_gl()


def write_3d(session: Session, args: argparse.Namespace, fmt: str, size: tuple[int, int]) -> None:
    """``render --view 3d``: a PNG of the race, or a GIF/MP4 of the camera turning around it."""
    check_args(args, fmt)
    if fmt == "png":
        title = None if args.no_title else caption(session)
        with Figure3D(session, size, title=title) as figure:
            save_png(figure.image(), args.output)
        return
    from gui.export.animation import make
    from gui.export.orbit import Orbit

    make(Orbit(session, args.output, size, args.fps, args.frames, title=not args.no_title))
