"""The user walk's table: for every action and button, what pressing it must DO.

One row per name (see ``walk_support`` for how names are made). A row's check sets the scene up,
presses the element with ``walk.press()`` (its shortcut, a menu click or a mouse click) and looks
at the effect: the model, the files written, the view. Presets and optimizers get one generated
row each, so each entry is checked against its own data. Adding an action is adding a row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import partial

import numpy as np
import pytest
import walk_support as ws
from PIL import Image
from PySide6 import QtCore, QtGui, QtWidgets

from gui.model.presets import PRESETS
from gui.sweep_dialog import SweepDialog
from optimizers import REGISTRY

Check = Callable[["object"], None]
ROWS: dict[str, Check] = {}


def row(name: str) -> Callable[[Check], Check]:
    def add(check: Check) -> Check:
        assert name not in ROWS, f"two rows for {name}"
        ROWS[name] = check
        return check

    return add


def png_size(path) -> tuple[int, int]:
    with Image.open(path) as image:
        assert image.format == "PNG", path
        return image.size


def map_size(window, factor: int) -> tuple[int, int]:
    size = window.map_view.size()
    return factor * size.width(), factor * size.height()


# --- File -----------------------------------------------------------------------------------


@row("File › Open Session…")
def open_session(walk) -> None:
    scene = dict(PRESETS["rosenbrock-valley"].scene, step=7, start=[-1.25, 2.5])
    path = walk.tmp / "chosen.json"
    path.write_text(json.dumps(scene))
    before = path.read_bytes()
    walk.files.open(path)
    walk.press()
    session = walk.window.session
    assert session.surface.key == scene["surface"]["key"]
    assert [r.label for r in session.racers] == [r["label"] for r in scene["racers"]]
    assert session.step == 7 and session.start == (-1.25, 2.5)
    assert path.read_bytes() == before  # opened, not overwritten


@row("File › Save Session As…")
def save_session(walk) -> None:
    session = walk.window.session
    session.advance(12)
    path = walk.tmp / "mine.json"
    walk.files.save_as(path)
    walk.press()
    data = json.loads(path.read_text())
    assert data["surface"]["key"] == "book" and data["step"] == 12
    assert [r["label"] for r in data["racers"]] == [r.label for r in session.racers]
    assert [r["optimizer"] for r in data["racers"]] == ["sgd", "momentum", "adagrad", "adam"]


@row("File › Save Screenshot")
def save_screenshot(walk) -> None:
    path = walk.tmp / "shot.png"
    walk.files.save_as(path)  # the first time there is no last folder: it asks
    walk.press()
    assert png_size(path) == map_size(walk.window, 2)


def image_dialog(walk, *, clicks: list[str], button: str, name: str = "figure.png") -> None:
    def answer(dialog):
        assert type(dialog).__name__ == "ImageDialog"
        dialog.sizes.choice.setCurrentText("Custom")
        dialog.sizes.width_box.setValue(320)
        dialog.sizes.height_box.setValue(200)
        for label in clicks:
            ws.click(ws.dialog_button(dialog, label))
        ws.click(ws.dialog_button(dialog, button))

    walk.modals.expect(answer)
    if button == "OK":
        walk.files.save_as(walk.tmp / name)
    walk.press_named("File › Export Image…")


def reference_png(walk, with_loss: bool, title: bool):
    """What the figure looks like with these options, drawn directly (not through the menu)."""
    from gui.export import render

    window = walk.window
    caption = render.caption(window.session) if title else None
    view = window.export_actions.view_range()
    with render.Figure(window.session, (320, 200), with_loss, view, caption) as figure:
        path = walk.tmp / f"reference-{with_loss}-{title}.png"
        render.save_png(figure.image(), path)
    return np.asarray(Image.open(path).convert("RGB"))


def exported(path):
    return np.asarray(Image.open(path).convert("RGB"))


@row("File › Export Image…")
@row("ImageDialog › OK")
def export_image(walk) -> None:
    image_dialog(walk, clicks=[], button="OK")
    path = walk.tmp / "figure.png"
    assert png_size(path) == (320, 200)
    assert np.array_equal(exported(path), reference_png(walk, with_loss=False, title=True))


@row("ImageDialog › Cancel")
def export_image_cancelled(walk) -> None:
    image_dialog(walk, clicks=[], button="Cancel")
    assert walk.files.asked == [] and list(walk.tmp.glob("*.png")) == []


@row("ImageDialog › Loss plot beside the map")
def export_image_with_loss(walk) -> None:
    image_dialog(walk, clicks=["Loss plot beside the map"], button="OK")
    picture = exported(walk.tmp / "figure.png")
    assert np.array_equal(picture, reference_png(walk, with_loss=True, title=True))


@row("ImageDialog › Title")
def export_image_without_title(walk) -> None:
    image_dialog(walk, clicks=["Title"], button="OK")
    picture = exported(walk.tmp / "figure.png")
    assert np.array_equal(picture, reference_png(walk, with_loss=False, title=False))


@row("File › Copy Image")
def copy_image(walk) -> None:
    clipboard = QtWidgets.QApplication.clipboard()
    clipboard.clear()
    walk.press()
    image = clipboard.image()
    assert not image.isNull() and (image.width(), image.height()) == map_size(walk.window, 2)


def animation(walk, *, clicks: list[str], button: str, name: str) -> None:
    walk.window.session.advance(4)

    def answer(dialog):
        assert type(dialog).__name__ == "AnimationDialog"
        dialog.sizes.choice.setCurrentText("Custom")
        dialog.sizes.width_box.setValue(320)
        dialog.sizes.height_box.setValue(200)
        dialog.frames.setValue(3)
        for label in clicks:
            ws.click(ws.dialog_button(dialog, label))
        ws.click(ws.dialog_button(dialog, button))

    walk.modals.expect(answer)
    if button == "OK":
        walk.files.save_as(walk.tmp / name)
    walk.press_named("File › Export Animation…")
    runner = walk.window.export_actions.runner
    walk.qtbot.waitUntil(lambda: not runner.busy, timeout=60_000)


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as image:
        assert image.format == "GIF" and image.size == (320, 200)
        frames = []
        for i in range(image.n_frames):
            image.seek(i)
            frames.append(np.asarray(image.convert("RGB")))
        return frames


@row("File › Export Animation…")
@row("AnimationDialog › OK")
def export_animation(walk) -> None:
    animation(walk, clicks=[], button="OK", name="race.gif")
    assert len(gif_frames(walk.tmp / "race.gif")) == 3


@row("AnimationDialog › Cancel")
def export_animation_cancelled(walk) -> None:
    animation(walk, clicks=[], button="Cancel", name="race.gif")
    assert walk.files.asked == [] and list(walk.tmp.glob("*.gif")) == []


@row("AnimationDialog › Loss plot beside the map")
def export_animation_with_loss(walk) -> None:
    animation(walk, clicks=[], button="OK", name="plain.gif")
    animation(walk, clicks=["Loss plot beside the map"], button="OK", name="loss.gif")
    plain, loss = gif_frames(walk.tmp / "plain.gif"), gif_frames(walk.tmp / "loss.gif")
    # The loss plot takes the right part of each frame: there the two animations differ.
    assert len(loss) == 3 and not np.array_equal(plain[-1][:, 200:], loss[-1][:, 200:])


@row("File › Export Trajectories…")
def export_trajectories(walk) -> None:
    session = walk.window.session
    session.advance(5)
    path = walk.tmp / "paths.csv"
    walk.files.save_as(path)
    walk.press()
    rows = list(csv.DictReader(path.read_text().splitlines()))
    assert len(rows) == 4 * 6  # four racers, steps 0…5
    firsts = [r for r in rows if r["step"] == "0"]
    assert [r["label"] for r in firsts] == [r.label for r in session.racers]
    assert {(float(r["x"]), float(r["y"])) for r in firsts} == {(-7.0, 2.0)}


@row("File › Quit")
def quit_app(walk) -> None:
    with walk.qtbot.waitSignal(walk.window.closed, timeout=5000):
        walk.press()
    assert not walk.window.isVisible()


# --- View -----------------------------------------------------------------------------------


@row("View › Reset view")
def reset_view(walk) -> None:
    window = walk.window
    window.session.advance(10)
    window.map_view.view_box.setRange(xRange=(0, 0.5), yRange=(0, 0.5), padding=0)
    loss_box = window.loss_view.view_box
    loss_box.setRange(xRange=(3, 4), yRange=(-50, -49), padding=0)
    loss_box.sigRangeChangedManually.emit([True, True])  # what a user's zoom sends
    walk.press()
    (x0, x1), (y0, y1) = window.map_view.view_box.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx(window.session.surface.bounds, abs=1e-6)
    (lx0, lx1), (ly0, ly1) = loss_box.viewRange()
    for drawn in window.loss_view._drawn.values():
        y = drawn.y[np.isfinite(drawn.y)]
        assert lx0 <= 0 and lx1 >= drawn.steps[-1] and ly0 <= y.min() and ly1 >= y[0]


def glyph_curves(window, role: str) -> list:
    curves = [c for cs in window.map_view.glyphs.curves.values() for c in cs]
    return [c for c in curves if c.isVisible() and getattr(c, "role", None) == role]


def glyph_toggle(walk, role: str) -> None:
    window = walk.window
    window.session.advance(3)
    assert glyph_curves(window, role) == []
    walk.press()
    enabled = [r for r in window.session.racers if r.enabled]
    assert len(glyph_curves(window, role)) >= len(enabled)
    walk.press()
    assert glyph_curves(window, role) == []


ROWS["View › Show −gradient arrows"] = partial(glyph_toggle, role="gradient")
ROWS["View › Show last steps"] = partial(glyph_toggle, role="step")
ROWS["View › Show optimizer state"] = partial(glyph_toggle, role="state")


@row("View › Show gradient field")
def gradient_field(walk) -> None:
    field = walk.window.map_view.glyphs.field
    assert not field.isVisible()
    walk.press()
    assert field.isVisible() and np.isfinite(field.xData).sum() > 100


@row("View › Explain panel")
def explain_panel(walk) -> None:
    dock = walk.window.inside.dock
    assert not dock.isVisible()
    walk.press()
    # The first racer is SGD with the book's lr = 0.95: its update rule with that number in it.
    assert dock.isVisible() and "η = 0.95" in walk.window.inside.explain.text.toPlainText()
    walk.press()
    assert not dock.isVisible()


# --- Playback -------------------------------------------------------------------------------


def play(walk) -> None:
    window = walk.window
    walk.press()
    walk.qtbot.waitUntil(lambda: window.session.step >= 3, timeout=10_000)
    assert window.playback.playing
    walk.press()
    assert not window.playback.playing


def step(walk) -> None:
    session = walk.window.session
    walk.press()
    assert session.step == 1 and all(r.step == 1 for r in session.runs.values())


def reset(walk) -> None:
    session = walk.window.session
    session.advance(6)
    walk.press()
    assert session.step == 0 and all(r.step == 0 for r in session.runs.values())


ROWS["Playback › Play"] = play
ROWS["Playback › Step"] = step
ROWS["Playback › Reset"] = reset
ROWS["PlaybackPanel › Play"] = play
ROWS["PlaybackPanel › Step"] = step
ROWS["PlaybackPanel › Reset"] = reset


# --- Presets: each entry loads its own scene -------------------------------------------------


def preset(walk, key: str) -> None:
    scene = PRESETS[key].scene
    walk.press()
    session = walk.window.session
    assert [r.label for r in session.racers] == [e["label"] for e in scene["racers"]]
    assert [r.optimizer for r in session.racers] == [e["optimizer"] for e in scene["racers"]]
    for racer, entry in zip(session.racers, scene["racers"], strict=True):
        assert {k: racer.hyper[k] for k in entry["hyper"]} == entry["hyper"]
    assert session.step == scene["step"] and session.start == tuple(scene["start"])
    assert session.surface.key == scene["surface"].get("key", session.surface.key)


for _key, _preset in PRESETS.items():
    ROWS[f"Presets › {_preset.title}"] = partial(preset, key=_key)


# --- Tools and Help -------------------------------------------------------------------------


@row("Tools › Sweep map…")
def sweep_map(walk) -> None:
    walk.press()
    dialogs = [d for d in walk.window.findChildren(SweepDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].racer_combo.count() == 4


def message_box(walk, title: str, must_say: str) -> None:
    said = []

    def answer(box):
        assert isinstance(box, QtWidgets.QMessageBox) and box.windowTitle() == title
        said.append(box.text())
        ws.click(ws.dialog_button(box, "OK"))

    walk.modals.expect(answer)
    walk.press()
    assert len(said) == 1 and must_say in said[0]


ROWS["Help › Keys and mouse…"] = partial(message_box, title="Keys and mouse", must_say="Space")
ROWS["Help › About…"] = partial(
    message_box, title="About Optimizer Playground", must_say="gradient-descent"
)


# --- Racers ---------------------------------------------------------------------------------


def add_optimizer(walk, key: str) -> None:
    session = walk.window.session
    before = [r.id for r in session.racers]
    walk.press()
    added = [r for r in session.racers if r.id not in before]
    assert [r.optimizer for r in added] == [key]
    assert added[0].id in walk.window.racer_panel.boxes


for _key, _cls in REGISTRY.items():
    ROWS[f"RacerPanel › Add optimizer › {_cls.title}"] = partial(add_optimizer, key=_key)


@row("RacerPanel › Add optimizer")
def add_optimizer_button(walk) -> None:
    menu = walk.window.racer_panel.add_menu
    assert not menu.isVisible()
    walk.press()
    walk.qtbot.waitUntil(menu.isVisible, timeout=5000)  # the list of optimizers drops down
    menu.close()


def first_box(walk):
    return walk.window.racer_panel.boxes[walk.window.session.racers[0].id]


@row("RacerBox › Race this optimizer")
def racer_on_off(walk) -> None:
    racer = walk.window.session.racers[0]
    walk.press()
    assert not racer.enabled
    walk.press()
    assert racer.enabled


@row("RacerBox › Change colour")
def racer_colour(walk) -> None:
    walk.monkeypatch.setattr(
        QtWidgets.QColorDialog, "getColor", staticmethod(lambda *a, **k: QtGui.QColor("#123456"))
    )
    walk.press()
    assert walk.window.session.racers[0].color == "#123456"


@row("RacerBox › Remove this racer")
def racer_remove(walk) -> None:
    gone = walk.window.session.racers[0].id
    walk.press()
    assert gone not in [r.id for r in walk.window.session.racers]
    assert gone not in walk.window.map_view.paths.items


@row("RacerBox › More…")
def racer_more(walk) -> None:
    extras = first_box(walk).extras
    assert not extras.isVisible()
    walk.press()
    assert extras.isVisible()


# --- Surface panel, banner, explain dock ----------------------------------------------------


@row("SurfacePanel › Apply")
def apply_formula(walk) -> None:
    from PySide6.QtTest import QTest

    panel = walk.window.surface_panel
    panel.combo.setCurrentIndex(panel.combo.count() - 1)  # "Custom formula…"
    panel.formula.clear()
    QTest.keyClicks(panel.formula, "x**2 + 3*y**2")
    walk.press()
    surface = walk.window.session.surface
    assert surface.formula == "x**2 + 3*y**2"
    assert float(surface.value(1.0, 2.0)) == 13.0


@row("ErrorBanner › Dismiss")
def dismiss_banner(walk) -> None:
    walk.window.show_error("Something went wrong")
    assert walk.window.banner.isVisible()
    walk.press()
    assert not walk.window.banner.isVisible()


def show_dock(walk):
    dock = walk.window.inside.dock
    dock.show()
    walk.qtbot.waitExposed(dock)
    return dock


@row("Dock Explain the next step › close")
def dock_close(walk) -> None:
    dock = show_dock(walk)
    walk.press()
    assert not dock.isVisible() and not walk.window.inside.dock.toggleViewAction().isChecked()


@row("Dock Explain the next step › float")
def dock_float(walk) -> None:
    dock = show_dock(walk)
    walk.press()
    assert dock.isFloating()


@row("ExplainPanel › Step")
def explain_step(walk) -> None:
    show_dock(walk)
    walk.press()
    assert walk.window.session.step == 1


# --- Sweep dialog ---------------------------------------------------------------------------


def sweep_dialog(walk) -> SweepDialog:
    walk.press_named("Tools › Sweep map…")
    dialog = walk.window.inside.sweep
    walk.qtbot.waitExposed(dialog)
    momentum = next(r for r in walk.window.session.racers if r.optimizer == "momentum")
    dialog.racer_combo.setCurrentIndex(dialog.racer_combo.findData(momentum.id))
    dialog.grid.setValue(5)
    dialog.steps.setValue(20)
    return dialog


@row("SweepDialog › Compute")
def sweep_compute(walk) -> None:
    dialog = sweep_dialog(walk)
    racer = walk.window.session.racer(dialog.racer_id)
    hyper = dict(racer.hyper)
    walk.press()
    assert dialog.result is not None and dialog.result.value.shape == (5, 5)
    assert dialog.tuned is None and racer.hyper == hyper  # computing changes no racer


@row("SweepDialog › Find a good learning rate")
def sweep_tune(walk) -> None:
    dialog = sweep_dialog(walk)
    racer = walk.window.session.racer(dialog.racer_id)
    walk.press()
    assert dialog.tuned is not None and dialog.tuned.lr is not None
    assert racer.hyper["lr"] == dialog.tuned.lr and dialog.tune_plot.isVisible()
    assert dialog.result is None  # no grid was computed


@row("SweepDialog › Cancel")
def sweep_cancel(walk) -> None:
    dialog = sweep_dialog(walk)
    dialog.grid.setValue(7)
    dialog.steps.setValue(500)
    # Pressed while the sweep runs: the first chunk's repaint delivers the click.
    QtCore.QTimer.singleShot(0, walk.press)
    ws.click(dialog.compute_button)
    assert dialog.result is not None and dialog.result.cancelled
    assert dialog.result.done < 500


@row("SweepDialog › Export PNG…")
def sweep_png(walk) -> None:
    dialog = sweep_dialog(walk)
    ws.click(dialog.compute_button)
    path = walk.tmp / "sweep.png"
    walk.files.save_as(path)
    walk.press()
    width, height = png_size(path)
    assert width >= dialog.heat.width() - 2 and height >= dialog.heat.height() - 2


@row("SweepDialog › Export CSV…")
def sweep_csv(walk) -> None:
    dialog = sweep_dialog(walk)
    ws.click(dialog.compute_button)
    path = walk.tmp / "sweep.csv"
    walk.files.save_as(path)
    walk.press()
    lines = path.read_text().splitlines()
    x, y = dialog.x_combo.currentText(), dialog.y_combo.currentText()
    assert lines[0].split(",")[:2] == [x, y] and len(lines) == 1 + 5 * 5
