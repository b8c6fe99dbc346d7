"""Glyphs at a racer's head, checked against independent recurrences on the book's bowl, and the
normalised gradient field."""

import math

import numpy as np
import pytest

from gui.model import Session
from gui.model.glyphs import glyphs, gradient_field
from optimizers import REGISTRY
from surfaces import SURFACES


def book_grad(p):
    return np.array([p[0] / 10, 2 * p[1]])


def race(key, steps, **hyper):
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    racer = session.add_racer(key, **hyper)
    session.advance(steps)
    run = session.runs[racer.id]
    return run, run.trajectory.table()[1][:, :2], {g.label: g for g in glyphs(run)}


def test_at_the_start_only_the_gradient_is_drawn():
    _, _, found = race("adam", 0)
    assert list(found) == ["−gradient"]
    np.testing.assert_array_equal(found["−gradient"].vector, -book_grad([-7.0, 2.0]))


def test_gradient_and_last_step_come_from_the_path():
    _, path, found = race("sgd", 5, lr=0.3)
    np.testing.assert_allclose(found["−gradient"].vector, -book_grad(path[-1]), rtol=1e-15)
    np.testing.assert_allclose(found["last step"].vector, path[-1] - path[-2], rtol=1e-12)
    assert found["−gradient"].units == "gradient" and found["last step"].units == "position"


def test_momentums_velocity_is_its_last_step():
    _, path, found = race("momentum", 6, lr=0.1)
    velocity = found["velocity"]
    assert velocity.kind == "vector" and velocity.units == "position"
    np.testing.assert_allclose(velocity.vector, path[-1] - path[-2], rtol=1e-12)


def test_adams_gradient_average_is_drawn_pushing_downhill():
    _, path, found = race("adam", 6, lr=0.3)
    m = np.zeros(2)
    for p in path[:-1]:
        m = m + 0.1 * (book_grad(p) - m)
    average = found["gradient average"]
    assert average.units == "gradient"
    np.testing.assert_allclose(average.vector, -m, rtol=1e-12)


def test_adagrads_rate_and_its_ellipse():
    _, path, found = race("adagrad", 6, lr=1.5)
    h = sum(book_grad(p) ** 2 for p in path[:-1])
    rate = 1.5 / (np.sqrt(h) + 1e-7)
    glyph = found["effective learning rate"]
    assert glyph.kind == "rate"
    np.testing.assert_allclose(glyph.vector, rate, rtol=1e-12)
    np.testing.assert_allclose(glyph.extent, rate * np.abs(book_grad(path[-1])), rtol=1e-12)


def test_rprop_steps_are_the_lengths_it_moves_along_each_axis():
    _, path, found = race("rprop", 4, lr=0.05)  # far from the minimum: no sign flips yet
    glyph = found["step size"]
    assert glyph.kind == "step"
    np.testing.assert_allclose(glyph.vector, np.abs(path[-1] - path[-2]), rtol=1e-12)
    np.testing.assert_allclose(glyph.vector, 0.05 * 1.2**3, rtol=1e-12)


def test_newtons_direction_at_lr_one_is_its_step():
    _, path, found = race("newton", 1, lr=1.0, damping=0.0)
    np.testing.assert_allclose(found["Newton direction"].vector, path[-1] - path[-2], rtol=1e-12)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_every_optimizers_glyphs_are_labelled_finite_2d_records(key):
    run, _, found = race(key, 5)
    assert {"−gradient", "last step"} <= set(found)
    declared = {g.label for g in REGISTRY[key].glyphs}
    assert set(found) - {"−gradient", "last step"} == declared
    for g in glyphs(run):
        assert g.kind in ("vector", "rate", "step") and g.units in ("gradient", "position")
        assert g.vector.shape == g.extent.shape == (2,)
        assert np.all(np.isfinite(g.vector)) and np.all(np.isfinite(g.extent))


def test_gradient_field_is_the_unit_downhill_direction_at_cell_centres():
    X, Y, U, V = gradient_field(SURFACES["book"], (-10.0, 10.0, -5.0, 5.0), (5, 3))
    assert X.shape == Y.shape == U.shape == V.shape == (3, 5)
    np.testing.assert_allclose(X[0], [-8, -4, 0, 4, 8])
    np.testing.assert_allclose(Y[:, 0], [-10 / 3, 0, 10 / 3])
    for j in range(3):
        for i in range(5):
            gx, gy = X[j, i] / 10, 2 * Y[j, i]
            norm = math.hypot(gx, gy)
            if norm == 0:  # the cell centred on the minimum has no direction
                assert np.isnan(U[j, i]) and np.isnan(V[j, i])
            else:
                np.testing.assert_allclose([U[j, i], V[j, i]], [-gx / norm, -gy / norm])


def test_gradient_field_refuses_an_empty_grid():
    with pytest.raises(ValueError, match="Invalid grid"):
        gradient_field(SURFACES["book"], (-1.0, 1.0, -1.0, 1.0), 0)
