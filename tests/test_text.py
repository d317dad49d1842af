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


def _new_words(n: int, seed: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz0123456789") -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(list(alphabet), rng.integers(1, 30))) for _ in range(n)]


def test_char_ngram_index_counts_as_char_ngrams(space):
    from themes.text.normalization import char_ngrams

    from themes.text.lookup import CharNgramIndex

    index = CharNgramIndex(space.chars, space.char_idf, space.char_index.low, space.char_index.high).build()
    assert index.packed
    column = {c: i for i, c in enumerate(space.chars)}
    tokens = _new_words(400, 1) + _new_words(50, 2, "абвгдежзик") + ["", "a", "ab", "café", "uav", "über"]
    indptr, ids, values = index.count(tokens)
    assert len(tokens) >= 24, "under the small-batch size the packed path would not run"
    for i, token in enumerate(tokens):
        expected: dict[int, int] = {}
        for gram in char_ngrams(token, index.low, index.high):
            if gram in column:
                expected[column[gram]] = expected.get(column[gram], 0) + 1
        got_ids = ids[indptr[i] : indptr[i + 1]].tolist()
        assert got_ids == sorted(expected), token
        assert values[indptr[i] : indptr[i + 1]].tolist() == [expected[g] * space.char_idf[g] for g in got_ids]


@pytest.mark.parametrize("sparse_from", [10**9, 1], ids=["numpy-sums", "sparse-product-sums"])
def test_vectorised_word_pieces_equal_word_vector(space, sparse_from, monkeypatch):
    from themes.text import lookup
    from themes.text.lookup import WordPieceIndex

    monkeypatch.setattr(lookup, "SPARSE_SUM_ROWS", sparse_from)
    emb = space.embedding
    words = _new_words(600, 3) + ["unaffable", "café", "x" * 150, "drone", "counterterrorism", "zzzzzzzzzzzzzzzz"]
    vectors = WordPieceIndex(emb).build().vectors(words)
    for word, vector in zip(words, vectors):
        assert (vector == emb.word_vector(word)).all(), word


def test_statements_full_of_new_words_score_the_same_alone_and_in_a_batch():
    from themes import load_model
    from themes.api import default_model_path

    rng = np.random.default_rng(4)
    words = _new_words(3000, 5)
    texts = [" ".join(rng.choice(words, 6)) + " drones financing" for _ in range(200)]
    batch = load_model(default_model_path()).predict_proba(texts)
    model = load_model(default_model_path())
    alone = np.array([model.predict_proba([t])[0] for t in texts])
    np.testing.assert_allclose(batch, alone, rtol=0, atol=1e-12)


def test_a_statement_with_one_new_word_scores_as_in_a_batch(monkeypatch):
    """One or two new words are counted one token at a time (``count_one``); a batch of
    thousands takes the packed n-gram index and the vectorised WordPiece."""
    from themes import load_model
    from themes.api import default_model_path
    from themes.text.lookup import CharNgramIndex

    words = _new_words(4000, 6)
    texts = [f"Border guards detained {w} near the crossing with drones." for w in words[:2000]]
    texts += [f"{a} and {b} financing" for a, b in zip(words[2000:3000], words[3000:4000])]
    in_batch = load_model(default_model_path())
    batch = in_batch.predict_proba(texts)
    assert in_batch.space.char_index.packed and in_batch.space.word_pieces._worth.built
    few_calls = []
    count_one = CharNgramIndex.count_one
    monkeypatch.setattr(CharNgramIndex, "count_one", lambda self, token: few_calls.append(1) or count_one(self, token))
    model = load_model(default_model_path())
    alone = np.array([model.predict_proba([t])[0] for t in texts])
    assert len(few_calls) > len(texts) // 2  # (a few words were met before, by another text)
    # As above: equal to 1e-12 (the embedding's share of a token row is one matrix product
    # for the batch's new tokens and one per token alone; BLAS may sum them in another order).
    np.testing.assert_allclose(batch, alone, rtol=0, atol=1e-12)


def test_the_token_cache_stays_bounded(monkeypatch):
    import themes.text.tokens as tokens
    from themes import load_model
    from themes.api import default_model_path

    monkeypatch.setattr(tokens, "TOKEN_CACHE_LIMIT", 500)
    model = load_model(default_model_path())
    cache = model.space.tokens
    most = 0
    known = "Border guards detained couriers of heroin and drones financed through hawala"
    for k in range(20):
        model.predict_proba([" ".join(_new_words(30, 100 + k * 40 + i)) + " " + known for i in range(40)])
        most = max(most, cache.n_tokens - cache.n_static)
    assert cache.generation > 1
    assert most <= 500 + 40 * 30
    # Vocabulary tokens featurised before a clear keep their n-gram rows (moved to the
    # front of the arrays): the scores after several clears are a fresh model's.
    assert cache.ready[: cache.n_static].any()
    # Names of organisations are read from flags kept per raw word: after the clears too, in
    # a batch and alone (words flagged before the clears, and met again).
    named = ("The Shanghai Cooperation Organization and the Office on Drugs and Crime met; "
             "Совет Организации Договора о коллективной безопасности")
    for k in range(10):  # the names' words are used last at every clear: kept, with their flags
        model.predict_proba([" ".join(_new_words(30, 3000 + k * 40 + i)) + " " + named for i in range(40)])
    texts = [known, "Cyber attacks on power grids and online recruitment", " ".join(_new_words(20, 7)),
             "The Shanghai Cooperation Organization and the Office on Drugs and Crime met.",
             "Совет Организации Договора о коллективной безопасности и Шанхайской организации сотрудничества."]
    fresh = load_model(default_model_path())
    np.testing.assert_allclose(model.predict_proba(texts), fresh.predict_proba(texts), rtol=0, atol=1e-12)
    alone = np.array([model.predict_proba([t])[0] for t in texts])
    np.testing.assert_allclose(alone, fresh.predict_proba(texts), rtol=0, atol=1e-12)


def test_a_cleared_cache_keeps_the_words_used_last(monkeypatch):
    """An archive's next batch does not register its common words all over again."""
    import themes.text.tokens as tokens
    from themes import load_model
    from themes.api import default_model_path

    monkeypatch.setattr(tokens, "TOKEN_CACHE_LIMIT", 400)
    model = load_model(default_model_path())
    cache = model.space.tokens
    recent = [" ".join(_new_words(5, 900 + i)) for i in range(8)]  # 40 new words
    older = [" ".join(_new_words(40, 500 + i)) for i in range(5)]  # 200 more
    model.predict_proba(recent + older)
    model.predict_proba(recent + [" ".join(_new_words(30, 600 + i)) for i in range(10)])  # over the limit
    generation = cache.generation
    model.predict_proba(["Drones."])  # enters reading() with the cache over its limit: clears
    assert cache.generation == generation + 1
    assert cache.n_tokens - cache.n_static <= 200
    registered = []
    add_tokens = cache._add_tokens
    monkeypatch.setattr(cache, "_add_tokens", lambda new, featurize=True: registered.append(new) or add_tokens(new, featurize))
    again = model.predict_proba(recent)
    assert registered == []
    model.predict_proba(older)
    assert registered  # used longer ago: forgotten
    monkeypatch.undo()
    fresh = load_model(default_model_path())
    np.testing.assert_allclose(again, fresh.predict_proba(recent), rtol=0, atol=1e-12)


def test_vocabulary_tokens_are_featurised_when_first_used_not_at_load():
    from themes import load_model
    from themes.api import default_model_path

    model = load_model(default_model_path())
    cache = model.space.tokens
    assert cache.n_static > 1000 and not cache.ready[: cache.n_static].any()
    model.predict_proba(["Drones and hawala financing."])
    ready = [cache.name(t) for t in np.flatnonzero(cache.ready[: cache.n_static]).tolist()]
    assert set(ready) == {"uav", "hawala", "financing"}
    # Featurised lazily or at once, a token brings the same numbers.
    columns, values = model.space.token_chars(model.space.word_tokens("hawala")[0])
    expected = model.space.char_index.count(["hawala"])
    assert columns.tolist() == expected[1].tolist() and values.tolist() == expected[2].tolist()


def test_unit_rows_summed_without_scipy_equal_the_sparse_product(monkeypatch):
    import themes.model as model

    rng = np.random.default_rng(6)
    table = rng.normal(size=(400, 42))
    doc = np.sort(rng.integers(0, 300, 15_000))
    ids = rng.integers(0, 400, 15_000)
    by_rank = model._sum_rows(table, ids, doc, 300)
    monkeypatch.setattr(model, "_SCIPY_MIN_DOCS", 17)
    assert (model._sum_rows(table, ids, doc, 300) == by_rank).all()


def test_bigrams_of_a_few_tokens_are_those_the_array_path_finds(space):
    """Up to SMALL_BATCH content tokens the bigram units come from a dictionary walk; a big
    batch takes the array path. Both give the same units, in the same order."""
    from themes.corpus import load_corpus
    from themes.text.lookup import SMALL_BATCH

    texts = [s.text for s in load_corpus()[:400]]
    with space.reading():
        batch = space.units(texts)
        assert len(batch.token_id) > SMALL_BATCH
        found = 0
        for d, text in enumerate(texts):
            alone = space.units([text])
            at = batch.bigram_doc == d
            assert alone.bigram_id.tolist() == batch.bigram_id[at].tolist()
            assert (alone.bigram_doc == 0).all()
            found += len(alone.bigram_id)
    assert found > 100


def test_a_statement_alone_scores_the_same_floats_as_in_a_batch():
    """Scored alone, a statement takes the one-statement path (1-D rows, float scales, the
    bigram walk); in a batch, the array paths. Once its words are known, the floats are
    the same, bit for bit."""
    from themes import load_model
    from themes.api import default_model_path
    from themes.corpus import load_corpus

    model = load_model(default_model_path())
    texts = [s.text for s in load_corpus()[::40]]
    batch = model.decision_function(texts)
    alone = np.array([model.decision_function([t])[0] for t in texts])
    assert len(texts) > 200
    np.testing.assert_array_equal(alone, batch)


def test_term_matching_of_a_few_tokens_is_the_array_path(space):
    """The dictionary walk used for a few tokens (which stops extending a run that no term
    starts with) finds what the array path finds, in the same order."""
    terms = space.terms
    rng = np.random.default_rng(8)
    runs = []
    for key in terms.keys.tolist():  # every term's lexicon-token ids, from its key
        digits = []
        while key:
            key, digit = divmod(key, terms.base)
            digits.append(digit)
        runs.append(digits[::-1])
    lex, docs = [], []
    for d in range(300):  # statements made of terms, parts of terms and other tokens
        for _ in range(rng.integers(1, 8)):
            run = runs[rng.integers(len(runs))]
            piece = run[: rng.integers(1, len(run) + 1)] if rng.random() < 0.3 else run
            lex += list(piece) + [0] * int(rng.integers(0, 2))
            docs += [d] * (len(piece) + (len(lex) - len(docs) - len(piece)))
    lex, docs = np.array(lex, dtype=np.int64), np.array(docs, dtype=np.int64)
    assert len(lex) > 256  # so that match() takes the array path
    by_arrays = terms.match(lex, docs)
    by_walk = terms._match_small(lex, docs)
    assert len(by_arrays[0]) > 500
    assert [a.tolist() for a in by_walk] == [a.tolist() for a in by_arrays]


def test_a_word_vector_is_numpys_mean_of_its_pieces():
    """word_vector adds up to seven piece rows itself; the floats are numpy's mean's."""
    from themes.embedding import StaticEmbedding

    emb = StaticEmbedding.load()
    words = _new_words(3000, 12)
    checked = 0
    for word in words:
        ids = emb.word_pieces(word)
        if 2 <= len(ids):
            np.testing.assert_array_equal(emb.word_vector(word), emb.vectors[ids].mean(axis=0))
            checked += 1
    assert checked > 1000


def test_raw_word_flags_and_keys_stay_true_across_clears(monkeypatch):
    """Every raw word the cache holds, after any number of clears: its name flags are its
    own (name_word_flags), the set of words that may start a name is exactly those flagged
    1, and each batch key (bytes) names the same raw id as its word."""
    import themes.text.tokens as tokens
    from themes import load_model
    from themes.api import default_model_path
    from themes.text.normalization import SEPARATOR_WORD, name_word_flags, word_of_key

    monkeypatch.setattr(tokens, "TOKEN_CACHE_LIMIT", 300)
    model = load_model(default_model_path())
    cache = model.space.tokens
    named = "the Shanghai Cooperation Organization, the Office on Drugs and Crime, Совет Организации Договора"
    for k in range(8):
        model.predict_proba([" ".join(_new_words(12, 4000 + k * 30 + i)) + (" " + named if i % 3 == 0 else "") for i in range(30)])
        model.predict_proba([named + " " + " ".join(_new_words(3, 5000 + k))])  # a statement alone
        raw = {word: rid for word, rid in cache._raw.items() if rid >= 0}
        assert raw and all(cache.raw_name[rid] == name_word_flags(word) for word, rid in raw.items() if word != SEPARATOR_WORD)
        assert cache.name_first_raw == {rid for rid in raw.values() if cache.raw_name[rid] & 1}
        assert all(raw[word_of_key(key)] == rid for key, rid in cache._raw_keys.items() if rid >= 0)
    assert cache.generation >= 3
