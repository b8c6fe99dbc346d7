"""Trajectories as CSV (one row per racer and step) and JSON (racers with settings and arrays).

Both read the model, never the widgets, and carry every float at full precision (``repr``, which
round-trips exactly). They hold what the trajectory stores: every step up to 131,072 steps, and
beyond that the documented thinning (steps 0, s, 2s, … plus the newest step). Disabled racers are
left out, as they are from the map.

CSV columns: ``label, optimizer, hyper, noise, seed, step, x, y, loss, gnorm``. ``hyper`` is one
column of ``name=value`` pairs joined by ``;`` (e.g. ``lr=0.1;momentum=0.9``), so racers with
different optimizers share one header. A diverged racer's non-finite values are written as
``nan``/``inf``, which Python, numpy and spreadsheets read back.

JSON: ``{"format": "optimizer-playground-trajectories", "version": 1, "surface": …, "start": …,
"step": …, "racers": [{"label", "optimizer", "hyper", "color", "noise", "seed", "diverged_at",
"steps", "x", "y", "loss", "gnorm"}, …]}``. JSON has no NaN or infinity, so those become ``null``;
``diverged_at`` says where a racer left the map.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from gui.model import Racer, Session
from gui.model.scene import surface_entry

CSV_HEADER = ("label", "optimizer", "hyper", "noise", "seed", "step", "x", "y", "loss", "gnorm")
FORMAT = "optimizer-playground-trajectories"
COLUMNS = ("x", "y", "loss", "gnorm")


def active_racers(session: Session) -> list[Racer]:
    return [r for r in session.racers if r.enabled]


def hyper_text(hyper: dict[str, float]) -> str:
    return ";".join(f"{name}={float(value)!r}" for name, value in hyper.items())


def to_csv(session: Session) -> str:
    session.settle()  # finished runs only: never a racer half re-simulated
    out = io.StringIO()
    # "\n" line ends on every platform, so an export is byte-comparable wherever it was made.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for racer in active_racers(session):
        steps, data = session.runs[racer.id].trajectory.table()
        fixed = (
            racer.label,
            racer.optimizer,
            hyper_text(racer.hyper),
            repr(racer.noise),
            racer.seed,
        )
        for step, row in zip(steps.tolist(), data.tolist(), strict=True):
            writer.writerow((*fixed, step, *(repr(v) for v in row)))
    return out.getvalue()


def to_json(session: Session) -> str:
    session.settle()
    racers = []
    for racer in active_racers(session):
        run = session.runs[racer.id]
        steps, data = run.trajectory.table()
        columns = {name: _finite_or_none(data[:, i].tolist()) for i, name in enumerate(COLUMNS)}
        racers.append(
            {
                "label": racer.label,
                "optimizer": racer.optimizer,
                "hyper": {k: float(v) for k, v in racer.hyper.items()},
                "color": racer.color,
                "noise": float(racer.noise),
                "seed": int(racer.seed),
                "diverged_at": run.diverged_at,
                "steps": steps.tolist(),
                **columns,
            }
        )
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "surface": surface_entry(session.surface),
        "start": list(session.start),
        "step": session.step,
        "racers": racers,
    }
    # Compact: an indented file would put each of up to 131,072 numbers per column on its own line.
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def _finite_or_none(values: list[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]
