"""The output files: statement records as JSON Lines or CSV bytes, and the scan that
resume makes of an output (and of its summary file) to know what is complete."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from themes.archive.records import RECORD_FIELDS
from themes.atomic import replaced_file
from themes.errors import InvalidInputError, ParameterError, parameter_error
from themes.jsonlines import BadLine, dumps_line, parse_line

__all__ = ["FORMATS", "RecordFormat", "filter_summary", "format_of", "summarized", "summary_lines"]

#: Statement file formats.
FORMATS = ("jsonl", "csv")


class RecordFormat:
    """JSON Lines or CSV records, as bytes; and the scan that resume needs."""

    def __init__(self, kind: str, themes):
        self.kind = kind
        self.themes = list(themes)
        self.columns = [f for f in RECORD_FIELDS if f != "scores"] + [f"score.{t}" for t in self.themes]

    def header(self) -> bytes:
        if self.kind != "csv":
            return b""
        return self._csv_row(self.columns)

    def _csv_row(self, values) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(values)
        try:
            return buffer.getvalue().encode("utf-8")
        except UnicodeEncodeError:
            return dumps_line(values)  # raises BadLine, naming the lone surrogate

    def encode(self, record: dict) -> bytes:
        """One record as bytes.

        Raises
        ------
        themes.jsonlines.BadLine
            The record holds text that UTF-8 cannot write (a lone surrogate).
        """
        if self.kind == "jsonl":
            return dumps_line(record)
        row = []
        for name in self.columns:
            if name.startswith("score."):
                row.append(record["scores"][name[6:]])
            elif name == "themes":
                row.append(";".join(record["themes"]))
            else:
                value = record[name]
                if isinstance(value, bool):  # "true"/"false" as JSON writes them (truncated, fragment)
                    value = "true" if value else "false"
                row.append("" if value is None else value)
        return self._csv_row(row)

    def scan(self, path: Path) -> tuple[list[tuple[str, int]], int, set, tuple[str, int] | None]:
        """(complete bulletins with their start offsets, offset to truncate at, models seen,
        the last bulletin found and the offset just past its readable records).

        Every bulletin but the last one found is complete; the last may have been cut off
        (only its summary record can say it was not). The scan stops at the first line that
        is cut short or cannot be read, and the output is truncated there.
        """
        complete: list[tuple[str, int]] = []
        models: set = set()
        last, last_start = None, None
        offset = 0
        header_end = 0
        with open(path, "rb") as fh:
            if self.kind == "csv":
                first = fh.readline()
                if not first:
                    return [], 0, models, None
                if first != self.header():
                    raise InvalidInputError(
                        f"{path}: its CSV header does not match this run's columns (another model or "
                        "format?); use --force to start over"
                    )
                offset = header_end = len(first)
            for raw in self._raw_records(fh):
                if not raw.endswith(b"\n"):
                    break
                try:
                    bulletin, model = self._read_key(raw)
                except (BadLine, ValueError, KeyError, IndexError, TypeError, AttributeError):
                    break
                if bulletin != last:
                    if last is not None:
                        complete.append((last, last_start))
                    last, last_start = bulletin, offset
                models.add(model)
                offset += len(raw)
        cut = last_start if last_start is not None else header_end
        return complete, cut, models, (last, offset) if last is not None else None

    def _raw_records(self, fh) -> Iterator[bytes]:
        if self.kind == "jsonl":
            yield from fh
            return
        pending = b""
        for line in fh:  # a quoted CSV field may hold line breaks: join until quotes balance
            pending += line
            if pending.count(b'"') % 2 == 0:
                yield pending
                pending = b""
        if pending:
            yield pending

    def _read_key(self, raw: bytes) -> tuple[str, str]:
        if self.kind == "jsonl":
            record = parse_line(raw, objects=True)
            bulletin = record["bulletin"]
            if not isinstance(bulletin, str):
                raise TypeError("bulletin is not a string")
            return bulletin, record.get("model")
        row = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
        if len(row) != len(self.columns):
            raise ValueError("wrong number of columns")
        return row[0], row[self.columns.index("model")]


#: Suffixes read as JSON Lines (no suffix too).
JSONL_SUFFIXES = ("", ".jsonl", ".ndjson", ".jsonlines")
#: Suffixes of formats themes does not write: a name ending so is refused rather than
#: given JSON Lines under a name that promises something else.
OTHER_FORMATS = (".tsv", ".xls", ".xlsx", ".parquet", ".feather", ".xml")
# The command line is where a name is most often wrong, so the advice speaks its options.
_NAME_IT = "name it .jsonl (or .ndjson, .jsonlines) or .csv, or give --format jsonl or --format csv."


def format_of(out: Path, fmt: str | None) -> str:
    """The statement file's format: ``fmt``, else from the suffix (.csv is CSV; .jsonl,
    .ndjson, .jsonlines or none is JSON Lines; any other suffix is refused rather than
    guessed, so that ``scores.txt`` does not silently hold JSON Lines).

    Examples
    --------
    >>> format_of(Path("s.csv"), None), format_of(Path("s.jsonl"), None), format_of(Path("s.tsv"), "csv")
    ('csv', 'jsonl', 'csv')
    >>> format_of(Path("s.csv"), "jsonl")
    Traceback (most recent call last):
    ...
    themes.errors.ParameterError: --out s.csv: its name says CSV but --format is jsonl; name it .jsonl, or leave --format out to write what the name says.
    >>> format_of(Path("s.tsv"), None)
    Traceback (most recent call last):
    ...
    themes.errors.ParameterError: --out s.tsv: themes writes JSON Lines or CSV, not '.tsv'; name it .jsonl (or .ndjson, .jsonlines) or .csv, or give --format jsonl or --format csv.
    >>> format_of(Path("scores.txt"), None)
    Traceback (most recent call last):
    ...
    themes.errors.ParameterError: --out scores.txt: unknown output type '.txt'; name it .jsonl (or .ndjson, .jsonlines) or .csv, or give --format jsonl or --format csv.
    """
    if fmt is None:
        suffix = out.suffix.lower()
        if suffix in OTHER_FORMATS:
            raise ParameterError(f"--out {out}: themes writes JSON Lines or CSV, not {suffix!r}; {_NAME_IT}")
        if suffix == ".csv":
            return "csv"
        if suffix in JSONL_SUFFIXES:
            return "jsonl"
        raise ParameterError(f"--out {out}: unknown output type {suffix!r}; {_NAME_IT}")
    if fmt not in FORMATS:
        raise parameter_error("fmt", "write_scores", "'jsonl' or 'csv'", fmt)
    suffix = out.suffix.lower()
    named = "csv" if suffix == ".csv" else "jsonl" if suffix in JSONL_SUFFIXES[1:] else None
    if named is not None and named != fmt:
        # scores.csv holding JSON Lines (or scores.jsonl holding CSV) opens as garbage in a
        # spreadsheet, and was written without a word.
        raise ParameterError(
            f"--out {out}: its name says {named.upper() if named == 'csv' else 'JSON Lines'} but --format is "
            f"{fmt}; name it .{fmt}, or leave --format out to write what the name says."
        )
    return fmt


def summary_lines(path: Path) -> Iterator[tuple[bytes, str]]:
    """(line, bulletin) of a summary file, up to its first incomplete or unreadable line."""
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                return
            try:
                bulletin = parse_line(raw, objects=True)["bulletin"]
            except (BadLine, KeyError):
                return
            if not isinstance(bulletin, str):
                return
            yield raw, bulletin


def summarized(path: Path) -> set[str]:
    """Bulletins with a summary record in ``path``."""
    if not path.exists():
        return set()
    return {bulletin for _, bulletin in summary_lines(path)}


def filter_summary(path: Path, keep: set[str]) -> None:
    """Rewrite a summary file with only the records of ``keep`` bulletins, atomically
    (:func:`themes.atomic.replaced_file`): an interrupted rewrite leaves the old file whole."""
    with replaced_file(path) as out:
        for raw, bulletin in summary_lines(path):
            if bulletin in keep:
                out.write(raw)
