"""Reading scored statements for :func:`~themes.trends.trends` (JSON Lines or CSV, as
``themes score`` writes them) and writing trends as CSV (long or wide)."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from themes.errors import InvalidInputError, ModelError, check_output
from themes.jsonlines import bad_lines_error, binary_kind, missing_reason, read_jsonl

__all__ = ["csv_rows", "csv_text", "cut_short", "find_manifest", "read_records", "records_error", "write_csv"]


def cut_short(where: str, path, summary=None) -> str:
    """What is said of a file's last line cut short (``where`` is its ``file:line``).

    ``path`` is the scores file (the run's ``--out``); ``summary``, when the cut line is
    that of its summaries file (``--summary``), which ``--resume`` finishes too.

    Examples
    --------
    >>> cut_short("scores.jsonl:9", "scores.jsonl")  # doctest: +ELLIPSIS
    'scores.jsonl:9: cut short: the file ends inside a record (a `themes score` run stopped while writing it); ...'
    >>> cut_short("bulletins.jsonl:4", "scores.jsonl", "bulletins.jsonl")  # doctest: +ELLIPSIS
    '... that summary is not read, and its bulletin is grouped as without --summary: ... --out scores.jsonl --summary bulletins.jsonl --resume, ...'
    """
    if summary is not None:
        what, option = "that summary is not read, and its bulletin is grouped as without --summary", f" --summary {summary}"
    else:
        what, option = "that record is not counted, and its bulletin may lack statements the run never wrote", ""
    return (
        f"{where}: cut short: the file ends inside a record (a `themes score` run stopped while writing it); "
        f"{what}: finish the run with `themes score` on the same paths with --out {path}{option} --resume, "
        "then run trends again"
    )


def read_records(source, cut: list | None = None, problems: list | None = None) -> Iterator[tuple[str, dict]]:
    """``(where, record)`` for each statement record of ``source``.

    ``source`` is a statements file (JSON Lines, or CSV with a header), a list of such
    files (read one after the other: an archive scored in parts), or an iterable of
    dicts; ``where`` is ``file:line``, or ``record N``.

    A file's last line cut short (a run stopped while writing it: no line break, and no
    whole record) is what ``themes score --resume`` takes back and scores again. With
    ``cut`` (a list), it is not read and its ``file:line`` is appended to ``cut``, for
    the caller to report (:func:`cut_short` says what); without, it raises. Any other
    bad line raises, or, with ``problems`` (a list), is appended to it as ``file:line:
    why`` and reading goes on, to the next file when a file cannot be read at all, so
    that the caller reports the problems of every file in one error
    (:func:`records_error`).

    Raises
    ------
    InvalidInputError
        Without ``problems``: the file cannot be read (missing, a broken link, a folder,
        binary data such as an image, a JSON array), or lines are not records: every bad
        line of the file at once, once it is read (``file:line: why``, one a line:
        :func:`themes.jsonlines.bad_lines_error`); in a CSV file, a row that ``csv`` cannot
        parse (a cell over its field limit) is the last one read, and its problem says so.
    """
    if isinstance(source, (list, tuple)) and source and all(isinstance(s, (str, os.PathLike)) for s in source):
        for path in source:
            yield from read_records(path, cut, problems)
        return
    if not isinstance(source, (str, os.PathLike)):
        for number, record in enumerate(source, 1):
            yield f"record {number}", record
        return
    if problems is None:
        yield from _path_records(Path(source), cut, None)
        return
    try:
        yield from _path_records(Path(source), cut, problems)
    except InvalidInputError as exc:  # the file cannot be read, or a bad CSV row: on to the next file
        problems.append(str(exc))


def records_error(source, problems: list[str]) -> InvalidInputError:
    """One error for every problem of the records of ``source`` (as :func:`read_records`
    takes it), each ``file:line: why`` or ``record N: why``: the first line names the
    files that have one (``a.jsonl, b.jsonl: 4 bad lines:``).

    Examples
    --------
    >>> print(records_error(["a.jsonl", "b.jsonl"], ["b.jsonl:3: invalid JSON", "b.jsonl:4: invalid JSON"]))
    b.jsonl: 2 bad lines:
    b.jsonl:3: invalid JSON
    b.jsonl:4: invalid JSON
    >>> records_error([{"bulletin": "a"}], ["record 1: no 'themes' field"])
    InvalidInputError("record 1: no 'themes' field")
    """
    paths = [source] if isinstance(source, (str, os.PathLike)) else source
    if isinstance(paths, (list, tuple)) and paths and all(isinstance(p, (str, os.PathLike)) for p in paths):
        named = [str(p) for p in paths]
        files = [f for f in dict.fromkeys(named) if any(p == f or p.startswith(f + ":") for p in problems)]
        return bad_lines_error(", ".join(files) or ", ".join(named), problems)
    return bad_lines_error("the records given", problems, what="bad records")


def _path_records(path: Path, cut: list | None, problems: list | None) -> Iterator[tuple[str, dict]]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except IsADirectoryError:
        raise InvalidInputError(
            f"{path}: is a folder; trends reads statements files (JSON Lines or CSV, as written by "
            f"`themes score --out`): give the files, e.g. {path / '*.jsonl'}"
        ) from None
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: {missing_reason(path)}") from None
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    kind = binary_kind(head)
    if kind is not None:
        # An image or PDF given by mistake (the --plot output, say): "not UTF-8, save the
        # file as UTF-8" would send the user to the wrong fix.
        raise InvalidInputError(
            f"{path}: is {kind}, not a statements file; trends reads the JSON Lines or CSV file "
            "written by `themes score --out`"
        )
    found = 0
    before = len(problems) if problems is not None else 0
    for found, item in enumerate(_file_records(path, head, cut, problems), 1):
        yield item
    if not found and (problems is None or len(problems) == before):  # no record, and no bad line to say why
        # An empty file (or a CSV header alone) read as "no dated statements", exit 0: a
        # scores file that the run never wrote into passed for an archive without dates.
        raise InvalidInputError(
            f"{path}: holds no records (no statement of a bulletin: the file is empty, or a CSV header only); "
            "trends reads the statements that `themes score --out` writes: check that the run wrote them"
        )


def _first_byte(path: Path, head: bytes) -> bytes:
    """The file's first byte that is no blank space (b"" for none), after a byte order mark
    (Excel's "CSV UTF-8", Notepad): looked for past ``head`` when it is blank throughout."""
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:1]
    if first or len(head) < 4096:
        return first
    with open(path, "rb") as fh:
        fh.seek(len(head))
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            first = chunk.lstrip(b" \t\r\n")[:1]
            if first:
                return first
    return b""


def _file_records(path: Path, head: bytes, cut: list | None, shared: list | None = None) -> Iterator[tuple[str, dict]]:
    first = _first_byte(path, head)
    if first == b"[":
        # A list of records saved whole (json.dump(records, fh) in a notebook): read as CSV,
        # it was "holds no records"; read as JSON Lines, "invalid JSON" on every line.
        raise InvalidInputError(
            f"{path}: is a JSON array, not JSON Lines (one record per line): trends reads the statements "
            "that `themes score --out` writes, one JSON object a line; write one record per line, e.g. "
            f"`jq -c '.[]' {path} > {path.with_name(path.stem + '-lines.jsonl')}` (a new file: the shell empties the "
            "one it writes to before jq reads it; Python: fh.write(json.dumps(record) + '\\n') for each record)"
        )
    if first == b"{" or (not first and path.suffix.lower() != ".csv"):
        # Every bad line: one error once the file is read, as evaluate's, or (``shared``)
        # once the caller has read every file.
        problems: list[str] = [] if shared is None else shared
        for line in read_jsonl(path, errors="yield", objects=True):
            where = f"{path}:{line.number}"
            if line.ok:
                yield where, line.value
            elif not line.complete:  # the last line of an interrupted run
                if cut is None:
                    problems.append(cut_short(where, path))
                else:
                    cut.append(where)
            else:
                problems.append(f"{where}: {line.error}")
        if problems and shared is None:
            raise bad_lines_error(path, problems)
        return
    yield from _csv_records(path, cut, shared)


def _ends_in_line_break(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            if not fh.tell():
                return True
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) in (b"\n", b"\r")
    except OSError:
        return True


def _last_row_number(path: Path) -> int:
    r"""The number of the file's last line, as ``csv`` counts them from a file opened with
    ``newline=""``: a line ends at ``\n``, ``\r\n`` or a lone ``\r`` (old Mac line ends,
    which counted as no break at all, so a cut last row was not found).

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = path.write_bytes(b"a\rb\rc")
    >>> _last_row_number(path)
    3
    >>> _ = path.write_bytes(b"a\r\nb\nc")
    >>> _last_row_number(path)
    3
    >>> shutil.rmtree(path.parent)
    """
    breaks, last = 0, b""
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            # A "\r" that ended the chunk before was counted; its "\n" here is the same break.
            pair = last == b"\r" and chunk[:1] == b"\n"
            breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n") - pair
            last = chunk[-1:]
    return breaks + 1


def _csv_records(path: Path, cut: list | None = None, shared: list | None = None) -> Iterator[tuple[str, dict]]:
    """The records of a CSV scores file. Every row that is not UTF-8 is a problem (``file:line:
    why``), and reading goes on: one error once the file is read, or (``shared``) once the
    caller has read every file. A row ``csv`` cannot parse (a cell over its field limit) ends
    the file: the parser may be inside a quoted cell of several lines, whose rest it would take
    for rows, so the problem says that the rows after it were not read."""
    try:
        # Bytes that are not UTF-8 come through as lone surrogates, found in the row they are
        # in: decoding the file strictly failed at its first, for the whole block being read,
        # with the line number of the row before the block (often 1).
        fh = open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    problems: list[str] = [] if shared is None else shared
    with fh:
        header = fh.readline()
        fh.seek(0)
        # A spreadsheet in a Russian or German locale saves CSV with ';' between columns.
        delimiter = ";" if header.startswith("bulletin;") else ","
        reader = csv.DictReader(fh, delimiter=delimiter)
        try:
            fieldnames = list(reader.fieldnames or ())
            bad = _not_utf8(dict(zip(fieldnames, fieldnames)))
            if bad is not None:
                problems.append(f"{path}:1: {bad}")
            columns = [c for c in fieldnames if c.startswith("score.")]
            # A last row without its line break and short of cells (None: missing) was cut
            # short by an interrupted run: its themes or date may be missing, not empty.
            last = None if _ends_in_line_break(path) else _last_row_number(path)
            for row in reader:
                if reader.line_num == last and None in row.values():
                    where = f"{path}:{reader.line_num}"
                    if cut is None:  # said with the bad rows before it, as in JSON Lines
                        problems.append(cut_short(where, path))
                    else:
                        cut.append(where)
                    break
                bad = _not_utf8(row)
                if bad is not None:
                    problems.append(f"{path}:{reader.line_num}: {bad}")
                    continue
                row["themes"] = [t for t in (row.get("themes") or "").split(";") if t]
                row["date"] = row.get("date") or None
                if columns:  # as the JSON Lines records hold them: for the thresholds check
                    row["scores"] = _scores_of(row, columns)
                yield f"{path}:{reader.line_num}", row
        except csv.Error as exc:  # (DictReader.line_num is that of the row before: the csv reader's is this one's)
            problems.append(f"{path}:{reader.reader.line_num}: not a CSV row ({exc}); the rows after it were not read")
    if problems and shared is None:
        raise bad_lines_error(path, problems)


def _not_utf8(row: dict) -> str | None:
    """Why a CSV row read with ``errors="surrogateescape"`` is not UTF-8 (its first cell holding
    a byte that is not), or None.

    Examples
    --------
    >>> _not_utf8({"text": "caf\\udce9", "themes": ""})
    "not UTF-8 (byte 0xe9 in column 'text'); save the file as UTF-8"
    >>> _not_utf8({"text": "café", None: ["extra"]}) is None
    True
    """
    for column, value in row.items():
        for cell in value if isinstance(value, list) else [value]:  # a row's extra cells: a list under None
            if not isinstance(cell, str):
                continue
            for char in cell:
                if "\udc80" <= char <= "\udcff":
                    where = f"column {column!r}" if column is not None else "a cell past the header's columns"
                    return f"not UTF-8 (byte 0x{ord(char) - 0xDC00:02x} in {where}); save the file as UTF-8"
    return None


def _scores_of(row: dict, columns: list[str]) -> dict[str, float]:
    """The ``score.<theme>`` cells of a CSV row that are numbers, as ``{theme: score}``."""
    scores = {}
    for column in columns:
        try:
            scores[column[6:]] = float(row[column])
        except (TypeError, ValueError):
            continue
    return scores


def find_manifest(name: str) -> dict | None:
    """The manifest of the model called ``name`` among the default and its sibling folders."""
    from themes.api import default_model_path
    from themes.artifact import read_manifest

    default = default_model_path()
    candidates = [default]
    if default.parent.is_dir():
        candidates += sorted(p for p in default.parent.iterdir() if p.is_dir() and p != default)
    for folder in candidates:
        if not (folder / "manifest.json").is_file():
            continue
        try:
            manifest = read_manifest(folder)
        except ModelError:
            continue
        if manifest.get("name") == name:
            return manifest
    return None


_FIELDS = ("count", "share", "adjusted", "low", "high")


def csv_rows(result, themes=None, wide: bool = False) -> list[list]:
    """Trends as CSV rows, header first: one row per period and theme, or (``wide``) per period.

    Shares are fractions in [0, 1]; a value that does not exist is an empty cell. Trends
    grouped by source (``trends(..., group="folder")``) open each row with its ``group``:
    one row per group, period and theme, or (``wide``) per group and period.
    """
    shown = result.shown_themes(themes, "Trends.to_csv")
    grouped = getattr(result, "group", None) is not None
    head = (["group"] if grouped else []) + ["period", "bulletins", "statements", "small"]

    def opening(p) -> list:
        return ([p.group] if grouped else []) + [p.period, p.bulletins, p.statements, p.small]

    if wide:
        rows = [head + [f"{t}.{f}" for t in shown for f in _FIELDS]]
        for p in result.periods:
            cells = opening(p)
            for t in shown:
                trend = p.themes[t]
                cells += [_cell(getattr(trend, f)) for f in _FIELDS]
            rows.append(cells)
        return rows
    rows = [head + ["theme", *_FIELDS]]
    for p in result.periods:
        for t in shown:
            trend = p.themes[t]
            rows.append([*opening(p), t, *(_cell(getattr(trend, f)) for f in _FIELDS)])
    return rows


def _cell(value):
    return "" if value is None else value


def write_csv(result, out: str | os.PathLike, themes=None, wide: bool = False, force: bool = False) -> str:
    """Write trends as CSV to ``out`` (``"-"``: standard output); return where it went.

    Raises
    ------
    OutputExistsError
        ``out`` exists and ``force`` is not set.
    """
    rows = csv_rows(result, themes, wide)
    if os.fspath(out) == "-":
        _write_rows(rows, sys.stdout)
        sys.stdout.flush()
        return "-"
    path = check_output(out, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        _write_rows(rows, fh)
    return str(path)


def _write_rows(rows, fh) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerows(rows)


def csv_text(result, themes=None, wide: bool = False) -> str:
    """Trends as CSV text."""
    buffer = io.StringIO()
    _write_rows(csv_rows(result, themes, wide), buffer)
    return buffer.getvalue()

