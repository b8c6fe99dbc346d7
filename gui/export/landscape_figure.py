"""The loss-landscape picture of a network race, drawn offscreen by the window's own plot
(:class:`gui.network.landscape_plot.LandscapePlot`): heat map, contours, colour bar, paths."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from gui.export.render import (
    LOGICAL_HEIGHT,
    TITLE_SIZE,
    ensure_app,
    export_image,
    export_svg,
    settle,
)
from gui.export.spec import check_size
from gui.model.network import NetworkRace
from gui.model.network.landscape import Landscape


def landscape_title(result: Landscape, race: NetworkRace) -> str:
    how = "PCA of the paths" if result.method == "pca" else "filter-normalised random"
    return (
        f"{race.data.title.split(' (')[0]} — {race.shape} network: training loss around "
        f"{result.center}, {how} directions, iteration {race.iteration:,}"
    )


class LandscapeFigure:
    def __init__(
        self, result: Landscape, race: NetworkRace, size: tuple[int, int], title: bool = True
    ) -> None:
        from gui.network.landscape_plot import LandscapePlot

        ensure_app()
        width, height = check_size(size)
        self.size = (width, height)
        scale = max(1.0, height / LOGICAL_HEIGHT)
        self.plot = LandscapePlot()
        self.plot.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.plot.resize(round(width / scale), round(height / scale))
        self.plot.show_landscape(result, [r for r in race.racers if r.id in result.paths])
        if title:
            self.plot.getPlotItem().setTitle(landscape_title(result, race), size=TITLE_SIZE)
        self.plot.show()
        settle()

    def image(self) -> QtGui.QImage:
        settle()
        return export_image(self.plot, *self.size)

    def svg(self) -> bytes:
        settle()
        return export_svg(self.plot)

    def close(self) -> None:
        self.plot.close()
        self.plot.deleteLater()

    def __enter__(self) -> LandscapeFigure:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
