#!/usr/bin/env python3
"""Compare two source trees on cold batches with new words, in alternation (for speed work).

    python bench/compare_trees.py OTHER_TREE [--runs 2] [--rounds 7]

``OTHER_TREE`` is a checkout of themes (for instance ``git worktree add /tmp/base <rev>``);
this checkout is the other side. Each run starts a fresh process per tree, one after the
other, each loading the shipped model, reading the corpus once, then scoring ``--rounds``
batches of 10,000 English and of 10,000 Russian corpus statements with fresh new words
(``speed_unseen.NewWords``, as ``bench/speed_unseen.py`` (a)). It prints the min and median
milliseconds per batch of each tree, so that a change is judged on the same machine state
as the code before it: the machine's speed drifts by 10% and more within an hour, more
than most single changes move a batch. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
sys.path.insert(0, {bench!r})
from speed_unseen import NewWords
import themes
from themes import classify, load_model
from themes.api import default_model_path
from themes.corpus import load_corpus
corpus = load_corpus()
model = load_model(default_model_path())
out = []
for lang, script, seed in (("en", "latin", 100), ("ru", "cyrillic", 300)):
    statements = [s.text for s in corpus if s.lang == lang]
    if not statements:
        continue
    texts = [statements[i % len(statements)] for i in range(10_000)]
    classify(texts, model=model)  # the model has read the corpus once
    times = []
    for r in range({rounds}):
        words = NewWords(seed + r, script)
        batch = [words.insert(t) for t in texts]
        started = time.perf_counter()
        classify(batch, model=model)
        times.append(time.perf_counter() - started)
    times.sort()
    out.append(f"{{lang}} min {{times[0] * 1e3:.0f}} ms, median {{times[len(times) // 2] * 1e3:.0f}} ms")
print(themes.__file__.split("/src/")[0], "|", " | ".join(out))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of themes (its src/ is put first on PYTHONPATH)")
    parser.add_argument("--runs", type=int, default=2, help="alternations of the two trees (default 2)")
    parser.add_argument("--rounds", type=int, default=7, help="batches per language and process (default 7)")
    args = parser.parse_args(argv)
    other_src = args.other.resolve() / "src"
    if not (other_src / "themes" / "__init__.py").is_file():
        parser.error(f"{args.other}: not a checkout of themes (no src/themes/__init__.py in it)")
    code = CHILD.format(bench=str(ROOT / "bench"), rounds=args.rounds)
    env_other = dict(os.environ, PYTHONPATH=str(other_src), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env_this = dict(os.environ, PYTHONPATH=str(ROOT / "src"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    for _ in range(args.runs):
        for env in (env_other, env_this):
            done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
            if done.returncode:
                print(done.stderr[-800:], file=sys.stderr)
                return done.returncode
            print(done.stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
