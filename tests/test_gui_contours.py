"""The map's scalar field and contour lines (Qt-free): lines lie on their level sets."""

import math

import numpy as np
import pytest

from gui.contours import contour_lines, sample
from surfaces import SURFACES


def colour_at(surface, field, x, y):
    """The colour value at (x, y), computed from the surface itself, not from the grid."""
    f = surface.value(x, y)
    return f if field.shift is None else np.log10(f + field.shift)


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_contour_vertices_lie_on_their_levels(key):
    surface = SURFACES[key]
    field = sample(surface)
    levels = field.levels()
    spacing = levels[1] - levels[0]
    cell = max(field.xs[1] - field.xs[0], field.ys[1] - field.ys[0])
    lines = contour_lines(field, levels)
    assert lines.ndim == 2 and lines.shape[1] == 2
    checked = 0
    for piece in np.split(lines, np.flatnonzero(np.isnan(lines[:, 0]))):
        piece = piece[np.isfinite(piece[:, 0])]
        if len(piece) < 2:
            continue
        c = colour_at(surface, field, piece[:, 0], piece[:, 1])
        # Every vertex of a piece sits on one level: the level nearest the piece's median.
        error = np.abs(c - levels[np.argmin(np.abs(levels - np.median(c)))])
        # Loops only a few grid cells wide (around a minimum, where log f bends hardest) carry
        # the grid's interpolation error; every other line stays much closer.
        wide = np.ptp(piece, axis=0).max() >= 5 * cell
        assert error.max() < (0.25 if wide else 0.6) * spacing, key
        checked += 1
    assert checked >= len(levels) // 2


def test_levels_are_log_spaced_in_f_on_log_surfaces():
    surface = SURFACES["rosenbrock"]
    assert surface.log_scale
    field = sample(surface)
    assert field.label.startswith("log₁₀(f")
    gaps = np.diff(field.levels())
    np.testing.assert_allclose(gaps, gaps[0])  # even in log10 f: geometric in f


def test_linear_surfaces_colour_f_itself():
    surface = next(s for s in SURFACES.values() if not s.log_scale)
    field = sample(surface, n=50)
    np.testing.assert_allclose(field.c[3, 5], surface.value(field.xs[5], field.ys[3]))
    assert field.label == "f(x, y)"


def test_non_finite_values_become_nan_so_the_image_shows_them_transparent():
    surface = SURFACES["book"]
    import dataclasses

    holed = dataclasses.replace(surface, f=lambda x, y: np.where(x > 0, np.inf, x**2 + y**2))
    field = sample(holed, n=40)
    assert np.isnan(field.c[:, field.xs > 0]).all()
    assert np.isfinite(field.c[:, field.xs < 0]).all()
    assert math.isfinite(field.low) and math.isfinite(field.high)
    assert np.isfinite(contour_lines(field)[:, 0]).any()
