"""What every optimizer promises: declared specs, eager validation, lazy state, reset, registry."""

import inspect
import math
import re

import numpy as np
import pytest
from test_optimizers_surfaces import wobbly

from optimizers import REGISTRY, AdamW, Hyper, Momentum, Optimizer, Rprop, create

CLASSES = pytest.mark.parametrize("cls", REGISTRY.values(), ids=REGISTRY.keys())
# Newton solves each point's two coordinates together from Hessians passed in by set_hessians, so
# the element-wise checks below (update() on any shape, without Hessians) do not apply to it.
ELEMENTWISE = [c for c in REGISTRY.values() if not getattr(c, "needs_hessian", False)]
ELEMENTWISE_CLASSES = pytest.mark.parametrize("cls", ELEMENTWISE, ids=[c.key for c in ELEMENTWISE])


def run(optimizer, steps=40, start=((-1.0, 0.8), (1.7, 1.1))):
    params = {"p": np.array(start, dtype=float)}
    path = []
    for _ in range(steps):
        optimizer.update(params, {"p": wobbly(params["p"])})
        path.append(params["p"].copy())
    return np.array(path)


# --- the registry -----------------------------------------------------------------------------


def test_registry_lists_the_books_six_first_then_the_rest():
    assert list(REGISTRY) == [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
        "adadelta", "adamw", "adamax", "nadam", "radam", "amsgrad", "rprop",
        "lion", "qhm", "qhadam", "adabelief", "adan", "newton",
    ]  # fmt: skip
    assert all(cls.key == key for key, cls in REGISTRY.items())
    assert len({cls.title for cls in REGISTRY.values()}) == len(REGISTRY)


def test_create_builds_by_short_name_and_names_the_known_ones_when_it_cannot():
    adam = create("adam", lr=0.3)
    assert type(adam) is REGISTRY["adam"] and adam.lr == 0.3
    with pytest.raises(ValueError, match=r"'adamm'.*sgd, momentum.*adabelief"):
        create("adamm")


# --- declared hyperparameters -----------------------------------------------------------------


@CLASSES
def test_hyperparameters_are_declared_as_sensible_data(cls):
    names = [h.name for h in cls.hyperparams]
    assert names[0] == "lr" and len(set(names)) == len(names)
    assert list(inspect.signature(cls).parameters) == names
    for h in cls.hyperparams:
        assert h.low < h.high and h.low <= h.default <= h.high, h.name
        for value in (h.default, h.low, h.high):  # the whole slider is valid
            h.check(value)
        assert not h.log or h.low > 0, h.name
        assert h.help and "\n" not in h.help, h.name
    assert cls().settings() == {h.name: h.default for h in cls.hyperparams}
    assert cls.title and cls.__doc__ and "←" in cls.__doc__  # the rule, as equations


@CLASSES
def test_learning_rates_and_eps_slide_on_a_log_scale(cls):
    for h in cls.hyperparams:
        if h.name in ("lr", "eps"):
            assert h.log, h.name


@CLASSES
def test_positional_arguments_follow_the_declared_order(cls):
    values = [h.high for h in cls.hyperparams]
    if cls is Rprop:
        values[3] = 1e-3  # step_min may not exceed step_max
    assert list(cls(*values).settings().values()) == values


# --- refusing nonsense ------------------------------------------------------------------------

NONSENSE = [
    ("sgd", {"lr": -0.1}, "lr", "-0.1"),
    ("sgd", {"lr": 0.0}, "lr", "0.0"),
    ("sgd", {"lr": math.nan}, "lr", "nan"),
    ("sgd", {"lr": math.inf}, "lr", "inf"),
    ("momentum", {"momentum": 1.0}, "momentum", "1.0"),
    ("momentum", {"momentum": -0.5}, "momentum", "-0.5"),
    ("nesterov", {"momentum": 0.0}, "momentum", "0.0"),
    ("adagrad", {"eps": -1e-7}, "eps", "-1e-07"),
    ("rmsprop", {"decay_rate": 1.0}, "decay_rate", "1.0"),
    ("adam", {"beta1": 1.0}, "beta1", "1.0"),
    ("adam", {"beta2": -0.1}, "beta2", "-0.1"),
    ("adam", {"beta1": np.array([0.9, 1.5, 0.8])}, "beta1", "1.5"),
    ("adam", {"lr": -1.0}, "lr", "-1.0"),
    ("adadelta", {"rho": 1.5}, "rho", "1.5"),
    ("adadelta", {"eps": -1.0}, "eps", "-1.0"),
    ("adamw", {"weight_decay": -0.01}, "weight_decay", "-0.01"),
    ("adamax", {"beta2": 1.0}, "beta2", "1.0"),
    ("nadam", {"momentum_decay": -0.004}, "momentum_decay", "-0.004"),
    ("radam", {"eps": -1e-8}, "eps", "-1e-08"),
    ("amsgrad", {"beta1": 2.0}, "beta1", "2.0"),
    ("rprop", {"eta_minus": 1.0}, "eta_minus", "1.0"),
    ("rprop", {"eta_minus": 0.0}, "eta_minus", "0.0"),
    ("rprop", {"eta_plus": 1.0}, "eta_plus", "1.0"),
    ("rprop", {"eta_plus": 0.9}, "eta_plus", "0.9"),
    ("rprop", {"step_min": 60.0}, "step_min", "60.0"),
    ("rprop", {"step_min": -1e-6}, "step_min", "-1e-06"),
    ("rprop", {"step_max": 0.0}, "step_max", "0.0"),
    ("lion", {"beta2": 1.0}, "beta2", "1.0"),
    ("lion", {"weight_decay": -1.0}, "weight_decay", "-1.0"),
    ("qhm", {"nu": 1.5}, "nu", "1.5"),
    ("qhm", {"momentum": 1.0}, "momentum", "1.0"),
    ("qhadam", {"nu1": -0.1}, "nu1", "-0.1"),
    ("qhadam", {"nu2": 2.0}, "nu2", "2.0"),
    ("adabelief", {"eps": -1e-16}, "eps", "-1e-16"),
]


@pytest.mark.parametrize(
    ("key", "hyper", "name", "value"), NONSENSE, ids=[f"{k}-{n}={v}" for k, _, n, v in NONSENSE]
)
def test_nonsense_is_refused_naming_the_parameter_and_value(key, hyper, name, value):
    with pytest.raises(ValueError, match=rf"^Invalid {name}: {re.escape(value)} \(") as caught:
        create(key, **hyper)
    assert "must" in str(caught.value)


@CLASSES
def test_unknown_or_doubled_arguments_are_type_errors(cls):
    with pytest.raises(TypeError, match="learning_rate"):
        cls(learning_rate=0.1)
    with pytest.raises(TypeError, match="'lr'"):
        cls(0.1, lr=0.2)
    with pytest.raises(TypeError, match="positional"):
        cls(*[h.default for h in cls.hyperparams], 1.0)
    with pytest.raises(TypeError, match="Invalid lr"):
        cls(lr="fast")


def test_assigning_a_hyperparameter_validates_it_and_keeps_the_old_value_on_failure():
    opt = Momentum()
    opt.momentum = 0.5
    assert opt.momentum == 0.5
    with pytest.raises(ValueError, match=r"Invalid momentum: 1\.0"):
        opt.momentum = 1.0
    assert opt.momentum == 0.5
    rprop = Rprop()
    with pytest.raises(ValueError, match=r"Invalid step_min: 100\.0"):
        rprop.step_min = 100.0  # beyond step_max: the cross-field check runs too
    assert rprop.step_min == 1e-6


def test_array_hyperparameters_are_copied_read_only():
    lr = np.array([0.1, 0.2])
    opt = create("sgd", lr=lr)
    lr[0] = -5.0  # the optimizer checked the values it keeps, not this array
    assert opt.lr[0] == 0.1 and not opt.lr.flags.writeable


def test_hyper_interval_reads_like_mathematics():
    assert Hyper("momentum", 0.9, 0, 1, maximum=1, exclusive_max=True).interval() == "[0, 1)"
    assert Hyper("lr", 0.1, 0, 1, exclusive_min=True).interval() == "(0, inf)"


# --- state ------------------------------------------------------------------------------------


@ELEMENTWISE_CLASSES
def test_state_is_lazy_per_key_and_holds_the_glyph_buffers(cls):
    opt = cls()
    assert opt.state == {} and opt.t == 0
    params = {"a": np.array([1.0, -2.0]), "b": np.array([[0.5], [0.3]])}
    opt.update(params, {"a": np.array([0.3, -0.1]), "b": np.array([[1.0], [-1.0]])})
    assert opt.t == 1
    for glyph in opt.glyphs:
        assert glyph.kind in ("vector", "rate", "step")
        for key, p in params.items():
            assert opt.state[key][glyph.buffer].shape == p.shape
        if glyph.kind == "rate":
            rate = opt.effective_rate("a")
            assert rate.shape == (2,) and np.all(np.isfinite(rate)) and np.all(rate > 0)


@ELEMENTWISE_CLASSES
def test_reset_clears_state_so_a_second_run_equals_the_first(cls):
    opt = cls()
    first = run(opt)
    opt.reset()
    assert opt.state == {} and opt.t == 0
    np.testing.assert_array_equal(run(opt), first)


@ELEMENTWISE_CLASSES
def test_float32_params_stay_float32_and_in_place(cls):
    p = np.array([[-1.0, 0.8], [1.7, 1.1]], dtype=np.float32)
    params = {"p": p}
    opt = cls()
    for _ in range(10):
        opt.update(params, {"p": wobbly(p)})
    assert params["p"] is p and p.dtype == np.float32 and np.all(np.isfinite(p))
    np.testing.assert_allclose(p, run(cls(), steps=10)[-1], rtol=1e-4, atol=1e-5)


def test_integer_params_are_refused():
    with pytest.raises(TypeError, match="'w'"):
        create("sgd").update({"w": np.array([1, 2])}, {"w": np.array([1, 1])})


# --- what the glyphs show ---------------------------------------------------------------------

RATE_ACTS_ON = [
    ("adagrad", {}, "g"),
    ("rmsprop", {}, "g"),
    ("adam", {}, "m"),
    ("adamw", {"weight_decay": 0.0}, "m"),
    ("amsgrad", {}, "m"),
    ("adamax", {}, "m"),
    ("adabelief", {}, "m"),
]


@pytest.mark.parametrize(("key", "hyper", "direction"), RATE_ACTS_ON)
def test_the_effective_rate_is_what_the_last_step_applied(key, hyper, direction):
    opt = create(key, lr=0.05, **hyper)
    params = {"p": np.array([[-1.0, 0.8], [1.7, 1.1]])}
    for _ in range(5):
        before = params["p"].copy()
        g = wobbly(before)
        opt.update(params, {"p": g})
    moved = before - params["p"]
    along = g if direction == "g" else opt.state["p"]["m"]
    np.testing.assert_allclose(moved, opt.effective_rate("p") * along, rtol=1e-12)


def test_vector_glyphs_say_which_way_they_point():
    assert Momentum.glyphs[0].uphill is False  # the velocity is the step itself
    assert AdamW.glyphs[0].uphill is True  # m averages gradients: it points uphill


def test_base_optimizer_has_no_rate_without_a_rate_glyph():
    with pytest.raises(NotImplementedError):
        create("sgd").effective_rate("p")
    assert Optimizer.glyphs == ()
