"""One writer per output: an OS file lock (``filelock``) keyed on the output's resolved path.

The lock file is ``<resolved output>.lock``: a second run that names the same output
another way (a relative path, ``./``, a symbolic link) takes the same lock and is
refused. The OS releases the lock when the process ends in any way, so a killed run
leaves no stale lock.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from filelock import FileLock, Timeout

from themes.errors import OutputLockedError

__all__ = ["lock_path", "output_lock"]


def lock_path(path: str | os.PathLike) -> Path:
    """The lock file of an output: beside the file the path resolves to (symbolic links followed).

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "link.jsonl").symlink_to(folder / "real.jsonl")
    >>> lock_path(folder / "link.jsonl") == lock_path(folder / "sub" / ".." / "real.jsonl")
    True
    >>> shutil.rmtree(folder)
    """
    return Path(f"{os.path.realpath(os.fspath(path))}.lock")


@contextlib.contextmanager
def output_lock(path: str | os.PathLike):
    """Hold an exclusive lock on the output ``path`` for a run; yield the lock file's path.

    Raises
    ------
    OutputLockedError
        Another process (or another run in this one) holds it.
    OSError
        The lock file cannot be made beside the output (a folder without write permission,
        a read-only file system): the message names the output and the OS's reason. It
        was refused as locked by "another themes run", since ``filelock`` only waits.

    Examples
    --------
    >>> import shutil, tempfile
    >>> target = Path(tempfile.mkdtemp()) / "scores.jsonl"
    >>> with output_lock(target):
    ...     try:
    ...         with output_lock(target):
    ...             pass
    ...     except OutputLockedError as exc:
    ...         print("refused")
    refused
    >>> shutil.rmtree(target.parent)
    """
    where = lock_path(path)
    holder = _holder(where)  # read first: some filelock versions empty the file when they try it
    _can_create(path, where)
    lock = FileLock(where, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        who = f" (pid {holder})" if holder else ""
        raise OutputLockedError(f"{path}: another themes run{who} is writing it; wait for it to finish or stop it") from None
    try:
        with contextlib.suppress(OSError):
            with open(where, "w", encoding="ascii") as fh:  # who holds it, for the message above
                fh.write(str(os.getpid()))
        yield where
    finally:
        # Removed while still held: a run that opens the old file after this finds it
        # unlinked and takes a new one; then released.
        with contextlib.suppress(OSError):
            os.unlink(where)
        lock.release()


def _can_create(path, where: Path) -> None:
    """Make the lock file's folder and the lock file (when missing), or raise the OS's reason.

    ``filelock`` takes a lock file it cannot create for one held by another process and
    waits: with ``timeout=0`` an output in a folder nobody may write to was refused as
    "another themes run is writing it".
    """
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(where, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OSError(
            exc.errno,
            f"cannot be written: its lock file {where} cannot be made there ({reason}); "
            "write the output into a folder you can write to",
            os.fspath(path),
        ) from None
    os.close(fd)


def _holder(where: Path) -> str:
    try:
        text = where.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
