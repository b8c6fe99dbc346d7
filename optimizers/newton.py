"""Newton's method, damped: the one racer that reads curvature, so it needs the surface's Hessian.

The book's ``update(params, grads)`` has no room for a Hessian, and widening it would touch every
optimizer. Instead Newton declares ``needs_hessian = True`` and takes the Hessians through
:meth:`Newton.set_hessians` before each ``update``, the way a closure hands torch's L-BFGS extra
information: whoever steps it (the model's Run, a sweep) asks the surface and passes them on.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any, ClassVar

import numpy as np

from optimizers.base import Glyph, Hyper, Optimizer, Value
from optimizers.rule import Rule

# (hxx, hxy, hyy) for every point of a param: floats, or arrays shaped like the param minus its
# last axis, so one call serves a racer's single point and a sweep's N points alike.
Hessian = tuple[Value, Value, Value]


class Newton(Optimizer):
    """Newton's method with Levenberg–Marquardt damping, for params of shape (..., 2)::

        H ← ∇²f(p) + damping·I
        d ← H⁻¹·g                       (a 2×2 solve per point, in closed form)
        p ← p − lr·d

    ``d`` starts at 0. With ``lr = 1`` and ``damping = 0`` one step lands exactly on the minimum
    of a convex quadratic. Newton seeks any point where the gradient vanishes, so on a saddle or
    a hill it walks toward the saddle or the top: watch it on the saddle surfaces. Damping keeps
    a nearly singular H from flinging it away (a large damping turns it into gradient descent
    with rate lr/damping); it does not make an indefinite H safe, and where H + damping·I is
    singular the step is infinite and the racer is marked diverged. Defaults lr = 1 and
    damping = 1e-3 (no PyTorch counterpart). No "saddle-free" |H| variant: kept simple.

    Call :meth:`set_hessians` before each ``update`` with ``{key: (hxx, hxy, hyy)}``.
    """

    key = "newton"
    title = "Newton"
    hyperparams = (
        Hyper(
            "lr",
            1.0,
            1e-3,
            2.0,
            log=True,
            exclusive_min=True,
            help="Share of the Newton step taken (1: jump to the local quadratic's minimum)",
        ),
        Hyper(
            "damping",
            1e-3,
            1e-6,
            1e3,
            log=True,
            help="Added to the Hessian's diagonal; large values make it gradient descent",
        ),
    )
    glyphs = (Glyph("d", "Newton direction", uphill=True),)
    needs_hessian: ClassVar[bool] = True
    equations = Rule(
        lines=(
            "det ← (hxx + damping)*(hyy + damping) - hxy**2",
            "d ← vec(((hyy + damping)*g[0] - hxy*g[1])/det, ((hxx + damping)*g[1] - hxy*g[0])/det)",
            "p ← p - lr*d",
        ),
    )

    def reset(self) -> None:
        super().reset()
        self._hessians: dict[str, Hessian] = {}

    def set_hessians(self, hessians: Mapping[str, Hessian]) -> None:
        """The Hessians at the params' current values, used by the next ``update``."""
        self._hessians = dict(hessians)

    def update(self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]) -> None:
        """One step on every param. Not element-wise (the two coordinates of a point are solved
        together), so this replaces the base class's loop, which may cut large params into flat
        blocks; params must be float arrays of shape (..., 2), updated in place."""
        self.t += 1
        for key, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or p.shape[-1:] != (2,):
                shape = np.shape(p)
                raise ValueError(
                    f"Newton needs param {key!r} as a float array of shape (..., 2), got {shape}"
                )
            if key not in self._hessians:
                raise ValueError(
                    f"Newton needs the Hessian of param {key!r}: call set_hessians("
                    f"{{{key!r}: (hxx, hxy, hyy)}}) before update"
                )
            for shape in self._shapes:
                if np.broadcast_shapes(p.shape, shape) != p.shape:
                    raise ValueError(
                        f"hyperparameter arrays of shapes {self._shapes} would widen param "
                        f"{key!r} of shape {p.shape}, which is updated in place"
                    )
            self._step(key, p, np.asarray(grads[key], dtype=p.dtype))

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        hxx, hxy, hyy = self._hessians[key]
        (d,) = self.buffers(key, p, "d")
        (tmp,) = self.scratch(key, p)
        lam = self.damping
        if np.ndim(lam):  # an array damping may differ per axis: broadcast it against p first
            lam = np.broadcast_to(lam, p.shape)
            a, c = hxx + lam[..., 0], hyy + lam[..., 1]
        else:
            a, c = hxx + lam, hyy + lam
        det = a * c - hxy * hxy
        gx, gy = g[..., 0], g[..., 1]
        d[..., 0] = (c * gx - hxy * gy) / det
        d[..., 1] = (a * gy - hxy * gx) / det
        np.multiply(d, self.lr, out=tmp)
        p -= tmp
