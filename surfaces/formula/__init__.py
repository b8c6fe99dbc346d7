"""Typed formulas become surfaces through four layers, each able to refuse on its own (see
``surface``): a text scan, an ``ast`` whitelist, a sympy tree built node by node, and a numpy
evaluator. Nothing in the text is ever run."""

from surfaces.formula.grammar import FormulaError
from surfaces.formula.surface import from_formula

__all__ = ["FormulaError", "from_formula"]
