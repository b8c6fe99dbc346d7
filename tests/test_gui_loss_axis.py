"""The loss plot's log axis: labels at the decades, never a column of 2…9 × 10^k."""

import math

import pytest

from gui.loss_view import LogAxis


@pytest.fixture
def axis(qapp):
    return LogAxis("left")


def labelled(axis, lo, hi):
    levels = axis.logTickValues(lo, hi, 500, [])
    return [round(10**v, 12) for v in levels[0][1]]


def test_several_decades_are_labelled_at_the_decades_only(axis):
    assert labelled(axis, math.log10(3.6e-4), math.log10(12.9)) == [1e-3, 1e-2, 0.1, 1.0, 10.0]


def test_under_two_decades_adds_two_and_five(axis):
    assert sorted(labelled(axis, math.log10(0.15), math.log10(7.0))) == [0.2, 0.5, 1.0, 2.0, 5.0]


def test_within_one_decade_still_has_labels(axis):
    assert sorted(labelled(axis, math.log10(1.3), math.log10(8.0))) == [2.0, 5.0]


def test_every_minor_tick_is_drawn(axis):
    minor = axis.logTickValues(0.0, 2.0, 500, [])[1][1]
    expected = [d + math.log10(m) for d in (0, 1) for m in range(2, 10)]
    assert minor == pytest.approx(expected)
