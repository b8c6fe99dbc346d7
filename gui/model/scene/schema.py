"""The scene schema, format 1: what each field may hold, checked one field at a time."""

from __future__ import annotations

import math
import re
from typing import Any

from gui.model.scene.readers import (
    SceneError,
    bounds,
    check_depth,
    field_name,
    fields,
    integer,
    kind,
    mapping,
    number,
    point,
    short,
    text,
)
from gui.model.schedules import SCHEDULES, constant, normalised
from gui.model.session import DEFAULT_STEP_LIMIT, MAX_STEP_LIMIT, PALETTE
from optimizers import REGISTRY
from optimizers.registry import lookup
from optimizers.torch_bridge import is_torch_key
from surfaces import SURFACES, FormulaError, Surface, from_formula

FORMAT = "optimizer-playground-session"
VERSION = 1
MAX_RACERS = 32  # far beyond what a map can show legibly; stops a file asking for 10^9
MAX_TEXT = 200  # labels and text in extra
MAX_FORMULA = 2000
MAX_SEED = 2**63 - 1
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
TOP_OPTIONAL = {"start", "step", "step_limit", "view", "network", "colormap"}
# The map's colour maps (drawn by gui/colormaps.py); a scene may name the one it was seen in.
COLORMAPS = ("viridis", "cividis", "magma", "greys", "muted")
RACER_OPTIONAL = {"label", "color", "hyper", "enabled", "noise", "seed", "extra", "schedule"}


def validate(raw: Any) -> dict[str, Any]:
    """Check every field of a scene dict; returns a complete, normalised copy."""
    check_depth(raw)
    top = fields(raw, "scene", {"format", "version", "surface", "racers"}, TOP_OPTIONAL)
    if top["format"] != FORMAT:
        raise SceneError(f"format: {short(top['format'])} is not {FORMAT!r}")
    version = integer(top["version"], "version", 1, 10**6)
    if version != VERSION:
        raise SceneError(f"version: {version} is not supported (this app reads version {VERSION})")
    surface_dict, surface = _surface(top["surface"])
    start = point(top.get("start", list(surface.start)), "start")
    limit = integer(top.get("step_limit", DEFAULT_STEP_LIMIT), "step_limit", 1, MAX_STEP_LIMIT)
    step = integer(top.get("step", 0), "step", 0, limit)
    racers = top["racers"]
    if not isinstance(racers, list):
        raise SceneError(f"racers: expected a list, got {kind(racers)}")
    if len(racers) > MAX_RACERS:
        raise SceneError(f"racers: {len(racers)} racers, at most {MAX_RACERS} are allowed")
    view = top.get("view")
    if view is not None:
        view = bounds(view, "view")
    out = {
        "format": FORMAT,
        "version": VERSION,
        "surface": surface_dict,
        "start": start,
        "racers": [_racer(r, f"racers[{i}]", i) for i, r in enumerate(racers)],
        "step": step,
        "step_limit": limit,
        "view": view,
    }
    if "colormap" in top:  # optional: files written before it existed leave it out
        name = text(top["colormap"], "colormap", 40)
        if name not in COLORMAPS:
            raise SceneError(
                f"colormap: unknown colour map {short(name)}; known: {', '.join(COLORMAPS)}"
            )
        out["colormap"] = name
    if "network" in top:  # the network race (gui.model.scene.network); absent in older files
        from gui.model.scene.network import validate_network

        out["network"] = validate_network(top["network"], _racer)
    return out


def _surface(raw: Any) -> tuple[dict[str, Any], Surface]:
    given = fields(raw, "surface", set(), {"key", "formula", "bounds", "values"})
    if ("key" in given) == ("formula" in given):
        raise SceneError("surface: give either a catalogue 'key' or a 'formula' with 'bounds'")
    if "key" in given:
        key = text(given["key"], "surface.key", 100)
        if "bounds" in given:
            raise SceneError("surface.bounds: only a formula takes bounds")
        if key not in SURFACES:
            raise SceneError(
                f"surface.key: unknown surface {short(key)}; known: {', '.join(SURFACES)}"
            )
        surface = SURFACES[key]
        out: dict[str, Any] = {"key": key}
    else:
        formula = text(given["formula"], "surface.formula", MAX_FORMULA)
        if "bounds" not in given:
            raise SceneError("surface.bounds: a formula needs bounds [xmin, xmax, ymin, ymax]")
        frame = bounds(given["bounds"], "surface.bounds")
        try:
            surface = from_formula(formula, tuple(frame))
        except FormulaError as exc:
            raise SceneError(f"surface.formula: {exc}") from None
        out = {"formula": formula, "bounds": frame}
    specs = {p.name: p for p in surface.params}
    values = {}
    for name, value in mapping(given.get("values", {}), "surface.values").items():
        where = f"surface.values.{field_name(name)}"
        if name not in specs:
            raise SceneError(f"{where}: this surface has no such parameter")
        try:
            values[name] = specs[name].check(number(value, where))
        except ValueError as exc:
            raise SceneError(f"{where}: {exc}") from None
    surface = surface.with_values(**values)
    out["values"] = dict(surface.values)
    return out, surface


def _racer(raw: Any, where: str, index: int) -> dict[str, Any]:
    given = fields(raw, where, {"optimizer"}, RACER_OPTIONAL)
    key = text(given["optimizer"], f"{where}.optimizer", 100)
    try:
        cls = lookup(key)  # a PyTorch class from a file only from the three known packages
    except ValueError as exc:
        known = f"unknown optimizer {short(key)}; known: {', '.join(REGISTRY)}"
        raise SceneError(f"{where}.optimizer: {exc if is_torch_key(key) else known}") from None
    specs = {h.name: h for h in cls.hyperparams}
    hyper = {h.name: float(h.default) for h in cls.hyperparams}
    for name, raw_value in mapping(given.get("hyper", {}), f"{where}.hyper").items():
        field = f"{where}.hyper.{field_name(name)}"
        if name not in specs:
            raise SceneError(
                f"{field}: {key} has no such hyperparameter; it has {', '.join(specs)}"
            )
        value = number(raw_value, field)
        try:
            specs[name].check(value)
        except ValueError:
            interval = specs[name].interval()
            raise SceneError(
                f"{field}: {value!r} is not a valid {name} (must be in {interval})"
            ) from None
        hyper[name] = value
    try:
        cls(**hyper)  # the optimizer's cross-field checks (e.g. Nesterov needs momentum > 0)
    except (TypeError, ValueError) as exc:
        raise SceneError(f"{where}.hyper: {exc}") from None
    color = text(given.get("color", PALETTE[index % len(PALETTE)]), f"{where}.color", 40)
    if not COLOR.fullmatch(color):
        raise SceneError(f"{where}.color: {short(color)} is not a colour like '#1f77b4'")
    label = text(given.get("label", cls.title), f"{where}.label", MAX_TEXT).strip()
    if not label:
        raise SceneError(f"{where}.label: must not be empty")
    enabled = given.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SceneError(f"{where}.enabled: expected true or false, got {kind(enabled)}")
    extra = mapping(given.get("extra", {}), f"{where}.extra")
    for name, value in extra.items():
        if not _plain(value):
            raise SceneError(
                f"{where}.extra.{field_name(name)}: only finite numbers, booleans and short text"
            )
    return {
        "optimizer": key,
        "label": label,
        "color": color,
        "hyper": hyper,
        "enabled": enabled,
        "noise": number(given.get("noise", 0.0), f"{where}.noise", low=0.0),
        "seed": integer(given.get("seed", 0), f"{where}.seed", 0, MAX_SEED),
        "extra": dict(extra),
        "schedule": _schedule(given.get("schedule", constant()), f"{where}.schedule"),
    }


def _schedule(raw: Any, where: str) -> dict[str, Any]:
    """A learning-rate schedule, ``{"key": "cosine", "params": {"steps": 500.0}}``, completed
    with its defaults (see ``gui.model.schedules``)."""
    given = fields(raw, where, {"key"}, {"params"})
    key = text(given["key"], f"{where}.key", 100)
    if key not in SCHEDULES:
        raise SceneError(
            f"{where}.key: unknown schedule {short(key)}; known: {', '.join(SCHEDULES)}"
        )
    params = {
        name: number(value, f"{where}.params.{field_name(name)}")
        for name, value in mapping(given.get("params", {}), f"{where}.params").items()
    }
    try:
        return normalised(key, params)
    except ValueError as exc:
        raise SceneError(f"{where}.params: {exc}") from None


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str) and len(value) <= MAX_TEXT
