"""The control panels, both directions: each control changes the model, each model change
updates the controls."""

import pytest
from PySide6 import QtGui, QtWidgets

import surfaces
from gui.hyper_slider import to_position
from gui.model import Session, book_scene
from gui.racer_panel import RacerPanel
from gui.surface_panel import CUSTOM, SurfacePanel
from gui.wrapping import visible
from optimizers import REGISTRY
from surfaces import SURFACES


def panel_on_book(qtbot, panel_class):
    session = book_scene()
    panel = panel_class(session)
    qtbot.addWidget(panel)
    return session, panel


@pytest.fixture
def racers(qtbot):
    return panel_on_book(qtbot, RacerPanel)


def test_slider_and_spin_change_the_racer(racers):
    session, panel = racers
    sgd = session.racers[0]
    row = panel.boxes[sgd.id].sliders["lr"]
    session.advance(10)
    before = session.runs[sgd.id].trajectory.head.copy()
    row.slider.setValue(row.slider.value() - 100)
    assert sgd.hyper["lr"] == row.spin.value() != 0.95
    # Re-simulated at once, to the current step: no restart, no waiting for the timer.
    assert session.runs[sgd.id].step == 10
    assert (session.runs[sgd.id].trajectory.head != before).any()
    row.spin.setValue(0.5)
    assert sgd.hyper["lr"] == 0.5


def test_model_change_moves_slider_and_spin(racers):
    session, panel = racers
    adam = session.racers[3]
    session.set_hyper(adam.id, "lr", 0.02)
    row = panel.boxes[adam.id].sliders["lr"]
    assert row.spin.value() == 0.02
    spec = row.spec
    assert row.slider.value() == to_position(0.02, spec.low, spec.high, spec.log)


def test_refused_value_is_explained_and_changes_nothing(racers):
    session, panel = racers
    momentum = session.racers[1]
    box = panel.boxes[momentum.id]
    name, row = next((n, r) for n, r in box.sliders.items() if r.spec.maximum < float("inf"))
    spec = row.spec
    box._on_hyper_edited(name, spec.maximum + 1.0)
    assert box.error.isVisibleTo(box) and name in box.error.text()
    assert momentum.hyper[name] == row.spin.value() != spec.maximum + 1.0


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_added_optimizer_gets_exactly_its_declared_hyperparameters(racers, key):
    session, panel = racers
    action = next(a for a in panel.add_menu.actions() if a.data() == key)
    action.trigger()
    racer = session.racers[-1]
    assert racer.optimizer == key
    box = panel.boxes[racer.id]
    declared = [h.name for h in REGISTRY[key].hyperparams]
    assert list(box.sliders) == declared
    for spec in REGISTRY[key].hyperparams:
        row = box.sliders[spec.name]
        assert row.spin.value() == pytest.approx(spec.default)
        assert spec.help in row.toolTip()


def test_same_optimizer_twice_with_different_settings(racers):
    session, panel = racers
    a = session.add_racer("adam", lr=0.1)
    b = session.add_racer("adam", lr=0.01)
    assert panel.boxes[a.id].sliders["lr"].spin.value() == 0.1
    assert panel.boxes[b.id].sliders["lr"].spin.value() == 0.01
    panel.boxes[b.id].sliders["lr"].spin.setValue(0.2)
    assert a.hyper["lr"] == 0.1 and b.hyper["lr"] == 0.2


def test_remove_toggle_rename_recolour(racers, monkeypatch):
    session, panel = racers
    sgd, momentum = session.racers[:2]
    panel.boxes[sgd.id].remove_button.click()
    assert sgd.id not in [r.id for r in session.racers] and sgd.id not in panel.boxes

    box = panel.boxes[momentum.id]
    box.enabled.click()
    assert momentum.enabled is False
    session.set_enabled(momentum.id, True)
    assert box.enabled.isChecked()

    box.name.setText("heavy ball")
    box.name.editingFinished.emit()
    assert momentum.label == "heavy ball"
    session.set_label(momentum.id, "Polyak")
    assert box.name.text() == "Polyak"

    monkeypatch.setattr(
        QtWidgets.QColorDialog, "getColor", staticmethod(lambda *a, **k: QtGui.QColor("#123456"))
    )
    box.color_button.click()
    assert momentum.color == "#123456"
    assert "#123456" in box.color_button.styleSheet()


def test_status_shows_loss_and_divergence(racers):
    session, panel = racers
    sgd = session.racers[0]
    session.advance(30)
    panel.show_status()
    loss = session.status(sgd.id)["loss"]
    assert panel.boxes[sgd.id].status.text() == f"loss {loss:.3g} at step 30"
    session.set_hyper(sgd.id, "lr", 5.0)  # |1 − 2·5| = 9: y grows ninefold a step
    panel.show_status()
    k = session.runs[sgd.id].diverged_at
    assert k is not None
    assert panel.boxes[sgd.id].status.text() == f"diverged at step {k}"


@pytest.fixture
def surface_panel(qtbot):
    return panel_on_book(qtbot, SurfacePanel)


def test_combo_lists_every_surface_and_custom(surface_panel):
    _, panel = surface_panel
    titles = [panel.combo.itemText(i) for i in range(panel.combo.count())]
    assert titles == [s.title for s in SURFACES.values()] + [CUSTOM]


def test_combo_changes_the_surface_and_back(surface_panel):
    session, panel = surface_panel
    panel.combo.setCurrentIndex(panel.combo.findData("rosenbrock"))
    assert session.surface.key == "rosenbrock"
    assert visible(panel.description.text()) == SURFACES["rosenbrock"].description
    session.set_surface(SURFACES["himmelblau"])
    assert panel.combo.currentData() == "himmelblau"


def test_bad_formula_explains_and_keeps_the_scene(surface_panel):
    session, panel = surface_panel
    before = session.surface
    panel.combo.setCurrentIndex(panel.combo.count() - 1)
    assert session.surface is before  # choosing "Custom formula…" alone changes nothing
    assert panel.formula_box.isVisibleTo(panel)
    text = "x^2 + * y"
    with pytest.raises(surfaces.FormulaError) as refused:
        surfaces.from_formula(text)
    panel.formula.setText(text)
    panel.apply_button.click()
    assert panel.formula_error.isVisibleTo(panel)
    assert visible(panel.formula_error.text()) == str(refused.value)
    assert session.surface is before


def test_good_formula_becomes_the_surface(surface_panel):
    session, panel = surface_panel
    panel.combo.setCurrentIndex(panel.combo.count() - 1)
    panel.formula.setText("x**2 + 3*y**2")
    panel.formula.returnPressed.emit()
    assert session.surface.formula is not None
    assert session.surface.value(1.0, 1.0) == pytest.approx(4.0)
    assert not panel.formula_error.isVisibleTo(panel)


def test_surface_params_get_sliders_both_ways(qtbot):
    ravine = next(s for s in SURFACES.values() if s.params)
    session = Session(ravine)
    panel = SurfacePanel(session)
    qtbot.addWidget(panel)
    assert list(panel.params) == [p.name for p in ravine.params]
    spec = ravine.params[0]
    row = panel.params[spec.name]
    row.spin.setValue((spec.low + spec.high) / 2)
    assert session.surface.values[spec.name] == pytest.approx((spec.low + spec.high) / 2)
    session.set_surface_values(**{spec.name: spec.low})
    assert panel.params[spec.name] is row  # a value change keeps the row (and any drag) alive
    assert row.spin.value() == spec.low
    session.set_surface(SURFACES["book"])
    assert panel.params == {}
