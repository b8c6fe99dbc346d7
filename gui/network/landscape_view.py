"""The landscape tab: its settings (centre, directions, seed, grid), "Compute landscape" with a
progress bar and Cancel, and the plot. The grid is computed by the model's
:class:`LandscapeJob` in slices of :data:`SLICE_SECONDS` from a 0 ms timer, so the window stays
live while it runs."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.model.network import NetworkRace
from gui.model.network.landscape import MAX_RESOLUTION, LandscapeJob
from gui.network.landscape_plot import LandscapePlot
from gui.theme import ERROR_COLOR

SLICE_SECONDS = 0.02


class LandscapeView(QtWidgets.QWidget):
    computed = QtCore.Signal()

    def __init__(self, race: NetworkRace, parent=None) -> None:
        super().__init__(parent)
        self.race = race
        self.job: LandscapeJob | None = None
        self.slices = 0  # slices run by the current or last job (tests count them)
        self.center = QtWidgets.QComboBox()
        self.center.setToolTip("The plane passes through these weights")
        self.center.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.center.setMinimumContentsLength(10)
        self.method = QtWidgets.QComboBox()
        self.method.setSizeAdjustPolicy(self.center.sizeAdjustPolicy())
        self.method.setMinimumContentsLength(12)
        self.method.addItem("PCA of the paths", "pca")
        self.method.addItem("Random (filter-normalised)", "random")
        self.seed = QtWidgets.QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("Seed of the random directions")
        self.resolution = QtWidgets.QSpinBox()
        self.resolution.setRange(3, MAX_RESOLUTION)
        self.resolution.setValue(61)
        self.resolution.setSuffix(" points")
        self.resolution.setToolTip("Grid points per side")
        self.compute = QtWidgets.QPushButton("Compute landscape")
        self.cancel = QtWidgets.QPushButton("Cancel")
        self.cancel.setEnabled(False)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(120)
        self.progress.setMinimumWidth(60)
        self.error = QtWidgets.QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        self.plot = LandscapePlot()

        # Two short rows, so the tab fits a 900-pixel window beside the controls.
        settings = QtWidgets.QHBoxLayout()
        settings.setContentsMargins(4, 0, 4, 0)
        for label, widget in (("Centre", self.center), ("Directions", self.method)):
            settings.addWidget(QtWidgets.QLabel(label))
            settings.addWidget(widget)
        settings.addWidget(self.seed)
        settings.addStretch(1)
        run = QtWidgets.QHBoxLayout()
        run.setContentsMargins(4, 0, 4, 0)
        run.addWidget(QtWidgets.QLabel("Grid"))
        run.addWidget(self.resolution)
        run.addStretch(1)
        for widget in (self.compute, self.cancel, self.progress):
            run.addWidget(widget)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(settings)
        layout.addLayout(run)
        layout.addWidget(self.error)
        layout.addWidget(self.plot, 1)

        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._on_slice)
        self.compute.clicked.connect(self.start)
        self.cancel.clicked.connect(self.stop)
        self.method.currentIndexChanged.connect(self._on_method_chosen)
        self._on_method_chosen()
        self.set_race(race)

    def set_race(self, race: NetworkRace) -> None:
        self.stop()
        self.race = race
        self.sync_centres()
        self.plot.clear_landscape("Compute a landscape to see the loss around the racers")

    def sync_centres(self) -> None:
        """The centre choices: the shared start and every racer (by id, which labels may share)."""
        chosen = self.center.currentData()
        with QtCore.QSignalBlocker(self.center):
            self.center.clear()
            self.center.addItem("Shared start", None)
            for racer in self.race.racers:
                self.center.addItem(f"{racer.label} (now)", racer.id)
            self.center.setCurrentIndex(max(0, self.center.findData(chosen)))

    def make_job(self) -> LandscapeJob:
        return LandscapeJob(
            self.race,
            center=self.center.currentData(),
            method=self.method.currentData(),
            resolution=self.resolution.value(),
            seed=self.seed.value(),
        )

    def start(self) -> None:
        """Begin a new landscape at the race's present weights (any running one is dropped)."""
        self.stop()
        try:
            self.job = self.make_job()
        except ValueError as exc:
            self._show_error(str(exc))
            return
        self._show_error("")
        self.slices = 0
        self.progress.setValue(0)
        self.compute.setEnabled(False)
        self.cancel.setEnabled(True)
        self.plot.show_message("Computing the landscape…")
        self.timer.start()

    def stop(self) -> None:
        if self.job is not None and self.timer.isActive():
            self.job.cancel()
            self.plot.show_message("" if self.plot.result is not None else "Cancelled")
        self.timer.stop()
        self.compute.setEnabled(True)
        self.cancel.setEnabled(False)

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def _on_slice(self) -> None:
        job = self.job
        self.slices += 1
        try:
            done = job.advance(SLICE_SECONDS)
        except Exception as exc:  # a failed slice is reported once, not on every tick
            self.stop()
            self._show_error(f"{type(exc).__name__}: {exc}")
            return
        self.progress.setValue(round(100 * job.done / job.total))
        if done:
            self.timer.stop()
            self.compute.setEnabled(True)
            self.cancel.setEnabled(False)
            racers = [r for r in self.race.racers if r.id in job.result.paths]
            self.plot.show_landscape(job.result, racers)
            self.computed.emit()

    def _on_method_chosen(self) -> None:
        self.seed.setEnabled(self.method.currentData() == "random")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
