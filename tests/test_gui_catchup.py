"""A long race stays live: a slider dragged, a value typed or a Step pressed at a large step count
returns to the event loop at once, the re-simulation follows in slices between paints, and the
finished path equals a plain (unsliced) re-simulation bit for bit. No clock is read here: the
slices and the event loop's turns are counted."""

import pytest
from PySide6 import QtCore
from PySide6.QtTest import QTest
from test_catchup import same_runs

from gui.model import Session, scene
from surfaces import SURFACES

STEP = 40_000  # far more than one slice's work, yet quick to build on a loaded machine


@pytest.fixture
def long_race(show_window):
    session = Session(SURFACES["book"])
    session.set_step_limit(1_000_000)
    session.add_racer("adam", lr=0.3)
    session.add_racer("sgd", lr=0.9)
    session.advance(STEP)
    return show_window(session)


class Turns(QtCore.QObject):
    """Counts the event loop's turns: a zero-interval timer fires once per pass of the loop."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.timer = QtCore.QTimer(self, interval=0)
        self.timer.timeout.connect(self._on_timeout)
        self.timer.start()

    def _on_timeout(self) -> None:
        self.count += 1


def settled_copy(session: Session) -> Session:
    """The same scene built by a plain session: every racer simulated in one call each."""
    plain, _ = scene.build(scene.to_scene(session))
    assert not plain.busy
    return plain


def wait_settled(qtbot, session: Session) -> None:
    qtbot.waitUntil(lambda: not session.busy, timeout=300_000)


def retune_first(window) -> Session:
    """Move the first racer's lr slider one page with the keyboard: a catch-up begins."""
    session = window.session
    slider = window.racer_panel.boxes[session.racers[0].id].sliders["lr"].slider
    QTest.keyClick(slider, QtCore.Qt.Key.Key_PageDown)
    assert session.busy
    return session


def test_a_dragged_slider_returns_at_once_and_the_path_grows_back_in_slices(
    qtbot, long_race, quiet
):
    session = long_race.session
    racer = session.racers[0]
    slider = long_race.racer_panel.boxes[racer.id].sliders["lr"].slider
    slices = session.catchup.slices
    for _ in range(5):  # a drag: five positions, each superseding the one before
        QTest.keyClick(slider, QtCore.Qt.Key.Key_PageDown)
    run = session.runs[racer.id]
    assert session.busy and run.step < STEP  # at most one slice ran inside the key presses
    assert session.catchup.abandoned == 4
    assert run.trajectory.table()[1][0, :2].tolist() == list(session.start)
    turns = Turns()
    wait_settled(qtbot, session)
    turns.timer.stop()
    worked = session.catchup.slices - slices
    assert worked >= 5 + 3
    # Between two slices the loop took at least one other turn (paints, input, this counter).
    assert turns.count >= worked - 5 - 1
    assert session.racer(racer.id).hyper["lr"] != 0.3
    same_runs(session, settled_copy(session))
    # The bar goes with the redraw of the finished paths, in the loop's next turn.
    qtbot.waitUntil(lambda: not long_race.playback_panel.progress.isVisible(), timeout=5_000)


def test_a_turn_of_the_loop_works_a_slice_or_redraws_never_both(qtbot, long_race, quiet):
    # The block a user can feel is one turn: a slice and a redraw in the same turn would add
    # up. Each turn is marked by a zero-interval timer; between two marks there may be slices
    # or a "progress" redraw, not both; and the end of the catch-up is redrawn too.
    session = long_race.session
    marks: list[str] = []
    turns = QtCore.QTimer(interval=0)
    turns.timeout.connect(lambda: marks.append("turn"))
    worked = session.catchup.work

    def work(*args):
        marks.append("slice")
        return worked(*args)

    session.catchup.work = work
    session.events.connect(lambda kind, rid: kind == "progress" and marks.append("progress"))
    turns.start()
    box = long_race.racer_panel.boxes[session.racers[1].id]
    QTest.keyClick(box.sliders["lr"].slider, QtCore.Qt.Key.Key_PageDown)
    wait_settled(qtbot, session)
    qtbot.waitUntil(lambda: marks[-1:] == ["turn"] and "progress" in marks, timeout=10_000)
    turns.stop()
    groups = " ".join(marks).split("turn")
    assert sum(g.count("slice") for g in groups) > 3  # the catch-up did take several turns
    assert all(not ("slice" in g and "progress" in g) for g in groups)
    assert marks[len(marks) - 1 - marks[::-1].index("progress") :].count("slice") == 0


def test_the_progress_bar_shows_the_catch_up(qtbot, long_race, quiet):
    session = long_race.session
    box = long_race.racer_panel.boxes[session.racers[1].id]
    QTest.keyClick(box.sliders["lr"].slider, QtCore.Qt.Key.Key_PageDown)
    bar = long_race.playback_panel.progress
    qtbot.waitUntil(lambda: bar.isVisible() or not session.busy, timeout=10_000)
    if session.busy:
        done, total = session.progress()
        assert total == STEP and 0 < done < STEP
        assert 0 <= bar.value() <= 1000 * done // total  # as of the last redraw, never ahead
    wait_settled(qtbot, session)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=10_000)


def test_a_typed_value_re_simulates_in_slices_to_the_same_path(qtbot, long_race, quiet):
    session = long_race.session
    racer = session.racers[1]
    spin = long_race.racer_panel.boxes[racer.id].sliders["lr"].spin
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "0.5")
    slices = session.catchup.slices
    QTest.keyClick(spin, QtCore.Qt.Key.Key_Return)
    assert session.racer(racer.id).hyper["lr"] == 0.5
    assert session.busy
    wait_settled(qtbot, session)
    assert session.catchup.slices - slices > 2
    same_runs(session, settled_copy(session))


def test_a_step_pressed_during_a_catch_up_is_queued_and_taken(qtbot, long_race, quiet):
    session = retune_first(long_race)
    long_race.playback_panel.step_action.trigger()
    assert session.step == STEP + 1
    wait_settled(qtbot, session)
    assert [session.runs[r.id].step for r in session.racers] == [STEP + 1] * 2
    same_runs(session, settled_copy(session))


def test_play_holds_while_a_racer_catches_up(qtbot, long_race, quiet):
    session = retune_first(long_race)
    long_race.playback_panel.play_action.trigger()
    qtbot.waitUntil(lambda: long_race.playback.ticks >= 3, timeout=10_000)
    if session.busy:  # every tick so far came during the catch-up: none moved the race
        assert session.step == STEP
    long_race.playback_panel.play_action.trigger()  # pause
    wait_settled(qtbot, session)
    same_runs(session, settled_copy(session))


def test_a_window_closed_mid_catch_up_leaves_a_session_that_settles_on_its_own(
    qtbot, long_race, quiet
):
    session = retune_first(long_race)
    long_race.close()
    left = session.progress()
    qtbot.wait(100)  # no slice may run for a closed window
    assert session.busy and session.progress() == left and left[0] < left[1]
    session.set_hyper(session.racers[1].id, "lr", 0.5)  # without a window: finished at once
    assert not session.busy
    same_runs(session, settled_copy(session))
