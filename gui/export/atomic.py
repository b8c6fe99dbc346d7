"""Atomic writes: every file the app writes appears whole or not at all.

The data goes to a temporary file in the target's own folder (``os.replace`` is only atomic
within one file system), is flushed to the disk with ``fsync``, and then replaces the target in
one step. If anything fails on the way, the temporary file is removed and the error becomes an
:class:`ExportError` whose message says which file and why, in words a user can act on.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class ExportError(Exception):
    """A file could not be written (or an export could not be made); the message says why."""


def describe(exc: OSError) -> str:
    """``"Permission denied"`` rather than ``"[Errno 13] Permission denied: '/tmp/.x.png.k2j'"``:
    the temporary name means nothing to the user, the target does."""
    if exc.errno is not None:
        return os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


class Pending:
    """A temporary file next to ``target``: write to :attr:`path`, then :meth:`commit` or
    :meth:`discard`. Long jobs (an animation made frame by frame from a timer) hold one open
    across many calls, which a ``with`` block cannot do."""

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        try:
            # The temporary name keeps the target's suffix, so writers that choose the format
            # from the extension (Qt's image writer, imageio) still choose the right one.
            fd, name = tempfile.mkstemp(
                prefix=f".{self.target.name}.",
                suffix=f".part{self.target.suffix}",
                dir=self.target.parent,
            )
        except OSError as exc:
            raise self.error(exc) from exc
        os.close(fd)
        self.path = Path(name)
        try:
            os.chmod(self.path, _mode_for(self.target))
        except OSError as exc:
            self.discard()
            raise self.error(exc) from exc
        except BaseException:
            self.discard()
            raise

    def error(self, exc: OSError) -> ExportError:
        return ExportError(f"Could not write {self.target}: {describe(exc)}")

    def commit(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self.path, self.target)
        except OSError as exc:
            self.discard()
            raise self.error(exc) from exc
        except BaseException:  # not only OSError: nothing half-done may stay behind
            self.discard()
            raise
        _fsync_folder(self.target.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; when the block ends, move it onto ``target``."""
    pending = Pending(target)
    try:
        yield pending.path
    except OSError as exc:
        pending.discard()
        raise pending.error(exc) from exc
    except BaseException:
        # Whatever else went wrong (a cancelled export, KeyboardInterrupt): nothing stays behind.
        pending.discard()
        raise
    pending.commit()


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(data)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends on every platform (files stay comparable)."""
    write_bytes(path, text.encode("utf-8"))


def _mode_for(target: Path) -> int:
    """The permissions a plain ``open(target, "w")`` would give: the old file's if it exists,
    else 0o666 less the umask (mkstemp makes its file private, 0o600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened, and the file
    # is already complete, so a failure here is not worth reporting.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
