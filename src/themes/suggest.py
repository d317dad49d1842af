"""Choose statements for analysts to label: those the model is least sure of, not near-copies.

From a scored archive (the JSONL that ``themes score`` writes: ``text``, ``context``,
``scores``, ``themes``, ``model``, ``bulletin``, ``index``, ...), :func:`suggest` takes the
statements nearest a decision threshold (titles, datelines, headings, lead-ins and tables,
which trends do not count either, are not offered), uncertainty being
``min over themes of |score - threshold|``, and keeps them diverse: walking from the most
uncertain, a statement whose word set overlaps an already chosen one by more than
``similarity`` (Jaccard) is passed over, and exact repeats are dropped while reading.

The chosen statements are written as annotation tasks with the model's themes pre-filled:

- ``labelstudio``: a JSON list of tasks, ``data`` (``id``, ``text``, ``context``,
  ``bulletin``, ``date``, ``index``, ``uncertainty``) and ``predictions`` (a ``choices``
  result from ``themes`` to ``text``, the ``model_version`` and the uncertainty as
  ``score``); :func:`label_config` is the matching labelling interface;
- ``doccano``: JSONL with ``text``, ``label`` (the model's themes) and the same fields.

``data.id`` / ``id`` is :func:`themes.importers.text_id` of the text, so ``themes import``
gives the labelled statement that id whichever way it is read back: the loop closes.

Examples
--------
>>> jaccard({"a", "b", "c"}, {"a", "b", "d"})
0.5
>>> uncertainty({"uav": 0.45, "financing": 0.1}, {"uav": 0.5, "financing": 0.4})
0.05
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

from themes.errors import DocumentError, check_output, parameter_error
from themes.jsonlines import bad_lines_error, read_jsonl
from themes.segment import NOT_STATEMENTS

__all__ = [
    "FORMATS",
    "jaccard",
    "label_config",
    "scoring_models",
    "suggest",
    "uncertainty",
    "write_label_config",
    "write_tasks",
]

FORMATS = ("labelstudio", "doccano")
_WORD = re.compile(r"\w+")


def uncertainty(scores: dict, thresholds: dict) -> float:
    """Distance of the score nearest its threshold: 0 is a coin toss on some theme."""
    return round(min(abs(float(scores[t]) - thresholds[t]) for t in thresholds if t in scores), 6)


def jaccard(a: set, b: set) -> float:
    """Overlap of two word sets, |a & b| / |a | b| (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _words(text: str) -> frozenset:
    return frozenset(_WORD.findall(text.casefold()))


def _scored_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
        if not files:
            raise DocumentError(f"{path}: no scored statements (*.jsonl) in this folder.")
        return files
    if not path.is_file():
        raise DocumentError(f"{path}: no such file or folder.")
    return [path]


def _check(n, format, similarity) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise parameter_error("n", "suggest", "an int >= 1", n)
    if format not in FORMATS:
        raise parameter_error("format", "suggest", f"one of {list(FORMATS)}", format)
    ok = isinstance(similarity, (int, float)) and not isinstance(similarity, bool) and 0 < similarity <= 1
    if not ok:
        raise parameter_error("similarity", "suggest", "a float in (0, 1]", similarity)


def _candidates(files: list[Path], thresholds: dict, size: int) -> list[tuple[float, int, dict]]:
    """The ``size`` most uncertain distinct statements, as ``(uncertainty, order, record)``, best first."""
    heap: list[tuple[float, int, dict]] = []  # max-heap on uncertainty via negation
    seen: set[bytes] = set()
    order = statements = summaries = 0
    problems: list[str] = []  # every bad line, of every file: one error after the reading
    for file in files:
        for line in read_jsonl(file, errors="yield", objects=True, error=DocumentError):
            n, record = line.number, line.value
            if not line.ok:  # not JSON, not an object...: listed with the others, the reading goes on
                problems.append(f"{file}:{n}: {line.error}.")
                continue
            text, scores = record.get("text"), record.get("scores")
            if isinstance(record.get("bulletin"), str) and isinstance(record.get("counts"), dict):
                summaries += 1
            if not isinstance(text, str) or not text.strip() or not isinstance(scores, dict):
                continue  # a failed bulletin or a summary line: nothing to label
            statements += 1
            if record.get("not_scored"):
                continue  # a language the model does not read: its label could not be trained on
            if record.get("kind") in NOT_STATEMENTS:
                continue  # a title, dateline, heading, lead-in or table: not a statement to label
            if not any(t in scores for t in thresholds):
                raise DocumentError(f"{file}:{n}: its scores name none of the model's themes.")
            # Repeated boilerplate would fill the list with one statement.
            key = hashlib.sha1(" ".join(text.split()).casefold().encode("utf-8")).digest()
            if key in seen:
                continue
            seen.add(key)
            u = uncertainty(scores, thresholds)
            order += 1
            item = (-u, -order, record)
            if len(heap) < size:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
    if problems:
        raise bad_lines_error(files[0] if len(files) == 1 else os.path.commonpath(files), problems, error=DocumentError)
    if not statements:
        # Zero tasks and "no more distinct statements" hid that the file was the wrong one.
        what = (
            "only bulletin summaries (`--summary`): suggest reads the statements file (`--out`)"
            if summaries
            else "the file is empty or holds other records (labelled statements, say, which have no scores)"
        )
        if len(files) == 1:
            where = f"{files[0]}: holds"
        else:
            names = ", ".join(f.name for f in files[:3]) + (", ..." if len(files) > 3 else "")
            where = f"{os.path.commonpath(files)} ({len(files)} .jsonl files: {names}): none holds"
        raise DocumentError(f"{where} no statement that `themes score --out` wrote; {what}")
    return sorted(((-u, -o, r) for u, o, r in heap), key=lambda x: (x[0], x[1]))


def _task(record: dict, u: float, format: str, thresholds: dict, model_name: str) -> dict:
    from themes.importers import text_id

    text = record["text"]
    themes = record.get("themes")
    if not isinstance(themes, list):
        themes = [t for t in thresholds if float(record["scores"].get(t, 0.0)) >= thresholds[t]]
    fields = {
        "id": text_id(text),
        "text": text,
        "context": record.get("context") if isinstance(record.get("context"), str) else "",
        "bulletin": record.get("bulletin"),
        "date": record.get("date"),
        "index": record.get("index"),
        "uncertainty": u,
    }
    version = record.get("model") or model_name
    if format == "doccano":
        return {**fields, "label": list(themes), "model_version": version}
    result = []
    if themes:
        result.append({"from_name": "themes", "to_name": "text", "type": "choices", "value": {"choices": list(themes)}})
    return {"data": fields, "predictions": [{"model_version": version, "score": u, "result": result}]}


def suggest(
    scores: str | os.PathLike,
    n: int = 200,
    format: str = "labelstudio",
    *,
    model=None,
    similarity: float = 0.8,
    out: str | os.PathLike | None = None,
    force: bool = False,
) -> list[dict]:
    """The ``n`` statements of a scored archive most worth labelling, as annotation tasks.

    Parameters
    ----------
    scores : str or path-like
        A ``themes score`` JSONL file, or a folder of them.
    n : int
        How many tasks (fewer when the archive has fewer distinct statements).
    format : {"labelstudio", "doccano"}
    model : str, path-like or ThemeModel, optional
        The model whose thresholds define "near a threshold"; default the default model
        (``THEMES_MODEL`` or the shipped one), which should be the one named in the
        records' ``model`` field.
    similarity : float in (0, 1]
        A statement whose word-set Jaccard with an already chosen one exceeds this is
        passed over.
    out : path, optional
        Write the tasks there (:func:`write_tasks`).
    force : bool
        Replace an existing ``out``.

    Returns
    -------
    list of dict
        The tasks, most uncertain first.

    Raises
    ------
    DocumentError
        ``scores`` cannot be read or holds no statement; or, naming every bad line of its
        files at once (``file:line: what is wrong``: not JSON, not a JSON object), as
        ``themes evaluate`` lists those of a labelled file
        (:func:`themes.jsonlines.bad_lines_error`).
    """
    from themes.api import get_model

    _check(n, format, similarity)
    if out is not None:
        check_output(out, force=force)
    loaded = get_model(model, caller="suggest")
    thresholds = {t: float(v) for t, v in zip(loaded.themes, loaded.thresholds)}
    files = _scored_files(Path(scores))
    # Near-copies are dropped after ranking, so read a generous pool of the most uncertain.
    pool = _candidates(files, thresholds, max(20 * n, 1000))
    chosen: list[tuple[float, dict]] = []
    chosen_words: list[frozenset] = []
    for u, _, record in pool:
        words = _words(record["text"])
        if any(jaccard(words, other) > similarity for other in chosen_words):
            continue
        chosen.append((u, record))
        chosen_words.append(words)
        if len(chosen) == n:
            break
    tasks = [_task(record, u, format, thresholds, loaded.name) for u, record in chosen]
    if out is not None:
        write_tasks(tasks, out, format, force=force)
    return tasks


def write_tasks(tasks: list[dict], out: str | os.PathLike, format: str, force: bool = False) -> Path:
    """Write tasks for import into the tool: a JSON list (Label Studio) or JSONL (doccano)."""
    path = check_output(out, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "labelstudio":
        body = json.dumps(tasks, indent=2, ensure_ascii=False) + "\n"
    else:
        body = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks)
    path.write_text(body, encoding="utf-8")
    return path


def label_config() -> str:
    """The Label Studio labelling interface matching the tasks: the lead-in, the statement, 13 choices.

    Examples
    --------
    >>> config = label_config()
    >>> config.count("<Choice "), '<Choices name="themes" toName="text"' in config
    (13, True)
    """
    from themes.taxonomy import THEMES

    choices = "\n".join(f"    <Choice value={quoteattr(t.id)} hint={quoteattr(t.name)}/>" for t in THEMES)
    return (
        "<View>\n"
        '  <Text name="context" value="$context"/>\n'
        '  <Text name="text" value="$text"/>\n'
        '  <Choices name="themes" toName="text" choice="multiple" showInLine="false">\n'
        f"{choices}\n"
        "  </Choices>\n"
        "</View>\n"
    )


def scoring_models(tasks: list[dict]) -> set[str]:
    """The models that scored the statements of ``tasks`` (their ``model_version``)."""
    return {task["predictions"][0]["model_version"] if "predictions" in task else task["model_version"] for task in tasks}


def write_label_config(out: str | os.PathLike, force: bool = False) -> Path:
    """Write :func:`label_config` to ``out``; never over a file without ``force``."""
    path = check_output(out, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(label_config(), encoding="utf-8")
    return path
