"""View-menu entries for how the map is drawn: colour map, contour lines, equal axes, and how
much glyphs are exaggerated. Each choice is remembered in the window's settings store; the
colour map also travels in session files (see ``gui.export.menu``)."""

from __future__ import annotations

from typing import Any

from PySide6 import QtGui, QtWidgets

from gui import colormaps
from gui.contours import LEVELS
from gui.glyph_layer import FACTORS

COLORMAP_KEY = "view/colormap"
CONTOURS_KEY = "view/contours"
EQUAL_KEY = "view/equal_axes"
FACTOR_KEY = "view/glyph_factor"
CONTOUR_CHOICES = (("None", 0), ("Few (10)", 10), (f"Normal ({LEVELS})", LEVELS), ("Many (40)", 40))


class MapMenu:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.map = window.map_view
        self.settings = window.store.qsettings if window.store is not None else None
        menu: QtWidgets.QMenu = window.view_menu
        menu.addSeparator()

        self.colormap_menu = menu.addMenu("Colour map")
        self.colormaps = self._choices(
            self.colormap_menu,
            [(colormaps.TITLES[n], n) for n in colormaps.NAMES],
            self._stored(COLORMAP_KEY, colormaps.DEFAULT, colormaps.NAMES),
            self._on_colormap,
        )
        self.map.colormap_changed.connect(self._on_map_colormap)

        self.contour_menu = menu.addMenu("Contour lines")
        counts = [n for _, n in CONTOUR_CHOICES]
        self.contours = self._choices(
            self.contour_menu,
            list(CONTOUR_CHOICES),
            self._stored(CONTOURS_KEY, LEVELS, counts, int),
            self._on_contours,
        )

        self.glyph_menu = menu.addMenu("Glyph length")
        titles = [("True length", 1.0)] + [(f"× {f:g}", f) for f in FACTORS[1:]]
        self.factors = self._choices(
            self.glyph_menu,
            titles,
            self._stored(FACTOR_KEY, 1.0, FACTORS, float),
            self._on_factor,
        )

        self.equal_axes = menu.addAction("Equal axes")
        self.equal_axes.setCheckable(True)
        self.equal_axes.setToolTip("x and y at the same scale, so angles and lengths are true")
        self.equal_axes.setChecked(self._stored(EQUAL_KEY, True, (True, False), _boolean))
        self.map.set_equal_axes(self.equal_axes.isChecked())
        self.equal_axes.toggled.connect(self._on_equal_axes)

    def _choices(self, menu, entries, current, slot) -> dict[Any, QtGui.QAction]:
        """Exclusive checkable actions, one per ``(title, value)``; ``slot(value)`` on choice."""
        group = QtGui.QActionGroup(menu)
        actions = {}
        for title, value in entries:
            action = menu.addAction(title)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _=False, v=value: slot(v))
            actions[value] = action
        actions[current].setChecked(True)
        slot(current)
        return actions

    def _stored(self, key: str, default: Any, allowed, kind=str) -> Any:
        """The remembered value, or ``default`` if there is none or it is not one we offer."""
        if self.settings is None:
            return default
        raw = self.settings.value(key)
        try:
            value = kind(raw) if raw is not None else default
        except (TypeError, ValueError):
            return default
        return value if value in allowed else default

    def _remember(self, key: str, value: Any) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)

    def _on_colormap(self, name: str) -> None:
        self.map.set_colormap(name)
        self._remember(COLORMAP_KEY, name)

    def _on_map_colormap(self, name: str) -> None:
        """The map changed its colours (a session file asked): the menu and settings follow."""
        self.colormaps[name].setChecked(True)
        self._remember(COLORMAP_KEY, name)

    def _on_contours(self, n: int) -> None:
        self.map.set_contour_count(n)
        self._remember(CONTOURS_KEY, n)

    def _on_factor(self, factor: float) -> None:
        self.map.glyphs.set_factor(factor)
        self._remember(FACTOR_KEY, factor)

    def _on_equal_axes(self, on: bool) -> None:
        self.map.set_equal_axes(on)
        self._remember(EQUAL_KEY, on)


def _boolean(raw: Any) -> bool:
    """QSettings gives back the strings "true"/"false" from an ini file."""
    if isinstance(raw, str):
        if raw.lower() not in ("true", "false"):
            raise ValueError(raw)
        return raw.lower() == "true"
    return bool(raw)


def install(window: Any) -> MapMenu:
    window.map_menu = MapMenu(window)
    return window.map_menu
