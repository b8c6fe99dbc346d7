"""Scenes: session ⇄ versioned JSON, byte-identical round trips, presets, and a safe apply."""

import json

import numpy as np
import pytest

from gui.model import Session, book_scene
from gui.model.presets import PRESETS
from gui.model.scene import (
    FORMAT,
    SceneError,
    apply,
    build,
    dumps,
    loads,
    read,
    to_scene,
    validate,
)
from surfaces import SURFACES


def busy_session() -> Session:
    """Every kind of setting away from its default: noise and seed, a disabled racer, a
    recoloured and relabelled racer, surface parameters, a start and a step limit."""
    session = Session(SURFACES["ravine"])
    session.set_surface_values(condition=120.0, angle=-15.0)
    session.set_start(-6.5, 3.25)
    session.set_step_limit(400)
    a = session.add_racer("momentum", lr=0.3, momentum=0.8)
    b = session.add_racer("adam", label="Adam, fast", color="#1F77B4", lr=0.25, beta1=0.8)
    c = session.add_racer("nesterov", lr=0.05)
    session.set_noise(a.id, 0.125, seed=42)
    session.set_enabled(c.id, False)
    b.extra = {"glyphs": True, "note": "café"}
    session.advance(57)
    return session


def test_save_load_save_is_byte_identical():
    first = dumps(to_scene(busy_session(), view=[-9.5, 9.5, -7.25, 7.25]))
    session, view = build(loads(first))
    assert view == [-9.5, 9.5, -7.25, 7.25]
    assert dumps(to_scene(session, view)) == first
    assert json.loads(first)["format"] == FORMAT and json.loads(first)["version"] == 1


def test_a_loaded_scene_races_exactly_like_the_original():
    original = busy_session()
    copy, _ = build(loads(dumps(to_scene(original))))
    assert copy.step == original.step == 57
    for a, b in zip(original.racers, copy.racers, strict=True):
        assert (a.optimizer, a.label, a.color, a.hyper) == (b.optimizer, b.label, b.color, b.hyper)
        assert (a.enabled, a.noise, a.seed, a.extra) == (b.enabled, b.noise, b.seed, b.extra)
        np.testing.assert_array_equal(
            original.runs[a.id].trajectory.table()[1], copy.runs[b.id].trajectory.table()[1]
        )


def test_a_file_round_trips_through_disk(tmp_path):
    text = dumps(to_scene(book_scene()))
    path = tmp_path / "scene.json"
    path.write_text(text, encoding="utf-8")
    assert dumps(read(path)) == text


def test_missing_optional_fields_take_defaults():
    scene = validate(
        {
            "format": FORMAT,
            "version": 1,
            "surface": {"key": "book"},
            "racers": [{"optimizer": "sgd"}],
        }
    )
    assert scene["start"] == list(SURFACES["book"].start)
    assert scene["step"] == 0 and scene["view"] is None
    racer = scene["racers"][0]
    assert racer["hyper"] == {"lr": 0.01} and racer["enabled"] is True
    assert racer["color"].startswith("#") and racer["label"] == "SGD"


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_loads_and_reaches_its_step_without_diverging(key):
    preset = PRESETS[key]
    session, view = preset.load()
    assert session.step == preset.scene["step"] > 0
    assert len(session.racers) >= 2 and view is None
    assert preset.title and preset.explanation and "\n" not in preset.explanation
    for racer in session.racers:
        assert session.status(racer.id)["diverged_at"] is None
    # A preset is exactly what a saved file would hold.
    assert dumps(to_scene(session)) == dumps(validate(preset.scene))


def test_there_is_the_book_figure_and_at_least_four_teaching_scenes():
    assert "book-fig6-8" in PRESETS
    keys = {PRESETS[k].scene["surface"].get("key") for k in PRESETS}
    assert {"ravine", "saddle", "rosenbrock", "rastrigin"} <= keys


def test_book_preset_is_the_books_figure():
    session, _ = PRESETS["book-fig6-8"].load()
    assert session.step == 30 and session.start == (-7.0, 2.0)
    got = [(r.optimizer, r.hyper["lr"]) for r in session.racers]
    assert got == [("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5), ("adam", 0.3)]


def test_apply_makes_the_live_session_show_the_scene_and_tells_listeners():
    live = book_scene()
    live.advance(5)
    seen = []
    live.events.connect(lambda kind, rid: seen.append(kind))
    apply(live, PRESETS["saddle-escape"].scene)
    assert live.surface.key == "saddle" and live.step == 25
    assert [r.label for r in live.racers] == ["SGD", "Momentum", "Adam", "RMSprop"]
    assert "surface" in seen and "racers" in seen and "stepped" in seen


def test_a_refused_scene_leaves_the_live_session_exactly_as_it_was():
    live = busy_session()
    before = dumps(to_scene(live))
    bad = to_scene(book_scene())
    bad["racers"].append({"optimizer": "adam", "hyper": {"beta1": 1.0}})
    with pytest.raises(SceneError, match=r"racers\[4\]\.hyper\.beta1: 1\.0 is not a valid beta1"):
        apply(live, bad)
    assert dumps(to_scene(live)) == before


def test_cross_field_checks_of_the_optimizer_name_the_racer():
    scene = to_scene(book_scene())
    scene["racers"][1] = {"optimizer": "nesterov", "hyper": {"momentum": 0.0}}
    with pytest.raises(SceneError, match=r"racers\[1\]\.hyper: Invalid momentum: 0\.0"):
        validate(scene)


def test_surface_parameters_are_checked_by_the_surface():
    scene = to_scene(book_scene())
    scene["surface"] = {"key": "ravine", "values": {"condition": 0.5}}
    with pytest.raises(SceneError, match=r"surface\.values\.condition: .*0\.5"):
        validate(scene)
    scene["surface"] = {"key": "book", "values": {"condition": 2.0}}
    with pytest.raises(SceneError, match=r"surface\.values\.condition: .*no such parameter"):
        validate(scene)


def test_a_formula_scene_round_trips():
    scene = to_scene(book_scene())
    scene["surface"] = {"formula": "x**2 + 3*y**2", "bounds": [-2.0, 2.0, -1.0, 1.0]}
    scene["start"] = [1.5, 0.5]
    session, _ = build(scene)
    assert session.surface.formula == "x**2 + 3*y**2"
    text = dumps(to_scene(session))
    assert dumps(to_scene(build(loads(text))[0])) == text
