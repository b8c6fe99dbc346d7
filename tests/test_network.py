"""The network against independent truth: central differences, and losses worked out by hand."""

import math

import numpy as np
import pytest

from optimizers import REGISTRY
from surfaces.network import MLP, flat_views, init_scale


def numerical_gradient(net, x, t, h=1e-6):
    """Central differences of net.loss, one parameter element at a time."""
    out = {}
    for key, p in net.params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            up = net.loss(x, t)
            p[i] = old - h
            down = net.loss(x, t)
            p[i] = old
            g[i] = (up - down) / (2 * h)
        out[key] = g
    return out


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("decay", [0.0, 0.3])
@pytest.mark.parametrize("one_hot", [False, True])
def test_backprop_equals_central_differences(activation, decay, one_hot):
    rng = np.random.default_rng(3)
    net = MLP(4, [5, 3], 3, activation, weight_init_std=0.8, weight_decay_lambda=decay, seed=1)
    for key in net.params:  # nonzero biases, so their gradient is checked away from symmetry
        if key[0] == "b":
            net.params[key][...] = rng.normal(0, 0.5, net.params[key].shape)
    x = rng.normal(size=(6, 4))
    labels = np.array([0, 2, 1, 1, 0, 2])
    t = np.eye(3)[labels] if one_hot else labels
    exact = net.gradient(x, t)
    numeric = numerical_gradient(net, x, t)
    assert exact.keys() == numeric.keys() == net.params.keys()
    for key in exact:
        np.testing.assert_allclose(exact[key], numeric[key], rtol=1e-5, atol=1e-8, err_msg=key)


def test_soft_targets_gradient_equals_central_differences():
    rng = np.random.default_rng(5)
    net = MLP(3, [4], 3, "tanh", weight_init_std=1.0, seed=2)
    x = rng.normal(size=(5, 3))
    t = rng.dirichlet(np.ones(3), size=5)  # probability rows, not one-hot
    exact, numeric = net.gradient(x, t), numerical_gradient(net, x, t)
    for key in exact:
        np.testing.assert_allclose(exact[key], numeric[key], rtol=1e-5, atol=1e-8)


def hand_net(decay=0.0):
    """2-2-2, relu. W1 = [[1, -1], [2, 0]], b1 = [0, 1]; W2 = [[1, 0], [0, 1]], b2 = [0, 0]."""
    net = MLP(2, [2], 2, "relu", weight_decay_lambda=decay, seed=0)
    net.params["W1"][...] = [[1.0, -1.0], [2.0, 0.0]]
    net.params["b1"][...] = [0.0, 1.0]
    net.params["W2"][...] = [[1.0, 0.0], [0.0, 1.0]]
    net.params["b2"][...] = [0.0, 0.0]
    return net


def test_loss_of_a_tiny_network_worked_by_hand():
    net = hand_net()
    # x = (1, 1): a1 = (1 + 2, -1 + 0) + (0, 1) = (3, 0) → relu (3, 0) → scores (3, 0).
    # x = (0, 1): a1 = (2, 0) + (0, 1) = (2, 1) → scores (2, 1).
    x = np.array([[1.0, 1.0], [0.0, 1.0]])
    np.testing.assert_allclose(net.predict(x), [[3.0, 0.0], [2.0, 1.0]])
    t = np.array([1, 0])
    # −log softmax: row 1, class 1: log(e³ + 1) − 0; row 2, class 0: log(e² + e) − 2.
    expected = (math.log(math.e**3 + 1) + math.log(math.e**2 + math.e) - 2) / 2
    assert net.loss(x, t) == pytest.approx(expected, rel=1e-14)
    assert net.accuracy(x, t) == 0.5  # row 1 predicts class 0 (wrong), row 2 class 0 (right)
    # ½·λ·ΣW²: W1 has 1 + 1 + 4 = 6, W2 has 2; biases do not count.
    assert hand_net(0.5).loss(x, t) == pytest.approx(expected + 0.5 * 0.5 * 8, rel=1e-14)
    loss, accuracy = net.evaluate(x, t)
    assert (loss, accuracy) == (pytest.approx(expected, rel=1e-14), 0.5)


def test_hand_gradient_of_the_output_layer():
    net = hand_net()
    x, t = np.array([[1.0, 1.0]]), np.array([1])
    p = math.e**3 / (math.e**3 + 1)  # softmax of (3, 0), class 0
    g = net.gradient(x, t)
    # δ2 = (p − 1[t]) = (p, −p); ∂W2 = z1ᵀ δ2 with z1 = (3, 0); ∂b2 = δ2.
    np.testing.assert_allclose(g["W2"], [[3 * p, -3 * p], [0.0, 0.0]], rtol=1e-14)
    np.testing.assert_allclose(g["b2"], [p, -p], rtol=1e-14)


def test_a_confidently_wrong_network_reports_its_true_loss():
    net = hand_net()
    net.params["W2"][...] *= 400  # scores (1200, 0): exp overflows in a naive softmax
    loss = net.loss(np.array([[1.0, 1.0]]), np.array([1]))
    assert loss == pytest.approx(1200.0, rel=1e-12)  # the book's −log(p + 1e-7) would say 16.1


@pytest.mark.parametrize(
    ("init", "gain"), [("relu", 2.0), ("he", 2.0), ("sigmoid", 1.0), ("xavier", 1.0)]
)
def test_initial_weights_have_the_named_scale(init, gain):
    net = MLP(400, [300], 10, weight_init_std=init, seed=0)
    assert np.std(net.params["W1"]) == pytest.approx(math.sqrt(gain / 400), rel=0.02)
    assert np.std(net.params["W2"]) == pytest.approx(math.sqrt(gain / 300), rel=0.05)
    assert not np.any(net.params["b1"])
    assert init_scale(0.01, 400) == 0.01


def test_same_seed_same_weights_and_keys_in_order():
    a, b = MLP(3, [4, 5], 2, seed=7), MLP(3, [4, 5], 2, seed=7)
    assert list(a.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert a.params["W2"].shape == (4, 5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "gelu"}, "Invalid activation"),
        ({"weight_init_std": "lecun"}, "Invalid weight_init_std"),
        ({"weight_init_std": -1.0}, "Invalid weight_init_std"),
        ({"weight_decay_lambda": float("nan")}, "Invalid weight_decay_lambda"),
    ],
)
def test_nonsense_settings_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(2, [3], 2, **kwargs)


def test_bad_shapes_and_labels_are_refused():
    net = MLP(2, [3], 2, seed=0)
    with pytest.raises(ValueError, match="expected shape"):
        net.loss(np.zeros((4, 3)), np.zeros(4, int))
    with pytest.raises(ValueError, match="labels must be in"):
        net.loss(np.zeros((2, 2)), np.array([0, 2]))
    with pytest.raises(ValueError, match="one-hot"):
        net.loss(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="hidden size 1"):
        MLP(2, [0], 2)


def test_book_update_interface_trains_the_network():
    """``optimizer.update(net.params, net.gradient(x, t))`` lowers the loss, for every
    first-order optimizer at its defaults, on a separable problem."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2))
    t = (x[:, 0] > 0).astype(int)
    for key, cls in REGISTRY.items():
        if getattr(cls, "needs_hessian", False):
            continue
        net = MLP(2, [8], 2, seed=1)
        opt = cls(lr=0.01) if "lr" in cls._specs else cls()
        before = net.loss(x, t)
        for _ in range(50):
            opt.update(net.params, net.gradient(x, t))
        assert net.loss(x, t) < before, key


def test_gradient_out_arrays_are_filled_in_place():
    net = MLP(3, [4], 2, seed=0)
    x, t = np.ones((2, 3)), np.array([0, 1])
    flat, grads = flat_views(net.params)
    returned = net.gradient(x, t, out=grads)
    assert returned is grads
    fresh = net.gradient(x, t)
    for key in fresh:
        np.testing.assert_array_equal(grads[key], fresh[key])
        assert np.shares_memory(grads[key], flat)


def test_flat_views_are_the_params_in_one_vector():
    net = MLP(3, [4], 2, seed=0)
    flat, views = flat_views(net.params)
    expected = np.concatenate([v.ravel() for v in net.params.values()])
    np.testing.assert_array_equal(flat, expected)
    flat[0] = 99.0
    assert views["W1"][0, 0] == 99.0
    assert net.params["W1"][0, 0] != 99.0  # a copy: the network's own params are untouched
