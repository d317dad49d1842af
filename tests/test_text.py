"""The feature space's batch machinery agrees with its plain definitions."""

from __future__ import annotations

import numpy as np
import pytest

from themes.api import get_model


@pytest.fixture(scope="module")
def space():
    return get_model().space


def test_bigram_hash_table_finds_every_bigram_and_nothing_else(space):
    keys = space.bigrams.keys
    rng = np.random.default_rng(0)
    n = space.n_static_tokens
    # Every bigram, shuffled, and random pairs of static tokens (almost all misses).
    queries = np.concatenate([rng.permutation(keys), (rng.integers(0, n, 20_000) << 32) | rng.integers(0, n, 20_000)])
    at, ids = space.bigrams.lookup(queries)
    expected = [(i, space.bigrams.index[k]) for i, k in enumerate(queries.tolist()) if k in space.bigrams.index]
    assert list(zip(at.tolist(), ids.tolist())) == expected
    assert len(expected) >= len(keys)
    # The small-batch path (a dictionary) gives the same answers.
    small = queries[: len(keys)][:200]
    assert [a.tolist() for a in space.bigrams.lookup(small)] == [at[at < 200].tolist(), ids[at < 200].tolist()]


def test_bigram_hash_table_probes_past_collisions(space):
    # Keys that share a slot must each still be found, in whatever order they were placed.
    slots = space.bigrams.slots(space.bigrams.keys)
    shared = np.flatnonzero(np.bincount(slots) > 1)
    assert len(shared), "no collisions to probe past at this table size"
    colliding = space.bigrams.keys[np.isin(slots, shared)]
    colliding = np.repeat(colliding, 100)  # over the small-batch size, so the hash path runs
    at, ids = space.bigrams.lookup(colliding)
    assert at.tolist() == list(range(len(colliding)))
    assert ids.tolist() == [space.bigrams.index[k] for k in colliding.tolist()]


def test_a_word_with_the_joiner_is_scored_like_any_other_word(space):
    from themes.text.normalization import SEPARATOR_WORD

    ids = space.word_tokens(SEPARATOR_WORD)
    assert len(ids) == 1 and ids[0] >= 0
    assert space.token_name(ids[0]) == SEPARATOR_WORD
