"""A racer's step on Python floats: the rule's unrolled lines with the point, the gradient and
the state passed as floats, not read from and written to numpy arrays.

A racer's point is two floats and its race is millions of steps, each one a Python call: on
arrays, Adam's update spends more time indexing its six buffers than computing (every read is
a ``tolist`` and every write a numpy item assignment). Here the state lives in a list of floats
for the length of one :meth:`PointStep.load` … :meth:`PointStep.store` span (one
``Run.advance``), so a step is the arithmetic, a few list reads and writes, and nothing else.
The same operations in the same order as the other forms (see :mod:`optimizers.compile`), so
the same numbers to the last bit; where floats raise, the step falls back to the optimizer's own
path with the arrays brought up to date first, exactly as the array stepper does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from optimizers.array_form import state_order
from optimizers.compile import slot_unpacking, unrolled_lines

SIZE = 2  # a racer's point


def floats_source(reading: Any, slot_names: dict[str, str]) -> str:
    """``run(p_0_0, p_1_0, g_0_0, g_1_0, _s, _k) -> (p_0, p_1)``: ``_s`` is the state as a
    flat list of floats in :func:`state_order`, element by element, updated in place at the end
    (underscored names cannot clash with a rule's: rule names never start with one)."""
    order = state_order(reading.rule)
    body = slot_unpacking(slot_names)
    inputs = [f"{a}_{i}_0" for a in order for i in range(SIZE)]
    if inputs:
        body.append(f"{', '.join(inputs)}, = _s")
    lines, finals = unrolled_lines(reading, slot_names, SIZE)
    body += lines
    # Writes last: an error above leaves the state as it was, for the fallback to take over.
    body += [f"_s[{k}] = {finals[i][a]}" for k, (a, i) in enumerate(_cells(order))]
    body.append(f"return {finals[0]['p']}, {finals[1]['p']}")
    head = "def run(p_0_0, p_1_0, g_0_0, g_1_0, _s, _k):\n"
    return head + "".join(f"    {b}\n" for b in body)


def one_point(
    params: Mapping[str, Any], grads: Mapping[str, Any]
) -> tuple[str, np.ndarray, np.ndarray] | None:
    """``(key, p, g)`` when the dicts hold one racer's point, a shape-(2,) float64 array and
    its gradient's: what a step on floats can stand in for; None otherwise."""
    if len(params) != 1:
        return None
    key, p = next(iter(params.items()))
    g = grads.get(key)
    for a in (p, g):
        if type(a) is not np.ndarray or a.dtype != np.float64 or a.shape != (SIZE,):
            return None
    return key, p, g


def _cells(order: tuple[str, ...]) -> list[tuple[str, int]]:
    return [(a, i) for a in order for i in range(SIZE)]


class PointStep:
    """``opt.update({key: p}, {key: g})`` as ``(x, y, gx, gy) → (x, y)`` on floats, for a
    shape-(2,) float64 point of an optimizer with a rule and scalar hyperparameters.

    Between :meth:`load` and :meth:`store` the floats are the truth and the state arrays are
    stale; the caller stores before anyone else may look (``Run.advance`` does, in ``finally``).
    """

    def __init__(self, opt: Any, key: str, p: np.ndarray, g: np.ndarray) -> None:
        program = opt.program
        self.opt, self.key, self.p, self.g = opt, key, p, g
        self.run: Callable[..., tuple[float, float]] = program.point_run()
        self.prepare = program.prepare_float
        self.hypers, self.carried = opt.__dict__, opt.carried
        self.arrays: list[np.ndarray] | None = None
        self.state: list[float] = []

    def load(self) -> None:
        """Start a span. The arrays are fetched at its first step, not here: a buffer created
        then takes its start from that step's hyperparameters (Rprop's first step size is the
        lr a schedule gives step 0, set just before it), as the array path creates it."""
        self.arrays = None

    def store(self) -> None:
        """End a span: the floats back into their arrays."""
        for k, a in enumerate(self.arrays or ()):
            a[0], a[1] = self.state[SIZE * k], self.state[SIZE * k + 1]

    def _fetch(self) -> None:
        opt, program = self.opt, self.opt.program
        zero, started = program.zero_state, program.started_state
        arrays = opt.buffers(self.key, self.p, *zero) if zero else []
        for name in started:
            arrays += opt.buffers(self.key, self.p, name, fill=opt._starts[name])
        self.arrays = arrays
        self.state = [v for a in arrays for v in a.tolist()]

    def __call__(self, x: float, y: float, gx: float, gy: float) -> tuple[float, float]:
        if self.arrays is None:
            self._fetch()
        opt, carried = self.opt, self.carried
        t = opt.t = opt.t + 1
        before = dict(carried) if carried else None
        try:
            slots = self.prepare(self.hypers, t, carried)
        except (ArithmeticError, ValueError):
            if before:
                carried.update(before)  # numpy's rules in _prepare give inf or nan instead
            return self._on_arrays(x, y, gx, gy, prepared=False)
        opt._slots, opt._slot_arrays, opt._unrollable = slots, None, True
        try:
            return self.run(x, y, gx, gy, self.state, slots)
        except (ArithmeticError, ValueError):
            return self._on_arrays(x, y, gx, gy, prepared=True)

    def _on_arrays(
        self, x: float, y: float, gx: float, gy: float, prepared: bool
    ) -> tuple[float, float]:
        """This step by the optimizer's own path (numpy's rules), the arrays up to date."""
        p, g = self.p, self.g
        self.store()
        p[0], p[1], g[0], g[1] = x, y, gx, gy
        if not prepared:
            self.opt._prepare()
        self.opt._step(self.key, p, g)
        self.state = [v for a in self.arrays for v in a.tolist()]
        x, y = p.tolist()
        return x, y
