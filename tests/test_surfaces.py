"""The catalogue against independent truth: formulas transcribed anew from the references,
published minima, and finite differences of the surfaces' own values and gradients.

References: Surjanovic & Bingham, Virtual Library of Simulation Experiments (S&B) and
Wikipedia, "Test functions for optimization" (W).
"""

from __future__ import annotations

import math
import zlib
from math import cos, exp, pi, sin, sqrt

import numpy as np
import pytest

from surfaces import SURFACES, Surface

# Plain-Python transcriptions on scalars, in the references' own (expanded) forms.
REFERENCE = {
    "book": lambda x, y: x**2 / 20 + y**2,
    "rosenbrock": lambda x, y: 100 * (y - x**2) ** 2 + (x - 1) ** 2,
    "beale": lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
    ),
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "matyas": lambda x, y: 0.26 * (x**2 + y**2) - 0.48 * x * y,
    "rastrigin": lambda x, y: 10 * 2 + sum(t**2 - 10 * cos(2 * pi * t) for t in (x, y)),
    "ackley": lambda x, y: (
        -20 * exp(-0.2 * sqrt(0.5 * (x**2 + y**2)))
        - exp(0.5 * (cos(2 * pi * x) + cos(2 * pi * y)))
        + math.e
        + 20
    ),
    "goldstein-price": lambda x, y: (
        (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))
        * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2))
    ),
    "three-hump-camel": lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    "six-hump-camel": lambda x, y: (
        (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
    ),
    "styblinski-tang": lambda x, y: 0.5 * sum(t**4 - 16 * t**2 + 5 * t for t in (x, y)),
    "levi13": lambda x, y: (
        sin(3 * pi * x) ** 2
        + (x - 1) ** 2 * (1 + sin(3 * pi * y) ** 2)
        + (y - 1) ** 2 * (1 + sin(2 * pi * y) ** 2)
    ),
    "easom": lambda x, y: -cos(x) * cos(y) * exp(-((x - pi) ** 2 + (y - pi) ** 2)),
    "mccormick": lambda x, y: sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1,
    "saddle": lambda x, y: x**2 - y**2,
    "monkey-saddle": lambda x, y: x**3 - 3 * x * y**2,
    # |p|² splits into the squares along and across the floor direction d, so
    # ½ (u²/c + v²) = ½ (|p|² − (1 − 1/c)(d·p)²).
    "ravine": lambda x, y, condition, angle: (
        0.5
        * (
            x**2
            + y**2
            - (1 - 1 / condition)
            * (x * cos(math.radians(angle)) + y * sin(math.radians(angle))) ** 2
        )
    ),
}

# Global minima as printed in the sources. Strings carry their printed digits, and the
# tolerance is one unit in the last printed place (several sources truncate, not round);
# numbers are exact. A (low, high) pair is a published bracket.
PUBLISHED_MINIMA = {
    "book": [(0, 0, 0)],
    "rosenbrock": [(1, 1, 0)],  # S&B, W
    "beale": [(3, 0.5, 0)],  # S&B, W
    "himmelblau": [  # W
        (3, 2, 0),
        ("-2.805118", "3.131312", 0),
        ("-3.779310", "-3.283186", 0),
        ("3.584428", "-1.848126", 0),
    ],
    "booth": [(1, 3, 0)],  # S&B, W
    "matyas": [(0, 0, 0)],  # S&B, W
    "rastrigin": [(0, 0, 0)],  # S&B, W
    "ackley": [(0, 0, 0)],  # S&B, W
    "goldstein-price": [(0, -1, 3)],  # S&B, W
    "three-hump-camel": [(0, 0, 0)],  # S&B, W
    "six-hump-camel": [("0.0898", "-0.7126", "-1.0316"), ("-0.0898", "0.7126", "-1.0316")],  # S&B
    # W: −39.16617 n < f < −39.16616 n with n = 2. (S&B print −39.16599 d, 2e-4 too high.)
    "styblinski-tang": [("-2.903534", "-2.903534", ("-78.33234", "-78.33232"))],
    "levi13": [(1, 1, 0)],  # S&B, W
    "easom": [(pi, pi, -1)],  # S&B, W
    "mccormick": [("-0.54719", "-1.54719", "-1.9133")],  # S&B, W
    "saddle": [],
    "monkey-saddle": [],
    "ravine": [(0, 0, 0)],
}

KEYS = list(SURFACES)
EXACT = 1e-9


def interval(published: object) -> tuple[float, float]:
    if isinstance(published, tuple):
        return float(published[0]), float(published[1])
    if isinstance(published, str):
        ulp = 10.0 ** -len(published.split(".")[1])
        return float(published) - ulp, float(published) + ulp
    return float(published) - EXACT, float(published) + EXACT


def sample(surface: Surface, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n seeded points strictly inside the bounds, the same for every run."""
    rng = np.random.default_rng(zlib.crc32(surface.key.encode()))
    xmin, xmax, ymin, ymax = surface.bounds
    return rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)


def extent(surface: Surface) -> float:
    xmin, xmax, ymin, ymax = surface.bounds
    return max(xmax - xmin, ymax - ymin)


def richardson(fun, x: np.ndarray, y: np.ndarray, axis: int, h: float) -> np.ndarray:
    """Central differences with one Richardson step (error O(h⁴))."""

    def central(step: float) -> np.ndarray:
        dx, dy = (step, 0.0) if axis == 0 else (0.0, step)
        return (np.asarray(fun(x + dx, y + dy)) - np.asarray(fun(x - dx, y - dy))) / (2 * step)

    return (4 * central(h / 2) - central(h)) / 3


# The ravine is also checked away from its defaults, at its extremes.
CASES = [(k, {}) for k in KEYS] + [
    ("ravine", {"condition": 1000.0, "angle": -75.0}),
    ("ravine", {"condition": 1.0, "angle": 90.0}),
]
CASE_IDS = [k + "".join(f"-{v:g}" for v in values.values()) for k, values in CASES]


@pytest.mark.parametrize(("key", "values"), CASES, ids=CASE_IDS)
def test_value_matches_reference_formula(key: str, values: dict) -> None:
    surface = SURFACES[key].with_values(**values)
    x, y = sample(surface, 200)
    expected = np.array([REFERENCE[key](a, b, **surface.values) for a, b in zip(x, y, strict=True)])
    scale = 1 + np.max(np.abs(expected))
    np.testing.assert_allclose(surface.value(x, y), expected, rtol=1e-10, atol=1e-12 * scale)


@pytest.mark.parametrize(("key", "values"), CASES, ids=CASE_IDS)
def test_gradient_matches_finite_differences(key: str, values: dict) -> None:
    surface = SURFACES[key].with_values(**values)
    x, y = sample(surface, 40)
    h = 1e-4 * extent(surface)
    slope = np.max(np.abs(surface.value(x, y))) / extent(surface)
    for axis, analytic in enumerate(surface.gradient(x, y)):
        numeric = richardson(surface.value, x, y, axis, h)
        assert np.all(np.abs(analytic - numeric) <= 1e-7 * (np.abs(numeric) + slope)), axis


@pytest.mark.parametrize(("key", "values"), CASES, ids=CASE_IDS)
def test_hessian_matches_finite_differences_of_gradient(key: str, values: dict) -> None:
    surface = SURFACES[key].with_values(**values)
    assert surface.hess is not None
    x, y = sample(surface, 40)
    h = 1e-4 * extent(surface)
    hxx, hxy, hyy = surface.hessian(x, y)
    gx = lambda a, b: surface.gradient(a, b)[0]  # noqa: E731
    gy = lambda a, b: surface.gradient(a, b)[1]  # noqa: E731
    curve = max(np.max(np.abs(g)) for g in surface.gradient(x, y)) / extent(surface)
    # hxy is checked both ways: it must be the one symmetric mixed derivative.
    for analytic, fun, axis in ((hxx, gx, 0), (hxy, gx, 1), (hxy, gy, 0), (hyy, gy, 1)):
        numeric = richardson(fun, x, y, axis, h)
        assert np.all(np.abs(analytic - numeric) <= 1e-7 * (np.abs(numeric) + curve)), axis


@pytest.mark.parametrize("key", KEYS)
def test_minima_are_the_published_ones(key: str) -> None:
    surface = SURFACES[key]
    published = PUBLISHED_MINIMA[key]
    assert len(surface.minima) == len(published)
    for px, py, pv in published:
        (xlo, xhi), (ylo, yhi), (vlo, vhi) = interval(px), interval(py), interval(pv)
        matches = [m for m in surface.minima if xlo <= m[0] <= xhi and ylo <= m[1] <= yhi]
        assert len(matches) == 1, (px, py)
        x, y, value = matches[0]
        assert vlo <= value <= vhi
        assert vlo <= float(surface.value(x, y)) <= vhi
        assert float(surface.value(x, y)) == pytest.approx(value, rel=1e-12, abs=1e-12)


def gradient_scale(surface: Surface) -> float:
    """A typical gradient size on the frame, to judge 'vanishes' against."""
    return float(np.median(np.hypot(*surface.gradient(*sample(surface, 500)))))


@pytest.mark.parametrize("key", KEYS)
def test_gradient_vanishes_and_curvature_is_convex_at_minima(key: str) -> None:
    surface = SURFACES[key]
    tol = 1e-9 * gradient_scale(surface)
    for x, y, _ in surface.minima:
        assert np.hypot(*surface.gradient(x, y)) <= tol
        hxx, hxy, hyy = surface.hessian(x, y)
        with np.errstate(invalid="ignore"):  # Ackley's tip is infinitely curved
            assert hxx >= 0 and hyy >= 0 and hxx * hyy - hxy**2 >= -1e-9 * (hxx + hyy) ** 2


@pytest.mark.parametrize("key", [k for k in KEYS if PUBLISHED_MINIMA[k]])
def test_gradient_at_published_point_is_as_small_as_its_digits_allow(key: str) -> None:
    surface = SURFACES[key]
    for px, py, _ in PUBLISHED_MINIMA[key]:
        x, y = float(px), float(py)
        step = max(interval(px)[1] - x, interval(py)[1] - y)
        if step <= EXACT:
            assert np.hypot(*surface.gradient(x, y)) <= 1e-9 * gradient_scale(surface)
            continue
        hxx, hxy, hyy = surface.hessian(x, y)
        norm = np.linalg.norm(np.array([[hxx, hxy], [hxy, hyy]]), 2)
        # |g| ≈ |H Δ| with each coordinate off by at most one printed unit.
        assert np.hypot(*surface.gradient(x, y)) <= 2 * norm * math.sqrt(2) * step


@pytest.mark.parametrize("key", [k for k in KEYS if SURFACES[k].minima])
def test_global_minimum_is_below_every_sampled_value(key: str) -> None:
    surface = SURFACES[key]
    lowest = min(m[2] for m in surface.minima)
    xmin, xmax, ymin, ymax = surface.bounds
    grid = np.meshgrid(np.linspace(xmin, xmax, 401), np.linspace(ymin, ymax, 401))
    for x, y in (sample(surface, 20_000), grid):
        assert np.min(surface.value(x, y)) >= lowest - 1e-12 * (1 + abs(lowest))


@pytest.mark.parametrize("key", [k for k in KEYS if SURFACES[k].saddles])
def test_saddles_are_stationary_and_not_minima(key: str) -> None:
    surface = SURFACES[key]
    tol = 1e-9 * gradient_scale(surface)
    for x, y, value in surface.saddles:
        assert float(surface.value(x, y)) == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert np.hypot(*surface.gradient(x, y)) <= tol
        hxx, hxy, hyy = surface.hessian(x, y)
        assert hxx * hyy - hxy**2 <= 1e-12 * (1 + hxx**2 + hyy**2)
