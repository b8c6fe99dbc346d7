"""The shared plot items that draw every racer: each line and head in its own colour, breaks at
non-finite points, hidden racers left out, and SVG output with a path per racer."""

import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.exporters import SVGExporter
from PySide6 import QtGui

from gui import theme
from gui.trails_item import Dots, Lines

COLORS = ("#d55e00", "#0072b2", "#009e73")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plot(qtbot):
    theme.setup_pyqtgraph()
    widget = pg.PlotWidget()
    widget.resize(400, 300)
    widget.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def pixels_near(widget, color, tolerance=30):
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, row = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, row * h).reshape(h, row)[:, : w * 3]
    rgb = data.reshape(h, w, 3).astype(int)
    want = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb - want).max(axis=2) <= tolerance).sum())


def three_lines(plot, bold=False):
    lines = Lines()
    plot.addItem(lines)
    t = np.linspace(0, 1, 500)
    for key, color in enumerate(COLORS):
        lines.add(key, theme.trail_pen(color, bold))
        lines.set_data(key, 1 + 8 * t, 2 + 3 * key + np.sin(6 * t))
    return lines


@pytest.mark.parametrize("bold", [False, True])  # thin pens paint polylines, bold ones segments
def test_each_line_is_drawn_in_its_own_colour(plot, bold):
    three_lines(plot, bold)
    for color in COLORS:
        assert pixels_near(plot, color) > 150, color


def test_a_hidden_line_is_left_out_and_comes_back(plot):
    lines = three_lines(plot)
    lines.set_shown(1, False)
    assert pixels_near(plot, COLORS[1]) == 0
    assert not lines.lines[1].isVisible()
    lines.set_shown(1, True)
    assert pixels_near(plot, COLORS[1]) > 150


def test_non_finite_points_break_a_line_without_breaking_the_item(plot):
    lines = three_lines(plot)
    x = np.linspace(1, 9, 9)
    y = np.array([5, 5, np.nan, 5, 5, np.inf, 5, 5, 5.0])
    lines.set_data(0, x, y)
    lines.set_data(1, np.full(4, np.nan), np.full(4, np.nan))  # a racer with nothing to draw
    lines.set_data(2, np.array([3.0]), np.array([3.0]))  # one point: nothing to join
    assert pixels_near(plot, COLORS[0]) > 40
    np.testing.assert_array_equal(lines.lines[0].getData()[1], y)
    assert lines.dataBounds(0) == (1.0, 9.0) and lines.dataBounds(1) == (3.0, 5.0)
    lines.remove(0)
    assert pixels_near(plot, COLORS[0]) == 0


def test_bitmap_exports_widen_the_pens(plot):
    lines = three_lines(plot)
    thin = pixels_near(plot, COLORS[0])
    lines.width_scale = 3.0
    assert pixels_near(plot, COLORS[0]) > 2 * thin


def test_dots_draw_each_head_in_its_colour_and_skip_non_finite_ones(plot):
    dots = Dots(13, pg.mkPen(theme.MARKER_EDGE, width=1.5))
    plot.addItem(dots)
    brushes = [pg.mkBrush(c) for c in COLORS]
    dots.set_data([2.0, 5.0, np.nan], [2.0, 5.0, 8.0], brushes)
    assert pixels_near(plot, COLORS[0], 8) > 40 and pixels_near(plot, COLORS[1], 8) > 40
    assert pixels_near(plot, COLORS[2], 8) == 0
    assert len(dots.getData()[0]) == 3
    with pytest.raises(ValueError, match="Invalid dots"):
        dots.set_data([1.0], [1.0], brushes)  # refused before Qt paints it


def test_svg_export_has_a_path_per_line_and_the_heads(plot):
    three_lines(plot)
    dots = Dots(13, pg.mkPen(theme.MARKER_EDGE, width=1.5))
    plot.addItem(dots)
    dots.set_data([2.0], [8.0], [pg.mkBrush(COLORS[0])])
    root = ET.fromstring(SVGExporter(plot.scene()).export(toBytes=True))
    # Qt's SVG puts the pen and brush on a group around each path.
    drawn = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}path") is not None]
    strokes = [g.get("stroke", "").lower() for g in drawn]
    fills = [g.get("fill", "").lower() for g in drawn]
    for color in COLORS:
        assert strokes.count(color) == 1, color
    assert COLORS[0] in fills  # the head, as a vector circle
