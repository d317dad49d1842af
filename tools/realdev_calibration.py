"""Does calibrating on real text help? Grouped cross-validation of recalibration rules on realdev.

    PYTHONPATH=src python tools/realdev_calibration.py                      # models/default
    PYTHONPATH=src python tools/realdev_calibration.py --model PATH --repeats 20
    PYTHONPATH=src python tools/realdev_calibration.py --decisions FILE.npz  # saved decision values
    PYTHONPATH=src python tools/realdev_calibration.py --per-theme shift_lang,thr_lang_w0.5

The model's decision values for every real development statement (with contexts, as
`themes evaluate` scores them) are computed once. Each rule below is then fitted on the
"tune" folds and applied to the "measure" fold, with folds GROUPED BY SOURCE PAGE (the
statements of one page are never split between tune and measure), and repeated over
several fold seeds. Each repetition predicts every statement exactly once (from a rule
fitted without its page), the figures of the repetition are computed on those
predictions, and the table gives their mean over repetitions, with the shipped model
(its corpus calibration and thresholds, unchanged) scored on the same statements.

Rules (``scope`` ``lang``: fitted per language on that language's tune rows; ``pool``:
one rule fitted on the tune rows of both languages):

- ``shift``: one shift of all thresholds in logit space, micro-F1-best on the tune rows;
- ``zoff``: one offset added to the decision values of all themes (equivalently a shift
  of every theme's threshold by ``a_j * offset`` in logit space);
- ``thr_w``: per-theme F1-best thresholds (``best_threshold`` of the training code, on the
  shipped calibrated probabilities), shrunk toward the shipped threshold with weight ``w``
  (``w * tuned + (1 - w) * shipped``); a theme with fewer than ``--min-pos`` positives in
  the tune rows keeps its shipped threshold;
- ``platt_w``: per-theme Platt (a, b) refitted on the tune rows, blended with the corpus
  Platt with weight ``w``, shipped thresholds kept (same min-pos rule);
- ``shift+thr``: the logit shift, then per-theme thresholds shrunk with w 0.5 on top.

Real statements are read, never trained on; every figure here is cross-validated.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from themes.corpus import read_realdev
from themes.evaluate import binarize, multilabel_metrics
from themes.taxonomy import THEME_IDS
from themes.train.calibration import best_threshold, platt_calibration, sigmoid

SHIFT_GRID = np.round(np.arange(-1.5, 1.5001, 0.05), 2)
ZOFF_GRID = np.round(np.arange(-0.4, 0.4001, 0.01), 2)


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def decisions_of_model(path: str):
    """Decision values, labels, languages and pages of every realdev statement, plus the model's calibration."""
    from themes.api import get_model
    from themes.language import detect_language

    model = get_model(path)
    records = read_realdev()
    texts = [r["text"] for r in records]
    z = model.decision_function(texts, [r.get("context") for r in records])
    unread = np.array([detect_language(t, model.languages) is None for t in texts], dtype=bool)
    return {
        "dec": z,
        "Y": binarize([r["themes"] for r in records]),
        "lang": np.array([r["lang"] for r in records]),
        "source": np.array([r["source"] for r in records]),
        "unread": unread,
        "cal": model.calibration,
        "thr": model.thresholds,
        "name": model.name,
    }


def grouped_folds(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold of each row; all rows of a group in one fold, folds of about equal size."""
    rng = np.random.default_rng(seed)
    names, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    order = rng.permutation(len(names))
    order = order[np.argsort(-counts[order], kind="stable")]  # big pages first, ties random
    fold_of_group = np.zeros(len(names), dtype=int)
    size = np.zeros(k)
    for g in order:
        f = int(np.argmin(size + rng.random(k) * 1e-6))
        fold_of_group[g] = f
        size[f] += counts[g]
    return fold_of_group[inverse]


def micro_f1(Y, pred) -> float:
    tp = float((pred & (Y == 1)).sum())
    fp = float((pred & (Y == 0)).sum())
    fn = float((~pred & (Y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


class Rule:
    """A recalibration: fit(z, Y) on tune rows, then predict(z) -> bool (n, T)."""

    def __init__(self, cal, thr, kind, w=1.0, min_pos=5):
        self.a, self.b = np.asarray(cal[0], float), np.asarray(cal[1], float)
        self.thr = np.asarray(thr, float)
        self.kind, self.w, self.min_pos = kind, w, min_pos

    def proba(self, z, a=None, b=None):
        a = self.a if a is None else a
        b = self.b if b is None else b
        return sigmoid(a * z + b)

    def fit(self, z, Y):
        Y = Y.astype(int)
        self.new_a, self.new_b, self.new_thr = self.a.copy(), self.b.copy(), self.thr.copy()
        if self.kind == "shipped":
            return self
        if self.kind in ("shift", "shift+thr"):
            lp, lt = logit(self.proba(z)), logit(self.thr)
            scores = [micro_f1(Y, lp >= lt + d) for d in SHIFT_GRID]
            self.new_thr = sigmoid(lt + self._best(SHIFT_GRID, scores))
        if self.kind == "zoff":
            p = self.proba(z)
            scores = [micro_f1(Y, self.proba(z + d) >= self.thr) for d in ZOFF_GRID]
            off = self._best(ZOFF_GRID, scores)
            # An offset of the decision values is a change of Platt intercept b -> b + a * off.
            self.new_b = self.b + self.a * off
            del p
        if self.kind in ("thr", "shift+thr"):
            base = self.new_thr.copy()
            p = self.proba(z)
            w = self.w if self.kind == "thr" else 0.5
            for j in range(Y.shape[1]):
                if Y[:, j].sum() >= self.min_pos:
                    self.new_thr[j] = w * best_threshold(p[:, j], Y[:, j]) + (1 - w) * base[j]
        if self.kind == "platt":
            for j in range(Y.shape[1]):
                if Y[:, j].sum() >= self.min_pos:
                    a, b = platt_calibration(z[:, j], Y[:, j])
                    self.new_a[j] = self.w * a + (1 - self.w) * self.a[j]
                    self.new_b[j] = self.w * b + (1 - self.w) * self.b[j]
        return self

    @staticmethod
    def _best(grid, scores):
        scores = np.asarray(scores)
        top = np.flatnonzero(scores >= scores.max() - 1e-12)
        return float(grid[top[np.argmin(np.abs(grid[top]))]])  # ties: the smallest move

    def predict(self, z):
        return self.proba(z, self.new_a, self.new_b) >= self.new_thr


RULES = {
    "shipped": dict(kind="shipped"),
    "shift": dict(kind="shift"),
    "zoff": dict(kind="zoff"),
    "thr_w1": dict(kind="thr", w=1.0),
    "thr_w0.5": dict(kind="thr", w=0.5),
    "thr_w0.25": dict(kind="thr", w=0.25),
    "platt_w1": dict(kind="platt", w=1.0),
    "platt_w0.5": dict(kind="platt", w=0.5),
    "shift+thr": dict(kind="shift+thr"),
}


def cross_validated_predictions(data, rule_name, scope, k, seed, min_pos):
    """One repetition: every statement predicted by the rule fitted on the other folds."""
    z, Y, lang = data["dec"], data["Y"], data["lang"]
    folds = grouped_folds(data["source"], k, seed)
    pred = np.zeros(Y.shape, dtype=bool)
    spec = dict(RULES[rule_name])
    for f in range(k):
        tune, measure = folds != f, folds == f
        subsets = [np.ones(len(Y), bool)] if scope == "pool" else [lang == code for code in ("en", "ru")]
        for subset in subsets:
            rule = Rule(data["cal"], data["thr"], min_pos=min_pos, **spec)
            rule.fit(z[tune & subset], Y[tune & subset])
            rows = measure & subset
            pred[rows] = rule.predict(z[rows])
    pred[data["unread"]] = False
    return pred


def summarise(Y, pred):
    m = multilabel_metrics(Y, pred, digits=6)
    return {
        "micro": m["micro"]["f1"],
        "macro": m["macro"]["f1"],
        "P": m["micro"]["precision"],
        "R": m["micro"]["recall"],
        "none": m["none_given_theme"]["rate"],
        "none_n": m["none_given_theme"]["given"],
        "per_theme": {t: v["f1"] for t, v in m["per_theme"].items()},
    }


def run(data, rules, scopes, repeats, k, min_pos):
    lang = data["lang"]
    parts = {"en": lang == "en", "ru": lang == "ru", "all": np.ones(len(lang), bool)}
    results = {}
    for rule in rules:
        for scope in scopes if rule != "shipped" else ["-"]:
            reps = []
            for seed in range(repeats):
                pred = cross_validated_predictions(data, rule, "pool" if scope == "-" else scope, k, seed, min_pos)
                reps.append({p: summarise(data["Y"][m], pred[m]) for p, m in parts.items()})
            results[(rule, scope)] = reps
    return results


def mean(reps, part, key):
    return float(np.mean([r[part][key] for r in reps]))


def table(results, repeats, k):
    base = results[("shipped", "-")]
    lines = [
        f"Grouped {k}-fold CV by source page, {repeats} fold seeds; mean over seeds (d = mean paired "
        "difference from the shipped calibration, [min, max] over seeds).",
        "",
        "| rule | scope | EN micro | d | EN macro | EN P / R | EN none | RU micro | d | RU macro | RU P / R | RU none | all micro | all macro |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (rule, scope), reps in results.items():
        row = [rule, scope]
        for part in ("en", "ru"):
            diffs = [r[part]["micro"] - b[part]["micro"] for r, b in zip(reps, base)]
            row += [
                f"{mean(reps, part, 'micro'):.3f}",
                f"{np.mean(diffs):+.3f} [{min(diffs):+.3f}, {max(diffs):+.3f}]",
                f"{mean(reps, part, 'macro'):.3f}",
                f"{mean(reps, part, 'P'):.3f} / {mean(reps, part, 'R'):.3f}",
                f"{mean(reps, part, 'none'):.3f}",
            ]
        row += [f"{mean(reps, 'all', 'micro'):.3f}", f"{mean(reps, 'all', 'macro'):.3f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def per_theme_table(results, keys, data):
    lines = []
    for part in ("en", "ru"):
        sel = data["lang"] == part
        support = data["Y"][sel].sum(0)
        head = "| theme | n | " + " | ".join(f"{r} {s}" for r, s in keys) + " |"
        lines += [f"{part.upper()} per-theme F1 (mean over fold seeds)", "", head, "|---|---:|" + "---:|" * len(keys)]
        for j, t in enumerate(THEME_IDS):
            cells = [f"{np.mean([r[part]['per_theme'][t] for r in results[key]]):.3f}" for key in keys]
            lines.append(f"| {t} | {int(support[j])} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def in_sample(data, rules, scopes, min_pos):
    """Optimistic figures: each rule fitted and measured on all of realdev (an upper bound,
    not an estimate), plus the exact F1-best cut point of every theme per language."""
    lang = data["lang"]
    lines = ["In-sample (fitted and measured on the same statements: optimistic, a ceiling):", ""]
    for rule in rules:
        for scope in scopes if rule != "shipped" else ["pool"]:
            pred = np.zeros(data["Y"].shape, dtype=bool)
            subsets = [np.ones(len(lang), bool)] if scope == "pool" else [lang == c for c in ("en", "ru")]
            for s in subsets:
                r = Rule(data["cal"], data["thr"], min_pos=min_pos, **RULES[rule]).fit(data["dec"][s], data["Y"][s])
                pred[s] = r.predict(data["dec"][s])
            pred[data["unread"]] = False
            cells = []
            for code in ("en", "ru"):
                m = summarise(data["Y"][lang == code], pred[lang == code])
                cells.append(f"{code.upper()} {m['micro']:.3f} / {m['macro']:.3f}")
            lines.append(f"  {rule} {scope}: " + "  ".join(cells))
    cells = []
    for code in ("en", "ru"):
        z, Y = data["dec"][lang == code], data["Y"][lang == code].astype(bool)
        pred = np.zeros_like(Y)
        for j in range(Y.shape[1]):
            cuts = np.r_[np.unique(z[:, j]), np.inf]
            f1 = [2 * (z[:, j] >= c)[Y[:, j]].sum() / ((z[:, j] >= c).sum() + Y[:, j].sum()) for c in cuts]
            pred[:, j] = z[:, j] >= cuts[int(np.argmax(f1))]
        cells.append(f"{code.upper()} micro {micro_f1(Y.astype(int), pred):.3f}")
    lines.append("  exact F1-best cut point per theme and language: " + "  ".join(cells))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--decisions", help="an .npz with dec, Y, lang, source, unread, cal, thr (instead of --model)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-pos", type=int, default=5)
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--scopes", default="lang,pool")
    parser.add_argument("--per-theme", default="", help="rule_scope names (e.g. shift_lang) to tabulate per theme")
    parser.add_argument("--json", help="write the per-repetition figures here")
    parser.add_argument("--in-sample", action="store_true", help="also print the optimistic in-sample ceiling")
    args = parser.parse_args(argv)
    if args.decisions:
        data = dict(np.load(args.decisions))
        data["name"] = Path(args.decisions).name
    else:
        data = decisions_of_model(args.model)
    print(f"model {data['name']}: {int((data['lang'] == 'en').sum())} EN, {int((data['lang'] == 'ru').sum())} RU statements\n")
    rules = args.rules.split(",")
    if "shipped" not in rules:
        rules = ["shipped"] + rules
    results = run(data, rules, args.scopes.split(","), args.repeats, args.folds, args.min_pos)
    print(table(results, args.repeats, args.folds))
    if args.per_theme:
        keys = [("shipped", "-")] + [tuple(x.rsplit("_", 1)) for x in args.per_theme.split(",")]
        print()
        print(per_theme_table(results, keys, data))
    if args.in_sample:
        print()
        print(in_sample(data, rules, args.scopes.split(","), args.min_pos))
    if args.json:
        Path(args.json).write_text(json.dumps({f"{r}|{s}": v for (r, s), v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
