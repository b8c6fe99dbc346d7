"""Each layer of the formula defence on its own, behind no other layer.

The text scan refuses most attacks first, so end-to-end tests never show that the ``ast``
whitelist (the security boundary) or the sympy builder would refuse them too. Here the trees are
built with ``ast`` and ``Expr`` directly and handed to one layer, bypassing the scan.
"""

import ast
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from surfaces import FormulaError
from surfaces.formula.check import Expr, check_tree
from surfaces.formula.symbolic import X, Y, to_sympy

ROOT = Path(__file__).resolve().parent.parent


def name(n: str) -> ast.Name:
    return ast.Name(n, ast.Load())


def call(f: str, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
    return ast.Call(name(f), list(args), [ast.keyword(k, v) for k, v in keywords.items()])


def num(v: object) -> ast.Constant:
    return ast.Constant(v)


def comprehension(target: str = "x") -> list[ast.comprehension]:
    return [ast.comprehension(ast.Name(target, ast.Store()), ast.Tuple([], ast.Load()), [], 0)]


X_ = name("x")
# Trees the grammar has no place for: (what, tree, the words the refusal must name).
REFUSED = {
    "attribute": (ast.Attribute(X_, "real", ast.Load()), "attribute access"),
    "dunder attribute": (ast.Attribute(X_, "__class__", ast.Load()), "attribute access"),
    "subscript": (ast.Subscript(X_, num(0), ast.Load()), "indexing"),
    "lambda": (
        ast.Lambda(ast.arguments([], [], None, [], [], None, []), num(1)),
        "lambda",
    ),
    "list comprehension": (ast.ListComp(X_, comprehension()), "comprehension"),
    "set comprehension": (ast.SetComp(X_, comprehension()), "comprehension"),
    "dict comprehension": (ast.DictComp(X_, X_, comprehension()), "comprehension"),
    "generator": (ast.GeneratorExp(X_, comprehension()), "comprehension"),
    "starred": (ast.Starred(X_, ast.Load()), "unpacking"),
    "starred argument": (call("sin", ast.Starred(X_, ast.Load())), "unpacking"),
    "f-string": (
        ast.JoinedStr([ast.FormattedValue(X_, -1, None)]),
        "f-string",
    ),
    "walrus": (ast.NamedExpr(ast.Name("y", ast.Store()), num(1)), "assignment"),
    "call of an attribute": (
        ast.Call(ast.Attribute(name("np"), "sin", ast.Load()), [X_], []),
        "named functions",
    ),
    "call of a builtin": (call("eval", num(1)), "unknown function"),
    "call of __import__": (call("__import__", num(1)), "unknown function"),
    "keyword argument": (call("sin", x=X_), "no keywords"),
    "two arguments": (call("sin", X_, X_), "exactly one argument"),
    "string constant": (num("os"), "only plain numbers"),
    "bool constant": (num(True), "only plain numbers"),
    "complex constant": (num(1j), "only plain numbers"),
    "unknown name": (name("os"), "unknown name"),
    "stored name": (ast.Name("x", ast.Store()), "unknown name"),
    "matrix product": (ast.BinOp(X_, ast.MatMult(), X_), "operator"),
    "bitwise not": (ast.UnaryOp(ast.Invert(), X_), "operator"),
    "comparison": (ast.Compare(X_, [ast.Lt()], [num(1)]), "comparison"),
    "condition": (ast.IfExp(X_, X_, X_), "condition"),
    "tuple": (ast.Tuple([X_, X_], ast.Load()), "tuple"),
}


@pytest.mark.parametrize(("tree", "says"), REFUSED.values(), ids=REFUSED)
def test_the_whitelist_alone_refuses_every_foreign_node(tree, says):
    with pytest.raises(FormulaError, match=says):
        check_tree(tree)


@pytest.mark.parametrize(("tree", "says"), REFUSED.values(), ids=REFUSED)
def test_the_whitelist_looks_inside_allowed_nodes(tree, says):
    # Deep in an otherwise good formula: sin(x) + 2 * <foreign>.
    hidden = ast.BinOp(call("sin", X_), ast.Add(), ast.BinOp(num(2), ast.Mult(), tree))
    with pytest.raises(FormulaError, match=says):
        check_tree(hidden)


def test_the_whitelist_accepts_the_grammar():
    # The refusals above mean something only if good trees pass the same layer.
    good = "-x**2 + 3.5*sin(y)/(1 + exp(-x)) - +abs(y)**0.5 + pi*e + log10(2)"
    check_tree(ast.parse(good, mode="eval").body)


def var(n: str) -> Expr:
    return Expr("var", name=n)


def const(v: object) -> Expr:
    return Expr("num", value=v)


BUILDER_REFUSES = {
    "unknown name": var("os"),
    "unknown kind": Expr("attr", (var("x"),), name="real"),
    "unknown operator": Expr("%", (var("x"), var("y"))),
    "unknown function": Expr("call", (var("x"),), name="eval"),
    "binary with one operand": Expr("+", (var("x"),)),
    "negation with two operands": Expr("neg", (var("x"), var("y"))),
    "call with no argument": Expr("call", (), name="sin"),
    "text constant": const("1"),
    "bool constant": const(True),
    "infinite constant": const(float("inf")),
    "nan constant": const(float("nan")),
    "constant beyond float": const(Fraction(10**400)),
    "number without a value": Expr("num"),
    "not a node": ("+", var("x"), var("y")),
    "deep inside": Expr("+", (var("x"), Expr("*", (const(2.0), var("__builtins__"))))),
}


@pytest.mark.parametrize("tree", BUILDER_REFUSES.values(), ids=BUILDER_REFUSES)
def test_the_sympy_builder_alone_refuses_what_it_does_not_know(tree):
    with pytest.raises(FormulaError):
        to_sympy(tree)


def test_the_sympy_builder_builds_what_it_knows():
    tree = Expr(
        "+",
        (
            Expr("**", (var("x"), const(Fraction(2)))),
            Expr("neg", (Expr("call", (var("y"),), name="sin"),)),
        ),
    )
    assert to_sympy(tree) == X**2 - sympy.sin(Y)
    assert to_sympy(Expr("/", (var("x"), const(0.5)))) == X / sympy.Float(0.5)


def test_refusals_do_not_depend_on_assert():
    # Under python -O every assert is gone; each layer must refuse all the same.
    code = """
import ast
from surfaces import FormulaError
from surfaces.formula.check import Expr, check_tree, parse_formula
from surfaces.formula.symbolic import to_sympy
assert False, "python -O keeps asserts?"
refused = 0
for attempt in (
    lambda: check_tree(ast.Attribute(ast.Name("x", ast.Load()), "real", ast.Load())),
    lambda: to_sympy(Expr("attr", (Expr("var", name="x"),), name="real")),
    lambda: to_sympy(Expr("call", (Expr("var", name="x"),), name="eval")),
    lambda: to_sympy(Expr("var", name="os")),
):
    try:
        attempt()
    except FormulaError:
        refused += 1
print(refused)
"""
    done = subprocess.run(
        [sys.executable, "-O", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["4"]


def test_no_layer_of_the_formula_defence_uses_assert():
    for path in sorted((ROOT / "surfaces" / "formula").glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        lines = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]
        assert lines == [], f"{path.name} relies on assert at lines {lines}"
