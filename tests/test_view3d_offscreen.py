"""The 3-D view where there is no OpenGL (Qt's offscreen platform, the normal suite), and the
landscape's numbers, which need no display at all."""

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.view3d_terrain import FLOOR_QUANTILE, HEIGHT, HEIGHT_QUANTILE, LIFT, terrain
from surfaces import SURFACES

ROOT = Path(__file__).resolve().parent.parent
offscreen = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "offscreen", reason="checks Qt's offscreen platform"
)


def view_action(window, text):
    return next(a for a in window.view_menu.actions() if a.text() == text)


@offscreen
def test_the_action_is_disabled_and_says_why(window, quiet):
    action = view_action(window, "3-D view")
    assert not action.isEnabled()
    assert "offscreen" in action.toolTip() and "OpenGL" in action.toolTip()
    assert window.view_menu.toolTipsVisible()
    for action in window.view3d.exports.actions:  # its exports too
        assert not action.isEnabled() and "OpenGL" in action.toolTip()
    action.trigger()  # a disabled action does nothing, and nothing breaks
    QtWidgets.QApplication.processEvents()
    assert window.view3d.view is None and window.map_view.isVisible()


@offscreen
def test_f3_on_the_offscreen_platform_changes_nothing(window, qtbot, quiet):
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F3)
    assert window.view3d.view is None and window.map_view.isVisible()


@offscreen
def test_show_3d_reports_the_reason_instead_of_failing(window):
    message = window.view3d.show_3d()
    assert message.startswith("No 3-D view:") and "offscreen" in message


def render(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, str(ROOT / "main.py"), "render", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("ext", ["png", "gif"])
def test_render_3d_offscreen_exits_2_with_one_line(tmp_path, ext):
    out = tmp_path / f"x.{ext}"
    done = render("--view", "3d", "--output", str(out))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("render: --view 3d needs OpenGL")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_render_3d_refuses_formats_it_cannot_draw(tmp_path):
    done = render("--view", "3d", "--output", str(tmp_path / "x.svg"))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert ".svg" in done.stderr and list(tmp_path.iterdir()) == []


def test_launch_with_view_3d_offscreen_opens_the_map_and_says_why(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    shot = tmp_path / "shot.png"
    args = ["--view", "3d", "--no-settings", "--quit-after-ticks", "2", "--tick-ms", "0"]
    command = [sys.executable, str(ROOT / "main.py"), *args, "--screenshot", str(shot)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and shot.exists()


# --- the landscape (no Qt) ---------------------------------------------------------------------


def test_heights_are_the_maps_log_colours_clipped_at_the_quantiles():
    surface = SURFACES["rosenbrock"]  # log-scaled, with a far rim 10⁴ above its valley
    land = terrain(surface, 120)
    x, y = np.meshgrid(land.field.xs, land.field.ys)
    f = surface.value(x, y)
    # Independent of the module: the map's colour value log10(f - fmin + offset) from scratch.
    fmin = min(float(f.min()), 0.0)
    spread = float(f.max()) - fmin
    offset = 10.0 ** math.floor(math.log10(spread * 1e-4))
    c = np.log10(f - fmin + offset)
    low, high = np.percentile(c, [FLOOR_QUANTILE, HEIGHT_QUANTILE])
    expected = HEIGHT * (np.clip(c, low, high) - low) / (high - low)
    _, _, z = land.mesh()
    np.testing.assert_allclose(z, expected.T, rtol=1e-9, atol=1e-12)
    # The clip leaves the rest of the landscape its relief: most of it is neither floor nor roof.
    middle = np.mean((z > 0) & (z < HEIGHT))
    assert middle > 0.9


def test_a_linear_surface_stands_on_f_itself():
    surface = next(s for s in SURFACES.values() if not s.log_scale)
    land = terrain(surface, 80)
    f = np.array([surface.value(*surface.start)])
    assert land.colour_value(f)[0] == pytest.approx(float(f[0]))


def test_path_points_sit_just_above_the_mesh_and_share_its_frame():
    surface = SURFACES["book"]
    land = terrain(surface, 101)
    # A grid vertex: the path point's height must be the mesh's height there plus the lift.
    i, j = 37, 64
    x, y = land.field.xs[j], land.field.ys[i]
    point = land.points(np.array([x]), np.array([y]), surface.value(x, y)[None], LIFT)[0]
    _, _, z = land.mesh()
    assert point[2] == pytest.approx(z[j, i] + LIFT, abs=1e-6)
    xmin, xmax, ymin, ymax = surface.bounds
    half = max(xmax - xmin, ymax - ymin) / 2
    assert point[0] == pytest.approx((x - (xmin + xmax) / 2) / half, abs=1e-6)
    assert point[1] == pytest.approx((y - (ymin + ymax) / 2) / half, abs=1e-6)
    # x and y at one scale: the longer side spans exactly [-1, 1].
    sx, sy, _ = land.mesh()
    assert max(sx.max() - sx.min(), sy.max() - sy.min()) == pytest.approx(2.0)


def test_non_finite_values_stand_at_the_top_and_colour_nan():
    land = terrain(SURFACES["book"], 40)
    assert land.height(np.array([np.nan, np.inf]))[0] == HEIGHT
    assert land.height(np.array([np.inf]))[0] == HEIGHT


def test_the_gl_probe_is_quiet_and_negative_offscreen(qapp, capfd):
    if QtGui.QGuiApplication.platformName() != "offscreen":
        pytest.skip("checks Qt's offscreen platform")
    from gui.gl_probe import gl_status

    status = gl_status()
    assert not status.ok and "offscreen" in status.reason
    assert capfd.readouterr() == ("", "")
