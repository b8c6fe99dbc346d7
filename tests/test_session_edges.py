"""Session behaviour that mutation testing (issue 18) found unpinned: what a racer's colour and
label changes tell the listeners, the refusals' words, what ``status`` reports, what a snapshot
copies, and what a removal or a settle leaves of a catch-up. Every expected value is worked out
by hand from the docstrings and the update rule x ← x − lr·∇f on the book's bowl
f = x²/20 + y² (gradient (x/10, 2y))."""

import dataclasses
import math

import pytest

from gui.model import PALETTE, Session
from gui.model.catchup import CHUNK, Budget
from surfaces import SURFACES


def recorder(session: Session) -> list:
    seen = []
    session.events.connect(lambda kind, racer_id: seen.append((kind, racer_id)))
    return seen


@pytest.fixture
def book() -> Session:
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    return session


def test_a_new_colour_is_kept_and_announced_for_that_racer_only(book):
    first, second = book.add_racer("sgd"), book.add_racer("adam")
    seen = recorder(book)
    book.set_color(second.id, "#123456")
    assert second.color == "#123456" and first.color != "#123456"
    assert seen == [("racer", second.id)]


def test_a_new_label_is_stripped_and_a_blank_one_keeps_the_old(book):
    first, second = book.add_racer("sgd"), book.add_racer("adam")
    seen = recorder(book)
    book.set_label(second.id, "  fast one \t")
    assert second.label == "fast one" and first.label == "SGD"
    book.set_label(second.id, "   ")
    assert second.label == "fast one"
    assert seen == [("racer", second.id), ("racer", second.id)]


@pytest.mark.parametrize(
    ("sigma", "seed", "words"),
    [
        (-0.5, None, r"Invalid noise: -0\.5 \(must be a finite value >= 0\)"),
        (math.inf, None, r"Invalid noise: inf"),
        (0.5, -3, r"Invalid seed: -3 \(must be a whole number >= 0\)"),
    ],
)
def test_refused_noise_names_the_value_and_the_rule(book, sigma, seed, words):
    racer = book.add_racer("sgd")
    with pytest.raises(ValueError, match=words):
        book.set_noise(racer.id, sigma, seed)
    assert racer.noise == 0.0 and racer.seed == 0


def test_status_reports_the_head_point_its_loss_and_gradient_norm(book):
    racer = book.add_racer("sgd", lr=0.1)
    start = book.status(racer.id)
    assert start == {
        "step": 0,
        "x": -7.0,
        "y": 2.0,
        "loss": pytest.approx(49 / 20 + 4),
        "gnorm": pytest.approx(math.hypot(0.7, 4.0)),
        "diverged_at": None,
    }
    book.advance(1)
    x, y = -7.0 + 0.1 * 0.7, 2.0 - 0.1 * 4.0  # one step against the gradient (-0.7, 4)
    assert book.status(racer.id) == {
        "step": 1,
        "x": pytest.approx(x),
        "y": pytest.approx(y),
        "loss": pytest.approx(x * x / 20 + y * y),
        "gnorm": pytest.approx(math.hypot(x / 10, 2 * y)),
        "diverged_at": None,
    }


def test_catching_up_with_nothing_pending_says_no_more_and_tells_no_one(book):
    book.add_racer("sgd")
    seen = recorder(book)
    assert not book.busy
    assert book.catch_up() is False
    assert seen == []


def test_a_snapshot_keeps_the_surface_and_the_next_racer_id():
    session = Session(SURFACES["rosenbrock"])
    session.add_racer("sgd", lr=1e-3)
    session.add_racer("adam", lr=0.01)
    twin = session.snapshot()
    assert twin.surface is session.surface and twin.start == session.start
    # The twin numbers new racers on from the original's highest id, as the original would.
    assert twin.add_racer("sgd").id == 3 == session.add_racer("sgd").id


def test_a_snapshot_of_an_empty_session_numbers_racers_from_one():
    twin = Session().snapshot()
    assert twin.racers == [] and twin.runs == {}
    assert twin.add_racer("sgd").id == 1


def test_a_snapshots_racers_are_separate_down_to_their_settings(book):
    racer = book.add_racer("momentum", lr=0.05, momentum=0.5)
    twin = book.snapshot()
    copy = twin.racers[0]
    copy.hyper["lr"] = 0.5
    copy.extra["note"] = "twin only"
    copy.schedule["key"] = "changed"
    assert racer.hyper == {"lr": 0.05, "momentum": 0.5}
    assert racer.extra == {} and racer.schedule["key"] == "constant"


def test_a_racer_removed_mid_catch_up_leaves_the_queue_at_once(book):
    keep, gone = book.add_racer("sgd", lr=0.01), book.add_racer("adam", lr=0.1)
    book.advance(4 * CHUNK)
    book.catchup.budget = Budget(steps=CHUNK)
    book.set_start(-6.0, 1.0)  # both re-simulate; one slice of the step floor is done at once
    assert gone.id in book.catchup and keep.id in book.catchup
    book.remove_racer(gone.id)
    assert gone.id not in book.catchup
    done, total = book.progress()
    assert total == 4 * CHUNK  # one run still waiting, counted up to the session's step
    assert 0 < done < total


def test_settle_finishes_in_one_slice_and_one_progress_report(book):
    book.add_racer("sgd", lr=0.01)
    book.add_racer("adam", lr=0.1)
    book.set_step_limit(8 * CHUNK)
    book.advance(8 * CHUNK)
    book.catchup.budget = Budget(steps=CHUNK)
    book.set_start(-6.0, 1.0)
    assert book.busy
    slices = book.catchup.slices
    seen = recorder(book)
    book.settle()
    assert not book.busy and book.catchup.slices == slices + 1
    assert seen == [("progress", None)]
    assert all(run.step == 8 * CHUNK for run in book.runs.values())


def test_an_unknown_racer_id_is_named(book):
    book.add_racer("sgd")
    with pytest.raises(KeyError, match="No racer with id 99"):
        book.racer(99)


def test_a_start_that_is_not_finite_is_refused_in_words(book):
    with pytest.raises(ValueError, match=r"Invalid start: \(nan, 1\.0\) \(must be finite\)"):
        book.set_start(math.nan, 1.0)
    assert book.start == (-7.0, 2.0)


def test_a_change_whose_first_steps_fail_raises_and_keeps_the_run_where_it_stopped(book):
    broken = {"on": False}

    def grad(x, y):
        if broken["on"] and x > -6.95:  # the first step from -7 with lr = 1 lands on -6.3
            raise RuntimeError("bug in the surface")
        return x / 10, 2 * y

    book.set_surface(dataclasses.replace(SURFACES["book"], grad=grad), start=(-7.0, 0.0))
    racer = book.add_racer("sgd", lr=0.5)
    book.advance(5)
    broken["on"] = True
    seen = recorder(book)
    with pytest.raises(RuntimeError, match="bug in the surface"):
        book.set_hyper(racer.id, "lr", 1.0)
    assert seen == [("racer", racer.id)]  # the listeners hear of it all the same
    # The new setting stays; its run stops at the point whose gradient failed, with no loss.
    run = book.runs[racer.id]
    assert racer.hyper["lr"] == 1.0 and run.step == 1 and run.diverged_at == 1
    x, y, loss, _ = run.trajectory.head.tolist()
    assert (x, y) == pytest.approx((-6.3, 0.0)) and math.isnan(loss)


def test_a_second_start_during_a_catch_up_waits_for_its_next_slice(book):
    book.add_racer("sgd", lr=0.01)
    book.set_step_limit(8 * CHUNK)
    book.advance(8 * CHUNK)
    book.catchup.budget = Budget(steps=CHUNK)
    slices = book.catchup.slices
    book.set_start(-6.0, 1.0)  # starts the catch-up with one slice of the step floor
    assert book.busy and book.catchup.slices == slices + 1
    book.set_start(-5.0, 1.0)  # a drag goes on: queued for the catch-up's next turn, no slice
    assert book.catchup.slices == slices + 1 and book.progress() == (0, 8 * CHUNK)


def test_a_step_limit_out_of_range_is_refused_in_words(book):
    with pytest.raises(ValueError, match=r"Invalid step limit: 0 \(must be in \[1, 10000000\]\)"):
        book.set_step_limit(0)
    assert book.step_limit == 1000


def test_a_step_limit_at_the_current_step_is_announced_and_re_simulates_nothing(book):
    racer = book.add_racer("sgd", lr=0.1)
    book.advance(40)
    run = book.runs[racer.id]
    seen = recorder(book)
    book.set_step_limit(40)  # the race is exactly at its end now: nothing to cut back
    assert book.runs[racer.id] is run and book.step == 40 and book.finished
    book.set_step_limit(30)  # now the race is past it: back to step 30, re-simulated
    assert book.runs[racer.id] is not run and book.runs[racer.id].step == book.step == 30
    assert seen == [("limit", None), ("limit", None)]


def test_colours_follow_the_palette_then_start_over(book):
    colours = [book.add_racer("sgd").color for _ in range(10)]
    assert colours[:8] == list(PALETTE)
    # All eight in use: the ninth and tenth take the palette again from its start.
    assert colours[8:] == [PALETTE[0], PALETTE[1]]


def test_a_colour_freed_by_a_removal_is_given_first(book):
    racers = [book.add_racer("sgd") for _ in range(3)]
    book.remove_racer(racers[1].id)
    assert book.add_racer("adam").color == PALETTE[1]


def test_repeated_optimizers_are_numbered_from_two(book):
    labels = [book.add_racer("adam").label for _ in range(3)]
    assert labels == ["Adam", "Adam 2", "Adam 3"]


def test_advance_without_a_count_takes_one_step(book):
    racer = book.add_racer("sgd", lr=0.1)
    assert book.advance() == 1
    assert book.step == 1 and book.status(racer.id)["x"] == pytest.approx(-7.0 + 0.1 * 0.7)


def test_a_step_asked_for_during_a_catch_up_waits_for_its_next_slice(book):
    book.add_racer("sgd", lr=0.01)
    book.set_step_limit(9 * CHUNK)
    book.advance(8 * CHUNK)
    book.catchup.budget = Budget(steps=CHUNK)
    book.set_start(-6.0, 1.0)
    slices, (done, _) = book.catchup.slices, book.progress()
    assert book.advance(CHUNK) == CHUNK  # the step moves at once; the run follows later
    assert book.catchup.slices == slices and book.progress() == (done, 9 * CHUNK)
    book.settle()
    assert book.runs[1].step == 9 * CHUNK


def test_a_step_that_meets_a_failing_gradient_raises_and_stops_that_run(book):
    def grad(x, y):
        if x > -6.5:  # sgd with lr = 1 from x = -7: -6.3 after one step
            raise RuntimeError("bug in the surface")
        return x / 10, 2 * y

    book.set_surface(dataclasses.replace(SURFACES["book"], grad=grad), start=(-7.0, 0.0))
    racer = book.add_racer("sgd", lr=1.0)
    with pytest.raises(RuntimeError, match="bug in the surface"):
        book.advance(3)
    assert book.step == 3 and book.runs[racer.id].diverged_at == 1


def test_adding_a_racer_is_announced_with_its_id(book):
    first = book.add_racer("sgd")
    seen = recorder(book)
    second = book.add_racer("adam")
    assert seen == [("racers", second.id)] and second.id == first.id + 1


def test_a_racer_whose_first_steps_fail_leaves_no_run_behind(book):
    def grad(x, y):
        if x > -6.5:
            raise RuntimeError("bug in the surface")
        return x / 10, 2 * y

    book.set_surface(dataclasses.replace(SURFACES["book"], grad=grad), start=(-7.0, 0.0))
    calm = book.add_racer("sgd", lr=0.1)  # -7 → -6.93 → … stays left of -6.5 for 5 steps
    book.advance(5)
    seen = recorder(book)
    with pytest.raises(RuntimeError, match="bug in the surface"):
        book.add_racer("sgd", lr=1.0)  # its first step lands on -6.3
    assert [r.id for r in book.racers] == [calm.id] and set(book.runs) == {calm.id}
    assert seen == [] and not book.busy


def sliced_failing_race(book: Session) -> Session:
    """SGD (lr 0.01) 300 steps in from (-7, 0), re-simulating in slices of CHUNK steps on a
    surface whose gradient now fails right of x = -6: x_t = -7·0.999^t passes -6 at t = 155
    (0.999^154 > 6/7 > 0.999^155), in the catch-up's second slice."""
    broken = {"on": False}

    def grad(x, y):
        if broken["on"] and x > -6.0:
            raise RuntimeError("bug in the surface")
        return x / 10, 2 * y

    book.set_surface(dataclasses.replace(SURFACES["book"], grad=grad), start=(-7.0, 0.0))
    book.add_racer("sgd", lr=0.01)
    book.advance(300)
    book.catchup.budget = Budget(steps=CHUNK)
    broken["on"] = True
    book.set_start(-7.0, 0.0)  # re-simulates: the first slice takes CHUNK steps, all fine
    assert book.busy and book.runs[1].step == CHUNK
    return book


def test_an_error_met_while_a_racer_is_added_is_raised_after_it_joined(book):
    sliced_failing_race(book)
    with pytest.raises(RuntimeError, match="bug in the surface"):
        book.add_racer("sgd", lr=0.001)  # its slice carries the first racer into the fault
    assert [r.id for r in book.racers] == [1, 2]
    assert book.runs[1].diverged_at == 155 and book.runs[2].step == CHUNK


def test_a_racer_switched_off_mid_catch_up_leaves_the_queue(book):
    sliced_failing_race(book)
    book.set_enabled(1, False)
    assert 1 not in book.catchup and not book.busy and book.progress() == (0, 0)
    assert book.runs[1].step == 0
