"""A typed formula as a user types it: the panel never outgrows its scroll area, a formula with
no landscape is refused, one with holes says how big they are, and the first (slow: sympy loads)
formula shows a busy cursor."""

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

import surfaces
from gui.surface_panel import CUSTOM_HINT
from gui.wrapping import visible

LONG = "exp(x)**exp(y)**exp(x)**9999"


def choose_custom(win, qtbot) -> None:
    """Pick "Custom formula…" in the combo with the keyboard, as a user would."""
    combo = win.surface_panel.combo
    combo.setFocus()
    QTest.keyClick(combo, QtCore.Qt.Key.Key_End)
    assert combo.currentIndex() == combo.count() - 1


def enter_formula(win, qtbot, text: str) -> None:
    field = win.surface_panel.formula
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, QtCore.Qt.Key.Key_Return)
    qtbot.wait(30)


def inside_viewport(scroll: QtWidgets.QScrollArea, widget: QtWidgets.QWidget) -> bool:
    right = widget.mapTo(scroll.viewport(), QtCore.QPoint(widget.width(), 0)).x()
    return right <= scroll.viewport().width()


def test_long_formula_keeps_every_control_in_the_panel(show_window, qtbot):
    win = show_window(size=(900, 600))
    choose_custom(win, qtbot)
    assert visible(win.surface_panel.description.text()) == CUSTOM_HINT
    enter_formula(win, qtbot, LONG)
    assert win.session.surface.formula == LONG
    scroll = win.findChild(QtWidgets.QScrollArea)
    panel = win.surface_panel
    assert scroll.widget().width() <= scroll.viewport().width()
    for widget in [panel.apply_button, win.racer_panel.add_button] + [
        box.remove_button for box in win.racer_panel.boxes.values()
    ]:
        assert inside_viewport(scroll, widget), widget
    for box in win.racer_panel.boxes.values():
        for row in box.sliders.values():
            assert inside_viewport(scroll, row.spin)
    # The whole derivative text is still there, in the tooltip.
    assert "df/dx" in panel.description.toolTip()


def test_formula_with_no_landscape_is_refused_with_the_reason(show_window, qtbot):
    win = show_window()
    before = win.session.surface
    choose_custom(win, qtbot)
    # Finite only where x² + y² < 0.01: one sample of the 41 × 41 frame grid.
    enter_formula(win, qtbot, "log(0.01 - x**2 - y**2)")
    assert win.session.surface is before
    error = visible(win.surface_panel.formula_error.text())
    assert win.surface_panel.formula_error.isVisible()
    assert "not finite on 99.9% of the frame" in error
    with pytest.raises(surfaces.FormulaError, match="not finite"):
        surfaces.from_formula("log(0.01 - x**2 - y**2)")


def test_formula_with_holes_is_accepted_with_their_share(show_window, qtbot):
    win = show_window()
    choose_custom(win, qtbot)
    enter_formula(win, qtbot, "log(x)")
    assert win.session.surface.formula == "log(x)"
    # Independent count: log(x) has no value where x <= 0, on the 41 sampled x of [-5, 5].
    xs = np.linspace(-5, 5, 41)
    share = np.mean(xs <= 0)
    note = win.surface_panel.formula_note
    assert note.isVisible()
    assert f"f is not finite on {100 * share:.0f}% of the frame" in visible(note.text())
    enter_formula(win, qtbot, "x**2 + y**2")
    assert not note.isVisible()


def test_first_formula_shows_a_busy_cursor(show_window, qtbot, monkeypatch):
    win = show_window()
    seen = []
    real = surfaces.from_formula

    def spy(text, *args, **kwargs):
        cursor = QtWidgets.QApplication.overrideCursor()
        seen.append(None if cursor is None else cursor.shape())
        return real(text, *args, **kwargs)

    monkeypatch.setattr(surfaces, "from_formula", spy)
    choose_custom(win, qtbot)
    enter_formula(win, qtbot, "x**2 + 3*y**2")
    assert seen == [QtCore.Qt.CursorShape.WaitCursor]
    assert QtWidgets.QApplication.overrideCursor() is None  # and it is given back


def test_custom_title_reads_like_maths():
    assert surfaces.from_formula("x ** 2 + 3 * y ** 2").title == "f(x, y) = x² + 3y²"
    assert surfaces.from_formula("(x - 1)**2 - 2*sin(x*y)").title == (
        "f(x, y) = (x − 1)² − 2sin(x·y)"
    )
