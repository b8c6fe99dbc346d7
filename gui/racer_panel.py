"""The racers: an "Add optimizer" menu and one box per racer, generated from the optimizer's
declared hyperparameters. Nothing here knows any particular optimizer."""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from gui.hyper_slider import HyperCheck, HyperSlider, hyper_row
from gui.model import Racer, Session
from gui.model.suit import suit, summary
from gui.schedule_editor import RacerExtras
from gui.status_line import StatusLine
from gui.theme import ERROR_COLOR
from gui.torch_menu import TorchMenu
from optimizers import REGISTRY

EARLY_DIVERGENCE = 3  # diverging within this many steps points at the learning rate


def status_text(session: Session, racer: Racer) -> tuple[str, bool]:
    """The racer's one-line status and whether it is bad news."""
    if not racer.enabled:
        return "off", False
    status = session.status(racer.id)
    if status["diverged_at"] is not None:
        return f"diverged at step {status['diverged_at']}", True
    return f"loss {status['loss']:.3g} at step {status['step']}", False


class RacerBox(QtWidgets.QFrame):
    """One racer: on/off, colour, name, remove; a slider per hyperparameter; its status."""

    find_lr = QtCore.Signal(int)  # the status's "Find a good learning rate" link: racer id

    def __init__(self, session: Session, racer: Racer, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.racer_id = racer.id
        cls = REGISTRY[racer.optimizer]
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)

        self.enabled = QtWidgets.QCheckBox()
        self.enabled.setToolTip("Race this optimizer (untick to pause it and hide its path)")
        self.color_button = QtWidgets.QToolButton()
        self.color_button.setToolTip("Change colour")
        self.color_button.setFixedSize(22, 22)
        self.name = QtWidgets.QLineEdit()
        self.name.setToolTip(f"{cls.title}: click to rename")
        self.kind = QtWidgets.QLabel(cls.title)
        self.kind.setStyleSheet("color: gray;")
        self.remove_button = QtWidgets.QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip("Remove this racer")
        header = QtWidgets.QHBoxLayout()
        for w in (self.enabled, self.color_button):
            header.addWidget(w)
        header.addWidget(self.name, 1)
        header.addWidget(self.kind)
        header.addWidget(self.remove_button)

        self.sliders: dict[str, HyperSlider | HyperCheck] = {}
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        for spec in cls.hyperparams:
            row = hyper_row(spec, racer.hyper[spec.name])
            row.changed.connect(self._on_hyper_edited)
            self.sliders[spec.name] = row
            layout.addWidget(row)
        # Noise and schedule fold away: most races never touch them, and the box stays short.
        self.more = QtWidgets.QToolButton()
        self.more.setCheckable(True)
        self.more.setAutoRaise(True)
        self.more.setToolTip("Gradient noise and learning-rate schedule")
        self.extras = RacerExtras(session, racer.id)
        self.extras.hide()
        self.more.toggled.connect(self.extras.setVisible)
        self.more.toggled.connect(self._show_more_text)
        layout.addWidget(self.more)
        layout.addWidget(self.extras)
        self.error = QtWidgets.QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        self.status = StatusLine(wrap=True)
        # Shown when the racer blows up at once: the usual cause, and the tool that fixes it.
        self.hint = QtWidgets.QLabel("lr too large here?")
        self.hint.setStyleSheet(f"color: {ERROR_COLOR};")
        self.find_lr_button = QtWidgets.QPushButton("Find a good learning rate")
        self.find_lr_button.setToolTip("Open the learning-rate finder for this racer and run it")
        self.find_lr_button.clicked.connect(lambda: self.find_lr.emit(self.racer_id))
        hint_row = QtWidgets.QHBoxLayout()
        hint_row.addWidget(self.hint)
        hint_row.addWidget(self.find_lr_button, 1)
        self.hint_box = QtWidgets.QWidget()
        self.hint_box.setLayout(hint_row)
        hint_row.setContentsMargins(0, 0, 0, 0)
        self.hint_box.hide()
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.hint_box)

        self.sync()
        self.enabled.toggled.connect(self._on_enabled_toggled)
        self.color_button.clicked.connect(self._on_color_clicked)
        self.name.editingFinished.connect(self._on_name_edited)
        self.remove_button.clicked.connect(self._on_remove_clicked)

    @property
    def racer(self) -> Racer:
        return self.session.racer(self.racer_id)

    def sync(self) -> None:
        """Show the model's values (signals blocked: this must not echo back into the model)."""
        racer = self.racer
        with QtCore.QSignalBlocker(self.enabled), QtCore.QSignalBlocker(self.name):
            self.enabled.setChecked(racer.enabled)
            if not self.name.hasFocus():
                self.name.setText(racer.label)
        # The optimizer's name only when the label does not already say it.
        self.kind.setVisible(not racer.label.startswith(self.kind.text()))
        self.color_button.setStyleSheet(
            f"background: {racer.color}; border: 1px solid #444; border-radius: 3px;"
        )
        for name, row in self.sliders.items():
            row.set_value(racer.hyper[name])
        self.extras.sync()
        self._show_more_text()

    def _show_more_text(self) -> None:
        """ "More…" (with what is set) while folded, "Less" while open."""
        summary = self.extras.summary()
        if self.more.isChecked():
            self.more.setText("Less")
        else:
            self.more.setText(f"More… ({summary})" if summary else "More…")

    def show_status(self) -> None:
        text, bad = status_text(self.session, self.racer)
        self.status.setText(text, bad)
        at = self.session.status(self.racer_id)["diverged_at"] if self.racer.enabled else None
        early = at is not None and at <= EARLY_DIVERGENCE and "lr" in self.racer.hyper
        if early != self.hint_box.isVisibleTo(self):
            self.hint_box.setVisible(early)

    def _on_hyper_edited(self, name: str, value: float) -> None:
        if not math.isfinite(value):
            return
        try:
            self.session.set_hyper(self.racer_id, name, value)
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.sliders[name].set_value(self.racer.hyper[name])
            return
        self.error.hide()

    def _on_enabled_toggled(self, on: bool) -> None:
        self.session.set_enabled(self.racer_id, on)

    def _on_color_clicked(self) -> None:
        chosen = QtWidgets.QColorDialog.getColor(
            QtGui.QColor(self.racer.color), self, f"Colour of {self.racer.label}"
        )
        if chosen.isValid():
            self.session.set_color(self.racer_id, chosen.name())

    def _on_name_edited(self) -> None:
        if self.name.text() != self.racer.label:
            self.session.set_label(self.racer_id, self.name.text())
            self.name.setText(self.racer.label)

    def _on_remove_clicked(self) -> None:
        self.session.remove_racer(self.racer_id)


class RacerPanel(QtWidgets.QWidget):
    """The "Add optimizer" button above a box per racer, kept in step with ``session.racers``."""

    box_type = RacerBox  # the network race's panel shows its own status line
    box_added = QtCore.Signal(QtWidgets.QWidget)  # a racer joined: its box, to scroll into view
    find_lr = QtCore.Signal(int)  # a racer's "Find a good learning rate" link: its id

    def __init__(self, session: Session, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.add_menu = QtWidgets.QMenu(self)
        for key, cls in sorted(REGISTRY.items(), key=lambda kv: kv[1].title.lower()):
            action = self.add_menu.addAction(cls.title)
            action.setData(key)
        self.add_menu.triggered.connect(self._on_add_triggered)
        self.add_menu.addSeparator()
        self.torch_menu = TorchMenu(self)
        self.add_menu.addMenu(self.torch_menu)
        self.torch_menu.chosen.connect(self.add)
        self.add_button = QtWidgets.QPushButton("Add optimizer")
        self.add_button.setMenu(self.add_menu)
        self.suit_button = QtWidgets.QPushButton("Suit this surface")
        self.suit_button.setToolTip(
            "Give every racer the learning rate this surface proposes for its optimizer"
        )
        self.suit_on_switch = QtWidgets.QCheckBox("Suit each new surface")
        self.suit_on_switch.setToolTip(
            "When the surface changes, give every racer the rate the new surface proposes"
        )
        self.suit_note = QtWidgets.QLabel()
        self.suit_note.setWordWrap(True)
        self.suit_note.setStyleSheet("color: #555;")
        self.suit_note.hide()
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.suit_button)
        self.add_error = QtWidgets.QLabel()
        self.add_error.setWordWrap(True)
        self.add_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.add_error.hide()
        self.boxes: dict[int, RacerBox] = {}
        self._list = QtWidgets.QVBoxLayout()
        self._list.setSpacing(6)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.add_error)
        layout.addWidget(self.suit_on_switch)
        layout.addWidget(self.suit_note)
        layout.addLayout(self._list)
        self._on_racers_changed()
        self.suit_button.clicked.connect(self._on_suit_clicked)
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)

    def show_status(self) -> None:
        for box in self.boxes.values():
            box.show_status()

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "surface" and self.suit_on_switch.isChecked():
            self._on_suit_clicked()
        if kind == "racers":
            self._on_racers_changed()
        elif kind == "racer" and racer_id in self.boxes:
            self.boxes[racer_id].sync()

    def _on_racers_changed(self) -> None:
        ids = [r.id for r in self.session.racers]
        for gone in set(self.boxes) - set(ids):
            box = self.boxes.pop(gone)
            box.hide()
            box.deleteLater()  # later: the box's own remove button may be what called us
        for racer in self.session.racers:
            if racer.id not in self.boxes:
                box = self.box_type(self.session, racer)
                self.boxes[racer.id] = box
                self._list.addWidget(box)
                box.show_status()
                box.find_lr.connect(self.find_lr)
                self.box_added.emit(box)

    def _on_suit_clicked(self) -> None:
        applied = suit(self.session)
        self.suit_note.setText(summary(self.session, applied))
        self.suit_note.show()

    def _on_add_triggered(self, action: QtGui.QAction) -> None:
        # Submenu actions (PyTorch's) reach this menu's signal too; their menu adds them.
        if action in self.add_menu.actions() and isinstance(action.data(), str):
            self.add(action.data())

    def add(self, key: str) -> None:
        """Add a racer; a refusal (a PyTorch optimizer that cannot race) shows under the button."""
        try:
            self.session.add_racer(key)
        except ValueError as exc:
            self.add_error.setText(str(exc))
            self.add_error.show()
            return
        self.add_error.hide()
