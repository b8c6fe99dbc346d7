"""The little surfaces the optimizer tests race on, and a check that their gradients are right.

They live here rather than in ``surfaces/`` so that the optimizer tests stand on their own:
each gradient takes points of shape (..., 2) and returns the same shape.
"""

import numpy as np
import pytest


def bowl(p):
    """The book's f = x²/20 + y²."""
    return np.stack([p[..., 0] / 10.0, 2.0 * p[..., 1]], axis=-1)


def rosenbrock(p):
    """f = (1 − x)² + 100·(y − x²)²: a curved, narrow valley."""
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)], axis=-1)


def saddle(p):
    """f = x² − y²: no minimum, the racers must slide off along y."""
    return np.stack([2.0 * p[..., 0], -2.0 * p[..., 1]], axis=-1)


def wobbly(p):
    """f = (x² + y²)/2 + 0.3·sin(5x)·sin(7y): a bowl under ripples whose gradient changes sign
    the way a noisy one does."""
    x, y = p[..., 0], p[..., 1]
    return np.stack(
        [x + 1.5 * np.cos(5.0 * x) * np.sin(7.0 * y), y + 2.1 * np.sin(5.0 * x) * np.cos(7.0 * y)],
        axis=-1,
    )


VALUES = {
    bowl: lambda x, y: x * x / 20.0 + y * y,
    rosenbrock: lambda x, y: (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2,
    saddle: lambda x, y: x * x - y * y,
    wobbly: lambda x, y: (x * x + y * y) / 2.0 + 0.3 * np.sin(5.0 * x) * np.sin(7.0 * y),
}


@pytest.mark.parametrize("grad", VALUES, ids=lambda grad: grad.__name__)
def test_gradients_match_central_differences(grad):
    f = VALUES[grad]
    points = np.random.default_rng(3).uniform(-2.0, 2.0, size=(50, 2))
    h = 1e-6
    x, y = points[:, 0], points[:, 1]
    df_dx = (f(x + h, y) - f(x - h, y)) / (2 * h)
    df_dy = (f(x, y + h) - f(x, y - h)) / (2 * h)
    np.testing.assert_allclose(grad(points), np.stack([df_dx, df_dy], -1), rtol=1e-6, atol=1e-5)
