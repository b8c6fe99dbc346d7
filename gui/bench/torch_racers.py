"""PyTorch optimizers as racers: what one step costs against ours, and the timer tick with four
of the eight racers torch-backed. Both null, with a note, when torch is not installed."""

from __future__ import annotations

from typing import Any

from gui.bench.scene import median_seconds
from gui.model import Session
from optimizers.torch_bridge import torch_installed
from surfaces import SURFACES

STEPS = 2000
# Four of the bench scene's racers, as PyTorch runs them (same settings as ours).
TORCH_TWINS = {
    "sgd": ("torch.optim.SGD", {}),
    "momentum": ("torch.optim.SGD", {"momentum": 0.9}),
    "adam": ("torch.optim.Adam", {}),
    "adamw": ("torch.optim.AdamW", {"weight_decay": 0.01}),
}
NOTE = "torch is not installed: no PyTorch racers to measure"


def step_cost(repeats: int) -> dict[str, Any]:
    """Microseconds per step of a racer (gradient, update, record): torch.optim.AdamW through
    the bridge, and our AdamW, on the book's bowl."""
    if not torch_installed():
        return {"torch_racer_us": None, "our_racer_us": None, "notes": {"torch_racer_us": NOTE}}
    out: dict[str, Any] = {"notes": {}}
    for name, key in (("torch_racer_us", "torch.optim.AdamW"), ("our_racer_us", "adamw")):
        session = Session(SURFACES["book"])
        session.set_step_limit(10_000_000)
        racer = session.add_racer(key, lr=1e-3)
        seconds = median_seconds(lambda s=session: s.advance(STEPS), repeats, warmup=1)
        out[name] = seconds / STEPS * 1e6
        assert session.status(racer.id)["diverged_at"] is None
    return out


def torch_scene(steps: int) -> Session | None:
    """The bench scene with four racers torch-backed; None without torch."""
    if not torch_installed():
        return None
    from gui.bench.scene import race_scene

    session = race_scene(0)
    for racer in list(session.racers):
        twin = TORCH_TWINS.get(racer.optimizer)
        if twin is not None:
            key, extra = twin
            session.remove_racer(racer.id)
            session.add_racer(key, label=f"{racer.label} (torch)", lr=racer.hyper["lr"], **extra)
    session.advance(steps)
    return session
