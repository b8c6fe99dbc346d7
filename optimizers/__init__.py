"""Gradient-descent optimizers with the book's ``update(params, grads)`` interface; numpy only."""

from optimizers.base import Glyph, Hyper, Optimizer

__all__ = ["Glyph", "Hyper", "Optimizer"]
