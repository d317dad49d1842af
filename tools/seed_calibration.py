"""Seeds, coefficient averaging and repeated out-of-fold calibration, measured on realdev.

    PYTHONPATH=src python tools/seed_calibration.py --seeds 0 1 2 3 4 5   # trains what is missing
    PYTHONPATH=src python tools/seed_calibration.py --seeds 0 1 2 --cache /tmp/calib

For each seed, the shipped training (``fit(..., loso=False)`` step by step: 5-fold
out-of-fold decision values on the train split, Platt calibration and F1-best thresholds,
the final pipeline on the whole train split) is run once (about a minute on one core) and
its arrays are cached in ``--cache`` as ``seed{S}.npz``. The script then scores realdev
(English and Russian, with contexts, as ``themes evaluate`` does) for

- each single seed (what ``themes train --seed S`` ships);
- coefficients and intercepts averaged over the seeds, with calibration and thresholds
  averaged too (one linear model, same inference cost);
- the averaged model with calibration and thresholds fitted once on the out-of-fold
  decision values of all seeds stacked (``calibrate_and_threshold`` on S x n rows):
  repeated cross-validation, which is a corpus-only choice (nothing fitted on realdev).

The corpus test split figures are printed beside them. Nothing here is fitted on real text.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from themes.corpus import merge_releases, read_realdev, shipped_releases, train_test_split
from themes.evaluate import binarize, multilabel_metrics
from themes.train.calibration import calibrate_and_threshold, sigmoid
from themes.train.config import TrainingConfig
from themes.train.fitting import _fit_pipeline, _xy, cross_validate, export_model


def train_seed(seed: int, path: Path) -> None:
    started = time.perf_counter()
    statements, _ = merge_releases(shipped_releases())
    train_set, test_set = train_test_split(statements)
    cfg = TrainingConfig().to_dict()
    oof = cross_validate(train_set, cfg, seed)
    cal, thr, _ = calibrate_and_threshold(oof["decision"], oof["Y"])
    X, Y = _xy(train_set)
    model = export_model(_fit_pipeline(X, Y, cfg, seed), cal, thr)
    records = read_realdev()
    dec = model.decision_function([r["text"] for r in records], [r.get("context") for r in records])
    Xt, Yt = _xy(test_set)
    dect = model.decision_function([x[0] for x in Xt], [x[1] for x in Xt])
    np.savez(path, oof=oof["decision"], Y=oof["Y"], folds=oof["folds"], coef=model.coef,
             intercept=model.intercept, cal=cal, thr=thr, realdev_dec=dec, test_dec=dect, test_Y=Yt)
    print(f"seed {seed}: trained in {time.perf_counter() - started:.0f} s")


def scores(dec, Y, cal, thr):
    m = multilabel_metrics(Y, sigmoid(cal[0] * dec + cal[1]) >= thr)
    return m


def row(name, parts):
    cells = []
    for m in parts:
        cells.append(f"{m['micro']['f1']:.3f} / {m['macro']['f1']:.3f} | {m['micro']['precision']:.3f} / "
                     f"{m['micro']['recall']:.3f} | {m['none_given_theme']['given']}/{m['none_given_theme']['n']}")
    return f"| {name} | " + " | ".join(cells) + " |"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cache", default="/tmp/themes-seeds")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    for s in args.seeds:
        if not (cache / f"seed{s}.npz").is_file():
            train_seed(s, cache / f"seed{s}.npz")
    runs = [dict(np.load(cache / f"seed{s}.npz")) for s in args.seeds]
    records = read_realdev()
    lang = np.array([r["lang"] for r in records])
    Y = binarize([r["themes"] for r in records])
    en, ru = lang == "en", lang == "ru"

    def parts(dec, test_dec, cal, thr):
        return [scores(dec[en], Y[en], cal, thr), scores(dec[ru], Y[ru], cal, thr),
                scores(test_dec, runs[0]["test_Y"], cal, thr)]

    spread = max(float(np.abs(r["coef"] - runs[0]["coef"]).max()) for r in runs)
    print(f"largest coefficient difference between seeds: {spread:.2g}; realdev decision values: "
          f"{max(float(np.abs(r['realdev_dec'] - runs[0]['realdev_dec']).max()) for r in runs):.2g}\n")
    print("| calibration | EN micro / macro | EN P / R | EN none | RU micro / macro | RU P / R | RU none "
          "| test micro / macro | test P / R | test none |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    per_seed = []
    for s, r in zip(args.seeds, runs):
        p = parts(r["realdev_dec"], r["test_dec"], r["cal"], r["thr"])
        per_seed.append(p)
        print(row(f"seed {s}", p))
    for i, label in ((0, "EN"), (1, "RU")):
        f = [p[i]["micro"]["f1"] for p in per_seed]
        print(f"<!-- {label} single seeds: mean {np.mean(f):.3f}, min {min(f):.3f}, max {max(f):.3f} -->")
    dec = np.mean([r["realdev_dec"] for r in runs], axis=0)
    test_dec = np.mean([r["test_dec"] for r in runs], axis=0)
    cal = np.mean([r["cal"] for r in runs], axis=0)
    thr = np.mean([r["thr"] for r in runs], axis=0)
    print(row(f"averaged over seeds {args.seeds}: coefficients, calibration, thresholds", parts(dec, test_dec, cal, thr)))
    stacked = calibrate_and_threshold(np.vstack([r["oof"] for r in runs]), np.vstack([r["Y"] for r in runs]))
    print(row(f"averaged coefficients, calibration and thresholds on the stacked out-of-fold values of {len(runs)} seeds",
              parts(dec, test_dec, stacked[0], stacked[1])))
    print("\nthresholds per seed and stacked:")
    for s, r in zip(args.seeds, runs):
        print(f"  seed {s}: " + " ".join(f"{t:.2f}" for t in r["thr"]))
    print("  stacked: " + " ".join(f"{t:.2f}" for t in stacked[1]))


if __name__ == "__main__":
    main()
