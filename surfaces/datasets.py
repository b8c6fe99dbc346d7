"""Classification data for a network to learn: 2-D sets made with numpy, and MNIST from disk.

Every 2-D set takes a size (points in all), a noise level and a seed, and is split into a
training and a test part by the same seeded shuffle, so a set is the same on every machine.
Classes have (nearly) equal shares. Points lie roughly in [-1.5, 1.5]², where a network with
the usual initialisation has room to bend its decision boundary.

MNIST is read from files the user already has (:func:`load_mnist`); nothing is downloaded.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from surfaces.mnist import DatasetError, load_mnist

__all__ = ["MAKERS", "Dataset", "DatasetError", "load_mnist", "make", "mnist_dataset"]

MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class Dataset:
    """Inputs as float64 rows, labels as integers 0 … classes − 1."""

    key: str
    title: str
    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    classes: int

    @property
    def features(self) -> int:
        return self.x_train.shape[1]


def _counts(size: int, classes: int) -> list[int]:
    """``size`` points shared among ``classes`` as evenly as whole numbers allow."""
    return [size // classes + (1 if k < size % classes else 0) for k in range(classes)]


def spirals(
    size: int, noise: float, rng: np.random.Generator, arms: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """``arms`` interleaved spirals from the centre outwards, one class each: no straight line
    separates any two, so a net must bend its boundary around every turn."""
    xs, ts = [], []
    for k, n in enumerate(_counts(size, arms)):
        r = np.linspace(0.05, 1.0, n)
        theta = 2 * math.pi * k / arms + 1.75 * math.pi * r + noise * rng.standard_normal(n)
        xs.append(np.column_stack([r * np.cos(theta), r * np.sin(theta)]))
        ts.append(np.full(n, k))
    return np.concatenate(xs) * 1.4, np.concatenate(ts)


def moons(size: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interlocking half circles: separable by a gentle S, not by a line."""
    upper, lower = _counts(size, 2)
    a = np.linspace(0.0, math.pi, upper)
    b = np.linspace(0.0, math.pi, lower)
    x = np.concatenate(
        [np.column_stack([np.cos(a), np.sin(a)]), np.column_stack([1 - np.cos(b), 0.5 - np.sin(b)])]
    )
    x = (x - [0.5, 0.25]) + noise * rng.standard_normal(x.shape)
    return x, np.repeat([0, 1], [upper, lower])


def circles(size: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A disc inside a ring: the boundary must close on itself."""
    outer, inner = _counts(size, 2)
    angles = [rng.uniform(0, 2 * math.pi, n) for n in (outer, inner)]
    rings = zip((1.2, 0.5), angles, strict=True)
    x = np.concatenate([r * np.column_stack([np.cos(a), np.sin(a)]) for r, a in rings])
    return x + noise * rng.standard_normal(x.shape), np.repeat([0, 1], [outer, inner])


def xor(size: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Four quadrants, opposite ones alike: the problem a single layer cannot solve."""
    x = rng.uniform(-1.2, 1.2, (size, 2))
    t = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    return x + noise * rng.standard_normal(x.shape), t


def blobs(
    size: int, noise: float, rng: np.random.Generator, centers: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clouds (standard deviation ``noise``) around centres evenly spaced on a circle:
    the easy case, where every optimizer should arrive."""
    xs, ts = [], []
    for k, n in enumerate(_counts(size, centers)):
        angle = 2 * math.pi * k / centers
        xs.append([math.cos(angle), math.sin(angle)] + noise * rng.standard_normal((n, 2)))
        ts.append(np.full(n, k))
    return np.concatenate(xs), np.concatenate(ts)


@dataclass(frozen=True)
class Maker:
    key: str
    title: str
    make: Callable[..., tuple[np.ndarray, np.ndarray]]
    noise: float  # the default: enough to blur the classes' edges, not to merge them
    classes: Callable[[dict[str, Any]], int]
    options: tuple[str, ...] = ()


MAKERS: dict[str, Maker] = {
    m.key: m
    for m in (
        Maker("spirals", "Spirals", spirals, 0.2, lambda kw: kw.get("arms", 3), ("arms",)),
        Maker("moons", "Moons", moons, 0.1, lambda kw: 2),
        Maker("circles", "Circles", circles, 0.1, lambda kw: 2),
        Maker("xor", "XOR", xor, 0.05, lambda kw: 2),
        Maker("blobs", "Gaussian blobs", blobs, 0.3, lambda kw: kw.get("centers", 4), ("centers",)),
    )
}


def make(
    key: str,
    size: int = 600,
    noise: float | None = None,
    seed: int = 0,
    test_fraction: float = 0.25,
    **options: int,
) -> Dataset:
    """A 2-D set by key (``spirals``, ``moons``, ``circles``, ``xor``, ``blobs``), shuffled and
    split: ``make("spirals", 600, noise=0.2, seed=1, arms=3)``."""
    if key not in MAKERS:
        raise ValueError(f"Unknown dataset {key!r}; known: {', '.join(MAKERS)}, mnist")
    maker = MAKERS[key]
    unknown = sorted(set(options) - set(maker.options))
    if unknown:
        known = list(maker.options)
        raise ValueError(f"Dataset {key!r} has no option(s) {unknown}; it has {known}")
    for name, value in options.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= 12:
            raise ValueError(f"Invalid {name}: {value!r} (must be a whole number in [2, 12])")
    classes = maker.classes(options)
    if isinstance(size, bool) or not isinstance(size, int) or not 4 * classes <= size <= MAX_POINTS:
        raise ValueError(
            f"Invalid size: {size!r} (must be a whole number in [{4 * classes}, {MAX_POINTS}])"
        )
    noise = maker.noise if noise is None else float(noise)
    if not (math.isfinite(noise) and 0 <= noise <= 10):
        raise ValueError(f"Invalid noise: {noise!r} (must be in [0, 10])")
    if not 0.05 <= float(test_fraction) <= 0.9:
        raise ValueError(f"Invalid test_fraction: {test_fraction!r} (must be in [0.05, 0.9])")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"Invalid seed: {seed!r} (must be a whole number >= 0)")
    rng = np.random.default_rng(seed)
    x, t = maker.make(size, noise, rng, **options)
    order = rng.permutation(size)
    x, t = np.ascontiguousarray(x[order], dtype=np.float64), t[order].astype(np.int64)
    cut = size - max(1, round(size * float(test_fraction)))
    title = f"{maker.title} ({size} points, noise {noise:g})"
    return Dataset(key, title, x[:cut], t[:cut], x[cut:], t[cut:], classes)


def mnist_dataset(path: str) -> Dataset:
    """MNIST from a folder (or the book's mnist.pkl) as a :class:`Dataset`: pixels in [0, 1]."""
    (x_train, t_train), (x_test, t_test) = load_mnist(path, normalize=True, flatten=True)
    # float64 once here rather than on every batch: the network computes in float64.
    return Dataset(
        "mnist",
        "MNIST",
        x_train.astype(np.float64),
        t_train.astype(np.int64),
        x_test.astype(np.float64),
        t_test.astype(np.int64),
        10,
    )
