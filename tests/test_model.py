"""The session model, without Qt: stepping, re-simulation, divergence, start, the book scene."""

import math

import numpy as np
import pytest

from gui.model import Session, Trajectory, book_scene
from surfaces import SURFACES


def book_reference(kind: str, lr: float, steps: int) -> np.ndarray:
    """The book's update rules, transcribed independently, on f = x²/20 + y² from (-7, 2)."""
    p = np.array([-7.0, 2.0])
    v = np.zeros(2)
    h = np.zeros(2)
    m = np.zeros(2)
    out = [p.copy()]
    for t in range(1, steps + 1):
        g = np.array([p[0] / 10.0, 2.0 * p[1]])
        if kind == "sgd":
            p = p - lr * g
        elif kind == "momentum":
            v = 0.9 * v - lr * g
            p = p + v
        elif kind == "adagrad":
            h = h + g * g
            p = p - lr * g / (np.sqrt(h) + 1e-7)
        elif kind == "adam":
            lr_t = lr * math.sqrt(1.0 - 0.999**t) / (1.0 - 0.9**t)
            m = m + (1 - 0.9) * (g - m)
            h = h + (1 - 0.999) * (g**2 - h)
            p = p - lr_t * m / (np.sqrt(h) + 1e-7)
        out.append(p.copy())
    return np.array(out)


def path(session: Session, racer_id: int) -> np.ndarray:
    return session.runs[racer_id].trajectory.table()[1][:, :2]


def test_book_scene_matches_the_book_point_by_point():
    session = book_scene()
    session.advance(30)
    lrs = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "adam": 0.3}
    assert [r.optimizer for r in session.racers] == list(lrs)
    for racer in session.racers:
        expected = book_reference(racer.optimizer, lrs[racer.optimizer], 30)
        np.testing.assert_allclose(path(session, racer.id), expected, rtol=0, atol=1e-12)


def test_sgd_path_has_the_closed_form():
    session = book_scene()
    session.advance(30)
    sgd = session.racers[0]
    t = np.arange(31)
    np.testing.assert_allclose(path(session, sgd.id)[:, 0], -7 * (1 - 0.095) ** t, rtol=1e-12)


def test_advance_counts_steps_and_respects_the_limit():
    session = book_scene()
    session.set_step_limit(25)
    assert session.advance(10) == 10
    assert session.advance(100) == 15
    assert session.step == 25 and session.finished
    assert session.advance(1) == 0
    for racer in session.racers:
        assert session.status(racer.id)["step"] == 25
        assert len(session.runs[racer.id].trajectory) == 26


def test_retune_equals_a_fresh_run_with_the_new_setting():
    session = book_scene()
    session.advance(40)
    momentum = session.racers[1]
    session.set_hyper(momentum.id, "lr", 0.05)
    fresh = Session(SURFACES["book"])
    fresh.set_start(-7.0, 2.0)
    other = fresh.add_racer("momentum", lr=0.05)
    fresh.advance(40)
    np.testing.assert_array_equal(path(session, momentum.id), path(fresh, other.id))


def test_refused_hyperparameter_changes_nothing():
    session = book_scene()
    session.advance(5)
    sgd = session.racers[0]
    before = path(session, sgd.id).copy()
    with pytest.raises(ValueError, match="lr"):
        session.set_hyper(sgd.id, "lr", -1.0)
    assert sgd.hyper["lr"] == 0.95
    np.testing.assert_array_equal(path(session, sgd.id), before)


def test_moving_the_start_resimulates_every_racer():
    session = book_scene()
    session.advance(12)
    session.set_start(3.0, -1.0)
    for racer in session.racers:
        pts = path(session, racer.id)
        assert len(pts) == 13
        np.testing.assert_array_equal(pts[0], [3.0, -1.0])
    sgd = session.racers[0]
    t = np.arange(13)
    np.testing.assert_allclose(path(session, sgd.id)[:, 1], -1.0 * (1 - 2 * 0.95) ** t, rtol=1e-12)


def test_divergence_stops_one_racer_and_not_the_others():
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    wild = session.add_racer("sgd", lr=5.0)  # |1 - 2·5| = 9 > 1: y grows ninefold a step
    calm = session.add_racer("sgd", lr=0.1)
    session.set_step_limit(2000)
    session.advance(2000)
    status = session.status(wild.id)
    # y_t = 2·(-9)^t; the escape box reaches 1000 frame widths beyond the frame.
    xmin, xmax, ymin, ymax = SURFACES["book"].bounds
    reach = 1000 * max(xmax - xmin, ymax - ymin)
    first_out = next(t for t in range(100) if not ymin - reach <= 2 * (-9.0) ** t <= ymax + reach)
    assert status["diverged_at"] == first_out
    assert session.status(calm.id)["diverged_at"] is None
    assert session.status(calm.id)["step"] == 2000


def test_overflowing_racer_is_marked_without_warnings():
    session = Session(SURFACES["book"])
    racer = session.add_racer("sgd", lr=1e300)
    with np.errstate(all="raise"):
        session.advance(5)
    assert session.status(racer.id)["diverged_at"] == 1


def test_events_tell_listeners_what_changed():
    session = book_scene()
    seen = []
    session.events.connect(lambda kind, rid: seen.append((kind, rid)))
    session.advance(3)
    rid = session.racers[0].id
    session.set_hyper(rid, "lr", 0.5)
    session.set_start(1.0, 1.0)
    session.set_surface(SURFACES["book"])
    session.reset()
    assert seen == [
        ("stepped", None),
        ("racer", rid),
        ("start", None),
        ("surface", None),
        ("reset", None),
    ]


def test_same_optimizer_twice_gets_distinct_labels_and_colours():
    session = Session()
    a = session.add_racer("adam", lr=0.1)
    b = session.add_racer("adam", lr=0.01)
    assert a.label != b.label and a.color != b.color


def test_noise_is_reproducible_from_its_seed_also_after_resimulation():
    session = book_scene()
    rid = session.racers[0].id
    session.set_noise(rid, 0.5, seed=7)
    session.advance(50)
    first = path(session, rid).copy()
    session.set_start(-7.0, 2.0)
    np.testing.assert_array_equal(path(session, rid), first)
    session.set_noise(rid, 0.5, seed=8)
    assert not np.array_equal(path(session, rid), first)


def test_trajectory_keeps_only_the_corners_of_a_path_that_turns():
    # An L: 20 steps right along y=0, then 19 steps up. Nothing between the corners changes
    # the picture; the corners, the ends and the head do. Losses rise linearly on each leg.
    # Blocks of 32 steps: steps 0…32 are simplified, 33…39 still wait raw (and are exact).
    traj = Trajectory(capacity=64, tolerance=1e-9, f_min=0.0)
    for step in range(0, 40):
        x, y = (step, 0.0) if step <= 20 else (20.0, step - 20.0)
        traj.append(step, float(x), float(y), 10.0 ** (step / 10), 1.0)
    steps, data = traj.table()
    simplified = steps[steps <= 32].tolist()
    assert {0, 20, 32} <= set(simplified) and len(simplified) <= 6
    assert steps[steps > 32].tolist() == list(range(33, 40))
    np.testing.assert_array_equal(data[:, 0], np.minimum(steps, 20))  # each point is its step's
    assert traj.tolerance == 1e-9  # no coarsening was needed
    np.testing.assert_array_equal(data[:, 2], 10.0 ** (steps / 10))  # kept points keep their loss


def test_drawable_view_is_bounded_and_ends_at_the_head():
    traj = Trajectory()
    for step in range(10_001):
        traj.append(step, step, 0.0, 0.0, 0.0)
    steps, data = traj.drawable(1000)
    assert len(steps) <= 1001 and steps[0] == 0 and steps[-1] == 10_000
    assert data[-1, 0] == 10_000


def test_drawable_head_is_current_at_every_step():
    traj = Trajectory(capacity=8)
    for step in range(0, 61):
        traj.append(step, float(step % 7), float(step % 3), 0.0, 0.0)
        steps, data = traj.drawable(1000)
        assert steps[-1] == step and data[-1, 0] == step % 7 and data[-1, 1] == step % 3
