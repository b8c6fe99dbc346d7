"""Built-in network races: the book's figure 6-9 (MNIST, from a folder the user names) and
races on the 2-D sets that run anywhere, offline, in seconds.

Each preset is the ``network`` section a session file would hold, loaded through the same
checks. Learning rates were chosen by running the races: each shows its point by the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gui.model.network.race import NetworkRace
from gui.model.network.setup import NetworkSetup
from gui.model.session import PALETTE

NO_MNIST = (
    "{key} trains on MNIST: name the folder that holds it with --mnist DIR (the four IDX "
    "files, gzipped or not, or the book's mnist.pkl); nothing is downloaded"
)


@dataclass(frozen=True)
class NetworkPreset:
    key: str
    title: str
    explanation: str
    section: dict[str, Any]

    @property
    def needs_mnist(self) -> bool:
        return self.section["setup"]["dataset"] == "mnist"

    def load(self, mnist_path: str | None = None) -> NetworkRace:
        """A new race showing this preset at iteration 0 (its data loaded; MNIST from
        ``mnist_path``, which it then needs: ValueError with a one-line message without)."""
        from gui.model.scene.network import build_race, validate_network
        from gui.model.scene.schema import _racer

        section = dict(self.section, setup=dict(self.section["setup"]))
        if self.needs_mnist:
            if not mnist_path:
                raise ValueError(NO_MNIST.format(key=self.key))
            section["setup"]["mnist_path"] = str(mnist_path)
        return build_race(validate_network(section, _racer))


def _section(setup: NetworkSetup, racers: list[tuple[str, str, dict[str, float]]]) -> dict:
    entries = [
        {"optimizer": key, "label": label, "color": PALETTE[i], "hyper": hyper}
        for i, (key, label, hyper) in enumerate(racers)
    ]
    return {"setup": setup.to_dict(), "racers": entries, "iteration": 0}


BOOK_FOUR = [
    ("sgd", "SGD", {}),
    ("momentum", "Momentum", {}),
    ("adagrad", "AdaGrad", {}),
    ("adam", "Adam", {}),
]

NETWORK_PRESETS: dict[str, NetworkPreset] = {
    p.key: p
    for p in (
        NetworkPreset(
            "book-fig6-9",
            "Book figure 6-9: MNIST",
            "The book's second experiment: a 784-100-100-100-100-10 ReLU network (He init), "
            "batches of 128, 2,000 iterations, each optimizer at its defaults. SGD lags; "
            "Momentum, AdaGrad and Adam learn faster — here from one shared start.",
            _section(
                NetworkSetup(
                    dataset="mnist",
                    mnist_path="",
                    hidden=(100, 100, 100, 100),
                    batch=128,
                    iterations=2000,
                    eval_every=100,
                ),
                BOOK_FOUR,
            ),
        ),
        NetworkPreset(
            "spirals-book-defaults",
            "Spirals: the book's four at their defaults",
            "Figure 6-9 in miniature: a 2-32-32-3 ReLU network learns three interleaved "
            "spirals. At the book's default rates SGD crawls, AdaGrad slows as its sums grow, "
            "and Momentum and Adam fit the spirals.",
            _section(NetworkSetup(dataset="spirals", iterations=2000), BOOK_FOUR),
        ),
        NetworkPreset(
            "moons-deep-sigmoid",
            "Deep sigmoid net: vanishing gradients",
            "Six sigmoid layers (2-16×6-2, Xavier init) on the two moons: the gradient reaching "
            "the first layers is tiny, and SGD and Momentum sit at log 2 ≈ 0.693 — a coin flip. "
            "AdaGrad and Adam divide by the gradient's own size, so they still move and learn.",
            _section(
                NetworkSetup(
                    dataset="moons",
                    hidden=(16,) * 6,
                    activation="sigmoid",
                    weight_init_std="xavier",
                    iterations=2000,
                ),
                BOOK_FOUR,
            ),
        ),
        NetworkPreset(
            "xor-learning-rate",
            "XOR: too small, right, too large",
            "Plain SGD on XOR (2-16-16-2, ReLU) at three rates: 0.01 creeps, 0.3 is fast and "
            "accurate, and 3 overshoots so hard that ReLU units die; its loss never recovers.",
            _section(
                NetworkSetup(dataset="xor", hidden=(16, 16), iterations=1500),
                [
                    ("sgd", "SGD lr=0.01", {"lr": 0.01}),
                    ("sgd", "SGD lr=0.3", {"lr": 0.3}),
                    ("sgd", "SGD lr=3", {"lr": 3.0}),
                ],
            ),
        ),
    )
}
