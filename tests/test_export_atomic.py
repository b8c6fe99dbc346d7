"""Every write is atomic: a failing disk gives a clear message and leaves nothing behind.

Tests may run as root, where a read-only folder does not stop writes, so failures are also
simulated by making ``os.replace`` or ``open`` raise the errors a real disk gives.
"""

import builtins
import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from gui.export import atomic
from gui.export.animation import Animation, make
from gui.export.atomic import ExportError, write_bytes, write_text
from gui.export.render import Figure, save_png
from gui.model.presets import PRESETS
from gui.model.scene import dumps, to_scene


@pytest.fixture
def book():
    return PRESETS["book-fig6-8"].load()[0]


def fail_replace(code):
    def replace(src, dst):
        raise OSError(code, os.strerror(code))

    return replace


def fail_open_of_temporary_files(code):
    real_open = builtins.open

    def fake_open(file, mode="r", *args, **kwargs):
        if ".part" in os.fspath(file) and ("w" in mode or "a" in mode):
            raise OSError(code, os.strerror(code), os.fspath(file))
        return real_open(file, mode, *args, **kwargs)

    return fake_open


def writers(book):
    """One writer per kind of file the app makes."""

    def png(path):
        with Figure(book, (200, 150)) as figure:
            save_png(figure.image(), path)

    return {
        "session": lambda p: write_text(p, dumps(to_scene(book))),
        "bytes": lambda p: write_bytes(p, b"\x00" * 10_000),
        "png": png,
        "gif": lambda p: make(Animation(book, str(p), (120, 90), fps=5, frames=3)),
    }


@pytest.mark.parametrize("kind", ["session", "bytes", "png", "gif"])
@pytest.mark.parametrize("code", [errno.EACCES, errno.ENOSPC, errno.EROFS])
def test_a_failing_replace_leaves_nothing(qapp, book, tmp_path, monkeypatch, kind, code):
    target = tmp_path / f"out.{'json' if kind == 'session' else kind}"
    monkeypatch.setattr(atomic.os, "replace", fail_replace(code))
    with pytest.raises(ExportError) as info:
        writers(book)[kind](target)
    assert str(info.value) == f"Could not write {target}: {os.strerror(code)}"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["session", "bytes", "png", "gif"])
def test_a_full_disk_while_writing_leaves_nothing(qapp, book, tmp_path, monkeypatch, kind):
    target = tmp_path / f"out.{kind}"
    monkeypatch.setattr(builtins, "open", fail_open_of_temporary_files(errno.ENOSPC))
    with pytest.raises(ExportError, match="No space left on device"):
        writers(book)[kind](target)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_keeps_the_previous_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "scene.json"
    write_text(target, "old and complete\n")
    monkeypatch.setattr(atomic.os, "replace", fail_replace(errno.EIO))
    with pytest.raises(ExportError, match="Input/output error"):
        write_text(target, "new")
    assert target.read_text() == "old and complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scene.json"]


def test_a_missing_folder_is_a_clear_message(tmp_path):
    with pytest.raises(ExportError, match=r"Could not write .*nowhere.*No such file or directory"):
        write_text(tmp_path / "nowhere" / "x.json", "{}")


@contextlib.contextmanager
def unprivileged():
    """Root ignores folder modes; as root, act as an ordinary user for the block (the real uid
    stays 0, so the effective one can be restored)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


def test_a_read_only_folder_is_a_clear_message():
    # A real permission error from the OS, not a simulated one.
    folder = Path(tempfile.mkdtemp(prefix="playground-ro-"))
    locked = folder / "locked"
    try:
        folder.chmod(0o755)
        locked.mkdir()
        locked.chmod(0o555)
        with unprivileged(), pytest.raises(ExportError, match="Permission denied"):
            write_text(locked / "x.json", "{}")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
        shutil.rmtree(folder)


def test_an_interrupted_animation_leaves_nothing(qapp, book, tmp_path, monkeypatch):
    animation = Animation(book, str(tmp_path / "race.gif"), (120, 90), fps=5, frames=6)
    calls = []

    def interrupting(self_budget=0.05):
        calls.append(1)
        raise KeyboardInterrupt

    monkeypatch.setattr(animation, "advance", interrupting)
    with pytest.raises(KeyboardInterrupt):
        make(animation)
    assert calls and list(tmp_path.iterdir()) == []


def test_written_files_get_ordinary_permissions(tmp_path):
    target = tmp_path / "x.json"
    write_text(target, "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
