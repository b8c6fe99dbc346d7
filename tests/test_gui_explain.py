"""The explain dock: the selected racer's next step with its numbers, and a Step button that
takes exactly that step."""

import re

import pytest
from PySide6 import QtCore


@pytest.fixture
def window(show_window):
    win = show_window()
    win.inside.dock.show()
    return win


def shown(value: float) -> str:
    return f"{value:.6g}".replace("-", "−")  # the panel prints a true minus sign


def new_theta(text: str) -> str:
    return re.search(r"new θ = \[([^\]]*)\]", text).group(1)


def test_step_button_lands_where_the_panel_said(qtbot, window):
    panel = window.inside.explain
    session = window.session
    momentum = next(r for r in session.racers if r.optimizer == "momentum")
    panel.select(momentum.id)
    session.advance(3)
    panel.refresh()
    text = panel.text.toPlainText()
    assert "Momentum" in text and "step 3 → 4" in text
    promised = new_theta(text)
    qtbot.mouseClick(panel.step_button, QtCore.Qt.MouseButton.LeftButton)
    assert session.step == 4
    x, y = session.runs[momentum.id].trajectory.head[:2]
    assert promised == f"{shown(x)}, {shown(y)}"
    # And the panel has moved on to the next step, which starts where the racer now is.
    text = panel.text.toPlainText()
    assert "step 4 → 5" in text
    assert f"θ = [{shown(x)}, {shown(y)}]" in text


def test_panel_defaults_to_the_first_racer_and_follows_the_combo(window):
    panel = window.inside.explain
    session = window.session
    assert panel.racer_id == session.racers[0].id
    assert session.racers[0].label in panel.text.toPlainText()
    panel.racer_combo.setCurrentIndex(3)
    assert session.racers[3].label in panel.text.toPlainText().splitlines()[0]


def test_panel_follows_the_race_and_the_racer_list(qtbot, window):
    panel = window.inside.explain
    session = window.session
    session.advance(6)
    qtbot.waitUntil(lambda: "step 6 → 7" in panel.text.toPlainText())
    added = session.add_racer("rmsprop")
    assert panel.racer_combo.findData(added.id) >= 0
    panel.select(added.id)
    assert added.label in panel.text.toPlainText()
    session.remove_racer(added.id)
    assert panel.racer_combo.findData(added.id) == -1
    assert panel.racer_id == session.racers[0].id


def test_view_menu_toggles_the_dock(window):
    action = window.inside.dock.toggleViewAction()
    assert action in window.view_menu.actions()
    action.trigger()
    assert not window.inside.dock.isVisible()
    action.trigger()
    assert window.inside.dock.isVisible()


def test_header_names_the_optimizer_once_and_numbers_never_split(show_window, qtbot):
    from gui.model import Session
    from surfaces import SURFACES

    session = Session(SURFACES["rosenbrock"])
    session.add_racer("sgd", lr=1e-3)  # label "SGD": the optimizer's title already
    session.add_racer("adam", label="fast", lr=0.05)
    win = show_window(session, (900, 600))
    win.inside.dock.toggleViewAction().trigger()
    panel = win.inside.explain
    session.advance(2)
    panel.refresh()
    first_line = panel.text.toPlainText().splitlines()[0]
    assert first_line.startswith("SGD · step 2") and "SGD · SGD" not in first_line
    panel.select(session.racers[1].id)
    panel.refresh()
    assert panel.text.toPlainText().splitlines()[0].startswith("fast · Adam · step 2")
    # In a narrow panel no vector is split over two lines: each line closes what it opens.
    document = panel.text.document()
    document.setTextWidth(240)
    document.size()  # lays the text out
    block, lines = document.begin(), 0
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            part = text[line.textStart() : line.textStart() + line.textLength()]
            assert part.count("[") == part.count("]"), part
            lines += 1
        block = block.next()
    assert lines > 12  # it really wrapped
