"""The token cache: every word and token met so far and what it brings, in one bounded place.

A raw word (as :func:`~themes.text.normalization.raw_words` gives it) maps to its normal
tokens, looked up by the word or, for a batch, by its key (its bytes in code page 1251, see
:func:`~themes.text.normalization.split_batch_keys`: a Cyrillic word hashes in half the
bytes); a raw word also carries flags for the names of organisations that may start or go on
with it (:func:`~themes.text.normalization.name_word_flags`). A token maps to an id, and per id the cache holds flat arrays: stop word or not,
lexicon-token id, unigram column, the idf-weighted character n-gram counts (a row of
``char_ids``/``char_values`` from ``char_start`` to ``char_end``) and their summed squares,
the embedding vector, and the rows of every table attached by a consumer (the model's
per-token scores, see :meth:`TokenCache.attach`). Words met for the first time in a batch
are registered together: their tokens are featurised in one vectorised call; a few new
tokens (a statement scored alone) are featurised one at a time by ``featurize_one``, with
scalar writes, the same numbers without array passes.

The vocabulary's own tokens (the *static* ones, :meth:`TokenCache.register_static`) keep
their ids for good, but are featurised only when a statement first uses them
(:meth:`TokenCache.ensure_ready`): a fresh process that scores one bulletin pays for the few
hundred vocabulary words it meets, not for all of them. Once more than ``TOKEN_CACHE_LIMIT``
other tokens (or twice that many raw words) have been met, the cache forgets all but the
most recently used words (up to half the limit, so that the next batch of an archive does not
register its common words all over again) at the next :meth:`TokenCache.reading`, when no
thread holds ids: memory stays flat over an archive of any size.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from typing import Callable

import numpy as np

from themes.text.lookup import distinct
from themes.text.memory import enter_small_pages, leave_small_pages, small_pages
from themes.text.normalization import SEPARATOR_WORD, name_word_flags, name_words_flags, normal_form, normal_forms, words_of_keys

__all__ = ["TOKEN_CACHE_LIMIT", "TokenCache", "concatenated_ranges"]

#: Distinct tokens remembered beyond the vocabulary before the cache starts afresh.
TOKEN_CACHE_LIMIT = 50_000

_UNSEEN = -2  # the raw id of a word not registered yet
_FEW = 4  # up to this many new tokens, one at a time is faster than array passes
# The separator word met inside a text is kept under a key no word can have.
_SEPARATOR_KEY = "\x00" + SEPARATOR_WORD
_SEPARATOR_BYTES = SEPARATOR_WORD.encode("ascii")

#: ``featurize(tokens, stop) -> (char_indptr, char_ids, char_values, vectors)``.
Featurizer = Callable[[list[str], np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
#: ``featurize_one(token, stop) -> (char_ids, char_values, vector)``: lists, and a vector or None.
OneFeaturizer = Callable[[str, bool], tuple[list, list, "np.ndarray | None"]]


def concatenated_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[i], starts[i] + 1, ..., starts[i] + counts[i] - 1`` for every ``i``, in order:
    the positions of rows stored as (start, count) in a flat array.

    Examples
    --------
    >>> concatenated_ranges(np.array([5, 0, 9]), np.array([2, 3, 0])).tolist()
    [5, 6, 0, 1, 2]
    """
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))


def _grown(array: np.ndarray, needed: int) -> np.ndarray:
    """``array`` copied into a buffer at least twice as long (and at least ``needed``).

    The new part is left uninitialised (every slot is written before it is read), so its
    memory pages are only taken when used.
    """
    with small_pages():  # its new part is touched a little at a time: see themes.text.memory
        grown = np.empty((max(needed, 2 * len(array)),) + array.shape[1:], dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class _Reading:
    """The context manager of :meth:`TokenCache.reading` (one per cache, no state of its own:
    cheaper to enter than a generator-based one, which a statement scored alone notices)."""

    __slots__ = ("_cache",)

    def __init__(self, cache: "TokenCache") -> None:
        self._cache = cache

    def __enter__(self) -> "TokenCache":
        enter_small_pages()  # a batch grows the cache's arrays: see themes.text.memory
        try:
            self._cache._enter_reading()
        except BaseException:
            leave_small_pages()
            raise
        return self._cache

    def __exit__(self, *exc) -> None:
        try:
            self._cache._leave_reading()
        finally:
            leave_small_pages()


class TokenCache:
    """Raw words -> token ids -> per-token arrays, grown a batch of new words at a time.

    Parameters
    ----------
    featurize : callable
        Computes, for a list of new tokens and their stop-word flags, ``(char_indptr,
        char_ids, char_values, vectors)``: CSR rows of idf-weighted character n-gram counts,
        and the embedding vectors (float32, shape (n, n_dense)).
    n_dense : int
        Embedding dimensions (0 for none).
    stop_words : set of str, optional
        Tokens that are stop words.
    featurize_one : callable, optional
        The same for one token, ``featurize_one(token, is_stop) -> (char_ids, char_values,
        vector)`` (lists, and the vector or None without an embedding): used for a few
        new tokens at a time, where array passes cost more than the work.

    Examples
    --------
    >>> def featurize(tokens, stop):
    ...     n = len(tokens)
    ...     return np.arange(n + 1), np.arange(n), np.ones(n), np.zeros((n, 0), np.float32)
    >>> cache = TokenCache(featurize, 0)
    >>> with cache.reading():
    ...     ids = cache.raw_token_ids(["drones", "drone", "counterterrorism"])
    >>> [cache.name(t) for t in ids.tolist()]
    ['uav', 'uav', 'counter', 'terrorism']
    """

    def __init__(self, featurize: Featurizer, n_dense: int, stop_words=frozenset(), featurize_one: OneFeaturizer | None = None) -> None:
        self._featurize = featurize
        self._featurize_one = featurize_one
        self.n_dense = int(n_dense)
        self._stop_words = frozenset(stop_words)
        self._lock = threading.Lock()
        # Threads inside reading() hold token ids; the cache is only cleared when none is.
        self._readers = 0
        self._waiting = 0  # threads waiting in reading() for the others to leave
        self._idle = threading.Condition(self._lock)
        self._reading = _Reading(self)
        self.generation = 0
        self.n_static = 0
        # Incremented by each reading(); raw words are stamped with it when used, so that
        # a clear can keep the most recently used ones.
        self.clock = 0
        # Tokens.
        self._index: dict[str, int] = {}
        self._names: list[str] = []
        size = 1024
        self.stop = np.zeros(size, dtype=bool)
        self.lex = np.zeros(size, dtype=np.int64)
        self.unigram = np.full(size, -1, dtype=np.int64)
        self.sq = np.zeros(size)
        self.vectors = np.zeros((size, self.n_dense), dtype=np.float32)
        # Whether a token is featurised (its sq, vector, n-gram row and table rows are set).
        self.ready = np.zeros(size, dtype=bool)
        self.char_start = np.zeros(size, dtype=np.int64)
        self.char_end = np.zeros(size, dtype=np.int64)
        self.char_ids = np.zeros(size * 8, dtype=np.int64)
        self.char_values = np.zeros(size * 8)
        self._n_char = 0  # n-gram entries used in char_ids / char_values
        # Raw word -> raw id; the batch separator word reads as -1. Raw id -> (start, count)
        # of its token ids in a flat array.
        self._raw: dict[str, int] = {SEPARATOR_WORD: -1}
        # The same raw ids by the words' keys (bytes, see split_batch_keys), filled as batches
        # look words up that way; emptied with the cache.
        self._raw_keys: dict[bytes, int] = {_SEPARATOR_BYTES: -1}
        self.raw_start = np.zeros(size, dtype=np.int64)
        self.raw_count = np.zeros(size, dtype=np.int64)
        self.raw_used = np.zeros(size, dtype=np.int64)
        # Whether a raw word may start (1) or come second in (2) the name of an organisation
        # (see name_word_flags).
        self.raw_name = np.zeros(size, dtype=np.int8)
        # The raw ids flagged 1 (few): a statement without any has no name to read.
        self.name_first_raw: set[int] = set()
        self.raw_tokens = np.zeros(size, dtype=np.int64)
        self._n_raw = self._n_raw_tokens = 0
        # Raw ids of the (few) words with other than one token: a statement without any reads
        # its tokens with one gather.
        self.uneven_raw: set[int] = set()
        # Tables attached by consumers: [weak reference to the owner, rows, fill function, fill_one function or None].
        self._tables: dict[int, list] = {}
        self._next_table = 0

    # ------------------------------------------------------------------ reading
    @property
    def n_tokens(self) -> int:
        """Distinct tokens known so far (vocabulary and cache)."""
        return len(self._names)

    def name(self, token_id: int) -> str:
        """The normal token behind a token id."""
        return self._names[token_id]

    def token_chars(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(character n-gram column ids, idf-weighted counts) of a token id."""
        self.ensure_ready(np.array([token_id], dtype=np.int64))
        a, b = int(self.char_start[token_id]), int(self.char_end[token_id])
        return self.char_ids[a:b], self.char_values[a:b]

    def char_rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the n-gram entries of token ``ids`` are, all rows in order: (positions in
        ``char_ids``/``char_values``, number of entries per token)."""
        first = self.char_start[ids]
        count = self.char_end[ids] - first
        return concatenated_ranges(first, count), count

    def table(self, handle: int) -> np.ndarray:
        """The rows of an attached table (one per token id; see :meth:`attach`)."""
        return self._tables[handle][1]

    def reading(self) -> "_Reading":
        """Keep token ids valid while the caller uses them (a context manager).

        A cache grown past ``TOKEN_CACHE_LIMIT`` is cleared here, once no other thread is
        between reading ids and its last use of them. Not re-entrant.
        """
        return self._reading

    def _enter_reading(self) -> None:
        with self._lock:
            if self._too_big():
                while self._readers:
                    self._waiting += 1
                    try:
                        self._idle.wait()
                    finally:
                        self._waiting -= 1
                if self._too_big():
                    self._forget_dynamic()
            self.clock += 1
            self._readers += 1

    def _leave_reading(self) -> None:
        with self._lock:
            self._readers -= 1
            if not self._readers and self._waiting:
                self._idle.notify_all()

    def _too_big(self) -> bool:
        limit = TOKEN_CACHE_LIMIT
        return len(self._names) > self.n_static + limit or self._n_raw > 2 * limit

    def mark_used(self, raw_ids: np.ndarray) -> None:
        """Stamp the raw words a batch uses with the clock (see :meth:`_forget_dynamic`)."""
        self.raw_used[raw_ids] = self.clock

    def _forget_dynamic(self) -> None:
        """Forget all raw words and tokens beyond the vocabulary but the most recently used.

        Kept: the raw words used last (by :meth:`mark_used` stamps), at most
        ``TOKEN_CACHE_LIMIT`` of them and with at most half that many tokens beyond the
        vocabulary, renumbered after the vocabulary. The n-gram rows of the vocabulary
        tokens featurised so far and of the kept tokens are moved to the front of the
        n-gram arrays.
        """
        n, n_raw = self.n_static, self._n_raw
        limit = TOKEN_CACHE_LIMIT
        order = np.argsort(-self.raw_used[:n_raw], kind="stable")  # most recent first
        fits = np.cumsum(self.raw_count[order]) <= limit // 2  # (an upper bound on new tokens)
        fits &= np.arange(1, n_raw + 1) <= limit
        keep_raw = np.sort(order[: int(np.argmin(fits)) if not fits.all() else n_raw])
        flat, counts = self._raw_flat(keep_raw)
        tokens = self.raw_tokens[flat]
        keep = distinct(tokens[tokens >= n])
        renumbered = np.full(len(self._names), -1, dtype=np.int64)
        renumbered[:n] = np.arange(n)
        renumbered[keep] = n + np.arange(len(keep))
        # Tokens: the kept ones move down to ids n, n + 1, ... (keep[i] >= n + i).
        new = slice(n, n + len(keep))
        for name in ("stop", "lex", "unigram", "sq", "vectors", "ready"):
            array = getattr(self, name)
            array[new] = array[keep]
        for entry in self._tables.values():
            entry[1][new] = entry[1][keep]
        moved = np.concatenate((np.flatnonzero(self.ready[:n]), keep))
        at, count = self.char_rows(moved)
        self.char_ids[: len(at)] = self.char_ids[at]  # (fancy indexing copies before writing)
        self.char_values[: len(at)] = self.char_values[at]
        moved[len(moved) - len(keep) :] = np.arange(n, n + len(keep))
        self.char_end[moved] = np.cumsum(count)
        self.char_start[moved] = self.char_end[moved] - count
        self._n_char = len(at)
        names = self._names[:n] + [self._names[t] for t in keep.tolist()]
        self._names = names
        self._index = dict(zip(names, range(len(names))))
        # Raw words: the kept ones get ids 0, 1, ... and their renumbered tokens.
        word_of = [""] * n_raw
        for word, rid in self._raw.items():
            if rid >= 0:
                word_of[rid] = word
        m, n_flat = len(keep_raw), len(tokens)
        self.raw_used[:m] = self.raw_used[keep_raw]
        self.raw_name[:m] = self.raw_name[keep_raw]
        self.name_first_raw = set(np.flatnonzero(self.raw_name[:m] & 1).tolist())
        self.raw_count[:m] = counts
        self.uneven_raw = set(np.flatnonzero(counts != 1).tolist())
        self.raw_start[:m] = np.cumsum(counts) - counts
        self.raw_tokens[:n_flat] = renumbered[tokens]
        self._raw_keys = {_SEPARATOR_BYTES: -1}
        self._raw = {SEPARATOR_WORD: -1}
        self._raw.update(zip([word_of[r] for r in keep_raw.tolist()], range(m)))
        self._n_raw, self._n_raw_tokens = m, n_flat
        self.generation += 1

    def _raw_flat(self, raw_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions in ``raw_tokens`` of the tokens of ``raw_ids``, in order, and their counts."""
        counts = self.raw_count[raw_ids]
        return concatenated_ranges(self.raw_start[raw_ids], counts), counts

    # ------------------------------------------------------------------- words
    def raw_id_list_of_keys(self, keys: list[bytes]) -> list[int]:
        """:meth:`raw_ids_of_keys` as a list (for a statement: no array passes)."""
        listed = list(map(self._raw_keys.get, keys, itertools.repeat(_UNSEEN)))
        if _UNSEEN in listed:
            new = [i for i, rid in enumerate(listed) if rid == _UNSEEN]
            for i, rid in zip(new, self._add_keys([keys[i] for i in new])):
                listed[i] = rid
        return listed

    def raw_ids_of_keys(self, keys: list[bytes]) -> np.ndarray:
        """:meth:`raw_ids` of words given as their keys (see
        :func:`~themes.text.normalization.split_batch_keys`): a key met for the first time is
        read as its word, once."""
        ids = np.fromiter(map(self._raw_keys.get, keys, itertools.repeat(_UNSEEN)), dtype=np.int64, count=len(keys))
        new = np.flatnonzero(ids == _UNSEEN)
        if len(new):
            new_keys = [keys[i] for i in new.tolist()]
            # Each distinct key read once: after the cache is cleared, a batch's every word
            # is new to the key table, its common words many times over.
            distinct_keys = list(dict.fromkeys(new_keys))
            if len(distinct_keys) < len(new_keys):
                rid_of = dict(zip(distinct_keys, self._add_keys(distinct_keys)))
                ids[new] = np.fromiter(map(rid_of.__getitem__, new_keys), dtype=np.int64, count=len(new_keys))
            else:
                ids[new] = self._add_keys(new_keys)
        return ids

    def _add_keys(self, keys: list[bytes]) -> list[int]:
        """Raw ids of words met by their keys for the first time (registered as words if
        new), kept by key from then on."""
        rids = self.add_words(words_of_keys(keys))
        self._raw_keys.update(zip(keys, rids))
        return rids

    def add_words(self, words: list[str]) -> list[int]:
        """Raw ids of ``words``, registering the new ones (the separator word as a word)."""
        keys = [w if w != SEPARATOR_WORD else _SEPARATOR_KEY for w in words]
        with self._lock:
            new = [k for k in dict.fromkeys(keys) if k not in self._raw]
            if new and len(new) <= _FEW:
                self._add_few_words(new)
            elif new:
                forms = normal_forms([k if k != _SEPARATOR_KEY else SEPARATOR_WORD for k in new])
                if all(forms) and " " not in "".join(forms):  # the usual case: one token per word
                    ids = self._token_ids_locked(forms)
                    counts = np.ones(len(forms), dtype=np.int64)
                else:
                    split = [f.split() if " " in f or not f else [f] for f in forms]
                    ids = self._token_ids_locked([t for form in split for t in form])
                    counts = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
                first_rid, first = self._n_raw, self._n_raw_tokens
                n_rid, n_flat = first_rid + len(new), first + len(ids)
                self._reserve_raw(n_rid, n_flat)
                self.raw_tokens[first:n_flat] = ids
                self.raw_count[first_rid:n_rid] = counts
                self.uneven_raw.update((first_rid + np.flatnonzero(counts != 1)).tolist())
                self.raw_start[first_rid:n_rid] = first + np.cumsum(counts) - counts
                self.raw_used[first_rid:n_rid] = self.clock
                flags = name_words_flags(new)
                self.raw_name[first_rid:n_rid] = flags
                self.name_first_raw.update((first_rid + np.flatnonzero(flags & 1)).tolist())
                self._n_raw, self._n_raw_tokens = n_rid, n_flat
                self._raw.update(zip(new, range(first_rid, n_rid)))  # last: readers only see complete entries
            return [self._raw[k] for k in keys]

    def _reserve_raw(self, n_raw: int, n_raw_tokens: int) -> None:
        """Grow the raw-word arrays to hold ``n_raw`` words of ``n_raw_tokens`` tokens in all."""
        if n_raw > len(self.raw_start):
            self.raw_start = _grown(self.raw_start, n_raw)
            self.raw_count = _grown(self.raw_count, n_raw)
            self.raw_used = _grown(self.raw_used, n_raw)
            self.raw_name = _grown(self.raw_name, n_raw)
        if n_raw_tokens > len(self.raw_tokens):
            self.raw_tokens = _grown(self.raw_tokens, n_raw_tokens)

    def _add_few_words(self, new: list[str]) -> None:
        """:meth:`add_words` of a few new words (keys), with scalar writes (under the lock)."""
        forms = [normal_form(k if k != _SEPARATOR_KEY else SEPARATOR_WORD) for k in new]
        split = [f.split() if " " in f or not f else [f] for f in forms]
        ids = self._token_ids_locked([t for form in split for t in form])
        rid, first = self._n_raw, self._n_raw_tokens
        n_rid, n_flat = rid + len(new), first + len(ids)
        self._reserve_raw(n_rid, n_flat)
        self.raw_tokens[first:n_flat] = ids
        for word, form in zip(new, split):
            self.raw_start[rid] = first
            self.raw_count[rid] = len(form)
            if len(form) != 1:
                self.uneven_raw.add(rid)
            self.raw_used[rid] = self.clock
            self.raw_name[rid] = flags = name_word_flags(word)
            if flags & 1:
                self.name_first_raw.add(rid)
            first += len(form)
            rid += 1
        self._n_raw, self._n_raw_tokens = n_rid, n_flat
        self._raw.update(zip(new, range(n_rid - len(new), n_rid)))  # last: readers only see complete entries

    def raw_token_ids(self, words: list[str]) -> np.ndarray:
        """Token ids of ``words``, in order (a word may give none or several)."""
        flat, _ = self._raw_flat(np.asarray(self.add_words(words), dtype=np.int64))
        return self.raw_tokens[flat]

    # ------------------------------------------------------------------ tokens
    def token_ids(self, tokens: list[str]) -> list[int]:
        """Ids of normal tokens, registering new ones."""
        with self._lock:
            return self._token_ids_locked(tokens)

    def is_static(self, token: str) -> bool:
        """Whether ``token`` is one of the vocabulary's tokens (registers nothing)."""
        return self._index.get(token, self.n_static) < self.n_static

    def register_static(self, tokens: list[str]) -> None:
        """Give the vocabulary's tokens ids that are never forgotten (featurised when first used).

        Called once, before any other token is registered. Room for twice the cache's limit is
        reserved at once (untouched memory costs nothing), so the arrays are rarely copied
        into larger ones as words arrive.
        """
        with self._lock:
            if self._names:
                raise RuntimeError("register_static must come before any other token")
            self._add_tokens(list(dict.fromkeys(tokens)), featurize=False)
            self.n_static = n = len(self._names)
            # The cache is cleared at the next reading() after it passes its limit, so a batch
            # of new words comes on top of it: room for the limit twice (growing the arrays in
            # the middle of a batch copied some 50 MB, about 90 ms).
            room = n + 2 * TOKEN_CACHE_LIMIT + 1
            if room > len(self.stop):
                self._grow_token_arrays(room)
            self.raw_start, self.raw_count, self.raw_used, self.raw_name = (
                _grown(a, 3 * TOKEN_CACHE_LIMIT) for a in (self.raw_start, self.raw_count, self.raw_used, self.raw_name))
            self.raw_tokens = _grown(self.raw_tokens, 4 * TOKEN_CACHE_LIMIT)
            self.char_ids = _grown(self.char_ids, 16 * room)
            self.char_values = _grown(self.char_values, 16 * room)

    def _grow_token_arrays(self, needed: int) -> None:
        for name in ("stop", "lex", "unigram", "sq", "vectors", "ready", "char_start", "char_end"):
            setattr(self, name, _grown(getattr(self, name), needed))
        for entry in self._tables.values():
            entry[1] = _grown(entry[1], len(self.stop))

    def _token_ids_locked(self, tokens: list[str]) -> list[int]:
        index = self._index
        new = [t for t in dict.fromkeys(tokens) if t not in index]
        if new:
            self._add_tokens(new)
        return [index[t] for t in tokens]

    def _add_tokens(self, new: list[str], featurize: bool = True) -> None:
        start = len(self._names)
        stop = start + len(new)
        if stop > len(self.stop):
            self._grow_token_arrays(stop)
        stop_words = self._stop_words
        if len(new) <= _FEW and featurize and self._featurize_one is not None:  # scalar writes
            for t, token in enumerate(new, start):
                self.stop[t] = token in stop_words
                self.lex[t] = 0
                self.unigram[t] = -1
            self._names.extend(new)
            self._featurize_few(range(start, stop))
            self._index.update(zip(new, range(start, stop)))  # last: readers only see complete entries
            return
        self.stop[start:stop] = np.fromiter(map(stop_words.__contains__, new), dtype=bool, count=len(new))
        self.lex[start:stop] = 0
        self.unigram[start:stop] = -1
        self.ready[start:stop] = False
        self._names.extend(new)
        if featurize:
            self._featurize_ids(np.arange(start, stop, dtype=np.int64))
        self._index.update(zip(new, range(start, stop)))  # last: readers only see complete entries

    def ensure_ready(self, ids: np.ndarray) -> None:
        """Featurise the tokens among ``ids`` that are not yet (vocabulary tokens met first)."""
        if len(ids) and not self.ready[ids].all():
            with self._lock:
                todo = distinct(ids[~self.ready[ids]])  # again, under the lock
                if len(todo):
                    self._featurize_ids(todo)

    def _featurize_few(self, ids) -> None:
        """:meth:`_featurize_ids` of a few tokens (ints), one at a time with ``featurize_one``:
        the same numbers, with scalar writes and no array passes."""
        names, stop, featurize_one = self._names, self._stop_words, self._featurize_one
        tables = []
        for entry, owner in self._live_tables():
            if len(entry[1]) < len(self.stop):
                entry[1] = _grown(entry[1], len(self.stop))
            tables.append((owner, entry[2], entry[3], entry[1]))
        for t in ids:
            token = names[t]
            char_ids, char_values, vector = featurize_one(token, token in stop)
            base = self._n_char
            end = base + len(char_ids)
            if end > len(self.char_ids):
                self.char_ids = _grown(self.char_ids, end)
                self.char_values = _grown(self.char_values, end)
            values = np.array(char_values, dtype=np.float64)
            self.char_ids[base:end] = char_ids
            self.char_values[base:end] = values
            self.sq[t] = sq = float(values @ values)
            if self.n_dense:
                self.vectors[t] = vector
            self.char_start[t] = base
            self.char_end[t] = end
            self._n_char = end
            for owner, fill, fill_one, rows in tables:
                if fill_one is not None:
                    fill_one(owner, t, rows[t], char_ids, values, sq, vector)
                else:
                    fill(owner, (t,), rows[t : t + 1])
            self.ready[t] = True

    def _featurize_ids(self, ids: np.ndarray) -> None:
        """Featurise registered tokens ``ids`` (distinct) and fill every table's rows for them."""
        if len(ids) <= _FEW and self._featurize_one is not None:
            self._featurize_few(ids.tolist())
            return
        names = self._names
        tokens = [names[i] for i in ids.tolist()]
        is_stop = self.stop[ids]
        indptr, char_ids, values, vectors = self._featurize(tokens, is_stop)
        if len(ids) <= _FEW:  # a few new words (a statement at a time): no array passes
            bounds = indptr.tolist()
            for i, t in enumerate(ids.tolist()):
                part = values[bounds[i] : bounds[i + 1]]
                self.sq[t] = float(part @ part)
        else:
            rows = np.repeat(np.arange(len(ids)), np.diff(indptr))
            self.sq[ids] = np.bincount(rows, weights=values * values, minlength=len(ids))
        if self.n_dense:
            self.vectors[ids] = vectors
        base = self._n_char
        end = base + len(char_ids)
        if end > len(self.char_ids):
            self.char_ids = _grown(self.char_ids, end)
            self.char_values = _grown(self.char_values, end)
        self.char_ids[base:end] = char_ids
        self.char_values[base:end] = values
        self.char_start[ids] = base + indptr[:-1]
        self.char_end[ids] = base + indptr[1:]
        self._n_char = end
        for entry, owner in self._live_tables():
            entry[1] = self._filled(entry[1], entry[2].__get__(owner), ids)
        self.ready[ids] = True

    def _live_tables(self) -> list[tuple[list, object]]:
        """The attached tables whose owner still lives, each with its owner; the others are
        forgotten."""
        live = []
        for handle, entry in list(self._tables.items()):
            owner = entry[0]()
            if owner is None:  # it is gone
                del self._tables[handle]
            else:
                live.append((entry, owner))
        return live

    # ------------------------------------------------------------------ tables
    def attach(self, fill: Callable[[np.ndarray, np.ndarray], None], width: int, fill_one=None) -> int:
        """Keep a table of ``width`` floats per token, filled by ``fill(ids, rows)``.

        ``fill`` (a bound method: the table lives as long as its object) computes the rows
        of token ``ids`` (distinct, ascending) from this cache's arrays into ``rows`` (one
        row per id); it is called for every token featurised so far and then for each batch
        of tokens featurised, under the cache's lock. ``fill_one(t, row, char_ids,
        char_values, sq, vector)``, a bound method of the same object, may do the same for one
        token featurised a few at a time, from what ``featurize_one`` gave (``char_values``
        as a float64 array, ``sq`` its sum of squares): the same numbers without reading the
        arrays back. Returns the handle for :meth:`table`.
        """
        with self._lock:
            handle = self._next_table
            self._next_table += 1
            ready = np.flatnonzero(self.ready[: len(self._names)])
            with small_pages():  # rows of new tokens are touched batch by batch: see themes.text.memory
                rows = self._filled(np.empty((len(self.stop), width)), fill, ready)
            # The owner by a weak reference (its table lives as long as it does), and the
            # functions of its methods (a plain reference is cheaper to follow than a WeakMethod).
            self._tables[handle] = [weakref.ref(fill.__self__), rows, fill.__func__, fill_one.__func__ if fill_one else None]
            return handle

    def _filled(self, rows: np.ndarray, fill, ids: np.ndarray) -> np.ndarray:
        if len(rows) < len(self.stop):
            rows = _grown(rows, len(self.stop))
        if len(ids):
            if int(ids[-1]) - int(ids[0]) + 1 == len(ids):  # a run of new ids: fill in place
                fill(ids, rows[int(ids[0]) : int(ids[-1]) + 1])
            else:
                out = np.empty((len(ids), rows.shape[1]))
                fill(ids, out)
                rows[ids] = out
        return rows
