"""Big inputs and a clean exit: memory stays bounded, any window size draws, closing stops all.

A step limit of 10,000,000 is allowed, and a trajectory keeps at most its capacity of points
(131,072 by default, plus a block waiting to be simplified) however long the race, coarsening
its tolerance if it must: checked with a small capacity and a random walk over many steps,
against the closed form of SGD on the book's bowl, and once with the default. The window draws
at 200×150 and at 3840×2160 without a Qt warning. Closing it while it plays or while an
animation export runs stops every timer, leaves no file behind, and the app exits with 0.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import OFFSCREEN_NOISE
from PySide6 import QtCore, QtWidgets

from gui.export.trajectories import to_csv
from gui.model import Session
from gui.model import trajectory as trajectory_module
from gui.model.session import MAX_STEP_LIMIT
from gui.model.trajectory import CAPACITY, FIELDS, Trajectory
from gui.window import MainWindow
from surfaces import SURFACES

ROOT = Path(__file__).resolve().parent.parent
LR = 0.5  # SGD on x²/20 + y²: x_k = -7 (1 - LR/10)^k, y_k = 2 (1 - 2 LR)^k = 0 for k >= 1


def test_a_trajectory_keeps_at_most_its_capacity_and_its_exact_head():
    # A random walk changes the picture at every step: only coarsening can bound it.
    walk = np.cumsum(np.random.default_rng(3).standard_normal((100_000, 2)), axis=0)
    trajectory = Trajectory(capacity=64, tolerance=0.01)
    for step, (x, y) in enumerate(walk.tolist()):
        trajectory.append(step, x, y, 0.0, 1.0)
        # The store, the block that overflowed it, room for the next block, and its raw list.
        assert trajectory.nbytes() <= (64 + 3 * 32 + 2) * (FIELDS + 1) * 8
    steps, data = trajectory.table()
    assert len(steps) <= 64 + 32 and steps[-1] == 99_999 and steps[0] == 0
    np.testing.assert_array_equal(data[:, :2], walk[steps])  # every kept point is its step's
    assert trajectory.tolerance > 0.01  # coarsened, and says so


def test_the_default_capacity_bounds_memory_too():
    trajectory = Trajectory(tolerance=1e-6)
    assert trajectory.capacity == CAPACITY == 131_072
    zigzag = np.random.default_rng(4).standard_normal(3 * CAPACITY)
    for step, y in enumerate(zigzag.tolist()):
        trajectory.append(step, float(step), y, 0.0, 0.0)
    assert trajectory.nbytes() <= (CAPACITY + 3 * 1024 + 2) * (FIELDS + 1) * 8  # 5 MiB a racer
    assert len(trajectory) <= CAPACITY + 1024


def test_a_ten_million_step_race_keeps_memory_bounded(monkeypatch):
    monkeypatch.setattr(trajectory_module, "CAPACITY", 256)  # small: a fast test
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    session.set_step_limit(MAX_STEP_LIMIT)
    assert session.step_limit == 10_000_000
    racers = [session.add_racer("sgd", lr=LR), session.add_racer("adam", lr=0.1)]
    session.advance(20_000)
    for racer in racers:
        run = session.runs[racer.id]
        assert run.step == 20_000 and run.trajectory.nbytes() <= (256 + 3 * 128 + 2) * 40
    steps, data = session.runs[racers[0].id].trajectory.table()
    assert steps[-1] == 20_000 and len(steps) <= 2 * 256
    np.testing.assert_allclose(data[:, 0], -7.0 * (1 - LR / 10) ** steps, rtol=1e-9, atol=1e-300)
    assert to_csv(session).count("\n") == 1 + sum(
        len(session.runs[r.id].trajectory) for r in racers
    )


@pytest.mark.parametrize("size", [(200, 150), (3840, 2160)])
def test_the_window_draws_at_any_size(window, qtbot, quiet, size):
    window.resize(*size)
    window.playback.stop_after(20)
    with qtbot.waitSignal(window.playback.done, timeout=30_000):
        window.playback.play()
    qtbot.wait(20)
    image = window.grab().toImage()
    assert not image.isNull()
    expected = window.size()
    assert (image.width(), image.height()) == (expected.width(), expected.height())
    if size == (3840, 2160):
        assert (expected.width(), expected.height()) == size
    assert not window.map_view.grab().isNull() and not window.loss_view.grab().isNull()


def active_timers(window) -> list[QtCore.QTimer]:
    """Every running timer the window owns, but the status bar's own (it clears a message)."""
    timers = window.findChildren(QtCore.QTimer)
    return [t for t in timers if t.isActive() and not isinstance(t.parent(), QtWidgets.QStatusBar)]


def test_closing_while_playing_stops_every_timer(window, qtbot, quiet):
    window.playback.play()
    qtbot.waitUntil(lambda: window.session.step > 5, timeout=10_000)
    window.close()
    assert not window.playback.playing
    assert active_timers(window) == []
    step = window.session.step
    qtbot.wait(50)
    assert window.session.step == step


def test_closing_during_an_animation_export_cancels_it(window, qtbot, tmp_path, quiet):
    window.session.advance(60)
    runner = window.export_actions.runner
    assert window.export_actions.start_animation(tmp_path / "race.gif", (320, 240), 10, 61, False)
    qtbot.waitUntil(lambda: runner.job is not None and runner.job.done > 0, timeout=10_000)
    window.close()
    assert not runner.busy and active_timers(window) == []
    qtbot.wait(50)
    assert list(tmp_path.iterdir()) == []  # neither the GIF nor its temporary file


def test_quitting_from_the_menu_during_an_export_ends_the_app(qapp, tmp_path, monkeypatch):
    """In the launched app: Ctrl+Q while an animation renders; launch_main returns 0."""
    from gui.launch import launch_main

    original_init = MainWindow.__init__
    seen = {}

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.session.advance(40)
        runner = self.export_actions.runner
        self.export_actions.start_animation(tmp_path / "race.gif", (320, 240), 10, 41, False)

        def quit_when_rendering():
            if runner.job is not None and runner.job.done > 0:
                seen["busy"] = True
                self.file_menu.actions()[-1].trigger()  # Quit
            else:
                QtCore.QTimer.singleShot(1, quit_when_rendering)

        QtCore.QTimer.singleShot(0, quit_when_rendering)
        seen["runner"] = runner

    monkeypatch.setattr(MainWindow, "__init__", init)
    assert launch_main(["--tick-ms", "0", "--no-settings"]) == 0
    assert seen["busy"] and not seen["runner"].timer.isActive()
    QtWidgets.QApplication.processEvents()
    assert list(tmp_path.iterdir()) == []


def test_a_timed_run_in_a_subprocess_exits_zero_and_prints_nothing(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = ["--play", "--quit-after-ticks", "300", "--tick-ms", "0", "--speed", "20"]
    done = subprocess.run(
        [sys.executable, "main.py", *args, "--settings", str(tmp_path / "s.ini")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert [line for line in done.stderr.splitlines() if line not in OFFSCREEN_NOISE] == []
    assert (tmp_path / "s.ini").exists()  # --settings given: the scene is saved on the way out
