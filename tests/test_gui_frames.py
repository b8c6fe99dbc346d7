"""What the frame-time work caches and skips still follows what the user does: a colour map
chosen from the menu repaints the cached colour bar and heat map; outlines and bold pens follow
the race's steps; a surface switch traces its contour lines once; the window opens without the
modes, dialogs and exporters it does not show, and each works when first used."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from test_gui_map_look import menu_action

import gui.map_view
from gui import colormaps, theme
from gui.contours import spaced_levels
from gui.model import book_scene
from gui.model.trajectory import BLOCK

ROOT = Path(__file__).resolve().parent.parent


def pixel(widget, scene_point) -> np.ndarray:
    """The RGB of the widget's painted pixel at a scene point (what the user sees there)."""
    image = widget.grab().toImage()
    at = widget.mapFromScene(scene_point)
    color = image.pixelColor(at.x(), at.y())
    return np.array([color.red(), color.green(), color.blue()], dtype=float)


def lut_distance(rgb: np.ndarray, name: str) -> float:
    lut = np.asarray(colormaps.colormap(name).getLookupTable(nPts=256, alpha=False), float)
    return float(np.abs(lut - rgb).max(axis=1).min())


def test_choosing_a_colour_map_in_its_menu_repaints_the_cached_bar_and_heat_map(qtbot, window):
    view = window.map_view
    qtbot.wait(100)  # laid out, painted once: the caches hold viridis now
    bar = view.colorbar.bar.sceneBoundingRect().center()
    frame = view.to_scene(5.0, 3.0)  # on the heat map, away from paths and landmarks
    before_bar, before_map = pixel(view, bar), pixel(view, frame)
    assert lut_distance(before_bar, "viridis") <= 3 and lut_distance(before_map, "viridis") <= 3
    menu_action(window, "Colour map", "Magma").trigger()
    qtbot.wait(50)
    after_bar, after_map = pixel(view, bar), pixel(view, frame)
    # The bar's middle is the map's middle colour; the heat map is drawn in magma's colours.
    middle = np.asarray(colormaps.colormap("magma").map(0.5, mode="byte")[:3], float)
    assert np.abs(after_bar - middle).max() <= 12
    assert lut_distance(after_map, "magma") <= 3
    assert np.abs(after_bar - before_bar).max() > 40 and np.abs(after_map - before_map).max() > 40


def bold_and_outlined(window, racer_id):
    trail = window.map_view.paths.trails.lines[racer_id]
    curve = window.loss_view.lines.lines[racer_id]
    outlined = racer_id in window.map_view.halos.outlined()
    return trail.pen.widthF() >= theme.BOLD_WIDTH, curve.pen.widthF() >= theme.BOLD_WIDTH, outlined


def test_outlines_and_bold_pens_follow_the_steps_not_the_points_drawn(qtbot, window):
    session = window.session
    session.set_step_limit(20_000)
    needs = sorted(window.map_view.halos.colors)
    assert needs  # the book scene on viridis has a racer that needs an outline
    racer = needs[0]
    step = window.playback_panel.step_action

    def at(n):
        session.advance(n - 1 - session.step)
        step.trigger()  # the last step as the user takes it
        qtbot.waitUntil(lambda: not session.busy, timeout=120_000)
        assert session.step == n
        return bold_and_outlined(window, racer)

    assert at(150) == (True, True, True)  # short: bold trail and curve, outlined
    assert at(600) == (True, False, True)  # the loss curve is thin after 200 steps
    # Past 800 steps thin and without an outline, also right after a block of raw points was
    # stored, when few points are drawn (both came back every 1,024 steps).
    for n in (900, 2 * BLOCK + 2, 5 * BLOCK + 5, 9 * BLOCK + 1):
        assert at(n) == (False, False, False), n
        assert len(window.map_view.paths.trails.lines[racer].x) < theme.MAX_BOLD_POINTS


def test_a_surface_switch_traces_its_contours_once_for_the_new_frame(qtbot, window, monkeypatch):
    view = window.map_view
    traced = []
    trace = gui.map_view.contour_lines
    monkeypatch.setattr(gui.map_view, "contour_lines", lambda *a: traced.append(a) or trace(*a))
    combo = window.surface_panel.combo
    for key in ("rosenbrock", "rastrigin", "book"):
        traced.clear()
        combo.setCurrentIndex(combo.findData(key))
        qtbot.wait(200)  # past the timer that refits contours to a settled view
        assert len(traced) == 1, key
        pw, ph = view.view_box.viewPixelSize()
        want = spaced_levels(view._field, view.contour_count, (pw, ph))
        np.testing.assert_array_equal(traced[0][1], want)  # spaced for the frame shown


def test_axis_titles_follow_their_text_across_switches(qtbot, window):
    combo = window.surface_panel.combo
    for key in ("rosenbrock", "himmelblau", "book"):
        combo.setCurrentIndex(combo.findData(key))
        qtbot.wait(20)
        field_label = window.map_view._field.label
        title = window.map_view.colorbar.axis.label.toPlainText().strip()
        assert title.startswith(field_label), (key, title)
        assert window.map_view.getPlotItem().getAxis("left").label.toPlainText().strip() == "y"


def test_setting_a_range_lays_no_title_out_again(window):
    axis = window.map_view.getPlotItem().getAxis("bottom")
    laid_out = []
    set_html = axis.label.setHtml
    axis.label.setHtml = lambda html: laid_out.append(html) or set_html(html)
    window.map_view.view_box.setRange(xRange=(-3, 3), padding=0)
    window.map_view.view_box.setRange(xRange=(-4, 2), padding=0)
    assert laid_out == []
    axis.setLabel("x position")
    assert len(laid_out) == 1 and "x position" in axis.label.toPlainText()


OPEN_WINDOW = """
import json, sys
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
from gui.model import book_scene
from gui.window import MainWindow
window = MainWindow(book_scene(), store=None, tick_ms=0)
window.show()
app.processEvents()
boxes = window.racer_panel.boxes.values()
print(json.dumps({
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("gui", "PIL", "pyqtgraph")),
    "curve_plots": sum(box.extras._curve_plot is not None for box in boxes),
}))
"""


def test_the_window_opens_without_the_modes_and_dialogs_it_does_not_show():
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_WINDOW], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    opened = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = set(opened["modules"])
    dialogs = ("gui.network.mode", "gui.sweep_dialog", "gui.basin_dialog", "gui.model.explain")
    for later in (*dialogs, "PIL", "pyqtgraph.exporters"):
        assert later not in loaded, later
    assert "gui.map_view" in loaded  # the check sees the window's own modules
    assert opened["curve_plots"] == 0  # no racer of the book scene has a schedule to plot


def test_a_schedules_plot_is_made_when_a_racer_first_has_one(window):
    box = next(iter(window.racer_panel.boxes.values()))
    extras = box.extras
    box.more.click()
    assert extras._curve_plot is None
    extras.schedule.setCurrentIndex(extras.schedule.findData("cosine"))
    assert isinstance(extras._curve_plot, pg.PlotWidget) and extras.curve_plot.isVisible()
    assert len(extras.curve.getData()[0]) > 0
    window.session.set_schedule(box.racer_id, "constant")
    assert not extras.curve_plot.isVisible()


def test_book_scene_racers_need_outlines_on_the_default_map():
    # The outline test above needs one: the book scene's racers on viridis.
    session = book_scene()
    assert any(colormaps.racer_contrast(r.color, colormaps.DEFAULT)[1] for r in session.racers)
