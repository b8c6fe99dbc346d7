"""One axis for every plot: log axes labelled at the decades as 10ⁿ, linear axes in plain numbers,
never an SI prefix in the title, and never two labels on top of each other.

pyqtgraph draws every label of its first tick level wherever it falls, and on a log axis it mixes
``0.0001`` with ``10⁻⁵``; here the tick levels are chosen from a list ordered from dense to sparse,
and the first whose labels fit the axis's length in pixels wins.

An axis may also map the view's coordinates to its own units by an affine map: the sweep map
draws cell ``k`` at ``k … k + 1`` and labels the axis in the hyperparameter's values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "−"
MIN_MINOR_PX = 4.0  # unlabelled ticks closer than this become a grey smear
GAP_PX = 10.0  # free space between two labels side by side
EDGE_OVERFLOW_PX = 14  # how far past its ends an axis may draw an end label
DECADE_STEPS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500)
Ticks = tuple[list[float], list[float]]  # labelled, unlabelled (in axis units)


def power_of_ten(exponent: int) -> str:
    """``10⁻⁵``: the one way an exponent is written on every axis."""
    return "10" + str(int(exponent)).translate(SUPERSCRIPT)


def scientific(value: float, digits: int = 0) -> str:
    """``value`` as ``m·10ⁿ`` (``10ⁿ`` alone when m is 1), the mantissa with ``digits`` decimals."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    sign = MINUS if value < 0 else ""
    exponent = math.floor(math.log10(abs(value)))
    mantissa = round(abs(value) / 10.0**exponent, digits)
    if mantissa >= 10:  # 9.96 rounded to one decimal is the next decade
        mantissa, exponent = mantissa / 10, exponent + 1
    if mantissa == 1:
        return sign + power_of_ten(exponent)
    return f"{sign}{mantissa:.{digits}f}·{power_of_ten(exponent)}"


def plain(value: float, step: float, largest: float | None = None) -> str:
    """A linear axis label: fixed point with as many decimals as the tick step needs. An axis
    whose ``largest`` |value| is huge or tiny is written in the 10ⁿ style throughout, rather than
    as rows of zeros (or an SI prefix in the title that changes what every tick means)."""
    if abs(value) < step * 1e-9:
        return "0"
    largest = abs(value) if largest is None else largest
    if largest >= 1e6 or largest < 1e-3:
        digits = math.floor(math.log10(abs(value)) + 1e-9) - math.floor(math.log10(step) + 1e-9)
        return scientific(value, min(max(digits, 0), 6))
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return (MINUS if value < 0 else "") + f"{abs(value):,.{decimals}f}"


def log_label(u: float, step: float | None = None) -> str:
    """The label of the log10-value ``u``: 10ⁿ at a decade, m·10ⁿ between; ``step`` is the tick
    step in value space when an axis spans under a decade and is ticked at round values."""
    value = 10.0**u
    if step is None:
        mantissa = round(value / 10.0 ** math.floor(u + 1e-9), 3)
        return scientific(value, 0 if mantissa == round(mantissa) else 1)
    return plain(value, step, value)


def _nice_steps(span: float) -> list[float]:
    """1, 2 and 5 × 10^k from about span/100 up to span."""
    k = math.floor(math.log10(span / 100))
    steps = [m * 10.0**e for e in range(k, k + 4) for m in (1, 2, 5)]
    return [s for s in steps if s <= span] or [span]


def _multiples(lo: float, hi: float, step: float) -> list[float]:
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [i * step for i in range(first, last + 1)]


def linear_candidates(lo: float, hi: float) -> list[tuple[Ticks, float]]:
    """Linear tick sets from dense to sparse, each with its step."""
    out = []
    for step in _nice_steps(hi - lo):
        major = _multiples(lo, hi, step)
        mantissa = round(step / 10.0 ** math.floor(math.log10(step) + 1e-9))
        minor_step = step / (5 if mantissa == 1 else mantissa)  # 1 → fifths, 2 → halves, 5 → fifths
        minor = [
            v
            for v in _multiples(lo, hi, minor_step)
            if min(abs(v - m) for m in major or [v + 1]) > minor_step / 2
        ]
        out.append(((major, minor), step))
    return out


def log_candidates(lo: float, hi: float) -> list[Ticks]:
    """Log tick sets (in log10 units) from dense to sparse: every mantissa, then 1-2-5, then
    every k-th decade."""
    first, last = math.floor(lo), math.ceil(hi)

    def at(mantissas: Sequence[int]) -> list[float]:
        points = [d + math.log10(m) for d in range(first, last + 1) for m in mantissas]
        return [u for u in points if lo - 1e-9 <= u <= hi + 1e-9]

    out: list[Ticks] = [
        (at(range(1, 10)), []),
        (at((1, 2, 5)), at((3, 4, 6, 7, 8, 9))),
    ]
    decades = [float(d) for d in range(first, last + 1) if lo - 1e-9 <= d <= hi + 1e-9]
    for k in DECADE_STEPS:
        major = [d for d in decades if round(d) % k == 0]
        minor = [d for d in decades if round(d) % k != 0]
        if k == 1:
            minor = at(range(2, 10))
        out.append((major, minor))
    return out


class ReadableAxis(pg.AxisItem):
    """A pyqtgraph axis whose ticks never overlap and never carry an SI prefix.

    ``set_log(True)`` says the view holds log10 of the data (the caller transforms, or pyqtgraph
    does after ``PlotItem.setLogMode``); ``set_units(a, b)`` says a view value v means a·v + b.
    """

    def __init__(self, orientation: str, log: bool = False, integer: bool = False) -> None:
        super().__init__(orientation)
        self.integer = integer  # counts (steps): never a tick at 0.5
        self.enableAutoSIPrefix(False)
        # The second level holds the unlabelled ticks; a label at an end may reach a little past
        # the axis (pyqtgraph would drop it, and with it the range's first decade).
        self.setStyle(maxTextLevel=0, hideOverlappingLabels=EDGE_OVERFLOW_PX)
        self.log = log
        self.units = (1.0, 0.0)
        self._step: float | None = None  # the labelled ticks' step (None: decades)
        self._largest = 1.0  # the largest |value| on a linear axis: picks fixed point or 10ⁿ

    def set_log(self, log: bool) -> None:
        self.log = log
        self.logMode = False  # the labels are ours: pyqtgraph must not log them again
        self._redraw()

    def setLogMode(self, *args, **kwargs) -> None:  # pyqtgraph's name: PlotItem.setLogMode
        super().setLogMode(*args, **kwargs)
        self.log, self.logMode = bool(self.logMode), False

    def set_units(self, a: float, b: float) -> None:
        self.units = (float(a), float(b)) if a != 0 else (1.0, 0.0)
        self._redraw()

    def _redraw(self) -> None:
        self.picture = None
        self.update()

    # --- pyqtgraph's overrides --------------------------------------------------------------

    def boundingRect(self) -> QtCore.QRectF:
        """pyqtgraph's rect, kept while nothing it depends on changes. Qt asks at every repaint
        of any part of the plot (every frame of a race), and with a grid pyqtgraph maps the
        view's rect afresh each time; it depends on this axis's geometry, its view's, the
        grid and the style (``setStyle`` forgets it)."""
        view = self.linkedView()
        key = (self.geometry(), None if view is None else (id(view), view.geometry()), self.grid)
        if key != getattr(self, "_bounds_key", None):
            self._bounds_key, self._bounds = key, super().boundingRect()
        return QtCore.QRectF(self._bounds)

    def setStyle(self, **kwargs) -> None:
        self._bounds_key = None
        super().setStyle(**kwargs)

    def tickValues(self, minVal: float, maxVal: float, size: float):
        a, b = self.units
        lo, hi = sorted((a * minVal + b, a * maxVal + b))
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or size <= 0:
            return []
        major, minor = self.ticks(lo, hi, size)
        back = lambda us: [(u - b) / a for u in us]  # noqa: E731
        return [(None, back(major)), (None, back(minor))]

    def tickStrings(self, values, scale, spacing):
        a, b = self.units
        return [self.tick_label(a * v + b) for v in values]

    # --- the choice -------------------------------------------------------------------------

    def ticks(self, lo: float, hi: float, pixels: float) -> Ticks:
        """Labelled and unlabelled ticks in axis units over ``lo … hi`` drawn ``pixels`` long."""
        per_unit = pixels / (hi - lo)
        candidates: list[tuple[Ticks, float | None]]
        self._largest = max(abs(lo), abs(hi))
        if self.log and hi - lo >= 1.0:
            candidates = [(ticks, None) for ticks in log_candidates(lo, hi)]
        elif self.log:  # under a decade: round values, placed on the log axis
            candidates = [
                (
                    (
                        [math.log10(v) for v in major if v > 0],
                        [math.log10(v) for v in minor if v > 0],
                    ),
                    step,
                )
                for (major, minor), step in linear_candidates(10.0**lo, 10.0**hi)
            ]
        else:
            candidates = linear_candidates(lo, hi)
            if self.integer:
                whole = [c for c in candidates if c[1] >= 1] or candidates[-1:]
                candidates = [
                    ((major, [v for v in minor if v == round(v)]), step)
                    for (major, minor), step in whole
                ]
        ticks, self._step = self._choose(candidates, per_unit)
        if len(ticks[1]) > 1 and min(np.diff(sorted(ticks[1]))) * per_unit < MIN_MINOR_PX:
            ticks = (ticks[0], [])
        return ticks

    def _choose(
        self, candidates: list[tuple[Ticks, float | None]], per_unit: float
    ) -> tuple[Ticks, float | None]:
        """The densest candidate with at least two labels that fit; else the sparsest that fits."""
        if not candidates:
            return ([], []), None
        fitting = [c for c in candidates if self._fits(c[0][0], c[1], per_unit)]
        for candidate in fitting:
            if len(candidate[0][0]) >= 2:
                return candidate
        return fitting[-1] if fitting else candidates[-1]

    def tick_label(self, u: float) -> str:
        return self._label(u, self._step)

    def _label(self, u: float, step: float | None) -> str:
        if self.log:
            return log_label(u, step)
        return plain(u, step if step else 1.0, self._largest)

    def _fits(self, major: list[float], step: float | None, per_unit: float) -> bool:
        if len(major) < 2:
            return True
        metrics = QtGui.QFontMetricsF(self.style.get("tickFont") or self.font())
        major = sorted(major)
        gaps = np.diff(major) * per_unit
        if self.orientation in ("left", "right"):
            return bool(gaps.min() >= 1.5 * metrics.height())
        widths = [metrics.horizontalAdvance(self._label(u, step)) for u in major]
        needed = [(w1 + w2) / 2 + GAP_PX for w1, w2 in itertools.pairwise(widths)]
        return bool(np.all(gaps >= needed))
