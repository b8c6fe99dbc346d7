"""Session bookkeeping that mutation testing found unpinned: what removing a racer, changing one
hyperparameter, switching a racer off and changing a surface parameter tell the listeners and
leave behind. The expected values are the update rules done by hand."""

import pytest

from gui.model import Session
from surfaces import SURFACES


@pytest.fixture
def session():
    s = Session(SURFACES["book"])  # x²/20 + y², gradient (x/10, 2y)
    s.set_start(-7.0, 2.0)
    return s


def recorder(session):
    seen = []
    session.events.connect(lambda kind, racer_id: seen.append((kind, racer_id)))
    return seen


def test_removing_a_racer_drops_its_run_and_says_which(session):
    keep, gone = session.add_racer("sgd"), session.add_racer("adam")
    seen = recorder(session)
    session.remove_racer(gone.id)
    assert seen == [("racers", gone.id)]
    assert set(session.runs) == {keep.id} and [r.id for r in session.racers] == [keep.id]


def test_changing_one_hyperparameter_keeps_the_others(session):
    racer = session.add_racer("momentum", lr=0.05, momentum=0.5)
    seen = recorder(session)
    session.set_hyper(racer.id, "lr", 0.1)
    assert racer.hyper["momentum"] == 0.5 and racer.hyper["lr"] == 0.1
    assert seen == [("racer", racer.id)]
    session.advance(1)
    # First step of momentum from rest: v = -lr·g, with g = (-7/10, 4) at (-7, 2).
    x, y = session.status(racer.id)["x"], session.status(racer.id)["y"]
    assert (x, y) == pytest.approx((-7.0 + 0.1 * 0.7, 2.0 - 0.1 * 4.0))


def test_an_unknown_hyperparameter_is_named_in_the_refusal(session):
    racer = session.add_racer("sgd")
    with pytest.raises(ValueError, match="sgd has no hyperparameter 'beta9'"):
        session.set_hyper(racer.id, "beta9", 0.5)


def test_switching_a_racer_off_and_on(session):
    racer = session.add_racer("sgd")
    session.set_enabled(racer.id, False)
    assert racer.enabled is False
    session.set_enabled(racer.id, True)
    assert racer.enabled is True


def test_a_surface_parameter_change_resimulates_and_is_announced():
    session = Session(SURFACES["ravine"])
    racer = session.add_racer("sgd", lr=0.01)
    session.advance(3)
    seen = recorder(session)
    session.set_surface_values(condition=10.0)
    assert seen == [("surface", None)]
    assert session.surface.values["condition"] == 10.0
    assert session.runs[racer.id].step == 3 and session.step == 3
    fresh = Session(SURFACES["ravine"].with_values(condition=10.0))
    twin = fresh.add_racer("sgd", lr=0.01)
    fresh.advance(3)
    assert session.status(racer.id)["x"] == fresh.status(twin.id)["x"]
    assert session.status(racer.id)["y"] == fresh.status(twin.id)["y"]
