"""Hyperparameters as arrays: one vectorised run of a sweep equals one scalar run per point."""

import numpy as np
import pytest
from test_optimizers_surfaces import wobbly

from optimizers import REGISTRY

N = 5
STEPS = 150
# Newton is not element-wise (it needs Hessians, params of shape (..., 2)): see test_newton.py.
ELEMENTWISE = pytest.mark.parametrize(
    "cls",
    [c for c in REGISTRY.values() if not getattr(c, "needs_hessian", False)],
    ids=[k for k, c in REGISTRY.items() if not getattr(c, "needs_hessian", False)],
)
STARTS = np.array([[-1.0, 0.8], [0.3, -1.2], [1.7, 1.1], [-0.4, -0.9], [2.0, 0.5]])


def sweep(cls):
    """N values of every hyperparameter, strictly inside its slider range, each in its own
    order so that no two hyperparameters move together; lr spans its default ×/÷ 3."""
    values = {}
    for i, h in enumerate(cls.hyperparams):
        if h.name == "lr":
            v = h.default * np.geomspace(1 / 3, 3, N)
        elif h.log:
            v = np.geomspace(h.low, h.high, N + 2)[1:-1]
        else:
            v = np.linspace(h.low, h.high, N + 2)[1:-1]
        values[h.name] = np.roll(v, i)
    return values


def scalar_runs(cls, values, starts, steps=STEPS):
    paths = []
    for i, start in enumerate(starts):
        optimizer = cls(**{name: float(v[i]) for name, v in values.items()})
        params = {"p": start.copy()}
        for _ in range(steps):
            optimizer.update(params, {"p": wobbly(params["p"])})
        paths.append(params["p"])
    return np.array(paths)


@ELEMENTWISE
def test_every_hyperparameter_as_an_array_equals_scalar_runs(cls):
    values = sweep(cls)
    optimizer = cls(**{name: v[:, None] for name, v in values.items()})  # (N, 1) against (N, 2)
    params = {"p": STARTS.copy()}
    held = params["p"]
    for _ in range(STEPS):
        optimizer.update(params, {"p": wobbly(params["p"])})
    assert params["p"] is held
    assert np.all(np.isfinite(held))
    np.testing.assert_allclose(held, scalar_runs(cls, values, STARTS), rtol=1e-10, atol=1e-14)


@ELEMENTWISE
def test_an_array_lr_widens_float_params(cls):
    lr = cls._specs["lr"].default * np.geomspace(1 / 3, 3, N)
    optimizer = cls(lr=lr)
    params = {"x": 1.7, "y": 1.1}  # one start, N learning rates
    for _ in range(STEPS):
        xy = np.stack([params["x"], params["y"]], axis=-1)
        g = wobbly(xy)
        optimizer.update(params, {"x": g[..., 0], "y": g[..., 1]})
    assert params["x"].shape == params["y"].shape == (N,)
    starts = np.repeat([[1.7, 1.1]], N, axis=0)
    expected = scalar_runs(cls, {"lr": lr}, starts)
    np.testing.assert_allclose(np.stack([params["x"], params["y"]], axis=-1), expected, rtol=1e-10)


def test_a_sweep_of_ten_thousand_learning_rates_is_one_run():
    cls = REGISTRY["adam"]
    lr = np.geomspace(1e-4, 1.0, 10_000)
    optimizer = cls(lr=lr[:, None])
    params = {"p": np.tile([1.7, 1.1], (10_000, 1))}
    for _ in range(20):
        optimizer.update(params, {"p": wobbly(params["p"])})
    spot = [0, 4321, 9999]
    expected = scalar_runs(cls, {"lr": lr[spot]}, np.tile([1.7, 1.1], (3, 1)), steps=20)
    np.testing.assert_allclose(params["p"][spot], expected, rtol=1e-12)


def test_an_array_that_would_widen_an_array_param_is_refused():
    optimizer = REGISTRY["sgd"](lr=np.full((3, 1), 0.1))
    with pytest.raises(ValueError, match="'w'"):
        optimizer.update({"w": np.zeros((2, 2))}, {"w": np.ones((2, 2))})
