"""The Network mode's page: controls on the left (playback, data and network, racers), the
training curves above the decision boundaries and the loss landscape on the right.

The page owns one :class:`NetworkRace` at a time; a preset or a session replaces it, and every
part is told with ``set_race``. Views follow the playback's ticks: curves on each tick, the
decision regions at most :data:`BOUNDARY_INTERVAL` apart (a grid of predictions per racer).
"""

from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets

from gui.model.network import NetworkRace, NetworkSetup
from gui.model.network.presets import NETWORK_PRESETS
from gui.network.boundaries_view import BoundariesView
from gui.network.curves_view import CurvesView
from gui.network.landscape_view import LandscapeView
from gui.network.playback import NetworkPlayback, NetworkPlaybackPanel
from gui.network.racers import NetworkRacerPanel
from gui.network.setup_panel import SetupPanel

DEFAULT_PRESET = "spirals-book-defaults"
BOUNDARY_INTERVAL = 0.08  # seconds between two racers' decision-region refreshes in training
CURVE_INTERVAL = 0.1  # seconds between curve redraws while training (10 a second)


class NetworkPage(QtWidgets.QWidget):
    failed = QtCore.Signal(str)

    def __init__(self, race: NetworkRace | None = None, tick_ms: int = 30, parent=None) -> None:
        super().__init__(parent)
        self.race = race or NETWORK_PRESETS[DEFAULT_PRESET].load()
        self.playback = NetworkPlayback(self.race, tick_ms=tick_ms, parent=self)
        self.playback_panel = NetworkPlaybackPanel(self.playback)
        self.setup_panel = SetupPanel(self.race.setup)
        self.racer_panel = NetworkRacerPanel(self.race)
        self.curves = CurvesView(self.race)
        self.boundaries = BoundariesView(self.race)
        self.landscape = LandscapeView(self.race)
        self._build()
        self._boundaries_at = self._curves_at = 0.0
        self.race.events.connect(self._on_race_event)
        self.setup_panel.show_setup(self.race.setup, self.race.shape)
        self.playback.ticked.connect(self._on_ticked)
        self.playback.failed.connect(self.failed)
        self.setup_panel.setup_requested.connect(self.apply_setup)
        self.setup_panel.preset_requested.connect(self.load_preset)
        self.tabs.currentChanged.connect(lambda _: self.refresh(boundaries=True))
        self.setup_panel.preset.setCurrentIndex(self.setup_panel.preset.findData(DEFAULT_PRESET))
        self.refresh(boundaries=True)

    def _build(self) -> None:
        controls = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(controls)
        self._racer_group = QtWidgets.QGroupBox("Racers")
        QtWidgets.QVBoxLayout(self._racer_group).addWidget(self.racer_panel)
        for title, panel in (
            ("Playback", self.playback_panel),
            ("Data and network", self.setup_panel),
        ):
            group = QtWidgets.QGroupBox(title)
            QtWidgets.QVBoxLayout(group).addWidget(panel)
            column.addWidget(group)
        column.addWidget(self._racer_group)
        column.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(340)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.boundaries, "Decision boundaries")
        self.tabs.addTab(self.landscape, "Loss landscape")
        views = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        views.addWidget(self.curves)
        views.addWidget(self.tabs)
        views.setStretchFactor(0, 2)
        views.setStretchFactor(1, 3)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(views)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 920])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- replacing the race -----------------------------------------------------------------

    def set_race(self, race: NetworkRace) -> None:
        """Show ``race`` (a preset, or a session's network); the old one is let go."""
        self.landscape.stop()
        self.playback.pause()
        self.race.events.disconnect(self._on_race_event)
        self.racer_panel.detach()
        old_panel = self.racer_panel
        self.racer_panel = NetworkRacerPanel(race)
        self._racer_group.layout().replaceWidget(old_panel, self.racer_panel)
        old_panel.hide()
        old_panel.deleteLater()
        self.race = race
        race.events.connect(self._on_race_event)
        self.playback.set_race(race)
        self.playback_panel.sync()
        self.setup_panel.show_setup(race.setup, race.shape)
        self.curves.set_race(race)
        self.boundaries.set_race(race)
        self.landscape.set_race(race)
        self._show_boundaries_tab()
        self.refresh(boundaries=True)

    def load_preset(self, key: str) -> None:
        preset = NETWORK_PRESETS[key]
        try:
            race = preset.load(self.setup_panel.mnist_path.text().strip() or None)
        except ValueError as exc:
            self.setup_panel.show_error(str(exc))
            return
        self.set_race(race)
        self.setup_panel.preset.setCurrentIndex(self.setup_panel.preset.findData(key))

    def apply_setup(self, setup: NetworkSetup) -> None:
        self.playback.pause()
        try:
            self.race.set_setup(setup)
        except ValueError as exc:  # MNIST not found, a shape the data cannot take
            self.setup_panel.show_error(str(exc))

    # --- model → views ----------------------------------------------------------------------

    def _on_race_event(self, kind: str, racer_id: int | None) -> None:
        if kind in ("racer", "racers", "setup", "reset"):
            self.playback.wake()  # a restarted racer catches up in slices
        if kind == "racers":
            self.landscape.sync_centres()
        if kind == "setup":
            self.setup_panel.show_setup(self.race.setup, self.race.shape)
            self.boundaries.set_race(self.race)
            self.landscape.set_race(self.race)
            self._show_boundaries_tab()
        if kind == "limit":
            self.playback_panel.sync()
        if kind in ("racer", "racers", "setup", "reset"):
            self.refresh(boundaries=True)

    def _on_ticked(self) -> None:
        if not (self.playback.playing or self.race.owed):
            self.refresh(boundaries=True)  # the last tick: everything as it now is
            return
        now = time.perf_counter()
        if now - self._curves_at >= CURVE_INTERVAL:
            self._curves_at = now
            self.curves.refresh()
            self.playback_panel.show_status()
            self.racer_panel.show_status()
        if now - self._boundaries_at >= BOUNDARY_INTERVAL and self._boundaries_shown:
            self._boundaries_at = now
            self.boundaries.refresh_next()

    @property
    def _boundaries_shown(self) -> bool:
        return self.tabs.currentWidget() is self.boundaries

    def refresh(self, boundaries: bool = False) -> None:
        self.curves.refresh()
        self._curves_at = time.perf_counter()
        if boundaries and self._boundaries_shown:
            self.boundaries.refresh()
            self._boundaries_at = time.perf_counter()
        self.playback_panel.show_status()
        self.racer_panel.show_status()

    def _show_boundaries_tab(self) -> None:
        two_d = self.boundaries.applicable
        self.tabs.setTabEnabled(0, two_d)
        self.tabs.setTabToolTip(0, "" if two_d else "Only for datasets with 2 features")
        if not two_d:
            self.tabs.setCurrentWidget(self.landscape)

    def shutdown(self) -> None:
        self.landscape.stop()
        self.playback.pause()
        self.playback.timer.stop()
        self.racer_panel.detach()
        self.race.events.disconnect(self._on_race_event)
