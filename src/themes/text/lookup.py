"""Fast lookup structures over whole batches: numpy arrays, no Python loop per word.

:class:`BigramHash`
    An open-addressing hash of word-bigram keys.
:class:`TermMatcher`
    Lexicon terms (runs of up to five tokens) found in a batch of token ids.
:class:`CharNgramIndex`
    The character n-gram columns of many new tokens at once (n-grams packed into integers).
:class:`WordPieceIndex`
    The static embedding vectors of many new tokens at once (a vectorised WordPiece).

Each gives exactly the answer of the plain definition (a dictionary, :func:`char_ngrams`,
:meth:`StaticEmbedding.word_vector`); tests compare them on many inputs.
"""

from __future__ import annotations

import time

import numpy as np

from themes.text.normalization import MAX_TERM_TOKENS, char_ngrams

__all__ = ["BigramHash", "CharNgramIndex", "TermMatcher", "WordPieceIndex", "distinct"]

#: Below this many keys or tokens, a dictionary walk is faster than array passes.
SMALL_BATCH = 256
#: Below this many new words, featurising them one by one is faster than array passes.
SMALL_NEW_WORDS = 24
#: The array structures are built once a batch brings this many new words, or once this many
#: seconds have gone into featurising words one by one (about what building them costs), so
#: that a process that meets few new words never pays for them: the rent-or-buy rule.
BUILD_BATCH_WORDS = 2000
BUILD_AFTER_SECONDS = 0.05
#: From this many rows to add up, a scipy.sparse product adds them (no gathered copy of the
#: rows); below, numpy does (a process that meets few new words never imports scipy).
SPARSE_SUM_ROWS = 8192
#: The one-word fast paths (``CharNgramIndex.count_one``'s prefix walk) are prepared after
#: this many words counted plainly (their cost), or with the batch structures.
PREPARE_AFTER_WORDS = 1000


class _WorthBuilding:
    """When to build a batch structure (see ``BUILD_BATCH_WORDS``)."""

    def __init__(self) -> None:
        self.built = False
        self.slow_seconds = 0.0

    def build(self, n_words: int, build) -> bool:
        """Whether to take the batch path for ``n_words`` new words (building it if due)."""
        if not self.built and (n_words >= BUILD_BATCH_WORDS or self.slow_seconds >= BUILD_AFTER_SECONDS):
            build()
            self.built = True
        return self.built and n_words >= SMALL_NEW_WORDS


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, sorted: ``np.unique`` without its first call's
    import of ``numpy.ma`` (about 25 ms, paid by the first batch of a fresh process).

    Examples
    --------
    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


class BigramHash:
    """An open-addressing hash table of bigram keys (at most half full).

    Looking a batch's token pairs up in it costs one or two array gathers, where a binary
    search costs a dozen.

    Parameters
    ----------
    keys : ndarray of int64
        Bigram keys (``token_a << 32 | token_b``), distinct and non-negative.
    columns : ndarray of int64
        The word column of each key.

    Examples
    --------
    >>> table = BigramHash(np.array([5 << 32 | 7, 1 << 32 | 2]), np.array([10, 11]))
    >>> [a.tolist() for a in table.lookup(np.array([3, 1 << 32 | 2, 5 << 32 | 7]))]
    [[1, 2], [11, 10]]
    """

    def __init__(self, keys: np.ndarray, columns: np.ndarray) -> None:
        self.keys = np.asarray(keys, dtype=np.int64)
        self.columns = np.asarray(columns, dtype=np.int64)
        self.index = dict(zip(self.keys.tolist(), self.columns.tolist()))
        bits = max(4, int(len(self.keys) * 2 - 1).bit_length())
        size = 1 << bits
        self._shift = np.uint64(64 - bits)
        self._slot_keys = np.full(size, -1, dtype=np.int64)
        self._slot_columns = np.zeros(size, dtype=np.int64)
        # Linear probing, all keys at once: each round, every key still unplaced tries its
        # slot; of the keys that find the same free slot the first takes it, the others
        # (and those that found it taken) try the next slot in the following round.
        waiting, slot = np.arange(len(self.keys)), self.slots(self.keys)
        while len(waiting):
            free = self._slot_keys[slot] == -1
            first = np.zeros(len(waiting), dtype=bool)
            first[np.unique(slot, return_index=True)[1]] = True
            placed = free & first
            self._slot_keys[slot[placed]] = self.keys[waiting[placed]]
            self._slot_columns[slot[placed]] = self.columns[waiting[placed]]
            waiting, slot = waiting[~placed], (slot[~placed] + 1) & (size - 1)

    def __len__(self) -> int:
        return len(self.keys)

    def slots(self, keys: np.ndarray) -> np.ndarray:
        """Home slot of each key."""
        # Fibonacci hashing: the top bits of key * 2^64 / golden ratio (mod 2^64).
        return ((keys.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> self._shift).view(np.int64)

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``keys`` that are bigram keys, and their word columns (in order)."""
        keys = np.asarray(keys, dtype=np.int64)
        if len(keys) <= SMALL_BATCH:  # a few pairs: dictionary lookups are faster
            get = self.index.get
            found = [(i, column) for i, key in enumerate(keys.tolist()) if (column := get(key)) is not None]
            return np.array([f[0] for f in found], dtype=np.int64), np.array([f[1] for f in found], dtype=np.int64)
        slot = self.slots(keys)
        where = np.arange(len(keys))
        mask = len(self._slot_keys) - 1
        hit_at, hit_id = [], []
        while len(where):
            found = self._slot_keys[slot]
            match = found == keys
            hit_at.append(where[match])
            hit_id.append(self._slot_columns[slot[match]])
            going = ~match & (found != -1)  # an occupied slot of another key: probe the next
            where, keys, slot = where[going], keys[going], (slot[going] + 1) & mask
        at = np.concatenate(hit_at)
        ids = np.concatenate(hit_id)
        order = np.argsort(at, kind="stable")
        return at[order], ids[order]


class TermMatcher:
    """Lexicon terms, as runs of lexicon-token ids (1..L), matched in a batch of tokens.

    Parameters
    ----------
    terms : list of tuple of int
        Each term as its lexicon-token ids (each in 1..``n_lexicon_tokens``).
    n_lexicon_tokens : int
        L, the number of distinct lexicon tokens.

    Attributes
    ----------
    keys : ndarray of int64
        The sorted term keys; a term's row is its position here.

    Examples
    --------
    >>> m = TermMatcher([(1,), (1, 2)], 2)
    >>> [a.tolist() for a in m.match(np.array([0, 1, 2, 1]), np.array([0, 0, 0, 1]))]
    [[0, 0, 1], [0, 1, 0]]
    """

    def __init__(self, terms: list[tuple[int, ...]], n_lexicon_tokens: int) -> None:
        self.base = n_lexicon_tokens + 1
        self.keys = np.array(sorted({self.key(t) for t in terms}), dtype=np.int64)
        self.index = {key: row for row, key in enumerate(self.keys.tolist())}
        # Keys of the runs that some longer term starts with: a run whose key is not here
        # cannot grow into a term (digits are >= 1, so keys of different runs differ).
        self._extensible = {self.key(t[:length]) for t in terms for length in range(1, len(t))}
        # The lexicon tokens that some term starts with: no match starts at another one.
        self.starts = frozenset(t[0] for t in terms if t)

    def key(self, lex_ids) -> int:
        """The integer key of a term: its lexicon-token ids as digits in base L + 1."""
        key = 0
        for i in lex_ids:
            key = key * self.base + int(i)
        return key

    def length(self, key: int) -> int:
        """Tokens in the term of ``key``."""
        n = 0
        while key:
            key //= self.base
            n += 1
        return n

    def match(self, lex: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(statement, term row) of every term occurrence, by statement, length, position.

        ``lex`` holds the lexicon-token id of every token (0 for other tokens), ``docs``
        its statement (sorted).
        """
        if not len(lex) or not len(self.keys):
            return _empty(), _empty()
        if len(lex) <= SMALL_BATCH:
            return self._match_small(lex, docs)
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
            key = key[:span] * self.base + nxt
            if not alive.any():
                break
            cand = np.flatnonzero(alive)
            pos = np.searchsorted(self.keys, key[cand])
            pos[pos == len(self.keys)] = 0
            hit = self.keys[pos] == key[cand]
            found_doc.append(docs[cand[hit]])
            found_row.append(pos[hit])
        if not found_doc:
            return _empty(), _empty()
        doc = np.concatenate(found_doc)
        row = np.concatenate(found_row)
        order = np.argsort(doc, kind="stable")
        return doc[order], row[order]

    def match_one(self, lex: list[int]) -> list[int]:
        """The term rows of :meth:`match` for the tokens of one statement (``lex`` as a list),
        in its order (term length, then position)."""
        index, extensible, base, n, starts = self.index, self._extensible, self.base, len(lex), self.starts
        found = []
        if starts.isdisjoint(lex):
            return []
        for i in [i for i, first in enumerate(lex) if first in starts]:
            key, j = lex[i], i
            while True:
                row = index.get(key)
                if row is not None:
                    found.append((j - i, i, row))
                j += 1
                if j >= n or j - i >= MAX_TERM_TOKENS or key not in extensible or not lex[j]:
                    break
                key = key * base + lex[j]
        if len(found) > 1:
            found.sort()
        return [f[2] for f in found]

    def _match_small(self, lex: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`match` for a few tokens: :meth:`match_one` statement by statement (a
        dictionary walk is faster than the array passes there).

        Matches come out in the same order (statement, term length, position), so sums over
        them are bit-for-bit those of the array version.
        """
        lexl, docl = lex.tolist(), docs.tolist()
        found_doc: list[int] = []
        found_row: list[int] = []
        start, n = 0, len(lexl)
        for end in range(1, n + 1):
            if end == n or docl[end] != docl[start]:  # docs is sorted: one statement's run ends
                rows = self.match_one(lexl[start:end])
                found_doc += [docl[start]] * len(rows)
                found_row += rows
                start = end
        if not found_row:
            return _empty(), _empty()
        return np.array(found_doc, dtype=np.int64), np.array(found_row, dtype=np.int64)


class _Presence:
    """A one-hash Bloom filter over integer keys: most absent keys are turned away with one
    gather, before the binary search that confirms the rest."""

    def __init__(self, keys: np.ndarray, bits: int = 21) -> None:
        self._shift = np.uint64(64 - bits)
        self._seen = np.zeros(1 << bits, dtype=bool)
        self._seen[self._slots(keys)] = True

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return (keys.astype(np.uint64, copy=False) * np.uint64(0x9E3779B97F4A7C15)) >> self._shift

    def maybe(self, keys: np.ndarray) -> np.ndarray:
        """False where a key is surely absent."""
        return self._seen[self._slots(keys)]


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class CharNgramIndex:
    """Character n-gram columns of many tokens at once, as :func:`char_ngrams` counts them.

    Every character of the vocabulary's n-grams gets a small code (1..A); an n-gram is the
    integer of its codes packed in ``bits`` bits each, so the n-grams of a whole batch of
    tokens are found with a few array passes and one binary search. An n-gram holding a
    character outside that alphabet cannot be a column and is skipped. Should the alphabet
    be too large to pack (more than 2^12 characters at n = 5), tokens are counted one at a
    time with :func:`char_ngrams`.

    Parameters
    ----------
    chars : list of str
        The character n-gram columns.
    idf : ndarray
        Their idf.
    low, high : int
        The n-gram lengths (``char_ngram_range``).

    Examples
    --------
    >>> index = CharNgramIndex([" ua", "uav", "av ", "dro"], np.array([1.0, 2.0, 3.0, 4.0]), 3, 3)
    >>> indptr, ids, values = index.count(["uav", "x"])
    >>> indptr.tolist(), ids.tolist(), values.tolist()
    ([0, 3, 3], [0, 1, 2], [1.0, 2.0, 3.0])
    """

    def __init__(self, chars: list[str], idf: np.ndarray, low: int, high: int) -> None:
        self.chars = list(chars)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.low, self.high = int(low), int(high)
        self._column = dict(zip(self.chars, range(len(self.chars))))
        self._idf_floats = None
        # Whether count_one may walk n-grams shortest first (see there); None: not checked yet.
        self._prefix_closed: bool | None = None
        self._plain_counts = 0
        self._worth = _WorthBuilding()
        self.packed = False

    def build(self) -> "CharNgramIndex":
        """Build the packed index now (otherwise built once it is worth it); returns self."""
        self._worth.build(BUILD_BATCH_WORDS, self._build)
        return self

    def _build(self) -> None:
        if self._prefix_closed is None:  # (a few ms beside the build)
            self._check_prefix_closed()
        alphabet = sorted({ch for gram in self.chars for ch in gram})
        self._alphabet = np.array([ord(ch) for ch in alphabet], dtype=np.uint32)
        self._bits = max(1, len(alphabet).bit_length())
        self.packed = self._bits * self.high <= 63 and self.low >= 1
        if self.packed:
            keys = self._pack_all(self.chars)
            self._order = np.argsort(keys, kind="stable")
            self._keys = keys[self._order]
            self._presence = _Presence(self._keys.view(np.uint64))

    def _pack(self, codes: list[int]) -> int:
        key = 0
        for j, c in enumerate(codes):
            key |= c << (self._bits * j)
        return key

    def _pack_all(self, grams: list[str]) -> np.ndarray:
        """:meth:`_pack` of every n-gram's letter codes at once (-1 for a length out of range)."""
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        keys = np.full(len(grams), -1, dtype=np.int64)
        if not len(grams) or not lengths.all():
            return np.array([self._pack([int(np.searchsorted(self._alphabet, ord(ch))) + 1 for ch in g])
                             if self.low <= len(g) <= self.high else -1 for g in grams], dtype=np.int64)
        ords = np.fromiter(map(ord, "".join(grams)), dtype=np.uint32, count=int(lengths.sum()))
        codes = (np.searchsorted(self._alphabet, ords) + 1).astype(np.int64)
        starts = np.cumsum(lengths) - lengths
        position = np.arange(len(ords), dtype=np.int64) - np.repeat(starts, lengths)
        packed = np.add.reduceat(codes << (self._bits * position), starts)
        valid = (lengths >= self.low) & (lengths <= self.high)
        keys[valid] = packed[valid]
        return keys

    def count(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR rows (indptr, column ids, idf-weighted counts), one row per token.

        Within a row, columns are sorted.
        """
        n = len(tokens)
        if not n:
            return np.zeros(1, dtype=np.int64), _empty(), np.zeros(0)
        if not self._worth.build(n, self._build) or not self.packed:
            started = time.perf_counter()
            counted = self._count_one_by_one(tokens)
            self._worth.slow_seconds += time.perf_counter() - started
            return counted
        if not len(self._keys):
            return np.zeros(n + 1, dtype=np.int64), _empty(), np.zeros(0)
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=n) + 2
        ends = np.cumsum(lengths)
        cps = _codepoints(" " + "  ".join(tokens) + " ")
        pos = np.minimum(np.searchsorted(self._alphabet, cps), max(len(self._alphabet) - 1, 0))
        codes = np.where(self._alphabet[pos] == cps, pos + 1, 0).astype(np.int64) if len(self._alphabet) else np.zeros(len(cps), np.int64)
        end_of = np.repeat(ends, lengths)
        token_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        total = len(codes)
        found_token, found_column = [_empty()], [_empty()]
        for size in range(self.low, self.high + 1):
            span = total - size + 1
            if span <= 0:
                break
            key = np.zeros(span, dtype=np.int64)
            valid = np.arange(span) + size <= end_of[:span]
            for j in range(size):
                part = codes[j : j + span]
                valid &= part > 0
                key |= part << (self._bits * j)
            at = np.flatnonzero(valid)
            at = at[self._presence.maybe(key[at].view(np.uint64))]
            key = key[at]
            where = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
            hit = self._keys[where] == key
            found_token.append(token_of[at[hit]])
            found_column.append(self._order[where[hit]])
        n_cols = max(len(self.chars), 1)
        pairs = np.concatenate(found_token) * n_cols + np.concatenate(found_column)
        pairs, counts = np.unique(pairs, return_counts=True)
        rows, ids = np.divmod(pairs, n_cols)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return indptr, ids.astype(np.int64), counts * self.idf[ids]

    def count_one(self, token: str) -> tuple[list[int], list[float]]:
        """One token's row of :meth:`count`, as lists: (sorted column ids, idf-weighted counts).

        When the columns are closed under prefixes (every column longer than ``low`` is a
        column without its last character, as columns chosen by document frequency are),
        the n-grams starting at a position are read from the shortest up and the longer
        ones are not looked up once one is missing (they cannot be columns): most of a new
        word's n-grams are never sliced. Otherwise every n-gram is looked up. Counts are kept
        only when an n-gram repeats (a count of 1 times the idf is the idf).
        """
        padded = f" {token} "
        size = len(padded)
        get = self._column.get
        if self._prefix_closed is None:  # rent or buy: checked once it is worth a few ms
            self._plain_counts += 1
            if self._plain_counts >= PREPARE_AFTER_WORDS:
                self._check_prefix_closed()
        if not self._prefix_closed:
            found = [c for c in [get(padded[i : i + n]) for n in range(self.low, self.high + 1) for i in range(size - n + 1)] if c is not None]
        elif (self.low, self.high) == (3, 5):  # the shipped range, unrolled
            found = []
            for i in range(size - 2):
                c = get(padded[i : i + 3])
                if c is None:
                    continue
                found.append(c)
                if i + 4 > size or (c := get(padded[i : i + 4])) is None:
                    continue
                found.append(c)
                if i + 5 <= size and (c := get(padded[i : i + 5])) is not None:
                    found.append(c)
        else:
            found = []
            for i in range(size - self.low + 1):
                for n in range(self.low, min(self.high, size - i) + 1):
                    c = get(padded[i : i + n])
                    if c is None:
                        break
                    found.append(c)
        idf = self._idf_list
        ids = sorted(found)
        if len(set(found)) == len(found):
            return ids, [idf[g] for g in ids]
        counts: dict[int, int] = {}
        for g in ids:
            counts[g] = counts.get(g, 0) + 1
        return list(counts), [n * idf[g] for g, n in counts.items()]

    def _check_prefix_closed(self) -> None:
        """Whether every column longer than ``low`` is a column without its last character."""
        longer = [g[:-1] for g in self.chars if len(g) > self.low]
        self._prefix_closed = all(map(self._column.__contains__, longer))

    def _count_one_by_one(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`count` of a few tokens, :meth:`count_one` after the other."""
        indptr, ids, values = [0], [], []
        for token in tokens:
            row_ids, row_values = self.count_one(token)
            ids += row_ids
            values += row_values
            indptr.append(len(ids))
        return np.array(indptr, dtype=np.int64), np.array(ids, dtype=np.int64), np.array(values, dtype=np.float64)

    def _count_plainly(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`count` by the definition: every n-gram of :func:`char_ngrams` looked up."""
        column, idf = self._column, self._idf_list
        indptr, ids, values = [0], [], []
        for token in tokens:
            counts: dict[int, int] = {}
            for g in map(column.get, char_ngrams(token, self.low, self.high)):
                if g is not None:
                    counts[g] = counts.get(g, 0) + 1
            for g in sorted(counts):
                ids.append(g)
                values.append(counts[g] * idf[g])  # float64 products, as the array path's
            indptr.append(len(ids))
        return np.array(indptr, dtype=np.int64), np.array(ids, dtype=np.int64), np.array(values, dtype=np.float64)

    @property
    def _idf_list(self) -> list[float]:
        if self._idf_floats is None:
            self._idf_floats = self.idf.tolist()
        return self._idf_floats


_MASK64 = (1 << 64) - 1
# Odd multipliers: a position-weighted polynomial hash of a substring, then mixed with its
# length and whether it continues a word. Every hash hit is checked against the piece's text.
_BASE = 0x100000001B3
_LENGTH_MIX = 0x9E3779B97F4A7C15
_CONTINUE_MIX = 0xC2B2AE3D27D4EB4F


def _prefix_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Prefix sums of ``byte * BASE^position`` over an ASCII text, and the powers of BASE^-1.

    Integer arrays wrap around silently: all of this is arithmetic modulo 2^64.
    """
    chars = np.frombuffer(text.encode("ascii"), dtype=np.uint8).astype(np.uint64)
    one = np.ones(1, dtype=np.uint64)
    powers = np.cumprod(np.concatenate((one, np.full(len(chars), _BASE, dtype=np.uint64))), dtype=np.uint64)
    prefix = np.concatenate((one * 0, np.cumsum(chars * powers[:-1], dtype=np.uint64)))
    inverse = pow(_BASE, -1, 1 << 64)
    inv_powers = np.cumprod(np.concatenate((one, np.full(len(chars), inverse, dtype=np.uint64))), dtype=np.uint64)
    return prefix, inv_powers


def _substring_keys(prefix: np.ndarray, inv_powers: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """The keys of the substrings ``[start, start + size)`` (hash, mixed with the length)."""
    return (prefix[starts + size] - prefix[starts]) * inv_powers[starts] + np.uint64((size * _LENGTH_MIX) & _MASK64)


class WordPieceIndex:
    """Static embedding vectors of many words at once, as :meth:`StaticEmbedding.word_vector`.

    Greedy longest-match-first WordPiece, run on all words of a batch together: each round
    finds, for every unfinished word, the longest vocabulary piece at its current position,
    reading forward while the text still spells the start of some piece (substrings hashed
    with a polynomial hash from prefix sums, looked up among the hashes of every prefix of
    every piece); every piece found is then compared with its text byte by byte, so a hash
    collision cannot change a result. Words with characters other than ``[a-z0-9]``, any
    word whose check fails, and small batches (see ``BUILD_BATCH_WORDS``) go through
    ``word_vector`` one by one.

    Parameters
    ----------
    embedding : StaticEmbedding

    Examples
    --------
    >>> from themes.embedding import StaticEmbedding
    >>> emb = StaticEmbedding.load()
    >>> words = ["unaffable", "drone", "café", "x"]
    >>> fast = WordPieceIndex(emb).vectors(words)
    >>> bool(all((fast[i] == emb.word_vector(w)).all() for i, w in enumerate(words)))
    True
    """

    def __init__(self, embedding) -> None:
        self.embedding = embedding
        self._worth = _WorthBuilding()

    def build(self) -> "WordPieceIndex":
        """Build the hash tables now (otherwise built once it is worth it); returns self."""
        self._worth.build(BUILD_BATCH_WORDS, self._build)
        return self

    def _build(self) -> None:
        """The hash tables, built on first use (a process that meets few new words never needs them)."""
        emb, prefix = self.embedding, self.embedding.prefix
        emb.prepare_new_words()  # (a few ms beside the build)
        skip = len(prefix)
        # Comprehensions rather than one loop with appends: this runs once per process, at load.
        all_cont = [t.startswith(prefix) and len(t) > skip for t in emb.tokens]
        all_bodies = [t[skip:] if c else t for t, c in zip(emb.tokens, all_cont)]
        ids = [i for i, b in enumerate(all_bodies) if b.isascii() and b.isalnum() and b == b.lower()]  # plain words
        bodies = [all_bodies[i] for i in ids]
        cont = [all_cont[i] for i in ids]
        lengths = np.array([len(b) for b in bodies], dtype=np.int64)
        self._longest = int(lengths.max())
        starts = np.cumsum(lengths) - lengths
        prefix_hash, inv_powers = _prefix_hashes("".join(bodies))
        cont_mix = np.where(np.array(cont), np.uint64(_CONTINUE_MIX), np.uint64(0))
        # Every prefix of every piece gets a key; a piece's own key carries its row (else -1),
        # so that a word is read forward only while it still spells the start of some piece.
        keys, rows = [], []
        for size in range(1, self._longest + 1):
            at = np.flatnonzero(lengths >= size)
            keys.append(_substring_keys(prefix_hash, inv_powers, starts[at], size) + cont_mix[at])
            rows.append(np.where(lengths[at] == size, at, -1))
        keys, rows = np.concatenate(keys), np.concatenate(rows)
        order = np.lexsort((-rows, keys))  # per key, a whole piece first
        keys, rows = keys[order], rows[order]
        first = np.concatenate(([True], keys[1:] != keys[:-1]))
        self._keys, self._rows = keys[first], rows[first]
        self._presence = _Presence(self._keys)
        self._ids = np.array(ids, dtype=np.int64)
        # The pieces' bytes, zero-padded to the longest (to check every hash hit).
        self._body_bytes = np.zeros((len(bodies), self._longest), dtype=np.uint8)
        flat = np.frombuffer("".join(bodies).encode("ascii"), dtype=np.uint8)
        owner = np.repeat(np.arange(len(bodies)), lengths)
        self._body_bytes[owner, np.arange(len(flat)) - starts[owner]] = flat

    def vectors(self, words: list[str]) -> np.ndarray:
        """float32 array (len(words), dims): the mean vector of each word's pieces."""
        emb = self.embedding
        out = np.zeros((len(words), emb.dims), dtype=np.float32)
        if not self._worth.build(len(words), self._build):
            started = time.perf_counter()
            for i, w in enumerate(words):
                out[i] = emb.new_word_vector(w)
            self._worth.slow_seconds += time.perf_counter() - started
            return out
        limit = emb.max_input_chars_per_word
        joined = "".join(words)
        if joined.isascii() and joined.isalnum() and joined == joined.lower() \
                and max(map(len, words)) <= limit:
            plain = list(range(len(words)))  # the usual case, checked for the whole batch at once
        else:
            plain = [i for i, w in enumerate(words) if w.isascii() and w.isalnum() and w == w.lower() and len(w) <= limit]
        slow = set(range(len(words))).difference(plain) if len(plain) < len(words) else set()
        if plain:
            failed = self._plain_vectors([words[i] for i in plain], out, np.array(plain, dtype=np.int64))
            slow.update(failed)
        for i in sorted(slow):
            out[i] = emb.word_vector(words[i])
        return out

    def _plain_vectors(self, words: list[str], out: np.ndarray, rows: np.ndarray) -> list[int]:
        """Fill ``out[rows]`` for plain words; returns the rows to compute one by one."""
        emb = self.embedding
        n = len(words)
        joined = "".join(words)
        chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        prefix_hash, inv_powers = _prefix_hashes(joined)
        word = np.arange(n, dtype=np.int64)
        at = starts.copy()
        piece_word, piece_round, piece_start, piece_len, piece_slot = [], [], [], [], []
        unknown = np.zeros(n, dtype=bool)
        rnd = 0
        while len(word):
            left = ends[word] - at
            found_len = np.zeros(len(word), dtype=np.int64)
            found_slot = np.full(len(word), -1, dtype=np.int64)
            cont_mix = np.where(at > starts[word], np.uint64(_CONTINUE_MIX), np.uint64(0))
            # Longest match: read forward while the text still spells the start of a piece,
            # remembering the last whole piece met.
            going = np.arange(len(word))
            size = 0
            while len(going):
                size += 1
                going = going[left[going] >= size]
                key = _substring_keys(prefix_hash, inv_powers, at[going], size) + cont_mix[going]
                maybe = self._presence.maybe(key)
                going, key = going[maybe], key[maybe]
                where = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
                known = self._keys[where] == key
                going, where = going[known], where[known]
                whole = self._rows[where] >= 0
                found_slot[going[whole]] = self._rows[where[whole]]
                found_len[going[whole]] = size
            missing = found_slot < 0
            unknown[word[missing]] = True  # no piece fits: the whole word is the unknown token
            ok = ~missing
            piece_word.append(word[ok])
            piece_round.append(np.full(int(ok.sum()), rnd))
            piece_start.append(at[ok])
            piece_len.append(found_len[ok])
            piece_slot.append(found_slot[ok])
            at = at[ok] + found_len[ok]
            word = word[ok]
            going = at < ends[word]
            word, at = word[going], at[going]
            rnd += 1
        p_word = np.concatenate(piece_word)
        p_start, p_len, p_slot = np.concatenate(piece_start), np.concatenate(piece_len), np.concatenate(piece_slot)
        # Every piece is checked against its text, byte by byte: a hash collision sends its
        # word to the slow path. Pieces of one length at a time (most are short: a matrix as
        # wide as the longest piece would read several times the bytes there are).
        differs = np.zeros(len(p_len), dtype=bool)
        by_length = np.argsort(p_len, kind="stable")
        bounds = np.searchsorted(p_len[by_length], np.arange(int(p_len.max(initial=0)) + 2)).tolist()
        for length in range(1, len(bounds) - 1):
            group = by_length[bounds[length] : bounds[length + 1]]
            if len(group):
                text = chars[p_start[group, None] + np.arange(length)]
                differs[group] = (text != self._body_bytes[p_slot[group], :length]).any(axis=1)
        wrong = distinct(p_word[differs]).tolist()
        bad = unknown.copy()
        if wrong:
            bad[wrong] = True
        keep = ~bad[p_word]
        p_word, p_slot, p_round = p_word[keep], p_slot[keep], np.concatenate(piece_round)[keep]
        if len(p_word):
            # As numpy's mean: rows added one after the other in float32 (a word's pieces
            # come one per round), divided by the count in float64, rounded to float32.
            counts = np.bincount(p_word, minlength=n)
            by_word = np.argsort(p_word, kind="stable")  # each word's pieces, in order
            piece_rows = self._ids[p_slot[by_word]]
            if len(p_word) >= SPARSE_SUM_ROWS:
                # A sparse (word x piece) matrix of ones times the vectors adds each word's rows
                # in that order, from zero, in float32: the same sums, with no gathered copy.
                from scipy.sparse import csr_matrix

                indptr = np.zeros(n + 1, dtype=np.int64)
                np.cumsum(counts, out=indptr[1:])
                ones = np.ones(len(piece_rows), dtype=np.float32)
                sums = csr_matrix((ones, piece_rows, indptr), shape=(n, len(emb.vectors))) @ emb.vectors
            else:
                sums = np.zeros((n, emb.dims), dtype=np.float32)
                vectors = emb.vectors[self._ids[p_slot]]
                bounds = np.searchsorted(p_round, np.arange(int(p_round[-1]) + 2))  # pieces come round by round
                for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
                    sums[p_word[a:b]] += vectors[a:b]
            done = np.flatnonzero(counts)
            means = (sums[done] / counts[done, None]).astype(np.float32)
            long = np.flatnonzero(counts[done] >= 8)
            if len(long):  # from 8 rows on, numpy's mean sums pairwise: let it, for those few words
                first = np.searchsorted(p_word[by_word], done[long])
                for g, a in zip(long.tolist(), first.tolist()):
                    means[g] = emb.vectors[piece_rows[a : a + counts[done[g]]]].mean(axis=0)
            out[rows[done]] = means
        out[rows[unknown]] = emb.vectors[emb.unk_id]
        return rows[np.array(wrong, dtype=np.int64)].tolist() if wrong else []
