"""Label Studio JSON exports: a list of tasks with ``data`` and ``annotations``.

Each task is one input record. Its statement is ``data.text`` (and ``data.context``, when
the project shows a lead-in); its id is ``data.id`` when that is a string (Label Studio's
own numeric task id changes from project to project, so it is only used with
``id_from="export"``). Every annotation whose result has entries of type ``choices`` is one
annotator's vote on all themes; an annotation with an empty result is a vote for no theme.
The annotator is ``completed_by`` (its ``email`` or ``id`` when it is an object): of two
annotations of a statement by the same annotator, the later one counts.
Cancelled (skipped) annotations are left out and counted. ``predictions`` are the model's
guesses, never labels: a task with predictions and no annotation is "not annotated".

Examples
--------
>>> import json, pathlib, shutil, tempfile
>>> task = {"id": 7, "data": {"text": "Drones attacked the base."},
...         "annotations": [{"completed_by": 1, "result": [
...             {"type": "choices", "value": {"choices": ["uav"]}}]}]}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.json"
>>> _ = path.write_text(json.dumps([task]))
>>> [(r.text, r.tool_id, r.votes[0].chosen) for r in read_labelstudio(path)]
[('Drones attacked the base.', '7', ('uav',))]
>>> shutil.rmtree(path.parent)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from themes.errors import CorpusError
from themes.importers._base import ExportRecord, Vote, as_id, as_tool_id, optional_str, read_text

__all__ = ["read_labelstudio"]


def _tasks_with_lines(path: Path):
    """Yield ``(line, task)`` for each element of the top-level JSON array, in order.

    ``task`` is the parsed element, or a :class:`_Unreadable` with the reason when that one
    element cannot be parsed (nested too deeply, a number too long, invalid JSON that still
    closes its brackets): the element is reported and the next one read. Line numbers are
    counted forward from the previous task, so the whole file is read once (linear).
    """
    text = read_text(path)
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    if not text[start:].startswith("["):
        # A single task object is accepted too, as exported by the task API.
        try:
            task = json.loads(text)
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            line = getattr(exc, "lineno", text.count("\n", 0, start) + 1)
            hint = ""
            if isinstance(exc, json.JSONDecodeError) and exc.msg == "Extra data" and text[start:].startswith("{"):
                hint = (
                    "; the file holds one JSON object a line (JSON Lines, as doccano and Prodigy export), "
                    "while a Label Studio JSON export is one array of tasks: is the format doccano or prodigy?"
                )
            raise CorpusError(f"{path}:{line}: invalid JSON ({_json_problem(exc)}){hint}.") from None
        yield text.count("\n", 0, start) + 1, task
        return
    pos = start + 1
    line, counted = 1, 0  # the line of text[counted]
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise CorpusError(f"{path}:{line + text.count(chr(10), counted)}: the JSON array is not closed.")
        if text[pos] == "]":
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            task, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            end = _value_end(text, pos)
            if end is None:
                where = f"{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else f"{line}"
                raise CorpusError(f"{path}:{where}: invalid JSON ({_json_problem(exc)}).") from None
            task = _Unreadable(_json_problem(exc))
        yield line, task
        pos = end


class _Unreadable:
    """An element of the task array that could not be parsed, and why."""

    def __init__(self, reason: str):
        self.reason = reason


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply to parse"
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return str(exc)


def _value_end(text: str, pos: int) -> int | None:
    """Where the JSON object or array starting at ``text[pos]`` ends (brackets balanced outside
    strings), or None when it does not close; a linear scan that needs no recursion."""
    if text[pos] not in "[{":
        return None
    depth, i, n = 0, pos, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _annotator(annotation: dict) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return None if who is None else str(who)


def _choices(annotation: dict) -> tuple[str, ...] | str:
    """The label names an annotation chose, or why its shape is not one of a choice task.

    An empty result is a vote for no theme; anything that is not a list of regions with
    ``value.choices`` lists of names is refused rather than read as some other labels.
    """
    result = annotation.get("result")
    if result is None:
        result = []
    if not isinstance(result, list):
        return f"'result' must be a list of regions, got {type(result).__name__} {_short(result)}"
    chosen: list[str] = []
    kinds: list[str] = []
    for i, item in enumerate(result):
        if not isinstance(item, dict):
            return f"result[{i}] must be an object, got {type(item).__name__} {_short(item)}"
        kinds.append(str(item.get("type")))
        if item.get("type") != "choices":
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            return f"result[{i}].value must be an object with 'choices', got {type(value).__name__} {_short(value)}"
        choices = value.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            return f"result[{i}].value.choices must be a list of label names, got {_short(choices)}"
        chosen.extend(c for c in choices if c not in chosen)
    if kinds and "choices" not in kinds:
        return f"no 'choices' in the result (regions of type {sorted(set(kinds))}): not a text classification"
    return tuple(chosen)


def _short(value) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def read_labelstudio(path: str | os.PathLike):
    """Yield one :class:`~themes.importers._base.ExportRecord` per task of a JSON export.

    Parameters
    ----------
    path : str or path-like
        A Label Studio export in JSON format (not JSON-MIN or CSV).
    """
    path = Path(path)
    for number, (line, task) in enumerate(_tasks_with_lines(path), 1):
        if isinstance(task, _Unreadable):
            yield ExportRecord(f"{path}:{line} (task {number})", None, skip_reason=f"invalid JSON ({task.reason})")
            continue
        if not isinstance(task, dict):
            yield ExportRecord(f"{path}:{line} (task {number})", None, skip_reason="not a task object")
            continue
        tool_id = as_tool_id(task.get("id"))
        where = f"{path}:{line} (task {number}" + (f", id {tool_id})" if tool_id else ")")
        data = task.get("data")
        if not isinstance(data, dict):
            reason = "not a Label Studio task (no 'data' object)"
            if isinstance(task.get("text"), str):
                reason += "; it looks like a JSON-MIN export (fields at the top level): export the project as JSON"
            yield ExportRecord(where, None, tool_id=tool_id, skip_reason=reason)
            continue
        if not isinstance(data.get("text"), str):
            # Only fields that read like a statement (words, not a file name or a code).
            named = [
                k for k, v in data.items()
                if isinstance(v, str) and " " in v.strip() and k not in ("id", "context", "style", "lang")
            ]
            if named:
                yield ExportRecord(
                    where, None, tool_id=tool_id,
                    skip_reason=f"no 'text' in its data (it has {', '.join(map(repr, named[:5]))}); "
                    "themes reads the statement from data.text: name the field 'text' in the labelling config",
                )
                continue
        record = ExportRecord(
            where,
            data.get("text") if isinstance(data.get("text"), str) else None,
            context=optional_str(data.get("context")),
            export_id=as_id(data.get("id")),
            tool_id=(as_tool_id(data.get("id")) if isinstance(data.get("id"), str) else None) or tool_id,
            style=optional_str(data.get("style")),
            lang=optional_str(data.get("lang")),
        )
        # Label Studio 1.0 called annotations "completions".
        annotations = task.get("annotations", task.get("completions")) or []
        if not isinstance(annotations, list):
            record.skip_reason = f"'annotations' must be a list, got {type(annotations).__name__}"
            yield record
            continue
        for i, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                record.skip_reason = f"annotation {i + 1} is not an object"
                break
            if annotation.get("was_cancelled"):
                record.cancelled += 1
                continue
            chosen = _choices(annotation)
            if isinstance(chosen, str):
                # One malformed answer would shift the majority: the whole statement is reported.
                record.skip_reason = f"annotation {i + 1}: {chosen}"
                break
            record.votes.append(Vote(_annotator(annotation), chosen, where=f"{where[:-1]}, annotation {i + 1})"))
        if record.skip_reason:
            record.votes.clear()
        elif not annotations:
            record.skip_reason = (
                "not annotated (it has only predictions, which are not labels)"
                if task.get("predictions")
                else "not annotated"
            )
        yield record
