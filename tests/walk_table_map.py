"""The user walk's rows for the map's View entries and the export's overlay box (see
``walk_table`` for how rows work). Imported by the walk so that these rows register."""

from __future__ import annotations

from functools import partial

import numpy as np
from walk_table import ROWS, exported, image_dialog, reference_png, row

from gui import colormaps
from gui.contours import LEVELS
from gui.glyph_layer import lengths_text
from surfaces import SURFACES

# --- colour maps: the bar and the heat map take the chosen map ---------------------------------


def colour_map(walk, key: str) -> None:
    other = "Greys" if key != "greys" else "Magma"
    walk.press_named(f"View › Colour map › {other}")
    walk.press()
    view = walk.window.map_view
    assert view.colormap == key
    expected = colormaps.colormap(key).getLookupTable(nPts=8)
    assert np.array_equal(view.colorbar.colorMap().getLookupTable(nPts=8), expected)


for _key, _title in colormaps.TITLES.items():
    ROWS[f"View › Colour map › {_title.split(' (')[0]}"] = partial(colour_map, key=_key)


# --- contour lines ------------------------------------------------------------------------------


def contour_lines(walk, count: int) -> None:
    view = walk.window.map_view
    other = "None" if count else "Normal"
    walk.press_named(f"View › Contour lines › {other}")
    walk.press()
    assert view.contour_count == count
    x, _ = view.contours.getData()
    drawn = x is not None and np.isfinite(np.asarray(x, dtype=float)).any()
    assert drawn == bool(count)


for _title, _count in (("None", 0), ("Few", 10), ("Normal", LEVELS), ("Many", 40)):
    ROWS[f"View › Contour lines › {_title}"] = partial(contour_lines, count=_count)


@row("View › Equal axes")
def equal_axes(walk) -> None:
    box = walk.window.map_view.view_box
    assert walk.window.map_view.equal_axes and box.state["aspectLocked"] == 1.0
    walk.press()
    assert not walk.window.map_view.equal_axes and not box.state["aspectLocked"]
    walk.press()
    assert box.state["aspectLocked"] == 1.0


# --- glyph lengths: the factor is drawn and printed in the key -----------------------------------


def glyph_length(walk, factor: float) -> None:
    window = walk.window
    window.session.advance(3)
    walk.press_named("View › Show last steps")
    walk.press_named("View › Glyph length › " + ("× 10" if factor == 1 else "True length"))
    walk.press()
    layer = window.map_view.glyphs
    assert layer.factor == factor
    texts = [label.text for _, label in layer.legend.items]
    assert lengths_text(factor) in texts


ROWS["View › Glyph length › True length"] = partial(glyph_length, factor=1.0)
for _factor in (3, 10, 30, 100):
    ROWS[f"View › Glyph length › × {_factor}"] = partial(glyph_length, factor=float(_factor))


@row("ImageDialog › Overlays as on screen")
def export_without_overlays(walk) -> None:
    window = walk.window
    window.session.advance(3)
    walk.press_named("View › Show last steps")
    assert window.map_view.glyphs.shown["step"]
    image_dialog(walk, clicks=["Overlays as on screen"], button="OK", name="bare.png")
    # The figure drawn directly has no glyphs: unticked, the export leaves the window's out.
    reference = reference_png(walk, with_loss=False, title=True)
    assert np.array_equal(exported(walk.tmp / "bare.png"), reference)


# --- suiting racers to a surface, and the divergence hint -----------------------------------------


def rates(session) -> dict[int, float]:
    return {r.id: r.hyper["lr"] for r in session.racers}


def suggested(session) -> dict[int, float]:
    table = session.surface.suggested
    return {r.id: table[r.optimizer]["lr"] for r in session.racers if r.optimizer in table}


@row("RacerPanel › Suit this surface")
def suit_this_surface(walk) -> None:
    session = walk.window.session
    session.set_surface(SURFACES["rosenbrock"])
    proposals = suggested(session)
    assert proposals and any(rates(session)[k] != v for k, v in proposals.items())
    walk.press()
    assert {k: rates(session)[k] for k in proposals} == proposals
    session.advance(200)
    assert all(session.status(r.id)["diverged_at"] is None for r in session.racers)


@row("RacerPanel › Suit each new surface")
def suit_each_surface(walk) -> None:
    session = walk.window.session
    walk.press()
    session.set_surface(SURFACES["rosenbrock"])
    proposals = suggested(session)
    assert proposals and {k: rates(session)[k] for k in proposals} == proposals
    walk.press()  # off again: the next surface keeps the rates
    before = rates(session)
    session.set_surface(SURFACES["himmelblau"])
    assert rates(session) == before


@row("RacerBox › Find a good learning rate")
def find_lr_hint(walk) -> None:
    window = walk.window
    session = window.session
    session.set_surface(SURFACES["rosenbrock"], start=(-1.2, 1.0))
    sgd = session.racers[0]
    session.advance(5)  # the book's SGD rate is far too large here
    assert session.status(sgd.id)["diverged_at"] <= 3
    box = window.racer_panel.boxes[sgd.id]
    walk.qtbot.waitUntil(lambda: box.hint_box.isVisible(), timeout=5000)
    walk.press()
    dialog = window.inside.sweep
    assert dialog is not None and dialog.isVisible() and dialog.racer_id == sgd.id
    assert dialog.tuned is not None and session.racer(sgd.id).hyper["lr"] == dialog.tuned.lr


@row("View › Controls panel")
def controls_panel(walk) -> None:
    controls = walk.window.controls
    assert controls.isVisible()
    walk.press()
    assert not controls.isVisible()
    walk.press()
    assert controls.isVisible()
