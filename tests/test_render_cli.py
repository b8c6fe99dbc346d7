"""``python main.py render``, end to end in a subprocess without a display."""

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gui.model import book_scene
from gui.model.presets import PRESETS
from gui.model.scene import dumps, to_scene

ROOT = Path(__file__).resolve().parent.parent


def render(*args: str, cwd: Path | None = None, wait: bool = True):
    """The command's CompletedProcess (or, with ``wait=False``, its running Popen)."""
    # No display and no platform chosen: the command itself must pick Qt's offscreen platform.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    command = [sys.executable, str(ROOT / "main.py"), "render", *args]
    if not wait:
        pipe = subprocess.PIPE
        return subprocess.Popen(command, stdout=pipe, stderr=pipe, text=True, env=env, cwd=cwd)
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd or ROOT, timeout=120
    )


def ok(*args: str) -> None:
    done = render(*args)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""


def test_png_of_a_preset(tmp_path):
    out = tmp_path / "book.png"
    ok("--preset", "book-fig6-8", "--size", "960x540", "--output", str(out))
    image = Image.open(out)
    assert image.size == (960, 540)
    pixels = np.asarray(image.convert("RGB")).astype(int)
    for racer in PRESETS["book-fig6-8"].scene["racers"]:
        rgb = [int(racer["color"][i : i + 2], 16) for i in (1, 3, 5)]
        assert (np.abs(pixels - rgb).max(axis=2) <= 12).sum() > 100, racer["label"]


def test_svg_with_the_loss_plot(tmp_path):
    out = tmp_path / "saddle.svg"
    ok("--preset", "saddle-escape", "--loss", "--output", str(out))
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert any(e.tag.endswith("path") for e in root.iter())


def test_gif_frames_follow_the_options(tmp_path):
    out = tmp_path / "race.gif"
    ok(
        "--preset",
        "book-fig6-8",
        "--size",
        "240x160",
        "--frames",
        "12",
        "--fps",
        "8",
        "-o",
        str(out),
    )
    with Image.open(out) as gif:
        assert gif.n_frames == 12 and gif.size == (240, 160)


# imageio-ffmpeg comes with the test extra, so MP4 is always tested: no skip to hide a regression.
def test_mp4(tmp_path):
    out = tmp_path / "race.mp4"
    ok("--preset", "book-fig6-8", "--size", "320x200", "--frames", "6", "--output", str(out))
    assert out.read_bytes()[4:8] == b"ftyp"


def test_csv_of_the_book_matches_the_closed_form(tmp_path):
    out = tmp_path / "book.csv"
    ok("--preset", "book-fig6-8", "--output", str(out))
    rows = [r for r in csv.DictReader(io.StringIO(out.read_text())) if r["optimizer"] == "sgd"]
    x = np.array([float(r["x"]) for r in rows])
    np.testing.assert_allclose(x, -7.0 * (1 - 0.095) ** np.arange(31), rtol=1e-13, atol=0)


def test_json_of_a_command_line_scene(tmp_path):
    out = tmp_path / "rosen.json"
    ok(
        "--surface", "rosenbrock", "--start", "-1.2,1", "--steps", "40",
        "--optimizers", "sgd:lr=0.001,adam:lr=0.05:beta1=0.8,adam:lr=0.01",
        "--output", str(out),
    )  # fmt: skip
    doc = json.loads(out.read_text())
    assert doc["step"] == 40 and doc["start"] == [-1.2, 1.0]
    labels = [r["label"] for r in doc["racers"]]
    assert labels == ["SGD", "Adam (lr=0.05, beta1=0.8)", "Adam (lr=0.01)"]
    assert doc["racers"][1]["hyper"]["beta1"] == 0.8
    assert all(len(r["x"]) == 41 for r in doc["racers"])


def test_a_session_file_with_a_new_step(tmp_path):
    session = tmp_path / "mine.json"
    session.write_text(dumps(to_scene(book_scene())))
    out = tmp_path / "mine.csv"
    ok("--session", str(session), "--steps", "12", "--output", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert max(int(r["step"]) for r in rows) == 12 and len(rows) == 4 * 13


def hostile_session(tmp_path: Path) -> str:
    path = tmp_path / "bad.json"
    scene = to_scene(book_scene())
    scene["racers"][2]["hyper"]["lr"] = -1.0
    path.write_text(json.dumps(scene))
    return str(path)


BAD = {
    "unknown preset": (["--preset", "nope"], "--preset: unknown preset 'nope'"),
    "unknown format": (["--preset", "book-fig6-8"], "must end in one of"),
    "missing output": ([], "required: --output"),
    "bad size": (["--size", "big"], "--size: 'big' is not WIDTHxHEIGHT"),
    "tiny size": (["--size", "4x4"], "--size: 4x4"),
    "bad steps": (["--steps", "-3"], "--steps: -3 is out of range"),
    "steps not a number": (["--steps", "ten"], "invalid int value: 'ten'"),
    "bad start": (["--surface", "book", "--start", "1,nan"], "--start: '1,nan' must be finite"),
    "unknown surface": (["--surface", "moon"], "surface.key: unknown surface 'moon'"),
    "unknown optimizer": (["--surface", "book", "--optimizers", "sgd,adamx"], "entry 2 ('adamx')"),
    "bad lr": (["--surface", "book", "--optimizers", "sgd:lr=-1"], "lr: -1.0 is not a valid lr"),
    "infinite lr": (["--surface", "book", "--optimizers", "sgd:lr=1e999"], "must be finite"),
    "two sources": (["--preset", "book-fig6-8", "--surface", "book"], "not allowed with"),
    "hostile session": (["--session", "HOSTILE"], "racers[2].hyper.lr: -1.0 is not a valid lr"),
    "missing session": (["--session", "/nonexistent/s.json"], "cannot read (No such file"),
    "bad fps": (["--fps", "0"], "--fps: 0 is out of range"),
    "too many frames": (["--frames", "100000"], "--frames: 100000 is out of range"),
    "formula attack": (["--formula", "__import__('os').system('touch CANARY')"], "formula"),
}


@pytest.fixture(scope="module")
def refusals(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """Every bad command line at once, each in its own folder: they are independent, and
    running them side by side keeps this file fast."""
    started = {}
    for name, (args, _) in BAD.items():
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        args = [hostile_session(folder) if a == "HOSTILE" else a for a in args]
        ext = {"unknown format": "txt", "bad fps": "gif"}.get(name, "png")
        if name != "missing output":
            args = [*args, "--output", str(folder / f"out.{ext}")]
        started[name] = (render(*args, cwd=folder, wait=False), folder)
    results = {}
    for name, (proc, folder) in started.items():
        out, err = proc.communicate(timeout=120)
        results[name] = (subprocess.CompletedProcess(proc.args, proc.returncode, out, err), folder)
    return results


@pytest.mark.parametrize("name", list(BAD))
def test_bad_arguments_give_one_line_and_no_file(refusals, name):
    done, folder = refusals[name]
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("render: "), done.stderr
    assert BAD[name][1] in lines[0]
    assert sorted(p.name for p in folder.iterdir()) in ([], ["bad.json"])
