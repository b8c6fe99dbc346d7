"""Is there a screen for the window? Asked before Qt is, because Qt's answer is an abort."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# Any one of these tells Qt where to draw: an X server, a Wayland compositor, or a platform the
# user chose (offscreen, vnc, …).
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def no_display_message(
    command: str, environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """One line saying what to do when the window has nowhere to open, or None if it has.

    Only Linux is judged: Windows and macOS always have their native platform, and a Linux
    without any of ``DISPLAY_VARIABLES`` would make Qt abort with exit status 134.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or any(environ.get(v) for v in DISPLAY_VARIABLES):
        return None
    return (
        f"{command}: no display to open the window on: use a desktop session, xvfb-run, or "
        "QT_QPA_PLATFORM=offscreen (render and bench need no display)"
    )
