"""An optimizer's update rule as the lines a student reads: ``target ← expression``, in order.

The lines are the single source of an element-wise optimizer's step: :mod:`optimizers.compile`
turns them into the code that runs, the explain panel shows and evaluates them, and the class's
docstring prints them. This module reads them: it parses each line, refuses anything outside a
small whitelist with a message naming the line, and sorts the lines into the ones that depend on
the parameters (run per element) and the ones that do not (run once per update).

Names a line may read: the optimizer's hyperparameters, ``t`` (the update count, from 1), ``g``
(the gradient), ``p`` (the parameter), the rule's ``state`` buffers (kept between updates, one
per parameter element), its ``carried`` scalars (kept between updates, one per optimizer, like
NAdam's running product), and the temporaries assigned by the lines above. Functions: ``sqrt``,
``sign``, ``abs``, ``maximum``, ``minimum``, ``clip``; ``a if x > b else c`` chooses per element.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FUNCTIONS = {"sqrt": 1, "sign": 1, "abs": 1, "maximum": 2, "minimum": 2, "clip": 3}
ARROW = "←"
_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_COMPARE = (ast.Gt, ast.Lt, ast.GtE, ast.LtE)


@dataclass(frozen=True)
class Rule:
    """``lines``: the update, top to bottom; a line sees what the lines above assigned.
    ``state``: buffers kept between updates, starting at 0 unless ``starts`` gives an
    expression of the hyperparameters (Rprop's step starts at lr). ``carried``: scalars kept
    between updates, by name, with their starting value's expression. ``rate``: the glyph's
    per-axis effective learning rate as an expression, for optimizers that draw one.
    ``symbols``: HTML for names whose default reading would mislead."""

    lines: tuple[str, ...]
    state: tuple[str, ...] = ()
    starts: Mapping[str, str] = field(default_factory=dict)
    carried: Mapping[str, str] = field(default_factory=dict)
    rate: str = ""
    symbols: Mapping[str, str] = field(default_factory=dict)


class RuleError(ValueError):
    """A rule that cannot be compiled; the message names the line."""


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, for messages
    text: str
    target: str
    expr: ast.expr
    per_element: bool  # reads g, p, a state buffer or a per-element temporary
    elements: frozenset[str]  # the names holding one value per element when the line runs


@dataclass(frozen=True)
class Reading:
    """A rule read and checked against an optimizer's hyperparameter names."""

    rule: Rule
    hypers: tuple[str, ...]
    lines: tuple[Line, ...]
    elements: frozenset[str]  # names holding one value per parameter element

    @property
    def scalar_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if not line.per_element)

    @property
    def element_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.per_element)


def parse_line(text: str, number: int = 1) -> tuple[str, ast.expr]:
    """``(target, expression tree)`` of one ``target ← expression`` line, whitelist checked."""
    target, arrow, source = text.partition(ARROW)
    target = target.strip()
    if not arrow or not target.isidentifier():
        raise RuleError(f"line {number} {text!r}: expected 'name {ARROW} expression'")
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise RuleError(f"line {number} {text!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        _check_node(node, text, number)
    return target, tree


def _check_node(node: ast.AST, text: str, number: int) -> None:
    where = f"line {number} {text!r}"
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, _BINARY):
            raise RuleError(f"{where}: operator {type(node.op).__name__} is not allowed")
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise RuleError(f"{where}: operator {type(node.op).__name__} is not allowed")
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            shown = name or ast.unparse(node.func)
            raise RuleError(f"{where}: unknown function {shown!r}; known: {sorted(FUNCTIONS)}")
        if node.keywords or len(node.args) != FUNCTIONS[name]:
            raise RuleError(f"{where}: {name} takes {FUNCTIONS[name]} positional argument(s)")
    elif isinstance(node, ast.Compare):
        if len(node.ops) != 1 or not isinstance(node.ops[0], _COMPARE):
            raise RuleError(f"{where}: only one comparison (<, >, <=, >=) at a time")
    elif isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise RuleError(f"{where}: constant {node.value!r} is not a number")
    elif not isinstance(
        node, ast.Name | ast.IfExp | ast.expr_context | ast.operator | ast.unaryop | ast.cmpop
    ):
        raise RuleError(f"{where}: {type(node).__name__} is not allowed in a rule")
    if isinstance(node, ast.IfExp) and not isinstance(node.test, ast.Compare):
        raise RuleError(f"{where}: the test of 'a if x > b else c' is a comparison")
    if isinstance(node, ast.Compare | ast.IfExp):
        return
    for child in ast.iter_child_nodes(node):  # a comparison may only be an if's test
        if isinstance(child, ast.Compare):
            raise RuleError(f"{where}: a comparison may only be the test of 'a if x > b else c'")


def names_in(tree: ast.AST) -> list[str]:
    """The names a tree reads (function names excluded), in evaluation order."""
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls]


def read(rule: Rule, hypers: Iterable[str]) -> Reading:
    """Parse and check ``rule`` for an optimizer with these hyperparameter names."""
    hypers = tuple(hypers)
    fixed = set(hypers) | {"t", "g", "p"}
    for name in (*rule.state, *rule.carried):
        if name in fixed:
            raise RuleError(f"state or carried name {name!r} is already a hyperparameter or t/g/p")
    for name, start in {**rule.starts, **rule.carried}.items():
        if name in rule.starts and name not in rule.state:
            raise RuleError(f"a start is given for {name!r}, which is not a state buffer")
        bad = set(names_in(parse_line(f"{name} {ARROW} {start}")[1])) - set(hypers)
        if bad:
            raise RuleError(f"the start of {name!r} reads {sorted(bad)}: only hyperparameters")
    elements = {"g", "p", *rule.state}
    known = fixed | set(rule.state) | set(rule.carried)
    lines = []
    for number, text in enumerate(rule.lines, 1):
        target, tree = parse_line(text, number)
        reads = names_in(tree)
        unknown = [n for n in reads if n not in known]
        if unknown:
            raise RuleError(f"line {number} {text!r}: unknown name {unknown[0]!r}")
        if target.startswith("_"):
            raise RuleError(f"line {number} {text!r}: names starting with '_' are reserved")
        if target in set(hypers) | {"t", "g"}:
            raise RuleError(f"line {number} {text!r}: {target!r} cannot be assigned")
        seen = frozenset(elements)
        per_element = any(n in elements for n in reads) or target in {"p", *rule.state}
        if target in rule.carried and per_element:
            raise RuleError(f"line {number} {text!r}: carried scalar {target!r} reads an array")
        if target in known - fixed and (target in elements) != per_element:
            kind = "per element" if target in elements else "a scalar"
            raise RuleError(f"line {number} {text!r}: {target!r} was {kind} above; use a new name")
        if per_element:
            elements.add(target)
        known.add(target)
        lines.append(Line(number, text, target, tree, per_element, seen))
    _check_order(lines, rule)
    return Reading(rule, hypers, tuple(lines), frozenset(elements))


def _check_order(lines: list[Line], rule: Rule) -> None:
    """Scalar lines run first, once per update: refuse a rule where that would change what a
    per-element line reads (a scalar it reads is assigned again below it)."""
    for i, line in enumerate(lines):
        if not line.per_element:
            continue
        for later in lines[i + 1 :]:
            if not later.per_element and later.target in names_in(line.expr):
                raise RuleError(
                    f"line {later.number} {later.text!r}: reassigns {later.target!r}, which "
                    f"line {line.number} reads per element above it; move it up"
                )
    targets = [line.target for line in lines]
    for name in rule.state:
        if name not in targets:
            raise RuleError(f"state buffer {name!r} is never assigned")


def rule_of(cls: type) -> Rule:
    """The rule an optimizer class runs (``rule``), or shows without running it
    (``equations``: Newton's 2×2 solve is not element-wise, so its step is written by hand)."""
    for name in ("rule", "equations"):
        own = getattr(cls, name, None)
        if isinstance(own, Rule):
            return own
    raise ValueError(f"{cls.__name__} declares no equations")


def pretty(line: str) -> str:
    """A line as the docstring prints it: ``√`` for sqrt, ``·`` for products, ``²``."""
    text = line.replace("**2", "²").replace("**", "^").replace("sqrt(", "√(").replace("*", "·")
    return text.replace(" - ", " − ")
