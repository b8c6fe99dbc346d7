"""Test surfaces: numpy only; sympy only for typed formulas (imported on first use)."""

from surfaces.base import Bounds, Param, Point, Surface
from surfaces.catalogue import SURFACES
from surfaces.formula import FormulaError, from_formula

__all__ = ["SURFACES", "Bounds", "FormulaError", "Param", "Point", "Surface", "from_formula"]
