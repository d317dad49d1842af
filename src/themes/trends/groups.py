"""Grouping trends by source: the folder a bulletin was found in, below the folder all the
bulletins share.

A statement record names its bulletin by the path ``themes score`` found it at, as the run
spelled it (``archive/cis_atc/2024/2024-03-12.html``), or, for a JSON Lines archive, by the
record's ``id``. No other field says where a bulletin came from, so the group is read from
that name, which every scores file has, old ones included:

1. the name is read as a path (``/`` and ``\\`` both separate folders; ``./`` and doubled
   slashes are dropped) and its file name is set aside;
2. the **root** is the deepest folder that every bulletin read shares (the bulletins of all
   the scores files given, dated or not): usually the folder given to ``themes score``
   (``archive``), also when several of its folders or a glob were scored, or when parts
   were scored into several files;
3. a bulletin's group is its first folder below the root (``cis_atc``), or its first ``N``
   folders with ``folder:N`` (``cis_atc/2024``; a bulletin less deep has the folders it has);
4. a bulletin directly in the root (or a JSON Lines id without a ``/``) is in group ``.``,
   which no folder can be called.

A bulletin of a JSON Lines archive (one ``.jsonl`` file per body, a bulletin a line) is
named by its record's ``id`` alone in the statement records: nothing in them says which
file it came from. The summaries file (``themes score --summary bulletins.jsonl``, of any
age) does, in each summary's ``path``; given it (``trends(..., summaries=...)``,
``themes trends --summary``), such a bulletin is grouped as if its ``.jsonl`` file were its
folder: ``archive/cis_atc.jsonl`` gives group ``cis_atc``, beside ``archive/sco_rats/``
(:func:`jsonl_sources`). Bulletins of other files keep the folders of their own paths.

The root follows the spellings in the scores: an archive of one body (``themes score
archive/cis_atc``) has that body's folder as its root, and its groups are the folders
inside it (years, say); the result names the root (``group_root``). Scores written from two
different folders (``archive/x.txt`` in one file, ``/data/archive/y.txt`` in another)
share no folder, and a note says so.
"""

from __future__ import annotations

import os
import posixpath
import re

from themes.errors import parameter_error

__all__ = ["ALLOWED", "GROUPS", "FolderGroups", "folder_parts", "group_depth", "group_label", "jsonl_sources"]

#: What the ``group`` parameter of :func:`~themes.trends.trends` takes.
GROUPS = ("folder", "folder:N")
_SPEC = re.compile(r"folder(?::([1-9][0-9]{0,2}))?")
#: What a group spec may be, as an error says it (the command line has no None).
ALLOWED = "'folder' or 'folder:N' (N >= 1: how many folders below the folder the bulletins share)"


def group_depth(group, caller: str = "trends", allowed: str = f"None, {ALLOWED}") -> int | None:
    """How many folders a ``group`` spec keeps: None for no grouping.

    Raises
    ------
    themes.errors.ParameterError
        ``group`` is neither None, ``"folder"`` nor ``"folder:N"``.

    Examples
    --------
    >>> group_depth(None), group_depth("folder"), group_depth("folder:2")
    (None, 1, 2)
    >>> group_depth("body")
    Traceback (most recent call last):
    ...
    themes.errors.ParameterError: The 'group' parameter of trends must be None, 'folder' or 'folder:N' (N >= 1: how many folders below the folder the bulletins share). Got 'body' instead.
    """
    if group is None:
        return None
    found = _SPEC.fullmatch(group) if isinstance(group, str) else None
    if found is None:
        raise parameter_error("group", caller, allowed, group)
    return int(found[1] or 1)


def folder_parts(bulletin) -> tuple[str, ...]:
    """The folders of a bulletin's name, outermost first (``"/"`` first for an absolute path).

    Examples
    --------
    >>> folder_parts("archive/cis_atc/2024/a.html"), folder_parts("./archive//sco_rats/b.txt")
    (('archive', 'cis_atc', '2024'), ('archive', 'sco_rats'))
    >>> folder_parts("/data/a.txt"), folder_parts("b-17"), folder_parts(17)
    (('/', 'data'), (), ())
    """
    path = posixpath.normpath(str(bulletin).replace("\\", "/"))
    folder = posixpath.dirname(path)
    if not folder or folder == ".":
        return ()
    absolute = folder.startswith("/")
    parts = tuple(p for p in folder.split("/") if p)
    return ("/", *parts) if absolute else parts


def jsonl_sources(summaries, cut: list | None = None) -> dict[str, tuple[str, ...]]:
    """Bulletin id -> the folders to group it by, for the JSON Lines records of a summaries
    file of ``themes score --summary`` (or several, or its summaries as dicts): the folders
    of its ``.jsonl`` file, then that file as its innermost folder, named without ``.jsonl``.

    A file's last line cut short (a run stopped while writing it: no line break, and no
    whole summary) is what ``themes score --resume`` takes back, as in a scores file
    (:func:`themes.trends.io.read_records`): with ``cut`` (a list), it is not read and its
    ``file:line`` is appended to ``cut``, for the caller to report; without, it is one of
    the bad lines.

    Raises
    ------
    themes.errors.InvalidInputError
        A file cannot be read, or lines are not bulletin summaries: every such line of
        every file in one error, once all are read (``file:line: why``, one a line, the
        first 20 then "and N more": :func:`themes.jsonlines.bad_lines_error`).

    Examples
    --------
    >>> jsonl_sources([{"bulletin": "b-17", "path": "archive/cis_atc.jsonl", "status": "ok", "format": "jsonl"},
    ...                {"bulletin": "archive/sco_rats/a.txt", "path": "archive/sco_rats/a.txt", "status": "ok", "format": "txt"}])
    {'b-17': ('archive', 'cis_atc')}
    """
    from themes.errors import InvalidInputError
    from themes.jsonlines import bad_lines_error, read_jsonl

    if isinstance(summaries, (str, os.PathLike)):
        summaries = [summaries]
    sources: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []  # every bad line of every file: one error once all are read
    files: list[str] = []  # the files that have one, for its first line
    for number, item in enumerate(summaries, 1):
        if isinstance(item, (str, os.PathLike)):
            lines = _summary_lines(item, problems, cut)
        else:
            lines = [(f"summary {number}", item)]
        before = len(problems)
        for where, summary in lines:
            if not isinstance(summary, dict) or "status" not in summary or "bulletin" not in summary:
                record = isinstance(summary, dict) and "themes" in summary
                what = "a statement record (the --out file)" if record else "no bulletin summary"
                problems.append(
                    f"{where}: {what}; the summaries file is the one `themes score --summary` writes, one line per bulletin"
                )
                continue
            path = summary.get("path")
            if summary.get("format") == "jsonl" and isinstance(path, str) and path:
                file = posixpath.basename(posixpath.normpath(path.replace("\\", "/")))
                stem = file[: -len(".jsonl")] if file.lower().endswith(".jsonl") else file
                sources[str(summary["bulletin"])] = (*folder_parts(path), stem)
        if len(problems) > before:
            files.append(str(item) if isinstance(item, (str, os.PathLike)) else "the summaries given")
    if problems:
        named = dict.fromkeys(files)
        what = "bad records" if list(named) == ["the summaries given"] else "bad lines"
        raise bad_lines_error(", ".join(named), problems, what=what)
    return sources


def _summary_lines(path, problems: list[str], cut: list | None = None):
    """``(file:line, summary)`` of a summaries file's lines that parse; the others, and a file
    that cannot be read, are appended to ``problems``; a last line cut short to ``cut``, if
    given."""
    from themes.errors import InvalidInputError
    from themes.jsonlines import read_jsonl
    from themes.trends.io import cut_short

    try:
        for line in read_jsonl(path, errors="yield", objects=True, error=InvalidInputError):
            where = f"{path}:{line.number}"
            if line.ok:
                yield where, line.value
            elif not line.complete:  # the last line of an interrupted run
                if cut is None:
                    problems.append(cut_short(where, "SCORES", path))
                else:
                    cut.append(where)
            else:
                problems.append(f"{where}: {line.error}")
    except InvalidInputError as exc:  # cannot be read, or no JSON Lines at all (UTF-16, an image)
        problems.append(str(exc))


def group_label(parts: tuple[str, ...]) -> str:
    """A group's name from its folders: ``cis_atc``, ``cis_atc/2024``; ``.`` for none.

    Examples
    --------
    >>> group_label(("cis_atc", "2024")), group_label(()), group_label(("/", "data"))
    ('cis_atc/2024', '.', '/data')
    """
    return posixpath.join(*parts) if parts else "."


class FolderGroups:
    """The root the bulletins share, found as they are read, and their groups below it.

    Counts are kept in ``cells``, a dict keyed by ``(group key, period)`` whose values can
    ``merge`` (:class:`~themes.trends.statistics.PeriodCounts`). When a bulletin shares less
    of the root than those before it, the root moves up and the cells are merged under the
    shorter keys, so that memory stays that of the groups, not of the folders.

    Examples
    --------
    >>> g = FolderGroups(depth=1)
    >>> g.see("archive/cis_atc/2024/a.txt", {})
    ('archive', 'cis_atc', '2024')
    >>> g.root
    'archive/cis_atc/2024'
    >>> parts = g.see("archive/sco_rats/b.txt", {})
    >>> g.root, g.label(g.key(parts))
    ('archive', 'sco_rats')
    """

    def __init__(self, depth: int):
        self.depth = depth
        self.prefix: tuple[str, ...] | None = None
        self.absolute = False
        self.relative = False

    def see(self, bulletin, cells: dict, parts: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """Take in a bulletin's name (the root may move up, merging ``cells``); return its
        folders: those of its name, or ``parts`` (a JSON Lines record's, :func:`jsonl_sources`)."""
        parts = folder_parts(bulletin) if parts is None else parts
        if parts[:1] == ("/",):
            self.absolute = True
        else:
            self.relative = True
        if self.prefix is None:
            self.prefix = parts
            return parts
        shared = 0
        for mine, theirs in zip(self.prefix, parts):
            if mine != theirs:
                break
            shared += 1
        if shared < len(self.prefix):
            self.prefix = self.prefix[:shared]
            self._merge(cells)
        return parts

    def key(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        """A bulletin's group key: its folders down to ``depth`` below the root."""
        return parts[: len(self.prefix or ()) + self.depth]

    def label(self, key: tuple[str, ...]) -> str:
        """A group key's name, relative to the root."""
        return group_label(key[len(self.prefix or ()) :])

    @property
    def root(self) -> str:
        """The folder the bulletins share (``.``: none, or none but the run's own)."""
        return group_label(self.prefix or ())

    def _merge(self, cells: dict) -> None:
        merged: dict = {}
        for (key, period), counts in cells.items():
            target = (self.key(key), period)
            if target in merged:
                merged[target].merge(counts)
            else:
                merged[target] = counts
        cells.clear()
        cells.update(merged)
