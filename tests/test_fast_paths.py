"""The one-statement and one-new-word fast paths agree with their plain definitions.

A statement scored alone, and a word met for the first time, take paths with no batch arrays
(``FeatureSpace.statement_units``, ``CharNgramIndex.count_one``, ``StaticEmbedding.new_word_vector``,
``TokenCache._featurize_few``, ``ThemeModel._decision_one``, ``api._classify_one``). Each is
compared here with the definition it replaces, on many inputs: Russian, mixed case, digits,
hyphens, other scripts.
"""

from __future__ import annotations

import numpy as np
import pytest

from themes import classify, load_model
from themes.api import default_model_path, get_model

_LATIN = "abcdefghijklmnopqrstuvwxyz0123456789"
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыьэюя"


def _words(n: int, seed: int, alphabet: str = _LATIN, longest: int = 30) -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(list(alphabet), rng.integers(1, longest))) for _ in range(n)]


# Tokens as the cache meets them (lower case, no separators), and odd ones.
TOKENS = (
    _words(800, 1)
    + _words(300, 2, _CYRILLIC, 16)
    + ["", "a", "ab", "aaaaaaa", "abababab", "café", "über", "naïve", "x" * 101, "x" * 100, "2024", "ak47", "zzzz"]
    + ["границ", "беспилотник", "терроризм", "unaffable", "counterterrorism", "drone", "the", "uav", "ﬁnancing"]
)


def _statements(n: int, seed: int) -> list[str]:
    """Statements of known words with new ones: mixed case, digits, hyphens, Russian, other scripts."""
    rng = np.random.default_rng(seed)
    known = "Border guards detained couriers of heroin and drones financed through hawala".split()
    known_ru = "Пограничники задержали курьеров героина и беспилотники финансирования терроризма".split()
    new = _words(400, seed + 1) + _words(200, seed + 2, _CYRILLIC, 12)
    odd = ["Café", "ÜBER-drones", "AK-47s", "12-34-X9", "São", "Ёжик", "Тeррoризм", "مرحبا", "ﬁnancing", "e-mail", "co-operation"]
    out = []
    for i in range(n):
        base = list(known if i % 3 else known_ru)
        rng.shuffle(base)
        base = base[: int(rng.integers(0, len(base) + 1))]
        for _ in range(int(rng.integers(1, 4))):
            word = str(rng.choice(new + odd))
            kind = int(rng.integers(0, 4))
            word = word.upper() if kind == 0 else word.capitalize() if kind == 1 else word
            base.insert(int(rng.integers(0, len(base) + 1)), word)
        joiner = "-" if i % 11 == 0 else " "
        out.append(joiner.join(base) + (". " if i % 2 else ""))
    return out + ["", "   ", "x", "Drones.", "The Shanghai Cooperation Organisation met", "zqxthemesbreakzqx drones"]


@pytest.fixture(scope="module")
def space():
    return get_model().space


@pytest.mark.parametrize("walk", [True, False], ids=["prefix walk", "every n-gram"])
def test_count_one_is_char_ngrams_counted(space, walk):
    from themes.text.lookup import CharNgramIndex
    from themes.text.normalization import char_ngrams

    index = CharNgramIndex(space.chars, space.char_idf, space.char_index.low, space.char_index.high)
    if walk:
        index._check_prefix_closed()
        assert index._prefix_closed  # the shipped model's columns are
    column = {c: i for i, c in enumerate(space.chars)}
    for token in TOKENS:
        expected: dict[int, int] = {}
        for gram in char_ngrams(token, index.low, index.high):
            if gram in column:
                expected[column[gram]] = expected.get(column[gram], 0) + 1
        ids, values = index.count_one(token)
        assert ids == sorted(expected), token
        assert values == [expected[g] * space.char_idf[g] for g in ids], token


@pytest.mark.parametrize("closed", [True, False], ids=["prefix-closed columns", "any columns"])
@pytest.mark.parametrize("low, high", [(3, 5), (2, 4), (1, 3)])
def test_count_one_with_other_columns_and_ranges(low, high, closed):
    """The prefix walk is taken only for columns closed under prefixes; either way the row
    is the plain count's."""
    from themes.text.lookup import CharNgramIndex
    from themes.text.normalization import char_ngrams

    rng = np.random.default_rng(low * 10 + high)
    grams = {g for token in _words(300, 5, "abcdefgh -", 12) for g in char_ngrams(token, low, high)}
    grams = sorted(g for g in grams if rng.random() < 0.5)
    if closed:
        grams = sorted({g[:n] for g in grams for n in range(low, len(g) + 1)})
    index = CharNgramIndex(grams, rng.random(len(grams)) + 0.5, low, high)
    index._check_prefix_closed()
    tokens = _words(500, 6, "abcdefgh", 14) + ["", "a", "ab", "abababab"]
    for token in tokens:
        indptr, ids, values = index._count_plainly([token])
        assert index.count_one(token) == (ids.tolist(), values.tolist()), token
    assert [a.tolist() for a in index._count_one_by_one(tokens)] == [a.tolist() for a in index._count_plainly(tokens)]
    assert index._prefix_closed is closed


def test_fast_wordpiece_and_new_word_vector_are_the_plain_ones(space):
    from themes.embedding import StaticEmbedding

    emb = StaticEmbedding(space.embedding.tokens, space.embedding.vectors)  # caches of its own
    words = TOKENS + _words(2000, 3, _LATIN, 40)
    for word in words:  # the plain WordPiece for the first words, then the fast one
        assert (emb.new_word_vector(word) == emb.word_vector(word)).all(), word
    assert emb._split_vocab is not None
    for word in words:
        assert emb._fast_wordpiece(word) == emb._wordpiece(word), word


def test_mean_vector_is_numpys_mean():
    from themes.embedding import StaticEmbedding

    emb = StaticEmbedding.load()
    rng = np.random.default_rng(4)
    for n in list(range(0, 12)) * 200:
        ids = rng.integers(0, len(emb.tokens), n).tolist()
        expected = emb.vectors[ids].mean(axis=0) if n else np.zeros(emb.dims, np.float32)
        got = emb.mean_vector(ids)
        assert got.dtype == np.float32 and (got == expected).all(), ids


def test_featurize_one_is_the_batch_featurizer(space):
    from themes.text.normalization import STOP_WORDS

    tokens = TOKENS + sorted(space.glossary)[:300]
    stop = np.array([t in STOP_WORDS for t in tokens])
    indptr, ids, values, vectors = space._featurize(tokens, stop)
    for i, token in enumerate(tokens):
        one_ids, one_values, vector = space._featurize_one(token, bool(stop[i]))
        a, b = indptr[i], indptr[i + 1]
        assert one_ids == ids[a:b].tolist(), token
        assert one_values == values[a:b].tolist(), token
        assert vector.dtype == np.float32 and (vector == vectors[i]).all(), token


def test_match_one_is_the_term_walk_of_the_array_path(space, monkeypatch):
    """match_one (which _match_small runs statement by statement) against match's array
    passes, taken for any size here."""
    import themes.text.lookup as lookup

    monkeypatch.setattr(lookup, "SMALL_BATCH", 0)
    terms = space.terms

    def by_arrays(lex):
        return terms.match(lex, np.zeros(len(lex), dtype=np.int64))[1].tolist()

    rng = np.random.default_rng(8)
    n_lex = terms.base - 1
    for _ in range(3000):
        lex = rng.integers(0, n_lex + 1, int(rng.integers(0, 12)))
        lex[rng.random(len(lex)) < 0.4] = 0
        assert terms.match_one(lex.tolist()) == by_arrays(lex)
    # Runs of real terms, so that matches are found.
    for key in terms.keys.tolist()[:500]:
        digits = []
        while key:
            key, digit = divmod(key, terms.base)
            digits.append(digit)
        lex = np.array([0] + digits[::-1] + digits[::-1], dtype=np.int64)
        assert terms.match_one(lex.tolist()) == by_arrays(lex)


def test_statement_units_are_the_units_of_a_batch_of_one():
    from themes.corpus import load_corpus

    model = load_model(default_model_path())
    space = model.space
    corpus = [s.text for s in load_corpus()]
    long = [" ".join(corpus[i : i + 40]) for i in range(0, 400, 40)]  # past SMALL_BATCH tokens: units' array path
    repeated = ["drones " * 9, "terrorism of terrorism, terrorism and terrorism financing of terrorism", "x " * 300, " ".join(corpus[:3]) * 5]
    for text in _statements(300, 10) + long + repeated:
        with space.reading():
            tokens, bigrams, terms = space.statement_units(text)
            u = space.units([text])
        assert tokens.tolist() == u.token_id.tolist(), text
        assert bigrams == u.bigram_id.tolist(), text
        assert terms == u.term_row.tolist(), text


def test_tokens_featurised_one_at_a_time_are_those_of_a_batch():
    """The same new tokens, met a few at a time (``_featurize_few``) by one model and all at
    once (array passes) by another: the same n-gram rows, squares and vectors, and token
    rows equal to 1e-12 (BLAS may sum the embedding product of many rows in another order)."""
    few, batch = load_model(default_model_path()), load_model(default_model_path())
    words = TOKENS[:400]
    for i in range(0, len(words), 2):
        few.space.word_tokens(words[i])
        few.space.word_tokens(words[i + 1]) if i + 1 < len(words) else None
    batch.space.tokens.raw_token_ids(words)
    a, b = few.space.tokens, batch.space.tokens
    checked = 0
    for word in words:
        (ta,), (tb,) = few.space.word_tokens(word) or (None,), batch.space.word_tokens(word) or (None,)
        if ta is None:
            continue
        assert a.name(ta) == b.name(tb)
        ids_a, values_a = a.token_chars(ta)
        ids_b, values_b = b.token_chars(tb)
        assert ids_a.tolist() == ids_b.tolist() and values_a.tolist() == values_b.tolist(), word
        assert a.sq[ta] == pytest.approx(b.sq[tb], rel=0, abs=1e-12)
        assert (a.vectors[ta] == b.vectors[tb]).all(), word
        row_a, row_b = a.table(few._token_table)[ta], b.table(batch._token_table)[tb]
        np.testing.assert_allclose(row_a, row_b, rtol=0, atol=1e-12)
        checked += 1
    assert checked > 300


def test_one_statement_scores_as_the_units_path():
    """``_decision_one`` (statement_units, no batch arrays) gives the floats of the Units
    path for a batch of one, bit for bit, with and without a context."""
    model = load_model(default_model_path())
    texts = _statements(300, 20)
    for i, text in enumerate(texts):
        context = "During the session on border security the participants:" if i % 4 == 0 else None
        alone = np.array(model._decision_one(text, context))
        with model.space.reading():
            expected = model._linear_units([text])  # (the numpy arithmetic of _linear_one)
        if context:
            with model.space.reading():
                expected[0] += model.space.weights["context"] * model._linear_units([context])[0]
        expected += model.intercept
        assert (alone == expected[0]).all(), text
        assert (np.array(model._proba_one(text, context)) == model.calibrate(expected)[0]).all(), text
        assert (model.decision_function([text], [context]) == expected).all(), text


def test_statements_full_of_new_words_score_the_same_alone_as_in_a_batch():
    texts = _statements(300, 30)
    batch = load_model(default_model_path()).predict_proba(texts)
    model = load_model(default_model_path())
    alone = np.array([model._proba_one(t) for t in texts])
    np.testing.assert_allclose(alone, batch, rtol=0, atol=1e-12)
    again = np.array([model._proba_one(t) for t in texts])  # known words now: the same floats
    assert (again == alone).all()


def test_classify_of_one_str_is_classify_of_a_batch_of_one():
    texts = _statements(200, 40) + ["Беспилотники атаковали пограничный пост.", "هاجمت الطائرات المسيرة مركزا حدوديا",
                                    "Ұлттық қауіпсіздік комитеті жиын өткізді.", "x" * 6000 + " drones"]
    model = load_model(default_model_path())
    for i, text in enumerate(texts):
        context = "On border security:" if i % 5 == 0 else ("" if i % 7 == 0 else None)
        one = classify(text, model=model, context=context)
        assert one == classify([text], model=model, context=[context])[0], text
        assert one.thresholds is classify(text, model=model).thresholds  # shared, read-only


def test_thresholds_changed_in_place_are_seen_by_the_next_call():
    model = load_model(default_model_path())
    text = "Border guards shot down a drone near the checkpoint."
    assert "uav" in classify(text, model=model).themes
    j = model.themes.index("uav")
    model.thresholds[j] = 1.0
    result = classify(text, model=model)
    assert "uav" not in result.themes and result.thresholds["uav"] == 1.0


def test_a_repeated_word_counts_at_most_max_unit_repeats_times_alone_and_in_a_batch():
    # A word repeated n times weighed sqrt(n) times one ("terrorism " * 50 collected three
    # themes): the shipped model counts each unit (token, bigram, term) at most 3 times.
    model = get_model()
    assert model.space.max_repeats == 3
    texts = ["drones " * 20, "x " * 1000, "terrorism " * 50, "Граница граница граница граница граница граница."]
    for text, in_batch in zip(texts, classify(texts)):
        assert classify(text).scores == in_batch.scores, text
    # Three tokens and three bigrams either way: nothing past the cap changes a score.
    assert classify("drones " * 4).scores == classify("drones " * 40).scores
    assert classify("x " * 1000).themes == ()
    assert classify("drones " * 20).themes == ("uav",)
