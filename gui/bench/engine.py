"""The engine without a window: one Adam step on a million points against torch.optim, and a
hyperparameter sweep as one vectorised run."""

from __future__ import annotations

from typing import Any

import numpy as np

from gui.bench.scene import median_seconds
from optimizers import Adam, Momentum
from surfaces import SURFACES

ENGINE_SHAPE = (1_000_000, 2)
SWEEP_SIDE = 100  # 100 learning rates × 100 momenta = 10,000 cells
SWEEP_STEPS = 500


def engine(repeats: int) -> dict[str, Any]:
    """One Adam update (the book's, float64) on params of ``ENGINE_SHAPE``; and
    ``torch.optim.Adam(foreach=True)`` on the same data, timed the same way in this run."""
    rng = np.random.default_rng(0)
    p0 = rng.standard_normal(ENGINE_SHAPE)
    g = rng.standard_normal(ENGINE_SHAPE)
    params = {"w": p0.copy()}
    grads = {"w": g}
    adam = Adam(lr=1e-3)
    ours = median_seconds(lambda: adam.update(params, grads), repeats, warmup=3)
    out: dict[str, Any] = {"engine_ms": ours * 1e3, "torch_ms": None, "notes": {}}
    try:
        import torch
    except ImportError:
        out["notes"]["engine_torch_ratio"] = "torch is not installed: no peer to compare with"
        return out
    w = torch.tensor(p0, dtype=torch.float64)
    w.grad = torch.tensor(g, dtype=torch.float64)
    peer = torch.optim.Adam([w], lr=1e-3, foreach=True)

    @torch.no_grad()
    def torch_step() -> None:
        peer.step()

    theirs = median_seconds(torch_step, repeats, warmup=3)
    out["torch_ms"] = theirs * 1e3
    out["torch_threads"] = torch.get_num_threads()
    return out


def sweep(repeats: int, steps: int = SWEEP_STEPS) -> float:
    """Seconds for ``steps`` steps of Momentum on Rosenbrock over a 100 × 100 grid of
    (lr, momentum), every cell at once: params of shape (10,000,) per coordinate, hyperparameters
    as arrays of the same shape. Gradient evaluation is included: it is part of a sweep."""
    surface = SURFACES["rosenbrock"]
    lrs, momenta = np.geomspace(1e-5, 2e-3, SWEEP_SIDE), np.linspace(0, 0.99, SWEEP_SIDE)
    lr, momentum = np.meshgrid(lrs, momenta)
    lr, momentum = lr.ravel(), momentum.ravel()
    x0, y0 = surface.start

    def run() -> None:
        optimizer = Momentum(lr=lr, momentum=momentum)
        params = {"x": np.full(lr.shape, x0), "y": np.full(lr.shape, y0)}
        with np.errstate(all="ignore"):  # some cells diverge: that is what a sweep maps
            for _ in range(steps):
                gx, gy = surface.grad(params["x"], params["y"], **surface.values)
                optimizer.update(params, {"x": gx, "y": gy})

    return median_seconds(run, repeats, warmup=1)


def basin_map(repeats: int, side: int = 256, steps: int = 500) -> float:
    """Seconds for a basin map as the window computes it: Adam (the book's default settings but
    lr 0.1) from every start of a ``side`` × ``side`` grid over Himmelblau's frame, ``steps``
    steps, divergence tracked and every start labelled by its minimum."""
    from gui.model.basins import basins
    from gui.model.session import Session

    session = Session(SURFACES["himmelblau"])
    racer = session.add_racer("adam", lr=0.1)
    return median_seconds(lambda: basins(session, racer.id, side, steps), repeats, warmup=0)
