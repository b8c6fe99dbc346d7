"""The network race: one start, one batch sequence, the book's loop, divergence, catching up."""

import numpy as np
import pytest

from gui.model.network import BatchStream, NetworkRace, NetworkSetup, smooth_curve
from gui.model.network.training import BLOCK
from optimizers import REGISTRY

SMALL = NetworkSetup(dataset="spirals", size=120, hidden=(8,), batch=16, iterations=300)


def curve(race, racer):
    return race.runs[racer.id].losses.values[:, 0].copy()


def test_identical_settings_give_identical_curves():
    race = NetworkRace(SMALL)
    a = race.add_racer("adam", lr=0.01)
    b = race.add_racer("adam", lr=0.01)
    race.advance(120)
    np.testing.assert_array_equal(curve(race, a), curve(race, b))
    np.testing.assert_array_equal(race.runs[a.id].tests.values, race.runs[b.id].tests.values)


def test_every_racer_starts_from_the_shared_weights():
    race = NetworkRace(SMALL)
    runs = [race.runs[race.add_racer(key).id] for key in ("sgd", "adagrad", "rmsprop", "lion")]
    for run in runs:
        for key, value in race.start.params.items():
            np.testing.assert_array_equal(run.net.params[key], value)
            assert not np.shares_memory(run.net.params[key], value)  # copies, not the start
    first_tests = {float(run.tests.values[0, 1]) for run in runs}
    assert len(first_tests) == 1  # identical weights, identical test loss at iteration 0


def test_the_race_is_the_books_loop_with_shared_batches():
    """A racer's curve equals the book's loop written out by hand: gradient on batch i,
    ``update(params, grads)`` key by key, then the loss of the updated network on batch i."""
    race = NetworkRace(SMALL)
    racer = race.add_racer("momentum", lr=0.05)
    race.advance(80)
    net = race.start.clone()
    opt = REGISTRY["momentum"](lr=0.05)
    stream = BatchStream(len(race.data.x_train), SMALL.batch, SMALL.seed)
    expected = []
    for i in range(80):
        idx = stream.indices(i)
        x, t = race.data.x_train[idx], race.data.t_train[idx]
        opt.update(net.params, net.gradient(x, t))
        expected.append(net.loss(x, t))
    np.testing.assert_allclose(curve(race, racer), expected, rtol=1e-13, atol=0)


def test_batches_are_seeded_reachable_anywhere_and_drawn_with_replacement():
    a, b = BatchStream(50, 64, seed=3), BatchStream(50, 64, seed=3)
    late = a.indices(3 * BLOCK + 7).copy()
    sequential = [b.indices(i).copy() for i in range(3 * BLOCK + 8)]
    np.testing.assert_array_equal(late, sequential[-1])
    assert late.min() >= 0 and late.max() < 50
    assert len(np.unique(late)) < 64  # 64 draws from 50 rows must repeat some: replacement
    assert not np.array_equal(BatchStream(50, 64, seed=4).indices(0), sequential[0])


def test_a_non_finite_loss_marks_the_racer_diverged_and_stops_it():
    # Weight decay λ = 10 with lr 2: each step multiplies W by (1 − 20) = −19, so ½λΣW²
    # overflows to infinity within a few hundred steps.
    race = NetworkRace(NetworkSetup(**{**SMALL.__dict__, "weight_decay": 10.0}))
    wild = race.add_racer("sgd", lr=2.0)
    calm = race.add_racer("sgd", lr=0.001)
    race.advance(300)
    status = race.status(wild.id)
    assert status["diverged_at"] is not None
    losses = curve(race, wild)
    assert len(losses) == status["diverged_at"] + 1  # stopped at the step that diverged
    assert not np.isfinite(losses[-1]) and np.all(np.isfinite(losses[:-1]))
    assert race.status(calm.id)["diverged_at"] is None
    assert len(curve(race, calm)) == 300


def test_a_retuned_racer_restarts_and_catches_up_in_slices():
    race = NetworkRace(SMALL)
    racer = race.add_racer("adam", lr=0.01)
    other = race.add_racer("sgd", lr=0.1)
    race.advance(100)
    kinds = []
    race.events.connect(lambda kind, rid: kinds.append((kind, rid)))
    race.set_hyper(racer.id, "lr", 0.03)
    assert race.runs[racer.id].iteration == 0 and race.owed == 100
    assert race.catch_up(30) == 70
    assert race.catch_up() == 0
    assert ("racer", racer.id) in kinds and ("caught_up", racer.id) in kinds
    fresh = NetworkRace(SMALL)
    twin = fresh.add_racer("adam", lr=0.03)
    fresh.add_racer("sgd", lr=0.1)
    fresh.advance(100)
    np.testing.assert_array_equal(curve(race, racer), curve(fresh, twin))
    assert len(curve(race, other)) == 100  # the other racer was not re-trained


def test_a_racer_added_mid_race_lags_until_it_catches_up():
    race = NetworkRace(SMALL)
    race.add_racer("sgd")
    race.advance(40)
    late = race.add_racer("adam")
    race.advance(10)  # the clock moves on; the newcomer waits
    assert race.runs[late.id].iteration == 0 and race.owed == 50
    race.catch_up()
    assert race.runs[late.id].iteration == 50


def test_advance_stops_at_the_limit_and_tests_every_k_iterations():
    race = NetworkRace(NetworkSetup(**{**SMALL.__dict__, "iterations": 130, "eval_every": 50}))
    racer = race.add_racer("sgd")
    assert race.advance(1000) == 130 and race.finished and race.advance(5) == 0
    tests = race.runs[racer.id].tests.values
    assert tests[:, 0].tolist() == [0, 50, 100]
    race.test_now()
    assert race.runs[racer.id].tests.values[:, 0].tolist() == [0, 50, 100, 130]
    assert 0.0 <= race.status(racer.id)["test_accuracy"] <= 1.0


def test_newton_and_nonsense_are_refused():
    race = NetworkRace(SMALL)
    with pytest.raises(ValueError, match="Hessian"):
        race.add_racer("newton")
    with pytest.raises(ValueError, match="Invalid lr"):
        race.add_racer("adam", lr=-1.0)
    assert race.racers == []
    racer = race.add_racer("adam")
    with pytest.raises(ValueError, match="Invalid beta1"):
        race.set_hyper(racer.id, "beta1", 1.0)
    assert racer.hyper["beta1"] == 0.9
    with pytest.raises(ValueError, match="Invalid batch"):
        NetworkRace(NetworkSetup(batch=0))


def test_a_failed_setup_change_leaves_the_race_as_it_was():
    race = NetworkRace(SMALL)
    race.add_racer("sgd")
    race.advance(20)
    with pytest.raises(ValueError, match="MNIST"):
        race.set_setup(NetworkSetup(dataset="mnist", mnist_path="/nonexistent/mnist"))
    assert race.setup == SMALL.checked() and race.shape == "2-8-3"
    race.set_setup(NetworkSetup(**{**SMALL.__dict__, "hidden": (4, 4)}))
    assert race.shape == "2-4-4-3" and race.iteration == 0


def test_noise_and_schedules_change_the_curve_reproducibly():
    race = NetworkRace(SMALL)
    plain = race.add_racer("sgd", lr=0.1)
    noisy = race.add_racer("sgd", lr=0.1)
    scheduled = race.add_racer("sgd", lr=0.1)
    race.set_noise(noisy.id, 0.5, seed=1)
    race.set_schedule(scheduled.id, "step", step_size=10, gamma=0.1)
    race.catch_up()
    race.advance(50)
    base = curve(race, plain)
    assert not np.array_equal(base, curve(race, noisy))
    assert not np.array_equal(base, curve(race, scheduled))
    np.testing.assert_array_equal(base[:10], curve(race, scheduled)[:10])  # full rate until 10


def test_smooth_curve_keeps_constants_and_mass_and_length():
    np.testing.assert_allclose(smooth_curve(np.full(50, 0.7)), 0.7, rtol=1e-15)
    spike = np.zeros(60)
    spike[30] = 1.0
    smoothed = smooth_curve(spike, window=11)
    assert len(smoothed) == 60 and smoothed.sum() == pytest.approx(1.0)
    assert smoothed[30] == smoothed.max() and smoothed[24] == 0.0 and smoothed[36] == 0.0
    np.testing.assert_allclose(smoothed[25:36], smoothed[25:36][::-1])  # symmetric window
    assert smooth_curve(np.array([2.0])).tolist() == [2.0]
    tail = smooth_curve(np.array([1.0, 1.0, 1.0, np.inf]))
    assert tail[:3].tolist() == [1.0, 1.0, 1.0] and tail[3] == np.inf
