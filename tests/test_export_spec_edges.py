"""The render command's scene arguments (gui/export/spec.py) called directly, as mutation testing
(issue 18) asked: the existing tests reach them only through a subprocess. Each accepted value
and each refusal's words are written out by hand from the docstrings and the messages' rules:
numbers separated by commas and finite, ``key:name=value`` racers, labels with their settings
when an optimizer repeats, the palette in order, sizes from 16 to 8192 pixels."""

import pytest

from gui.export.spec import (
    MAX_SIDE,
    MAX_SPEC,
    check_size,
    parse_numbers,
    parse_racers,
    parse_size,
    scene_from_args,
)
from gui.model.scene import SceneError
from gui.model.session import PALETTE
from optimizers import REGISTRY


def test_numbers_are_read_in_order():
    assert parse_numbers("-7,2", 2, "--start") == [-7.0, 2.0]
    assert parse_numbers(" 1e-3 ", 1, "lr") == [0.001]


@pytest.mark.parametrize(
    ("text", "count", "words"),
    [
        ("1", 2, "--start: expected 2 numbers separated by commas, got '1'"),
        ("1,2,3", 2, "--start: expected 2 numbers separated by commas, got '1,2,3'"),
        ("1,x", 2, "--start: '1,x' is not 2 numbers"),
        ("1,nan", 2, "--start: '1,nan' must be finite numbers"),
        ("inf,1", 2, "--start: 'inf,1' must be finite numbers"),
        ("-inf", 1, "--start: '-inf' must be finite numbers"),
    ],
)
def test_numbers_refused_in_words(text, count, words):
    with pytest.raises(ValueError) as caught:
        parse_numbers(text, count, "--start")
    assert str(caught.value) == words
    # float()'s own error is no news to the person typing: the refusal comes alone.
    assert caught.value.__context__ is None or caught.value.__suppress_context__


def test_racers_with_settings_in_order_and_palette_colours():
    racers = parse_racers("sgd, momentum:lr=0.002 ,adam:lr=0.05: beta1 = 0.8")
    assert racers == [
        {"optimizer": "sgd", "label": "SGD", "color": PALETTE[0], "hyper": {}},
        {"optimizer": "momentum", "label": "Momentum", "color": PALETTE[1], "hyper": {"lr": 0.002}},
        {
            "optimizer": "adam",
            "label": "Adam",
            "color": PALETTE[2],
            "hyper": {"lr": 0.05, "beta1": 0.8},
        },
    ]
    assert [list(r) for r in racers] == [["optimizer", "label", "color", "hyper"]] * 3


def test_a_repeated_optimizer_is_labelled_with_its_settings():
    racers = parse_racers("adam:lr=0.05:beta1=0.8,adam:eps=1e-08,adam,sgd:lr=0.5")
    assert [r["label"] for r in racers] == [
        "Adam (lr=0.05, beta1=0.8)",
        "Adam (eps=1e-08)",
        "Adam",  # repeated, but nothing to tell it by
        "SGD",  # alone: its title, settings or not
    ]


def test_the_ninth_racer_takes_the_palette_from_its_start():
    racers = parse_racers(",".join(["sgd"] * 10))
    assert [r["color"] for r in racers] == [*PALETTE, PALETTE[0], PALETTE[1]]


def test_a_spec_of_exactly_the_limit_is_read_and_one_more_is_refused():
    spec = "sgd" + " " * (MAX_SPEC - 3)
    assert len(spec) == MAX_SPEC == 4000
    assert [r["optimizer"] for r in parse_racers(spec)] == ["sgd"]
    with pytest.raises(ValueError) as caught:
        parse_racers(spec + " ")
    assert str(caught.value) == "--optimizers: longer than 4000 characters"


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("sgd,,adam", "--optimizers: empty entry in 'sgd,,adam' (write e.g. sgd,adam:lr=0.1)"),
        ("sgd, ", "--optimizers: empty entry in 'sgd, ' (write e.g. sgd,adam:lr=0.1)"),
        ("sgd:lr", "--optimizers entry 1 ('sgd:lr'): 'lr' is not name=value"),
        (
            "sgd,adam:lr=1:b c=2",
            "--optimizers entry 2 ('adam:lr=1:b c=2'): 'b c=2' is not name=value",
        ),
        ("sgd:lr=x", "--optimizers entry 1 ('sgd:lr=x'): lr: 'x' is not 1 numbers"),
        ("sgd:lr=nan", "--optimizers entry 1 ('sgd:lr=nan'): lr: 'nan' must be finite numbers"),
    ],
)
def test_racer_specs_refused_in_words(spec, words):
    with pytest.raises(ValueError) as caught:
        parse_racers(spec)
    assert str(caught.value) == words


def test_an_unknown_optimizer_is_refused_with_every_known_one():
    with pytest.raises(ValueError) as caught:
        parse_racers("sgd, adamx :lr=1")
    known = ", ".join(REGISTRY)
    assert known.startswith("sgd, momentum, ")
    assert str(caught.value) == (
        f"--optimizers entry 2 ('adamx :lr=1'): unknown optimizer 'adamx'; known: {known}"
    )


def test_a_scene_from_arguments_is_the_validated_scene():
    scene = scene_from_args({"key": "book"}, [-1.0, 2.0], "sgd,adam:lr=0.1", 40)
    assert scene["format"] == "optimizer-playground-session" and scene["version"] == 1
    assert scene["surface"] == {"key": "book", "values": {}} and scene["start"] == [-1.0, 2.0]
    assert (scene["step"], scene["step_limit"]) == (40, 40)
    assert [(r["optimizer"], r["label"], r["color"]) for r in scene["racers"]] == [
        ("sgd", "SGD", PALETTE[0]),
        ("adam", "Adam", PALETTE[1]),
    ]
    assert scene["racers"][1]["hyper"]["lr"] == 0.1


def test_a_scene_of_zero_steps_has_a_limit_of_one_and_no_start_means_the_surfaces():
    scene = scene_from_args({"key": "book"}, None, "sgd", 0)
    assert (scene["step"], scene["step_limit"]) == (0, 1)
    with_start = scene_from_args({"key": "book"}, [0.5, 0.25], "sgd", 0)
    assert with_start["start"] == [0.5, 0.25] and scene.get("start") != [0.5, 0.25]


@pytest.mark.parametrize(
    ("surface", "start", "spec", "words"),
    [
        (
            {"key": "book"},
            None,
            "sgd, adam:lr=-1",
            "--optimizers entry 2 ('adam:lr=-1'): hyper.lr: -1.0 is not a valid lr",
        ),
        (
            {"key": "book"},
            None,
            "adam:lr=0.1,sgd:lr=-2",
            "--optimizers entry 2 ('sgd:lr=-2'): hyper.lr: -2.0 is not a valid lr",
        ),
        ({"key": "moon"}, None, "sgd", "--surface/--formula: surface.key: unknown surface 'moon'"),
        ({"key": "book"}, [1e999, 2.0], "sgd", "start[0]: inf is not a finite number"),
    ],
)
def test_scene_refusals_speak_of_the_command_line(surface, start, spec, words):
    with pytest.raises(SceneError) as caught:
        scene_from_args(surface, start, spec, 3)
    assert str(caught.value).startswith(words)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("size", [(16, 16), (MAX_SIDE, MAX_SIDE), (16, 8192), ("800", 600.0)])
def test_sizes_from_16_to_8192_pixels_are_accepted_as_whole_numbers(size):
    width, height = check_size(size)
    assert (width, height) == (int(size[0]), int(size[1])) and MAX_SIDE == 8192
    assert isinstance(width, int) and isinstance(height, int)


@pytest.mark.parametrize("size", [(15, 100), (100, 15), (8193, 100), (100, 8193)])
def test_sizes_outside_are_refused_naming_what_and_the_range(size):
    with pytest.raises(ValueError) as caught:
        check_size(size, "--frame")
    assert str(caught.value) == f"--frame: {size[0]}x{size[1]} (each side must be in [16, 8192])"
    with pytest.raises(ValueError, match=r"^size: "):
        check_size(size)


@pytest.mark.parametrize(
    ("text", "size"),
    [("1920x1080", (1920, 1080)), (" 800 × 600 ", (800, 600)), ("640X480", (640, 480))],
)
def test_a_size_is_width_by_height(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["big", "800x", "x600", "800*600", "1234567x100", "80 0x600"])
def test_a_size_that_is_not_width_by_height_is_refused(text):
    with pytest.raises(ValueError) as caught:
        parse_size(text, "--frame")
    assert str(caught.value) == f"--frame: {text!r} is not WIDTHxHEIGHT (e.g. 1920x1080)"
    with pytest.raises(ValueError, match=r"^--size: "):
        parse_size(text)


def test_a_size_read_but_out_of_range_names_what_was_asked():
    with pytest.raises(ValueError) as caught:
        parse_size("10x600", "--frame")
    assert str(caught.value) == "--frame: 10x600 (each side must be in [16, 8192])"
    with pytest.raises(ValueError, match=r"^--size: 10x600"):
        parse_size("10x600")


def test_two_racers_of_one_optimizer_are_told_apart_as_the_docstring_says():
    racers = parse_racers("adam:lr=0.1,adam:lr=0.01")
    assert [r["label"] for r in racers] == ["Adam (lr=0.1)", "Adam (lr=0.01)"]
