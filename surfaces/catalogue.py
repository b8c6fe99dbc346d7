"""The catalogue of test surfaces, in the order the GUI lists them.

The book's bowl first, then the classic test functions, the saddles, and the adjustable ravine.
"""

import dataclasses

from surfaces.base import Surface
from surfaces.classic import BEALE, GOLDSTEIN_PRICE, HIMMELBLAU, MCCORMICK, ROSENBROCK
from surfaces.humps import SIX_HUMP_CAMEL, STYBLINSKI_TANG, THREE_HUMP_CAMEL
from surfaces.multimodal import ACKLEY, EASOM, LEVI13, RASTRIGIN
from surfaces.quadratic import BOOK, BOOTH, MATYAS, RAVINE
from surfaces.saddles import MONKEY_SADDLE, SADDLE
from surfaces.suggested import suggested

SURFACES: dict[str, Surface] = {
    s.key: dataclasses.replace(s, suggested=suggested(s.key))
    for s in (
        BOOK,
        ROSENBROCK,
        BEALE,
        HIMMELBLAU,
        BOOTH,
        MATYAS,
        RASTRIGIN,
        ACKLEY,
        GOLDSTEIN_PRICE,
        THREE_HUMP_CAMEL,
        SIX_HUMP_CAMEL,
        STYBLINSKI_TANG,
        LEVI13,
        EASOM,
        MCCORMICK,
        SADDLE,
        MONKEY_SADDLE,
        RAVINE,
    )
}
