"""The network race in a scene: an optional ``"network"`` section beside the map's fields.

::

    "network": {"setup": {"dataset": "spirals", "size": 600, "noise": null, "data_seed": 0,
                          "options": {"arms": 3}, "mnist_path": null, "hidden": [32, 32],
                          "activation": "relu", "weight_init_std": "relu", "weight_decay": 0.0,
                          "batch": 32, "seed": 0, "eval_every": 50, "test_limit": 2000,
                          "iterations": 2000},
                "racers": [ ...entries exactly as the map's "racers"... ],
                "iteration": 500}

Files without the section load as before. Racers go through the map's racer checks, the setup
through :meth:`NetworkSetup.checked`; every refusal is a :class:`SceneError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

from gui.model.network import NetworkRace, NetworkSetup
from gui.model.network.setup import MAX_ITERATIONS
from gui.model.scene.readers import (
    SceneError,
    field_name,
    fields,
    integer,
    kind,
    mapping,
    number,
    text,
)
from optimizers import REGISTRY

SETUP_FIELDS = {f.name for f in dataclass_fields(NetworkSetup)}
WHOLE = {"size", "data_seed", "batch", "seed", "eval_every", "test_limit", "iterations"}
MAX_PATH = 4096
MAX_NETWORK_RACERS = 16


def validate_network(raw: Any, racer_reader: Any) -> dict[str, Any]:
    """A checked, complete copy of a ``network`` section; ``racer_reader`` is the schema's
    racer check (passed in: the schema module imports this one)."""
    given = fields(raw, "network", {"setup", "racers"}, {"iteration"})
    setup = _setup(given["setup"])
    racers = given["racers"]
    if not isinstance(racers, list):
        raise SceneError(f"network.racers: expected a list, got {kind(racers)}")
    if len(racers) > MAX_NETWORK_RACERS:
        raise SceneError(
            f"network.racers: {len(racers)} racers, at most {MAX_NETWORK_RACERS} are allowed"
        )
    checked = [racer_reader(r, f"network.racers[{i}]", i) for i, r in enumerate(racers)]
    for i, entry in enumerate(checked):
        cls = REGISTRY[entry["optimizer"]]
        if getattr(cls, "needs_hessian", False):
            where = f"network.racers[{i}].optimizer"
            raise SceneError(f"{where}: {cls.title} needs a Hessian, which a network race lacks")
    iteration = integer(given.get("iteration", 0), "network.iteration", 0, setup.iterations)
    return {"setup": setup.to_dict(), "racers": checked, "iteration": iteration}


def _setup(raw: Any) -> NetworkSetup:
    given = fields(raw, "network.setup", set(), SETUP_FIELDS)
    values: dict[str, Any] = {}
    for name, value in given.items():
        where = f"network.setup.{field_name(name)}"
        if name in WHOLE:
            values[name] = integer(value, where, 0, 2**63 - 1)
        elif name in ("dataset", "activation"):
            values[name] = text(value, where, 100)
        elif name == "mnist_path":
            values[name] = None if value is None else text(value, where, MAX_PATH)
        elif name == "noise":
            values[name] = None if value is None else number(value, where, low=0.0)
        elif name == "weight_decay":
            values[name] = number(value, where, low=0.0)
        elif name == "weight_init_std":
            values[name] = (
                text(value, where, 20) if isinstance(value, str) else number(value, where)
            )
        elif name == "hidden":
            if not isinstance(value, list):
                raise SceneError(f"{where}: expected a list of layer sizes, got {kind(value)}")
            values[name] = tuple(
                integer(v, f"{where}[{i}]", 1, 1 << 16) for i, v in enumerate(value)
            )
        else:  # options
            values[name] = {
                k: integer(v, f"{where}.{field_name(k)}", 2, 12)
                for k, v in mapping(value, where).items()
            }
    try:
        return NetworkSetup(**values).checked()
    except (TypeError, ValueError) as exc:
        raise SceneError(f"network.setup: {exc}") from None


def network_entry(race: NetworkRace) -> dict[str, Any]:
    """The ``network`` section of ``race``: its setup, racers and clock."""
    from gui.model.scene.convert import racer_entry

    return {
        "setup": race.setup.to_dict(),
        "racers": [racer_entry(r) for r in race.racers],
        "iteration": int(race.iteration),
    }


def build_race(section: Mapping[str, Any]) -> NetworkRace:
    """A new race from a *validated* section, trained to its iteration. The data is loaded
    here (MNIST from its folder): a missing folder is a SceneError naming the field."""
    data = dict(section["setup"])
    data["hidden"] = tuple(data["hidden"])
    try:
        race = NetworkRace(NetworkSetup(**data))
    except ValueError as exc:
        raise SceneError(f"network.setup: {exc}") from None
    for entry in section["racers"]:
        racer = race.add_racer(entry["optimizer"], entry["label"], entry["color"], **entry["hyper"])
        racer.extra = dict(entry["extra"])
        if entry["noise"] or entry["seed"]:
            race.set_noise(racer.id, entry["noise"], entry["seed"])
        if entry["schedule"]["key"] != "constant":
            race.set_schedule(racer.id, entry["schedule"]["key"], **entry["schedule"]["params"])
        if not entry["enabled"]:
            race.set_enabled(racer.id, False)
    race.advance(min(section["iteration"], MAX_ITERATIONS))
    return race
