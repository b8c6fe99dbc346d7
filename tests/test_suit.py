"""Every catalogue surface proposes rates that do not diverge, the panel's "Suit this surface"
applies them, and a racer that blows up at once points at the learning-rate finder."""

import pytest
from PySide6 import QtCore

from gui.model import Session
from gui.model.session import DEFAULT_STEP_LIMIT
from gui.model.suit import suggestion
from optimizers import REGISTRY
from surfaces import SURFACES

BOOK_OPTIMIZERS = ("sgd", "momentum", "adagrad", "adam", "rmsprop")


@pytest.mark.parametrize("key", list(SURFACES))
def test_proposals_race_a_whole_default_race_without_diverging(key):
    surface = SURFACES[key]
    for optimizer in BOOK_OPTIMIZERS:
        hyper = suggestion(surface, optimizer)
        session = Session(surface)
        if not hyper:
            # No proposal is allowed only when even the slider's smallest rate diverges.
            low = REGISTRY[optimizer]._specs["lr"].low
            racer = session.add_racer(optimizer, lr=low)
            session.advance(DEFAULT_STEP_LIMIT)
            assert session.status(racer.id)["diverged_at"] is not None, (key, optimizer)
            continue
        racer = session.add_racer(optimizer, **hyper)
        session.advance(DEFAULT_STEP_LIMIT)
        assert session.step == DEFAULT_STEP_LIMIT
        assert session.status(racer.id)["diverged_at"] is None, (key, optimizer, hyper)


def test_every_surface_proposes_something_for_the_book_optimizers():
    for key, surface in SURFACES.items():
        assert sum(bool(suggestion(surface, o)) for o in BOOK_OPTIMIZERS) >= 3, key


def diverged(session):
    return [r.label for r in session.racers if session.status(r.id)["diverged_at"] is not None]


def test_suit_button_rescues_the_book_racers_on_rosenbrock(window, qtbot):
    session = window.session
    combo = window.surface_panel.combo
    combo.setCurrentIndex(combo.findData("rosenbrock"))
    session.advance(50)
    window.refresh_status()
    early = diverged(session)
    assert early  # the book's rates are far too large for Rosenbrock
    for racer in session.racers:
        box = window.racer_panel.boxes[racer.id]
        at = session.status(racer.id)["diverged_at"]
        assert box.hint_box.isVisibleTo(box) == (at is not None and at <= 3)
    assert any(b.hint_box.isVisibleTo(b) for b in window.racer_panel.boxes.values())
    qtbot.mouseClick(window.racer_panel.suit_button, QtCore.Qt.MouseButton.LeftButton)
    for racer in session.racers:
        assert racer.hyper["lr"] == SURFACES["rosenbrock"].suggested[racer.optimizer]["lr"]
    session.reset()
    session.advance(DEFAULT_STEP_LIMIT)
    window.refresh_status()
    assert diverged(session) == []
    assert not any(b.hint_box.isVisibleTo(b) for b in window.racer_panel.boxes.values())
    assert "Set SGD lr 0.0012" in window.racer_panel.suit_note.text()


def test_suit_each_new_surface_when_asked(window, qtbot):
    panel = window.racer_panel
    qtbot.mouseClick(panel.suit_on_switch, QtCore.Qt.MouseButton.LeftButton)
    assert panel.suit_on_switch.isChecked()
    combo = window.surface_panel.combo
    combo.setCurrentIndex(combo.findData("saddle"))
    for racer in window.session.racers:
        assert racer.hyper["lr"] == SURFACES["saddle"].suggested[racer.optimizer]["lr"]


def test_find_lr_button_opens_and_runs_the_finder(window, qtbot):
    session = window.session
    sgd = session.racers[0]
    combo = window.surface_panel.combo
    combo.setCurrentIndex(combo.findData("rosenbrock"))
    session.set_hyper(sgd.id, "lr", 1.0)  # blows up at step 1 there
    session.advance(5)
    window.refresh_status()
    box = window.racer_panel.boxes[sgd.id]
    assert box.hint.text() == "lr too large here?" and box.hint_box.isVisibleTo(box)
    qtbot.mouseClick(box.find_lr_button, QtCore.Qt.MouseButton.LeftButton)
    dialog = window.inside.sweep
    assert dialog.isVisible() and dialog.racer_id == sgd.id
    assert dialog.tuned is not None and dialog.tuned.lr is not None
    assert sgd.hyper["lr"] == dialog.tuned.lr < 1.0
