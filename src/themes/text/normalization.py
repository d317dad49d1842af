"""Text to words to normal tokens, and the lexicon file (pure Python, no state but the lexicon).

A text is split into lower-case words (:func:`raw_words`), and each word into normal
*tokens* (:func:`normal_form`: plurals, British spellings and acronyms folded, so "UAS" and
"drones" both become ``uav``). :func:`split_batch` is the fast path of :func:`raw_words` for
a whole batch of texts at once.

Examples
--------
>>> normalize_tokens("Counter-UAS systems and drones: AML/CFT rules")
['counter', 'uav', 'system', 'and', 'uav', 'aml', 'cft', 'rule']
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from themes.language import clean_characters, fold_confusables, is_cyrillic_word, may_hold_confusables, russian_stem

__all__ = [
    "MAX_TERM_TOKENS",
    "SEPARATOR_WORD",
    "STOP_WORDS",
    "char_ngrams",
    "load_lexicon",
    "normal_form",
    "normalize_tokens",
    "raw_words",
    "split_batch",
]

_DATA = Path(__file__).resolve().parents[1] / "data"

# Letters and digits; hyphens, slashes and apostrophes separate words.
_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s\b")
#: The word that joins the texts of a batch inside :func:`split_batch`.
SEPARATOR_WORD = "zqxthemesbreakzqx"
_SEPARATOR = f" {SEPARATOR_WORD} "
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


def split_batch(texts: list[str]) -> list[str]:
    """The words of all ``texts``, in order, with :data:`SEPARATOR_WORD` between texts.

    One translation and split for the whole batch: an ASCII text goes in as it is (see
    ``_ASCII_TABLE``); any other text goes in as its :func:`raw_words`, which the same split
    gives back unchanged. A text that holds the separator word itself yields one separator
    too many; the caller checks the count.

    Examples
    --------
    >>> split_batch(["Drones' range", "AML/CFT"])
    ['drones', 'range', 'zqxthemesbreakzqx', 'aml', 'cft']
    """
    pieces = [t if t.isascii() else " ".join(raw_words(t)) for t in texts]
    joined = _SEPARATOR.join(pieces).encode("utf-8")
    return _ASCII_POSSESSIVE.sub(b"", joined).translate(_ASCII_TABLE).decode("utf-8").split()


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
