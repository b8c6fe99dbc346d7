"""The user walk's rows for the map's View entries and the export's overlay box (see
``walk_table`` for how rows work). Imported by the walk so that these rows register."""

from __future__ import annotations

from functools import partial

import numpy as np
from walk_table import ROWS, exported, image_dialog, reference_png, row

from gui import colormaps
from gui.contours import LEVELS
from gui.glyph_layer import lengths_text

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
