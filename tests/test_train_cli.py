"""``python main.py train`` end to end, in a subprocess: files written, or none and exit 2."""

import csv
import gzip
import io
import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SPIRALS = ["--preset", "spirals-book-defaults", "--iterations", "60"]


def train(*args, timeout=120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "main.py", "train", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_png_figure(tmp_path):
    out = tmp_path / "curves.png"
    done = train(*SPIRALS, "--size", "800x450", "--output", str(out))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (800, 450)
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_svg_figure_names_every_racer(tmp_path):
    out = tmp_path / "curves.svg"
    done = train(*SPIRALS, "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.lstrip().startswith("<?xml") or "<svg" in text[:200]
    for label in ("SGD", "Momentum", "AdaGrad", "Adam"):
        assert label in text


def test_csv_holds_every_iteration_of_every_racer(tmp_path):
    out = tmp_path / "race.csv"
    done = train(*SPIRALS, "--optimizers", "sgd:lr=0.1,adam", "--output", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    for label in ("SGD", "Adam"):
        mine = [r for r in rows if r["racer"] == label]
        trained = [r for r in mine if r["train_loss"]]
        assert [int(r["iteration"]) for r in trained] == list(range(1, 61))
        tested = [int(r["iteration"]) for r in mine if r["test_loss"]]
        assert tested == [0, 50, 60]  # every 50 iterations, and the final weights
        assert all(0 <= float(r["test_accuracy"]) <= 1 for r in mine if r["test_accuracy"])


def test_json_and_same_seed_same_numbers(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        done = train(*SPIRALS, "--seed", "3", "--batch", "16", "--output", str(path))
        assert done.returncode == 0, done.stderr
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a == b
    assert a["network"] == "2-32-32-3" and a["setup"]["batch"] == 16 and a["setup"]["seed"] == 3
    assert [len(r["train_loss"]) for r in a["racers"]] == [60] * 4
    other = tmp_path / "c.json"
    assert train(*SPIRALS, "--seed", "4", "--output", str(other)).returncode == 0
    assert json.loads(other.read_text())["racers"][0]["train_loss"] != a["racers"][0]["train_loss"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "nope"], "unknown network preset 'nope'"),
        ([*SPIRALS, "--optimizers", "adam:lr=-1"], "--optimizers entry 1 ('adam:lr=-1')"),
        ([*SPIRALS, "--optimizers", "frobnicate"], "unknown optimizer 'frobnicate'"),
        ([*SPIRALS, "--batch", "0"], "--batch: 0 is out of range"),
        ([*SPIRALS, "--mnist", "/tmp"], "does not train on MNIST"),
        (["--preset", "book-fig6-9"], "book-fig6-9 trains on MNIST: name the folder"),
        (["--preset", "book-fig6-9", "--mnist", "/nonexistent/mnist"], "neither a folder"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_no_file(tmp_path, args, message):
    out = tmp_path / "never.png"
    done = train(*args, "--output", str(out))
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("train: ")
    assert list(tmp_path.iterdir()) == []


def test_bad_output_names_exit_2(tmp_path):
    done = train(*SPIRALS, "--output", str(tmp_path / "x.gif"))
    assert done.returncode == 2 and "must end in one of" in done.stderr
    done = train(*SPIRALS, "--output", str(tmp_path / "missing" / "x.png"))
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_book_experiment_reads_mnist_from_a_folder(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / "mnist"
    folder.mkdir()
    shapes = {
        "train-images-idx3-ubyte": (40, 28, 28),
        "train-labels-idx1-ubyte": (40,),
        "t10k-images-idx3-ubyte": (12, 28, 28),
        "t10k-labels-idx1-ubyte": (12,),
    }
    for name, shape in shapes.items():
        top = 10 if len(shape) == 1 else 256
        array = rng.integers(0, top, shape, dtype=np.uint8)
        header = b"\x00\x00\x08" + bytes([len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
        (folder / f"{name}.gz").write_bytes(gzip.compress(header + array.tobytes()))
    out = tmp_path / "fig.json"
    done = train(
        "--preset", "book-fig6-9", "--mnist", str(folder), "--iterations", "5", "--batch", "8",
        "--output", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    assert doc["network"] == "784-100-100-100-100-10"
    assert [r["optimizer"] for r in doc["racers"]] == ["sgd", "momentum", "adagrad", "adam"]


def test_progress_bar_goes_to_stderr_when_asked(tmp_path):
    out = tmp_path / "race.csv"
    done = train(*SPIRALS, "--output", str(out))  # not a terminal: quiet
    assert done.returncode == 0 and done.stderr == ""
    done = train(*SPIRALS, "--progress", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert "training [" in done.stderr and "60/60 iterations" in done.stderr
    assert done.stdout == ""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_leaves_no_file(tmp_path):
    out = tmp_path / "race.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = ["--preset", "spirals-book-defaults", "--iterations", "1000000", "--progress"]
    proc = subprocess.Popen(
        [sys.executable, "main.py", "train", *args, "--output", str(out)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        # A shell starts background jobs with Ctrl+C ignored, and a child inherits that: a
        # suite run in the background would make this Ctrl+C do nothing. A terminal's is meant.
        preexec_fn=_default_sigint,
    )
    try:
        # Text mode reads the bar's "\r" as a line end.
        assert proc.stderr.read(len("\ntraining [")) == "\ntraining ["  # training has begun
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=60)[1]
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert rest.rstrip().endswith("train: interrupted; nothing written")
    assert list(tmp_path.iterdir()) == []
