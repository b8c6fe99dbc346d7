"""A surface's minima and saddles on the map: a scatter item whose points change only when the
surface does.

pyqtgraph works out a scatter item's bounding rectangle afresh whenever Qt asks, and Qt asks
at every repaint of any part of the view: while a race plays, at every frame, for points that
never move (~3 % of a tick). This item keeps it from one change of its points or of the view to
the next, and hides while it has no points (most surfaces have no saddle).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore


class Landmarks(pg.ScatterPlotItem):
    _rect: QtCore.QRectF | None = None  # set again after each change (pyqtgraph's __init__ too)

    def set_points(self, points) -> None:
        """Show these (x, y, …) points: their first two coordinates."""
        xy = np.array([p[:2] for p in points], dtype=float).reshape(-1, 2)
        self.setData(x=xy[:, 0], y=xy[:, 1])
        self.setVisible(len(xy) > 0)

    def setData(self, *args, **kwargs) -> None:
        # The only way this item's points, sizes or pens change (see set_points).
        self._rect = None
        super().setData(*args, **kwargs)

    def viewTransformChanged(self) -> None:
        self._rect = None  # the symbols' pixel padding is in data units of the old view
        super().viewTransformChanged()

    def boundingRect(self) -> QtCore.QRectF:
        if self._rect is None:
            self._rect = super().boundingRect()
        return QtCore.QRectF(self._rect)
