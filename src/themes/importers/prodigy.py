"""Prodigy JSONL exports (``prodigy db-out``): choice tasks and binary per-label answers.

Each line is one input record:

- a choice task (``options`` and ``accept``) answered ``accept`` is a vote for the accepted
  options, judging every offered option (all themes when no options are listed);
  answered ``reject`` it is skipped (the annotator rejected the task as a whole);
- a binary answer ``{"label": ..., "answer": "accept" | "reject"}`` votes on that one
  label only. A release cannot say "not judged" (a theme missing from a statement's
  themes is a negative), so :func:`~themes.importers.import_export` refuses binary answers
  into the report unless the answers about the same text judge every theme together;
- ``ignore`` answers are skipped and counted like cancelled annotations.

The annotator is ``_annotator_id`` (or ``_session_id``): of two answers by the same
annotator about the same statement and labels, the later one counts. The id is ``meta.id``
or ``id`` when it is a string, else the text's hash (so binary answers merge per text).

Examples
--------
>>> import pathlib, shutil, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "db.jsonl"
>>> _ = path.write_text('{"text": "Drones.", "label": "uav", "answer": "accept"}\\n')
>>> [(v.chosen, v.judged, v.binary) for r in read_prodigy(path) for v in r.votes]
[(('uav',), ('uav',), True)]
>>> shutil.rmtree(path.parent)
"""

from __future__ import annotations

import os
from pathlib import Path

from themes.importers._base import ExportRecord, Vote, as_id, as_tool_id, json_lines, optional_str

__all__ = ["read_prodigy"]


def _option_ids(options) -> tuple[str, ...] | None:
    if not isinstance(options, list):
        return None
    ids = [str(o["id"]) for o in options if isinstance(o, dict) and "id" in o]
    return tuple(ids) or None


def read_prodigy(path: str | os.PathLike):
    """Yield one :class:`~themes.importers._base.ExportRecord` per line of a Prodigy JSONL export."""
    path = Path(path)
    for line, task in json_lines(path):
        where = f"{path}:{line}"
        if isinstance(task, str):
            yield ExportRecord(where, None, skip_reason=task)
            continue
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        record = ExportRecord(
            where,
            task.get("text") if isinstance(task.get("text"), str) else None,
            context=optional_str(meta.get("context")) or optional_str(task.get("context")),
            export_id=as_id(meta.get("id")) or as_id(task.get("id")),
            tool_id=as_tool_id(meta.get("id")) or as_tool_id(task.get("id")) or as_tool_id(task.get("_input_hash")),
            style=optional_str(meta.get("style")),
            lang=optional_str(meta.get("lang")),
        )
        answer = task.get("answer")
        who = task.get("_annotator_id") or task.get("_session_id")
        annotator = None if who is None else str(who)
        if answer is None:
            record.skip_reason = "not annotated (no 'answer')"
        elif answer == "ignore":
            record.cancelled += 1
        elif answer not in ("accept", "reject"):
            record.skip_reason = f"unknown answer {answer!r} (expected accept, reject or ignore)"
        elif "accept" in task or "options" in task:
            accepted = task.get("accept") or []
            if answer == "reject":
                record.skip_reason = "rejected (the annotator rejected the task as a whole)"
            elif not isinstance(accepted, list):
                record.skip_reason = "'accept' must be a list of option ids"
            else:
                chosen = tuple(dict.fromkeys(str(a) for a in accepted))
                record.votes.append(Vote(annotator, chosen, _option_ids(task.get("options"))))
        elif isinstance(task.get("label"), str):
            label = task["label"]
            record.votes.append(Vote(annotator, (label,) if answer == "accept" else (), (label,), binary=True))
        else:
            record.skip_reason = "neither a choice task ('accept') nor a binary answer ('label')"
        yield record
