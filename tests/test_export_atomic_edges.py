"""An atomic write whose folder cannot be synced still succeeds: the file is complete and in
place before the folder is synced, and some platforms cannot open a folder at all (the rule in
``gui.export.atomic._fsync_folder``). The failure is simulated, as tests may run as root."""

import errno
import os
import stat

import pytest

from gui.export import atomic
from gui.export.atomic import ExportError, Pending, describe, write_text


def test_a_folder_that_cannot_be_synced_does_not_fail_the_write(tmp_path, monkeypatch):
    real_fsync = os.fsync
    folders_refused = []

    def fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            folders_refused.append(fd)
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    target = tmp_path / "notes.txt"
    write_text(target, "x**2 + y**2\n")
    assert folders_refused, "the folder sync was not attempted"
    assert target.read_text(encoding="utf-8") == "x**2 + y**2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_error_without_an_errno_is_described_by_its_words_or_its_kind():
    assert describe(OSError(errno.ENOSPC, "ignored")) == os.strerror(errno.ENOSPC)
    assert describe(OSError("the disk went away")) == "the disk went away"
    assert describe(TimeoutError()) == "TimeoutError"


def test_an_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "shared.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "new\n"


def test_discarding_a_temporary_file_that_is_already_gone_is_harmless(tmp_path):
    pending = Pending(tmp_path / "frames.gif")
    pending.path.unlink()  # a writer that cleaned up after itself
    pending.discard()
    pending.discard()
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_is_hidden_and_named_after_its_target(tmp_path):
    pending = Pending(tmp_path / "race.gif")
    try:
        assert pending.path.parent == tmp_path
        assert pending.path.name.startswith(".race.gif.")
        assert pending.path.name.endswith(".part.gif")
    finally:
        pending.discard()


def test_a_missing_folder_is_named_in_the_error(tmp_path):
    target = tmp_path / "gone" / "race.gif"
    with pytest.raises(ExportError) as caught:
        Pending(target)
    assert str(caught.value) == f"Could not write {target}: {os.strerror(errno.ENOENT)}"


def test_a_refused_chmod_is_named_in_the_error_and_leaves_nothing(tmp_path, monkeypatch):
    def chmod(path, mode):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(atomic.os, "chmod", chmod)
    target = tmp_path / "race.gif"
    with pytest.raises(ExportError) as caught:
        Pending(target)
    assert str(caught.value) == f"Could not write {target}: {os.strerror(errno.EPERM)}"
    assert list(tmp_path.iterdir()) == []
