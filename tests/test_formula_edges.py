"""Edges of the formula pipeline that mutation testing found unpinned: the exact wording and
column of the scan's advice, the evaluator's rarer functions, and the little helpers around the
surface. Expected messages are the documented advice written out by hand; expected numbers
come from numpy or are worked out by hand, never read from the code under test."""

import math

import numpy as np
import pytest
import sympy

from surfaces import FormulaError, from_formula
from surfaces.formula.evaluate import Program
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


@pytest.mark.parametrize("function", RECIPROCALS, ids=lambda f: f.__name__)
def test_the_evaluator_alone_computes_reciprocal_functions(function):
    (got,) = Program([function(X + 2 * Y)])(PX, PY)
    np.testing.assert_allclose(got, RECIPROCALS[function](PX + 2 * PY), rtol=1e-14)
