"""A checked formula written the way a teacher would on a slide: ``x ** 2 + 3 * y ** 2`` reads
``x² + 3y²``. Integer powers become superscripts, a number times a letter is written side by
side, other products get a centred dot, minus is a real minus sign, π is π.

It prints the tree that :func:`surfaces.formula.check.parse_formula` accepted (only numbers,
``x``, ``y``, ``pi``, ``e``, ``+ - * / **``, unary signs and one-argument calls reach it).
"""

from __future__ import annotations

import ast

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "−"
NAMES = {"pi": "π"}
# Binding strength: a child weaker than its parent needs parentheses.
ADD, MUL, UNARY, POW, ATOM = 1, 2, 3, 4, 5
SYMBOLS = {ast.Add: " + ", ast.Sub: f" {MINUS} ", ast.Div: "/"}


def pretty(text: str) -> str:
    """The pretty form of an already checked formula's normalised text."""
    return _show(ast.parse(text, mode="eval").body)[0]


def _show(node: ast.AST) -> tuple[str, int]:
    """The text of ``node`` and how strongly it binds."""
    if isinstance(node, ast.Constant):
        text = repr(node.value) if isinstance(node.value, float) else str(node.value)
        return text.replace("-", MINUS), ATOM
    if isinstance(node, ast.Name):
        return NAMES.get(node.id, node.id), ATOM
    if isinstance(node, ast.Call):
        argument = _show(node.args[0])[0]
        name = node.func.id if isinstance(node.func, ast.Name) else "?"
        return (f"|{argument}|" if name == "abs" else f"{name}({argument})"), ATOM
    if isinstance(node, ast.UnaryOp):
        operand = _wrap(node.operand, UNARY)
        return (MINUS if isinstance(node.op, ast.USub) else "+") + operand, UNARY
    if isinstance(node, ast.BinOp):
        return _binary(node)
    return ast.unparse(node), ATOM


def _binary(node: ast.BinOp) -> tuple[str, int]:
    op = type(node.op)
    if op is ast.Pow:
        base = _wrap(node.left, POW + 1)  # (x²)³ and (−x)² keep their parentheses
        exponent = node.right
        if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.op, ast.USub):
            inner, negative = exponent.operand, True
        else:
            inner, negative = exponent, False
        if isinstance(inner, ast.Constant) and isinstance(inner.value, int):
            digits = ("-" if negative else "") + str(inner.value)
            return base + digits.translate(SUPERSCRIPT), POW
        return f"{base}^{_wrap(exponent, POW)}", POW
    if op in (ast.Add, ast.Sub):
        # a − (b + c) needs the parentheses, a + (b + c) does not; the right side is stricter
        left, right = _wrap(node.left, ADD), _wrap(node.right, ADD + (op is ast.Sub))
        return left + SYMBOLS[op] + right, ADD
    if op is ast.Mult:
        left, right = _wrap(node.left, MUL), _wrap(node.right, MUL + 1)
        side_by_side = _is_number(node.left) and _starts_with_letter(node.right)
        return left + ("" if side_by_side else "·") + right, MUL
    if op is ast.Div:
        return _wrap(node.left, MUL) + "/" + _wrap(node.right, MUL + 1), MUL
    return ast.unparse(node), ATOM


def _wrap(node: ast.AST, needed: int) -> str:
    text, strength = _show(node)
    return text if strength >= needed else f"({text})"


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant)


def _starts_with_letter(node: ast.AST) -> bool:
    """3x, 3x², 3π and 3sin(x) read as products; 3·2 and 3·(x + 1) need the dot."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        node = node.left
    if isinstance(node, ast.Name):
        return node.id != "e"  # 2e would read as the start of a number
    return isinstance(node, ast.Call)
