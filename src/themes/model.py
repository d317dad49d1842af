"""The inference model: feature rows times coefficients, calibrated, thresholded.

A :class:`ThemeModel` holds plain arrays exported from the trained scikit-learn pipeline:
one coefficient column and intercept per theme, a Platt calibration ``(a, b)`` per theme and
a decision threshold per theme. What each feature unit (a token, a bigram, a lexicon term)
adds to every theme is precomputed in tables, so scoring a batch is one sparse count matrix
(statement x unit) times each table: ``scipy.sparse`` for batches of 2,048 statements or
more (imported then, not before), numpy below (row sums for up to 16 statements, else every
statement's first unit, then its second...). Each adds a statement's rows in the same
order, so a statement scores the same floats alone or in any batch. The per-token table
lives in the feature space's token cache (:class:`themes.text.TokenCache`), which fills it
as new words arrive.

Why it is fast (figures: ``python bench/run.py``):

- tokenizing is one byte translation and one ``bytes.split`` for the whole batch, not a
  regular expression pass after NFKC and casefold; the words stay bytes (code page 1251),
  whose hash reads one byte a character;
- each word costs one dictionary lookup, mapped with ``np.fromiter`` (no Python loop);
  names of organisations are looked for only where flags of the words say one may start;
- bigram ids come from an open-addressing hash table, looked up only for pairs of tokens
  that occur in some bigram (a binary search costs a dozen random reads per pair);
- unit rows are summed per statement with no gathered copy of the rows
  (``np.add.reduceat`` needs one): row by row for up to 16 statements, rank by rank up to
  2,048, one sparse product above;
- a statement scored alone (``classify(text)``) takes no batch arrays at all: its units come
  as lists (:meth:`FeatureSpace.statement_units`), its table rows are summed by numpy, and
  its thirteen scores are combined and calibrated in Python floats (the same IEEE
  operations in the same order, numpy's exp); a word it brings that the model never met is
  featurised alone, with scalar writes (:meth:`TokenCache._featurize_few`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from themes.text import normal_form, segment_sum, statement_words

__all__ = ["Contribution", "ThemeModel"]

_CHUNK = 8192
_add_reduce = np.add.reduce
_FIRST = np.zeros(1, dtype=np.intp)  # the one segment of np.add.reduceat over a whole token row
#: From this many statements on, unit rows are summed a rank at a time across statements.
_SPARSE_MIN_DOCS = 16
#: From this many statements on, unit rows are summed with a scipy.sparse matrix product.
_SCIPY_MIN_DOCS = 2048


def _sum_rows(table: np.ndarray, ids: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    """Per statement, the sum of the table rows of its units: ``out[d] = sum(table[ids[doc == d]])``.

    ``doc`` is sorted. Each way below adds a statement's rows one after the other, in unit
    order, so a statement gets bit-for-bit the same sum alone or in any batch.
    """
    if n_docs <= _SPARSE_MIN_DOCS:
        out = np.zeros((n_docs, table.shape[1]))
        bounds = np.searchsorted(doc, np.arange(n_docs + 1)).tolist()
        for d in range(n_docs):
            if bounds[d + 1] > bounds[d]:
                out[d] = table[ids[bounds[d] : bounds[d + 1]]].sum(axis=0)
        return out
    if n_docs < _SCIPY_MIN_DOCS:
        # Every statement's first unit, then every statement's second one...: the same
        # additions in the same order as the sparse product below, without importing scipy
        # (a fresh process scoring its first bulletin would pay more for that than for scoring).
        counts = np.bincount(doc, minlength=n_docs)
        rank = np.arange(len(ids)) - np.repeat(np.cumsum(counts) - counts, counts)
        order = np.argsort(rank, kind="stable")
        bounds = np.searchsorted(rank[order], np.arange(int(counts.max(initial=0)) + 1)).tolist() + [len(ids)]
        out = np.zeros((n_docs, table.shape[1]))
        for a, b in zip(bounds[:-1], bounds[1:]):
            at = order[a:b]
            out[doc[at]] += table[ids[at]]
        return out
    # A sparse (statement x unit) count matrix times the table: no gathered copy of the
    # rows. Imported here so that small batches never pay for importing scipy.
    from scipy.sparse import csr_matrix

    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc, minlength=n_docs), out=indptr[1:])
    counts = csr_matrix((np.ones(len(ids)), ids, indptr), shape=(n_docs, table.shape[0]))
    return np.asarray(counts @ table)


def _scale(sum_of_squares: np.ndarray, weight: float, floor: float = 0.0) -> np.ndarray:
    """Block weight over the block norm, the sum of squares read as at least ``floor``
    (:attr:`FeatureSpace.floors`), per statement (0 for an empty block)."""
    out = np.zeros(len(sum_of_squares))
    filled = sum_of_squares > 0
    out[filled] = weight / np.sqrt(np.maximum(sum_of_squares[filled], floor))
    return out


def _surface_words(text: str, context: str | None) -> dict[str, str]:
    """Normal token -> the first word of the analyst's own text that gives it.

    Explanations show "границы", "drones" rather than the stems and singulars the
    model counts ("границ", "drone").
    """
    surface: dict[str, str] = {}
    for word in statement_words(text) + (statement_words(context) if context else []):
        for tok in normal_form(word).split():
            surface.setdefault(tok, word)
    return surface


@dataclass(frozen=True)
class Contribution:
    """One feature's exact contribution to a theme's decision value."""

    feature: str
    kind: str
    weight: float

    def to_dict(self) -> dict:
        return {"feature": self.feature, "kind": self.kind, "weight": self.weight}


class ThemeModel:
    """A trained theme tagger that needs only numpy.

    Parameters
    ----------
    space : FeatureSpace
        Turns statements into feature rows.
    coef : ndarray of shape (n_features, n_themes)
        Linear weights, sparse columns first, then dense (embedding) columns.
    intercept : ndarray of shape (n_themes,)
    calibration : ndarray of shape (2, n_themes)
        Platt slope and offset: ``p = 1 / (1 + exp(-(a * z + b)))``.
    thresholds : ndarray of shape (n_themes,)
        Default decision threshold per theme, on the calibrated probability.
    themes : sequence of str
        Theme ids, in column order.
    manifest : dict, optional
        The model folder's manifest, when loaded from one.
    path : str, optional
        Where the model was loaded from.
    """

    def __init__(self, space, coef, intercept, calibration, thresholds, themes, manifest=None, path=None):
        self.space = space
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.calibration = np.asarray(calibration, dtype=np.float64)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.themes = tuple(themes)
        self.manifest = manifest or {}
        self.path = path
        expected = space.n_sparse + space.n_dense
        if self.coef.shape != (expected, len(self.themes)):
            raise ValueError(
                f"coef has shape {self.coef.shape}; the feature space and themes need "
                f"({expected}, {len(self.themes)})"
            )
        self._prepare()

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages the model was trained to read (from its manifest; English before 2026.1)."""
        return tuple(self.manifest.get("languages", ("en",)))

    @property
    def name(self) -> str:
        """The model's versioned name (from its manifest), or 'unsaved'."""
        return self.manifest.get("name", "unsaved")

    def __repr__(self) -> str:
        return f"ThemeModel(name={self.name!r}, themes={len(self.themes)}, path={self.path!r})"

    # The linear score of a statement is a sum over its units (see themes.text), so each
    # unit's contribution to all themes is precomputed: per word bigram, per lexicon term,
    # and per distinct token (its unigram, character n-grams and embedding), the last
    # cached as tokens are seen. Each table also carries the unit's share of its block's
    # norm, so one gather and one segment sum per table give scores and norms together.
    def _prepare(self) -> None:
        space = self.space
        k = len(self.themes)
        n_words, n_chars = len(space.words), len(space.chars)
        word_coef = space.word_idf[:, None] * self.coef[:n_words]
        self._word_coef = word_coef
        # Bigram table: [coefficients (k) | idf squared].
        self._bigram_table = np.hstack([word_coef, (space.word_idf**2)[:, None]])
        self._char_coef = self.coef[n_words : n_words + n_chars]
        term_coef = space.term_themes @ self.coef[n_words + n_chars : space.n_sparse]
        # Term table: [coefficients (k) | its squared lexicon counts].
        self._term_table = np.hstack([term_coef, space.term_themes.sum(axis=1, keepdims=True)]).reshape(-1, k + 1)
        self._dense_coef = self.coef[space.n_sparse :]
        self._dense_weight = space.weights["dense"]
        self._word_idf_squared = (space.word_idf**2).tolist()
        # Token table: [unigram (k) | char (k) | embedding (k) | unigram idf^2 | char sq | 1],
        # kept by the feature space's token cache beside the tokens it describes.
        self._token_table = space.tokens.attach(self._fill_token_rows, 3 * k + 3, self._fill_new_token_row)

    def _fill_token_rows(self, ids: np.ndarray, rows: np.ndarray) -> None:
        """The token table's rows (see ``_prepare``) for token ``ids``, into ``rows``.

        Called by the token cache for each batch of tokens it featurises, so a batch that
        meets new words costs those words, not the size of the cache.
        """
        cache = self.space.tokens
        k = len(self.themes)
        if len(ids) <= 4:  # a few new words (a statement at a time): no array passes
            for i, t in enumerate(ids.tolist() if isinstance(ids, np.ndarray) else ids):
                self._fill_one_token_row(cache, t, rows[i])
            return
        rows[:] = 0.0
        unigram = cache.unigram[ids]
        unigram[cache.stop[ids]] = -1
        has = unigram >= 0
        rows[has, :k] = self._word_coef[unigram[has]]
        rows[has, 3 * k] = self.space.word_idf[unigram[has]] ** 2
        # Character n-grams: each token's row times the coefficients, summed in row order
        # (a few thousand tokens at a time, so the products never take much memory).
        for a in range(0, len(ids), 512):
            part = ids[a : a + 512]
            at, count = cache.char_rows(part)
            owner = np.repeat(np.arange(len(part)), count)
            products = cache.char_values[at, None] * self._char_coef[cache.char_ids[at]]
            rows[a : a + len(part), k : 2 * k] = segment_sum(products, owner, len(part))
        rows[:, 3 * k + 1] = cache.sq[ids]
        if self.space.n_dense:
            vectors = cache.vectors[ids].astype(np.float64)
            rows[:, 2 * k : 3 * k] = vectors @ self._dense_coef * self.space.weights["dense"]
        rows[:, 3 * k + 2] = 1.0

    def _fill_one_token_row(self, cache, t: int, row: np.ndarray) -> None:
        """:meth:`_fill_token_rows` for one token, the same numbers, from the cache's arrays."""
        a, b = int(cache.char_start[t]), int(cache.char_end[t])
        self._fill_new_token_row(t, row, cache.char_ids[a:b], cache.char_values[a:b], cache.sq[t], cache.vectors[t])

    def _fill_new_token_row(self, t: int, row: np.ndarray, char_ids, char_values: np.ndarray, sq: float, vector) -> None:
        """The token table's row of token ``t`` from its n-gram columns and idf-weighted counts
        (a float64 array), their sum of squares and its vector: of a token being featurised,
        from what the cache's ``featurize_one`` gave (no reading back), or of one in the cache."""
        k = len(self.themes)
        cache = self.space.tokens
        unigram = int(cache.unigram[t])
        if unigram >= 0 and not cache.stop[t]:
            row[:k] = self._word_coef[unigram]
            idf_squared = self._word_idf_squared[unigram]
        else:
            row[:k] = 0.0
            idf_squared = 0.0
        if len(char_ids):
            # Rows added one after the other (reduceat over one segment), as segment_sum does.
            row[k : 2 * k] = np.add.reduceat(char_values[:, None] * self._char_coef[char_ids], _FIRST)[0]
        else:
            row[k : 2 * k] = 0.0
        if self.space.n_dense:
            row[2 * k : 3 * k] = vector[None, :].astype(np.float64) @ self._dense_coef * self._dense_weight
        else:
            row[2 * k : 3 * k] = 0.0
        row[3 * k :] = (idf_squared, sq, 1.0)

    def _linear(self, texts: list[str]) -> np.ndarray:
        """Scores without the intercept, one row per text (no context)."""
        with self.space.reading():
            return self._linear_units(texts)

    def _linear_units(self, texts: list[str]) -> np.ndarray:
        space = self.space
        u = space.units(texts)
        table = space.tokens.table(self._token_table)
        n, k = u.n_docs, len(self.themes)
        if n == 1:
            return self._linear_one(u, table)[None, :]
        per_token = _sum_rows(table, u.token_id, u.token_doc, n)
        words, word_sq = per_token[:, :k], per_token[:, 3 * k]
        if len(u.bigram_id):
            per_bigram = _sum_rows(self._bigram_table, u.bigram_id, u.bigram_doc, n)
            words = words + per_bigram[:, :k]
            word_sq = word_sq + per_bigram[:, k]
        out = words * _scale(word_sq, space.weights["word"], space.floors["word"])[:, None]
        out += per_token[:, k : 2 * k] * _scale(per_token[:, 3 * k + 1], space.weights["char"], space.floors["char"])[:, None]
        if len(u.term_row):
            per_term = _sum_rows(self._term_table, u.term_row, u.term_doc, n)
            out += per_term[:, :k] * _scale(per_term[:, k], space.weights["lexicon"])[:, None]
        if space.n_dense:
            counts = np.maximum(per_token[:, 3 * k + 2], space.floors["tokens"])
            out += per_token[:, 2 * k : 3 * k] / counts[:, None]
        return out

    def _linear_one(self, u, table: np.ndarray) -> np.ndarray:
        """:meth:`_linear_units` of one statement: the same IEEE operations in the same order
        (so the same floats), on 1-D rows and float scales, in half the array calls.

        ``np.add.reduce`` is what ``ndarray.sum`` calls (without its Python wrapper); each
        block's scale is :func:`_scale` of one statement in float arithmetic (IEEE, as numpy's).
        """
        token_ids, bigram_ids, term_rows = u.token_id, u.bigram_id, u.term_row
        weights, floors, k = self.space.weights, self.space.floors, len(self.themes)
        token = _add_reduce(table[token_ids], 0)
        words, word_sq = token[:k], float(token[3 * k])
        if len(bigram_ids):
            bigram = _add_reduce(self._bigram_table[bigram_ids], 0)
            words, word_sq = words + bigram[:k], word_sq + float(bigram[k])
        out = words * (weights["word"] / math.sqrt(max(word_sq, floors["word"])) if word_sq > 0 else 0.0)
        char_sq = float(token[3 * k + 1])
        out += token[k : 2 * k] * (weights["char"] / math.sqrt(max(char_sq, floors["char"])) if char_sq > 0 else 0.0)
        if len(term_rows):
            term = _add_reduce(self._term_table[term_rows], 0)
            lex_sq = float(term[k])
            out += term[:k] * (weights["lexicon"] / math.sqrt(lex_sq) if lex_sq > 0 else 0.0)
        if self.space.n_dense:
            out += token[2 * k : 3 * k] / max(float(token[3 * k + 2]), floors["tokens"])
        return out

    def _linear_text(self, text: str) -> list[float]:
        """:meth:`_linear` of one statement, as a list of floats: the same floats.

        Its units come from :meth:`FeatureSpace.statement_units` (no batch arrays); their
        table rows are summed by numpy as in :meth:`_linear_one`, and the thirteen scores
        are combined in Python floats, the same IEEE operations in the same order (13
        numbers cost less in Python than a dozen array calls).
        """
        tokens = self.space.tokens
        tokens._enter_reading()
        try:
            token_ids, bigram_ids, term_rows = self.space.statement_units(text)
            token = _add_reduce(tokens.table(self._token_table)[token_ids], 0).tolist()
        finally:
            tokens._leave_reading()
        weights, floors, k = self.space.weights, self.space.floors, len(self.themes)
        words, word_sq = token[:k], token[3 * k]
        if bigram_ids:
            bigram = _add_reduce(self._bigram_table[bigram_ids], 0).tolist()
            words, word_sq = [a + b for a, b in zip(words, bigram)], word_sq + bigram[k]
        s_word = weights["word"] / math.sqrt(max(word_sq, floors["word"])) if word_sq > 0 else 0.0
        char_sq = token[3 * k + 1]
        s_char = weights["char"] / math.sqrt(max(char_sq, floors["char"])) if char_sq > 0 else 0.0
        if term_rows:
            term = _add_reduce(self._term_table[term_rows], 0).tolist()
            s_lex = weights["lexicon"] / math.sqrt(term[k]) if term[k] > 0 else 0.0
            out = [w * s_word + c * s_char + t * s_lex for w, c, t in zip(words, token[k : 2 * k], term)]
        else:
            out = [w * s_word + c * s_char for w, c in zip(words, token[k : 2 * k])]
        if self.space.n_dense:
            count = max(token[3 * k + 2], floors["tokens"])
            out = [o + d / count for o, d in zip(out, token[2 * k : 3 * k])]
        return out

    def _decision_one(self, text: str, context: str | None = None) -> list[float]:
        """:meth:`decision_function` of one statement (and its context), as a list of floats."""
        scores = self._linear_text(text)
        weight = self.space.weights["context"]
        if context and weight:
            scores = [s + weight * c for s, c in zip(scores, self._linear_text(context))]
        return [s + b for s, b in zip(scores, self.intercept.tolist())]

    def decision_function(self, texts, contexts=None) -> np.ndarray:
        """Uncalibrated linear scores, shape (n_texts, n_themes).

        The raw model: unlike :func:`themes.classify`, it neither cuts a text at 5,000
        characters nor refuses a script the model does not read.

        Raises
        ------
        TypeError
            ``texts`` is one str (a list of one is meant), or an item is not a str.
        """
        if isinstance(texts, str):
            raise TypeError(
                "ThemeModel.decision_function expects a list of str, not one str (it would score each "
                "character); pass [text], or use themes.classify(text)."
            )
        texts = list(texts)
        if not all(isinstance(t, str) for t in texts):
            bad = next(i for i, t in enumerate(texts) if not isinstance(t, str))
            raise TypeError(f"ThemeModel.decision_function expects a list of str; item {bad} is {type(texts[bad]).__name__}.")
        if len(texts) == 1:  # one statement: no batch arrays (the same floats)
            context = list(contexts[:1]) if contexts is not None else None
            return np.array([self._decision_one(texts[0], context[0] if context else None)])
        out = np.empty((len(texts), len(self.themes)))
        weight = self.space.weights["context"]
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            scores = self._linear(chunk)
            if contexts is not None and weight:
                ctx = list(contexts[start : start + _CHUNK])
                distinct = list(dict.fromkeys(c for c in ctx if c))
                if distinct:
                    where = {c: i for i, c in enumerate(distinct)}
                    ctx_scores = self._linear(distinct)
                    for r, c in enumerate(ctx):
                        if c:
                            scores[r] += weight * ctx_scores[where[c]]
            out[start : start + len(chunk)] = scores + self.intercept
        return out

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        """Map decision values to calibrated probabilities."""
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-(decision * a + b)))

    def _proba_one(self, text: str, context: str | None = None) -> list[float]:
        """:meth:`predict_proba` of one statement (and its context), as a list of floats: the
        same floats (:meth:`calibrate` in Python floats, but for numpy's exp)."""
        a, b = self.calibration.tolist()
        z = [-(d * ai + bi) for d, ai, bi in zip(self._decision_one(text, context), a, b)]
        return [1.0 / (1.0 + e) for e in np.exp(z).tolist()]

    def predict_proba(self, texts, contexts=None) -> np.ndarray:
        """Calibrated probability of each theme, shape (n_texts, n_themes).

        The raw model, as :meth:`decision_function` (a list of str; no cut at 5,000
        characters, no language check: :func:`themes.classify` does both).
        """
        return self.calibrate(self.decision_function(texts, contexts))

    def contributions(self, text: str, context: str | None = None) -> tuple[list[str], list[str], np.ndarray]:
        """Every active feature of ``text`` with its exact contribution to each theme.

        Returns ``(names, kinds, weights)``: ``weights`` has shape (n_active, n_themes) and,
        with the intercept, sums to :meth:`decision_function`. Kinds: ``word`` (a unigram or
        bigram), ``char`` (a character n-gram), ``lexicon`` (theme terms matched), and
        ``embedding`` (the dense block as a whole).
        """
        space = self.space
        rows = space.transform([text], [context] if context is not None else None)
        cols, values = rows.indices, rows.data
        weights = values[:, None] * self.coef[cols]
        n_words, n_chars = len(space.words), len(space.chars)
        surface = _surface_words(text, context)
        names, kinds = [], []
        for c in cols.tolist():
            if c < n_words:
                names.append(" ".join(surface.get(tok, tok) for tok in space.words[c].split(" ")))
                kinds.append("word")
            elif c < n_words + n_chars:
                names.append(space.chars[c - n_words])
                kinds.append("char")
            else:
                names.append(f"{space.lexicon_themes[c - n_words - n_chars]} terms")
                kinds.append("lexicon")
        if space.n_dense:
            names.append("mean word embedding")
            kinds.append("embedding")
            weights = np.vstack([weights, (rows.dense[0] @ self._dense_coef)[None, :]])
        return names, kinds, weights

    def explain(self, text: str, context: str | None = None, k: int = 5, themes=None) -> dict[str, list[Contribution]]:
        """The ``k`` features that pushed each theme's score up the most.

        Contributions are exact: feature value times coefficient in the linear model.
        Character n-grams are shown between ``<`` and ``>``; spaces mark word edges.
        """
        names, kinds, weights = self.contributions(text, context)
        out: dict[str, list[Contribution]] = {}
        for theme in themes if themes is not None else self.themes:
            j = self.themes.index(theme)
            order = np.argsort(-weights[:, j], kind="stable")
            top = [
                Contribution(names[i], kinds[i], float(weights[i, j]))
                for i in order[:k]
                if weights[i, j] > 0
            ]
            out[theme] = top
        return out

