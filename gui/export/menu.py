"""The window's export and session actions (issue 5 fills this in)."""

from __future__ import annotations

from typing import Any


def install(window: Any) -> None:
    """Add export and session actions to ``window``'s menus; the window calls this once."""
