"""Speed for the benchmark: a contender saved, reloaded as a user would, and timed warm and cold.

:func:`save` writes what a contender learned to a folder (its size is a figure);
:func:`measure_speed` loads it back, checks it predicts as before, times single-statement
calls and a batch (warm), then starts fresh processes for the cold start and peak memory.
themes and fastText are kept in :data:`HEAD_TO_HEAD` and timed again in alternation at
the end of the run (:func:`head_to_head`). Speed on text never seen is
``bench/speed_unseen.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from baselines import FastTextContender
from common import ROOT, SHIPPED_MODEL, Bench, as_matrix, folder_bytes, log
from contenders import Contender, ShippedThemesContender

#: Loaded predictors of themes and fastText, timed again side by side at the end of the run.
HEAD_TO_HEAD: dict[str, dict] = {}


def time_single(predictor: dict, texts: list[str], contexts: list, n: int) -> dict:
    one = predictor.get("predict_one")
    predict = predictor["predict"]
    call = one if one is not None else (lambda t, c: predict([t], [c]))
    for i in range(min(50, n)):  # warm-up
        call(texts[i % len(texts)], contexts[i % len(texts)])
    latencies = np.empty(n)
    clock = time.perf_counter_ns
    for i in range(n):
        t, c = texts[i % len(texts)], contexts[i % len(texts)]
        started = clock()
        call(t, c)
        latencies[i] = clock() - started
    latencies /= 1000.0
    return {
        "calls": n,
        "mean_us": round(float(latencies.mean()), 1),
        "median_us": round(float(np.median(latencies)), 1),
        "p99_us": round(float(np.percentile(latencies, 99)), 1),
        "per_second": round(1e6 / float(latencies.mean())),
    }


def time_batch(predictor: dict, texts: list[str], contexts: list, repeats: int) -> dict:
    predict = predictor["predict"]
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        predict(texts, contexts)
        runs.append(time.perf_counter() - started)
    best = min(runs)  # best of the repeats: the least disturbed by other processes
    return {
        "statements": len(texts),
        "runs_seconds": [round(r, 4) for r in runs],
        "per_second": round(len(texts) / best),
    }


def run_child(code: str, timeout: float) -> dict:
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=str(ROOT), env=os.environ.copy(), check=False)
    ended = time.time()
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    first = rss = None
    for line in proc.stdout.splitlines():
        if line.startswith("FIRST "):
            first = float(line.split()[1])
        elif line.startswith("RSS_KB "):
            rss = int(line.split()[1])
    return {"first_result_s": first - started, "process_s": ended - started, "rss_kb": rss}


def save(bench: Bench, contender: Contender, names: dict, row: dict) -> Path:
    """Save what ``contender`` learned (the shipped model is already a folder); its size into ``row``."""
    if contender.trains:
        folder = bench.workdir / contender.key
        with threadpool_limits(1):
            contender.save(names, folder)
        row["size_bytes"] = folder_bytes(folder)
    else:
        folder = SHIPPED_MODEL
        row["size_bytes"] = folder_bytes(folder, skip=("pipeline.joblib",))
        row["size_bytes_with_pipeline_joblib"] = folder_bytes(folder)
    return folder


def measure_speed(bench: Bench, contender: Contender, folder: Path, test_pred: np.ndarray, row: dict) -> None:
    """Reload ``folder`` the way a user would, check it predicts ``test_pred`` again, then time it
    warm (single calls, a batch) and cold (fresh processes: first result, peak memory), into ``row``."""
    s = bench.settings
    heavy = "_heavy" if contender.heavy else ""
    texts, contexts = bench.batch_texts, bench.batch_contexts
    with threadpool_limits(1):
        predictor = contender.loaded_predictor(folder)
        n_check = (s["reload_check_heavy"] if contender.heavy else None) or len(bench.test)
        check = bench.test[:n_check]
        reloaded = as_matrix(predictor["predict"]([x.text for x in check], [x.context for x in check]))
        row["reload_check"] = {"statements": n_check,
                               "mismatched": int((reloaded != test_pred[:n_check]).any(axis=1).sum())}
        log(f"{contender.key}: speed")
        n_batch = s["batch" + heavy]
        if not contender.heavy:
            # A fresh model first (themes fills its per-token cache as it meets new words),
            # then a warm-up pass over the whole batch, so that the counted figures are warm.
            row["single_first_pass"] = time_single(predictor, texts, contexts, s["single_calls"])
            predictor["predict"](texts[:n_batch], contexts[:n_batch])
        row["single"] = time_single(predictor, texts, contexts, s["single_calls" + heavy])
        row["batch"] = time_batch(predictor, texts[:n_batch], contexts[:n_batch], s["batch_repeats" + heavy])
        if isinstance(contender, ShippedThemesContender):
            proba = {"model": predictor["model"]}
            exec(contender.imports + "\n" + contender.proba_predict, proba)  # noqa: S102
            row["predict_proba_single"] = time_single(proba, texts, contexts, s["single_calls"])
            row["predict_proba_batch"] = time_batch(proba, texts[:n_batch], contexts[:n_batch], s["batch_repeats"])
            HEAD_TO_HEAD["themes classify()"] = predictor
            HEAD_TO_HEAD["themes predict_proba"] = proba
        elif isinstance(contender, FastTextContender):
            HEAD_TO_HEAD[contender.label] = predictor
    del predictor

    # Cold start and peak memory in fresh processes: the first one goes on, after its first
    # result, to score the memory batch; the others stop at the first result.
    log(f"{contender.key}: cold start and memory")
    first = bench.test[0]
    n_memory = s["memory_batch" + heavy]
    cold = [run_child(contender.program(folder, first.text, first.context, n_memory if i == 0 else 0, bench.data_file),
                      timeout=1800)
            for i in range(s["cold_runs" + heavy])]
    row["cold_start"] = {"runs_s": [round(c["first_result_s"], 3) for c in cold],
                         "median_s": round(statistics.median(c["first_result_s"] for c in cold), 3)}
    row["peak_memory"] = {"statements": n_memory, "max_rss_mb": round(cold[0]["rss_kb"] / 1024, 1)}
    log(f"{contender.key}: {row['single']['mean_us']:.0f} us/statement single, "
        f"{row['batch']['per_second']}/s at batch {n_batch}, cold start {row['cold_start']['median_s']} s, "
        f"{row['size_bytes'] / 1e6:.1f} MB, peak {row['peak_memory']['max_rss_mb']} MB")


def head_to_head(bench: Bench, rounds: int) -> dict:
    """themes and fastText timed in alternation, so that both see the same load.

    Each round times every predictor on the batch of 10,000 and on 500 single calls.
    Reported: the best batch round and the median of the rounds' mean latencies.
    """
    texts, contexts = bench.batch_texts, bench.batch_contexts
    batch: dict[str, list[float]] = {name: [] for name in HEAD_TO_HEAD}
    single: dict[str, list[float]] = {name: [] for name in HEAD_TO_HEAD}
    with threadpool_limits(1):
        for round_ in range(rounds):
            for name, predictor in HEAD_TO_HEAD.items():
                start = (round_ * 500) % len(texts)
                single[name].append(time_single(predictor, texts[start:start + 500], contexts[start:start + 500], 500)["mean_us"])
                started = time.perf_counter()
                predictor["predict"](texts, contexts)
                batch[name].append(time.perf_counter() - started)
    return {
        name: {"rounds": rounds, "batch_per_second": round(len(texts) / min(batch[name])),
               "batch_runs_seconds": [round(b, 4) for b in batch[name]],
               "single_mean_us": round(statistics.median(single[name]), 1), "single_round_means_us": single[name]}
        for name in HEAD_TO_HEAD
    }
