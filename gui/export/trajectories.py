"""Trajectories as CSV (one row per racer and step) and JSON (racers with settings and arrays).

Both read the model, never the widgets, and carry every float at full precision (``repr``, which
round-trips exactly). They hold what the trajectory stores: the points that change the path's
picture (see gui/model/trajectory.py), each with its step, and say how it was thinned: every
true point lies within ``tolerance`` (data units) of the segment between the kept points around
its step, and the loss within ``loss_tolerance`` (in the loss plot's coordinate, named). For
every step, ``render --every-step`` replays the race into the file (gui/export/every_step.py).
Disabled racers are left out, as they are from the map.

CSV columns: ``label, optimizer, hyper, noise, seed, step, x, y, loss, gnorm, tolerance,
loss_tolerance`` (the last as ``coordinate=value`` pairs, e.g. ``log10(f - f_min)=0.0168``;
both 0 when every step is written). ``hyper`` is one
column of ``name=value`` pairs joined by ``;`` (e.g. ``lr=0.1;momentum=0.9``), so racers with
different optimizers share one header. A diverged racer's non-finite values are written as
``nan``/``inf``, which Python, numpy and spreadsheets read back.

JSON: ``{"format": "optimizer-playground-trajectories", "version": 1, "surface": …, "start": …,
"step": …, "racers": [{"label", "optimizer", "hyper", "color", "noise", "seed", "diverged_at",
"thinning", "steps", "x", "y", "loss", "gnorm"}, …]}``, where ``thinning`` is
``{"rule": "shape", "tolerance": …, "loss_tolerance": {coordinate: value}}`` or
``{"rule": "every step"}``. JSON has no NaN or infinity, so those become ``null``;
``diverged_at`` says where a racer left the map.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from gui.model import Racer, Session, Trajectory
from gui.model.scene import surface_entry

CSV_HEADER = (
    "label", "optimizer", "hyper", "noise", "seed", "step", "x", "y", "loss", "gnorm",
    "tolerance", "loss_tolerance",
)  # fmt: skip
FORMAT = "optimizer-playground-trajectories"
COLUMNS = ("x", "y", "loss", "gnorm")


def active_racers(session: Session) -> list[Racer]:
    return [r for r in session.racers if r.enabled]


def hyper_text(hyper: dict[str, float]) -> str:
    return ";".join(f"{name}={float(value)!r}" for name, value in hyper.items())


def thinning(trajectory: Trajectory) -> dict[str, Any]:
    """How a stored path was thinned, for the file's reader."""
    names, values = trajectory.loss_coordinates, trajectory.loss_tolerance.tolist()
    return {
        "rule": "shape",
        "tolerance": trajectory.tolerance,
        "loss_tolerance": dict(zip(names, values, strict=True)),
    }


def csv_prefix(racer: Racer) -> tuple[Any, ...]:
    return (racer.label, racer.optimizer, hyper_text(racer.hyper), repr(racer.noise), racer.seed)


def racer_entry(racer: Racer, diverged_at: int | None, thinned: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": racer.label,
        "optimizer": racer.optimizer,
        "hyper": {k: float(v) for k, v in racer.hyper.items()},
        "color": racer.color,
        "noise": float(racer.noise),
        "seed": int(racer.seed),
        "diverged_at": diverged_at,
        "thinning": thinned,
    }


def document(session: Session, racers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": 1,
        "surface": surface_entry(session.surface),
        "start": list(session.start),
        "step": session.step,
        "racers": racers,
    }


def to_csv(session: Session) -> str:
    session.settle()  # finished runs only: never a racer half re-simulated
    out = io.StringIO()
    # "\n" line ends on every platform, so an export is byte-comparable wherever it was made.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for racer in active_racers(session):
        trajectory = session.runs[racer.id].trajectory
        steps, data = trajectory.table()
        thinned = thinning(trajectory)
        loss_text = ";".join(f"{k}={v!r}" for k, v in thinned["loss_tolerance"].items())
        fixed, tail = csv_prefix(racer), (repr(thinned["tolerance"]), loss_text)
        for step, row in zip(steps.tolist(), data.tolist(), strict=True):
            writer.writerow((*fixed, step, *(repr(v) for v in row), *tail))
    return out.getvalue()


def to_json(session: Session) -> str:
    session.settle()
    racers = []
    for racer in active_racers(session):
        run = session.runs[racer.id]
        steps, data = run.trajectory.table()
        columns = {name: _finite_or_none(data[:, i].tolist()) for i, name in enumerate(COLUMNS)}
        entry = racer_entry(racer, run.diverged_at, thinning(run.trajectory))
        racers.append({**entry, "steps": steps.tolist(), **columns})
    doc = document(session, racers)
    # Compact: an indented file would put each of up to 131,072 numbers per column on its own line.
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def _finite_or_none(values: list[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]
