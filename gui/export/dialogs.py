"""The small option dialogs of the export menu: image size, and animation settings."""

from __future__ import annotations

from PySide6 import QtWidgets

from gui.export.spec import MAX_FRAMES, MAX_SIDE

WINDOW_2X = "Map window × 2 (slides)"
SIZES = {
    WINDOW_2X: None,
    "1920 × 1080 (Full HD)": (1920, 1080),
    "1280 × 720 (HD)": (1280, 720),
    "3840 × 2160 (4K)": (3840, 2160),
    "1024 × 768 (4:3)": (1024, 768),
    "800 × 500 (small, for GIFs)": (800, 500),
    "Custom": (1600, 900),
}


class SizePicker(QtWidgets.QWidget):
    """A list of common sizes, and width/height boxes that show (and for Custom, take) it."""

    def __init__(self, window_size: tuple[int, int], default: str = WINDOW_2X) -> None:
        super().__init__()
        self.window_size = window_size
        self.choice = QtWidgets.QComboBox()
        self.choice.addItems(list(SIZES))
        self.width_box, self.height_box = QtWidgets.QSpinBox(), QtWidgets.QSpinBox()
        for box in (self.width_box, self.height_box):
            box.setRange(16, MAX_SIDE)
            box.setSuffix(" px")
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.choice, 1)
        row.addWidget(self.width_box)
        row.addWidget(QtWidgets.QLabel("×"))
        row.addWidget(self.height_box)
        self.choice.currentTextChanged.connect(self._on_choice_changed)
        self.choice.setCurrentText(default)
        self._on_choice_changed(default)

    def _on_choice_changed(self, text: str) -> None:
        size = SIZES.get(text)
        if text == WINDOW_2X:
            size = (2 * self.window_size[0], 2 * self.window_size[1])
        custom = text == "Custom"
        for box, value in zip((self.width_box, self.height_box), size or (1600, 900), strict=True):
            box.setEnabled(custom)
            if not custom:
                box.setValue(min(value, MAX_SIDE))

    def size(self) -> tuple[int, int]:  # type: ignore[override]
        return self.width_box.value(), self.height_box.value()


class ImageDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget, window_size: tuple[int, int]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export image")
        self.sizes = SizePicker(window_size)
        self.with_loss = QtWidgets.QCheckBox("Loss plot beside the map")
        self.title = QtWidgets.QCheckBox("Title (surface and step)")
        self.title.setChecked(True)
        self.overlays = QtWidgets.QCheckBox("Overlays as on screen (glyphs, key, gradient field)")
        self.overlays.setChecked(True)
        self.overlays.setToolTip("Untick for the surface and the paths alone")
        _layout(
            self,
            [("Size", self.sizes), ("", self.with_loss), ("", self.title), ("", self.overlays)],
        )


class PlainSpinBox(QtWidgets.QDoubleSpinBox):
    """Shows 15 as "15" and 7.5 as "7.5", not "15.00"."""

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"


class AnimationDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget, window_size: tuple[int, int], step: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self.sizes = SizePicker(window_size, default="800 × 500 (small, for GIFs)")
        self.fps = PlainSpinBox()
        self.fps.setDecimals(1)
        self.fps.setRange(0.5, 60.0)
        self.fps.setValue(15.0)
        self.fps.setSuffix(" frames/s")
        self.frames = QtWidgets.QSpinBox()
        self.frames.setRange(2, MAX_FRAMES)
        self.frames.setValue(max(2, min(step + 1, MAX_FRAMES)))
        self.frames.setToolTip(
            f"Frames from step 0 to step {step}, evenly spaced (every step when there are fewer)"
        )
        self.with_loss = QtWidgets.QCheckBox("Loss plot beside the map")
        _layout(
            self,
            [
                ("Size", self.sizes),
                ("Speed", self.fps),
                ("Frames", self.frames),
                ("", self.with_loss),
            ],
        )


def _layout(dialog: QtWidgets.QDialog, rows: list[tuple[str, QtWidgets.QWidget]]) -> None:
    form = QtWidgets.QFormLayout(dialog)
    for label, widget in rows:
        form.addRow(label, widget)
    buttons = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Ok
        | QtWidgets.QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
