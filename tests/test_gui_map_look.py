"""The map's look: colour difference formulas against published values, every racer colour
measured against every colour map, the View-menu choices (and that they persist), the "no
value" hatching, contour spacing on screen, and equal axes."""

import json

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtWidgets

from gui import colormaps
from gui.contours import contour_lines
from gui.contrast import contrast_ratio, delta_e2000, hex_to_rgb, rgb_to_lab
from gui.model import Session, book_scene
from gui.model.scene import SceneError, loads
from gui.model.session import PALETTE
from gui.settings import SettingsStore
from gui.window import MainWindow
from surfaces import SURFACES, from_formula

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", table 1 (pairs 1, 7,
# 17–20, 25).
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
]


@pytest.mark.parametrize(("lab1", "lab2", "want"), SHARMA)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, want):
    assert delta_e2000(np.array(lab1), np.array(lab2)) == pytest.approx(want, abs=1e-4)
    assert delta_e2000(np.array(lab2), np.array(lab1)) == pytest.approx(want, abs=1e-4)


def test_srgb_to_lab_and_wcag_reference_values():
    # sRGB red under D65 is L* 53.24, a* 80.09, b* 67.20; white is L* 100.
    assert rgb_to_lab(np.array([255.0, 0, 0])) == pytest.approx(
        [53.2408, 80.0925, 67.2032], abs=1e-3
    )
    assert rgb_to_lab(np.full(3, 255.0)) == pytest.approx([100, 0, 0], abs=1e-3)
    assert contrast_ratio(np.zeros(3), np.full(3, 255.0)) == pytest.approx(21.0)


def worst_difference(color: str, lut: np.ndarray, halo: str | None) -> float:
    """The figure from the colour data: the smallest ΔE₀₀ between the racer and any map colour,
    where a halo (if any) may carry the racer by min(racer–halo, halo–map)."""
    lab, maps = rgb_to_lab(hex_to_rgb(color)), rgb_to_lab(lut)
    direct = delta_e2000(lab, maps)
    if halo is None:
        return float(direct.min())
    ring = rgb_to_lab(hex_to_rgb(halo))
    through = np.minimum(delta_e2000(lab, ring), delta_e2000(ring, maps))
    return float(np.maximum(direct, through).min())


@pytest.mark.parametrize("name", colormaps.NAMES)
def test_every_racer_colour_stands_out_on_every_part_of_every_map(name):
    lut = np.asarray(colormaps.colormap(name).getLookupTable(nPts=1024, alpha=False), float)
    for color in PALETTE:
        _, halo = colormaps.racer_contrast(color, name)
        assert worst_difference(color, lut, halo) >= colormaps.STAND_OUT, (name, color, halo)
        if halo is None:  # no outline where the colour alone clears the bar
            assert worst_difference(color, lut, None) >= colormaps.STAND_OUT
    # The bar itself: about the smallest difference between two racers of the palette.
    labs = [rgb_to_lab(hex_to_rgb(c)) for c in PALETTE]
    closest = min(delta_e2000(a, b) for i, a in enumerate(labs) for b in labs[:i])
    assert closest >= colormaps.STAND_OUT


def test_the_default_map_has_real_contrast():
    lightness = rgb_to_lab(colormaps.samples(colormaps.DEFAULT))[:, 0]
    muted = rgb_to_lab(colormaps.samples("muted"))[:, 0]
    assert lightness.max() - lightness.min() > 60  # viridis: L* ~16 → ~92
    assert muted.max() - muted.min() < 30  # the old ramp: why the map read as grey-blue
    assert np.all(np.diff(lightness) > -0.5)  # monotonic (to 8-bit rounding)


def test_the_window_outlines_exactly_the_racers_that_need_it(window):
    lut = colormaps.samples(window.map_view.colormap)
    needs = {r.id for r in window.session.racers if worst_difference(r.color, lut, None) < 20}
    assert needs and set(window.map_view.halos.colors) == needs
    menu_action(window, "Colour map", "Muted").trigger()
    lut = colormaps.samples("muted")
    needs = {r.id for r in window.session.racers if worst_difference(r.color, lut, None) < 20}
    assert set(window.map_view.halos.colors) == needs


def menu_action(window, submenu: str, text: str):
    """The View menu's action, found as a user finds it: by the menus' texts."""
    for menu in window.view_menu.findChildren(QtWidgets.QMenu):
        if menu.title() == submenu:
            for inner in menu.actions():
                if inner.text().startswith(text):
                    return inner
    for action in window.view_menu.actions():
        if action.text() == text:
            return action
    raise LookupError(f"View ▸ {submenu} ▸ {text}")


def lut_of(window, n=16):
    return window.map_view.colorbar.colorMap().getLookupTable(nPts=n, alpha=False)


def test_view_choices_persist_across_a_settings_round_trip(qtbot, tmp_path):
    first = MainWindow(book_scene(), store=SettingsStore(tmp_path / "s.ini"), tick_ms=0)
    qtbot.addWidget(first)
    assert first.map_view.colormap == "viridis"
    menu_action(first, "Colour map", "Magma").trigger()
    menu_action(first, "Contour lines", "Few").trigger()
    menu_action(first, "Glyph length", "× 30").trigger()
    menu_action(first, "", "Equal axes").trigger()
    assert np.array_equal(lut_of(first), pg.colormap.get("magma").getLookupTable(nPts=16))
    first.close()
    again = MainWindow(book_scene(), store=SettingsStore(tmp_path / "s.ini"), tick_ms=0)
    qtbot.addWidget(again)
    view = again.map_view
    assert (view.colormap, view.contour_count, view.glyphs.factor) == ("magma", 10, 30.0)
    assert not view.equal_axes and not view.aspect_locked()
    assert menu_action(again, "Colour map", "Magma").isChecked()
    assert np.array_equal(lut_of(again), pg.colormap.get("magma").getLookupTable(nPts=16))


def test_colour_map_travels_in_session_files(window, tmp_path, monkeypatch):
    menu_action(window, "Colour map", "Cividis").trigger()
    path = tmp_path / "s.json"
    monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a: path)
    window.export_actions.save_session()
    assert json.loads(path.read_text())["colormap"] == "cividis"
    menu_action(window, "Colour map", "Greys").trigger()
    assert window.export_actions.open_session_file(path)
    assert window.map_view.colormap == "cividis"
    assert menu_action(window, "Colour map", "Cividis").isChecked()
    # A file from before the field existed loads, and leaves the user's colour map alone.
    old = json.loads(path.read_text())
    del old["colormap"]
    path.write_text(json.dumps(old))
    menu_action(window, "Colour map", "Greys").trigger()
    assert window.export_actions.open_session_file(path)
    assert window.map_view.colormap == "greys"
    old["colormap"] = "jet"
    with pytest.raises(SceneError, match="colormap: unknown colour map 'jet'"):
        loads(json.dumps(old))


def pixel(view, x, y):
    image = view.grab().toImage()
    at = view.mapFromScene(view.to_scene(x, y))
    ratio = image.devicePixelRatio()
    color = image.pixelColor(int(at.x() * ratio), int(at.y() * ratio))
    return color.red(), color.green(), color.blue()


def test_no_value_regions_are_hatched_and_named_by_the_colour_bar(show_window):
    win = show_window(Session(from_formula("log(x) + y**2", (-2.0, 2.0, -2.0, 2.0))))
    view = win.map_view
    menu_action(win, "Contour lines", "None").trigger()  # lines would cross the probes
    assert view.no_value.isVisible()
    assert "no value" in view.colorbar.axis.labelText
    hatch = {colormaps.NO_VALUE_FILL, colormaps.NO_VALUE_HATCH}
    probes = [(-1.5 + 0.07 * i, -1.0 + 0.1 * i) for i in range(10)]
    assert {pixel(view, x, y) for x, y in probes} <= hatch
    assert not {pixel(view, -x, y) for x, y in probes} & hatch  # x > 0: coloured by f
    win.session.set_surface(SURFACES["book"])
    assert not view.no_value.isVisible() and "no value" not in view.colorbar.axis.labelText


def crossing_gaps(view) -> np.ndarray:
    """Pixel distances between neighbouring contour crossings along every pixel row and column
    of the view, from f sampled afresh at the pixels (not the map's own grid)."""
    (x0, x1), (y0, y1) = view.view_box.viewRange()
    w, h = int(view.view_box.width()), int(view.view_box.height())
    xs, ys = np.linspace(x0, x1, w), np.linspace(y0, y1, h)
    f = view.session.surface.value(*np.meshgrid(xs, ys))
    shift = view._field.shift
    c = np.log10(f + shift) if shift is not None else f
    gaps = []
    for grid in (c, c.T):
        for line in grid:
            crossings = np.flatnonzero(np.diff(np.searchsorted(view._levels, line)))
            gaps.extend(np.diff(crossings))
    return np.array(gaps)


MIN_GAP_PX = 5  # a 1-px line with 4 px of colour either side still reads as a line


def test_rastrigin_contours_stay_lines_not_texture(show_window):
    win = show_window(Session(SURFACES["rastrigin"]), size=(900, 600))
    view = win.map_view
    view.update_contours()
    assert len(view._levels) >= 1
    assert np.percentile(crossing_gaps(view), 10) >= MIN_GAP_PX
    # Twenty evenly spaced levels, as before, were a moiré: most crossings a pixel apart.
    view._levels = view._field.levels(20)
    assert np.percentile(crossing_gaps(view), 10) < MIN_GAP_PX


def test_contour_count_from_the_menu_and_log_spacing_on_log_surfaces(window):
    view = window.map_view
    menu_action(window, "Contour lines", "None").trigger()
    assert len(view._levels) == 0 and len(view.contours.getData()[0]) == 0
    menu_action(window, "Contour lines", "Few").trigger()
    few = len(view._levels)
    menu_action(window, "Contour lines", "Many").trigger()
    assert 0 < few < len(view._levels) <= 40
    # Book is log-coloured: each level's line, evaluated in f, sits at its level of
    # log10(f + shift), and the levels are equal steps of it — log-spaced in f.
    field, surface = view._field, window.session.surface
    assert field.shift is not None
    steps = np.diff(view._levels)
    assert steps == pytest.approx(np.full(len(steps), steps[0]))
    for level in view._levels:
        points = contour_lines(field, np.array([level]))
        points = points[np.isfinite(points[:, 0])]
        logs = np.log10(surface.value(points[:, 0], points[:, 1]) + field.shift)
        assert np.median(logs) == pytest.approx(level, abs=0.1 * steps[0])


def test_equal_axes_by_default_and_off_from_the_menu(window):
    view = window.map_view
    pw, ph = view.view_box.viewPixelSize()
    assert pw == pytest.approx(ph, rel=1e-3)
    menu_action(window, "", "Equal axes").trigger()
    (x0, x1), (y0, y1) = view.view_box.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx(SURFACES["book"].bounds)
    menu_action(window, "", "Equal axes").trigger()
    pw, ph = view.view_box.viewPixelSize()
    assert pw == pytest.approx(ph, rel=1e-3)
