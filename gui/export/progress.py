"""An animation rendered in the window: small pieces from a timer, a progress dialog, Cancel.

QWidgets cannot live in threads, so the offscreen figure renders a few frames per timer tick
(about 40 ms of work) and the event loop runs in between: the window stays responsive and the
progress dialog's Cancel button works. Cancel, or any error, removes every trace of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from gui.export.animation import Animation
from gui.export.atomic import ExportError

SLICE = 0.04  # seconds of rendering per tick: well under what a user notices as lag


class AnimationRunner(QtCore.QObject):
    """Runs one :class:`Animation` at a time; ``finished(message, ok, written)`` says how it
    ended (``written`` is the file's path, or "" when nothing was written)."""

    finished = QtCore.Signal(str, bool, str)

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.job: Animation | None = None
        self.progress: QtWidgets.QProgressDialog | None = None
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._on_tick)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, make: Callable[[], Animation], path: Path) -> bool:
        """``make`` builds the animation (it may raise ExportError or ValueError)."""
        if self.busy:
            return False
        try:
            self.job = make()
        except (ExportError, ValueError) as exc:
            self.finished.emit(str(exc), False, "")
            return False
        self.progress = QtWidgets.QProgressDialog(
            f"Rendering {path.name}…", "Cancel", 0, self.job.total, self.parent_widget
        )
        self.progress.setWindowTitle("Export animation")
        self.progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a short GIF finishes before a dialog would flash
        self.progress.setValue(0)
        self.timer.start()
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self._end("Animation cancelled; nothing was written", True)

    def _on_tick(self) -> None:
        job, progress = self.job, self.progress
        if job is None or progress is None:
            self.timer.stop()
            return
        if progress.wasCanceled():
            self.cancel()
            return
        try:
            done = job.advance(SLICE)
        except (ExportError, OSError, ValueError) as exc:
            job.cancel()
            self._end(str(exc), False)
            return
        except Exception as exc:  # a bug: end once, rather than fail again on every tick
            job.cancel()
            self._end(f"{type(exc).__name__}: {exc}", False)
            return
        progress.setValue(job.done)
        if not done:
            return
        try:
            job.finish()  # writes the file atomically, or leaves nothing
        except ExportError as exc:
            self._end(str(exc), False)
            return
        except Exception as exc:
            job.cancel()
            self._end(f"{type(exc).__name__}: {exc}", False)
            return
        self._end(f"Saved {job.pending.target}", True, str(job.pending.target))

    def _end(self, message: str, ok: bool, written: str = "") -> None:
        self.timer.stop()
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
        self.job, self.progress = None, None
        self.finished.emit(message, ok, written)
