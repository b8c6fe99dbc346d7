"""The 3-D view in the window: View ▸ 3-D view, where it goes (beside the map or in its place),
Home for its camera, and its File menu exports. Kept out of ``window.py`` so the window only
calls :func:`install`.

The view is made the first time it is shown: a window that never shows it pays nothing for
OpenGL. Where no OpenGL context can be had (Qt's offscreen platform, some remote desktops) the
actions are disabled and their tooltips say why.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from gui.gl_probe import gl_status

SIDE_BY_SIDE, IN_PLACE = "Map and 3-D side by side", "3-D in place of the map"


class View3DPanel(QtCore.QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.view: Any = None  # a gui.view3d.View3D once shown
        self.status = gl_status()
        map_view = window.map_view
        holder = map_view.parentWidget()
        # The map's place becomes a splitter of the map and (once shown) the 3-D view.
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        if isinstance(holder, QtWidgets.QSplitter):
            index, sizes = holder.indexOf(map_view), holder.sizes()
            self.splitter.setSizePolicy(map_view.sizePolicy())  # the map's stretch factor
            holder.insertWidget(index, self.splitter)
            self.splitter.addWidget(map_view)
            holder.setSizes(sizes)  # the loss plot below keeps its share
        else:
            self.splitter.addWidget(map_view)

        menu = window.view_menu
        menu.setToolTipsVisible(True)
        menu.addSeparator()
        self.action = menu.addAction("3-D view")
        self.action.setCheckable(True)
        self.action.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_F3))
        self.action.toggled.connect(self._on_toggled)
        window.addAction(self.action)
        self.layout_group = QtGui.QActionGroup(self)
        self.layout_actions: dict[str, QtGui.QAction] = {}
        for text in (SIDE_BY_SIDE, IN_PLACE):
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setActionGroup(self.layout_group)
            action.toggled.connect(lambda on, text=text: on and self._apply_layout())
            self.layout_actions[text] = action
        self.layout_actions[SIDE_BY_SIDE].setChecked(True)
        for action in menu.actions():
            if action.text().replace("&", "") == "Reset view":
                action.triggered.connect(self.reset_camera)  # Home frames every view
        from gui.export.menu3d import Export3DActions

        self.exports = Export3DActions(window, self)
        self._enable()

    def _enable(self) -> None:
        ok = self.status.ok
        tip = "Show the surface in 3-D (F3)" if ok else f"No 3-D view: {self.status.reason}"
        for action in (self.action, *self.layout_actions.values(), *self.exports.actions):
            action.setEnabled(ok)
            action.setToolTip(tip if action is self.action or not ok else action.toolTip())
        self.action.setStatusTip(tip)

    # --- showing ----------------------------------------------------------------------------

    def show_3d(self, layout: str | None = None) -> str | None:
        """Show the 3-D view (as View ▸ 3-D view does); the reason when it cannot be shown."""
        if not self.status.ok:
            return f"No 3-D view: {self.status.reason}"
        if layout is not None:
            self.layout_actions[layout].setChecked(True)
        self.action.setChecked(True)
        return None

    def _on_toggled(self, on: bool) -> None:
        if on and self.view is None:
            from gui.view3d import View3D

            self.view = View3D(self.window.session)
            self.splitter.addWidget(self.view)
            self._follow_map_colours()
        self._apply_layout()

    def _apply_layout(self) -> None:
        shown = self.action.isChecked() and self.view is not None
        in_place = self.layout_actions[IN_PLACE].isChecked()
        if self.view is not None:
            self.view.setVisible(shown)
        self.window.map_view.setVisible(not (shown and in_place))
        if shown and not in_place:
            half = max(1, self.splitter.width() // 2)
            self.splitter.setSizes([half, half])

    def _follow_map_colours(self) -> None:
        """The mesh wears the map's colour map, and changes with it where the map can change
        (a map with ``colormap`` names and a ``colormap_changed(str)`` signal)."""
        map_view = self.window.map_view
        name = getattr(map_view, "colormap", None)
        if isinstance(name, str):
            self._on_map_colormap(name)
        changed = getattr(map_view, "colormap_changed", None)
        if changed is not None:
            changed.connect(self._on_map_colormap)

    def _on_map_colormap(self, name: str) -> None:
        from gui.view3d import named_colormap

        if self.view is not None:
            self.view.set_colormap(named_colormap(name))

    def reset_camera(self) -> None:
        if self.view is not None:
            self.view.reset_camera()

    def detach(self) -> None:
        if self.view is not None:
            self.view.detach()


def install(window: Any) -> View3DPanel:
    """Add the 3-D view's actions to ``window``; the window calls this once."""
    return View3DPanel(window)
