"""Large params are updated in blocks on every core: the result must equal one whole-array pass
to the last bit, for every optimizer, with state created lazily as before."""

import warnings

import numpy as np
import pytest

from optimizers import REGISTRY, blocks

STEPS = 4


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 1,000 elements and a thread per 4,000: many blocks and every core in use, on
    arrays small enough for a fast test. The last block of each thread's run is a short one."""
    monkeypatch.setattr(blocks, "BLOCK", 1000)
    monkeypatch.setattr(blocks, "MIN_SIZE", 4000)
    monkeypatch.setattr(blocks, "THREAD_SIZE", 4000)


def run(cls, p0, grads, **hyper):
    opt = cls(**hyper)
    params = {"w": p0.copy(), "b": np.array([0.3, -0.2])}
    held = params["w"]
    for g in grads:
        opt.update(params, {"w": g, "b": g[0]})
    assert params["w"] is held
    return params, opt


# Newton reads Hessians handed in beside the gradients, which blocks would not slice.
ELEMENTWISE = {
    key: cls
    for key, cls in REGISTRY.items()
    if cls.elementwise and not getattr(cls, "needs_hessian", False)
}


@pytest.mark.parametrize("cls", ELEMENTWISE.values(), ids=ELEMENTWISE.keys())
def test_blocks_on_every_core_equal_one_pass_bit_for_bit(cls, small_blocks, monkeypatch):
    rng = np.random.default_rng(1)
    p0 = rng.standard_normal((7777, 2))  # 15,554 elements: 16 blocks, the last one short
    grads = [rng.standard_normal(p0.shape) for _ in range(STEPS)]
    blocked, opt_b = run(cls, p0, grads)
    monkeypatch.setattr(blocks, "MIN_SIZE", 10**9)
    whole, opt_w = run(cls, p0, grads)
    for key in whole:
        np.testing.assert_array_equal(blocked[key], whole[key])
    assert opt_b.state.keys() == opt_w.state.keys()
    for key in opt_w.state:
        assert opt_b.state[key].keys() == opt_w.state[key].keys()
        for name, buf in opt_w.state[key].items():
            np.testing.assert_array_equal(opt_b.state[key][name], buf, err_msg=name)
    assert all(type(k) is str for k in opt_b.state)


def test_small_and_awkward_params_take_the_direct_path(small_blocks, monkeypatch):
    calls = []
    monkeypatch.setattr(blocks, "run", lambda *args: calls.append(args))
    opt = REGISTRY["adam"]()
    big = np.ones((100, 100))
    opt.update({"a": np.ones(10)}, {"a": np.ones(10)})
    opt.update({"b": big.T}, {"b": big})  # not C-contiguous: a flat view would be a copy
    opt.update({"c": big}, {"c": np.ones(100)})  # a broadcast gradient
    REGISTRY["adam"](lr=np.full((100, 100), 0.1)).update({"p": big}, {"p": big})
    assert calls == []
    opt.update({"q": big}, {"q": big})
    assert len(calls) == 1


def test_the_callers_error_state_holds_in_every_block(small_blocks):
    p = np.full(20_000, 1e308)
    opt = REGISTRY["sgd"](lr=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            opt.update({"p": p}, {"p": np.full(20_000, -1e308)})  # overflows quietly
    assert np.all(np.isinf(p))
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        opt.update({"p": np.full(20_000, 1e308)}, {"p": np.full(20_000, -1e308)})
