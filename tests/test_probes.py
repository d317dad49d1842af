"""The hard-case probe (``bench/probes/hard_cases.jsonl``) stays an evaluation set.

It measures how often a model falls for the codebook's hard negatives; its figures mean
something only while no model is trained on it. These tests fail when a probe statement,
or a near-copy of one, enters the shipped corpus, and when the file stops being what
``themes evaluate`` (the command its README gives) reads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from themes.corpus import load_corpus
from themes.evaluate import read_labelled
from themes.taxonomy import THEME_IDS

PROBE = Path(__file__).resolve().parents[1] / "bench" / "probes" / "hard_cases.jsonl"
NEAR_COPY = 0.8  # tools/check_part.py's bar for a near-copy inside the corpus


def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@pytest.fixture(scope="module")
def probe():
    return [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_themes_evaluate_reads_every_probe_statement(probe):
    texts, contexts, labels, ids = read_labelled(PROBE)
    assert len(texts) == len(probe) >= 200
    assert all(set(themes) <= set(THEME_IDS) for themes in labels)
    assert len(set(ids)) == len(ids)
    assert sum(not themes for themes in labels) >= len(labels) // 2  # mostly hard negatives
    assert {r["lang"] for r in probe} == {"en", "ru"}


def test_no_probe_statement_is_in_the_shipped_corpus(probe):
    corpus = load_corpus()
    corpus_ids = {s.id for s in corpus}
    assert not corpus_ids & {r["id"] for r in probe}
    plain_corpus = {_plain(s.text) for s in corpus}
    assert not [r["id"] for r in probe if _plain(r["text"]) in plain_corpus]
    # Nor a near-copy: word 1-3-gram TF-IDF cosine, as tools/check_part.py measures it.
    vectorizer = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True).fit([s.text for s in corpus] + [r["text"] for r in probe])
    similarity = vectorizer.transform([r["text"] for r in probe]) @ vectorizer.transform([s.text for s in corpus]).T
    closest = similarity.max(axis=1).toarray().ravel()
    too_close = [(probe[i]["id"], round(float(closest[i]), 2)) for i in range(len(probe)) if closest[i] > NEAR_COPY]
    assert not too_close, f"probe statements copied into the corpus: {too_close}"
