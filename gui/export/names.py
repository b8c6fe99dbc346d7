"""Default file names that say what is in them: ``book_sgd-momentum-adagrad-adam_step30.png``."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from gui.model import Session

MAX_STEM = 80  # long enough for eight racers, short enough for every file system and dialog


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def default_name(session: Session, ext: str) -> str:
    """Surface, the enabled racers' optimizers (each once, in order), and the step."""
    surface = "formula" if session.surface.formula is not None else slug(session.surface.key)
    keys = list(dict.fromkeys(slug(r.optimizer) for r in session.racers if r.enabled))
    racers = "-".join(keys) or "no-racers"
    step = f"_step{session.step}"
    room = MAX_STEM - len(surface) - len(step) - 1
    if len(racers) > room:
        racers = racers[:room].rsplit("-", 1)[0] + "-etc"
    return f"{surface}_{racers}{step}.{ext.lstrip('.')}"


def unused(path: Path) -> Path:
    """``path``, or ``name-2.png``, ``name-3.png``, … if it exists: a quick save never
    overwrites an earlier one."""
    if not path.exists():
        return path
    return next(
        p
        for n in itertools.count(2)
        if not (p := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists()
    )
