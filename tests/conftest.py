import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

# Without a display and without this, Qt aborts the whole pytest process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The offscreen platform's own remark whenever a window is shown: not the app's doing.
OFFSCREEN_NOISE = frozenset({"This plugin does not support propagateSizeHints()"})

# CI sets this after installing every optional peer: a missing one is then a failure, since a
# skip would hide that nothing was compared.
REQUIRE_PEERS = os.environ.get("PLAYGROUND_REQUIRE_PEERS") == "1"


def peer(module: str, reason: str) -> ModuleType:
    """The optional peer ``module`` (torch, …), or a skip with ``reason`` when it is missing.

    With ``PLAYGROUND_REQUIRE_PEERS=1`` a missing peer fails instead. Usable at module level
    (a whole file needs the peer) or inside a test.
    """
    __tracebackhide__ = True  # a skip or failure is reported at the caller's line, not here
    if not REQUIRE_PEERS:
        return pytest.importorskip(module, reason=reason)
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"PLAYGROUND_REQUIRE_PEERS=1 but {module} is missing ({exc})", pytrace=False)


@pytest.fixture
def quiet(capfd, qtlog):
    """Fails the test if it printed anything, or Qt logged anything but offscreen noise."""
    yield
    assert capfd.readouterr() == ("", "")
    assert [r.message for r in qtlog.records if r.message not in OFFSCREEN_NOISE] == []


@pytest.fixture
def show_window(qtbot):
    """Opens a hermetic main window (no settings store, timer at 0 ms) on a session."""
    from gui.model import book_scene
    from gui.window import MainWindow

    def show(session=None, size=None):
        win = MainWindow(session if session is not None else book_scene(), store=None, tick_ms=0)
        qtbot.addWidget(win)
        if size is not None:
            win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        return win

    return show


@pytest.fixture
def window(show_window):
    """The book's scene in a hermetic main window."""
    return show_window()


def _share_gl_contexts() -> None:
    """As the app does before its QApplication exists (pytest-qt makes it later, on first use):
    the 3-D views share their compiled OpenGL programs."""
    from PySide6 import QtCore

    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


_share_gl_contexts()
