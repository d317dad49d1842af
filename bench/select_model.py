"""Choose the shipped configuration by measurement, not habit.

    python bench/select_model.py [--only NAME ...]

For each candidate configuration: 5-fold multi-label stratified CV on the train split,
the fixed test split, leave-one-style-out (hold out every statement in one body's style)
and the real bulletin check set (training/checks; never trained on). Writes
bench/results/select_model.json and prints a table. The shipped DEFAULT_CONFIG in
src/themes/train.py is the row chosen here (see training/README.md for the reasoning).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_bulletin import ROOT, load_check_sets  # noqa: E402

from themes.corpus import load_corpus  # noqa: E402
from themes.evaluate import binarize, multilabel_metrics  # noqa: E402
from themes.train import DEFAULT_CONFIG, fit  # noqa: E402

CANDIDATES = {
    "LR C=4, word only": {"classifier": "logistic_regression", "C": 4.0, "char_weight": 0.0, "lexicon_weight": 0.0, "dense_weight": 0.0, "use_embedding": False, "context_weight": 0.0},
    "LR C=4, word+char": {"classifier": "logistic_regression", "C": 4.0, "lexicon_weight": 0.0, "dense_weight": 0.0, "use_embedding": False, "context_weight": 0.0},
    "LR C=4, word+char+lexicon": {"classifier": "logistic_regression", "C": 4.0, "dense_weight": 0.0, "use_embedding": False, "context_weight": 0.0},
    "LR C=4, word+char+lexicon+embedding": {"classifier": "logistic_regression", "C": 4.0, "context_weight": 0.0},
    "LR C=4, all features (+context)": {"classifier": "logistic_regression", "C": 4.0},
    "LR C=4, no class weights": {"classifier": "logistic_regression", "C": 4.0, "class_weight": None},
    "LR C=1": {"classifier": "logistic_regression", "C": 1.0},
    "LR C=16": {"classifier": "logistic_regression", "C": 16.0},
    "LR C=4, lexicon 1.0, embedding 1.0": {"classifier": "logistic_regression", "C": 4.0, "lexicon_weight": 1.0, "dense_weight": 1.0},
    "LR C=4, char 2-4": {"classifier": "logistic_regression", "C": 4.0, "char_ngram_range": [2, 4]},
    "calibrated linear SVM C=0.5 (shipped)": {"classifier": "linear_svm", "C": 0.5},
    "calibrated linear SVM C=0.1": {"classifier": "linear_svm", "C": 0.1},
    "calibrated linear SVM C=1": {"classifier": "linear_svm", "C": 1.0},
    "calibrated linear SVM C=0.25": {"classifier": "linear_svm", "C": 0.25},
}


def check_set_f1(model) -> float | None:
    gold, pred = [], []
    for _, texts, contexts, labels in load_check_sets(ROOT.parent / "shared" / "examples"):
        probs = model.predict_proba(texts, contexts)
        pred.extend((probs >= model.thresholds).tolist())
        gold.extend(binarize(labels).tolist())
    if not gold:
        return None
    return multilabel_metrics(gold, pred)["micro"]["f1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=None, help="names of candidates to run")
    args = parser.parse_args()
    statements = load_corpus()
    rows = {}
    out = ROOT / "bench" / "results" / "select_model.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        rows = json.loads(out.read_text())
    for name, overrides in CANDIDATES.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        run = fit(statements, {**DEFAULT_CONFIG, **overrides}, seed=0, loso=True)
        m = run.metrics
        rows[name] = {
            "config": overrides,
            "cv_micro_f1": m["cross_validation"]["micro"]["f1"],
            "test_micro_f1": m["test"]["micro"]["f1"],
            "test_macro_f1": m["test"]["macro"]["f1"],
            "loso_micro_f1": m["leave_one_style_out"]["micro"]["f1"],
            "loso_macro_f1": m["leave_one_style_out"]["macro"]["f1"],
            "check_bulletin_micro_f1": check_set_f1(run.model),
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(name, rows[name], flush=True)
        out.write_text(json.dumps(rows, indent=1) + "\n")
    print(f"\n{'candidate':40s} {'CV':>6s} {'test':>6s} {'LOSO':>6s} {'LOSO-M':>6s} {'check':>6s}")
    for name, r in rows.items():
        print(f"{name:40s} {r['cv_micro_f1']:6.3f} {r['test_micro_f1']:6.3f} {r['loso_micro_f1']:6.3f} {r['loso_macro_f1']:6.3f} {r['check_bulletin_micro_f1'] or 0:6.3f}")


if __name__ == "__main__":
    main()
