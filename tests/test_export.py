"""Exports: pictures at the requested size in the racers' colours, SVG, GIF frames, and
trajectories that read back exactly."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from gui.export.animation import STEP_CHUNK, Animation, frame_steps, make
from gui.export.names import default_name
from gui.export.render import Figure, caption, png_bytes
from gui.export.trajectories import CSV_HEADER, to_csv, to_json
from gui.model import Session, book_scene
from gui.model.presets import PRESETS
from surfaces import SURFACES


@pytest.fixture
def book(qapp):
    session, _ = PRESETS["book-fig6-8"].load()
    return session


def rgb_of(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def pixels_near(image: np.ndarray, color: str, tolerance: int = 12) -> int:
    distance = np.abs(image[..., :3].astype(int) - rgb_of(color)).max(axis=2)
    return int((distance <= tolerance).sum())


def test_png_has_the_requested_size_and_every_racer_colour(book):
    with Figure(book, (1920, 1080), title=caption(book)) as figure:
        data = png_bytes(figure.image())
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1920, 1080)
    pixels = np.asarray(image.convert("RGB"))
    for racer in book.racers:
        # A head marker alone is ~300 pixels at this scale; trails and legend add more.
        assert pixels_near(pixels, racer.color) > 300, racer.label


def test_side_by_side_keeps_the_size_and_shows_the_loss_curves(book):
    with Figure(book, (1600, 600), with_loss=True) as figure:
        image = figure.rgb()
        right = image[:, figure.loss.geometry().x() :]
    assert image.shape == (600, 1600, 3)
    for racer in book.racers:
        assert pixels_near(right, racer.color) > 30, racer.label


def test_a_disabled_racer_is_not_drawn(book):
    hidden = book.racers[3]
    book.set_enabled(hidden.id, False)
    with Figure(book, (800, 600)) as figure:
        image = figure.rgb()
    assert pixels_near(image, hidden.color, tolerance=4) == 0


def test_svg_parses_and_has_paths(book):
    with Figure(book, (1280, 720), title="Book") as figure:
        single = figure.svg()
    with Figure(book, (1280, 720), with_loss=True) as figure:
        double = figure.svg()
    for data in (single, double):
        root = ET.fromstring(data)
        assert root.tag.endswith("svg") and float(root.get("width")) > 0
        ns = "{http://www.w3.org/2000/svg}"
        assert len(root.findall(f".//{ns}path")) + len(root.findall(f".//{ns}polyline")) > 20
    ids = [e.get("id") for e in ET.fromstring(double).iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "the two views' ids must not collide"
    assert book.racers[0].color.lower() in double.decode().lower()


def test_figure_stops_following_the_session_when_closed(book):
    before = len(book.events._listeners)
    with Figure(book, (400, 300), with_loss=True):
        assert len(book.events._listeners) == before + 2
    assert len(book.events._listeners) == before


@pytest.mark.parametrize("last, frames, expected", [(30, None, 31), (30, 10, 10), (3, 50, 4)])
def test_frame_steps_run_from_zero_to_the_last_step(last, frames, expected):
    steps = frame_steps(last, frames)
    assert len(steps) == expected and steps[0] == 0 and steps[-1] == last
    assert steps == sorted(set(steps))


def test_gif_has_one_frame_per_step_and_leaves_the_session_alone(book, tmp_path):
    path = tmp_path / "race.gif"
    make(Animation(book, str(path), (320, 200), fps=10))
    with Image.open(path) as gif:
        assert gif.n_frames == 31 and gif.size == (320, 200)
        assert gif.info["loop"] == 0
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB"))
    for racer in book.racers:
        assert pixels_near(last, racer.color, tolerance=8) > 20, racer.label
    assert book.step == 30  # the window's session was not stepped back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.gif"]


def test_an_animation_of_a_long_race_is_made_in_pieces_that_never_block(qapp, tmp_path):
    # At 20,000 steps, re-simulating up front or racing to the next frame in one go would
    # block the window; each advance() with no time budget does one chunk or one frame.
    session = Session(SURFACES["book"])
    session.set_step_limit(100_000)
    session.add_racer("sgd", lr=0.9)
    session.add_racer("adam", lr=0.3)
    session.advance(20_000)
    animation = Animation(session, str(tmp_path / "long.gif"), (120, 90), fps=5, frames=4)
    assert animation.copy.step == 0  # nothing re-simulated before the first frame
    calls, before = 0, 0
    while not animation.advance(budget=0.0):
        calls += 1
        assert animation.copy.step - before <= STEP_CHUNK
        before = animation.copy.step
    animation.finish()
    assert calls >= 20_000 // STEP_CHUNK
    assert animation.done == 4
    with Image.open(tmp_path / "long.gif") as gif:  # the GIF writer merges frames that match
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB"))
    for racer in session.racers:  # the last frame shows the finished race
        assert pixels_near(last, racer.color, tolerance=8) > 5, racer.label
    assert session.step == 20_000


def test_gif_frame_count_follows_the_option(book, tmp_path):
    path = tmp_path / "race.gif"
    make(Animation(book, str(path), (200, 160), fps=5, frames=7))
    with Image.open(path) as gif:
        assert gif.n_frames == 7


# imageio-ffmpeg comes with the test extra, so MP4 is always tested: no skip to hide a regression.
def test_mp4_is_written(book, tmp_path):
    path = tmp_path / "race.mp4"
    make(Animation(book, str(path), (321, 201), fps=10, frames=5))
    assert path.read_bytes()[4:8] == b"ftyp"


def read_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    return rows


def test_csv_round_trips_to_the_model_exactly(book):
    book.set_noise(book.racers[1].id, 0.3, seed=5)  # awkward floats everywhere
    rows = read_csv(to_csv(book))
    for racer in book.racers:
        mine = [r for r in rows if r["label"] == racer.label]
        steps, data = book.runs[racer.id].trajectory.table()
        assert [int(r["step"]) for r in mine] == steps.tolist()
        got = np.array([[float(r[c]) for c in ("x", "y", "loss", "gnorm")] for r in mine])
        np.testing.assert_array_equal(got, data)
        hyper = dict(kv.split("=") for kv in mine[0]["hyper"].split(";"))
        assert {k: float(v) for k, v in hyper.items()} == racer.hyper
        assert mine[0]["optimizer"] == racer.optimizer


def test_csv_sgd_column_is_the_books_closed_form(book):
    rows = [r for r in read_csv(to_csv(book)) if r["label"] == "SGD"]
    x = np.array([float(r["x"]) for r in rows])
    t = np.arange(31)
    # SGD on x²/20: x ← x − 0.95·x/10, so x_t = −7·(1 − 0.095)^t.
    np.testing.assert_allclose(x, -7.0 * (1 - 0.095) ** t, rtol=1e-13, atol=0)


def test_csv_writes_non_finite_values_that_read_back():
    session = Session(SURFACES["book"])
    session.set_step_limit(100)
    wild = session.add_racer("sgd", lr=1e300)
    session.advance(3)
    rows = read_csv(to_csv(session))
    _, data = session.runs[wild.id].trajectory.table()
    got = np.array([[float(r[c]) for c in ("x", "y", "loss", "gnorm")] for r in rows])
    assert not np.isfinite(got).all()
    np.testing.assert_array_equal(got, data)  # NaN matches NaN here


def test_json_holds_settings_and_arrays(book):
    doc = json.loads(to_json(book))
    assert doc["format"] == "optimizer-playground-trajectories" and doc["step"] == 30
    assert doc["surface"] == {"key": "book", "values": {}}
    for racer, entry in zip(book.racers, doc["racers"], strict=True):
        steps, data = book.runs[racer.id].trajectory.table()
        assert entry["hyper"] == racer.hyper and entry["color"] == racer.color
        assert entry["steps"] == steps.tolist() and entry["diverged_at"] is None
        np.testing.assert_array_equal(
            np.array([entry[c] for c in ("x", "y", "loss", "gnorm")]).T, data
        )


def test_exports_leave_out_disabled_racers(book):
    book.set_enabled(book.racers[0].id, False)
    assert "SGD" not in {r["label"] for r in read_csv(to_csv(book))}
    assert "SGD" not in {r["label"] for r in json.loads(to_json(book))["racers"]}


def test_default_names_say_surface_racers_and_step(book):
    assert default_name(book, "png") == "book_sgd-momentum-adagrad-adam_step30.png"
    session = book_scene()
    for _ in range(12):
        session.add_racer("adamw")
    assert len(default_name(session, ".gif")) <= 84
