"""A combo box of the session's racers by label, holding each racer's id as its data."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.model import Session


class RacerCombo(QtWidgets.QComboBox):
    @property
    def racer_id(self) -> int | None:
        return self.currentData()

    def select(self, racer_id: int) -> None:
        self.setCurrentIndex(self.findData(racer_id))

    def fill(self, session: Session) -> bool:
        """List the racers in session order, keeping the chosen one while it exists (else the
        first), without emitting signals; True when the chosen racer changed."""
        current = self.racer_id
        with QtCore.QSignalBlocker(self):
            self.clear()
            for racer in session.racers:
                self.addItem(racer.label, racer.id)
            index = self.findData(current) if current is not None else 0
            self.setCurrentIndex(max(index, 0) if session.racers else -1)
        return self.racer_id != current
