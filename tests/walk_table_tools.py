"""The user walk's rows for the basin map, the 3-D view's entries and Add optimizer ▸ PyTorch
(see ``walk_table`` for how rows work). Imported by the walk so that these rows register."""

from __future__ import annotations

import csv
import importlib.util

import numpy as np
import walk_support as ws
from PySide6 import QtCore, QtWidgets
from walk_table import ROWS, png_size, row

from gui.basin_dialog import BasinDialog
from gui.model.basins import basins

# --- Tools ▸ Basin map ----------------------------------------------------------------------


def basin_dialog(walk, grid: int = 10, steps: int = 40) -> BasinDialog:
    walk.press_named("Tools › Basin map…")
    dialog = walk.window.inside.basins.dialog
    walk.qtbot.waitExposed(dialog)
    dialog.grid.setValue(grid)
    dialog.steps.setValue(steps)
    return dialog


def computed(walk) -> BasinDialog:
    dialog = basin_dialog(walk)
    ws.click(dialog.compute_button)
    assert len(dialog.results) == 2
    return dialog


@row("Tools › Basin map…")
def basin_map(walk) -> None:
    walk.press()
    dialog = walk.window.inside.basins.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.chosen() == [r.id for r in walk.window.session.racers[:2]]


@row("BasinDialog › Compute")
def basin_compute(walk) -> None:
    dialog = basin_dialog(walk)
    walk.press()
    session = walk.window.session
    for (rid, _, result), racer in zip(dialog.results, session.racers[:2], strict=True):
        assert rid == racer.id
        assert np.array_equal(result.label, basins(session, racer.id, 10, 40).label)
    assert len(dialog.figure.panels) == 2 and dialog.csv_button.isEnabled()


@row("BasinDialog › Cancel")
def basin_cancel(walk) -> None:
    dialog = basin_dialog(walk, grid=96, steps=3000)
    QtCore.QTimer.singleShot(0, walk.press)  # pressed while the first racer is being mapped
    ws.click(dialog.compute_button)
    assert dialog.results == [] and "Cancelled" in dialog.message.text()


@row("BasinDialog › Export CSV…")
def basin_csv(walk) -> None:
    dialog = computed(walk)
    path = walk.tmp / "basins.csv"
    walk.files.save_as(path)
    walk.press()
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 * 10 * 10
    first = dialog.results[0][2]
    assert float(rows[13]["x_end"]) == first.final[1, 3, 0]  # row-major: j = 1, i = 3
    assert int(rows[13]["basin"]) == first.label[1, 3]


@row("BasinDialog › Export PNG…")
def basin_png(walk) -> None:
    dialog = computed(walk)
    path = walk.tmp / "basins.png"
    walk.files.save_as(path)
    walk.press()
    assert png_size(path) == dialog.size_combo.currentData()


@row("BasinDialog › Lay the first map over the main map")
def basin_overlay_box(walk) -> None:
    dialog = computed(walk)
    overlay = walk.window.inside.basins.overlay
    walk.press()
    assert overlay.shown and walk.window.inside.basins.overlay_action.isChecked()
    assert np.array_equal(overlay.image.image, dialog.figure.panels[0].image.image)
    walk.press()
    assert not overlay.shown


@row("Tools › Basin map over the map")
def basin_overlay_action(walk) -> None:
    walk.press()  # before any map: it opens the dialog, ticked, with nothing to lay yet
    dialog = walk.window.inside.basins.dialog
    overlay = walk.window.inside.basins.overlay
    assert dialog.isVisible() and dialog.overlay_box.isChecked() and not overlay.shown
    dialog.grid.setValue(10)
    dialog.steps.setValue(40)
    ws.click(dialog.compute_button)
    assert overlay.shown
    walk.press()
    assert not overlay.shown and not dialog.overlay_box.isChecked()


# --- the 3-D view: offscreen there is no OpenGL -----------------------------------------------


def no_gl(walk) -> None:
    """Offscreen (as the walk runs) no OpenGL context exists: the entry is disabled and says
    why, and pressing it changes nothing. tests/test_view3d_gl.py presses them under Xvfb."""
    action = walk.find(walk.name)
    assert not action.isEnabled() and "OpenGL" in action.toolTip()
    dialogs = set(map(ws.ptr, walk.window.findChildren(QtWidgets.QDialog)))
    walk.press()
    assert set(map(ws.ptr, walk.window.findChildren(QtWidgets.QDialog))) == dialogs
    assert walk.window.view3d.view is None


for _name in (
    "View › 3-D view",
    "View › 3-D in place of the map",
    "View › Map and 3-D side by side",
    "File › Save 3-D Screenshot…",
    "File › Export 3-D Orbit…",
):
    ROWS[_name] = no_gl


def open_dialog(walk, name: str):
    dialog = ws.dialog_classes()[name](walk.window, (400, 300))
    dialog.show()
    walk.qtbot.waitExposed(dialog)
    return dialog


def accepts(name: str, button: str, accepted: bool):
    def check(walk) -> None:
        dialog = open_dialog(walk, name)
        walk.press()
        assert not dialog.isVisible()
        assert dialog.result() == (1 if accepted else 0)

    return check


for _dialog in ("Screenshot3DDialog", "Orbit3DDialog"):
    ROWS[f"{_dialog} › OK"] = accepts(_dialog, "OK", True)
    ROWS[f"{_dialog} › Cancel"] = accepts(_dialog, "Cancel", False)


@row("Screenshot3DDialog › Title")
def screenshot3d_title(walk) -> None:
    dialog = open_dialog(walk, "Screenshot3DDialog")
    assert dialog.title.isChecked()
    walk.press()
    assert not dialog.title.isChecked()


# --- Add optimizer ▸ PyTorch ----------------------------------------------------------------

TORCH = importlib.util.find_spec("torch") is not None


@row("RacerPanel › Add optimizer › PyTorch › PyTorch's optimizers")
def torch_status(walk) -> None:
    action = walk.find(walk.name)
    assert not action.isEnabled()  # a status line, not a command
    said = "read when this menu opens" if TORCH else "pip install '.[torch]'"
    assert said in action.text()


@row("RacerPanel › Add optimizer › PyTorch › Add by path…")
def torch_by_path(walk) -> None:
    action = walk.find(walk.name)
    if not TORCH:
        assert not action.isEnabled()
        return
    (walk.tmp / "walk_opts.py").write_text(
        "import torch\n\nclass Mine(torch.optim.SGD):\n    pass\n"
    )
    walk.monkeypatch.syspath_prepend(str(walk.tmp))
    walk.monkeypatch.setattr(
        QtWidgets.QInputDialog, "getText", staticmethod(lambda *a, **k: ("walk_opts:Mine", True))
    )
    walk.press()
    assert walk.window.session.racers[-1].optimizer == "walk_opts.Mine"
