"""Typed formulas give the right numbers: values, gradients and Hessians against independent
numpy code and central differences, plus refusals, bounds, start and colour scale."""

import warnings

import numpy as np
import pytest

from surfaces import FormulaError, Surface, from_formula

# Formula text and the same function written by hand in numpy: the independent truth.
VALID = {
    "x**2/20 + y**2": lambda x, y: x**2 / 20 + y**2,
    "sin(x)*cos(y)": lambda x, y: np.sin(x) * np.cos(y),
    "exp(-(x**2+y**2))": lambda x, y: np.exp(-(x**2 + y**2)),
    "sqrt(x**2+y**2+1)": lambda x, y: np.sqrt(x**2 + y**2 + 1),
    "abs(x) + 2*abs(y)": lambda x, y: np.abs(x) + 2 * np.abs(y),
    "log(1+x**2) + tanh(y)": lambda x, y: np.log(1 + x**2) + np.tanh(y),
    "(1-x)**2 + 100*(y-x**2)**2": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "atan(x*y) + arcsinh(y) - log10(2 + cos(x))": lambda x, y: (
        np.arctan(x * y) + np.arcsinh(y) - np.log10(2 + np.cos(x))
    ),
    "2**x / (1 + e**y) + pi*sign(x)*y": lambda x, y: (
        2.0**x / (1 + np.e**y) + np.pi * np.sign(x) * y
    ),
    "cosh(x/4)*sinh(y/3) + log2(3 + x**2)**1.5 + asin(y/6)": lambda x, y: (
        np.cosh(x / 4) * np.sinh(y / 3) + np.log2(3 + x**2) ** 1.5 + np.arcsin(y / 6)
    ),
    "  x *\t y\n": lambda x, y: x * y,
}
# Away from kinks (abs, sign at 0) so central differences are meaningful.
PX = np.array([[0.7, -1.3, 2.1], [-2.6, 1.9, 0.35]])
PY = np.array([[1.2, 0.45, -2.2], [-0.8, 3.1, -0.6]])
H = 1e-5


@pytest.mark.parametrize("text", VALID)
def test_values_match_independent_numpy(text):
    surface = from_formula(text)
    expected = VALID[text](PX, PY)
    got = surface.value(PX, PY)
    assert got.shape == PX.shape and got.dtype == float
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("text", VALID)
def test_gradient_matches_central_differences(text):
    f, surface = VALID[text], from_formula(text)
    gx, gy = surface.gradient(PX, PY)
    dx = (f(PX + H, PY) - f(PX - H, PY)) / (2 * H)
    dy = (f(PX, PY + H) - f(PX, PY - H)) / (2 * H)
    np.testing.assert_allclose(gx, dx, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(gy, dy, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("text", VALID)
def test_hessian_matches_central_differences_of_the_gradient(text):
    surface = from_formula(text)
    hxx, hxy, hyy = surface.hessian(PX, PY)
    gx_px, gy_px = surface.gradient(PX + H, PY)
    gx_mx, gy_mx = surface.gradient(PX - H, PY)
    gx_py, gy_py = surface.gradient(PX, PY + H)
    gx_my, gy_my = surface.gradient(PX, PY - H)
    tolerance = 1e-5 * (1 + np.abs(hxx) + np.abs(hxy) + np.abs(hyy))
    for exact, estimate in [
        (hxx, (gx_px - gx_mx) / (2 * H)),
        (hyy, (gy_py - gy_my) / (2 * H)),
        (hxy, (gx_py - gx_my) / (2 * H)),
        (hxy, (gy_px - gy_mx) / (2 * H)),
    ]:
        assert np.all(np.abs(exact - estimate) <= tolerance), (exact, estimate)


def test_surface_fields():
    text = " x**2/20 + y**2"
    s = from_formula(text)
    assert isinstance(s, Surface)
    assert s.key == "custom"
    assert s.title == "f(x, y) = x²/20 + y²"
    assert s.formula == text  # verbatim, so a session file can store and replay it
    assert s.bounds == (-5.0, 5.0, -5.0, 5.0)
    assert s.minima == () and s.hess is not None
    assert "df/dx = x/10" in s.description


def test_broadcasting_and_fresh_float_arrays():
    s = from_formula("x")
    assert s.value(2, 3).shape == () and float(s.value(2, 3)) == 2.0
    assert s.value(np.arange(3), 1.0).dtype == float
    assert s.gradient(np.zeros((2, 1)), np.zeros(4))[0].shape == (2, 4)
    x = np.array([1.0, 2.0])
    out = s.f(x, 0.0)
    out[0] = 99.0
    assert x[0] == 1.0  # the caller's array is never handed back
    gx, gy = s.grad(x, x)
    assert gx is not gy
    constant = from_formula("3")
    assert constant.value(np.zeros((2, 3)), 0.0).shape == (2, 3)
    np.testing.assert_array_equal(constant.hessian(np.zeros(5), np.zeros(5))[1], np.zeros(5))


def test_overflow_is_the_callers_business():
    s = from_formula("exp(1000*x)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the test
        assert np.isinf(s.f(1.0, 0.0))
        assert np.isinf(s.value(1.0, 0.0)) and np.isinf(s.gradient(1.0, 0.0)[0])
        assert s.value(-1.0, 0.0) == 0.0
        assert np.isnan(from_formula("log(x)").f(-1.0, 0.0))
    assert s.start[0] < 0  # where the value is finite


REFUSED = {
    "x/0": "division by zero",
    "y/(1-1)": "division by zero",
    "sqrt(-exp(x))": "complex",
    "log(0)*0": "log",
    "log(x - x)": "infinite or undefined",
    "x/(y-y)": "infinite or undefined",
    "sqrt(-1)*x": "sqrt",
    "(-8)**(1/3)": "not a real number",
    "0**(-1)": "0 to a negative power",
    "exp(1000)": "too large",
    "sqrt(-1 - x**2)": "not finite on 100% of the frame",
    "(3*x)**10000": "too large",
}


@pytest.mark.parametrize("text", REFUSED)
def test_undefined_formulas_are_refused(text):
    with pytest.raises(FormulaError, match=REFUSED[text]):
        from_formula(text)


MESSAGES = {
    "x^2": ("use ** for powers, not ^", 2),
    "z + 1": ("unknown name 'z' at column 1: use x, y, pi, e", 1),
    "x + foo(y)": ("unknown function 'foo' at column 5: allowed are sin, cos", 5),
    "sin(x": ("missing ')'", 4),
    "2x": ("implicit multiplication at column 2: write 2*x, not 2x", 2),
    "(x+1)(y-1)": ("write (x+1)*(y-1)", 6),
    "x y": ("write x*y, not x y", 3),
    "sin x": ("write sin(...)", 1),
    "a\u0445": ("non-ASCII character 'х' (Cyrillic) at column 2: type it in plain ASCII", 2),
    "x \u2212 y": ("(minus sign) at column 3", 3),
    "x**2 +": ("ends with '+'", 6),
    "sin(x, y)": ("exactly one argument", 1),
    "x if y else 1": ("if/else", 3),
    "": ("empty", None),
    "x" * 1001: ("too long (1001 characters; at most 1000)", None),
    "ln(x) + X": ("variables are lowercase", 9),
    "x2 + 1": ("write x*2 for a product, x**2 for a power", 1),
    # Columns stay right after leading blanks, for errors found in the tree and in folding.
    "  sin(x, y)": ("exactly one argument", 3),
    "\t x + y/(2 - 2)": ("division by zero at column 10", 10),
    "1__0*x": ("cannot read the formula near column 2", 2),
}


@pytest.mark.parametrize("text", MESSAGES)
def test_messages_say_where_and_what_to_write(text):
    message, column = MESSAGES[text]
    with pytest.raises(FormulaError) as info:
        from_formula(text)
    assert message in str(info.value)
    assert info.value.column == column


@pytest.mark.parametrize(
    "bounds", [(1, 0, 0, 1), (0, 1, 2, 2), (0, np.inf, 0, 1), (0, np.nan, 0, 1), (0, 1, 0), "abcd"]
)
def test_invalid_bounds_are_refused(bounds):
    with pytest.raises(FormulaError, match="Invalid bounds"):
        from_formula("x", bounds=bounds)


def test_bounds_and_start():
    s = from_formula("log(x) + y**2", bounds=[0, 2, -1, 3])
    assert s.bounds == (0.0, 2.0, -1.0, 3.0)
    x0, y0 = s.start
    assert 0 < x0 < 2 and -1 < y0 < 3
    assert np.isfinite(s.value(x0, y0)) and np.all(np.isfinite(s.gradient(x0, y0)))
    # Only finite where x is nearly 0: the start comes from the grid, not a corner.
    narrow = from_formula("sqrt(1 - 100*x**2)")
    assert abs(narrow.start[0]) <= 0.1 and np.isfinite(narrow.value(*narrow.start))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(1-x)**2 + 100*(y-x**2)**2", True),
        ("exp(-(x**2+y**2))", True),
        ("x**2 + y**2", False),
        ("sin(x)*cos(y)", False),
        ("x", False),
        ("0*x", False),
    ],
)
def test_log_scale(text, expected):
    assert from_formula(text).log_scale is expected
