"""The loss plot frames every finite part of every curve, whatever the others hold: a racer
whose loss overflows to inf on its first step, one whose loss is NaN, one that converges."""

from __future__ import annotations

import math

from gui.model import Session
from surfaces import SURFACES


def curve_range(window, racer) -> tuple[float, float, float]:
    """(first, lowest, highest) finite log10(f - f_min) of the racer's curve, from its run."""
    loss = window.session.runs[racer.id].trajectory.table()[1][:, 2]
    fmin = window.loss_view._fmin or 0.0
    logs = [math.log10(max(v - fmin, 1e-16)) for v in loss.tolist() if math.isfinite(v)]
    return logs[0], min(logs), max(logs)


def test_the_frame_holds_every_finite_curve_when_one_overflows(show_window, qtbot):
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    calm = session.add_racer("sgd", lr=0.05)
    wild = session.add_racer("sgd", lr=1e200)  # x² / 20 of ~1e200 overflows: f = inf at step 1
    window = show_window(session, size=(900, 600))
    window.playback_panel.play_action.trigger()
    qtbot.waitUntil(lambda: session.step >= 60, timeout=10_000)
    window.playback_panel.play_action.trigger()
    qtbot.wait(50)
    assert session.runs[wild.id].diverged_at == 1
    assert not math.isfinite(session.runs[wild.id].trajectory.table()[1][-1, 2])
    low, high = window.loss_view.view_box.viewRange()[1]
    assert math.isfinite(low) and math.isfinite(high)
    first, lowest, _ = curve_range(window, calm)
    wild_first = curve_range(window, wild)[0]
    # Both starts and the calm racer's whole descent are in view.
    assert low <= lowest and max(first, wild_first) <= high
