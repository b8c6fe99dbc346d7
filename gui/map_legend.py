"""Keys that sit beside the map, never on it: a legend whose names toggle like their markers,
laid out in rows under the x axis, in as many columns as the plot's width holds."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

SAMPLE_PX = 25  # an entry's marker and the gap after it
ROW_PX = 20  # the height of one row of entries
MAX_SHARE = 0.15  # of the plot's height, at most, for one key
BRUSH = (255, 255, 255, 0)
PEN = (255, 255, 255, 0)


class BesideLegend(pg.LegendItem):
    """A ``LegendItem`` (same ``addItem``/``items``/``clear`` API) for a layout cell. Clicking an
    entry's name does what clicking its marker does: pyqtgraph only listens on the marker, a
    20-pixel square that users miss."""

    def __init__(self, columns: int = 1, text_size: str = "9pt") -> None:
        super().__init__(
            colCount=columns,
            brush=pg.mkBrush(BRUSH),
            pen=pg.mkPen(PEN),
            labelTextSize=text_size,
            horSpacing=12,
        )
        # As wide as its entries, never wider (columns would spread apart), and never forcing
        # the plot wider than its window: fit_columns wraps the entries into rows instead.
        policy = QtWidgets.QSizePolicy.Policy
        self.setSizePolicy(policy.Maximum, policy.Fixed)  # all its rows, never clipped
        self.setMinimumWidth(10)
        self.wanted = True  # whether the key has entries worth showing
        self.folded = False  # whether it is hidden for want of room
        self._room: tuple[float, float] | None = None  # plot width and height, once known
        self._fitting = False

    def addItem(self, item, name) -> None:
        super().addItem(item, name)
        sample, label = self.items[-1]
        label.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        sample.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        # The scene delivers clicks to the item's mouseClickEvent, looked up on the instance.
        label.mouseClickEvent = sample.mouseClickEvent

    def updateSize(self) -> None:
        # pyqtgraph sizes a legend with setGeometry(0, 0, …), which would put it over the top
        # left of the plot until the layout next moves it: keep its place, and refit its
        # columns to the room it has (entries come and go).
        place = self.pos()
        super().updateSize()
        self.setPos(place)
        self._refit()

    def _relayout(self) -> None:
        layout = self.parentLayoutItem()
        if layout is not None:
            layout.invalidate()
            layout.activate()

    def mouseDragEvent(self, ev) -> None:
        ev.ignore()  # it lives in the plot's layout: nothing to drag it to

    def fit_columns(self, width: float, height: float) -> None:
        """As many columns as ``width`` pixels hold (at least one); folded away (hidden) when
        the rows would take more than :data:`MAX_SHARE` of a plot ``height`` pixels tall — a
        thumbnail has no room for a key, and it must not squeeze the map to nothing."""
        self._room = (width, height)
        self._refit()

    def _refit(self) -> None:
        if self._room is None or self._fitting:
            return
        self._fitting = True
        try:
            width, height = self._room
            widest = max((label.boundingRect().width() for _, label in self.items), default=0)
            step = widest + SAMPLE_PX + self.layout.horizontalSpacing()
            columns = max(1, int(width // step))
            if columns != self.columnCount:
                self.setColumnCount(columns)
                self.columnCount = columns
            rows = -(-len(self.items) // columns)
            self.folded = rows * ROW_PX > MAX_SHARE * height
            self.setVisible(self.wanted and not self.folded)
            # Its height is set outright, and the plot's layout (which does not relay itself
            # out for a child's new height) asked to follow once this event is over.
            self.setFixedHeight(rows * ROW_PX + 4)
            QtCore.QTimer.singleShot(0, self, self._relayout)
        finally:
            self._fitting = False

    def show_entries(self, on: bool) -> None:
        """Show the key when it has something to say (and is not folded away)."""
        self.wanted = bool(on)
        self.setVisible(self.wanted and not self.folded)


def place_below(plot: pg.PlotItem, legend: pg.LegendItem, row: int) -> None:
    """Put ``legend`` in ``plot``'s layout under the x axis (row 4 and down), spanning the axis
    and the plot, so it takes room from the layout instead of covering the data."""
    plot.layout.addItem(legend, row, 0, 1, 3)
    plot.layout.setAlignment(legend, QtCore.Qt.AlignmentFlag.AlignLeft)
