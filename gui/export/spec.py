"""The render command's scene arguments: ``--optimizers sgd,momentum:lr=0.002`` and friends.

Whatever the command line says becomes a scene dict and goes through the same validation as a
session file, so the command line cannot express a racer that a file could not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from gui.model.scene import FORMAT, VERSION, SceneError, validate
from gui.model.session import PALETTE
from optimizers import REGISTRY

MAX_SPEC = 4000  # characters; a long racer list is still far shorter
MAX_FRAMES = 600  # GIF frames are kept in memory until the end (Pillow writes them at once)
MAX_SIDE = 8192  # pixels; beyond this an image needs gigabytes and no slide needs it


def parse_numbers(text: str, count: int, what: str) -> list[float]:
    """``"-7,2"`` → [-7.0, 2.0]; NaN and infinities are refused here, not deep in the model."""
    parts = text.split(",")
    if len(parts) != count:
        raise ValueError(f"{what}: expected {count} numbers separated by commas, got {text!r}")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not {count} numbers") from None
    if not all(v - v == 0 for v in values):  # false for nan and ±inf
        raise ValueError(f"{what}: {text!r} must be finite numbers")
    return values


def parse_racers(spec: str) -> list[dict[str, Any]]:
    """``sgd,momentum:lr=0.002,adam:lr=0.05:beta1=0.8`` → racer entries of a scene.

    A racer whose optimizer appears more than once is labelled with its settings, so the legend
    can tell ``Adam (lr=0.1)`` from ``Adam (lr=0.01)``.
    """
    if len(spec) > MAX_SPEC:
        raise ValueError(f"--optimizers: longer than {MAX_SPEC} characters")
    items = [item.strip() for item in spec.split(",")]
    if not all(items):
        raise ValueError(f"--optimizers: empty entry in {spec!r} (write e.g. sgd,adam:lr=0.1)")
    keys = [item.split(":", 1)[0].strip() for item in items]
    racers = []
    for n, (item, key) in enumerate(zip(items, keys, strict=True)):
        where = f"--optimizers entry {n + 1} ({item!r})"
        if key not in REGISTRY:
            raise ValueError(f"{where}: unknown optimizer {key!r}; known: {', '.join(REGISTRY)}")
        hyper: dict[str, float] = {}
        for setting in item.split(":")[1:]:
            match = re.fullmatch(r"\s*(\w+)\s*=\s*(\S+)\s*", setting)
            if not match:
                raise ValueError(f"{where}: {setting!r} is not name=value")
            (value,) = parse_numbers(match[2], 1, f"{where}: {match[1]}")
            hyper[match[1]] = value
        title = REGISTRY[key].title
        shown = ", ".join(f"{k}={v:g}" for k, v in hyper.items())
        label = f"{title} ({shown})" if keys.count(key) > 1 and shown else title
        racers.append(
            {"optimizer": key, "label": label, "color": PALETTE[n % len(PALETTE)], "hyper": hyper}
        )
    return racers


def scene_from_args(
    surface: dict[str, Any], start: list[float] | None, spec: str, steps: int
) -> dict[str, Any]:
    """A validated scene from ``--surface``/``--formula``, ``--start`` and ``--optimizers``."""
    racers = parse_racers(spec)
    scene: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "surface": surface,
        "racers": racers,
        "step": steps,
        "step_limit": max(steps, 1),
    }
    if start is not None:
        scene["start"] = start
    try:
        return validate(scene)
    except SceneError as exc:
        # "racers[1].hyper.lr: …" means the second entry of --optimizers to the person typing.
        text = str(exc)
        match = re.match(r"racers\[(\d+)\]\.(.*)", text, re.S)
        if match:
            n = int(match[1])
            text = f"--optimizers entry {n + 1} ({spec.split(',')[n].strip()!r}): {match[2]}"
        elif text.startswith("surface"):
            text = f"--surface/--formula: {text}"
        raise SceneError(text) from None


def check_size(size: Sequence[int], what: str = "size") -> tuple[int, int]:
    width, height = (int(v) for v in size)
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise ValueError(f"{what}: {width}x{height} (each side must be in [16, {MAX_SIDE}])")
    return width, height


def parse_size(text: str, what: str = "--size") -> tuple[int, int]:
    """``"1920x1080"`` → (1920, 1080); ``×`` and ``X`` work too."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[x×X]\s*(\d{1,6})\s*", text)
    if not match:
        raise ValueError(f"{what}: {text!r} is not WIDTHxHEIGHT (e.g. 1920x1080)")
    return check_size((int(match[1]), int(match[2])), what)
