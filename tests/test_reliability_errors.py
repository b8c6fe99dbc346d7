"""A bug never takes the app down: the message is shown, playback stops, the window keeps working.

The fault injected is a surface whose gradient raises past x = 0.5 (numerics never raise: this
stands for a bug in a surface or an optimizer). In the book's race from (-7, 2), Momentum at
lr 0.1, momentum 0.9 overshoots the minimum and first reaches x > 0.5 at step 27 (worked out in
the model below), while SGD and Adam (lr 0.05) stay at x < 0.5.
"""

import dataclasses

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

import gui.launch
from gui.export.atomic import ExportError
from gui.launch import launch_main
from gui.model import Session
from gui.window import MainWindow
from surfaces import SURFACES

FAULT_X = 0.5
FAULT_STEP = 27  # Momentum's first point with x > 0.5


def faulty_grad(x, y):
    if np.any(np.asarray(x) > FAULT_X):
        raise RuntimeError(f"gradient exploded at x = {float(np.max(x)):.3f}")
    return SURFACES["book"].grad(x, y)


FAULTY = dataclasses.replace(SURFACES["book"], key="faulty", title="Faulty bowl", grad=faulty_grad)


def race(surface) -> Session:
    session = Session(surface)
    session.set_start(-7.0, 2.0)
    session.add_racer("sgd", lr=0.95)
    session.add_racer("momentum", lr=0.1, momentum=0.9)
    session.add_racer("adam", lr=0.05)  # after the failing racer: must not be left behind
    return session


def faulty_race() -> Session:
    return race(FAULTY)


def test_the_fault_is_where_the_docstring_says():
    session = race(SURFACES["book"])
    session.set_step_limit(2000)
    session.advance(2000)
    x = [session.runs[r.id].trajectory.table()[1][:, 0] for r in session.racers]
    assert x[0].max() < FAULT_X and x[2].max() < FAULT_X
    assert int(np.argmax(x[1] > FAULT_X)) == FAULT_STEP
    session.set_hyper(session.racers[1].id, "momentum", 0.5)  # the test's cure
    assert session.runs[session.racers[1].id].trajectory.table()[1][:, 0].max() < FAULT_X


def test_model_stops_the_failing_racer_and_moves_the_others_on():
    session = faulty_race()
    _, momentum, adam = session.racers
    with pytest.raises(RuntimeError, match="gradient exploded"):
        session.advance(100)
    assert session.step == 100
    assert session.runs[momentum.id].diverged_at == FAULT_STEP
    loss = session.runs[momentum.id].trajectory.table()[1][:, 2]
    assert np.isnan(loss[-1]) and np.isfinite(loss[:-1]).all()
    assert_consistent(session)
    session.advance(5)  # the stopped racer does not fail again; the others go on
    assert session.step == 105 == session.runs[adam.id].step
    assert_consistent(session)
    with pytest.raises(RuntimeError, match="gradient exploded"):
        session.set_start(-7.0, 1.0)  # x moves as before (the bowl is separable): same fault
    assert session.start == (-7.0, 1.0)
    assert session.runs[momentum.id].diverged_at == FAULT_STEP
    assert session.runs[adam.id].trajectory.table()[1][0, 1] == 1.0  # the others followed
    assert_consistent(session)


def test_a_racer_that_fails_at_once_does_not_join():
    session = faulty_race()
    session.advance(10)
    before = (list(session.racers), dict(session.runs))
    with pytest.raises(RuntimeError, match="gradient exploded"):
        session.add_racer("sgd", lr=25.0)  # x1 = 10.5
    assert (session.racers, session.runs) == before


def assert_consistent(session: Session) -> None:
    """Every racer is where the session's step says, or stopped where its path ended."""
    for racer in session.racers:
        run = session.runs[racer.id]
        assert run.trajectory.head_step == run.step
        if run.diverged_at is None:
            assert run.step == session.step, racer.label
        else:
            assert run.step == run.diverged_at <= session.step, racer.label


def run_script(window: MainWindow, script, failures: list) -> None:
    """Drive the running app from its own event loop: one step of ``script`` per timer tick;
    an assertion that fails is kept for the test and closes the window."""
    timer = QtCore.QTimer(window)
    timer.setInterval(0)

    def tick():
        try:
            next(script)
        except StopIteration:
            timer.stop()
            window.close()
        except BaseException as exc:
            failures.append(exc)
            timer.stop()
            window.close()

    timer.timeout.connect(tick)
    timer.start()


def wait_until(condition, ticks=20_000):
    for _ in range(ticks):
        if condition():
            return
        yield
    raise AssertionError("timed out")


@pytest.mark.parametrize("speed", [1, 5])
def test_a_failing_gradient_is_shown_stops_play_and_the_window_keeps_working(
    qapp, monkeypatch, capfd, speed
):
    monkeypatch.setattr(gui.launch, "book_scene", faulty_race)
    failures: list[BaseException] = []
    seen: dict[str, object] = {}
    original_init = MainWindow.__init__

    def script(window: MainWindow):
        session = window.session
        yield from wait_until(lambda: window.banner.isVisible())
        message = window.banner.label.text()
        seen["message"] = message
        assert message.startswith("RuntimeError: gradient exploded at x = ")
        assert not window.playback.playing
        assert FAULT_STEP <= session.step < FAULT_STEP + speed
        assert_consistent(session)
        yield
        # The user calms Momentum down with its spin box: it is re-simulated, no new error.
        momentum = session.racers[1]
        box = window.racer_panel.boxes[momentum.id]
        window.banner.hide()
        box.sliders["momentum"].spin.setValue(0.5)
        yield
        assert momentum.hyper["momentum"] == 0.5
        assert not window.banner.isVisible()
        assert session.runs[momentum.id].diverged_at is None
        assert_consistent(session)
        # Play again: the whole race runs on to its limit, every racer in step.
        session.set_step_limit(200)
        window.playback_panel.play_action.trigger()
        yield from wait_until(lambda: not window.playback.playing)
        assert session.step == 200 and not window.banner.isVisible()
        assert_consistent(session)

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.playback.speed = speed
        run_script(self, script(self), failures)

    monkeypatch.setattr(MainWindow, "__init__", init)
    assert launch_main(["--play", "--tick-ms", "0", "--no-settings"]) == 0
    assert failures == [] and "message" in seen
    assert capfd.readouterr() == ("", "")


def test_a_slider_that_meets_the_fault_is_reported_and_the_app_goes_on(qapp, monkeypatch, capfd):
    """Raising lr makes SGD jump past the fault: the slot's exception reaches the launch's
    excepthook, which shows it; the session stays consistent and the next edit works."""
    monkeypatch.setattr(gui.launch, "book_scene", faulty_race)
    failures: list[BaseException] = []
    original_init = MainWindow.__init__

    def script(window: MainWindow):
        session = window.session
        session.advance(10)
        sgd = session.racers[0]
        spin = window.racer_panel.boxes[sgd.id].sliders["lr"].spin
        spin.setValue(25.0)  # x1 = -7 (1 - 25 / 10) = 10.5: past the fault at step 1
        yield
        assert window.banner.isVisible()
        assert window.banner.label.text().startswith("RuntimeError: gradient exploded")
        assert not window.playback.playing
        assert session.runs[sgd.id].diverged_at == 1 and sgd.hyper["lr"] == 25.0
        assert_consistent(session)
        window.banner.hide()
        spin.setValue(0.5)
        yield
        assert sgd.hyper["lr"] == 0.5 and not window.banner.isVisible()
        assert session.runs[sgd.id].diverged_at is None
        assert_consistent(session)

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        run_script(self, script(self), failures)

    monkeypatch.setattr(MainWindow, "__init__", init)
    assert launch_main(["--tick-ms", "0", "--no-settings"]) == 0
    assert failures == []
    assert capfd.readouterr() == ("", "")


class Broken:
    """An animation job that fails, in ``advance`` or ``finish``, with an error no one planned."""

    total, done = 10, 0
    pending = None

    def __init__(self, path, where):
        self.path, self.where = path, where
        self.cancelled = 0
        path.write_bytes(b"partial")  # the temporary file a real job would hold

    def advance(self, budget):
        if self.where == "advance":
            raise RuntimeError("the renderer broke")
        self.done = self.total
        return True

    def finish(self):
        raise RuntimeError("the renderer broke")

    def cancel(self):
        self.cancelled += 1
        self.path.unlink(missing_ok=True)


@pytest.mark.parametrize("where", ["advance", "finish"])
def test_an_animation_that_fails_unexpectedly_ends_once_with_a_message(qtbot, tmp_path, where):
    window = MainWindow(Session(SURFACES["book"]), store=None, tick_ms=0)
    qtbot.addWidget(window)
    runner = window.export_actions.runner
    job = Broken(tmp_path / ".race.gif.part.gif", where)
    ended = []
    runner.finished.connect(lambda *args: ended.append(args))
    assert runner.start(lambda: job, tmp_path / "race.gif")
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    qtbot.wait(50)  # a timer left running would fail again and again meanwhile
    assert ended == [("RuntimeError: the renderer broke", False, "")]
    assert job.cancelled == 1 and not runner.timer.isActive()
    assert window.banner.label.text() == "RuntimeError: the renderer broke"
    assert list(tmp_path.iterdir()) == []


def test_an_export_error_still_reads_as_before(qtbot, tmp_path):
    window = MainWindow(Session(SURFACES["book"]), store=None, tick_ms=0)
    qtbot.addWidget(window)
    runner = window.export_actions.runner

    def refuse():
        raise ExportError("Could not write x.gif: No space left on device")

    assert not runner.start(refuse, tmp_path / "x.gif")
    assert window.banner.label.text() == "Could not write x.gif: No space left on device"
    assert isinstance(window.banner, QtWidgets.QFrame)
