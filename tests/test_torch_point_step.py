"""A PyTorch racer's step on floats (``TorchPointStep``) against the optimizer's own
``update(params, grads)`` loop on numpy arrays: the same points to the last bit, with a
closure (L-BFGS), with noise, and a race taken in uneven chunks."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import peer

from gui.model import Session
from gui.model.racer import objective
from optimizers import REGISTRY
from optimizers.torch_bridge import TorchPointStep
from surfaces import SURFACES

pytestmark = pytest.mark.needs_torch
peer("torch", reason="PyTorch racers need torch (pip install '.[torch]')")

STEPS = 40


def update_loop(key, hyper, surface, start, steps, noise=0.0, seed=0):
    """The points the optimizer visits through ``update`` on arrays, a gradient a step."""
    opt = REGISTRY[key](**hyper)
    opt.objective = objective(surface)
    params = {"xy": np.array(start, dtype=float)}
    rng = np.random.default_rng(seed)
    points = [params["xy"].tolist()]
    for _ in range(steps):
        grads = {"xy": np.array(surface.gradient(*params["xy"]), dtype=float)}
        if noise:
            grads["xy"] += noise * rng.standard_normal(2)
        opt.update(params, grads)
        points.append(params["xy"].tolist())
    return points


@pytest.mark.parametrize(
    ("key", "hyper", "surface", "noise", "chunks"),
    [
        ("torch.optim.SGD", {"lr": 1e-3, "momentum": 0.9}, "rosenbrock", 0.0, [STEPS]),
        ("torch.optim.Adam", {"lr": 0.05}, "book", 0.5, [1, 6, 13, 20]),
        ("torch.optim.LBFGS", {"lr": 1.0}, "book", 0.2, [3, 3, 34]),
        ("torch.optim.Rprop", {"lr": 0.01}, "saddle", 0.0, [STEPS]),
    ],
)
def test_a_torch_race_visits_the_points_of_its_update_loop(key, hyper, surface, noise, chunks):
    session = Session(SURFACES[surface])
    session.set_start(*SURFACES[surface].start)
    racer = session.add_racer(key, **hyper)
    if noise:
        session.set_noise(racer.id, noise, seed=5)
    run = session.runs[racer.id]
    # Otherwise this would compare update() with itself.
    assert isinstance(run.optimizer.point_stepper(run.params, run.grads), TorchPointStep)
    for n in chunks:
        session.advance(n)
    steps, data = run.trajectory.table()
    assert steps.tolist() == list(range(STEPS + 1))
    expected = update_loop(key, racer.hyper, SURFACES[surface], session.start, STEPS, noise, seed=5)
    assert data[:, :2].tolist() == expected
    assert run.params["xy"].tolist() == expected[-1]
