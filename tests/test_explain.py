"""Explain: every optimizer's declared equations, with the numbers in, give its real next step.

The displayed arithmetic is checked independently: each line's substituted text is turned back
into Python by a few textual rules and evaluated here, so a wrong rendering (a missing bracket,
a lost sign) fails even when the model's own evaluation is right.
"""

import html
import re

import numpy as np
import pytest

from gui.model import Session
from gui.model.explain import explain
from optimizers import REGISTRY
from optimizers.rule import rule_of
from surfaces import SURFACES

# Hyperparameters that make each optimizer move visibly within a few steps from the start.
HYPER = {"sgd": {"lr": 1e-3}, "momentum": {"lr": 1e-3}, "nesterov": {"lr": 1e-3}}
HYPER |= {"adagrad": {"lr": 0.1}, "rmsprop": {"lr": 0.01}, "adadelta": {"lr": 1.0}}
HYPER |= {"lion": {"lr": 0.01, "weight_decay": 0.1}, "adamw": {"lr": 0.01, "weight_decay": 0.1}}
HYPER |= {"newton": {"lr": 0.8, "damping": 0.5}, "rprop": {"lr": 0.01}, "radam": {"lr": 1e-3}}
NAMESPACE = {
    "V": np.array, "sqrt": np.sqrt, "sign": np.sign, "abs": np.abs, "max": np.maximum,
    "min": np.minimum, "clip": np.clip, "__builtins__": {},
}  # fmt: skip


def as_python(text: str) -> str:
    """The displayed arithmetic as a Python expression over numpy arrays."""
    s = html.unescape(text).replace("−", "-").replace("·", "*").replace("×", "*")
    s = re.sub(r"</?span[^>]*>", "", s)  # the span that keeps a vector on one line
    s = s.replace("<sup>", "**(").replace("</sup>", ")").replace("√", "sqrt")
    s = re.sub(r"\|([^|]*)\|", r"abs(\1)", s)
    return s.replace("[", "V([").replace("]", "])")


def shown(text: str):
    return eval(as_python(text), NAMESPACE)  # our own rendering of numbers, in a test


def session_for(key, surface="rosenbrock", steps=0, noise=None, schedule=None):
    session = Session(SURFACES[surface])
    racer = session.add_racer(key, **HYPER.get(key, {"lr": 0.01}))
    if noise:
        session.set_noise(racer.id, *noise)
    if schedule:
        session.set_schedule(racer.id, *schedule[:1], **schedule[1])
    session.advance(steps)
    return session, racer


def test_every_registered_optimizer_declares_equations():
    assert len(REGISTRY) == 19
    for cls in REGISTRY.values():
        assert rule_of(cls).lines[-1].startswith("p ←") or any(
            line.startswith("p ←") for line in rule_of(cls).lines
        )


@pytest.mark.parametrize("key", list(REGISTRY))
@pytest.mark.parametrize("steps", [0, 1, 7])
def test_the_equations_reproduce_the_next_step_and_the_new_state(key, steps):
    session, racer = session_for(
        key, steps=steps, noise=(0.5, 3), schedule=("cosine", {"steps": 20})
    )
    e = explain(session, racer.id, digits=17)
    assert e.note == "" and e.step == steps
    run = session.runs[racer.id]
    head_before = run.trajectory.head.copy()
    np.testing.assert_array_equal(e.position, head_before[:2])  # explain moved nothing
    session.advance(1)
    nxt = run.trajectory.head[:2]
    np.testing.assert_array_equal(e.new_position, nxt)
    np.testing.assert_allclose(e.computed, nxt, rtol=1e-12, atol=1e-15)
    values = {line.target: line.value for line in e.lines}
    for name, buffer in run.optimizer.state.get("xy", {}).items():
        np.testing.assert_allclose(values[name], buffer, rtol=1e-12, atol=1e-300, err_msg=name)
        np.testing.assert_array_equal(e.after[name], buffer)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_the_displayed_arithmetic_evaluates_to_the_displayed_results(key):
    session, racer = session_for(key, steps=4, noise=(0.3, 1))
    e = explain(session, racer.id, digits=17)
    for line in e.lines:
        np.testing.assert_allclose(
            shown(line.numeric), shown(line.result), rtol=1e-11, atol=1e-300, err_msg=line.numeric
        )
    last = [line for line in e.lines if line.target == "p"][-1]
    session.advance(1)
    nxt = session.runs[racer.id].trajectory.head[:2]
    np.testing.assert_allclose(shown(last.numeric), nxt, rtol=1e-11)


@pytest.mark.parametrize("key", ["sgd", "adam", "newton", "rprop", "nadam"])
def test_at_six_digits_the_new_position_shows_the_next_point(key):
    session, racer = session_for(key, steps=3)
    e = explain(session, racer.id)
    page = re.sub(r"</?span[^>]*>", "", e.html)  # the span that keeps a vector on one line
    match = re.search(r"new θ = <b>(\[[^\]]*\])</b>", page)
    session.advance(1)
    nxt = session.runs[racer.id].trajectory.head[:2]
    np.testing.assert_allclose(shown(match.group(1)), nxt, rtol=5e-6)
    last = [line for line in e.lines if line.target == "p"][-1]
    np.testing.assert_allclose(shown(last.numeric), nxt, rtol=1e-4)  # six-digit inputs


def test_the_page_shows_symbols_numbers_noise_and_schedule():
    session, racer = session_for("adam", surface="book", steps=2, noise=(0.1, 4),
                                 schedule=("exponential", {"gamma": 0.5}))  # fmt: skip
    page = explain(session, racer.id).html
    assert "β<sub>1</sub>" in page and "g<sub>t</sub>" in page and "←" in page
    assert "∇f(θ) + noise" in page and "σ = 0.1" in page
    assert "from the schedule" in page and "0.25" in page  # 0.5² after two steps
    assert "t = 3" in page and "state: m:" in page


def test_newton_shows_the_hessian_it_solves_with():
    session, racer = session_for("newton", surface="book", steps=1)
    e = explain(session, racer.id)
    assert "H<sub>xx</sub>" in e.lines[0].symbolic and "0.1" in e.lines[0].numeric
    assert "det(H)" in e.lines[1].symbolic


def test_a_diverged_racer_has_nothing_to_explain():
    session = Session(SURFACES["book"])
    racer = session.add_racer("sgd", lr=2.0)
    session.set_step_limit(5000)
    session.advance(5000)
    assert session.runs[racer.id].diverged_at is not None
    e = explain(session, racer.id)
    assert e.lines == () and "diverged" in e.note and "diverged" in e.html
