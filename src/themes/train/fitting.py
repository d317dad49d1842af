"""Fitting: the scikit-learn pipeline, multi-label stratified folds, out-of-fold
calibration, the export to the numpy-only model, and the figures of a run (real text,
test split, leave-one-style-out)."""

from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from themes.artifact import save_model, sha256_file
from themes.corpus import Statement, find_realdev, merge_releases, read_realdev, release_folders, shipped_releases, train_test_split
from themes.errors import CorpusError, check_output
from themes.evaluate import binarize, calibration_errors, evaluate, multilabel_metrics
from themes.language import LANGUAGES
from themes.model import ThemeModel
from themes.taxonomy import THEME_IDS
from themes.text import load_lexicon
from themes.train.calibration import calibrate_and_threshold
from themes.train.card import build_manifest, model_card
from themes.train.classifier import ThemeClassifiers
from themes.train.config import TrainingConfig
from themes.train.features import ThemeFeatures, embedding_dims

__all__ = [
    "TrainingRun",
    "build_pipeline",
    "cross_validate",
    "export_model",
    "fit",
    "leave_one_style_out",
    "multilabel_folds",
    "realdev_metrics",
    "train",
]


def build_pipeline(config: dict | TrainingConfig | None = None, seed: int = 0) -> Pipeline:
    """The scikit-learn pipeline for ``config`` (overrides of :class:`TrainingConfig`)."""
    cfg = TrainingConfig.from_dict(config).to_dict()
    features = ThemeFeatures(
        char_ngram_range=tuple(cfg["char_ngram_range"]),
        min_df_word=cfg["min_df_word"],
        min_df_char=cfg["min_df_char"],
        max_char_features=cfg["max_char_features"],
        word_weight=cfg["word_weight"],
        char_weight=cfg["char_weight"],
        lexicon_weight=cfg["lexicon_weight"],
        dense_weight=cfg["dense_weight"],
        context_weight=cfg["context_weight"],
        use_embedding=cfg["use_embedding"],
        use_glossary=cfg.get("use_glossary", False),
        norm_floor_quantile=cfg.get("norm_floor_quantile", 0.0),
        max_unit_repeats=cfg.get("max_unit_repeats", 0),
    )
    if cfg["classifier"] == "linear_svm":
        # Its decision values are Platt-calibrated in fit(), as for logistic regression.
        estimator = LinearSVC(C=cfg["C"], class_weight=cfg["class_weight"], max_iter=5000, random_state=seed)
    else:
        estimator = LogisticRegression(
            C=cfg["C"],
            class_weight=cfg["class_weight"],
            solver="liblinear",
            max_iter=1000,
            random_state=seed,
        )
    if cfg.get("lexicon_scope", "all") == "all":  # to_dict leaves "all" out
        classifier = OneVsRestClassifier(estimator)
    else:
        trailing = embedding_dims(cfg["use_embedding"])
        classifier = ThemeClassifiers(estimator, list(THEME_IDS), list(load_lexicon()), trailing=trailing)
    return Pipeline([("features", features), ("classifier", classifier)])


def multilabel_folds(Y: np.ndarray, n_splits: int = 5, seed: int = 0) -> np.ndarray:
    """Fold number of each row, stratified over all labels (iterative stratification).

    Rows are placed rarest label first into the fold that still lacks most of that label,
    so every theme is spread evenly over the folds (Sechidis et al., 2011).

    Examples
    --------
    >>> Y = np.array([[1, 0]] * 10 + [[0, 1]] * 10)
    >>> folds = multilabel_folds(Y, n_splits=2)
    >>> [int(Y[folds == k, 0].sum()) for k in range(2)]
    [5, 5]
    """
    Y = np.asarray(Y, dtype=bool)
    n, k = Y.shape
    rng = np.random.default_rng(seed)
    folds = np.full(n, -1)
    desired_label = np.tile(Y.sum(0) / n_splits, (n_splits, 1)).astype(float)
    desired_total = np.full(n_splits, n / n_splits)
    remaining = set(range(n))
    label_counts = Y.sum(0).astype(float)
    order = rng.permutation(n)
    while remaining:
        live = [j for j in range(k) if label_counts[j] > 0]
        if not live:
            for i in order:
                if i in remaining:
                    f = int(np.argmax(desired_total + rng.random(n_splits) * 1e-6))
                    folds[i] = f
                    desired_total[f] -= 1
                    remaining.discard(i)
            break
        label = min(live, key=lambda j: label_counts[j])
        for i in order:
            if i in remaining and Y[i, label]:
                score = desired_label[:, label] + desired_total * 1e-3 + rng.random(n_splits) * 1e-6
                f = int(np.argmax(score))
                folds[i] = f
                desired_label[f] -= Y[i]
                desired_total[f] -= 1
                label_counts -= Y[i]
                remaining.discard(i)
    return folds


def _xy(statements: list[Statement]):
    X = [(s.text, s.context) for s in statements]
    Y = binarize([s.themes for s in statements])
    return X, Y


def _fit_pipeline(X, Y, config, seed) -> Pipeline:
    pipeline = build_pipeline(config, seed)
    with threadpool_limits(1), warnings.catch_warnings():
        # A cross-validation fold of a small corpus may lack a theme; scikit-learn then fits a
        # constant for it and warns. fit() checks that the whole train split has every theme.
        warnings.filterwarnings("ignore", message="Label .* is present in all training examples", category=UserWarning)
        pipeline.fit(X, Y)
    return pipeline


def cross_validate(statements: list[Statement], config: dict | None = None, seed: int = 0) -> dict:
    """Out-of-fold decision values over multi-label stratified folds.

    Returns ``{"decision": (n, T) array, "folds": (n,) array, "Y": (n, T) array}``.
    """
    cfg = TrainingConfig.from_dict(config).to_dict()
    X, Y = _xy(statements)
    folds = multilabel_folds(Y, cfg["n_folds"], seed)
    decision = np.zeros(Y.shape)
    for f in range(cfg["n_folds"]):
        train_idx = np.flatnonzero(folds != f)
        test_idx = np.flatnonzero(folds == f)
        pipe = _fit_pipeline([X[i] for i in train_idx], Y[train_idx], cfg, seed)
        decision[test_idx] = pipe.decision_function([X[i] for i in test_idx])
    return {"decision": decision, "folds": folds, "Y": Y}


def export_model(pipeline: Pipeline, calibration: np.ndarray, thresholds: np.ndarray) -> ThemeModel:
    """The numpy-only model equivalent to a fitted pipeline."""
    features: ThemeFeatures = pipeline.named_steps["features"]
    classifier: OneVsRestClassifier | ThemeClassifiers = pipeline.named_steps["classifier"]
    coef = np.vstack([est.coef_.ravel() for est in classifier.estimators_]).T
    intercept = np.array([est.intercept_[0] for est in classifier.estimators_])
    return ThemeModel(features.space_, coef, intercept, calibration, thresholds, THEME_IDS)


class TrainingRun:
    """Everything one training run produced: the model, the pipeline and the figures."""

    def __init__(self, model, pipeline, metrics, config, seed, statements, report, releases):
        self.model = model
        self.pipeline = pipeline
        self.metrics = metrics
        self.config = config
        self.seed = seed
        self.statements = statements
        self.report = report
        self.releases = releases


def leave_one_style_out(statements: list[Statement], model: ThemeModel, config: dict, seed: int = 0) -> dict:
    """Train without each style in turn and score that style: transfer to unseen bodies.

    Each fold uses the calibration and thresholds of ``model`` (tuned on all styles'
    out-of-fold predictions), so the figure isolates how the features transfer.
    """
    styles = sorted({s.style for s in statements})
    y_true, y_pred, per_style = [], [], {}
    for style in styles:
        train = [s for s in statements if s.style != style]
        held = [s for s in statements if s.style == style]
        if not held or not train:
            continue
        X, Y = _xy(train)
        pipe = _fit_pipeline(X, Y, config, seed)
        Xh, Yh = _xy(held)
        proba = model.calibrate(pipe.decision_function(Xh))
        pred = proba >= model.thresholds
        per_style[style] = multilabel_metrics(Yh, pred)["micro"]["f1"]
        y_true.append(Yh)
        y_pred.append(pred)
    metrics = multilabel_metrics(np.vstack(y_true), np.vstack(y_pred))
    metrics["per_style_micro_f1"] = per_style
    return metrics


def realdev_metrics(model: ThemeModel, realdev=None) -> dict:
    """Metrics of ``model`` on the real development statements, per language.

    Parameters
    ----------
    model : ThemeModel
    realdev : path, False or None
        The realdev folder (None: :func:`themes.corpus.find_realdev`; False: skip).

    Returns
    -------
    dict
        ``{"realdev": {...}}`` for English and ``{"realdev_ru": {...}}`` for Russian,
        each :func:`themes.evaluate.evaluate` (metrics, calibration, ``not_scored``) plus
        the file's ``data``; empty where no realdev folder is found. Real statements are read, never trained on.
    """
    if realdev is False:
        return {}
    folder = Path(realdev) if realdev is not None else find_realdev()
    if folder is None:
        return {}
    out = {}
    for lang, key in (("en", "realdev"), ("ru", "realdev_ru")):
        records = read_realdev(folder, lang=lang)
        if not records:
            continue
        # Scored as `themes evaluate` scores: a language the model does not read counts as no theme.
        texts, contexts = [r["text"] for r in records], [r.get("context") for r in records]
        metrics = evaluate(model, texts, [r.get("themes", []) for r in records], contexts)
        name = "statements.jsonl" if lang == "en" else "statements_ru.jsonl"
        metrics["data"] = {"file": name, "sha256": sha256_file(folder / name)}
        out[key] = metrics
    return out


def fit(
    statements: list[Statement],
    config: dict | None = None,
    seed: int = 0,
    loso: bool = True,
    realdev=None,
    progress=None,
) -> TrainingRun:
    """Fit on the train split of ``statements``; measure on real text, the test split and by style.

    Steps: out-of-fold decision values on the train split (of ``calibration_repeats``
    fold seeds, stacked) -> Platt calibration and threshold per theme -> final pipeline on
    the whole train split -> export -> metrics on the real development statements (``realdev``, where found; never trained on),
    the test split and leave-one-style-out. ``progress``, if given, is called with one line
    per step as it starts ("cross-validation 1 of 3 (9,360 statements, 5 folds)"): a run on
    the shipped corpus takes minutes.
    """
    say = progress or (lambda message: None)
    cfg = TrainingConfig.from_dict(config).to_dict()
    train_set, test_set = train_test_split(statements)
    if not train_set:
        raise CorpusError(f"No statements to train on: the releases hold {len(statements)}, none in the training split.")
    counts = binarize([s.themes for s in train_set]).sum(axis=0)
    absent = [t for t, n in zip(THEME_IDS, counts) if n == 0]
    if absent:
        raise CorpusError(
            f"themes {absent} have no statements in the training split ({len(train_set)} statements); "
            "every theme needs labelled examples: add some, or train with the shipped corpus too."
        )
    started = time.perf_counter()
    # The out-of-fold values of calibration_repeats fold seeds, stacked, so that the
    # calibration and thresholds do not hang on one draw of the folds.
    repeats = cfg.get("calibration_repeats", 1)
    oofs = []
    for r in range(repeats):
        say(f"cross-validation {r + 1} of {repeats} ({len(train_set):,} statements, {cfg['n_folds']} folds)")
        oofs.append(cross_validate(train_set, cfg, seed + r))
    oof = oofs[0]
    calibration, thresholds, stacked_proba = calibrate_and_threshold(
        np.vstack([o["decision"] for o in oofs]), np.vstack([o["Y"] for o in oofs])
    )
    oof_proba = stacked_proba[: len(oof["decision"])]  # the first seed's rows, for the figures
    X, Y = _xy(train_set)
    say(f"fitting the model on the train split ({len(train_set):,} statements)")
    pipeline = _fit_pipeline(X, Y, cfg, seed)
    model = export_model(pipeline, calibration, thresholds)
    # The model reads the languages it was trained on; other statements are not scored.
    model.manifest["languages"] = [code for code in LANGUAGES if any(s.lang == code for s in train_set)]
    metrics: dict = {}
    oof_pred = oof_proba >= thresholds
    metrics["cross_validation"] = multilabel_metrics(oof["Y"], oof_pred)
    metrics["cross_validation"]["calibration"] = calibration_errors(oof["Y"], oof_proba)
    say(f"measuring: the test split ({len(test_set):,} statements) and the real development statements, where found")
    if test_set:
        Xt, Yt = _xy(test_set)
        proba = model.predict_proba([x[0] for x in Xt], [x[1] for x in Xt])
        metrics["test"] = multilabel_metrics(Yt, proba >= thresholds)
        metrics["test"]["calibration"] = calibration_errors(Yt, proba)
    metrics.update(realdev_metrics(model, realdev))
    if loso:
        styles = len({s.style for s in train_set})
        say(f"leave-one-style-out: {styles} fits, one per style (the slowest step: --no-loso or loso=False skips it)")
        metrics["leave_one_style_out"] = leave_one_style_out(train_set, model, cfg, seed)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    return TrainingRun(model, pipeline, metrics, cfg, seed, statements, None, [])


def train(
    releases=(),
    out: str | os.PathLike | None = None,
    seed: int = 0,
    config: dict | None = None,
    include_shipped: bool = True,
    force: bool = False,
    loso: bool = True,
    name: str | None = None,
    realdev=None,
    progress=None,
) -> TrainingRun:
    """Merge the shipped corpus and ``releases``, train, measure, and save to ``out``.

    Parameters
    ----------
    releases : sequence of paths
        Extra release folders, applied after the shipped ones in order.
    out : path, optional
        Model folder to write (atomically); nothing is written when None.
    seed : int
        Seed of the folds and solver; the same corpus and seed give the same model.
    config : dict or TrainingConfig, optional
        Overrides of the shipped :class:`TrainingConfig`; unknown keys raise.
    force : bool
        Replace an existing ``out``.
    realdev : path, False or None
        Real development statements to measure on (None: found where present; False: skip).
    progress : callable, optional
        Called with one line per step as it starts (each cross-validation, the fit, the
        measures, leave-one-style-out, saving), once the releases have been read and checked,
        so that a bad release is one error line; ``themes train`` prints them to stderr.
    """
    say = progress or (lambda message: None)
    config = TrainingConfig.from_dict(config)  # a bad key fails now, not after merging
    if out is not None:  # say so before training, not after
        check_output(out, force=force, folder=True)
    # A folder of releases stands for its releases (in build order), here as in the manifest.
    folders = release_folders((shipped_releases() if include_shipped else []) + [Path(r) for r in releases])
    statements, report = merge_releases(folders)
    run = fit(statements, config, seed, loso=loso, realdev=realdev, progress=progress)
    run.report = report
    run.releases = [
        {"release": json.loads((f / "manifest.json").read_text())["release"], "sha256": sha256_file(f / "statements.jsonl")}
        for f in folders
    ]
    if out is not None:
        say(f"saving {out}")
        manifest = build_manifest(run, name)
        save_model(run.model, out, manifest, model_card=model_card(manifest), force=force)
    return run
