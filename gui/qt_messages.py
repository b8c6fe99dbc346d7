"""Qt's own console messages: drop the few known to be harmless, pass every other one on."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6 import QtCore

# Said by the offscreen platform whenever a window is shown: true of the platform, not a fault.
HARMLESS = frozenset({"This plugin does not support propagateSizeHints()"})

Handler = Callable[[QtCore.QtMsgType, QtCore.QMessageLogContext, str], None]


def filtered(previous: Handler | None) -> Handler:
    """A handler that drops ``HARMLESS`` messages and hands the rest to ``previous`` (a test
    harness's, say), or writes them to stderr the way Qt's default handler does."""

    def handle(mode: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
        if message in HARMLESS:
            return
        if previous is not None:
            previous(mode, context, message)
            return
        category = getattr(context, "category", None)
        prefix = f"{category}: " if category and category != "default" else ""
        print(f"{prefix}{message}", file=sys.stderr, flush=True)

    return handle


def install() -> Handler | None:
    """Filter Qt's messages from now on; returns the handler that was there before."""
    previous = QtCore.qInstallMessageHandler(None)
    QtCore.qInstallMessageHandler(filtered(previous))
    return previous


@contextmanager
def harmless_messages_dropped() -> Iterator[None]:
    """Filter Qt's messages inside the block, then put the previous handler back."""
    previous = install()
    try:
        yield
    finally:
        QtCore.qInstallMessageHandler(previous)
