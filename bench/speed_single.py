#!/usr/bin/env python3
"""Latency of ``classify(text)`` on one statement, with a new word and warm (issue 13).

    python bench/speed_single.py [--rounds 5] [--statements 1000]

A model reads the English corpus once (as ``bench/speed_unseen.py`` does); then each round
scores statements that each carry one word no corpus used (``NewWords``, a fresh seed per
round) one at a time, and the same statements again (every word known: the warm figure).
Prints the median latency of each round and the best round's, in µs. Themes alone, no
fastText: a quick check of the one-statement path. To compare two versions of the code, run
it with ``PYTHONPATH`` pointing at each one's ``src`` in turn, a few times each (the figures
move with the machine's load). Single-threaded (BLAS one thread); not part of CI.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed_unseen import NewWords  # noqa: E402


def measure(rounds: int = 5, statements: int = 1000) -> dict:
    """Median latency (µs) per round: ``{"new_word": [...], "warm": [...]}``."""
    from themes import classify, load_model
    from themes.api import default_model_path
    from themes.corpus import load_corpus

    english = [s.text for s in load_corpus() if s.lang == "en"]
    texts = [english[i % len(english)] for i in range(10_000)]
    model = load_model(default_model_path())
    classify(texts, model=model)  # the model has read the corpus once
    clock = time.perf_counter_ns
    out: dict = {"new_word": [], "warm": []}
    for r in range(rounds):
        words = NewWords(17 + r)
        batch = [words.insert(texts[(i + r * statements) % len(texts)], 1) for i in range(statements)]
        for key in ("new_word", "warm"):
            latencies = []
            for text in batch:
                started = clock()
                classify(text, model=model)
                latencies.append(clock() - started)
            out[key].append(round(statistics.median(latencies) / 1000, 1))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--statements", type=int, default=1000)
    args = parser.parse_args(argv)
    result = measure(args.rounds, args.statements)
    for key, label in (("new_word", "one new word"), ("warm", "warm (words known)")):
        print(f"{label}: p50 {min(result[key])} µs (rounds {result[key]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
