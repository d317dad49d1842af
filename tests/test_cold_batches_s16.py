"""Batches after the token cache is cleared: each distinct new word is read once, the scores
are a fresh model's, and keys of words outside code page 1251 decode as one by one."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from themes.text.normalization import word_key, word_of_key, words_of_keys

WORDS = st.lists(
    st.text(alphabet="abcxyzабвгдеёжэюяçéñßαβγλ'-0123456789", min_size=1, max_size=8).filter(lambda w: "\n" not in w),
    max_size=12,
)


@given(WORDS)
def test_words_of_keys_reads_each_key_as_alone(words):
    keys = [word_key(w) for w in words]
    assert words_of_keys(keys) == [word_of_key(k) for k in keys] == words


def test_a_batch_after_a_clear_reads_each_repeated_word_once(monkeypatch):
    import themes.text.tokens as tokens
    from themes import load_model
    from themes.api import default_model_path

    monkeypatch.setattr(tokens, "TOKEN_CACHE_LIMIT", 300)
    model = load_model(default_model_path())
    cache = model.space.tokens
    fillers = [f"Zorvex{i} Quandrel{i} Pellimar{i}" for i in range(200)]  # 600 new words: over the limit
    model.predict_proba([f"Border guards met {w}." for w in fillers])
    # Every word of this batch is new to the key table after the clear, most of them many times.
    repeated = ["Border guards detained couriers of heroin near Tashqentabad.",
                "Drones attacked a pipeline near Tashqentabad; border guards responded.",
                "Financing of terrorism through hawala and Tashqentabad couriers."] * 30
    read = []
    original = cache._add_keys
    monkeypatch.setattr(cache, "_add_keys", lambda keys: read.append(list(keys)) or original(keys))
    generation = cache.generation
    batch = model.predict_proba(repeated)
    assert cache.generation == generation + 1  # the batch began with a clear
    assert read and all(len(keys) == len(set(keys)) for keys in read)
    monkeypatch.undo()
    fresh = load_model(default_model_path())
    np.testing.assert_allclose(batch, fresh.predict_proba(repeated), rtol=0, atol=1e-12)
    assert np.array_equal(batch[0], batch[3]) and np.array_equal(batch[1], batch[31])
