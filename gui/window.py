"""The main window: controls on the left, the map above the loss plot on the right, one timer."""

from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

import gui.export.menu
import gui.inside
import gui.map_menu
import gui.network
import gui.view3d_panel
from gui import theme
from gui.loss_view import LossView
from gui.map_view import MapView
from gui.model import Session, book_scene
from gui.playback import Playback, PlaybackPanel
from gui.racer_panel import RacerPanel
from gui.settings import SettingsStore
from gui.status_line import StatusLine
from gui.surface_panel import SurfacePanel

STATUS_INTERVAL_MS = 100  # labels and the status bar update at most 10×/s, not on every tick
CONTROLS_MIN_WIDTH = 220  # the controls can be narrowed to this (or dragged shut)


class ErrorBanner(QtWidgets.QFrame):
    """A dismissible message above the map: errors are shown once here, not printed per tick."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("ErrorBanner { background: #fdecea; border: 1px solid #e0a0a0; }")
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet(f"color: {theme.ERROR_COLOR};")
        self.label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QtWidgets.QToolButton()
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()


class MainWindow(QtWidgets.QMainWindow):
    closed = QtCore.Signal()  # after the window has saved its settings and closed

    def __init__(
        self,
        session: Session | None = None,
        store: SettingsStore | None = None,
        speed: int = 1,
        tick_ms: int = 30,
    ) -> None:
        super().__init__()
        theme.setup_pyqtgraph()
        self.session = session or book_scene()
        self.store = store
        self.setWindowTitle("Optimizer Playground")
        self.playback = Playback(self.session, tick_ms=tick_ms, speed=speed, parent=self)

        self.map_view = MapView(self.session)
        self.loss_view = LossView(self.session)
        self.playback_panel = PlaybackPanel(self.playback)
        self.surface_panel = SurfacePanel(self.session)
        self.racer_panel = RacerPanel(self.session)
        self.banner = ErrorBanner()
        self._build_layout()
        self._build_menus()
        gui.export.menu.install(self)
        self.inside = gui.inside.install(self)
        gui.map_menu.install(self)
        self.view3d = gui.view3d_panel.install(self)
        self.network_mode = gui.network.install(self)  # View → Network (Ctrl+2)

        self.step_status = StatusLine()
        self.statusBar().addWidget(self.step_status, 1)
        self._status_due = True
        self._status_timer = QtCore.QTimer(self)
        self._status_timer.setInterval(STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self._on_status_timer)
        self._status_timer.start()
        self.playback.failed.connect(self.show_error)
        self.playback.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.session.events.connect(self._on_session_event)
        self.refresh_status()
        self.resize(1280, 800)

    # --- building ---------------------------------------------------------------------------

    def _build_layout(self) -> None:
        controls = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(controls)
        for title, panel in (
            ("Playback", self.playback_panel),
            ("Surface", self.surface_panel),
            ("Racers", self.racer_panel),
        ):
            group = QtWidgets.QGroupBox(title)
            QtWidgets.QVBoxLayout(group).addWidget(panel)
            column.addWidget(group)
        column.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(CONTROLS_MIN_WIDTH)
        self.controls = scroll
        self._scroll_target: QtWidgets.QWidget | None = None
        self.racer_panel.box_added.connect(self._scroll_to)
        scroll.verticalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)

        plots = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        plots.addWidget(self.map_view)
        plots.addWidget(self.loss_view)
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 1)
        plots.setSizes([560, 200])
        right = QtWidgets.QWidget()
        right_layout = QtWidgets.QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(plots, 1)

        # The user drags the handle to narrow the controls, or drags them shut (View ▸ Controls
        # brings them back): the map takes the rest.
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, True)
        splitter.setCollapsible(1, False)
        splitter.setSizes([360, 920])
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _scroll_to(self, widget: QtWidgets.QWidget) -> None:
        # Once the layout has placed the new box (the scroll range grows then): before that it
        # has no position to scroll to.
        self._scroll_target = widget
        QtCore.QTimer.singleShot(0, self._on_scroll_range_changed)

    def _on_scroll_range_changed(self, *_range: int) -> None:
        target = self._scroll_target
        if target is not None and target.isVisible():
            self.controls.ensureWidgetVisible(target, 0, 0)

    def _set_controls_shown(self, shown: bool) -> None:
        self.controls.setVisible(shown)
        if shown and self.splitter.sizes()[0] == 0:
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([360, max(total - 360, 1)])

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        quit_action = self.file_menu.addAction("&Quit")
        quit_action.setShortcut(QtGui.QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)

        self.view_menu = bar.addMenu("&View")
        reset_view = self.view_menu.addAction("Reset view")
        reset_view.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_Home))
        reset_view.triggered.connect(self.reset_view)
        self.controls_action = self.view_menu.addAction("Controls panel")
        self.controls_action.setCheckable(True)
        self.controls_action.setChecked(True)
        self.controls_action.setShortcut(QtGui.QKeySequence("Ctrl+L"))
        self.controls_action.setToolTip("Show or hide the controls beside the map")
        self.controls_action.toggled.connect(self._set_controls_shown)

        self.playback_menu = bar.addMenu("&Playback")
        for action in self.playback_panel.playback_actions:
            self.playback_menu.addAction(action)
            self.addAction(action)  # shortcuts work while the menu bar is hidden too

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction("Keys and mouse…").triggered.connect(self._show_help)
        self.help_menu.addAction("About…").triggered.connect(self._show_about)

    def reset_view(self) -> None:
        """Frame the surface on the map and every racer on the loss plot."""
        self.map_view.reset_view()
        self.loss_view.reset_view()

    # --- status -----------------------------------------------------------------------------

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        self._status_due = True

    def _on_status_timer(self) -> None:
        if self._status_due:
            self.refresh_status()

    def refresh_status(self) -> None:
        """Step and each racer's loss, compactly, in the status bar and the panels."""
        self._status_due = False
        self.playback_panel.show_status()
        self.racer_panel.show_status()
        parts = [f"step {self.session.step:,}"]
        for racer in self.session.racers:
            if not racer.enabled:
                continue
            status = self.session.status(racer.id)
            value = "diverged" if status["diverged_at"] is not None else f"{status['loss']:.3g}"
            parts.append(f"{racer.label} {value}")
        self.step_status.setText("   ·   ".join(parts))

    def show_error(self, message: str) -> None:
        """Stop the race and say what went wrong, once, in the window."""
        self.playback.pause()
        self.banner.show_message(message)
        self.statusBar().showMessage(message, 10_000)

    def clear_error(self) -> None:
        """An error is over (a good file opened after a bad one): its banner goes too."""
        self.banner.hide()

    # --- help and lifetime ------------------------------------------------------------------

    def _show_help(self) -> None:
        QtWidgets.QMessageBox.information(self, "Keys and mouse", self.help_text())

    def help_text(self) -> str:
        """Every key of every menu, read from the actions themselves, then the mouse."""
        return keys_text(self.menuBar()) + "\n\n" + MOUSE_TEXT

    def _show_about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "About Optimizer Playground",
            "Watch gradient-descent optimizers race across 2-D surfaces, live, "
            "and tune them with sliders.",
        )

    def save_settings(self) -> None:
        if self.store is not None:
            (xmin, xmax), (ymin, ymax) = self.map_view.view_box.viewRange()
            self.store.save_scene(self.session, self.playback.speed, [xmin, xmax, ymin, ymax])
            self.store.save_geometry(self.saveGeometry())
            self.store.sync()

    def restore_geometry(self) -> None:
        geometry = self.store.geometry() if self.store is not None else None
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.playback.pause()
        self._status_timer.stop()
        # An animation still rendering would go on from its timer with no window to report to,
        # and its temporary file would outlive the app: cancel it, which removes the file.
        self.export_actions.runner.cancel()
        self.save_settings()
        # The session may outlive the window (tests, notebooks, an exporter's copy): it must not
        # call into widgets that are about to be deleted.
        for view in (
            self.map_view,
            self.loss_view,
            self.playback_panel,
            self.surface_panel,
            self.racer_panel,
        ):
            view.detach()
        self.inside.detach()
        self.view3d.detach()
        self.session.events.disconnect(self._on_session_event)
        super().closeEvent(event)
        self.closed.emit()


MOUSE_TEXT = """Click on the map to move the start point, or drag the start marker.
Drag to pan, scroll to zoom. Every slider re-simulates its racer at once.
Drag the handle beside the controls to narrow them, or shut them."""


def _address(obj: QtCore.QObject) -> int:
    return shiboken6.getCppPointer(obj)[0]


def keys_text(bar: QtWidgets.QMenuBar) -> str:
    """One line per action with a shortcut: its keys, then menu ▸ action."""
    lines = []
    # Not QAction.menu(): in PySide6 6.10 the wrapper it returns owns the menu, and collecting
    # it deletes the window's menu. Menus are found among the window's children instead.
    owner = bar.parentWidget() or bar
    menus = {_address(m.menuAction()): m for m in owner.findChildren(QtWidgets.QMenu)}
    for menu_action in bar.actions():
        menu = menus.get(_address(menu_action))
        if menu is None:
            continue
        title = menu.title().replace("&", "")
        for action in menu.actions():
            keys = [
                k.toString(QtGui.QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            ]
            if keys:
                name = action.text().replace("&", "").rstrip("…")
                lines.append(f"{' or '.join(keys)}\t{title} ▸ {name}")
    return "\n".join(lines)
