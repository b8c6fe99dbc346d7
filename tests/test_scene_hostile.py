"""Hostile and broken session files: each is refused with one SceneError naming the field."""

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gui.model import book_scene
from gui.model.scene import MAX_BYTES, SceneError, dumps, loads, read, to_scene, validate

GOOD = dumps(to_scene(book_scene()))


def edited(change) -> str:
    scene = json.loads(GOOD)
    change(scene)
    return json.dumps(scene)


def setter(path: str, value):
    """A change that sets ``scene[a][b]…`` to ``value``; ``path`` like "racers.2.hyper.lr"."""

    def change(scene):
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node = scene
        for p in parents:
            node = node[p]
        node[last] = value

    return change


CASES = {
    "truncated": (GOOD[: len(GOOD) // 2], r"^file: not JSON \(line \d+"),
    "empty": ("", r"^file: not JSON"),
    "not an object": ("[1, 2, 3]", r"^scene: expected an object, got a list"),
    "1e999": (GOOD.replace('"lr": 0.95', '"lr": 1e999'), r"^file: 1e999 is not a finite"),
    "NaN": (GOOD.replace('"lr": 0.95', '"lr": NaN'), r"^file: NaN is not a number"),
    "Infinity": (GOOD.replace("-7.0", "-Infinity"), r"^file: -Infinity is not a number"),
    "huge integer literal": (GOOD.replace('"lr": 0.95', '"lr": 1' + "0" * 400), r"^file: a number"),
    "integer with 5000 digits": (
        GOOD.replace('"seed": 0', '"seed": 1' + "0" * 5000, 1),
        r"^file: a number with 5001 digits",
    ),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, r"^file: nested deeper than"),
    "nested inside a field": (
        GOOD.replace('"extra": {}', '"extra": {"a": ' + "[" * 50 + "]" * 50 + "}", 1),
        r"^file: nested deeper than",
    ),
    "duplicate key": (
        GOOD.replace('"step": 0', '"step": 0, "step": 5'),
        r"key 'step' appears twice",
    ),
    "wrong format": (edited(setter("format", "something-else")), r"^format: 'something-else'"),
    "newer version": (edited(setter("version", 2)), r"^version: 2 is not supported"),
    "unknown field": (edited(setter("colour_scheme", 1)), r"^colour_scheme: unknown field"),
    "racers not a list": (edited(setter("racers", "four")), r"^racers: expected a list, got text"),
    "start as text": (edited(setter("start", "-7,2")), r"^start: expected \[x, y\]"),
    "step as text": (edited(setter("step", "30")), r"^step: expected a whole number, got text"),
    "step beyond limit": (edited(setter("step", 5000)), r"^step: 5000 is out of range"),
    "step limit too big": (edited(setter("step_limit", 10**12)), r"^step_limit: .* out of range"),
    "lr as text": (
        edited(setter("racers.0.hyper.lr", "0.1")),
        r"racers\[0\]\.hyper\.lr: expected a number",
    ),
    "lr as boolean": (
        edited(setter("racers.0.hyper.lr", True)),
        r"racers\[0\]\.hyper\.lr: expected a number",
    ),
    "lr = -1": (
        edited(setter("racers.2.hyper.lr", -1)),
        r"^racers\[2\]\.hyper\.lr: -1\.0 is not a valid lr \(must be in \(0, inf\)\)$",
    ),
    "momentum = 1": (
        edited(setter("racers.1.hyper.momentum", 1)),
        r"racers\[1\]\.hyper\.momentum: 1\.0",
    ),
    "unknown hyperparameter": (
        edited(setter("racers.0.hyper.lrr", 1)),
        r"racers\[0\]\.hyper\.lrr: sgd has no",
    ),
    "unknown optimizer": (
        edited(setter("racers.3.optimizer", "adamw2")),
        r"racers\[3\]\.optimizer: unknown optimizer 'adamw2'",
    ),
    "optimizer missing": (
        edited(lambda s: s["racers"][0].pop("optimizer")),
        r"racers\[0\]\.optimizer: missing",
    ),
    "colour word": (
        edited(setter("racers.1.color", "red")),
        r"racers\[1\]\.color: 'red' is not a colour",
    ),
    "colour with alpha": (
        edited(setter("racers.1.color", "#11223344")),
        r"racers\[1\]\.color: '#1122",
    ),
    "empty label": (
        edited(setter("racers.0.label", "   ")),
        r"racers\[0\]\.label: must not be empty",
    ),
    "long label": (
        edited(setter("racers.0.label", "x" * 10_000)),
        r"racers\[0\]\.label: 10000 characters",
    ),
    "lone surrogate": (
        GOOD.replace('"label": "SGD"', '"label": "\\ud800"'),
        r"racers\[0\]\.label: not valid Unicode",
    ),
    "negative noise": (
        edited(setter("racers.0.noise", -1)),
        r"racers\[0\]\.noise: -1\.0 must be >= 0",
    ),
    "negative seed": (
        edited(setter("racers.0.seed", -1)),
        r"racers\[0\]\.seed: -1 is out of range",
    ),
    "enabled as 1": (
        edited(setter("racers.0.enabled", 1)),
        r"racers\[0\]\.enabled: expected true or false",
    ),
    "extra object": (
        edited(setter("racers.0.extra", {"a": {"b": 1}})),
        r"racers\[0\]\.extra\.a: only",
    ),
    "too many racers": (
        edited(setter("racers", [0] * 100_000)),
        r"^racers: 100000 racers, at most 32",
    ),
    "racer not an object": (edited(setter("racers.1", 7)), r"^racers\[1\]: expected an object"),
    "unknown surface": (
        edited(setter("surface.key", "moon")),
        r"^surface\.key: unknown surface 'moon'",
    ),
    "surface without key": (edited(setter("surface", {})), r"^surface: give either"),
    "key and formula": (edited(setter("surface.formula", "x")), r"^surface: give either"),
    "bounds on a key": (
        edited(setter("surface.bounds", [0, 1, 0, 1])),
        r"^surface\.bounds: only a formula",
    ),
    "inverted view": (edited(setter("view", [1, -1, -1, 1])), r"^view: needs xmin < xmax"),
    "view with NaN": (
        edited(setter("view", [0, 1, 0, None])),
        r"^view\[3\]: expected a number, got null",
    ),
    "binary garbage": (
        bytes(range(256)) * 64,
        r"^file: not (UTF-8 text|JSON)",
    ),
    "not UTF-8": (
        GOOD.replace('"SGD"', '"caf\xe9"').encode("latin-1"),
        r"^file: not UTF-8 text \(byte \d+\)",
    ),
    "UTF-16": (GOOD.encode("utf-16"), r"^file: not UTF-8 text"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_refused_with_one_clear_error(name):
    text, message = CASES[name]
    with pytest.raises(SceneError, match=message) as info:
        loads(text)
    assert "\n" not in str(info.value) and len(str(info.value)) < 400


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('touch CANARY')",
        "().__class__.__bases__[0].__subclasses__()",
        'exec(\'open("CANARY", "w")\')',
        "x" + "**x" * 2000,
    ],
)
def test_a_formula_attack_is_refused_and_runs_nothing(tmp_path, monkeypatch, formula):
    monkeypatch.chdir(tmp_path)
    scene = json.loads(GOOD)
    scene["surface"] = {"formula": formula, "bounds": [-1, 1, -1, 1]}
    with pytest.raises(SceneError, match=r"^surface\.formula: "):
        loads(json.dumps(scene))
    assert not (tmp_path / "CANARY").exists()


def test_an_integer_too_large_for_a_float_is_refused_in_a_dict_too():
    scene = json.loads(GOOD)
    scene["racers"][0]["hyper"]["lr"] = 10**400
    with pytest.raises(SceneError, match=r"^racers\[0\]\.hyper\.lr: 1000.* is not a finite number"):
        validate(scene)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.json"
    # Valid JSON all the way, so only the size check can refuse it, and fast.
    path.write_text('{"pad": "' + "x" * MAX_BYTES + '"}')
    start = time.perf_counter()
    with pytest.raises(SceneError, match=r"^file: larger than 4 MB"):
        read(path)
    assert time.perf_counter() - start < 0.5


def test_an_unreadable_path_is_a_scene_error(tmp_path):
    with pytest.raises(SceneError, match="cannot read"):
        read(tmp_path / "missing.json")
    with pytest.raises(SceneError, match="cannot read"):
        read(tmp_path)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_scene_error(data):
    with pytest.raises(SceneError):
        loads(data)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.characters())
def test_a_one_character_change_is_accepted_or_refused_cleanly(at, char):
    text = GOOD[:at] + char + GOOD[at + 1 :]
    try:
        scene = loads(text)
    except SceneError:
        return
    assert dumps(scene)  # whatever is accepted can be written again
