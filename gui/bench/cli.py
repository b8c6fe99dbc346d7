"""``python main.py bench``: measure this machine, print a table, optionally one JSON line.

Every number comes from this run on this machine: medians over repeats after warm-ups, and each
ratio from two measurements taken minutes apart in the same process. Painting happens offscreen
(Qt's raster engine into the offscreen platform's backing store) and is verified per frame.
A peer that is not installed (matplotlib, torch) gives null and a note, never a guess.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from dataclasses import dataclass
from typing import Any

from gui.command_name import command_name

KEYS = (
    "tick_ms",
    "tick_matplotlib_ratio",
    "surface_switch_ms",
    "retune_ms",
    "retune_block_ms",
    "retune_100k_s",
    "engine_ms",
    "engine_torch_ratio",
    "sweep_s",
    "basins_s",
    "torch_racer_us",
    "tick_torch_ms",
    "startup_s",
    "rss_growth_mb",
    "train_iter_ms",
    "train_torch_ratio",
    "book_fig69_s",
    "landscape_s",
    "train_tick_ms",
    "tick3d_ms",
)


@dataclass(frozen=True)
class Target:
    what: str
    unit: str
    limit: float | None  # None: reported, no target
    at_least: bool = False

    def verdict(self, value: float | None) -> str:
        if value is None:
            return "no peer"
        if self.limit is None:
            return "report"
        met = value >= self.limit if self.at_least else value <= self.limit
        return "met" if met else "MISSED"

    def goal(self) -> str:
        if self.limit is None:
            return "report"
        return f"{'≥' if self.at_least else '≤'} {self.limit:g}"


TARGETS = {
    "tick_ms": Target("timer tick: step 8 racers, redraw both plots, painted", "ms", 4),
    "tick_matplotlib_ratio": Target("matplotlib blitting, same scene ÷ ours", "×", 10, True),
    "surface_switch_ms": Target("switch surface: 400×400 heat map + contours, painted", "ms", 60),
    "retune_ms": Target("slider move at step 1,000: re-simulate + paint", "ms", 16),
    "retune_block_ms": Target(
        "lr slider dragged through 20 values at step 100,000: longest event-loop block", "ms", 50
    ),
    "retune_100k_s": Target("from the drag's last value to Adam's whole path painted", "s", 1.0),
    "engine_ms": Target("Adam, one update, params (1,000,000, 2) float64", "ms", None),
    "engine_torch_ratio": Target("ours ÷ torch.optim.Adam(foreach=True)", "×", 1.0),
    "sweep_s": Target("Momentum sweep: 10,000 cells × 500 steps on Rosenbrock", "s", 1.0),
    "basins_s": Target("basin map: 256×256 starts × 500 steps of Adam, Himmelblau", "s", 1.5),
    "torch_racer_us": Target("a torch.optim.AdamW racer's step (ours: see details)", "µs", None),
    "tick_torch_ms": Target("timer tick as tick_ms, 4 of the 8 racers torch-backed", "ms", 4),
    "startup_s": Target("process start → first painted frame", "s", 1.5),
    "rss_growth_mb": Target("RSS growth over 1,000,000 steps × 8 racers", "MiB", 50),
    "train_iter_ms": Target("784-100×4-10 net, batch 128: gradient + Adam + loss", "ms", None),
    "train_torch_ratio": Target("ours ÷ the same iteration in torch, float64 CPU", "×", 1.5),
    "book_fig69_s": Target("book figure 6-9: 4 racers × 2,000 iterations", "s", 30),
    "landscape_s": Target("loss landscape, 61×61 PCA slice of the 2-32-32-3 spiral net", "s", 2),
    "train_tick_ms": Target(
        "Network mode tick: 4 racers × 10 iterations, spirals, painted", "ms", 33
    ),
    "tick3d_ms": Target("3-D view tick: step 8 racers, redraw on a 200×200 mesh (GL)", "ms", 25),
}


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or the smoke test's seconds-long reduction."""

    trail: int = 10_000
    tick: int = 60
    matplotlib: int = 20
    switch: int = 18
    retune: int = 20
    drag_step: int = 100_000
    racer_steps: int = 20_000
    engine: int = 30
    sweep: int = 3
    basins: int = 3
    basin_side: int = 256
    startup: int = 5
    soak_ticks: int = 1000
    soak_speed: int = 1000
    train: int = 60
    book_iterations: int = 2000
    landscape_side: int = 61
    train_tick: int = 30
    train_warm: int = 500  # iterations before the Network-mode ticks: curves of a real length
    tick3d: int = 30


QUICK = Plan(
    trail=10_000,
    tick=8,
    matplotlib=3,
    switch=6,
    retune=4,
    drag_step=3_000,
    racer_steps=500,
    engine=5,
    sweep=1,
    basins=1,
    basin_side=64,
    startup=1,
    soak_ticks=10,
    soak_speed=1000,
    train=5,
    book_iterations=5,
    landscape_side=21,
    train_tick=3,
    train_warm=20,
    tick3d=5,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{command_name()} bench",
        description="Measure the playground's speed on this machine, against matplotlib and "
        "torch in the same run. Qt paints offscreen. The full run takes a few minutes; most of "
        "it is the memory soak (a million steps of eight racers).",
    )
    parser.add_argument("--quick", action="store_true", help="a reduced run of a few seconds")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    return parser


def bench_main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Offscreen unless the caller chose a platform: the numbers must not depend on a desktop.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from gui import qt_messages  # Qt loads here, not for --help

    qt_messages.install()
    plan = QUICK if args.quick else Plan()
    results, notes, details = measure(plan, progress=not args.json)
    print(table(results, notes, details, plan))
    if args.json:
        print(json.dumps({**results, "notes": notes, "details": details}, allow_nan=False))
    return 0


def measure(
    plan: Plan, progress: bool = True
) -> tuple[dict[str, float | None], dict[str, str], dict[str, Any]]:
    from gui.bench import drag as bench_drag
    from gui.bench import engine as bench_engine
    from gui.bench import mpl as bench_mpl
    from gui.bench import paint as bench_paint
    from gui.bench import process as bench_process
    from gui.bench import steps as bench_steps
    from gui.bench import tick3d as bench_tick3d
    from gui.bench.scene import race_scene

    def say(what: str) -> None:
        if progress:
            print(f"  measuring {what} …", file=sys.stderr, flush=True)

    details: dict[str, Any] = {
        "quick": plan == QUICK,
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "load_before": _load(),
        "trail_points": plan.trail,
    }
    notes: dict[str, str] = {}
    say("start-up (fresh processes)")
    details.update(bench_process.startup(plan.startup))

    say(f"a timer tick with {plan.trail:,}-point trails")
    session = race_scene(plan.trail)
    details.update(bench_paint.tick(session, plan.tick))
    say("the same scene in matplotlib")
    details.update(bench_mpl.tick(race_scene(plan.trail), plan.matplotlib))
    if details["matplotlib_tick_ms"] is None:
        notes["tick_matplotlib_ratio"] = details.pop("note")
    say("surface switches")
    details.update(bench_paint.surface_switch(plan.switch))
    say("slider moves")
    details.update(bench_paint.retune(plan.retune))
    say(f"a slider dragged at step {plan.drag_step:,}")
    details.update(bench_drag.drag(plan.drag_step))
    say("one racer's step, per optimizer")
    details["step_us"] = bench_steps.step_us(plan.racer_steps)
    say("the sweep")
    details["sweep_s"] = bench_engine.sweep(plan.sweep)
    say("a basin map")
    details["basins_s"] = bench_engine.basin_map(plan.basins, plan.basin_side)
    say("PyTorch racers")
    from gui.bench import torch_racers

    costs = torch_racers.step_cost(plan.sweep)
    notes.update(costs.pop("notes"))
    details.update(costs)
    mixed = torch_racers.torch_scene(plan.trail)
    details["tick_torch_ms"] = None
    if mixed is None:
        notes["tick_torch_ms"] = torch_racers.NOTE
    else:
        details["tick_torch_ms"] = bench_paint.tick(mixed, plan.tick)["tick_ms"]
    say("Adam on a million points, and torch")
    engine = bench_engine.engine(plan.engine)
    notes.update(engine.pop("notes"))
    details.update(engine)
    say("the book's network, one iteration, and torch")
    details.update(_network(plan, notes))
    say("a painted tick of the Network mode")
    from gui.bench.network_paint import train_tick

    details.update(train_tick(plan.train_tick, plan.train_warm))
    say(f"memory over {plan.soak_ticks * plan.soak_speed:,} steps")
    details.update(bench_process.rss_growth(plan.soak_ticks, plan.soak_speed))
    say("a tick of the 3-D view (OpenGL, in a child on the display)")
    view3d = bench_tick3d.tick3d(plan.tick3d, plan.trail)
    if view3d["tick3d_ms"] is None:
        notes["tick3d_ms"] = view3d.pop("note")
    details.update(view3d)
    details["load_after"] = _load()

    results = {
        "tick_ms": details["tick_ms"],
        "tick_matplotlib_ratio": _ratio(details["matplotlib_tick_ms"], details["tick_ms"]),
        "surface_switch_ms": details["surface_switch_ms"],
        "retune_ms": details["retune_ms"],
        "retune_block_ms": details["retune_block_ms"],
        "retune_100k_s": details["retune_100k_s"],
        "engine_ms": details["engine_ms"],
        "engine_torch_ratio": _ratio(details["engine_ms"], details["torch_ms"]),
        "sweep_s": details["sweep_s"],
        "basins_s": details["basins_s"],
        "torch_racer_us": details["torch_racer_us"],
        "tick_torch_ms": details["tick_torch_ms"],
        "startup_s": details["startup_s"],
        "rss_growth_mb": details["rss_growth_mb"],
        "train_iter_ms": details["train_iter_ms"],
        "train_torch_ratio": _ratio(details["train_iter_ms"], details["torch_iter_ms"]),
        "book_fig69_s": details["book_fig69_s"],
        "landscape_s": details["landscape_s"],
        "train_tick_ms": details["train_tick_ms"],
        "tick3d_ms": details["tick3d_ms"],
    }
    for key in KEYS:
        details.pop(key, None)
    return results, notes, details


def table(
    results: dict[str, float | None], notes: dict[str, str], details: dict[str, Any], plan: Plan
) -> str:
    title = "quick run (reduced repeats and soak)" if plan == QUICK else "full run"
    rows = [("key", "value", "target", "", "what")]
    for key in KEYS:
        target, value = TARGETS[key], results[key]
        shown = "null" if value is None else f"{_fmt(value)} {target.unit}"
        rows.append((key, shown, target.goal(), target.verdict(value), target.what))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"Optimizer Playground bench — {title}, {time.strftime('%Y-%m-%d %H:%M')}"]
    for i, row in enumerate(rows):
        pairs = enumerate(zip(row[:4], widths, strict=True))
        cells = [c.rjust(w) if j == 1 else c.ljust(w) for j, (c, w) in pairs]
        lines.append("  ".join([*cells, row[4]]))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 20)
    peers = {
        "matplotlib tick": _fmt_ms(details.get("matplotlib_tick_ms")),
        "torch Adam step": _fmt_ms(details.get("torch_ms")),
        "memory soak": f"{details['soak_steps']:,} steps × {details['soak_racers']} racers in "
        f"{details['soak_s']:.0f} s; the trajectories hold {details['trajectory_mb']:.0f} MiB",
        "µs per racer step": " · ".join(f"{k} {v:.1f}" for k, v in details["step_us"].items()),
        "drag": f"at step {details['drag_at_step']:,}, {details['drag_slices']} slices, "
        f"{details['drag_abandoned']} superseded runs abandoned; in CPU time the longest block "
        f"{details['retune_block_cpu_ms']:.0f} ms, the catch-up "
        f"{details['retune_100k_cpu_s']:.2f} s",
        "torch network iteration": _fmt_ms(details.get("torch_iter_ms"))
        + (f" on {details['torch_threads']} threads" if details.get("torch_threads") else ""),
        "book figure 6-9": details["book_fig69_how"],
        "loss landscape": details["landscape_how"],
        "GL renderer": details.get("gl_renderer") or "none (no OpenGL context)",
        "3-D tick, CPU time": _fmt_ms(details["tick3d_cpu_ms"])
        if details.get("tick3d_cpu_ms") is not None
        else "not measured (no OpenGL context)",
        "load average before/after": f"{details['load_before']} / {details.get('load_after')}",
    }
    lines += ["", *(f"{k}: {v}" for k, v in peers.items())]
    lines += [f"note: {k}: {v}" for k, v in notes.items()]
    return "\n".join(lines)


def _network(plan: Plan, notes: dict[str, str]) -> dict[str, Any]:
    from gui.bench import network as bench_network

    out = bench_network.iteration(plan.train)
    note = out.pop("note", None)
    if note:
        notes["train_torch_ratio"] = note
    n = plan.book_iterations
    seconds = bench_network.book_figure(n)
    scale = bench_network.BOOK_ITERATIONS / n
    out["book_fig69_s"] = seconds * scale
    side = plan.landscape_side
    land = bench_network.landscape(side)
    out["landscape_s"] = land * (61 / side) ** 2
    out["landscape_how"] = f"{side}×{side} points in {land:.2f} s" + (
        f", scaled ×{(61 / side) ** 2:.1f} to 61×61 (quick run)" if side != 61 else ""
    )
    out["book_fig69_how"] = (
        f"4 racers × {n:,} iterations in {seconds:.1f} s"
        + (f", scaled ×{scale:g} to 2,000 (quick run)" if scale != 1 else "")
        + f"; numpy BLAS threads {bench_network.blas_threads()}"
    )
    return out


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"


def _fmt_ms(value: float | None) -> str:
    return "not installed" if value is None else f"{_fmt(value)} ms"


def _load() -> str | None:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return None
