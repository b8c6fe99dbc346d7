"""A rule's lines compiled into the code that runs them, keeping numpy's order of operations.

numpy evaluates ``a*b + c`` as Python does: operand by operand, left to right by precedence, one
rounding per operation. A program that performs the same operations on the same operands in
the same tree shape gives the same result to the last bit, however it stores the intermediate
values. So each line is compiled by walking its ``ast`` in evaluation order, and three forms
of the same operations come out:

- **once per update**: the lines that do not depend on the parameters (bias corrections), and
  every sub-expression of the other lines that does not either (``1 - beta1``), become *slots*,
  computed on Python floats (fast; a float error such as a division by zero falls back to
  numpy, whose rules give inf or nan) or on arrays when a hyperparameter is an array;
- **on arrays**: each remaining operation is one ufunc call with ``out=``: its result lands in
  a scratch array, reused as soon as its value is dead, or, for a line's last operation, in the
  buffer the line assigns. Adam's four lines become twelve calls on two scratch arrays;
- **on one small parameter** (a racer's point, two floats): the lines unrolled per element as
  Python float arithmetic — the same IEEE operations as the ufuncs, without a ufunc call's
  overhead. It writes only at the end, so an error (a division by zero, a square root of a
  negative number) can fall back to the array form with nothing changed.

Each form is Python source, generated once per class and kept readable (``Program.source``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizers.array_form import ArrayForm, state_order
from optimizers.emit import FLOAT_FUNCTIONS, NUMPY_FUNCTIONS, Source, build, is_two
from optimizers.rule import Reading, names_in, parse_line

MAX_UNROLLED = 4  # parameters up to this many elements run as unrolled float arithmetic


# --- slots: what runs once per update ------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    tree: ast.expr
    boolean: bool


def find_slots(reading: Reading) -> list[Slot]:
    """The largest sub-trees of the per-element lines that read no per-element name, in the
    order the lines evaluate them; each is computed once per update."""
    found: dict[str, Slot] = {}

    def visit(node: ast.expr, elements: frozenset[str]) -> None:
        if not any(n in elements for n in names_in(node)):
            key = ast.dump(node)
            if key not in found:
                found[key] = Slot(node, isinstance(node, ast.Compare))
            return
        for child in ast.iter_child_nodes(node):
            squared = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
            if squared and child is node.right and is_two(child):
                continue  # x**2 runs as x·x: the 2 is never an operand
            if isinstance(child, ast.expr) and not _is_function_name(node, child):
                visit(child, elements)

    for line in reading.element_lines:
        visit(line.expr, line.elements)
    return list(found.values())


def _is_function_name(parent: ast.AST, child: ast.AST) -> bool:
    return isinstance(parent, ast.Call) and child is parent.func


def prepare_source(reading: Reading, slots: list[Slot], vector: bool) -> str:
    """``prepare(h, t, c)``: the scalar lines and the slots, from the hyperparameters ``h``
    (the optimizer's ``__dict__``), the update count and the carried scalars ``c`` (updated in
    place). ``vector``: numpy arithmetic (array hyperparameters, or the float form's fallback)."""
    read = "_f(h[{!r}])" if vector else "h[{!r}]"
    body = [f"{n} = {read.format(n)}" for n in reading.hypers]
    carried = "_f(c[{!r}])" if vector else "c[{!r}]"
    body += [f"{n} = {carried.format(n)}" for n in reading.rule.carried]
    source = Source(lambda n: n, vector=vector)
    body += [f"{line.target} = {source(line.expr)}" for line in reading.scalar_lines]
    body += [f"c[{n!r}] = {n}" for n in reading.rule.carried]
    values = ", ".join(source(s.tree) for s in slots)
    body.append(f"return ({values}{',' if slots else ''})")
    return "def prepare(h, t, c):\n" + "".join(f"    {b}\n" for b in body)


# --- the unrolled form: float arithmetic per element ---------------------------------------------


def unrolled_lines(
    reading: Reading, slot_names: dict[str, str], size: int
) -> tuple[list[str], list[dict[str, str]]]:
    """The per-element lines for ``size`` elements as float assignments, each to a fresh name
    (element ``i`` of array ``a`` reads ``a_i_0``), and each element's final name per array."""
    arrays = ("p", "g", *reading.rule.state)
    version: dict[str, int] = {}
    body, finals = [], []
    for i in range(size):
        version.update({a: 0 for a in arrays})
        current = {a: f"{a}_{i}_0" for a in arrays}
        source = Source(lambda n, c=current: c[n], slot_names, vector=False)
        source.squares = 1000 * i  # walrus temporaries unique per element
        for line in reading.element_lines:
            text = source(line.expr)
            version[line.target] = version.get(line.target, 0) + 1
            name = f"{line.target}_{i}_{version[line.target]}"
            body.append(f"{name} = {text}")
            current[line.target] = name
        finals.append(current)
    return body, finals


def slot_unpacking(slot_names: dict[str, str]) -> list[str]:
    return [f"{''.join(f'_k{i}, ' for i in range(len(slot_names)))}= _k"] if slot_names else []


def unrolled_source(reading: Reading, slot_names: dict[str, str], size: int) -> str:
    """``run(p, g, *state, k)`` for parameters of ``size`` elements, as float arithmetic."""
    rule = reading.rule
    body = slot_unpacking(slot_names)
    for a in ("p", "g", *rule.state):
        body.append(f"{''.join(f'{a}_{i}_0, ' for i in range(size))}= {a}.tolist()")
    lines, finals = unrolled_lines(reading, slot_names, size)
    body += lines
    for a in ("p", *rule.state):  # writes last: an error above leaves every array untouched
        if any(line.target == a for line in reading.element_lines):
            body += [f"{a}[{i}] = {finals[i][a]}" for i in range(size)]
    state = ", ".join(state_order(rule))
    head = f"def run(p, g, {state + ', ' if state else ''}_k):\n"
    return head + "".join(f"    {b}\n" for b in body)


# --- the program ---------------------------------------------------------------------------------


class Program:
    """A rule compiled for one optimizer class: see the module docstring."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        rule = reading.rule
        self.slots = find_slots(reading)
        slot_of = {ast.dump(s.tree): i for i, s in enumerate(self.slots)}
        self.boolean_slots = tuple(s.boolean for s in self.slots)
        self._float_source = prepare_source(reading, self.slots, vector=False)
        self._vector_source = prepare_source(reading, self.slots, vector=True)
        self.prepare_float = build(self._float_source, "prepare", FLOAT_FUNCTIONS)
        self.prepare_vector = build(
            self._vector_source, "prepare", {**NUMPY_FUNCTIONS, "_f": _as_float}
        )
        self.array = ArrayForm(reading, slot_of)
        self.run_arrays = build(self.array.source, "run", NUMPY_FUNCTIONS)
        self._slot_names = {key: f"_k{i}" for key, i in slot_of.items()}
        self._unrolled: dict[int, Callable[..., None]] = {}
        self._point_run: Callable[..., tuple[float, float]] | None = None
        self.zero_state = tuple(n for n in rule.state if n not in rule.starts)
        self.started_state = tuple(n for n in rule.state if n in rule.starts)
        self._starts = {
            n: _build_expression(parse_line(f"{n} ← {e}")[1])
            for n, e in {**rule.starts, **rule.carried}.items()
        }
        self._scalar_lines = [
            (line.target, _build_expression(line.expr)) for line in reading.scalar_lines
        ]
        self._rate = _build_expression(parse_line(f"rate ← {rule.rate}")[1]) if rule.rate else None

    @property
    def source(self) -> str:
        """All the generated code, to read: per update (floats), then on arrays."""
        return self._float_source + "\n" + self.array.source

    def unrolled(self, size: int) -> Callable[..., None]:
        run = self._unrolled.get(size)
        if run is None:
            text = unrolled_source(self.reading, self._slot_names, size)
            run = self._unrolled[size] = build(text, "run", FLOAT_FUNCTIONS)
        return run

    def point_run(self) -> Callable[..., tuple[float, float]]:
        """The racer's form, on floats (:mod:`optimizers.point`), generated on first use."""
        if self._point_run is None:
            from optimizers.point import floats_source  # it builds on this module

            text = floats_source(self.reading, self._slot_names)
            self._point_run = build(text, "run", FLOAT_FUNCTIONS)
        return self._point_run

    def start(self, name: str, hypers: dict[str, Any]) -> Any:
        """The starting value of a state buffer or carried scalar."""
        return self._starts[name]({n: hypers[n] for n in self.reading.hypers})

    def prepare(
        self, hypers: dict[str, Any], t: int, carried: dict[str, Any], floats: bool
    ) -> tuple[tuple, bool]:
        """The slots of this update and whether they are plain Python numbers; the carried
        scalars are updated in place. ``floats``: every hyperparameter is a float."""
        if floats:
            before = dict(carried) if carried else None
            try:
                return self.prepare_float(hypers, t, carried), True
            except (ArithmeticError, ValueError):
                if before:
                    carried.update(before)  # numpy's rules below give inf or nan instead
        with np.errstate(all="ignore"):
            values = self.prepare_vector(hypers, t, carried)
        for n, v in carried.items():
            if np.ndim(v) == 0:
                carried[n] = float(v)
        return values, False

    def stepper(
        self, opt: Any, items: list[tuple[str, np.ndarray, np.ndarray]]
    ) -> Callable[[], None] | None:
        """``opt.update`` for these arrays, checked once (see ``Optimizer.stepper``): per step
        only the float slots and the unrolled arithmetic run; anything else (a float error,
        a parameter too large to unroll) takes ``opt``'s own path for that step."""
        prepare, hypers, carried = self.prepare_float, opt.__dict__, opt.carried
        names, started = self.zero_state, self.started_state
        small = [(k, p, g, self.unrolled(p.size)) for k, p, g in items if _unrollable(p, g)]
        if len(small) != len(items) or opt._shapes:
            return None  # the optimizer's own stepper will do
        state_of: dict[str, list[np.ndarray]] = {}
        states = [None]

        def buffers(key: str, p: np.ndarray) -> list[np.ndarray]:
            if states[0] is not opt.state:  # a reset() replaced the state: fetch afresh
                states[0] = opt.state
                state_of.clear()
            state = state_of.get(key)
            if state is None:
                state = opt.buffers(key, p, *names) if names else []
                for name in started:
                    state += opt.buffers(key, p, name, fill=opt._starts[name])
                state_of[key] = state
            return state

        def step() -> None:
            t = opt.t = opt.t + 1
            before = dict(carried) if carried else None
            try:
                slots = prepare(hypers, t, carried)
            except (ArithmeticError, ValueError):
                if before:
                    carried.update(before)
                opt._prepare()
                for key, p, g, _ in small:
                    opt._step(key, p, g)
                return
            opt._slots, opt._slot_arrays, opt._unrollable = slots, None, True
            for key, p, g, run in small:
                try:
                    run(p, g, *buffers(key, p), slots)
                except (ArithmeticError, ValueError):
                    opt._step(key, p, g)

        return step

    def arrays(self, values: tuple) -> tuple:
        """The slots as ufunc operands: float64 (0-d for a scalar), numpy's fastest operand."""
        return tuple(
            np.asarray(v, dtype=bool if b else float)
            for v, b in zip(values, self.boolean_slots, strict=True)
        )

    def rate(self, env: dict[str, Any]) -> Any:
        return self._rate(env)

    def scalars(self, hypers: dict[str, Any], t: int, carried: dict[str, Any]) -> dict[str, Any]:
        """The scalar lines' values for update ``t`` with numpy arithmetic, the carried scalars
        as they are now (not advanced again): what a glyph or a test reads after a step."""
        env: dict[str, Any] = {n: _as_float(hypers[n]) for n in self.reading.hypers}
        env |= {n: _as_float(v) for n, v in carried.items()} | {"t": t}
        with np.errstate(all="ignore"):
            for target, value in self._scalar_lines:
                if target not in carried:
                    env[target] = value(env)
        return env


def _unrollable(p: np.ndarray, g: np.ndarray) -> bool:
    return p.ndim == 1 and p.size <= MAX_UNROLLED and p.dtype == np.float64 == g.dtype


def _as_float(value: Any) -> Any:
    return np.asarray(value, dtype=float)


def _build_expression(tree: ast.expr) -> Callable[[dict], Any]:
    """An expression of a dict of values with numpy arithmetic (starts, glyph rates)."""
    text = Source(lambda n: f"env[{n!r}]", vector=True)(tree)
    run = build(f"def value(env):\n    return {text}\n", "value", NUMPY_FUNCTIONS)

    def value(env: dict[str, Any]) -> Any:
        with np.errstate(all="ignore"):
            return run(env)

    return value
