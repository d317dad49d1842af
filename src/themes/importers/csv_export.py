"""CSV exports: a text column and a themes column (any spreadsheet or annotation tool).

Each row is one input record and one vote on all themes; an empty themes cell is a vote
for no theme. Optional columns (names in any case): ``id`` (a number is a row or record
key, not an id: see :func:`~themes.importers._base.as_id`), ``context`` and ``annotator``
(rows of the same statement by several annotators are pooled; an annotator's later row of a
statement replaces their earlier one). In a Label Studio CSV export (an ``annotation_id``
column), a row without an ``annotation_id`` is a task nobody annotated: it is reported as
"not annotated", never read as "no theme". The file must be UTF-8 (a BOM is fine). The themes cell is split on ``separator``;
by default on any of ``;``, ``,`` and ``|`` (theme ids contain none of them).
(The module is not called ``csv.py`` so that it can never shadow the standard library.)

Examples
--------
>>> import pathlib, shutil, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
>>> _ = path.write_text('text,themes\\n"Drones hit a pipeline.","uav; critical_infrastructure"\\n')
>>> [(r.where.rsplit(":", 1)[1], r.votes[0].chosen) for r in read_csv(path)]
[('2', ('uav', 'critical_infrastructure'))]
>>> shutil.rmtree(path.parent)
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
from pathlib import Path

from themes.errors import CorpusError, InvalidInputError
from themes.importers._base import ExportRecord, Vote, as_id, as_tool_id, optional_str, read_text

__all__ = ["read_csv", "split_themes"]

#: What to do with a CSV that is not UTF-8 (Excel's plain "CSV" is the system code page,
#: windows-1251 on a Russian Windows).
NOT_UTF8_FIX = "save it as UTF-8 (in Excel: CSV UTF-8)"


def split_themes(cell: str, separator: str | None = None) -> tuple[str, ...]:
    """Label names of a themes cell, stripped, empty pieces dropped, repeats removed.

    Examples
    --------
    >>> split_themes("uav; financing|uav")
    ('uav', 'financing')
    >>> split_themes("border security / uav", separator="/")
    ('border security', 'uav')

    Label Studio's CSV export writes several choices as a JSON object, read as such:

    >>> split_themes('{"choices": ["uav", "financing"]}')
    ('uav', 'financing')
    """
    if cell.strip()[:1] in ("{", "["):
        try:
            value = json.loads(cell)
        except ValueError:
            value = None
        if isinstance(value, dict):
            value = value.get("choices")
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    pieces = re.split(r"[;,|]", cell) if separator is None else cell.split(separator)
    return tuple(dict.fromkeys(p.strip() for p in pieces if p.strip()))


def read_csv(
    path: str | os.PathLike,
    text_column: str = "text",
    themes_column: str = "themes",
    separator: str | None = None,
    delimiter: str = ",",
):
    """Yield one :class:`~themes.importers._base.ExportRecord` per data row of a CSV file.

    Parameters
    ----------
    text_column, themes_column : str
        Header names of the statement and of its themes.
    separator : str, optional
        What separates themes in a cell (default: any of ``; , |``).
    delimiter : str
        The CSV field delimiter.
    """
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise InvalidInputError(f"The 'delimiter' parameter of read_csv must be one character. Got {delimiter!r} instead.")
    path = Path(path)
    lines = list(io.StringIO(read_text(path, fix=NOT_UTF8_FIX), newline=""))
    rows = _rows(lines, delimiter)
    try:
        header_line, header, problem = next(rows)
    except StopIteration:
        raise CorpusError(f"{path}:1: empty file (expected a header row).") from None
    if problem:
        raise CorpusError(f"{path}:{header_line}: {problem}.")
    header = [h.strip() for h in header]
    # Column names in any case ("ID", "Text" as a spreadsheet writes them): the first such column.
    col: dict[str, int] = {}
    for i, name in enumerate(header):
        col.setdefault(name.casefold(), i)
    for column, option in ((text_column, "--text-column"), (themes_column, "--themes-column")):
        if column.casefold() not in col:
            hint = ""
            if len(header) == 1:
                found = [d for d in ("\t", ";", ",", "|") if d in header[0] and d != delimiter]
                if found:
                    hint = f" (the header has one column: is the delimiter {found[0]!r}? pass --delimiter)"
            raise CorpusError(
                f"{path}:1: no column {column!r} in the header {header}; name the right one with {option}{hint}."
            )
    for start, row, problem in rows:
        where = f"{path}:{start}"
        if problem:
            yield ExportRecord(where, None, skip_reason=problem)
            continue
        if not any(cell.strip() for cell in row):
            continue

        def cell(name):
            i = col.get(name.casefold())
            return row[i] if i is not None and i < len(row) else None

        text = cell(text_column)
        record = ExportRecord(
            where,
            text if text is not None and text.strip() else None,
            context=optional_str(cell("context")),
            export_id=as_id(cell("id")),
            tool_id=as_tool_id(cell("id")),
            style=optional_str(cell("style")),
            lang=optional_str(cell("lang")),
        )
        if len(row) > len(header):
            record.skip_reason = f"{len(row)} cells for {len(header)} columns (a stray {delimiter!r}?)"
        elif "annotation_id" in col and not (cell("annotation_id") or "").strip():
            # Label Studio's CSV export: a task nobody annotated is a row without an
            # annotation; an annotation with no choice has its id and an empty cell.
            record.skip_reason = "not annotated (no annotation_id: a task nobody annotated)"
        else:
            record.votes.append(Vote(optional_str(cell("annotator")), split_themes(cell(themes_column) or "", separator)))
        yield record


def _rows(lines: list[str], delimiter: str):
    """Yield ``(first line number, cells, None)`` per row, or ``(line, None, problem)`` for a
    row that is not valid CSV.

    The parser is strict, so an unterminated quote is an error rather than a cell that
    swallows the rows after it; the bad row's first line is reported and parsing starts
    again on the next line, so only that line is lost.
    """
    index = 0  # of the next line to parse, from 0
    while index < len(lines):
        reader = csv.reader(itertools.islice(lines, index, None), delimiter=delimiter, strict=True)
        consumed = 0
        try:
            for row in reader:
                yield index + consumed + 1, row, None
                consumed = reader.line_num
            return
        except csv.Error as exc:
            bad = index + consumed  # the line the bad row starts on, from 0
            unclosed = lines[bad].count('"') % 2 == 1
            hint = "; a quote opened on this line is not closed, so this line is left out" if unclosed else ""
            yield bad + 1, None, f"not valid CSV ({exc}{hint})"
            index = bad + 1
