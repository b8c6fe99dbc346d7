"""What a user sees after the things a user does: the loss plot's numbers on surfaces whose
minimum is not 0 or whose losses go negative, a surface chosen in the combo box, a step limit
typed below the current step, and a refusal typed into a number box.

Truth comes from outside the code: the surfaces' published formulas and minima, and arithmetic
done here.
"""

import math

import numpy as np
import pytest
from PySide6 import QtCore
from PySide6.QtTest import QTest

from gui.model import Session
from surfaces import SURFACES


def goldstein_price(x, y):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    return a * b


def easom(x, y):
    return -np.cos(x) * np.cos(y) * np.exp(-((x - np.pi) ** 2) - (y - np.pi) ** 2)


def six_hump_camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


# Published global minima (Dixon & Szegő 1978; Easom 1990; the usual test-function tables).
PUBLISHED = {
    "goldstein-price": (goldstein_price, 3.0),
    "easom": (easom, -1.0),
    "six-hump-camel": (six_hump_camel, -1.0316284535),
}


def plotted(window, racer_id):
    x, y = window.loss_view.curves[racer_id].getData()
    return np.asarray(x), np.asarray(y)


def path(session, racer_id):
    steps, data = session.runs[racer_id].trajectory.table()
    return steps, data[:, 0], data[:, 1]


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_loss_plot_shows_log_of_the_gap_to_the_published_minimum(show_window, key):
    formula, f_min = PUBLISHED[key]
    session = Session(SURFACES[key])
    racer = session.add_racer("adam", lr=0.01)
    window = show_window(session)
    session.advance(40)
    steps, x, y = path(session, racer.id)
    shown_steps, shown = plotted(window, racer.id)
    assert window.loss_view.log_y
    assert np.array_equal(shown_steps, steps)
    # f_min is known to 10 digits; far from the minimum that is far below the tolerance.
    assert shown == pytest.approx(np.log10(formula(x, y) - f_min), rel=1e-7, abs=1e-7)


def test_losses_below_zero_put_the_loss_plot_on_a_linear_axis(show_window):
    session = Session(SURFACES["saddle"])  # x² − y², no minimum
    session.set_start(0.5, 2.0)  # f = 0.25 − 4 < 0 from the first step
    racer = session.add_racer("sgd", lr=0.01)
    window = show_window(session)
    session.advance(20)
    _, x, y = path(session, racer.id)
    _, shown = plotted(window, racer.id)
    assert shown[0] == -3.75
    assert not window.loss_view.log_y
    assert not window.loss_view.getPlotItem().getAxis("left").logMode
    assert shown == pytest.approx(x**2 - y**2, rel=1e-12)


def test_choosing_a_surface_in_the_combo_moves_the_start_to_its_own(qtbot, window):
    window.session.set_start(-3.0, 1.0)  # somewhere only the book's surface would keep
    combo = window.surface_panel.combo
    combo.setFocus()
    target = combo.findData("rosenbrock")
    while combo.currentIndex() != target:  # the user walks the list with the arrow keys
        step = QtCore.Qt.Key.Key_Down if combo.currentIndex() < target else QtCore.Qt.Key.Key_Up
        QTest.keyClick(combo, step)
    session = window.session
    assert session.surface.key == "rosenbrock"
    assert session.start == tuple(SURFACES["rosenbrock"].start)
    for racer in session.racers:
        _, x, y = path(session, racer.id)
        assert (x[0], y[0]) == session.start
    marker = window.map_view.start_marker.pos()
    assert (marker.x(), marker.y()) == session.start


def type_into(box, text: str) -> None:
    """Select what the box shows, type ``text`` and press Enter, as a user does."""
    box.setFocus()
    box.lineEdit().selectAll()
    QTest.keyClicks(box, text)
    QTest.keyClick(box, QtCore.Qt.Key.Key_Return)


def test_a_step_limit_typed_below_the_step_truncates_every_path(window):
    session = window.session
    session.advance(50)
    before = {r.id: path(session, r.id) for r in session.racers}
    type_into(window.playback_panel.limit, "20")
    assert session.step_limit == 20 and session.step == 20
    for racer in session.racers:
        steps, x, y = path(session, racer.id)
        assert list(steps) == list(range(21))
        _, old_x, old_y = before[racer.id]
        assert np.array_equal(x, old_x[:21]) and np.array_equal(y, old_y[:21])
    window.refresh_status()
    assert window.playback_panel.step_label.text() == "Step 20 of 20"


def test_rprop_step_min_typed_above_step_max_is_refused_and_changes_nothing(qtbot, window):
    session = window.session
    racer = session.add_racer("rprop")
    session.advance(5)
    hyper, trail = dict(racer.hyper), path(session, racer.id)
    box = window.racer_panel.boxes[racer.id]
    qtbot.waitUntil(box.isVisible)  # a new box shows once the event loop has run
    step_max = racer.hyper["step_max"]
    type_into(box.sliders["step_min"].spin, f"{2 * step_max:g}")
    assert box.error.isVisible()
    assert "step_min" in box.error.text() and "step_max" in box.error.text()
    assert racer.hyper == hyper
    assert all(np.array_equal(a, b) for a, b in zip(path(session, racer.id), trail, strict=True))
    assert box.sliders["step_min"].value() == hyper["step_min"]
    assert math.isclose(box.sliders["step_max"].value(), step_max)
