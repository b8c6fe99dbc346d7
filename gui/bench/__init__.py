"""``python main.py bench``: this machine's figures, each against a peer in the same run."""

from gui.bench.cli import KEYS, bench_main

__all__ = ["KEYS", "bench_main"]
