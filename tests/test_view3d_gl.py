"""The 3-D view drawn by a real OpenGL driver: run under Xvfb with Qt's xcb platform
(``xvfb-run -a env QT_QPA_PLATFORM=xcb python -m pytest -m needs_gl``). Without an OpenGL context
these skip, and fail instead when PLAYGROUND_REQUIRE_PEERS=1 says the context must be there."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6 import QtCore, QtGui, QtWidgets

from gui.model import book_scene

pytestmark = pytest.mark.needs_gl
ROOT = Path(__file__).resolve().parent.parent
SGD = "#d55e00"  # the book scene's first racer


@pytest.fixture
def gl(qapp):
    from gui.gl_probe import gl_status

    status = gl_status()
    if not status.ok:
        if os.environ.get("PLAYGROUND_REQUIRE_PEERS") == "1":
            pytest.fail(f"OpenGL is required here (PLAYGROUND_REQUIRE_PEERS=1): {status.reason}")
        pytest.skip(f"no OpenGL context: {status.reason}")
    return status


@pytest.fixture
def window3d(gl, show_window, qtbot):
    """The book scene at step 30 with View ▸ 3-D view switched on from the menu."""
    session = book_scene()
    session.advance(30)
    window = show_window(session, size=(1200, 800))  # inside xvfb-run's default screen
    window.activateWindow()  # keys go to the active window (Xvfb has no window manager)
    qtbot.waitUntil(window.isActiveWindow)
    action = next(a for a in window.view_menu.actions() if a.text() == "3-D view")
    assert action.isEnabled()
    action.trigger()
    view = window.view3d.view
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.width() > 300)
    return window


def menu_action(menu, text):
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))


def pixels(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, row = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=row * h)
    return data.reshape(h, row)[:, : w * 3].reshape(h, w, 3).astype(int)


def near(rgb: np.ndarray, color: str, tolerance: int = 40) -> np.ndarray:
    c = QtGui.QColor(color)
    target = np.array([c.red(), c.green(), c.blue()])
    return np.abs(rgb - target).max(axis=-1) <= tolerance


def grab(view) -> np.ndarray:
    QtWidgets.QApplication.processEvents()
    return pixels(view.grabFramebuffer())


def test_the_mesh_is_drawn(window3d):
    from gui.view3d import BACKGROUND

    view = window3d.view3d.view
    rgb = grab(view)
    background = np.abs(rgb - np.array(BACKGROUND)).max(axis=-1) <= 2
    assert 0.1 < 1 - background.mean() < 0.95  # the surface covers much of the view, not all
    # The middle of the frame, halfway up, projects onto the drawn mesh.
    p = view.project(np.array([0.0, 0.25, view.terrain.height(np.array([1.0]))[0]]))
    assert not background[round(p.y()), round(p.x())]
    assert window3d.map_view.isVisible()  # side by side by default


def head_pixels(view, racer_id, color, radius=4):
    rgb = grab(view)
    head = view.racers.paths[racer_id].head
    p = view.project(head)
    x, y = round(p.x()), round(p.y())
    assert 0 <= x < rgb.shape[1] and 0 <= y < rgb.shape[0]
    around = rgb[max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1]
    return near(around, color).sum(), near(rgb, color).mean()


def test_a_racers_colour_is_where_its_head_projects_and_follows_a_step(window3d, qtbot):
    view = window3d.view3d.view
    # From above (as a user orbits to), so no wall of the ravine stands between camera and head.
    view.set_camera({"elevation": 89.0, "azimuth": -90.0})
    sgd = window3d.session.racers[0]
    assert sgd.color == SGD
    for racer in window3d.session.racers[1:]:  # alone, so no other disc can cover its head
        window3d.session.set_enabled(racer.id, False)
    found, everywhere = head_pixels(view, sgd.id, SGD)
    # A solid disc of the racer's colour at the projected head: its 2-px path alone could fill
    # at most a quarter of this 9×9 square.
    assert found >= 40
    assert everywhere < 0.02  # and not a colour that is all over the view
    before = view.racers.paths[sgd.id].head.copy()
    for _ in range(15):  # Playback ▸ Step, as a user would
        menu_action(window3d.playback_menu, "Step").trigger()
    assert window3d.session.step == 45
    assert not np.allclose(view.racers.paths[sgd.id].head, before)
    found, _ = head_pixels(view, sgd.id, SGD)
    assert found >= 40


def test_home_resets_the_camera_after_a_mouse_orbit(window3d, qtbot):
    view = window3d.view3d.view
    home = view.home()
    assert view.opts["distance"] == home["distance"]
    centre = QtCore.QPointF(view.width() / 2, view.height() / 2)
    left = QtCore.Qt.MouseButton.LeftButton
    for kind, at, buttons in (
        (QtCore.QEvent.Type.MouseButtonPress, centre, left),
        (QtCore.QEvent.Type.MouseMove, centre + QtCore.QPointF(120, 40), left),
        (QtCore.QEvent.Type.MouseButtonRelease, centre + QtCore.QPointF(120, 40), left),
    ):
        event = QtGui.QMouseEvent(
            kind, at, view.mapToGlobal(at), left, buttons, QtCore.Qt.KeyboardModifier.NoModifier
        )
        QtWidgets.QApplication.sendEvent(view, event)
    assert view.opts["azimuth"] == pytest.approx(home["azimuth"] - 120)
    assert view.opts["elevation"] == pytest.approx(home["elevation"] + 40)
    menu_action(window3d.view_menu, "Reset view").trigger()  # Home
    assert (view.opts["azimuth"], view.opts["elevation"]) == (home["azimuth"], home["elevation"])
    assert view.opts["distance"] == home["distance"]


def test_layout_in_place_of_the_map_and_back(window3d):
    actions = {a.text(): a for a in window3d.view_menu.actions()}
    actions["3-D in place of the map"].trigger()
    assert not window3d.map_view.isVisible() and window3d.view3d.view.isVisible()
    actions["Map and 3-D side by side"].trigger()
    assert window3d.map_view.isVisible() and window3d.view3d.view.isVisible()
    actions["3-D view"].trigger()  # unchecked: the map alone again
    assert window3d.map_view.isVisible() and not window3d.view3d.view.isVisible()


def test_the_mesh_is_rebuilt_only_when_the_surface_changes(window3d, qtbot, monkeypatch):
    import gui.view3d

    calls = []
    real = gui.view3d.terrain
    monkeypatch.setattr(gui.view3d, "terrain", lambda s: calls.append(s) or real(s))
    for _ in range(5):
        menu_action(window3d.playback_menu, "Step").trigger()
    window3d.session.set_start(-6.0, 3.0)
    assert calls == []
    from surfaces import SURFACES

    window3d.session.set_surface(SURFACES["himmelblau"])
    assert len(calls) == 1


def test_a_new_colour_map_recolours_the_mesh(window3d):
    import pyqtgraph as pg

    view = window3d.view3d.view
    before = grab(view)
    view.set_colormap(pg.ColorMap([0.0, 1.0], [(200, 0, 0), (200, 0, 0)]))
    rgb = grab(view)
    reddish = (rgb[..., 0] > rgb[..., 1] + 60) & (rgb[..., 0] > rgb[..., 2] + 60)
    was_reddish = (before[..., 0] > before[..., 1] + 60) & (before[..., 0] > before[..., 2] + 60)
    assert reddish.mean() > 0.1 and reddish.mean() > 5 * was_reddish.mean()


def test_save_3d_screenshot_from_the_file_menu_at_a_chosen_size(window3d, tmp_path, monkeypatch):
    from gui.export.menu3d import Screenshot3DDialog

    def accept(dialog):
        dialog.sizes.choice.setCurrentText("Custom")
        dialog.sizes.width_box.setValue(640)
        dialog.sizes.height_box.setValue(400)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(Screenshot3DDialog, "exec", accept)
    out = tmp_path / "shot.png"
    monkeypatch.setattr(window3d.export_actions, "ask_save_path", lambda *a: out)
    action = next(a for a in window3d.file_menu.actions() if a.text() == "Save 3-D Screenshot…")
    action.trigger()
    image = Image.open(out).convert("RGB")
    assert image.size == (640, 400)
    rgb = np.asarray(image).astype(int)
    assert near(rgb, SGD).sum() > 20  # the racers are in the picture


def render(*args):
    command = [sys.executable, str(ROOT / "main.py"), "render", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_render_view_3d_png(gl, tmp_path):
    out = tmp_path / "book3d.png"
    done = render("--view", "3d", "--preset", "book-fig6-8", "--size", "800x500", "-o", str(out))
    assert done.returncode == 0, done.stderr
    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert image.shape == (500, 800, 3)
    for color in ("#d55e00", "#0072b2", "#009e73", "#e69f00"):  # the preset's four racers
        assert near(image, color).sum() > 20, color


def test_render_view_3d_orbit_turns_the_camera(gl, tmp_path):
    out = tmp_path / "orbit.gif"
    args = ("--view", "3d", "--size", "320x200", "--frames", "4", "--fps", "4", "-o", str(out))
    done = render(*args)
    assert done.returncode == 0, done.stderr
    gif = Image.open(out)
    frames = []
    for i in range(gif.n_frames):
        gif.seek(i)
        frames.append(np.asarray(gif.convert("RGB")).astype(int))
    assert len(frames) == 4
    # A quarter turn apart (the book's bowl looks the same after a half turn), the pictures
    # differ broadly; the loop has no held last frame.
    assert np.mean(np.abs(frames[0] - frames[1]).max(axis=-1) > 20) > 0.03
    assert gif.info.get("duration") == 250


def test_the_bench_child_measures_a_3d_tick(gl):
    from gui.bench.tick3d import tick3d

    result = tick3d(repeats=2, trail=2000)
    assert isinstance(result["tick3d_ms"], float) and result["tick3d_ms"] > 0
    assert result["gl_renderer"]


def start_orbit_from_the_menu(window, out, monkeypatch):
    from gui.export.menu3d import Orbit3DDialog

    def accept(dialog):
        dialog.sizes.choice.setCurrentText("Custom")
        dialog.sizes.width_box.setValue(320)
        dialog.sizes.height_box.setValue(200)
        dialog.frames.setValue(6)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(Orbit3DDialog, "exec", accept)
    monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a: out)
    menu_action(window.file_menu, "Export 3-D Orbit").trigger()
    return window.export_actions.runner


def test_orbit_from_the_file_menu_runs_in_slices_and_writes_a_gif(
    window3d, tmp_path, qtbot, monkeypatch
):
    out = tmp_path / "orbit.gif"
    runner = start_orbit_from_the_menu(window3d, out, monkeypatch)
    assert runner.busy  # rendering from the event loop, the window still answering
    with qtbot.waitSignal(runner.finished, timeout=120_000) as done:
        pass
    message, ok, written = done.args
    assert ok and written == str(out), message
    assert Image.open(out).n_frames == 6
    assert window3d.session.step == 30  # the window's race was not touched


def test_cancelling_an_orbit_leaves_no_file(window3d, tmp_path, monkeypatch):
    out = tmp_path / "orbit.gif"
    runner = start_orbit_from_the_menu(window3d, out, monkeypatch)
    assert runner.busy
    runner.progress.cancel()  # the progress dialog's Cancel button
    runner._on_tick()
    assert not runner.busy
    assert list(tmp_path.iterdir()) == []


def test_the_mesh_follows_the_maps_colour_map(window3d):
    map_view, view = window3d.map_view, window3d.view3d.view
    if not hasattr(map_view, "colormap_changed"):
        pytest.skip("this map has a single colour map: nothing to follow")
    from gui import colormaps

    before = grab(view)
    other = next(n for n in colormaps.NAMES if n != map_view.colormap)
    map_view.set_colormap(other)
    assert view.colormap is colormaps.colormap(other)
    assert np.mean(np.abs(grab(view) - before).max(axis=-1) > 20) > 0.05
