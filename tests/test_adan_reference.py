"""Adan, the optimizer added by writing its lines alone, against the PyTorch implementation of
the ``pytorch_optimizer`` library, in float64.

Three starts at once (a (3, 2) parameter: the array form) and one racer's point (the unrolled
form) on each test surface, 300 steps, with and without weight decay; both track the library
to a relative 1e-9 at every step (PyTorch fuses multiply-adds, so not bit for bit).
"""

import numpy as np
import pytest
from conftest import peer
from test_optimizers_surfaces import bowl, rosenbrock, saddle, wobbly

from optimizers import create

pytestmark = pytest.mark.needs_torch
torch = peer("torch", reason="torch is not installed: nothing to compare with")
library = peer("pytorch_optimizer", reason="pytorch_optimizer is not installed")

STEPS = 300
STARTS = {
    "bowl": (bowl, [[-7.0, 2.0], [3.0, -1.0], [0.5, 0.25]]),
    "rosenbrock": (rosenbrock, [[-1.2, 1.0], [0.5, -0.5], [1.5, 2.0]]),
    "saddle": (saddle, [[-1.0, 0.01], [0.5, -0.3], [2.0, 1.0]]),
    "wobbly": (wobbly, [[-1.0, 0.8], [0.3, -1.2], [1.7, 1.1]]),
}


@pytest.mark.parametrize("surface", list(STARTS))
@pytest.mark.parametrize(
    "hyper",
    [{"lr": 0.01}, {"lr": 0.05, "weight_decay": 0.02, "betas": (0.9, 0.9, 0.999)}],
    ids=["defaults", "decay"],
)
def test_adan_tracks_the_library(surface, hyper):
    grad, starts = STARTS[surface]
    ours_hyper = dict(hyper)
    betas = ours_hyper.pop("betas", None)
    if betas:
        ours_hyper.update(zip(("beta1", "beta2", "beta3"), betas, strict=True))
    for start in (np.array(starts), np.array(starts[0])):  # the array form, the unrolled form
        mine, ref = _paths(grad, start, ours_hyper, hyper)
        assert np.all(np.isfinite(ref)) and np.abs(ref).max() < 1e6  # a fair race: no blow-up
        np.testing.assert_allclose(mine, ref, rtol=1e-9, atol=1e-12)


def _paths(grad, start, ours_hyper, their_hyper):
    """Both optimizers' points at every step from ``start``."""
    ours = create("adan", **ours_hyper)
    p = {"w": start.copy()}
    q = torch.tensor(start.copy(), dtype=torch.float64)
    theirs = library.Adan([q], foreach=False, **their_hyper)
    mine, ref = [], []
    for _ in range(STEPS):
        ours.update(p, {"w": grad(p["w"])})
        q.grad = torch.tensor(grad(q.numpy().copy()), dtype=torch.float64)
        theirs.step()
        mine.append(p["w"].copy())
        ref.append(q.numpy().copy())
    return np.array(mine), np.array(ref)
