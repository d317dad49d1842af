"""Compare two models before one replaces the other: per-theme figures and flipped statements.

:func:`compare_models` scores the same held-out statements with both models and returns
precision, recall and F1 per theme for each, with the deltas (new - old), and the
statements of a reference set whose themes differ between the two. :func:`regressions`
lists the themes whose F1 dropped by more than a tolerance, for a CI gate
(``themes compare OLD NEW --fail-on-regression 0.02``).

The default held-out data is the fixed test split of the shipped corpus
(:func:`themes.corpus.is_test_id`), which ``themes train`` never trains on; pass
``releases`` to add the test split of new releases, ``include_shipped=False`` to hold out
the test split of ``releases`` alone (for a model trained without the shipped corpus), or
``data`` for a labelled JSONL file.
Each model reads the statements as :func:`themes.classify` reads them
(:func:`themes.api.read_statements`): the first 5,000 characters of a text and of its
context; a statement in a script or a language the model does not read, or a blank one,
is predicted with no theme, and the result says how many and why (``not_scored``).

Examples
--------
>>> result = {"per_theme": {"uav": {"old": {"f1": 0.9}, "new": {"f1": 0.8}},
...                         "financing": {"old": {"f1": 0.7}, "new": {"f1": 0.72}}}}
>>> regressions(result, 0.05)
[('uav', 0.9, 0.8)]
>>> regressions(result, 0.2)
[]
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from themes.api import get_model
from themes.errors import DocumentError, InvalidInputError, ModelError
from themes.evaluate import binarize, multilabel_metrics, predict_as_classify

__all__ = ["compare_models", "read_reference", "regressions"]


def _held_out(data, releases, include_shipped: bool = True) -> tuple[list[str], list, list[list[str]], list[str], str]:
    if data is not None:
        from themes.evaluate import read_labelled

        texts, contexts, labels, ids = read_labelled(data)
        return texts, contexts, labels, ids, str(data)
    from themes.corpus import is_test_id, load_corpus

    statements = [s for s in load_corpus(releases, include_shipped=include_shipped) if is_test_id(s.id)]
    if include_shipped:
        where = "test split of the shipped corpus" + (f" + {', '.join(map(str, releases))}" if releases else "")
    else:
        where = f"test split of {', '.join(map(str, releases)) or 'no release'} (without the shipped corpus)"
    if releases:
        # How far the releases moved the held-out data (a statement says which release wrote it last).
        from themes.corpus import read_release, release_folders

        names = {read_release(folder).name for folder in release_folders(list(releases))}
        moved = sum(s.release in names for s in statements)
        where += f", {moved} of them as {'that release' if len(names) == 1 else 'those releases'} wrote them"
    return (
        [s.text for s in statements],
        [s.context for s in statements],
        [list(s.themes) for s in statements],
        [s.id for s in statements],
        where,
    )


def _trained_on_warnings(data, texts: list[str], releases, include_shipped: bool = True) -> list[str]:
    """A warning when held-out ``data`` holds statements of the corpus's train split (the
    shipped releases, unless not ``include_shipped``, and ``releases``): figures on them
    flatter the models trained on it."""
    if data is None:
        return []  # the test split itself: never trained on
    from themes.corpus import is_test_id, load_corpus, text_key

    trained = {text_key(s.text) for s in load_corpus(releases, include_shipped=include_shipped) if not is_test_id(s.id)}
    seen = sum(text_key(t) in trained for t in texts)
    if not seen:
        return []
    corpus = (["shipped releases"] if include_shipped else []) + [str(r) for r in releases]
    return [
        f"{seen} of the {len(texts)} statements of {data} are in the train split of the corpus "
        f"({' + '.join(corpus)}): figures on them "
        "flatter a model trained on it; compare on statements neither model saw"
    ]


def _missing_release_warnings(models, data, releases, include_shipped: bool = True) -> list[str]:
    """A warning for each model trained on a release the default held-out data leaves out
    (not shipped or not ``include_shipped``, not in ``releases``) or holds in another version:
    its test statements and its relabellings of test statements are then not what the models
    are measured on."""
    if data is not None:
        return []
    import hashlib

    from themes.corpus import read_release, release_folders, shipped_releases

    held = {}  # release name -> sha256 of its statements, as the held-out data reads them
    shipped = shipped_releases()
    for folder in (shipped if include_shipped else []) + release_folders(list(releases)):
        statements = folder / "statements.jsonl"
        digest = hashlib.sha256(statements.read_bytes()).hexdigest() if statements.is_file() else None
        held[read_release(folder).name] = digest
    left_out = set() if include_shipped else {read_release(folder).name for folder in shipped}
    notes = []
    for model in models:
        trained = model.manifest.get("corpus", {}).get("releases", [])
        missing = [r.get("release") for r in trained if r.get("release") not in set(held) | left_out]
        unshipped = [r.get("release") for r in trained if r.get("release") in left_out - set(held)]
        if unshipped:
            notes.append(
                f"{model.name} was trained with the shipped release(s) {', '.join(map(str, unshipped))}, whose "
                "test split the held-out data leaves out (without the shipped corpus): compare with it to "
                "measure on them too"
            )
        changed = [
            r.get("release") for r in trained
            if r.get("release") in held and r.get("sha256") not in (None, held[r.get("release")])
        ]
        if missing:
            notes.append(
                f"{model.name} was trained with release(s) {', '.join(map(str, missing))}, whose test split "
                "(new statements and corrected labels) is not in the held-out data: pass --release DIR for each"
            )
        if changed:
            notes.append(
                f"{model.name} was trained with another version of release(s) {', '.join(map(str, changed))} "
                "than the held-out data reads (the file changed since)"
            )
    return notes


def read_reference(path: str | os.PathLike, not_read: list | None = None) -> tuple[list[dict], int]:
    """Statements of a scored archive: a ``themes score`` JSONL file, or a folder of them.

    Returns the records that have a text (``id``, ``text``, ``context``) and the number of
    records without one (failed bulletins, bulletin summaries, blank texts), which cannot
    be compared. With ``not_read`` (a list), each of those is appended to it as
    ``file:line: why``, for the caller to report.

    Raises
    ------
    DocumentError
        The file or folder cannot be read, or holds no ``*.jsonl`` file; or, naming the
        ``file:line`` of every bad line (not JSON, not a JSON object) at once, one a line
        (:func:`themes.jsonlines.bad_lines_error`, as ``themes evaluate`` lists the bad
        lines of a labelled file).

    Examples
    --------
    >>> import json, pathlib, shutil, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.jsonl"
    >>> _ = path.write_text(json.dumps({"bulletin": "a.txt", "index": 0, "text": "Drones."}) + "\\n"
    ...                     + json.dumps({"bulletin": "b.pdf", "error": "cannot be read"}) + "\\n", encoding="utf-8")
    >>> notes = []
    >>> read_reference(path, notes)
    ([{'id': 'a.txt#0', 'text': 'Drones.', 'context': None}], 1)
    >>> notes[0].endswith("s.jsonl:2: bulletin b.pdf was not scored (cannot be read): no statement to compare")
    True
    >>> shutil.rmtree(path.parent)
    """
    from themes.jsonlines import bad_lines_error, read_jsonl

    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
        if not files:
            raise DocumentError(
                f"{path}: no scored statements (*.jsonl) in this folder; score the bulletins first "
                f"with `themes score {path} --out scores.jsonl`."
            )
    elif path.is_file():
        files = [path]
    else:
        raise DocumentError(f"{path}: no such file or folder.")
    records, passed, problems = [], 0, []
    for file in files:
        # Every bad line is reported, each with its file:line, in one error below.
        for line in read_jsonl(file, errors="yield", objects=True, error=DocumentError):
            n, record = line.number, line.value
            if not line.ok:
                problems.append(f"{file}:{n}: {line.error}.")
                continue
            why = _no_statement(record)
            if why is not None:
                passed += 1
                if not_read is not None:
                    not_read.append(f"{file}:{n}: {why}")
                continue
            if record.get("id") is not None:
                rid = str(record["id"])
            elif record.get("bulletin") is not None:
                rid = f"{record['bulletin']}#{record.get('index', n)}"
            else:
                rid = f"{file.name}:{n}"
            context = record.get("context")
            records.append({"id": rid, "text": record["text"], "context": context if isinstance(context, str) else None})
    if problems:
        raise bad_lines_error(path, problems, error=DocumentError)
    return records, passed


def _no_statement(record: dict) -> str | None:
    """Why a record of a scores file is no statement to compare, or None when it is one."""
    from themes.archive.files import printable

    text = record.get("text")
    if isinstance(text, str):
        return None if text.strip() else "its text is blank: nothing to compare"
    bulletin = printable(str(record.get("bulletin")))
    if record.get("error") is not None:
        return f"bulletin {bulletin} was not scored ({printable(str(record['error']))}): no statement to compare"
    if isinstance(record.get("counts"), dict):
        return f"a bulletin summary of {bulletin} (`themes score --summary`), not a statement"
    return "no 'text' (a string): not a statement of `themes score --out`"


def _per_theme(old: dict, new: dict, themes) -> dict:
    out = {}
    for t in themes:
        o, n = old["per_theme"][t], new["per_theme"][t]
        out[t] = {
            "support": o["support"],
            "old": {k: o[k] for k in ("precision", "recall", "f1")},
            "new": {k: n[k] for k in ("precision", "recall", "f1")},
            "delta": {k: round(n[k] - o[k], 3) for k in ("precision", "recall", "f1")},
        }
    return out


def _flips(records: list[dict], themes, old: tuple, new: tuple) -> tuple[list[dict], dict]:
    """The statements of ``records`` whose themes differ between the models, from each model's
    :func:`~themes.evaluate.predict_as_classify` of them (``old``, ``new``), and how many each
    model did not score, by reason (``{"old": ..., "new": ...}``)."""
    (p_old, on_old, read_old), (p_new, on_new, read_new) = old, new
    flips = []
    for i in np.flatnonzero((on_old != on_new).any(axis=1)):
        changed = np.flatnonzero(on_old[i] != on_new[i])
        flips.append(
            {
                "id": records[i]["id"],
                "text": records[i]["text"],
                "context": records[i]["context"],
                "old": [t for j, t in enumerate(themes) if on_old[i, j]],
                "new": [t for j, t in enumerate(themes) if on_new[i, j]],
                "gained": [themes[j] for j in changed if on_new[i, j]],
                "lost": [themes[j] for j in changed if on_old[i, j]],
                "scores": {themes[j]: [round(float(p_old[i, j]), 3), round(float(p_new[i, j]), 3)] for j in changed},
                "shift": round(float(np.abs(p_new[i, changed] - p_old[i, changed]).max()), 3),
            }
        )
    flips.sort(key=lambda f: (-f["shift"], f["id"]))
    return flips, {"old": read_old.reason_counts(), "new": read_new.reason_counts()}


def compare_models(old, new, data=None, archive=None, releases=(), include_shipped: bool = True) -> dict:
    """Per-theme precision / recall / F1 of two models on the same held-out statements.

    Parameters
    ----------
    old, new : str, path-like or ThemeModel
        The models (folders or loaded), each with its own thresholds.
    data : path, optional
        Labelled JSONL (``text``, ``themes``, optional ``context``, ``id``); default the
        test split of the shipped corpus and ``releases``.
    archive : path, optional
        Reference set for flips: a ``themes score`` JSONL file or a folder of them; default
        the held-out data.
    releases : sequence of paths
        Extra releases whose test split joins the default held-out data.
    include_shipped : bool
        Whether the shipped corpus is merged under ``releases`` (default True), as
        :func:`themes.train.train` takes it. False holds out the test split of ``releases``
        alone, merged in order, and checks ``data`` against their train split alone: the
        statements a model trained with ``include_shipped=False`` (``themes train
        --no-shipped``) was trained and not trained on.

    Returns
    -------
    dict
        ``old`` and ``new`` (names), ``data``, ``n``, ``not_scored`` (``old`` and ``new``: reason ->
        how many held-out statements the model gave no theme for that reason, as
        ``classify`` does), ``per_theme`` (theme -> support, old, new, delta), ``micro`` and
        ``macro`` (old, new, delta), ``reference``, ``n_reference``,
        ``n_reference_passed_over`` (records of ``archive`` with no statement to compare)
        and ``reference_not_read`` (each of them as ``file:line: why``),
        ``reference_not_scored`` (as ``not_scored``, on the reference set), ``flips``
        (statements whose themes differ, largest score shift first) and ``flip_counts``
        (theme -> gained, lost).

    Examples
    --------
    >>> from themes.api import default_model_path
    >>> same = compare_models(default_model_path(), default_model_path())
    >>> same["flips"], max(abs(v["delta"]["f1"]) for v in same["per_theme"].values())
    ([], 0.0)
    """
    old_model = get_model(old, caller="compare_models", parameter="old")
    new_model = get_model(new, caller="compare_models", parameter="new")
    if tuple(old_model.themes) != tuple(new_model.themes):
        raise ModelError(
            f"The models have different themes ({old_model.name}: {len(old_model.themes)}, "
            f"{new_model.name}: {len(new_model.themes)}); compare models of the same taxonomy."
        )
    if not include_shipped and data is None and not releases:
        raise InvalidInputError(
            "Nothing to hold out: compare_models was given include_shipped=False and no releases; "
            "give the releases the new model was trained on (releases=[...]), or data=FILE."
        )
    themes = old_model.themes
    texts, contexts, labels, ids, source = _held_out(data, releases, include_shipped)
    if not texts:
        raise InvalidInputError(f"No held-out statements in {source}.")
    Y = binarize(labels, themes)
    held_old = predict_as_classify(old_model, texts, contexts)
    held_new = predict_as_classify(new_model, texts, contexts)
    m_old = multilabel_metrics(Y, held_old[1], themes)
    m_new = multilabel_metrics(Y, held_new[1], themes)
    averages = {
        avg: {
            "old": m_old[avg],
            "new": m_new[avg],
            "delta": {k: round(m_new[avg][k] - m_old[avg][k], 3) for k in ("precision", "recall", "f1")},
        }
        for avg in ("micro", "macro")
    }
    if archive is not None:
        not_read: list[str] = []
        reference, passed = read_reference(archive, not_read)
        reference_name = str(archive)
        ref_texts, ref_contexts = [r["text"] for r in reference], [r["context"] for r in reference]
        ref_old = predict_as_classify(old_model, ref_texts, ref_contexts) if reference else None
        ref_new = predict_as_classify(new_model, ref_texts, ref_contexts) if reference else None
    else:  # the held-out statements themselves: their predictions are at hand
        reference = [{"id": i, "text": t, "context": c} for i, t, c in zip(ids, texts, contexts)]
        passed, not_read, reference_name = 0, [], source
        ref_old, ref_new = held_old, held_new
    flips, reference_not_scored = _flips(reference, themes, ref_old, ref_new) if reference else ([], {"old": {}, "new": {}})
    counts = {t: {"gained": 0, "lost": 0} for t in themes}
    for f in flips:
        for t in f["gained"]:
            counts[t]["gained"] += 1
        for t in f["lost"]:
            counts[t]["lost"] += 1
    return {
        "old": old_model.name,
        "new": new_model.name,
        "warnings": _trained_on_warnings(data, texts, releases, include_shipped)
        + _missing_release_warnings((old_model, new_model), data, releases, include_shipped),
        "data": source,
        "n": len(texts),
        "not_scored": {"old": held_old[2].reason_counts(), "new": held_new[2].reason_counts()},
        "per_theme": _per_theme(m_old, m_new, themes),
        **averages,
        "reference": reference_name,
        "n_reference": len(reference),
        "n_reference_passed_over": passed,
        "reference_not_read": not_read,
        "reference_not_scored": reference_not_scored,
        "flips": flips,
        "flip_counts": counts,
    }


def regressions(result: dict, tolerance: float) -> list[tuple[str, float, float]]:
    """Themes whose F1 fell by more than ``tolerance``: ``(theme, old F1, new F1)``."""
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 <= tolerance <= 1:
        raise InvalidInputError(
            f"The 'tolerance' parameter of regressions must be a float in [0, 1]. Got {tolerance!r} instead."
        )
    out = []
    for theme, v in result["per_theme"].items():
        old_f1, new_f1 = v["old"]["f1"], v["new"]["f1"]
        # The figures are rounded to 3 digits; a drop exactly at the tolerance is not a regression.
        if old_f1 - new_f1 > tolerance + 1e-9:
            out.append((theme, old_f1, new_f1))
    return out
