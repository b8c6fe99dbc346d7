"""Slider ↔ value mapping and the slider + spin box row generated from a spec."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.hyper_slider import STEPS, HyperSlider, to_position, to_value, valid_range
from optimizers import REGISTRY
from surfaces import SURFACES

SPECS = [(f"{key}.{h.name}", h) for key, cls in sorted(REGISTRY.items()) for h in cls.hyperparams]
SPECS += [(f"{key}.{p.name}", p) for key, s in sorted(SURFACES.items()) for p in s.params]


def half_step(spec, value):
    """How far one half slider step moves ``value`` (relative for log specs)."""
    if spec.log:
        return value * ((spec.high / spec.low) ** (0.5 / STEPS) - 1)
    return (spec.high - spec.low) / (2 * STEPS)


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=[n for n, _ in SPECS])
@given(frac=st.floats(0.0, 1.0))
def test_value_to_position_to_value_round_trips(name, spec, frac):
    if spec.log:
        value = spec.low * (spec.high / spec.low) ** frac
    else:
        value = spec.low + frac * (spec.high - spec.low)
    value = min(spec.high, max(spec.low, value))
    back = to_value(
        to_position(value, spec.low, spec.high, spec.log), spec.low, spec.high, spec.log
    )
    # Within one step: half for the slider's resolution, half for rounding to shown digits.
    assert abs(back - value) <= 2 * half_step(spec, value) + 1e-15, name


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=[n for n, _ in SPECS])
def test_slider_ends_and_default_are_valid_values(name, spec):
    for position in (0, STEPS // 2, STEPS):
        value = to_value(position, spec.low, spec.high, spec.log)
        assert spec.low <= value <= spec.high
        if hasattr(spec, "check"):
            spec.check(value)  # raises for a value the optimizer or surface would refuse
    assert 0 <= to_position(spec.default, spec.low, spec.high, spec.log) <= STEPS


def test_log_positions_are_even_in_the_logarithm():
    low, high = 1e-4, 1.0
    assert to_position(1e-2, low, high, True) == STEPS // 2
    assert to_position(1e-4, low, high, True) == 0
    assert to_position(5.0, low, high, True) == STEPS  # beyond the slider: clamped, not wrapped
    assert to_value(STEPS // 4, low, high, True) == pytest.approx(1e-3)


def test_row_emits_for_user_edits_only(qtbot):
    spec = REGISTRY["sgd"].hyperparams[0]
    row = HyperSlider(spec, 0.5)
    qtbot.addWidget(row)
    seen = []
    row.changed.connect(lambda name, value: seen.append((name, value)))
    row.set_value(0.25)  # a model → widget update must not echo back
    assert seen == [] and row.spin.value() == 0.25
    assert row.slider.value() == to_position(0.25, spec.low, spec.high, spec.log)
    row.slider.setValue(row.slider.value() + 30)
    assert seen[-1][0] == spec.name
    assert (
        seen[-1][1]
        == row.spin.value()
        == to_value(row.slider.value(), spec.low, spec.high, spec.log)
    )
    row.spin.setValue(0.125)
    assert seen[-1] == (spec.name, 0.125)
    assert row.toolTip().startswith(spec.help)


def test_spin_box_accepts_the_full_valid_range_beyond_the_slider():
    lr = REGISTRY["sgd"].hyperparams[0]
    low, high = valid_range(lr)
    assert low < lr.low and high > lr.high
    assert low > lr.minimum or not lr.exclusive_min  # an open end stays open
    if math.isinf(lr.maximum):
        assert high >= 1e12


def test_spin_box_shows_tiny_values_readably(qtbot):
    eps = next(h for h in REGISTRY["adam"].hyperparams if h.name == "eps")
    row = HyperSlider(eps, 1e-8)
    qtbot.addWidget(row)
    assert row.spin.text() == "1e-08"
    assert row.spin.value() == 1e-8
