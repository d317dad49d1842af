"""doccano text-classification exports: JSONL with ``text`` (or ``data``) and ``label`` (or ``labels``).

Each line is one input record and one annotator's vote on all themes; an empty label list
is a vote for no theme. ``path`` may be one JSONL file, or a folder or ``.zip`` of them (doccano
exports one file per user when annotation is not collaborative): the file name then names
the annotator, and the lines of the same statement in different files are pooled.
The id is ``id`` or ``meta.id`` when it is a string (doccano's own numeric ids are only
used with ``id_from="export"``); ``context`` may sit at the top level or in ``meta``.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "admin.jsonl"
>>> _ = path.write_text('{"id": 3, "text": "Heroin was seized.", "label": ["drug_trafficking"]}\\n')
>>> [(r.where, r.votes[0].chosen) for r in read_doccano(path)]  # doctest: +ELLIPSIS
[('...admin.jsonl:1', ('drug_trafficking',))]
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from themes.errors import CorpusError
from themes.importers._base import ExportRecord, Vote, as_id, as_tool_id, json_lines, optional_str, read_text

__all__ = ["read_doccano"]


def _files(path: Path) -> list[tuple[str, str]]:
    """``(name shown in the report, text)`` of each JSONL file the export holds."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
        if not files:
            raise CorpusError(f"{path}: no .jsonl files in this folder.")
        return [(str(p), read_text(p)) for p in files]
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = sorted(n for n in archive.namelist() if n.endswith(".jsonl"))
                if not names:
                    raise CorpusError(f"{path}: no .jsonl files in this zip.")
                return [(f"{path}!{n}", archive.read(n).decode("utf-8-sig")) for n in names]
        except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise CorpusError(f"{path}: cannot be read as a zip of UTF-8 JSONL files ({exc}).") from None
    return [(str(path), read_text(path))]


def _labels(record: dict):
    """The label names of a record, or an error message."""
    for key in ("label", "labels"):
        if key in record:
            value = record[key]
            break
    else:
        return "no 'label' or 'labels' field"
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(dict.fromkeys(value))
    if isinstance(value, list) and any(isinstance(v, list) for v in value):
        return "span labels (a sequence-labelling export), not text classification"
    return f"'{key}' must be a list of label names"


def read_doccano(path: str | os.PathLike):
    """Yield one :class:`~themes.importers._base.ExportRecord` per line of a doccano export."""
    path = Path(path)
    files = _files(path)
    for name, text in files:
        annotator = Path(name.split("!")[-1]).stem if len(files) > 1 else None
        for line, record in json_lines(Path(name), text):
            where = f"{name}:{line}"
            if isinstance(record, str):
                yield ExportRecord(where, None, skip_reason=record)
                continue
            meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
            body = record.get("text", record.get("data"))
            if isinstance(body, dict):
                body = body.get("text")
            result = ExportRecord(
                where,
                body if isinstance(body, str) else None,
                context=optional_str(record.get("context")) or optional_str(meta.get("context")),
                export_id=as_id(record.get("id")) or as_id(meta.get("id")),
                tool_id=as_tool_id(record.get("id")) or as_tool_id(meta.get("id")),
                style=optional_str(record.get("style")) or optional_str(meta.get("style")),
                lang=optional_str(record.get("lang")) or optional_str(meta.get("lang")),
            )
            labels = _labels(record)
            if isinstance(labels, str):
                result.skip_reason = labels
            else:
                who = record.get("user", annotator)
                result.votes.append(Vote(None if who is None else str(who), labels))
            yield result
