"""The catalogue as a whole: names, order, frames, start points and colour scales."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from surfaces import SURFACES

KEYS = list(SURFACES)

# The keys the issue asks for; the GUI and the command line refer to surfaces by these.
REQUIRED = [
    "book",
    "rosenbrock",
    "beale",
    "himmelblau",
    "booth",
    "matyas",
    "rastrigin",
    "ackley",
    "goldstein-price",
    "three-hump-camel",
    "six-hump-camel",
    "styblinski-tang",
    "levi13",
    "easom",
    "mccormick",
    "saddle",
    "monkey-saddle",
    "ravine",
]

# Colour scales the issue names: log for non-negative surfaces with a huge dynamic range,
# linear wherever the surface goes negative.
ISSUE_LOG_SCALE = {
    "book": True,
    "rosenbrock": True,
    "beale": True,
    "goldstein-price": True,
    "booth": True,
    "saddle": False,
    "monkey-saddle": False,
    "styblinski-tang": False,
    "easom": False,
    "six-hump-camel": False,
    "mccormick": False,
}


def test_catalogue_has_every_required_surface_in_a_deliberate_order() -> None:
    assert set(REQUIRED) <= set(KEYS)
    assert KEYS[0] == "book"
    assert KEYS[-3:] == ["saddle", "monkey-saddle", "ravine"]
    assert all(SURFACES[k].key == k for k in KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_texts_are_present_and_one_line(key: str) -> None:
    surface = SURFACES[key]
    assert surface.title.strip() and "\n" not in surface.title
    assert surface.description.strip() and "\n" not in surface.description
    assert surface.hess is not None


@pytest.mark.parametrize("key", KEYS)
def test_bounds_are_well_formed_and_frame_the_known_points(key: str) -> None:
    surface = SURFACES[key]
    xmin, xmax, ymin, ymax = surface.bounds
    assert all(math.isfinite(v) for v in surface.bounds)
    assert xmin < xmax and ymin < ymax
    for x, y, value in surface.minima + surface.saddles:
        assert xmin <= x <= xmax and ymin <= y <= ymax
        assert math.isfinite(value)


@pytest.mark.parametrize("key", KEYS)
def test_start_is_inside_and_away_from_every_stationary_point(key: str) -> None:
    surface = SURFACES[key]
    xmin, xmax, ymin, ymax = surface.bounds
    sx, sy = surface.start
    assert xmin < sx < xmax and ymin < sy < ymax
    diagonal = math.hypot(xmax - xmin, ymax - ymin)
    for x, y, _ in surface.minima + surface.saddles:
        assert math.hypot(sx - x, sy - y) > 0.01 * diagonal
    # A race needs a push: the start must not be a flat spot.
    assert np.hypot(*surface.gradient(sx, sy)) > 0


@pytest.mark.parametrize("key", KEYS)
def test_log_scale_only_where_the_surface_is_non_negative(key: str) -> None:
    surface = SURFACES[key]
    if key in ISSUE_LOG_SCALE:
        assert surface.log_scale is ISSUE_LOG_SCALE[key]
    if surface.log_scale:
        rng = np.random.default_rng(zlib.crc32(key.encode()))
        xmin, xmax, ymin, ymax = surface.bounds
        values = surface.value(rng.uniform(xmin, xmax, 10_000), rng.uniform(ymin, ymax, 10_000))
        assert np.min(values) >= 0
        assert all(m[2] >= 0 for m in surface.minima)
