"""One racer training a network: its weights, optimizer, loss record and divergence.

Iteration i (counting from 0) takes mini-batch i of the race's shared :class:`BatchStream`,
computes the gradient there, adds the racer's gradient noise, applies the racer's learning-rate
schedule and updates; then it records the training loss of the *updated* network on the same
batch, as the book's ``optimizer_compare_mnist.py`` does. A non-finite loss marks the racer
diverged at that iteration and stops it.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from gui.model.racer import Racer
from gui.model.schedules import learning_rates
from surfaces.datasets import Dataset
from surfaces.network import MLP, flat_views

BLOCK = 256  # iterations of batch indices drawn per call of the generator


class BatchStream:
    """Mini-batch i of a seeded sequence, the same for every racer and every re-run.

    Like the book, each batch is ``batch`` indices drawn uniformly *with* replacement. Batches
    come in blocks of :data:`BLOCK` iterations, block b drawn by a generator seeded with
    (seed, b): any iteration can be reached without drawing all those before it, which a racer
    re-trained from the start (while the others are far ahead) needs.
    """

    def __init__(self, rows: int, batch: int, seed: int) -> None:
        self.rows, self.batch, self.seed = rows, batch, seed
        self._blocks: dict[int, np.ndarray] = {}

    def indices(self, iteration: int) -> np.ndarray:
        b, i = divmod(iteration, BLOCK)
        block = self._blocks.get(b)
        if block is None:
            if len(self._blocks) >= 4:  # racers at most a few blocks apart share these
                self._blocks.pop(next(iter(self._blocks)))
            rng = np.random.default_rng([self.seed, b])
            block = self._blocks[b] = rng.integers(0, self.rows, (BLOCK, self.batch))
        return block[i]


class Record:
    """A growing float64 column (amortised doubling), read as a view of what is filled."""

    def __init__(self, columns: int = 1) -> None:
        self._data = np.empty((64, columns))
        self.count = 0

    def append(self, *values: float) -> None:
        if self.count == len(self._data):
            grown = np.empty((2 * len(self._data), self._data.shape[1]))
            grown[: self.count] = self._data
            self._data = grown
        self._data[self.count] = values
        self.count += 1

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.count]


class Snapshots:
    """A racer's path through weight space, thinned by stride doubling (as
    :class:`gui.model.trajectory.Trajectory` does for the map): weights after iterations
    0, s, 2s, … with at most ``capacity`` kept, so memory stays bounded for any run length."""

    BUDGET = 32 * 1024 * 1024  # bytes per racer: 26 snapshots of the book's MNIST network

    def __init__(self, size: int) -> None:
        self.capacity = int(min(256, max(16, self.BUDGET // (8 * max(size, 1))))) & ~1
        self.stride = 1
        self._data = np.empty((self.capacity, size))
        self._iterations: list[int] = []

    def offer(self, iteration: int, weights: np.ndarray) -> None:
        if iteration % self.stride:
            return
        if len(self._iterations) == self.capacity:
            kept = self._data[0 : self.capacity : 2].copy()
            self._data[: len(kept)] = kept
            self._iterations = self._iterations[::2]
            self.stride *= 2
            if iteration % self.stride:
                return
        self._data[len(self._iterations)] = weights
        self._iterations.append(iteration)

    @property
    def iterations(self) -> list[int]:
        return list(self._iterations)

    @property
    def weights(self) -> np.ndarray:
        return self._data[: len(self._iterations)]


class Training:
    """A racer's run from the shared start: ``step(x, t)`` trains one mini-batch."""

    def __init__(self, racer: Racer, start: MLP, data: Dataset, test_limit: int) -> None:
        self.optimizer = racer.build()
        if getattr(self.optimizer, "needs_hessian", False):
            raise ValueError(
                f"{self.optimizer.title} needs the loss's Hessian, which a network race does not "
                "compute; choose a first-order optimizer"
            )
        self.net = start.clone()
        # The optimizer sees one vector when its rule treats elements alone (all but a few):
        # the same arithmetic per element, a sixth of the numpy calls for a 3-layer network.
        self.weights, self.net.params = flat_views(self.net.params)
        self.gradient, self.grads = flat_views(self.net.params)
        if getattr(self.optimizer, "elementwise", False):
            self._params, self._grads = {"w": self.weights}, {"w": self.gradient}
        else:
            self._params, self._grads = self.net.params, self.grads
        self.noise = racer.noise
        self.rng = np.random.default_rng(racer.seed)
        self._lrs = learning_rates(racer.schedule, self.optimizer.lr)
        self.iteration = 0
        self.diverged_at: int | None = None
        self.losses = Record()  # training loss after update i, on batch i
        self.tests = Record(3)  # (iteration, test loss, test accuracy)
        self._x_test = data.x_test[:test_limit]
        self._t_test = data.t_test[:test_limit]
        self.path = Snapshots(self.weights.size)  # for projecting onto a loss landscape
        self.path.offer(0, self.weights)
        self.evaluate()

    def step(self, x: np.ndarray, t: np.ndarray) -> None:
        net, opt = self.net, self.optimizer
        with np.errstate(all="ignore"):
            net.gradient(x, t, out=self.grads)
            if self.noise:
                self.gradient += self.noise * self.rng.standard_normal(self.gradient.shape)
            if self._lrs is not None:
                self._lrs.apply(opt, self.iteration)
            opt.update(self._params, self._grads)
            loss = net.loss(x, t)
        self.losses.append(loss)
        if not math.isfinite(loss):
            self.diverged_at = self.iteration
        self.iteration += 1
        if self.diverged_at is None:
            self.path.offer(self.iteration, self.weights)

    def evaluate(self) -> None:
        """Test loss and accuracy of the current weights, recorded at this iteration."""
        with np.errstate(all="ignore"):
            loss, accuracy = self.net.evaluate(self._x_test, self._t_test)
        self.tests.append(self.iteration, loss, accuracy)

    @property
    def running(self) -> bool:
        return self.diverged_at is None

    @property
    def loss(self) -> float:
        """The latest training loss (the start's test loss before the first step)."""
        if self.losses.count:
            return float(self.losses.values[-1, 0])
        return float(self.tests.values[0, 1])


def smooth_curve(values: np.ndarray, window: int = 11, beta: float = 2.0) -> np.ndarray:
    """A loss curve smoothed for display, as long as the input.

    The book smooths figure 6-9 with a normalised Kaiser window of 11 points (β = 2) slid along
    the curve, the ends mirrored so they are not pulled toward zero. Here the same idea: a
    centred weighted average, window shrunk where the curve is shorter than it, edges reflected
    (without repeating the end point). Non-finite values (a diverged racer's last loss) end the
    smoothed part; they are passed through as they are.
    """
    y = np.asarray(values, dtype=np.float64).ravel()
    finite = np.isfinite(y)
    stop = len(y) if finite.all() else int(np.argmin(finite))
    half = min(int(window) // 2, max(stop - 1, 0))
    out = y.copy()
    if half < 1:
        return out
    weights = _kaiser(2 * half + 1, float(beta))
    padded = np.pad(y[:stop], half, mode="reflect")
    out[:stop] = np.convolve(padded, weights, mode="valid")
    return out


@lru_cache(maxsize=64)
def _kaiser(points: int, beta: float) -> np.ndarray:
    """The normalised window (cached: numpy's Bessel function costs more than the smoothing,
    and a window redraws the same curves several times a second)."""
    weights = np.kaiser(points, beta)
    weights /= weights.sum()
    weights.flags.writeable = False
    return weights
