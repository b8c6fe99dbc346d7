"""A racer's step on floats (optimizers/point.py) against the book's own loop: ``update(params,
grads)`` on numpy arrays, a gradient from the surface at each point. Bit for bit, for every
optimizer with a rule, with noise and with a schedule, and where float arithmetic raises."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gui.model import Session
from gui.model.racer import Racer, Run
from optimizers import REGISTRY
from surfaces import SURFACES

RULED = sorted(k for k, cls in REGISTRY.items() if getattr(cls, "rule", None) is not None)
STEPS = 60


def book_loop(key, hyper, surface, start, steps, noise=0.0, seed=0, lrs=None):
    """The chapter's loop: the points an optimizer visits, each update on numpy arrays."""
    opt = REGISTRY[key](**hyper)
    params = {"xy": np.array(start, dtype=float)}
    rng = np.random.default_rng(seed)
    points = [tuple(params["xy"])]
    for t in range(steps):
        gx, gy = surface.gradient(*params["xy"])
        grads = {"xy": np.array([gx, gy], dtype=float)}
        if noise:
            grads["xy"] += noise * rng.standard_normal(2)
        if lrs is not None:
            # Written past the check (a warm-up starts at 0, which a user may not type), and
            # what derives from lr follows, as torch's schedulers write a group's lr.
            vars(opt)["lr"] = lrs[t]
            opt._settled()
        opt.update(params, grads)
        points.append(tuple(params["xy"]))
    return points, opt


def _points(run):
    steps, data = run.trajectory.table()
    assert steps.tolist() == list(range(len(steps)))  # every step stored: nothing coarsened
    return data


def same(a, b):
    return all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))


def test_every_rule_takes_the_float_step():
    # Otherwise the tests below would compare the array path with itself.
    run = Run(Racer(0, "adam", {"lr": 0.1}, "#000000", "Adam"), SURFACES["book"], (-7.0, 2.0))
    assert run.optimizer.point_stepper(run.params, run.grads) is not None
    assert len(RULED) >= 17


@pytest.mark.parametrize("key", RULED)
@pytest.mark.parametrize("surface", ["book", "rosenbrock", "saddle"])
def test_a_race_visits_the_points_of_the_books_loop(key, surface):
    session = Session(SURFACES[surface])
    session.set_start(*SURFACES[surface].start)
    racer = session.add_racer(key)
    session.advance(STEPS)
    run = session.runs[racer.id]
    expected, opt = book_loop(key, racer.hyper, SURFACES[surface], session.start, run.step)
    got = [tuple(row[:2]) for row in _points(run)]
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert same(a, b)
    # The state written back at the end of the call is the loop's state.
    for name, buf in opt.state.get("xy", {}).items():
        assert same(run.optimizer.state["xy"][name], buf), name
    assert same(run.params["xy"], expected[-1])


@pytest.mark.parametrize("key", ["adam", "rmsprop", "momentum", "rprop", "adan"])
def test_noise_and_a_schedule_give_the_loops_numbers(key):
    session = Session(SURFACES["rosenbrock"])
    racer = session.add_racer(key)
    session.set_noise(racer.id, 0.5, seed=7)
    # A warm-up: step 0's rate is not the racer's lr, and Rprop's first step size follows it.
    session.set_schedule(racer.id, "warmup_cosine", warmup=5, steps=40)
    session.advance(STEPS)
    run = session.runs[racer.id]
    rates = [run._lrs.at(t) for t in range(run.step)]
    expected, _ = book_loop(
        key,
        racer.hyper,
        SURFACES["rosenbrock"],
        session.start,
        run.step,
        noise=0.5,
        seed=7,
        lrs=rates,
    )
    got = [tuple(row[:2]) for row in _points(run)]
    assert all(same(a, b) for a, b in zip(got, expected, strict=True))
    assert len(got) == len(expected)


def test_chunks_of_a_race_are_the_race_in_one_call():
    # Each advance() loads the state from its arrays and stores it back: nothing may be lost
    # between calls.
    surface, start = SURFACES["rosenbrock"], (-1.5, 2.0)
    whole = Run(Racer(0, "adam", {"lr": 0.01}, "#000000", "A"), surface, start)
    cut = Run(Racer(0, "adam", {"lr": 0.01}, "#000000", "A"), surface, start)
    whole.advance(97)
    for n in (1, 2, 30, 64):
        cut.advance(n)
    assert _points(whole).tolist() == _points(cut).tolist()
    assert whole.optimizer.state["xy"]["v"].tolist() == cut.optimizer.state["xy"]["v"].tolist()
    assert whole.grads["xy"].tolist() == cut.grads["xy"].tolist()


def test_a_float_error_takes_numpys_answer_and_the_state_stays_true():
    # Adam with eps = 0 from the minimum: m = v = 0, and 0 / (sqrt(0) + 0) raises in floats
    # where numpy gives nan. The step falls back to the array path, which must see the state.
    surface = SURFACES["book"]
    hyper = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 0.0}
    run = Run(Racer(0, "adam", hyper, "#000000", "A"), surface, (0.0, 0.0))
    run.advance(3)
    with np.errstate(invalid="ignore"):
        expected, opt = book_loop("adam", hyper, surface, (0.0, 0.0), 1)
    assert math.isnan(expected[1][0])
    assert run.diverged_at == 1
    assert same(_points(run)[1][:2], expected[1])
    assert same(run.optimizer.state["xy"]["m"], opt.state["xy"]["m"])


def test_a_fallback_mid_race_hands_the_float_state_to_the_arrays_and_back():
    # Make the per-update scalars raise once, mid-race: that step takes the array path, which
    # must start from the float state so far and hand its result back to the floats.
    surface, start = SURFACES["rosenbrock"], (-1.2, 1.0)
    run = Run(Racer(0, "adam", {"lr": 0.02}, "#000000", "A"), surface, start)
    run.advance(10)
    program = run.optimizer.program
    real = program.prepare_float
    calls = []

    def failing_once(h, t, c):
        if not calls:
            calls.append(t)
            raise ZeroDivisionError
        return real(h, t, c)

    program.prepare_float = failing_once
    try:
        run.advance(20)
    finally:
        program.prepare_float = real
    assert calls == [11]
    expected, opt = book_loop("adam", run.optimizer.settings(), surface, start, 30)
    got = [tuple(row[:2]) for row in _points(run)]
    assert all(same(a, b) for a, b in zip(got, expected, strict=True))
    assert run.optimizer.state["xy"]["m"].tolist() == opt.state["xy"]["m"].tolist()
