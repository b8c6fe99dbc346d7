"""A checked formula as a sympy expression, with its exact gradient and Hessian.

Imports sympy, so ``surfaces.formula`` imports this module only inside ``from_formula``. The
sympy objects are built node by node from the checked tree; no text ever reaches sympy.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction
from itertools import islice

import sympy

from surfaces.formula.check import Expr
from surfaces.formula.grammar import FormulaError

# Real symbols, so sympy differentiates x**2 as 2*x without complex-conjugate detours.
X = sympy.Symbol("x", real=True)
Y = sympy.Symbol("y", real=True)

_RATIONAL_BITS = 32  # larger exact constants go in as floats: sympy would raise them to powers
# Refusal thresholds for the cost of differentiating (see cost()). Measured on a cold sympy
# cache: an estimate of 10,000 takes sympy up to about a second; the Goldstein-Price function
# estimates 1,800, and typed textbook formulas less.
MAX_DERIVATIVE_COST = 10_000  # estimated nodes, first and second derivatives together
MAX_GRADIENT_SIZE = 5_000  # actual nodes of fx and fy, a backstop for the estimate
_NAMES = {"x": X, "y": Y, "pi": sympy.pi, "e": sympy.E}


class RealAbs(sympy.Function):
    """|u| for real u. sympy's own Abs differentiates |log(x)| through re() and im() parts,
    because it cannot prove log(x) real; numpy's abs is real, so its derivative is sign(u)."""

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        return sympy.Abs(arg) if arg.is_number else None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return RealSign(self.args[0])


class RealSign(sympy.Function):
    """sign(u) for real u, with derivative 0: true everywhere but the jump at u = 0, where no
    finite derivative exists (sympy's sign would give a DiracDelta there)."""

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        return sympy.sign(arg) if arg.is_number else None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


# Printed the way the student typed them, in descriptions.
RealAbs.__name__, RealSign.__name__ = "abs", "sign"

_FUNCTIONS = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "arcsin": sympy.asin,
    "arccos": sympy.acos,
    "arctan": sympy.atan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "arcsinh": sympy.asinh,
    "arccosh": sympy.acosh,
    "arctanh": sympy.atanh,
    "exp": sympy.exp,
    "log": sympy.log,
    "log10": lambda u: sympy.log(u) / sympy.log(10),
    "log2": lambda u: sympy.log(u) / sympy.log(2),
    "sqrt": sympy.sqrt,
    "abs": RealAbs,
    "sign": RealSign,
}


_BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}
_ARITY = {"call": 1, "neg": 1, **dict.fromkeys(_BINARY, 2)}


def to_sympy(e: Expr) -> sympy.Expr:
    """The sympy expression of a checked tree (recursion depth is bounded by MAX_DEPTH).

    Builds only what it knows: any other kind, name, function, arity or constant raises
    FormulaError (never an assert, which ``python -O`` would drop), whoever made the tree.
    """
    if type(e) is not Expr:
        raise FormulaError(f"not a checked formula node: {type(e).__name__}")
    if e.kind == "var":
        if e.name not in _NAMES:
            raise FormulaError(f"unknown name {e.name!r} in the formula: use x, y, pi, e")
        return _NAMES[e.name]
    if e.value is not None:
        return _number(e.value)
    arity = _ARITY.get(e.kind)
    if arity is None:
        raise FormulaError(f"unknown kind of formula node {e.kind!r}")
    if len(e.args) != arity:
        raise FormulaError(f"{e.kind!r} takes {arity} operand(s), not {len(e.args)}")
    if e.kind == "call" and e.name not in _FUNCTIONS:
        raise FormulaError(f"unknown function {e.name!r} in the formula")
    a = [to_sympy(arg) for arg in e.args]
    if e.kind == "call":
        return _FUNCTIONS[e.name](a[0])
    if e.kind == "neg":
        return -a[0]
    return _BINARY[e.kind](a[0], a[1])


def _number(value: object) -> sympy.Expr:
    if type(value) is Fraction:
        n, d = value.numerator, value.denominator
        if max(n.bit_length(), d.bit_length()) <= _RATIONAL_BITS:
            return sympy.Rational(n, d)
        try:
            value = float(value)
        except OverflowError:
            value = math.inf  # refused just below
    if type(value) is not float or not math.isfinite(value):
        raise FormulaError(f"not a finite number in the formula: {value!r}"[:80])
    return sympy.Float(value)


def derivatives(e: Expr) -> tuple[sympy.Expr, ...]:
    """(f, fx, fy, fxx, fxy, fyy), each checked to be finite, real and free of anything but x, y."""
    first, second = cost(e)
    if first + second > MAX_DERIVATIVE_COST:
        raise FormulaError(
            "the formula is too complicated to differentiate exactly: use fewer nested or "
            "multiplied parts"
        )
    f = _checked(to_sympy(e), "the formula")
    fx = _checked(f.diff(X), "its x-derivative")
    fy = _checked(f.diff(Y), "its y-derivative")
    if _size(fx) + _size(fy) > MAX_GRADIENT_SIZE:  # in case cost() underestimates
        raise FormulaError("the gradient of the formula is too large to work with exactly")
    fxx = _checked(fx.diff(X), "its second x-derivative")
    fxy = _checked(fx.diff(Y), "its mixed derivative")
    fyy = _checked(fy.diff(Y), "its second y-derivative")
    return f, fx, fy, fxx, fxy, fyy


def _checked(expr: sympy.Expr, what: str) -> sympy.Expr:
    if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise FormulaError(
            f"{what} is infinite or undefined ({short(expr)}): look for a division by zero "
            "or log(0)"
        )
    if expr.has(sympy.I):
        raise FormulaError(
            f"{what} is complex ({short(expr)}): look for sqrt or log of something always negative"
        )
    if expr.has(sympy.Derivative) or not expr.free_symbols <= {X, Y}:
        raise FormulaError(f"{what} cannot be differentiated exactly ({short(expr)})")
    return expr


def short(expr: sympy.Expr, limit: int = 80) -> str:
    """Printed for a message, but not at length: a huge derivative would take a while."""
    try:
        text = sympy.sstr(expr) if _size(expr, 1000) < 1000 else "a long expression"
    except ValueError:  # an integer with more digits than Python will print
        text = "a long expression"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _size(expr: sympy.Expr, limit: int = MAX_GRADIENT_SIZE + 1) -> int:
    return sum(1 for _ in islice(sympy.preorder_traversal(expr), limit))


def cost(e: Expr) -> tuple[int, int]:
    """Estimated tree sizes of the first and of the second derivative, before sympy builds them.

    Differentiating copies: (a*b)' = a'*b + a*b' holds a and b again, and a product of n
    factors has an n**2 gradient and an n**3 Hessian. Left unchecked, 100 factors take sympy
    minutes; this estimate (chain and product rules on node counts) refuses them up front.
    """
    return _cost(e)[1:]


def _cost(e: Expr) -> tuple[int, int, int]:
    """(size, first, second) of e, with sums and products flat as sympy stores them."""
    if e.value is not None:
        return 1, 0, 0
    if e.kind == "var":
        return 1, 1, 0
    if e.kind in ("+", "-", "neg") and not (e.kind == "neg" and e.args[0].kind in ("*", "/")):
        parts = [_cost(t) for t in _flat(e, ("+", "-", "neg"))]
        return 1 + sum(p[0] for p in parts), sum(p[1] for p in parts), sum(p[2] for p in parts)
    if e.kind in ("*", "/", "neg"):
        # The product rule repeats every other factor in each term: k**2 and k**3 growth.
        parts = [_cost(f) for f in _flat(e, ("*", "/", "neg"))]
        size = 1 + sum(p[0] for p in parts)
        slopes = [p[1] for p in parts if p[1]]
        k = len(slopes)
        first = sum(slopes) + k * size
        second = sum(p[2] for p in parts) + k * size + 2 * (k - 1) * sum(slopes)
        return size, first, second + k * (k - 1) * size
    parts = [_cost(a) for a in e.args]  # chain rule through a function or a power
    size = 1 + sum(p[0] for p in parts)
    dependent = [p for p in parts if p[1]]
    first = sum(d + 2 * size for _, d, _ in dependent)
    second = sum(dd + 2 * d + 3 * size for _, d, dd in dependent)
    if len(dependent) == 2:  # the cross term of x**y
        second += dependent[0][1] + dependent[1][1] + 2 * size
    return size, first, second


def _flat(e: Expr, kinds: tuple[str, ...]) -> list[Expr]:
    """The operands of a chain of one associative family (a - (b + -c) -> a, b, c)."""
    if e.value is None and e.kind in kinds:
        return [part for arg in e.args for part in _flat(arg, kinds)]
    return [e]
