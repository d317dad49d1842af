"""Text normalisation and the feature space shared by training and inference (numpy only).

One implementation turns text into features, so a model trained with scikit-learn and the
numpy-only inference model see exactly the same numbers. A statement becomes:

* word unigrams and bigrams of normalised tokens (stop words left out),
* character n-grams inside each token (``char_wb`` style, padded with spaces),
* lexicon counts: how often the theme terms of ``data/lexicon.json`` occur,
* a dense vector: the mean static embedding of its words (when the model has one).

Each sparse block is weighted ``(1 + log tf) * idf`` (or ``tf * idf``), L2-normalised per
block and scaled by the block weight; a lead-in (context) adds its own features scaled by
``context_weight``. Work that depends on a word alone (its normal form, its character
n-grams, its embedding) is done once per distinct word and cached.

Examples
--------
>>> normalize_tokens("Counter-UAS systems and drones: AML/CFT rules")
['counter', 'uav', 'system', 'and', 'uav', 'aml', 'cft', 'rule']
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "FeatureSpace",
    "FeatureRows",
    "char_ngrams",
    "load_lexicon",
    "normalize_tokens",
    "raw_words",
]

_DATA = Path(__file__).with_name("data")

# Letters and digits; hyphens, slashes and apostrophes separate words.
_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s\b")

STOP_WORDS = frozenset(
    """a an the and or nor but of in on at to for from by with within without into onto
    upon as is are was were be been being has have had do does did this that these those
    it its their them they he she his her we our us you your i me my which who whom whose
    what when where while also such other than then there here so not no all any each both
    well very can could may might shall should will would must about over under between
    among after before during including inter alia etc""".split()
)

_CANONICAL: dict[str, str] = {}
_WORD_CACHE_LIMIT = 200_000


def _canonical_map() -> dict[str, str]:
    if not _CANONICAL:
        raw = json.loads((_DATA / "lexicon.json").read_text(encoding="utf-8"))
        _CANONICAL.update(raw["canonical"])
    return _CANONICAL


def raw_words(text: str) -> list[str]:
    """Split ``text`` into lower-case words; hyphens, slashes and apostrophes separate.

    Examples
    --------
    >>> raw_words("The terrorist-fighters' return (FTFs)")
    ['the', 'terrorist', 'fighters', 'return', 'ftfs']
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_POSSESSIVE.sub("", text))


def _normal_form(word: str) -> str:
    """A word's normal form: British -ise spellings, plurals and acronyms folded."""
    canonical = _canonical_map()
    if word in canonical:
        return canonical[word]
    if word.endswith("isation") or word.endswith("isations"):
        word = word.replace("isation", "ization")
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        word = word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]
    return canonical.get(word, word)


def normalize_tokens(text: str) -> list[str]:
    """Normalised tokens of ``text``: lower case, plurals and spellings folded, acronyms mapped.

    A canonical form may hold several tokens ("counterterrorism" -> "counter terrorism").
    """
    out: list[str] = []
    for word in raw_words(text):
        out.extend(_normal_form(word).split())
    return out


def char_ngrams(token: str, low: int, high: int) -> list[str]:
    """Character n-grams of one token padded with spaces, as scikit-learn's ``char_wb``.

    Examples
    --------
    >>> char_ngrams("uav", 3, 4)
    [' ua', 'uav', 'av ', ' uav', 'uav ']
    """
    padded = f" {token} "
    grams = []
    for n in range(low, high + 1):
        if n > len(padded):
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def load_lexicon(path: Path | None = None) -> dict[str, list[str]]:
    """Theme id -> list of terms, as written in the lexicon file."""
    raw = json.loads((path or _DATA / "lexicon.json").read_text(encoding="utf-8"))
    return {theme: list(terms) for theme, terms in raw["themes"].items()}


@dataclass
class FeatureRows:
    """Features of a batch of statements in CSR form, ready for a linear model.

    ``indptr``, ``indices`` and ``data`` describe the sparse part (columns index
    :attr:`FeatureSpace.feature_names`); ``dense`` holds the embedding block, one row
    per statement (zero columns when the space has no embedding).
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    dense: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1


@dataclass
class FeatureSpace:
    """The learned vocabulary and weights that turn statements into feature rows.

    Built by training (``themes.train``) and stored in the model folder as JSON and
    arrays; nothing here imports scikit-learn.
    """

    words: list[str]
    word_idf: np.ndarray
    chars: list[str]
    char_idf: np.ndarray
    lexicon: dict[str, list[str]]
    config: dict
    embedding: object | None = None
    _word_index: dict = field(init=False, repr=False)
    _char_index: dict = field(init=False, repr=False)
    _lex_first: dict = field(init=False, repr=False)
    _cache: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._word_index = {w: i for i, w in enumerate(self.words)}
        self._char_index = {c: i for i, c in enumerate(self.chars)}
        self.lexicon_themes = list(self.lexicon)
        self._lex_first = {}
        for k, theme in enumerate(self.lexicon_themes):
            for term in self.lexicon[theme]:
                toks = tuple(normalize_tokens(term))
                if toks:
                    self._lex_first.setdefault(toks[0], []).append((toks, k))
        for first in self._lex_first:
            self._lex_first[first].sort(key=lambda item: -len(item[0]))
        n_words, n_chars = len(self.words), len(self.chars)
        self.n_lexicon = len(self.lexicon_themes)
        self.n_sparse = n_words + n_chars + self.n_lexicon
        self.n_dense = int(self.embedding.dims) if self.embedding is not None else 0
        # Per sparse column: idf (1 for lexicon columns) and block (0 word, 1 char, 2 lexicon).
        self._idf = np.concatenate(
            [self.word_idf, self.char_idf, np.ones(self.n_lexicon)]
        ).astype(np.float64)
        self._block = np.concatenate(
            [
                np.zeros(n_words, np.int64),
                np.ones(n_chars, np.int64),
                np.full(self.n_lexicon, 2, np.int64),
            ]
        )
        self._block_weight = np.array(
            [
                self.config.get("word_weight", 1.0),
                self.config.get("char_weight", 1.0),
                self.config.get("lexicon_weight", 0.5),
            ]
        )
        self._cache = {}

    # ------------------------------------------------------------------ names
    @property
    def feature_names(self) -> list[str]:
        """Readable names of the sparse columns, then ``embedding[i]`` for dense ones."""
        return (
            [f"word:{w}" for w in self.words]
            + [f"char:{c}" for c in self.chars]
            + [f"lexicon:{t}" for t in self.lexicon_themes]
            + [f"embedding[{i}]" for i in range(self.n_dense)]
        )

    # --------------------------------------------------------------- analysis
    def _word_info(self, word: str):
        """(normal tokens, char column ids) of one raw word; cached."""
        info = self._cache.get(word)
        if info is None:
            toks = _normal_form(word).split()
            offset = len(self.words)
            low, high = self.config["char_ngram_range"]
            char_ids = []
            for tok in toks:
                if tok in STOP_WORDS:
                    continue
                for gram in char_ngrams(tok, low, high):
                    j = self._char_index.get(gram)
                    if j is not None:
                        char_ids.append(offset + j)
            info = (toks, char_ids)
            if len(self._cache) >= _WORD_CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = info
        return info

    def analyze(self, text: str) -> tuple[list[str], list[int], list[str]]:
        """Sparse column ids (with repeats) and raw words of one text.

        Returns ``(tokens, column_ids, words)``: the normalised tokens, one column id per
        occurrence of a known feature, and the raw words (for the embedding).
        """
        words = raw_words(text)
        tokens: list[str] = []
        ids: list[int] = []
        for word in words:
            toks, char_ids = self._word_info(word)
            tokens.extend(toks)
            ids.extend(char_ids)
        content = [t for t in tokens if t not in STOP_WORDS]
        index = self._word_index
        for i, tok in enumerate(content):
            j = index.get(tok)
            if j is not None:
                ids.append(j)
            if i:
                j = index.get(content[i - 1] + " " + tok)
                if j is not None:
                    ids.append(j)
        lex_offset = len(self.words) + len(self.chars)
        first = self._lex_first
        n = len(tokens)
        for i, tok in enumerate(tokens):
            for term, k in first.get(tok, ()):
                if tuple(tokens[i : i + len(term)]) == term:
                    ids.append(lex_offset + k)
                    break
        return tokens, ids, words

    # -------------------------------------------------------------- transform
    def _rows(self, texts: list[str]) -> FeatureRows:
        """Weighted, normalised rows of distinct texts (no context)."""
        n = len(texts)
        all_ids: list[int] = []
        lengths = np.zeros(n, np.int64)
        dense = np.zeros((n, self.n_dense), np.float64)
        for r, text in enumerate(texts):
            _, ids, words = self.analyze(text)
            all_ids.extend(ids)
            lengths[r] = len(ids)
            if self.n_dense and words:
                dense[r] = self.embedding.embed(words)
        dense *= self.config.get("dense_weight", 0.0)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        keys = rows * self.n_sparse + np.asarray(all_ids, dtype=np.int64)
        keys, tf = np.unique(keys, return_counts=True)
        rows, cols = np.divmod(keys, self.n_sparse)
        tf = tf.astype(np.float64)
        if self.config.get("sublinear_tf", True):
            tf = 1.0 + np.log(tf)
        values = tf * self._idf[cols]
        block = self._block[cols]
        group = rows * 3 + block
        norms = np.sqrt(np.bincount(group, weights=values * values, minlength=3 * n))
        values = values / norms[group] * self._block_weight[block]
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return FeatureRows(indptr, cols, values, dense)

    def transform(self, texts: list[str], contexts: list[str | None] | None = None) -> FeatureRows:
        """Feature rows of ``texts``; each context (lead-in) adds its features, down-weighted.

        Parameters
        ----------
        texts : list of str
            The statements.
        contexts : list of (str or None), optional
            One lead-in per statement, or None for none.
        """
        weight = float(self.config.get("context_weight", 0.0))
        if contexts is None or weight == 0.0 or not any(contexts):
            return self._rows(list(texts))
        distinct = list(dict.fromkeys(c for c in contexts if c))
        own = self._rows(list(texts))
        ctx = self._rows(distinct)
        where = {c: i for i, c in enumerate(distinct)}
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        dense = own.dense.copy()
        for r, c in enumerate(contexts):
            a, b = own.indptr[r], own.indptr[r + 1]
            indices.append(own.indices[a:b])
            data.append(own.data[a:b])
            size = b - a
            if c:
                k = where[c]
                ca, cb = ctx.indptr[k], ctx.indptr[k + 1]
                indices.append(ctx.indices[ca:cb])
                data.append(ctx.data[ca:cb] * weight)
                dense[r] += ctx.dense[k] * weight
                size += cb - ca
            indptr.append(indptr[-1] + size)
        return FeatureRows(
            np.asarray(indptr, np.int64),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.concatenate(data) if data else np.zeros(0),
            dense,
        )

    # ------------------------------------------------------------ persistence
    def to_json(self) -> dict:
        """The JSON-able part of the space (vocabularies, lexicon, configuration)."""
        return {"words": self.words, "chars": self.chars, "lexicon": self.lexicon, "config": self.config}

    def arrays(self) -> dict[str, np.ndarray]:
        """The array part of the space."""
        return {"word_idf": self.word_idf, "char_idf": self.char_idf}


def smooth_idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's ``smooth_idf=True``.

    Examples
    --------
    >>> smooth_idf(np.array([1, 3]), 3).round(3).tolist()
    [1.693, 1.0]
    """
    return np.log((1.0 + n_documents) / (1.0 + np.asarray(document_frequency, float))) + 1.0

