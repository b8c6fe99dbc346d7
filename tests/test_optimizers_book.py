"""The book's six optimizers against numbers recorded from the book's own code, bit for bit.

``data/book_optimizers.json`` holds trajectories produced by running "Deep Learning from Scratch"
``common/optimizer.py`` in float64 (its ``about`` field says exactly how): the chapter 6
comparison on f(x, y) = x²/20 + y² from (-7, 2), positions after every step 0..30, for all six
optimizers with the chapter's and other settings; and a dict of three arrays updated 200 times
with grads[k] = 0.5·p·(1 + sin(t + p)), recorded after steps 1, 2, 5, 10, 50 and 200. Ours must
reproduce every recorded number exactly: a difference of 0, not a tolerance.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

REFERENCE = json.loads((Path(__file__).parent / "data" / "book_optimizers.json").read_text())
OURS = {
    "SGD": SGD,
    "Momentum": Momentum,
    "Nesterov": Nesterov,
    "AdaGrad": AdaGrad,
    "RMSprop": RMSprop,
    "Adam": Adam,
}
# The book's constructors: arguments in their positional order, with their defaults. AdaGrad,
# RMSprop and Adam divide by sqrt(h) + 1e-7, a constant the book writes into the update.
BOOK_SIGNATURES = {
    "SGD": {"lr": 0.01},
    "Momentum": {"lr": 0.01, "momentum": 0.9},
    "Nesterov": {"lr": 0.01, "momentum": 0.9},
    "AdaGrad": {"lr": 0.01},
    "RMSprop": {"lr": 0.01, "decay_rate": 0.99},
    "Adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999},
}
BOOK_EPS = 1e-7


def case_id(record: dict) -> str:
    settings = ",".join(f"{k}={v}" for k, v in record["kwargs"].items())
    return f"{record['optimizer']}({settings})"


def built_both_ways(record: dict) -> list:
    """Ours from the record's keywords, and from positional arguments in the book's order."""
    cls, kwargs = OURS[record["optimizer"]], record["kwargs"]
    book = BOOK_SIGNATURES[record["optimizer"]]
    assert set(kwargs) <= set(book)
    positional = [kwargs.get(name, default) for name, default in book.items()]
    return [cls(**kwargs), cls(*positional)]


CHAPTER = [pytest.param(r, id=case_id(r)) for r in REFERENCE["chapter"]]
ARRAYS = [pytest.param(r, id=case_id(r)) for r in REFERENCE["arrays"]]


def test_the_reference_covers_all_six_in_both_experiments():
    assert {r["optimizer"] for r in REFERENCE["chapter"]} == set(OURS)
    assert {r["optimizer"] for r in REFERENCE["arrays"]} == set(OURS)
    assert all(len(r["path"]) == 31 for r in REFERENCE["chapter"])
    assert all(list(r["params_after"])[-1] == "200" for r in REFERENCE["arrays"])


@pytest.mark.parametrize("name", OURS)
def test_defaults_and_positional_order_are_the_books(name):
    book = BOOK_SIGNATURES[name]
    expected = {**book, **({"eps": BOOK_EPS} if name in ("AdaGrad", "RMSprop", "Adam") else {})}
    assert OURS[name]().settings() == expected
    other = {key: value / 2 for key, value in book.items()}  # distinct from every default
    assert OURS[name](*other.values()).settings() == {**expected, **other}


@pytest.mark.parametrize("record", CHAPTER)
def test_the_chapters_comparison_bit_for_bit(record):
    expected = np.array(record["path"])
    for optimizer in built_both_ways(record):
        params = {"x": -7.0, "y": 2.0}  # Python floats, as the chapter's script has them
        path = [(params["x"], params["y"])]
        for _ in range(30):
            optimizer.update(params, {"x": params["x"] / 10.0, "y": 2.0 * params["y"]})
            assert type(params["x"]) is float and type(params["y"]) is float
            path.append((params["x"], params["y"]))
        np.testing.assert_array_equal(np.array(path), expected, strict=True)


@pytest.mark.parametrize("record", ARRAYS)
def test_a_dict_of_arrays_bit_for_bit_and_in_place(record):
    recorded = {int(step): arrays for step, arrays in record["params_after"].items()}
    for optimizer in built_both_ways(record):
        params = {k: np.array(v, dtype=np.float64) for k, v in REFERENCE["arrays_initial"].items()}
        held = dict(params)  # what a network would hold: the very arrays it handed over
        for t in range(max(recorded)):
            grads = {k: 0.5 * p * (1 + np.sin(t + p)) for k, p in params.items()}
            optimizer.update(params, grads)
            for key, expected in recorded.get(t + 1, {}).items():
                np.testing.assert_array_equal(params[key], np.array(expected), strict=True)
        assert all(params[key] is held[key] for key in held)
        stateless = record["optimizer"] == "SGD"
        assert set(optimizer.state) == (set() if stateless else set(held))
