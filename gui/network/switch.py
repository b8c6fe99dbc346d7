"""Hooks the Network mode into the main window: a stacked page beside the surfaces, the
View → Surfaces (Ctrl+1) / Network (Ctrl+2) switch, and a Network menu with the exports.

The map's playback keys (Space, S, →, R) and the network's are the same keys: only the shown
mode's actions are enabled, so a key always drives what is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtGui, QtWidgets

from gui.network.exports import NetworkExports

if TYPE_CHECKING:
    from gui.network.mode import NetworkPage


class NetworkMode:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.page: NetworkPage | None = None  # made on first use: the map opens at once
        self.stack = QtWidgets.QStackedWidget()
        surfaces = window.takeCentralWidget()
        self.stack.addWidget(surfaces)
        window.setCentralWidget(self.stack)
        group = QtGui.QActionGroup(window)
        self.surfaces_action = QtGui.QAction("Surfaces", window, checkable=True, checked=True)
        self.surfaces_action.setShortcut(QtGui.QKeySequence("Ctrl+1"))
        self.network_action = QtGui.QAction("Network", window, checkable=True)
        self.network_action.setShortcut(QtGui.QKeySequence("Ctrl+2"))
        self.network_action.setToolTip("Optimizers training a neural network")
        menu = window.view_menu
        first = menu.actions()[0] if menu.actions() else None
        for action in (self.surfaces_action, self.network_action):
            group.addAction(action)
            menu.insertAction(first, action)
            window.addAction(action)
        menu.insertSeparator(first)
        self.surfaces_action.triggered.connect(lambda: self.show_network(False))
        self.network_action.triggered.connect(lambda: self.show_network(True))
        self.exports = NetworkExports(self)
        self.menu = window.menuBar().addMenu("&Network")
        for action in self.exports.actions:
            self.menu.addAction(action)
        self.menu.menuAction().setVisible(False)
        window.closed.connect(self.shutdown)

    @property
    def active(self) -> bool:
        return self.page is not None and self.stack.currentWidget() is self.page

    @property
    def race(self) -> Any:
        return self.ensure_page().race

    def ensure_page(self) -> NetworkPage:
        if self.page is None:
            # Imported here: the mode and its model cost ~80 ms at start-up, for a mode most
            # sessions never open.
            from gui.network.mode import NetworkPage

            self.page = NetworkPage(tick_ms=self.window.playback.timer.interval())
            self.page.failed.connect(self.window.show_error)
            self.stack.addWidget(self.page)
            for action in self.page.playback_panel.actions_:
                self.window.addAction(action)
                action.setEnabled(False)
        return self.page

    def show_network(self, on: bool) -> None:
        page = self.ensure_page()
        if on:
            self.window.playback.pause()
        else:
            page.playback.pause()
        self.stack.setCurrentWidget(page if on else self.stack.widget(0))
        for action in self.window.playback_panel.playback_actions:
            action.setEnabled(not on)
        for action in page.playback_panel.actions_:
            action.setEnabled(on)
        self.menu.menuAction().setVisible(on)
        self.window.step_status.setVisible(not on)  # the map's step and losses
        (self.network_action if on else self.surfaces_action).setChecked(True)

    def scene_race(self) -> Any:
        """The race a saved session holds: the network's, while the Network mode is shown."""
        return self.page.race if self.active else None

    def apply_scene(self, data: dict) -> None:
        """A session with a network section: rebuild its race at iteration 0 and let it catch up
        to the saved iteration in slices (a long race would otherwise freeze the window)."""
        from gui.model.scene.network import build_race

        section = data.get("network")
        if section is None:
            return
        race = build_race(dict(section, iteration=0))
        race.jump_to(section["iteration"])
        self.ensure_page().set_race(race)
        self.show_network(True)

    def shutdown(self) -> None:
        if self.page is not None:
            self.page.shutdown()


def install(window: Any) -> NetworkMode:
    return NetworkMode(window)
