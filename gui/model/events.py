"""A tiny listener list: the model tells views what changed without knowing Qt."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, "int | None"], None]


class Events:
    """``connect(fn)``; ``emit(kind, racer_id)`` calls every listener in connection order.

    Kinds: ``"surface"``, ``"start"``, ``"racers"`` (added or removed), ``"racer"`` (one racer's
    settings changed and it was re-simulated), ``"stepped"``, ``"reset"``, ``"limit"``, and
    ``"progress"`` (a slice of a re-simulation was done: see ``Session.catch_up``).
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def connect(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def disconnect(self, fn: Listener) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    def emit(self, kind: str, racer_id: int | None = None) -> None:
        for fn in list(self._listeners):
            fn(kind, racer_id)
