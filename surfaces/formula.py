"""Typed formulas (being written)."""

from surfaces.base import Surface


class FormulaError(ValueError):
    """A formula that cannot be accepted; the message says what to write instead."""


def from_formula(text: str, bounds=None) -> Surface:
    raise FormulaError("typed formulas are not available yet")
