"""Label Studio JSON exports: a list of tasks with ``data`` and ``annotations``.

Each task is one input record. Its statement is ``data.text`` (and ``data.context``, when
the project shows a lead-in); its id is ``data.id`` when that is a string (Label Studio's
own numeric task id changes from project to project, so it is only used with
``id_from="export"``). Every annotation whose result has entries of type ``choices`` is one
annotator's vote on all themes; an annotation with an empty result is a vote for no theme.
Cancelled (skipped) annotations are left out and counted. ``predictions`` are the model's
guesses, never labels: a task with predictions and no annotation is "not annotated".

Examples
--------
>>> import json, tempfile, pathlib
>>> task = {"id": 7, "data": {"text": "Drones attacked the base."},
...         "annotations": [{"completed_by": 1, "result": [
...             {"type": "choices", "value": {"choices": ["uav"]}}]}]}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.json"
>>> _ = path.write_text(json.dumps([task]))
>>> [(r.text, r.tool_id, r.votes[0].chosen) for r in read_labelstudio(path)]
[('Drones attacked the base.', '7', ('uav',))]
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from themes.errors import CorpusError
from themes.importers._base import ExportRecord, Vote, as_id, as_tool_id, optional_str, read_text

__all__ = ["read_labelstudio"]


def _tasks_with_lines(path: Path):
    """Yield ``(line, task)`` for each element of the top-level JSON array, in order."""
    text = read_text(path)
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    if not text[start:].startswith("["):
        # A single task object is accepted too, as exported by the task API.
        try:
            task = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg}).") from None
        yield text.count("\n", 0, start) + 1, task
        return
    pos = start + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise CorpusError(f"{path}:{text.count(chr(10)) + 1}: the JSON array is not closed.")
        if text[pos] == "]":
            return
        try:
            task, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno}).") from None
        yield text.count("\n", 0, pos) + 1, task
        pos = end


def _annotator(annotation: dict) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return None if who is None else str(who)


def _choices(annotation: dict) -> tuple[str, ...]:
    chosen: list[str] = []
    for item in annotation.get("result") or []:
        if isinstance(item, dict) and item.get("type") == "choices":
            for choice in (item.get("value") or {}).get("choices") or []:
                if isinstance(choice, str) and choice not in chosen:
                    chosen.append(choice)
    return tuple(chosen)


def read_labelstudio(path: str | os.PathLike):
    """Yield one :class:`~themes.importers._base.ExportRecord` per task of a JSON export.

    Parameters
    ----------
    path : str or path-like
        A Label Studio export in JSON format (not JSON-MIN or CSV).
    """
    path = Path(path)
    for number, (line, task) in enumerate(_tasks_with_lines(path), 1):
        if not isinstance(task, dict):
            yield ExportRecord(f"{path}:{line} (task {number})", None, skip_reason="not a task object")
            continue
        tool_id = as_tool_id(task.get("id"))
        where = f"{path}:{line} (task {number}" + (f", id {tool_id})" if tool_id else ")")
        data = task.get("data")
        if not isinstance(data, dict):
            yield ExportRecord(where, None, tool_id=tool_id, skip_reason="not a Label Studio task (no 'data' object)")
            continue
        record = ExportRecord(
            where,
            data.get("text") if isinstance(data.get("text"), str) else None,
            context=optional_str(data.get("context")),
            export_id=as_id(data.get("id")),
            tool_id=as_id(data.get("id")) or tool_id,
            style=optional_str(data.get("style")),
            lang=optional_str(data.get("lang")),
        )
        # Label Studio 1.0 called annotations "completions".
        annotations = task.get("annotations", task.get("completions")) or []
        for annotation in annotations:
            if not isinstance(annotation, dict):
                continue
            if annotation.get("was_cancelled"):
                record.cancelled += 1
                continue
            record.votes.append(Vote(_annotator(annotation), _choices(annotation)))
        if not annotations:
            record.skip_reason = (
                "not annotated (it has only predictions, which are not labels)"
                if task.get("predictions")
                else "not annotated"
            )
        yield record
