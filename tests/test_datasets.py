"""The 2-D sets (shape, balance, determinism, split) and the MNIST readers on tiny files."""

import gzip
import os
import pickle
import struct

import numpy as np
import pytest

from surfaces.datasets import MAKERS, DatasetError, load_mnist, make, mnist_dataset
from surfaces.mnist import FILES


@pytest.mark.parametrize("key", list(MAKERS))
def test_sets_have_their_size_split_and_classes(key):
    d = make(key, 403, seed=2, test_fraction=0.25)
    assert len(d.x_train) + len(d.x_test) == 403
    assert len(d.x_test) == round(403 * 0.25)
    assert d.x_train.shape[1] == d.x_test.shape[1] == 2
    assert d.x_train.dtype == np.float64
    labels = np.concatenate([d.t_train, d.t_test])
    counts = np.bincount(labels, minlength=d.classes)
    assert len(counts) == d.classes
    if key != "xor":  # XOR's classes follow the uniform draw; the others share points evenly
        assert counts.max() - counts.min() <= 1
    assert np.all(np.abs(np.concatenate([d.x_train, d.x_test])) < 3.5)


@pytest.mark.parametrize("key", list(MAKERS))
def test_same_seed_same_set_other_seed_other_set(key):
    a, b, c = make(key, 200, seed=5), make(key, 200, seed=5), make(key, 200, seed=6)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.t_test, b.t_test)
    assert not np.array_equal(a.x_train, c.x_train)


def test_split_is_disjoint_and_covers_every_point():
    d = make("moons", 300, noise=0.0, seed=1)
    both = np.concatenate([d.x_train, d.x_test])
    assert len(np.unique(both, axis=0)) == 300  # noise 0: every point distinct, none repeated


def test_noise_free_geometry():
    circles = make("circles", 200, noise=0.0, seed=0)
    radius = np.hypot(*circles.x_train.T)
    # the ring has radius 1.2 (class 0), the disc's edge 0.5 (class 1)
    np.testing.assert_allclose(radius[circles.t_train == 0], 1.2)
    np.testing.assert_allclose(radius[circles.t_train == 1], 0.5)
    xor = make("xor", 200, noise=0.0, seed=0)
    np.testing.assert_array_equal(xor.t_train, (xor.x_train[:, 0] * xor.x_train[:, 1] > 0))
    assert make("spirals", 300, seed=0, arms=5).classes == 5
    assert make("blobs", 300, seed=0, centers=3).classes == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": "swirl"}, "Unknown dataset"),
        ({"key": "moons", "size": 3}, "Invalid size"),
        ({"key": "moons", "noise": -1.0}, "Invalid noise"),
        ({"key": "moons", "seed": -1}, "Invalid seed"),
        ({"key": "moons", "arms": 3}, "no option"),
        ({"key": "spirals", "arms": 1}, "Invalid arms"),
        ({"key": "moons", "test_fraction": 0.0}, "Invalid test_fraction"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    key = kwargs.pop("key")
    with pytest.raises(ValueError, match=message):
        make(key, **{"size": 100, **kwargs})


# --- MNIST ---------------------------------------------------------------------------------


def idx_bytes(array):
    array = np.asarray(array, dtype=np.uint8)
    header = b"\x00\x00\x08" + bytes([array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def tiny_mnist(rng, n_train=5, n_test=3):
    return {
        "train_img": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_label": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_img": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_label": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


def write_idx(folder, arrays, gz=False):
    for key, name in FILES.items():
        data = idx_bytes(arrays[key])
        path = folder / (name + (".gz" if gz else ""))
        path.write_bytes(gzip.compress(data) if gz else data)


@pytest.mark.parametrize("gz", [False, True])
def test_idx_files_load_as_the_book_returns_them(tmp_path, gz):
    arrays = tiny_mnist(np.random.default_rng(0))
    write_idx(tmp_path, arrays, gz)
    (x, t), (_, tt) = load_mnist(tmp_path)
    assert x.shape == (5, 784) and x.dtype == np.float32
    np.testing.assert_allclose(x, arrays["train_img"].reshape(5, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(t, arrays["train_label"])
    np.testing.assert_array_equal(tt, arrays["test_label"])
    (x, t), _ = load_mnist(tmp_path, normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (5, 1, 28, 28) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[:, 0], arrays["train_img"])
    np.testing.assert_array_equal(np.argmax(t, axis=1), arrays["train_label"])
    assert t.shape == (5, 10) and t.sum() == 5
    d = mnist_dataset(str(tmp_path))
    assert d.features == 784 and d.classes == 10 and d.x_test.dtype == np.float64


def test_missing_files_name_what_was_looked_for_and_where(tmp_path):
    write_idx(tmp_path, tiny_mnist(np.random.default_rng(0)))
    os.remove(tmp_path / FILES["test_label"])
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    text = str(info.value)
    assert str(tmp_path) in text and "t10k-labels-idx1-ubyte" in text and "mnist.pkl" in text
    assert "\n" not in text
    with pytest.raises(DatasetError, match="neither a folder"):
        load_mnist(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b"\x00\x00\x09\x03" + b[4:], "not an IDX file"),  # signed bytes
        (lambda b: b[:-1], "truncated"),
        (lambda b: b + b"\x00", "truncated or padded"),
        (lambda b: b[:6], "ends inside its header"),
        (lambda b: b"", "header empty"),
    ],
)
def test_corrupt_idx_is_refused_with_the_file_named(tmp_path, damage, message):
    write_idx(tmp_path, tiny_mnist(np.random.default_rng(0)))
    target = tmp_path / FILES["train_img"]
    target.write_bytes(damage(target.read_bytes()))
    with pytest.raises(DatasetError, match=message) as info:
        load_mnist(tmp_path)
    assert str(target) in str(info.value)


def test_corrupt_gzip_and_bad_labels_are_refused(tmp_path):
    arrays = tiny_mnist(np.random.default_rng(0))
    write_idx(tmp_path, arrays, gz=True)
    path = tmp_path / (FILES["train_img"] + ".gz")
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(DatasetError, match="cannot read"):
        load_mnist(tmp_path)
    arrays["test_label"][0] = 11
    write_idx(tmp_path, arrays, gz=True)
    with pytest.raises(DatasetError, match="not a digit"):
        load_mnist(tmp_path)
    arrays["test_label"] = arrays["test_label"][:2]
    write_idx(tmp_path, arrays, gz=True)
    with pytest.raises(DatasetError, match="3 images and 2 labels"):
        load_mnist(tmp_path)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_the_books_pickle_loads(tmp_path, protocol):
    arrays = tiny_mnist(np.random.default_rng(1))
    book = {k: v.reshape(len(v), -1) if k.endswith("img") else v for k, v in arrays.items()}
    (tmp_path / "mnist.pkl").write_bytes(pickle.dumps(book, protocol=protocol))
    (x, _), (_, tt) = load_mnist(tmp_path, normalize=False)
    np.testing.assert_array_equal(x, book["train_img"])
    np.testing.assert_array_equal(tt, book["test_label"])
    (x2, _), _ = load_mnist(tmp_path / "mnist.pkl", normalize=False)  # the file itself works too
    np.testing.assert_array_equal(x2, x)


class Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_a_pickle_that_would_run_code_is_refused_before_it_runs(tmp_path):
    (tmp_path / "mnist.pkl").write_bytes(pickle.dumps({"train_img": Exploit()}))
    with pytest.raises(DatasetError, match=r"asks to run (posix|os)\.system, which is refused"):
        load_mnist(tmp_path)


@pytest.mark.parametrize(
    "payload",
    [
        [1, 2, 3],
        {"train_img": np.zeros((1, 784), np.uint8)},
        {k: np.zeros(3, np.float64) for k in FILES},
    ],
)
def test_a_pickle_of_the_wrong_shape_is_refused(tmp_path, payload):
    (tmp_path / "mnist.pkl").write_bytes(pickle.dumps(payload))
    with pytest.raises(DatasetError, match=r"not the book's mnist\.pkl|not an array of unsigned"):
        load_mnist(tmp_path)


def test_a_damaged_pickle_is_one_clear_error(tmp_path):
    (tmp_path / "mnist.pkl").write_bytes(b"\x80\x05garbage")
    with pytest.raises(DatasetError, match="not a readable pickle"):
        load_mnist(tmp_path)
