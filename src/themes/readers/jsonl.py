"""JSON Lines: one bulletin per line, ``{"id": ..., "text": ..., "date": ...?}``.

The file is read line by line (UTF-8), so its size does not matter. A line that is not
such a record, or is longer than :data:`~themes.readers.MAX_RECORD_BYTES`, becomes a
failed document (``file:line: reason``); the other lines are still read. The bulletin id
is the record's ``id``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from themes.errors import DocumentError

__all__ = ["read_jsonl"]


def _failed(path: Path, number: int, reason: str, bulletin: str | None = None):
    from themes.readers import Document

    return Document(bulletin=bulletin or f"{path}:{number}", format="jsonl", error=f"{path}:{number}: {reason}")


def _lines(handle, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary file; None for a line longer than ``limit``, skipped unread."""
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line in blocks
                raw = handle.readline(1 << 20)
            yield None
            continue
        yield raw


def read_jsonl(path: Path) -> Iterator:
    """The bulletins of a .jsonl file, one :class:`~themes.readers.Document` per line."""
    from themes import readers
    from themes.dates import parse_date
    from themes.readers import Document

    limit = readers.MAX_RECORD_BYTES
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with handle:
        for number, raw in enumerate(_lines(handle, limit), start=1):
            if raw is None:
                yield _failed(
                    path, number, f"the record is longer than {limit:,} bytes (themes.readers.MAX_RECORD_BYTES); not read"
                )
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield _failed(path, number, f"not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            except json.JSONDecodeError as exc:
                yield _failed(path, number, f"not valid JSON ({exc.msg}, column {exc.colno})")
                continue
            except RecursionError:
                yield _failed(path, number, "not valid JSON (nested too deeply to read)")
                continue
            except ValueError as exc:  # e.g. an integer of more digits than Python converts
                yield _failed(path, number, f"not valid JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield _failed(path, number, f"expected an object, got {type(record).__name__}")
                continue
            ident = record.get("id")
            if isinstance(ident, bool) or not isinstance(ident, (str, int)) or str(ident) == "":
                yield _failed(path, number, "the record has no 'id' (a non-empty string or integer)")
                continue
            text = record.get("text")
            if not isinstance(text, str):
                yield _failed(path, number, f"'text' must be a string, got {type(text).__name__}", str(ident))
                continue
            date = record.get("date")
            yield Document(
                bulletin=str(ident),
                format="jsonl",
                chunks=(lambda text=text: [text]),
                encoding="utf-8",
                date=parse_date(date) if isinstance(date, str) else None,
                title=record.get("title") if isinstance(record.get("title"), str) else None,
            )
