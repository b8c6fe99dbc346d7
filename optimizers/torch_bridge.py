"""Any PyTorch optimizer behind the book's ``update(params, grads)``: ``torch.optim``'s, those of
the libraries ``pytorch_optimizer`` and ``torch_optimizer``, or a user's own class.

Its key is the class's dotted path (``torch.optim.AdamW``, ``pytorch_optimizer.Lamb``,
``mypackage.opt.MyOpt``; ``mypackage.opt:MyOpt`` is read the same). Torch is imported only when
such a key is first looked up. Importing a module runs its code, so a key from anywhere but the
three known packages is refused unless the user named its module: :func:`allow_import` (the
window's *Add by path…* and ``--allow-import MODULE``) — a shared session file must never make
the app import something.

Each point is a float64 tensor of shape (2,) with its own torch optimizer; a grid of points (a
sweep or a basin map) gets one tensor and one optimizer per point, so optimizers that look at a
whole tensor (LAMB's trust ratio, say) see one racer, as in the window. L-BFGS and others that
ask for a closure get one built from the surface: set :attr:`TorchOptimizer.objective`.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import warnings
from collections.abc import Callable, MutableMapping
from typing import Any, ClassVar

import numpy as np

from optimizers.base import Optimizer
from optimizers.point import one_point
from optimizers.torch_specs import Arg, read_signature

KNOWN = ("torch.optim", "pytorch_optimizer", "torch_optimizer")
_allowed: set[str] = set()
_classes: dict[str, type[TorchOptimizer]] = {}
# (x, y) point → (loss, (gx, gy)): what a closure needs from the surface.
Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


def is_torch_key(key: str) -> bool:
    return "." in key or ":" in key


def normalise(path: str) -> str:
    """``pkg.mod:Class`` → ``pkg.mod.Class``, the key form (``:`` separates CLI settings)."""
    return path.strip().replace(":", ".")


def allow_import(module: str) -> None:
    """Let keys from ``module`` (and its submodules) be imported: the user asked for it."""
    _allowed.add(module.strip())


def add_allow_import(parser: Any) -> None:
    """``--allow-import MODULE`` (repeatable) on a command line."""
    parser.add_argument(
        "--allow-import",
        action="append",
        default=[],
        metavar="MODULE",
        help="let sessions and --optimizers race PyTorch optimizers from MODULE "
        "(importing a module runs its code: name only modules you trust)",
    )


def allow_imports(args: Any) -> None:
    for module in getattr(args, "allow_import", None) or ():
        allow_import(module)


def trusted(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in (*KNOWN, *_allowed))


def torch_installed() -> bool:
    return importlib.util.find_spec("torch") is not None


# How torch runs a step, set for a racer's one tensor of two elements: the multi-tensor
# ("foreach") path batches many tensors into few kernel calls and only adds its overhead here
# (a torch.optim.AdamW step: ~135 µs with it, ~93 µs without). The same arithmetic either way.
_ONE_TENSOR = {"foreach": False}


def torch_class(key: str) -> type[TorchOptimizer]:
    """The racer class for a dotted path; ValueError says why one cannot be had."""
    key = normalise(key)
    if key in _classes:
        return _classes[key]
    module, _, name = key.rpartition(".")
    if not module or not name:
        raise ValueError(f"{key!r} is not a dotted path to a class (e.g. torch.optim.AdamW)")
    if not trusted(module):
        top = module.split(".")[0]
        raise ValueError(
            f"{key}: importing {module!r} would run its code, so only torch.optim, "
            f"pytorch_optimizer and torch_optimizer are imported unasked; start the app with "
            f"--allow-import {top} to race it"
        )
    if not torch_installed():
        raise ValueError(f"{key}: PyTorch is not installed (pip install '.[torch]')")
    import torch

    try:
        found = getattr(importlib.import_module(module), name, None)
    except Exception as exc:  # any error of the user's module is theirs to read, not a crash
        raise ValueError(f"{key}: importing {module!r} failed: {exc}") from None
    if not (isinstance(found, type) and issubclass(found, torch.optim.Optimizer)):
        raise ValueError(f"{key}: not a torch.optim.Optimizer class")
    hypers, args = read_signature(found)
    try:
        switches = _ONE_TENSOR.keys() & inspect.signature(found.__init__).parameters.keys()
    except (TypeError, ValueError):
        switches = set()
    title = f"{name} (torch)" if module.startswith("torch.") else f"{name} ({module.split('.')[0]})"
    cls = type(
        name,
        (TorchOptimizer,),
        {
            "key": key,
            "title": title,
            "hyperparams": hypers,
            "torch_class": found,
            "torch_args": args,
            "torch_switches": {k: _ONE_TENSOR[k] for k in switches},
            "__doc__": f"{module}.{name}, raced through PyTorch: {title}.",
        },
    )
    # Old libraries warn about deprecated torch calls on every step; the racer must print nothing.
    warnings.filterwarnings("ignore", category=UserWarning, module=found.__module__)
    warnings.filterwarnings("ignore", category=UserWarning, module="pytorch_ranger")
    _classes[key] = cls
    return cls


def listed(module: str) -> list[str]:
    """The keys of ``module``'s optimizer classes that sliders can build, by name."""
    import torch

    mod = importlib.import_module(module)
    keys = []
    for name in sorted(dir(mod), key=str.lower):
        found = getattr(mod, name)
        if (
            isinstance(found, type)
            and issubclass(found, torch.optim.Optimizer)
            and found is not torch.optim.Optimizer
            and name != "SparseAdam"  # needs sparse gradients
        ):
            try:
                read_signature(found)
            except ValueError:
                continue  # a wrapper needing another optimizer, say
            keys.append(f"{module}.{name}")
    return keys


class TorchOptimizer(Optimizer):
    """A torch optimizer class, one instance per point; see the module doc."""

    torch_class: ClassVar[type]
    torch_args: ClassVar[tuple[Arg, ...]] = ()
    torch_switches: ClassVar[dict[str, Any]] = {}  # see _ONE_TENSOR
    elementwise = False  # each point is one tensor: never split into blocks
    wants_objective = True  # the racer hands it the surface (see _closure)
    needs_closure: ClassVar[bool | None] = None  # found out by the first trial step

    def _check(self) -> None:
        """Validation by construction and one trial step on a toy point: the torch class's own
        error, under the field, instead of a racer that stops at its first step. The trial also
        tells whether ``step`` needs a closure: most optimizers only evaluate one if given, which
        would double a racer's cost for nothing."""
        import torch

        probe = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        try:
            opt = self.torch_class([probe], **self.torch_kwargs(None))
            probe.grad = torch.ones(2, dtype=torch.float64)
            if type(self).needs_closure is None:
                try:
                    opt.step()
                    type(self).needs_closure = False
                except Exception:  # L-BFGS, AliG, …: they cannot step without a closure
                    type(self).needs_closure = True
            opt.step(lambda: torch.tensor(1.0, dtype=torch.float64))
        except Exception as exc:  # a library's own exception types included
            raise ValueError(f"{self.title}: {exc}") from None

    def torch_kwargs(self, cell: int | None) -> dict[str, Any]:
        """Constructor arguments; with array hyperparameters (a sweep), those of one cell."""
        settings = {
            k: float(v if np.ndim(v) == 0 else np.ravel(v)[0 if cell is None else cell])
            for k, v in self.settings().items()
        }
        return {a.name: a.value(settings) for a in self.torch_args} | self.torch_switches

    def reset(self) -> None:
        super().reset()
        self.objective: Objective | None = None
        self._cells: dict[str, list[tuple[Any, Any]]] = {}

    def _settled(self) -> None:
        super()._settled()
        # A schedule writes lr directly each step: the running torch optimizers follow.
        for cells in getattr(self, "_cells", {}).values():
            for i, (*_, opt) in enumerate(cells):
                kwargs = self.torch_kwargs(i if self._shapes else None)
                for group in opt.param_groups:
                    group.update({k: v for k, v in kwargs.items() if k in group})

    def update(self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]) -> None:
        self.t += 1
        for key, p in params.items():
            p = params[key] = np.asarray(p, dtype=float)
            g = np.asarray(grads[key], dtype=float)
            rows, grad_rows = p.reshape(-1, p.shape[-1]), g.reshape(-1, p.shape[-1])
            cells = self._cells.get(key)
            if cells is None:
                cells = self._cells[key] = [self._make(row, i) for i, row in enumerate(rows)]
            for cell, row, grad in zip(cells, rows, grad_rows, strict=True):
                point, given, tensor, grad_tensor, opt = cell
                # The tensors share memory with ``point`` and ``given``: copying into those is
                # a numpy copy of two floats, where torch's own copy costs microseconds.
                point[:] = row
                given[:] = grad
                tensor.grad = grad_tensor  # a closure may have replaced it
                opt.step(self._closure(tensor, row.copy(), given) if self.needs_closure else None)
                row[:] = point

    def point_stepper(
        self, params: MutableMapping[str, Any], grads: MutableMapping[str, Any]
    ) -> TorchPointStep | None:
        """A racer's step as ``(x, y, gx, gy) → (x, y)``: :meth:`update` for one shape-(2,)
        point, without its loop over keys and cells (a fifth of a plain SGD step's cost)."""
        point = None if self._shapes else one_point(params, grads)
        return None if point is None else TorchPointStep(self, *point[:2])

    def _make(self, row: np.ndarray, cell: int) -> tuple[Any, ...]:
        import torch

        point, given = row.copy(), np.zeros_like(row)
        tensor = torch.from_numpy(point).requires_grad_()
        kwargs = self.torch_kwargs(cell if self._shapes else None)
        return point, given, tensor, torch.from_numpy(given), self.torch_class([tensor], **kwargs)

    def _closure(
        self, tensor: Any, start: np.ndarray, given: np.ndarray
    ) -> Callable[[], Any] | None:
        """What ``step(closure)`` calls: the loss at the tensor's point and its gradient. At the
        step's own point that is the gradient the racer gave (noise included); elsewhere (a line
        search) the surface's. Every torch optimizer accepts a closure; L-BFGS and a few others
        cannot step without one."""
        import torch

        objective = self.objective
        if objective is None:
            return None

        def closure() -> Any:
            point = tensor.detach().numpy().copy()
            loss, grad = objective(point)
            if np.array_equal(point, start):
                grad = given
            tensor.grad = torch.as_tensor(np.asarray(grad, dtype=float), dtype=torch.float64)
            return torch.tensor(float(loss), dtype=torch.float64)

        return closure


class TorchPointStep:
    """``opt.update({key: p}, {key: g})`` for one point as floats in, floats out: the same
    writes into the tensors' memory and the same ``step`` call, so the same numbers. The
    torch optimizer keeps its own state, so there is nothing to load or store around a span
    (``Run.advance`` writes the point back into ``p``)."""

    def __init__(self, opt: TorchOptimizer, key: str, p: np.ndarray) -> None:
        self.opt, self.key, self.p = opt, key, p

    def load(self) -> None:
        pass

    def store(self) -> None:
        pass

    def __call__(self, x: float, y: float, gx: float, gy: float) -> tuple[float, float]:
        opt = self.opt
        opt.t += 1
        cells = opt._cells.get(self.key)
        if cells is None:
            self.p[0], self.p[1] = x, y
            cells = opt._cells[self.key] = [opt._make(self.p, 0)]
        point, given, tensor, grad_tensor, torch_opt = cells[0]
        point[0], point[1] = x, y
        given[0], given[1] = gx, gy
        tensor.grad = grad_tensor  # a closure may have replaced it
        if opt.needs_closure:
            torch_opt.step(opt._closure(tensor, np.array([x, y]), given))
        else:
            torch_opt.step()
        x, y = point.tolist()
        return x, y
