"""Stored paths are true to their shape at any length, checked against the full path.

The full path is recorded by brute force (every appended point, alongside the real store); the
stored one must keep each true point within its tolerance of the stored segment that spans its
step. The exports state that tolerance, and ``render --every-step`` writes every step.
"""

import csv
import json

import numpy as np
import pytest

import gui.model.racer as racer_module
import gui.model.trajectory as trajectory_module
from gui.export.cli import render_main
from gui.model import Run
from gui.model.presets import PRESETS
from gui.model.trajectory import Trajectory

STEPS = 300_000


class Recording(Trajectory):
    """A trajectory that also keeps every point it is given: the brute-force truth."""

    def append(self, step, x, y, loss, gnorm):
        self.every[step] = (step, x, y, loss, gnorm)
        super().append(step, x, y, loss, gnorm)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.every = np.full((STEPS + 1, 5), np.nan)


def segment_distances(points, steps, kept):
    """Distance of each true point (step, x, y) to the kept segment spanning its step."""
    at = np.clip(np.searchsorted(steps, points[:, 0], side="right") - 1, 0, len(steps) - 2)
    a, e = kept[at], kept[at + 1]
    d, s = points[:, 1:3] - a, e - a
    ss = (s * s).sum(axis=1)
    t = np.clip((d * s).sum(axis=1) / np.where(ss > 0, ss, 1.0), 0.0, 1.0)
    r = d - t[:, None] * s
    return np.sqrt((r * r).sum(axis=1))


def test_every_true_point_of_a_300000_step_book_race_lies_within_a_thousandth_of_the_frame(
    monkeypatch,
):
    monkeypatch.setattr(racer_module, "Trajectory", Recording)
    session, _ = PRESETS["book-fig6-8"].load()
    session.set_step_limit(STEPS)
    session.advance(STEPS - session.step)
    xmin, xmax, _, _ = session.surface.bounds
    worst = {}
    for racer in session.racers:
        trajectory = session.runs[racer.id].trajectory
        truth = trajectory.every
        assert truth[:, 0].tolist() == list(range(STEPS + 1))
        steps, data = trajectory.table()
        # Kept points are true points of their own steps, loss and gradient norm included.
        np.testing.assert_array_equal(data, truth[steps, 1:])
        assert steps[-1] == 300_000 and len(steps) < 300_001 // 2
        worst[racer.label] = segment_distances(truth, steps, data[:, :2]).max()
        assert worst[racer.label] <= trajectory.tolerance <= (xmax - xmin) / 1000
    assert set(worst) == {"SGD", "Momentum", "AdaGrad", "Adam"}


def test_a_path_coarsened_to_fit_its_capacity_keeps_the_tolerance_it_states():
    rng = np.random.default_rng(11)
    walk = np.cumsum(rng.standard_normal((60_000, 2)), axis=0)
    loss = np.exp(rng.standard_normal(60_000))
    trajectory = Trajectory(capacity=512, tolerance=0.05, f_min=0.0)
    for step, ((x, y), f) in enumerate(zip(walk.tolist(), loss.tolist(), strict=True)):
        trajectory.append(step, x, y, f, 1.0)
    steps, data = trajectory.table()
    assert len(steps) <= 512 + 1024 and trajectory.tolerance > 0.05
    truth = np.column_stack([np.arange(60_000), walk])
    assert segment_distances(truth, steps, data[:, :2]).max() <= trajectory.tolerance
    np.testing.assert_array_equal(data[:, :2], walk[steps])


def test_the_issue_case_sgd_at_step_1_lies_on_the_exported_300000_step_path(tmp_path):
    out = tmp_path / "race.json"
    args = ["--preset", "book-fig6-8", "--steps", "300000", "--output", str(out)]
    assert render_main(args) == 0
    doc = json.loads(out.read_text())
    sgd = next(r for r in doc["racers"] if r["label"] == "SGD")
    # SGD on x²/20 + y² from (-7, 2) with lr 0.95: x₁ = -7 (1 - 0.095), y₁ = 2 (1 - 1.9).
    truth = np.array([[1.0, -7 * (1 - 0.095), 2 * (1 - 1.9)]])
    np.testing.assert_allclose(truth[0, 1:], [-6.335, -1.8])
    steps = np.array(sgd["steps"])
    kept = np.column_stack([sgd["x"], sgd["y"]])
    assert sgd["thinning"]["rule"] == "shape"
    assert segment_distances(truth, steps, kept)[0] <= sgd["thinning"]["tolerance"] <= 0.02
    assert "log10(f - f_min)" in sgd["thinning"]["loss_tolerance"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_step_writes_every_step_of_every_racer(tmp_path, fmt):
    out = tmp_path / f"race.{fmt}"
    args = ["--preset", "saddle-escape", "--steps", "150", "--every-step", "-o", str(out)]
    assert render_main(args) == 0
    session, _ = PRESETS["saddle-escape"].load()
    session.set_step_limit(150)
    session.advance(150 - session.step)
    if fmt == "csv":
        rows = list(csv.DictReader(out.open()))
        got = {
            label: np.array([[float(r[c]) for c in ("step", "x", "y", "loss")] for r in rows
                             if r["label"] == label])
            for label in {r["label"] for r in rows}
        }  # fmt: skip
        assert {r["tolerance"] for r in rows} == {"0.0"}
    else:
        doc = json.loads(out.read_text())
        assert {r["thinning"]["rule"] for r in doc["racers"]} == {"every step"}
        got = {
            r["label"]: np.column_stack([r["steps"], r["x"], r["y"], r["loss"]])
            for r in doc["racers"]
        }
    for racer in session.racers:
        # Independent replay: a fresh run recording into a plain list, one step at a time.
        run = Run(racer, session.surface, session.start)
        rows = [(0, *run.trajectory.head[:3].tolist())]
        while run.step < 150 and run.advance(1):
            rows.append((run.step, *run.trajectory.head[:3].tolist()))
        expected = np.array(rows)
        assert got[racer.label][:, 0].tolist() == list(range(len(expected)))
        np.testing.assert_array_equal(got[racer.label], expected)
    assert render_main(["--every-step", "-o", str(tmp_path / "x.png")]) == 2


def test_the_loss_envelope_kept_between_frames_equals_one_made_afresh():
    # The loss plot asks for its envelope every frame while the store grows; the kept one is
    # extended from its last column. Until the store coarsens it must equal the envelope of
    # the whole store made anew, at every size and after the columns double. Coarsening only
    # removes stored rows: the columns already final keep the envelope of the finer rows they
    # were made from, so each of them spans at least what a fresh one spans, and holds only
    # points of the path; the open column and what follows are made afresh.
    from gui.model.trajectory import envelope_rows

    rng = np.random.default_rng(5)
    trajectory = Trajectory(capacity=4096, tolerance=1e-9, f_min=0.0)
    truth = []
    x = y = 0.0
    checked_after_coarsening = 0
    for step in range(60_000):
        x, y = x + rng.normal(), y + rng.normal()
        truth.append((step, x, y, float(np.exp(rng.normal()))))
        trajectory.append(step, *truth[-1][1:], 1.0)
        if step % 997 == 0 or step == 59_999:
            steps, data = trajectory.drawable(50)
            if len(trajectory.table()[0]) <= 200:
                continue
            width = 1 << max(0, int(np.ceil(np.log2(max(step, 1) / 50))))
            fresh = np.concatenate(
                [envelope_rows(trajectory.stored(), width), trajectory.pending()]
            )
            if trajectory.generation == 0:
                np.testing.assert_array_equal(steps, fresh[:, 0].astype(np.int64))
                np.testing.assert_array_equal(data, fresh[:, 1:])
                continue
            checked_after_coarsening += 1
            real = np.array(truth)
            np.testing.assert_array_equal(data[:, :3], real[steps, 1:])  # points of the path
            kept_columns, fresh_columns = steps // width, fresh[:, 0].astype(np.int64) // width
            assert set(kept_columns.tolist()) == set(fresh_columns.tolist())
            for column in np.unique(fresh_columns):
                mine, theirs = data[kept_columns == column, 2], fresh[fresh_columns == column, 3]
                assert mine.min() <= theirs.min() and mine.max() >= theirs.max()
            last = int(trajectory.stored()[-1, 0]) // width  # the store's open column
            np.testing.assert_array_equal(
                steps[kept_columns >= last], fresh[fresh_columns >= last, 0]
            )
    assert trajectory.generation > 0 and checked_after_coarsening > 10


def test_coarsening_a_full_store_is_spread_over_many_flushes_and_keeps_its_bound(monkeypatch):
    # A zig-zag keeps nearly every point, so the store fills and must coarsen; no single
    # append may simplify more than a piece of it (a whole pass would block the window).
    sizes = []
    simplify = trajectory_module.keep_mask

    def counted(t, *args):
        sizes.append(len(t))
        return simplify(t, *args)

    monkeypatch.setattr(trajectory_module, "keep_mask", counted)
    rng = np.random.default_rng(2)
    n = 150_000
    walk = np.column_stack([np.arange(n) * 1e-3, rng.standard_normal(n) * 1e-2])
    trajectory = Trajectory(capacity=1 << 16, tolerance=1e-4, f_min=None)
    for step, (x, y) in enumerate(walk.tolist()):
        trajectory.append(step, x, y, 1.0, 1.0)
    assert trajectory.generation > 3 and trajectory.tolerance > 1e-4  # coarsened, in pieces
    piece = trajectory_module.PIECES * trajectory_module.BLOCK + 1
    assert max(sizes) <= piece < (1 << 16) * 3 // 4
    assert len(trajectory) <= (1 << 16) + trajectory_module.BLOCK
    steps, data = trajectory.table()
    np.testing.assert_array_equal(data[:, :2], walk[steps])
    truth = np.column_stack([np.arange(n), walk])
    assert segment_distances(truth, steps, data[:, :2]).max() <= trajectory.tolerance
