"""The book's six optimizers against a literal transcription of the book's classes.

The reference classes below are "Deep Learning from Scratch" ``common/optimizer.py`` as printed
(Nesterov in its corrected form from the errata), kept independent of ``optimizers/``.
"""

# The reference is transcribed letter for letter, ``params.keys()`` included.
# ruff: noqa: SIM118

import numpy as np
import pytest

from optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop


class BookSGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class BookMomentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class BookNesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]


class BookAdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookRMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


# (ours, book's, positional arguments in the book's order)
PAIRS = [
    pytest.param(SGD, BookSGD, (0.95,), id="sgd"),
    pytest.param(Momentum, BookMomentum, (0.1, 0.9), id="momentum"),
    pytest.param(Momentum, BookMomentum, (0.05, 0.5), id="momentum-0.5"),
    pytest.param(Nesterov, BookNesterov, (0.1, 0.9), id="nesterov"),
    pytest.param(Nesterov, BookNesterov, (0.02, 0.7), id="nesterov-0.7"),
    pytest.param(AdaGrad, BookAdaGrad, (1.5,), id="adagrad"),
    pytest.param(RMSprop, BookRMSprop, (0.1,), id="rmsprop"),
    pytest.param(RMSprop, BookRMSprop, (0.05, 0.9), id="rmsprop-0.9"),
    pytest.param(Adam, BookAdam, (0.3,), id="adam"),
    pytest.param(Adam, BookAdam, (0.1, 0.8, 0.99), id="adam-betas"),
]


def book_bowl(params):
    """The book's chapter 6 function f(x, y) = x²/20 + y²."""
    return {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}


def wobbly(params):
    """A gradient with no structure an optimizer could exploit: sines of every element."""
    return {key: np.sin(3.0 * p) + 0.5 * p for key, p in params.items()}


@pytest.mark.parametrize(("ours", "book", "args"), PAIRS)
def test_defaults_and_positional_order_are_the_books(ours, book, args):
    for mine, reference in [(ours(), book()), (ours(*args), book(*args))]:
        book_names = {n for n in vars(reference) if n not in ("v", "h", "m", "iter")}
        assert book_names <= set(mine.settings())
        for name, value in mine.settings().items():
            assert value == (1e-7 if name == "eps" else getattr(reference, name)), name


@pytest.mark.parametrize(("ours", "book", "args"), PAIRS)
def test_floats_follow_the_book(ours, book, args):
    mine, reference = ours(*args), book(*args)
    p, q = {"x": -7.0, "y": 2.0}, {"x": -7.0, "y": 2.0}
    for _ in range(200):
        mine.update(p, book_bowl(p))
        reference.update(q, book_bowl(q))
        assert type(p["x"]) is float and type(p["y"]) is float
        np.testing.assert_allclose([p["x"], p["y"]], [q["x"], q["y"]], rtol=1e-12, atol=0)


@pytest.mark.parametrize(("ours", "book", "args"), PAIRS)
def test_arrays_follow_the_book_in_place(ours, book, args):
    rng = np.random.default_rng(7)
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 2, 2), "s": ()}
    start = {key: rng.standard_normal(shape) for key, shape in shapes.items()}
    p = {key: a.copy() for key, a in start.items()}
    q = {key: a.copy() for key, a in start.items()}
    held = dict(p)  # what a network would hold: the very arrays it handed over
    mine, reference = ours(*args), book(*args)
    for _ in range(100):
        mine.update(p, wobbly(p))
        reference.update(q, wobbly(q))
    for key in shapes:
        assert p[key] is held[key]
        np.testing.assert_allclose(p[key], q[key], rtol=1e-12, atol=0)
    assert set(mine.state) == (set() if ours is SGD else set(shapes))  # SGD keeps no state


BOOK_EXPERIMENT = [
    pytest.param(SGD(lr=0.95), BookSGD(lr=0.95), id="SGD"),
    pytest.param(Momentum(lr=0.1), BookMomentum(lr=0.1), id="Momentum"),
    pytest.param(AdaGrad(lr=1.5), BookAdaGrad(lr=1.5), id="AdaGrad"),
    pytest.param(Adam(lr=0.3), BookAdam(lr=0.3), id="Adam"),
]


def run_book_experiment(optimizer):
    """ch06/optimizer_compare_naive.py: 30 updates from (-7, 2), recording before each."""
    params = {"x": -7.0, "y": 2.0}
    xs, ys = [], []
    for _ in range(30):
        xs.append(params["x"])
        ys.append(params["y"])
        optimizer.update(params, book_bowl(params))
    return np.array([xs, ys])


@pytest.mark.parametrize(("ours", "book"), BOOK_EXPERIMENT)
def test_the_books_experiment_point_by_point(ours, book):
    np.testing.assert_allclose(run_book_experiment(ours), run_book_experiment(book), rtol=1e-12)


def test_sgd_closed_form_on_the_books_bowl():
    t = np.arange(30)
    x, y = run_book_experiment(SGD(0.95))
    np.testing.assert_allclose(x, -7.0 * (1 - 0.095) ** t, rtol=1e-12)
    np.testing.assert_allclose(y, 2.0 * (1 - 1.9) ** t, rtol=1e-12)
