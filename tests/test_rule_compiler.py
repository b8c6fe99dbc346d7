"""The rule compiler on its own: order of operations, scratch reuse, refusals, and the two forms
of every optimizer's step (unrolled floats, ufuncs on arrays) agreeing to the last bit."""

from __future__ import annotations

import numpy as np
import pytest

from optimizers import REGISTRY
from optimizers.base import Hyper, Optimizer
from optimizers.compile import MAX_UNROLLED, Program
from optimizers.rule import Rule, RuleError, read

RULED = [cls for cls in REGISTRY.values() if cls.rule is not None]


def _program(*lines: str, state: tuple[str, ...] = (), names: tuple[str, ...] = ("c",)):
    return Program(read(Rule(lines, state=state), names))


def _make(rule: Rule, *specs: Hyper) -> type[Optimizer]:
    namespace = {"key": "made", "title": "Made", "hyperparams": specs, "rule": rule}
    return type("Made", (Optimizer,), namespace)


def _scalar_spec(name: str, default: float) -> Hyper:
    return Hyper(name, default, -10.0, 10.0, minimum=-10.0)


# --- order of operations -------------------------------------------------------------------------


def test_sums_keep_their_order_to_the_last_bit_in_both_forms():
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 left to right and 0.6 the other way round: a
    # compiler that regrouped the sum would land on the other number.
    assert (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)
    cls = _make(Rule(("p ← p + g + c",)), _scalar_spec("c", 0.3))
    for size in (2, MAX_UNROLLED + 4):  # the unrolled form, then the array form
        p, g = np.full(size, 0.1), np.full(size, 0.2)
        cls().update({"w": p}, {"w": g})
        assert np.all(p == (0.1 + 0.2) + 0.3)
    # brackets in the line are kept too
    cls = _make(Rule(("p ← p + (g + c)",)), _scalar_spec("c", 0.3))
    for size in (2, MAX_UNROLLED + 4):
        p, g = np.full(size, 0.1), np.full(size, 0.2)
        cls().update({"w": p}, {"w": g})
        assert np.all(p == 0.1 + (0.2 + 0.3))


def test_a_square_is_the_product_numpy_takes():
    x = np.array([1.0 + 2**-30, 3.0000001, -7.1])
    cls = _make(Rule(("p ← g**2",)))
    p = np.zeros(3)
    cls().update({"w": p}, {"w": x})
    assert np.array_equal(p, x * x) and np.array_equal(p, np.square(x))


# --- scratch arrays ------------------------------------------------------------------------------


def test_adam_runs_in_two_scratch_arrays_and_twelve_calls():
    program = REGISTRY["adam"].program
    assert program.array.scratch == 2
    calls = [line for line in program.array.source.splitlines() if "np." in line]
    assert len(calls) == 12


def test_a_scratch_array_is_reused_as_soon_as_its_value_is_dead():
    # Four products summed one after another: each product dies in the sum that reads it, so
    # two scratch arrays do (the running sum, the next product), not four.
    program = _program("p ← p - (g*c + g*g*c + g*g*g*c + g*g*g*g*c)")
    assert program.array.scratch == 2
    # A temporary still needed later keeps its array: a, b and the product a*b are live at once.
    program = _program("a ← g*c", "b ← g + c", "p ← p - a*b + a + b")
    assert program.array.scratch == 3


def test_a_buffer_is_updated_in_place_once_its_old_value_is_read():
    # v ← momentum·v − lr·g: the product with v goes straight into v, as `v *= momentum` would.
    program = REGISTRY["momentum"].program
    assert program.array.scratch == 1
    assert "np.multiply(_k0, v, out=v)" in program.array.source


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "state", "message"),
    [
        (("m ← m + g", "p ← p - lr*mm"), ("m",), "line 2 'p ← p - lr*mm': unknown name 'mm'"),
        (("p ← p - exp(g)",), (), "line 1 'p ← p - exp(g)': unknown function 'exp'"),
        (("p ← p - g.real",), (), "line 1 'p ← p - g.real': Attribute is not allowed"),
        (("p ← p - g[0]",), (), "Subscript is not allowed"),
        (("p ← p - (lambda: g)()",), (), "line 1"),
        (("lr ← 2*lr", "p ← p - lr*g"), (), "line 1 'lr ← 2*lr': 'lr' cannot be assigned"),
        (("p ← p - lr*g",), ("m",), "state buffer 'm' is never assigned"),
        (("_x ← g", "p ← p - _x"), (), "names starting with '_' are reserved"),
        (("p ← p - lr*g if g else p",), (), "the test of 'a if x > b else c' is a comparison"),
        (("p ← p - lr*(g > 0)",), (), "a comparison may only be the test"),
        (("p = p - lr*g",), (), "expected 'name ← expression'"),
        (("k ← g", "k ← lr", "p ← p - k*g"), (), "line 2 'k ← lr': 'k' was per element above"),
    ],
)
def test_a_rule_outside_the_whitelist_is_refused_naming_its_line(lines, state, message):
    with pytest.raises(RuleError) as caught:
        read(Rule(lines, state=state), ("lr",))
    assert message in str(caught.value)


def test_a_scalar_reassigned_below_a_line_that_reads_it_is_refused():
    with pytest.raises(RuleError, match=r"line 3 .*reassigns 'k'.*line 2"):
        read(Rule(("k ← lr", "p ← p - k*g", "k ← 2*lr")), ("lr",))


# --- the two forms agree -------------------------------------------------------------------------


def _gradients(rng: np.random.Generator, size: int, steps: int) -> list[np.ndarray]:
    gs = [rng.standard_normal(size) * 10.0 ** rng.integers(-3, 3, size) for _ in range(steps)]
    gs[1][0] = 0.0  # a zero gradient: Rprop's and Adan's branches, a zero sign
    gs[2][:] = -gs[1]  # a flip of every sign
    return gs


def _run(cls: type[Optimizer], p: np.ndarray, gs: list[np.ndarray], settings: dict) -> dict:
    opt = cls(**settings)
    for g in gs:
        opt.update({"w": p}, {"w": g.copy()})
    return {"p": p, **{k: v.copy() for k, v in opt.state.get("w", {}).items()}}


@pytest.mark.parametrize("cls", RULED, ids=lambda c: c.key)
def test_the_unrolled_and_the_array_forms_take_the_same_steps_bit_for_bit(cls):
    rng = np.random.default_rng(7)
    settings = {h.name: h.high if h.name == "lr" else h.default for h in cls.hyperparams}
    gs = _gradients(rng, 2, 30)
    start = rng.standard_normal(2)
    small = _run(cls, start.copy(), gs, settings)
    # The same two coordinates inside a parameter too large to unroll: the array form.
    wide = [np.concatenate([g, rng.standard_normal(MAX_UNROLLED)]) for g in gs]
    large = _run(cls, np.concatenate([start, np.zeros(MAX_UNROLLED)]), wide, settings)
    for name, value in small.items():
        np.testing.assert_array_equal(value, large[name][:2], err_msg=name)


@pytest.mark.parametrize("cls", RULED, ids=lambda c: c.key)
def test_the_racer_stepper_takes_the_same_steps_as_update(cls):
    rng = np.random.default_rng(3)
    gs = _gradients(rng, 2, 25)
    by_update = _run(cls, np.array([0.5, -1.5]), gs, {})
    opt = cls()
    params, grads = {"xy": np.array([0.5, -1.5])}, {"xy": np.zeros(2)}
    step = opt.stepper(params, grads)
    for g in gs:
        grads["xy"][:] = g
        step()
    np.testing.assert_array_equal(params["xy"], by_update["p"])
    for name, value in opt.state.get("xy", {}).items():
        np.testing.assert_array_equal(value, by_update[name], err_msg=name)


def test_a_float_error_in_the_unrolled_form_falls_back_to_numpy_with_nothing_half_written():
    # g/(g − g) divides by zero: Python floats raise, numpy gives inf or nan; the state update
    # above it must happen exactly once.
    cls = _make(Rule(("m ← m + g", "p ← p - g/(g - g)"), state=("m",)))
    opt = cls()
    p, g = np.array([1.0, 2.0]), np.array([0.5, 0.0])
    with np.errstate(all="ignore"):
        opt.update({"w": p}, {"w": g})
        expected = np.array([1.0, 2.0]) - g / (g - g)
    np.testing.assert_array_equal(p, expected)  # -inf and nan, as numpy has it
    np.testing.assert_array_equal(opt.state["w"]["m"], g)


def test_a_scalar_line_that_fails_on_floats_takes_numpy_rules():
    # 1/(1 − c) with c = 1: a ZeroDivisionError for floats, inf for numpy.
    cls = _make(Rule(("k ← 1/(1 - c)", "p ← p - k*g")), _scalar_spec("c", 1.0))
    p = np.array([1.0, 1.0])
    with np.errstate(all="ignore"):
        cls().update({"w": p}, {"w": np.array([1.0, -1.0])})
    np.testing.assert_array_equal(p, [-np.inf, np.inf])


def test_array_hyperparameters_broadcast_through_the_compiled_step():
    # A sweep: one lr per row; row i must equal a run with that lr alone, bit for bit.
    lrs = np.array([0.01, 0.1, 0.5])
    rng = np.random.default_rng(0)
    start = rng.standard_normal(2)
    gs = [rng.standard_normal(2) for _ in range(10)]
    swept = np.tile(start, (3, 1))
    adam = REGISTRY["adam"](lr=lrs[:, None])
    for g in gs:
        adam.update({"w": swept}, {"w": np.tile(g, (3, 1))})
    for row, lr in zip(swept, lrs, strict=True):
        alone = _run(REGISTRY["adam"], start.copy(), gs, {"lr": float(lr)})
        np.testing.assert_array_equal(row, alone["p"])


def test_the_docstring_prints_the_lines_that_run():
    for cls in RULED:
        doc = cls.__doc__
        assert "generated from ``rule``" in doc
        for line in cls.rule.lines:
            assert line.split("←")[0].strip() + " ←" in doc


def test_the_optimizers_package_never_writes_a_step_by_hand_where_a_rule_would_do():
    # Every element-wise optimizer is a rule; only Newton (a 2×2 solve) keeps its own code.
    by_hand = [c.key for c in REGISTRY.values() if c.rule is None]
    assert by_hand == ["newton"]
