"""Items that keep their bounding rect between changes (Qt asks at every repaint, each frame of
a race): the map's minimum and saddle markers, which also follow the surface chosen in the
combo, and the loss plot's axes. Whatever changes, the kept rect is the one pyqtgraph computes."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore
from PySide6.QtTest import QTest

from surfaces import SURFACES


def choose(combo, key: str) -> None:
    combo.setFocus()
    target = combo.findData(key)
    while combo.currentIndex() != target:  # the user walks the list with the arrow keys
        step = QtCore.Qt.Key.Key_Down if combo.currentIndex() < target else QtCore.Qt.Key.Key_Up
        QTest.keyClick(combo, step)


def shown(item) -> list[tuple[float, float]]:
    x, y = item.getData()
    return sorted(zip(x.tolist(), y.tolist(), strict=True)) if item.isVisible() else []


def test_markers_follow_the_chosen_surface_and_a_zoom(qtbot, window):
    view = window.map_view
    combo = window.surface_panel.combo
    saddle_key = next(k for k, s in SURFACES.items() if s.saddles and combo.findData(k) >= 0)
    for key in ("himmelblau", saddle_key, "book"):
        choose(combo, key)
        surface = SURFACES[key]
        assert window.session.surface.key == key
        assert shown(view.minima) == sorted((p[0], p[1]) for p in surface.minima)
        assert shown(view.saddles) == sorted((p[0], p[1]) for p in surface.saddles)
        assert view.saddles.isVisible() == bool(surface.saddles)  # no empty item to paint
        for item in (view.minima, view.saddles):
            view.minima.boundingRect()  # asked before the next change, as a repaint does
            assert item.boundingRect() == pg.ScatterPlotItem.boundingRect(item)
    # A zoom changes the symbols' padding in data units: the kept bounds follow.
    star = view.minima
    before = star.boundingRect()
    view.view_box.scaleBy((0.25, 0.25))
    qtbot.wait(50)
    after = star.boundingRect()
    assert after == pg.ScatterPlotItem.boundingRect(star)
    assert after.width() < before.width()


def test_new_points_in_the_same_view_get_new_bounds(window):
    star = window.map_view.minima
    star.set_points([(1.0, 1.0)])
    one = star.boundingRect()
    star.set_points([(1.0, 1.0), (3.0, -2.0)])
    two = star.boundingRect()
    assert two == pg.ScatterPlotItem.boundingRect(star)
    assert two.contains(QtCore.QPointF(3.0, -2.0)) and not one.contains(QtCore.QPointF(3.0, -2.0))


def test_the_loss_plots_axes_keep_pyqtgraphs_bounds_through_changes(qtbot, window):
    plot = window.loss_view.getPlotItem()
    axes = [plot.getAxis("left"), plot.getAxis("bottom")]

    def same() -> bool:
        return all(a.boundingRect() == pg.AxisItem.boundingRect(a) for a in axes)

    assert same()
    window.resize(window.width() + 120, window.height() + 90)  # the plot and its view grow
    qtbot.waitUntil(lambda: axes[0].geometry().height() > 0, timeout=2000)
    qtbot.wait(50)
    assert same()
    plot.showGrid(x=False, y=False)  # no grid: the view's rect no longer counts
    assert same()
    for a in axes:
        a.setStyle(tickLength=-12, hideOverlappingLabels=True)
    assert same()
