"""Every axis reads one way: decades as 10ⁿ, labels that never overlap, no SI prefix. The labels
checked here are the ones the axis actually lays out in a shown window, parsed back to numbers
and compared with the view coordinate each one is drawn at."""

import itertools
import math
import re

import numpy as np
import pytest
from PySide6 import QtGui

import surfaces
from gui.log_axis import ReadableAxis
from gui.model import Session

SUPER = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def number(text: str) -> float:
    """A tick label back to a float: "−2·10⁻⁵" → -2e-05, "10³" → 1000.0, "1,500" → 1500.0."""
    text = text.replace("−", "-").replace(",", "")
    match = re.fullmatch(r"(-?)(?:([\d.]+)·)?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    if match:
        sign, mantissa, exponent = match.groups()
        value = float(mantissa or 1) * 10.0 ** int(exponent.translate(SUPER))
        return -value if sign else value
    return float(text)


def laid_out(axis: ReadableAxis) -> list:
    """The label rectangles and texts the axis would paint now."""
    picture = QtGui.QPicture()
    painter = QtGui.QPainter(picture)
    try:
        _, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in texts]


def check_labels(axis: ReadableAxis, log: bool) -> list[float]:
    """No two labels overlap, each says the value at its place; returns the values."""
    labels = laid_out(axis)
    assert len(labels) >= 2, labels
    for (r1, t1), (r2, t2) in itertools.pairwise(labels):
        assert not r1.intersects(r2), (t1, t2)
    view = axis.linkedView()
    vertical = axis.orientation in ("left", "right")
    values = []
    for rect, text in labels:
        centre = rect.center()
        scene = axis.mapToScene(centre)
        at = view.mapSceneToView(scene)
        coordinate = at.y() if vertical else at.x()
        want = 10.0**coordinate if log else coordinate
        per_pixel = abs(np.diff(view.viewRange()[1 if vertical else 0])[0]) / (
            view.height() if vertical else view.width()
        )
        got = number(text)
        # The label's centre is its tick: the value there matches within a pixel or two.
        tolerance = 3 * per_pixel + 1e-12
        assert abs((math.log10(got) if log else got) - coordinate) <= tolerance, (text, want)
        values.append(got)
    return values


@pytest.mark.parametrize("size", [(900, 600), (1600, 1000)])
def test_seventeen_decades_are_labelled_at_decades_without_overlap(show_window, qtbot, size):
    session = Session(surfaces.SURFACES["book"])
    session.add_racer("adam", lr=0.3)
    session.add_racer("sgd", lr=0.95)  # reaches f − f_min ≈ 1e-16 (the floor) quickly
    win = show_window(session, size)
    win.playback.speed = 1
    session.set_step_limit(3000)
    session.advance(3000)
    win.loss_view.refresh()
    qtbot.wait(50)
    axis = win.loss_view.getPlotItem().getAxis("left")
    low, high = win.loss_view.view_box.viewRange()[1]
    assert high - low >= 16  # the frame really spans 17 decades
    values = check_labels(axis, log=True)
    for v in values:  # every label a decade, written 10ⁿ
        assert math.log10(v) == pytest.approx(round(math.log10(v)), abs=1e-9)
    assert not re.search(r"\(x[\d.e+-]+\)", axis.labelString()), axis.labelString()


def test_one_over_x_has_no_si_prefix(show_window, qtbot):
    session = Session(surfaces.from_formula("1/x"))
    session.add_racer("sgd", lr=0.01)
    win = show_window(session, (900, 600))
    session.advance(40)
    win.loss_view.refresh()
    qtbot.wait(50)
    axis = win.loss_view.getPlotItem().getAxis("left")
    assert not re.search(r"\(x[\d.e+-]+\)", axis.labelString()), axis.labelString()
    check_labels(axis, log=win.loss_view.log_y)


@pytest.mark.parametrize("size", [(900, 600), (1600, 1000)])
def test_step_zero_frames_whole_decades_and_says_what_comes(show_window, qtbot, size):
    window = show_window(size=size)
    window.playback.reset()
    window.loss_view.refresh()
    qtbot.wait(50)
    low, high = window.loss_view.view_box.viewRange()[1]
    assert high - low >= 1
    assert window.loss_view.hint.isVisible()
    values = check_labels(window.loss_view.getPlotItem().getAxis("left"), log=True)
    # Labelled decades on both sides of every racer's starting loss (6.45 on the book's bowl).
    start = window.session.status(window.session.racers[0].id)["loss"]
    assert min(values) <= start <= max(values)
    window.playback_panel.step_action.trigger()
    assert not window.loss_view.hint.isVisible()
    qtbot.wait(50)
    steps = check_labels(window.loss_view.getPlotItem().getAxis("bottom"), log=False)
    assert all(s == round(s) for s in steps), steps  # a step is a whole number


@pytest.mark.parametrize("orientation", ["left", "bottom"])
@pytest.mark.parametrize("pixels", [60, 150, 400, 1200])
def test_decade_choice_never_crowds(qapp, orientation, pixels):
    axis = ReadableAxis(orientation, log=True)
    major, _ = axis.ticks(-16.2, 1.1, pixels)
    labels = [axis.tick_label(u) for u in major]
    assert all(re.fullmatch(r"10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", t) for t in labels), labels
    metrics = QtGui.QFontMetricsF(axis.font())
    gaps = np.diff(major) * pixels / 17.3
    if len(major) > 1:
        need = metrics.height() if orientation == "left" else metrics.horizontalAdvance("10⁻¹⁶")
        assert gaps.min() >= need
