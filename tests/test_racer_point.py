"""A racer's point in Python floats: the same numbers as numpy scalars, numpy's rules where
floats would raise."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gui.model.racer import Racer, Run, hessian_point, point
from surfaces import SURFACES


@pytest.mark.parametrize("key", list(SURFACES))
def test_float_arithmetic_gives_the_numbers_numpy_scalars_give(key):
    surface = SURFACES[key]
    evaluate = point(surface)
    xmin, xmax, ymin, ymax = surface.bounds
    rng = np.random.default_rng(11)
    for x, y in zip(rng.uniform(xmin, xmax, 200), rng.uniform(ymin, ymax, 200), strict=True):
        loss, gx, gy = evaluate(float(x), float(y))
        # Surface.value/gradient take numpy scalars in: the old path of every racer.
        assert loss == float(surface.value(x, y)) or (
            math.isnan(loss) and np.isnan(surface.value(x, y))
        )
        ngx, ngy = surface.gradient(x, y)
        assert (gx, gy) == (float(ngx), float(ngy))
        if surface.hess is not None:
            assert hessian_point(surface)(float(x), float(y)) == tuple(
                float(h) for h in surface.hessian(x, y)
            )


def test_an_overflow_in_float_arithmetic_takes_numpy_rules_and_the_racer_diverges():
    # Rosenbrock's x**2 at x = 1e200 raises OverflowError in floats; numpy gives inf.
    surface = SURFACES["rosenbrock"]
    loss, gx, gy = point(surface)(1e200, 1.0)
    assert loss == math.inf and math.isinf(gx) and math.isinf(gy)
    run = Run(Racer(0, "sgd", {"lr": 0.01}, "#000000", "SGD"), surface, (1e200, 1.0))
    assert run.diverged_at == 0  # stopped where it started, no exception
    assert run.advance(10) == 0
