"""What persists between runs: the window's geometry and the last scene, as one JSON string.

The scene is the session file format (``gui.model.scene``) plus the playback speed:
``{"scene": {...}, "speed": 5}``. Whatever is stored is validated on load; on any problem
(corrupt JSON, wrong types, an optimizer that no longer exists, a value the model refuses, a file
that is not an ini file at all) the book scene comes back instead: a bad settings file must never
keep the app from starting. Such a file is then left exactly as it is (the user may want to
repair it, or it was written by a newer version): that run keeps its settings in memory, and
:attr:`SettingsStore.problem` says what happened, for the window to show.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore

from gui.model import Session, book_scene, scene
from gui.playback import MAX_SPEED

ENV = "OPTIMIZER_PLAYGROUND_SETTINGS"  # a path to an ini file, used instead of the user's store
SCENE_KEY = "scene"
GEOMETRY_KEY = "geometry"
APP_KEY = re.compile(r"[A-Za-z][\w/.-]*\Z")  # keys this app writes; garbage parses to others


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
        self.problem: str | None = None  # why the file on disk is left alone, if it is

    def load_scene(self) -> tuple[Session, int, list[float] | None]:
        """The stored session, speed and view, or the book scene at speed 1 (and the surface's
        own frame) if there is none or it is not valid."""
        text = self.qsettings.value(SCENE_KEY)
        if text is None and not self._foreign():
            return book_scene(), 1, None  # nothing saved yet
        try:
            return scene_from_json(text)
        except Exception as exc:  # any problem at all: start with the book, never crash at startup
            self._set_aside(str(exc) if text is not None else "not a settings file")
        return book_scene(), 1, None

    def _foreign(self) -> bool:
        """Whether the file holds something this app did not write (QSettings reads any bytes
        as an ini file, and would overwrite them all on the next save)."""
        try:
            size = os.path.getsize(self.qsettings.fileName())
        except OSError:
            return False
        keys = self.qsettings.allKeys()
        unknown = not keys or not all(APP_KEY.match(k) for k in keys)
        return size > 0 and (unknown or self.qsettings.status() != QtCore.QSettings.Status.NoError)

    def _set_aside(self, reason: str) -> None:
        path = self.qsettings.fileName()
        if len(reason) > 160:
            reason = reason[:160] + "…"
        self.problem = (
            f"Could not read the saved settings in {path} ({reason}). Started with the book's "
            "race; the file is left as it is, and this run's settings are not saved."
        )
        self.qsettings = MemorySettings(path)

    def save_scene(self, session: Session, speed: int, view: Sequence[float] | None) -> None:
        self.qsettings.setValue(SCENE_KEY, scene_to_json(session, speed, view))

    def geometry(self) -> QtCore.QByteArray | None:
        value = self.qsettings.value(GEOMETRY_KEY)
        return value if isinstance(value, QtCore.QByteArray) else None

    def save_geometry(self, geometry: QtCore.QByteArray) -> None:
        self.qsettings.setValue(GEOMETRY_KEY, geometry)

    def sync(self) -> None:
        self.qsettings.sync()


class MemorySettings:
    """The part of QSettings the app uses, kept in memory: stands in for a file that is left
    alone, so that no later ``setValue`` (the export folder, a view toggle) writes to it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[str, Any] = {}

    def value(self, key: str, default: Any = None, type: Any = None) -> Any:
        found = self.values.get(key, default)
        return type(found) if type is not None and found is not None else found

    def setValue(self, key: str, value: Any) -> None:
        self.values[key] = value

    def sync(self) -> None:
        """Nothing to write."""

    def fileName(self) -> str:
        return self.path
