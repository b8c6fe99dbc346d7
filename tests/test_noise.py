"""Stochastic gradients: a seed fixes the path, through every kind of re-simulation."""

import numpy as np
import pytest

from gui.model import Session
from surfaces import SURFACES


def path(session, racer):
    return session.runs[racer.id].trajectory.table()[1][:, :2].copy()


def noisy(seed=7, sigma=0.3, optimizer="momentum", **hyper):
    session = Session(SURFACES["rosenbrock"])
    racer = session.add_racer(optimizer, **(hyper or {"lr": 1e-3}))
    session.set_noise(racer.id, sigma, seed)
    session.advance(60)
    return session, racer


def test_noisy_sgd_is_gradient_plus_seeded_gaussian_draws():
    session = Session(SURFACES["book"])
    racer = session.add_racer("sgd", lr=0.2)
    session.set_noise(racer.id, 0.5, seed=11)
    session.advance(40)
    rng = np.random.default_rng(11)
    p = np.array(session.start)
    expected = [p.copy()]
    for _ in range(40):
        g = np.array([p[0] / 10, 2 * p[1]]) + 0.5 * rng.standard_normal(2)
        p = p - 0.2 * g
        expected.append(p.copy())
    np.testing.assert_allclose(path(session, racer), expected, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize(
    "resimulate",
    [
        lambda s, r: s.set_hyper(r.id, "lr", r.hyper["lr"]),
        lambda s, r: s.set_start(*s.start),
        lambda s, r: (s.reset(), s.advance(60)),
        lambda s, r: s.set_schedule(r.id, "constant"),
        lambda s, r: (s.set_enabled(r.id, False), s.set_enabled(r.id, True)),
        lambda s, r: (s.set_noise(r.id, 0.9, seed=8), s.set_noise(r.id, 0.3, seed=7)),
    ],
    ids=["hyper", "start", "reset", "schedule", "toggle", "noise"],
)
def test_the_same_seed_gives_the_same_path_after_a_resimulation(resimulate):
    session, racer = noisy()
    first = path(session, racer)
    resimulate(session, racer)
    np.testing.assert_array_equal(path(session, racer), first)


def test_a_fresh_session_with_the_same_seed_draws_the_same_path():
    a, ra = noisy(seed=123, optimizer="adam", lr=0.05)
    b, rb = noisy(seed=123, optimizer="adam", lr=0.05)
    np.testing.assert_array_equal(path(a, ra), path(b, rb))


def test_different_seeds_give_different_paths():
    a, ra = noisy(seed=1)
    b, rb = noisy(seed=2)
    assert not np.allclose(path(a, ra)[1:], path(b, rb)[1:])


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rprop"])
def test_sigma_zero_is_exactly_the_noiseless_path_whatever_the_seed(optimizer):
    quiet, rq = noisy(seed=0, sigma=0.0, optimizer=optimizer, lr=1e-3)
    seeded, rs = noisy(seed=99, sigma=0.0, optimizer=optimizer, lr=1e-3)
    plain = Session(SURFACES["rosenbrock"])
    rp = plain.add_racer(optimizer, lr=1e-3)
    plain.advance(60)
    np.testing.assert_array_equal(path(quiet, rq), path(plain, rp))
    np.testing.assert_array_equal(path(seeded, rs), path(plain, rp))
