"""The loss-curve figure (gui/export/curves.py) read back item by item, as mutation testing
(issue 18) asked: which numbers each line draws, its pen, the legend's words, the axes' ranges,
labels and layout, the picture's size and scale. Expectations come from the module's docstring
and comments (raw loss faint, smoothed bold, legend beside the plot, y from 0 to 8 % above the
first twentieth of the smoothed values, x from 0 to the race's iteration), from the race's own
losses and test accuracy, and from ``smooth_curve`` (tested on its own in test_network_race.py)."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtGui

from gui.export.curves import RAW_ALPHA, CurvesFigure, auto_window
from gui.model.network import NetworkRace, NetworkSetup, smooth_curve

SMALL = NetworkSetup(dataset="spirals", size=120, hidden=(8,), batch=16, iterations=400)


@pytest.fixture
def race():
    race = NetworkRace(SMALL)
    race.add_racer("sgd", lr=0.1, label="plain")
    race.add_racer("adam", lr=0.01)
    race.advance(60)
    race.test_now()
    return race


def parts(figure: CurvesFigure):
    plot = figure.widget.getItem(0, 0)
    side = figure.widget.getItem(0, 1)
    return plot, side, side.getItem(0, 0)


def losses(race, racer):
    return race.runs[racer.id].losses.values[:, 0]


@pytest.mark.parametrize(
    ("points", "window"),
    [(0, 11), (439, 11), (480, 13), (520, 13), (800, 21), (4000, 101), (4040, 101)],
)
def test_the_automatic_window_is_11_or_an_odd_fortieth(points, window):
    assert auto_window(points) == window


def test_each_racer_draws_its_raw_loss_faint_and_its_smoothed_loss_bold(race, qapp):
    with CurvesFigure(race, (640, 400), None, window=5) as figure:
        plot, _, _ = parts(figure)
        items = plot.listDataItems()
        assert len(items) == 4  # raw, smoothed; raw, smoothed
        for n, racer in enumerate(race.racers):
            raw, smooth = items[2 * n], items[2 * n + 1]
            loss = losses(race, racer)
            x = np.arange(1, 61)
            assert np.array_equal(raw.getData()[0], x) and np.array_equal(smooth.getData()[0], x)
            np.testing.assert_array_equal(raw.getData()[1], loss)
            np.testing.assert_array_equal(smooth.getData()[1], smooth_curve(loss, 5))
            faint, bold = raw.opts["pen"], smooth.opts["pen"]
            colour = QtGui.QColor(racer.color)
            assert faint.color().rgb() == colour.rgb() and faint.color().alpha() == RAW_ALPHA == 60
            assert bold.color() == colour and bold.color().alpha() == 255
            assert (faint.widthF(), bold.widthF()) == (1.0, 2.0)


def test_without_a_window_the_smoothing_takes_the_automatic_one(race, qapp):
    loss = losses(race, race.racers[0])
    with CurvesFigure(race, (640, 400), None) as figure:
        smooth = parts(figure)[0].listDataItems()[1].getData()[1]
    np.testing.assert_array_equal(smooth, smooth_curve(loss, 11))  # 60 points: the book's 11
    assert not np.array_equal(smooth, smooth_curve(loss, 5))


def test_the_legend_names_each_racer_with_its_test_accuracy(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        _, side, legend = parts(figure)
        texts = [label.text for _, label in legend.items]
        widest = legend.boundingRect().width()
        assert side.maximumWidth() == widest + 8
    expected = []
    for racer in race.racers:
        accuracy = race.status(racer.id)["test_accuracy"]
        expected.append(f"{racer.label} — test accuracy {round(100 * accuracy)}%")
    assert texts == expected and texts[0].startswith("plain — ")


def test_a_diverged_racer_is_said_to_have_diverged_at_its_last_iteration(qapp):
    # Weight decay 10 with lr 2 multiplies the weights by −19 a step: the loss overflows.
    race = NetworkRace(NetworkSetup(**{**SMALL.__dict__, "weight_decay": 10.0}))
    wild = race.add_racer("sgd", lr=2.0, label="wild")
    race.advance(300)
    loss = losses(race, wild)  # its curve stops at the iteration whose loss overflowed,
    count = len(loss)  # drawn at x = count (the axis counts iterations from 1)
    assert not np.isfinite(loss[-1]) and count < 300
    with CurvesFigure(race, (640, 400), None) as figure:
        ((_, label),) = parts(figure)[2].items
    assert label.text == f"wild — diverged at {count}"


def test_a_racer_with_no_loss_yet_is_left_out(qapp):
    race = NetworkRace(SMALL)
    race.add_racer("sgd")
    with CurvesFigure(race, (640, 400), None) as figure:
        plot, _, legend = parts(figure)
        assert plot.listDataItems() == [] and legend.items == []
        (low, high) = plot.getViewBox().viewRange()[1]
    assert (low, high) == pytest.approx((0.0, 1.08))  # nothing drawn: 0 to 1, plus 8 %


def test_the_axes_start_at_zero_and_the_first_twentieth_sets_the_top(race, qapp):
    race.advance(40)  # 100 iterations: the first 100 // 20 = 5 smoothed values set the top
    top = max(float(np.max(smooth_curve(losses(race, r), 11)[:5])) for r in race.racers)
    with CurvesFigure(race, (640, 400), "Spirals") as figure:
        plot, _, _ = parts(figure)
        (x0, x1), (y0, y1) = plot.getViewBox().viewRange()
        assert plot.getViewBox().state["mouseEnabled"] == [False, False]
        assert plot.getAxis("bottom").labelText == "iterations"
        assert plot.getAxis("left").labelText == "training loss (smoothed)"
        assert not plot.getAxis("left").autoSIPrefix and not plot.getAxis("bottom").autoSIPrefix
        assert plot.titleLabel.text == "Spirals"
    assert (y0, y1) == pytest.approx((0.0, top * 1.08))
    assert (x0, x1) == pytest.approx((-1.0, 101.0))  # 0 to 100, padded by 1 %


def test_no_title_leaves_the_title_row_empty(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        plot, _, _ = parts(figure)
        assert plot.titleLabel.text == "" and not plot.titleLabel.isVisible()


def test_the_legend_column_keeps_its_width_and_the_plot_takes_the_rest(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        grid = figure.widget.ci.layout
        assert (grid.columnStretchFactor(0), grid.columnStretchFactor(1)) == (1, 0)
        plot, side, _ = parts(figure)
        assert side.layout.rowStretchFactor(1) == 1 and side.getItem(1, 0) is not None
        assert plot.sceneBoundingRect().right() <= side.sceneBoundingRect().left()


def test_antialiasing_is_on_for_the_figure_and_put_back_after(race, qapp):
    before = pg.getConfigOption("antialias")
    pg.setConfigOptions(antialias=False)
    try:
        with CurvesFigure(race, (640, 400), None) as figure:
            assert figure.widget.getItem(0, 0).listDataItems()[0].opts["antialias"] is True
        assert pg.getConfigOption("antialias") is False
    finally:
        pg.setConfigOptions(antialias=before)


@pytest.mark.parametrize(
    ("size", "scale", "laid_out"),
    [((640, 400), 1.0, (640, 400)), ((1800, 1200), 2.0, (900, 600)), ((601, 600), 1.0, (601, 600))],
)
def test_a_picture_is_laid_out_at_screen_size_and_drawn_at_the_asked_size(
    race, qapp, size, scale, laid_out
):
    with CurvesFigure(race, size, None) as figure:
        assert figure.size == size and figure.scale == scale
        assert (figure.frame.width(), figure.frame.height()) == laid_out
        image = figure.image()
        assert (image.width(), image.height()) == size and image.devicePixelRatio() == 1.0
        assert image.format() == QtGui.QImage.Format.Format_RGB32
        assert QtGui.QColor(image.pixel(2, 2)) == QtGui.QColor("white")
        svg = figure.svg()
    assert b"<svg" in svg[:400] and b"plain" in svg


def test_a_size_out_of_range_is_refused_before_anything_is_drawn(race, qapp):
    with pytest.raises(ValueError, match=r"size: 8x400"):
        CurvesFigure(race, (8, 400), None)


def test_closing_the_figure_closes_its_frame(race, qapp):
    figure = CurvesFigure(race, (640, 400), None)
    assert figure.frame.isVisible()
    with figure as same:
        assert same is figure
    assert not figure.frame.isVisible()
