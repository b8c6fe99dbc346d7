"""File menu entries of the 3-D view: a screenshot at a chosen size, and an orbit animation run
by the window's animation runner (the same progress dialog and Cancel as the race animation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from gui.export import render
from gui.export.animation import mp4_available
from gui.export.atomic import ExportError
from gui.export.dialogs import SizePicker, _layout
from gui.export.spec import MAX_FRAMES

DEFAULT_VIEW_SIZE = (900, 600)  # a window that has not shown the 3-D view yet


class Screenshot3DDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget, view_size: tuple[int, int]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save 3-D screenshot")
        self.sizes = SizePicker(view_size)
        self.title = QtWidgets.QCheckBox("Title (surface and step)")
        self.title.setChecked(True)
        _layout(self, [("Size", self.sizes), ("", self.title)])


class Orbit3DDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget, view_size: tuple[int, int]) -> None:
        from gui.export.orbit import ORBIT_FRAMES

        super().__init__(parent)
        self.setWindowTitle("Export 3-D orbit")
        self.sizes = SizePicker(view_size, default="800 × 500 (small, for GIFs)")
        self.fps = QtWidgets.QDoubleSpinBox()
        self.fps.setRange(0.5, 60.0)
        self.fps.setValue(15.0)
        self.fps.setSuffix(" frames/s")
        self.frames = QtWidgets.QSpinBox()
        self.frames.setRange(2, MAX_FRAMES)
        self.frames.setValue(ORBIT_FRAMES)
        self.frames.setToolTip("Frames in one full turn of the camera around the race")
        _layout(self, [("Size", self.sizes), ("Speed", self.fps), ("Frames", self.frames)])


class Export3DActions(QtCore.QObject):
    def __init__(self, window: Any, panel: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = panel
        menu: QtWidgets.QMenu = window.file_menu
        menu.setToolTipsVisible(True)
        quit_action = menu.actions()[-1] if menu.actions() else None  # ours go above Quit
        self.screenshot = QtGui.QAction("Save 3-D Screenshot…", window)
        self.screenshot.triggered.connect(lambda: self.save_screenshot())
        self.orbit = QtGui.QAction("Export 3-D Orbit…", window)
        self.orbit.triggered.connect(lambda: self.export_orbit())
        self.actions = (self.screenshot, self.orbit)
        for action in self.actions:
            if quit_action is not None:
                menu.insertAction(quit_action, action)
            else:
                menu.addAction(action)
        if quit_action is not None:
            menu.insertSeparator(quit_action)

    @property
    def exports(self) -> Any:
        return self.window.export_actions  # the window's folder memory, messages and runner

    def view_size(self) -> tuple[int, int]:
        view = self.panel.view
        if view is None or not view.isVisible():
            return DEFAULT_VIEW_SIZE
        return max(16, view.width()), max(16, view.height())

    def camera(self) -> dict | None:
        view = self.panel.view
        return view.camera() if view is not None else None

    def colormap(self) -> Any:
        view = self.panel.view
        return view.colormap if view is not None else None

    def save_screenshot(self) -> Path | None:
        dialog = Screenshot3DDialog(self.window, self.view_size())
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
        path = self.exports.ask_save_path("Save 3-D screenshot", "PNG image (*.png)", "png")
        if path is None:
            return None
        return self.save_png(path, dialog.sizes.size(), dialog.title.isChecked())

    def save_png(self, path: Path, size: tuple[int, int], title: bool = True) -> Path | None:
        from gui.export.render3d import Figure3D

        session = self.window.session
        caption = render.caption(session) if title else None
        try:
            with Figure3D(session, size, self.camera(), caption, self.colormap()) as figure:
                render.save_png(figure.image(), path)
        except (ExportError, ValueError) as exc:
            self.exports._error(str(exc))
            return None
        self.exports._remember(path)
        self.exports._status(f"Saved {path}")
        return path

    def export_orbit(self) -> bool:
        if self.exports.runner.busy:
            return False
        dialog = Orbit3DDialog(self.window, self.view_size())
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return False
        filters = "GIF animation (*.gif)" + (";;MP4 video (*.mp4)" if mp4_available() else "")
        path = self.exports.ask_save_path("Export 3-D orbit", filters, "gif")
        if path is None:
            return False
        return self.start_orbit(
            path, dialog.sizes.size(), dialog.fps.value(), dialog.frames.value()
        )

    def start_orbit(self, path: Path, size: tuple[int, int], fps: float, frames: int) -> bool:
        from gui.export.orbit import Orbit

        session, camera, colormap = self.window.session, self.camera(), self.colormap()
        return self.exports.runner.start(
            lambda: Orbit(session, str(path), size, fps, frames, camera, colormap=colormap), path
        )
