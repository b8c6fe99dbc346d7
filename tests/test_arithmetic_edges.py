"""Update-line arithmetic at its edges: refusals and their messages, evaluation details, and the
exact HTML of each construct, written out by hand from the module's conventions (brackets only
where an operator would otherwise bind differently, √x for a bare name, |x|, [a, b], x<sup>k</sup>,
a coordinate as a second subscript)."""

import math
import warnings

import numpy as np
import pytest

from gui.model.arithmetic import number, parse, symbol

REFUSED = [
    ("x ← lambda: 1", "Lambda is not allowed in an update line: 'x ← lambda: 1'"),
    (
        "x ← exp(g)",
        "Only sqrt, sign, abs, maximum, minimum, clip, vec may be called in an update line: "
        "'x ← exp(g)'",
    ),
    ("x ← 'a'", "Only numbers may appear as constants: \"x ← 'a'\""),
    ("x ← 0 < a < 1", "Chained comparisons are not allowed: 'x ← 0 < a < 1'"),
    ("x ← g[2]", "Only [0] and [1] may pick a coordinate: 'x ← g[2]'"),
    ("x ← g[i]", "Only [0] and [1] may pick a coordinate: 'x ← g[i]'"),
    ("x = a", "Not an update line 'target ← expression': 'x = a'"),
]


@pytest.mark.parametrize(("line", "message"), REFUSED)
def test_refusals_say_what_is_wrong_and_quote_the_line(line, message):
    with pytest.raises(ValueError) as caught:
        parse(line)
    assert str(caught.value) == message


def test_a_call_with_keywords_is_refused_even_for_an_allowed_function():
    with pytest.raises(ValueError, match=r"^Only sqrt, .* may be called"):
        parse("x ← clip(g, a_min=0)")


def test_a_name_without_a_value_is_named():
    with pytest.raises(ValueError) as caught:
        parse("x ← a + b").evaluate({"a": 1.0})
    assert str(caught.value) == "Update line uses 'b', which has no value"


def test_evaluation_is_quiet_and_gives_python_numbers_for_scalars():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # RAdam's unused branch is a root of a negative number
        value = parse("k ← sqrt(a) if a > 0 else 1").evaluate({"a": -4.0})
    assert value == 1.0 and type(value) is float
    bigger = parse("x ← a if a > b else b")
    assert bigger.evaluate({"a": 1.0, "b": 2.0}) == 2.0
    assert bigger.evaluate({"a": 3.0, "b": 2.0}) == 3.0
    both = parse("x ← a if a ≥ b else b".replace("≥", ">=")).evaluate(
        {"a": np.array([1.0, 5.0]), "b": np.array([2.0, 2.0])}
    )
    np.testing.assert_array_equal(both, [2.0, 5.0])


def test_symbols_take_overrides_first():
    assert parse("m ← beta1*m").symbolic({"m": "M"}) == "β<sub>1</sub>·M"
    assert parse("m ← beta1*m").symbolic({}) == "β<sub>1</sub>·m"


SYMBOLIC = [
    ("x ← a - (b - c)", "a − (b − c)"),
    ("x ← (a - b) - c", "a − b − c"),
    ("x ← a + (b - c)", "a + b − c"),
    ("x ← a - b*c", "a − b·c"),
    ("x ← a/(b*c)", "a/(b·c)"),
    ("x ← a*(b/c)", "a·b/c"),
    ("x ← (a + b)*c", "(a + b)·c"),
    ("x ← a**2", "a<sup>2</sup>"),
    ("x ← (a*b)**(c + 1)", "(a·b)<sup>c + 1</sup>"),
    ("x ← -(a + b)", "−(a + b)"),
    ("x ← -a*b", "−a·b"),
    ("x ← sqrt(v)", "√v"),
    ("x ← sqrt(v + eps)", "√(v + ε)"),
    ("x ← abs(a - b)", "|a − b|"),
    ("x ← maximum(a, b)", "max(a, b)"),
    ("x ← minimum(a, b)", "min(a, b)"),
    ("x ← clip(a, b, c)", "clip(a, b, c)"),
    ("x ← sign(a)", "sign(a)"),
    ("x ← vec(a, b)", "[a, b]"),
    ("x ← m[0]", "m<sub>x</sub>"),
    ("x ← v_hat[1]", "v<sub>hat,y</sub>"),
    ("x ← a if a > b else b", "(a if a &gt; b, else b)"),
    ("x ← a if a < b else b + c", "(a if a &lt; b, else b + c)"),
    ("x ← a if a >= b else b", "(a if a ≥ b, else b)"),
    ("x ← a - b if a <= b else c", "(a − b if a ≤ b, else c)"),
    ("x ← 0.96**t", "0.96<sup>t</sup>"),
]


@pytest.mark.parametrize(("line", "html"), SYMBOLIC)
def test_symbolic_html(line, html):
    assert parse(line).symbolic({}) == html


def V(*values):
    return np.array(values, dtype=float)


NUMERIC = [
    ("x ← sqrt(a)", {"a": 4.0}, "√(4)"),
    ("x ← a - b", {"a": 1.0, "b": -2.0}, "1 − (−2)"),
    ("x ← a*b", {"a": 3.0, "b": 2.5e-7}, "3·2.5×10<sup>−7</sup>"),  # a product either way
    ("x ← a/b", {"a": 3.0, "b": 2.5e-7}, "3/(2.5×10<sup>−7</sup>)"),
    ("x ← a**b", {"a": 2.5e-7, "b": 2.0}, "(2.5×10<sup>−7</sup>)<sup>2</sup>"),
    ("x ← a + b", {"a": 3.0, "b": 2.5e-7}, "3 + 2.5×10<sup>−7</sup>"),
    ("x ← a[1]", {"a": V(1, -2)}, "−2"),
    ("x ← a - b[0]", {"a": 1.0, "b": V(-3, 4)}, "1 − (−3)"),
    # A conditional whose every coordinate takes the same branch shows that branch's arithmetic.
    ("x ← a - b if a > b else b - a", {"a": V(5, 6), "b": V(1, 1)}, "[5, 6] − [1, 1]"),
    ("x ← a - b if a > b else b - a", {"a": V(0, 0), "b": V(1, 2)}, "[1, 2] − [0, 0]"),
    ("x ← sqrt(a) if a > 0 else a", {"a": 4.0}, "√(4)"),
    # Mixed branches: only the values, taken coordinate by coordinate (by hand: [3−1, 6−2]).
    ("x ← a - b if a > b else b - a", {"a": V(1, 6), "b": V(3, 2)}, "[2, 4]"),
]


@pytest.mark.parametrize(("line", "env", "html"), NUMERIC)
def test_numeric_html(line, env, html):
    assert parse(line).numeric(env, 6) == html


def test_a_mixed_conditional_is_shown_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = parse("x ← sqrt(a) if a > 0 else a").numeric({"a": np.array([4.0, -4.0])}, 6)
    assert text == "[2, −4]"


NUMBERS = [
    (0.5, 3, "0.5", "atom"),
    (-0.5, 3, "−0.5", "sum"),
    (2.5e-7, 3, "2.5×10<sup>−7</sup>", "product"),
    (-2.5e-7, 3, "−2.5×10<sup>−7</sup>", "sum"),
    (1234567.0, 3, "1.23×10<sup>6</sup>", "product"),
    (1234567.0, 7, "1234567", "atom"),
    (-0.0, 3, "−0", "sum"),  # a negative zero is printed with its sign, so it is bracketed too
    (math.nan, 3, "nan", "atom"),
    (math.inf, 3, "∞", "atom"),
    (-math.inf, 3, "−∞", "atom"),
    ([1.0, -2.0], 3, "[1, −2]", "atom"),
    ([[1.0, 2.0], [3.0, 4.0]], 3, "[1, 2, 3, 4]", "atom"),
    (np.float32(0.25), 3, "0.25", "atom"),
    (3, 3, "3", "atom"),
]
STRENGTH = {"atom": 6, "product": 3, "sum": 2}


@pytest.mark.parametrize(("value", "digits", "text", "binds"), NUMBERS)
def test_numbers(value, digits, text, binds):
    assert number(value, digits) == (text, STRENGTH[binds])


def test_zero_and_one_bind_as_atoms():
    assert number(0.0, 3) == ("0", STRENGTH["atom"])
    assert number(1.0, 3) == ("1", STRENGTH["atom"])
    assert number(0.75, 3) == ("0.75", STRENGTH["atom"])


SYMBOLS = [
    ("beta1", "β<sub>1</sub>"),
    ("v_max", "v<sub>max</sub>"),
    ("lr", "η"),
    ("eps", "ε"),
    ("a_b_c", "a<sub>b_c</sub>"),
    ("x2_y", "x2<sub>y</sub>"),  # digits become a subscript only when no _index is given
    ("Beta2", "Beta<sub>2</sub>"),
    ("m", "m"),
    ("rho", "ρ"),
    ("a<b", "a&lt;b"),
]


@pytest.mark.parametrize(("name", "html"), SYMBOLS)
def test_symbol(name, html):
    assert symbol(name) == html


def test_symbol_overrides_win_over_everything():
    assert symbol("lr", {"lr": "α"}) == "α"
    assert symbol("beta1", {"lr": "α"}) == "β<sub>1</sub>"
    assert symbol("beta1", None) == "β<sub>1</sub>"
