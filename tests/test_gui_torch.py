"""Add optimizer ▸ PyTorch in the window, driven as a user does."""

import pytest
from conftest import peer
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

import gui.torch_menu
from gui.racer_panel import RacerPanel

LEFT = QtCore.Qt.MouseButton.LeftButton


def torch_menu(window):
    return window.racer_panel.torch_menu


def open_torch_menu(window, qtbot):
    """Add optimizer ▸ PyTorch as a user opens it: the button's menu pops up, the PyTorch entry
    is hovered and the right arrow key opens it (Qt then starts reading the lists)."""
    panel = window.racer_panel
    add = panel.add_menu
    add.popup(panel.mapToGlobal(QtCore.QPoint(0, 0)))
    qtbot.waitUntil(add.isVisible)
    add.setActiveAction(panel.torch_menu.menuAction())  # the mouse resting on the entry
    QTest.keyClick(add, QtCore.Qt.Key.Key_Right)
    qtbot.waitUntil(panel.torch_menu.isVisible)
    panel.torch_menu.wait()
    return panel.torch_menu


def close_menus(window):
    window.racer_panel.torch_menu.close()
    window.racer_panel.add_menu.close()


def submenu(menu, title):
    sub = menu.submenus[title]
    assert sub.menuAction() in menu.actions()
    return sub


@pytest.mark.needs_torch
def test_choosing_adamw_from_the_pytorch_menu_adds_one_racer_with_its_sliders(window, qtbot):
    peer("torch", reason="the PyTorch menu needs torch")
    panel = window.racer_panel
    assert torch_menu(window).menuAction() in panel.add_menu.actions()
    menu = open_torch_menu(window, qtbot)
    adamw = next(a for a in submenu(menu, "torch.optim").actions() if a.text() == "AdamW")
    before = len(window.session.racers)
    adamw.trigger()
    close_menus(window)
    assert len(window.session.racers) == before + 1  # once, not once per menu level
    racer = window.session.racers[-1]
    assert racer.optimizer == "torch.optim.AdamW" and racer.label == "AdamW (torch)"
    box = panel.boxes[racer.id]
    assert set(box.sliders) == {"lr", "betas_0", "betas_1", "eps", "weight_decay", "amsgrad"}
    check = box.sliders["amsgrad"]
    assert isinstance(check, QtWidgets.QCheckBox)
    QTest.mouseClick(check, LEFT, pos=QtCore.QPoint(6, check.height() // 2))
    assert window.session.racer(racer.id).hyper["amsgrad"] == 1.0
    assert window.session.runs[racer.id].optimizer.torch_kwargs(None)["amsgrad"] is True


@pytest.mark.needs_torch
def test_a_value_torch_refuses_shows_its_message_and_changes_nothing(window, qtbot):
    peer("torch", reason="the PyTorch racer needs torch")
    racer = window.session.add_racer("torch.optim.SGD", lr=0.01)
    box = window.racer_panel.boxes[racer.id]
    spin = box.sliders["lr"].spin
    spin.selectAll()
    QTest.keyClicks(spin, "-1")
    QTest.keyClick(spin, QtCore.Qt.Key.Key_Enter)
    assert "Invalid learning rate" in box.error.text() and box.error.isVisibleTo(box)
    assert window.session.racer(racer.id).hyper["lr"] == 0.01


@pytest.mark.needs_torch
def test_an_optimizer_that_cannot_race_says_why_under_the_button(window, qtbot):
    peer("torch", reason="the PyTorch menu needs torch")
    menu = open_torch_menu(window, qtbot)
    muon = next(a for a in submenu(menu, "torch.optim").actions() if a.text() == "Muon")
    before = len(window.session.racers)
    muon.trigger()
    close_menus(window)
    panel = window.racer_panel
    assert len(window.session.racers) == before
    assert "Muon" in panel.add_error.text() and panel.add_error.isVisibleTo(panel)


def test_without_torch_the_menu_says_how_to_get_it(monkeypatch, qtbot, window):
    monkeypatch.setattr(gui.torch_menu.torch_bridge, "torch_installed", lambda: False)
    panel = RacerPanel(window.session)
    qtbot.addWidget(panel)
    texts = [a.text() for a in panel.torch_menu.actions()]
    assert any("not installed" in t and ".[torch]" in t for t in texts)
    assert not panel.torch_menu.path_action.isEnabled()
    panel.detach()


@pytest.mark.needs_torch
def test_add_by_path_imports_the_users_module_the_user_named(window, qtbot, tmp_path, monkeypatch):
    peer("torch", reason="the PyTorch menu needs torch")
    (tmp_path / "my_opts.py").write_text(
        "import torch\n\nclass Mine(torch.optim.Adam):\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(gui.torch_menu.torch_bridge, "_allowed", set())
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("my_opts:Mine", True))
    torch_menu(window).path_action.trigger()
    racer = window.session.racers[-1]
    assert racer.optimizer == "my_opts.Mine" and racer.label == "Mine (my_opts)"
    window.session.advance(5)
    assert window.session.status(racer.id)["step"] == 5
