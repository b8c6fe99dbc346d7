"""The Network mode, driven the way a user drives it: menu actions, keys, clicks on buttons."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from gui.model.network import NetworkRace
from gui.model.network.boundary import grid_axes
from gui.model.network.landscape import LandscapeJob
from gui.model.network.presets import NETWORK_PRESETS
from gui.model.scene.network import build_race, network_entry
from gui.network.boundaries_view import region_colors

ROOT = Path(__file__).resolve().parent.parent
CTRL = QtCore.Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(window, qtbot):
    """The window in Network mode (reached with Ctrl+2), on the spiral preset."""
    window.activateWindow()  # shortcuts go to the active window; earlier tests' may linger
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window)
    QTest.keyClick(window, QtCore.Qt.Key.Key_2, CTRL)
    assert window.network_mode.active
    return window.network_mode.page


def click(widget):
    QTest.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton)


def load_preset(page, key):
    page.setup_panel.preset.setCurrentIndex(page.setup_panel.preset.findData(key))
    click(page.setup_panel.load_preset)


def test_switching_modes_swaps_pages_and_playback_keys(window, qtbot):
    mode = window.network_mode
    map_play = window.playback_panel.play_action
    mode.network_action.trigger()
    page = mode.page
    assert mode.stack.currentWidget() is page
    assert not map_play.isEnabled() and page.playback_panel.play_action.isEnabled()
    QTest.keyClick(window, QtCore.Qt.Key.Key_Space)  # Space plays the network, not the map
    assert page.playback.playing and not window.playback.playing
    QTest.keyClick(window, QtCore.Qt.Key.Key_1, CTRL)
    assert mode.stack.currentWidget() is not page and not page.playback.playing
    assert map_play.isEnabled() and not page.playback_panel.play_action.isEnabled()
    assert mode.surfaces_action.isChecked()


def test_choosing_a_preset_shows_its_race(page):
    load_preset(page, "xor-learning-rate")
    preset = NETWORK_PRESETS["xor-learning-rate"].section
    assert page.race.data.key == "xor"
    assert [r.label for r in page.race.racers] == [e["label"] for e in preset["racers"]]
    assert sorted(page.racer_panel.boxes) == [r.id for r in page.race.racers]
    assert page.setup_panel.hidden.text() == "16,16"


def test_play_advances_every_racer(page, qtbot):
    page.playback_panel.speed.setValue(3)
    page.playback_panel.play_action.trigger()
    qtbot.waitUntil(lambda: page.playback.ticks >= 4, timeout=20_000)
    page.playback_panel.play_action.trigger()
    race = page.race
    assert not page.playback.playing and race.iteration >= 4
    assert all(race.runs[r.id].iteration == race.iteration for r in race.racers)
    assert all(race.runs[r.id].losses.count == race.iteration for r in race.racers)


def test_a_slider_restarts_its_racer_which_catches_up_in_slices(page, qtbot):
    race = page.race
    race.advance(240)
    sgd = race.racers[0]
    box = page.racer_panel.boxes[sgd.id]
    before = page.playback.slices
    box.sliders["lr"].spin.setValue(0.05)  # the slider's own number box, as typed
    assert race.racer(sgd.id).hyper["lr"] == pytest.approx(0.05)
    assert race.runs[sgd.id].iteration < race.iteration  # restarted, not re-trained at once
    qtbot.waitUntil(lambda: race.owed == 0, timeout=30_000)
    slices = page.playback.slices - before
    assert slices >= 240 // 50  # at most MAX_CATCH_UP iterations per slice
    # The same race trained in one go, without a window: the same numbers, bit for bit.
    fresh = build_race(json.loads(json.dumps(network_entry(race))))
    assert fresh.iteration == 240
    for r, f in zip(race.racers, fresh.racers, strict=True):
        assert np.array_equal(race.runs[r.id].losses.values, fresh.runs[f.id].losses.values)
        assert np.array_equal(race.runs[r.id].weights, fresh.runs[f.id].weights)


def _forward_classes(params, xs, ys):
    """The class a ReLU network predicts, by a forward pass written out here."""
    gx, gy = np.meshgrid(xs, ys)
    h = np.column_stack([gx.ravel(), gy.ravel()])
    layers = len(params) // 2
    for i in range(1, layers + 1):
        h = h @ params[f"W{i}"] + params[f"b{i}"]
        if i < layers:
            h = np.maximum(h, 0)
    return np.argmax(h, axis=1).reshape(gx.shape)


def test_decision_regions_are_the_networks_own_predictions(page, qtbot):
    page.playback_panel.step_action.trigger()
    race = page.race
    race.advance(60)
    page.playback_panel.step_action.trigger()  # a step refreshes every panel
    view = page.boundaries
    xs, ys = grid_axes(race.data, len(view.xs))
    colors = region_colors(race.data.classes)
    for racer in race.racers:
        truth = _forward_classes(race.runs[racer.id].net.params, xs, ys)
        assert len(np.unique(truth)) > 1
        shown = view.panels[racer.id].image.image  # [x, y, rgba]
        assert np.array_equal(shown, colors[truth].transpose(1, 0, 2))


def test_landscape_from_the_button_equals_the_models_run(page, qtbot):
    page.race.advance(80)
    page.tabs.setCurrentWidget(page.landscape)
    page.landscape.resolution.setValue(21)
    click(page.landscape.compute)
    qtbot.waitUntil(lambda: not page.landscape.running, timeout=30_000)
    shown = page.landscape.plot.result
    truth = LandscapeJob(page.race, center=None, method="pca", resolution=21).run()
    np.testing.assert_allclose(shown.loss, truth.loss, rtol=1e-12, atol=0)
    assert page.landscape.progress.value() == 100
    for rid, path in truth.paths.items():
        np.testing.assert_allclose(shown.paths[rid], path, rtol=1e-12)
    assert len(page.landscape.plot.paths) == 2 * len(page.race.racers)


def test_cancel_stops_the_landscape(page, qtbot):
    page.race.advance(30)
    page.tabs.setCurrentWidget(page.landscape)
    page.landscape.resolution.setValue(301)
    click(page.landscape.compute)
    qtbot.waitUntil(lambda: page.landscape.slices >= 1, timeout=10_000)
    click(page.landscape.cancel)
    job = page.landscape.job
    done = job.done
    assert job.cancelled and not page.landscape.running and done < job.total
    QTest.qWait(50)
    assert job.done == done and page.landscape.compute.isEnabled()
    assert page.landscape.plot.result is None


def test_missing_mnist_is_one_line_in_the_panel(page, tmp_path):
    race = page.race
    panel = page.setup_panel
    panel.dataset.setCurrentIndex(panel.dataset.findData("mnist"))
    panel.mnist_path.setText(str(tmp_path))
    click(panel.apply)
    assert panel.error.isVisible() and "\n" not in panel.error.text()
    assert "MNIST" in panel.error.text() or "mnist" in panel.error.text()
    assert page.race is race and race.data.key == "spirals"


def test_session_round_trip_through_the_file_menu(window, page, tmp_path, monkeypatch, qtbot):
    load_preset(page, "xor-learning-rate")
    page.race.advance(70)
    saved = page.race
    path = tmp_path / "net.json"
    dialog = QtWidgets.QFileDialog
    monkeypatch.setattr(dialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(dialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.export_actions.actions["Save Session As"].trigger()
    assert json.loads(path.read_text())["network"]["iteration"] == 70
    load_preset(page, "spirals-book-defaults")
    window.export_actions.actions["Open Session"].trigger()
    race = page.race
    assert race is not saved and race.data.key == "xor" and race.iteration == 70
    qtbot.waitUntil(lambda: race.owed == 0, timeout=30_000)
    for a, b in zip(saved.racers, race.racers, strict=True):
        assert a.label == b.label
        assert np.array_equal(saved.runs[a.id].losses.values, race.runs[b.id].losses.values)


def test_train_landscape_writes_a_png_of_the_asked_size(tmp_path):
    out = tmp_path / "land.png"
    done = subprocess.run(
        [sys.executable, "main.py", "train", "--preset", "xor-learning-rate", "--iterations",
         "40", "--landscape", "pca", "--grid", "11", "--size", "640x420", "--output", str(out)],
        cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (640, 420)


def test_race_model_is_not_replaced_by_a_failed_preset(page):
    race = page.race
    load_preset(page, "book-fig6-9")  # MNIST with no folder named
    assert page.race is race and page.setup_panel.error.isVisible()
    assert isinstance(page.race, NetworkRace)


def test_network_menu_exports_curves_landscape_and_data(window, page, tmp_path, monkeypatch, qtbot):
    from gui.export.training_data import to_csv

    page.race.advance(40)
    exports = window.network_mode.exports
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("480x300", True))
    target = {}
    monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a: target["path"])
    assert window.network_mode.menu.menuAction().isVisible()
    target["path"] = tmp_path / "curves.png"
    exports.curves_action.trigger()
    data = target["path"].read_bytes()
    assert struct.unpack(">II", data[16:24]) == (480, 300)
    target["path"] = tmp_path / "land.svg"
    exports.landscape_action.trigger()  # none computed yet: a message, no file
    assert not target["path"].exists() and "Compute a landscape" in window.banner.label.text()
    page.landscape.resolution.setValue(9)
    exports.compute_action.trigger()
    qtbot.waitUntil(lambda: not page.landscape.running, timeout=30_000)
    exports.landscape_action.trigger()
    assert b"<svg" in target["path"].read_bytes()[:400]
    target["path"] = tmp_path / "data.csv"
    exports.data_action.trigger()
    assert target["path"].read_text() == to_csv(page.race)
