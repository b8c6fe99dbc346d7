"""What a typed formula may contain, and how big it may get: shared by every formula stage.

Plain data and one exception, no sympy, so ``import surfaces`` stays cheap.
"""

from __future__ import annotations

# Limits on untrusted text (session files from strangers carry formulas). Each stage checks its
# own limit before doing work that grows with the input, so refusals stay in the millisecond range.
MAX_LENGTH = 1000  # characters, checked before anything else looks at the text
MAX_NODES = 500  # syntax-tree nodes
MAX_DEPTH = 50  # syntax-tree nesting (parentheses, unary minus chains, long sums all count)
MAX_EXPONENT = 10_000  # |p| for a constant exponent, and for exponents multiplied by nesting
MAX_MAGNITUDE = 1e300  # largest constant, literal or folded, leaving room before float overflow

VARIABLES = ("x", "y", "pi", "e")

# One-argument functions by the name a student types; aliases map to the canonical (numpy) name.
FUNCTIONS = (
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "exp",
    "log",
    "log10",
    "log2",
    "sqrt",
    "abs",
    "sign",
)
ALIASES = {
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "ln": "log",
}
ALL_FUNCTIONS = frozenset(FUNCTIONS) | frozenset(ALIASES)

ALLOWED_HELP = (
    "allowed are "
    + ", ".join(FUNCTIONS)
    + " (also asin, acos, atan, asinh, acosh, atanh, and ln for log)"
)


def canonical(function: str) -> str:
    """The canonical name of an allowed function (``atan`` -> ``arctan``)."""
    return ALIASES.get(function, function)


class FormulaError(ValueError):
    """A formula that cannot be accepted; the message says where and what to write instead.

    ``column`` is the 1-based position of the offending character when there is one, so an
    editor can put the cursor there.
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column
