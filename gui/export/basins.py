"""Basin maps to files: CSV (one row per start) here, PNG in ``basins_png`` (Qt is loaded only
for pictures); for the dialog and the command line (``render --basins RACER``)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from gui.export.atomic import write_text
from gui.model.basins import BasinResult

HEADER = "racer,x0,y0,x_end,y_end,basin,basin_x,basin_y,loss,steps"


def basins_csv(results: Sequence[tuple[str, BasinResult]]) -> str:
    """Every start of every racer: where it began and ended, its basin (-1: diverged or none)
    with the attractor's coordinates, final loss and steps until settled; floats at full
    precision (``repr``), nan where a value does not exist."""
    rows = [HEADER]
    for label, r in results:
        name = '"' + label.replace('"', '""') + '"'
        for (j, i), k in _cells(r):
            bx, by = r.attractors[k] if k >= 0 else (float("nan"), float("nan"))
            start_end = (r.x0[j, i], r.y0[j, i], *r.final[j, i])
            basin = f"{k},{float(bx)!r},{float(by)!r}"
            rows.append(
                f"{name},{_floats(start_end)},{basin},{float(r.loss[j, i])!r},"
                f"{_steps(r.steps[j, i])}"
            )
    return "\n".join(rows) + "\n"


def _cells(r: BasinResult):
    ny, nx = r.label.shape
    for j in range(ny):
        for i in range(nx):
            yield (j, i), int(r.label[j, i])


def _floats(values) -> str:
    return ",".join(repr(float(v)) for v in values)


def _steps(value: float) -> str:
    return "nan" if value != value else str(int(value))


def write_csv(results: Sequence[tuple[str, BasinResult]], path: str | os.PathLike[str]) -> None:
    write_text(path, basins_csv(results))


def add_arguments(parser) -> None:
    """``render``'s basin-map options."""
    parser.add_argument(
        "--basins",
        metavar="RACER",
        help="a basin map instead of the race (.png or .csv): a racer's label, its number "
        "(1, 2, …) or 'all' for every racer side by side",
    )
    parser.add_argument(
        "--grid", type=int, default=256, metavar="N", help="basin map: N × N starts (256)"
    )
    parser.add_argument(
        "--basin-steps", type=int, default=500, metavar="N", help="basin map: steps (500)"
    )


def chosen_racers(session, spec: str) -> list[int]:
    """Racer ids named by ``--basins``: 'all', a 1-based number, or a label (any case)."""
    racers = [r for r in session.racers if r.enabled]
    if spec.strip().lower() == "all":
        return [r.id for r in racers]
    if spec.isdigit() and 1 <= int(spec) <= len(racers):
        return [racers[int(spec) - 1].id]
    for r in racers:
        if r.label.lower() == spec.strip().lower():
            return [r.id]
    names = ", ".join(repr(r.label) for r in racers)
    raise ValueError(f"--basins: no racer {spec!r}; the scene has {names} (or 'all', or 1…)")


def render_basins(session, args, fmt: str, size: tuple[int, int]) -> None:
    """Compute and write the basin map ``--basins`` asks for."""
    from gui.model.basins import basins

    if fmt not in ("png", "csv"):
        raise ValueError(f"--basins writes .png or .csv, not .{fmt}")
    results = [
        (session.racer(rid).label, basins(session, rid, args.grid, args.basin_steps))
        for rid in chosen_racers(session, args.basins)
    ]
    if fmt == "csv":
        write_csv(results, args.output)
    else:
        from gui.export.basins_png import write_png

        write_png(results, size, args.output)
