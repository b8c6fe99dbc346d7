"""Noise and schedule in each racer's box: widgets → racer, racer → widgets, and through a saved
session file into a fresh window."""

import numpy as np
import pytest
from PySide6 import QtCore

from gui.model import book_scene
from gui.model.schedules import SCHEDULES
from gui.window import MainWindow


def make_window(qtbot):
    win = MainWindow(book_scene(), store=None, tick_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot):
    return make_window(qtbot)


def box_of(window, index):
    racer = window.session.racers[index]
    return racer, window.racer_panel.boxes[racer.id]


def test_more_button_folds_the_extras(window):
    _, box = box_of(window, 0)
    assert not box.extras.isVisible()
    box.more.click()
    assert box.extras.isVisible()
    box.more.click()
    assert not box.extras.isVisible()


def test_noise_and_seed_widgets_set_the_racer_and_follow_it(window):
    racer, box = box_of(window, 1)
    box.more.click()
    box.extras.noise.spin.setValue(0.5)
    assert racer.noise == 0.5
    box.extras.seed.setValue(42)
    assert (racer.noise, racer.seed) == (0.5, 42)
    assert box.more.text() == "Less"  # open: the button folds the extras away
    box.more.click()
    assert "noise 0.5" in box.more.text()  # folded: it says what is set inside
    box.more.click()
    # The slider's far left means no noise at all.
    box.extras.noise.slider.setValue(0)
    assert racer.noise == 0.0
    # Model → widgets.
    window.session.set_noise(racer.id, 2.5, 7)
    assert box.extras.noise.value() == 2.5 and box.extras.seed.value() == 7
    assert box.extras.noise.slider.value() > 0


def test_schedule_widgets_set_the_racer_and_follow_it(window):
    racer, box = box_of(window, 3)
    extras = box.extras
    box.more.click()
    assert not extras.curve_plot.isVisible()  # nothing to plot for a constant rate
    extras.schedule.setCurrentIndex(extras.schedule.findData("cosine"))
    assert racer.schedule == {"key": "cosine", "params": SCHEDULES["cosine"].checked({})}
    assert set(extras.params) == {h.name for h in SCHEDULES["cosine"].params}
    extras.params["steps"].spin.setValue(300)
    assert racer.schedule["params"]["steps"] == 300.0
    assert extras.curve_plot.isVisible()
    t, lr = extras.curve.getData()
    want = racer.hyper["lr"] * SCHEDULES["cosine"].factor(t, **racer.schedule["params"])
    assert lr == pytest.approx(want) and t[0] == 0 and t[-1] == window.session.step_limit
    # Model → widgets, including the parameter rows of a different schedule.
    window.session.set_schedule(racer.id, "step", step_size=40, gamma=0.25)
    assert extras.schedule.currentData() == "step"
    assert extras.params["step_size"].value() == 40 and extras.params["gamma"].value() == 0.25
    assert "steps" not in extras.params
    window.session.set_schedule(racer.id, "constant")
    assert extras.params == {} and not extras.curve_plot.isVisible()


def test_a_refused_schedule_value_leaves_the_racer_unchanged(window):
    racer, box = box_of(window, 0)
    window.session.set_schedule(racer.id, "exponential")
    row = box.extras.params["gamma"]
    before = dict(racer.schedule["params"])
    row.changed.emit("gamma", 1.5)  # beyond the declared maximum of 1
    assert racer.schedule["params"] == before and row.value() == before["gamma"]


def test_noise_seed_and_schedule_survive_a_saved_session(qtbot, window, tmp_path, monkeypatch):
    racer, box = box_of(window, 2)
    box.more.click()
    box.extras.noise.spin.setValue(0.3)
    box.extras.seed.setValue(1234)
    box.extras.schedule.setCurrentIndex(box.extras.schedule.findData("warmup_cosine"))
    box.extras.params["warmup"].spin.setValue(20)
    window.session.advance(30)
    path = tmp_path / "race.json"
    actions = window.export_actions
    monkeypatch.setattr(actions, "ask_save_path", lambda *a, **k: path)
    assert actions.save_session() == path

    fresh = make_window(qtbot)
    assert fresh.export_actions.open_session_file(path)
    twin = fresh.session.racers[2]
    assert (twin.noise, twin.seed) == (0.3, 1234)
    assert twin.schedule == racer.schedule
    extras = fresh.racer_panel.boxes[twin.id].extras
    assert extras.noise.value() == 0.3 and extras.seed.value() == 1234
    assert extras.schedule.currentData() == "warmup_cosine"
    assert extras.params["warmup"].value() == 20
    # Same noise draws and rates: the reloaded racer retraces the saved one, and races on alike.
    assert fresh.session.step == 30
    for win in (window, fresh):
        win.session.advance(10)
    a = window.session.runs[racer.id].trajectory.table()[1]
    b = fresh.session.runs[twin.id].trajectory.table()[1]
    assert np.array_equal(a, b)


def test_more_button_click_by_mouse(qtbot, window):
    _, box = box_of(window, 0)
    qtbot.mouseClick(box.more, QtCore.Qt.MouseButton.LeftButton)
    assert box.more.isChecked() and box.extras.isVisible()
