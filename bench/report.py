"""The report: ``bench/RESULTS.md`` written from the raw figures of a run (``bench/results/run.json``).

Sections, in order: the machine and the data, quality (real statements first, from
``bench/quality.py``), all figures, speed on unseen text (``bench/speed_unseen.py``), themes
vs fastText warm, per-theme F1 on the test split, and what each contender is.
"""

from __future__ import annotations

import json
from pathlib import Path

from themes.taxonomy import THEME_IDS

from baselines import FastTextAutotuneContender, FastTextContender
from common import BATCH, ROOT, SETTINGS, cell
from quality import quality_lines

def fmt(value, spec: str, missing: str = "n/a") -> str:
    return missing if value is None else format(value, spec)


def megabytes(size: int) -> str:
    mb = size / 1e6
    return f"{mb:.2f}" if mb < 10 else f"{mb:,.1f}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def ratio_lines(result: dict) -> list[str]:
    duel = result.get("head_to_head") or {}
    lines = []
    if not duel:
        return ["themes or fastText did not run, so there is no head-to-head."]
    lines += [
        (f"Timed in alternation at the end of the run ({next(iter(duel.values()))['rounds']} rounds, each: one batch "
         f"of {BATCH:,} and 500 single-statement calls per predictor), so both see the same load. Batch: best "
         "round; latency: median of the rounds' mean latency."),
        "",
        "| predictor | batch 10,000: statements/s | single statement: µs |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {d['batch_per_second']:,} | {d['single_mean_us']:.1f} |" for name, d in duel.items()]
    lines.append("")
    for ft_name in (FastTextContender.label, FastTextAutotuneContender.label):
        if ft_name not in duel:
            continue
        ft = duel[ft_name]
        for name in ("themes classify()", "themes predict_proba"):
            if name not in duel:
                continue
            ratio = duel[name]["batch_per_second"] / ft["batch_per_second"]
            lines.append(
                f"- {name} vs {ft_name}: throughput ratio **{ratio:.2f}** ({duel[name]['batch_per_second']:,} vs "
                f"{ft['batch_per_second']:,} statements/s); latency {duel[name]['single_mean_us']:.0f} µs vs "
                f"{ft['single_mean_us']:.0f} µs."
            )
    return lines


def unseen_lines(result: dict) -> list[str]:
    unseen = result.get("unseen_speed")
    if not unseen:
        return ["Not run (`--only` without `unseen`, or it failed: see the log)."]
    if "error" in unseen:
        return [f"Failed: {unseen['error']}."]
    from speed_unseen import table

    return [("From `bench/speed_unseen.py` (run by this script; alone: `python bench/speed_unseen.py`): themes "
             "`classify()` and fastText (tutorial settings) timed in alternation, fresh new words every round; "
             f"{unseen['new_words_per_statement']} new words per statement (names, places, numbers, misspellings)."),
            "", *table(unseen)]


def first_pass_fasttext(rows: dict) -> str:
    ft = rows.get("fasttext")
    return f"{ft['single_first_pass']['mean_us']:.0f} µs" if ft and "single_first_pass" in ft else "n/a"


def write_report(path: Path, json_path: Path, result: dict) -> None:
    rows = {r["key"]: r for r in result["rows"] if "error" not in r and "skipped" not in r}
    m = result["machine"]
    json_name = json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path
    run_kind = "quick run: reduced figures, see the notes" if result["quick"] else "full run"
    load = result["load_average"]
    noisy = load["start"] > 0.5 or load["max"] > 1.5
    corpus = result["corpus"]
    styles = corpus["loso_styles"]
    lines = [
        "# Benchmark: themes and what a user would pick instead",
        "",
        (f"Produced by `{result['command']}` on {result['date']} ({run_kind}), in "
         f"{result['seconds'] / 60:.1f} minutes. Raw figures: `{json_name}`."),
        "",
        f"**Machine**: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, Python {m['python']}.  ",
        "**Libraries**: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v) + ".  ",
        ("**Threads**: one everywhere (OMP/OPENBLAS/MKL_NUM_THREADS=1, threadpoolctl limit 1, "
         "`torch.set_num_threads(1)`, fastText `thread=1`), in this process and in the child processes.  "),
        (f"**Load**: 1-minute load average {load['start']:.2f} at the start, at most {load['max']:.2f} during the "
         f"run (which itself accounts for about 1) on {m['cores']} cores"
         + (": other processes were using the CPU, so the timings are noisy.  " if noisy else ".  ")),
        (f"**Data**: the shipped corpus, {corpus['statements']:,} statements; train split {corpus['train']:,}, "
         f"test split {corpus['test']:,}; LOSO over {len(styles)} styles ({', '.join(styles)}): train on the train "
         "split of the other styles, score every statement of the held-out style; F1 pooled over the folds."),
        "",
        "## Quality: real statements first",
        "",
        *quality_lines(result),
        "",
        "## All figures",
        "",
        ("| contender | test micro F1 | test macro F1 | LOSO micro F1 | LOSO macro F1 | fit s "
         "| batch 1: µs / statement | batch: statements/s | cold start s | size MB | peak RSS MB |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        if "skipped" in r or "error" in r:
            lines.append(f"| {r['label']} | {'skipped' if 'skipped' in r else 'failed'} | | | | | | | | | |")
            continue
        loso = r.get("loso") or {"micro_f1": "as above", "macro_f1": "as above"}
        batch_note = "" if r["batch"]["statements"] == BATCH else f" (batch {r['batch']['statements']:,})"
        lines.append(
            f"| {r['label']} | {r['test']['micro_f1']:.3f} | {r['test']['macro_f1']:.3f} | "
            f"{cell(loso.get('micro_f1', 'not run'))} | {cell(loso.get('macro_f1', 'not run'))} | "
            f"{fmt(r['fit_seconds'], '.1f', 'shipped')} | {r['single']['mean_us']:,.0f} | "
            f"{r['batch']['per_second']:,}{batch_note} | {r['cold_start']['median_s']:.2f} | "
            f"{megabytes(r['size_bytes'])} | {r['peak_memory']['max_rss_mb']:,.0f} |"
        )
    lines += [
        "",
        ("Columns: F1 at each contender's own thresholds; fit = training on the train split (for the embedding "
         "contenders including encoding it); batch 1 = mean latency of single-statement calls, warm (after one pass over the batch; for "
         "the sentence-embedding contenders after 50 calls); "
         f"batch = statements per second scoring one batch of {BATCH:,} (the corpus cycled; best of the repeats, "
         "after a warm-up pass for the light contenders); cold start = a new `python -c` process (imports, model "
         "load, first statement) to its first result, median of repeats; size = the saved model folder; peak "
         "RSS = peak resident memory (VmHWM) of a process that loads the model and scores the batch."),
        "",
        "## Speed on text the model has never seen (cold first)",
        "",
        *unseen_lines(result),
        "",
        "## themes vs fastText, warm cache (every word of the batch seen before)",
        "",
        *ratio_lines(result),
        "",
    ]
    shipped = rows.get("themes_shipped")
    if shipped:
        lines += [
            (f"In the main table's measurement, themes `predict_proba` on models/default took "
             f"{shipped['predict_proba_single']['mean_us']:.0f} µs per single statement and scored "
             f"{shipped['predict_proba_batch']['per_second']:,} statements/s at batch "
             f"{shipped['predict_proba_batch']['statements']:,} (the `classify()` row adds building a `Result` per "
             "statement). On a freshly loaded model, before the warm-up pass, `classify()` took "
             f"{shipped['single_first_pass']['mean_us']:.0f} µs per single statement over the first "
             f"{shipped['single_first_pass']['calls']:,} statements (themes computes a word's character n-grams and "
             f"embedding the first time it meets the word; fastText: {first_pass_fasttext(rows)})."),
            "",
        ]
    lines += ["## Per-theme F1 on the test split", ""]
    keys = list(rows)
    lines.append("| theme | support | " + " | ".join(rows[k]["short"] for k in keys) + " |")
    lines.append("|---|---:|" + "---:|" * len(keys))
    support = result["corpus"]["test_support"]
    for t in THEME_IDS:
        lines.append(f"| {t} | {support[t]} | " + " | ".join(f"{rows[k]['test']['per_theme_f1'][t]:.2f}" for k in keys) + " |")
    lines += ["", "## Contenders", ""]
    for r in result["rows"]:
        if "skipped" in r:
            lines.append(f"- **{r['label']}**: skipped — {r['skipped']}.")
            continue
        if "error" in r:
            lines.append(f"- **{r['label']}**: failed — {r['error']}.")
            continue
        extra = []
        if r["batch"]["statements"] != BATCH or r["peak_memory"]["statements"] != BATCH:
            extra.append(f"batch and peak-memory figures on {r['batch']['statements']:,} / "
                         f"{r['peak_memory']['statements']:,} statements (--quick)")
        if r["single"]["calls"] < 1000:
            extra.append(f"latency over {r['single']['calls']} calls")
        if len(r["cold_start"]["runs_s"]) < 3:
            extra.append(f"cold start from {len(r['cold_start']['runs_s'])} run")
        if r["reload_check"]["mismatched"]:
            extra.append(f"the saved-and-reloaded model differs from the in-memory one on "
                         f"{r['reload_check']['mismatched']} of {r['reload_check']['statements']} test statements")
        if (r.get("loso") or {}).get("skipped"):
            extra.append(f"LOSO {r['loso']['skipped']}")
        if r.get("autotune"):
            a = r["autotune"]
            extra.append(f"autotune ran for {result['settings']['autotune_seconds']} s and chose " + ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                                                       for k, v in (a["hyperparameters"] or {}).items())
                         + f"; threshold {a['threshold']}")
        lines.append(f"- **{r['label']}**: {r['notes']}" + (" " + sentence("; ".join(extra)) if extra else ""))
    lines += ["", f"Quick-run settings: {json.dumps(SETTINGS['quick'])}." if result["quick"] else
              f"Full-run settings: {json.dumps(SETTINGS['full'])}.", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
