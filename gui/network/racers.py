"""The map's racer panels on the network race: the same boxes, generated from the optimizers'
specs, with the race's status line, and without the optimizers a network cannot run (those
that need the loss's Hessian)."""

from __future__ import annotations

from gui.model.network import NetworkRace
from gui.racer_panel import RacerBox, RacerPanel
from optimizers import REGISTRY


def network_status(race: NetworkRace, racer_id: int) -> tuple[str, bool]:
    """A racer's one line: loss and test accuracy, re-training progress, or divergence."""
    racer = race.racer(racer_id)
    if not racer.enabled:
        return "off", False
    status = race.status(racer_id)
    if status["diverged_at"] is not None:
        return f"diverged at iteration {status['diverged_at'] + 1}", True
    text = (
        f"loss {status['loss']:.3g} · test accuracy {100 * status['test_accuracy']:.1f}%"
        f" at {status['iteration']:,}"
    )
    if status["iteration"] < race.iteration:
        text = f"re-training: {status['iteration']:,} of {race.iteration:,}"
    return text, False


class NetworkRacerBox(RacerBox):
    def show_status(self) -> None:
        text, bad = network_status(self.session, self.racer_id)
        self.status.setText(text, bad)


class NetworkRacerPanel(RacerPanel):
    box_type = NetworkRacerBox

    def __init__(self, race: NetworkRace, parent=None) -> None:
        super().__init__(race, parent)
        for action in self.add_menu.actions():
            key = action.data()
            if isinstance(key, str) and getattr(REGISTRY[key], "needs_hessian", False):
                self.add_menu.removeAction(action)
