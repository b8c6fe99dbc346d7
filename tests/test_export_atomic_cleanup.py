"""``atomic_path`` and ``Pending`` leave nothing behind whatever goes wrong, not only on OSError:
a bug in a writer (ValueError, RuntimeError), a Ctrl+C (KeyboardInterrupt), or a failure while
committing. Only the target's folder is looked at, so a leaked temporary file cannot hide."""

import os

import pytest

from gui.export import atomic
from gui.export.atomic import ExportError, atomic_path


class WriterBug(Exception):
    pass


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("error", [ValueError, RuntimeError, WriterBug, KeyboardInterrupt])
def test_an_error_inside_the_block_removes_the_temporary_file(tmp_path, error):
    target = tmp_path / "out.png"
    with pytest.raises(error), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a picture")
        assert leftovers(tmp_path) == [tmp.name]
        raise error("the writer failed")
    assert leftovers(tmp_path) == []


def test_an_os_error_inside_the_block_becomes_a_message_about_the_target(tmp_path):
    target = tmp_path / "out.csv"
    full = r"out\.csv: No space left on device"
    with pytest.raises(ExportError, match=full), atomic_path(target):
        raise OSError(28, "No space left on device")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("where", ["replace", "fsync"])
def test_an_error_while_committing_removes_the_temporary_file(tmp_path, monkeypatch, error, where):
    def fail(*args):
        raise error(f"{where} failed")

    monkeypatch.setattr(atomic.os, where, fail)
    target = tmp_path / "out.json"
    with pytest.raises(error), atomic_path(target) as tmp:
        tmp.write_text("{}")
    monkeypatch.undo()
    assert leftovers(tmp_path) == []


def test_an_error_while_setting_permissions_removes_the_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_mode_for", lambda target: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        atomic.Pending(tmp_path / "out.gif")
    assert leftovers(tmp_path) == []


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("before")
    with pytest.raises(ValueError), atomic_path(target) as tmp:
        tmp.write_text("after")
        raise ValueError("no")
    assert target.read_text() == "before" and leftovers(tmp_path) == ["out.txt"]
    assert os.stat(target).st_size == len("before")
