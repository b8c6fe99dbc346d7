"""Learning-rate schedules: torch's formulas, torch itself, validation, and the racer's rates."""

import math

import numpy as np
import pytest
from conftest import peer

from gui.model import Session
from gui.model.scene import build, dumps, loads, to_scene
from gui.model.schedules import SCHEDULES, normalised
from surfaces import SURFACES

T = np.arange(0, 400)


def reference(key, t, **p):
    """The closed forms of torch.optim.lr_scheduler, written out per step with math only."""
    if key == "constant":
        return 1.0
    if key == "step":
        return p["gamma"] ** (t // int(p["step_size"]))
    if key == "exponential":
        return p["gamma"] ** t
    if key == "cosine":
        cosine = math.cos(math.pi * min(t, p["steps"]) / p["steps"])
        return p["floor"] + (1 - p["floor"]) * (1 + cosine) / 2
    if key == "warmup":
        return p["start"] + (1 - p["start"]) * min(t, p["warmup"]) / p["warmup"]
    if t < p["warmup"]:
        return reference("warmup", t, warmup=p["warmup"], start=p["start"])
    return reference("cosine", t - p["warmup"], steps=p["steps"], floor=p["floor"])  # fmt: skip


CASES = [
    ("constant", {}),
    ("step", {"step_size": 30, "gamma": 0.5}),
    ("step", {"step_size": 1, "gamma": 0.9}),
    ("exponential", {"gamma": 0.98}),
    ("cosine", {"steps": 150, "floor": 0.1}),
    ("cosine", {"steps": 1, "floor": 0.0}),
    ("warmup", {"warmup": 40, "start": 0.05}),
    ("warmup_cosine", {"warmup": 25, "start": 0.2, "steps": 200, "floor": 0.05}),
]


@pytest.mark.parametrize(("key", "params"), CASES)
def test_factors_follow_the_formulas(key, params):
    full = SCHEDULES[key].checked(params)
    expected = [reference(key, int(t), **full) for t in T]
    np.testing.assert_allclose(SCHEDULES[key].factor(T, **params), expected, rtol=1e-14, atol=0)
    assert np.all((SCHEDULES[key].factor(T, **params) >= 0) & (SCHEDULES[key].factor(T) <= 1))


def torch_rates(kind, params, base, steps):
    torch = peer("torch", reason="torch is not installed: no scheduler to compare with")
    sched = torch.optim.lr_scheduler
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=base)
    if kind == "step":
        s = sched.StepLR(opt, step_size=params["step_size"], gamma=params["gamma"])
    elif kind == "exponential":
        s = sched.ExponentialLR(opt, gamma=params["gamma"])
    elif kind == "cosine":
        s = sched.CosineAnnealingLR(opt, T_max=params["steps"], eta_min=params["floor"] * base)
    elif kind == "warmup":
        s = sched.LinearLR(opt, start_factor=params["start"], total_iters=params["warmup"])
    else:
        warm = sched.LinearLR(opt, start_factor=params["start"], total_iters=params["warmup"])
        cos = sched.CosineAnnealingLR(opt, T_max=params["steps"], eta_min=params["floor"] * base)
        s = sched.SequentialLR(opt, [warm, cos], milestones=[params["warmup"]])
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        s.step()
    return np.array(rates)


TORCH = [
    ("step", {"step_size": 30, "gamma": 0.5}, 300),
    ("exponential", {"gamma": 0.98}, 300),
    ("cosine", {"steps": 150, "floor": 0.1}, 151),  # torch's goes back up after T_max; ours holds
    ("warmup", {"warmup": 40, "start": 0.05}, 300),
    ("warmup_cosine", {"warmup": 25, "start": 0.2, "steps": 200, "floor": 0.05}, 226),
]


@pytest.mark.needs_torch
@pytest.mark.parametrize(("key", "params", "steps"), TORCH, ids=[c[0] for c in TORCH])
def test_rates_equal_torch_lr_scheduler(key, params, steps):
    base = 0.3
    expected = torch_rates(key, params, base, steps)
    got = base * SCHEDULES[key].factor(np.arange(steps), **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_cosine_holds_its_floor_after_its_steps():
    f = SCHEDULES["cosine"].factor(np.arange(100, 400), steps=100, floor=0.25)
    np.testing.assert_array_equal(f, 0.25)


REFUSED = [
    ("step", {"gamma": 1.5}, r"Invalid gamma: 1\.5"),
    ("step", {"gamma": 0.0}, r"Invalid gamma: 0\.0"),
    ("step", {"step_size": 0}, r"Invalid step_size: 0"),
    ("cosine", {"steps": 0.4}, r"Invalid steps: 0\.4"),
    ("warmup", {"start": 0.0}, r"Invalid start: 0\.0"),
    ("cosine", {"floor": math.nan}, r"Invalid floor: nan"),
    ("cosine", {"length": 5}, r"no parameter\(s\) \['length'\]"),
    ("linear", {}, r"Unknown schedule 'linear'"),
]


@pytest.mark.parametrize(("key", "params", "message"), REFUSED)
def test_nonsense_is_refused_naming_the_parameter(key, params, message):
    with pytest.raises(ValueError, match=message):
        normalised(key, params)


def test_step_counts_are_rounded_and_specs_are_sensible():
    assert normalised("step", {"step_size": 29.6})["params"]["step_size"] == 30.0
    for schedule in SCHEDULES.values():
        for h in schedule.params:
            assert h.low < h.high and h.low <= h.default <= h.high and h.help, h.name
            assert not h.log or h.low > 0


def manual_sgd(start, base, factor, steps, grad):
    p = np.array(start, dtype=float)
    path = [p.copy()]
    for t in range(steps):
        p = p - base * factor(t) * grad(p)
        path.append(p.copy())
    return np.array(path)


def test_a_scheduled_racer_uses_the_scheduled_rate_at_every_step():
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    racer = session.add_racer("sgd", lr=0.9)
    session.set_schedule(racer.id, "step", step_size=7, gamma=0.5)
    session.advance(40)
    path = session.runs[racer.id].trajectory.table()[1][:, :2]
    expected = manual_sgd(
        (-7.0, 2.0), 0.9, lambda t: 0.5 ** (t // 7), 40, lambda p: np.array([p[0] / 10, 2 * p[1]])
    )
    np.testing.assert_allclose(path, expected, rtol=1e-13, atol=1e-15)


def test_adam_reads_the_scheduled_rate_too():
    session = Session(SURFACES["book"])
    racer = session.add_racer("adam", lr=0.3)
    session.set_schedule(racer.id, "warmup", warmup=10, start=0.1)
    session.advance(25)
    p, m, v = np.array([-7.0, 2.0]), np.zeros(2), np.zeros(2)
    for t in range(1, 26):
        g = np.array([p[0] / 10, 2 * p[1]])
        lr = 0.3 * (0.1 + 0.9 * min(t - 1, 10) / 10)
        lr_t = lr * math.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        m, v = m + 0.1 * (g - m), v + 0.001 * (g * g - v)
        p = p - lr_t * m / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(session.runs[racer.id].trajectory.head[:2], p, rtol=1e-12)


def test_constant_is_the_default_and_costs_the_hot_path_nothing():
    session = Session(SURFACES["book"])
    racer = session.add_racer("momentum", lr=0.1)
    assert racer.schedule == {"key": "constant", "params": {}}
    assert session.runs[racer.id]._lrs is None  # the stepping loop skips schedules entirely
    session.advance(30)
    before = session.runs[racer.id].trajectory.table()[1].copy()
    session.set_schedule(racer.id, "cosine", steps=10)
    session.set_schedule(racer.id, "constant")
    np.testing.assert_array_equal(session.runs[racer.id].trajectory.table()[1], before)


def test_setting_a_schedule_resimulates_and_tells_listeners():
    session = Session(SURFACES["book"])
    racer = session.add_racer("sgd", lr=0.5)
    session.advance(20)
    heard = []
    session.events.connect(lambda kind, rid: heard.append((kind, rid)))
    session.set_schedule(racer.id, "exponential", gamma=0.9)
    assert heard == [("racer", racer.id)] and session.runs[racer.id].step == 20
    assert racer.schedule == {"key": "exponential", "params": {"gamma": 0.9}}
    with pytest.raises(ValueError, match="Invalid gamma"):
        session.set_schedule(racer.id, "exponential", gamma=2.0)
    assert racer.schedule["params"]["gamma"] == 0.9  # a refused schedule changes nothing


def test_a_schedule_survives_a_session_file_round_trip():
    session = Session(SURFACES["rosenbrock"])
    racer = session.add_racer("adam", lr=0.05)
    session.set_schedule(racer.id, "warmup_cosine", warmup=20, steps=300, floor=0.1)
    session.advance(120)
    text = dumps(to_scene(session))
    copy, _ = build(loads(text))
    assert copy.racers[0].schedule == racer.schedule
    np.testing.assert_array_equal(
        copy.runs[copy.racers[0].id].trajectory.table()[1],
        session.runs[racer.id].trajectory.table()[1],
    )
    assert dumps(to_scene(copy)) == text
    bad = text.replace('"warmup_cosine"', '"warmup_sine"')
    with pytest.raises(ValueError, match=r"racers\[0\]\.schedule\.key: unknown schedule"):
        loads(bad)
