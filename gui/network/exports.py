"""The Network menu: the curves and the landscape as PNG/SVG at a size the user names, and every
iteration as CSV/JSON. Files are written atomically by the exporters the ``train`` command uses."""

from __future__ import annotations

from typing import Any

from PySide6 import QtGui, QtWidgets

from gui.export.atomic import ExportError, write_bytes, write_text
from gui.export.spec import parse_size

PICTURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
DEFAULT_SIZE = "1600x900"


class NetworkExports:
    def __init__(self, mode: Any) -> None:
        self.mode = mode
        window = mode.window
        self.compute_action = QtGui.QAction("Compute landscape", window)
        self.compute_action.triggered.connect(self.compute_landscape)
        self.curves_action = QtGui.QAction("Export curves…", window)
        self.curves_action.triggered.connect(self.export_curves)
        self.landscape_action = QtGui.QAction("Export landscape…", window)
        self.landscape_action.triggered.connect(self.export_landscape)
        self.data_action = QtGui.QAction("Export training data…", window)
        self.data_action.triggered.connect(self.export_data)
        self.actions = (
            self.compute_action, self.curves_action, self.landscape_action, self.data_action,
        )  # fmt: skip

    @property
    def page(self) -> Any:
        return self.mode.ensure_page()

    def compute_landscape(self) -> None:
        self.page.tabs.setCurrentWidget(self.page.landscape)
        self.page.landscape.start()

    def export_curves(self) -> None:
        from gui.export.curves import CurvesFigure
        from gui.export.train import figure_title

        race = self.page.race
        self._picture("Export curves", lambda size: CurvesFigure(race, size, figure_title(race)))

    def export_landscape(self) -> None:
        from gui.export.landscape_figure import LandscapeFigure

        result = self.page.landscape.plot.result
        if result is None:
            self._error("Compute a landscape first (Network → Compute landscape)")
            return
        race = self.page.race
        self._picture("Export landscape", lambda size: LandscapeFigure(result, race, size))

    def export_data(self) -> None:
        from gui.export.training_data import to_csv, to_json

        path = self._ask_path("Export training data", "CSV table (*.csv);;JSON (*.json)", "csv")
        if path is None:
            return
        race = self.page.race
        text = to_json(race) if path.suffix.lower() == ".json" else to_csv(race)
        self._write(path, lambda: write_text(path, text))

    def _picture(self, title: str, figure: Any) -> None:
        text, ok = QtWidgets.QInputDialog.getText(
            self.mode.window, title, "Size in pixels (width x height):", text=DEFAULT_SIZE
        )
        if not ok:
            return
        try:
            size = parse_size(text, "size")
        except ValueError as exc:
            self._error(str(exc))
            return
        path = self._ask_path(title, PICTURE_FILTER, "png")
        if path is None:
            return
        from gui.export.render import png_bytes

        def write() -> None:
            with figure(size) as drawn:
                svg = path.suffix.lower() == ".svg"
                write_bytes(path, drawn.svg() if svg else png_bytes(drawn.image()))

        self._write(path, write)

    def _ask_path(self, title: str, filters: str, ext: str) -> Any:
        return self.mode.window.export_actions.ask_save_path(title, filters, ext)

    def _write(self, path: Any, write: Any) -> None:
        try:
            write()
        except (ExportError, ValueError) as exc:
            self._error(str(exc))
            return
        self.mode.window.statusBar().showMessage(f"Saved {path}", 8000)

    def _error(self, message: str) -> None:
        self.mode.window.show_error(message)
