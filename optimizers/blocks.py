"""Large updates in cache-sized blocks, on every core, bit for bit the same as one pass.

An Adam step over a million points makes about a dozen passes over arrays of 16 MB each, so it
waits on memory more than on arithmetic. Run the same ``_step`` on slices of 64k elements
instead and every pass after the first finds its block in cache; give each core its own run of
blocks and the arithmetic (a square root and a division per element, for Adam) runs on both:
numpy releases the GIL inside each call, so the threads overlap all but the Python glue. Every
update rule here is element-wise, so each element sees the same operations in the same order as
in one whole-array pass: the result is bit-identical.

``_step`` does not know it is being given a block: it receives a :class:`Block` as its key, and
:meth:`Optimizer.buffers` and :meth:`Optimizer.scratch` answer a block with the matching slices
of the state and with per-thread work arrays of block size.
"""

from __future__ import annotations

import contextvars
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from optimizers.base import Optimizer, Value

# Adam touches six arrays per block (p, g, m, v and two work arrays): at 64k float64 each that is
# 3 MB, which stays in cache for the block's dozen passes. Measured for Adam on 1M×2 float64 (2
# cores, 32 MB L3): one pass 13 ms; blocks of 16k/64k/256k: 9.9/8.7/9.0 ms on one thread and
# 7.1/5.3/5.4 ms on two. Smaller blocks lose to Python overhead and to the threads taking turns
# at the GIL between numpy calls.
BLOCK = 1 << 16
# Below this a param goes straight to ``_step``: its arrays already fit in cache, and a racer's
# 2-element param must pay no more than one comparison for the machinery.
MIN_SIZE = 4 * BLOCK
# Waking a second thread costs ~20-50 µs; only worth it when each thread gets a few ms of work.
THREAD_SIZE = 1 << 19

_LOCK = threading.Lock()  # guards lazy creation of state shared by the threads
_POOL: ThreadPoolExecutor | None = None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


CORES = _cores()


class Block(str):
    """The key ``_step`` receives for elements ``[start, stop)`` of a large param's flat view.

    It equals (and hashes like) the param's key, so code that only names the key still works;
    ``buffers`` and ``scratch`` read the extra fields to hand out slices instead of whole arrays.
    """

    key: str
    span: slice
    size: int
    shape: tuple[int, ...]
    dtype: np.dtype
    worker: int

    def __new__(cls, key: str, start: int, stop: int, like: np.ndarray, worker: int) -> Block:
        self = super().__new__(cls, key)
        self.key = key
        self.span = slice(start, stop)
        self.size = stop - start
        self.shape = like.shape
        self.dtype = like.dtype
        self.worker = worker
        return self


def eligible(opt: Optimizer, key: Any, p: np.ndarray, g: np.ndarray) -> bool:
    """Whether ``p`` may be updated in blocks: large, scalar hyperparameters only (an array one
    would need slicing per block too), flat-viewable arrays, and any existing state laid out
    like ``p`` (a reshape that copied would lose the writes)."""
    if p.size < MIN_SIZE or opt._shapes or type(key) is not str or not opt.elementwise:
        return False
    if g.shape != p.shape or not (p.flags.c_contiguous and g.flags.c_contiguous):
        return False
    slot = opt.state.get(key, {})
    return all(b.shape == p.shape and b.flags.c_contiguous for b in slot.values())


def run(opt: Optimizer, key: str, p: np.ndarray, g: np.ndarray) -> None:
    """Call ``opt._step`` once per block of ``p``, spread over the cores in contiguous runs."""
    flat_p, flat_g = p.reshape(-1), g.reshape(-1)
    n = flat_p.size
    workers = max(1, min(CORES, n // THREAD_SIZE))
    # Runs start on block boundaries so every block but the last is full-sized.
    per = -(-n // workers // BLOCK) * BLOCK
    runs = [(w, w * per, min(n, (w + 1) * per)) for w in range(workers)]

    def part(worker: int, start: int, stop: int) -> None:
        for lo in range(start, stop, BLOCK):
            hi = min(lo + BLOCK, stop)
            opt._step(Block(key, lo, hi, p, worker), flat_p[lo:hi], flat_g[lo:hi])

    # Each task runs in a copy of this context, so np.errstate set by the caller holds there too.
    futures: list[Future] = [
        _pool().submit(contextvars.copy_context().run, part, *r) for r in runs[1:]
    ]
    try:
        part(*runs[0])
    finally:
        for f in futures:  # wait for every block before returning or raising
            f.exception()
    for f in futures:
        f.result()


def buffers(opt: Optimizer, block: Block, names: tuple[str, ...], fill: Value) -> list[np.ndarray]:
    """This block's slices of the named state arrays, creating whole ones on first use."""
    slot = opt.state.get(block.key)
    out = []
    for name in names:
        buf = None if slot is None else slot.get(name)
        if buf is None:
            buf = _create(opt, block, name, fill)
            slot = opt.state[block.key]
        out.append(buf.reshape(-1)[block.span])
    return out


def _create(opt: Optimizer, block: Block, name: str, fill: Value) -> np.ndarray:
    with _LOCK:  # another block's thread may be creating the same buffer
        slot = opt.state.setdefault(block.key, {})
        buf = slot.get(name)
        if buf is None:
            buf = np.zeros(block.shape, block.dtype)
            if np.any(fill):
                buf[...] = fill
            slot[name] = buf
        return buf


def scratch(opt: Optimizer, block: Block, count: int, dtype: Any) -> list[np.ndarray]:
    """``count`` work arrays of this block's length, owned by the block's thread."""
    dt = block.dtype if dtype is None else np.dtype(dtype)
    tag = (Block, block.worker, dt)  # never a param's key: Block itself is not a string
    work = opt._scratch.get(tag, [])
    if len(work) < count:
        work = [*work, *(np.empty(BLOCK, dt) for _ in range(count - len(work)))]
        opt._scratch[tag] = work
    n = block.size
    return [w[:n] for w in work[:count]]


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        with _LOCK:
            if _POOL is None:
                _POOL = ThreadPoolExecutor(CORES - 1, thread_name_prefix="optimizer-block")
    return _POOL
