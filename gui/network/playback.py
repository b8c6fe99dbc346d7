"""The network race's clock: one QTimer that trains in slices short enough to keep the window
live, its Play/Pause, Step and Reset actions, and the panel with speed and iteration limit.

A tick trains ``speed`` iterations of every racer, or fewer when the measured cost of one
iteration says they would take longer than :data:`TICK_BUDGET`; the rest of the budget re-trains
lagging racers (a re-tuned racer restarts from the shared start) with ``catch_up``. The timer
also runs while paused for as long as a racer lags, so a slider moved during a pause still
catches up without blocking.
"""

from __future__ import annotations

import time

from PySide6 import QtCore

from gui.model.network import NetworkRace
from gui.model.network.setup import MAX_ITERATIONS
from gui.playback import PlaybackControls

TICK_BUDGET = 0.025  # seconds of training per tick: a 30 ms frame with room to paint
MAX_SPEED = 1000
MAX_CATCH_UP = 50  # iterations per catch-up slice, at most


class NetworkPlayback(QtCore.QObject):
    playing_changed = QtCore.Signal(bool)
    ticked = QtCore.Signal()  # after every tick: the views refresh what changed
    failed = QtCore.Signal(str)

    def __init__(self, race: NetworkRace, tick_ms: int = 30, speed: int = 10, parent=None) -> None:
        super().__init__(parent)
        self.race = race
        self.speed = max(1, min(MAX_SPEED, int(speed)))
        self.playing = False
        self.ticks = 0
        self.slices = 0  # catch-up slices run (tests count them)
        self._cost = 0.0  # seconds per iteration of all racers, measured (a running mean)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(max(0, int(tick_ms)))
        self.timer.timeout.connect(self._on_tick)

    def set_race(self, race: NetworkRace) -> None:
        self.pause()
        self.race = race
        self._cost = 0.0
        self.wake()

    def play(self) -> None:
        if self.race.finished:
            self.race.reset()  # like a media player at the end: Play starts over
        if not self.playing:
            self.playing = True
            self.timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self.playing = False
            self.playing_changed.emit(False)
        self.wake()

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self) -> None:
        self.pause()
        self._guarded(self.race.advance, 1)
        self.ticked.emit()

    def reset(self) -> None:
        self._guarded(self.race.reset)
        self.ticked.emit()

    def wake(self) -> None:
        """Keep the timer running while there is work: playing, or a racer lagging."""
        if self.playing or self.race.owed:
            self.timer.start()
        else:
            self.timer.stop()

    def _on_tick(self) -> None:
        self.ticks += 1
        began = time.perf_counter()
        if self.playing:
            self._guarded(self._advance, began)
            if self.race.finished:
                self.pause()
        if self.race.owed:
            left = TICK_BUDGET - (time.perf_counter() - began)
            per = self._cost / max(1, len(self.race.racers))
            n = MAX_CATCH_UP if per <= 0 else int(max(1, min(MAX_CATCH_UP, left / per)))
            self.slices += 1
            self._guarded(self.race.catch_up, n)
        self.ticked.emit()
        if not self.playing and not self.race.owed:
            self.timer.stop()

    def _advance(self, began: float) -> None:
        """``speed`` iterations, in steps sized by the measured cost, until the budget is spent."""
        left = self.speed
        while left > 0:
            n = left if self._cost <= 0 else max(1, min(left, int(TICK_BUDGET / self._cost)))
            t0 = time.perf_counter()
            done = self.race.advance(n)
            if done == 0:
                return
            cost = (time.perf_counter() - t0) / done
            self._cost = cost if self._cost <= 0 else 0.7 * self._cost + 0.3 * cost
            left -= done
            if time.perf_counter() - began > TICK_BUDGET:
                return

    def _guarded(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # one message in the window beats a traceback on every tick
            self.playing = False
            self.timer.stop()
            self.playing_changed.emit(False)
            self.failed.emit(f"{type(exc).__name__}: {exc}")


class NetworkPlaybackPanel(PlaybackControls):
    """Play/Pause, Step and Reset as actions (the window's shortcuts while in Network mode),
    iterations per tick and the iteration limit."""

    def __init__(self, playback: NetworkPlayback, parent=None) -> None:
        super().__init__(
            playback,
            ("Play / pause the training", "One iteration", "Back to the shared start, iteration 0"),
            ("Iterations", MAX_ITERATIONS, "The training stops at this iteration"),
            parent,
        )
        self.actions_ = self.playback_actions
        self.speed.setSuffix(" iterations/tick")
        self.label = self.status_label
        self.sync()

    def sync(self) -> None:
        with QtCore.QSignalBlocker(self.limit):
            self.limit.setValue(self.playback.race.setup.iterations)
        self._on_playing_changed(self.playback.playing)
        self.show_status()

    def show_status(self) -> None:
        race = self.playback.race
        text = f"Iteration {race.iteration:,} of {race.setup.iterations:,}"
        owed = race.owed
        if owed:
            text += f" · re-training {owed:,}"
        if text != self.label.text():
            self.label.setText(text)

    def _on_limit_edited(self, value: int) -> None:
        self.playback.race.set_iterations(value)
        self.show_status()
