"""``python main.py render …``: a scene to PNG, SVG, GIF, MP4, CSV or JSON, without a window.

The scene comes from a preset, a session file, or the command line; the output format from the
output's extension. The drawing is the window's own map, rendered offscreen. Any problem with
the arguments or the input gives exit status 2 and one line on stderr; the output file is then
not created (every write is atomic).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

from gui.command_name import command_name
from gui.export.atomic import ExportError, write_text
from gui.export.basins import add_arguments as basin_arguments
from gui.export.spec import MAX_FRAMES, parse_numbers, parse_size
from gui.model import Session
from gui.model.presets import PRESETS
from gui.model.scene import SceneError, build, read
from gui.model.session import MAX_STEP_LIMIT
from optimizers.torch_bridge import add_allow_import, allow_imports

FORMATS = ("png", "svg", "gif", "mp4", "csv", "json")
DEFAULT_STEPS = 100  # for a scene made on the command line, which has no step of its own
# CMD becomes the command the user ran (python main.py, or the installed optimizer-playground).
EPILOG = """\
examples:
  CMD render --preset book-fig6-8 --output book.png
  CMD render --preset saddle-escape --size 640x400 --fps 12 --output saddle.gif
  CMD render --session my.json --steps 200 --loss --output race.svg
  CMD render --surface rosenbrock --start -1.2,1 --steps 500 \\
      --optimizers sgd:lr=0.001,momentum:lr=0.001,adam:lr=0.05 --output rosenbrock.csv
  CMD render --preset himmelblau-basins --basins all --output basins.png

presets: """ + ", ".join(PRESETS)


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse would print the whole usage block; one line says more here.
        raise UsageError(message)


def make_parser() -> Parser:
    command = command_name()
    p = Parser(
        prog=f"{command} render",
        description="Render a race without a window: the format follows the output's extension "
        f"({', '.join('.' + f for f in FORMATS)}).",
        epilog=EPILOG.replace("CMD", command),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("--preset", metavar="NAME", help="a built-in scene (default: book-fig6-8)")
    source.add_argument("--session", metavar="FILE", help="a session file saved by the app")
    source.add_argument("--surface", metavar="KEY", help="a catalogue surface, e.g. rosenbrock")
    source.add_argument("--formula", metavar="TEXT", help="a typed surface, e.g. 'x**2 + 3*y**2'")
    p.add_argument("--bounds", metavar="X0,X1,Y0,Y1", help="the frame of --formula")
    p.add_argument(
        "--optimizers",
        metavar="SPEC",
        default="sgd,momentum,adagrad,adam",
        help="racers for --surface/--formula: sgd,momentum:lr=0.002,adam:lr=0.05:beta1=0.8",
    )
    p.add_argument(
        "--start", metavar="X,Y", help="start point (write --start=-7,2 or --start -7,2)"
    )
    p.add_argument("--steps", type=int, metavar="N", help="render the race at step N")
    p.add_argument(
        "--size", metavar="WxH", help="pixels (default 1280x720; 800x500 for animations)"
    )
    p.add_argument("--fps", type=float, default=15.0, metavar="F", help="animation frame rate")
    p.add_argument(
        "--frames",
        type=int,
        metavar="N",
        help="animation frames (default: every step, at most 600)",
    )
    p.add_argument(
        "--view",
        choices=("map", "3d"),
        default="map",
        help="3d: the 3-D view (.png; .gif/.mp4 turn the camera once around); needs OpenGL",
    )
    p.add_argument(
        "--every-step",
        action="store_true",
        help="CSV/JSON: every step, replayed into the file (default: the points kept by shape)",
    )
    p.add_argument("--loss", action="store_true", help="draw the loss plot beside the map")
    p.add_argument("--no-title", action="store_true", help="no 'surface — step N' title")
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="where to write")
    basin_arguments(p)
    add_allow_import(p)
    return p


def render_main(argv: list[str]) -> int:
    try:
        args = make_parser().parse_args(_join_negative(argv))
        allow_imports(args)
        fmt = _output_format(args.output)
        if not 0.5 <= args.fps <= 60:
            raise UsageError(f"--fps: {args.fps:g} is out of range (must be in [0.5, 60])")
        if args.frames is not None and not 2 <= args.frames <= MAX_FRAMES:
            raise UsageError(
                f"--frames: {args.frames} is out of range (must be in [2, {MAX_FRAMES}])"
            )
        if args.every_step and (fmt not in ("csv", "json") or args.basins is not None):
            raise UsageError("--every-step goes with a .csv or .json output of the racers' paths")
        animated = fmt in ("gif", "mp4")
        size = parse_size(args.size or ("800x500" if animated else "1280x720"))
        if args.view == "3d":
            from gui.export.render3d import check_args

            check_args(args, fmt)  # before the scene is built: say it at once
        session, view = load_scene(args)
        write(session, view, args, fmt, size)
    except (UsageError, SceneError, ExportError, ValueError) as exc:
        print(f"render: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("render: interrupted; nothing written", file=sys.stderr)
        return 130
    return 0


def load_scene(args: argparse.Namespace) -> tuple[Session, list[float] | None]:
    if args.steps is not None and not 0 <= args.steps <= MAX_STEP_LIMIT:
        raise UsageError(
            f"--steps: {args.steps} is out of range (must be in [0, {MAX_STEP_LIMIT}])"
        )
    if args.bounds and not args.formula:
        raise UsageError("--bounds goes with --formula")
    if args.surface or args.formula:
        from gui.export.spec import scene_from_args

        if args.surface:
            surface: dict[str, Any] = {"key": args.surface}
        else:
            surface = {"formula": args.formula}
            surface["bounds"] = parse_numbers(args.bounds or "-5,5,-5,5", 4, "--bounds")
        start = parse_numbers(args.start, 2, "--start") if args.start else None
        steps = DEFAULT_STEPS if args.steps is None else args.steps
        return build(scene_from_args(surface, start, args.optimizers, steps))
    if args.session:
        scene = read(args.session)
    else:
        name = args.preset or "book-fig6-8"
        if name not in PRESETS:
            raise UsageError(f"--preset: unknown preset {name!r}; known: {', '.join(PRESETS)}")
        scene = dict(PRESETS[name].scene)
    if args.start:
        scene["start"] = parse_numbers(args.start, 2, "--start")
    if args.steps is not None:
        scene["step"] = args.steps
        scene["step_limit"] = max(args.steps, scene.get("step_limit", 1), 1)
    return build(scene)


def write(
    session: Session,
    view: list[float] | None,
    args: argparse.Namespace,
    fmt: str,
    size: tuple[int, int],
) -> None:
    if args.basins is not None:
        from gui.export.basins import render_basins

        render_basins(session, args, fmt, size)
        return
    if fmt in ("csv", "json") and args.every_step:
        from gui.export.every_step import write_every_step

        write_every_step(session, args.output, fmt)
        return
    if fmt in ("csv", "json"):
        from gui.export.trajectories import to_csv, to_json

        write_text(args.output, to_csv(session) if fmt == "csv" else to_json(session))
        return
    if args.view == "3d":
        from gui.export.render3d import write_3d

        write_3d(session, args, fmt, size)
        return
    from gui.export import render  # Qt only for pictures

    if fmt in ("gif", "mp4"):
        from gui.export.animation import Animation, make

        make(Animation(session, args.output, size, args.fps, args.frames, args.loss, view))
        return
    title = None if args.no_title else render.caption(session)
    with render.Figure(session, size, args.loss, view, title) as figure:
        if fmt == "svg":
            from gui.export.atomic import write_bytes

            write_bytes(args.output, figure.svg())
        else:
            render.save_png(figure.image(), args.output)


def _output_format(output: str, formats: tuple[str, ...] = FORMATS) -> str:
    path = Path(output)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise UsageError(
            f"--output: {output!r} must end in one of {', '.join('.' + f for f in formats)}"
        )
    if path.is_dir():
        raise UsageError(f"--output: {output!r} is a folder")
    if not path.resolve().parent.is_dir():
        raise UsageError(f"--output: the folder {str(path.parent)!r} does not exist")
    return fmt


def _join_negative(argv: list[str]) -> list[str]:
    """``--start -7,2`` → ``--start=-7,2``: argparse would take ``-7,2`` for an option."""
    out: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in ("--start", "--bounds"):
            value = next(it, None)
            out.append(arg if value is None else f"{arg}={value}")
        else:
            out.append(arg)
    return out


def _one_line(exc: BaseException) -> str:
    return re.sub(r"\s*\n\s*", " ", str(exc)).strip() or type(exc).__name__
