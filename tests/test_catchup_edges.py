"""Edges of re-simulation in slices that mutation testing found unpinned: the slice counter, the
step floor counted exactly, a time budget read from a fake clock, and dropping a waiting run.
The expected numbers follow from the budget's documented rule ("at least ``steps`` steps in
all, then more while ``seconds`` have not passed") and the chunk size, worked out by hand."""

import itertools

import pytest

from gui.model import Session
from gui.model.catchup import CHUNK, Budget, CatchUp
from surfaces import SURFACES

STEP = 1000


def two_racers(budget: Budget) -> Session:
    """Two racers STEP steps in; every later change is re-simulated in slices of ``budget``."""
    session = Session(SURFACES["book"])
    session.add_racer("adam", lr=0.3)
    session.add_racer("momentum", lr=0.05)
    session.advance(STEP)
    session.catchup.budget = budget
    return session


def test_slices_are_counted_from_zero_even_when_there_is_nothing_to_do():
    catchup = CatchUp()
    assert catchup.slices == 0
    catchup.work(10)
    catchup.work(10)
    assert catchup.slices == 2


def test_the_step_floor_is_counted_exactly():
    # One chunk (CHUNK steps) is one step short of the floor: the other racer takes its turn.
    session = two_racers(Budget(steps=CHUNK + 1))
    session.set_start(-6.0, 1.5)
    assert [session.runs[r.id].step for r in session.racers] == [CHUNK, CHUNK]


def test_a_frozen_clock_lets_one_slice_do_all_the_work():
    session = two_racers(Budget(steps=CHUNK, seconds=1.0, clock=lambda: 100.0))
    session.set_start(-6.0, 1.5)  # the change's own slice: the floor only
    assert [session.runs[r.id].step for r in session.racers] == [CHUNK, 0]
    # The floor is met after one chunk, but no time ever passes: the slice goes on to the end.
    session.catch_up()
    assert not session.busy
    assert [session.runs[r.id].step for r in session.racers] == [STEP, STEP]


def test_a_slice_ends_once_its_seconds_have_passed_exactly():
    session = two_racers(Budget(steps=CHUNK))
    session.set_start(-6.0, 1.5)
    assert [session.runs[r.id].step for r in session.racers] == [CHUNK, 0]
    # The clock reads 0 when the slice starts and 1.0 ever after: exactly the budget, so the
    # second racer (whose turn it is) takes one chunk.
    clock = itertools.chain([0.0], itertools.repeat(1.0)).__next__
    session.catch_up(Budget(steps=CHUNK, seconds=1.0, clock=clock))
    assert [session.runs[r.id].step for r in session.racers] == [CHUNK, CHUNK]


def test_a_dropped_racer_no_longer_waits():
    session = two_racers(Budget(steps=CHUNK))
    session.set_start(-6.0, 1.5)
    first, second = (r.id for r in session.racers)
    assert first in session.catchup and second in session.catchup
    session.catchup.drop(second)
    assert first in session.catchup and second not in session.catchup


def test_a_time_budget_of_zero_seconds_is_allowed_but_not_a_negative_one():
    assert Budget(steps=1, seconds=0.0).seconds == 0.0  # the step floor alone, then stop
    for seconds in (-0.5, float("nan")):
        with pytest.raises(ValueError, match="Invalid slice budget"):
            Budget(steps=1, seconds=seconds)
