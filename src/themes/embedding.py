"""Numpy-only reader for the static word-piece embedding shipped with themes.

The embedding shipped with themes, in the default model's ``embedding/`` folder (its one copy
in the package: see :mod:`themes.packaged`), was distilled offline from
sentence-transformers/all-MiniLM-L6-v2 with model2vec (see
``tools/distill_embeddings.py``). It is a table of one 64-dimensional vector
per WordPiece token. This module re-implements the BERT uncased tokenization
(text cleaning, accent stripping, lowercasing, splitting at whitespace and
punctuation, greedy longest-match-first WordPiece) in plain Python, so
inference needs numpy only: no torch, no ``tokenizers``, no pickle.

The folder holds three files:

``vocab.txt``
    One token per line; line *i* names row *i* of ``vectors.npy``.
``vectors.npy``
    ``float16`` array ``[n_tokens, dims]`` (read with ``allow_pickle=False``).
``embedding.json``
    ``dims``, ``unk_token``, ``continuing_subword_prefix``,
    ``max_input_chars_per_word``, ``lowercase`` and provenance.

Examples
--------
>>> emb = StaticEmbedding.load(DEFAULT_FOLDER)
>>> emb.dims
64
>>> [emb.tokens[i] for i in emb.word_pieces("Unaffable")]
['una', '##ffa', '##ble']
>>> v = emb.embed(["drone", "attack"])
>>> v.shape, v.dtype, round(float(v @ v), 4)
((64,), dtype('float32'), 1.0)
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

import numpy as np

from themes.packaged import shipped_embedding_path

__all__ = ["DEFAULT_FOLDER", "StaticEmbedding"]

#: The embedding folder shipped with themes: the default model's ``embedding/``.
DEFAULT_FOLDER = shipped_embedding_path()

#: new_word_vector builds its faster WordPiece tables after this many new words (its cost).
_PREPARE_AFTER_WORDS = 1000

# A word made only of these needs no cleaning, accent stripping or splitting.
_PLAIN_WORD = re.compile(r"[a-z0-9]+\Z")

# CJK ideograph blocks that BERT isolates as single-character words.
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or ch.isspace() or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    # Cc, Cf, Co, Cs; unassigned (Cn) characters are kept, as the reference
    # tokenizer (HF tokenizers) keeps them.
    return ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _basic_split(text: str, lowercase: bool) -> list[str]:
    """Normalize and pre-tokenize like BERT's normalizer + pre-tokenizer.

    Removes control characters, isolates CJK ideographs, strips accents
    (NFD, then drops non-spacing marks), lowercases, and splits at whitespace
    and around each punctuation character.
    """
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_whitespace(ch):
            cleaned.append(" ")
        elif _is_cjk(cp):
            cleaned.append(f" {ch} ")
        else:
            cleaned.append(ch)
    text = unicodedata.normalize("NFD", "".join(cleaned))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    if lowercase:
        # Per-character lowercasing, as the reference tokenizer does: Python's
        # str.lower() would turn a word-final capital sigma into final-form ς.
        text = text.replace("\u03a3", "\u03c3").lower()
    words: list[str] = []
    for chunk in text.split():
        start = 0
        for i, ch in enumerate(chunk):
            if _is_punctuation(ch):
                if start < i:
                    words.append(chunk[start:i])
                words.append(ch)
                start = i + 1
        if start < len(chunk):
            words.append(chunk[start:])
    return words


class _BoundedCache(dict):
    """A dict that forgets its oldest entries once it holds ``maxsize`` items."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def put(self, key, value):
        if len(self) >= self.maxsize:
            # Drop the oldest tenth in one go (dicts keep insertion order); another thread
            # may be evicting the same keys, so a key already gone is fine.
            for old in list(self)[: max(1, self.maxsize // 10)]:
                self.pop(old, None)
        self[key] = value
        return value


class StaticEmbedding:
    """Static WordPiece embedding: one vector per sub-word token.

    Build it with :meth:`load`. Words are split into WordPiece tokens exactly
    as the BERT uncased tokenizer of the source model does; a word's vector is
    the mean of its pieces' vectors and a text's vector the L2-normalised mean
    of its words' vectors. Pieces and vectors are cached per distinct word.

    Parameters
    ----------
    tokens : list of str
        The vocabulary; ``tokens[i]`` names row ``i`` of `vectors`.
    vectors : numpy.ndarray
        Array ``[len(tokens), dims]``; kept as float32.
    unk_token : str, default "[UNK]"
        Token used for a word that WordPiece cannot cover.
    continuing_subword_prefix : str, default "##"
        Prefix of the tokens that continue a word.
    max_input_chars_per_word : int, default 100
        Longer words become `unk_token` whole.
    lowercase : bool, default True
        Lowercase words before matching (the vocabulary is uncased).
    cache_size : int, default 200_000
        Most distinct words remembered by each per-word cache.

    Attributes
    ----------
    dims : int
        Length of every vector.
    tokens : list of str
        The vocabulary in row order.
    vectors : numpy.ndarray
        float32 ``[len(tokens), dims]``, read-only.
    unk_id : int
        Row of `unk_token`.
    meta : dict
        Contents of ``embedding.json`` when built by :meth:`load`.
    """

    def __init__(
        self,
        tokens: list[str],
        vectors: np.ndarray,
        *,
        unk_token: str = "[UNK]",
        continuing_subword_prefix: str = "##",
        max_input_chars_per_word: int = 100,
        lowercase: bool = True,
        cache_size: int = 200_000,
    ) -> None:
        vectors = np.array(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(tokens):
            raise ValueError(f"vectors of shape {vectors.shape} do not fit {len(tokens)} tokens")
        vectors.setflags(write=False)
        self.tokens = list(tokens)
        self.vectors = vectors
        self.dims = int(vectors.shape[1])
        self.vocab = dict(zip(self.tokens, range(len(self.tokens))))
        if unk_token not in self.vocab:
            raise ValueError(f"unk_token {unk_token!r} is not in the vocabulary")
        self.unk_token = unk_token
        self.unk_id = self.vocab[unk_token]
        self.prefix = continuing_subword_prefix
        self.max_input_chars_per_word = int(max_input_chars_per_word)
        self.lowercase = bool(lowercase)
        self.meta: dict = {}
        self._zero = np.zeros(self.dims, dtype=np.float32)
        self._zero.setflags(write=False)
        self._pieces_cache = _BoundedCache(cache_size)
        self._vector_cache = _BoundedCache(cache_size)
        self._split_vocab = None  # (first pieces, continuing pieces without the prefix, longest of each)
        self._new_words = 0  # words read by new_word_vector before _split_vocab was built

    @classmethod
    def load(cls, folder: str | Path = DEFAULT_FOLDER) -> "StaticEmbedding":
        """Read an embedding folder (``vocab.txt``, ``vectors.npy``, ``embedding.json``).

        A folder is read once per process: loading the same folder again
        returns the same (shared) instance, caches included.

        Parameters
        ----------
        folder : str or pathlib.Path, default DEFAULT_FOLDER
            Folder holding the three files; the shipped one by default.

        Returns
        -------
        StaticEmbedding

        Raises
        ------
        ValueError
            If the files disagree (row count, dimensions).

        Examples
        --------
        >>> StaticEmbedding.load(DEFAULT_FOLDER) is StaticEmbedding.load(str(DEFAULT_FOLDER))
        True
        """
        return _load(cls, str(Path(folder).resolve()))

    def save(self, folder: str | Path) -> Path:
        """Write ``vocab.txt``, ``vectors.npy`` (float16) and ``embedding.json`` to ``folder``.

        The vectors are stored as float16, as shipped; a table loaded from such a folder
        round-trips exactly.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        (out / "vocab.txt").write_text("\n".join(self.tokens) + "\n", encoding="utf-8")
        np.save(out / "vectors.npy", self.vectors.astype(np.float16), allow_pickle=False)
        meta = {
            **self.meta,
            "dims": self.dims,
            "lowercase": self.lowercase,
            "unk_token": self.unk_token,
            "continuing_subword_prefix": self.prefix,
            "max_input_chars_per_word": self.max_input_chars_per_word,
        }
        (out / "embedding.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        return out

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.tokens)} tokens x {self.dims} dims)"

    def _wordpiece(self, word: str) -> list[int]:
        """Greedy longest-match-first WordPiece of one normalized, unsplittable word."""
        if len(word) > self.max_input_chars_per_word:
            return [self.unk_id]
        vocab = self.vocab
        ids: list[int] = []
        start, end_of_word = 0, len(word)
        while start < end_of_word:
            end = end_of_word
            found = None
            while start < end:
                piece = word[start:end]
                if start > 0:
                    piece = self.prefix + piece
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            ids.append(found)
            start = end
        return ids

    def prepare_new_words(self) -> None:
        """Build what :meth:`_fast_wordpiece` reads (a few ms: done once a process has met
        enough new words, see ``new_word_vector``, or builds the batch tables)."""
        if self._split_vocab is None:
            skip = len(self.prefix)
            continuing = {t[skip:]: i for t, i in self.vocab.items() if t.startswith(self.prefix)}
            self._split_vocab = (self.vocab, continuing, max(map(len, self.vocab)), max(map(len, continuing), default=0))

    def _fast_wordpiece(self, word: str) -> list[int]:
        """:meth:`_wordpiece`, faster: continuing pieces are looked up without their prefix,
        and no candidate is longer than the longest piece (the same pieces)."""
        if len(word) > self.max_input_chars_per_word:
            return [self.unk_id]
        if self._split_vocab is None:
            self.prepare_new_words()
        vocab, continuing, longest, longest_continuing = self._split_vocab
        ids: list[int] = []
        start, end_of_word = 0, len(word)
        while start < end_of_word:
            end = min(end_of_word, start + longest)
            found = None
            while start < end:
                found = vocab.get(word[start:end])
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            ids.append(found)
            start = end
            vocab, longest = continuing, longest_continuing
        return ids

    def mean_vector(self, ids: list[int]) -> np.ndarray:
        """The mean of the vectors of piece ``ids``, as numpy's ``vectors[ids].mean(axis=0)``
        gives it (float32; zeros for no piece; read-only when it is a row of the table).

        The rows are summed by ``np.add.reduce`` (one after the other up to seven rows,
        pairwise from 8 on) and divided by the count in float32: the same float as numpy's
        division in float64 rounded to float32 (the float64 quotient of two float32 numbers
        rounds to the correctly rounded float32 one).
        """
        n = len(ids)
        if n == 1:
            return self.vectors[ids[0]]
        if not n:
            return self._zero
        # numpy's mean: the sum (np.add.reduce), divided by the count.
        return np.add.reduce(self.vectors[ids], axis=0) / np.float32(n)

    def new_word_vector(self, word: str) -> np.ndarray:
        """:meth:`word_vector` of a word met for the first time: the same vector, without
        the per-word caches (the caller keeps it: see :class:`themes.text.TokenCache`)."""
        cached = self._vector_cache.get(word)
        if cached is not None:
            return cached
        if _PLAIN_WORD.match(word):  # lower-case letters and digits: nothing to clean or split
            if self._split_vocab is None:  # rent or buy: a process that meets few new words never builds it
                self._new_words += 1
                if self._new_words < _PREPARE_AFTER_WORDS:
                    return self.mean_vector(self._wordpiece(word))
            return self.mean_vector(self._fast_wordpiece(word))
        return self.word_vector(word)

    def word_pieces(self, word: str) -> list[int]:
        """Return the WordPiece token ids of a word.

        The word is cleaned, accent-stripped and lowercased, then split like
        BERT's pre-tokenizer (at whitespace and around punctuation, so
        ``"don't"`` gives the pieces of ``don``, ``'`` and ``t``), and each part
        is matched greedily longest-first against the vocabulary. A part that
        cannot be covered, or that is longer than `max_input_chars_per_word`,
        becomes the single `unk_id`. Results are cached per distinct word.

        Parameters
        ----------
        word : str
            One word (any string is accepted).

        Returns
        -------
        list of int
            Row ids into `vectors`; empty for an empty or whitespace-only word.
            The list is shared with the cache: do not modify it.

        Examples
        --------
        >>> emb = StaticEmbedding.load()
        >>> [emb.tokens[i] for i in emb.word_pieces("Café")]
        ['cafe']
        """
        cached = self._pieces_cache.get(word)
        if cached is not None:
            return cached
        lowered = word.lower() if self.lowercase else word
        if _PLAIN_WORD.match(lowered):
            ids = self._wordpiece(lowered)
        else:
            ids = [i for part in _basic_split(word, self.lowercase) for i in self._wordpiece(part)]
        return self._pieces_cache.put(word, ids)

    def word_vector(self, word: str) -> np.ndarray:
        """Return the mean of the vectors of a word's pieces.

        Parameters
        ----------
        word : str
            One word.

        Returns
        -------
        numpy.ndarray
            float32, shape ``(dims,)``, read-only (cached per distinct word);
            zeros when the word has no pieces.

        Examples
        --------
        >>> emb = StaticEmbedding.load()
        >>> emb.word_vector("drone").shape
        (64,)
        """
        cached = self._vector_cache.get(word)
        if cached is not None:
            return cached
        ids = self.word_pieces(word)
        if not ids:
            vec = self._zero
        elif len(ids) == 1:
            vec = self.vectors[ids[0]]
        elif len(ids) < 8:
            # numpy's mean, without its overhead: float32 rows added one after the other,
            # divided by the count in float64, rounded to float32 (from 8 rows on numpy sums
            # pairwise: it does those).
            total = self.vectors[ids[0]].copy()
            for i in ids[1:]:
                total += self.vectors[i]
            vec = (total / np.int64(len(ids))).astype(np.float32)
            vec.setflags(write=False)
        else:
            vec = self.vectors[ids].mean(axis=0)
            vec.setflags(write=False)
        return self._vector_cache.put(word, vec)

    def embed(self, words: list[str]) -> np.ndarray:
        """Return the L2-normalised mean of the word vectors of `words`.

        Parameters
        ----------
        words : list of str
            The words of a text (already split; order does not matter).

        Returns
        -------
        numpy.ndarray
            New float32 array of shape ``(dims,)`` with unit norm, or zeros when
            `words` is empty or none of them has any piece.

        Examples
        --------
        >>> emb = StaticEmbedding.load()
        >>> a, b, c = (emb.embed(w) for w in (["drone", "attack"], ["uav", "strike"], ["budget", "meeting"]))
        >>> bool(a @ b > a @ c)
        True
        >>> bool(emb.embed([]).any())
        False
        """
        if not words:
            return np.zeros(self.dims, dtype=np.float32)
        word_vector = self.word_vector
        total = np.sum([word_vector(w) for w in words], axis=0, dtype=np.float32)
        norm = float(np.sqrt(total @ total))
        if norm == 0.0 or not np.isfinite(norm):
            return np.zeros(self.dims, dtype=np.float32)
        return total / np.float32(norm)


@functools.lru_cache(maxsize=8)
def _load(cls: type, folder: str) -> StaticEmbedding:
    path = Path(folder)
    meta = json.loads((path / "embedding.json").read_text(encoding="utf-8"))
    tokens = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()
    vectors = np.load(path / "vectors.npy", allow_pickle=False)
    dims = int(meta.get("dims", vectors.shape[-1]))
    if vectors.ndim != 2 or vectors.shape != (len(tokens), dims):
        raise ValueError(
            f"{path}: vectors.npy has shape {vectors.shape}, expected ({len(tokens)}, {dims})"
        )
    emb = cls(
        tokens,
        vectors,
        unk_token=meta.get("unk_token", "[UNK]"),
        continuing_subword_prefix=meta.get("continuing_subword_prefix", "##"),
        max_input_chars_per_word=meta.get("max_input_chars_per_word", 100),
        lowercase=meta.get("lowercase", True),
    )
    emb.meta = meta
    return emb
