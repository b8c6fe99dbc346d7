"""Entry point: the window by default, or a headless command (``render``, ``bench``, ``train``)."""

from __future__ import annotations

import sys

COMMANDS = {
    "render": "draw a scene to PNG, SVG, GIF, MP4, CSV or JSON without a window",
    "bench": "measure speed on this machine against peers in the same run",
    "train": "train a network with several optimizers; write loss curves or per-iteration data",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "render":
        from gui.export.cli import render_main

        return render_main(argv[1:])
    if argv and argv[0] == "train":
        from gui.export.train import train_main

        return train_main(argv[1:])
    if argv and argv[0] == "bench":
        from gui.bench import bench_main

        return bench_main(argv[1:])
    from gui.launch import launch_main

    return launch_main(argv)
