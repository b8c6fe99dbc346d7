"""The loss landscape against the network itself, the directions against their definitions."""

import numpy as np
import pytest

from gui.model.network import NetworkRace, NetworkSetup
from gui.model.network.landscape import LandscapeJob, project, random_directions
from gui.model.network.training import Snapshots
from surfaces.network import flat_views

SETUP = NetworkSetup(
    dataset="spirals", size=90, hidden=(5, 4), batch=8, iterations=100, weight_decay=0.05
)


def trained_race(iterations=40):
    race = NetworkRace(SETUP)
    race.add_racer("adam", lr=0.05)
    race.add_racer("momentum", lr=0.05)
    race.advance(iterations)
    return race


def loss_at(race, job, alpha, beta):
    """The MLP's own loss at θ₀ + α·d₁ + β·d₂, computed without the landscape's shortcuts."""
    net = race.start.clone()
    flat, views = flat_views(net.params)
    flat[...] = job.origin + alpha * job.d1 + beta * job.d2
    net.params = views
    return net.loss(job.x, job.t)


@pytest.mark.parametrize("method", ["pca", "random"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_grid_values_are_the_networks_loss(method, activation):
    race = NetworkRace(NetworkSetup(**{**SETUP.__dict__, "activation": activation}))
    race.add_racer("adam", lr=0.05)
    race.add_racer("sgd", lr=0.5)
    race.advance(30)
    job = LandscapeJob(race, method=method, resolution=5, seed=2)
    result = job.run()
    assert np.isfinite(result.loss).all()
    for j, i in [(0, 0), (2, 2), (1, 4), (4, 3)]:
        expected = loss_at(race, job, result.alphas[i], result.betas[j])
        assert result.loss[j, i] == pytest.approx(expected, rel=1e-12)
    # the centre is the shared start: its loss is the start network's own
    assert result.loss[2, 2] == pytest.approx(race.start.loss(job.x, job.t), rel=1e-12)


def test_pca_directions_are_orthonormal_and_hold_the_paths():
    race = trained_race()
    job = LandscapeJob(race, method="pca", resolution=3)
    assert np.dot(job.d1, job.d1) == pytest.approx(1.0)
    assert np.dot(job.d2, job.d2) == pytest.approx(1.0)
    assert abs(np.dot(job.d1, job.d2)) < 1e-12
    share = job.result.explained
    assert 0 < share[1] <= share[0] <= 1 and share[0] + share[1] <= 1 + 1e-12
    for racer in race.racers:
        path = job.result.paths[racer.id]
        np.testing.assert_allclose(path[0], [0.0, 0.0], atol=1e-12)  # every path starts at θ₀
        run = race.runs[racer.id]
        head = project(run.weights[None, :], job.origin, job.d1, job.d2)[0]
        np.testing.assert_allclose(path[-1], head)
    reach = max(np.abs(p).max() for p in job.result.paths.values())
    assert job.result.alphas[-1] == pytest.approx(1.2 * reach)  # the frame holds every path


def test_projection_recovers_points_in_the_plane():
    rng = np.random.default_rng(0)
    origin, d1, d2 = rng.normal(size=(3, 50))
    coords = rng.normal(size=(7, 2))
    points = origin + coords[:, :1] * d1 + coords[:, 1:] * d2
    np.testing.assert_allclose(project(points, origin, d1, d2), coords, rtol=1e-10)


def test_random_directions_are_filter_normalised_and_seeded():
    race = NetworkRace(SETUP)
    origin = np.concatenate([v.ravel() for v in race.start.params.values()])
    d1, d2 = random_directions(race.start.params, origin, seed=3)
    for key, value in race.start.params.items():
        d = d1[_slice(race.start.params, key)].reshape(value.shape)
        if key[0] == "W":
            np.testing.assert_allclose(
                np.linalg.norm(d, axis=0), np.linalg.norm(value, axis=0), rtol=1e-12
            )
        else:
            assert not d.any()  # biases stay where they are
    again = random_directions(race.start.params, origin, seed=3)
    np.testing.assert_array_equal(again[0], d1)
    assert not np.array_equal(d1, d2)


def _slice(params, key):
    at = 0
    for k, v in params.items():
        if k == key:
            return slice(at, at + v.size)
        at += v.size
    raise KeyError(key)


def test_pca_needs_a_path():
    race = NetworkRace(SETUP)
    race.add_racer("adam")
    with pytest.raises(ValueError, match="train a few iterations first"):
        LandscapeJob(race, method="pca")
    assert LandscapeJob(race, method="random", resolution=3).run().loss.shape == (3, 3)


def test_centre_on_a_racer_and_bad_arguments():
    race = trained_race()
    racer = race.racers[0]
    job = LandscapeJob(race, center=racer.id, method="random", resolution=3, span=0.5)
    np.testing.assert_array_equal(job.origin, race.runs[racer.id].weights)
    assert job.result.center == racer.label and job.result.alphas[-1] == 0.5
    for kwargs, message in [
        ({"method": "hessian"}, "Unknown direction method"),
        ({"resolution": 2}, "Invalid resolution"),
        ({"span": -1.0}, "Invalid span"),
    ]:
        with pytest.raises(ValueError, match=message):
            LandscapeJob(race, **kwargs)


def test_slices_count_points_and_cancel_stops_between_them():
    race = trained_race()
    job = LandscapeJob(race, method="pca", resolution=9)
    assert job.total == 81
    assert job.step(10) is False and job.done == 10
    assert np.isfinite(job.result.loss.ravel()[:10]).all()
    assert np.isnan(job.result.loss.ravel()[10:]).all()  # nothing past the slice is touched
    job.cancel()
    assert job.step(10) is False and job.done == 10
    seen = []
    fresh = LandscapeJob(race, method="pca", resolution=9)
    fresh.run(progress=lambda done, total: seen.append((done, total)))
    assert fresh.done == 81 and all(total == 81 for _, total in seen)
    np.testing.assert_array_equal(np.diff([d for d, _ in seen]) > 0, True)


def test_snapshots_thin_by_stride_and_stay_bounded():
    snaps = Snapshots(size=4)
    cap = snaps.capacity
    for i in range(10 * cap):
        snaps.offer(i, np.full(4, float(i)))
    its = snaps.iterations
    assert len(its) <= cap and its[0] == 0
    stride = snaps.stride
    assert its == list(range(0, stride * len(its), stride))
    np.testing.assert_array_equal(snaps.weights[:, 0], its)  # each snapshot is its iteration's
    assert Snapshots(size=120_000).capacity * 120_000 * 8 <= Snapshots.BUDGET
