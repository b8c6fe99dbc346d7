"""Rule expressions as Python source, and the float functions that give numpy's answers.

Shared by the forms :mod:`optimizers.compile` generates: a tree is printed fully bracketed, so
Python evaluates it in exactly the order the line was written; ``x**2`` is printed as ``x·x``,
numpy's own square.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import Any

import numpy as np

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_CMP = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<="}

# --- float arithmetic with numpy's answers -----------------------------------------------------


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0 if x == 0 else x  # nan stays nan


def _maximum(a: float, b: float) -> float:
    return a if a > b or a != a else b  # numpy's choice: nan wins, ties give b


def _minimum(a: float, b: float) -> float:
    return a if a < b or a != a else b


def _clip(x: float, low: float, high: float) -> float:
    if x != x:
        return x
    x = low if x < low else x
    return high if x > high else x


FLOAT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_sqrt": math.sqrt,  # raises on a negative argument, where numpy gives nan: fall back
    "_pow": math.pow,  # raises on overflow or a negative base to a fraction: fall back
    "_sign": _sign,
    "_abs": abs,
    "_maximum": _maximum,
    "_minimum": _minimum,
    "_clip": _clip,
}
NUMPY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_sqrt": np.sqrt,
    "_pow": np.power,
    "_sign": np.sign,
    "_abs": np.absolute,
    "_maximum": np.maximum,
    "_minimum": np.minimum,
    "_clip": np.clip,
    "_where": np.where,
}


# --- expressions as Python source ----------------------------------------------------------------


class Source:
    """Python source for an expression tree; ``name`` maps a rule name to its local variable,
    and sub-trees in ``slots`` (by ``ast.dump``) read a precomputed value instead."""

    def __init__(
        self, name: Callable[[str], str], slots: dict[str, str] | None = None, vector=False
    ) -> None:
        self.name, self.slots, self.vector = name, slots or {}, vector
        self.squares = 0

    def __call__(self, node: ast.expr) -> str:
        slot = self.slots.get(ast.dump(node))
        if slot is not None:
            return slot
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Constant):
            return repr(float(node.value))
        if isinstance(node, ast.UnaryOp):
            operand = self(node.operand)
            return f"(-{operand})" if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow) and is_two(node.right):
                # x² as x·x, numpy's own square: a walrus evaluates x once.
                self.squares += 1
                tmp = f"_sq{self.squares}"
                return f"(({tmp} := {self(node.left)}) * {tmp})"
            if isinstance(node.op, ast.Pow):
                return f"_pow({self(node.left)}, {self(node.right)})"
            return f"({self(node.left)} {_OPS[type(node.op)]} {self(node.right)})"
        if isinstance(node, ast.Call):
            return f"_{node.func.id}({', '.join(self(a) for a in node.args)})"
        if isinstance(node, ast.Compare):
            op = _CMP[type(node.ops[0])]
            return f"({self(node.left)} {op} {self(node.comparators[0])})"
        if isinstance(node, ast.IfExp):
            test, body, orelse = self(node.test), self(node.body), self(node.orelse)
            if self.vector:
                return f"_where({test}, {body}, {orelse})"
            return f"({body} if {test} else {orelse})"
        raise TypeError(f"cannot compile {ast.dump(node)}")  # rule.py refused it already


def is_two(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 2


def build(source: str, name: str, functions: dict[str, Any]) -> Callable[..., Any]:
    namespace = {"np": np, **functions}
    exec(compile(source, f"<rule {name}>", "exec"), namespace)  # our own generated text
    return namespace[name]
