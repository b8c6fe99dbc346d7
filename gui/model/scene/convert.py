"""Session ⇄ scene: what a session holds, as a format-1 dict, and back into a new session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gui.model.racer import Racer
from gui.model.scene.readers import SceneError
from gui.model.scene.schema import FORMAT, VERSION, validate
from gui.model.session import Session
from surfaces import SURFACES, Surface, from_formula

if TYPE_CHECKING:
    from gui.model.network import NetworkRace


def to_scene(
    session: Session,
    view: Sequence[float] | None = None,
    race: NetworkRace | None = None,
    colormap: str | None = None,
) -> dict[str, Any]:
    """The scene of ``session``; ``view`` is the map's visible range (None without a window);
    with ``race``, its network section too; ``colormap`` names the map's colour map (left out
    when None)."""
    scene = {
        "format": FORMAT,
        "version": VERSION,
        "surface": surface_entry(session.surface),
        "start": [float(session.start[0]), float(session.start[1])],
        "racers": [racer_entry(r) for r in session.racers],
        "step": int(session.step),
        "step_limit": int(session.step_limit),
        "view": None if view is None else [float(v) for v in view],
    }
    if colormap is not None:
        scene["colormap"] = colormap
    if race is not None:
        from gui.model.scene.network import network_entry

        scene["network"] = network_entry(race)
    return scene


def racer_entry(r: Racer) -> dict[str, Any]:
    """A racer as a scene holds it (the map's and the network race's alike)."""
    return {
        "optimizer": r.optimizer,
        "label": r.label,
        "color": r.color,
        "hyper": {k: float(v) for k, v in r.hyper.items()},
        "enabled": bool(r.enabled),
        "noise": float(r.noise),
        "seed": int(r.seed),
        "extra": dict(r.extra),
        "schedule": {
            "key": r.schedule["key"],
            "params": {k: float(v) for k, v in r.schedule["params"].items()},
        },
    }


def surface_entry(surface: Surface) -> dict[str, Any]:
    """How a scene names a surface: its catalogue key, or the formula that made it."""
    values = {k: float(v) for k, v in surface.values.items()}
    if surface.formula is not None:
        return {
            "formula": surface.formula,
            "bounds": [float(b) for b in surface.bounds],
            "values": values,
        }
    if surface.key not in SURFACES:
        raise SceneError(f"surface.key: {surface.key!r} is neither in the catalogue nor a formula")
    return {"key": surface.key, "values": values}


def build(scene: Mapping[str, Any]) -> tuple[Session, list[float] | None]:
    """A new Session from a scene (validated here, so presets and dicts take the file's path),
    advanced to the scene's step; and the scene's view."""
    data = validate(scene)
    session = Session(_surface(data["surface"]))
    _fill(session, data)
    return session, data["view"]


def apply(session: Session, scene: Mapping[str, Any]) -> list[float] | None:
    """Make the live ``session`` show ``scene``; its listeners (the window) hear each change.

    A trial build runs first, so a scene that fails leaves ``session`` exactly as it was. The
    trial stops at step 0 (where a scene can fail); only ``session`` goes on to the scene's
    step, in slices if it has a window.
    """
    data = validate(scene)
    trial = Session(_surface(data["surface"]))
    _fill(trial, data, advance=False)
    session.reset()  # first, so the removals and the surface switch re-simulate nothing long
    for racer in list(session.racers):
        session.remove_racer(racer.id)
    session.set_surface(trial.surface, trial.start)
    _fill(session, data)
    return data["view"]


def _surface(entry: Mapping[str, Any]) -> Surface:
    if "key" in entry:
        base = SURFACES[entry["key"]]
    else:
        base = from_formula(entry["formula"], tuple(entry["bounds"]))
    return base.with_values(**entry["values"])


def _fill(session: Session, data: Mapping[str, Any], advance: bool = True) -> None:
    """Start, step limit, racers and step of a validated scene, on a session with no racers."""
    session.set_start(*data["start"])
    session.set_step_limit(data["step_limit"])
    for entry in data["racers"]:
        racer = session.add_racer(
            entry["optimizer"], entry["label"], entry["color"], **entry["hyper"]
        )
        racer.extra = dict(entry["extra"])
        if entry["noise"] or entry["seed"]:
            session.set_noise(racer.id, entry["noise"], entry["seed"])
        if entry["schedule"]["key"] != "constant":
            session.set_schedule(racer.id, entry["schedule"]["key"], **entry["schedule"]["params"])
        if not entry["enabled"]:
            session.set_enabled(racer.id, False)
    if advance:
        session.advance(data["step"])
