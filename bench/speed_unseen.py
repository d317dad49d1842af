#!/usr/bin/env python3
"""Speed on text the model has never seen, beside fastText, timed in alternation (issue 13).

    python bench/speed_unseen.py [--quick] [--json bench/results/speed_unseen.json] [--million]

An analyst scoring a new archive meets new words in almost every statement; a warm cache
(every word already seen) flatters ``classify``. Figures, cold first:

(a) batch of 10,000 corpus statements, each carrying new words drawn at a realistic rate
    (fixed seed; 1 + Poisson(1) per statement: names, places, numbers, misspellings), fresh
    words every round, on a model that has read the whole corpus once;
(b) a first pass over real statements no one in the project wrote (``realdev``, read with
    ``themes.corpus.read_realdev``): in a fresh process (load, then one batch), and in a
    process whose model has read the corpus once; plus a fresh process to the first 30
    statements scored;
(c) single-statement latency on statements that each carry a new word;
and, labelled as such, the warm figure: the same batch of (a) scored a second time.

themes (``classify()``, results included) and fastText (``-loss ova``, word bigrams, the
tutorial settings of ``bench/run.py``, trained on the same train split) are timed in
alternation, round by round, so that both see the same load; batches: best round, latency:
median over all calls. ``--million`` also scores 1,000,000 statements with new words in a
child process and prints its peak RSS at 100,000 and at 1,000,000 (the token cache is
bounded, so memory should stay flat). Single-threaded (BLAS one thread); not part of CI.
``run.py`` calls :func:`measure` and prints the same table.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 0
BATCH = 10_000
FASTTEXT_TOKEN = re.compile(r"\w+|[^\w\s]")
FASTTEXT_PARAMS = {"lr": 0.5, "epoch": 25, "wordNgrams": 2, "bucket": 200_000, "dim": 50}

_SYLLABLES = ("ka ra mo ne di sh al ba ze tu ri va go le xi no pe da ur su ib kh ob an et "
              "ov in ol yr ch ts zh ga").split()
_PLACE_ENDS = ("abad", "grad", "stan", "ovo", "sk", "iya", "pur", "burg", "ville", "kent")
# New words for Russian statements: the same syllables in Cyrillic letters.
_TO_CYRILLIC = str.maketrans("abcdeghiklmnoprstuvxyz", "абцдегхиклмнопрстувхыз")


class NewWords:
    """A fixed-seed stream of words no corpus used: names, places, numbers, misspellings.

    Examples
    --------
    >>> words = NewWords(0)
    >>> statement = words.insert("Border guards detained three relocators.")
    >>> statement != "Border guards detained three relocators."
    True
    """

    def __init__(self, seed: int, script: str = "latin") -> None:
        self.rng = random.Random(seed)
        self.script = script

    def _stem(self, low: int, high: int) -> str:
        stem = "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(low, high)))
        return stem.translate(_TO_CYRILLIC) if self.script == "cyrillic" else stem

    def word(self, statement_words: list[str]) -> str:
        kind = self.rng.random()
        if kind < 0.35:  # a person: given name and family name
            suffix = self.rng.choice(["ov", "ev", "iy", "ullah", ""])
            suffix = suffix.translate(_TO_CYRILLIC) if self.script == "cyrillic" else suffix
            return f"{self._stem(2, 3).capitalize()} {self._stem(2, 4).capitalize()}{suffix}"
        if kind < 0.6:  # a place
            end = self.rng.choice(_PLACE_ENDS)
            return self._stem(1, 3).capitalize() + (end.translate(_TO_CYRILLIC) if self.script == "cyrillic" else end)
        if kind < 0.8:  # a number, a case file or a date
            return self.rng.choice([str(self.rng.randint(100, 9_999_999)), f"No. {self.rng.randint(1, 999)}-{self.rng.randint(10, 99)}",
                                    f"{self.rng.randint(1, 28)}.{self.rng.randint(1, 12):02d}.{self.rng.randint(1990, 2030)}"])
        # A misspelling of a word of the statement: one letter doubled, dropped or swapped.
        long = [w for w in statement_words if len(w) > 4 and w.isalpha()] or ["terrorism"]
        w = self.rng.choice(long)
        i = self.rng.randrange(1, len(w) - 1)
        return self.rng.choice([w[:i] + w[i] + w[i:], w[:i] + w[i + 1 :], w[:i - 1] + w[i] + w[i - 1] + w[i + 1 :]])

    def insert(self, text: str, n: int | None = None) -> str:
        """``text`` with ``n`` new words (default 1 + Poisson(1)) put between its words."""
        words = text.split()
        if n is None:  # 1 + Poisson(1), by Knuth's method
            n, p = 1, self.rng.random()
            while p > 0.36787944117144233:
                n, p = n + 1, p * self.rng.random()
        for _ in range(n):
            words.insert(self.rng.randint(0, len(words)), self.word(words))
        return " ".join(words)


def fasttext_predictor(train, workdir: Path):
    """fastText trained as in bench/run.py (tutorial settings, -loss ova, thread 1)."""
    import fasttext

    path = workdir / "fasttext-train.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for s in train:
            labels = " ".join(f"__label__{t}" for t in (s.themes or ("none",)))
            fh.write(f"{labels} {' '.join(FASTTEXT_TOKEN.findall(s.text.lower()))}\n")
    model = fasttext.train_supervised(str(path), loss="ova", thread=1, verbose=0, seed=SEED, **FASTTEXT_PARAMS)
    model.save_model(str(workdir / "fasttext.bin"))

    def predict(texts):
        return model.predict([" ".join(FASTTEXT_TOKEN.findall(t.lower())) for t in texts], k=-1, threshold=0.5)[0]

    return predict


def _timed(call, *args) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


FRESH_THEMES = """
import time, json, sys
t0 = time.time()
from themes import classify
texts = json.load(open(sys.argv[1]))
classify(texts[:30])
first30 = time.time()
{rest}
"""
FRESH_FASTTEXT = """
import time, json, sys, re
t0 = time.time()
import fasttext
model = fasttext.load_model(sys.argv[2])
TOKEN = re.compile(r"\\w+|[^\\w\\s]")
def classify(texts):
    return model.predict([" ".join(TOKEN.findall(t.lower())) for t in texts], k=-1, threshold=0.5)[0]
texts = json.load(open(sys.argv[1]))
classify(texts[:30])
first30 = time.time()
{rest}
"""
# The first pass of a fresh process: load, then the whole set as one batch.
FIRST_PASS_THEMES = """
import time, json, sys
from themes import load_model
from themes.api import default_model_path, classify
model = load_model(default_model_path())
texts = json.load(open(sys.argv[1]))
t = time.perf_counter(); classify(texts, model=model); print("PASS", time.perf_counter() - t)
"""
FIRST_PASS_FASTTEXT = """
import time, json, sys, re
import fasttext
model = fasttext.load_model(sys.argv[2])
TOKEN = re.compile(r"\\w+|[^\\w\\s]")
texts = json.load(open(sys.argv[1]))
t = time.perf_counter(); model.predict([" ".join(TOKEN.findall(x.lower())) for x in texts], k=-1, threshold=0.5); print("PASS", time.perf_counter() - t)
"""


def _compile_package() -> None:
    """Byte-compile themes as ``pip install`` does, so fresh processes time what a user
    meets: with ``PYTHONDONTWRITEBYTECODE`` set (as on the team's machines) an editable
    install would otherwise compile every module from source in every child (~0.1 s)."""
    import compileall

    import themes

    compileall.compile_dir(str(Path(themes.__file__).parent), quiet=1)


def _child(code: str, args: list[str]) -> tuple[float, str]:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=str(ROOT), check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-800:])
    return started, done.stdout


def measure(quick: bool = False, workdir: Path | None = None) -> dict:
    """Every figure of this benchmark, as a dict (see the module docstring)."""
    from threadpoolctl import threadpool_limits

    from themes import classify, load_model
    from themes.api import default_model_path
    from themes.corpus import find_realdev, load_corpus, read_realdev, train_test_split

    rounds, singles = (3, 300) if quick else (7, 2000)
    own_dir = tempfile.TemporaryDirectory() if workdir is None else None
    workdir = Path(own_dir.name) if own_dir else workdir
    corpus = load_corpus()
    train, _ = train_test_split(corpus)
    english = [s.text for s in corpus if s.lang == "en"]
    russian = [s.text for s in corpus if s.lang == "ru"]
    texts = [english[i % len(english)] for i in range(BATCH)]
    realdev = [r["text"] for r in read_realdev(lang="en")]
    realdev_ru = [r["text"] for r in read_realdev(lang="ru")]
    out: dict = {"rounds": rounds, "batch": BATCH, "new_words_per_statement": "1 + Poisson(1)"}
    try:
        ft = fasttext_predictor(train, workdir)
    except ImportError:
        print("fastText is not installed (pip install fasttext-wheel, or -e '.[bench]'): themes alone", file=sys.stderr)
        ft = None
    path = default_model_path()
    with threadpool_limits(1):
        model = load_model(path)
        classify(texts, model=model)  # the model has read the corpus once
        out.update(_unseen_figures(texts, realdev, model, path, ft, rounds, singles, "latin", warm=True))
        if russian:  # the same figures on Russian statements, in the same run
            texts_ru = [russian[i % len(russian)] for i in range(BATCH)]
            out["russian"] = _unseen_figures(texts_ru, realdev_ru, model, path, ft, rounds, singles, "cyrillic")
            if realdev and realdev_ru:
                # The Russian first pass reads fewer statements than the English one, and a
                # call's fixed costs weigh more on fewer: the English pass again, as many.
                out["russian"]["english_first_pass_same_size"] = _first_pass(texts, realdev[: len(realdev_ru)], path, ft, rounds)
    # (b) in fresh processes: the first 30 statements, and a whole first pass.
    if realdev:
        _compile_package()
        data = workdir / "realdev.json"
        data.write_text(json.dumps(realdev))
        args = [str(data), str(workdir / "fasttext.bin")]
        rest = "print('FIRST30', first30)"
        first30 = {"themes": [], "fasttext": []}
        first_pass = {"themes": [], "fasttext": []}
        for r in range(3 if quick else 5):
            for name, code, pass_code in (("themes", FRESH_THEMES, FIRST_PASS_THEMES), ("fasttext", FRESH_FASTTEXT, FIRST_PASS_FASTTEXT)):
                if name == "fasttext" and ft is None:
                    continue
                started, stdout = _child(code.format(rest=rest), args)
                first30[name].append(float(stdout.split("FIRST30")[1].split()[0]) - started)
                _, stdout = _child(pass_code, args)
                first_pass[name].append(float(stdout.split("PASS")[1].split()[0]))
        out["fresh_process_first_30_s"] = {k: round(statistics.median(v), 3) for k, v in first30.items() if v}
        out["fresh_process_first_pass"] = {k: round(len(realdev) / min(v)) for k, v in first_pass.items() if v}
    if own_dir:
        own_dir.cleanup()
    return out


def _first_pass(texts, statements, path, ft, rounds) -> dict:
    """(b): ``statements`` scored once by a freshly loaded model that has read ``texts``, beside fastText."""
    from themes import classify, load_model

    passes, ft_passes = [], []
    for r in range(rounds):
        fresh = load_model(path)
        classify(texts, model=fresh)
        passes.append(_timed(lambda b: classify(b, model=fresh), statements))
        if ft is not None:
            ft_passes.append(_timed(ft, statements))
    return {"statements": len(statements), "themes": round(len(statements) / min(passes)),
            "fasttext": round(len(statements) / min(ft_passes)) if ft_passes else None}


def _unseen_figures(texts, realdev, model, path, ft, rounds, singles, script, warm=False) -> dict:
    """(a), (b) and (c) on ``texts`` (with new words in ``script``) and ``realdev``, beside fastText."""
    from themes import classify, load_model

    seeds = {"latin": (100, 7), "cyrillic": (300, 17)}[script]
    out: dict = {}
    # (a) batches with new words, cold (fresh words every round) and warm (the same again).
    cold, again, ft_runs = [], [], []
    for r in range(rounds):
        words = NewWords(SEED + seeds[0] + r, script)
        batch = [words.insert(t) for t in texts]
        if ft is not None and r % 2:
            ft_runs.append(_timed(ft, batch))
        cold.append(_timed(lambda b: classify(b, model=model), batch))
        if ft is not None and not r % 2:
            ft_runs.append(_timed(ft, batch))
        if warm:
            again.append(_timed(lambda b: classify(b, model=model), batch))
    ft_batch = round(BATCH / min(ft_runs)) if ft_runs else None
    out["batch_new_words"] = {"themes": round(BATCH / min(cold)), "fasttext": ft_batch}
    if warm:
        out["batch_warm"] = {"themes": round(BATCH / min(again)), "fasttext": ft_batch}
    # (b) a first pass over real statements, on a model that has read the corpus once.
    if realdev:
        out["realdev_first_pass_after_corpus"] = _first_pass(texts, realdev, path, ft, rounds)
    # (c) one statement at a time, each with a new word.
    words = NewWords(SEED + seeds[1], script)
    lat, ft_lat = [], []
    clock = time.perf_counter_ns
    for i in range(singles):
        one = [words.insert(texts[i], 1)]
        for who in ((0, 1) if i % 2 else (1, 0)):
            started = clock()
            if who == 0:
                classify(one[0], model=model)
                lat.append(clock() - started)
            elif ft is not None:
                ft(one)
                ft_lat.append(clock() - started)
    out["single_new_word_us"] = {
        "themes_p50": round(statistics.median(lat) / 1000, 1), "themes_p99": round(float(np.percentile(lat, 99)) / 1000, 1),
        "fasttext_p50": round(statistics.median(ft_lat) / 1000, 1) if ft_lat else None}
    return out


MILLION = """
import sys, time
sys.path.insert(0, {bench!r})
def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would carry the parent's across exec on Linux).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from speed_unseen import NewWords
from themes import classify
from themes.corpus import load_corpus
texts = [s.text for s in load_corpus()]
words = NewWords(11)
done, marks, started = 0, {{}}, time.perf_counter()
while done < 1_000_000:
    batch = [words.insert(texts[(done + i) % len(texts)]) for i in range(10_000)]
    classify(batch)
    done += len(batch)
    if done in (100_000, 500_000, 1_000_000):
        marks[done] = peak_mb()
print("MARKS", marks, "SECONDS", time.perf_counter() - started)
"""


def million() -> dict:
    """Peak RSS (MB) scoring 1,000,000 statements with new words, at 100k, 500k and 1M."""
    _, stdout = _child(MILLION.format(bench=str(Path(__file__).parent)), [])
    marks = eval(stdout.split("MARKS")[1].split("SECONDS")[0])  # a dict literal printed by the child
    return {"peak_rss_mb": {f"{k:,}": round(v) for k, v in marks.items()}, "seconds": round(float(stdout.split("SECONDS")[1]), 1)}


def table(result: dict) -> list[str]:
    """The figures as a markdown table, cold first, the warm figure labelled."""
    def ratio(d):
        return f"{d['themes'] / d['fasttext']:.2f}x" if d.get("fasttext") else "n/a"

    def num(v):
        return f"{v:,}" if v is not None else "n/a"

    def figure_rows(fig: dict, prefix: str, corpus: str, real: str, targets: tuple[str, str, str]) -> list[str]:
        b = fig["batch_new_words"]
        rows = [f"| {prefix}(a) batch of 10,000 {corpus} statements with new words, statements/s | {num(b['themes'])} | {num(b['fasttext'])} | {ratio(b)} | {targets[0]} |"]
        if "realdev_first_pass_after_corpus" in fig:
            p = fig["realdev_first_pass_after_corpus"]
            rows.append(f"| {prefix}(b) first pass over {p['statements']} {real} after the corpus, statements/s | {num(p['themes'])} | {num(p['fasttext'])} | {ratio(p)} | {targets[1]} |")
        single = fig["single_new_word_us"]
        rows.append(f"| {prefix}(c) one statement with a new word, p50 µs (p99) | {single['themes_p50']} ({single['themes_p99']}) | {single['fasttext_p50'] or 'n/a'} | | {targets[2]} |")
        return rows

    lines = ["| unseen text (cold unless said) | themes | fastText | ratio | target |", "|---|---:|---:|---:|---|"]
    lines += figure_rows(result, "", "English corpus", "real statements", (">= 1.0x", ">= 1.0x", "p50 <= 100 µs"))
    if "fresh_process_first_pass" in result:
        p = result["fresh_process_first_pass"]
        lines.append(f"| (b) first pass over the same in a fresh process (after loading), statements/s | {num(p.get('themes'))} | {num(p.get('fasttext'))} | {ratio(p)} | |")
        f = result["fresh_process_first_30_s"]
        lines.append(f"| (b) fresh process to the first 30 statements scored, s | {f.get('themes')} | {f.get('fasttext', 'n/a')} | | <= 0.35 s |")
    if "russian" in result:
        lines += figure_rows(result["russian"], "Russian ", "Russian corpus", "real Russian statements", ("English pace",) * 3)
        if "english_first_pass_same_size" in result["russian"]:
            p = result["russian"]["english_first_pass_same_size"]
            lines.insert(-1, f"| English (b) on its first {p['statements']} real statements (as many as the Russian pass), statements/s | {num(p['themes'])} | {num(p['fasttext'])} | {ratio(p)} | the English pace of Russian (b) |")
    w = result["batch_warm"]
    lines.append(f"| warm cache: the batch of (a) a second time, statements/s | {num(w['themes'])} | {num(w['fasttext'])} | {ratio(w)} | |")
    if "million" in result:
        m = result["million"]["peak_rss_mb"]
        lines.append(f"| peak RSS scoring 1,000,000 statements with new words, MB at " + ", ".join(m) + " | " + " / ".join(str(v) for v in m.values()) + " | | | flat within 10% |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and single calls")
    parser.add_argument("--million", action="store_true", help="also score 1,000,000 statements and report peak RSS")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    result = measure(quick=args.quick)
    if args.million:
        result["million"] = million()
    print("\n".join(table(result)))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
