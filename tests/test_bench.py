"""The bench runs end to end and reports every number. Benchmarks are not tests: no time is
asserted here, only that each measurement happened and came back as a number, or, when its peer
is not installed, as null with a note that says so."""

import json
import math
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import REQUIRE_PEERS

from gui.bench import KEYS
from gui.bench import engine as bench_engine
from gui.bench import mpl as bench_mpl
from gui.bench.scene import race_scene

ROOT = Path(__file__).resolve().parent.parent

# The keys measured with an optional peer, and the module each one needs.
PEER_OF = {
    "tick_matplotlib_ratio": "matplotlib",
    "engine_torch_ratio": "torch",
    "torch_racer_us": "torch",
    "tick_torch_ms": "torch",
    "train_torch_ratio": "torch",
}


def run_quick_bench() -> dict:
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
    assert "tick_ms" in done.stdout.split("{", 1)[0]  # the table comes before the JSON line
    return json.loads(done.stdout.strip().splitlines()[-1])


# Marked so that CI's torch phase runs it: there, with torch installed, the ratio must be a number.
@pytest.mark.needs_torch
def test_quick_bench_reports_every_key_as_a_number_or_its_missing_peer():
    missing = {key for key, module in PEER_OF.items() if find_spec(module) is None}
    if REQUIRE_PEERS:
        assert not missing, f"PLAYGROUND_REQUIRE_PEERS=1 but these peers are missing: {missing}"
    report = run_quick_bench()
    gl_missing = report["tick3d_ms"] is None
    if not os.environ.get("DISPLAY"):
        # OpenGL needs a display: without one the 3-D tick is null, and a note says why.
        assert gl_missing and "display" in report["notes"]["tick3d_ms"]
    for key in KEYS:
        value = report[key]
        if key in missing or (key == "tick3d_ms" and gl_missing):
            assert value is None, (key, value)
            if key in missing:
                assert f"{PEER_OF[key]} is not installed" in report["notes"][key]
        else:
            assert isinstance(value, float) and math.isfinite(value), (key, value)
    assert set(report["notes"]) == missing | ({"tick3d_ms"} if gl_missing else set())
    if not gl_missing:
        assert report["details"]["gl_renderer"]
    assert report["details"]["quick"] is True


def test_a_peer_that_cannot_be_imported_gives_null_and_a_note(monkeypatch):
    # None in sys.modules makes `import torch` raise ImportError, installed or not: the branch
    # the report's null comes from, checked in every environment.
    monkeypatch.setitem(sys.modules, "torch", None)
    out = bench_engine.engine(1)
    assert out["torch_ms"] is None and out["engine_ms"] > 0
    assert out["notes"] == {"engine_torch_ratio": "torch is not installed: no peer to compare with"}
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    out = bench_mpl.tick(race_scene(100), 1)
    assert out["matplotlib_tick_ms"] is None
    assert "matplotlib is not installed" in out["note"]
