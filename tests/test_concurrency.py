"""Threads: classify from 8 threads equals sequential calls; shared state is loaded once."""

from __future__ import annotations

import random
import threading
import time

import numpy as np
import pytest

import themes.api as api
import themes.text.tokens as token_cache
from themes import classify, load_model
from themes.api import default_model_path

N_THREADS = 8


def statements(n: int, seed: int = 0) -> list[str]:
    """Statements full of words no model has seen, so every thread grows the token caches."""
    rng = random.Random(seed)
    pieces = ["dro", "ne", "fin", "anc", "bor", "der", "cy", "ber", "ter", "ror", "ist", "qua", "zi", "mo", "pla"]
    known = ["drones", "hawala", "border guards", "cyber-attacks", "heroin", "returnees", "exercise", "the", "of"]
    out = []
    for _ in range(n):
        words = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(2, 20))]
        words += rng.sample(known, 2)
        rng.shuffle(words)
        out.append(" ".join(words).capitalize() + ".")
    return out


def run_in_threads(work, n_threads: int = N_THREADS) -> list:
    """Run ``work(k)`` in ``n_threads`` threads released together; re-raise the first error."""
    barrier = threading.Barrier(n_threads)
    results: list = [None] * n_threads
    errors: list[BaseException] = []

    def target(k):
        barrier.wait()
        try:
            results[k] = work(k)
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def classify_interleaved(model, texts: list[str]) -> list:
    """Each thread takes every 8th statement, one at a time, so calls overlap as much as possible."""
    out: list = [None] * len(texts)

    def work(k):
        for i in range(k, len(texts), N_THREADS):
            out[i] = classify(texts[i], model=model)

    run_in_threads(work)
    return out


def assert_same(threaded, sequential):
    assert len(threaded) == len(sequential)
    for a, b in zip(threaded, sequential):
        assert a.text == b.text
        assert a.themes == b.themes
        assert a.scores == pytest.approx(b.scores, abs=1e-12)


@pytest.mark.parametrize("which", ["tiny", "default"])
def test_classify_from_8_threads_equals_sequential(which, tiny_model_dir, tiny_model):
    texts = statements(400, seed=1)
    folder = tiny_model_dir if which == "tiny" else default_model_path()
    reference = load_model(folder)
    sequential = [classify(t, model=reference) for t in texts]
    threaded = classify_interleaved(load_model(folder), texts)  # a fresh model: cold caches
    assert_same(threaded, sequential)


def test_batches_from_8_threads_equal_sequential():
    texts = statements(800, seed=2)
    reference = load_model(default_model_path())
    sequential = classify(texts, model=reference)
    model = load_model(default_model_path())
    chunks = [texts[k::N_THREADS] for k in range(N_THREADS)]
    results = run_in_threads(lambda k: classify(chunks[k], model=model))
    threaded = [None] * len(texts)
    for k, chunk_results in enumerate(results):
        threaded[k::N_THREADS] = chunk_results
    assert_same(threaded, sequential)


def test_threads_agree_while_the_token_cache_is_cleared(monkeypatch):
    """A small cache limit makes threads clear the token cache under each other's feet."""
    texts = statements(400, seed=3)
    reference = load_model(default_model_path())
    sequential = [classify(t, model=reference) for t in texts]
    monkeypatch.setattr(token_cache, "TOKEN_CACHE_LIMIT", 150)
    model = load_model(default_model_path())
    threaded = classify_interleaved(model, texts)
    assert model.space.generation > 0, "the cache was never cleared; the test tested nothing"
    assert_same(threaded, sequential)


def test_explain_from_threads_equals_sequential(tiny_model):
    texts = statements(80, seed=4)
    model = load_model(default_model_path())
    expected = [model.contributions(t) for t in texts]
    fresh = load_model(default_model_path())

    def work(k):
        return [(i, fresh.contributions(texts[i])) for i in range(k, len(texts), N_THREADS)]

    for part in run_in_threads(work):
        for i, (names, kinds, weights) in part:
            assert names == expected[i][0]
            assert kinds == expected[i][1]
            np.testing.assert_allclose(weights, expected[i][2], atol=1e-12)


def test_default_model_is_loaded_once_per_process(monkeypatch):
    calls = []
    real_load = api.load_model

    def slow_counting_load(path):
        calls.append(path)
        time.sleep(0.05)  # widen the window in which a second thread could start a load
        return real_load(path)

    monkeypatch.setattr(api, "_loaded", {})
    monkeypatch.setattr(api, "_default_cache", {})
    monkeypatch.setattr(api, "load_model", slow_counting_load)
    text_ = "Participants discussed countering terrorist use of drones."
    results = run_in_threads(lambda k: (classify(text_), api.get_model()))
    assert len(calls) == 1
    models = {id(model) for _, model in results}
    assert len(models) == 1
    assert {r.themes for r, _ in results} == {results[0][0].themes}
    classify(text_)
    assert len(calls) == 1
    assert list(api._loaded) == [str(default_model_path().resolve())]


def test_same_folder_by_different_paths_is_loaded_once(monkeypatch, tiny_model_dir):
    calls = []
    real_load = api.load_model
    monkeypatch.setattr(api, "_loaded", {})
    monkeypatch.setattr(api, "load_model", lambda path: calls.append(path) or real_load(path))
    first = api.get_model(tiny_model_dir)
    second = api.get_model(str(tiny_model_dir) + "/")
    third = api.get_model(tiny_model_dir / ".." / tiny_model_dir.name)
    assert first is second is third
    assert len(calls) == 1


