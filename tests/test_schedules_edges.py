"""Learning-rate schedules at their edges: parameter limits, integer steps, schedules without
parameters, and the per-step rates across the blocks LearningRates computes them in."""

import math

import numpy as np
import pytest

from gui.model.schedules import BLOCK, SCHEDULES, LearningRates, learning_rates, normalised

STEP_COUNTS = [(s.key, h) for s in SCHEDULES.values() for h in s.params if h.name in s.integers]
SHARES = [(s.key, h) for s in SCHEDULES.values() for h in s.params if h.name not in s.integers]


@pytest.mark.parametrize(("key", "h"), STEP_COUNTS, ids=[f"{k}.{h.name}" for k, h in STEP_COUNTS])
def test_step_counts_accept_one_and_any_larger_count(key, h):
    assert normalised(key, {h.name: 1})["params"][h.name] == 1.0
    assert normalised(key, {h.name: 10**7})["params"][h.name] == 1e7  # no maximum
    with pytest.raises(ValueError, match=rf"Invalid {h.name}: 0\.99 \(must be in \[1, inf\)\)"):
        normalised(key, {h.name: 0.99})
    # The slider starts at the smallest count the rule accepts, spans decades on a log scale,
    # and ends at a round power of ten.
    assert h.low == h.minimum == 1.0 and h.log
    assert h.high > 1 and math.log10(h.high).is_integer()
    assert h.name and h.help


@pytest.mark.parametrize(("key", "h"), SHARES, ids=[f"{k}.{h.name}" for k, h in SHARES])
def test_shares_of_the_rate_stop_at_the_full_rate(key, h):
    # Every factor lies in [0, 1] (module docstring), so no share may exceed 1.
    assert h.maximum == 1.0 and h.high <= 1.0
    assert normalised(key, {h.name: 1.0})["params"][h.name] == 1.0
    with pytest.raises(ValueError, match=rf"Invalid {h.name}: 1\.001"):
        normalised(key, {h.name: 1.001})
    assert h.name and h.help


def test_only_the_multiplying_shares_refuse_zero():
    for key, name in [("step", "gamma"), ("exponential", "gamma"), ("warmup", "start")]:
        with pytest.raises(ValueError, match=rf"Invalid {name}: 0\.0 \(must be in \(0, 1\]\)"):
            normalised(key, {name: 0.0})
    assert normalised("cosine", {"floor": 0.0})["params"]["floor"] == 0.0
    start = {h.name: h for h in SCHEDULES["warmup"].params}["start"]
    assert start.log and start.low > 0  # 0.001 to 1: three decades


def test_unknown_schedule_lists_every_known_one():
    with pytest.raises(ValueError) as caught:
        normalised("linear", {})
    assert str(caught.value) == (
        "Unknown schedule 'linear'; known: "
        "constant, step, exponential, cosine, warmup, warmup_cosine"
    )


@pytest.mark.parametrize("key", sorted(SCHEDULES))
def test_factors_of_integer_steps_are_floats(key):
    f = SCHEDULES[key].factor([0, 1, 2])
    assert f.dtype == np.float64, f.dtype


def cosine(t, steps=500.0, floor=0.0):
    return floor + (1 - floor) * (1 + math.cos(math.pi * min(t, steps) / steps)) / 2


def test_a_schedule_without_params_uses_its_defaults():
    rates = learning_rates({"key": "cosine"}, 0.2)  # steps 500, floor 0
    assert rates.at(0) == 0.2
    assert rates.at(250) == pytest.approx(0.1, abs=1e-15)
    assert rates.at(500) == 0.0 and rates.at(7000) == 0.0


def test_rates_across_blocks_and_backwards_follow_the_formula():
    rates = learning_rates({"key": "cosine", "params": {"steps": 3000}}, 0.5)
    order = [*range(2 * BLOCK + 10), 5, BLOCK - 1, BLOCK, 3 * BLOCK + 1, 0]
    for t in order:
        assert rates.at(t) == pytest.approx(0.5 * cosine(t, 3000), rel=1e-12, abs=1e-15), t


def test_factors_are_computed_once_per_block():
    calls = []
    schedule = SCHEDULES["exponential"]

    def counted(t, gamma):
        calls.append((t[0], len(t)))
        return schedule.rule(t, gamma)

    rates = LearningRates(
        type(schedule)("counted", "", "", schedule.params, counted), {"gamma": 0.99}, 1.0
    )
    for t in range(2 * BLOCK + 1):
        assert rates.at(t) == pytest.approx(0.99**t, rel=1e-12)
        assert rates.at(t) == pytest.approx(0.99**t, rel=1e-12)  # asked twice: no new block
    assert calls == [(0, BLOCK), (BLOCK, BLOCK), (2 * BLOCK, BLOCK)]


class Settling:
    """The contract apply() relies on: lr is a plain attribute, _settled re-derives from it."""

    def __init__(self):
        self.lr, self.seen = 1.0, []

    def _settled(self):
        self.seen.append(self.lr)


class Plain:
    def __init__(self):
        self.lr = 1.0


def test_apply_writes_the_rate_and_lets_the_optimizer_settle():
    rates = learning_rates({"key": "step", "params": {"step_size": 2, "gamma": 0.5}}, 0.8)
    opt = Settling()
    for t in range(5):
        rates.apply(opt, t)
    assert opt.seen == [0.8, 0.8, 0.4, 0.4, 0.2]
    plain = Plain()  # an optimizer without _settled is simply given its rate
    rates.apply(plain, 3)
    assert plain.lr == 0.4
