"""Metrics for multi-label theme predictions, and evaluation of a model on labelled data.

Examples
--------
>>> import numpy as np
>>> y_true = np.array([[1, 0], [1, 1], [0, 0]])
>>> y_pred = np.array([[1, 0], [0, 1], [0, 1]])
>>> m = multilabel_metrics(y_true, y_pred, themes=["a", "b"])
>>> m["micro"]["f1"], m["per_theme"]["b"]["precision"]
(0.667, 0.5)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from themes.errors import InvalidInputError
from themes.taxonomy import THEME_IDS

__all__ = [
    "binarize",
    "calibration_errors",
    "evaluate",
    "iter_jsonl",
    "multilabel_metrics",
    "read_labelled",
]


def binarize(label_lists, themes=THEME_IDS) -> np.ndarray:
    """Theme-id lists -> 0/1 matrix (n, len(themes))."""
    index = {t: j for j, t in enumerate(themes)}
    Y = np.zeros((len(label_lists), len(themes)), dtype=np.int8)
    for i, labels in enumerate(label_lists):
        for t in labels:
            if t in index:
                Y[i, index[t]] = 1
    return Y


def _prf(tp, fp, fn) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def multilabel_metrics(y_true, y_pred, themes=THEME_IDS, digits: int = 3) -> dict:
    """Per-theme precision / recall / F1 / support, micro and macro averages."""
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    per = {}
    for j, t in enumerate(themes):
        tp = int((y_true[:, j] & y_pred[:, j]).sum())
        fp = int((~y_true[:, j] & y_pred[:, j]).sum())
        fn = int((y_true[:, j] & ~y_pred[:, j]).sum())
        p, r, f = _prf(tp, fp, fn)
        per[t] = {
            "precision": round(p, digits),
            "recall": round(r, digits),
            "f1": round(f, digits),
            "support": int(y_true[:, j].sum()),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    tp = sum(v["tp"] for v in per.values())
    fp = sum(v["fp"] for v in per.values())
    fn = sum(v["fn"] for v in per.values())
    p, r, f = _prf(tp, fp, fn)
    macro = {
        k: round(float(np.mean([per[t][k] for t in themes])), digits) for k in ("precision", "recall", "f1")
    }
    exact = float(np.mean(np.all(y_true == y_pred, axis=1))) if len(y_true) else 0.0
    # Statements labelled with no theme (procedural text) that the model gave one anyway.
    unlabelled = ~y_true.any(axis=1)
    given = int((unlabelled & y_pred.any(axis=1)).sum())
    return {
        "n": int(len(y_true)),
        "micro": {"precision": round(p, digits), "recall": round(r, digits), "f1": round(f, digits)},
        "macro": macro,
        "exact_match": round(exact, digits),
        "none_given_theme": {
            "n": int(unlabelled.sum()),
            "given": given,
            "rate": round(given / int(unlabelled.sum()), digits) if unlabelled.any() else 0.0,
        },
        "per_theme": per,
    }


def calibration_errors(y_true, proba, themes=THEME_IDS, n_bins: int = 10, digits: int = 4) -> dict:
    """Brier score and expected calibration error (equal-width bins) per theme."""
    y_true = np.asarray(y_true, dtype=float)
    proba = np.asarray(proba, dtype=float)
    out = {}
    for j, t in enumerate(themes):
        y, p = y_true[:, j], proba[:, j]
        brier = float(np.mean((p - y) ** 2)) if len(y) else 0.0
        bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
        ece = 0.0
        for b in range(n_bins):
            mask = bins == b
            if mask.any():
                ece += mask.mean() * abs(p[mask].mean() - y[mask].mean())
        out[t] = {"brier": round(brier, digits), "ece": round(float(ece), digits)}
    return out


def read_labelled(path: str | os.PathLike) -> tuple[list[str], list[str | None], list[list[str]], list[str]]:
    """Read labelled statements from a JSONL file (``text``, ``themes``, optional ``context``, ``id``).

    Returns texts, contexts, theme lists and ids; withdrawn records are skipped.

    Raises
    ------
    InvalidInputError
        Naming the file and line of the first bad record.
    """
    texts, contexts, labels, ids = [], [], [], []
    path = Path(path)
    for n, record in iter_jsonl(path, InvalidInputError):
        if not isinstance(record, dict):
            raise InvalidInputError(f"{path}:{n}: expected a JSON object.")
        if record.get("deleted"):
            continue
        if not isinstance(record.get("text"), str) or not isinstance(record.get("themes"), list):
            raise InvalidInputError(f"{path}:{n}: needs a string 'text' and a list 'themes'.")
        unknown = [t for t in record["themes"] if t not in THEME_IDS]
        if unknown:
            raise InvalidInputError(f"{path}:{n}: unknown theme ids {unknown}.")
        texts.append(record["text"])
        contexts.append(record.get("context"))
        labels.append(record["themes"])
        ids.append(str(record.get("id", n)))
    if not texts:
        raise InvalidInputError(f"{path}: holds no labelled statements (one JSON object a line, with 'text' and 'themes').")
    return texts, contexts, labels, ids


def iter_jsonl(path: str | os.PathLike, error=InvalidInputError):
    """``(line number, record)`` for each non-blank line of a JSON Lines file.

    A file that cannot be opened, a line that is not UTF-8 and a line that is not JSON
    raise ``error`` naming ``file:line``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.jsonl"
    >>> _ = path.write_text('{"a": 1}\\n\\n[2]\\n', encoding="utf-8")
    >>> list(iter_jsonl(path))
    [(1, {'a': 1}), (3, [2])]
    """
    path = Path(path)
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror}).") from None
    with handle:
        for n, line in _numbered_lines(handle, path, error):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise error(f"{path}:{n}: invalid JSON ({exc.msg} at column {exc.colno}).") from None


def _numbered_lines(handle, path: Path, error=InvalidInputError):
    """Lines with their numbers; a line that is not UTF-8 is an error that names it."""
    n = 0
    while True:
        n += 1
        try:
            line = handle.readline()
        except UnicodeDecodeError as exc:
            raise error(
                f"{path}:{n}: not UTF-8 (byte {exc.object[exc.start:exc.start + 1]!r}); save the file as UTF-8."
            ) from None
        if not line:
            return
        yield n, line


def evaluate(model, texts, labels, contexts=None, threshold=None) -> dict:
    """Metrics and calibration of ``model`` (a loaded ThemeModel) on labelled statements."""
    proba = model.predict_proba(texts, contexts)
    thresholds = np.asarray(model.thresholds if threshold is None else threshold, dtype=float)
    pred = proba >= thresholds
    y = binarize(labels, model.themes)
    metrics = multilabel_metrics(y, pred, model.themes)
    metrics["calibration"] = calibration_errors(y, proba, model.themes)
    return metrics
