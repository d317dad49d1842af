"""Text normalisation and the feature space shared by training and inference (numpy only).

One implementation turns text into features, so the scikit-learn pipeline that is trained
and the numpy-only model that is shipped see exactly the same numbers. Text is split into
words, and each word into normal *tokens* (lower case; plurals, British spellings and
acronyms folded: "UAS" and "drones" both become ``uav``). A statement then has four
feature blocks:

``word``
    Unigrams and bigrams of content tokens (stop words left out), each occurrence weighted
    by its idf.
``char``
    Character 3-5-grams inside each content token (``char_wb`` style), weighted by idf:
    spelling variants and unseen inflections still share most of their n-grams.
``lexicon``
    One count per theme of the theme terms, synonyms and acronyms of ``data/lexicon.json``
    (knowledge from the codebook that does not depend on the corpus).
``embedding``
    The mean static embedding of the tokens (distilled from all-MiniLM-L6-v2; see
    :mod:`themes.embedding`), so that words absent from the corpus still count.

Each sparse block is divided by the square root of the summed squares of its units (token
occurrences for ``char``, n-gram occurrences for ``word``, term matches for ``lexicon``)
and multiplied by its block weight; the embedding is L2-normalised and weighted. Because
the ``char`` block of a statement is a sum over its tokens, everything a token brings is
computed once per distinct token and cached: inference needs one dictionary lookup per
word (after one byte translation and split for the whole batch) and a few array operations
per batch (see :class:`themes.model.ThemeModel`).

Examples
--------
>>> normalize_tokens("Counter-UAS systems and drones: AML/CFT rules")
['counter', 'uav', 'system', 'and', 'uav', 'aml', 'cft', 'rule']
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from themes.language import clean_characters, fold_confusables, is_cyrillic_word, may_hold_confusables, russian_stem

__all__ = [
    "FeatureRows",
    "FeatureSpace",
    "Units",
    "char_ngrams",
    "load_lexicon",
    "normalize_tokens",
    "raw_words",
    "segment_sum",
    "smooth_idf",
]

_DATA = Path(__file__).with_name("data")

# Letters and digits; hyphens, slashes and apostrophes separate words.
_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s\b")
_SEPARATOR_WORD = "zqxthemesbreakzqx"
_SEPARATOR = f" {_SEPARATOR_WORD} "
_SEPARATOR_KEY = "\x00" + _SEPARATOR_WORD  # the separator word met inside a text
# The fast path of raw_words for a batch: on ASCII text, NFKC is the identity and
# casefold() is lower(), so "[^\W_]+" words are the runs of [a-z0-9] left by one byte
# translation (upper case folded, other ASCII bytes made spaces) and a C-level split.
# Bytes of non-ASCII characters are kept: they only occur in words raw_words already made.
_ASCII_POSSESSIVE = re.compile(rb"'[sS]\b")
_ASCII_TABLE = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 or c >= 128 else 32 for c in range(256)
)

STOP_WORDS = frozenset(
    """a an the and or nor but of in on at to for from by with within without into onto
    upon as is are was were be been being has have had do does did this that these those
    it its their them they he she his her we our us you your i me my which who whom whose
    what when where while also such other than then there here so not no all any each both
    well very can could may might shall should will would must about over under between
    among after before during including inter alia etc""".split()
)

#: Longest lexicon term, in tokens.
MAX_TERM_TOKENS = 5
#: Below this many tokens in a batch, lexicon terms are matched with a dictionary walk.
_SMALL_BATCH_TOKENS = 256
#: Distinct tokens remembered beyond the vocabulary before the cache starts afresh.
TOKEN_CACHE_LIMIT = 300_000

_CANONICAL: dict[str, str] = {}


def _canonical_map() -> dict[str, str]:
    if not _CANONICAL:
        raw = json.loads((_DATA / "lexicon.json").read_text(encoding="utf-8"))
        _CANONICAL.update(raw["canonical"])
    return _CANONICAL


def raw_words(text: str) -> list[str]:
    """Split ``text`` into lower-case words; hyphens, slashes and apostrophes separate.

    Invisible characters are dropped, ё is read as е, and look-alike letters of another
    script inside a word are folded into the word's own script (see
    :func:`themes.language.fold_confusables`).

    Examples
    --------
    >>> raw_words("The terrorist-fighters' return (FTFs)")
    ['the', 'terrorist', 'fighters', 'return', 'ftfs']
    >>> raw_words("Drоnеs над границей, ёмкости")  # Cyrillic о, е in "Drones"
    ['drones', 'над', 'границей', 'емкости']
    """
    text = clean_characters(unicodedata.normalize("NFKC", text).casefold())
    words = _WORD.findall(_POSSESSIVE.sub("", text))
    return [fold_confusables(w) for w in words] if may_hold_confusables(text) else words


def normal_form(word: str) -> str:
    """A lower-case word's normal form: -isation spellings, plurals and acronyms folded.

    A Russian word becomes its Snowball stem, so that its inflected forms share evidence.

    May hold several tokens separated by spaces ("counterterrorism" -> "counter terrorism").

    Examples
    --------
    >>> [normal_form(w) for w in ["activities", "radicalisation", "uas", "process"]]
    ['activity', 'radicalization', 'uav', 'process']
    >>> [normal_form(w) for w in ["беспилотников", "беспилотниками"]]
    ['беспилотник', 'беспилотник']
    """
    canonical = _canonical_map()
    if word in canonical:
        return canonical[word]
    if is_cyrillic_word(word):
        stem = russian_stem(word)
        return canonical.get(stem, stem)
    if "isation" in word:
        word = word.replace("isation", "ization")
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        word = word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]
    return canonical.get(word, word)


def normalize_tokens(text: str) -> list[str]:
    """Normal tokens of ``text``, in order (see :func:`normal_form`)."""
    out: list[str] = []
    for word in raw_words(text):
        out.extend(normal_form(word).split())
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


def smooth_idf(document_frequency, n_documents: int) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's ``smooth_idf=True``.

    Examples
    --------
    >>> smooth_idf(np.array([1, 3]), 3).round(3).tolist()
    [1.693, 1.0]
    """
    return np.log((1.0 + n_documents) / (1.0 + np.asarray(document_frequency, float))) + 1.0


@dataclass
class Units:
    """What a batch of statements is made of, as flat arrays ordered by statement.

    ``token_doc``/``token_id``: every content token occurrence (the ``char`` and
    ``embedding`` units, and the unigrams); ``bigram_doc``/``bigram_id``: every known word
    bigram occurrence (a column of the ``word`` block); ``term_doc``/``term_row``: every
    lexicon term match (a row of :attr:`FeatureSpace.term_themes`).
    """

    n_docs: int
    token_doc: np.ndarray
    token_id: np.ndarray
    unigram_doc: np.ndarray
    unigram_id: np.ndarray
    bigram_doc: np.ndarray
    bigram_id: np.ndarray
    term_doc: np.ndarray
    term_row: np.ndarray

    @property
    def gram_doc(self) -> np.ndarray:
        """Statement of every word feature occurrence: unigrams, then bigrams."""
        return np.concatenate((self.unigram_doc, self.bigram_doc))

    @property
    def gram_id(self) -> np.ndarray:
        """Column of every word feature occurrence, in the order of :attr:`gram_doc`."""
        return np.concatenate((self.unigram_id, self.bigram_id))


@dataclass
class FeatureRows:
    """Explicit feature rows in CSR form (for training and explanations).

    ``indptr``, ``indices`` and ``data`` describe the sparse columns (word features, then
    character n-grams, then one lexicon column per theme); ``dense`` holds the weighted
    embedding block, one row per statement.
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    dense: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1


def _doubled(array: np.ndarray, needed: int) -> np.ndarray:
    """``array`` copied into a buffer at least twice as long (and at least ``needed``)."""
    grown = np.zeros(max(needed, 2 * len(array)), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def segment_sum(values: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    """Sum rows of ``values`` (n_units, k) per document; ``doc`` is sorted."""
    out = np.zeros((n_docs, values.shape[1]), dtype=np.float64)
    if len(doc):
        starts = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1])))
        out[doc[starts]] = np.add.reduceat(values, starts, axis=0)
    return out


class FeatureSpace:
    """The learned vocabularies and weights that turn statements into features.

    Built by training (:class:`themes.train.ThemeFeatures`) and stored in the model folder
    as JSON and arrays; nothing here imports scikit-learn.

    Parameters
    ----------
    words : list of str
        Word features: content-token unigrams and bigrams ("uav attack").
    word_idf : ndarray
        Their idf.
    chars : list of str
        Character n-gram features.
    char_idf : ndarray
        Their idf.
    lexicon : dict of str to list of str
        Theme id -> terms.
    config : dict
        ``char_ngram_range``, ``word_weight``, ``char_weight``, ``lexicon_weight``,
        ``dense_weight``, ``context_weight``.
    embedding : StaticEmbedding, optional
        Static word-piece embedding for the dense block.
    """

    def __init__(self, words, word_idf, chars, char_idf, lexicon, config, embedding=None):
        self.words = list(words)
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.chars = list(chars)
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        self.lexicon = {t: list(v) for t, v in lexicon.items()}
        self.config = dict(config)
        self.embedding = embedding
        self.lexicon_themes = list(self.lexicon)
        self.n_lexicon = len(self.lexicon_themes)
        self.n_sparse = len(self.words) + len(self.chars) + self.n_lexicon
        self.n_dense = int(embedding.dims) if embedding is not None else 0
        self.weights = {
            "word": float(self.config.get("word_weight", 1.0)),
            "char": float(self.config.get("char_weight", 1.0)),
            "lexicon": float(self.config.get("lexicon_weight", 0.0)),
            "dense": float(self.config.get("dense_weight", 0.0)) if embedding is not None else 0.0,
            "context": float(self.config.get("context_weight", 0.0)),
        }
        self._char_index = {c: i for i, c in enumerate(self.chars)}
        self._lock = threading.Lock()
        # Threads inside reading() hold token ids; the cache is only cleared when none is.
        self._readers = 0
        self._idle = threading.Condition(self._lock)
        # Raw word -> raw id; the batch separator word reads as -1 (see _ascii_raw_ids).
        self._raw: dict[str, int] = {_SEPARATOR_WORD: -1}
        # Raw word id -> (start, count) of its token ids in a flat array; all grow by doubling.
        self._raw_start = np.zeros(1024, dtype=np.int64)
        self._raw_count = np.zeros(1024, dtype=np.int64)
        self._raw_tokens = np.zeros(1024, dtype=np.int64)
        self._n_raw = self._n_raw_tokens = 0
        self._token_index: dict[str, int] = {}
        self._tokens: list[str] = []
        self._token_chars: list[tuple[np.ndarray, np.ndarray]] = []
        self.generation = 0
        self._token_sq = np.zeros(1024)
        self._token_stop = np.zeros(1024, dtype=bool)
        self._token_lex = np.zeros(1024, dtype=np.int64)
        self._token_vec = np.zeros((1024, self.n_dense), dtype=np.float64)
        self._build_static()

    # ------------------------------------------------------------ static tables
    def _build_static(self) -> None:
        # Every token that a word feature or lexicon term names gets a fixed id first,
        # so bigram and term keys can be computed from token ids with array arithmetic.
        for w in self.words:
            for tok in w.split(" "):
                self._token(tok)
        terms: list[tuple[tuple[str, ...], int]] = []
        for k, theme in enumerate(self.lexicon_themes):
            for term in self.lexicon[theme]:
                toks = tuple(normalize_tokens(term))
                if toks and len(toks) <= MAX_TERM_TOKENS:
                    terms.append((toks, k))
                    for tok in toks:
                        self._token(tok)
        self.n_static_tokens = len(self._tokens)
        # Lexicon tokens get small ids (1..L) so an n-token term is one int64 key.
        lex_tokens = sorted({tok for toks, _ in terms for tok in toks})
        self._lex_base = len(lex_tokens) + 1
        for i, tok in enumerate(lex_tokens, 1):
            self._token_lex[self._token_index[tok]] = i
        keys: dict[int, np.ndarray] = {}
        for toks, k in terms:
            key = self._term_key([int(self._token_lex[self._token_index[t]]) for t in toks])
            row = keys.setdefault(key, np.zeros(self.n_lexicon))
            row[k] = 1.0
        order = sorted(keys)
        self._term_keys = np.array(order, dtype=np.int64)
        self._term_index = {key: row for row, key in enumerate(order)}
        self.term_themes = np.array([keys[k] for k in order]).reshape(len(order), self.n_lexicon)
        self.term_lengths = np.array([self._key_length(k) for k in order], dtype=np.int64)
        # Word features: unigram id per token, bigram keys (token_a << 32 | token_b).
        self._unigram = np.full(len(self._token_sq), -1, dtype=np.int64)
        bigram_keys, bigram_ids = [], []
        for j, w in enumerate(self.words):
            parts = w.split(" ")
            if len(parts) == 1:
                self._unigram[self._token_index[parts[0]]] = j
            else:
                a, b = self._token_index[parts[0]], self._token_index[parts[1]]
                bigram_keys.append((a << 32) | b)
                bigram_ids.append(j)
        self._bigram_keys = np.array(bigram_keys, dtype=np.int64)
        self._bigram_ids = np.array(bigram_ids, dtype=np.int64)
        self._bigram_index = dict(zip(bigram_keys, bigram_ids))
        self._build_bigram_hash()

    def _build_bigram_hash(self) -> None:
        """An open-addressing hash table of the bigram keys (at most half full).

        Looking a batch's token pairs up in it costs one or two array gathers, where a
        binary search costs a dozen; only pairs whose tokens both occur in some bigram are
        looked up.
        """
        bits = max(4, int(len(self._bigram_keys) * 2 - 1).bit_length())
        size = 1 << bits
        self._bigram_shift = np.uint64(64 - bits)
        self._bigram_slot_keys = np.full(size, -1, dtype=np.int64)
        self._bigram_slot_ids = np.zeros(size, dtype=np.int64)
        home = self._bigram_slots(self._bigram_keys).tolist()
        for key, column, slot in zip(self._bigram_keys.tolist(), self._bigram_ids.tolist(), home):
            while self._bigram_slot_keys[slot] != -1:
                slot = (slot + 1) & (size - 1)
            self._bigram_slot_keys[slot] = key
            self._bigram_slot_ids[slot] = column
        n = len(self._token_sq)
        self._bigram_first = np.zeros(n, dtype=bool)
        self._bigram_second = np.zeros(n, dtype=bool)
        self._bigram_first[self._bigram_keys >> 32] = True
        self._bigram_second[self._bigram_keys & 0xFFFFFFFF] = True

    def _bigram_slots(self, keys: np.ndarray) -> np.ndarray:
        # Fibonacci hashing: the top bits of key * 2^64 / golden ratio (mod 2^64).
        return ((keys.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> self._bigram_shift).view(np.int64)

    def _lookup_bigrams(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``keys`` that are bigram keys, and their word columns (in order)."""
        if len(keys) <= _SMALL_BATCH_TOKENS:  # a few pairs: dictionary lookups are faster
            get = self._bigram_index.get
            found = [(i, column) for i, key in enumerate(keys.tolist()) if (column := get(key)) is not None]
            return np.array([f[0] for f in found], dtype=np.int64), np.array([f[1] for f in found], dtype=np.int64)
        slot = self._bigram_slots(keys)
        where = np.arange(len(keys))
        mask = len(self._bigram_slot_keys) - 1
        hit_at, hit_id = [], []
        while len(where):
            found = self._bigram_slot_keys[slot]
            match = found == keys
            hit_at.append(where[match])
            hit_id.append(self._bigram_slot_ids[slot[match]])
            going = ~match & (found != -1)  # an occupied slot of another key: probe the next
            where, keys, slot = where[going], keys[going], (slot[going] + 1) & mask
        at = np.concatenate(hit_at)
        ids = np.concatenate(hit_id)
        order = np.argsort(at, kind="stable")
        return at[order], ids[order]

    def _term_key(self, lex_ids: list[int]) -> int:
        key = 0
        for i in lex_ids:
            key = key * self._lex_base + i
        return key

    def _key_length(self, key: int) -> int:
        n = 0
        while key:
            key //= self._lex_base
            n += 1
        return n

    # ------------------------------------------------------------- token cache
    def _grow(self, size: int) -> None:
        cap = len(self._token_sq)
        if size <= cap:
            return
        new = max(size, 2 * cap)
        self._token_sq = np.resize(self._token_sq, new)
        self._token_stop = np.resize(self._token_stop, new)
        lex = np.zeros(new, dtype=np.int64)
        lex[:cap] = self._token_lex
        self._token_lex = lex
        vec = np.zeros((new, self.n_dense))
        vec[:cap] = self._token_vec
        self._token_vec = vec
        if hasattr(self, "_unigram"):
            uni = np.full(new, -1, dtype=np.int64)
            uni[:cap] = self._unigram
            self._unigram = uni

    def _token(self, tok: str) -> int:
        """Id of a normal token, computing and caching what it brings on first sight."""
        j = self._token_index.get(tok)
        if j is not None:
            return j
        j = len(self._tokens)
        self._grow(j + 1)
        low, high = self.config.get("char_ngram_range", (3, 5))
        counts: dict[int, int] = {}
        if tok not in STOP_WORDS:
            for gram in char_ngrams(tok, low, high):
                g = self._char_index.get(gram)
                if g is not None:
                    counts[g] = counts.get(g, 0) + 1
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * self.char_idf[ids]
        self._token_chars.append((ids, values))
        self._token_sq[j] = float(values @ values)
        self._token_stop[j] = tok in STOP_WORDS
        if self.n_dense and not is_cyrillic_word(tok):  # an English embedding: noise on Cyrillic
            self._token_vec[j] = self.embedding.word_vector(tok)
        self._tokens.append(tok)
        self._token_index[tok] = j
        return j

    def _forget_dynamic_tokens(self) -> None:
        """Drop cached tokens beyond the vocabulary once too many have been seen."""
        n = self.n_static_tokens
        for tok in self._tokens[n:]:
            del self._token_index[tok]
        del self._tokens[n:]
        del self._token_chars[n:]
        self._raw.clear()
        self._raw[_SEPARATOR_WORD] = -1
        self._n_raw = self._n_raw_tokens = 0
        self.generation += 1

    def _add_raw(self, word: str) -> int:
        """Register a raw word: its normal tokens, computed once; returns its raw id.

        The separator word itself (in a text) is kept under a key no word can have.
        """
        key = word if word != _SEPARATOR_WORD else _SEPARATOR_KEY
        with self._lock:
            rid = self._raw.get(key)
            if rid is None:
                ids = [self._token(t) for t in normal_form(word).split()]
                rid, first = self._n_raw, self._n_raw_tokens
                if rid >= len(self._raw_start):
                    self._raw_start = _doubled(self._raw_start, rid + 1)
                    self._raw_count = _doubled(self._raw_count, rid + 1)
                if first + len(ids) > len(self._raw_tokens):
                    self._raw_tokens = _doubled(self._raw_tokens, first + len(ids))
                self._raw_start[rid] = first
                self._raw_count[rid] = len(ids)
                self._raw_tokens[first : first + len(ids)] = ids
                self._n_raw, self._n_raw_tokens = rid + 1, first + len(ids)
                self._raw[key] = rid  # published last: readers only see complete entries
        return rid

    def word_tokens(self, word: str) -> tuple[int, ...]:
        """Token ids of one raw (lower-case) word; cached."""
        rid = self._raw.get(word)
        if rid is None or rid < 0:  # -1 marks the batch separator word
            rid = self._add_raw(word)
        start = int(self._raw_start[rid])
        return tuple(self._raw_tokens[start : start + int(self._raw_count[rid])].tolist())

    def token_name(self, token_id: int) -> str:
        """The normal token behind a token id."""
        return self._tokens[token_id]

    def token_table(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For token ids ``start..stop-1``: unigram column (-1 for none, and for stop words),
        summed squares of the idf-weighted character n-gram counts, and embedding vectors."""
        unigram = self._unigram[start:stop].copy()
        unigram[self._token_stop[start:stop]] = -1
        return unigram, self._token_sq[start:stop].copy(), self._token_vec[start:stop].copy()

    def token_chars(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(character n-gram column ids, idf-weighted counts) of a token id."""
        return self._token_chars[token_id]

    @property
    def n_tokens(self) -> int:
        """Distinct tokens known so far (vocabulary and cache)."""
        return len(self._tokens)

    # ------------------------------------------------------------------ units
    def _raw_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start, count) per raw word id and the flat token ids, as arrays (no copy)."""
        return self._raw_start, self._raw_count, self._raw_tokens

    def _raw_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw-word ids of all words of the batch, and the statement of each, in order.

        One translation and split for the whole batch: texts are joined with a separator
        word that reads as raw id -1. An ASCII text goes in as it is (see
        ``_ASCII_TABLE``); any other text goes in as its :func:`raw_words`, which the
        same split gives back unchanged. A text that holds the separator itself shows up
        as one -1 too many, and the batch is then read one text at a time.
        """
        pieces = [t if t.isascii() else " ".join(raw_words(t)) for t in texts]
        joined = _SEPARATOR.join(pieces).encode("utf-8")
        words = _ASCII_POSSESSIVE.sub(b"", joined).translate(_ASCII_TABLE).decode("utf-8").split()
        raw = self._raw
        try:
            ids = np.fromiter(map(raw.__getitem__, words), dtype=np.int64, count=len(words))
        except KeyError:  # words never seen: register them (under the lock), then read again
            for word in words:
                if word not in raw:
                    self._add_raw(word)
            ids = np.fromiter(map(raw.__getitem__, words), dtype=np.int64, count=len(words))
        sep = ids < 0
        if int(np.count_nonzero(sep)) != len(texts) - 1:
            return self._general_raw_ids(texts)
        keep = ~sep
        return ids[keep], np.cumsum(sep)[keep]

    def _general_raw_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_raw_ids` one text at a time, with :func:`raw_words` (any characters)."""
        get = self._raw.get
        ids: list[int] = []
        lengths = []
        for text in texts:
            words = raw_words(text)
            for word in words:
                rid = get(word)
                ids.append(rid if rid is not None and rid >= 0 else self._add_raw(word))
            lengths.append(len(words))
        docs = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        return np.asarray(ids, dtype=np.int64).reshape(-1), docs

    @contextlib.contextmanager
    def reading(self):
        """Keep token ids valid while the caller uses them (call :meth:`units` inside).

        A token cache grown past ``TOKEN_CACHE_LIMIT`` is cleared here, once no other
        thread is between :meth:`units` and its last use of the ids. Not re-entrant.
        """
        with self._lock:
            if len(self._tokens) > self.n_static_tokens + TOKEN_CACHE_LIMIT:
                while self._readers:
                    self._idle.wait()
                if len(self._tokens) > self.n_static_tokens + TOKEN_CACHE_LIMIT:
                    self._forget_dynamic_tokens()
            self._readers += 1
        try:
            yield self
        finally:
            with self._lock:
                self._readers -= 1
                if not self._readers:
                    self._idle.notify_all()

    def units(self, texts: list[str]) -> Units:
        """Break a batch of statements into feature units (see :class:`Units`).

        Token ids in the result stay valid only inside :meth:`reading`.
        """
        if not texts:
            empty = np.zeros(0, dtype=np.int64)
            return Units(0, empty, empty, empty, empty, empty, empty, empty, empty)
        rids, rdocs = self._raw_ids(texts)
        starts, counts, flat = self._raw_table()
        n_tok = counts[rids]
        if len(n_tok) and (n_tok == 1).all():
            tokens, docs = flat[starts[rids]], rdocs
        else:
            docs = np.repeat(rdocs, n_tok)
            offsets = np.arange(len(docs)) - np.repeat(np.cumsum(n_tok) - n_tok, n_tok)
            tokens = flat[np.repeat(starts[rids], n_tok) + offsets]
        # Lexicon terms are matched on all tokens, stop words included ("financing of terrorism").
        term_doc, term_row = self._match_terms(tokens, docs)
        content = ~self._token_stop[tokens] if len(tokens) else np.zeros(0, dtype=bool)
        ctok, cdoc = tokens[content], docs[content]
        uni = self._unigram[ctok] if len(ctok) else np.zeros(0, dtype=np.int64)
        keep = uni >= 0
        bigram_doc = bigram_id = np.zeros(0, dtype=np.int64)
        if len(ctok) > 1 and len(self._bigram_keys):
            # Pairs in one statement whose tokens both occur in some bigram (static tokens).
            first, second = ctok[:-1], ctok[1:]
            n_static = self.n_static_tokens
            maybe = (first < n_static) & (second < n_static) & (cdoc[1:] == cdoc[:-1])
            maybe &= self._bigram_first[np.minimum(first, n_static - 1)] & self._bigram_second[np.minimum(second, n_static - 1)]
            pairs = np.flatnonzero(maybe)
            at, bigram_id = self._lookup_bigrams((first[pairs] << 32) | second[pairs])
            bigram_doc = cdoc[1:][pairs[at]]
        return Units(len(texts), cdoc, ctok, cdoc[keep], uni[keep], bigram_doc, bigram_id, term_doc, term_row)

    def _match_terms(self, tokens: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(tokens) or not len(self._term_keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        lex = self._token_lex[tokens]
        if len(tokens) <= _SMALL_BATCH_TOKENS:
            return self._match_terms_small(lex, docs)
        # Terms are made of lexicon tokens only: walk the (few) positions that hold one.
        at = np.flatnonzero(lex)
        lex, docs = lex[at], docs[at]
        n = len(at)
        found_doc, found_row = [], []
        key = np.zeros(n, dtype=np.int64)
        alive = np.ones(n, dtype=bool)
        for length in range(1, MAX_TERM_TOKENS + 1):
            span = n - length + 1
            if span <= 0:
                break
            step = length - 1
            nxt = lex[step : step + span]
            # The term's next token must be the next position of the same statement.
            alive = alive[:span] & (at[step : step + span] == at[:span] + step) & (docs[step : step + span] == docs[:span])
            key = key[:span] * self._lex_base + nxt
            if not alive.any():
                break
            cand = np.flatnonzero(alive)
            pos = np.searchsorted(self._term_keys, key[cand])
            pos[pos == len(self._term_keys)] = 0
            hit = self._term_keys[pos] == key[cand]
            found_doc.append(docs[cand[hit]])
            found_row.append(pos[hit])
        if not found_doc:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        doc = np.concatenate(found_doc)
        row = np.concatenate(found_row)
        order = np.argsort(doc, kind="stable")
        return doc[order], row[order]

    def _match_terms_small(self, lex: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_match_terms` for a few tokens: a dictionary walk is faster than array passes.

        Matches come out in the same order (statement, term length, position), so sums over
        them are bit-for-bit those of the array version.
        """
        lexl, docl = lex.tolist(), docs.tolist()
        index, base, n = self._term_index, self._lex_base, len(lexl)
        found = []
        for i, first in enumerate(lexl):
            if not first:
                continue
            key, d = 0, docl[i]
            for j in range(i, min(n, i + MAX_TERM_TOKENS)):
                if not lexl[j] or docl[j] != d:
                    break
                key = key * base + lexl[j]
                row = index.get(key)
                if row is not None:
                    found.append((d, j - i, i, row))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        found.sort()
        return np.array([f[0] for f in found], dtype=np.int64), np.array([f[3] for f in found], dtype=np.int64)

    # ----------------------------------------------------------- explicit rows
    def norms(self, u: Units) -> dict[str, np.ndarray]:
        n = u.n_docs
        word_sq = np.bincount(u.gram_doc, weights=self.word_idf[u.gram_id] ** 2, minlength=n)
        char_sq = np.bincount(u.token_doc, weights=self._token_sq[u.token_id], minlength=n)
        lex_sq = np.bincount(u.term_doc, weights=self.term_themes[u.term_row].sum(1), minlength=n) if len(u.term_row) else np.zeros(n)
        scale = {}
        for name, sq in (("word", word_sq), ("char", char_sq), ("lexicon", lex_sq)):
            s = np.zeros(n)
            filled = sq > 0
            s[filled] = self.weights[name] / np.sqrt(sq[filled])
            scale[name] = s
        return scale

    def dense_rows(self, u: Units) -> np.ndarray:
        """The weighted mean embedding of each statement's content tokens."""
        if not self.n_dense:
            return np.zeros((u.n_docs, 0))
        sums = segment_sum(self._token_vec[u.token_id], u.token_doc, u.n_docs)
        counts = np.bincount(u.token_doc, minlength=u.n_docs).astype(np.float64)
        counts[counts == 0] = 1.0
        return sums / counts[:, None] * self.weights["dense"]

    def token_vector(self, token_id: int) -> np.ndarray:
        """The embedding vector of a token id (zeros without an embedding)."""
        return self._token_vec[token_id]

    def rows(self, texts: list[str]) -> FeatureRows:
        """Explicit feature rows of ``texts`` (no context)."""
        with self.reading():
            return self._rows(list(texts))

    def _rows(self, texts: list[str]) -> FeatureRows:
        u = self.units(texts)
        scale = self.norms(u)
        n_words, n_chars = len(self.words), len(self.chars)
        doc_parts, col_parts, val_parts = [], [], []
        doc_parts.append(u.gram_doc)
        col_parts.append(u.gram_id)
        val_parts.append(self.word_idf[u.gram_id] * scale["word"][u.gram_doc])
        for d, t in zip(u.token_doc.tolist(), u.token_id.tolist()):
            ids, values = self._token_chars[t]
            if len(ids):
                doc_parts.append(np.full(len(ids), d))
                col_parts.append(ids + n_words)
                val_parts.append(values * scale["char"][d])
        if len(u.term_row):
            tt = self.term_themes[u.term_row]
            d_idx, k_idx = np.nonzero(tt)
            doc_parts.append(u.term_doc[d_idx])
            col_parts.append(k_idx + n_words + n_chars)
            val_parts.append(tt[d_idx, k_idx] * scale["lexicon"][u.term_doc[d_idx]])
        doc = np.concatenate(doc_parts).astype(np.int64)
        col = np.concatenate(col_parts).astype(np.int64)
        val = np.concatenate(val_parts).astype(np.float64)
        keys, inverse = np.unique(doc * self.n_sparse + col, return_inverse=True)
        data = np.bincount(inverse, weights=val, minlength=len(keys))
        rows_, cols = np.divmod(keys, self.n_sparse)
        indptr = np.zeros(u.n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows_, minlength=u.n_docs), out=indptr[1:])
        return FeatureRows(indptr, cols, data, self.dense_rows(u))

    def transform(self, texts: list[str], contexts: list | None = None) -> FeatureRows:
        """Explicit feature rows; each context (lead-in) adds its rows times ``context_weight``."""
        own = self.rows(texts)
        weight = self.weights["context"]
        if contexts is None or weight == 0.0 or not any(contexts):
            return own
        distinct = list(dict.fromkeys(c for c in contexts if c))
        where = {c: i for i, c in enumerate(distinct)}
        ctx = self.rows(distinct)
        indptr, indices, data = [0], [], []
        dense = own.dense.copy()
        for r, c in enumerate(contexts):
            a, b = own.indptr[r], own.indptr[r + 1]
            cols, vals = [own.indices[a:b]], [own.data[a:b]]
            if c:
                k = where[c]
                ca, cb = ctx.indptr[k], ctx.indptr[k + 1]
                cols.append(ctx.indices[ca:cb])
                vals.append(ctx.data[ca:cb] * weight)
                dense[r] += ctx.dense[k] * weight
            col = np.concatenate(cols)
            val = np.concatenate(vals)
            uniq, inv = np.unique(col, return_inverse=True)
            indices.append(uniq)
            data.append(np.bincount(inv, weights=val, minlength=len(uniq)))
            indptr.append(indptr[-1] + len(uniq))
        return FeatureRows(
            np.asarray(indptr, np.int64),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.concatenate(data) if data else np.zeros(0),
            dense,
        )

    # ------------------------------------------------------------- persistence
    def to_json(self) -> dict:
        """The JSON-able part of the space (vocabularies, lexicon, configuration)."""
        return {"words": self.words, "chars": self.chars, "lexicon": self.lexicon, "config": self.config}
