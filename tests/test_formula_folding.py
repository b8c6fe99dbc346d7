"""Constant parts of a formula are folded exactly (fractions) or as Python's floats would be, and
the refusals name what is wrong; implicit products quote both operands. Expected values are
worked out by hand or with Python's own arithmetic, not read from the parser."""

import math
from fractions import Fraction

import pytest

from surfaces import from_formula
from surfaces.formula.check import parse_formula
from surfaces.formula.grammar import FormulaError

FOLDED = {
    "2**-1": Fraction(1, 2),
    "2**-2": Fraction(1, 4),
    "(1/2)**-2": Fraction(4),
    "0**2": Fraction(0),
    "0**0": Fraction(1),  # Python's (and the usual) convention
    "(-2)**3": Fraction(-8),
    "(-2)**2": Fraction(4),
    "(2/3)**2": Fraction(4, 9),
    "1/4 + 1/4": Fraction(1, 2),
    "-(3)": Fraction(-3),
    "abs(-3)": Fraction(3),
    "abs(3)": Fraction(3),
    "sign(-2)": Fraction(-1),
    "sign(0)": Fraction(0),
    "sign(5)": Fraction(1),
    "4**0.5": 2.0,
    "2**0.5": math.sqrt(2),
    "sqrt(4)": 2.0,
    "exp(0)": 1.0,
    "log(e)": 1.0,
    "log2(8)": 3.0,
    "0.1 + 0.2": 0.1 + 0.2,
    "10**300": 1e300,  # beyond 64-bit fractions: a float, still finite
}


@pytest.mark.parametrize("text", FOLDED)
def test_constants_fold_to_the_exact_value(text):
    value = parse_formula(text)[0].value
    assert value == FOLDED[text] and type(value) is type(FOLDED[text])


@pytest.mark.parametrize(
    ("text", "point", "expected"),
    [("2**-1*x", (3.0, 0.0), 1.5), ("sign(-2)*x + abs(-4)*y", (1.0, 2.0), 7.0)],
)
def test_folded_constants_reach_the_surface(text, point, expected):
    assert float(from_formula(text).value(*point)) == expected


REFUSED = {
    "0**-1 + x": "0 to a negative power at column 1",
    "10**301 + x": "the power at column 1 is too large (over 1e300)",
    "(-8)**0.5 + x": "a negative number to a fractional power (column 1) is not a real number",
    "acos(2) + x": "arccos at column 1 gets the constant 2, "
    "but arccos needs an argument in [-1, 1]",
    "cosh(1000) + x": "cosh at column 1 is too large (over 1e300)",
    "log(0) + x": "log at column 1 gets the constant 0, but log needs a positive argument",
}


@pytest.mark.parametrize("text", REFUSED)
def test_constants_that_are_not_real_numbers_are_refused_by_name(text):
    with pytest.raises(FormulaError) as caught:
        from_formula(text)
    assert str(caught.value) == REFUSED[text]


IMPLICIT = {
    "2x": "implicit multiplication at column 2: write 2*x, not 2x",
    "1 + 2x": "implicit multiplication at column 6: write 2*x, not 2x",
    "x + sin(x)cos(y)": "implicit multiplication at column 11: "
    "write sin(x)*cos(y), not sin(x)cos(y)",
    "y*(x+1)(x-1)": "implicit multiplication at column 8: write (x+1)*(x-1), not (x+1)(x-1)",
    "2 sin(x)": "implicit multiplication at column 3: write 2*sin(x), not 2 sin(x)",
    "x sin(y)": "implicit multiplication at column 3: write x*sin(y), not x sin(y)",
    "3(x+1)": "implicit multiplication at column 2: write 3*(x+1), not 3(x+1)",
    "exp(x)y": "implicit multiplication at column 7: write exp(x)*y, not exp(x)y",
    "sin(x)cos(y)": "implicit multiplication at column 7: write sin(x)*cos(y), not sin(x)cos(y)",
    # An operand longer than 30 characters is cut to 27 and "...".
    "(" + "x+" * 15 + "x)(y)": "implicit multiplication at column 34: write "
    "(x+x+x+x+x+x+x+x+x+x+x+x+x+...*(y), not (x+x+x+x+x+x+x+x+x+x+x+x+x+...(y)",
}


@pytest.mark.parametrize("text", IMPLICIT)
def test_implicit_products_quote_both_operands(text):
    with pytest.raises(FormulaError) as caught:
        from_formula(text)
    assert str(caught.value) == IMPLICIT[text]
