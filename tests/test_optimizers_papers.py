"""Lion, QHM, QHAdam and AdaBelief against their papers' equations, written out here afresh.

Each reference is a plain loop over the paper's algorithm, with new arrays every step; the
special cases (QHM at nu = 0 and nu = 1, QHAdam at nu1 = nu2 = 1) cross-check against other
optimizers of ours. Their cross-checks against torch.optim are in test_torch_reference.py.
"""

import numpy as np
import pytest
from test_optimizers_surfaces import bowl, rosenbrock, wobbly

from optimizers import QHM, SGD, AdamW, Momentum, QHAdam, create


def lion(lr, beta1, beta2, weight_decay):
    """Chen et al. 2023, Algorithm 2 (Lion), decoupled weight decay λ."""

    def step(p, g, s, t):
        c = beta1 * s["m"] + (1 - beta1) * g
        p = p - lr * (np.sign(c) + weight_decay * p)
        s["m"] = beta2 * s["m"] + (1 - beta2) * g
        return p

    return step


def qhm(lr, momentum, nu):
    """Ma & Yarats 2019, eq. (QHM): g_buf ← β·g_buf + (1 − β)·∇; θ ← θ − α[(1 − ν)∇ + ν·g_buf]."""

    def step(p, g, s, t):
        s["g_buf"] = momentum * s["g_buf"] + (1 - momentum) * g
        return p - lr * ((1 - nu) * g + nu * s["g_buf"])

    return step


def qhadam(lr, beta1, beta2, nu1, nu2, eps):
    """Ma & Yarats 2019, Algorithm 2 (QHAdam), with its bias corrections."""

    def step(p, g, s, t):
        s["g_buf"] = beta1 * s["g_buf"] + (1 - beta1) * g
        s["s_buf"] = beta2 * s["s_buf"] + (1 - beta2) * g**2
        g_hat = s["g_buf"] / (1 - beta1**t)
        s_hat = s["s_buf"] / (1 - beta2**t)
        num = (1 - nu1) * g + nu1 * g_hat
        den = np.sqrt((1 - nu2) * g**2 + nu2 * s_hat) + eps
        return p - lr * num / den

    return step


def adabelief(lr, beta1, beta2, eps):
    """Zhuang et al. 2020, Algorithm 2 (AdaBelief), without the optional AMSGrad max."""

    def step(p, g, s, t):
        s["m"] = beta1 * s["m"] + (1 - beta1) * g
        s["s"] = beta2 * s["s"] + (1 - beta2) * (g - s["m"]) ** 2 + eps
        m_hat = s["m"] / (1 - beta1**t)
        s_hat = s["s"] / (1 - beta2**t)
        return p - lr * m_hat / (np.sqrt(s_hat) + eps)

    return step


SURFACES = {
    "bowl": (bowl, [[-7.0, 2.0], [3.0, -1.0]]),
    "rosenbrock": (rosenbrock, [[-1.2, 1.0], [1.5, 2.0]]),
    "wobbly": (wobbly, [[-1.0, 0.8], [1.7, 1.1]]),
}

PAPERS = [
    pytest.param("lion", dict(lr=1e-3, beta1=0.9, beta2=0.99, weight_decay=0.0), lion, id="lion"),
    pytest.param("lion", dict(lr=3e-3, beta1=0.8, beta2=0.9, weight_decay=0.5), lion, id="lion-wd"),
    pytest.param("qhm", dict(lr=1e-3, momentum=0.999, nu=0.7), qhm, id="qhm"),
    pytest.param("qhm", dict(lr=2e-3, momentum=0.9, nu=0.3), qhm, id="qhm-0.3"),
    pytest.param(
        "qhadam", dict(lr=0.01, beta1=0.9, beta2=0.999, nu1=0.7, nu2=1.0, eps=1e-8), qhadam,
        id="qhadam",
    ),
    pytest.param(
        "qhadam", dict(lr=0.01, beta1=0.95, beta2=0.99, nu1=0.5, nu2=0.6, eps=1e-6), qhadam,
        id="qhadam-nu2",
    ),
    pytest.param("adabelief", dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-16), adabelief,
                 id="adabelief"),
    pytest.param("adabelief", dict(lr=0.03, beta1=0.8, beta2=0.99, eps=1e-8), adabelief,
                 id="adabelief-eps"),
]  # fmt: skip


def follow_paper(step, grad, start, steps=300):
    p = np.array(start, dtype=float)
    state = {name: np.zeros_like(p) for name in ("m", "s", "g_buf", "s_buf")}
    path = []
    for t in range(1, steps + 1):
        p = step(p, grad(p), state, t)
        path.append(p)
    return np.array(path)


def follow(optimizer, grad, start, steps=300):
    params = {"p": np.array(start, dtype=float)}
    path = []
    for _ in range(steps):
        optimizer.update(params, {"p": grad(params["p"])})
        path.append(params["p"].copy())
    return np.array(path)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(("key", "hyper", "paper"), PAPERS)
def test_follows_the_paper(key, hyper, paper, surface):
    grad, start = SURFACES[surface]
    expected = follow_paper(paper(**hyper), grad, start)
    assert np.all(np.isfinite(expected))
    np.testing.assert_allclose(follow(create(key, **hyper), grad, start), expected, rtol=1e-12)


def test_lion_moves_every_coordinate_exactly_lr():
    path = follow(create("lion", lr=0.01), wobbly, [[-1.0, 0.8], [1.7, 1.1]], steps=50)
    np.testing.assert_allclose(np.abs(np.diff(path, axis=0)), 0.01, rtol=1e-9)


@pytest.mark.parametrize("surface", SURFACES)
def test_qhm_with_nu_0_is_sgd(surface):
    grad, start = SURFACES[surface]
    ours = follow(QHM(lr=1e-3, momentum=0.9, nu=0.0), grad, start)
    np.testing.assert_array_equal(ours, follow(SGD(lr=1e-3), grad, start))


@pytest.mark.parametrize("surface", SURFACES)
def test_qhm_with_nu_1_is_momentum_with_lr_scaled(surface):
    # An average of gradients, (1 − β)·Σβ^k g, is the book's velocity over −lr·(1 − β).
    grad, start = SURFACES[surface]
    ours = follow(QHM(lr=1e-3, momentum=0.9, nu=1.0), grad, start)
    np.testing.assert_allclose(ours, follow(Momentum(1e-3 * 0.1, 0.9), grad, start), rtol=1e-12)


@pytest.mark.parametrize("surface", SURFACES)
def test_qhadam_with_nus_1_is_torch_style_adam(surface):
    grad, start = SURFACES[surface]
    ours = follow(QHAdam(lr=0.01, nu1=1.0, nu2=1.0), grad, start)
    adam = follow(AdamW(lr=0.01, weight_decay=0.0), grad, start)
    np.testing.assert_allclose(ours, adam, rtol=1e-9, atol=1e-12)
