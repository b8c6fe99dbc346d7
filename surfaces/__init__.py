"""Test surfaces: numpy only; sympy only for typed formulas (imported on first use)."""

from surfaces.base import Bounds, Param, Point, Surface

__all__ = ["Bounds", "Param", "Point", "Surface"]
