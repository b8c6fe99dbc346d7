"""The ravine's two parameters do what their names say, and reject values out of range."""

from __future__ import annotations

import math

import numpy as np
import pytest

from surfaces import SURFACES

RAVINE = SURFACES["ravine"]
SETTINGS = [(50.0, 30.0), (1000.0, -90.0), (1.0, 0.0), (7.5, 89.0), (200.0, -45.0), (3.0, 90.0)]


def test_parameters_are_declared_with_defaults_in_range() -> None:
    specs = {p.name: p for p in RAVINE.params}
    assert set(specs) == {"condition", "angle"}
    condition, angle = specs["condition"], specs["angle"]
    assert (condition.low, condition.high, condition.log) == (1.0, 1000.0, True)
    assert (angle.low, angle.high) == (-90.0, 90.0)
    for p in (condition, angle):
        assert p.low <= p.default <= p.high and p.help
        assert RAVINE.values[p.name] == p.default


@pytest.mark.parametrize(("condition", "angle"), SETTINGS)
def test_hessian_has_the_condition_number_and_the_floor_at_the_angle(
    condition: float, angle: float
) -> None:
    surface = RAVINE.with_values(condition=condition, angle=angle)
    for x, y in [(0.3, -0.2), (-7.0, 4.0)]:
        hxx, hxy, hyy = (float(h) for h in surface.hessian(x, y))
        eigenvalues, eigenvectors = np.linalg.eigh(np.array([[hxx, hxy], [hxy, hyy]]))
        assert eigenvalues[0] > 0
        assert eigenvalues[1] / eigenvalues[0] == pytest.approx(condition, rel=1e-9)
        if condition > 1:
            # The flattest direction (the valley floor) points at the angle, up to sign.
            vx, vy = eigenvectors[:, 0]
            assert math.sin(math.atan2(vy, vx) - math.radians(angle)) == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize(("condition", "angle"), SETTINGS)
def test_floor_rises_condition_times_slower_than_the_walls(condition: float, angle: float) -> None:
    surface = RAVINE.with_values(condition=condition, angle=angle)
    a = math.radians(angle)
    along = float(surface.value(3 * math.cos(a), 3 * math.sin(a)))
    across = float(surface.value(-3 * math.sin(a), 3 * math.cos(a)))
    assert across / along == pytest.approx(condition, rel=1e-9)
    assert float(surface.value(0.0, 0.0)) == 0.0
    assert np.hypot(*surface.gradient(0.0, 0.0)) == 0.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("condition", 0.5),
        ("condition", 1000.1),
        ("condition", math.nan),
        ("condition", math.inf),
        ("angle", -90.5),
        ("angle", 91.0),
        ("angle", math.nan),
    ],
)
def test_out_of_range_value_raises_naming_the_parameter(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        RAVINE.with_values(**{name: value})


def test_unknown_parameter_raises_and_the_original_is_untouched() -> None:
    with pytest.raises(ValueError, match="steepness"):
        RAVINE.with_values(steepness=3.0)
    changed = RAVINE.with_values(condition=10.0)
    assert changed.values["condition"] == 10.0
    assert RAVINE.values["condition"] == 50.0


def test_value_that_is_not_a_number_raises_naming_the_parameter() -> None:
    with pytest.raises(ValueError, match="angle"):
        RAVINE.with_values(angle="steep")
