"""The sweep dialog: its heat map shows what ``sweep`` computes, a click on a cell gives the
racer that cell's values, auto-tune applies ``autotune_lr``'s rate, and exports are complete."""

import numpy as np
import pytest
from PySide6 import QtCore

from gui.model import Session
from gui.model.sweep import autotune_lr, sweep
from gui.sweep_map import DIVERGED_RGBA
from surfaces import SURFACES


@pytest.fixture
def window(show_window):
    session = Session(SURFACES["rosenbrock"])
    session.add_racer("momentum")
    session.add_racer("sgd")
    win = show_window(session)
    return win


@pytest.fixture
def dialog(qtbot, window):
    d = window.inside.open_sweep(window.session.racers[0].id)
    qtbot.waitExposed(d)
    d.set_axes("lr", "momentum")
    d.grid.setValue(5)
    d.steps.setValue(20)
    return d


def test_heat_map_shows_the_sweep(dialog, window):
    racer = window.session.racers[0]
    result = dialog.compute()
    want = sweep(window.session, racer.id, "lr", "momentum", n=5, steps=20)
    assert result.value == pytest.approx(want.value, nan_ok=True)
    assert np.array_equal(result.diverged, want.diverged) and want.diverged.any()
    shown = dialog.heat.image.image  # row j is momentum[j], column i is lr[i]
    ok = ~want.diverged
    assert shown[ok] == pytest.approx(np.log10(want.value[ok]))
    overlay = dialog.heat.overlay.image
    assert (overlay[want.diverged] == DIVERGED_RGBA).all()
    assert (overlay[ok][:, 3] == 0).all()  # finished cells show their colour, not the overlay
    # The lr axis is a log axis in lr's own values: each labelled tick sits where its value
    # falls between the cell centres (cell i's centre is lr[i]), and reads 10ⁿ at a decade.
    axis = dialog.heat.plot.getAxis("bottom")
    (_, positions), _minor = axis.tickValues(0, 5, 400)
    centres = np.arange(5) + 0.5
    assert len(positions) >= 2
    for position, text in zip(positions, axis.tickStrings(positions, 1, 1), strict=True):
        value = 10 ** np.interp(position, centres, np.log10(want.x_values))
        exponent = round(np.log10(value))
        assert value == pytest.approx(10.0**exponent, rel=1e-9)
        assert text == "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def test_clicking_a_cell_sets_both_hyperparameters(qtbot, dialog, window):
    racer = window.session.racers[0]
    result = dialog.compute()
    i, j = 1, 3
    view = dialog.heat
    pixel = view.mapFromScene(view.cell_center(i, j))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pixel)
    assert racer.hyper["lr"] == result.x_values[i]
    assert racer.hyper["momentum"] == result.y_values[j]
    assert view.marker.data["x"][0] == i + 0.5 and view.marker.data["y"][0] == j + 0.5
    # The racer's sliders show the new values too.
    box = window.racer_panel.boxes[racer.id]
    assert box.sliders["lr"].value() == pytest.approx(result.x_values[i])


def test_steps_measure(dialog, window):
    dialog.measure.setCurrentIndex(dialog.measure.findData("steps"))
    result = dialog.compute()
    want = sweep(window.session, window.session.racers[0].id, "lr", "momentum", n=5, steps=20,
                 measure="steps")  # fmt: skip
    assert result.measure == "steps"
    assert result.value == pytest.approx(want.value, nan_ok=True)


def test_cancel_stops_the_sweep_early(dialog):
    dialog.grid.setValue(7)
    dialog.steps.setValue(500)
    dialog._on_progress = lambda done, total: dialog.cancel()  # Cancel pressed at once
    result = dialog.compute()
    assert result.cancelled and result.done < 500
    assert dialog.compute_button.isEnabled() and not dialog.cancel_button.isEnabled()


def test_auto_tune_applies_the_best_rate_and_plots_the_curve(dialog, window):
    racer = window.session.racers[0]
    tuned = dialog.autotune()
    want = autotune_lr(window.session, racer.id, steps=20)
    assert tuned.lr == want.lr is not None
    assert racer.hyper["lr"] == want.lr
    x, y = dialog.tune_curve.xData, dialog.tune_curve.yData  # before the log axes
    assert dialog.tune_plot.isVisible()
    assert x == pytest.approx(want.lrs) and y == pytest.approx(want.losses, nan_ok=True)


def test_hyperparameter_choices_follow_the_racer(dialog, window):
    sgd = window.session.racers[1]
    dialog.select(sgd.id)
    assert [dialog.x_combo.itemText(k) for k in range(dialog.x_combo.count())] == ["lr"]
    assert not dialog.compute_button.isEnabled()  # one hyperparameter: nothing to sweep across
    assert dialog.tune_button.isEnabled()


def test_exports_write_png_and_a_complete_csv(dialog, tmp_path):
    result = dialog.compute()
    png, csv = tmp_path / "sweep.png", tmp_path / "sweep.csv"
    dialog.export_png(str(png))
    dialog.export_csv(str(csv))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = csv.read_text().splitlines()
    assert lines[0] == "lr,momentum,loss,diverged" and len(lines) == 1 + 25
    x, y, value, diverged = lines[1 + 5 * 2 + 3].split(",")  # row j=2, column i=3
    assert float(x) == result.x_values[3] and float(y) == result.y_values[2]
    assert bool(int(diverged)) == result.diverged[2, 3]
    assert float(value) == pytest.approx(result.value[2, 3], nan_ok=True)
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_tools_menu_opens_one_dialog(window):
    first = window.inside.open_sweep()
    window.inside.sweep_action.trigger()
    assert window.inside.sweep is first and first.isVisible() and not first.isModal()


def test_closing_the_dialog_cancels_a_running_sweep(dialog):
    dialog.steps.setValue(500)
    dialog._on_progress = lambda done, total: dialog.close()
    result = dialog.compute()
    assert result.cancelled and result.done < 500
