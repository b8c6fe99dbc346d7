"""Bugs found by using the app, checked the way a user meets them: through the real menu
actions and key presses, never by calling the slot behind them."""

from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from optimizers import REGISTRY


def sweep_is_ready(dialog, session) -> None:
    assert dialog.isVisible()
    assert dialog.racer_id == session.racers[0].id  # the explained (first) racer
    assert dialog.x_combo.currentText() and dialog.y_combo.currentText()
    assert dialog.tune_button.isEnabled()
    two = len(REGISTRY[session.racers[0].optimizer].hyperparams) >= 2
    assert dialog.compute_button.isEnabled() == two
    if not two:  # the book's SGD has only lr: the dialog says why Compute is off
        assert "one hyperparameter" in dialog.message.text()


def test_tools_sweep_map_menu_opens_ready(window):
    window.inside.sweep_action.trigger()
    sweep_is_ready(window.inside.sweep, window.session)


def test_ctrl_m_opens_the_sweep_map_ready(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, QtCore.Qt.Key.Key_M, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.inside.sweep is not None and window.inside.sweep.isVisible())
    sweep_is_ready(window.inside.sweep, window.session)


def test_a_good_session_after_a_bad_one_clears_the_banner(window, tmp_path, monkeypatch):
    from gui.model import scene

    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    good = tmp_path / "good.json"
    good.write_text(scene.dumps(scene.to_scene(window.session, None)))
    chosen = iter([bad, good])
    monkeypatch.setattr(
        QtWidgets.QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(next(chosen)), "")),
    )
    open_action = window.export_actions.actions["Open Session"]
    open_action.trigger()
    assert window.banner.isVisible() and "bad.json" in window.banner.label.text()
    open_action.trigger()
    assert not window.banner.isVisible()
    assert "Opened" in window.statusBar().currentMessage()
