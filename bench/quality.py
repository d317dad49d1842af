"""Quality for the benchmark: F1 of a contender on real text, the test split and LOSO, and its table.

Real development statements (``../shared/realdev`` or ``$THEMES_REALDEV``, read by
``common.read_real_statements``) are statements no one in the project wrote; they are never
trained on. :func:`measure_quality` fits a contender on the train split and scores it on
them, on the test split and on leave-one-style-out folds; the quality table of
``bench/RESULTS.md`` (:func:`quality_lines`) leads with the real statements.
"""

from __future__ import annotations

import time

import numpy as np
from threadpoolctl import threadpool_limits

from themes.corpus import Statement
from themes.evaluate import multilabel_metrics
from themes.taxonomy import THEME_IDS

from baselines import FastTextAutotuneContender, MiniLMContender
from common import Bench, as_matrix, cell, gold, log
from contenders import Contender, ThemesContender

__all__ = ["measure_quality", "quality_lines", "reads_language"]


def reads_language(statements: list[Statement]) -> bool:
    """Whether themes scores these statements (classify reports text it cannot read as not scored)."""
    from themes.api import not_scored_reason

    return 2 * sum(not_scored_reason(s.text) is not None for s in statements) < len(statements)


def measure_quality(bench: Bench, contender: Contender, row: dict) -> tuple[dict, np.ndarray]:
    """Fit on the train split; F1 on the test split, the real statements and LOSO, into ``row``.

    Returns what the fit learned (the names ``predict`` uses) and the test-split predictions,
    against which the saved and reloaded contender is checked.
    """
    s = bench.settings
    test_truth = gold(bench.test)

    # Fit on the train split, score the test split.
    log(f"{contender.key}: fit")
    with threadpool_limits(1):
        started = time.perf_counter()
        names = contender.fit(bench, bench.train)
        row["fit_seconds"] = time.perf_counter() - started
        if isinstance(contender, MiniLMContender):
            row["fit_seconds"] += bench.encode_seconds["train"]
        if not contender.trains:
            row["fit_seconds"] = None
        test_pred = contender.predict_matrix(bench, names, bench.test)
    metrics = multilabel_metrics(test_truth, test_pred)
    row["test"] = {"micro_f1": metrics["micro"]["f1"], "macro_f1": metrics["macro"]["f1"],
                   "micro_precision": metrics["micro"]["precision"], "micro_recall": metrics["micro"]["recall"],
                   "per_theme_f1": {t: metrics["per_theme"][t]["f1"] for t in THEME_IDS},
                   "per_theme": metrics["per_theme"]}
    log(f"{contender.key}: test micro F1 {metrics['micro']['f1']:.3f}, macro {metrics['macro']['f1']:.3f}")
    # Real statements no one in the project wrote (realdev), per language.
    row["realdev"] = {}
    for lang, statements in bench.realdev.items():
        if isinstance(contender, ThemesContender) and not reads_language(statements):
            row["realdev"][lang] = {"skipped": f"the model does not read {lang} (classify reports it not scored)"}
            continue
        with threadpool_limits(1):
            pred = as_matrix(contender.predict_matrix(bench, names, statements))
        if lang != "en" and not pred.any():
            row["realdev"][lang] = {"skipped": f"no theme predicted on any {lang} statement: it does not read {lang}"}
            continue
        real = multilabel_metrics(gold(statements), pred)
        row["realdev"][lang] = {"statements": len(statements), "micro_f1": real["micro"]["f1"], "macro_f1": real["macro"]["f1"],
                                "micro_precision": real["micro"]["precision"], "micro_recall": real["micro"]["recall"],
                                "per_theme_f1": {t: real["per_theme"][t]["f1"] for t in THEME_IDS}}
        log(f"{contender.key}: realdev {lang} micro F1 {real['micro']['f1']:.3f}, macro {real['macro']['f1']:.3f}")
    if isinstance(contender, FastTextAutotuneContender):
        row["autotune"] = contender.describe()

    # Leave one style out.
    skip_loso = isinstance(contender, FastTextAutotuneContender) and not s["autotune_loso"]
    if skip_loso:
        row["loso"] = {"skipped": "not run in --quick"}
    elif contender.trains:
        truths, preds, per_style = [], [], {}
        started = time.perf_counter()
        with threadpool_limits(1):
            for style, train, held in bench.loso_folds():
                fold_names = contender.fit(bench, train)
                pred = contender.predict_matrix(bench, fold_names, held)
                truth = gold(held)
                per_style[style] = multilabel_metrics(truth, pred)["micro"]["f1"]
                truths.append(truth)
                preds.append(pred)
                del fold_names
        pooled = multilabel_metrics(np.vstack(truths), np.vstack(preds))
        row["loso"] = {"micro_f1": pooled["micro"]["f1"], "macro_f1": pooled["macro"]["f1"],
                       "per_style_micro_f1": per_style, "seconds": round(time.perf_counter() - started, 1)}
        log(f"{contender.key}: LOSO ({len(per_style)} folds) micro F1 {pooled['micro']['f1']:.3f}")
    else:
        row["loso"] = None
    return names, test_pred


def quality_lines(result: dict) -> list[str]:
    """The quality table, real statements first, then the corpus figures; per-theme realdev F1."""
    done = [r for r in result["rows"] if "skipped" not in r and "error" not in r]
    found = [lang for lang in ("en", "ru") if lang in result.get("realdev", {})]
    langs = [lang for lang in found if any("micro_f1" in r.get("realdev", {}).get(lang, {}) for r in done)]
    lines = [result.get("realdev_notice", ""), ""]
    for lang in sorted(set(found) - set(langs)):
        lines += [f"The {result['realdev'][lang]} real {lang} statements are left out: no contender here reads {lang} "
                  "(themes reports them not scored; the others predict no theme on any of them).", ""]
    head = "| contender | " + "".join(f"realdev {lang} micro F1 | realdev {lang} macro F1 | " for lang in langs)
    head += "test micro F1 | test macro F1 | LOSO micro F1 | LOSO macro F1 |"
    lines += [head, "|---|" + "---:|" * (2 * len(langs) + 4)]
    for r in done:
        cells = []
        for lang in langs:
            real = r.get("realdev", {}).get(lang, {})
            cells += [cell(real.get("micro_f1", "not read")), cell(real.get("macro_f1", "not read"))]
        loso = r.get("loso") or {"micro_f1": "as above", "macro_f1": "as above"}
        cells += [f"{r['test']['micro_f1']:.3f}", f"{r['test']['macro_f1']:.3f}",
                  cell(loso.get("micro_f1", "not run")), cell(loso.get("macro_f1", "not run"))]
        lines.append(f"| {r['label']} | " + " | ".join(cells) + " |")
    for lang in langs:
        scored = [r for r in done if "micro_f1" in r.get("realdev", {}).get(lang, {})]
        if not scored:
            continue
        lines += ["", f"Per-theme F1 on the real statements ({lang}, {result['realdev'][lang]} statements):", "",
                  "| theme | " + " | ".join(r["short"] for r in scored) + " |", "|---|" + "---:|" * len(scored)]
        for t in THEME_IDS:
            lines.append(f"| {t} | " + " | ".join(f"{r['realdev'][lang]['per_theme_f1'][t]:.2f}" for r in scored) + " |")
    return lines
