"""Basin maps: every cell is the single racer started there; labels follow the true minima."""

import numpy as np
import pytest

from gui.model.basins import basins, label_ends, start_grid
from gui.model.session import Session
from surfaces import SURFACES, from_formula

# Himmelblau's four minima (published): f = 0 at each.
HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.805118, 3.131312),
    (-3.779310, -3.283186),
    (3.584428, -1.848126),
]


def single_end(surface, racer_kwargs, start, steps, noise=0.0, schedule=None):
    """Where one ordinary racer started at ``start`` is after ``steps`` steps."""
    session = Session(surface)
    session.set_start(*start)
    session.step_limit = steps
    key = racer_kwargs.pop("key")
    racer = session.add_racer(key, **racer_kwargs)
    if noise:
        session.set_noise(racer.id, noise, seed=7)
    if schedule:
        session.set_schedule(racer.id, *schedule)
    session.advance(steps)
    return session.status(racer.id)


CASES = [
    ("himmelblau", {"key": "momentum", "lr": 0.01}, 0.0, None),
    ("himmelblau", {"key": "adam", "lr": 0.1}, 0.5, ("cosine",)),
    ("six-hump-camel", {"key": "newton"}, 0.0, None),
    ("rastrigin", {"key": "sgd", "lr": 0.004}, 0.0, None),
]


@pytest.mark.parametrize(("key", "racer", "noise", "schedule"), CASES)
def test_random_cells_equal_the_single_racer_started_there(key, racer, noise, schedule):
    surface = SURFACES[key]
    session = Session(surface)
    rid = session.add_racer(**{k if k != "key" else "optimizer": v for k, v in racer.items()}).id
    if noise:
        session.set_noise(rid, noise, seed=7)
    if schedule:
        session.set_schedule(rid, *schedule)
    result = basins(session, rid, n=(24, 18), steps=120)
    rng = np.random.default_rng(1)
    for j, i in zip(rng.integers(0, 18, 8), rng.integers(0, 24, 8), strict=True):
        start = (result.x0[j, i], result.y0[j, i])
        one = single_end(surface, dict(racer), start, 120, noise, schedule)
        if one["diverged_at"] is not None:
            assert result.label[j, i] == -1 and np.isnan(result.loss[j, i])
            continue
        assert np.allclose(result.final[j, i], (one["x"], one["y"]), rtol=1e-9, atol=1e-12)
        assert result.loss[j, i] == pytest.approx(one["loss"], rel=1e-9, abs=1e-12)


def test_diverged_starts_match_single_racers_and_carry_no_label():
    surface = SURFACES["himmelblau"]
    session = Session(surface)
    rid = session.add_racer("sgd", lr=0.03).id  # too large for the steep outer walls
    result = basins(session, rid, n=16, steps=60)
    assert result.diverged.any() and not result.diverged.all()
    for j, i in zip(*np.nonzero(result.diverged), strict=True):
        start = (result.x0[j, i], result.y0[j, i])
        one = single_end(surface, {"key": "sgd", "lr": 0.03}, start, 60)
        assert one["diverged_at"] is not None
        assert result.label[j, i] == -1 and np.isnan(result.steps[j, i])
        assert np.hypot(*(result.final[j, i] - (one["x"], one["y"]))) < 1e-9 * (1 + abs(one["x"]))
    j, i = np.argwhere(~result.diverged)[0]
    start = (result.x0[j, i], result.y0[j, i])
    assert single_end(surface, {"key": "sgd", "lr": 0.03}, start, 60)["diverged_at"] is None


def test_himmelblau_labels_are_its_four_published_minima():
    session = Session(SURFACES["himmelblau"])
    rid = session.add_racer("sgd", lr=0.01).id
    result = basins(session, rid, n=40, steps=400)
    assert result.known == 4
    assert np.allclose(result.attractors[:4], HIMMELBLAU_MINIMA, atol=1e-5)
    labelled = result.label >= 0
    assert labelled.mean() > 0.99
    ends = result.final[labelled]
    targets = result.attractors[result.label[labelled]]
    assert np.all(np.hypot(*(ends - targets).T) < result.radius)
    # Every minimum has its own basin, and a start near a minimum stays in it.
    assert set(np.unique(result.label[labelled])) == {0, 1, 2, 3}
    for k, (mx, my) in enumerate(HIMMELBLAU_MINIMA):
        j = np.argmin(np.abs(result.y0[:, 0] - my))
        i = np.argmin(np.abs(result.x0[0] - mx))
        assert result.label[j, i] == k


def test_a_formula_without_known_minima_finds_its_attractors_by_clustering():
    # f = (x² − 1)² + y²: minima at (±1, 0), the saddle x = 0 between them.
    surface = from_formula("(x**2 - 1)**2 + y**2", bounds=(-2, 2, -1.5, 1.5))
    session = Session(surface)
    rid = session.add_racer("sgd", lr=0.05).id
    result = basins(session, rid, n=(20, 15), steps=300)
    assert result.known == 0
    assert len(result.attractors) == 2
    assert np.allclose(sorted(map(tuple, result.attractors)), [(-1, 0), (1, 0)], atol=1e-3)
    right = result.attractors[:, 0].argmax()
    assert np.all(result.label[result.x0 > 0] == right)
    assert np.all(result.label[result.x0 < 0] == 1 - right)


def test_a_start_on_a_minimum_has_settled_at_step_zero():
    grid_x, grid_y = start_grid((-1.0, 1.0, -1.0, 1.0), 3, 3)
    assert grid_x[1, 1] == 0.0 and grid_y[1, 1] == 0.0  # cell centres: the middle one is 0
    session = Session(from_formula("x**2 + y**2", bounds=(-1, 1, -1, 1)))
    rid = session.add_racer("sgd", lr=0.1).id
    result = basins(session, rid, n=3, steps=50)
    assert result.steps[1, 1] == 0
    assert np.all(result.steps[result.label >= 0] >= 0)


def test_labelling_prefers_the_nearest_known_minimum_and_skips_diverged():
    known = np.array([[0.0, 0.0], [1.0, 0.0]])
    ends = np.array([[0.4, 0.0], [0.6, 0.0], [5.0, 5.0], [np.nan, np.nan]])
    diverged = np.array([False, False, False, True])
    label, attractors = label_ends(ends, diverged, known, radius=0.5)
    assert label.tolist() == [0, 1, 2, -1]
    assert attractors.tolist() == [[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]]


def test_cancel_returns_what_it_has():
    session = Session(SURFACES["himmelblau"])
    rid = session.add_racer("adam").id
    calls = []
    result = basins(
        session, rid, n=32, steps=1000, progress=lambda d, t: calls.append(d),
        should_stop=lambda: len(calls) >= 2,
    )  # fmt: skip
    assert result.cancelled and result.done < 1000 and result.done == calls[-1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n": 0}, "Invalid grid"), ({"n": 513}, "Invalid grid"), ({"steps": 0}, "Invalid steps"),
     ({"radius": -1.0}, "Invalid radius")],
)  # fmt: skip
def test_nonsense_is_refused_before_anything_runs(kwargs, message):
    session = Session(SURFACES["himmelblau"])
    rid = session.add_racer("sgd").id
    with pytest.raises(ValueError, match=message):
        basins(session, rid, **kwargs)
