"""The catalogue of test surfaces (being written)."""

from surfaces.base import Surface

SURFACES: dict[str, Surface] = {}
