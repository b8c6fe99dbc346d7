"""The network section of a session file: round trip, old files, refusals, presets."""

import json

import numpy as np
import pytest

from gui.model import book_scene
from gui.model.network import NetworkRace, NetworkSetup
from gui.model.network.presets import NETWORK_PRESETS
from gui.model.scene import SceneError, dumps, loads, to_scene
from gui.model.scene.network import build_race

SMALL = NetworkSetup(dataset="moons", size=100, hidden=(6, 5), batch=8, iterations=200)


def small_race():
    race = NetworkRace(SMALL)
    a = race.add_racer("adam", lr=0.02)
    b = race.add_racer("momentum", "Heavy ball", "#112233", lr=0.05)
    race.set_noise(b.id, 0.1, seed=4)
    race.set_schedule(a.id, "cosine", steps=100)
    race.advance(60)
    return race


def test_a_race_survives_the_file_and_retrains_to_the_same_curves():
    race = small_race()
    text = dumps(to_scene(book_scene(), race=race))
    data = loads(text)
    assert data["network"]["iteration"] == 60
    again = build_race(data["network"])
    assert again.setup == race.setup and again.iteration == 60
    for old, new in zip(race.racers, again.racers, strict=True):
        assert (old.label, old.color, old.hyper, old.noise, old.seed, old.schedule) == (
            new.label,
            new.color,
            new.hyper,
            new.noise,
            new.seed,
            new.schedule,
        )
        np.testing.assert_array_equal(
            race.runs[old.id].losses.values, again.runs[new.id].losses.values
        )


def test_files_without_a_network_section_load_as_before():
    data = loads(dumps(to_scene(book_scene())))
    assert "network" not in data


def section(**changes):
    race = small_race()
    scene = to_scene(book_scene(), race=race)
    for path, value in changes.items():
        node = scene["network"]
        *parents, leaf = path.split("__")
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        node[int(leaf) if leaf.isdigit() else leaf] = value
    return json.dumps(scene)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"setup__batch": 0}, "network.setup: Invalid batch"),
        ({"setup__hidden": [4, "x"]}, r"network.setup.hidden\[1\]: expected a whole number"),
        ({"setup__dataset": "swirl"}, "network.setup: Unknown dataset"),
        ({"setup__activation": "gelu"}, "network.setup: Invalid activation"),
        ({"setup__colour": 1}, "network.setup.colour: unknown field"),
        ({"racers__0__hyper": {"lr": -1}}, r"network.racers\[0\].hyper.lr: -1.0 is not a valid"),
        ({"racers__1__optimizer": "newton", "racers__1__hyper": {}}, "Newton needs a Hessian"),
        ({"iteration": 10_000}, "network.iteration: 10000 is out of range"),
        ({"setup__dataset": "mnist"}, "needs the folder"),
    ],
)
def test_bad_network_fields_are_refused_by_path(changes, message):
    with pytest.raises(SceneError, match=message):
        loads(section(**changes))


def test_presets_load_through_the_file_checks():
    assert len([p for p in NETWORK_PRESETS.values() if not p.needs_mnist]) >= 3
    for preset in NETWORK_PRESETS.values():
        if preset.needs_mnist:
            with pytest.raises(ValueError, match="--mnist DIR"):
                preset.load()
            continue
        race = preset.load()
        assert race.iteration == 0 and len(race.racers) >= 3
        assert race.setup.iterations >= 1000


def test_book_preset_is_the_books_experiment():
    section = NETWORK_PRESETS["book-fig6-9"].section
    setup = section["setup"]
    assert (setup["hidden"], setup["batch"], setup["iterations"]) == ([100] * 4, 128, 2000)
    assert (setup["activation"], setup["weight_init_std"]) == ("relu", "relu")
    assert [r["optimizer"] for r in section["racers"]] == ["sgd", "momentum", "adagrad", "adam"]
    assert all(r["hyper"] == {} for r in section["racers"])  # each at its defaults
