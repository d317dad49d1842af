"""Write a folder or a file atomically: build it beside its target, then rename it into place.

One implementation for the folders themes writes whole: a model (:func:`themes.artifact.save_model`)
and a corpus release (:func:`themes.corpus.write_release`); and one for the single files it
rewrites in place (:func:`replaced_file`: a release's manifest stamped, an archive's summary
file filtered on resume). It imports the standard library only, so both sides of the house
may use it.

:func:`staged_folder` hands out a new folder beside the target (``.<name>.<random>.partial``)
to fill. When the block ends, every file in it is synced to disk and the folder takes the
target's place, swapping out a folder already there; when the block raises (an error,
``KeyboardInterrupt``), the staging folder is removed, with any parent folders made for it,
and the target is left as it was. A process killed midway (SIGKILL, power loss) leaves
either the old folder or the new one at the target, never half of one; its staging folder
is removed by the next write beside it (:func:`remove_stale_staging`). :func:`replaced_file`
works the same way for one file: a killed write leaves a hidden ``.<name>.<random>.partial``
file beside the target, which the next write of that target removes.

Examples
--------
>>> import shutil, tempfile
>>> from pathlib import Path
>>> parent = Path(tempfile.mkdtemp())
>>> with staged_folder(parent / "release") as staging:
...     _ = (staging / "data.txt").write_text("new\\n")
>>> sorted(p.name for p in parent.iterdir()), (parent / "release" / "data.txt").read_text()
(['release'], 'new\\n')
>>> try:
...     with staged_folder(parent / "release") as staging:
...         _ = (staging / "data.txt").write_text("half")
...         raise KeyboardInterrupt
... except KeyboardInterrupt:
...     pass
>>> sorted(p.name for p in parent.iterdir()), (parent / "release" / "data.txt").read_text()
(['release'], 'new\\n')
>>> shutil.rmtree(parent)
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from typing import BinaryIO
from pathlib import Path

__all__ = ["STAGING_SUFFIX", "remove_stale_staging", "replaced_file", "retired_folder", "staged_folder", "write_file"]

#: The ending of a staging folder; a hidden ``.<name>.*.partial`` is a write not finished.
STAGING_SUFFIX = ".partial"
# Where folders cannot be locked (Windows), a staging folder younger than this may belong to
# a write still running and is left alone.
_STALE_STAGING_SECONDS = 24 * 3600


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to fill; at the end of the block it becomes ``target``.

    The caller checks first whether ``target`` may be written (``--force``); an existing folder
    at ``target`` is replaced as a whole, so files of it that should stay are copied into the
    staging folder in the block. Parent folders of ``target`` are made as needed. Staging
    folders that killed writes of ``target`` left are removed first; a write still running
    holds a lock on its own and is left alone. A symbolic link at ``target`` is followed: the
    folder it points to is replaced and the link stays (``models/current`` -> a dated folder).

    Yields
    ------
    Path
        The staging folder, made with the permissions a plain ``mkdir`` gives.

    Raises
    ------
    BaseException
        Whatever the block raises, after the staging folder and the parents made for it are
        removed; ``target`` is as it was.
    """
    target = Path(target)
    if target.is_symlink():
        # Swapped as a folder, the link itself would be exchanged and the old "folder" (the
        # link) could not be removed: a failed save that left the link as a staging file.
        target = target.resolve()
    made = []  # the parents this write creates, removed again when it fails
    parent = target.parent
    while not parent.exists():
        made.append(parent)
        parent = parent.parent
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    staging = _new_staging_folder(target)
    lock = _hold(staging)
    try:
        yield staging
        _sync_files(staging)
        if target.is_dir():
            _replace_folder(staging, target)
        else:
            os.rename(staging, target)
        _fsync_folder(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for path in made:  # innermost first
            try:
                path.rmdir()
            except OSError:
                break
        raise
    finally:
        if lock is not None:
            os.close(lock)


@contextlib.contextmanager
def replaced_file(target: str | os.PathLike) -> Iterator[BinaryIO]:
    """A new file beside ``target``, open for writing bytes; at the end of the block it becomes ``target``.

    The file is written as ``.<name>.<random>.partial`` in ``target``'s folder, synced to disk
    and renamed over ``target`` in one step, so a reader, a crash or an interrupted write sees
    the old file whole or the new one whole, never half of one. A file replaced keeps its
    permissions; a new one gets those of a plain ``open`` (the umask's). A symbolic link at
    ``target`` is followed: the file it points to is replaced and the link stays. Staging
    files that killed writes of ``target`` left are removed first (:func:`remove_stale_staging`);
    a write still running holds a lock on its own and is left alone.

    Yields
    ------
    binary file object
        The staging file; ``target`` may still be read while it is written.

    Raises
    ------
    BaseException
        Whatever the block raises, after the staging file is removed; ``target`` is as it was.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = write_file(folder / "summary.jsonl", b"old\\n")
    >>> try:
    ...     with replaced_file(folder / "summary.jsonl") as fh:
    ...         _ = fh.write(b"ha")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> [p.name for p in folder.iterdir()], (folder / "summary.jsonl").read_bytes()
    (['summary.jsonl'], b'old\\n')
    >>> shutil.rmtree(folder)
    """
    target = Path(target)
    if target.is_symlink():
        target = target.resolve()  # renamed over, the link itself would become a plain file
    remove_stale_staging(target)
    staging, fd, lock = _new_staging_file(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())  # the data on disk before the rename publishes it
        if target.exists():
            shutil.copymode(target, staging)
        os.replace(staging, target)  # the lock is held till here: never taken for a stale file
        _fsync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise
    finally:
        if lock is not None:
            os.close(lock)


def write_file(target: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``target`` atomically with :func:`replaced_file`; return ``target``."""
    with replaced_file(target) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(target)


def _new_staging_file(target: Path) -> tuple[Path, int, int | None]:
    """A new, empty file beside ``target`` (``.<name>.<random>.partial``), its descriptor, and
    the descriptor of the lock held on it while the write runs (None where files cannot be
    locked), which :func:`remove_stale_staging` run by another write respects."""
    while True:
        staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}{STAGING_SUFFIX}")
        try:
            # 0o666 less the umask, as open() makes a file (mkstemp's 0o600 would narrow it).
            fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        lock = _hold(staging)
        if lock is None and _can_lock():
            # Removed as stale by another write between its creation and the lock: again.
            os.close(fd)
            continue
        if lock is not None and not _same_file(lock, staging):
            os.close(lock)  # locked after another write removed it (the path is gone or new)
            os.close(fd)
            continue
        return staging, fd, lock


def retired_folder(target: str | os.PathLike) -> Path:
    """Where the previous folder waits (``.<name>.old``) while it is replaced on a system that
    cannot swap two folders in one step; a crash between the two renames leaves it there.

    Examples
    --------
    >>> retired_folder("models/current").as_posix()
    'models/.current.old'
    """
    target = Path(target)
    return target.with_name(f".{target.name}.old")


def remove_stale_staging(target: str | os.PathLike) -> list[Path]:
    """Remove the staging folders and files that killed writes of ``target`` left beside it
    (``.<name>.*.partial``); return them.

    A write holds an exclusive ``flock`` on its staging folder or file while it runs, so one
    that can be locked belongs to no running write (its process may have been killed, or it
    was left before writes took locks). Where they cannot be locked (Windows), only those
    older than a day are removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> parent = pathlib.Path(tempfile.mkdtemp())
    >>> (parent / ".current.x1y2.partial").mkdir()
    >>> [p.name for p in remove_stale_staging(parent / "current")]
    ['.current.x1y2.partial']
    >>> import shutil; shutil.rmtree(parent)
    """
    target = Path(target)
    removed = []
    for candidate in sorted(target.parent.glob(f".{glob.escape(target.name)}.*{STAGING_SUFFIX}")):
        if candidate.is_symlink() or not (candidate.is_dir() or candidate.is_file()):
            continue
        held = _hold(candidate, wait=False)
        if held is None:
            try:
                fresh = time.time() - candidate.stat().st_mtime < _STALE_STAGING_SECONDS
            except OSError:
                continue
            if _can_lock() or fresh:
                continue  # a write is running there
        elif not _same_file(held, candidate):
            os.close(held)  # replaced since it was opened: not the one found stale
            continue
        try:
            if candidate.is_dir():
                shutil.rmtree(candidate)
            else:
                candidate.unlink()
            removed.append(candidate)
        except OSError:
            pass
        finally:
            if held is not None:
                os.close(held)
    return removed


def _new_staging_folder(target: Path) -> Path:
    """A new, empty folder beside ``target`` (``.<name>.<random>.partial``)."""
    while True:
        staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}{STAGING_SUFFIX}")
        try:
            staging.mkdir()
            return staging
        except FileExistsError:
            continue


def _sync_files(folder: Path) -> None:
    """Flush every file under ``folder`` to disk, so that the rename publishes whole files."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _can_lock() -> bool:
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def _hold(folder: Path, wait: bool = True) -> int | None:
    """An exclusive ``flock`` on ``folder`` (a staging folder or file; its descriptor, to
    close), or None when it is held elsewhere or cannot be locked here."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` is still the file or folder open as ``fd`` (not removed, nor replaced)."""
    try:
        here, there = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of the existing folder ``target``; a crash leaves one of them there.

    Linux swaps the two in one atomic step (``renameat2(RENAME_EXCHANGE)``). Elsewhere the old
    folder is first renamed to :func:`retired_folder` (``.<name>.old``) and back if the second
    rename fails: a crash between the two renames leaves it there (``load_model`` says so).
    """
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the previous folder
        return
    retired = retired_folder(target)
    if retired.exists():
        shutil.rmtree(retired)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
