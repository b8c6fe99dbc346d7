"""Scenes: a whole session as a versioned dict or JSON file, validated field by field. No Qt.

Format 1::

    {"format": "optimizer-playground-session", "version": 1,
     "surface": {"key": "book", "values": {}},   # or {"formula": "...", "bounds": [xmin, xmax,
                                                 #     ymin, ymax], "values": {}}
     "start": [-7.0, 2.0],
     "racers": [{"optimizer": "sgd", "label": "SGD", "color": "#d55e00", "hyper": {"lr": 0.95},
                 "enabled": true, "noise": 0.0, "seed": 0, "extra": {},
                 "schedule": {"key": "constant", "params": {}}}, ...],
     "step": 30, "step_limit": 1000,
     "view": [xmin, xmax, ymin, ymax],           # the map's visible range; null headless
     "colormap": "viridis"}                      # optional: the map's colour map

Files come from anywhere, so :func:`loads` trusts nothing: the size is checked before parsing,
NaN/Infinity/1e999 and duplicate keys are refused, nesting is bounded, and every field is checked
for type and range — hyperparameters through the optimizer's own spec, formulas through the safe
parser. Every refusal is one :class:`SceneError` whose message starts with the field's path, e.g.
``racers[2].hyper.lr: -1.0 is not a valid lr (must be in (0, inf))``. :func:`build` makes a *new*
Session and :func:`apply` builds a trial first, so a refused scene never touches the one on screen.
Writing a file is the exporters' job (atomically, in ``gui.export``): this package stays Qt- and
disk-agnostic apart from :func:`read`.
"""

from gui.model.scene.codec import MAX_BYTES, dumps, loads, read
from gui.model.scene.convert import apply, build, surface_entry, to_scene
from gui.model.scene.readers import SceneError
from gui.model.scene.schema import FORMAT, MAX_RACERS, VERSION, validate

__all__ = [
    "FORMAT",
    "MAX_BYTES",
    "MAX_RACERS",
    "VERSION",
    "SceneError",
    "apply",
    "build",
    "dumps",
    "loads",
    "read",
    "surface_entry",
    "to_scene",
    "validate",
]
