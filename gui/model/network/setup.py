"""What a network race trains on and how: the data, the network's shape, the batch and seeds.

A :class:`NetworkSetup` is plain, frozen data, checked when made (``checked()``), and turns into
and from the dict a session file holds. Making the dataset and the first weights from it is
deterministic: the same setup gives the same race on every machine.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from surfaces.datasets import MAKERS, Dataset, make, mnist_dataset
from surfaces.network import ACTIVATIONS, INITS, MAX_UNITS, MLP

DATASETS = (*MAKERS, "mnist")
MAX_LAYERS = 8
MAX_BATCH = 4096
MAX_ITERATIONS = 1_000_000
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class NetworkSetup:
    """``dataset`` is a key of :data:`surfaces.datasets.MAKERS` (with ``size``, ``noise``,
    ``data_seed`` and ``options``) or ``"mnist"`` (with ``mnist_path``, a folder the user names).
    ``seed`` draws the first weights and the mini-batch sequence every racer shares."""

    dataset: str = "spirals"
    size: int = 600
    noise: float | None = None
    data_seed: int = 0
    options: dict[str, int] = field(default_factory=dict)
    mnist_path: str | None = None
    hidden: tuple[int, ...] = (32, 32)
    activation: str = "relu"
    weight_init_std: str | float = "relu"
    weight_decay: float = 0.0
    batch: int = 32
    seed: int = 0
    eval_every: int = 50  # test loss and accuracy every this many iterations (and at 0)
    test_limit: int = 2000  # test points evaluated: the first ones of the (shuffled) test set
    iterations: int = 1000  # the race's limit

    def checked(self) -> NetworkSetup:
        """This setup with defaults made explicit; a bad field raises ValueError naming it."""
        if self.dataset not in DATASETS:
            raise ValueError(f"Unknown dataset {self.dataset!r}; known: {', '.join(DATASETS)}")
        if self.dataset == "mnist" and not self.mnist_path:
            raise ValueError("The MNIST dataset needs the folder that holds its files")
        hidden = tuple(self.hidden)
        if len(hidden) > MAX_LAYERS:
            raise ValueError(f"Invalid hidden sizes: {len(hidden)} layers (at most {MAX_LAYERS})")
        for i, h in enumerate(hidden):
            _whole(h, f"hidden size {i + 1}", 1, MAX_UNITS)
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"Invalid activation: {self.activation!r} (one of {', '.join(ACTIVATIONS)})"
            )
        init = self.weight_init_std
        if isinstance(init, str):
            if init.lower() not in INITS:
                raise ValueError(
                    f"Invalid weight_init_std: {init!r} (a number or one of {', '.join(INITS)})"
                )
        elif isinstance(init, bool) or not (isinstance(init, int | float) and 0 <= init < 100):
            raise ValueError(f"Invalid weight_init_std: {init!r} (must be in [0, 100))")
        decay = float(self.weight_decay)
        if not (math.isfinite(decay) and 0 <= decay <= 10):
            raise ValueError(f"Invalid weight_decay: {self.weight_decay!r} (must be in [0, 10])")
        _whole(self.batch, "batch", 1, MAX_BATCH)
        _whole(self.seed, "seed", 0, MAX_SEED)
        _whole(self.data_seed, "data seed", 0, MAX_SEED)
        _whole(self.eval_every, "eval_every", 1, MAX_ITERATIONS)
        _whole(self.test_limit, "test_limit", 1, 10**7)
        _whole(self.iterations, "iterations", 1, MAX_ITERATIONS)
        noise = self.noise
        if noise is not None:
            noise = float(noise)
            if not (math.isfinite(noise) and 0 <= noise <= 10):
                raise ValueError(f"Invalid noise: {self.noise!r} (must be in [0, 10])")
        return replace(
            self,
            hidden=hidden,
            noise=noise,
            weight_init_std=init if isinstance(init, str) else float(init),
            weight_decay=decay,
            options=dict(self.options),
        )

    def load_data(self) -> Dataset:
        """The dataset (raises ValueError, e.g. DatasetError for MNIST files not found)."""
        if self.dataset == "mnist":
            return mnist_dataset(str(self.mnist_path))
        return make(self.dataset, self.size, self.noise, self.data_seed, **dict(self.options))

    def network(self, data: Dataset) -> MLP:
        """The shared first network: its weights are every racer's start."""
        return MLP(
            data.features,
            list(self.hidden),
            data.classes,
            activation=self.activation,
            weight_init_std=self.weight_init_std,
            weight_decay_lambda=self.weight_decay,
            seed=self.seed,
        )

    def shape_text(self, data: Dataset) -> str:
        """``2-32-32-3``: the network as the book writes it."""
        return "-".join(str(n) for n in (data.features, *self.hidden, data.classes))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["hidden"] = list(self.hidden)
        return out


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"Invalid {what}: {value!r} (must be a whole number)")
    if not low <= int(value) <= high:
        raise ValueError(f"Invalid {what}: {value} (must be in [{low}, {high}])")
    return int(value)
