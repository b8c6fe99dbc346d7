"""``render --every-step``: a race's trajectories with every step, however long, in bounded memory.

The stored paths are thinned by shape (gui/model/trajectory.py). For every step, each racer is
simulated again from its settings (a run is reproducible, noise included) and each step's row
goes to the file as it is made. CSV is written row by row; JSON, whose racers hold one array per
column, is written column by column from temporary files, so at no point is a whole path held.
The file is written atomically, like every export.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import numpy as np

from gui.export.atomic import ExportError, Pending, describe
from gui.export.trajectories import (
    COLUMNS,
    CSV_HEADER,
    active_racers,
    csv_prefix,
    document,
    racer_entry,
)
from gui.model import Racer, Run, Session

SLICE = 10_000  # steps per call into the run: each call costs one errstate and one head read
EVERY_STEP = {"rule": "every step"}

Sink = Callable[[int, float, float, float, float], None]


class StepSink:
    """What a run records into, in place of its trajectory: each point goes to ``sink``; only
    the head is kept (a run starts each batch of steps from it)."""

    def __init__(self, sink: Sink, step: int, head: np.ndarray) -> None:
        self.sink = sink
        self.head_step = step
        self._head = tuple(head.tolist())
        sink(step, *self._head)

    def append(self, step: int, x: float, y: float, loss: float, gnorm: float) -> None:
        self.sink(step, x, y, loss, gnorm)
        self.head_step, self._head = step, (x, y, loss, gnorm)

    @property
    def head(self) -> np.ndarray:
        return np.array(self._head)


def replay(session: Session, racer: Racer, sink: Sink) -> int | None:
    """Simulate ``racer`` to the session's step, every point to ``sink``; its divergence step."""
    run = Run(racer, session.surface, session.start)
    run.trajectory = StepSink(sink, 0, run.trajectory.head)
    remaining = session.step
    while remaining > 0 and run.diverged_at is None:
        taken = run.advance(min(remaining, SLICE))
        if taken == 0:
            break
        remaining -= taken
    return run.diverged_at


def write_every_step(session: Session, target: str, fmt: str) -> None:
    """Write every step of every enabled racer to ``target`` as ``fmt`` ("csv" or "json")."""
    pending = Pending(target)
    try:
        with open(pending.path, "w", newline="", encoding="utf-8") as out:
            (_write_csv if fmt == "csv" else _write_json)(session, out)
    except OSError as exc:
        pending.discard()
        raise ExportError(f"Could not write {target}: {describe(exc)}") from exc
    except BaseException:
        pending.discard()
        raise
    pending.commit()


def _write_csv(session: Session, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for racer in active_racers(session):
        fixed = csv_prefix(racer)

        def row(step: int, *values: float, fixed=fixed) -> None:
            writer.writerow((*fixed, step, *(repr(v) for v in values), "0.0", ""))

        replay(session, racer, row)


def _write_json(session: Session, out: TextIO) -> None:
    head, tail = json.dumps(document(session, []), separators=(",", ":")).split('"racers":[]')
    out.write(head + '"racers":[')
    for index, racer in enumerate(active_racers(session)):
        with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
            files = {
                name: stack.enter_context(open(Path(folder) / name, "w+", encoding="utf-8"))
                for name in ("steps", *COLUMNS)
            }
            diverged_at = replay(session, racer, _column_writer(files))
            entry = json.dumps(racer_entry(racer, diverged_at, EVERY_STEP), ensure_ascii=False)
            out.write(("," if index else "") + entry[:-1])
            for name, column in files.items():
                column.seek(0)
                out.write(f',"{name}":[')
                for chunk in iter(lambda column=column: column.read(1 << 16), ""):
                    out.write(chunk)
                out.write("]")
            out.write("}")
    out.write("]" + tail + "\n")


def _column_writer(files: dict[str, TextIO]) -> Sink:
    steps, *columns = files.values()
    first = [True]

    def write(step: int, *values: float) -> None:
        comma = "" if first[0] else ","
        first[0] = False
        steps.write(f"{comma}{step}")
        for column, value in zip(columns, values, strict=True):
            column.write(f"{comma}{value!r}" if math.isfinite(value) else f"{comma}null")

    return write
