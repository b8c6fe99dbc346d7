"""Built-in scenes for teaching: plain scene dicts, loaded through the same checks as a file.

Each preset is data — the dict a saved session file would hold — plus a title for the menu and a
one-line explanation shown when it is chosen. Learning rates were picked by running the races:
each scene shows its point within its step count, and no racer diverges unless that is the point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gui.model.scene import FORMAT, VERSION, build
from gui.model.session import PALETTE, Session


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    explanation: str
    scene: dict[str, Any]

    def load(self) -> tuple[Session, list[float] | None]:
        """A new session showing this scene, and its view (None: the surface's frame)."""
        return build(self.scene)


# One colour per optimizer in every preset, so SGD is the same racer on every slide; a second
# racer of the same optimizer in one scene takes the first palette colour no one else there has.
OPTIMIZER_COLORS = {
    "sgd": PALETTE[0],
    "momentum": PALETTE[1],
    "adagrad": PALETTE[2],
    "adam": PALETTE[3],
    "rmsprop": PALETTE[4],
}


def _colors(keys: list[str]) -> list[str]:
    claimed = {OPTIMIZER_COLORS.get(k) for k in keys}
    spare = (c for c in PALETTE if c not in claimed)
    out, seen = [], set()
    for key in keys:
        own = OPTIMIZER_COLORS.get(key)
        out.append(own if own is not None and key not in seen else next(spare))
        seen.add(key)
    return out


def _scene(
    surface: dict[str, Any],
    start: tuple[float, float],
    racers: list[tuple[str, str, dict[str, float]]],
    step: int,
    limit: int | None = None,
    noise: dict[int, tuple[float, int]] | None = None,
) -> dict[str, Any]:
    """A scene dict; racers are (optimizer, label, hyper), coloured by optimizer, and ``noise``
    maps a racer's index to (sigma, seed)."""
    noise = noise or {}
    entries = []
    colors = _colors([key for key, _, _ in racers])
    for i, (key, label, hyper) in enumerate(racers):
        sigma, seed = noise.get(i, (0.0, 0))
        entries.append(
            {
                "optimizer": key,
                "label": label,
                "color": colors[i],
                "hyper": hyper,
                "noise": sigma,
                "seed": seed,
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "surface": surface,
        "start": list(start),
        "racers": entries,
        "step": step,
        "step_limit": limit or step,
    }


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "book-fig6-8",
            "Book figure 6-8",
            "The book's comparison on x²/20 + y² from (-7, 2), 30 steps: SGD zig-zags, Momentum "
            "rolls like a ball, AdaGrad slows down, Adam glides in.",
            _scene(
                {"key": "book"},
                (-7.0, 2.0),
                [
                    ("sgd", "SGD", {"lr": 0.95}),
                    ("momentum", "Momentum", {"lr": 0.1}),
                    ("adagrad", "AdaGrad", {"lr": 1.5}),
                    ("adam", "Adam", {"lr": 0.3}),
                ],
                step=30,
            ),
        ),
        Preset(
            "ravine-momentum",
            "Ravine: Momentum beats SGD",
            "A valley 100 times steeper across than along: SGD, at its fastest stable rate, "
            "bounces between the walls and crawls along the floor; Momentum builds up speed "
            "down the valley.",
            _scene(
                {"key": "ravine", "values": {"condition": 100.0, "angle": 30.0}},
                (-8.0, 2.0),
                [
                    ("sgd", "SGD lr=1.9", {"lr": 1.9}),
                    ("momentum", "Momentum lr=1, 0.8", {"lr": 1.0, "momentum": 0.8}),
                ],
                step=60,
                limit=300,
            ),
        ),
        Preset(
            "saddle-escape",
            "Escaping a saddle",
            "Started just off the ridge of x² − y²: SGD's steps shrink with the gradient and it "
            "lingers at the saddle, while Adam and RMSprop rescale the tiny sideways pull and "
            "slide off.",
            _scene(
                {"key": "saddle"},
                (-1.8, 0.02),
                [
                    ("sgd", "SGD", {"lr": 0.05}),
                    ("momentum", "Momentum", {"lr": 0.02}),
                    ("adam", "Adam", {"lr": 0.05}),
                    ("rmsprop", "RMSprop", {"lr": 0.02}),
                ],
                step=25,
                limit=200,
            ),
        ),
        Preset(
            "rosenbrock-valley",
            "The Rosenbrock valley",
            "Easy to fall into, long to follow: SGD crawls along the curved floor toward (1, 1), "
            "Momentum gathers speed, and the adaptive methods trade speed for wobble.",
            _scene(
                {"key": "rosenbrock"},
                (-1.2, 1.0),
                [
                    ("sgd", "SGD", {"lr": 0.001}),
                    ("momentum", "Momentum", {"lr": 0.001}),
                    ("adam", "Adam", {"lr": 0.05}),
                    ("rmsprop", "RMSprop", {"lr": 0.01}),
                ],
                step=500,
                limit=3000,
            ),
        ),
        Preset(
            "rastrigin-local-minima",
            "Rastrigin's local minima",
            "Ripples everywhere: plain SGD stops in the nearest dip; gradient noise or big Adam "
            "steps hop between dips, yet nothing guarantees the global minimum at (0, 0).",
            _scene(
                {"key": "rastrigin"},
                (-4.2, 3.8),
                [
                    ("sgd", "SGD", {"lr": 0.002}),
                    ("sgd", "SGD + noise", {"lr": 0.002}),
                    ("adam", "Adam lr=1", {"lr": 1.0}),
                ],
                step=300,
                limit=2000,
                noise={1: (100.0, 1)},
            ),
        ),
        Preset(
            "himmelblau-basins",
            "Himmelblau's four basins: SGD vs Momentum",
            "Four equal minima: which one a racer reaches depends on where it starts and on its "
            "momentum. From here SGD goes to (3, 2) and Momentum is carried over the ridge; "
            "Tools ▸ Basin map (Ctrl+B) shows every start at once.",
            _scene(
                {"key": "himmelblau"},
                (0.375, -0.375),
                [
                    ("sgd", "SGD", {"lr": 0.01}),
                    ("momentum", "Momentum", {"lr": 0.005, "momentum": 0.95}),
                ],
                step=150,
                limit=500,
            ),
        ),
        Preset(
            "six-hump-basins",
            "Six-hump camel: where momentum ends up",
            "Two global and four local minima: from the corner SGD stops in the nearest local "
            "dip while Momentum rolls into another; Tools ▸ Basin map (Ctrl+B) shows which "
            "starts reach the global minima.",
            _scene(
                {"key": "six-hump-camel"},
                (-1.7, -0.85),
                [
                    ("sgd", "SGD", {"lr": 0.02}),
                    ("momentum", "Momentum", {"lr": 0.01}),
                ],
                step=100,
                limit=500,
            ),
        ),
        Preset(
            "adagrad-stall",
            "AdaGrad runs out of steam",
            "Same learning rate, 0.1: AdaGrad divides by the sum of all past squared gradients, "
            "so its steps only ever shrink; RMSprop forgets old gradients and arrives.",
            _scene(
                {"key": "book"},
                (-7.0, 2.0),
                [
                    ("adagrad", "AdaGrad", {"lr": 0.1}),
                    ("rmsprop", "RMSprop", {"lr": 0.1}),
                ],
                step=100,
                limit=1000,
            ),
        ),
    )
}
