"""Checked sympy expressions as vectorised numpy functions, without generated source code.

``sympy.lambdify`` prints the expression as Python source and ``exec``s it; here the tree is
walked once into straight-line numpy steps instead. Equal sub-expressions get one step, which
is common sub-expression elimination for free (a Hessian repeats much of its gradient).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial, reduce
from typing import Any

import numpy as np
import sympy

from surfaces.formula.grammar import FormulaError
from surfaces.formula.symbolic import RealAbs, RealSign, X, Y, short


def _zero(arg: np.ndarray, *_order: np.ndarray) -> np.ndarray:
    return np.zeros_like(arg)


def _reciprocal_of(function: Callable[[np.ndarray], np.ndarray]) -> Callable[..., np.ndarray]:
    return lambda a: 1.0 / function(a)


_UFUNCS: dict[Any, Callable[..., np.ndarray]] = {
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.asin: np.arcsin,
    sympy.acos: np.arccos,
    sympy.atan: np.arctan,
    sympy.sinh: np.sinh,
    sympy.cosh: np.cosh,
    sympy.tanh: np.tanh,
    sympy.asinh: np.arcsinh,
    sympy.acosh: np.arccosh,
    sympy.atanh: np.arctanh,
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.Abs: np.abs,
    sympy.sign: np.sign,
    RealAbs: np.abs,
    RealSign: np.sign,
    # sympy rewrites some results with these (tan(x + pi/2) becomes -cot(x)).
    sympy.cot: _reciprocal_of(np.tan),
    sympy.sec: _reciprocal_of(np.cos),
    sympy.csc: _reciprocal_of(np.sin),
    sympy.coth: _reciprocal_of(np.tanh),
    sympy.sech: _reciprocal_of(np.cosh),
    sympy.csch: _reciprocal_of(np.sinh),
    # d/du |u| = sign(u) differentiates to 2*DiracDelta(u): zero except on the kink itself,
    # where no finite second derivative exists. Zero keeps Newton's method usable off the kink.
    sympy.DiracDelta: _zero,
}


def _sum(*terms: np.ndarray) -> np.ndarray:
    return reduce(np.add, terms)


def _product(*factors: np.ndarray) -> np.ndarray:
    return reduce(np.multiply, factors)


def _power_step(exponent: float) -> Callable[[np.ndarray], np.ndarray]:
    # The exponents sympy produces most (squares, roots, reciprocals) have faster ufuncs.
    fast = {2.0: np.square, 0.5: np.sqrt, -1.0: np.reciprocal, 1.0: np.positive}
    return fast.get(exponent) or partial(_power, exponent=exponent)


def _power(base: np.ndarray, exponent: float) -> np.ndarray:
    return np.power(base, exponent)


def _constant(value: float) -> Callable[[], float]:
    return lambda: value


class Program:
    """Straight-line numpy code for a few expressions in x and y.

    Calling it with arrays (or scalars) of broadcastable shapes returns one float array per
    expression, of the broadcast shape. It never raises or warns on overflow or domain
    errors: those give inf and nan, as the Surface contract asks.
    """

    def __init__(self, exprs: Sequence[sympy.Expr]) -> None:
        self._steps: list[tuple[Callable[..., Any], tuple[int, ...]]] = []
        self._slots: dict[sympy.Expr, int] = {X: 0, Y: 1}  # registers 0 and 1 hold x and y
        self._outputs = tuple(self._slot(e) for e in exprs)

    def _slot(self, e: sympy.Expr) -> int:
        """The register holding e, appending the steps that compute it (depth is small)."""
        if e in self._slots:
            return self._slots[e]
        if not e.free_symbols:
            step: tuple[Callable[..., Any], tuple[int, ...]] = (_constant(_float(e)), ())
        elif e.is_Pow and not e.exp.free_symbols:
            step = (_power_step(_float(e.exp)), (self._slot(e.base),))
        else:
            step = (self._function_of(e), tuple(self._slot(a) for a in e.args))
        self._slots[e] = len(self._steps) + 2
        self._steps.append(step)
        return self._slots[e]

    @staticmethod
    def _function_of(e: sympy.Expr) -> Callable[..., Any]:
        if e.is_Add:
            return _sum
        if e.is_Mul:
            return _product
        if e.is_Pow:
            return np.power
        if e.func in _UFUNCS:
            return _UFUNCS[e.func]
        raise FormulaError(f"the derivatives need {e.func.__name__}, which cannot be evaluated")

    def __call__(self, x: Any, y: Any, **_values: float) -> tuple[np.ndarray, ...]:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        shape = np.broadcast_shapes(x.shape, y.shape)
        registers: list[Any] = [x, y]
        with np.errstate(all="ignore"):
            for function, args in self._steps:
                registers.append(function(*[registers[i] for i in args]))
        results = []
        for n, slot in enumerate(self._outputs):
            r = np.asarray(registers[slot], dtype=float)
            # Fresh arrays only: never hand back the caller's x or y, or one array twice.
            if r.shape != shape or slot < 2 or slot in self._outputs[:n]:
                r = np.broadcast_to(r, shape).copy()
            results.append(r)
        return tuple(results)

    def first(self, x: Any, y: Any, **values: float) -> np.ndarray:
        """The first expression only: the shape of ``Surface.f``."""
        return self(x, y, **values)[0]


def _float(e: sympy.Expr) -> float:
    """A constant of the formula or its derivatives as a finite float, or FormulaError."""
    try:
        value = float(e)
    except (TypeError, ValueError, OverflowError):
        value = math.nan
    if not math.isfinite(value):
        raise FormulaError(
            f"the constant {short(e)} in the formula or its derivatives is too large"
        )
    return value
