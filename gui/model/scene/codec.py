"""Scene text: parse JSON defensively (size, constants, duplicates, depth), dump it stably."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from typing import Any

from gui.model.scene.readers import MAX_DEPTH, SceneError
from gui.model.scene.schema import validate

MAX_BYTES = 4 * 1024 * 1024  # a scene is a few kB; anything near this is not one of ours


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a scene file; size is checked before anything is parsed."""
    try:
        with open(path, "rb") as f:
            # Read one byte past the cap rather than trusting stat: a pipe or /dev/zero has no size.
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise SceneError(f"{os.fspath(path)}: cannot read ({reason})") from exc
    return loads(data)


def loads(data: bytes | str) -> dict[str, Any]:
    """Parse and validate a scene; returns it complete (defaults filled in) and normalised."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise SceneError(f"file: larger than {MAX_BYTES // (1024 * 1024)} MB, not a scene file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SceneError(f"file: not UTF-8 text (byte {exc.start})") from None
    try:
        raw = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_short_int,
            object_pairs_hook=_unique_keys,
        )
    except SceneError:
        raise
    except RecursionError:
        raise SceneError(f"file: nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise SceneError(
            f"file: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return validate(raw)


def _refuse_constant(name: str) -> float:
    raise SceneError(f"file: {name} is not a number a scene may contain (numbers must be finite)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SceneError(f"file: {text[:40]} is not a finite number")
    return value


def _short_int(text: str) -> int:
    # Python would refuse past 4300 digits with a message about sys.set_int_max_str_digits;
    # no field of a scene needs more than 19.
    if len(text) > 40:
        raise SceneError(f"file: a number with {len(text)} digits is not one a scene may contain")
    return int(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise SceneError(f"file: the key {key[:40]!r} appears twice in one object")
        out[key] = value
    return out


def dumps(scene: Mapping[str, Any]) -> str:
    """The file text: stable key order, full float precision (repr), a final newline."""
    return json.dumps(scene, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
