"""The network race's speed: one iteration of the book's network, against torch, and the
whole figure 6-9 experiment on random MNIST-shaped data. No Qt.

An iteration is what the race does per racer: gradient on a batch of 128, an Adam update,
then the loss of the updated network on the same batch (the book's order), in float64.
torch runs the same network, weights, data and rule (``torch.optim.Adam``, foreach) on the
CPU in float64 with the thread count numpy's BLAS uses, so the ratio compares like with like.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from gui.bench.scene import median_seconds
from gui.model.network import NetworkRace, NetworkSetup
from gui.model.network.training import Training
from gui.model.racer import Racer
from optimizers.blocks import CORES
from surfaces.datasets import Dataset

SHAPE = (784, (100, 100, 100, 100), 10)
BATCH = 128
ROWS = 10_000  # training rows of the random set: batches touch 128 of them, so speed is the same
BOOK_ITERATIONS = 2000


def random_mnist(rows: int = ROWS, seed: int = 0) -> Dataset:
    """Pixels uniform in [0, 1] and digits uniform in 0 … 9, shaped like MNIST."""
    rng = np.random.default_rng(seed)
    x = rng.random((rows + 2000, SHAPE[0]))
    t = rng.integers(0, SHAPE[2], rows + 2000)
    return Dataset("random", "random MNIST-shaped", x[:rows], t[:rows], x[rows:], t[rows:], 10)


def blas_threads() -> int:
    """The threads OpenBLAS uses: its environment variables, else every core."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return CORES


def iteration(repeats: int) -> dict[str, Any]:
    data = random_mnist()
    setup = NetworkSetup(dataset="xor", hidden=SHAPE[1], batch=BATCH).checked()
    start = setup.network(data)
    run = Training(Racer(1, "adam", {}, "#000000", "Adam"), start, data, 1)
    rng = np.random.default_rng(1)
    batches = [rng.integers(0, ROWS, BATCH) for _ in range(16)]
    xs = [data.x_train[i] for i in batches]
    ts = [data.t_train[i] for i in batches]
    count = iter(range(10**9))

    def ours() -> None:
        k = next(count) % len(xs)
        run.step(xs[k], ts[k])

    out: dict[str, Any] = {"train_iter_ms": median_seconds(ours, repeats, warmup=5) * 1e3}
    out.update(_torch_iteration(start.params, xs, ts, repeats))
    return out


def _torch_iteration(
    params: dict[str, np.ndarray], xs: list[np.ndarray], ts: list[np.ndarray], repeats: int
) -> dict[str, Any]:
    try:
        import torch
    except ImportError:
        return {"torch_iter_ms": None, "note": "torch is not installed: no peer to compare with"}
    threads = blas_threads()
    saved = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        layers = [
            (
                torch.tensor(params[f"W{i}"], dtype=torch.float64, requires_grad=True),
                torch.tensor(params[f"b{i}"], dtype=torch.float64, requires_grad=True),
            )
            for i in range(1, len(SHAPE[1]) + 2)
        ]
        weights = [p for pair in layers for p in pair]
        adam = torch.optim.Adam(weights, lr=1e-3, foreach=True)
        tx = [torch.tensor(x) for x in xs]
        tt = [torch.tensor(t) for t in ts]
        loss_fn = torch.nn.functional.cross_entropy

        def forward(x: Any) -> Any:
            for w, b in layers[:-1]:
                x = torch.relu(torch.addmm(b, x, w))
            w, b = layers[-1]
            return torch.addmm(b, x, w)

        count = iter(range(10**9))

        def theirs() -> None:
            k = next(count) % len(tx)
            adam.zero_grad(set_to_none=True)
            loss_fn(forward(tx[k]), tt[k]).backward()
            adam.step()
            with torch.no_grad():
                float(loss_fn(forward(tx[k]), tt[k]))

        ms = median_seconds(theirs, repeats, warmup=5) * 1e3
    finally:
        torch.set_num_threads(saved)
    return {"torch_iter_ms": ms, "torch_threads": threads}


def book_figure(iterations: int) -> float:
    """Seconds for the book's experiment — 4 racers (SGD, Momentum, AdaGrad, Adam at their
    defaults) × ``iterations`` on the book's network — through the race model, test set
    evaluations included, on random MNIST-shaped data."""
    setup = NetworkSetup(
        dataset="xor", hidden=SHAPE[1], batch=BATCH, iterations=iterations, eval_every=100
    )

    data = random_mnist()

    def run() -> None:
        race = NetworkRace(setup, data=data)  # the data replaces the setup's 2-D set
        for key in ("sgd", "momentum", "adagrad", "adam"):
            race.add_racer(key)
        race.advance(iterations)

    return median_seconds(run, 1, warmup=0)


def landscape(resolution: int = 61) -> float:
    """Seconds for a ``resolution``² slice of the training loss of the spiral preset's
    2-32-32-3 network along the PCA directions of four racers' paths (300 iterations in)."""
    from gui.model.network.landscape import LandscapeJob
    from gui.model.network.presets import NETWORK_PRESETS

    race = NETWORK_PRESETS["spirals-book-defaults"].load()
    race.advance(300)
    return median_seconds(lambda: LandscapeJob(race, resolution=resolution).run(), 1, warmup=0)
