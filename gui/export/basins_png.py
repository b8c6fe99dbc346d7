"""A basin map as a PNG at any size: the dialog's panels and keys, drawn offscreen."""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6 import QtCore, QtGui, QtWidgets

from gui.export.render import LOGICAL_HEIGHT, ensure_app, save_png, settle
from gui.export.spec import check_size
from gui.model.basins import BasinResult


def basins_image(results: Sequence[tuple[str, BasinResult]], size: tuple[int, int]) -> QtGui.QImage:
    """The side-by-side panels with their keys, laid out at a screen-like size and drawn at
    ``size`` pixels (text and stars scale with the picture, as in the map's exports)."""
    from gui.basin_view import BasinFigure, key_text

    ensure_app()
    width, height = check_size(size)
    scale = max(1.0, height / LOGICAL_HEIGHT)
    widget = QtWidgets.QWidget()
    widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.setStyleSheet("background: white")
    layout = QtWidgets.QVBoxLayout(widget)
    figure = BasinFigure()
    figure.show_results(list(results))
    layout.addWidget(figure, 1)
    for label, result in results:
        key = QtWidgets.QLabel(f"<b>{label}</b>: {key_text(result)}")
        key.setWordWrap(True)
        layout.addWidget(key)
    widget.resize(round(width / scale), round(height / scale))
    widget.show()
    settle()
    out = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    out.setDevicePixelRatio(scale)
    out.fill(QtGui.QColor("white"))
    widget.render(out)
    out.setDevicePixelRatio(1.0)
    widget.close()
    widget.deleteLater()
    return out


def write_png(
    results: Sequence[tuple[str, BasinResult]],
    size: tuple[int, int],
    path: str | os.PathLike[str],
) -> None:
    save_png(basins_image(results, size), path)
