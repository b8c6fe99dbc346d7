"""Add optimizer ▸ PyTorch: every optimizer of torch.optim, pytorch_optimizer and
torch_optimizer that is installed, and *Add by path…* for a user's own class.

Importing torch and the libraries takes seconds, so the lists are read in a worker thread the
first time the menu opens (the thread touches no Qt object; a timer picks the result up) while
the menu says it is loading. Without torch the menu says how to get it."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

from optimizers import torch_bridge

LIBRARIES = torch_bridge.KNOWN
POLL_MS = 50


class TorchMenu(QtWidgets.QMenu):
    """Emits ``chosen(key)`` for a class picked from the lists or typed by path."""

    chosen = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("PyTorch", parent)
        self.lists: dict[str, list[str]] | None = None
        self.submenus: dict[str, QtWidgets.QMenu] = {}
        self.failure: str | None = None
        self._thread: threading.Thread | None = None
        self._poll = QtCore.QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self.path_action = self.addAction("Add by path…")
        self.path_action.setToolTip("Your own class, e.g. mypackage.opt:MyOpt")
        self.path_action.triggered.connect(self._on_path_triggered)
        self.addSeparator()
        self.status = self.addAction("")
        self.status.setEnabled(False)
        if torch_bridge.torch_installed():
            self.status.setText("PyTorch's optimizers (read when this menu opens)")
            self.aboutToShow.connect(self.load)
        else:
            self.status.setText("PyTorch's optimizers (not installed: pip install '.[torch]')")
            self.path_action.setEnabled(False)
        self.triggered.connect(self._on_triggered)

    def load(self, read: Callable[[str], list[str]] = torch_bridge.listed) -> None:
        """Start reading the lists (once)."""
        if self._thread is not None:
            return
        self.status.setText("PyTorch's optimizers (loading…)")
        self._thread = threading.Thread(target=self._read, args=(read,), daemon=True)
        self._thread.start()
        self._poll.start()

    def wait(self, timeout: float = 120.0) -> None:
        """Block until the lists are read and shown (for the command line and tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
        self._on_poll()

    def _read(self, read: Callable[[str], list[str]]) -> None:
        lists: dict[str, list[str]] = {}
        try:
            for module in LIBRARIES:
                if importlib.util.find_spec(module.split(".")[0]) is not None:
                    lists[module] = read(module)
        except Exception as exc:  # a broken install is reported in the menu, not raised
            self.failure = f"PyTorch's optimizers (could not be listed: {exc})"
        self.lists = lists

    def _on_poll(self) -> None:
        if self.lists is None and self.failure is None:
            return
        self._poll.stop()
        if self.failure is not None:
            self.status.setText(self.failure)
            return
        self.removeAction(self.status)
        for module, keys in (self.lists or {}).items():
            sub = self.submenus[module] = QtWidgets.QMenu(module, self)
            self.addMenu(sub)
            for key in keys:
                sub.addAction(key.rsplit(".", 1)[1]).setData(key)

    def _on_triggered(self, action) -> None:
        key = action.data()
        if isinstance(key, str) and key:
            self.chosen.emit(key)

    def _on_path_triggered(self, checked: bool = False) -> None:
        path, ok = QtWidgets.QInputDialog.getText(
            self.parentWidget(),
            "Add a PyTorch optimizer",
            "Dotted path to a torch.optim.Optimizer class (importing it runs its module):",
            text="mypackage.opt:MyOpt",
        )
        if ok and path.strip():
            key = torch_bridge.normalise(path)
            torch_bridge.allow_import(key.rpartition(".")[0])  # the user asked for this module
            self.chosen.emit(key)
