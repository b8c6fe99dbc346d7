"""Update-rule lines as small expressions: parsed once, evaluated with numpy, and rendered as
simple HTML (<sub>, <sup>, Greek letters) — with symbols, or with the current numbers in place.

The lines come from the optimizers' rules (our own text, never the user's), and only a short
whitelist of syntax is accepted, so a typo there fails loudly at parse time. Numbers render so
that the text reads as the arithmetic it shows: ``[a, b]`` is a vector, ``√(…)`` a square root,
``x<sup>k</sup>`` a power, ``|x|`` an absolute value, and negative or scientific numbers are
bracketed wherever an operator would otherwise bind them differently.
"""

from __future__ import annotations

import ast
import functools
import html
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "eps": "ε", "eta": "η", "lambda": "λ",
    "mu": "μ", "nu": "ν", "rho": "ρ", "sigma": "σ", "psi": "ψ",
}  # fmt: skip
# Names whose generic reading (Greek words, trailing digits as subscripts) would mislead.
SYMBOLS = {
    "lr": "η", "lr_t": "η<sub>t</sub>", "momentum": "μ", "decay_rate": "ρ", "weight_decay": "λ",
    "momentum_decay": "ψ", "damping": "λ", "eta_plus": "η<sub>+</sub>",
    "eta_minus": "η<sub>−</sub>", "step_min": "Δ<sub>min</sub>", "step_max": "Δ<sub>max</sub>",
    "g": "g<sub>t</sub>", "p": "θ", "hxx": "H<sub>xx</sub>", "hxy": "H<sub>xy</sub>",
    "hyy": "H<sub>yy</sub>", "det": "det(H)",
}  # fmt: skip
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": np.sqrt,
    "sign": np.sign,
    "abs": np.abs,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "clip": np.clip,
    "vec": lambda x, y: np.stack(np.broadcast_arrays(x, y), axis=-1),
}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
_BINARY |= {ast.Div: operator.truediv, ast.Pow: operator.pow}
_COMPARE = {ast.Gt: (operator.gt, "&gt;"), ast.Lt: (operator.lt, "&lt;")}
_COMPARE |= {ast.GtE: (operator.ge, "≥"), ast.LtE: (operator.le, "≤")}
# Binding strength for brackets: conditional < comparison < sum < product < sign < power < atom.
_IF, _CMP, _SUM, _PRODUCT, _SIGN, _POWER, _ATOM = range(7)
_AXES = ("x", "y")


@dataclass(frozen=True)
class Equation:
    target: str
    expr: ast.expr

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        # Both sides of a conditional are evaluated (per coordinate); RAdam's unused branch is a
        # square root of a negative number, which must stay quiet.
        with np.errstate(all="ignore"):
            return _tidy(_evaluate(self.expr, env))

    def symbolic(self, symbols: Mapping[str, str]) -> str:
        return _render(self.expr, lambda n: (symbol(n, symbols), _ATOM), None)[0]

    def numeric(self, env: Mapping[str, Any], digits: int) -> str:
        return _render(self.expr, lambda n: number(env[n], digits), (env, digits))[0]


@functools.lru_cache(maxsize=512)
def parse(line: str) -> Equation:
    """``"m ← beta1*m + (1 - beta1)*g"`` as an :class:`Equation`."""
    target, arrow, text = line.partition("←")
    target = target.strip()
    if not arrow or not target.isidentifier():
        raise ValueError(f"Not an update line 'target ← expression': {line!r}")
    expr = ast.parse(text.strip(), mode="eval").body
    for node in ast.walk(expr):
        _check(node, line)
    return Equation(target, expr)


def _check(node: ast.AST, line: str) -> None:
    allowed = (ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.USub, ast.Call, ast.IfExp)
    allowed += (ast.Compare, ast.Subscript, ast.Constant, *_BINARY, *_COMPARE)
    if not isinstance(node, allowed):
        raise ValueError(f"{type(node).__name__} is not allowed in an update line: {line!r}")
    if isinstance(node, ast.Call) and not (
        isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords
    ):
        raise ValueError(f"Only {', '.join(FUNCTIONS)} may be called in an update line: {line!r}")
    if isinstance(node, ast.Constant) and type(node.value) not in (int, float):
        raise ValueError(f"Only numbers may appear as constants: {line!r}")
    if isinstance(node, ast.Compare) and len(node.ops) != 1:
        raise ValueError(f"Chained comparisons are not allowed: {line!r}")
    if isinstance(node, ast.Subscript) and not (
        isinstance(node.slice, ast.Constant) and node.slice.value in (0, 1)
    ):
        raise ValueError(f"Only [0] and [1] may pick a coordinate: {line!r}")


def _evaluate(node: ast.expr, env: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        try:
            return env[node.id]
        except KeyError:
            raise ValueError(f"Update line uses {node.id!r}, which has no value") from None
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, env)
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_evaluate(a, env) for a in node.args))
    if isinstance(node, ast.Subscript):
        return np.asarray(_evaluate(node.value, env))[..., node.slice.value]
    if isinstance(node, ast.Compare):
        op = _COMPARE[type(node.ops[0])][0]
        return op(_evaluate(node.left, env), _evaluate(node.comparators[0], env))
    cond = _evaluate(node.test, env)
    return np.where(cond, _evaluate(node.body, env), _evaluate(node.orelse, env))


def _tidy(value: Any) -> Any:
    """0-d results as Python numbers, so they print as scalars."""
    return value.item() if isinstance(value, np.ndarray) and value.ndim == 0 else value


Leaf = Callable[[str], tuple[str, int]]


def _render(node: ast.expr, leaf: Leaf, numeric: tuple[Mapping[str, Any], int] | None) -> Any:
    """HTML of ``node`` and how tightly it binds; names become ``leaf(name)``."""

    def sub(child: ast.expr, at_least: int) -> str:
        text, strength = _render(child, leaf, numeric)
        return text if strength >= at_least else f"({text})"

    if isinstance(node, ast.Name):
        return leaf(node.id)
    if isinstance(node, ast.Constant):
        return str(node.value), _ATOM  # as written in the rule: 0.96, not 0.95999999999999996
    if isinstance(node, ast.BinOp):
        op = type(node.op)
        if op is ast.Pow:
            return f"{sub(node.left, _ATOM)}<sup>{sub(node.right, _IF)}</sup>", _POWER
        if op in (ast.Add, ast.Sub):
            right = sub(node.right, _SUM + (op is ast.Sub))
            return f"{sub(node.left, _SUM)} {'+' if op is ast.Add else '−'} {right}", _SUM
        right = sub(node.right, _PRODUCT + (op is ast.Div))
        return f"{sub(node.left, _PRODUCT)}{'·' if op is ast.Mult else '/'}{right}", _PRODUCT
    if isinstance(node, ast.UnaryOp):
        return f"−{sub(node.operand, _SIGN)}", _SIGN
    if isinstance(node, ast.Call):
        name, args = node.func.id, [sub(a, _IF) for a in node.args]
        if name == "sqrt":
            bare = numeric is None and isinstance(node.args[0], ast.Name)
            return ("√" + args[0] if bare else f"√({args[0]})"), _ATOM
        if name == "abs":
            return f"|{args[0]}|", _ATOM
        if name == "vec":
            return f"[{', '.join(args)}]", _ATOM
        shown = {"maximum": "max", "minimum": "min"}.get(name, name)
        return f"{shown}({', '.join(args)})", _ATOM
    if isinstance(node, ast.Subscript):
        axis = _AXES[node.slice.value]
        if numeric is not None:
            return number(np.asarray(numeric[0][node.value.id])[..., node.slice.value], numeric[1])
        name = leaf(node.value.id)[0]
        if name.endswith("</sub>"):
            return f"{name[: -len('</sub>')]},{axis}</sub>", _ATOM
        return f"{name}<sub>{axis}</sub>", _ATOM
    if isinstance(node, ast.Compare):
        shown = _COMPARE[type(node.ops[0])][1]
        return f"{sub(node.left, _SUM)} {shown} {sub(node.comparators[0], _SUM)}", _CMP
    if numeric is not None:
        # Show the branch taken when every coordinate takes the same one; else just the values.
        env, digits = numeric
        with np.errstate(all="ignore"):
            cond = np.asarray(_evaluate(node.test, env))
            if cond.all() or not cond.any():
                return _render(node.body if cond.all() else node.orelse, leaf, numeric)
            return number(_tidy(_evaluate(node, env)), digits)
    test = sub(node.test, _CMP)
    return f"({sub(node.body, _SUM)} if {test}, else {sub(node.orelse, _IF)})", _ATOM


def symbol(name: str, overrides: Mapping[str, str] | None = None) -> str:
    """HTML for a name: ``beta1`` → β<sub>1</sub>, ``v_max`` → v<sub>max</sub>, ``lr`` → η."""
    if overrides and name in overrides:
        return overrides[name]
    if name in SYMBOLS:
        return SYMBOLS[name]
    base, _, index = name.partition("_")
    match = re.fullmatch(r"([A-Za-z]+?)(\d+)", base)
    if match and not index:
        base, index = match.groups()
    base = _GREEK.get(base, html.escape(base))
    return f"{base}<sub>{html.escape(index)}</sub>" if index else base


def number(value: Any, digits: int) -> tuple[str, int]:
    """A scalar or a vector as HTML, and how tightly it binds (−0.5 binds like a sum)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim:
        return "[" + ", ".join(number(v, digits)[0] for v in arr.reshape(-1)) + "]", _ATOM
    v = float(arr)
    if not np.isfinite(v):
        return ("nan" if np.isnan(v) else ("−∞" if v < 0 else "∞")), _ATOM
    text = f"{v:.{digits}g}"
    strength = _ATOM
    if "e" in text:
        mantissa, exponent = text.split("e")
        text, strength = f"{mantissa}×10<sup>{int(exponent)}</sup>", _PRODUCT
    if v < 0 or text.startswith("-"):
        strength = _SUM
    return text.replace("-", "−"), strength
