"""The explain panel: one racer's next step as its update rule with today's numbers in it, and a
Step button beside it, so a student can follow the arithmetic one step at a time."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.model import Session
from gui.racer_combo import RacerCombo

REFRESH_MS = 60  # coalesce a burst of events (a fast race) into one recomputation


class ExplainPanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.racer_combo = RacerCombo()
        self.racer_combo.setToolTip("Which racer's next step to explain")
        self.step_button = QtWidgets.QPushButton("Step")
        self.step_button.setToolTip("Take one step for every racer, then explain the next one")
        self.text = QtWidgets.QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setMinimumWidth(300)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.racer_combo, 1)
        top.addWidget(self.step_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)

        self._timer = QtCore.QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._timer.timeout.connect(self._on_timer)
        self._fill_racers()  # explained when first shown (see refresh)
        self.racer_combo.currentIndexChanged.connect(self.refresh)
        self.step_button.clicked.connect(self._on_step_clicked)
        session.events.connect(self._on_session_event)

    def detach(self) -> None:
        self.session.events.disconnect(self._on_session_event)
        self._timer.stop()  # a refresh still pending would run after the window closed

    @property
    def racer_id(self) -> int | None:
        return self.racer_combo.racer_id

    def select(self, racer_id: int) -> None:
        self.racer_combo.select(racer_id)

    def refresh(self) -> None:
        """Explain the selected racer's next step; a hidden panel does when it is shown (the
        window opens with it hidden, and without the explaining module loaded)."""
        if not self.isVisible():
            return
        from gui.model.explain import explain

        racer_id = self.racer_id
        if racer_id is None:
            self.text.setHtml("<i>Add a racer to see its update rule.</i>")
            return
        if self.session.busy:  # explained once the catch-up is done, not by waiting for it here
            self.text.setHtml("<i>Re-simulating… the next step is explained when it is done.</i>")
            return
        try:
            html = explain(self.session, racer_id).html
        except (KeyError, ValueError, ArithmeticError) as exc:
            html = f"<i>Cannot explain this step: {exc}</i>"
        self.text.setHtml(html)

    def _on_timer(self) -> None:
        self.refresh()  # a hidden panel need not explain every step of a race: it does not

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()  # catch up on steps taken while hidden

    # --- model → view -----------------------------------------------------------------------

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind in ("racers", "racer"):
            self._fill_racers()
        self._timer.start()

    def _fill_racers(self) -> None:
        if self.racer_combo.fill(self.session):
            self.refresh()

    # --- view → model -----------------------------------------------------------------------

    def _on_step_clicked(self) -> None:
        self.session.advance(1)
        self.refresh()
