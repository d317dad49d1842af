"""JSON Lines: one bulletin per line, ``{"id": ..., "text": ..., "date": ...?}``.

The lines are read and parsed by :func:`themes.jsonlines.read_jsonl`, the one JSON Lines
reader of themes, so that a line fails here for the reasons and in the words it fails
everywhere else. The file is read line by line (UTF-8), so its size does not matter. A line
that is not such a record (not UTF-8, not JSON, nested too deeply, holding a lone
surrogate, not an object, without an id or a text), or is longer than
:data:`~themes.readers.MAX_RECORD_BYTES`, becomes a failed document
(``file:line: reason``); the other lines are still read. The bulletin id is the record's
``id``. The ``date`` field is read by :func:`themes.dates.parse_date_field`: any date the
text's datelines give, and a month and year ("May 2024", "июнь 2025", "2024-05") as the
first of the month.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from themes import jsonlines
from themes.errors import DocumentError

__all__ = ["read_jsonl"]

_TOO_LONG = "the record is longer than {max_bytes:,} bytes (themes.readers.MAX_RECORD_BYTES); not read"


def _failed(path: Path, number: int, reason: str, bulletin: str | None = None):
    from themes.readers import Document

    return Document(bulletin=bulletin or f"{path}:{number}", format="jsonl", error=f"{path}:{number}: {reason}")


def read_jsonl(path: Path) -> Iterator:
    """The bulletins of a .jsonl file, one :class:`~themes.readers.Document` per line."""
    from themes import readers
    from themes.dates import parse_date_field
    from themes.readers import Document

    lines = jsonlines.read_jsonl(
        path, errors="yield", objects=True, error=DocumentError, max_bytes=readers.MAX_RECORD_BYTES, too_long=_TOO_LONG
    )
    for line in lines:
        if not line.ok:
            yield _failed(path, line.number, line.error)
            continue
        record = line.value
        ident = record.get("id")
        if isinstance(ident, bool) or not isinstance(ident, (str, int)) or str(ident) == "":
            yield _failed(path, line.number, "the record has no 'id' (a non-empty string or integer)")
            continue
        text = record.get("text")
        if "text" not in record:
            yield _failed(path, line.number, "the record has no 'text' field (the bulletin's text, a string)", str(ident))
            continue
        if not isinstance(text, str):
            yield _failed(path, line.number, f"'text' must be a string, got {type(text).__name__}", str(ident))
            continue
        date = record.get("date")
        if date is not None and date != "":
            read = parse_date_field(date) if isinstance(date, str) else None
            if read is None:
                # Not dropped in silence: an undated bulletin vanishes from trends.
                yield _failed(
                    path, line.number,
                    f"'date' {date!r} is not a date (2024-05-14, 2024/05/14, 14.05.2024, 14 May 2024, May 14, 2024, "
                    "10 июня 2025; a month alone, May 2024 or 2024-05, reads as its first day); "
                    "fix it or leave the field out (the text's dateline is read then)",
                    str(ident),
                )
                continue
            date = read
        yield Document(
            bulletin=str(ident),
            format="jsonl",
            chunks=(lambda text=text: [text]),
            encoding="utf-8",
            date=date or None,
            title=record.get("title") if isinstance(record.get("title"), str) else None,
            line=line.number,
        )
