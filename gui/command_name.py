"""The command the user typed, so help texts and their examples show what to type again."""

from __future__ import annotations

import sys
from pathlib import Path

INSTALLED = "optimizer-playground"  # the console script pip installs


def command_name(argv0: str | None = None) -> str:
    """``python main.py`` when started from the checkout's main.py, else the installed command.

    Anything else in ``argv0`` (pytest, an embedding interpreter, ``-c``) also gets the
    installed command: it is what a reader of the help text can type.
    """
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    return "python main.py" if name == "main.py" else INSTALLED
