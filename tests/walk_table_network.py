"""The user walk's rows for the Network mode's entries: the mode switch and the Network menu
(see ``walk_table`` for how rows work). Imported by the walk so that these rows register."""

from __future__ import annotations

import numpy as np
from walk_table import png_size, row

from gui.export.training_data import to_csv
from gui.model.network.landscape import LandscapeJob


def network_page(walk):
    walk.press_named("View › Network")
    assert walk.window.network_mode.active
    return walk.window.network_mode.page


@row("View › Network")
def view_network(walk) -> None:
    window = walk.window
    walk.press()
    mode = window.network_mode
    assert mode.active and mode.network_action.isChecked()
    assert not window.playback_panel.play_action.isEnabled()
    assert mode.menu.menuAction().isVisible()


@row("View › Surfaces")
def view_surfaces(walk) -> None:
    network_page(walk)
    walk.press()
    mode = walk.window.network_mode
    assert not mode.active and mode.surfaces_action.isChecked()
    assert walk.window.playback_panel.play_action.isEnabled()
    assert not mode.menu.menuAction().isVisible()


@row("Network › Compute landscape")
def compute_landscape(walk) -> None:
    page = network_page(walk)
    page.race.advance(30)
    page.landscape.resolution.setValue(9)
    walk.press()
    walk.qtbot.waitUntil(lambda: not page.landscape.running, timeout=30_000)
    truth = LandscapeJob(page.race, resolution=9).run()
    np.testing.assert_allclose(page.landscape.plot.result.loss, truth.loss, rtol=1e-12)


def answer_size(text: str):
    def answer(dialog) -> None:
        dialog.setTextValue(text)
        dialog.accept()

    return answer


@row("Network › Export curves…")
def export_curves(walk) -> None:
    page = network_page(walk)
    page.race.advance(20)
    path = walk.tmp / "curves.png"
    walk.modals.expect(answer_size("400x250"))
    walk.files.save_as(path)
    walk.press()
    assert png_size(path) == (400, 250)


@row("Network › Export landscape…")
def export_landscape(walk) -> None:
    page = network_page(walk)
    page.race.advance(20)
    page.landscape.resolution.setValue(7)
    walk.press_named("Network › Compute landscape")
    walk.qtbot.waitUntil(lambda: not page.landscape.running, timeout=30_000)
    path = walk.tmp / "landscape.png"
    walk.modals.expect(answer_size("320x320"))
    walk.files.save_as(path)
    walk.press()
    assert png_size(path) == (320, 320)


@row("Network › Export training data…")
def export_training_data(walk) -> None:
    page = network_page(walk)
    page.race.advance(15)
    path = walk.tmp / "training.csv"
    walk.files.save_as(path)
    walk.press()
    assert path.read_text() == to_csv(page.race)
