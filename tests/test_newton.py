"""Newton's method: one step on a quadratic, the closed-form step elsewhere, and the Hessian
plumbing from surface to optimizer (refused where a surface has none)."""

import dataclasses
import math

import numpy as np
import pytest

from gui.model import Session
from optimizers import REGISTRY, Newton
from surfaces import SURFACES


def step(opt, p, g, h):
    params = {"p": np.array(p, dtype=float)}
    opt.set_hessians({"p": h})
    opt.update(params, {"p": np.array(g, dtype=float)})
    return params["p"]


def test_newton_is_registered_last_and_declares_that_it_needs_hessians():
    assert list(REGISTRY)[-1] == "newton" and REGISTRY["newton"] is Newton
    assert Newton.needs_hessian is True
    assert [h.name for h in Newton.hyperparams] == ["lr", "damping"]
    assert Newton().settings() == {"lr": 1.0, "damping": 1e-3}
    assert "←" in Newton.__doc__


@pytest.mark.parametrize("key", ["book", "ravine", "booth", "matyas"])
@pytest.mark.parametrize("start", [(-7.0, 2.0), (3.0, -4.5), (0.25, 8.0)])
def test_one_undamped_step_lands_on_a_quadratics_minimum(key, start):
    session = Session(SURFACES[key])
    session.set_start(*start)
    racer = session.add_racer("newton", lr=1.0, damping=0.0)
    session.advance(1)
    x, y = session.runs[racer.id].trajectory.head[:2]
    minimum = SURFACES[key].minima[0]
    assert math.hypot(x - minimum[0], y - minimum[1]) < 1e-12 * (1 + math.hypot(*start))


def rosenbrock_newton(x, y, damping=0.0):
    """f = (1 − x)² + 100(y − x²)², differentiated by hand; the step solves (H + λI)d = g."""
    g = np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
    h = np.array([[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]])
    return np.array([x, y]) - np.linalg.solve(h + damping * np.eye(2), g)


@pytest.mark.parametrize("point", [(-1.2, 1.0), (0.5, -0.3), (2.0, 3.5)])
@pytest.mark.parametrize("damping", [0.0, 0.1, 5.0])
def test_a_rosenbrock_step_is_the_closed_form_newton_step(point, damping):
    session = Session(SURFACES["rosenbrock"])
    session.set_start(*point)
    racer = session.add_racer("newton", lr=1.0, damping=damping)
    session.advance(1)
    got = session.runs[racer.id].trajectory.head[:2]
    np.testing.assert_allclose(got, rosenbrock_newton(*point, damping), rtol=1e-12)


def test_newton_finds_the_rosenbrock_minimum_in_a_few_steps():
    session = Session(SURFACES["rosenbrock"])
    session.set_start(-1.2, 1.0)
    racer = session.add_racer("newton", damping=0.0)
    session.advance(8)
    np.testing.assert_allclose(session.runs[racer.id].trajectory.head[:2], [1.0, 1.0], atol=1e-12)


def test_lr_scales_the_step_and_large_damping_becomes_gradient_descent():
    g, h = (0.3, -1.2), (2.0, 0.5, 3.0)
    full = step(Newton(lr=1.0, damping=0.0), [0.0, 0.0], g, h)
    np.testing.assert_allclose(step(Newton(lr=0.25, damping=0.0), [0.0, 0.0], g, h), full / 4)
    lam = 1e8
    moved = step(Newton(lr=1.0, damping=lam), [0.0, 0.0], g, h)
    np.testing.assert_allclose(moved, -np.array(g) / lam, rtol=1e-7)


def test_array_hyperparameters_sweep_points_like_scalar_runs():
    rng = np.random.default_rng(0)
    p = rng.normal(size=(6, 2))
    g = rng.normal(size=(6, 2))
    hxx, hxy, hyy = rng.uniform(1, 3, 6), rng.uniform(-0.5, 0.5, 6), rng.uniform(1, 3, 6)
    lr, damping = np.geomspace(0.1, 1.5, 6), np.geomspace(1e-4, 10, 6)
    swept = step(Newton(lr=lr[:, None], damping=damping[:, None]), p, g, (hxx, hxy, hyy))
    for i in range(6):
        one = step(Newton(lr[i], damping[i]), p[i], g[i], (hxx[i], hxy[i], hyy[i]))
        np.testing.assert_allclose(swept[i], one, rtol=1e-14)


def test_per_axis_damping_adds_a_diagonal():
    h = np.array([[2.0, 0.4], [0.4, 1.0]])
    g = np.array([1.0, -2.0])
    moved = step(Newton(damping=np.array([0.5, 3.0])), [0.0, 0.0], g, (2.0, 0.4, 1.0))
    np.testing.assert_allclose(moved, -np.linalg.solve(h + np.diag([0.5, 3.0]), g), rtol=1e-14)


def test_the_direction_buffer_is_the_solved_system():
    opt = Newton(damping=0.0)
    step(opt, [1.0, 1.0], [0.5, 0.25], (4.0, 1.0, 2.0))
    d = opt.state["p"]["d"]
    np.testing.assert_allclose(np.array([[4.0, 1.0], [1.0, 2.0]]) @ d, [0.5, 0.25], rtol=1e-14)


def test_missing_hessians_and_unsuitable_params_are_refused_clearly():
    opt = Newton()
    with pytest.raises(ValueError, match=r"Hessian of param 'w'.*set_hessians"):
        opt.update({"w": np.zeros(2)}, {"w": np.ones(2)})
    opt.set_hessians({"w": (1.0, 0.0, 1.0)})
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        opt.update({"w": np.zeros(3)}, {"w": np.ones(3)})
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        opt.update({"w": 1.0}, {"w": 1.0})
    with pytest.raises(ValueError, match=r"Invalid damping: -1\.0"):
        Newton(damping=-1.0)


def test_a_singular_hessian_makes_the_racer_diverge_instead_of_raising():
    session = Session(SURFACES["saddle"])
    session.set_start(0.0, 0.5)
    racer = session.add_racer("newton", damping=2.0)  # x² − y²: H + 2I = diag(4, 0)
    session.advance(3)
    assert session.runs[racer.id].diverged_at == 1


def test_a_surface_without_a_hessian_is_refused_with_a_clear_message():
    flat = dataclasses.replace(SURFACES["book"], key="no-hessian", hess=None)
    session = Session(flat)
    with pytest.raises(ValueError, match="Newton needs the surface's Hessian"):
        session.add_racer("newton")
    assert session.racers == []
    session.add_racer("sgd")  # every other optimizer is fine there

    other = Session(SURFACES["book"])
    other.add_racer("newton")
    with pytest.raises(ValueError, match="Hessian"):
        other.set_surface(flat)
    assert other.surface is SURFACES["book"]
