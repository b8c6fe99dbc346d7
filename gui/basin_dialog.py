"""The basin-map dialog: pick racers, compute where every start of a grid leads each of them,
see the maps side by side, click a cell to start the race there, lay a map over the main map,
export PNG and CSV. Non-modal; the run goes in slices that let the window paint and Cancel
be clicked between them."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.basin_view import BasinFigure, BasinOverlay, key_text
from gui.export.atomic import ExportError
from gui.export.basins import write_csv
from gui.export.basins_png import write_png
from gui.model import Session
from gui.model.basins import MAX_CELLS, BasinResult, basins

EXPORT_SIZES = (("1600 × 1000", (1600, 1000)), ("1920 × 1080", (1920, 1080)),
                ("3840 × 2160", (3840, 2160)), ("800 × 500", (800, 500)))  # fmt: skip


class BasinDialog(QtWidgets.QDialog):
    def __init__(
        self, session: Session, overlay_action: QtGui.QAction, overlay: BasinOverlay, parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Basin map")
        self.setModal(False)
        self.session = session
        self.overlay = overlay
        self.overlay_action = overlay_action
        self.results: list[tuple[int, str, BasinResult]] = []
        self._computed_with: tuple = (None, {})
        self._cancel = False
        self._running = False

        self.racer_list = QtWidgets.QListWidget()
        self.racer_list.setMaximumHeight(90)
        self.racer_list.setToolTip("The racers to map, side by side")
        self.grid = QtWidgets.QSpinBox(minimum=8, maximum=MAX_CELLS, value=128)
        self.grid.setToolTip("Start points per axis (the map has grid × grid starts)")
        self.steps = QtWidgets.QSpinBox(minimum=1, maximum=100_000, value=500)
        self.steps.setToolTip("Steps each start runs")
        self.compute_button = QtWidgets.QPushButton("Compute")
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.overlay_box = QtWidgets.QCheckBox("Lay the first map over the main map")
        self.progress = QtWidgets.QProgressBar()
        self.figure = BasinFigure()
        self.figure.setMinimumSize(480, 300)
        self.key = QtWidgets.QLabel()
        self.key.setWordWrap(True)
        self.key.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.message = QtWidgets.QLabel(
            "Each start cell is coloured by the minimum its racer reaches; click one to race "
            "from there."
        )
        self.message.setWordWrap(True)
        self.size_combo = QtWidgets.QComboBox()
        for text, size in EXPORT_SIZES:
            self.size_combo.addItem(text, size)
        self.png_button = QtWidgets.QPushButton("Export PNG…")
        self.csv_button = QtWidgets.QPushButton("Export CSV…")

        form = QtWidgets.QFormLayout()
        form.addRow("Racers", self.racer_list)
        form.addRow("Grid", self.grid)
        form.addRow("Steps", self.steps)
        buttons = QtWidgets.QHBoxLayout()
        for w in (self.compute_button, self.cancel_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.overlay_box)
        exports = QtWidgets.QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(QtWidgets.QLabel("Size"))
        for w in (self.size_combo, self.png_button, self.csv_button):
            exports.addWidget(w)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.figure, 1)
        layout.addWidget(self.key)
        layout.addWidget(self.message)
        layout.addLayout(exports)
        self._set_exportable(False)

        self.fill_racers()
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self.overlay_box.toggled.connect(overlay_action.setChecked)
        overlay_action.toggled.connect(self._on_overlay_toggled)
        self.figure.start_clicked.connect(self._on_start_clicked)
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        session.events.connect(self._on_session_event)
        self._on_overlay_toggled(overlay_action.isChecked())
        self.resize(760, 640)

    def detach(self) -> None:
        self.session.events.disconnect(self._on_session_event)
        self.overlay_action.toggled.disconnect(self._on_overlay_toggled)

    # --- choosing racers --------------------------------------------------------------------

    def fill_racers(self) -> None:
        """The session's racers, keeping the ticks; the first two are ticked the first time."""
        ticked = set(self.chosen())
        first = self.racer_list.count() == 0
        self.racer_list.clear()
        for racer in self.session.racers:
            item = QtWidgets.QListWidgetItem(racer.label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, racer.id)
            on = racer.id in ticked or (first and len(ticked) < 2 and racer.enabled)
            if on:
                ticked.add(racer.id)
            item.setCheckState(
                QtCore.Qt.CheckState.Checked if on else QtCore.Qt.CheckState.Unchecked
            )
            self.racer_list.addItem(item)

    def chosen(self) -> list[int]:
        ids = []
        for row in range(self.racer_list.count()):
            item = self.racer_list.item(row)
            if item.checkState() == QtCore.Qt.CheckState.Checked:
                ids.append(item.data(QtCore.Qt.ItemDataRole.UserRole))
        return ids

    def select(self, racer_ids: list[int]) -> None:
        for row in range(self.racer_list.count()):
            item = self.racer_list.item(row)
            on = item.data(QtCore.Qt.ItemDataRole.UserRole) in racer_ids
            item.setCheckState(
                QtCore.Qt.CheckState.Checked if on else QtCore.Qt.CheckState.Unchecked
            )

    # --- running ----------------------------------------------------------------------------

    def compute(self) -> None:
        """Map every chosen racer; the window stays live between slices, Cancel stops it."""
        ids = self.chosen()
        if self._running:
            return
        if not ids:
            self.message.setText("Tick at least one racer.")
            return
        surface = self.session.surface
        settings = {rid: self._settings(rid) for rid in ids}
        results: list[tuple[int, str, BasinResult]] = []
        self._cancel, self._running = False, True
        self._set_busy(True)
        try:
            for k, rid in enumerate(ids):
                result = basins(
                    self.session, rid, self.grid.value(), self.steps.value(),
                    progress=lambda d, t, k=k: self._on_progress(k, len(ids), d, t),
                    should_stop=lambda: self._cancel,
                )  # fmt: skip
                results.append((rid, self.session.racer(rid).label, result))
                if result.cancelled:
                    break
        except (ValueError, KeyError) as exc:
            self.message.setText(str(exc))
            return
        finally:
            self._running = False
            self._set_busy(False)
        if self._cancel:
            self.message.setText("Cancelled: nothing changed.")
            return
        if self.session.surface is not surface or any(
            self._settings(rid) != settings[rid] for rid in ids
        ):
            self.message.setText("The scene changed while mapping: compute again.")
            return
        self._computed_with = (surface, settings)
        self.show_results(results)

    def show_results(self, results: list[tuple[int, str, BasinResult]]) -> None:
        self.results = results
        self.figure.show_results([(label, r) for _, label, r in results])
        self.key.setText("<br>".join(f"<b>{label}</b>: {key_text(r)}" for _, label, r in results))
        first = results[0][2]
        self.message.setText(
            f"{first.label.size:,} starts × {first.steps_asked:,} steps per racer. "
            "Click a cell to race from there."
        )
        self._set_exportable(True)
        self._on_overlay_toggled(self.overlay_action.isChecked())

    def cancel(self) -> None:
        self._cancel = True

    def closeEvent(self, event) -> None:
        self.cancel()  # a run still going stops at its next slice instead of finishing unseen
        super().closeEvent(event)

    def _settings(self, racer_id: int):
        r = self.session.racer(racer_id)
        return (r.optimizer, dict(r.hyper), r.noise, r.seed, repr(r.schedule), r.enabled)

    def _on_progress(self, k: int, n: int, done: int, total: int) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(round(1000 * (k + done / max(total, 1)) / n))
        QtWidgets.QApplication.processEvents()  # paint, and let Cancel be clicked

    def _set_busy(self, busy: bool) -> None:
        for w in (self.compute_button, self.racer_list, self.grid, self.steps):
            w.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self._set_exportable(False)
        else:
            self._set_exportable(bool(self.results))

    def _set_exportable(self, on: bool) -> None:
        for w in (self.png_button, self.csv_button):
            w.setEnabled(on)

    # --- results → scene, overlay and files -------------------------------------------------

    def _on_start_clicked(self, x: float, y: float) -> None:
        self.session.set_start(x, y)
        self.message.setText(f"Start moved to ({x:.4g}, {y:.4g}).")

    def _on_overlay_toggled(self, on: bool) -> None:
        with QtCore.QSignalBlocker(self.overlay_box):
            self.overlay_box.setChecked(on)
        self.overlay.show(self.results[0][2] if on and self.results else None)

    def _labelled(self) -> list[tuple[str, BasinResult]]:
        return [(label, r) for _, label, r in self.results]

    def _ask_png(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export basin map", "basins.png", "PNG image (*.png)"
        )
        if name:
            self._export(
                lambda: write_png(self._labelled(), self.size_combo.currentData(), name), name
            )

    def _ask_csv(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export basin map", "basins.csv", "CSV table (*.csv)"
        )
        if name:
            self._export(lambda: write_csv(self._labelled(), name), name)

    def _export(self, write, name: str) -> None:
        try:
            write()
        except (ExportError, OSError) as exc:
            self.message.setText(f"Could not export: {exc}")
            return
        self.message.setText(f"Saved {name}")

    # --- model → view -----------------------------------------------------------------------

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if self._running:
            return
        if kind in ("racers", "racer"):
            self.fill_racers()
        if self.results and self._is_stale():
            self.results = []
            self.figure.show_results([])
            self.key.clear()
            self.overlay.show(None)
            self._set_exportable(False)
            self.message.setText("The scene changed: compute the basin map again.")

    def _is_stale(self) -> bool:
        """A new surface, or a mapped racer gone or re-tuned (a new label or colour is not)."""
        surface, settings = self._computed_with
        if self.session.surface is not surface:
            return True
        known = {r.id for r in self.session.racers}
        return any(rid not in known or self._settings(rid) != s for rid, s in settings.items())
