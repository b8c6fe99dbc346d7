"""A network race as data: per-iteration training loss and periodic test figures, CSV or JSON.

"iteration" counts updates taken: the training loss at iteration k is measured after the k-th
update, on the batch that update used (the book's order); test figures at iteration k are those
of the weights after k updates (k = 0: the shared start). No Qt here.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from gui.model.network import NetworkRace

FORMAT = "optimizer-playground-training"
VERSION = 1
COLUMNS = ("racer", "optimizer", "iteration", "train_loss", "test_loss", "test_accuracy")


def _number(value: float) -> float | None:
    """JSON has no NaN or infinity: a diverged racer's last loss becomes null."""
    return float(value) if math.isfinite(value) else None


def to_json(race: NetworkRace) -> str:
    racers: list[dict[str, Any]] = []
    for r in race.racers:
        run = race.runs[r.id]
        racers.append(
            {
                "label": r.label,
                "optimizer": r.optimizer,
                "hyper": dict(r.hyper),
                "color": r.color,
                "noise": r.noise,
                "schedule": r.schedule,
                "diverged_at": None if run.diverged_at is None else run.diverged_at + 1,
                "train_loss": [_number(v) for v in run.losses.values[:, 0].tolist()],
                "tests": [
                    {"iteration": int(i), "loss": _number(loss), "accuracy": _number(acc)}
                    for i, loss, acc in run.tests.values.tolist()
                ],
            }
        )
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "network": race.shape,
        "dataset": race.data.title,
        "setup": race.setup.to_dict(),
        "iterations": race.iteration,
        "racers": racers,
    }
    return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def to_csv(race: NetworkRace) -> str:
    """One row per racer and iteration; the test columns are filled where a test was run."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in race.racers:
        run = race.runs[r.id]
        losses = run.losses.values[:, 0].tolist()
        tests = {int(i): (loss, acc) for i, loss, acc in run.tests.values.tolist()}
        for k in range(len(losses) + 1):
            train = "" if k == 0 else repr(losses[k - 1])
            test = tests.get(k)
            if k == 0 and test is None:
                continue
            test_cells = ["", ""] if test is None else [repr(test[0]), repr(test[1])]
            writer.writerow([r.label, r.optimizer, k, train, *test_cells])
    return out.getvalue()
