"""Session.snapshot: what the exporters draw while the window's race goes on."""

import numpy as np

import gui.model.racer as racer_module
from gui.model import Session
from surfaces import SURFACES


def test_a_snapshot_is_the_race_as_it_is_independent_and_re_simulates_nothing(monkeypatch):
    session = Session(SURFACES["book"])
    session.add_racer("adam", lr=0.3)
    session.add_racer("momentum", lr=0.05)
    session.set_noise(session.racers[1].id, 0.1, seed=4)
    session.advance(500)
    heard = []
    session.events.connect(lambda kind, rid: heard.append(kind))
    steps_taken = []
    advance = racer_module.Run.advance
    monkeypatch.setattr(
        racer_module.Run, "advance", lambda run, n: steps_taken.append(n) or advance(run, n)
    )
    twin = session.snapshot()
    assert steps_taken == []  # nothing re-simulated: the runs are copied as they are
    assert twin.step == 500 and [r.label for r in twin.racers] == ["Adam", "Momentum"]
    for racer in session.racers:
        ours, theirs = session.runs[racer.id].trajectory, twin.runs[racer.id].trajectory
        np.testing.assert_array_equal(ours.table()[1], theirs.table()[1])
    # Both go on from here exactly alike (optimizer state and noise generator copied)...
    session.advance(50)
    twin.advance(50)
    for racer in session.racers:
        np.testing.assert_array_equal(
            session.runs[racer.id].trajectory.head, twin.runs[racer.id].trajectory.head
        )
    # ...and independently: resetting or changing one leaves the other alone, silently.
    heard.clear()
    twin.set_hyper(twin.racers[0].id, "lr", 0.01)
    twin.reset()
    assert heard == [] and session.step == 550
    assert session.racer(session.racers[0].id).hyper["lr"] == 0.3
    assert len(session.runs[session.racers[0].id].trajectory) > 2
    added = twin.add_racer("sgd")
    assert added.id not in {r.id for r in session.racers}
