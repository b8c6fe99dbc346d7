"""Edges of the formula pipeline that mutation testing found unpinned: the exact wording and
column of the scan's advice, the evaluator's rarer functions, and the little helpers around the
surface. Expected messages are the documented advice written out by hand; expected numbers
come from numpy or are worked out by hand, never read from the code under test."""

import ast
from fractions import Fraction

import numpy as np
import pytest
import sympy

from surfaces import FormulaError, from_formula
from surfaces.formula.check import check_tree, parse_formula
from surfaces.formula.evaluate import Program
from surfaces.formula.pretty import pretty
from surfaces.formula.surface import nonfinite_share, share_text
from surfaces.formula.symbolic import X, Y

# Text -> (the whole message, the column an editor puts the cursor at).
SCAN_MESSAGES = {
    # An operator with nothing on its left: at the start, or just inside a parenthesis.
    "*x": ("'*' at column 1 has nothing on its left", 1),
    "(*x)": ("'*' at column 2 has nothing on its left", 2),
    # ... or right after another operator, which the message names.
    "x+*y": ("'*' at column 3 follows '+': something is missing between them", 3),
    "(+*x)": ("'*' at column 3 follows '+': something is missing between them", 3),
    "x + *(y)": ("'*' at column 5 follows '+': something is missing between them", 5),
    # Python's other number spellings, glued to a name by the token scan.
    "0x1f + y": (
        "write numbers in decimal (column 1): hexadecimal, octal and binary literals are "
        "not supported",
        1,
    ),
    "y + 0b11": (
        "write numbers in decimal (column 5): hexadecimal, octal and binary literals are "
        "not supported",
        5,
    ),
    "1j*x": ("complex numbers like 1j are not allowed (column 2)", 2),
    "0j + x": ("complex numbers like 0j are not allowed (column 2)", 2),
    # Non-ASCII: a character without a Unicode name is shown by its code point ...
    "\ue000": ("non-ASCII character '\\ue000' (U+E000) at column 1: type it in plain ASCII", 1),
    # ... a letter by its script, anything else by its name; a hint only when the look-alike
    # (or the compatibility form) is visible ASCII.
    "x \u00d7 y": (
        "non-ASCII character '×' (multiplication sign) at column 3: type it in plain ASCII "
        "(did you mean '*'?)",
        3,
    ),
    "\uff58 + y": (
        "non-ASCII character 'ｘ' (Fullwidth) at column 1: type it in plain ASCII "
        "(did you mean 'x'?)",
        1,
    ),
    "x\u2003+y": (
        "non-ASCII character '\\u2003' (em space) at column 2: type it in plain ASCII",
        2,
    ),
    # Two parenthesised groups side by side: both are quoted whole, even when a name follows.
    "(x)(y)*x": ("implicit multiplication at column 4: write (x)*(y), not (x)(y)", 4),
    # Only the two operands are quoted: not a group after a variable, not the rest of the text.
    "2x(y)": ("implicit multiplication at column 2: write 2*x, not 2x", 2),
    "2x + y": ("implicit multiplication at column 2: write 2*x, not 2x", 2),
    # An operand of exactly 30 characters is quoted whole (longer ones are cut).
    "(x+x+x+x+x+x+x+x+x+x+x+x+x+10)(y)": (
        "implicit multiplication at column 31: write (x+x+x+x+x+x+x+x+x+x+x+x+x+10)*(y), "
        "not (x+x+x+x+x+x+x+x+x+x+x+x+x+10)(y)",
        31,
    ),
    # Constant folding points at the part that fails, after other text too.
    "x + 0**-1": ("0 to a negative power at column 5", 5),
    "x + cosh(1000)": ("cosh at column 5 is too large (over 1e300)", 5),
    "x + log(0)": ("log at column 5 gets the constant 0, but log needs a positive argument", 5),
    "x + 10**301": ("the power at column 5 is too large (over 1e300)", 5),
    "x + (-8)**0.5": (
        "a negative number to a fractional power (column 5) is not a real number",
        5,
    ),
    # 3**700 is about 1e334: over the limit although 1/3 is small (its log10 is negative).
    "(1/3)**-700 + x": ("the power at column 1 is too large (over 1e300)", 1),
}


@pytest.mark.parametrize("text", SCAN_MESSAGES)
def test_scan_messages_are_exact(text):
    message, column = SCAN_MESSAGES[text]
    with pytest.raises(FormulaError) as caught:
        from_formula(text)
    assert str(caught.value) == message
    assert caught.value.column == column


PX = np.array([0.3, -1.1, 2.2])
PY = np.array([0.7, 0.4, -1.9])
# sympy rewrites some results with reciprocal functions; the evaluator must know them too.
RECIPROCALS = {
    sympy.cot: lambda a: 1 / np.tan(a),
    sympy.sec: lambda a: 1 / np.cos(a),
    sympy.csc: lambda a: 1 / np.sin(a),
    sympy.coth: lambda a: 1 / np.tanh(a),
    sympy.sech: lambda a: 1 / np.cosh(a),
    sympy.csch: lambda a: 1 / np.sinh(a),
}


def test_the_evaluator_alone_refuses_a_function_it_cannot_compute():
    with pytest.raises(FormulaError) as caught:
        Program([sympy.gamma(X)])
    assert str(caught.value) == "the derivatives need gamma, which cannot be evaluated"


@pytest.mark.parametrize("function", RECIPROCALS, ids=lambda f: f.__name__)
def test_the_evaluator_alone_computes_reciprocal_functions(function):
    (got,) = Program([function(X + 2 * Y)])(PX, PY)
    np.testing.assert_allclose(got, RECIPROCALS[function](PX + 2 * PY), rtol=1e-14)


# Text -> the folded constant, worked out by hand or as Python's float arithmetic gives it.
FOLDED = {
    "sign(1/2)": Fraction(1),
    "sign(-1/2)": Fraction(-1),
    "0**0.5": 0.0,  # zero to a fractional power is real
    "(1/4)**0.5": 0.5,
    # Exact while |exponent| * bits of the base stays within 4 * 64; Python's floats beyond.
    "1**256": Fraction(1),
    "1**257": 1.0,
    "(2/3)**200": (2 / 3) ** 200,  # 200 * 2 bits: floats, not the exact (2/3)**200 rounded
}


@pytest.mark.parametrize("text", FOLDED)
def test_constants_fold_exactly_or_as_floats(text):
    value = parse_formula(text)[0].value
    assert value == FOLDED[text] and type(value) is type(FOLDED[text])


def test_small_bases_to_negative_powers_are_not_too_large():
    # 10**299 is under the limit although the power is large: log10(1/10) is negative.
    assert parse_formula("(1/10)**-299")[0].value == pytest.approx(1e299)


# The tree whitelist on its own (the scan would refuse these first, with other words).
TREE_MESSAGES = {
    "x + np.sin(y)": ("only named functions can be called (column 5)", 5),
    "x + sin(*y)": ("write sin(x): no keywords or * unpacking (column 5)", 5),
    "x + sin(y=1)": ("write sin(x): no keywords or * unpacking (column 5)", 5),
}


@pytest.mark.parametrize("text", TREE_MESSAGES)
def test_the_whitelist_names_the_call_and_its_column(text):
    message, column = TREE_MESSAGES[text]
    with pytest.raises(FormulaError) as caught:
        check_tree(ast.parse(text, mode="eval").body)
    assert str(caught.value) == message
    assert caught.value.column == column


def test_the_whitelist_points_at_an_unknown_function():
    with pytest.raises(FormulaError) as caught:
        check_tree(ast.parse("x + eval(y)", mode="eval").body)
    assert str(caught.value).startswith("unknown function 'eval' at column 5: allowed are sin,")
    assert caught.value.column == 5


def test_exact_constants_of_up_to_32_bits_stay_exact_in_the_derivatives():
    # 4294967295 = 2**32 - 1: d/dx x**2/c = 2*x/c, written exactly, not as 4.66e-10*x.
    assert "df/dx = 2*x/4294967295," in from_formula("x**2/4294967295").description
    # Wider fractions go in as floats, with the same value.
    assert float(from_formula("x/12345678901").value(12345678901.0, 0.0)) == pytest.approx(1.0)


def test_many_multiplied_factors_are_refused_before_differentiating():
    # 40 factors are 239 tree nodes (under the 500 limit) but a Hessian of about 40**3 terms.
    text = "*".join(f"(x+y+{k})" for k in range(40))
    with pytest.raises(FormulaError, match="too complicated to differentiate exactly"):
        from_formula(text)


@pytest.mark.parametrize(
    ("text", "slide"),
    [
        ("x ** 2 + 3 * y ** 2", "x² + 3y²"),
        ("3 * x ** 2", "3x²"),  # a number and a power of a letter: side by side
        ("2 * x", "2x"),
        ("2 * e", "2·e"),  # "2e" would read as the start of a number
        ("3 * 2", "3·2"),
        ("x * y", "x·y"),  # only a number goes side by side with a letter
        ("x * 2", "x·2"),
        # Integer powers are superscripts, negative ones too; others keep a caret.
        ("x ** -2", "x⁻²"),
        ("x ** y", "x^y"),
        ("x ** (y + 1)", "x^(y + 1)"),
        # A child that binds less strongly than its parent gets parentheses, and only then.
        ("(x ** 2) ** 3", "(x²)³"),
        ("(-x) ** 2", "(−x)²"),
        ("x + (y + 1)", "x + y + 1"),
        ("x - (y + 1)", "x − (y + 1)"),
        ("x - (y - 1)", "x − (y − 1)"),
        ("x * (y + 1)", "x·(y + 1)"),
        ("x * (y * 2)", "x·(y·2)"),
        ("x * -y", "x·−y"),
        ("x / (y * 2)", "x/(y·2)"),
        ("x / -y", "x/−y"),
        ("abs(x) + pi", "|x| + π"),
        ("sin(x) + abs(y)", "sin(x) + |y|"),
        ("0.5 * x", "0.5x"),
        ("x + 1e-05", "x + 1e−05"),  # a real minus sign inside numbers too
        ("+x - -y", "+x − −y"),
    ],
)
def test_pretty_writes_products_like_a_slide(text, slide):
    assert pretty(text) == slide


@pytest.mark.parametrize(
    ("formula", "point", "gradient"),
    [
        # d/dx |log x| = sign(log x) / x: 1/2 at x = 2, -2 at x = 1/2.
        ("abs(log(x)) + y**2", (2.0, 3.0), (0.5, 6.0)),
        ("abs(log(x)) + y**2", (0.5, 3.0), (-2.0, 6.0)),
        # A constant inside abs or sign (here x - x = 0) is evaluated, not left symbolic.
        ("abs(x - x) + y", (2.0, 3.0), (0.0, 1.0)),
        ("sign(x - x) + y", (2.0, 3.0), (0.0, 1.0)),
    ],
)
def test_abs_and_sign_differentiate_as_real_functions(formula, point, gradient):
    surface = from_formula(formula)
    np.testing.assert_allclose(surface.gradient(*point), gradient, rtol=1e-12)


SHARES = {
    0.0: "0%",
    0.005: "under 1%",
    0.01: "1%",
    0.37: "37%",
    0.99: "99%",
    0.995: "99.5%",
    0.9999: "99.9%",  # never "100.0%" for a share that is not all
    1.0: "100%",
}


@pytest.mark.parametrize("share", SHARES)
def test_share_text_never_rounds_to_none_or_all(share):
    assert share_text(share) == SHARES[share]


def test_the_evaluator_computes_in_floats_whatever_it_is_given():
    # Integer input must not select integer arithmetic: 1/2 is 0.5, not 0.
    surface = from_formula("1/x + 1/y")
    got = surface.f(np.array([2, 4]), np.array([1, 2]))
    np.testing.assert_array_equal(got, [1.5, 0.75])


def test_equal_derivatives_come_back_as_separate_arrays():
    # f = (x + y)**3 / 6 has fxx = fxy = fyy = x + y: one register, three independent results.
    x, y = np.array([1.0, 2.0]), np.array([3.0, 5.0])
    hessian = from_formula("(x + y)**3/6").hess(x, y)
    for h in hessian:
        np.testing.assert_array_equal(h, [4.0, 7.0])
    for changed in range(3):
        hessian[changed][0] = 99.0
        assert [h[0] for h in hessian] == [99.0 if i <= changed else 4.0 for i in range(3)]


def test_the_evaluator_alone_refuses_a_constant_that_is_not_a_real_number():
    with pytest.raises(FormulaError, match="the constant I in the formula"):
        Program([sympy.I * X + sympy.I])


def test_the_evaluator_alone_reads_a_dirac_delta_as_zero():
    # Zero off the kink, and no finite value on it: zero keeps Newton's method usable.
    (got,) = Program([sympy.DiracDelta(X - Y)])(PX, PY)
    np.testing.assert_array_equal(got, np.zeros(3))


@pytest.mark.parametrize(
    ("formula", "share"),
    [
        # On the 41 x 41 grid over [-5, 5], 20 columns have x < 0 and one has x = 0.
        ("log(x) + y", 21 / 41),  # log(0) is -inf, log(x < 0) nan
        ("sqrt(x) + y", 20 / 41),  # sqrt(0) = 0 is finite
        ("x + y", 0.0),
    ],
)
def test_nonfinite_share_counts_the_grid_points_without_a_value(formula, share):
    assert nonfinite_share(from_formula(formula)) == pytest.approx(share, abs=1e-12)
