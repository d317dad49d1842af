"""Training: a scikit-learn pipeline, cross-validated thresholds and calibration, export.

The pipeline is ``ThemeFeatures`` (the shared feature space of :mod:`themes.text`) into
one-vs-rest linear SVMs (or logistic regression: ``config["classifier"]``). Out-of-fold decision values from multi-label stratified
folds give a Platt calibration and a decision threshold per theme. The fitted pipeline is
exported to a numpy-only :class:`themes.model.ThemeModel` and saved as a model folder,
with the pipeline itself beside it (``pipeline.joblib``) for retraining and inspection.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import platform
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from themes._version import __version__
from themes.artifact import FORMAT, FORMAT_VERSION, save_model, sha256_file
from themes.corpus import Statement, corpus_stats, find_realdev, merge_releases, read_realdev, shipped_releases, train_test_split
from themes.errors import CorpusError, IncompatibleModelError, ModelError, OutputExistsError, UnsafeModelError
from themes.evaluate import binarize, calibration_errors, multilabel_metrics
from themes.model import ThemeModel
from themes.taxonomy import TAXONOMY_VERSION, THEME_IDS
from themes.text import FeatureSpace, char_ngrams, load_lexicon, normalize_tokens, smooth_idf, STOP_WORDS

__all__ = [
    "DEFAULT_CONFIG",
    "ThemeFeatures",
    "best_threshold",
    "platt_calibration",
    "TrainingRun",
    "build_pipeline",
    "cross_validate",
    "fit",
    "load_pipeline",
    "multilabel_folds",
    "train",
]

#: The shipped configuration, chosen by leave-one-style-out cross-validation
#: (see training/README.md and bench/select_model.py).
DEFAULT_CONFIG: dict = {
    "char_ngram_range": [3, 5],
    "min_df_word": 2,
    "min_df_char": 3,
    "max_char_features": 40000,
    "word_weight": 1.0,
    "char_weight": 1.0,
    "lexicon_weight": 0.6,
    "dense_weight": 0.6,
    "context_weight": 0.35,
    "use_embedding": True,
    "C": 0.5,
    "class_weight": "balanced",
    "n_folds": 5,
    "classifier": "linear_svm",
}

_EMBEDDING_DIR = Path(__file__).with_name("data") / "embedding"


def _embedding():
    if not (_EMBEDDING_DIR / "vectors.npy").exists():
        return None
    from themes.embedding import StaticEmbedding

    return StaticEmbedding.load(_EMBEDDING_DIR)


class ThemeFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer over :class:`themes.text.FeatureSpace`.

    ``X`` is a list of ``(text, context)`` pairs (context may be None) or of plain texts.
    Learned state: ``words_``, ``word_idf_``, ``chars_``, ``char_idf_``, ``lexicon_``.
    """

    def __init__(
        self,
        char_ngram_range=(3, 5),
        min_df_word=2,
        min_df_char=3,
        max_char_features=40000,
        word_weight=1.0,
        char_weight=1.0,
        lexicon_weight=0.6,
        dense_weight=0.6,
        context_weight=0.35,
        use_embedding=True,
    ):
        self.char_ngram_range = char_ngram_range
        self.min_df_word = min_df_word
        self.min_df_char = min_df_char
        self.max_char_features = max_char_features
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.lexicon_weight = lexicon_weight
        self.dense_weight = dense_weight
        self.context_weight = context_weight
        self.use_embedding = use_embedding

    def _config(self) -> dict:
        return {
            "char_ngram_range": list(self.char_ngram_range),
            "word_weight": float(self.word_weight),
            "char_weight": float(self.char_weight),
            "lexicon_weight": float(self.lexicon_weight),
            "dense_weight": float(self.dense_weight) if self.use_embedding else 0.0,
            "context_weight": float(self.context_weight),
        }

    @staticmethod
    def _split(X):
        texts, contexts = [], []
        for item in X:
            if isinstance(item, str):
                texts.append(item)
                contexts.append(None)
            else:
                texts.append(item[0])
                contexts.append(item[1])
        return texts, contexts

    def fit(self, X, y=None):
        texts, _ = self._split(X)
        low, high = self.char_ngram_range
        word_df: dict[str, int] = {}
        char_df: dict[str, int] = {}
        word_chars: dict[str, set] = {}
        for text in texts:
            tokens = [t for t in normalize_tokens(text) if t not in STOP_WORDS]
            grams = set(tokens) | {a + " " + b for a, b in zip(tokens, tokens[1:])}
            for g in grams:
                word_df[g] = word_df.get(g, 0) + 1
            chars = set()
            for tok in set(tokens):
                if tok not in word_chars:
                    word_chars[tok] = set(char_ngrams(tok, low, high))
                chars |= word_chars[tok]
            for c in chars:
                char_df[c] = char_df.get(c, 0) + 1
        n = len(texts)
        words = sorted(w for w, df in word_df.items() if df >= self.min_df_word)
        chars = [c for c, df in char_df.items() if df >= self.min_df_char]
        # Keep the most frequent character n-grams; ties broken alphabetically for determinism.
        chars = sorted(sorted(chars, key=lambda c: (-char_df[c], c))[: self.max_char_features])
        self.words_ = words
        self.word_idf_ = smooth_idf(np.array([word_df[w] for w in words]), n)
        self.chars_ = chars
        self.char_idf_ = smooth_idf(np.array([char_df[c] for c in chars]), n)
        self.lexicon_ = load_lexicon()
        self.n_features_out_ = None
        self._space = None
        return self

    @property
    def space_(self) -> FeatureSpace:
        """The numpy-only feature space this transformer learned (built on first use)."""
        if getattr(self, "_space", None) is None:
            self._space = FeatureSpace(
                words=self.words_,
                word_idf=self.word_idf_,
                chars=self.chars_,
                char_idf=self.char_idf_,
                lexicon=self.lexicon_,
                config=self._config(),
                embedding=_embedding() if self.use_embedding else None,
            )
        return self._space

    def transform(self, X):
        texts, contexts = self._split(X)
        space = self.space_
        rows = space.transform(texts, contexts)
        sparse = sp.csr_matrix((rows.data, rows.indices, rows.indptr), shape=(rows.n_rows, space.n_sparse))
        sparse.sum_duplicates()
        if rows.dense.shape[1]:
            return sp.hstack([sparse, sp.csr_matrix(rows.dense)], format="csr")
        return sparse

    def __getstate__(self):
        # The space (caches, embedding table) is rebuilt from the learned arrays on load.
        state = dict(self.__dict__)
        state["_space"] = None
        return state


def build_pipeline(config: dict | None = None, seed: int = 0) -> Pipeline:
    """The scikit-learn pipeline for ``config`` (defaults: :data:`DEFAULT_CONFIG`)."""
    cfg = {**DEFAULT_CONFIG, **(config or {})}
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
    )
    if cfg.get("classifier", "logistic_regression") == "linear_svm":
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
    classifier = OneVsRestClassifier(estimator)
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


def platt_calibration(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a * z + b) on out-of-fold decision values."""
    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(decision.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_threshold(proba: np.ndarray, y: np.ndarray) -> float:
    """Threshold maximising F1, smoothed over a +-0.05 window so it does not sit on a spike."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f1 = []
    for t in grid:
        pred = proba >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    smooth = np.convolve(np.array(f1), np.ones(11) / 11, mode="same")
    return float(grid[int(np.argmax(smooth))])


def cross_validate(statements: list[Statement], config: dict | None = None, seed: int = 0) -> dict:
    """Out-of-fold decision values over multi-label stratified folds.

    Returns ``{"decision": (n, T) array, "folds": (n,) array, "Y": (n, T) array}``.
    """
    cfg = {**DEFAULT_CONFIG, **(config or {})}
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
    classifier: OneVsRestClassifier = pipeline.named_steps["classifier"]
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
        each :func:`themes.evaluate.multilabel_metrics` plus ``calibration``; empty where
        no realdev folder is found. Real statements are read, never trained on.
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
        proba = model.predict_proba([r["text"] for r in records], [r.get("context") for r in records])
        y = binarize([r.get("themes", []) for r in records])
        metrics = multilabel_metrics(y, proba >= model.thresholds)
        metrics["calibration"] = calibration_errors(y, proba)
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
) -> TrainingRun:
    """Fit on the train split of ``statements``; measure on real text, the test split and by style.

    Steps: out-of-fold decision values on the train split -> Platt calibration and
    threshold per theme -> final pipeline on the whole train split -> export -> metrics
    on the real development statements (``realdev``, where found; never trained on),
    the test split and leave-one-style-out.
    """
    cfg = {**DEFAULT_CONFIG, **(config or {})}
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
    oof = cross_validate(train_set, cfg, seed)
    calibration = np.zeros((2, len(THEME_IDS)))
    thresholds = np.zeros(len(THEME_IDS))
    oof_proba = np.zeros_like(oof["decision"])
    for j in range(len(THEME_IDS)):
        a, b = platt_calibration(oof["decision"][:, j], oof["Y"][:, j])
        calibration[:, j] = (a, b)
        oof_proba[:, j] = 1.0 / (1.0 + np.exp(-(a * oof["decision"][:, j] + b)))
        thresholds[j] = best_threshold(oof_proba[:, j], oof["Y"][:, j])
    X, Y = _xy(train_set)
    pipeline = _fit_pipeline(X, Y, cfg, seed)
    model = export_model(pipeline, calibration, thresholds)
    metrics: dict = {}
    oof_pred = oof_proba >= thresholds
    metrics["cross_validation"] = multilabel_metrics(oof["Y"], oof_pred)
    metrics["cross_validation"]["calibration"] = calibration_errors(oof["Y"], oof_proba)
    if test_set:
        Xt, Yt = _xy(test_set)
        proba = model.predict_proba([x[0] for x in Xt], [x[1] for x in Xt])
        metrics["test"] = multilabel_metrics(Yt, proba >= thresholds)
        metrics["test"]["calibration"] = calibration_errors(Yt, proba)
    metrics.update(realdev_metrics(model, realdev))
    if loso:
        metrics["leave_one_style_out"] = leave_one_style_out(train_set, model, cfg, seed)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    return TrainingRun(model, pipeline, metrics, cfg, seed, statements, None, [])


def _model_name(releases: list[dict], config: dict, seed: int, date: str) -> str:
    """``themes-<last release>-<date>-<fingerprint>``: the fingerprint (of every release's
    sha256, the configuration and the seed) tells apart models trained the same day."""
    last = releases[-1]["release"] if releases else "none"
    fingerprint = hashlib.sha256(
        json.dumps([[r["sha256"] for r in releases], config, seed], sort_keys=True).encode()
    ).hexdigest()[:8]
    return f"themes-{last}-{date.replace('-', '')}-{fingerprint}"


def build_manifest(run: TrainingRun, name: str | None = None) -> dict:
    """The manifest of a training run (files are filled in when saved)."""
    today = datetime.date.today().isoformat()
    import sklearn

    thresholds = {t: round(float(v), 4) for t, v in zip(THEME_IDS, run.model.thresholds)}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name or _model_name(run.releases, run.config, run.seed, today),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "taxonomy_version": TAXONOMY_VERSION,
        "themes": list(THEME_IDS),
        "thresholds": thresholds,
        "training": {"config": run.config, "seed": run.seed, "estimator": repr(run.pipeline)},
        "corpus": {
            "releases": run.releases,
            "stats": corpus_stats(run.statements),
            "test_split": "sha256(id) < 15% (themes.corpus.is_test_id)",
        },
        "metrics": run.metrics,
        "versions": {
            "themes": __version__,
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "files": {},
    }


def model_card(manifest: dict) -> str:
    """A MODEL_CARD.md generated from a manifest."""
    m = manifest["metrics"]
    lines = [
        f"# Model card: {manifest['name']}",
        "",
        "## Intended use",
        "Tagging statements from counter-terrorism meeting bulletins (press releases, communiques,",
        "resolutions, plenary outcomes) with the 13 themes of taxonomy "
        f"{manifest['taxonomy_version']}, for analysts who follow which themes come up over time.",
        "Scores are calibrated probabilities; themes are those over per-theme thresholds.",
        "Not for decisions about individuals, and not for languages other than English.",
        "",
        "## Corpus",
    ]
    stats = manifest["corpus"]["stats"]
    for r in manifest["corpus"]["releases"]:
        lines.append(f"- release {r['release']} (statements.jsonl sha256 {r['sha256'][:16]}...)")
    lines += [
        f"- {stats['statements']} statements after merging; {stats['test_split']} in the fixed test split;",
        f"  {stats['multi_label']} with two or more themes, {stats['none']} with none; "
        f"{len(stats['per_style'])} body styles.",
        "",
        "## Training",
        f"- seed {manifest['training']['seed']}; configuration: `{json.dumps(manifest['training']['config'])}`",
        f"- scikit-learn {manifest['versions']['scikit-learn']}, numpy {manifest['versions']['numpy']}, "
        f"Python {manifest['versions']['python']}, themes {manifest['versions']['themes']}",
        "",
        "## Headline figures",
        "| data | micro P | micro R | micro F1 | macro F1 |",
        "|---|---|---|---|---|",
    ]
    headline = (
        ("realdev", "real statements, English (realdev, never trained on)"),
        ("realdev_ru", "real statements, Russian (realdev, never trained on)"),
        ("test", "test split (own corpus)"),
        ("leave_one_style_out", "leave-one-style-out (own corpus)"),
        ("cross_validation", "5-fold CV (train split, own corpus)"),
    )
    for key, label in headline:
        if key in m:
            mm = m[key]
            lines.append(
                f"| {label} | {mm['micro']['precision']} | {mm['micro']['recall']} | {mm['micro']['f1']} | {mm['macro']['f1']} |"
            )
    if not any(key in m for key in ("realdev", "realdev_ru")):
        lines += ["", "No real development statements were found when this model was trained", "(`../shared/realdev/` or `$THEMES_REALDEV`): its figures are on the team's own corpus only."]
    for key, label in (("realdev", "English"), ("realdev_ru", "Russian")):
        if key not in m:
            continue
        none = m[key].get("none_given_theme", {})
        lines += [
            "",
            f"## Per theme on real statements, {label} ({m[key]['n']} statements)",
            f"Statements labelled with no theme that the model gave one: {none.get('given', '?')} of {none.get('n', '?')}.",
            "",
            "| theme | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for t in manifest["themes"]:
            pt = m[key]["per_theme"][t]
            lines.append(f"| {t} | {pt['precision']} | {pt['recall']} | {pt['f1']} | {pt['support']} |")
    if "test" in m:
        lines += [
            "",
            "## Per theme (test split, own corpus)",
            "| theme | precision | recall | F1 | support | threshold | Brier | ECE |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for t in manifest["themes"]:
            pt = m["test"]["per_theme"][t]
            cal = m["test"]["calibration"][t]
            lines.append(
                f"| {t} | {pt['precision']} | {pt['recall']} | {pt['f1']} | {pt['support']} | "
                f"{manifest['thresholds'][t]} | {cal['brier']} | {cal['ece']} |"
            )
    if "leave_one_style_out" in m:
        lines += ["", "## Leave-one-style-out micro F1 per held-out style"]
        for style, f1 in m["leave_one_style_out"]["per_style_micro_f1"].items():
            lines.append(f"- {style}: {f1}")
    lines += [
        "",
        "## Known limits",
        "- The corpus is written by the team in imitation of real bulletins; figures on it flatter.",
        "  Leave-one-style-out is the better guide to bulletins from bodies and writers not seen.",
        "- English only. Very long statements are scored on their first 5,000 characters.",
        "- Thresholds were tuned on out-of-fold predictions of this corpus; on an archive whose",
        "  theme mix differs, raw shares are biased: use the prevalence correction in `themes trends`.",
        "- Procedural text that names a single-theme body (rule 4) and hard negatives remain the",
        "  commonest errors; see `themes audit` for statements the model disagrees with.",
    ]
    return "\n".join(lines) + "\n"


def train(
    releases=(),
    out: str | os.PathLike | None = None,
    seed: int = 0,
    config: dict | None = None,
    include_shipped: bool = True,
    force: bool = False,
    loso: bool = True,
    name: str | None = None,
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
    config : dict, optional
        Overrides of :data:`DEFAULT_CONFIG`.
    force : bool
        Replace an existing ``out``.
    """
    if out is not None and Path(out).exists() and not force:  # say so before training, not after
        raise OutputExistsError(f"{out}: already exists; pass force=True (--force) to replace it.")
    folders = (shipped_releases() if include_shipped else []) + [Path(r) for r in releases]
    statements, report = merge_releases(folders)
    run = fit(statements, config, seed, loso=loso)
    run.report = report
    run.releases = [
        {"release": json.loads((f / "manifest.json").read_text())["release"], "sha256": sha256_file(f / "statements.jsonl")}
        for f in folders
    ]
    if out is not None:
        manifest = build_manifest(run, name)
        buffer = io.BytesIO()
        import joblib

        joblib.dump(run.pipeline, buffer, compress=3)
        save_model(
            run.model,
            out,
            manifest,
            extra_files={"pipeline.joblib": buffer.getvalue()},
            model_card=model_card(manifest),
            force=force,
        )
    return run


# --------------------------------------------------------------------------- safe pipeline load
#: The only types pipeline.joblib may name; anything else is refused before it is built.
TRUSTED_TYPES = frozenset(
    {
        ("sklearn.pipeline", "Pipeline"),
        ("sklearn.multiclass", "OneVsRestClassifier"),
        ("sklearn.linear_model._logistic", "LogisticRegression"),
        ("sklearn.svm._classes", "LinearSVC"),
        ("sklearn.preprocessing._label", "LabelBinarizer"),
        ("themes.train", "ThemeFeatures"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy.dtypes", "Float64DType"),
        ("numpy.dtypes", "Int64DType"),
        ("numpy.dtypes", "Int8DType"),
        ("numpy.dtypes", "BoolDType"),
        ("numpy.dtypes", "Int32DType"),
        ("numpy.dtypes", "Float32DType"),
        ("joblib.numpy_pickle", "NumpyArrayWrapper"),
        ("builtins", "slice"),
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("collections", "OrderedDict"),
    }
)


_PIPELINE_LOCK = threading.Lock()


def load_pipeline(path: str | os.PathLike) -> Pipeline:
    """Load a model folder's scikit-learn pipeline through an allow-list of types.

    The manifest and hashes are checked first; the pickle stream may name only
    :data:`TRUSTED_TYPES`; anything else raises :class:`themes.UnsafeModelError` naming the
    type, before it is built. A folder made by another scikit-learn minor version is refused
    with both versions named.
    """
    from themes.artifact import read_manifest, verify_files

    import sklearn
    from joblib import numpy_pickle

    folder = Path(path)
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    made_with = str(manifest["versions"].get("scikit-learn", "unknown"))
    if made_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise IncompatibleModelError(
            f"{folder / 'pipeline.joblib'}: made with scikit-learn {made_with}, this environment has "
            f"{sklearn.__version__}; install scikit-learn=={made_with} or retrain with `themes train`."
        )
    target = folder / "pipeline.joblib"
    if "pipeline.joblib" not in manifest["files"]:
        raise ModelError(f"{folder}: has no pipeline.joblib (a numpy-only export); retrain to get one.")

    class _PlainArrayWrapper(numpy_pickle.NumpyArrayWrapper):
        # joblib < 1.6 read the items of an object array with a plain, unrestricted
        # pickle.load; the pipeline holds no object arrays, so none is read at all.
        def read(self, unpickler, *args, **kwargs):
            if getattr(getattr(self, "dtype", None), "hasobject", True):
                raise UnsafeModelError(
                    f"{target}: holds an array of Python objects (dtype {getattr(self, 'dtype', None)}), "
                    "which is not allowed; refusing to load it (nothing from the file was run)."
                )
            return super().read(unpickler, *args, **kwargs)

    class _Restricted(numpy_pickle.NumpyUnpickler):
        def find_class(self, module, name):
            if (module, name) not in TRUSTED_TYPES:
                raise UnsafeModelError(
                    f"{target}: refers to {module}.{name}, which is not an allowed type; "
                    "refusing to load it (nothing from the file was run)."
                )
            if (module, name) == ("joblib.numpy_pickle", "NumpyArrayWrapper"):
                return _PlainArrayWrapper
            return super().find_class(module, name)

    with open(target, "rb") as fh:
        # joblib < 0.10 files ("ZF" header) are read by joblib's compatibility unpickler,
        # which no allow-list reaches.
        if fh.read(2) == b"ZF":
            raise UnsafeModelError(
                f"{target}: is in the joblib < 0.10 format, which cannot be loaded through the "
                "allow-list; refusing to load it (nothing from the file was run). Retrain with `themes train`."
            )
        fh.seek(0)
        import joblib

        # joblib builds its unpickler from this module attribute; the lock keeps two loads in
        # different threads from restoring each other's class half-way.
        with _PIPELINE_LOCK:
            original = numpy_pickle.NumpyUnpickler
            numpy_pickle.NumpyUnpickler = _Restricted
            try:
                return joblib.load(fh)
            except UnsafeModelError:
                raise
            except Exception as exc:  # a damaged stream: say where, not how pickle failed inside
                raise ModelError(f"{target}: cannot be loaded ({type(exc).__name__}: {exc}).") from None
            finally:
                numpy_pickle.NumpyUnpickler = original
