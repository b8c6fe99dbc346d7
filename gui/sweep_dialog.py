"""The sweep dialog: run one racer over a grid of two of its hyperparameters, see the result as a
heat map, click a cell to use its values; and "Find a good learning rate". Non-modal: the sweep
runs in chunks that let the window paint between them, and Cancel stops it after a chunk."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6 import QtCore, QtWidgets

from gui.export.atomic import ExportError, atomic_path, write_text
from gui.log_axis import ReadableAxis
from gui.model import Session
from gui.model.sweep import AutoTune, SweepResult, autotune_lr, sweep
from gui.racer_combo import RacerCombo
from gui.sweep_map import HeatMap
from optimizers import REGISTRY

MEASURES = (("final loss", "loss"), ("steps to tolerance", "steps"))


class SweepDialog(QtWidgets.QDialog):
    def __init__(self, session: Session, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sweep map")
        self.setModal(False)
        self.session = session
        self.result: SweepResult | None = None
        self.tuned: AutoTune | None = None
        self._cancel = False
        self._running = False

        self.racer_combo = RacerCombo()
        self.x_combo, self.y_combo = QtWidgets.QComboBox(), QtWidgets.QComboBox()
        self.grid = QtWidgets.QSpinBox(minimum=3, maximum=61, value=21)
        self.grid.setToolTip("Cells per axis")
        self.steps = QtWidgets.QSpinBox(minimum=1, maximum=100_000)
        self.steps.setValue(session.step or session.step_limit)
        self.measure = QtWidgets.QComboBox()
        for text, key in MEASURES:
            self.measure.addItem(text, key)
        self.compute_button = QtWidgets.QPushButton("Compute")
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.tune_button = QtWidgets.QPushButton("Find a good learning rate")
        self.tune_button.setToolTip("Try many learning rates; keep the one with the lowest loss")
        self.png_button = QtWidgets.QPushButton("Export PNG…")
        self.csv_button = QtWidgets.QPushButton("Export CSV…")
        self.progress = QtWidgets.QProgressBar()
        self.key = QtWidgets.QLabel(
            "Red: diverged · grey: never got within the tolerance · "
            "click a cell to give the racer its two values"
        )
        self.key.setStyleSheet("color: #555;")
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.heat = HeatMap()
        self.heat.setMinimumSize(420, 340)
        self.tune_plot = pg.PlotWidget(
            axisItems={"bottom": ReadableAxis("bottom"), "left": ReadableAxis("left")}
        )
        self.tune_plot.setMinimumHeight(110)  # room for two decade labels and the title
        self.tune_plot.setMaximumHeight(150)
        self.tune_plot.setLogMode(True, True)
        self.tune_plot.setLabels(bottom="lr", left="final loss")
        self.tune_plot.setMenuEnabled(False)
        self.tune_curve = self.tune_plot.plot(pen=pg.mkPen("#0072b2", width=2), symbol="o")
        self.tune_curve.setSymbolSize(4)
        self.tune_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d55e00", width=1.5))
        self.tune_plot.addItem(self.tune_line)
        self.tune_plot.hide()

        form = QtWidgets.QFormLayout()
        form.addRow("Racer", self.racer_combo)
        form.addRow("Across (x)", self.x_combo)
        form.addRow("Up (y)", self.y_combo)
        form.addRow("Grid", self.grid)
        form.addRow("Steps", self.steps)
        form.addRow("Colour by", self.measure)
        buttons = QtWidgets.QHBoxLayout()
        for w in (self.compute_button, self.cancel_button, self.tune_button):
            buttons.addWidget(w)
        exports = QtWidgets.QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.png_button)
        exports.addWidget(self.csv_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.heat, 1)
        layout.addWidget(self.key)
        layout.addWidget(self.message)
        layout.addWidget(self.tune_plot)
        layout.addLayout(exports)

        self._fill_racers()
        self.racer_combo.currentIndexChanged.connect(self._fill_hypers)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self.tune_button.clicked.connect(self.autotune)
        self.png_button.clicked.connect(lambda: self._ask_export("PNG image (*.png)", "png"))
        self.csv_button.clicked.connect(lambda: self._ask_export("CSV table (*.csv)", "csv"))
        self.heat.cell_clicked.connect(self.apply_cell)
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        self.session.events.disconnect(self._on_session_event)

    @property
    def racer_id(self) -> int | None:
        return self.racer_combo.racer_id

    def select(self, racer_id: int) -> None:
        self.racer_combo.select(racer_id)

    def set_axes(self, x: str, y: str) -> None:
        self.x_combo.setCurrentText(x)
        self.y_combo.setCurrentText(y)

    # --- running ----------------------------------------------------------------------------

    def compute(self) -> SweepResult | None:
        """Run the sweep; the window stays live between chunks and Cancel stops it."""
        racer_id = self.racer_id
        if racer_id is None or self._running:
            return None
        x, y = self.x_combo.currentText(), self.y_combo.currentText()
        try:
            result = self._run(
                sweep, self.session, racer_id, x, y, n=self.grid.value(),
                steps=self.steps.value(), measure=self.measure.currentData(),
            )  # fmt: skip
        except ValueError as exc:
            self.message.setText(str(exc))
            return None
        specs = REGISTRY[self.session.racer(racer_id).optimizer]._specs
        self.result = result
        self.heat.show_result(result, specs[x].log, specs[y].log)
        done = "Cancelled: partial result. " if result.cancelled else ""
        bad = int(result.diverged.sum())
        self.message.setText(f"{done}{bad} of {result.diverged.size} cells diverged.")
        return result

    def autotune(self) -> AutoTune | None:
        racer_id = self.racer_id
        if racer_id is None or self._running:
            return None
        tuned = self._run(autotune_lr, self.session, racer_id, steps=self.steps.value())
        self.tuned = tuned
        self.tune_plot.show()
        self.tune_curve.setData(tuned.lrs, np.where(tuned.losses > 0, tuned.losses, np.nan))
        if tuned.lr is None:
            self.message.setText("Every learning rate tried diverged; nothing was changed.")
            return tuned
        self.tune_line.setValue(np.log10(tuned.lr))  # the axis is in log units
        self.session.set_hyper(racer_id, "lr", tuned.lr)
        self.message.setText(f"lr set to {tuned.lr:.3g}: the lowest loss after the steps.")
        return tuned

    def cancel(self) -> None:
        self._cancel = True

    def closeEvent(self, event) -> None:
        self.cancel()  # a sweep still running stops at its next chunk instead of finishing unseen
        super().closeEvent(event)

    def _run(self, fn, *args, **kwargs):
        self._cancel, self._running = False, True
        self._set_busy(True)
        try:
            return fn(*args, **kwargs, progress=self._on_progress, should_stop=self._should_stop)
        finally:
            self._running = False
            self._set_busy(False)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        QtWidgets.QApplication.processEvents()  # paint, and let Cancel be clicked

    def _should_stop(self) -> bool:
        return self._cancel

    def _set_busy(self, busy: bool) -> None:
        for w in (self.compute_button, self.tune_button, self.racer_combo):
            w.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    # --- result → racer and files -----------------------------------------------------------

    def apply_cell(self, i: int, j: int) -> None:
        """Give the racer the values of cell (i, j) and mark it."""
        result = self.result
        if result is None or self.racer_id is None:
            return
        values = {result.x_name: result.x_values[i], result.y_name: result.y_values[j]}
        try:
            for name, value in values.items():
                self.session.set_hyper(self.racer_id, name, float(value))
        except (ValueError, KeyError) as exc:
            self.message.setText(str(exc))
            return
        self.heat.mark(i, j)
        chosen = ", ".join(f"{k} = {v:.4g}" for k, v in values.items())
        self.message.setText(f"Racer set to {chosen}.")

    def export_png(self, path: str) -> None:
        exporter = pyqtgraph.exporters.ImageExporter(self.heat.scene())
        with atomic_path(path) as tmp:
            exporter.export(str(tmp))

    def export_csv(self, path: str) -> None:
        r = self.result
        if r is None:
            raise ExportError("Compute a sweep first")
        rows = [f"{r.x_name},{r.y_name},{r.measure},diverged"]
        for j, yv in enumerate(r.y_values):
            for i, xv in enumerate(r.x_values):
                # repr of a Python float: shortest text that reads back to the same number
                cells = (float(xv), float(yv), float(r.value[j, i]))
                rows.append(",".join(map(repr, cells)) + f",{int(r.diverged[j, i])}")
        write_text(path, "\n".join(rows) + "\n")

    def _ask_export(self, filters: str, ext: str) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export sweep", f"sweep.{ext}", filters
        )
        if not name:
            return
        try:
            (self.export_png if ext == "png" else self.export_csv)(name)
        except (ExportError, OSError) as exc:
            self.message.setText(f"Could not export: {exc}")
            return
        self.message.setText(f"Saved {name}")

    # --- model → view -----------------------------------------------------------------------

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind in ("racers", "racer") and not self._running:
            self._fill_racers()

    def _fill_racers(self) -> None:
        self.racer_combo.fill(self.session)
        self._fill_hypers()

    def _fill_hypers(self) -> None:
        """The racer's hyperparameters, from its spec; keeps the chosen pair when it can."""
        names = []
        if self.racer_id is not None:
            names = [
                h.name for h in REGISTRY[self.session.racer(self.racer_id).optimizer].hyperparams
            ]
        for combo, default in ((self.x_combo, 0), (self.y_combo, 1)):
            keep = combo.currentText()
            with QtCore.QSignalBlocker(combo):
                combo.clear()
                combo.addItems(names)
                if keep in names:
                    combo.setCurrentText(keep)
                elif len(names) > default:
                    combo.setCurrentIndex(default)
        self.compute_button.setEnabled(len(names) >= 2)
        if len(names) == 1:
            self.message.setText(
                f"{self.racer_combo.currentText()} has one hyperparameter: a map needs two "
                "(choose another racer), but the learning-rate finder works."
            )
        self.tune_button.setEnabled("lr" in names)
