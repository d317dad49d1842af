"""doccano text-classification exports: JSONL with ``text`` (or ``data``) and ``label`` (or ``labels``).

Each line is one input record and one annotator's vote on all themes. ``path`` may be one
JSONL file, or a folder or ``.zip`` of them (doccano exports one file per user when
annotation is not collaborative): the file name then names the annotator, and the lines of
the same statement in different files are pooled. A ``user`` field names the annotator too;
of two lines of a statement by the same annotator, the later one counts.
The id is ``id`` or ``meta.id`` when it is a string that is not a number (doccano's own
numeric ids are only used with ``id_from="export"``); ``context`` may sit at the top level
or in ``meta``.

An empty label list: annotated with no theme, or never annotated?
------------------------------------------------------------------
doccano (1.5 to 1.8) cannot tell. Its export writes every example of the project, and an
example that nobody annotated gets ``"label": []`` exactly as one an annotator read and
gave no label; in a per-user export, every user's file holds every example, with only that
user's labels. Nothing in the line says which (doccano keeps "confirmed" per user, but
exports it only as a filter: "Export only approved documents" leaves out every example the
user did not confirm, and then an empty list is a real "no theme"). So:

- a line that says it was confirmed or approved (``"is_confirmed": true``, as doccano's API
  lists examples, or an ``annotation_approver``, as its API and older exports name the
  approver) with an empty list is a vote for no theme;
- ``"is_confirmed": false`` with an empty list is reported as not annotated;
- any other empty list is read as "no theme" (``empty_labels="negative"``, right for an
  export of approved documents only), and the import says how many were and where, in
  its warnings; ``empty_labels="report"`` reports them as not annotated instead (right for
  an export of every example).

A line with labels is a vote whatever its marks.

Examples
--------
>>> import pathlib, shutil, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "admin.jsonl"
>>> _ = path.write_text('{"id": 3, "text": "Heroin was seized.", "label": ["drug_trafficking"]}\\n')
>>> [(r.where, r.votes[0].chosen) for r in read_doccano(path)]  # doctest: +ELLIPSIS
[('...admin.jsonl:1', ('drug_trafficking',))]
>>> shutil.rmtree(path.parent)
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from themes.errors import CorpusError, InvalidInputError
from themes.importers._base import ExportRecord, Vote, as_id, as_tool_id, json_lines, option_setting, optional_str, read_text

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
                members = sorted((i for i in archive.infolist() if i.filename.endswith(".jsonl")), key=lambda i: i.filename)
                if not members:
                    raise CorpusError(f"{path}: no .jsonl files in this zip.")
                _check_zip_sizes(path, members)
                # zipfile stops each member at its declared size, so the check above bounds memory.
                return [(f"{path}!{i.filename}", archive.read(i).decode("utf-8-sig")) for i in members]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{path}: cannot be read as a zip of UTF-8 JSONL files ({exc}).") from None
    return [(str(path), read_text(path))]


#: Most bytes the .jsonl files of a doccano zip may hold once uncompressed (a zip bomb guard).
MAX_ZIP_UNCOMPRESSED = 512 * 2**20
#: Highest uncompressed / compressed ratio of a member larger than 1 MiB; JSONL text
#: compresses about 5 to 20 times, a zip bomb about 1,000 times.
MAX_ZIP_RATIO = 200


def _check_zip_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose members would inflate beyond the limits, before inflating any."""
    total = sum(i.file_size for i in members)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise CorpusError(
            f"{path}: its .jsonl files hold {total:,} bytes uncompressed, more than the "
            f"{MAX_ZIP_UNCOMPRESSED:,} a zip may; unzip it and import the folder."
        )
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 2**20 and ratio > MAX_ZIP_RATIO:
            raise CorpusError(
                f"{path}!{info.filename}: compressed {ratio:,.0f} times ({info.compress_size:,} bytes -> "
                f"{info.file_size:,}), more than {MAX_ZIP_RATIO} (a zip bomb?); unzip it and import the folder."
            )


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


#: What an empty label list that nothing marks as confirmed is read as (see the module docstring).
EMPTY_LABELS = ("negative", "report")


def read_doccano(path: str | os.PathLike, empty_labels: str = "negative", option_names: str = "python"):
    """Yield one :class:`~themes.importers._base.ExportRecord` per line of a doccano export.

    Parameters
    ----------
    path : str or path-like
        A JSONL file, or a folder or ``.zip`` of per-user JSONL files.
    empty_labels : {"negative", "report"}
        An empty label list that nothing marks as confirmed: a vote for no theme (and
        flagged ``unmarked_empty`` so that the import counts it), or a record reported as
        not annotated.
    option_names : {"python", "cli"}
        How a skip reason names ``empty_labels`` (:data:`themes.importers._base.OPTION_NAMES`):
        ``empty_labels='report'`` for a caller of this function, ``--empty-labels report``
        for a user of ``themes import``.
    """
    if empty_labels not in EMPTY_LABELS:
        raise InvalidInputError(
            f"The 'empty_labels' parameter of read_doccano must be one of {list(EMPTY_LABELS)}. Got {empty_labels!r} instead."
        )
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
            elif not labels and record.get("is_confirmed") is False:
                result.skip_reason = "not annotated (no label and 'is_confirmed' is false)"
            elif not labels and not _confirmed(record) and empty_labels == "report":
                result.skip_reason = f"not annotated? (an empty label list, and {option_setting('empty_labels', 'report', option_names)})"
            else:
                who = record.get("user", annotator)
                result.votes.append(Vote(None if who is None else str(who), labels))
                result.unmarked_empty = not labels and not _confirmed(record)
            yield result


def _confirmed(record: dict) -> bool:
    """The line says an annotator confirmed the example, or a project admin approved it."""
    approver = record.get("annotation_approver")
    return record.get("is_confirmed") is True or (isinstance(approver, str) and bool(approver.strip()))
