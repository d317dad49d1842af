"""A second stage (stacking) for the themes whose evidence is the frame of the statement
(`international_cooperation`, `threat_assessment`), measured on realdev against the
baseline of tools/realdev_round.py (session 13).

    python tools/stacking_experiment.py --seed 0          # one fold seed; writes --out/seed0.json
    python tools/stacking_experiment.py --summary         # the table over the seeds written

The first stage is reproduced step by step as themes.train.fit does it (same folds,
same pipelines, calibration_repeats out-of-fold decision values stacked, Platt and
F1-best thresholds, final pipeline on the whole train split, export, realdev scored as
`themes evaluate` scores it); its realdev figures must equal realdev_round's for the same
seed. The variants then change only the predictions of some themes:

- ``s2_<themes>_<inputs>``: a logistic regression per theme (the second stage) on the
  first stage's calibrated scores of all 13 themes (as logits, standardised), trained on
  the out-of-fold scores of the train split (the calibration_repeats copies stacked);
  its own out-of-fold decision values (folds of the first repeat, a statement's copies in
  one fold) get a Platt calibration and an F1-best threshold exactly as the first stage's
  (themes.train.calibrate_and_threshold). At inference it reads the final first stage's
  calibrated scores. ``inputs``: ``p`` the 13 scores; ``plus`` also log(1 + tokens) and
  the 13 lexicon columns of the feature matrix.
- ``dense_<w>``: the cheap variant. The classifiers of IC and TA read the 13 out-of-fold
  scores (mean of the repeats) as extra dense columns, times w; calibration and thresholds
  from their own out-of-fold values over the same folds as the first stage (the extra
  columns of the held-out rows are the same out-of-fold scores, so the fold models see
  scores made with the held-out rows in their training set: a small leak, in its favour).
  At inference the extra columns are the final first stage's calibrated scores.

Realdev is only measured here, never trained on.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from themes.api import read_statements
from themes.corpus import find_realdev, merge_releases, read_realdev, shipped_releases, train_test_split
from themes.evaluate import binarize, multilabel_metrics
from themes.language import LANGUAGES
from themes.taxonomy import THEME_IDS
from themes.text import normalize_tokens
from themes.train import TrainingConfig, calibrate_and_threshold, export_model, multilabel_folds
from themes.train.fitting import _fit_pipeline, _xy

IC = THEME_IDS.index("international_cooperation")
TA = THEME_IDS.index("threat_assessment")
N_LEX = len(THEME_IDS)


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lexicon_columns(pipeline, X):
    """The 13 lexicon columns of the feature matrix (weighted as the classifier reads them)."""
    M = pipeline.named_steps["features"].transform(X)
    space = pipeline.named_steps["features"].space_
    return np.asarray(M[:, space.n_sparse - N_LEX : space.n_sparse].todense()), M


def n_tokens(X):
    return np.array([np.log1p(len(normalize_tokens(t))) for t, _ in X])


class Stage2:
    """Per-theme logistic regression on standardised inputs (numpy at inference)."""

    def __init__(self, themes, C=1.0):
        self.themes = themes
        self.C = C

    def fit(self, F, Y):
        self.mu = F.mean(0)
        self.sd = F.std(0) + 1e-9
        Z = (F - self.mu) / self.sd
        self.coef, self.intercept = {}, {}
        for j in self.themes:
            lr = LogisticRegression(C=self.C, solver="lbfgs", max_iter=2000)
            lr.fit(Z, Y[:, j])
            self.coef[j] = lr.coef_.ravel()
            self.intercept[j] = float(lr.intercept_[0])
        return self

    def decision(self, F):
        Z = (F - self.mu) / self.sd
        return {j: Z @ self.coef[j] + self.intercept[j] for j in self.themes}


def run(seed: int, out: Path, dense_weights=(0.6, 1.5)) -> dict:
    cfg = TrainingConfig.from_dict({}).to_dict()
    statements, _ = merge_releases(shipped_releases())
    train_set, test_set = train_test_split(statements)
    X, Y = _xy(train_set)
    Y = Y.astype(int)
    n = len(X)
    R = cfg.get("calibration_repeats", 1)
    started = time.perf_counter()

    # ---- first stage, as fit() does it, keeping each fold's features for the cheap variant
    decisions, fold_cache, folds_all = [], [], []
    for r in range(R):
        folds = multilabel_folds(Y, cfg["n_folds"], seed + r)
        folds_all.append(folds)
        decision = np.zeros(Y.shape)
        for f in range(cfg["n_folds"]):
            tr = np.flatnonzero(folds != f)
            te = np.flatnonzero(folds == f)
            pipe = _fit_pipeline([X[i] for i in tr], Y[tr], cfg, seed + r)
            feats = pipe.named_steps["features"]
            Mtr = feats.transform([X[i] for i in tr])
            Mte = feats.transform([X[i] for i in te])
            decision[te] = pipe.named_steps["classifier"].decision_function(Mte)
            clf = pipe.named_steps["classifier"]
            seen = {j: (clf._seen(THEME_IDS[j], Mtr.shape[1]) if hasattr(clf, "_seen") else np.ones(Mtr.shape[1])) for j in (IC, TA)}
            fold_cache.append((r, tr, te, Mtr, Mte, seen, clf.estimator))
        decisions.append(decision)
        print(f"  repeat {r}: {time.perf_counter() - started:.0f} s", flush=True)
    calibration, thresholds, stacked_proba = calibrate_and_threshold(np.vstack(decisions), np.vstack([Y] * R))
    P_oof = [stacked_proba[r * n : (r + 1) * n] for r in range(R)]  # calibrated OOF scores per repeat
    pipeline = _fit_pipeline(X, Y, cfg, seed)
    model = export_model(pipeline, calibration, thresholds)
    model.manifest["languages"] = [code for code in LANGUAGES if any(s.lang == code for s in train_set)]

    # ---- evaluation sets: realdev EN, RU (read as `themes evaluate` reads them), test split
    folder = find_realdev()
    sets = {}
    for lang, key in (("en", "realdev"), ("ru", "realdev_ru")):
        records = read_realdev(folder, lang=lang)
        texts, contexts = [r["text"] for r in records], [r.get("context") for r in records]
        read = read_statements(texts, contexts, model)
        Xs = list(zip(read.texts, read.contexts))
        P1 = model.predict_proba(read.texts, read.contexts)
        P1[list(read.reasons)] = 0.0
        sets[key] = dict(X=Xs, P1=P1, Y=binarize([r.get("themes", []) for r in records]), unscored=list(read.unscored))
    Xt, Yt = _xy(test_set)
    sets["test"] = dict(X=Xt, P1=model.predict_proba([x[0] for x in Xt], [x[1] for x in Xt]), Y=Yt, unscored=[])
    for s in sets.values():
        s["lex"], s["M"] = lexicon_columns(pipeline, s["X"])
        s["len"] = n_tokens(s["X"])

    def figures(pred_of):
        out = {}
        for key, s in sets.items():
            pred = pred_of(key, s).copy()
            pred[s["unscored"]] = False
            m = multilabel_metrics(s["Y"], pred)
            out[key] = {
                "micro": m["micro"]["f1"], "macro": m["macro"]["f1"],
                "IC": m["per_theme"]["international_cooperation"]["f1"],
                "TA": m["per_theme"]["threat_assessment"]["f1"],
            }
        return out

    results = {"baseline": figures(lambda key, s: s["P1"] >= thresholds)}
    print("  baseline", results["baseline"], flush=True)

    # ---- second stage
    lex_train, _ = lexicon_columns(pipeline, X)
    len_train = n_tokens(X)
    groups = folds_all[0]

    def inputs(P, lex, length, kind):
        F = logit(P)
        if kind == "plus":
            F = np.hstack([F, length[:, None], lex])
        return F

    for themes_name, themes in (("icta", [IC, TA]), ("all", list(range(len(THEME_IDS))))):
        for kind in ("p", "plus"):
            F_stack = np.vstack([inputs(P_oof[r], lex_train, len_train, kind) for r in range(R)])
            Y_stack = np.vstack([Y] * R)
            g_stack = np.concatenate([groups] * R)
            oof2 = np.zeros((len(F_stack), len(themes)))
            for f in range(cfg["n_folds"]):
                tr, te = g_stack != f, g_stack == f
                st = Stage2(themes).fit(F_stack[tr], Y_stack[tr])
                d = st.decision(F_stack[te])
                for k, j in enumerate(themes):
                    oof2[te, k] = d[j]
            cal2, thr2, _ = calibrate_and_threshold(oof2, Y_stack[:, themes])
            final = Stage2(themes).fit(F_stack, Y_stack)

            def pred_of(key, s, final=final, cal2=cal2, thr2=thr2, themes=themes, kind=kind):
                pred = s["P1"] >= thresholds
                d = final.decision(inputs(s["P1"], s["lex"], s["len"], kind))
                for k, j in enumerate(themes):
                    pred[:, j] = sigmoid(cal2[0, k] * d[j] + cal2[1, k]) >= thr2[k]
                return pred

            name = f"s2_{themes_name}_{kind}"
            results[name] = figures(pred_of)
            print(f"  {name}", results[name], flush=True)

    # ---- cheap variant: the 13 OOF scores as extra dense columns of IC's and TA's classifiers
    P_feat = np.mean(P_oof, axis=0)
    for w in dense_weights:
        dec = {j: [np.zeros(n) for _ in range(R)] for j in (IC, TA)}
        for r, tr, te, Mtr, Mte, seen, estimator in fold_cache:
            A_tr = sp.hstack([Mtr, sp.csr_matrix(w * P_feat[tr])], format="csr")
            A_te = sp.hstack([Mte, sp.csr_matrix(w * P_feat[te])], format="csr")
            for j in (IC, TA):
                mask = np.concatenate([seen[j], np.ones(N_LEX)])
                est = clone(estimator).fit(A_tr @ sp.diags(mask), Y[tr, j])
                dec[j][r][te] = np.asarray(A_te @ sp.diags(mask) @ est.coef_.ravel()) + est.intercept_[0]
        cal3, thr3, _ = calibrate_and_threshold(
            np.column_stack([np.concatenate(dec[j]) for j in (IC, TA)]), np.vstack([Y] * R)[:, [IC, TA]]
        )
        clf = pipeline.named_steps["classifier"]
        M_full = pipeline.named_steps["features"].transform(X)
        A_full = sp.hstack([M_full, sp.csr_matrix(w * P_feat)], format="csr")
        finals = {}
        for j in (IC, TA):
            s_ = clf._seen(THEME_IDS[j], M_full.shape[1]) if hasattr(clf, "_seen") else np.ones(M_full.shape[1])
            mask = np.concatenate([s_, np.ones(N_LEX)])
            finals[j] = (mask, clone(clf.estimator).fit(A_full @ sp.diags(mask), Y[:, j]))

        def pred_of(key, s, finals=finals, cal3=cal3, thr3=thr3, w=w):
            pred = s["P1"] >= thresholds
            A = sp.hstack([s["M"], sp.csr_matrix(w * s["P1"])], format="csr")
            for k, j in enumerate((IC, TA)):
                mask, est = finals[j]
                d = np.asarray(A @ sp.diags(mask) @ est.coef_.ravel()) + est.intercept_[0]
                pred[:, j] = sigmoid(cal3[0, k] * d + cal3[1, k]) >= thr3[k]
            return pred

        name = f"dense_{w}"
        results[name] = figures(pred_of)
        print(f"  {name}", results[name], flush=True)

    results["_seconds"] = round(time.perf_counter() - started)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"seed{seed}.json").write_text(json.dumps(results, indent=1))
    return results


def summary(out: Path) -> None:
    files = sorted(out.glob("seed*.json"), key=lambda p: int(p.stem[4:]))
    runs = {int(p.stem[4:]): json.loads(p.read_text()) for p in files}
    seeds = sorted(runs)
    variants = [k for k in runs[seeds[0]] if not k.startswith("_")]
    cols = [("realdev", "micro"), ("realdev", "macro"), ("realdev", "IC"), ("realdev", "TA"),
            ("realdev_ru", "micro"), ("realdev_ru", "macro"), ("realdev_ru", "IC"), ("realdev_ru", "TA"), ("test", "micro")]
    names = ["EN micro", "EN macro", "EN IC", "EN TA", "RU micro", "RU macro", "RU IC", "RU TA", "test micro"]
    print(f"seeds {seeds}; each cell: seed values, then the mean")
    print("| variant | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for v in variants:
        cells = []
        for key, m in cols:
            vals = [runs[s][v][key][m] for s in seeds]
            cells.append(", ".join(f"{x:.3f}" for x in vals) + f" (**{np.mean(vals):.3f}**)")
        print(f"| {v} | " + " | ".join(cells) + " |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="/tmp/s13/stacking")
    parser.add_argument("--summary", action="store_true")
    args = parser.parse_args(argv)
    if args.summary:
        summary(Path(args.out))
    else:
        run(args.seed, Path(args.out))


if __name__ == "__main__":
    main()
