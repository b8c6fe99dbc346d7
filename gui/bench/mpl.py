"""The peer for a tick: the same scene animated with matplotlib the way notebook visualisers do.

An Agg canvas of the window's plot area; the static parts (filled contours of the same 400×400
field, contour lines, axes, colour bar) drawn once and saved with ``copy_from_bbox``; each frame
steps the same session by one step, restores the background, hands every racer's full
trajectory to its ``Line2D`` (trail and head on the map, loss on the loss axes), draws those
artists and blits. matplotlib's defaults otherwise (antialiased 1.5-point lines, path
simplification on), as such a visualiser would have them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gui.bench.scene import median_seconds
from gui.contours import sample
from gui.model import Session

DPI = 100
SIZE_PX = (916, 760)  # about the window's map and loss plots together


def tick(session: Session, repeats: int) -> dict[str, Any]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return {"matplotlib_tick_ms": None, "note": "matplotlib is not installed: no peer"}
    figure = Figure(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    map_ax, loss_ax = figure.subplots(2, 1, height_ratios=[3, 1])
    surface = session.surface
    field = sample(surface)
    levels = np.linspace(field.low, field.high, 40)
    filled = map_ax.contourf(field.xs, field.ys, np.clip(field.c, field.low, field.high), levels)
    map_ax.contour(field.xs, field.ys, field.c, field.levels(), colors="k", linewidths=0.5)
    figure.colorbar(filled, ax=map_ax)
    xmin, xmax, ymin, ymax = surface.bounds
    map_ax.set(xlim=(xmin, xmax), ylim=(ymin, ymax), xlabel="x", ylabel="y")
    loss_ax.set(yscale="log", xlabel="step", ylabel="f − f_min")
    loss_ax.grid(alpha=0.25)

    runs = [(racer, session.runs[racer.id]) for racer in session.racers if racer.enabled]
    artists = []
    for racer, _ in runs:
        trail = map_ax.plot([], [], color=racer.color, animated=True)[0]
        head = map_ax.plot([], [], "o", color=racer.color, mec="k", animated=True)[0]
        loss = loss_ax.plot([], [], color=racer.color, animated=True)[0]
        artists.append((trail, head, loss))
    fmin = min(m[2] for m in surface.minima)
    last = max(run.step for _, run in runs)
    loss_ax.set(xlim=(0, last * 1.1), ylim=(1e-16, 1e3))

    canvas.draw()
    background = canvas.copy_from_bbox(figure.bbox)

    def frame() -> None:
        session.advance(1)
        canvas.restore_region(background)
        for (_, run), (trail, head, loss) in zip(runs, artists, strict=True):
            steps, data = run.trajectory.table()
            trail.set_data(data[:, 0], data[:, 1])
            head.set_data(data[-1:, 0], data[-1:, 1])
            loss.set_data(steps, np.maximum(data[:, 2] - fmin, 1e-16))
            for artist in (trail, head, loss):
                figure.draw_artist(artist)
        canvas.blit(figure.bbox)

    seconds = median_seconds(frame, repeats, warmup=3)
    points = len(runs[0][1].trajectory) if runs else 0
    return {"matplotlib_tick_ms": seconds * 1e3, "matplotlib_points": points}
