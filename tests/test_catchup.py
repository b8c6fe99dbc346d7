"""Re-simulation in slices (gui/model/catchup.py): slice counts and a fake clock prove the order
of work, the coalescing of superseded settings, and that slicing changes no result — every run is
compared, bit for bit, with the same change settled in one call by a plain session."""

import math

import numpy as np
import pytest

from gui.export.trajectories import to_csv
from gui.model import Session, scene
from gui.model.catchup import CHUNK, Budget
from surfaces import SURFACES

STEP = 5000


def race(budget: Budget | None = None, step: int = STEP) -> Session:
    """Adam and Momentum on the book's bowl, ``step`` steps in; sliced by ``budget`` afterwards."""
    session = Session(SURFACES["book"])
    session.set_step_limit(10 * step)
    session.add_racer("adam", lr=0.3)
    session.add_racer("momentum", lr=0.05)
    session.advance(step)
    if budget is not None:
        session.catchup.budget = budget
    return session


def same_runs(a: Session, b: Session) -> None:
    assert a.step == b.step
    for ra, rb in zip(a.racers, b.racers, strict=True):
        ta, tb = a.runs[ra.id].trajectory.table(), b.runs[rb.id].trajectory.table()
        assert np.array_equal(ta[0], tb[0])
        assert np.array_equal(ta[1], tb[1], equal_nan=True)
        assert a.runs[ra.id].diverged_at == b.runs[rb.id].diverged_at


def slices_to_settle(session: Session) -> int:
    count = 0
    while session.catch_up():
        count += 1
    return count + 1  # the last call, which finished the work


def test_a_plain_session_finishes_every_change_at_once():
    session = race()
    session.set_hyper(1, "lr", 0.2)
    assert not session.busy
    assert session.runs[1].step == STEP
    assert session.progress() == (0, 0)


def test_a_sliced_retune_takes_the_slices_its_budget_allows_and_ends_bit_for_bit_equal():
    steps = 3 * CHUNK  # the floor: three chunks of one racer per slice
    session = race(Budget(steps=steps))
    session.set_hyper(1, "lr", 0.2)
    # The call itself did one slice: the path has grown back from its start, not further.
    run = session.runs[1]
    assert session.busy and run.step == steps
    assert run.trajectory.table()[0][0] == 0
    assert session.progress() == (steps, STEP)
    later = slices_to_settle(session)
    assert 1 + later == math.ceil(STEP / steps)
    plain = race()
    plain.set_hyper(1, "lr", 0.2)
    same_runs(session, plain)


def test_each_slice_grows_the_path_and_reports_progress_in_order():
    session = race(Budget(steps=CHUNK))
    seen = []
    session.events.connect(lambda kind, rid: seen.append((kind, session.progress()[0])))
    session.set_start(-6.0, 1.5)  # both racers re-simulate, taking turns chunk by chunk
    assert session.runs[1].step == CHUNK and session.runs[2].step == 0
    session.catch_up()
    assert session.runs[1].step == CHUNK and session.runs[2].step == CHUNK
    while session.catch_up():
        pass
    kinds = [k for k, _ in seen]
    assert kinds[0] == "start" and set(kinds[1:]) == {"progress"}
    done = [d for k, d in seen if k == "progress"][:-1]  # the last one: nothing left to count
    assert done == sorted(done) and len(set(done)) == len(done)
    plain = race()
    plain.set_start(-6.0, 1.5)
    same_runs(session, plain)


def test_a_superseded_value_is_abandoned_at_once_and_only_the_last_is_simulated():
    session = race(Budget(steps=CHUNK))
    superseded = []
    for lr in (0.1, 0.15, 0.2, 0.25):
        session.set_hyper(1, "lr", lr)
        superseded.append(session.runs[1])
    last = superseded.pop()
    assert session.catchup.abandoned == 3
    session.settle()
    # The first value had its slice at once; the rest came during the catch-up and waited for
    # its next slice: never a step.
    assert [run.step for run in superseded] == [CHUNK, 0, 0]
    assert last.step == STEP
    plain = race()
    plain.set_hyper(1, "lr", 0.25)
    same_runs(session, plain)


def test_a_step_taken_during_a_catch_up_is_queued_not_lost():
    session = race(Budget(steps=CHUNK))
    session.set_hyper(2, "lr", 0.04)
    assert session.busy
    assert session.advance(1) == 1
    assert session.step == STEP + 1
    session.settle()
    assert [session.runs[r.id].step for r in session.racers] == [STEP + 1] * 2
    plain = race()
    plain.set_hyper(2, "lr", 0.04)
    plain.advance(1)
    same_runs(session, plain)


def test_the_time_budget_reads_the_clock_after_each_chunk():
    session = race(Budget(steps=1))
    session.set_hyper(1, "lr", 0.2)
    assert session.runs[1].step == CHUNK  # the change's own slice: one chunk meets the floor
    ticks = iter(range(1000))
    session.catch_up(Budget(steps=1, seconds=0.01, clock=lambda: next(ticks) * 0.004))
    # Clock 0 at the start; after chunks 1, 2, 3 it reads 0.004, 0.008, 0.012: three chunks.
    assert session.runs[1].step == CHUNK + 3 * CHUNK


def test_a_changes_own_slice_takes_the_step_floor_and_leaves_the_time_to_later_turns():
    # A frozen clock would let a time-budgeted slice run to the end; the slice a change starts
    # with stops at the floor, and the loop's next turns take the rest.
    session = race(Budget(steps=CHUNK, seconds=1.0, clock=lambda: 0.0))
    session.set_hyper(1, "lr", 0.2)
    assert session.runs[1].step == CHUNK and session.busy
    session.catch_up()
    assert session.runs[1].step == STEP and not session.busy
    plain = race()
    plain.set_hyper(1, "lr", 0.2)
    same_runs(session, plain)


def test_consumers_that_need_finished_runs_settle_first():
    session = race(Budget(steps=CHUNK))
    session.set_hyper(1, "lr", 0.2)
    assert session.busy
    text = to_csv(session)
    assert not session.busy
    plain = race()
    plain.set_hyper(1, "lr", 0.2)
    assert text == to_csv(plain)


def test_saving_mid_catch_up_records_what_a_finished_run_would():
    session = race(Budget(steps=CHUNK))
    session.set_hyper(1, "lr", 0.2)
    saved = scene.to_scene(session)
    session.settle()
    assert saved == scene.to_scene(session)


def test_a_racer_removed_or_reset_during_a_catch_up_leaves_no_work_behind():
    session = race(Budget(steps=CHUNK))
    session.set_start(-6.0, 1.5)
    session.remove_racer(1)
    session.settle()
    assert session.runs[2].step == STEP
    session.set_start(-5.0, 1.0)
    session.reset()
    assert not session.busy and session.runs[2].step == 0


def test_a_failing_run_stops_alone_and_its_error_comes_once():
    def broken_grad(x, y):
        if x > -6.0:  # after about 155 steps: in the second slice
            raise RuntimeError("bug in the surface")
        return x / 10, 2 * y

    surface = SURFACES["book"]
    session = Session(surface)
    session.add_racer("sgd", lr=0.01)
    session.advance(STEP)
    session.catchup.budget = Budget(steps=CHUNK)
    session.set_surface(_with_grad(surface, broken_grad))
    with pytest.raises(RuntimeError, match="bug in the surface"):
        session.settle()
    assert not session.busy
    assert session.runs[1].diverged_at == session.runs[1].step < STEP


def _with_grad(surface, grad):
    import dataclasses

    return dataclasses.replace(surface, grad=grad)


def test_a_budget_refuses_nonsense():
    with pytest.raises(ValueError, match="steps"):
        Budget(steps=0)
    with pytest.raises(ValueError, match="s \\(must"):
        Budget(steps=1, seconds=-1.0)


def test_a_scene_loaded_into_a_sliced_session_catches_up_in_slices():
    saved = scene.to_scene(race())
    session = Session(SURFACES["rosenbrock"])
    session.catchup.budget = Budget(steps=CHUNK)
    scene.apply(session, saved)
    assert session.busy and session.step == STEP
    assert sum(session.runs[r.id].step for r in session.racers) == CHUNK  # one slice so far
    session.settle()
    plain, _ = scene.build(saved)
    same_runs(session, plain)


def test_quiet_slices_tell_no_one_the_caller_tells_when_it_redraws():
    session = race(Budget(steps=CHUNK))
    session.set_hyper(1, "lr", 0.2)
    heard = []
    session.events.connect(lambda kind, rid: heard.append(kind))
    slices = 0
    while session.catch_up(tell=False):
        slices += 1
    assert slices > 10 and heard == []  # the last slice too: the window tells in its own turn
    session.tell_progress()
    assert heard == ["progress"]
