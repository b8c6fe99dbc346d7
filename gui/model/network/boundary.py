"""A network's decision regions on a 2-D dataset: the class it predicts at every point of a grid
over the data's range. No Qt."""

from __future__ import annotations

import numpy as np

from surfaces.datasets import Dataset
from surfaces.network import MLP

MARGIN = 0.1  # of the data's extent, on every side: the boundary is seen a little beyond the data


def grid_axes(data: Dataset, n: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """``n`` x and ``n`` y values spanning the training and test points (with a margin)."""
    points = np.vstack([data.x_train, data.x_test])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = MARGIN * np.maximum(high - low, 1e-9)
    low, high = low - pad, high + pad
    return np.linspace(low[0], high[0], n), np.linspace(low[1], high[1], n)


def predicted_classes(net: MLP, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """``classes[row=y, col=x]``: the argmax of the network's scores at (xs[col], ys[row])."""
    gx, gy = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        scores = net.predict(np.column_stack([gx.ravel(), gy.ravel()]))
    return np.argmax(scores, axis=1).reshape(gx.shape)
