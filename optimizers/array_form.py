"""The array form of a rule: each operation one ufunc call with ``out=``, on scratch arrays
reused as soon as their values are dead, and each line's last operation writing straight into
the buffer the line assigns (see :mod:`optimizers.compile`)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from optimizers.emit import is_two
from optimizers.rule import Line, Reading, names_in

_UFUNC_BINARY = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide"}
_UFUNC_BINARY |= {ast.Pow: "power"}
_UFUNC_CMP = {ast.Gt: "greater", ast.Lt: "less", ast.GtE: "greater_equal", ast.LtE: "less_equal"}
_UFUNC_CALL = {"sqrt": "sqrt", "sign": "sign", "abs": "absolute", "maximum": "maximum"}
_UFUNC_CALL |= {"minimum": "minimum", "clip": "clip"}


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
            if isinstance(node.op, ast.Pow) and is_two(node.right):
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


def state_order(rule: Any) -> tuple[str, ...]:
    """The order the generated code takes the state buffers in: those starting at 0 first
    (fetched in one call), then those with a start of their own."""
    return tuple(n for n in rule.state if n not in rule.starts) + tuple(
        n for n in rule.state if n in rule.starts
    )
