"""Status lines that change ten times a second while a race plays (each racer's loss, the step)
must not make the side panel lay itself out again: a QLabel's setText did, every word-wrapped
label in the scroll area shaped anew, ~9 ms each time. They still grow when the text needs it."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.racer_panel import RacerBox
from gui.status_line import StatusLine
from gui.theme import ERROR_COLOR


class LayoutRequests(QtCore.QObject):
    """Counts the layout requests Qt delivers to widgets inside ``root``."""

    def __init__(self, root: QtWidgets.QWidget) -> None:
        super().__init__()
        self.root, self.seen = root, []

    def eventFilter(self, obj, event) -> bool:
        layout = event.type() == QtCore.QEvent.Type.LayoutRequest
        if layout and isinstance(obj, QtWidgets.QWidget) and self.root.isAncestorOf(obj):
            self.seen.append(type(obj).__name__)
        return False


def test_playing_updates_statuses_without_laying_out_the_side_panel(window, qtbot):
    session = window.session
    boxes = window.racer_panel.boxes
    first = boxes[session.racers[0].id]
    window.playback_panel.play_action.trigger()
    qtbot.wait(100)  # Play became Pause: that button's new text is laid out, rightly
    requests = LayoutRequests(window)
    app = QtWidgets.QApplication.instance()
    app.installEventFilter(requests)
    try:
        start = session.step
        qtbot.waitUntil(lambda: session.step >= start + 40, timeout=5000)
        qtbot.wait(250)  # two status updates at least (10 a second)
    finally:
        app.removeEventFilter(requests)
    window.playback_panel.play_action.trigger()
    step = session.step
    loss = session.status(session.racers[0].id)["loss"]
    qtbot.wait(250)
    assert first.status.text() == f"loss {loss:.3g} at step {step}"
    assert window.playback_panel.status_label.text().startswith(f"Step {step:,} of ")
    # Not the side panel's boxes, nor the window for its status bar's line.
    assert requests.seen == []


@pytest.fixture
def column(qtbot):
    """A status line in a 160-pixel-wide column, as in a narrow side panel."""
    holder = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(holder)
    line = StatusLine("loss 0.5 at step 1", wrap=True)
    layout.addWidget(line)
    layout.addStretch(1)
    holder.setFixedWidth(160)
    holder.resize(160, 400)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    return holder, line


def test_a_wrapped_line_grows_and_shrinks_with_its_text(column, qtbot):
    _, line = column
    one = line.fontMetrics().height()
    assert line.height() >= one
    short = line.height()
    line.setText("diverged at step 123456 — lr too large here, try a smaller one")
    qtbot.waitUntil(lambda: line.height() >= 3 * one, timeout=2000)
    # Every word inside the box: nothing clipped at the right edge.
    width = line.fontMetrics().horizontalAdvance("diverged")
    assert width <= line.width()
    line.setText("loss 0.25 at step 2")
    qtbot.waitUntil(lambda: line.height() == short, timeout=2000)


def test_a_one_line_status_widens_when_its_text_outgrows_it(qtbot):
    holder = QtWidgets.QWidget()
    row = QtWidgets.QHBoxLayout(holder)
    line = StatusLine("Step 1 of 10")
    row.addWidget(line)
    row.addStretch(1)
    holder.resize(600, 60)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    text = "Step 1,000,000 of 10,000,000 · re-simulating"
    line.setText(text)
    need = line.fontMetrics().horizontalAdvance(text)
    qtbot.waitUntil(lambda: line.width() >= need, timeout=2000)


def test_bad_news_is_painted_in_the_error_colour(column):
    _, line = column
    line.setText("diverged at step 7", bad=True)
    assert line.is_bad()
    image = line.grab().toImage()
    red = QtGui.QColor(ERROR_COLOR)
    colours = {
        image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())
    }
    assert red.rgb() in colours
    line.setText("diverged at step 7", bad=False)
    image = line.grab().toImage()
    colours = {
        image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())
    }
    assert red.rgb() not in colours


def test_a_racer_box_status_is_a_status_line(window):
    box = next(iter(window.racer_panel.boxes.values()))
    assert isinstance(box, RacerBox) and isinstance(box.status, StatusLine)
    assert box.status.accessibleName() == box.status.text() != ""
