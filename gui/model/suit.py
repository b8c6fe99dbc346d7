"""Settings that suit a surface: each catalogue surface proposes hyperparameters per optimizer
(``surface.suggested``), so that switching surface does not leave racers with rates tuned for
another landscape. :func:`suit` applies them; :func:`propose` is how the table was made.

The proposals come from the learning-rate finder: over the lr slider's range, the rate with the
lowest loss after the default step limit from the surface's start, halved (the best rate is often
at the edge of stability, and a start moved by a click should not tip it over), kept only if the
halved rate does not diverge either."""

from __future__ import annotations

import math

from gui.model.session import DEFAULT_STEP_LIMIT, Session
from gui.model.sweep import autotune_lr
from optimizers import REGISTRY
from surfaces.base import Surface

SAFETY = 0.5  # the proposed rate is this fraction of the best one found


def suggestion(surface: Surface, optimizer: str) -> dict[str, float]:
    """The surface's proposed hyperparameters for ``optimizer`` (empty when it has none)."""
    return dict(surface.suggested.get(optimizer, {}))


def suit(session: Session, racer_ids: list[int] | None = None) -> dict[int, dict[str, float]]:
    """Give each racer (all, or those listed) the surface's proposal for its optimizer; returns
    what was applied per racer id (racers without a proposal are left alone)."""
    applied = {}
    for racer in list(session.racers):
        if racer_ids is not None and racer.id not in racer_ids:
            continue
        proposal = suggestion(session.surface, racer.optimizer)
        for name, value in proposal.items():
            session.set_hyper(racer.id, name, value)
        if proposal:
            applied[racer.id] = proposal
    return applied


def summary(session: Session, applied: dict[int, dict[str, float]]) -> str:
    """What :func:`suit` did, in a sentence: the settings given, and who has none here."""
    given = [
        f"{session.racer(i).label} " + ", ".join(f"{k} {v:g}" for k, v in hyper.items())
        for i, hyper in applied.items()
    ]
    missing = [r.label for r in session.racers if r.id not in applied]
    text = ("Set " + "; ".join(given) + ".") if given else "No racer changed."
    if missing:
        text += f" No setting known to be safe here for {', '.join(missing)}."
    return text


def _two_digits(value: float) -> float:
    return float(f"{value:.2g}")


def propose(
    surface: Surface, optimizer: str, steps: int = DEFAULT_STEP_LIMIT
) -> dict[str, float] | None:
    """A learning rate for ``optimizer`` on ``surface`` (see the module's note); None when
    every rate in the slider's range diverges from the surface's start."""
    if getattr(REGISTRY[optimizer], "needs_hessian", False) and surface.hess is None:
        return None
    session = Session(surface)
    racer = session.add_racer(optimizer)
    tuned = autotune_lr(session, racer.id, steps=steps)
    if tuned.lr is None:
        return None
    low = REGISTRY[optimizer]._specs["lr"].low
    lr = max(_two_digits(tuned.lr * SAFETY), low)
    check = autotune_lr(session, racer.id, steps=steps, n=1, low=lr, high=lr)
    if check.lr is None or not math.isfinite(check.losses[0]):
        return None
    return {"lr": lr}


def table(optimizers: list[str] | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Proposals for every catalogue surface and optimizer, as ``surfaces/suggested.py`` holds."""
    from surfaces import SURFACES

    out: dict[str, dict[str, dict[str, float]]] = {}
    for key, surface in SURFACES.items():
        row = {}
        for optimizer in optimizers or list(REGISTRY):
            proposal = propose(surface, optimizer)
            if proposal is not None:
                row[optimizer] = proposal
        out[key] = row
    return out
