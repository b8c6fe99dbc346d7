"""``python main.py train …``: a network race without a window, to a figure or to data.

The race comes from a network preset, adjusted by the command line (iterations, batch, seed,
racers); it goes through the same checks as a session file. The output format follows the
extension: PNG/SVG draw the loss curves (like the book's figure 6-9), CSV/JSON hold every
iteration. Bad arguments, missing MNIST or Ctrl+C give one line on stderr and no file.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any

from gui.command_name import command_name
from gui.export.atomic import ExportError, write_bytes, write_text
from gui.export.cli import Parser, UsageError, _one_line, _output_format
from gui.export.spec import parse_racers, parse_size
from gui.model.network import NetworkRace
from gui.model.network.presets import NETWORK_PRESETS
from gui.model.network.setup import MAX_BATCH, MAX_ITERATIONS, MAX_SEED
from gui.model.scene import SceneError

FORMATS = ("png", "svg", "csv", "json")
CHUNK = 25  # iterations between progress updates (and Ctrl+C checks in numpy-heavy loops)
QUIET_SECONDS = 1.0  # a run shorter than this shows no progress bar
# CMD becomes the command the user ran (python main.py, or the installed optimizer-playground).
EPILOG = """\
examples:
  CMD train --preset spirals-book-defaults --output curves.png
  CMD train --preset book-fig6-9 --mnist ~/data/mnist --output fig6-9.svg
  CMD train --preset xor-learning-rate --optimizers sgd:lr=0.1,adam:lr=0.01 \\
      --iterations 3000 --output xor.csv

presets: """ + ", ".join(NETWORK_PRESETS)


def make_parser() -> Parser:
    command = command_name()
    p = Parser(
        prog=f"{command} train",
        description="Train one network with several optimizers from the same start on the "
        "same mini-batches; write the loss curves (.png, .svg) or the data (.csv, .json).",
        epilog=EPILOG.replace("CMD", command),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--preset", metavar="NAME", required=True, help="a network race (see below)")
    p.add_argument("--mnist", metavar="DIR", help="folder with MNIST (IDX files or mnist.pkl)")
    p.add_argument("--iterations", type=int, metavar="N", help="iterations to train")
    p.add_argument("--batch", type=int, metavar="N", help="mini-batch size")
    p.add_argument("--seed", type=int, metavar="N", help="seed of the first weights and batches")
    p.add_argument(
        "--optimizers",
        metavar="SPEC",
        help="racers instead of the preset's: sgd,momentum:lr=0.02,adam:lr=0.01:beta1=0.8",
    )
    p.add_argument("--size", metavar="WxH", default="1280x720", help="pixels of a figure")
    p.add_argument(
        "--smooth",
        type=int,
        metavar="N",
        help="smoothing window in iterations (default: 11, or 1/40 of a longer run)",
    )
    p.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar (default: on a terminal, for runs over a second)",
    )
    p.add_argument(
        "--landscape",
        choices=("pca", "random"),
        help="draw the loss landscape around the shared start along these directions, with "
        "every racer's path projected on it, instead of the curves (.png, .svg)",
    )
    p.add_argument("--grid", type=int, default=61, metavar="N", help="landscape points per side")
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="where to write")
    return p


def train_main(argv: list[str]) -> int:
    try:
        args = make_parser().parse_args(argv)
        fmt = _output_format(args.output, FORMATS)
        size = parse_size(args.size)
        if args.smooth is not None and not 1 <= args.smooth <= 1001:
            raise UsageError(f"--smooth: {args.smooth} is out of range (must be in [1, 1001])")
        if args.landscape and fmt not in ("png", "svg"):
            raise UsageError("--landscape: the landscape is a picture; write .png or .svg")
        if not 3 <= args.grid <= 401:
            raise UsageError(f"--grid: {args.grid} is out of range (must be in [3, 401])")
        race = load_race(args)
        run(race, always=args.progress, tty=sys.stderr.isatty())
        write(race, args, fmt, size)
    except (UsageError, SceneError, ExportError, ValueError) as exc:
        print(f"train: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ntrain: interrupted; nothing written", file=sys.stderr)
        return 130
    return 0


def load_race(args: argparse.Namespace) -> NetworkRace:
    if args.preset not in NETWORK_PRESETS:
        raise UsageError(
            f"--preset: unknown network preset {args.preset!r}; known: {', '.join(NETWORK_PRESETS)}"
        )
    preset = NETWORK_PRESETS[args.preset]
    if args.mnist and not preset.needs_mnist:
        raise UsageError(f"--mnist: the preset {preset.key} does not train on MNIST")
    _check_range(args.iterations, "--iterations", 1, MAX_ITERATIONS)
    _check_range(args.batch, "--batch", 1, MAX_BATCH)
    _check_range(args.seed, "--seed", 0, MAX_SEED)
    section: dict[str, Any] = dict(preset.section, setup=dict(preset.section["setup"]))
    for name, value in (
        ("iterations", args.iterations),
        ("batch", args.batch),
        ("seed", args.seed),
    ):
        if value is not None:
            section["setup"][name] = value
    if args.optimizers is not None:
        section["racers"] = parse_racers(args.optimizers)
    changed = type(preset)(preset.key, preset.title, preset.explanation, section)
    try:
        return changed.load(args.mnist)
    except SceneError as exc:
        text = str(exc)
        match = re.match(r"network\.racers\[(\d+)\]\.(.*)", text, re.S)
        if match and args.optimizers is not None:
            n = int(match[1])
            entry = args.optimizers.split(",")[n].strip()
            raise SceneError(f"--optimizers entry {n + 1} ({entry!r}): {match[2]}") from None
        raise SceneError(re.sub(r"^network\.setup: ", "", text)) from None


def run(race: NetworkRace, always: bool = False, tty: bool = False) -> None:
    """Train to the setup's iterations. A progress bar on stderr: on a terminal once the run
    has taken a second (short runs stay quiet), or ``always``."""
    total = race.setup.iterations
    started = last = time.monotonic()
    shown = False
    while not race.finished:
        race.advance(CHUNK)
        now = time.monotonic()
        due = always or (tty and now - started > QUIET_SECONDS)
        if due and (now - last > 0.2 or race.finished or not shown):
            shown, last = True, now
            _bar(race.iteration, total, now - started)
    race.test_now()
    if shown:
        print(file=sys.stderr)


def _bar(done: int, total: int, elapsed: float) -> None:
    width = 30
    filled = round(width * done / total)
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate else 0.0
    print(
        f"\rtraining [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} "
        f"iterations, {elapsed:.0f} s, about {eta:.0f} s left ",
        end="",
        file=sys.stderr,
        flush=True,
    )


def write(race: NetworkRace, args: argparse.Namespace, fmt: str, size: tuple[int, int]) -> None:
    if fmt in ("csv", "json"):
        from gui.export.training_data import to_csv, to_json

        write_text(args.output, to_csv(race) if fmt == "csv" else to_json(race))
        return
    from gui.export.curves import CurvesFigure  # Qt only for pictures
    from gui.export.render import png_bytes

    if args.landscape:
        from gui.export.landscape_figure import LandscapeFigure
        from gui.model.network.landscape import LandscapeJob

        result = LandscapeJob(race, method=args.landscape, resolution=args.grid).run()
        figure = LandscapeFigure(result, race, size)
    else:
        figure = CurvesFigure(race, size, figure_title(race), args.smooth)
    with figure:
        data = figure.svg() if fmt == "svg" else png_bytes(figure.image())
    write_bytes(args.output, data)


def figure_title(race: NetworkRace) -> str:
    return (
        f"{race.data.title.split(' (')[0]} — {race.shape} network, batch {race.setup.batch}, "
        f"{race.iteration:,} iterations"
    )


def _check_range(value: int | None, what: str, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise UsageError(f"{what}: {value} is out of range (must be in [{low}, {high}])")
