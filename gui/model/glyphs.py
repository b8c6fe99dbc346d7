"""What to draw inside a racer at its head, as plain vectors in parameter space. No Qt.

:func:`glyphs` gives, for one run: the negative gradient, the last step actually taken, and each
glyph its optimizer declares (:class:`optimizers.Glyph`), labelled from the declaration, so the
view draws them without knowing any optimizer by name. Three kinds, each a :class:`GlyphVector`:

- ``"vector"``: an arrow from the head to head + ``extent`` (= ``vector``). Buffers that average
  gradients (``uphill``) are negated, so the arrow shows the way they push.
- ``"rate"``: ``vector`` holds the effective learning rate per axis (what the latest step
  multiplied its direction by); ``extent`` = rate × |∂f/∂x|, rate × |∂f/∂y| at the head, about
  how far the next step would move along each axis. Draw an ellipse with these half-axes: a
  flat ellipse means the optimizer moves much further along one axis than the other.
- ``"step"``: Rprop's per-axis step lengths; ``vector`` = ``extent`` = the half-axes of a cross
  (or box) centred on the head.

Arrow lengths differ by orders of magnitude, and ``units`` says which can share a scale:
``"gradient"`` (−∇f and gradient averages, in loss per unit of x) or ``"position"`` (steps,
velocities and extents, in units of x). A view typically scales each group to a fixed share of
the visible range and shows the true length in a tooltip. Non-finite glyphs are left out.

:func:`gradient_field` gives the normalised negative gradient on a grid for a faint quiver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gui.model.racer import Run
from surfaces import Bounds, Surface

KEY = "xy"  # the param key a Run steps


@dataclass(frozen=True)
class GlyphVector:
    label: str
    kind: str  # "vector", "rate" or "step"
    vector: np.ndarray  # shape (2,)
    extent: np.ndarray  # shape (2,), in parameter space: arrow, or half-axes
    units: str  # "gradient" or "position"


def glyphs(run: Run) -> list[GlyphVector]:
    """The glyphs at ``run``'s head, in a fixed order: −gradient, last step, then declared ones
    (those whose state does not exist yet, before the first step, are left out)."""
    x, y = run.trajectory.head[:2]
    grad = np.array([float(v) for v in run.surface.gradient(x, y)])
    out = [_vector("−gradient", -grad, "gradient")]
    if run.previous is not None:
        out.append(_vector("last step", np.array([x, y]) - run.previous, "position"))
    opt = run.optimizer
    state = opt.state.get(KEY, {})
    for glyph in opt.glyphs:
        if glyph.buffer not in state:
            continue
        if glyph.kind == "rate":
            try:
                rate = np.broadcast_to(opt.effective_rate(KEY), (2,)).astype(float)
            except (KeyError, AttributeError, NotImplementedError):
                continue
            out.append(GlyphVector(glyph.label, "rate", rate, rate * np.abs(grad), "position"))
        elif glyph.kind == "step":
            step = np.array(state[glyph.buffer], dtype=float)
            out.append(GlyphVector(glyph.label, "step", step, step.copy(), "position"))
        else:
            value = np.array(state[glyph.buffer], dtype=float)
            units = "gradient" if glyph.uphill else "position"
            out.append(_vector(glyph.label, -value if glyph.uphill else value, units))
    return [g for g in out if np.all(np.isfinite(g.vector)) and np.all(np.isfinite(g.extent))]


def _vector(label: str, v: np.ndarray, units: str) -> GlyphVector:
    return GlyphVector(label, "vector", v, v.copy(), units)


def gradient_field(
    surface: Surface, bounds: Bounds, n: int | tuple[int, int] = 24
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X, Y, U, V`` for a quiver: −∇f/|∇f| at the centres of an ``nx × ny`` grid of cells
    over ``bounds`` (xmin, xmax, ymin, ymax); arrays of shape (ny, nx), X varying along axis 1
    (``np.meshgrid``'s layout). U and V are nan where the direction is undefined (a stationary
    point or a non-finite gradient), so the view skips those arrows."""
    nx, ny = (n, n) if np.ndim(n) == 0 else n
    if nx < 1 or ny < 1:
        raise ValueError(f"Invalid grid: {nx} × {ny} (needs at least one cell each way)")
    xmin, xmax, ymin, ymax = bounds
    # Cell centres, so no arrow sits on the frame's edge.
    xs = xmin + (np.arange(nx) + 0.5) * (xmax - xmin) / nx
    ys = ymin + (np.arange(ny) + 0.5) * (ymax - ymin) / ny
    X, Y = np.meshgrid(xs, ys)
    gx, gy = surface.gradient(X, Y)
    gx, gy = np.broadcast_to(gx, X.shape), np.broadcast_to(gy, X.shape)
    with np.errstate(all="ignore"):
        norm = np.hypot(gx, gy)
        ok = np.isfinite(norm) & (norm > 0)
        U = np.where(ok, -gx / norm, np.nan)
        V = np.where(ok, -gy / norm, np.nan)
    return X, Y, U, V
