"""What persists between runs: the window's geometry and the last scene, as one JSON string.

The scene is the session file format (``gui.model.scene``) plus the playback speed:
``{"scene": {...}, "speed": 5}``. Whatever is stored is validated on load; on any problem
(corrupt JSON, wrong types, an optimizer that no longer exists, a value the model refuses) the
book scene comes back instead, silently: a bad settings file must never keep the app from starting.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore

from gui.model import Session, book_scene, scene
from gui.playback import MAX_SPEED

ENV = "OPTIMIZER_PLAYGROUND_SETTINGS"  # a path to an ini file, used instead of the user's store
SCENE_KEY = "scene"
GEOMETRY_KEY = "geometry"


def scene_to_json(session: Session, speed: int, view: Sequence[float] | None = None) -> str:
    data = scene.to_scene(session, view)
    # The race restarts from step 0: replaying a stored ten-million-step race would make the
    # window take minutes to open.
    data["step"] = 0
    return json.dumps({"scene": data, "speed": int(speed)})


def scene_from_json(text: Any) -> tuple[Session, int, list[float] | None]:
    """The session, speed and map view stored in ``text``; raises on anything not valid."""
    stored = json.loads(text)
    if not isinstance(stored, dict):
        raise TypeError(f"Expected an object, got {type(stored).__name__}")
    speed = stored.get("speed")
    if isinstance(speed, bool) or not isinstance(speed, int) or not 1 <= speed <= MAX_SPEED:
        raise ValueError(f"Invalid speed: {speed!r}")
    session, view = scene.build(stored["scene"])
    return session, speed, view


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

    def load_scene(self) -> tuple[Session, int, list[float] | None]:
        """The stored session, speed and view, or the book scene at speed 1 (and the surface's
        own frame) if there is none or it is not valid."""
        text = self.qsettings.value(SCENE_KEY)
        if isinstance(text, str):
            try:
                return scene_from_json(text)
            except Exception:  # any problem at all: start with the book, never crash at startup
                pass
        return book_scene(), 1, None

    def save_scene(self, session: Session, speed: int, view: Sequence[float] | None) -> None:
        self.qsettings.setValue(SCENE_KEY, scene_to_json(session, speed, view))

    def geometry(self) -> QtCore.QByteArray | None:
        value = self.qsettings.value(GEOMETRY_KEY)
        return value if isinstance(value, QtCore.QByteArray) else None

    def save_geometry(self, geometry: QtCore.QByteArray) -> None:
        self.qsettings.setValue(GEOMETRY_KEY, geometry)

    def sync(self) -> None:
        self.qsettings.sync()
