"""Random formulas over the whole grammar agree with a tiny independent evaluator.

Trees are generated as Python ``ast`` nodes, printed with ``ast.unparse`` (so the text is what
a student could type) and evaluated twice: by the surface, and by the recursive numpy
evaluator below, which shares no code with the parser.
"""

import ast

import numpy as np
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from surfaces import FormulaError, from_formula

NUMPY = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "arcsin": np.arcsin,
    "asin": np.arcsin,
    "arccos": np.arccos,
    "acos": np.arccos,
    "arctan": np.arctan,
    "atan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "arcsinh": np.arcsinh,
    "asinh": np.arcsinh,
    "arccosh": np.arccosh,
    "acosh": np.arccosh,
    "arctanh": np.arctanh,
    "atanh": np.arctanh,
    "exp": np.exp,
    "log": np.log,
    "ln": np.log,
    "log10": np.log10,
    "log2": np.log2,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "sign": np.sign,
}
OPERATORS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
XS = np.array([0.3, 1.3, -2.2, 0.05, -0.9])
YS = np.array([-0.7, 2.1, 0.4, 3.3, -1.6])


def _name(identifier: str) -> ast.Name:
    return ast.Name(id=identifier, ctx=ast.Load())


leaves = st.one_of(
    st.sampled_from(["x", "y", "x", "y", "pi", "e"]).map(_name),
    st.integers(0, 9).map(ast.Constant),
    st.sampled_from([0.5, 1.5, 2.25, 0.1, 3.75]).map(ast.Constant),
)


def _extend(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    operator = st.sampled_from([ast.Add, ast.Sub, ast.Mult, ast.Div]).map(lambda op: op())
    small_power = st.integers(0, 4).map(ast.Constant)
    return st.one_of(
        st.builds(ast.BinOp, children, operator, children),
        st.builds(ast.BinOp, children, st.just(ast.Pow()), small_power),
        st.builds(ast.BinOp, children, st.just(ast.Pow()), children),
        st.builds(ast.UnaryOp, st.sampled_from([ast.USub(), ast.UAdd()]), children),
        st.builds(
            lambda name, arg: ast.Call(func=_name(name), args=[arg], keywords=[]),
            st.sampled_from(sorted(NUMPY)),
            children,
        ),
    )


trees = st.recursive(leaves, _extend, max_leaves=10)


def evaluate(node: ast.expr, x: np.ndarray, y: np.ndarray, sizes: list) -> np.ndarray:
    """numpy's value of the tree; ``sizes`` collects every intermediate's magnitude."""
    if isinstance(node, ast.Constant):
        value = np.full_like(x, float(node.value))
    elif isinstance(node, ast.Name):
        value = {"x": x, "y": y, "pi": np.full_like(x, np.pi), "e": np.full_like(x, np.e)}[node.id]
    elif isinstance(node, ast.UnaryOp):
        operand = evaluate(node.operand, x, y, sizes)
        value = -operand if isinstance(node.op, ast.USub) else operand
    elif isinstance(node, ast.BinOp):
        left, right = evaluate(node.left, x, y, sizes), evaluate(node.right, x, y, sizes)
        if isinstance(node.op, ast.Pow):
            value = np.power(left, right)
        else:
            value = OPERATORS[type(node.op)](left, right)
    else:
        value = NUMPY[node.func.id](evaluate(node.args[0], x, y, sizes))
    sizes.append(np.abs(value))
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_random_formulas_match_an_independent_evaluator(tree):
    text = ast.unparse(ast.fix_missing_locations(tree))
    try:
        surface = from_formula(text)
    except FormulaError as error:
        # Refusals are allowed (x/0, a constant out of range, nowhere finite) but counted.
        event(f"refused: {str(error).split(' ')[0]}")
        assume(False)
    with np.errstate(all="ignore"):
        sizes: list = []
        expected = evaluate(tree, XS, YS, sizes)
        scale = np.nanmax(np.where(np.isfinite(sizes), sizes, np.nan), axis=0, initial=1.0)
    got = surface.value(XS, YS)
    both = np.isfinite(got) & np.isfinite(expected)
    event(f"finite points: {int(both.sum())}")
    # sympy regroups and simplifies, so rounding differs by a few ulps of the largest
    # intermediate value: tolerate that, relative to the intermediate, not the result.
    tolerance = 1e-9 * np.maximum(scale, 1.0)
    error = np.abs(np.where(both, got, 0.0) - np.where(both, expected, 0.0))
    assert np.all(error <= tolerance), (text, got, expected)
