"""What the sweep and the learning-rate finder promise beyond every cell being its single run:
explicit axis ranges, the finder's defaults (41 rates over the slider's range, the session's
steps), its progress per chunk of 50 steps and its stop, and "no rate" when every one diverges.
Expected values written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from gui.model import Session
from gui.model.sweep import autotune_lr, axis_values, sweep
from optimizers import REGISTRY
from surfaces import SURFACES

LR = REGISTRY["sgd"]._specs["lr"]  # log-scaled, 1e-4 .. 2
MOMENTUM = REGISTRY["momentum"]._specs["momentum"]  # linear, 0 .. 0.99


def test_axis_values_take_an_explicit_range():
    np.testing.assert_allclose(axis_values(LR, 3, 1e-3, 1e-1), [1e-3, 1e-2, 1e-1], rtol=1e-12)
    np.testing.assert_allclose(axis_values(MOMENTUM, 5, 0.0, 0.8), [0.0, 0.2, 0.4, 0.6, 0.8])
    # Only the end given stays the slider's at the other.
    np.testing.assert_allclose(axis_values(LR, 2, high=1e-2), [1e-4, 1e-2], rtol=1e-12)
    np.testing.assert_allclose(axis_values(MOMENTUM, 2, low=0.5), [0.5, 0.99])


def book_sgd(step_limit: int = 200) -> tuple[Session, int]:
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    session.set_step_limit(step_limit)
    return session, session.add_racer("sgd").id


def test_the_finder_tries_41_rates_over_the_slider_by_default():
    session, racer = book_sgd()
    tuned = autotune_lr(session, racer, steps=3)
    assert len(tuned.lrs) == 41
    assert tuned.lrs[0] == pytest.approx(1e-4, rel=1e-12)
    assert tuned.lrs[-1] == pytest.approx(2.0, rel=1e-12)
    ratios = tuned.lrs[1:] / tuned.lrs[:-1]
    np.testing.assert_allclose(ratios, (2.0 / 1e-4) ** (1 / 40), rtol=1e-9)


def test_the_finder_takes_its_own_range():
    session, racer = book_sgd()
    tuned = autotune_lr(session, racer, steps=3, n=3, low=1e-2, high=1.0)
    np.testing.assert_allclose(tuned.lrs, [1e-2, 1e-1, 1.0], rtol=1e-12)
    tuned = autotune_lr(session, racer, steps=3, n=2, high=1e-2)
    np.testing.assert_allclose(tuned.lrs, [1e-4, 1e-2], rtol=1e-12)


def test_the_finder_runs_the_sessions_steps_in_chunks_of_fifty_and_stops_when_asked():
    session, racer = book_sgd(step_limit=120)
    seen: list[tuple[int, int]] = []
    autotune_lr(session, racer, n=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(50, 120), (100, 120), (120, 120)]  # at step 0: the whole step limit
    session.advance(70)
    seen.clear()
    autotune_lr(session, racer, n=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(50, 70), (70, 70)]  # mid-race: as far as the race has gone
    seen.clear()
    autotune_lr(
        session, racer, steps=500, n=3,
        progress=lambda done, total: seen.append((done, total)), should_stop=lambda: True,
    )  # fmt: skip
    assert seen == [(50, 500)]


def test_no_rate_when_every_rate_diverges():
    # On the bowl's steep axis plain SGD diverges for lr > 1 (|1 - 2 lr| > 1).
    session, racer = book_sgd()
    tuned = autotune_lr(session, racer, steps=200, n=4, low=1.5, high=2.0)
    assert tuned.lr is None
    assert np.isnan(tuned.losses).all()


def test_a_sweeps_defaults_31_values_a_side_chunks_of_fifty_and_a_tolerance_of_1e_6():
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    session.set_step_limit(120)
    racer = session.add_racer("momentum").id
    seen: list[tuple[int, int]] = []
    result = sweep(
        session, racer, "lr", "momentum", y_values=[0.5], measure="steps",
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert len(result.x_values) == 31
    assert seen == [(50, 120), (100, 120), (120, 120)]
    assert result.tol == 1e-6 and result.measure == "steps"
    # Each cell: the first step where f - f_min < 1e-6 (f_min = 0 here), from a single run.
    for i in (25, 27, 30):  # never within 120 steps, then 82 and 20 steps
        solo = Session(SURFACES["book"])
        solo.set_start(-7.0, 2.0)
        solo.set_step_limit(120)
        twin = solo.add_racer("momentum", lr=float(result.x_values[i]), momentum=0.5)
        solo.advance(120)
        losses = solo.runs[twin.id].trajectory.table()[1][:, 2]
        below = np.flatnonzero(losses < 1e-6)
        expected = float(below[0]) if len(below) else np.inf
        assert result.value[0, i] == expected


def test_given_axis_values_become_float_arrays():
    # Whole numbers or numeric text from a caller: the result's axes are float64 all the same,
    # as the heat map's axes and the CSV read them.
    session = Session(SURFACES["book"])
    racer = session.add_racer("momentum").id
    result = sweep(
        session, racer, "lr", "momentum", x_values=[1, 2], y_values=["0", "0.5"], steps=2
    )
    assert result.x_values.dtype == np.float64 and result.x_values.tolist() == [1.0, 2.0]
    assert result.y_values.dtype == np.float64 and result.y_values.tolist() == [0.0, 0.5]


def test_a_sweep_of_one_step_runs_and_none_is_refused():
    session = Session(SURFACES["book"])
    racer = session.add_racer("momentum").id
    result = sweep(session, racer, "lr", "momentum", n=2, steps=1)
    assert result.steps == result.done == 1
    with pytest.raises(ValueError, match=r"^Invalid steps: 0 \(must be >= 1\)$"):
        sweep(session, racer, "lr", "momentum", n=2, steps=0)


@pytest.mark.needs_torch
def test_a_sweep_of_lbfgs_gives_each_cell_its_closure():
    pytest.importorskip("torch", reason="PyTorch racers need torch (pip install '.[torch]')")
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    racer = session.add_racer("torch.optim.LBFGS", lr=0.5)
    result = sweep(
        session, racer.id, "lr", "history_size", x_values=[0.2, 1.0], y_values=[3, 10], steps=6
    )
    for j, i in ((0, 0), (1, 1), (0, 1)):
        single = Session(SURFACES["book"])
        single.set_start(-7.0, 2.0)
        single.set_step_limit(6)
        one = single.add_racer(
            "torch.optim.LBFGS", lr=result.x_values[i], history_size=result.y_values[j]
        )
        single.advance(6)
        status = single.status(one.id)
        assert result.final[j, i].tolist() == [status["x"], status["y"]]


@pytest.mark.parametrize(
    ("surface", "start", "lrs"),
    [
        # lr 1e200: x²/20 overflows to inf at the first step while the gradient x/10 is finite.
        ("book", (-7.0, 2.0), [1e-3, 1.2, 1e200]),
        # Leaving the escape box along x alone (y = 0 stays 0), and along y alone (x = 0).
        ("book", (-7.0, 0.0), [0.1, 25.0, 60.0]),
        ("book", (0.0, 2.0), [0.1, 1.1, 1.5]),
    ],
)
def test_every_way_of_diverging_marks_the_cell_as_its_single_run(surface, start, lrs):
    session = Session(SURFACES[surface])
    session.set_start(*start)
    racer = session.add_racer("momentum")
    mus = [0.0, 0.5]
    result = sweep(session, racer.id, "lr", "momentum", x_values=lrs, y_values=mus, steps=80)
    outcomes = set()
    for j, mu in enumerate(mus):
        for i, lr in enumerate(lrs):
            solo = Session(SURFACES[surface])
            solo.set_start(*start)
            solo.set_step_limit(80)
            one = solo.add_racer("momentum", lr=lr, momentum=mu)
            solo.advance(80)
            diverged = solo.runs[one.id].diverged_at is not None
            outcomes.add(diverged)
            assert result.diverged[j, i] == diverged, (lr, mu)
            if not diverged:
                assert result.final[j, i].tolist() == solo.runs[one.id].trajectory.head[:2].tolist()
    assert outcomes == {True, False}  # each grid holds both kinds of cell
