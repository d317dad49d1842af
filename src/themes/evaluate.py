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

import os
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, brier_score_loss, precision_recall_fscore_support

from themes.errors import InvalidInputError
from themes.jsonlines import bad_lines_error, read_jsonl
from themes.api import read_statements
from themes.taxonomy import THEME_IDS

__all__ = [
    "binarize",
    "calibration_errors",
    "evaluate",
    "evaluate_file",
    "multilabel_metrics",
    "predict_as_classify",
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


def multilabel_metrics(y_true, y_pred, themes=THEME_IDS, digits: int = 3) -> dict:
    """Per-theme precision / recall / F1 / support, micro and macro averages (``sklearn.metrics``).

    A theme with no predicted (or no true) statement has precision (or recall) 0. The macro
    averages are over the themes that occur, in the labels or in the predictions: a theme
    neither labelled nor predicted in a small set has nothing to measure, and counting it
    as 0 would pull the average down for want of examples.

    Examples
    --------
    >>> m = multilabel_metrics([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [1, 1, 0]], themes=("a", "b", "c"))
    >>> m["per_theme"]["a"]["f1"], m["per_theme"]["b"]["f1"], m["macro"]["f1"]
    (0.667, 1.0, 0.834)
    """
    y_true = np.asarray(y_true, dtype=bool).reshape(-1, len(themes))
    y_pred = np.asarray(y_pred, dtype=bool).reshape(-1, len(themes))
    per = {}
    if len(y_true):
        precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
        micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)[:3]
        exact = float(accuracy_score(y_true, y_pred))
    else:
        precision = recall = f1 = support = np.zeros(len(themes))
        micro, exact = (0.0, 0.0, 0.0), 0.0
    for j, t in enumerate(themes):
        tp = int((y_true[:, j] & y_pred[:, j]).sum())
        per[t] = {
            "precision": round(float(precision[j]), digits),
            "recall": round(float(recall[j]), digits),
            "f1": round(float(f1[j]), digits),
            "support": int(support[j]),
            "tp": tp,
            "fp": int(y_pred[:, j].sum()) - tp,
            "fn": int(y_true[:, j].sum()) - tp,
        }
    present = [t for t in themes if per[t]["tp"] + per[t]["fp"] + per[t]["fn"]] or list(themes)
    macro = {
        k: round(float(np.mean([per[t][k] for t in present])), digits) for k in ("precision", "recall", "f1")
    }
    # Statements labelled with no theme (procedural text) that the model gave one anyway.
    unlabelled = ~y_true.any(axis=1)
    given = int((unlabelled & y_pred.any(axis=1)).sum())
    return {
        "n": int(len(y_true)),
        "micro": {k: round(float(v), digits) for k, v in zip(("precision", "recall", "f1"), micro)},
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
        brier = float(brier_score_loss(y, p, labels=[0, 1])) if len(y) else 0.0
        bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
        ece = 0.0
        for b in range(n_bins):
            mask = bins == b
            if mask.any():
                ece += mask.mean() * abs(p[mask].mean() - y[mask].mean())
        out[t] = {"brier": round(brier, digits), "ece": round(float(ece), digits)}
    return out


def read_labelled(
    path: str | os.PathLike, mapping: dict[str, str] | None = None
) -> tuple[list[str], list[str | None], list[list[str]], list[str]]:
    """Read labelled statements from a JSONL file (``text``, ``themes``, optional ``context``, ``id``).

    Returns texts, contexts, theme lists and ids; withdrawn records are skipped.
    ``mapping`` renames labels to theme ids (``{"drones": "uav"}``; to ``""``: dropped),
    as ``themes evaluate --map drones=uav`` does.

    Raises
    ------
    InvalidInputError
        Naming the file and line of every bad line (not JSON, not a labelled statement),
        each as ``file:line: what is wrong`` on a line of its own, so that one run shows
        all there is to fix: the first :data:`~themes.jsonlines.SHOWN_PROBLEMS`, then how many more
        (:func:`~themes.jsonlines.bad_lines_error`). A file that cannot be read at all (missing, a folder,
        binary data, CSV) raises at once.
    """
    texts, contexts, labels, ids = [], [], [], []
    problems: list[str] = []
    unknown_ids: list[str] = []
    path = Path(path)
    for line in read_jsonl(path, errors="yield", error=InvalidInputError):
        n, record = line.number, line.value
        if not line.ok:  # not JSON, not UTF-8...: reported with the others, and the reading goes on
            problems.append(f"{path}:{n}: {line.error}.")  # a sentence, as the others below
            continue
        if not isinstance(record, dict):
            problems.append(f"{path}:{n}: expected a JSON object.")
            continue
        if record.get("deleted"):
            continue
        if isinstance(record.get("bulletin"), str) and isinstance(record.get("counts"), dict) and "text" not in record:
            # Said once, as trends says it, rather than "needs a string 'text'" for every line.
            raise InvalidInputError(
                f"{path}:{n}: a bulletin summary of `themes score --summary`, not a labelled statement; "
                "this reads statements labelled by people, one {\"text\", \"themes\": [...]} a line"
            )
        if not isinstance(record.get("text"), str) or not isinstance(record.get("themes"), list):
            problems.append(f"{path}:{n}: needs a string 'text' and a list 'themes'.")
            continue
        themes = record["themes"]
        if mapping:
            themes = _mapped(themes, mapping)
        unknown = [t for t in themes if t not in THEME_IDS]
        if unknown:
            problems.append(f"{path}:{n}: unknown theme ids {unknown}.")
            unknown_ids += [t for t in unknown if isinstance(t, str) and t not in unknown_ids]
            continue
        context = record.get("context")
        if context is not None and not isinstance(context, str):
            problems.append(f"{path}:{n}: 'context' must be a string or null. Got {type(context).__name__} {context!r:.40} instead.")
            continue
        texts.append(record["text"])
        contexts.append(record.get("context"))
        labels.append(themes)
        ids.append(str(record.get("id", n)))
    if problems:
        hint = ""
        if unknown_ids:
            hint = (
                f" The theme ids are {', '.join(THEME_IDS)}; rename the labels in the file, or map them: "
                f"themes evaluate --map {unknown_ids[0]}=THEME_ID (--map {unknown_ids[0]}= drops it)."
            )
        raise bad_lines_error(path, problems, hint)
    if not texts:
        raise InvalidInputError(f"{path}: holds no labelled statements (one JSON object a line, with 'text' and 'themes').")
    return texts, contexts, labels, ids


def _mapped(themes: list, mapping: dict[str, str]) -> list:
    """``themes`` with each label renamed by ``mapping`` (to "": dropped), each id once."""
    out = []
    for t in themes:
        new = mapping.get(t, t) if isinstance(t, str) else t
        if new != "" and new not in out:
            out.append(new)
    return out



def predict_as_classify(model, texts, contexts=None, threshold=None):
    """Scores and themes of ``model`` (a loaded ThemeModel) on a batch, as :func:`themes.classify`
    gives them: ``(proba, predicted, read)``.

    Statements are read through :func:`themes.api.read_statements`: text and context cut at
    ``MAX_STATEMENT_CHARS`` characters; a statement the model does not read scores 0.0 on
    every theme, and it and a blank statement are predicted with no theme. ``read`` says
    which and why (``read.unscored``, ``read.reason_counts()``).

    Examples
    --------
    >>> from themes import classify, load_model
    >>> texts = ["Drones attacked the border post.", "هاجمت الطائرات المسيرة مركزا حدوديا", " "]
    >>> proba, predicted, read = predict_as_classify(load_model(), texts)
    >>> [set(r.themes) for r in classify(texts)] == [
    ...     {t for t, on in zip(load_model().themes, row) if on} for row in predicted
    ... ]
    True
    >>> bool(predicted[1:].any()), float(proba[1].max()), sorted(read.unscored)
    (False, 0.0, [1, 2])
    """
    texts = list(texts)
    read = read_statements(texts, list(contexts) if contexts is not None else None, model)
    proba = model.predict_proba(read.texts, read.contexts)
    proba[list(read.reasons)] = 0.0  # as Result.scores of a statement not scored
    thresholds = np.asarray(model.thresholds if threshold is None else threshold, dtype=float)
    predicted = proba >= thresholds
    predicted[list(read.unscored)] = False
    return proba, predicted, read


def evaluate(model, texts, labels, contexts=None, threshold=None) -> dict:
    """Metrics and calibration of ``model`` (a loaded ThemeModel) on labelled statements.

    Statements are read as :func:`themes.classify` reads them (:func:`predict_as_classify`):
    the first 5,000 characters of a text and of its context; one in a language the model
    does not read, and a blank one, count as predicted with no theme. ``not_scored`` says
    how many, and ``not_scored_reasons`` how many for each reason.
    """
    proba, pred, read = predict_as_classify(model, texts, contexts, threshold)
    y = binarize(labels, model.themes)
    metrics = multilabel_metrics(y, pred, model.themes)
    metrics["calibration"] = calibration_errors(y, proba, model.themes)
    metrics["not_scored"] = len(read.unscored)
    metrics["not_scored_reasons"] = read.reason_counts()
    return metrics


def looks_like_scores(path: str | os.PathLike, sample: int = 20) -> bool:
    """True when a JSONL file holds ``themes score`` output (records with ``scores`` and
    ``model``): its themes are a model's predictions, not an analyst's labels."""
    seen = 0
    for line in read_jsonl(path, errors="yield", objects=True):
        if not line.ok:
            continue
        if not ("scores" in line.value and "model" in line.value):
            return False
        seen += 1
        if seen >= sample:
            break
    return seen > 0


def evaluate_file(model, data: str | os.PathLike, mapping: dict[str, str] | None = None) -> dict:
    """Metrics of ``model`` (None, a folder or a loaded ThemeModel) on a labelled JSONL file.

    ``mapping`` renames labels of the file to theme ids (:func:`read_labelled`).

    The result has ``model``, ``data`` and ``warnings``: one when ``data`` is a scores
    file, whose themes come from a model (then the figures compare a model with itself).
    """
    from themes.api import get_model

    texts, contexts, labels, _ = read_labelled(data, mapping)
    loaded = get_model(model, caller="evaluate_file")
    result = evaluate(loaded, texts, labels, contexts)
    result["model"] = loaded.name
    result["languages"] = list(loaded.languages)
    result["data"] = str(data)
    result["warnings"] = []
    if looks_like_scores(data):
        result["warnings"].append(
            f"{data} is a `themes score` output: its themes are a model's predictions, not labels, so these "
            "figures compare the model with itself (evaluate on labelled statements: text, themes)"
        )
    trained_on = training_release_of(loaded.manifest, data)
    if trained_on:
        result["warnings"].append(
            f"{data} is release {trained_on} of the corpus {loaded.name} was trained on: these figures are on "
            "training data and flatter the model (evaluate on statements it never saw)"
        )
    return result


def training_release_of(manifest: dict, data: str | os.PathLike) -> str | None:
    """The name of the model's training release whose statements file ``data`` is, if any
    (by sha256, as the manifest records each release)."""
    from themes.artifact import sha256_file

    releases = (manifest.get("corpus") or {}).get("releases") or []
    digests = {r.get("sha256"): r.get("release") for r in releases if isinstance(r, dict)}
    try:
        size = os.path.getsize(data)
    except OSError:
        return None
    if not digests or size > 1 << 30:
        return None
    return digests.get(sha256_file(Path(data)))
