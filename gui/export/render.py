"""Offscreen figures: the window's own map (and loss plot) drawn at any size, to PNG or SVG.

The figure uses the very classes the window shows, so an export looks like the screen. It is
laid out at a *logical* size (about a laptop window) and rendered scaled up to the requested pixel
size: text and lines then keep their on-screen proportions at 1920×1080 or 4K instead of shrinking
to specks. pyqtgraph's exporters do the drawing (ImageExporter antialiases curves even though the
live view turns antialiasing off for speed; SVGExporter gives vector output).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import qt_messages, theme
from gui.export.atomic import ExportError, write_bytes
from gui.export.spec import check_size
from gui.loss_view import LossView
from gui.map_view import MapView
from gui.model import Session
from gui.trails_item import Lines

LOGICAL_HEIGHT = (
    600  # the height the figure is laid out at before scaling: fonts read like on screen
)
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
GAP = 16  # logical pixels between the map and the loss plot
MARGINS = (4, 10, 12, 4)  # left, top, right, bottom, logical pixels
TITLE_SIZE = "11pt"


def ensure_app() -> QtWidgets.QApplication:
    """The running QApplication, or a new one; offscreen when there is no display to draw on."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        qt_messages.install()
        # The 3-D view's figures and the window's view then share compiled GL programs.
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QtWidgets.QApplication(["optimizer-playground"])
    theme.setup_pyqtgraph()  # the window's look, also when someone else made the application
    return app  # type: ignore[return-value]


class Figure:
    """An offscreen map of ``session`` — with the loss plot beside it if ``with_loss`` — that
    follows the session like the window's views do, until :meth:`close`."""

    def __init__(
        self,
        session: Session,
        size: tuple[int, int],
        with_loss: bool = False,
        view: Sequence[float] | None = None,
        title: str | None = None,
        antialias: bool = True,
        look: dict | None = None,
    ) -> None:
        """``look`` is a window map's :meth:`MapView.look` (colour map, contours, glyphs…):
        the figure then draws what that map shows; without it, the defaults."""
        ensure_app()
        width, height = check_size(size)
        self.size = (width, height)
        session.settle()  # finished runs only (the window's menu waits for them instead)
        self.session = session
        # Lay out at a screen-like size, then scale to the pixels asked for.
        self.scale = max(1.0, height / LOGICAL_HEIGHT)
        logical = QtCore.QSize(round(width / self.scale), round(height / self.scale))
        self.widget = QtWidgets.QWidget()
        self.widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.widget.setStyleSheet("background: white")
        layout = QtWidgets.QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        # Exports are drawn once, so they can afford the antialiasing the live view turns off
        # (items read the option when they are made). GIFs go without: blended edge colours
        # have no place in a 256-colour palette and come out as some other racer's colour.
        live = pg.getConfigOption("antialias")
        pg.setConfigOptions(antialias=antialias)
        try:
            self.map = MapView(session)
            self.loss = LossView(session) if with_loss else None
        finally:
            pg.setConfigOptions(antialias=live)
        self.views: list[pg.PlotWidget] = [self.map] + ([self.loss] if self.loss else [])
        for v in self.views:
            layout.addWidget(v, stretch=3 if v is self.map else 2)
        for v in self.views:
            # Room for the half of the top and bottom tick labels that sticks out of the plot.
            v.getPlotItem().setContentsMargins(*MARGINS)
        if title:
            self.set_title(title)
            if self.loss is not None:
                self.loss.getPlotItem().setTitle("Loss", size=TITLE_SIZE)
        if look is not None:
            self.map.apply_look(look)
        self.widget.resize(logical)
        self.widget.show()  # not on screen (WA_DontShowOnScreen); makes Qt lay everything out
        self.map.reset_view()  # at the figure's own shape: equal axes fit it, not the window's
        if view is not None:
            xmin, xmax, ymin, ymax = view
            self.map.view_box.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
        self._uncache()
        self.refresh()
        if self.loss is not None:
            self._fit_loss()

    def _uncache(self) -> None:
        """Draw every item afresh. The live view paints still items (heat map, contours,
        axes) from pixmaps cached at screen resolution, which a larger export would blow up
        into blocky, fat lines."""
        for view in self.views:
            for item in view.scene().items():
                item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.NoCache)

    def _fit_loss(self) -> None:
        """Steps 0 … now across the whole loss plot, and kept there. The live plot leaves slack
        to the right for the race to come; a figure shows a finished race (an animation is made
        from the final state backwards, so its axes stay still while the curves grow)."""
        box = self.loss.getPlotItem().getViewBox()
        box.setXRange(0, max(1, self.session.step), padding=0.02)
        # What a user's zoom sends: the loss view then stops re-framing itself.
        box.sigRangeChangedManually.emit([True, True])

    def ranges(self) -> list[list[list[float]]]:
        """Each view's ``[[xmin, xmax], [ymin, ymax]]``, to give another figure the same axes."""
        return [view.getPlotItem().getViewBox().viewRange() for view in self.views]

    def keep_ranges(self, ranges: list[list[list[float]]]) -> None:
        """Show exactly these ranges from now on, as a user's zoom would fix them."""
        for view, (xs, ys) in zip(self.views, ranges, strict=True):
            box = view.getPlotItem().getViewBox()
            box.setRange(xRange=xs, yRange=ys, padding=0)
            box.sigRangeChangedManually.emit([True, True])

    def set_title(self, text: str) -> None:
        self.map.getPlotItem().setTitle(text, size=TITLE_SIZE)

    def refresh(self) -> None:
        """Draw the session as it is now. The views draw paths when the session *changes*; a
        figure made for a session already at step 30 must draw them once itself."""
        self.map.paths.refresh()
        self.map.glyphs.update()
        self.map.fit_keys()
        self.map.update_contours()  # for this figure's pixels, without waiting for a timer
        if self.loss is not None:
            self.loss.refresh()
        settle()

    @contextlib.contextmanager
    def _thick_pens(self) -> Iterator[None]:
        """Curve pens scaled with the figure while a bitmap is drawn. They are cosmetic (width in
        device pixels, so zooming never fattens them), which a device pixel ratio leaves thin;
        vector output keeps them as they are."""
        saved = []
        for view in self.views:
            for item in view.getPlotItem().items:
                if isinstance(item, pg.PlotCurveItem):
                    pen = QtGui.QPen(item.opts["pen"])
                    saved.append((item, QtGui.QPen(pen)))
                    pen.setWidthF(max(pen.widthF(), 1.0) * self.scale)
                    item.setPen(pen)
                elif isinstance(item, Lines):  # the racers' lines: one item, a pen each
                    item.width_scale = self.scale
                    saved.append((item, None))
        try:
            yield
        finally:
            for item, pen in saved:
                if pen is None:
                    item.width_scale = 1.0
                else:
                    item.setPen(pen)

    def image(self) -> QtGui.QImage:
        """The figure at its pixel size, views side by side."""
        out = QtGui.QImage(*self.size, QtGui.QImage.Format.Format_RGB32)
        # Drawing at a device pixel ratio scales *everything* as a HiDPI screen would: text,
        # cosmetic pens, scatter symbols and the legend, which a scaled painter leaves small.
        out.setDevicePixelRatio(self.scale)
        out.fill(QtGui.QColor("white"))
        with self._thick_pens():
            self.widget.render(out)
        out.setDevicePixelRatio(1.0)
        return out

    def rgb(self) -> np.ndarray:
        """The image as an ``(h, w, 3)`` uint8 array (for animation writers)."""
        img = self.image().convertToFormat(QtGui.QImage.Format.Format_RGB888)
        w, h = img.width(), img.height()
        row = img.bytesPerLine()
        data = np.frombuffer(img.constBits(), dtype=np.uint8, count=row * h)
        return data.reshape(h, row)[:, : w * 3].reshape(h, w, 3).copy()

    def svg(self) -> bytes:
        """The figure as one SVG document; with the loss plot, both side by side."""
        settle()
        parts = [
            (view.geometry().x(), view.width(), view.height(), export_svg(view))
            for view in self.views
        ]
        return side_by_side(parts, self.widget.width(), self.widget.height(), self.size)

    def close(self) -> None:
        """Stop following the session and free the widgets."""
        for view in self.views:
            # The views connect a bound handler to the model's event list; without this the
            # session would keep a hidden figure alive and redraw it on every step.
            self.session.events.disconnect(view._on_session_event)
        self.widget.close()
        self.widget.deleteLater()

    def __enter__(self) -> Figure:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def export_image(view: pg.PlotWidget, width: int, height: int) -> QtGui.QImage:
    # The exporters (and the XML below) load at the first export, not with the window.
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(view.scene())
    params = exporter.parameters()
    params.param("width").setValue(width, blockSignal=exporter.widthChanged)
    params.param("height").setValue(height, blockSignal=exporter.heightChanged)
    params["antialias"] = True
    return exporter.export(toBytes=True)


def png_bytes(image: QtGui.QImage) -> bytes:
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError("Could not encode the image as PNG")
    return bytes(buffer.data())


def save_png(image: QtGui.QImage, path: str | os.PathLike[str]) -> None:
    """Encoded in memory, then written atomically like every other file."""
    write_bytes(path, png_bytes(image))


def settle() -> None:
    """Apply pending layout (a new title, a resize) without handling user input: this runs
    inside timer callbacks, where processing a click on Cancel would pull the figure away."""
    QtWidgets.QApplication.sendPostedEvents()


def caption(session: Session) -> str:
    return f"{session.surface.title} — step {session.step}"


def export_svg(view: pg.PlotWidget) -> bytes:
    from pyqtgraph.exporters import SVGExporter

    data = SVGExporter(view.scene()).export(toBytes=True)
    # pyqtgraph writes no overall size; slides and browsers need one to place the drawing.
    if isinstance(data, str):
        data = data.encode("utf-8")
    size = f'<svg width="{view.width()}" height="{view.height()}" '
    return re.sub(rb"<svg ", size.encode(), data, count=1)


def side_by_side(
    parts: list[tuple[int, int, int, bytes]],
    width: int,
    height: int,
    size: tuple[int, int] | None = None,
) -> bytes:
    """One SVG from several ``(x, width, height, svg)`` parts, each moved right by its ``x``,
    drawn in a ``width`` × ``height`` box and shown at ``size`` (the size asked for; the
    drawing is laid out at a screen-like size and scaled, like the bitmaps).

    Groups, not nested ``<svg>`` elements: SVG Tiny (what QtSvg and some slide tools read) has
    no nesting. pyqtgraph numbers ids afresh in every export, so each part's ids get a prefix.
    """
    import xml.etree.ElementTree as ET

    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "width": str((size or (width, height))[0]),
            "height": str((size or (width, height))[1]),
            "viewBox": f"0 0 {width} {height}",
            "version": "1.2",
            "baseProfile": "tiny",
        },
    )
    for n, (x, w, h, data) in enumerate(parts):
        data = re.sub(rb'(id="|url\(#|href="#)', rb"\1p%d_" % n, data)
        doc = ET.fromstring(data)
        group = ET.SubElement(root, f"{{{SVG_NS}}}g", {"transform": f"translate({x},0)"})
        for child in doc:
            tag = child.tag.split("}")[-1]
            if tag in ("title", "desc"):
                continue
            if tag == "rect" and child.get("width") == "100%":  # the part's own background
                child.set("width", str(w))
                child.set("height", str(h))
            group.append(child)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
