"""Every surface broadcasts like numpy and never raises or warns, even at overflow or nan."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from surfaces import SURFACES, Surface

KEYS = list(SURFACES)

# Surfaces whose value stays bounded as a coordinate grows without limit, with bounds that
# follow from their formulas: Ackley's cone flattens to 20 + e − exp(½(cos + cos)), Easom's
# Gaussian to −cos·cos·0.
BOUNDED = {"ackley": (0.0, 20 + math.e), "easom": (-1.0, 1.0)}


def evaluate(surface: Surface, x: object, y: object) -> list[np.ndarray]:
    hess = surface.hessian(x, y)
    assert hess is not None
    return [surface.value(x, y), *surface.gradient(x, y), *hess]


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4)])
def test_outputs_take_the_shape_of_the_inputs(key: str, shape: tuple[int, ...]) -> None:
    surface = SURFACES[key]
    xmin, xmax, ymin, ymax = surface.bounds
    rng = np.random.default_rng(7)
    x, y = rng.uniform(xmin, xmax, shape), rng.uniform(ymin, ymax, shape)
    for out in evaluate(surface, x, y):
        assert out.shape == shape and out.dtype == np.float64


@pytest.mark.parametrize("key", KEYS)
def test_grid_by_broadcasting_equals_pointwise_evaluation(key: str) -> None:
    surface = SURFACES[key]
    xmin, xmax, ymin, ymax = surface.bounds
    xs, ys = np.linspace(xmin, xmax, 3)[:, None], np.linspace(ymin, ymax, 4)[None, :]
    grid = evaluate(surface, xs, ys)
    for i in range(3):
        for j in range(4):
            point = evaluate(surface, float(xs[i, 0]), float(ys[0, j]))
            for g, p in zip(grid, point, strict=True):
                assert g.shape == (3, 4)
                # SIMD array kernels may differ from scalar ones in the last bit.
                assert g[i, j] == pytest.approx(float(p), rel=1e-13, abs=1e-13)


def edge_points(surface: Surface) -> list[tuple[float, float]]:
    sx, sy = surface.start
    big = 1e308
    return [(big, sy), (-big, sy), (sx, big), (sx, -big), (big, big), (math.inf, sy)]


@pytest.mark.parametrize("key", KEYS)
def test_overflow_gives_non_finite_or_true_limit_silently(key: str) -> None:
    surface = SURFACES[key]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x, y in edge_points(surface):
            value, *_ = evaluate(surface, x, y)  # plain Python floats: ** must not raise
            if key in BOUNDED:
                low, high = BOUNDED[key]
                # cos(±inf) is undefined, so only the finite huge points have a limit.
                assert low <= float(value) <= high or (math.isinf(x) and np.isnan(value))
            else:
                # Never a wrong ordinary number: the true value is beyond 1e300.
                assert not np.isfinite(value) or abs(float(value)) > 1e300, (x, y, value)


@pytest.mark.parametrize("key", KEYS)
def test_nan_in_gives_nan_out_silently(key: str) -> None:
    surface = SURFACES[key]
    sx, sy = surface.start
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x, y in [(math.nan, sy), (sx, math.nan), (np.full(3, np.nan), np.zeros(3))]:
            value, gx, gy, hxx, hxy, hyy = evaluate(surface, x, y)
            assert np.all(np.isnan(value))
            # A partial derivative may rightly ignore the nan coordinate (∂(x² − y²)/∂y
            # does), but a diverged point never gets a wholly finite slope or curvature.
            assert np.all(np.isnan(gx) | np.isnan(gy))
            assert np.all(np.isnan(hxx) | np.isnan(hxy) | np.isnan(hyy))
