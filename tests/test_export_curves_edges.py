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
        # The two columns share the whole width: the legend's ends at the layout's margin.
        _, _, right_margin, _ = grid.getContentsMargins()
        assert side.sceneBoundingRect().right() == figure.widget.width() - right_margin


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


def near(image: QtGui.QImage, colour: str, tolerance: int = 12) -> int:
    """Pixels of ``image`` within ``tolerance`` of ``colour`` in each channel."""
    view = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    rgb = np.frombuffer(view.constBits(), np.uint8).reshape(view.height(), view.bytesPerLine())
    rgb = rgb[:, : 3 * view.width()].reshape(view.height(), view.width(), 3).astype(int)
    want = QtGui.QColor(colour)
    target = np.array([want.red(), want.green(), want.blue()])
    return int((np.abs(rgb - target).max(axis=2) <= tolerance).sum())


def test_the_picture_shows_every_racer_in_its_colour(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        image = figure.image()
    for racer in race.racers:
        assert near(image, racer.color) > 50, racer.label


def test_the_plot_fills_the_whole_frame(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        assert figure.widget.geometry() == figure.frame.rect()


def test_a_faint_grid_on_both_axes(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        plot = parts(figure)[0]
        for side_name in ("bottom", "left"):
            assert plot.getAxis(side_name).grid == int(0.15 * 255)  # alpha 0.15 of 255


def test_two_columns_and_a_blank_filler_under_the_legend(race, qapp):
    with CurvesFigure(race, (640, 400), None) as figure:
        _, side, legend = parts(figure)
        assert figure.widget.ci.layout.columnCount() == 2
        assert side.getItem(1, 0).text.strip() == ""
        assert [label.opts["size"] for _, label in legend.items] == ["9pt", "9pt"]


def test_curves_below_one_set_a_top_below_one(qapp):
    # Two classes: the untrained network's cross-entropy starts near ln 2 ≈ 0.69.
    race = NetworkRace(NetworkSetup(dataset="moons", size=120, hidden=(8,), batch=16))
    race.add_racer("sgd", lr=0.1)
    race.advance(40)
    top = float(np.max(smooth_curve(losses(race, race.racers[0]), 11)[:2]))  # 40 // 20 = 2
    assert top < 1
    with CurvesFigure(race, (640, 400), None) as figure:
        (_, _), (y0, y1) = parts(figure)[0].getViewBox().viewRange()
    assert (y0, y1) == pytest.approx((0.0, top * 1.08))


def test_a_restarted_racer_with_no_loss_yet_does_not_hide_the_next_one(qapp):
    race = NetworkRace(SMALL)
    first, second = race.add_racer("sgd", lr=0.1), race.add_racer("adam", lr=0.01)
    race.advance(30)
    race.set_hyper(first.id, "lr", 0.05)  # restarts from the shared weights and lags
    assert len(losses(race, first)) == 0 and len(losses(race, second)) == 30
    with CurvesFigure(race, (640, 400), None) as figure:
        plot, _, legend = parts(figure)
        drawn = [item.getData()[1] for item in plot.listDataItems()]
        texts = [label.text for _, label in legend.items]
    assert len(drawn) == 2
    np.testing.assert_array_equal(drawn[0], losses(race, second))
    assert len(texts) == 1 and texts[0].startswith("Adam — ")


@pytest.mark.parametrize("iterations", [30, 100])
def test_the_top_is_read_from_the_first_twentieth_even_of_a_rising_curve(qapp, iterations):
    # Weight decay 10 with lr 0.25 multiplies the weights by 1 − 2.5 = −1.5 a step: the loss
    # rises from the start (about 2.25 times a step) and stays finite for hundreds of steps.
    race = NetworkRace(NetworkSetup(**{**SMALL.__dict__, "weight_decay": 10.0}))
    racer = race.add_racer("sgd", lr=0.25)
    race.advance(iterations)
    smooth = smooth_curve(losses(race, racer), 11)
    first = max(1, iterations // 20)  # 30 iterations: only the first value; 100: the first five
    assert np.all(np.isfinite(smooth)) and np.all(np.diff(smooth[: first + 1]) > 0)
    with CurvesFigure(race, (640, 400), None) as figure:
        (x0, x1), (y0, y1) = parts(figure)[0].getViewBox().viewRange()
    assert (y0, y1) == pytest.approx((0.0, smooth[first - 1] * 1.08))
    assert (x0, x1) == pytest.approx((-0.01 * iterations, 1.01 * iterations))


def test_a_race_not_started_spans_one_iteration(qapp):
    race = NetworkRace(SMALL)
    race.add_racer("sgd")
    with CurvesFigure(race, (640, 400), None) as figure:
        (x0, x1), _ = parts(figure)[0].getViewBox().viewRange()
    assert (x0, x1) == pytest.approx((-0.01, 1.01))


def test_a_size_the_scale_does_not_divide_is_white_to_its_last_pixel(race, qapp):
    # 1801 wide at scale 2: the frame is laid out 900 wide and covers 1800 pixels; the image's
    # last column is only the white the image starts from.
    with CurvesFigure(race, (1801, 1200), None) as figure:
        assert figure.frame.width() == 900
        image = figure.image()
    assert image.width() == 1801
    assert {QtGui.QColor(image.pixel(1800, y)).name() for y in range(0, 1200, 7)} == {"#ffffff"}
