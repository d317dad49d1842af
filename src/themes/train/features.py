"""The training side of the features: a scikit-learn transformer over the numpy-only
:class:`themes.text.FeatureSpace`, so training and inference build identical features."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from themes.text import FeatureSpace, STOP_WORDS, char_ngrams, load_glossary, load_lexicon, normalize_tokens, smooth_idf

__all__ = ["ThemeFeatures", "embedding_dims"]


def _embedding():
    """The shipped static embedding (inside the default model), or None where it is absent."""
    from themes.embedding import DEFAULT_FOLDER, StaticEmbedding

    if not (DEFAULT_FOLDER / "vectors.npy").exists():
        return None
    return StaticEmbedding.load(DEFAULT_FOLDER)


def embedding_dims(use_embedding: bool) -> int:
    """Columns the embedding adds after the sparse blocks (0 without it): the width of its
    vectors, as :attr:`StaticEmbedding.dims` reads it, from the array's header alone."""
    from themes.embedding import DEFAULT_FOLDER

    if not use_embedding or not (DEFAULT_FOLDER / "vectors.npy").exists():
        return 0
    return int(np.load(DEFAULT_FOLDER / "vectors.npy", mmap_mode="r", allow_pickle=False).shape[1])


class ThemeFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer over :class:`themes.text.FeatureSpace`.

    ``X`` is a list of ``(text, context)`` pairs (context may be None) or of plain texts.
    Learned state: ``words_``, ``word_idf_``, ``chars_``, ``char_idf_``, ``lexicon_``,
    ``glossary_`` (empty unless ``use_glossary`` and ``use_embedding``), ``norm_floors_``
    (the floors of the block norms, empty when ``norm_floor_quantile`` is 0).
    """

    def __init__(
        self,
        char_ngram_range=(3, 5),
        min_df_word=2,
        min_df_char=3,
        max_char_features=40000,
        word_weight=1.0,
        char_weight=1.0,
        lexicon_weight=0.6,
        dense_weight=0.6,
        context_weight=0.35,
        use_embedding=True,
        use_glossary=True,
        norm_floor_quantile=0.0,
        max_unit_repeats=0,
    ):
        self.char_ngram_range = char_ngram_range
        self.min_df_word = min_df_word
        self.min_df_char = min_df_char
        self.max_char_features = max_char_features
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.lexicon_weight = lexicon_weight
        self.dense_weight = dense_weight
        self.context_weight = context_weight
        self.use_embedding = use_embedding
        self.use_glossary = use_glossary
        self.norm_floor_quantile = norm_floor_quantile
        self.max_unit_repeats = max_unit_repeats

    def _config(self) -> dict:
        config = {
            "char_ngram_range": list(self.char_ngram_range),
            "word_weight": float(self.word_weight),
            "char_weight": float(self.char_weight),
            "lexicon_weight": float(self.lexicon_weight),
            "dense_weight": float(self.dense_weight) if self.use_embedding else 0.0,
            "context_weight": float(self.context_weight),
        }
        if getattr(self, "norm_floors_", None):
            config["norm_floors"] = dict(self.norm_floors_)
        if self.max_unit_repeats:
            config["max_unit_repeats"] = int(self.max_unit_repeats)
        return config

    @staticmethod
    def _split(X):
        texts, contexts = [], []
        for item in X:
            if isinstance(item, str):
                texts.append(item)
                contexts.append(None)
            else:
                texts.append(item[0])
                contexts.append(item[1])
        return texts, contexts

    def fit(self, X, y=None):
        texts, _ = self._split(X)
        low, high = self.char_ngram_range
        word_df: dict[str, int] = {}
        char_df: dict[str, int] = {}
        word_chars: dict[str, set] = {}
        for text in texts:
            tokens = [t for t in normalize_tokens(text) if t not in STOP_WORDS]
            grams = set(tokens) | {a + " " + b for a, b in zip(tokens, tokens[1:])}
            for g in grams:
                word_df[g] = word_df.get(g, 0) + 1
            chars = set()
            for tok in set(tokens):
                if tok not in word_chars:
                    word_chars[tok] = set(char_ngrams(tok, low, high))
                chars |= word_chars[tok]
            for c in chars:
                char_df[c] = char_df.get(c, 0) + 1
        n = len(texts)
        words = sorted(w for w, df in word_df.items() if df >= self.min_df_word)
        chars = [c for c, df in char_df.items() if df >= self.min_df_char]
        # Keep the most frequent character n-grams; ties broken alphabetically for determinism.
        chars = sorted(sorted(chars, key=lambda c: (-char_df[c], c))[: self.max_char_features])
        self.words_ = words
        self.word_idf_ = smooth_idf(np.array([word_df[w] for w in words]), n)
        self.chars_ = chars
        self.char_idf_ = smooth_idf(np.array([char_df[c] for c in chars]), n)
        self.lexicon_ = load_lexicon()
        # The glossary serves the embedding only: a model without one keeps none.
        self.glossary_ = load_glossary() if self.use_glossary and self.use_embedding else {}
        self.n_features_out_ = None
        self.norm_floors_ = {}
        self._space = None
        if self.norm_floor_quantile > 0 and texts:
            # The floors are quantiles of the train statements' own blocks (contexts aside).
            space = self.space_
            with space.reading():
                sizes = space.block_sizes(space.units(list(texts)))
            self.norm_floors_ = {
                name: float(np.quantile(sizes[name], self.norm_floor_quantile)) for name in ("word", "char", "tokens")
            }
            self._space = None  # built again with the floors
        return self

    @property
    def space_(self) -> FeatureSpace:
        """The numpy-only feature space this transformer learned (built on first use)."""
        if getattr(self, "_space", None) is None:
            self._space = FeatureSpace(
                words=self.words_,
                word_idf=self.word_idf_,
                chars=self.chars_,
                char_idf=self.char_idf_,
                lexicon=self.lexicon_,
                config=self._config(),
                embedding=_embedding() if self.use_embedding else None,
                glossary=self.glossary_,
            )
        return self._space

    def transform(self, X):
        texts, contexts = self._split(X)
        space = self.space_
        rows = space.transform(texts, contexts)
        sparse = sp.csr_matrix((rows.data, rows.indices, rows.indptr), shape=(rows.n_rows, space.n_sparse))
        sparse.sum_duplicates()
        if rows.dense.shape[1]:
            return sp.hstack([sparse, sp.csr_matrix(rows.dense)], format="csr")
        return sparse

    def __getstate__(self):
        # The space (caches, embedding table) is rebuilt from the learned arrays on load.
        state = dict(self.__dict__)
        state["_space"] = None
        return state
