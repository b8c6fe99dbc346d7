"""Glyphs at the racers' heads and the gradient field: drawn where and as long as the model's
:func:`glyphs` says — at true length, times the factor chosen in View ▸ Glyph length — and
hidden by their toggles."""

import numpy as np
import pytest

from gui.glyph_layer import FIELD_N, glyph_length, role_of
from gui.model import book_scene
from gui.model.glyphs import glyphs, gradient_field
from gui.window import MainWindow


def all_on(window):
    for action in window.inside.toggles.values():
        action.setChecked(True)


def expected_scales(window, factor=1.0):
    """The documented rule: every glyph at its true length times the chosen factor."""
    return {"gradient": factor, "position": factor}


def test_glyph_curves_match_the_model_scaled_per_group(window):
    all_on(window)
    window.session.advance(7)
    layer = window.map_view.glyphs
    scales = expected_scales(window)
    assert layer.scales == pytest.approx(scales)
    assert any("true lengths" in label.text for _, label in layer.legend.items)
    seen_kinds = set()
    for racer in window.session.racers:
        run = window.session.runs[racer.id]
        head = np.asarray(run.trajectory.head[:2])
        want = glyphs(run)
        curves = [c for c in layer.curves[racer.id] if c.isVisible()]
        assert len(curves) == len(want) >= 2  # −gradient, last step, then its own state
        for curve, g in zip(curves, want, strict=True):
            x, y = curve.getData()
            e = g.extent * scales[g.units]
            seen_kinds.add(g.kind)
            if g.kind == "vector":
                assert (x[0], y[0]) == pytest.approx(tuple(head))
                assert (x[1], y[1]) == pytest.approx(tuple(head + e))
            elif g.kind == "rate":  # an ellipse centred on the head with these half-axes
                assert np.nanmax(x) - head[0] == pytest.approx(e[0], rel=1e-3)
                assert np.nanmax(y) - head[1] == pytest.approx(e[1], rel=1e-2)
            assert curve.opts["pen"].color().name() == racer.color
            assert g.label in curve.toolTip()
    assert {"vector", "rate"} <= seen_kinds
    # The first two are the model's −gradient and the last step taken.
    run = window.session.runs[window.session.racers[0].id]
    first, second = glyphs(run)[:2]
    x, y = run.trajectory.head[:2]
    assert first.vector == pytest.approx(-np.array(run.surface.gradient(x, y), dtype=float))
    assert second.vector == pytest.approx(np.array([x, y]) - run.previous)


def test_each_toggle_hides_and_shows_its_glyphs(window):
    window.session.advance(3)
    layer = window.map_view.glyphs
    visible = lambda: [  # noqa: E731
        c.role for curves in layer.curves.values() for c in curves if c.isVisible()
    ]
    assert visible() == [] and not layer.legend.isVisible()
    window.inside.toggles["gradient"].setChecked(True)
    assert set(visible()) == {"gradient"} and len(visible()) == len(window.session.racers)
    assert layer.legend.isVisible()
    window.inside.toggles["step"].setChecked(True)
    assert set(visible()) == {"gradient", "step"}
    window.inside.toggles["gradient"].setChecked(False)
    assert set(visible()) == {"step"}
    window.inside.toggles["step"].setChecked(False)
    assert visible() == [] and not layer.legend.isVisible()


def test_glyphs_follow_steps_and_a_disabled_racer_loses_them(window):
    all_on(window)
    layer = window.map_view.glyphs
    racer = window.session.racers[1]
    window.session.advance(4)
    before = layer.curves[racer.id][0].getData()[0][0]
    window.session.advance(1)
    head = window.session.runs[racer.id].trajectory.head
    assert layer.curves[racer.id][0].getData()[0][0] == pytest.approx(head[0]) != before
    window.session.set_enabled(racer.id, False)
    assert not any(c.isVisible() for c in layer.curves[racer.id])


def test_gradient_field_has_one_arrow_per_defined_direction(window):
    layer = window.map_view.glyphs
    window.inside.toggles["field"].setChecked(True)
    assert layer.field.isVisible()
    x, y = layer.field.getData()
    # Over the part of the frame in view (equal axes leave blank margins around the frame).
    (xmin, xmax), (ymin, ymax) = window.map_view.view_box.viewRange()
    fx0, fx1, fy0, fy1 = window.session.surface.bounds
    shown = (max(xmin, fx0), min(xmax, fx1), max(ymin, fy0), min(ymax, fy1))
    X, Y, U, V = gradient_field(window.session.surface, shown, FIELD_N)
    defined = int(np.sum(np.isfinite(U) & np.isfinite(V)))
    # Each arrow is tail, tip, barb and a nan gap.
    assert len(x) == 4 * defined and int(np.isnan(x).sum()) == defined
    # Arrow midpoints sit on the grid and tails → tips point along −∇f.
    tails = np.column_stack([x[0::4], y[0::4]])
    tips = np.column_stack([x[1::4], y[1::4]])
    ok = np.isfinite(U) & np.isfinite(V)
    assert (tails + tips) / 2 == pytest.approx(np.column_stack([X[ok], Y[ok]]))
    d = tips - tails
    d /= np.hypot(d[:, 0], d[:, 1])[:, None]
    assert d == pytest.approx(np.column_stack([U[ok], V[ok]]))
    window.inside.toggles["field"].setChecked(False)
    assert not layer.field.isVisible()


def test_glyph_length_is_the_documented_fit_length():
    session = book_scene()
    session.advance(5)
    for racer in session.racers:
        for i, g in enumerate(glyphs(session.runs[racer.id])):
            assert glyph_length(g) >= 0
            assert role_of(i, g) in ("gradient", "step", "state")


def test_step_sizes_are_a_cross_with_the_declared_half_axes(window):
    session = window.session
    rprop = session.add_racer("rprop")
    window.inside.toggles["state"].setChecked(True)
    session.advance(6)
    layer = window.map_view.glyphs
    (g,) = [c.glyph for c in layer.curves[rprop.id] if c.isVisible()]
    assert g.kind == "step" and g.label == "step size"
    x, y = next(c for c in layer.curves[rprop.id] if c.isVisible()).getData()
    hx, hy = session.runs[rprop.id].trajectory.head[:2]
    e = g.extent * layer.scales["position"]
    assert x[:2] == pytest.approx([hx - e[0], hx + e[0]]) and y[:2] == pytest.approx([hy, hy])
    assert x[3:] == pytest.approx([hx, hx]) and y[3:] == pytest.approx([hy - e[1], hy + e[1]])


def test_toggles_are_remembered_in_the_settings(qtbot, tmp_path):
    from gui.settings import SettingsStore

    store = SettingsStore(tmp_path / "s.ini")
    first = MainWindow(book_scene(), store=store, tick_ms=0)
    qtbot.addWidget(first)
    first.inside.toggles["step"].setChecked(True)
    first.inside.toggles["field"].setChecked(True)
    first.close()
    again = MainWindow(book_scene(), store=SettingsStore(tmp_path / "s.ini"), tick_ms=0)
    qtbot.addWidget(again)
    checked = {k for k, a in again.inside.toggles.items() if a.isChecked()}
    assert checked == {"step", "field"}
    assert again.map_view.glyphs.shown["step"] and again.map_view.glyphs.field_shown


def test_last_step_arrow_is_the_step_times_the_factor_chosen_in_the_menu(window):
    window.inside.toggles["step"].setChecked(True)
    window.session.advance(4)
    racer = window.session.racers[0]
    layer = window.map_view.glyphs

    def arrow():
        (curve,) = [c for c in layer.curves[racer.id] if c.isVisible()]
        x, y = curve.getData()
        return np.array([x[1] - x[0], y[1] - y[0]])

    # The truth: the same race run again on its own, head at step 3, then at step 4.
    again = book_scene()
    first = again.racers[0].id
    again.advance(3)
    before = np.array(again.runs[first].trajectory.head[:2], dtype=float)
    again.advance(1)
    step = np.array(again.runs[first].trajectory.head[:2], dtype=float) - before
    assert np.hypot(*step) > 0
    assert arrow() == pytest.approx(step)
    window.map_menu.factors[10.0].trigger()
    assert arrow() == pytest.approx(10 * step)
    assert any("lengths ×10" in label.text for _, label in layer.legend.items)
