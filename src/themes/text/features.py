"""The feature space shared by training and inference (numpy only).

One implementation turns text into features, so the scikit-learn pipeline that is trained
and the numpy-only model that is shipped see exactly the same numbers. A statement's normal
tokens (see :mod:`themes.text.normalization`) give four feature blocks:

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
    :mod:`themes.embedding`), so that words absent from the corpus still count. The
    embedding is English: a Russian token reads as the mean vector of its English gloss
    (``data/glossary_ru.json``: "границ" -> "border"), so that the Russian statements
    share this block with the English ones; a Russian token without a gloss adds a zero row.

Each sparse block is divided by the square root of the summed squares of its units (token
occurrences for ``char``, n-gram occurrences for ``word``, term matches for ``lexicon``)
and multiplied by its block weight; the embedding is L2-normalised and weighted. Because
the ``char`` block of a statement is a sum over its tokens, everything a token brings is
computed once per distinct token and kept in the :class:`~themes.text.tokens.TokenCache`
(words new to a batch are featurised together, with the vectorised structures of
:mod:`themes.text.lookup`): inference needs one dictionary lookup per word (after one byte
translation and split for the whole batch) and a few array operations per batch (see
:class:`themes.model.ThemeModel`).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np

from themes.language import is_cyrillic_word
from themes.text.lookup import SMALL_BATCH, BigramHash, CharNgramIndex, TermMatcher, WordPieceIndex
from themes.text.normalization import MAX_TERM_TOKENS, STOP_WORDS, normal_form, normalize_tokens, read_names_in_words, split_batch_keys, statement_words, word_of_key
from themes.text.tokens import TokenCache, concatenated_ranges

__all__ = ["FeatureRows", "FeatureSpace", "Units", "segment_sum", "smooth_idf"]

_SPACE_COUNT = operator.methodcaller("count", " ")
# A gloss of plain lower-case words gives the normal forms of its words (no punctuation, hyphen
# or name to read first): the first pass over Russian text meets hundreds of glossed words.
_PLAIN_GLOSS = re.compile(r"[a-z]+(?: [a-z]+)*")


class _KeyWords:
    """The words of a list of keys (see ``split_batch_keys``), decoded when read."""

    __slots__ = ("keys",)

    def __init__(self, keys: list[bytes]) -> None:
        self.keys = keys

    def __getitem__(self, at):
        if isinstance(at, slice):
            return list(map(word_of_key, self.keys[at]))
        return word_of_key(self.keys[at])


def smooth_idf(document_frequency, n_documents: int) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's ``smooth_idf=True``.

    Examples
    --------
    >>> smooth_idf(np.array([1, 3]), 3).round(3).tolist()
    [1.693, 1.0]
    """
    return np.log((1.0 + n_documents) / (1.0 + np.asarray(document_frequency, float))) + 1.0


def _first_occurrences(docs: np.ndarray, ids: np.ndarray, cap: int) -> np.ndarray | None:
    """Positions of the first ``cap`` occurrences of each ``(doc, id)`` pair, in their order;
    None when no pair occurs more than ``cap`` times (the usual case: nothing to drop).

    The pairs are hashed into a table two to four times their number: a bucket holding at most
    ``cap`` occurrences clears every pair in it, so only the few positions in fuller buckets
    are sorted and ranked (collisions only add positions to check).

    Examples
    --------
    >>> _first_occurrences(np.array([0, 0, 0, 1, 0]), np.array([7, 7, 8, 7, 7]), 2).tolist()
    [0, 1, 2, 3]
    >>> _first_occurrences(np.array([0, 0]), np.array([7, 8]), 1) is None
    True
    """
    n = len(ids)
    if n <= cap:
        return None
    key = (docs.astype(np.int64) << 32 | ids.astype(np.int64)).view(np.uint64)
    bits = max(10, (2 * n).bit_length())
    bucket = ((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)
    full = np.bincount(bucket, minlength=1 << bits)[bucket] > cap
    if not full.any():
        return None
    at = np.flatnonzero(full)
    order = at[np.argsort(key[at], kind="stable")]
    ordered = key[order]
    new_run = np.empty(len(ordered), dtype=bool)
    new_run[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_run[1:])
    starts = np.flatnonzero(new_run)
    rank = np.arange(len(ordered)) - np.repeat(starts, np.diff(np.append(starts, len(ordered))))
    if not (rank >= cap).any():
        return None
    keep = np.ones(n, dtype=bool)
    keep[order[rank >= cap]] = False
    return np.flatnonzero(keep)


def _capped_list(items: list[int], cap: int) -> list[int]:
    """``items`` with each value's occurrences after its first ``cap`` left out, in order;
    ``items`` itself when no value repeats (the usual case: nothing to drop).

    Examples
    --------
    >>> _capped_list([7, 7, 8, 7, 7], 2)
    [7, 7, 8]
    >>> items = [7, 8]
    >>> _capped_list(items, 1) is items
    True
    """
    if len(set(items)) == len(items):
        return items
    seen: dict[int, int] = {}
    out = []
    for item in items:
        n = seen.get(item, 0)
        if n < cap:
            out.append(item)
        seen[item] = n + 1
    return out


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


#: Token rows gathered at a time by :meth:`FeatureSpace.dense_rows` (cut at a statement's end).
_DENSE_CHUNK = 32768


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
    glossary : dict of str to str, optional
        Russian normal token -> English gloss (one to three words), read by the embedding
        in place of the Russian token. None or empty: Russian tokens add zero rows.
    """


    def __init__(self, words, word_idf, chars, char_idf, lexicon, config, embedding=None, glossary=None):
        self.words = list(words)
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.chars = list(chars)
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        self.lexicon = {t: list(v) for t, v in lexicon.items()}
        self.config = dict(config)
        self.embedding = embedding
        self.glossary = dict(glossary or {})
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
        # A statement much shorter than any the model was trained on ("drones", "2024") would
        # have each block normalised by the norm of one or two words, and so weigh as much
        # as a whole statement's evidence: each block's sum of squares, and the token count
        # of the embedding mean, are read as at least these floors (absent: no floor).
        floors = self.config.get("norm_floors") or {}
        self.floors = {
            "word": float(floors.get("word", 0.0)),
            "char": float(floors.get("char", 0.0)),
            "tokens": max(1.0, float(floors.get("tokens", 1.0))),
        }
        # A unit (content token, bigram, lexicon term) repeated in one statement counts at most
        # this many times (0: every time). Each block is normalised by the root of its summed
        # squares of occurrences, so a word repeated n times weighs sqrt(n) times one: without
        # a cap "terrorism " * 50 or a pasted column of one name collects confident themes.
        self.max_repeats = int(self.config.get("max_unit_repeats", 0))
        low, high = self.config.get("char_ngram_range", (3, 5))
        self.char_index = CharNgramIndex(self.chars, self.char_idf, low, high)
        self.word_pieces = WordPieceIndex(embedding) if embedding is not None else None
        self.tokens = TokenCache(self._featurize, self.n_dense, STOP_WORDS, self._featurize_one)
        self._build_static()

    def _featurize(self, tokens: list[str], stop: np.ndarray):
        """What new tokens bring (see :class:`TokenCache`), for all of them at once."""
        # Stop words have no character n-grams: they are counted as empty tokens.
        indptr, ids, values = self.char_index.count([t if not s else "" for t, s in zip(tokens, stop.tolist())])
        if self.word_pieces is not None:
            # The embedding is English: on Cyrillic tokens its word pieces are noise, so they
            # read their English gloss instead (zero rows without one).
            ascii_only = "".join(tokens).isascii()  # the usual case, checked for all at once
            latin = range(len(tokens)) if ascii_only else [i for i, t in enumerate(tokens) if t.isascii() or not is_cyrillic_word(t)]
            if len(latin) == len(tokens):
                vectors = self.word_pieces.vectors(tokens)
            else:
                vectors = np.zeros((len(tokens), self.n_dense), dtype=np.float32)
                if latin:
                    vectors[latin] = self.word_pieces.vectors([tokens[i] for i in latin])
                if self.glossary:
                    self._gloss_vectors(tokens, vectors)
        else:
            vectors = np.zeros((len(tokens), 0), dtype=np.float32)
        return indptr, ids, values, vectors

    def _featurize_one(self, token: str, stop: bool):
        """:meth:`_featurize` of one token, the same numbers without array passes: (sorted
        n-gram column ids, their idf-weighted counts, embedding vector or None)."""
        ids, values = self.char_index.count_one(token if not stop else "")
        if self.word_pieces is None:
            return ids, values, None
        emb = self.embedding
        if token.isascii() or not is_cyrillic_word(token):
            return ids, values, emb.new_word_vector(token)
        words = self._gloss_tokens(token) if self.glossary and token in self.glossary else None
        if not words:
            return ids, values, emb._zero
        # As _gloss_vectors: the gloss words' vectors added in float32, divided by their count.
        total = emb.new_word_vector(words[0]).copy()
        for word in words[1:]:
            total += emb.new_word_vector(word)
        return ids, values, total / np.float32(len(words))

    def _gloss_vectors(self, tokens: list[str], vectors: np.ndarray) -> None:
        """Rows of ``vectors`` for the glossed Russian ``tokens``: the mean vector of the normal
        tokens of their gloss ("беспилотник" -> "drone" -> "uav", the row English "drones" get).

        Each row is summed gloss word by gloss word and divided in float32, the same
        operations whatever else the batch holds.
        """
        glossed = [(i, self._gloss_tokens(t)) for i, t in enumerate(tokens) if t in self.glossary and is_cyrillic_word(t)]
        glossed = [(i, words) for i, words in glossed if words]
        if not glossed:
            return
        flat = [w for _, words in glossed for w in words]
        word_vectors = self.word_pieces.vectors(flat)
        at = 0
        for i, words in glossed:
            total = word_vectors[at].copy()
            for j in range(1, len(words)):
                total += word_vectors[at + j]
            vectors[i] = total / np.float32(len(words))
            at += len(words)

    def _gloss_tokens(self, token: str) -> list[str]:
        """The content tokens of ``token``'s English gloss, as the English text would give them."""
        gloss = self.glossary[token]
        if _PLAIN_GLOSS.fullmatch(gloss):  # the usual case: words of letters, nothing to split off
            tokens = [t for word in gloss.split() for t in normal_form(word).split()]
        else:
            tokens = normalize_tokens(gloss)
        return [t for t in tokens if t not in STOP_WORDS]

    # ------------------------------------------------------------ static tables
    def _build_static(self) -> None:
        # Every token that a word feature or lexicon term names gets a fixed id first,
        # so bigram and term keys can be computed from token ids with array arithmetic.
        cache = self.tokens
        # The words' tokens, flat (one split of the joined words: 20,000 splits cost more),
        # and where each word's first token is in that list.
        word_tokens = " ".join(self.words).split(" ") if self.words else []
        n_parts = np.fromiter(map(_SPACE_COUNT, self.words), dtype=np.int64, count=len(self.words)) + 1
        first_part = np.cumsum(n_parts) - n_parts
        terms: list[tuple[tuple[str, ...], int]] = []
        for k, theme in enumerate(self.lexicon_themes):
            for term in self.lexicon[theme]:
                toks = tuple(normalize_tokens(term))
                if toks and len(toks) <= MAX_TERM_TOKENS:
                    terms.append((toks, k))
        cache.register_static(word_tokens + [t for toks, _ in terms for t in toks])
        index = cache._index
        # Lexicon tokens get small ids (1..L) so an n-token term is one int64 key.
        lex_tokens = sorted({tok for toks, _ in terms for tok in toks})
        for i, tok in enumerate(lex_tokens, 1):
            cache.lex[index[tok]] = i
        self.terms = TermMatcher([tuple(int(cache.lex[index[t]]) for t in toks) for toks, _ in terms], len(lex_tokens))
        rows: dict[int, np.ndarray] = {}
        for toks, k in terms:
            key = self.terms.key(int(cache.lex[index[t]]) for t in toks)
            rows.setdefault(key, np.zeros(self.n_lexicon))[k] = 1.0
        order = self.terms.keys.tolist()
        self.term_themes = np.array([rows[k] for k in order]).reshape(len(order), self.n_lexicon)
        self.term_lengths = np.array([self.terms.length(k) for k in order], dtype=np.int64)
        # Word features: unigram id per token, bigram keys (token_a << 32 | token_b).
        ids = np.fromiter(map(index.__getitem__, word_tokens), dtype=np.int64, count=len(word_tokens))
        unigram = np.flatnonzero(n_parts == 1)
        cache.unigram[ids[first_part[unigram]]] = unigram
        bigram = np.flatnonzero(n_parts > 1)
        bigram_keys = (ids[first_part[bigram]] << 32) | ids[first_part[bigram] + 1]
        self.bigrams = BigramHash(bigram_keys, bigram)
        n = cache.n_static
        self._bigram_first = np.zeros(max(n, 1), dtype=bool)
        self._bigram_second = np.zeros(max(n, 1), dtype=bool)
        self._bigram_first[self.bigrams.keys >> 32] = True
        self._bigram_second[self.bigrams.keys & 0xFFFFFFFF] = True

    # ------------------------------------------------------------- token cache
    @property
    def n_static_tokens(self) -> int:
        """Tokens of the vocabulary (word features and lexicon terms): ids 0..n-1."""
        return self.tokens.n_static

    @property
    def n_tokens(self) -> int:
        """Distinct tokens known so far (vocabulary and cache)."""
        return self.tokens.n_tokens

    @property
    def generation(self) -> int:
        """How many times the token cache has been cleared."""
        return self.tokens.generation

    def word_tokens(self, word: str) -> tuple[int, ...]:
        """Token ids of one raw (lower-case) word; cached."""
        return tuple(self.tokens.raw_token_ids([word]).tolist())

    def is_known_word(self, word: str) -> bool:
        """Whether every token of a lower-case ``word`` is a token of the vocabulary (of a word
        feature or a lexicon term); nothing is registered in the token cache.

        Examples
        --------
        >>> space = FeatureSpace(["uav"], np.ones(1), [], np.zeros(0), {}, {})  # the normal form of "drones"
        >>> space.is_known_word("drones"), space.is_known_word("xavfsizlik")
        (True, False)
        """
        tokens = normal_form(word).split()
        return bool(tokens) and all(map(self.tokens.is_static, tokens))

    def token_name(self, token_id: int) -> str:
        """The normal token behind a token id."""
        return self.tokens.name(token_id)

    def token_chars(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(character n-gram column ids, idf-weighted counts) of a token id."""
        return self.tokens.token_chars(token_id)

    def token_vector(self, token_id: int) -> np.ndarray:
        """The embedding vector of a token id (empty without an embedding)."""
        self.tokens.ensure_ready(np.array([token_id], dtype=np.int64))
        return self.tokens.vectors[token_id].astype(np.float64)

    def reading(self):
        """Keep token ids valid while the caller uses them (call :meth:`units` inside)."""
        return self.tokens.reading()

    # ------------------------------------------------------------------ units
    def _raw_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw-word ids of all words of the batch, and the statement of each, in order.

        One translation and split for the whole batch, the words looked up as bytes
        (:func:`split_batch_keys`); the separator word reads as raw id -1. A text that holds the separator itself shows up as one -1
        too many, and the batch is then read one text at a time.
        """
        keys = split_batch_keys(texts)
        ids = self._names_read(keys, self.tokens.raw_ids_of_keys(keys))
        sep = ids < 0
        n_sep = int(np.count_nonzero(sep))
        if n_sep != len(texts) - 1:
            return self._general_raw_ids(texts)
        if not n_sep:  # one statement
            return ids, np.zeros(len(ids), dtype=np.int64)
        keep = ~sep
        return ids[keep], np.cumsum(sep)[keep]

    def _names_read(self, keys: list[bytes], ids: np.ndarray) -> np.ndarray:
        """The raw ``ids`` of words ``keys`` with each span of words that names an organisation
        replaced by the raw id of its acronym (``ids`` itself when none does).

        Names are looked for where a word that may start one comes before one that may come
        second (flags of each raw word): no scan of the text for each first word.
        """
        flags = self.tokens.raw_name[ids]
        flags[ids < 0] = 0  # (the separator's id, -1, reads the last flag)
        starts = np.flatnonzero((flags[:-1] & 1) & (flags[1:] >> 1))
        spans = read_names_in_words(_KeyWords(keys), starts.tolist()) if len(starts) else None
        if not spans:
            return ids
        acronyms = self.tokens.add_words([acronym for _, _, acronym in spans])
        keep = np.ones(len(ids), dtype=bool)
        for (start, end, _), acronym in zip(spans, acronyms):
            ids[start] = acronym
            keep[start + 1 : end] = False
        return ids[keep]

    def _general_raw_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_raw_ids` one text at a time, with :func:`statement_words` (any characters)."""
        words = [statement_words(text) for text in texts]
        ids = self.tokens.add_words([w for ws in words for w in ws])
        docs = np.repeat(np.arange(len(texts), dtype=np.int64), [len(ws) for ws in words])
        return np.asarray(ids, dtype=np.int64).reshape(-1), docs

    def units(self, texts: list[str]) -> Units:
        """Break a batch of statements into feature units (see :class:`Units`).

        Token ids in the result stay valid only inside :meth:`reading`.
        """
        if not texts:
            empty = np.zeros(0, dtype=np.int64)
            return Units(0, empty, empty, empty, empty, empty, empty, empty, empty)
        rids, rdocs = self._raw_ids(texts)
        cache = self.tokens
        starts, counts, flat = cache.raw_start, cache.raw_count, cache.raw_tokens
        n_tok = counts[rids]
        if len(n_tok) and (n_tok == 1).all():
            tokens, docs = flat[starts[rids]], rdocs
        else:
            docs = np.repeat(rdocs, n_tok)
            tokens = flat[concatenated_ranges(starts[rids], n_tok)]
        # Lexicon terms are matched on all tokens, stop words included ("financing of terrorism").
        term_doc, term_row = self.terms.match(cache.lex[tokens], docs)
        cache.mark_used(rids)  # what a cleared cache keeps (the words used last)
        content = ~cache.stop[tokens] if len(tokens) else np.zeros(0, dtype=bool)
        ctok, cdoc = tokens[content], docs[content]
        cache.ensure_ready(ctok)  # vocabulary tokens are featurised when first used
        uni = cache.unigram[ctok] if len(ctok) else np.zeros(0, dtype=np.int64)
        keep = uni >= 0
        bigram_doc = bigram_id = np.zeros(0, dtype=np.int64)
        if 1 < len(ctok) <= SMALL_BATCH and len(self.bigrams):
            bigram_doc, bigram_id = self._bigrams_small(ctok, cdoc)
        elif len(ctok) > 1 and len(self.bigrams):
            # Pairs in one statement whose tokens both occur in some bigram (static tokens).
            first, second = ctok[:-1], ctok[1:]
            n_static = self.n_static_tokens
            maybe = (first < n_static) & (second < n_static) & (cdoc[1:] == cdoc[:-1])
            maybe &= self._bigram_first[np.minimum(first, n_static - 1)] & self._bigram_second[np.minimum(second, n_static - 1)]
            pairs = np.flatnonzero(maybe)
            at, bigram_id = self.bigrams.lookup((first[pairs] << 32) | second[pairs])
            bigram_doc = cdoc[1:][pairs[at]]
        if self.max_repeats:
            cap = self.max_repeats
            kept = _first_occurrences(cdoc, ctok, cap)
            if kept is not None:
                cdoc, ctok = cdoc[kept], ctok[kept]
                uni = cache.unigram[ctok]
                keep = uni >= 0
            kept = _first_occurrences(bigram_doc, bigram_id, cap)
            if kept is not None:
                bigram_doc, bigram_id = bigram_doc[kept], bigram_id[kept]
            kept = _first_occurrences(term_doc, term_row, cap)
            if kept is not None:
                term_doc, term_row = term_doc[kept], term_row[kept]
        return Units(len(texts), cdoc, ctok, cdoc[keep], uni[keep], bigram_doc, bigram_id, term_doc, term_row)

    def statement_units(self, text: str) -> tuple[np.ndarray, list[int], list[int]]:
        """The units of one statement: (content token ids, bigram columns, term rows).

        The ``token_id``, ``bigram_id`` and ``term_row`` of :meth:`units` for ``[text]``, in
        the same order, with no statement arrays: lists and a handful of array calls, where
        the batch machinery would cost more than the statement. Call inside :meth:`reading`.
        """
        cache = self.tokens
        keys = split_batch_keys([text])
        rids = cache.raw_id_list_of_keys(keys)
        if -1 in rids:  # the text holds the separator word itself
            u = self.units([text])
            return u.token_id, u.bigram_id.tolist(), u.term_row.tolist()
        if not cache.name_first_raw.isdisjoint(rids):  # a word that may start a name (rare)
            rids = self._names_read(keys, np.array(rids, dtype=np.int64)).tolist()
        uneven = not cache.uneven_raw.isdisjoint(rids)
        rids = np.array(rids, dtype=np.int64)
        if not uneven:  # one token per word
            tokens = cache.raw_tokens[cache.raw_start[rids]]
        else:
            tokens = cache.raw_tokens[concatenated_ranges(cache.raw_start[rids], cache.raw_count[rids])]
        # Lexicon terms are matched on all tokens, stop words included.
        term_rows = self.terms.match_one(cache.lex[tokens].tolist())
        cache.raw_used[rids] = cache.clock  # mark_used
        ctok = tokens[~cache.stop[tokens]]
        cache.ensure_ready(ctok)
        bigram_cols = []
        if len(ctok) > 1 and len(self.bigrams):
            # Every neighbouring pair looked up (a key of two token ids names one pair).
            toks, column = ctok.tolist(), self.bigrams.index.get
            bigram_cols = [col for a, b in zip(toks, toks[1:]) if (col := column(a << 32 | b)) is not None]
        if self.max_repeats:  # as units(): each unit's first max_repeats occurrences, in order
            cap = self.max_repeats
            listed = ctok.tolist()
            kept = _capped_list(listed, cap)
            if len(kept) < len(listed):
                ctok = np.array(kept, dtype=ctok.dtype)
            bigram_cols = _capped_list(bigram_cols, cap)
            term_rows = _capped_list(term_rows, cap)
        return ctok, bigram_cols, term_rows

    def _bigrams_small(self, ctok: np.ndarray, cdoc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The bigram units of a few content tokens (a statement or two): a dictionary walk
        over neighbouring pairs, faster there than the array passes; the same units in the
        same order (by position)."""
        toks, docs = ctok.tolist(), cdoc.tolist()
        n_static, column = self.n_static_tokens, self.bigrams.index.get
        found = [
            (d, col)
            for a, b, d, e in zip(toks, toks[1:], docs, docs[1:])
            if d == e and a < n_static and b < n_static and (col := column(a << 32 | b)) is not None
        ]
        return np.array([f[0] for f in found], dtype=np.int64), np.array([f[1] for f in found], dtype=np.int64)

    # ----------------------------------------------------------- explicit rows
    def block_sizes(self, u: Units) -> dict[str, np.ndarray]:
        """Per statement: the sums of squares of the word, character and lexicon blocks before
        normalisation, and the number of content tokens (``tokens``)."""
        n = u.n_docs
        return {
            "word": np.bincount(u.gram_doc, weights=self.word_idf[u.gram_id] ** 2, minlength=n),
            "char": np.bincount(u.token_doc, weights=self.tokens.sq[u.token_id], minlength=n),
            "lexicon": np.bincount(u.term_doc, weights=self.term_themes[u.term_row].sum(1), minlength=n) if len(u.term_row) else np.zeros(n),
            "tokens": np.bincount(u.token_doc, minlength=n).astype(np.float64),
        }

    def norms(self, u: Units) -> dict[str, np.ndarray]:
        """Per statement and block: the block weight over the block's norm (its sum of squares
        read as at least :attr:`floors`; 0 for an empty block)."""
        sizes = self.block_sizes(u)
        scale = {}
        for name in ("word", "char", "lexicon"):
            sq = sizes[name]
            s = np.zeros(u.n_docs)
            filled = sq > 0
            s[filled] = self.weights[name] / np.sqrt(np.maximum(sq[filled], self.floors.get(name, 0.0)))
            scale[name] = s
        return scale

    def dense_rows(self, u: Units) -> np.ndarray:
        """The weighted mean embedding of each statement's content tokens (divided by at
        least ``floors["tokens"]``)."""
        if not self.n_dense:
            return np.zeros((u.n_docs, 0))
        # A few thousand statements at a time: the gathered float64 rows of a whole training
        # set take hundreds of MB, and allocating them again for every fold cost more (page
        # faults) than the sums. Chunks end at a statement's end: the same sums, bit for bit.
        sums = np.zeros((u.n_docs, self.n_dense))
        doc, vectors, n = u.token_doc, self.tokens.vectors, len(u.token_doc)
        a = 0
        while a < n:
            b = n if n - a <= _DENSE_CHUNK else int(np.searchsorted(doc, doc[a + _DENSE_CHUNK], side="left"))
            if b <= a:  # one statement longer than a chunk
                b = int(np.searchsorted(doc, doc[a], side="right"))
            part = segment_sum(vectors[u.token_id[a:b]].astype(np.float64), doc[a:b] - doc[a], int(doc[b - 1] - doc[a]) + 1)
            sums[doc[a] : doc[b - 1] + 1] = part
            a = b
        counts = np.maximum(np.bincount(u.token_doc, minlength=u.n_docs).astype(np.float64), self.floors["tokens"])
        return sums / counts[:, None] * self.weights["dense"]

    def rows(self, texts: list[str]) -> FeatureRows:
        """Explicit feature rows of ``texts`` (no context)."""
        with self.reading():
            return self._rows(list(texts))

    def _rows(self, texts: list[str]) -> FeatureRows:
        u = self.units(texts)
        scale = self.norms(u)
        cache = self.tokens
        n_words, n_chars = len(self.words), len(self.chars)
        doc_parts, col_parts, val_parts = [], [], []
        doc_parts.append(u.gram_doc)
        col_parts.append(u.gram_id)
        val_parts.append(self.word_idf[u.gram_id] * scale["word"][u.gram_doc])
        # Every token occurrence's character n-grams, gathered from the cache's CSR rows.
        at, count = cache.char_rows(u.token_id)
        char_doc = np.repeat(u.token_doc, count)
        doc_parts.append(char_doc)
        col_parts.append(cache.char_ids[at] + n_words)
        val_parts.append(cache.char_values[at] * scale["char"][char_doc])
        if len(u.term_row):
            tt = self.term_themes[u.term_row]
            d_idx, k_idx = np.nonzero(tt)
            doc_parts.append(u.term_doc[d_idx])
            col_parts.append(k_idx + n_words + n_chars)
            val_parts.append(tt[d_idx, k_idx] * scale["lexicon"][u.term_doc[d_idx]])
        doc = np.concatenate(doc_parts).astype(np.int64, copy=False)
        col = np.concatenate(col_parts).astype(np.int64, copy=False)
        val = np.concatenate(val_parts).astype(np.float64, copy=False)
        return FeatureRows(*self._summed_rows(doc, col, val, u.n_docs), self.dense_rows(u))

    def _summed_rows(self, doc: np.ndarray, col: np.ndarray, val: np.ndarray, n_rows: int):
        """CSR ``(indptr, indices, data)`` of ``n_rows`` rows from (row, column, value)
        entries, the values of one cell added in the order given."""
        keys, inverse = np.unique(doc * self.n_sparse + col, return_inverse=True)
        data = np.bincount(inverse, weights=val, minlength=len(keys))
        rows, cols = np.divmod(keys, self.n_sparse)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        return indptr, cols, data

    def transform(self, texts: list[str], contexts: list | None = None) -> FeatureRows:
        """Explicit feature rows; each context (lead-in) adds its rows times ``context_weight``."""
        own = self.rows(texts)
        weight = self.weights["context"]
        if contexts is None or weight == 0.0 or not any(contexts):
            return own
        distinct = list(dict.fromkeys(c for c in contexts if c))
        where = {c: i for i, c in enumerate(distinct)}
        ctx = self.rows(distinct)
        n = own.n_rows
        with_context = np.array([r for r, c in enumerate(contexts) if c], dtype=np.int64)
        of_context = np.array([where[c] for c in contexts if c], dtype=np.int64)
        # Each row's own entries, then its context's entries times the weight, summed per
        # column as one sorted pass over the batch: per (row, column) the values are added
        # in that order, as a row-by-row concatenation would.
        counts = np.diff(ctx.indptr)[of_context]
        at = concatenated_ranges(ctx.indptr[of_context], counts)
        doc = np.concatenate((np.repeat(np.arange(n, dtype=np.int64), np.diff(own.indptr)), np.repeat(with_context, counts)))
        col = np.concatenate((own.indices, ctx.indices[at])).astype(np.int64, copy=False)
        val = np.concatenate((own.data, ctx.data[at] * weight))
        dense = own.dense.copy()
        dense[with_context] += ctx.dense[of_context] * weight
        return FeatureRows(*self._summed_rows(doc, col, val, n), dense)

    # ------------------------------------------------------------- persistence
    def to_json(self) -> dict:
        """The JSON-able part of the space (vocabularies, lexicon, glossary, configuration)."""
        out = {"words": self.words, "chars": self.chars, "lexicon": self.lexicon, "config": self.config}
        if self.glossary:
            out["glossary"] = self.glossary
        return out
