"""The project's promises about itself: CI runs the README's test command, PySide6 is pinned."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick)


def ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]


def apt_packages() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text().replace("\\\n", " ")
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith("apt-get install")]
    return {word for word in line.split() if not word.startswith("-")} - {"apt-get", "install"}


def test_ci_runs_the_readme_test_command_verbatim_in_a_fresh_venv_without_torch():
    install_and_start, test_command = readme_commands()[:2]
    assert "optimizer-playground" in install_and_start
    assert "pytest" in test_command and "torch" not in test_command
    lines = ci_lines()
    phase_1 = lines.index(f"{test_command} || exit $?")  # verbatim, and a failed install stops
    assert lines.index("python3 -m venv --clear .venv") < phase_1
    commands = [line for line in lines[:phase_1] if not line.startswith("#")]
    assert not [line for line in commands if "torch" in line or "PLAYGROUND" in line]


def test_ci_then_requires_the_peer_tests_with_torch_pinned():
    lines = ci_lines()
    installs = [i for i, line in enumerate(lines) if line.startswith(("pip", "python -m pip"))]
    (torch,) = [i for i in installs if " torch==" in lines[i]]
    assert lines[torch].endswith(" torch==2.13.0")  # the wheel on disk, not a CUDA build
    # Libraries that depend on torch come after it: before, pip would fetch a torch of its own.
    assert all(i > torch for i in installs if "torch" in lines[i] and i != torch)
    phase_2 = (
        "xvfb-run -a env QT_QPA_PLATFORM=xcb PLAYGROUND_REQUIRE_PEERS=1 "
        'python -m pytest -q -m "needs_torch or needs_gl"'
    )
    (run,) = [i for i, line in enumerate(lines) if line.startswith(phase_2)]
    assert torch < run
    toml = tomllib.loads((ROOT / "pyproject.toml").read_text())
    markers = {m.split(":")[0] for m in toml["tool"]["pytest"]["ini_options"]["markers"]}
    assert {"needs_torch", "needs_gl"} <= markers


def test_ci_installs_venv_support_and_an_x_server():
    xvfb = "xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1"
    xvfb += " libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"
    assert {"python3-venv", *xvfb.split()} <= apt_packages()


def pyside_requirements() -> list[Requirement]:
    toml = (ROOT / "pyproject.toml").read_text()
    quoted = re.findall(r'"(PySide6[^"]*)"', toml)
    return [Requirement(q) for q in quoted]


def test_pyside6_612_can_never_reach_python_311():
    env = {"python_version": "3.11", "python_full_version": "3.11.7"}
    active = [r for r in pyside_requirements() if r.marker is None or r.marker.evaluate(env)]
    assert active, "no PySide6 requirement applies to Python 3.11"
    for req in active:
        assert Version("6.12.0") not in req.specifier
        assert Version("6.10.3") in req.specifier  # the release known to work with pyqtgraph 0.14


def test_readme_library_example_runs():
    text = (ROOT / "README.md").read_text()
    (example,) = re.findall(r"```python\n(.+?)```", text, flags=re.S)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)  # our own documentation, not input
    assert namespace["params"]["W"].shape == (1000, 2)
    assert namespace["sweep"].lr.shape == (10_000,)
