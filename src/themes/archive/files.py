"""The archive's files: listing them (unreadable folders reported, not skipped), their
identity on disk (for resume and locks), and names made printable.

A bulletin file is known by its identity on disk, the (device, inode) pair where the
system has one: ``archive/a.txt``, ``./archive/a.txt`` and ``/data/archive/a.txt`` are
one bulletin, whichever spelling a run was started with.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from themes.errors import ParameterError
from themes.readers import expand_paths, walk_folder

__all__ = [
    "check_output_path", "file_in_the_way", "file_key", "has_surrogates", "jsonl_lines_of", "list_files", "output_kind", "printable", "stored_file",
    "unreadable_folders",
]

_SURROGATES = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str | None) -> bool:
    """True when ``text`` holds a surrogate code point (no Unicode text does).

    They come from file names that are not UTF-8 (decoded with ``surrogateescape``) and
    from JSON escapes such as ``"\\ud800"``; UTF-8 can write neither.

    Examples
    --------
    >>> has_surrogates("Financing \\ud800 x."), has_surrogates("Финансирование")
    (True, False)
    """
    return bool(text) and _SURROGATES.search(text) is not None


# What a name may hold that a message cannot show as it is: surrogates (see has_surrogates)
# and control characters (a line break, a terminal escape).
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x1f\x7f-\x9f]")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(name: str) -> str:
    """``name`` with bytes that are not UTF-8 shown as ``\\xNN`` (and lone surrogates as
    ``\\udNNN``), and control characters escaped (``\\n``, ``\\x1b``).

    A file name may hold a line break or a terminal escape: printed as it is, a message
    took two lines, or the escape recoloured the user's terminal.

    Examples
    --------
    >>> printable("archive/" + b"\\xc1\\xfe.txt".decode("utf-8", "surrogateescape"))
    'archive/\\\\xc1\\\\xfe.txt'
    >>> printable("plain.txt"), printable("bad\\nname\\x1b[31m.txt")
    ('plain.txt', 'bad\\\\nname\\\\x1b[31m.txt')
    """
    if not _UNPRINTABLE.search(name):
        return name
    if has_surrogates(name):
        try:
            name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            name = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROLS.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), name)


def file_in_the_way(target: str | os.PathLike) -> Path | None:
    """The nearest existing parent of ``target`` when it is a file, else None: an output
    that cannot be written, since its folder cannot be made (``os.makedirs`` says only
    "File exists", naming the file and not the output).

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("x")
    >>> file_in_the_way(folder / "notes.txt" / "scores.jsonl") == folder / "notes.txt"
    True
    >>> file_in_the_way(folder / "new" / "scores.jsonl") is None
    True
    >>> shutil.rmtree(folder)
    """
    for parent in Path(target).parents:
        if os.path.lexists(parent):
            return parent if parent.is_file() else None
    return None


def check_output_path(option: str, target: str, example: str) -> None:
    """Refuse (``ParameterError``, exit 2) an output path that is a folder, or that lies below
    a file (``--out notes.txt/tasks.json``: its folder cannot be made, and the error was
    "notes.txt: File exists"); ``example`` is a file name to suggest, e.g. ``tasks.json``.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("x")
    >>> try:
    ...     check_output_path("--out", str(folder / "notes.txt" / "t.json"), "tasks.json")
    ... except ValueError as exc:
    ...     print(str(exc).replace(str(folder), "DIR"))
    --out DIR/notes.txt/t.json: DIR/notes.txt is a file, not a folder, so nothing can be written below it; give a path in a folder, e.g. DIR/tasks.json
    >>> shutil.rmtree(folder)
    """
    if os.path.isdir(target):
        raise ParameterError(f"{option} {target}: is a folder; give a file name to write, e.g. {Path(target) / example}")
    blocking = file_in_the_way(target)
    if blocking is not None:
        raise ParameterError(
            f"{option} {target}: {blocking} is a file, not a folder, so nothing can be written below it; "
            f"give a path in a folder, e.g. {blocking.parent / example}"
        )


def file_key(path: str | os.PathLike):
    """The identity of a file on disk: ``(device, inode)``, else its resolved path; None if missing.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("x")
    >>> file_key(folder / "a.txt") == file_key(f"{folder}/./a.txt"), file_key(folder / "nope.txt")
    (True, None)
    >>> shutil.rmtree(folder)
    """
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    if found.st_ino:
        return (found.st_dev, found.st_ino)
    return os.path.normcase(os.path.realpath(path))  # a file system without inode numbers


def stored_file(bulletin: str, bases) -> str | None:
    """The file a bulletin id read back from an output names, as a resolved path; None if none.

    An output holds each file's path as the run that wrote it spelled it, relative to the
    folder that run started in, which a later run does not know: a relative id is tried
    against each of ``bases`` in turn (this run's folder first, then the output's own), so
    that ``a/x.txt`` written from ``/data`` is still ``/data/a/x.txt`` when the run is
    resumed from ``/data/a`` with ``--out ../scores.jsonl``.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a").mkdir(); _ = (folder / "a" / "x.txt").write_text("x")
    >>> stored_file("a/x.txt", [folder / "a", folder]) == os.path.realpath(folder / "a" / "x.txt")
    True
    >>> stored_file("a/nope.txt", [folder]) is None
    True
    >>> shutil.rmtree(folder)
    """
    candidates = [bulletin] if os.path.isabs(bulletin) else [os.path.join(base, bulletin) for base in bases]
    for candidate in candidates:
        if file_key(candidate) is not None:
            return os.path.realpath(candidate)
    return None


def output_kind(path: str | os.PathLike) -> str | None:
    """``"statements"`` or ``"summary"`` when ``path`` starts as a ``themes score`` output
    (its first line a statement or bulletin summary record, not a bulletin), else None.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.jsonl").write_text('{"bulletin": "a.txt", "index": 0, "themes": []}\\n')
    >>> _ = (folder / "in.jsonl").write_text('{"id": "b-1", "text": "Drones."}\\n')
    >>> output_kind(folder / "s.jsonl"), output_kind(folder / "in.jsonl")
    ('statements', None)
    >>> shutil.rmtree(folder)
    """
    from themes.jsonlines import BadLine, parse_line

    try:
        with open(path, "rb") as fh:
            first = fh.readline(1 << 16)
        record = parse_line(first, objects=True)
    except (OSError, BadLine, ValueError):
        return None
    if "id" in record or "bulletin" not in record:  # a bulletin has an id; an output names its bulletin
        return None
    if "themes" in record:
        return "statements"
    return "summary" if "status" in record else None


def unreadable_folders(paths: Iterable[str | os.PathLike]) -> list[tuple[str, str]]:
    """Folders under ``paths`` that cannot be listed, as ``(folder, reason)``.

    :func:`~themes.readers.expand_paths` walks past them in silence; a run reports each
    as failed instead, since the bulletins in it were not scored.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    problems: list[tuple[str, str]] = []

    def note(exc: OSError) -> None:
        problems.append((os.fspath(exc.filename), exc.strerror or str(exc)))

    for raw in paths:
        top = os.fspath(raw)
        if not os.path.isdir(top):
            continue
        for _folder in walk_folder(top, onerror=note):  # the folders expand_paths walks
            pass
    return problems


def list_files(
    paths, exclude: Iterable = (), passed_over: list | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The files named by ``paths`` (as :func:`~themes.readers.expand_paths`, which appends
    the files of other types in folders to ``passed_over``), and the folders among them
    that could not be listed."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    return expand_paths(paths, exclude=exclude, passed_over=passed_over), unreadable_folders(paths)


def jsonl_lines_of(path: str | os.PathLike, bulletin: str) -> list[int]:
    """Line numbers of the records of a JSON Lines archive whose id is ``bulletin``.

    Read only when a duplicate id is found, to name its lines.
    """
    from themes.jsonlines import read_jsonl

    lines = []
    try:
        for line in read_jsonl(Path(path), errors="yield", objects=True):
            if line.ok and str(line.value.get("id")) == bulletin:
                lines.append(line.number)
    except Exception:  # the file changed or vanished since: the message goes without lines
        return lines
    return lines
