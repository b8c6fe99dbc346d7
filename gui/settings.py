"""What persists between runs: the window's geometry and the last scene, as one JSON string.

Whatever is stored is validated on load; on any problem (corrupt JSON, wrong types, an optimizer
that no longer exists, a value the model refuses) the book scene comes back instead, silently:
a bad settings file must never keep the app from starting.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from PySide6 import QtCore

import surfaces
from gui.model import Session, book_scene
from gui.playback import MAX_SPEED

ENV = "OPTIMIZER_PLAYGROUND_SETTINGS"  # a path to an ini file, used instead of the user's store
SCENE_KEY = "scene"
GEOMETRY_KEY = "geometry"
VERSION = 1
COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def scene_to_json(session: Session, speed: int) -> str:
    surface = session.surface
    scene = {
        "version": VERSION,
        "surface": {"key": surface.key, "formula": surface.formula, "values": dict(surface.values)},
        "start": list(session.start),
        "racers": [
            {
                "optimizer": r.optimizer,
                "hyper": r.hyper,
                "color": r.color,
                "label": r.label,
                "enabled": r.enabled,
                "noise": r.noise,
                "seed": r.seed,
            }
            for r in session.racers
        ],
        "step_limit": session.step_limit,
        "speed": speed,
    }
    return json.dumps(scene)


def scene_from_json(text: str) -> tuple[Session, int]:
    """The session and speed stored in ``text``; raises on anything that is not a valid scene."""
    scene = _typed(json.loads(text), dict)
    if scene.get("version") != VERSION:
        raise ValueError(f"Unknown scene version {scene.get('version')!r}")
    spec = _typed(scene["surface"], dict)
    formula = spec.get("formula")
    if formula is not None:
        surface = surfaces.from_formula(_typed(formula, str))
    else:
        surface = surfaces.SURFACES[_typed(spec["key"], str)]
    values = {_typed(k, str): _number(v) for k, v in _typed(spec.get("values", {}), dict).items()}
    if values:
        surface = surface.with_values(**values)
    session = Session(surface)
    x, y = (_number(v) for v in _typed(scene["start"], list))
    session.set_start(x, y)
    for item in _typed(scene["racers"], list):
        item = _typed(item, dict)
        hyper = {_typed(k, str): _number(v) for k, v in _typed(item["hyper"], dict).items()}
        color = _typed(item["color"], str)
        if not COLOR.fullmatch(color):
            raise ValueError(f"Invalid colour {color!r}")
        racer = session.add_racer(
            _typed(item["optimizer"], str), label=_typed(item["label"], str), color=color, **hyper
        )
        noise = _number(item.get("noise", 0.0))
        if noise:
            session.set_noise(racer.id, noise, seed=_integer(item.get("seed", 0)))
        if not _typed(item.get("enabled", True), bool):
            session.set_enabled(racer.id, False)
    session.set_step_limit(_integer(scene["step_limit"]))
    speed = _integer(scene.get("speed", 1))
    if not 1 <= speed <= MAX_SPEED:
        raise ValueError(f"Invalid speed: {speed}")
    return session, speed


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"Expected {kind.__name__}, got {type(value).__name__}")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"Expected a finite number, got {value!r}")
    return float(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Expected an integer, got {value!r}")
    return value


class SettingsStore:
    """The QSettings behind the app: an ini file at ``path`` (or at
    ``$OPTIMIZER_PLAYGROUND_SETTINGS``), else the user's own store."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        path = path or os.environ.get(ENV)
        fmt = QtCore.QSettings.Format.IniFormat
        if path:
            self.qsettings = QtCore.QSettings(str(path), fmt)
        else:
            scope = QtCore.QSettings.Scope.UserScope
            self.qsettings = QtCore.QSettings(
                fmt, scope, "OptimizerPlayground", "optimizer-playground"
            )

    def load_scene(self) -> tuple[Session, int]:
        """The stored scene, or the book scene (speed 1) if there is none or it is not valid."""
        text = self.qsettings.value(SCENE_KEY)
        if isinstance(text, str):
            try:
                return scene_from_json(text)
            except Exception:  # any problem at all: start with the book, never crash at startup
                pass
        return book_scene(), 1

    def save_scene(self, session: Session, speed: int) -> None:
        self.qsettings.setValue(SCENE_KEY, scene_to_json(session, speed))

    def geometry(self) -> QtCore.QByteArray | None:
        value = self.qsettings.value(GEOMETRY_KEY)
        return value if isinstance(value, QtCore.QByteArray) else None

    def save_geometry(self, geometry: QtCore.QByteArray) -> None:
        self.qsettings.setValue(GEOMETRY_KEY, geometry)

    def sync(self) -> None:
        self.qsettings.sync()
