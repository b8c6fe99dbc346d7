"""The bench runs end to end and reports every number. Benchmarks are not tests: no time is
asserted here, only that each measurement happened and came back as a number."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from gui.bench import KEYS

ROOT = Path(__file__).resolve().parent.parent


def test_quick_bench_reports_every_key_as_a_number():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "main.py", "bench", "--quick", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a few seconds alone; minutes on a machine shared by several jobs
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for key in KEYS:
        # matplotlib and torch are installed with the test extras, so no peer may be missing.
        value = report[key]
        assert isinstance(value, float) and math.isfinite(value), (key, value)
    assert report["notes"] == {}
    assert report["details"]["quick"] is True
    assert "tick_ms" in done.stdout.split("{", 1)[0]  # the table comes before the JSON line
