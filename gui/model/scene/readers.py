"""Typed readers for scene fields: each refuses a bad value with the field's path in the message."""

from __future__ import annotations

import math
import re
from typing import Any


class SceneError(ValueError):
    """A scene (file, preset or dict) that cannot be used; the message names the field."""


MAX_DEPTH = 8  # the deepest real field is racers[i].hyper.lr or .extra.x: depth 4
MAX_ENTRIES = 64  # no object in a scene has more keys than this


def fields(raw: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    found = mapping(raw, where)
    unknown = sorted(set(found) - required - optional)
    if unknown:
        prefix = "" if where == "scene" else f"{where}."
        raise SceneError(f"{prefix}{field_name(unknown[0])}: unknown field")
    missing = sorted(required - set(found))
    if missing:
        prefix = "" if where == "scene" else f"{where}."
        raise SceneError(f"{prefix}{missing[0]}: missing")
    return found


def mapping(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise SceneError(f"{where}: expected an object, got {kind(raw)}")
    if len(raw) > MAX_ENTRIES:
        raise SceneError(f"{where}: {len(raw)} entries is more than any scene field has")
    return raw


def number(raw: Any, where: str, low: float = -math.inf) -> float:
    # bool is an int in Python; true as a learning rate is a mistake, not 1.0.
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise SceneError(f"{where}: expected a number, got {kind(raw)}")
    try:
        value = float(raw)
    except OverflowError:  # an integer literal too large for a float
        raise SceneError(f"{where}: {short(raw, 40)} is not a finite number") from None
    if not math.isfinite(value):
        raise SceneError(f"{where}: {value!r} is not a finite number")
    if value < low:
        raise SceneError(f"{where}: {value!r} must be >= {low:g}")
    return value


def integer(raw: Any, where: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise SceneError(f"{where}: expected a whole number, got {kind(raw)}")
    if not low <= raw <= high:
        raise SceneError(f"{where}: {short(raw)} is out of range (must be in [{low}, {high}])")
    return raw


def text(raw: Any, where: str, limit: int) -> str:
    if not isinstance(raw, str):
        raise SceneError(f"{where}: expected text, got {kind(raw)}")
    if len(raw) > limit:
        raise SceneError(f"{where}: {len(raw)} characters, at most {limit} are allowed")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: it could not be saved again
        raise SceneError(f"{where}: not valid Unicode text") from None
    return raw


def point(raw: Any, where: str) -> list[float]:
    if not isinstance(raw, list) or len(raw) != 2:
        raise SceneError(f"{where}: expected [x, y], got {kind(raw)}")
    return [number(v, f"{where}[{i}]") for i, v in enumerate(raw)]


def bounds(raw: Any, where: str) -> list[float]:
    if not isinstance(raw, list) or len(raw) != 4:
        raise SceneError(f"{where}: expected [xmin, xmax, ymin, ymax], got {kind(raw)}")
    xmin, xmax, ymin, ymax = (number(v, f"{where}[{i}]") for i, v in enumerate(raw))
    if not (xmin < xmax and ymin < ymax):
        raise SceneError(f"{where}: needs xmin < xmax and ymin < ymax")
    return [xmin, xmax, ymin, ymax]


def check_depth(raw: Any) -> None:
    # An explicit stack, so a deep dict built in Python (not parsed) cannot hit the recursion limit.
    stack = [(raw, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise SceneError(f"file: nested deeper than {MAX_DEPTH} levels")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def kind(raw: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "a boolean", type(None): "null"}
    return names.get(type(raw), "a number" if isinstance(raw, int | float) else type(raw).__name__)


def field_name(key: str) -> str:
    """A key as it appears in a field path: bare when it is a plain name, quoted otherwise."""
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", key) else short(key, 40)


def short(raw: Any, limit: int = 60) -> str:
    shown = repr(raw)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
