"""The trajectory files (gui/export/trajectories.py) field by field, as mutation testing (issue 18)
asked: the CSV's columns in the documented order with their exact text, the JSON's keys and
types, and the files' exact bytes where the docstring fixes them (line ends, compact JSON,
``null`` for what JSON cannot hold). Expected values are written out from the module docstring
and from the session's own settings and stored trajectories (which the files must carry
exactly)."""

import csv
import io
import json
import math

import pytest

from gui.export.trajectories import CSV_HEADER, hyper_text, to_csv, to_json
from gui.model import Session
from gui.model.catchup import CHUNK, Budget
from surfaces import SURFACES
from surfaces.formula.surface import from_formula


@pytest.fixture
def race() -> Session:
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    session.add_racer("momentum", lr=0.1, momentum=0.9, label="Heavy ball ü")
    session.add_racer("sgd", lr=0.25)
    session.set_noise(2, 0.125, seed=9)
    session.advance(6)
    return session


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_header_is_the_documented_columns_in_order(race):
    assert CSV_HEADER == (
        "label", "optimizer", "hyper", "noise", "seed", "step", "x", "y", "loss", "gnorm",
        "tolerance", "loss_tolerance",
    )  # fmt: skip
    assert to_csv(race).split("\n", 1)[0] == ",".join(CSV_HEADER)


def test_each_csv_row_carries_the_racers_settings_and_its_points_exactly(race):
    table = rows(to_csv(race))[1:]
    for racer in race.racers:
        trajectory = race.runs[racer.id].trajectory
        steps, data = trajectory.table()
        mine = [r for r in table if r[0] == racer.label]
        assert len(mine) == len(steps) == 7  # steps 0 to 6, nothing thinned yet
        for row, step, point in zip(mine, steps.tolist(), data.tolist(), strict=True):
            assert row[1] == racer.optimizer and row[2] == hyper_text(racer.hyper)
            assert (float(row[3]), int(row[4])) == (racer.noise, racer.seed)
            assert int(row[5]) == step
            assert [float(v) for v in row[6:10]] == point
            assert float(row[10]) == trajectory.tolerance
            (name, value) = row[11].split("=")  # the book's bowl has f_min = 0: one coordinate
            assert name == "log10(f - f_min)" and float(value) == trajectory.loss_tolerance[0]
    assert [r[2] for r in table[:1]] == ["lr=0.1;momentum=0.9"]
    assert (table[-1][3], table[-1][4]) == ("0.125", "9")


def test_hyperparameters_are_name_value_pairs_at_full_precision():
    assert hyper_text({"lr": 0.1, "beta": 1, "eps": 1e-8}) == "lr=0.1;beta=1.0;eps=1e-08"
    assert hyper_text({}) == ""


def test_the_csv_ends_every_line_with_a_plain_newline(race):
    text = to_csv(race)
    assert "\r" not in text and text.endswith("\n")
    assert text.count("\n") == 1 + 2 * 7


def test_a_surface_without_f_min_gives_two_loss_coordinates():
    session = Session(from_formula("x**2 + y**3", [-2, 2, -2, 2]))
    session.set_start(1.0, 1.0)
    racer = session.add_racer("sgd", lr=0.01)
    session.advance(2)
    tolerance = session.runs[racer.id].trajectory.loss_tolerance.tolist()
    pairs = [p.split("=") for p in rows(to_csv(session))[1][11].split(";")]
    assert [name for name, _ in pairs] == ["f", "log10(f)"]
    assert [float(v) for _, v in pairs] == tolerance
    thinned = json.loads(to_json(session))["racers"][0]["thinning"]
    assert thinned == {
        "rule": "shape",
        "tolerance": session.runs[racer.id].trajectory.tolerance,
        "loss_tolerance": {"f": tolerance[0], "log10(f)": tolerance[1]},
    }
    doc = json.loads(to_json(session))
    assert doc["surface"] == {
        "formula": "x**2 + y**3",
        "bounds": [-2.0, 2.0, -2.0, 2.0],
        "values": {},
    }


def test_the_json_document_has_the_documented_keys_and_types(race):
    text = to_json(race)
    doc = json.loads(text)
    assert list(doc) == ["format", "version", "surface", "start", "step", "racers"]
    assert doc["format"] == "optimizer-playground-trajectories" and doc["version"] == 1
    assert doc["surface"] == {"key": "book", "values": {}}
    assert doc["start"] == [-7.0, 2.0] and doc["step"] == 6
    keys = ["label", "optimizer", "hyper", "color", "noise", "seed", "diverged_at", "thinning"]
    keys += ["steps", "x", "y", "loss", "gnorm"]
    for racer, entry in zip(race.racers, doc["racers"], strict=True):
        assert list(entry) == keys
        trajectory = race.runs[racer.id].trajectory
        assert entry["label"] == racer.label and entry["optimizer"] == racer.optimizer
        assert entry["hyper"] == racer.hyper and entry["color"] == racer.color
        assert entry["noise"] == racer.noise and entry["seed"] == racer.seed
        assert isinstance(entry["noise"], float) and isinstance(entry["seed"], int)
        assert entry["thinning"] == {
            "rule": "shape",
            "tolerance": trajectory.tolerance,
            "loss_tolerance": {"log10(f - f_min)": trajectory.loss_tolerance[0]},
        }
    assert doc["racers"][0]["hyper"] == {"lr": 0.1, "momentum": 0.9}
    assert doc["racers"][1]["noise"] == 0.125 and doc["racers"][1]["seed"] == 9


def test_the_json_is_compact_keeps_non_ascii_and_ends_with_a_newline(race):
    text = to_json(race)
    assert text.endswith("}\n") and text.count("\n") == 1
    assert text.startswith('{"format":"optimizer-playground-trajectories","version":1,')
    assert ", " not in text and '": ' not in text
    assert "Heavy ball ü" in text


def test_non_finite_values_are_null_in_json_and_the_divergence_step_is_given():
    session = Session(SURFACES["book"])
    session.set_step_limit(100)
    wild = session.add_racer("sgd", lr=1e300)  # the first step overflows
    session.advance(3)
    _, data = session.runs[wild.id].trajectory.table()
    entry = json.loads(to_json(session))["racers"][0]
    assert entry["diverged_at"] == session.runs[wild.id].diverged_at == 1
    for i, name in enumerate(("x", "y", "loss", "gnorm")):
        expected = [v if math.isfinite(v) else None for v in data[:, i].tolist()]
        assert entry[name] == expected
    assert None in entry["x"] + entry["y"] + entry["loss"] + entry["gnorm"]


def test_a_disabled_racer_is_left_out_of_both_files(race):
    race.set_enabled(1, False)
    assert {r[0] for r in rows(to_csv(race))[1:]} == {race.racer(2).label}
    assert [e["label"] for e in json.loads(to_json(race))["racers"]] == [race.racer(2).label]


@pytest.mark.parametrize("export", [to_csv, to_json])
def test_an_export_mid_catch_up_waits_for_the_finished_runs(export):
    def sliced() -> Session:
        session = Session(SURFACES["book"])
        session.set_step_limit(4 * CHUNK)
        session.add_racer("sgd", lr=0.01)
        session.advance(4 * CHUNK)
        return session

    session, plain = sliced(), sliced()
    session.catchup.budget = Budget(steps=CHUNK)
    session.set_start(-6.0, 1.0)
    plain.set_start(-6.0, 1.0)
    assert session.busy and not plain.busy
    assert export(session) == export(plain)
    assert not session.busy
