"""The next step of a racer, as its update rule with today's numbers in it. No Qt.

:func:`explain` copies the racer's run (:meth:`Run.fork`), lets the copy take the step the next
Step will take — same gradient, same noise draw, same scheduled rate — and evaluates the
optimizer's declared equations (each class's ``rule``, :mod:`optimizers.rule`) on the values
from just before it.
Each line is shown three ways: in symbols, with the numbers substituted, and its result; the last
``θ ←`` line lands where the racer will be after the next Step, which the explanation checks
against the optimizer's own arithmetic. Nothing here knows an optimizer by name.

The text is simple rich text (``<b>``, ``<sub>``, ``<sup>``, ``<br>``) for a Qt label or text
view set to rich text; ``Explanation.lines`` holds the same pieces for a custom layout.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gui.model.arithmetic import number, parse, symbol
from gui.model.session import Session
from optimizers.rule import Rule, rule_of
from surfaces import Surface

KEY = "xy"  # the param key a Run steps
INDENT = "&nbsp;" * 4


@dataclass(frozen=True)
class Line:
    """One line of the rule: ``symbolic`` is the whole ``target ← expression`` in symbols;
    ``numeric`` the expression with numbers substituted; ``result`` the value it gives."""

    target: str
    symbolic: str
    numeric: str
    result: str
    value: Any


@dataclass(frozen=True)
class Explanation:
    """The step from ``step`` to ``step + 1``. ``new_position`` is where the optimizer moves;
    ``computed`` where the equations say it moves (they agree unless ``note`` says otherwise)."""

    label: str
    title: str
    step: int
    position: np.ndarray
    gradient: np.ndarray
    hyper: dict[str, float]
    lines: tuple[Line, ...]
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray]
    new_position: np.ndarray
    computed: np.ndarray
    note: str = ""
    html: str = field(default="", repr=False)


def explain(session: Session, racer_id: int, digits: int = 6) -> Explanation:
    """The racer's next step, worked out; ``digits`` significant digits per number. A racer
    still re-simulating is finished first (the window waits for it instead: see ExplainPanel)."""
    session.settle()
    racer = session.racer(racer_id)
    run = session.runs[racer_id]
    rule = rule_of(type(run.optimizer))
    twin = run.fork()
    opt = twin.optimizer
    before = {n: b.copy() for n, b in opt.state.get(KEY, {}).items()}
    carried = {n: _scalar(v) for n, v in getattr(opt, "carried", {}).items()}
    position = twin.params[KEY].copy()
    hessian = run.surface.hessian(*position)
    if run.diverged_at is not None or twin.advance(1) == 0:
        note = f"{racer.label} diverged at step {run.diverged_at}: there is no next step."
        empty = np.full(2, np.nan)
        return Explanation(
            racer.label, opt.title, run.step, position, empty, opt.settings(), (), before, {},
            empty, empty, note, f"{_header(racer.label, opt.title)}<br>{note}",
        )  # fmt: skip
    gradient = twin.grads[KEY].copy()
    hyper = {k: _scalar(v) for k, v in opt.settings().items()}
    after = {n: b.copy() for n, b in opt.state.get(KEY, {}).items()}
    env: dict[str, Any] = {**hyper, "t": opt.t, "g": gradient, "p": position.copy(), **carried}
    if hessian is not None:
        env.update(zip(("hxx", "hxy", "hyy"), (_scalar(h) for h in hessian), strict=True))
    for name in after:
        env[name] = before[name] if name in before else _start(rule, name, env)
    lines = []
    for text in rule.lines:
        eq = parse(text)
        numeric = eq.numeric(env, digits)
        value = eq.evaluate(env)
        env[eq.target] = value
        shown = f"{symbol(eq.target, rule.symbols)} ← {eq.symbolic(rule.symbols)}"
        lines.append(Line(eq.target, shown, numeric, number(value, digits)[0], value))
    computed = np.asarray(env["p"], dtype=float)
    new_position = twin.params[KEY].copy()
    note = ""
    if not np.allclose(computed, new_position, rtol=1e-9, atol=1e-12, equal_nan=True):
        note = (
            f"The equations give θ = {number(computed, digits)[0]}, but {opt.title} moved to "
            f"{number(new_position, digits)[0]}: its declared equations are out of date."
        )
    explanation = Explanation(
        racer.label, opt.title, run.step, position, gradient, hyper, tuple(lines), before, after,
        new_position, computed, note,
    )  # fmt: skip
    page = _html(explanation, run.surface, racer.hyper.get("lr"), run.noise, rule, digits)
    return Explanation(**{**explanation.__dict__, "html": page})


def _scalar(value: Any) -> Any:
    arr = np.asarray(value, dtype=float)
    return float(arr) if arr.ndim == 0 else arr.copy()


def _start(rule: Rule, name: str, env: dict[str, Any]) -> np.ndarray:
    """A buffer's value before the optimizer's first update created it."""
    if name not in rule.starts:
        return np.zeros(2)
    return np.broadcast_to(parse(f"{name} ← {rule.starts[name]}").evaluate(env), (2,)).copy()


def _html(
    e: Explanation, surface: Surface, base_lr: Any, noise: float, rule: Rule, digits: int
) -> str:
    def num(value: Any) -> str:
        return number(value, digits)[0]

    def sym(name: str) -> str:
        return symbol(name, rule.symbols)

    f = surface.value
    out = [
        f"{_header(e.label, e.title)} · step {e.step} → {e.step + 1}",
        f"{sym('p')} = {num(e.position)}, f({sym('p')}) = {num(f(*e.position))}",
    ]
    exact = np.asarray(surface.gradient(*e.position), dtype=float)
    if noise:
        out.append(
            f"{sym('g')} = ∇f({sym('p')}) + noise = {num(exact)} + {num(e.gradient - exact)}"
            f" = {num(e.gradient)} (σ = {num(noise)})"
        )
    else:
        out.append(f"{sym('g')} = ∇f({sym('p')}) = {num(e.gradient)}")
    settings = [f"t = {e.step + 1}"] if any("t" in _names(text) for text in rule.lines) else []
    for name, value in e.hyper.items():
        shown = f"{sym(name)} = {num(value)}"
        if name == "lr" and base_lr and not np.isclose(value, base_lr, rtol=1e-15, atol=0):
            shown += f" ({num(base_lr)} × {num(value / base_lr)} from the schedule)"
        settings.append(shown)
    out += [", ".join(settings), ""]
    for line in e.lines:
        out.append(line.symbolic)
        worked = "" if line.numeric == line.result else f" = {line.numeric}"
        out.append(f"{INDENT}{worked} = <b>{line.result}</b>")
    out += ["", f"new {sym('p')} = <b>{num(e.new_position)}</b>, f = {num(f(*e.new_position))}"]
    if e.after:
        changes = (
            f"{sym(n)}: {num(e.before[n]) if n in e.before else 'new'} → {num(v)}"
            for n, v in e.after.items()
        )
        out.append("state: " + "; ".join(changes))
    if e.note:
        out.append(f"<i>{e.note}</i>")
    return _glued("<br>".join(out))


def _header(label: str, title: str) -> str:
    """ "SGD", not "SGD · SGD": the optimizer's name only when the label does not say it."""
    return f"<b>{label}</b>" if label.startswith(title) else f"<b>{label}</b> · {title}"


# A narrow panel would wrap a vector between (or inside) its numbers: each vector stays on one
# line, and the line breaks before or after it instead.
_VECTOR = re.compile(r"\[[^\[\]<]*(?:<sup>[^<]*</sup>[^\[\]<]*)*\]")


def _glued(html: str) -> str:
    return _VECTOR.sub(lambda m: f'<span style="white-space: nowrap">{m.group(0)}</span>', html)


def _names(line: str) -> set[str]:
    return {n.id for n in ast.walk(parse(line).expr) if isinstance(n, ast.Name)}
