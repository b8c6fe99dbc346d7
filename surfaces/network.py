"""A fully connected network whose loss is a surface in many dimensions: numpy only.

``MLP`` has the interface of the book's ``MultiLayerNet`` ("Deep Learning from Scratch",
``common/multi_layer_net.py``), written here from the mathematics. For layers l = 1 … L::

    a_l = z_{l-1}·W_l + b_l          z_0 = x (a batch of rows)
    z_l = σ(a_l)                     σ: relu, sigmoid or tanh; the last layer has none
    p = softmax(a_L)
    loss = −(1/N)·Σ_n log p[n, t_n]  +  ½·λ·Σ_l ‖W_l‖²

and the gradient by backpropagation::

    δ_L = (p − onehot(t)) / N
    ∂W_l = z_{l-1}ᵀ·δ_l + λ·W_l      ∂b_l = Σ_n δ_l[n]
    δ_{l-1} = (δ_l·W_lᵀ) ⊙ σ'(a_{l-1}), with σ' read off z: relu 1[z > 0], sigmoid z(1 − z),
                                      tanh 1 − z²

One difference from the book: the cross-entropy is the exact −log softmax (log-sum-exp), not
``−log(p + 1e-7)``, so the loss is the function whose gradient backprop computes, and a
confidently wrong network reports its true, large loss instead of a loss capped at 16.1.

Speed: every layer's activations live in work arrays kept per batch size, each matmul writes
into its destination (``out=``), activations are applied in place, and the first layer's
δ_0 — which no parameter needs — is never computed. ``loss_and_gradient`` returns the loss of
the forward pass it already made; ``gradient(..., out=grads)`` fills existing arrays.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np

ACTIVATIONS = ("relu", "sigmoid", "tanh")
INITS = {"relu": 2.0, "he": 2.0, "sigmoid": 1.0, "xavier": 1.0}  # std = √(gain / fan-in)
MAX_UNITS = 1 << 16  # per layer: far beyond anything trainable here; stops a typo of 10^9
# A diverging network overflows; its non-finite loss reports that, warnings would only repeat it.
QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}


def _check_size(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"Invalid {what}: {value!r} (must be a whole number)")
    if not 1 <= int(value) <= MAX_UNITS:
        raise ValueError(f"Invalid {what}: {value} (must be in [1, {MAX_UNITS}])")
    return int(value)


def init_scale(weight_init_std: str | float, fan_in: int) -> float:
    """The standard deviation of a layer's weights: He (√(2/n)) for "relu"/"he", Xavier
    (√(1/n), the book's form) for "sigmoid"/"xavier", or the number itself."""
    if isinstance(weight_init_std, str):
        key = weight_init_std.lower()
        if key not in INITS:
            raise ValueError(
                f"Invalid weight_init_std: {weight_init_std!r} (must be a number or one of "
                f"{', '.join(INITS)})"
            )
        return math.sqrt(INITS[key] / fan_in)
    std = float(weight_init_std)
    if not (math.isfinite(std) and std >= 0):
        raise ValueError(f"Invalid weight_init_std: {weight_init_std!r} (must be finite, >= 0)")
    return std


class MLP:
    """``MLP(784, [100, 100, 100, 100], 10)``: the book's MultiLayerNet, interface and meaning.

    ``params`` holds ``W1, b1, …, WL, bL`` (float64); any optimizer of ``optimizers`` trains the
    network through ``update(network.params, network.gradient(x, t))``. ``t`` is either labels
    (shape (N,)) or one-hot / probability rows (shape (N, classes)).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size_list: Sequence[int],
        output_size: int,
        activation: str = "relu",
        weight_init_std: str | float = "relu",
        weight_decay_lambda: float = 0.0,
        seed: int | None = None,
    ) -> None:
        hidden = [_check_size(h, f"hidden size {i + 1}") for i, h in enumerate(hidden_size_list)]
        self.sizes = [
            _check_size(input_size, "input_size"),
            *hidden,
            _check_size(output_size, "output_size"),
        ]
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"Invalid activation: {activation!r} (must be one of {', '.join(ACTIVATIONS)})"
            )
        decay = float(weight_decay_lambda)
        if not (math.isfinite(decay) and decay >= 0):
            raise ValueError(f"Invalid weight_decay_lambda: {weight_decay_lambda!r} (must be >= 0)")
        self.activation = activation
        self.weight_init_std = weight_init_std
        self.weight_decay_lambda = decay
        self.layers = len(self.sizes) - 1
        rng = np.random.default_rng(seed)
        self.params: dict[str, np.ndarray] = {}
        for i, (n_in, n_out) in enumerate(zip(self.sizes, self.sizes[1:], strict=False), 1):
            scale = init_scale(weight_init_std, n_in)
            self.params[f"W{i}"] = scale * rng.standard_normal((n_in, n_out))
            self.params[f"b{i}"] = np.zeros(n_out)
        self._keys = [(f"W{i}", f"b{i}") for i in range(1, self.layers + 1)]
        self._work: dict[int, list[np.ndarray]] = {}

    # --- the book's interface --------------------------------------------------------------

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The scores a_L (before softmax) of every row of ``x``; a new array."""
        with np.errstate(**QUIET):
            return self._forward(self._input(x))[-1].copy()

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        x, t = self._input(x), self._target(t, len(x))
        with np.errstate(**QUIET):
            return self._cross_entropy(self._forward(x)[-1], t) + self._decay()

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        x = self._input(x)
        t = self._target(t, len(x))
        labels = t if t.ndim == 1 else np.argmax(t, axis=1)
        with np.errstate(**QUIET):
            return float(np.mean(np.argmax(self._forward(x)[-1], axis=1) == labels))

    def gradient(
        self,
        x: np.ndarray,
        t: np.ndarray,
        out: MutableMapping[str, np.ndarray] | None = None,
    ) -> dict[str, np.ndarray]:
        """∂loss/∂param for every key of ``params``; written into ``out`` when given."""
        return self.loss_and_gradient(x, t, out)[1]

    # --- faster paths ----------------------------------------------------------------------

    def loss_and_gradient(
        self,
        x: np.ndarray,
        t: np.ndarray,
        out: MutableMapping[str, np.ndarray] | None = None,
    ) -> tuple[float, dict[str, np.ndarray]]:
        """The loss at the current params and its gradient, from one forward pass."""
        x = self._input(x)
        t = self._target(t, len(x))
        grads = self._grad_arrays(out)
        with np.errstate(**QUIET):
            return self._backward(x, t, grads), grads

    def _backward(self, x: np.ndarray, t: np.ndarray, grads: dict[str, np.ndarray]) -> float:
        zs = self._forward(x)
        scores = zs[-1]
        loss = self._cross_entropy(scores, t) + self._decay()
        delta = scores  # _cross_entropy left softmax(a_L) there; δ_L overwrites it
        if t.ndim == 1:
            delta[np.arange(len(t)), t] -= 1.0
        else:
            delta -= t
        delta *= 1.0 / len(x)
        deltas = self._work[len(x)][self.layers :]
        lam = self.weight_decay_lambda
        for layer in range(self.layers, 0, -1):
            kw, kb = self._keys[layer - 1]
            w, gw, gb = self.params[kw], grads[kw], grads[kb]
            np.matmul(zs[layer - 1].T, delta, out=gw)
            if lam:
                gw += lam * w
            np.add.reduce(delta, axis=0, out=gb)
            if layer > 1:
                back = deltas[layer - 2]
                np.matmul(delta, w.T, out=back)
                self._activation_slope(zs[layer - 1], back)
                delta = back
        return loss

    def evaluate(self, x: np.ndarray, t: np.ndarray) -> tuple[float, float]:
        """(loss, accuracy) from one forward pass: what a test set is measured by."""
        x = self._input(x)
        t = self._target(t, len(x))
        labels = t if t.ndim == 1 else np.argmax(t, axis=1)
        with np.errstate(**QUIET):
            scores = self._forward(x)[-1]
            accuracy = float(np.mean(np.argmax(scores, axis=1) == labels))
            return self._cross_entropy(scores, t) + self._decay(), accuracy

    def clone(self, params: Mapping[str, np.ndarray] | None = None) -> MLP:
        """The same network with its own copy of ``params`` (default: this one's): racers start
        from one set of weights without drawing them again."""
        twin = copy.copy(self)
        twin.params = copy_params(self.params if params is None else params)
        twin._work = {}
        return twin

    # --- internals -------------------------------------------------------------------------

    def _input(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"x: expected shape (N, {self.sizes[0]}), got {x.shape}")
        if len(x) == 0:
            raise ValueError("x: an empty batch has no loss")
        return x

    def _target(self, t: Any, n: int) -> np.ndarray:
        t = np.asarray(t)
        classes = self.sizes[-1]
        if t.ndim == 1 and len(t) == n and t.dtype.kind in "iu":
            if t.size and not (t.min() >= 0 and t.max() < classes):
                raise ValueError(f"t: labels must be in [0, {classes - 1}]")
            return t
        if t.ndim == 2 and t.shape == (n, classes):
            return t.astype(np.float64, copy=False)
        raise ValueError(
            f"t: expected {n} integer labels or an ({n}, {classes}) one-hot array, got "
            f"shape {t.shape} of {t.dtype}"
        )

    def _buffers(self, n: int) -> list[np.ndarray]:
        """Work arrays for a batch of ``n``: z_1 … z_L (z_L holds the scores, then softmax),
        then δ_1 … δ_{L-1}. Kept per batch size: a race alternates a training batch and the
        test set, and each should find its own arrays."""
        work = self._work.get(n)
        if work is None:
            if len(self._work) >= 4:  # a stream of odd batch sizes must not hoard memory
                self._work.clear()
            hidden = self.sizes[1:-1]
            work = [np.empty((n, k)) for k in self.sizes[1:]] + [np.empty((n, k)) for k in hidden]
            self._work[n] = work
        return work

    def _forward(self, x: np.ndarray) -> list[np.ndarray]:
        """[x, z_1, …, z_{L-1}, a_L] for the batch ``x``; all but x are work arrays."""
        work = self._buffers(len(x))
        zs = [x]
        params, last = self.params, self.layers - 1
        for layer, (kw, kb) in enumerate(self._keys):
            z = work[layer]
            np.matmul(zs[-1], params[kw], out=z)
            z += params[kb]
            if layer < last:
                self._activate(z)
            zs.append(z)
        return zs

    def _activate(self, a: np.ndarray) -> None:
        if self.activation == "relu":
            np.maximum(a, 0.0, out=a)
        elif self.activation == "tanh":
            np.tanh(a, out=a)
        else:  # sigmoid as ½(1 + tanh(a/2)): the same function, and it cannot overflow
            a *= 0.5
            np.tanh(a, out=a)
            a += 1.0
            a *= 0.5

    def _activation_slope(self, z: np.ndarray, delta: np.ndarray) -> None:
        """δ ← δ ⊙ σ'(a), with σ' written in terms of z = σ(a)."""
        if self.activation == "relu":
            np.multiply(delta, z > 0.0, out=delta)
        elif self.activation == "tanh":
            np.multiply(delta, 1.0 - z * z, out=delta)
        else:
            np.multiply(delta, z * (1.0 - z), out=delta)

    def _cross_entropy(self, scores: np.ndarray, t: np.ndarray) -> float:
        """Mean −log softmax(a)[t], as log Σ e^{a − max} − (a − max)[t]: exact even where a
        probability underflows to 0. ``scores`` (a work array) is left holding softmax(a),
        which the backward pass starts from."""
        s = scores
        s -= s.max(axis=1, keepdims=True)
        if t.ndim == 1:
            picked = float(np.add.reduce(s[np.arange(len(t)), t]))
        else:  # rows of probabilities: Σ_c t_c·(log Σ − s_c)
            picked = float(np.vdot(t, s))
        np.exp(s, out=s)
        total = np.add.reduce(s, axis=1, keepdims=True)
        s /= total
        logs = np.log(total[:, 0])
        spread = float(np.add.reduce(logs)) if t.ndim == 1 else float(np.dot(t.sum(axis=1), logs))
        return (spread - picked) / len(t)

    def _decay(self) -> float:
        lam = self.weight_decay_lambda
        if not lam:
            return 0.0
        total = sum(float(np.vdot(w, w)) for k, w in self.params.items() if k[0] == "W")
        return 0.5 * lam * total

    def _grad_arrays(self, out: MutableMapping[str, np.ndarray] | None) -> dict[str, np.ndarray]:
        if out is None:
            return {k: np.empty_like(v) for k, v in self.params.items()}
        for k, v in self.params.items():
            if k not in out or out[k].shape != v.shape or out[k].dtype != np.float64:
                out[k] = np.empty_like(v)
        return out  # type: ignore[return-value]


def copy_params(params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Independent copies of a network's parameters (to give each racer the same start)."""
    return {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}


def flat_views(params: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One float64 vector holding a copy of every param, and each param as a view into it.

    An element-wise optimizer updating the vector updates every param exactly as it would key
    by key, with one pass of numpy calls instead of one per key: for a small network, most of
    an iteration's cost. The vector is also a point in weight space (for loss landscapes).
    """
    total = sum(int(np.size(v)) for v in params.values())
    flat = np.empty(total)
    views, at = {}, 0
    for key, value in params.items():
        n = int(np.size(value))
        view = flat[at : at + n].reshape(np.shape(value))
        view[...] = value
        views[key] = view
        at += n
    return flat, views
