"""The window's export and session actions: File menu entries and a Presets menu.

The window calls :func:`install` once. Everything here reads the window's session (and the map's
visible range), never the widgets' pixels: pictures come from an offscreen copy of the map at the
size asked for. File dialogs start in the last folder used (kept in the window's settings store).
Errors become one message in the window; nothing half-written is ever left behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from gui.export import render
from gui.export.animation import Animation, mp4_available
from gui.export.atomic import ExportError, write_bytes, write_text
from gui.export.dialogs import AnimationDialog, ImageDialog
from gui.export.names import default_name, unused
from gui.export.progress import AnimationRunner
from gui.export.trajectories import to_csv, to_json
from gui.model import scene
from gui.model.presets import PRESETS

FOLDER_KEY = "export/folder"
SESSION_FILTER = "Optimizer Playground session (*.json)"


def install(window: Any) -> ExportActions:
    """Add export and session actions to ``window``'s menus; the window calls this once."""
    window.export_actions = ExportActions(window)
    return window.export_actions


class ExportActions(QtCore.QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.runner = AnimationRunner(window)
        self.runner.finished.connect(self._on_animation_finished)
        store = getattr(window, "store", None)
        self.settings = (
            store.qsettings
            if store is not None
            else QtCore.QSettings("OptimizerPlayground", "optimizer-playground")
        )
        self._waiting: Any = None  # an export asked for during a re-simulation
        self._listening = False
        self._build_menus()
        closed = getattr(window, "closed", None)
        if closed is not None:
            closed.connect(self._stop_waiting)

    # --- menus ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        menu: QtWidgets.QMenu = self.window.file_menu
        first = menu.actions()[0] if menu.actions() else None  # ours go above Quit
        entries = [
            ("&Open Session…", "Ctrl+O", self.open_session),
            ("Save Session &As…", "Ctrl+Shift+S", self.save_session),
            None,
            ("&Save Screenshot", "Ctrl+S", self.quick_save),
            ("Export &Image…", "Ctrl+E", self.export_image),
            ("&Copy Image", "Ctrl+Shift+C", self.copy_image),
            ("Export &Animation…", None, self.export_animation),
            ("Export &Trajectories…", None, self.export_trajectories),
            None,
        ]
        self.actions: dict[str, QtGui.QAction] = {}
        for entry in entries:
            if entry is None:
                if first:
                    menu.insertSeparator(first)
                else:
                    menu.addSeparator()
                continue
            text, keys, slot = entry
            action = QtGui.QAction(text, self.window)
            if keys:
                action.setShortcut(QtGui.QKeySequence(keys))
            if slot in self._settled_slots():
                slot = self._when_settled(slot)
            action.triggered.connect(lambda _=False, slot=slot: slot())
            if first:
                menu.insertAction(first, action)
            else:
                menu.addAction(action)
            self.actions[text.replace("&", "").rstrip("…")] = action
        presets = QtWidgets.QMenu("&Presets", self.window)
        for preset in PRESETS.values():
            action = presets.addAction(preset.title)
            action.setStatusTip(preset.explanation)
            action.triggered.connect(lambda _=False, key=preset.key: self.load_preset(key))
        bar = self.window.menuBar()
        after = menu.menuAction()
        following = bar.actions()[bar.actions().index(after) + 1 :]
        if following:
            bar.insertMenu(following[0], presets)
        else:
            bar.addMenu(presets)
        self.presets_menu = presets

    def _settled_slots(self) -> tuple:
        return (
            self.quick_save,
            self.export_image,
            self.copy_image,
            self.export_animation,
            self.export_trajectories,
        )

    def _when_settled(self, slot: Any) -> Any:
        """``slot``, run at once, or — while racers are still re-simulating — as soon as they are
        done: an export shows finished runs, and waiting for them keeps the window live."""

        def run() -> None:
            if not self.session.busy:
                slot()
                return
            self._status("The export waits for the re-simulation to finish…", 0)
            self._waiting = slot
            if not self._listening:
                self._listening = True
                self.session.events.connect(self._on_waiting_event)

        return run

    def _on_waiting_event(self, kind: str, racer_id: int | None) -> None:
        if self.session.busy:
            return
        slot = self._waiting
        self._stop_waiting()
        if slot is not None:
            self.window.statusBar().clearMessage()
            QtCore.QTimer.singleShot(0, self, slot)

    def _stop_waiting(self) -> None:
        """Forget a waiting export (the window closed, or it is about to run)."""
        self._waiting = None
        if self._listening:
            self._listening = False
            self.session.events.disconnect(self._on_waiting_event)

    # --- pictures ---------------------------------------------------------------------------

    def quick_save(self) -> Path | None:
        """Ctrl+S: a PNG at twice the map's size, named for the scene, into the last folder
        (the first time, a dialog asks where)."""
        folder = self.last_folder()
        if folder is None:
            path = self.ask_save_path("Save screenshot", "PNG image (*.png)", "png")
        else:
            path = unused(folder / default_name(self.session, "png"))
        if path is None:
            return None
        return self._save_picture(path, self._window_size(2), with_loss=False, title=True)

    def export_image(self) -> Path | None:
        dialog = ImageDialog(self.window, self._window_size(1))
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
        path = self.ask_save_path("Export image", "PNG image (*.png);;SVG drawing (*.svg)", "png")
        if path is None:
            return None
        size = dialog.sizes.size()
        return self._save_picture(
            path,
            size,
            dialog.with_loss.isChecked(),
            dialog.title.isChecked(),
            dialog.overlays.isChecked(),
        )

    def copy_image(self) -> None:
        try:
            with self._figure(self._window_size(2), with_loss=False, title=True) as figure:
                QtWidgets.QApplication.clipboard().setImage(figure.image())
        except (ExportError, ValueError) as exc:
            self._error(str(exc))
            return
        self._status("Copied the map to the clipboard")

    def _save_picture(
        self,
        path: Path,
        size: tuple[int, int],
        with_loss: bool,
        title: bool,
        overlays: bool = True,
    ) -> Path | None:
        try:
            with self._figure(size, with_loss, title, overlays) as figure:
                if path.suffix.lower() == ".svg":
                    write_bytes(path, figure.svg())
                else:
                    render.save_png(figure.image(), path)
        except (ExportError, ValueError) as exc:
            self._error(str(exc))
            return None
        self._remember(path)
        self._status(f"Saved {path}")
        return path

    def _figure(
        self, size: tuple[int, int], with_loss: bool, title: bool, overlays: bool = True
    ) -> render.Figure:
        """An offscreen copy of the map as it is drawn on screen (colour map, contours, the
        glyphs and field that are on, unless ``overlays`` is False), at ``size``."""
        caption = render.caption(self.session) if title else None
        look = self.window.map_view.look(overlays)
        view = self.view_range()
        return render.Figure(self.session, size, with_loss, view, caption, look=look)

    # --- animation --------------------------------------------------------------------------

    def export_animation(self) -> None:
        if self.runner.busy:
            return
        dialog = AnimationDialog(self.window, self._window_size(1), self.session.step)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        filters = "GIF animation (*.gif)" + (";;MP4 video (*.mp4)" if mp4_available() else "")
        path = self.ask_save_path("Export animation", filters, "gif")
        if path is not None:
            self.start_animation(
                path,
                dialog.sizes.size(),
                dialog.fps.value(),
                dialog.frames.value(),
                dialog.with_loss.isChecked(),
            )

    def start_animation(
        self, path: Path, size: tuple[int, int], fps: float, frames: int, with_loss: bool
    ) -> bool:
        view, look = self.view_range(), self.window.map_view.look()
        return self.runner.start(
            lambda: Animation(self.session, str(path), size, fps, frames, with_loss, view, look),
            path,
        )

    def _on_animation_finished(self, message: str, ok: bool, written: str) -> None:
        if written:
            self._remember(Path(written))
        if ok:
            self._status(message)
        else:
            self._error(message)

    # --- data and sessions ------------------------------------------------------------------

    def export_trajectories(self) -> Path | None:
        path = self.ask_save_path("Export trajectories", "CSV table (*.csv);;JSON (*.json)", "csv")
        if path is None:
            return None
        text = to_json(self.session) if path.suffix.lower() == ".json" else to_csv(self.session)
        return self._write(path, text)

    def save_session(self) -> Path | None:
        path = self.ask_save_path("Save session", SESSION_FILTER, "json")
        if path is None:
            return None
        colormap = self.window.map_view.colormap
        race = self._network().scene_race() if self._network() else None
        data = scene.to_scene(self.session, self.view_range(), colormap=colormap, race=race)
        return self._write(path, scene.dumps(data))

    def _network(self) -> Any:
        return getattr(self.window, "network_mode", None)

    def open_session(self) -> bool:
        folder = str(self.last_folder() or Path.home())
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "Open session", folder, SESSION_FILTER
        )
        return bool(name) and self.open_session_file(Path(name))

    def open_session_file(self, path: Path) -> bool:
        try:
            self._apply(scene.read(path))
        except scene.SceneError as exc:
            self._error(f"Could not open {path.name}: {exc}")
            return False
        self._remember(path)
        self._clear_error()  # a banner about an earlier file must not outlive this success
        self._status(f"Opened {path}")
        return True

    def load_preset(self, key: str) -> None:
        preset = PRESETS[key]
        try:
            self._apply(preset.scene)
        except scene.SceneError as exc:  # a preset that fails is a bug; say so, do not crash
            self._error(f"Preset {preset.title}: {exc}")
            return
        self._clear_error()
        self._status(f"{preset.title}: {preset.explanation}", 30_000)

    def _apply(self, data: dict[str, Any]) -> None:
        playback = getattr(self.window, "playback", None)
        if playback is not None:
            playback.pause()
        view = scene.apply(self.session, data)  # builds a trial first: a bad scene changes nothing
        colormap = data.get("colormap")  # checked by apply, which raises on a bad one
        if colormap is not None:
            self.window.map_view.set_colormap(colormap)
        if view is not None:
            xmin, xmax, ymin, ymax = view
            self.window.map_view.view_box.setRange(
                xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0
            )
        else:
            self.window.map_view.reset_view()
        loss = getattr(self.window, "loss_view", None)
        if loss is not None and hasattr(loss, "reset_view"):
            loss.reset_view()
        if self._network() is not None and "network" in data:
            self._network().apply_scene(scene.validate(data))

    def _write(self, path: Path, text: str) -> Path | None:
        try:
            write_text(path, text)
        except ExportError as exc:
            self._error(str(exc))
            return None
        self._remember(path)
        self._status(f"Saved {path}")
        return path

    # --- helpers ----------------------------------------------------------------------------

    @property
    def session(self) -> Any:
        return self.window.session

    def view_range(self) -> list[float]:
        (xmin, xmax), (ymin, ymax) = self.window.map_view.view_box.viewRange()
        return [float(xmin), float(xmax), float(ymin), float(ymax)]

    def _window_size(self, factor: int) -> tuple[int, int]:
        size = self.window.map_view.size()
        return max(16, factor * size.width()), max(16, factor * size.height())

    def ask_save_path(self, title: str, filters: str, default_ext: str) -> Path | None:
        """A file dialog in the last folder, proposing a name that says what is in the file."""
        folder = self.last_folder() or Path.home()
        proposed = str(folder / default_name(self.session, default_ext))
        name, chosen = QtWidgets.QFileDialog.getSaveFileName(self.window, title, proposed, filters)
        if not name:
            return None
        path = Path(name)
        if not path.suffix:  # the filter says which format was meant
            path = path.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
        return path

    def last_folder(self) -> Path | None:
        value = self.settings.value(FOLDER_KEY)
        folder = Path(value) if isinstance(value, str) and value else None
        return folder if folder is not None and folder.is_dir() else None

    def _remember(self, path: Path) -> None:
        self.settings.setValue(FOLDER_KEY, str(Path(path).resolve().parent))

    def _status(self, message: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def _clear_error(self) -> None:
        if hasattr(self.window, "clear_error"):
            self.window.clear_error()

    def _error(self, message: str) -> None:
        if hasattr(self.window, "show_error"):
            self.window.show_error(message)
        else:
            QtWidgets.QMessageBox.warning(self.window, "Optimizer Playground", message)
