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
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizers.rule import Line, Reading, names_in, parse_line

MAX_UNROLLED = 4  # parameters up to this many elements run as unrolled float arithmetic
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_CMP = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<="}
_UFUNC_BINARY = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide"}
_UFUNC_BINARY |= {ast.Pow: "power"}
_UFUNC_CMP = {ast.Gt: "greater", ast.Lt: "less", ast.GtE: "greater_equal", ast.LtE: "less_equal"}
_UFUNC_CALL = {"sqrt": "sqrt", "sign": "sign", "abs": "absolute", "maximum": "maximum"}
_UFUNC_CALL |= {"minimum": "minimum", "clip": "clip"}


# --- float arithmetic with numpy's answers -----------------------------------------------------


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0 if x == 0 else x  # nan stays nan


def _maximum(a: float, b: float) -> float:
    return a if a > b or a != a else b  # numpy's choice: nan wins, ties give b


def _minimum(a: float, b: float) -> float:
    return a if a < b or a != a else b


def _clip(x: float, low: float, high: float) -> float:
    if x != x:
        return x
    x = low if x < low else x
    return high if x > high else x


FLOAT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_sqrt": math.sqrt,  # raises on a negative argument, where numpy gives nan: fall back
    "_pow": math.pow,  # raises on overflow or a negative base to a fraction: fall back
    "_sign": _sign,
    "_abs": abs,
    "_maximum": _maximum,
    "_minimum": _minimum,
    "_clip": _clip,
}
NUMPY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_sqrt": np.sqrt,
    "_pow": np.power,
    "_sign": np.sign,
    "_abs": np.absolute,
    "_maximum": np.maximum,
    "_minimum": np.minimum,
    "_clip": np.clip,
    "_where": np.where,
}


# --- expressions as Python source ----------------------------------------------------------------


class Source:
    """Python source for an expression tree; ``name`` maps a rule name to its local variable,
    and sub-trees in ``slots`` (by ``ast.dump``) read a precomputed value instead."""

    def __init__(
        self, name: Callable[[str], str], slots: dict[str, str] | None = None, vector=False
    ) -> None:
        self.name, self.slots, self.vector = name, slots or {}, vector
        self.squares = 0

    def __call__(self, node: ast.expr) -> str:
        slot = self.slots.get(ast.dump(node))
        if slot is not None:
            return slot
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Constant):
            return repr(float(node.value))
        if isinstance(node, ast.UnaryOp):
            operand = self(node.operand)
            return f"(-{operand})" if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow) and _is_two(node.right):
                # x² as x·x, numpy's own square: a walrus evaluates x once.
                self.squares += 1
                tmp = f"_sq{self.squares}"
                return f"(({tmp} := {self(node.left)}) * {tmp})"
            if isinstance(node.op, ast.Pow):
                return f"_pow({self(node.left)}, {self(node.right)})"
            return f"({self(node.left)} {_OPS[type(node.op)]} {self(node.right)})"
        if isinstance(node, ast.Call):
            return f"_{node.func.id}({', '.join(self(a) for a in node.args)})"
        if isinstance(node, ast.Compare):
            op = _CMP[type(node.ops[0])]
            return f"({self(node.left)} {op} {self(node.comparators[0])})"
        if isinstance(node, ast.IfExp):
            test, body, orelse = self(node.test), self(node.body), self(node.orelse)
            if self.vector:
                return f"_where({test}, {body}, {orelse})"
            return f"({body} if {test} else {orelse})"
        raise TypeError(f"cannot compile {ast.dump(node)}")  # rule.py refused it already


def _is_two(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 2


def _build(source: str, name: str, functions: dict[str, Any]) -> Callable[..., Any]:
    namespace = {"np": np, **functions}
    exec(compile(source, f"<rule {name}>", "exec"), namespace)  # our own generated text
    return namespace[name]


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
            if squared and child is node.right and _is_two(child):
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


# --- the array form: ufunc calls on scratch arrays -----------------------------------------------


@dataclass
class _Op:
    call: str  # a ufunc name, or "select" (copy the else-value, then the if-value where true)
    args: list[Any]  # ("reg", n) | ("fixed", name) | ("slot", i) | ("const", value)
    out: Any


class ArrayForm:
    """The per-element lines as ufunc calls; ``scratch``/``flags``: float and bool arrays."""

    def __init__(self, reading: Reading, slot_of: dict[str, int]) -> None:
        self.reading, self.slot_of = reading, slot_of
        self.ops: list[_Op] = []
        self.boolean: dict[int, bool] = {}
        self._next = 0
        bound: dict[str, Any] = {n: ("fixed", n) for n in ("p", "g", *reading.rule.state)}
        self.order = state_order(reading.rule)
        for line in reading.element_lines:
            first = len(self.ops)
            result = self._emit(line.expr, bound, line)
            bound[line.target] = self._assign(line, result, bound)
            if bound[line.target][0] == "fixed":
                self._update_early(first, bound[line.target])
        self.scratch, self.flags, self.assigned = self._allocate()
        self.source = self._source()

    def _new(self, boolean: bool = False) -> tuple[str, int]:
        self._next += 1
        self.boolean[self._next] = boolean
        return ("reg", self._next)

    def _emit(self, node: ast.expr, bound: dict[str, Any], line: Line) -> Any:
        key = ast.dump(node)
        if key in self.slot_of and not any(n in line.elements for n in names_in(node)):
            return ("slot", self.slot_of[key])
        if isinstance(node, ast.Name):
            return bound[node.id]
        if isinstance(node, ast.UnaryOp):
            value = self._emit(node.operand, bound, line)
            return self._op("negative", [value]) if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            left = self._emit(node.left, bound, line)
            if isinstance(node.op, ast.Pow) and _is_two(node.right):
                return self._op("multiply", [left, left])
            right = self._emit(node.right, bound, line)
            return self._op(_UFUNC_BINARY[type(node.op)], [left, right])
        if isinstance(node, ast.Call):
            args = [self._emit(a, bound, line) for a in node.args]
            return self._op(_UFUNC_CALL[node.func.id], args)
        if isinstance(node, ast.Compare):
            left = self._emit(node.left, bound, line)
            right = self._emit(node.comparators[0], bound, line)
            return self._op(_UFUNC_CMP[type(node.ops[0])], [left, right], boolean=True)
        if isinstance(node, ast.IfExp):
            test = self._emit(node.test, bound, line)
            body = self._emit(node.body, bound, line)
            orelse = self._emit(node.orelse, bound, line)
            return self._op("select", [test, body, orelse])
        raise TypeError(f"cannot compile {ast.dump(node)}")

    def _op(self, call: str, args: list[Any], boolean: bool = False) -> Any:
        out = self._new(boolean)
        self.ops.append(_Op(call, args, out))
        return out

    def _assign(self, line: Line, result: Any, bound: dict[str, Any]) -> Any:
        """Where the line's value lives from now on: the buffer it assigns, or, for a
        temporary, the register that holds it (a copy, if it would alias a buffer)."""
        target = line.target
        fixed = ("fixed", target) if target == "p" or target in self.reading.rule.state else None
        last = self.ops[-1] if self.ops and self.ops[-1].out == result else None
        if fixed is None:
            if result[0] == "reg":
                return result
            return self._op("copyto", [result])  # a temporary never aliases a buffer
        select_reads_target = last is not None and last.call == "select" and fixed in last.args
        if last is not None and not select_reads_target:
            last.out = fixed  # the line's last operation writes straight into its buffer
        else:
            self.ops.append(_Op("copyto", [result], fixed))
        return fixed

    def _update_early(self, first: int, target: Any) -> None:
        """Write the line's buffer from the operation that last reads its old value on, as
        in-place code does (``v *= momentum`` rather than a scratch): one scratch fewer."""
        ops = self.ops[first:]
        reads = [i for i, op in enumerate(ops) if target in op.args]
        if not reads or reads[-1] == len(ops) - 1:
            return
        op = ops[reads[-1]]
        if op.call == "select" or op.out[0] != "reg":
            return
        old = op.out
        op.out = target
        for later in ops[reads[-1] + 1 :]:
            later.args = [target if a == old else a for a in later.args]

    def _allocate(self) -> tuple[int, int, dict[int, str]]:
        """Physical scratch arrays for the registers: an array is free again after the last
        operation that reads its register, and an operation may write over an input that
        dies there (element-wise ufuncs allow it; a select may only reuse its else-value)."""
        last_read: dict[int, int] = {}
        for i, op in enumerate(self.ops):
            for a in op.args:
                if a[0] == "reg":
                    last_read[a[1]] = i
        free: dict[bool, list[str]] = {False: [], True: []}
        count = {False: 0, True: 0}
        assigned: dict[int, str] = {}
        for i, op in enumerate(self.ops):
            dying = [a[1] for a in op.args if a[0] == "reg" and last_read[a[1]] == i]
            dying = list(dict.fromkeys(dying))
            reusable = dying
            if op.call == "select":  # it copies the else-value first: only that may be overwritten
                reusable = [r for r in dying if op.args[2] == ("reg", r)]
            for r in reusable:
                free[self.boolean[r]].append(assigned[r])
            if op.out[0] == "reg":
                kind = self.boolean[op.out[1]]
                if free[kind]:
                    assigned[op.out[1]] = free[kind].pop()
                else:
                    assigned[op.out[1]] = f"{'_b' if kind else '_s'}{count[kind]}"
                    count[kind] += 1
            for r in dying:
                if r not in reusable:
                    free[self.boolean[r]].append(assigned[r])
        return count[False], count[True], assigned

    def _name(self, operand: Any) -> str:
        kind, value = operand
        if kind == "reg":
            return self.assigned[value]
        if kind == "fixed":
            return value
        return f"_k{value}"

    def _source(self) -> str:
        state = ", ".join(self.order)
        head = f"def run(p, g, {state + ', ' if state else ''}_s, _b, _k):\n"
        body = []
        if self.scratch:
            body.append(f"{''.join(f'_s{i}, ' for i in range(self.scratch))}= _s")
        if self.flags:
            body.append(f"{''.join(f'_b{i}, ' for i in range(self.flags))}= _b")
        if self.slot_of:
            body.append(f"{''.join(f'_k{i}, ' for i in range(len(self.slot_of)))}= _k")
        for op in self.ops:
            args = [self._name(a) for a in op.args]
            out = self._name(op.out)
            if op.call == "select":
                if out != args[2]:  # the else-value may already sit in the output
                    body.append(f"np.copyto({out}, {args[2]})")
                body.append(f"np.copyto({out}, {args[1]}, where={args[0]})")
            elif op.call == "copyto":
                body.append(f"np.copyto({out}, {args[0]})")
            else:
                body.append(f"np.{op.call}({', '.join(args)}, out={out})")
        return head + "".join(f"    {b}\n" for b in body or ["pass"])


# --- the unrolled form: float arithmetic per element ---------------------------------------------


def unrolled_source(reading: Reading, slot_names: dict[str, str], size: int) -> str:
    """``run(p, g, *state, k)`` for parameters of ``size`` elements, as float arithmetic."""
    rule = reading.rule
    arrays = ("p", "g", *rule.state)
    body = [f"{''.join(f'_k{i}, ' for i in range(len(slot_names)))}= _k"] if slot_names else []
    for a in arrays:
        body.append(f"{''.join(f'{a}_{i}_0, ' for i in range(size))}= {a}.tolist()")
    version: dict[str, int] = {}
    finals = []
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
        self.prepare_float = _build(self._float_source, "prepare", FLOAT_FUNCTIONS)
        self.prepare_vector = _build(
            self._vector_source, "prepare", {**NUMPY_FUNCTIONS, "_f": _as_float}
        )
        self.array = ArrayForm(reading, slot_of)
        self.run_arrays = _build(self.array.source, "run", NUMPY_FUNCTIONS)
        self._slot_names = {key: f"_k{i}" for key, i in slot_of.items()}
        self._unrolled: dict[int, Callable[..., None]] = {}
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
            run = self._unrolled[size] = _build(text, "run", FLOAT_FUNCTIONS)
        return run

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

    def stepper(self, opt: Any, items: list[tuple[str, np.ndarray, np.ndarray]]) -> Callable:
        """``opt.update`` for these arrays, checked once (see ``Optimizer.stepper``): per step
        only the float slots and the unrolled arithmetic run; anything else (a float error,
        a parameter too large to unroll) takes ``opt``'s own path for that step."""
        prepare, hypers, carried = self.prepare_float, opt.__dict__, opt.carried
        names, started = self.zero_state, self.started_state
        small = [(k, p, g, self.unrolled(p.size)) for k, p, g in items if _unrollable(p, g)]
        if len(small) != len(items) or opt._shapes:
            return lambda: opt.update({k: p for k, p, _ in items}, {k: g for k, _, g in items})
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


def state_order(rule: Any) -> tuple[str, ...]:
    """The order the generated code takes the state buffers in: those starting at 0 first
    (fetched in one call), then those with a start of their own."""
    return tuple(n for n in rule.state if n not in rule.starts) + tuple(
        n for n in rule.state if n in rule.starts
    )


def _unrollable(p: np.ndarray, g: np.ndarray) -> bool:
    return p.ndim == 1 and p.size <= MAX_UNROLLED and p.dtype == np.float64 == g.dtype


def _as_float(value: Any) -> Any:
    return np.asarray(value, dtype=float)


def _build_expression(tree: ast.expr) -> Callable[[dict], Any]:
    """An expression of a dict of values with numpy arithmetic (starts, glyph rates)."""
    text = Source(lambda n: f"env[{n!r}]", vector=True)(tree)
    run = _build(f"def value(env):\n    return {text}\n", "value", NUMPY_FUNCTIONS)

    def value(env: dict[str, Any]) -> Any:
        with np.errstate(all="ignore"):
            return run(env)

    return value
