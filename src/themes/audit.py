"""Find likely label errors: statements whose out-of-fold predictions contradict their labels.

:func:`audit` merges the corpus (the shipped releases and any others), gets out-of-fold
decision values from :func:`themes.train.cross_validate` (each statement is scored by a
model that never saw it), turns them into probabilities and decides themes per theme, and
lists every statement where the model and the label disagree:

- ``missing``: themes labelled but predicted absent (confidence ``1 - p``);
- ``extra``: themes predicted but not labelled (confidence ``p``).

Rows are ranked by the confidence of their strongest contradiction, so the top of the
list is where a reviewer is most likely to find a wrong label (or a hard case worth a
rule in the taxonomy).

Calibration: by default a Platt fit and an F1-best threshold per theme on the out-of-fold
values themselves (what ``themes train`` does); with ``model`` the calibration and
thresholds of that model folder (meaningful when the configuration is the one it was
trained with).

Examples
--------
>>> rows = [{"id": "a", "confidence": 0.6}, {"id": "b", "confidence": 0.9}]
>>> [r["id"] for r in sorted(rows, key=_rank)]
['b', 'a']
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from themes.errors import CorpusError, check_output

__all__ = ["audit", "write_audit"]


def _rank(row: dict):
    return (-row["confidence"], row["id"])


def audit(releases=(), config: dict | None = None, seed: int = 0, *, include_shipped: bool = True, model=None) -> list[dict]:
    """Statements whose out-of-fold predictions contradict their labels, most confident first.

    Parameters
    ----------
    releases : sequence of paths
        Releases merged after the shipped ones (or alone, without ``include_shipped``).
    config : dict, optional
        Overrides of :class:`themes.train.TrainingConfig` for the cross-validation.
    seed : int
        Seed of the folds and solver.
    include_shipped : bool
        Start from the shipped corpus.
    model : str, path-like or ThemeModel, optional
        Take calibration and thresholds from this model instead of fitting them.

    Returns
    -------
    list of dict
        One row per contradicting statement: ``id``, ``release``, ``style``, ``text``,
        ``context``, ``labels``, ``predicted``, ``missing`` and ``extra`` (theme ->
        probability), ``confidence``.
    """
    from themes.corpus import load_corpus
    from themes.taxonomy import THEME_IDS
    from themes.train import TrainingConfig, calibrate_and_threshold, cross_validate

    if model is not None:  # before the cross-validation, so that a bad model fails at once
        from themes.api import get_model

        model = get_model(model, caller="audit")
        if tuple(model.themes) != tuple(THEME_IDS):
            raise CorpusError(f"{model.name}: its themes are not those of the taxonomy; audit with a Platt fit instead.")
    statements = load_corpus(releases, include_shipped=include_shipped)
    n_folds = TrainingConfig.from_dict(config).n_folds
    if len(statements) < 2 * n_folds:
        raise CorpusError(f"The corpus has {len(statements)} statement(s); an audit with {n_folds} folds needs at least {2 * n_folds}.")
    oof = cross_validate(statements, config, seed)
    decision, Y = oof["decision"], oof["Y"].astype(bool)
    if model is not None:
        proba = model.calibrate(decision)
        thresholds = np.asarray(model.thresholds, dtype=float)
    else:
        _, thresholds, proba = calibrate_and_threshold(decision, Y)
    predicted = proba >= thresholds
    rows = []
    for i in np.flatnonzero((predicted != Y).any(axis=1)):
        s = statements[i]
        missing = {t: round(float(proba[i, j]), 3) for j, t in enumerate(THEME_IDS) if Y[i, j] and not predicted[i, j]}
        extra = {t: round(float(proba[i, j]), 3) for j, t in enumerate(THEME_IDS) if predicted[i, j] and not Y[i, j]}
        # Ranked on unrounded probabilities, so rows do not tie at a rounded 1.0.
        strengths = [1 - proba[i, j] for j in np.flatnonzero(Y[i] & ~predicted[i])]
        strengths += [proba[i, j] for j in np.flatnonzero(predicted[i] & ~Y[i])]
        confidence = max(strengths)
        rows.append(
            {
                "id": s.id,
                "release": s.release,
                "style": s.style,
                "text": s.text,
                "context": s.context,
                "labels": list(s.themes),
                "predicted": [t for j, t in enumerate(THEME_IDS) if predicted[i, j]],
                "missing": missing,
                "extra": extra,
                "confidence": float(confidence),
            }
        )
    rows.sort(key=_rank)
    for row in rows:
        row["confidence"] = round(row["confidence"], 3)
    return rows


def write_audit(rows: list[dict], out: str | os.PathLike, force: bool = False) -> Path:
    """Write the rows as JSONL, one statement a line, for review; never over a file without ``force``."""
    path = check_output(out, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for rank, row in enumerate(rows, 1):
            handle.write(json.dumps({"rank": rank, **row}, ensure_ascii=False) + "\n")
    return path
