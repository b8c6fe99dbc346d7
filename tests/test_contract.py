"""Layering: optimizers, surfaces and the session model load without Qt or pyqtgraph."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_layers_never_import_qt():
    code = (
        "import sys, optimizers, surfaces, gui.model\n"
        "gui.model.book_scene().advance(10)\n"
        "import gui.model.network, gui.model.scene.network, surfaces.datasets\n"
        "race = gui.model.network.NetworkRace()\n"
        "race.add_racer('adam')\n"
        "race.advance(3)\n"
        "qt = ('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'shiboken6')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in qt)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
