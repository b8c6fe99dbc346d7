"""A network's loss landscape: the training loss on a plane through weight space. No Qt.

The plane passes through a centre θ₀ (the racers' shared start, or one racer's current
weights) along two directions d₁, d₂, and the loss is computed at θ₀ + α·d₁ + β·d₂ on a square
grid (Li et al., "Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018):

- ``"pca"``: the first two principal directions of the racers' paths (their weight snapshots
  minus θ₀): the plane in which the racers moved most, so their projected paths are faithful.
- ``"random"``: two seeded Gaussian directions, *filter-normalised*: each unit's incoming
  weights in d get the norm of that unit's weights in θ₀, biases get 0; so the picture does
  not depend on how the network happens to scale its layers.

Every racer's path is projected onto the plane (orthogonally onto the plane's coordinates).
The grid is computed in chunks of points, each chunk one batched forward pass of many networks
at once; :meth:`LandscapeJob.advance` works for a time budget and can be cancelled between
chunks, so a window stays responsive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gui.model.network.race import NetworkRace
from surfaces.network import QUIET

METHODS = ("pca", "random")
MAX_RESOLUTION = 401


@dataclass
class Landscape:
    """``loss[j, i]`` is the loss at (alphas[i], betas[j]); paths map racer ids to (K, 2)."""

    method: str
    center: str
    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray
    paths: dict[int, np.ndarray] = field(default_factory=dict)
    explained: tuple[float, float] | None = None  # PCA: share of the paths' variance per axis


class LandscapeJob:
    def __init__(
        self,
        race: NetworkRace,
        center: int | None = None,
        method: str = "pca",
        resolution: int = 61,
        span: float | None = None,
        seed: int = 0,
        rows: int = 1000,
    ) -> None:
        """``center``: a racer id, or None for the shared start. ``span``: half the side of the
        square in direction units (default: the paths' extent with a margin for PCA, 1 for
        random directions). ``rows``: training points the loss is averaged over."""
        if method not in METHODS:
            raise ValueError(f"Unknown direction method {method!r}; known: {', '.join(METHODS)}")
        if not 3 <= int(resolution) <= MAX_RESOLUTION:
            raise ValueError(f"Invalid resolution: {resolution} (must be in [3, {MAX_RESOLUTION}])")
        if span is not None and not (np.isfinite(span) and span > 0):
            raise ValueError(f"Invalid span: {span!r} (must be a finite value > 0)")
        self.net = race.start.clone()
        if center is None:
            origin, label = np.concatenate([v.ravel() for v in race.start.params.values()]), "start"
        else:
            origin, label = race.runs[center].weights.copy(), race.racer(center).label
        paths = {
            r.id: _path(race.runs[r.id].path.weights, race.runs[r.id].weights)
            for r in race.racers
            if r.enabled
        }
        explained = None
        if method == "pca":
            d1, d2, explained = pca_directions(list(paths.values()), origin)
        else:
            d1, d2 = random_directions(self.net.params, origin, seed)
        self.origin, self.d1, self.d2 = origin, d1, d2
        coords = {rid: project(p, origin, d1, d2) for rid, p in paths.items()}
        if span is None:
            reach = max((float(np.max(np.abs(c))) for c in coords.values() if len(c)), default=0)
            span = 1.2 * reach if method == "pca" and reach > 0 else 1.0
        axis = np.linspace(-span, span, int(resolution))
        self.result = Landscape(
            method, label, axis, axis.copy(), np.full((len(axis), len(axis)), np.nan), coords,
            explained,
        )  # fmt: skip
        self.x = race.data.x_train[:rows]
        self.t = race.data.t_train[:rows]
        self.total = len(axis) ** 2
        self.done = 0
        self.cancelled = False
        self._chunk = 1
        self._shapes = [(k, v.shape) for k, v in self.net.params.items()]
        self._prepare()

    # --- running ----------------------------------------------------------------------------

    def step(self, points: int) -> bool:
        """Compute the next ``points`` grid points; True when the grid is complete."""
        if self.cancelled or self.done >= self.total:
            return self.done >= self.total
        stop = min(self.total, self.done + max(1, int(points)))
        flat = np.arange(self.done, stop)
        rows, cols = np.divmod(flat, len(self.result.alphas))
        alphas, betas = self.result.alphas[cols], self.result.betas[rows]
        self.result.loss[rows, cols] = self.losses(alphas, betas)
        self.done = stop
        return self.done >= self.total

    def advance(self, budget: float) -> bool:
        """Work for about ``budget`` seconds in chunks sized to the measured speed; True when
        complete. Cancel between calls with :meth:`cancel`."""
        deadline = time.perf_counter() + budget
        while not self.cancelled and self.done < self.total:
            began = time.perf_counter()
            finished = self.step(self._chunk)
            took = time.perf_counter() - began
            if took < budget / 8:
                self._chunk = min(4 * self._chunk, 4096)
            elif took > budget / 2 and self._chunk > 1:
                self._chunk //= 2
            if finished or time.perf_counter() + took > deadline:
                break
        return self.done >= self.total

    def run(self, progress: Callable[[int, int], None] | None = None) -> Landscape:
        """Compute the whole grid (for scripts, the CLI and the bench)."""
        while not self.advance(0.05):
            if self.cancelled:
                break
            if progress is not None:
                progress(self.done, self.total)
        return self.result

    def cancel(self) -> None:
        self.cancelled = True

    # --- the loss of many networks at once --------------------------------------------------

    def losses(self, alphas: np.ndarray, betas: np.ndarray) -> np.ndarray:
        """The training loss at θ₀ + α·d₁ + β·d₂ for each pair: one batched forward pass.

        The first layer is linear in the weights, so its pre-activations are combined from
        three products computed once (x·W of θ₀, d₁ and d₂); for MNIST that removes the
        784-wide product from every grid point."""
        a, b = alphas[:, None], betas[:, None]
        first, rest = self._first, self._rest
        with np.errstate(**QUIET):
            h = first[0] + a[:, :, None] * first[1]
            h += b[:, :, None] * first[2]
            decay = self._first_decay(alphas, betas)
            for w, bias in rest:
                self.net._activate(h)
                theta_w = w[0] + a[:, :, None] * w[1] + b[:, :, None] * w[2]
                decay += np.einsum("gij,gij->g", theta_w, theta_w)
                h = np.matmul(h, theta_w)
                h += (bias[0] + a * bias[1] + b * bias[2])[:, None, :]
            return self._cross_entropy(h) + 0.5 * self.net.weight_decay_lambda * decay

    def _prepare(self) -> None:
        """Per layer, (θ₀, d₁, d₂) of its weights and biases; the first layer as products."""
        layers = []
        for vector in (self.origin, self.d1, self.d2):
            views, at = [], 0
            for _, shape in self._shapes:
                n = int(np.prod(shape))
                views.append(vector[at : at + n].reshape(shape))
                at += n
            layers.append(views)
        pairs = [
            (tuple(v[i] for v in layers), tuple(v[i + 1] for v in layers))
            for i in range(0, len(self._shapes), 2)
        ]
        (w1, b1), self._rest = pairs[0], pairs[1:]
        self._first = [self.x @ w + bias for w, bias in zip(w1, b1, strict=True)]
        self._w1 = w1

    def _first_decay(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Σ‖W₁‖² of each grid point's first layer, expanded in α and β (no g × W₁ array)."""
        w0, w1, w2 = self._w1
        dots = [[float(np.vdot(u, v)) for v in (w0, w1, w2)] for u in (w0, w1, w2)]
        return (
            dots[0][0] + a * a * dots[1][1] + b * b * dots[2][2]
            + 2 * (a * dots[0][1] + b * dots[0][2] + a * b * dots[1][2])
        )  # fmt: skip

    def _cross_entropy(self, s: np.ndarray) -> np.ndarray:
        """Mean −log softmax over the last axis, which holds only the few classes: the
        reductions run as a loop over classes, far faster than numpy's reduce on a short axis."""
        classes = s.shape[2]
        top = s[:, :, 0].copy()
        for c in range(1, classes):
            np.maximum(top, s[:, :, c], out=top)
        total = np.zeros_like(top)
        for c in range(classes):
            total += np.exp(s[:, :, c] - top)
        picked = s[:, np.arange(len(self.t)), self.t]
        return (np.log(total) + top - picked).mean(axis=1)


def _path(snapshots: np.ndarray, head: np.ndarray) -> np.ndarray:
    """A racer's snapshots, ending at its current weights (the stride may have skipped them)."""
    if len(snapshots) and np.array_equal(snapshots[-1], head):
        return snapshots.copy()
    return np.vstack([snapshots, head[None, :]])


def pca_directions(
    paths: list[np.ndarray], origin: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """The two leading principal directions (unit vectors) of all paths' points minus the
    origin, and the share of the points' squared distance each one carries."""
    points = np.vstack(paths) - origin if paths else np.empty((0, len(origin)))
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) < 2 or np.linalg.matrix_rank(points) < 2:
        raise ValueError(
            "PCA directions need the racers' paths: train a few iterations first, or use "
            "random directions"
        )
    _, s, vt = np.linalg.svd(points, full_matrices=False)
    share = s**2 / np.sum(s**2)
    return vt[0].copy(), vt[1].copy(), (float(share[0]), float(share[1]))


def random_directions(
    params: dict[str, np.ndarray], origin: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Two seeded Gaussian directions, filter-normalised against the weights at ``origin``."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        parts, at = [], 0
        for key, value in params.items():
            n = value.size
            if key[0] == "W":
                theta = origin[at : at + n].reshape(value.shape)
                d = rng.standard_normal(value.shape)
                # A unit's filter is its incoming weights: a column of W (inputs × units).
                scale = np.linalg.norm(theta, axis=0) / np.maximum(
                    np.linalg.norm(d, axis=0), 1e-300
                )
                parts.append((d * scale).ravel())
            else:
                parts.append(np.zeros(n))
            at += n
        out.append(np.concatenate(parts))
    return out[0], out[1]


def project(points: np.ndarray, origin: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """(α, β) of each point's orthogonal projection onto the plane θ₀ + α·d₁ + β·d₂."""
    basis = np.stack([d1, d2], axis=1)
    finite = np.isfinite(points).all(axis=1)
    coords = np.full((len(points), 2), np.nan)
    if finite.any():
        coords[finite] = np.linalg.lstsq(basis, (points[finite] - origin).T, rcond=None)[0].T
    return coords
