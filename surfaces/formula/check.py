"""The security boundary: read checked text with ``ast`` and keep only a whitelisted tree.

``ast.parse`` only builds a tree; nothing is compiled or run. The walk below accepts numbers,
the names x, y, pi, e, the operators + - * / ** (and unary + -), and one-argument calls of the
functions in ``grammar``; every other node is refused by type, so new Python syntax is
refused too. Constant sub-expressions are folded here, in bounded exact fractions or floats, so
``9**9**9**9`` is refused before anything computes a huge number.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass
from fractions import Fraction

from surfaces.formula.grammar import (
    ALL_FUNCTIONS,
    ALLOWED_HELP,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_MAGNITUDE,
    MAX_NODES,
    VARIABLES,
    FormulaError,
    canonical,
)
from surfaces.formula.scan import check_text, scan

Number = Fraction | float

_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_FRACTION_BITS = 64  # exact fractions beyond this become floats: keeps every later step cheap
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_SPACES = str.maketrans("\t\r\n", "   ")  # same length, so columns stay right
_NODE_HELP = {
    "Attribute": "attribute access ('.')",
    "Subscript": "indexing with [ ]",
    "Lambda": "lambda",
    "ListComp": "a comprehension",
    "SetComp": "a comprehension",
    "DictComp": "a comprehension",
    "GeneratorExp": "a comprehension",
    "Compare": "a comparison",
    "BoolOp": "a logic operator (and, or)",
    "IfExp": "a condition (if/else)",
    "JoinedStr": "an f-string",
    "NamedExpr": "an assignment (:=)",
    "Starred": "* unpacking",
    "Tuple": "a comma (tuple)",
}


@dataclass(frozen=True)
class Expr:
    """A checked formula node. ``value`` is set when the subtree has no x or y (folded)."""

    kind: str  # "num", "var", "call", "neg", "+", "-", "*", "/", "**"
    args: tuple[Expr, ...] = ()
    name: str = ""  # the variable, or the canonical function name
    value: Number | None = None
    col: int = 0
    # Largest product of constant exponents down a chain of powers: sympy multiplies nested
    # exponents out ((2*x)**100)**100 -> 2**10000*x**10000), so this bounds its big integers.
    scale: float = 1.0


def parse_formula(text: object) -> tuple[Expr, str]:
    """The checked tree of an untrusted formula and its normalised text; FormulaError if refused."""
    scan(check_text(text))
    source = str(text).translate(_SPACES)
    stripped = source.lstrip()  # ast would call leading blanks an indent
    shift = len(source) - len(stripped)
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) + shift
        raise FormulaError(f"cannot read the formula near column {col}", column=col) from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise FormulaError("the formula is too complicated to read") from None
    check_tree(tree.body, shift)
    return _build(tree.body, shift), ast.unparse(tree.body)


def check_tree(root: ast.AST, shift: int = 0) -> None:
    """Whitelist every node, and bound size and depth, without recursion; FormulaError if not.

    This layer stands alone: it is the boundary for any tree, whatever the text scan let by.
    ``shift`` is added to the columns in messages (blanks stripped before parsing)."""
    stack = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        col = getattr(node, "col_offset", 0) + shift + 1
        if count > MAX_NODES:
            raise FormulaError(f"the formula is too long: more than {MAX_NODES} parts")
        if depth > MAX_DEPTH:
            raise FormulaError(
                f"too deeply nested at column {col}: at most {MAX_DEPTH} levels", column=col
            )
        stack.extend((child, depth + 1) for child in _allowed_children(node, col))


def _allowed_children(node: ast.AST, col: int) -> tuple[ast.AST, ...]:
    # Exact type checks, so no subclass or look-alike node passes.
    kind = type(node)
    if kind is ast.Constant and type(node.value) in (int, float):
        return ()
    if kind is ast.Name and node.id in VARIABLES and type(node.ctx) is ast.Load:
        return ()
    if kind is ast.BinOp and type(node.op) in _BINOPS:
        return (node.left, node.right)
    if kind is ast.UnaryOp and type(node.op) in (ast.UAdd, ast.USub):
        return (node.operand,)
    if kind is ast.Call:
        return (_checked_argument(node, col),)
    if kind is ast.Constant:
        what = f"the constant {node.value!r}"[:60]
        raise FormulaError(f"{what} at column {col} is not allowed: only plain numbers", column=col)
    if kind is ast.Name:
        raise FormulaError(f"unknown name {node.id!r} at column {col}: use x, y, pi, e", column=col)
    if kind in (ast.BinOp, ast.UnaryOp):
        raise FormulaError(
            f"the operator at column {col} is not allowed: use + - * / and **", column=col
        )
    what = _NODE_HELP.get(kind.__name__, f"this kind of expression ({kind.__name__})")
    raise FormulaError(f"{what} at column {col} is not allowed in a formula", column=col)


def _checked_argument(call: ast.Call, col: int) -> ast.AST:
    func = call.func
    if type(func) is not ast.Name:
        raise FormulaError(f"only named functions can be called (column {col})", column=col)
    name = func.id
    if name not in ALL_FUNCTIONS:
        raise FormulaError(f"unknown function {name!r} at column {col}: {ALLOWED_HELP}", column=col)
    if call.keywords or any(type(a) is ast.Starred for a in call.args):
        raise FormulaError(
            f"write {name}(x): no keywords or * unpacking (column {col})", column=col
        )
    if len(call.args) != 1:
        raise FormulaError(
            f"{name}() takes exactly one argument, {len(call.args)} given (column {col})",
            column=col,
        )
    return call.args[0]


def _build(node: ast.AST, shift: int) -> Expr:
    """The Expr of a checked node (recursion is safe: depth is at most MAX_DEPTH)."""
    col = node.col_offset + shift + 1
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, int) and value.bit_length() > 1100:  # more digits than 1e300 has
            raise FormulaError(f"the number at column {col} is too large", column=col)
        number = _tidy(Fraction(value) if isinstance(value, int) else value, col)
        return Expr("num", value=number, col=col)
    if isinstance(node, ast.Name):
        value = {"pi": math.pi, "e": math.e}.get(node.id)
        return Expr("var", name=node.id, value=value, col=col)
    if isinstance(node, ast.UnaryOp):
        arg = _build(node.operand, shift)
        return arg if isinstance(node.op, ast.UAdd) else _combine("neg", (arg,), "", col)
    if isinstance(node, ast.BinOp):
        args = (_build(node.left, shift), _build(node.right, shift))
        return _combine(_BINOPS[type(node.op)], args, "", col)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _combine("call", (_build(node.args[0], shift),), canonical(node.func.id), col)
    # check_tree refused this already; an exception, not an assert, so `python -O` keeps it.
    what = type(node).__name__
    raise FormulaError(f"this kind of expression ({what}) at column {col} is not allowed", col)


def _combine(kind: str, args: tuple[Expr, ...], name: str, col: int) -> Expr:
    values = [a.value for a in args]
    if kind == "/" and values[1] == 0:
        raise FormulaError(f"division by zero at column {args[1].col}", column=args[1].col)
    scale = max(a.scale for a in args)
    if kind == "**" and values[1] is not None:
        if abs(values[1]) > MAX_EXPONENT:
            raise FormulaError(
                f"the exponent at column {args[1].col} is too large (at most {MAX_EXPONENT})",
                column=args[1].col,
            )
        scale = args[0].scale * max(1.0, abs(float(values[1])))
        if scale > MAX_EXPONENT:
            raise FormulaError(
                f"nested powers at column {col} multiply to an exponent over {MAX_EXPONENT}",
                column=col,
            )
    value = None
    if all(v is not None for v in values):
        value = _tidy(_fold(kind, name, values, col), col)
        scale = 1.0  # a constant reaches sympy as one number
    return Expr(kind, args, name, value, col, scale)


def _fold(kind: str, name: str, v: list[Number], col: int) -> Number:
    if kind == "neg":
        return -v[0]
    if kind == "call":
        return _call(name, v[0], col)
    a, b = v
    if kind == "**":
        return _power(a, b, col)
    return _ARITHMETIC[kind](a, b)  # exact for two fractions, float as soon as one is a float


def _power(a: Number, b: Number, col: int) -> Number:
    """a**b for constants, refusing before computing anything beyond MAX_MAGNITUDE."""
    if a == 0 and b < 0:
        raise FormulaError(f"0 to a negative power at column {col}", column=col)
    if a != 0 and float(b) * _log10_abs(a) > math.log10(MAX_MAGNITUDE):
        raise FormulaError(f"the power at column {col} is too large (over 1e300)", column=col)
    if isinstance(a, Fraction) and isinstance(b, Fraction) and b.denominator == 1:
        bits = max(a.numerator.bit_length(), a.denominator.bit_length())
        if abs(b.numerator) * bits <= 4 * _FRACTION_BITS:
            return a**b.numerator
    fa, fb = float(a), float(b)
    if fa < 0 and not fb.is_integer():
        raise FormulaError(
            f"a negative number to a fractional power (column {col}) is not a real number",
            column=col,
        )
    return math.pow(fa, fb)  # both checks above exclude its OverflowError and ValueError


def _log10_abs(a: Number) -> float:
    if isinstance(a, Fraction):  # exact for big integers, where float() would overflow
        return math.log10(abs(a.numerator)) - math.log10(a.denominator)
    return math.log10(abs(a))


_MATH = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "arcsin": math.asin,
    "arccos": math.acos,
    "arctan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "arcsinh": math.asinh,
    "arccosh": math.acosh,
    "arctanh": math.atanh,
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "sqrt": math.sqrt,
}
_DOMAIN = {
    "log": "needs a positive argument",
    "log10": "needs a positive argument",
    "log2": "needs a positive argument",
    "sqrt": "needs an argument >= 0",
    "arcsin": "needs an argument in [-1, 1]",
    "arccos": "needs an argument in [-1, 1]",
    "arccosh": "needs an argument >= 1",
    "arctanh": "needs an argument in (-1, 1)",
}


def _call(name: str, a: Number, col: int) -> Number:
    if name == "abs":
        return abs(a)
    if name == "sign":
        return Fraction((a > 0) - (a < 0))
    try:
        return _MATH[name](a)
    except OverflowError:
        raise FormulaError(
            f"{name} at column {col} is too large (over 1e300)", column=col
        ) from None
    except ValueError:
        why = _DOMAIN.get(name, "is undefined there")
        raise FormulaError(
            f"{name} at column {col} gets the constant {float(a):g}, but {name} {why}", column=col
        ) from None


def _bits(n: int) -> int:
    return n.bit_length()


def _tidy(value: Number, col: int) -> Number:
    """Keep fractions small and every constant finite and at most MAX_MAGNITUDE."""
    bits = _FRACTION_BITS
    if isinstance(value, Fraction) and max(_bits(value.numerator), _bits(value.denominator)) > bits:
        if abs(value) > MAX_MAGNITUDE:
            raise FormulaError(f"the number at column {col} is too large (over 1e300)", col)
        value = float(value)
    if isinstance(value, float) and not abs(value) <= MAX_MAGNITUDE:
        raise FormulaError(f"the number at column {col} is too large (over 1e300)", col)
    return value
