"""The optimizer contract: the book's ``update(params, grads)`` over a dict of arrays.

Every optimizer works element-wise, so the same code runs on one point, a swarm of a million
points, or a sweep whose hyperparameters are arrays broadcast against the parameters.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, MutableMapping
from typing import Any, ClassVar

import numpy as np

from optimizers import blocks
from optimizers.blocks import Block
from optimizers.compile import MAX_UNROLLED, Program
from optimizers.point import PointStep, one_point
from optimizers.rule import Rule, pretty, read
from optimizers.spec import Glyph, Hyper, Value, _Checked

__all__ = ["Glyph", "Hyper", "Optimizer", "Value", "const"]


class Optimizer:
    """Base class. Subclasses declare ``key``, ``title``, ``hyperparams`` and implement ``_step``.

    Hyperparameters are given positionally in the order of ``hyperparams`` (the book's order,
    e.g. ``Momentum(0.1, 0.9)``) or by name, are validated at once, and may be floats or arrays
    that broadcast against the parameters. Assigning one later (``opt.lr = 0.5``) validates too.

    State lives in ``self.state[key]``: a dict of named arrays created lazily on the first update
    of that key (as the book does) and cleared by :meth:`reset`. ``self.t`` counts ``update``
    calls, starting at 1 on the first update; like the book's Adam, bias corrections use this one
    shared counter, so every key should take part in every update.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    hyperparams: ClassVar[tuple[Hyper, ...]] = ()
    glyphs: ClassVar[tuple[Glyph, ...]] = ()
    # Whether ``_step`` treats every element on its own, so that a large param may be updated in
    # blocks (optimizers.blocks). Set False for a rule that couples elements (a 2×2 solve, a norm).
    elementwise: ClassVar[bool] = True
    _specs: ClassVar[dict[str, Hyper]] = {}
    # The update as equations (optimizers.rule): what the step runs, the explain panel shows
    # and the docstring prints. An optimizer without one implements ``_step`` by hand.
    rule: ClassVar[Rule | None] = None
    program: ClassVar[Program | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._specs = {h.name: h for h in cls.hyperparams}
        for h in cls.hyperparams:
            setattr(cls, h.name, _Checked(h))
        if cls.rule is not None and ("rule" in cls.__dict__ or "hyperparams" in cls.__dict__):
            cls.program = Program(read(cls.rule, cls._specs))
            if "rule" in cls.__dict__:
                cls.__doc__ = _documented(cls.__doc__ or "", cls.rule)
        # Lets help() and IDEs show e.g. ``Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-07)``.
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        cls.__signature__ = inspect.Signature(
            [inspect.Parameter(h.name, kind, default=h.default) for h in cls.hyperparams]
        )

    def __init__(self, *args: Any, **values: Any) -> None:
        name = type(self).__name__
        if len(args) > len(self.hyperparams):
            raise TypeError(
                f"{name} takes at most {len(self.hyperparams)} positional hyperparameters "
                f"({len(args)} given)"
            )
        for h, value in zip(self.hyperparams, args, strict=False):
            if h.name in values:
                raise TypeError(f"{name} got multiple values for hyperparameter {h.name!r}")
            values[h.name] = value
        unknown = set(values) - set(self._specs)
        if unknown:
            raise TypeError(
                f"{name} got unknown hyperparameter(s): {sorted(unknown)}; "
                f"known: {list(self._specs)}"
            )
        for h in self.hyperparams:
            self.__dict__[h.name] = h.coerce(values.get(h.name, h.default))
        self._check()
        self._settled()
        self.reset()

    def _settled(self) -> None:
        """Called whenever the hyperparameters are set: derive here what ``_step`` needs from
        them (with :func:`const`), so it is computed once, not per step. Extend with super()."""
        self._shapes = [np.shape(v) for v in self.settings().values() if np.ndim(v)]
        if self.program is not None:
            started = self.program.started_state
            self._starts = {n: self.program.start(n, self.__dict__) for n in started}

    def _check(self) -> None:
        """Cross-field checks (e.g. Nesterov needs momentum > 0); override where needed."""

    def reset(self) -> None:
        """Forget all state, as if freshly constructed with the current hyperparameters."""
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._scratch: dict[tuple[str, np.dtype], list[np.ndarray]] = {}
        self.t = 0
        if self.program is not None:  # scalars kept between updates (NAdam's running product)
            self.carried = {
                n: _plain(self.program.start(n, self.__dict__)) for n in self.rule.carried
            }

    def settings(self) -> dict[str, Any]:
        return {h.name: getattr(self, h.name) for h in self.hyperparams}

    def buffers(
        self, key: str, like: np.ndarray, *names: str, fill: Value = 0.0
    ) -> list[np.ndarray]:
        """The named state arrays of ``key``, created shaped like ``like`` and set to ``fill``
        on first use (``fill`` may be an array hyperparameter, e.g. Rprop's initial step)."""
        if type(key) is Block:
            return blocks.buffers(self, key, names, fill)
        slot = self.state.get(key)
        if slot is not None:
            try:  # the hot path of every step after the first
                return [slot[n] for n in names]
            except KeyError:
                pass
        else:
            slot = self.state[key] = {}
        out = []
        for n in names:
            buf = slot.get(n)
            if buf is None:
                buf = slot[n] = np.zeros_like(like)
                if np.any(fill):
                    buf[...] = fill
            out.append(buf)
        return out

    def scratch(
        self, key: str, like: np.ndarray, count: int = 1, dtype: Any = None
    ) -> list[np.ndarray]:
        """``count`` work arrays shaped like ``like`` (of its dtype unless ``dtype`` is given),
        kept between updates so the hot path allocates nothing; not part of ``state`` because
        they mean nothing between steps."""
        if type(key) is Block:
            return blocks.scratch(self, key, count, dtype)
        tag = (key, like.dtype if dtype is None else dtype)
        work = self._scratch.get(tag)
        if work is None or len(work) < count or work[0].shape != like.shape:
            n = max(count, len(work or ()))
            work = self._scratch[tag] = [np.empty(like.shape, tag[1]) for _ in range(n)]
        return work[:count]

    def update(self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]) -> None:
        """One step. Arrays are updated in place (a network holds references to them); Python
        floats are replaced in the dict, by an array when a hyperparameter array widens them.
        Large arrays are updated in cache-sized blocks on every core (:mod:`optimizers.blocks`),
        with the same result to the last bit."""
        self.t += 1
        self._prepare()
        shapes = self._shapes
        for key, p in params.items():
            g = grads[key]
            if isinstance(p, np.ndarray):
                if p.dtype.kind != "f":
                    raise TypeError(f"param {key!r} has dtype {p.dtype}; updates need floats")
                if shapes and _broadcast(key, p.shape, *shapes) != p.shape:
                    raise ValueError(
                        f"hyperparameter arrays of shapes {shapes} would widen param {key!r} of "
                        f"shape {p.shape}, which is updated in place"
                    )
                if type(g) is not np.ndarray or g.dtype != p.dtype:
                    g = np.asarray(g, dtype=p.dtype)
                if p.size >= blocks.MIN_SIZE and blocks.eligible(self, key, p, g):
                    blocks.run(self, key, p, g)
                else:
                    self._step(key, p, g)
            else:
                arr = np.empty(_broadcast(key, np.shape(p), np.shape(g), *shapes))
                arr[...] = p
                self._step(key, arr, np.asarray(g, dtype=float))
                params[key] = float(arr) if arr.ndim == 0 else arr

    def stepper(
        self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]
    ) -> Callable[[], None]:
        """``update(params, grads)`` for these very arrays, as a function that checks them once,
        here, rather than on every call: for a racer's one point the checks cost a tenth of a
        step. Same arithmetic, so the same result to the last bit. It stays valid while the
        dicts hold the same arrays and no hyperparameter becomes an array; where the checks
        cannot be hoisted (Python floats, arrays large enough for blocks, array
        hyperparameters, an optimizer with its own ``update``) it is plain ``update``."""
        items = []
        for key, p in params.items():
            g = grads[key]
            hoistable = (
                type(self).update is Optimizer.update
                and not self._shapes
                and type(p) is np.ndarray
                and type(g) is np.ndarray
                and p.dtype.kind == "f"
                and g.dtype == p.dtype
                and g.shape == p.shape
                and p.size < blocks.MIN_SIZE
            )
            if not hoistable:
                return functools.partial(self.update, params, grads)
            items.append((key, p, g))
        fast = self.program.stepper(self, items) if self.program is not None else None
        if fast is not None:
            return fast

        def step() -> None:
            self.t += 1
            self._prepare()
            for key, p, g in items:
                self._step(key, p, g)

        return step

    def point_stepper(
        self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]
    ) -> PointStep | None:
        """A racer's step on floats (:mod:`optimizers.point`) for its one shape-(2,) float64
        point, or None where that form does not apply (no rule, array hyperparameters, an
        optimizer with its own ``update``): then :meth:`stepper`."""
        if self.program is None or type(self).update is not Optimizer.update or self._shapes:
            return None
        point = one_point(params, grads)
        return None if point is None else PointStep(self, *point)

    def _prepare(self) -> None:
        """Per-update scalars (bias corrections) computed once, not once per key."""
        if self.program is not None:
            floats = not self._shapes
            slots, plain = self.program.prepare(self.__dict__, self.t, self.carried, floats)
            self._slots, self._slot_arrays, self._unrollable = slots, None, plain

    def _step(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        """The rule's step: unrolled float arithmetic for a small float64 parameter (a racer's
        point), else ufunc calls on whole arrays (or on blocks: ``key`` is then a Block)."""
        program = self.program
        if program is None:
            raise NotImplementedError(f"{type(self).__name__} declares no rule and no _step")
        state = self.buffers(key, p, *program.zero_state) if program.zero_state else []
        for name in program.started_state:
            state += self.buffers(key, p, name, fill=self._starts[name])
        if (
            self._unrollable
            and p.ndim == 1
            and p.size <= MAX_UNROLLED
            and p.dtype == _FLOAT64
            and g.dtype == _FLOAT64
            and g.shape == p.shape
        ):
            try:
                program.unrolled(p.size)(p, g, *state, self._slots)
                return
            except (ArithmeticError, ValueError):
                pass  # nothing was written: numpy's rules give inf or nan below
        if self._slot_arrays is None:
            self._slot_arrays = program.arrays(self._slots)
        array = program.array
        work = self.scratch(key, p, array.scratch) if array.scratch else ()
        flags = self.scratch(key, p, array.flags, dtype=bool) if array.flags else ()
        program.run_arrays(p, g, *state, work, flags, self._slot_arrays)

    def effective_rate(self, key: str) -> np.ndarray:
        """The per-axis factor the latest step applied to its direction (the "rate" glyph).

        Only optimizers that declare a ``"rate"`` glyph implement it; needs one update first.
        """
        if self.program is None or not self.rule.rate:
            raise NotImplementedError(f"{type(self).__name__} has no rate glyph")
        env = self.program.scalars(self.__dict__, self.t, self.carried)
        return self.program.rate(env | self.state[key])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings().items())
        return f"{type(self).__name__}({args})"


_FLOAT64 = np.dtype(np.float64)


def _plain(value: Any) -> Any:
    return float(value) if np.ndim(value) == 0 else value


def _documented(doc: str, rule: Rule) -> str:
    """The class's prose, then its rule as the step runs it, so the two cannot disagree."""
    lines = "".join(f"        {pretty(line)}\n" for line in rule.lines)
    return f"{doc.rstrip()}\n\n    Update, per element (generated from ``rule``)::\n\n{lines}"


def const(value: Value) -> np.ndarray:
    """``value`` as a float64 array (0-d for a scalar): the form of a ufunc operand that numpy
    takes fastest. A Python float is converted on every call, ~0.35 µs each time, which is a
    sixth of a racer's Adam step. The values are the same in float64; a float32 param is then
    computed in float64 and rounded once, as it already is with array hyperparameters."""
    return np.asarray(value, dtype=float)


def _broadcast(key: str, *shapes: tuple[int, ...]) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(
            f"param {key!r}: shapes {list(shapes)} of param, grad or hyperparameters do not "
            "broadcast together"
        ) from None
