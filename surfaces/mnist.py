"""MNIST from local files, as the book's ``load_mnist`` returns it. Nothing is downloaded.

A folder holds either the four standard IDX files (each gzipped or not)::

    train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte

or the book's ``mnist.pkl`` (a dict of four uint8 arrays). IDX is preferred: it is plain data.
A pickle can name any Python callable to run while it loads, so :class:`_ArraysOnly` allows
exactly the numpy functions that rebuild an array and refuses every other name before it is
imported; the result must then be the dict the book writes, or it is refused too.

An IDX file is: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions,
each dimension as a big-endian uint32, then the data in C order.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

import numpy as np

FILES = {
    "train_img": "train-images-idx3-ubyte",
    "train_label": "train-labels-idx1-ubyte",
    "test_img": "t10k-images-idx3-ubyte",
    "test_label": "t10k-labels-idx1-ubyte",
}
PICKLE = "mnist.pkl"
MAX_BYTES = 256 * 1024 * 1024  # MNIST's images are 47 MB; a decompression bomb stops here
CLASSES = 10


class DatasetError(ValueError):
    """Data that cannot be loaded; the message says what was looked for, and where."""


def load_mnist(
    path: str | os.PathLike[str],
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``((x_train, t_train), (x_test, t_test))`` as in the book: images as float32 in [0, 1]
    when ``normalize`` (else uint8), rows of 784 when ``flatten`` (else (N, 1, 28, 28)), labels
    as one-hot float rows when ``one_hot_label`` (else uint8 digits)."""
    arrays = _read(Path(path))
    out = []
    for part in ("train", "test"):
        img, label = arrays[f"{part}_img"], arrays[f"{part}_label"]
        x = img.astype(np.float32) / 255.0 if normalize else img.copy()
        rows, cols = arrays["shape"]
        x = x.reshape(len(x), -1) if flatten else x.reshape(len(x), 1, rows, cols)
        t = np.eye(CLASSES)[label] if one_hot_label else label.copy()
        out.append((x, t))
    return out[0], out[1]


def _read(path: Path) -> dict[str, Any]:
    if path.is_file():
        return _from_pickle(path)
    if not path.is_dir():
        raise DatasetError(f"MNIST: {path} is neither a folder nor the book's {PICKLE}")
    found = {key: _find(path, name) for key, name in FILES.items()}
    if all(found.values()):
        images = {k: _idx(found[k], 3) for k in ("train_img", "test_img")}
        labels = {k: _idx(found[k], 1) for k in ("train_label", "test_label")}
        return _checked({**images, **labels}, path)
    if (path / PICKLE).is_file():
        return _from_pickle(path / PICKLE)
    missing = [name for key, name in FILES.items() if not found[key]]
    raise DatasetError(
        f"MNIST: no data in {path}: looked for the four IDX files (gzipped or not: "
        f"{', '.join(FILES.values())}) or {PICKLE}; missing: {', '.join(missing)}"
    )


def _find(folder: Path, name: str) -> Path | None:
    """The file under its standard name, its ``.gz``, or the common ``train-images.idx3-ubyte``
    spelling of some mirrors."""
    dotted = name.replace("-idx", ".idx")
    for candidate in (name, name + ".gz", dotted, dotted + ".gz"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def _idx(path: Path, ndim: int) -> np.ndarray:
    data = _bytes(path)
    what = f"MNIST: {path} is not an IDX file of unsigned bytes with {ndim} dimension(s)"
    if len(data) < 4 or data[:3] != b"\x00\x00\x08" or data[3] != ndim:
        raise DatasetError(f"{what} (header {data[:4].hex() or 'empty'})")
    head = 4 + 4 * ndim
    if len(data) < head:
        raise DatasetError(f"{what} (the file ends inside its header)")
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", ndim, 4))
    if len(data) - head != int(np.prod(shape)):
        raise DatasetError(
            f"MNIST: {path} is truncated or padded: its header promises {shape}, "
            f"{int(np.prod(shape))} bytes of data, and {len(data) - head} follow"
        )
    return np.frombuffer(data, np.uint8, offset=head).reshape(shape)


def _bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            if f.read(2) != b"\x1f\x8b":
                f.seek(0)
                data = f.read(MAX_BYTES + 1)
            else:
                f.seek(0)
                with gzip.GzipFile(fileobj=f) as g:
                    data = g.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(f"MNIST: cannot read {path} ({exc})") from None
    if len(data) > MAX_BYTES:
        raise DatasetError(f"MNIST: {path} holds more than {MAX_BYTES >> 20} MB: not MNIST")
    return data


class _ArraysOnly(pickle.Unpickler):
    """Unpickles numpy arrays and plain containers; any other global is refused unloaded."""

    ALLOWED: frozenset[tuple[str, str]] = frozenset(
        {
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy._core.multiarray", "_reconstruct"),
            ("numpy.core.numeric", "_frombuffer"),
            ("numpy._core.numeric", "_frombuffer"),
            ("numpy", "ndarray"),
            ("numpy", "dtype"),
            # Protocol 2 writes bytes as _codecs.encode(text, "latin1"): a pure conversion.
            ("_codecs", "encode"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise DatasetError(f"{module}.{name}")
        return super().find_class(module, name)


def _from_pickle(path: Path) -> dict[str, Any]:
    data = _bytes(path)
    try:
        raw = _ArraysOnly(io.BytesIO(data)).load()
    except DatasetError as exc:
        raise DatasetError(
            f"MNIST: {path} is not the book's {PICKLE}: it asks to run {exc}, which is refused"
        ) from None
    except Exception as exc:  # a damaged pickle raises anything from EOFError to TypeError
        reason = type(exc).__name__
        raise DatasetError(f"MNIST: {path} is not a readable pickle ({reason})") from None
    if not isinstance(raw, dict) or set(raw) != set(FILES):
        raise DatasetError(
            f"MNIST: {path} is not the book's {PICKLE} (expected a dict with keys "
            f"{', '.join(FILES)})"
        )
    arrays = {}
    for key, value in raw.items():
        if not isinstance(value, np.ndarray) or value.dtype != np.uint8 or value.ndim == 0:
            raise DatasetError(f"MNIST: {path}: {key} is not an array of unsigned bytes")
        if key.endswith("img"):
            # The book stores flat rows of 784; IDX stores (N, 28, 28): bring both to one form.
            if value.size != len(value) * 784:
                raise DatasetError(f"MNIST: {path}: {key} does not hold 28×28 images")
            value = value.reshape(len(value), 28, 28)
        arrays[key] = value
    return _checked(arrays, path)


def _checked(arrays: dict[str, np.ndarray], where: Path) -> dict[str, Any]:
    """Images and labels agree in number, labels are digits, both sets have the same size."""
    for part in ("train", "test"):
        img, label = arrays[f"{part}_img"], arrays[f"{part}_label"]
        if img.ndim != 3 or label.ndim != 1 or len(img) != len(label) or not len(img):
            raise DatasetError(
                f"MNIST: {where}: the {part} set has {len(img)} images and {len(label)} labels"
            )
        if label.max() >= CLASSES:
            raise DatasetError(f"MNIST: {where}: a {part} label is {int(label.max())}, not a digit")
    if arrays["train_img"].shape[1:] != arrays["test_img"].shape[1:]:
        raise DatasetError(f"MNIST: {where}: training and test images differ in size")
    return {**arrays, "shape": arrays["train_img"].shape[1:]}
