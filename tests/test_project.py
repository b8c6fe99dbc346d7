"""The project's promises about itself: CI runs the README's test command, PySide6 is pinned."""

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick)


def test_ci_runs_exactly_the_readme_test_command():
    install_and_start, test_command = readme_commands()[:2]
    assert "optimizer-playground" in install_and_start
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


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
