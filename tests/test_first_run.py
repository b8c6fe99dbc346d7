"""A newcomer's first minutes: the package installs as Python users expect, the help shows the
command they typed, and the app starts quietly, or says in one line why it cannot."""

import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import conftest
import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from PySide6 import QtCore

from gui.bench.cli import build_parser as bench_parser
from gui.command_name import command_name
from gui.display import no_display_message
from gui.export.cli import make_parser as render_parser
from gui.export.train import make_parser as train_parser
from gui.launch import build_parser as window_parser
from gui.launch import launch_main
from gui.qt_messages import HARMLESS, filtered

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
HARMLESS_LINE = "This plugin does not support propagateSizeHints()"


def run(
    *args: str, env: dict | None = None, code: str | None = None
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "main.py", *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


# --- packaging ---------------------------------------------------------------------------------


def test_the_package_installs_no_top_level_main_module():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert "py-modules" not in setuptools
    include = setuptools["packages"]["find"]["include"]
    assert not any(fnmatch("main", pattern) for pattern in include)
    assert all(any(fnmatch(p, pattern) for pattern in include) for p in ("gui", "surfaces"))


def test_the_command_is_a_console_script_so_render_and_bench_can_print():
    project = PYPROJECT["project"]
    assert project["scripts"] == {"optimizer-playground": "gui.app:main"}
    assert "gui-scripts" not in project


def test_the_license_is_an_spdx_string_with_its_file():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The Optimizer Playground authors" in text
    # setuptools reads the SPDX form and license-files from version 77 on (PEP 639).
    (backend,) = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    assert backend.name == "setuptools"
    assert Version("76.1") not in backend.specifier and Version("77.0") in backend.specifier


# --- the command the user typed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv0", "command"),
    [
        ("main.py", "python main.py"),
        ("/home/me/optimizer-playground/main.py", "python main.py"),
        ("/home/me/.venv/bin/optimizer-playground", "optimizer-playground"),
        (r"C:\venv\Scripts\optimizer-playground", "optimizer-playground"),
        ("-c", "optimizer-playground"),
    ],
)
def test_every_help_names_the_command_the_user_typed(monkeypatch, argv0, command):
    monkeypatch.setattr(sys, "argv", [argv0])
    assert command_name() == command
    for name, parser in (("render", render_parser), ("train", train_parser)):
        text = parser().format_help()
        assert text.startswith(f"usage: {command} {name} ")
        examples = text.split("examples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        starts = [line for line in examples if not line.startswith("      ")]  # not continued
        assert len(starts) >= 3
        assert all(line.startswith(f"  {command} {name} --") for line in starts), starts
    assert bench_parser().format_help().startswith(f"usage: {command} bench ")
    window = window_parser().format_help()
    assert window.startswith(f"usage: {command} ")
    assert f"\n  {command} render " in window and f"\n  {command} bench " in window


def test_the_console_script_and_main_py_print_their_own_usage():
    # What pip's console-script wrapper does: argv[0] is the script, then gui.app:main().
    script = (
        "import sys; sys.argv[0] = '/venv/bin/optimizer-playground'; "
        "from gui.app import main; sys.exit(main())"
    )
    installed = run("render", "--help", code=script)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.startswith("usage: optimizer-playground render ")
    assert "  optimizer-playground render --preset book-fig6-8" in installed.stdout
    checkout = run("render", "--help")
    assert checkout.returncode == 0, checkout.stderr
    assert checkout.stdout.startswith("usage: python main.py render ")
    assert "  python main.py render --preset book-fig6-8" in checkout.stdout


# --- starting without a display, and offscreen ---------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "platform", "refused"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ""}, "linux", True),  # set but empty names no server
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_no_display_is_judged_from_the_environment(environ, platform, refused):
    message = no_display_message("optimizer-playground", environ, platform)
    assert (message is not None) == refused
    if refused:
        assert "\n" not in message
        for advice in ("desktop session", "xvfb-run", "QT_QPA_PLATFORM=offscreen"):
            assert advice in message


def test_the_readme_quotes_the_no_display_line_as_the_app_says_it():
    quick = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    quoted = quick.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert quoted == no_display_message("optimizer-playground", {}, "linux")


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux can start without a display")
def test_without_a_display_the_window_says_one_line_and_exits_2():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    done = run("--no-settings", env=env)
    assert done.returncode == 2  # not Qt's abort (134)
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("python main.py: no display")
    assert "xvfb-run" in line and "QT_QPA_PLATFORM=offscreen" in line


def test_an_offscreen_start_prints_nothing():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = run("--play", "--quit-after-ticks", "100", "--tick-ms", "0", env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_qt_messages_drop_only_the_harmless_ones():
    code = (
        "from PySide6 import QtCore; from gui.qt_messages import install; install(); "
        f"QtCore.qWarning({HARMLESS_LINE!r}); QtCore.qWarning('a real warning'); "
        f"QtCore.qWarning({HARMLESS_LINE!r})"
    )
    done = run(code=code)
    assert done.returncode == 0
    assert done.stderr == "a real warning\n"


def test_the_filter_hands_real_messages_to_the_handler_before_it():
    seen = []
    handle = filtered(lambda mode, context, message: seen.append(message))
    context = QtCore.QMessageLogContext()
    for message in (*HARMLESS, "a real warning", *HARMLESS):
        handle(QtCore.QtMsgType.QtWarningMsg, context, message)
    assert seen == ["a real warning"]


def test_launch_filters_while_it_runs_and_gives_the_handler_back(qapp, qtlog, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert launch_main(["--quit-after-ticks", "3", "--tick-ms", "0", "--no-settings"]) == 0
    QtCore.qWarning("after the window")  # pytest-qt's own handler must be back in place
    messages = [r.message for r in qtlog.records]
    assert HARMLESS_LINE not in messages
    assert messages[-1] == "after the window"


# --- optional peers in the tests themselves ------------------------------------------------------


def test_a_missing_peer_skips_with_its_reason_or_fails_when_required(monkeypatch):
    monkeypatch.setattr(conftest, "REQUIRE_PEERS", False)
    with pytest.raises(pytest.skip.Exception, match="the reason given"):
        conftest.peer("no_such_peer_module", reason="the reason given")
    monkeypatch.setattr(conftest, "REQUIRE_PEERS", True)
    with pytest.raises(pytest.fail.Exception, match="PLAYGROUND_REQUIRE_PEERS=1"):
        conftest.peer("no_such_peer_module", reason="the reason given")
    assert conftest.peer("json", reason="always there").dumps([]) == "[]"
