"""Nothing covers the data: the legend and the glyph key sit beside the map, a racer's name in
the legend toggles it, and exported pictures show the layers that are on screen, at the size
asked for."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from gui.export import dialogs, menu
from gui.export.render import Figure
from gui.model import book_scene


def all_glyphs_on(window):
    for action in window.inside.toggles.values():
        if not action.isChecked():
            action.trigger()


def scene_points(view, x, y):
    ok = np.isfinite(x) & np.isfinite(y)
    return [
        view.view_box.mapViewToScene(QtCore.QPointF(a, b))
        for a, b in zip(x[ok], y[ok], strict=True)
    ]


def test_keys_cover_no_path_on_the_ravine_with_glyphs_at_900x600(show_window, qtbot):
    win = show_window(size=(900, 600))
    win.export_actions.load_preset("ravine-momentum")
    all_glyphs_on(win)
    view = win.map_view
    qtbot.wait(150)  # the keys fit their columns once the view has settled
    keys = [k for k in (view.legend, view.glyphs.legend) if k.isVisible()]
    assert view.legend in keys  # there is room for the racers' legend at this size
    data = view.view_box.sceneBoundingRect()
    drawn = []
    for line in view.paths.trails.lines.values():
        drawn += scene_points(view, line.x, line.y)
    for curves in view.glyphs.curves.values():
        for curve in curves:
            if curve.isVisible():
                drawn += scene_points(view, *curve.getData())
    inside = [p for p in drawn if data.contains(p)]
    assert len(inside) > 50  # SGD's zig-zag and the glyphs are on the map
    for key in keys:
        rect = key.sceneBoundingRect()
        assert not rect.intersects(data)
        assert not [p for p in inside if rect.contains(p)]


def test_clicking_a_racer_name_in_the_legend_toggles_it(window, qtbot):
    view = window.map_view
    racer = window.session.racers[1]
    _sample, label = view.legend.items[1]
    assert label.text == racer.label and racer.enabled

    def click():
        # Where the name is now: the legend is rebuilt when a racer is switched on or off.
        label = view.legend.items[1][1]
        centre = label.mapToScene(label.boundingRect().center())
        QTest.mouseClick(
            view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=view.mapFromScene(centre)
        )

    click()
    qtbot.waitUntil(lambda: not window.session.racer(racer.id).enabled, timeout=2000)
    assert not view.paths.trails.lines[racer.id].shown
    click()
    qtbot.waitUntil(lambda: window.session.racer(racer.id).enabled, timeout=2000)


def export_png(window, tmp_path, monkeypatch, name, overlays=True, size=None):
    """File ▸ Export Image… as a user fills it in: the dialog's boxes, then a file name."""

    class Filled(dialogs.ImageDialog):
        def exec(self):
            self.overlays.setChecked(overlays)
            if size is not None:
                self.sizes.choice.setCurrentText("Custom")
                self.sizes.width_box.setValue(size[0])
                self.sizes.height_box.setValue(size[1])
            return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(menu, "ImageDialog", Filled)
    path = tmp_path / name
    monkeypatch.setattr(window.export_actions, "ask_save_path", lambda *a: path)
    window.export_actions.actions["Export Image"].trigger()
    return path


def pixels(path):
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def test_export_image_shows_the_glyphs_on_screen_unless_overlays_are_unticked(
    window, tmp_path, monkeypatch
):
    window.session.advance(5)
    # The glyph key takes room under the window's map, which changes the view equal axes
    # show; one fixed view keeps the three pictures comparable pixel for pixel.
    window.map_menu.equal_axes.trigger()
    frame = dict(xRange=(-10, 10), yRange=(-5, 5), padding=0)
    window.map_view.view_box.setRange(**frame)
    plain = pixels(export_png(window, tmp_path, monkeypatch, "plain.png"))
    all_glyphs_on(window)
    window.map_view.view_box.setRange(**frame)
    shown = pixels(export_png(window, tmp_path, monkeypatch, "glyphs.png"))
    left_out = pixels(export_png(window, tmp_path, monkeypatch, "out.png", overlays=False))
    assert plain.shape == shown.shape == left_out.shape
    assert (np.abs(shown - plain).max(axis=2) > 40).sum() > 500  # arrows, field and key drawn
    assert np.array_equal(left_out, plain)  # unticked: not one glyph pixel


def test_map_window_x2_gives_png_and_svg_of_one_size(window, tmp_path, monkeypatch):
    png = pixels(export_png(window, tmp_path, monkeypatch, "map.png"))
    svg = ET.parse(export_png(window, tmp_path, monkeypatch, "map.svg")).getroot()
    size = window.map_view.size()
    assert png.shape[:2] == (2 * size.height(), 2 * size.width())
    assert (int(svg.get("width")), int(svg.get("height"))) == (png.shape[1], png.shape[0])


@pytest.mark.parametrize("loss", [False, True])
def test_svg_is_the_size_asked_for(loss):
    with Figure(book_scene(), (1920, 1080), with_loss=loss) as figure:
        root = ET.fromstring(figure.svg())
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    # The drawing fills it: its viewBox has the same shape (it is laid out at screen size).
    _, _, w, h = (float(v) for v in root.get("viewBox").split())
    assert w / h == pytest.approx(1920 / 1080, rel=0.01)
