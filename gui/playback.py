"""Playback: the one QTimer that drives the race, its actions (Play/Pause, Step, Reset), the
catch-up of re-simulations between paints, and the panel with speed, step limit and progress."""

from __future__ import annotations

import time

from PySide6 import QtCore, QtGui, QtWidgets

from gui.model import Session
from gui.model.catchup import Budget
from gui.model.session import MAX_STEP_LIMIT
from gui.status_line import StatusLine

MAX_SPEED = 1000
# One slice of a re-simulation: at least SLICE_STEPS steps (so a slider moved at step 1,000 is
# re-simulated and painted in the same frame), then more until SLICE_SECONDS have passed. Qt
# fires every due timer in one pass of its loop, so a slice can share a pass with a slider's
# move, the scene's bookkeeping and a paint (up to 20 ms together at step 100,000): slices of
# 12 ms keep such a pass under 50 ms, and cost no throughput (a pass costs microseconds).
SLICE_STEPS = 1024
SLICE_SECONDS = 0.012
# How often the growing paths are redrawn during a catch-up: painting after every slice would
# take about as long as the slices themselves; input still gets its turn after each one.
REDRAW_SECONDS = 0.1


class Playback(QtCore.QObject):
    """Each tick advances the session by ``speed`` steps; the views follow through the session's
    events. An exception in a tick stops playback and is reported once through ``failed``.

    The session re-simulates in slices (:mod:`gui.model.catchup`): while a racer catches up,
    a zero-interval timer works one slice per pass of the event loop, so paints and input come
    in between, and play holds its ticks (the others would race on without that racer). A Step
    taken meanwhile is queued behind the catch-up by the session."""

    playing_changed = QtCore.Signal(bool)
    failed = QtCore.Signal(str)
    done = QtCore.Signal()  # emitted once, after the ticks asked for by :meth:`stop_after`
    notice = QtCore.Signal(str)  # something the user should be told (the window's status bar)

    def __init__(
        self,
        session: Session,
        tick_ms: int = 30,
        speed: int = 1,
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.speed = max(1, min(MAX_SPEED, int(speed)))
        self.ticks = 0
        self._stop_at: int | None = None
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(max(0, int(tick_ms)))
        self.timer.timeout.connect(self._on_tick)
        self.catchup_timer = QtCore.QTimer(self)
        self.catchup_timer.setInterval(0)
        self.catchup_timer.timeout.connect(self._on_catchup)
        self._told = 0.0  # when the views were last told of the catch-up's progress
        self._unseen = False  # slices worked since then
        session.catchup.budget = Budget(SLICE_STEPS, SLICE_SECONDS)
        session.events.connect(self._on_session_event)
        self._on_session_event("progress", None)

    def detach(self) -> None:
        """Stop following the session (it may outlive this object); it settles every change at
        once again, as it does without a window."""
        self.catchup_timer.stop()
        self.session.events.disconnect(self._on_session_event)
        self.session.catchup.budget = Budget()

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def stop_after(self, ticks: int) -> None:
        """Pause and emit ``done`` after ``ticks`` more ticks; until then, keep ticking even at
        the step limit, so a timed demo or soak run always ends."""
        self._stop_at = self.ticks + max(0, int(ticks))

    def play(self) -> None:
        if self.session.finished and self._stop_at is None:
            self.notice.emit(_limit_text(self.session.step_limit, "starting over from step 0"))
            self.session.reset()  # like a media player at the end: Play starts over
        if not self.playing:
            self.timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self.timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self) -> None:
        self.pause()
        self._guarded(self.session.advance, 1)

    def reset(self) -> None:
        self._guarded(self.session.reset)

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if self.session.busy and not self.catchup_timer.isActive():
            self.catchup_timer.start()

    def _on_catchup(self) -> None:
        # Each turn of the event loop either works a slice or redraws, never both, so neither
        # adds to the other's block; the views hear of the end in a turn of its own too.
        now = time.monotonic()
        if self._unseen and (now - self._told >= REDRAW_SECONDS or not self.session.busy):
            self._told, self._unseen = now, False
            self._guarded(self.session.tell_progress)
        elif self.session.busy:
            self._unseen = True
            self._guarded(self.session.catch_up, None, False)
        if not self.session.busy and not self._unseen:
            self.catchup_timer.stop()

    def _on_tick(self) -> None:
        self.ticks += 1
        if self.session.busy:
            return  # held: the catch-up's timer has the event loop's next turn
        self._guarded(self.session.advance, self.speed)
        if self._stop_at is not None:
            if self.ticks >= self._stop_at:
                self.pause()
                self._stop_at = None
                self.done.emit()
        elif self.session.finished:
            self.pause()
            self.notice.emit(_limit_text(self.session.step_limit, "stopped"))

    def _guarded(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # one message in the window beats a traceback on every tick
            self.pause()
            self.failed.emit(f"{type(exc).__name__}: {exc}")


def _limit_text(limit: int, what: str) -> str:
    return f"At the step limit ({limit:,}): {what}. Raise Step limit to race further."


def playback_actions(
    owner: QtCore.QObject, play: str, step: str, reset: str
) -> tuple[QtGui.QAction, QtGui.QAction, QtGui.QAction]:
    """Play/Pause (Space), Step (S or →) and Reset (R), with these tooltips: the same keys
    drive the surfaces' race and the network's training, whichever mode is shown."""
    play_action = QtGui.QAction("Play", owner, checkable=True)
    play_action.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_Space))
    play_action.setToolTip(f"{play} (Space)")
    step_action = QtGui.QAction("Step", owner)
    step_action.setShortcuts(
        [QtGui.QKeySequence(QtCore.Qt.Key.Key_S), QtGui.QKeySequence(QtCore.Qt.Key.Key_Right)]
    )
    step_action.setToolTip(f"{step} (S or →)")
    reset_action = QtGui.QAction("Reset", owner)
    reset_action.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_R))
    reset_action.setToolTip(f"{reset} (R)")
    return play_action, step_action, reset_action


class PlaybackControls(QtWidgets.QWidget):
    """What the race's and the network's playback panels share: Play/Pause, Step and Reset as
    actions with their keys and a button each, the speed, the limit and a line of status
    below them. ``tips``: the three actions' tooltips; ``limit``: its label, maximum and
    tooltip. Subclasses say what the limit sets (:meth:`_on_limit_edited`)."""

    def __init__(
        self,
        playback,
        tips: tuple[str, str, str],
        limit: tuple[str, int, str],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.playback = playback
        self.playback_actions = playback_actions(self, *tips)
        self.play_action, self.step_action, self.reset_action = self.playback_actions
        self.speed = QtWidgets.QSpinBox()
        self.speed.setRange(1, MAX_SPEED)
        self.speed.setValue(playback.speed)
        label, maximum, tooltip = limit
        self.limit = QtWidgets.QSpinBox()
        self.limit.setRange(1, maximum)
        self.limit.setGroupSeparatorShown(True)
        self.limit.setKeyboardTracking(False)
        self.limit.setToolTip(tooltip)
        self.status_label = StatusLine()

        buttons = QtWidgets.QHBoxLayout()
        for action in self.playback_actions:
            button = QtWidgets.QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(
                QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed
            )
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # keep Space for Play
            buttons.addWidget(button)
        form = QtWidgets.QFormLayout()
        form.addRow("Speed", self.speed)
        form.addRow(label, self.limit)
        self.column = QtWidgets.QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addLayout(buttons)
        self.column.addLayout(form)
        self.column.addWidget(self.status_label)

        self._on_playing_changed(playback.playing)
        self.play_action.triggered.connect(self._on_play_triggered)
        self.step_action.triggered.connect(playback.step)
        self.reset_action.triggered.connect(playback.reset)
        self.speed.valueChanged.connect(self._on_speed_edited)
        self.limit.valueChanged.connect(self._on_limit_edited)
        playback.playing_changed.connect(self._on_playing_changed)

    def _on_playing_changed(self, playing: bool) -> None:
        self.play_action.setChecked(playing)
        self.play_action.setText("Pause" if playing else "Play")

    def _on_play_triggered(self) -> None:
        self.playback.toggle()
        self._on_playing_changed(self.playback.playing)

    def _on_speed_edited(self, value: int) -> None:
        self.playback.speed = value

    def _on_limit_edited(self, value: int) -> None:
        raise NotImplementedError


class PlaybackPanel(PlaybackControls):
    """The race's controls: steps per tick, the step limit, the step and the catch-up's
    progress bar."""

    def __init__(self, playback: Playback, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            playback,
            ("Play / pause the race", "One step", "Back to step 0"),
            ("Step limit", MAX_STEP_LIMIT, "The race stops at this step"),
            parent,
        )
        self.session = playback.session
        self._on_speed_edited(playback.speed)  # the suffix: "1 step/tick", "2 steps/tick"
        self.speed.setToolTip("Steps per animation tick")
        self.step_label = self.status_label
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("Re-simulating… 0.0%")
        self.progress.setToolTip(
            "Racers whose settings changed are simulated again from step 0; the window stays "
            "live meanwhile, and a Step taken now is queued"
        )
        self.progress.setVisible(False)
        self.column.addWidget(self.progress)
        self._on_limit_changed()
        self.session.events.connect(self._on_session_event)

    def detach(self) -> None:
        """Stop following the session (it may outlive this widget)."""
        self.session.events.disconnect(self._on_session_event)
        self.playback.detach()

    def show_status(self) -> None:
        text = f"Step {self.session.step:,} of {self.session.step_limit:,}"
        if text != self.step_label.text():
            self.step_label.setText(text)
        self.show_progress()

    def show_progress(self) -> None:
        """The catch-up under way, as a bar with the share of its steps done; hidden otherwise."""
        done, total = self.session.progress()
        busy = total > 0 and self.session.busy
        if busy:
            permille = min(1000, 1000 * done // total)
            if permille != self.progress.value():
                # QProgressBar.setValue repaints at once, outside the frame: ~6 ms a slice
                # offscreen. With updates off it is painted with the rest of the next frame.
                self.progress.setUpdatesEnabled(False)
                self.progress.setValue(permille)
                # Tenths of a percent: a million-step catch-up would sit at "0%" for seconds.
                self.progress.setFormat(f"Re-simulating… {permille / 10:.1f}%")
                self.progress.setUpdatesEnabled(True)
        if busy != self.progress.isVisible():
            self.progress.setVisible(busy)

    def _on_session_event(self, kind: str, racer_id: int | None) -> None:
        if kind == "limit":
            self._on_limit_changed()
        elif kind in ("progress", "racer", "racers", "start", "surface", "reset"):
            self.show_progress()

    def _on_limit_changed(self) -> None:
        with QtCore.QSignalBlocker(self.limit):
            self.limit.setValue(self.session.step_limit)

    def _on_speed_edited(self, value: int) -> None:
        self.playback.speed = value
        self.speed.setSuffix(" step/tick" if value == 1 else " steps/tick")

    def _on_limit_edited(self, value: int) -> None:
        self.session.set_step_limit(value)
