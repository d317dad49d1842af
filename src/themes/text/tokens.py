"""The token cache: every word and token met so far and what it brings, in one bounded place.

A raw word (as :func:`~themes.text.normalization.raw_words` gives it) maps to its normal
tokens; a token maps to an id, and per id the cache holds flat arrays: stop word or not,
lexicon-token id, unigram column, the idf-weighted character n-gram counts (CSR) and their
summed squares, the embedding vector, and the rows of every table attached by a consumer
(the model's per-token scores, see :meth:`TokenCache.attach`). Words met for the first time
in a batch are registered together: their tokens are featurised in one vectorised call.

The vocabulary's own tokens (the *static* ones) keep their ids for good. Once more than
``TOKEN_CACHE_LIMIT`` other tokens (or twice that many raw words) have been met, the cache
forgets them all at the next :meth:`TokenCache.reading`, when no thread holds ids, so that
memory stays flat over an archive of any size.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import weakref
from typing import Callable

import numpy as np

from themes.text.normalization import SEPARATOR_WORD, normal_form

__all__ = ["TOKEN_CACHE_LIMIT", "TokenCache"]

#: Distinct tokens remembered beyond the vocabulary before the cache starts afresh.
TOKEN_CACHE_LIMIT = 50_000

_UNSEEN = -2  # the raw id of a word not registered yet
_FEW = 4  # up to this many new tokens, one at a time is faster than array passes
# The separator word met inside a text is kept under a key no word can have.
_SEPARATOR_KEY = "\x00" + SEPARATOR_WORD

#: ``featurize(tokens) -> (stop, char_indptr, char_ids, char_values, vectors)``.
Featurizer = Callable[[list[str]], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]


def _grown(array: np.ndarray, needed: int) -> np.ndarray:
    """``array`` copied into a buffer at least twice as long (and at least ``needed``).

    The new part is left uninitialised (every slot is written before it is read), so its
    memory pages are only taken when used.
    """
    grown = np.empty((max(needed, 2 * len(array)),) + array.shape[1:], dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class TokenCache:
    """Raw words -> token ids -> per-token arrays, grown a batch of new words at a time.

    Parameters
    ----------
    featurize : callable
        Computes, for a list of new tokens, ``(stop, char_indptr, char_ids, char_values,
        vectors)``: stop-word flags, CSR rows of idf-weighted character n-gram counts, and
        the embedding vectors (float32, shape (n, n_dense)).
    n_dense : int
        Embedding dimensions (0 for none).

    Examples
    --------
    >>> def featurize(tokens):
    ...     n = len(tokens)
    ...     return (np.zeros(n, bool), np.arange(n + 1), np.arange(n), np.ones(n), np.zeros((n, 0), np.float32))
    >>> cache = TokenCache(featurize, 0)
    >>> with cache.reading():
    ...     ids = cache.raw_token_ids(["drones", "drone", "counterterrorism"])
    >>> [cache.name(t) for t in ids.tolist()]
    ['uav', 'uav', 'counter', 'terrorism']
    """

    def __init__(self, featurize: Featurizer, n_dense: int) -> None:
        self._featurize = featurize
        self.n_dense = int(n_dense)
        self._lock = threading.Lock()
        # Threads inside reading() hold token ids; the cache is only cleared when none is.
        self._readers = 0
        self._idle = threading.Condition(self._lock)
        self.generation = 0
        self.n_static = 0
        # Tokens.
        self._index: dict[str, int] = {}
        self._names: list[str] = []
        size = 1024
        self.stop = np.zeros(size, dtype=bool)
        self.lex = np.zeros(size, dtype=np.int64)
        self.unigram = np.full(size, -1, dtype=np.int64)
        self.sq = np.zeros(size)
        self.vectors = np.zeros((size, self.n_dense), dtype=np.float32)
        self.char_indptr = np.zeros(size + 1, dtype=np.int64)
        self.char_ids = np.zeros(size * 8, dtype=np.int64)
        self.char_values = np.zeros(size * 8)
        # Raw word -> raw id; the batch separator word reads as -1. Raw id -> (start, count)
        # of its token ids in a flat array.
        self._raw: dict[str, int] = {SEPARATOR_WORD: -1}
        self.raw_start = np.zeros(size, dtype=np.int64)
        self.raw_count = np.zeros(size, dtype=np.int64)
        self.raw_tokens = np.zeros(size, dtype=np.int64)
        self._n_raw = self._n_raw_tokens = 0
        # Tables attached by consumers: (weak fill method, rows).
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
        a, b = int(self.char_indptr[token_id]), int(self.char_indptr[token_id + 1])
        return self.char_ids[a:b], self.char_values[a:b]

    def table(self, handle: int) -> np.ndarray:
        """The rows of an attached table (one per token id; see :meth:`attach`)."""
        return self._tables[handle][1]

    @contextlib.contextmanager
    def reading(self):
        """Keep token ids valid while the caller uses them.

        A cache grown past ``TOKEN_CACHE_LIMIT`` is cleared here, once no other thread is
        between reading ids and its last use of them. Not re-entrant.
        """
        with self._lock:
            if self._too_big():
                while self._readers:
                    self._idle.wait()
                if self._too_big():
                    self._forget_dynamic()
            self._readers += 1
        try:
            yield self
        finally:
            with self._lock:
                self._readers -= 1
                if not self._readers:
                    self._idle.notify_all()

    def _too_big(self) -> bool:
        limit = TOKEN_CACHE_LIMIT
        return len(self._names) > self.n_static + limit or self._n_raw > 2 * limit

    def _forget_dynamic(self) -> None:
        """Drop every token beyond the vocabulary, and every raw word."""
        n = self.n_static
        for tok in self._names[n:]:
            del self._index[tok]
        del self._names[n:]
        self._raw.clear()
        self._raw[SEPARATOR_WORD] = -1
        self._n_raw = self._n_raw_tokens = 0
        self.generation += 1

    # ------------------------------------------------------------------- words
    def raw_ids(self, words: list[str]) -> np.ndarray:
        """Raw-word ids of ``words`` (the separator word reads as -1), registering new ones."""
        ids = np.fromiter(map(self._raw.get, words, itertools.repeat(_UNSEEN)), dtype=np.int64, count=len(words))
        new = np.flatnonzero(ids == _UNSEEN)
        if len(new):  # words never seen: register them together
            ids[new] = self.add_words([words[i] for i in new.tolist()])
        return ids

    def add_words(self, words: list[str]) -> list[int]:
        """Raw ids of ``words``, registering the new ones (the separator word as a word)."""
        keys = [w if w != SEPARATOR_WORD else _SEPARATOR_KEY for w in words]
        with self._lock:
            new = [k for k in dict.fromkeys(keys) if k not in self._raw]
            if new:
                forms = [normal_form(k if k != _SEPARATOR_KEY else SEPARATOR_WORD) for k in new]
                if all(forms) and " " not in "".join(forms):  # the usual case: one token per word
                    ids = self._token_ids_locked(forms)
                    counts = np.ones(len(forms), dtype=np.int64)
                else:
                    split = [f.split() if " " in f or not f else [f] for f in forms]
                    ids = self._token_ids_locked([t for form in split for t in form])
                    counts = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
                first_rid, first = self._n_raw, self._n_raw_tokens
                n_rid, n_flat = first_rid + len(new), first + len(ids)
                if n_rid > len(self.raw_start):
                    self.raw_start = _grown(self.raw_start, n_rid)
                    self.raw_count = _grown(self.raw_count, n_rid)
                if n_flat > len(self.raw_tokens):
                    self.raw_tokens = _grown(self.raw_tokens, n_flat)
                self.raw_tokens[first:n_flat] = ids
                self.raw_count[first_rid:n_rid] = counts
                self.raw_start[first_rid:n_rid] = first + np.cumsum(counts) - counts
                self._n_raw, self._n_raw_tokens = n_rid, n_flat
                self._raw.update(zip(new, range(first_rid, n_rid)))  # last: readers only see complete entries
            return [self._raw[k] for k in keys]

    def raw_token_ids(self, words: list[str]) -> np.ndarray:
        """Token ids of ``words``, in order (a word may give none or several)."""
        rids = np.asarray(self.add_words(words), dtype=np.int64)
        counts = self.raw_count[rids]
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return self.raw_tokens[np.repeat(self.raw_start[rids], counts) + offsets]

    # ------------------------------------------------------------------ tokens
    def token_ids(self, tokens: list[str]) -> list[int]:
        """Ids of normal tokens, registering new ones."""
        with self._lock:
            return self._token_ids_locked(tokens)

    def freeze_static(self) -> None:
        """Mark every token registered so far as part of the vocabulary: never forgotten.

        Room for the cache's limit is reserved at once (untouched memory costs nothing), so
        the arrays are rarely copied into larger ones as words arrive.
        """
        self.n_static = n = len(self._names)
        with self._lock:
            room = n + TOKEN_CACHE_LIMIT + 1
            if room > len(self.stop):
                self.stop, self.lex, self.unigram, self.sq, self.vectors = (
                    _grown(a, room) for a in (self.stop, self.lex, self.unigram, self.sq, self.vectors))
                self.char_indptr = _grown(self.char_indptr, room + 1)
                for entry in self._tables.values():
                    entry[1] = _grown(entry[1], room)
            self.raw_start, self.raw_count = _grown(self.raw_start, 2 * TOKEN_CACHE_LIMIT), _grown(self.raw_count, 2 * TOKEN_CACHE_LIMIT)
            self.raw_tokens = _grown(self.raw_tokens, 3 * TOKEN_CACHE_LIMIT)
            self.char_ids = _grown(self.char_ids, 16 * room)
            self.char_values = _grown(self.char_values, 16 * room)

    def _token_ids_locked(self, tokens: list[str]) -> list[int]:
        index = self._index
        new = [t for t in dict.fromkeys(tokens) if t not in index]
        if new:
            self._add_tokens(new)
        return [index[t] for t in tokens]

    def _add_tokens(self, new: list[str]) -> None:
        start = len(self._names)
        stop = start + len(new)
        is_stop, indptr, ids, values, vectors = self._featurize(new)
        if stop > len(self.stop):
            self.stop = _grown(self.stop, stop)
            self.lex = _grown(self.lex, stop)
            self.unigram = _grown(self.unigram, stop)
            self.sq = _grown(self.sq, stop)
            self.vectors = _grown(self.vectors, stop)
            self.char_indptr = _grown(self.char_indptr, stop + 1)
        self.stop[start:stop] = is_stop
        self.lex[start:stop] = 0
        self.unigram[start:stop] = -1
        if len(new) <= _FEW:  # a few new words (a statement at a time): no array passes
            bounds = indptr.tolist()
            for i in range(len(new)):
                part = values[bounds[i] : bounds[i + 1]]
                self.sq[start + i] = float(part @ part)
        else:
            rows = np.repeat(np.arange(len(new)), np.diff(indptr))
            self.sq[start:stop] = np.bincount(rows, weights=values * values, minlength=len(new))
        if self.n_dense:
            self.vectors[start:stop] = vectors
        base = int(self.char_indptr[start])
        end = base + len(ids)
        if end > len(self.char_ids):
            self.char_ids = _grown(self.char_ids, end)
            self.char_values = _grown(self.char_values, end)
        self.char_ids[base:end] = ids
        self.char_values[base:end] = values
        self.char_indptr[start + 1 : stop + 1] = base + indptr[1:]
        self._names.extend(new)
        for handle, entry in list(self._tables.items()):
            fill = entry[0]()
            if fill is None:  # its owner is gone
                del self._tables[handle]
                continue
            entry[1] = self._filled(entry[1], fill, start, stop)
        self._index.update(zip(new, range(start, stop)))

    # ------------------------------------------------------------------ tables
    def attach(self, fill: Callable[[int, int, np.ndarray], None], width: int) -> int:
        """Keep a table of ``width`` floats per token, filled by ``fill(start, stop, rows)``.

        ``fill`` (a bound method: the table lives as long as its object) computes the rows
        of token ids ``start..stop-1`` from this cache's arrays; it is called for every
        token registered so far and then for each batch of new tokens, under the cache's
        lock. Returns the handle for :meth:`table`.
        """
        with self._lock:
            handle = self._next_table
            self._next_table += 1
            rows = self._filled(np.empty((len(self.stop), width)), fill, 0, len(self._names))
            self._tables[handle] = [weakref.WeakMethod(fill), rows]
            return handle

    def _filled(self, rows: np.ndarray, fill, start: int, stop: int) -> np.ndarray:
        if stop > len(rows):
            rows = _grown(rows, max(stop, len(self.stop)))
        if stop > start:
            fill(start, stop, rows[start:stop])
        return rows
