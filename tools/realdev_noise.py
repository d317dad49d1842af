"""How much realdev moves with the corpus's own sampling: withdraw a random ``--drop``
statements of one language from the train split, train, measure; repeat over ``--draws``.

    python tools/realdev_noise.py --lang ru --drop 400 --draws 1 2 3 4
    python tools/realdev_noise.py --lang en --drop 600 --draws 1 2 3 4

Fold seeds (``tools/realdev_round.py --seed``) only move the thresholds; which statements
the writers happened to write moves the coefficients too, and by more. A corpus round whose
realdev gain is within this spread cannot be told from a different draw of the same
corpus. Each draw trains as ``tools/realdev_round.py`` does (no leave-one-style-out, fold
seed 0) and prints one line per language; the last lines give mean and standard deviation.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from themes.corpus import is_test_id, merge_releases, shipped_releases
from themes.train import fit


def draw_figures(statements, lang: str, drop: int, draw: int) -> dict:
    """Realdev micro F1 per language after withdrawing ``drop`` random train statements of ``lang``."""
    pool = [s.id for s in statements if s.lang == lang and not is_test_id(s.id)]
    if drop > len(pool):
        raise SystemExit(f"--drop {drop} is more than the {len(pool)} train statements in {lang!r}")
    withdrawn = set(random.Random(draw).sample(pool, drop))
    kept = [s for s in statements if s.id not in withdrawn]
    metrics = fit(kept, {}, 0, loso=False).metrics
    return {key: metrics[key]["micro"]["f1"] for key in ("realdev", "realdev_ru") if key in metrics}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["en", "ru"], default="ru")
    parser.add_argument("--drop", type=int, default=400, help="train statements withdrawn per draw")
    parser.add_argument("--draws", type=int, nargs="+", default=[1, 2, 3, 4], help="seeds of the random draws")
    args = parser.parse_args(argv)
    statements, _ = merge_releases(shipped_releases())
    results = []
    for draw in args.draws:
        started = time.perf_counter()
        figures = draw_figures(statements, args.lang, args.drop, draw)
        results.append(figures)
        shown = "  ".join(f"{k} {v}" for k, v in figures.items())
        print(f"draw {draw}: {shown}  ({time.perf_counter() - started:.0f} s)", flush=True)
    for key in results[0]:
        values = [r[key] for r in results]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        print(f"{key}: mean {statistics.mean(values):.3f}  sd {spread:.3f}  range {min(values)}-{max(values)}")


if __name__ == "__main__":
    main()
