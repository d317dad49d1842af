"""Text to words to normal tokens, and the lexicon file (pure Python, no state but the lexicon).

A text is split into lower-case words (:func:`raw_words`), and each word into normal
*tokens* (:func:`normal_form`: plurals, British spellings and acronyms folded, so "UAS" and
"drones" both become ``uav``). :func:`split_batch` is the fast path of :func:`raw_words` for
a whole batch of texts at once (ASCII texts as bytes, Russian ones in code page 1251).

Examples
--------
>>> normalize_tokens("Counter-UAS systems and drones: AML/CFT rules")
['counter', 'uav', 'system', 'and', 'uav', 'aml', 'cft', 'rule']
"""

from __future__ import annotations

import codecs
import json
import operator
import re
import unicodedata
from pathlib import Path

import numpy as np

from themes.language import clean_characters, fold_confusables, is_cyrillic_word, may_hold_confusables, russian_stem, russian_stems

__all__ = [
    "MAX_TERM_TOKENS",
    "NAME_FIRST_WORDS",
    "READING_VERSION",
    "SEPARATOR_WORD",
    "STOP_WORDS",
    "char_ngrams",
    "load_lexicon",
    "name_word_flags",
    "name_words_flags",
    "normal_form",
    "normal_forms",
    "normalize_tokens",
    "raw_words",
    "read_names",
    "read_names_in_words",
    "split_batch",
    "split_batch_keys",
    "statement_words",
    "word_key",
    "word_of_key",
    "words_of_keys",
]

_DATA = Path(__file__).resolve().parents[1] / "data"

# Letters and digits; hyphens, slashes and apostrophes separate words.
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = "'\u2019\u02bc"
_POSSESSIVE = re.compile(f"[{_APOSTROPHES}]s\\b")
# A word broken over two lines with a hyphen ("financ-\ning", "финан-\nсирования"), as PDF
# text has it, is read whole; a hyphen before a capital ("Russian-\nChinese") still separates.
# The hyphen comes first and the letter before it is looked behind from there: the regex
# engine then jumps from hyphen to hyphen (a pattern that opens with the look-behind tries
# every position, about 30 times slower on a batch).
_LINE_BREAK_HYPHEN = re.compile(r"[-\u2010\u2011](?<=[^\W\d_][-\u2010\u2011])[ \t]*\r?\n[ \t]*(?=[a-z\u0430-\u044f\u0451])")
_ASCII_LINE_BREAK_HYPHEN = re.compile(rb"-(?<=[A-Za-z]-)[ \t]*\r?\n[ \t]*(?=[a-z])")
#: The word that joins the texts of a batch inside :func:`split_batch`.
SEPARATOR_WORD = "zqxthemesbreakzqx"
_SEPARATOR = f" {SEPARATOR_WORD} "
_SEPARATOR_KEY = _SEPARATOR.encode("ascii")
# The fast path of raw_words for a batch: on ASCII text, NFKC is the identity and
# casefold() is lower(), so "[^\W_]+" words are the runs of [a-z0-9] left by one byte
# translation (upper case folded, other ASCII bytes made spaces) and a C-level split.
# Bytes of non-ASCII characters are kept: they only occur in words raw_words already made.
_ASCII_POSSESSIVE = re.compile(rb"'[sS]\b")
_ASCII_TABLE = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 or c >= 128 else 32 for c in range(256)
)

# The fast path of raw_words for the texts that are not ASCII, all of a batch at once. In
# code page 1251 (Cyrillic and Latin letters, the usual punctuation: «», dashes, curly
# quotes) a character is one byte, so case folding, ё, invisible characters and the split
# into words become byte translations of the whole batch (see _code_page_keys). A
# character outside the code page is dropped if clean_characters drops it (zero-width
# spaces, joiners...), else encoded as the byte 0x98, which no character has, and its text
# is read by raw_words itself.
_CODE_PAGE = "cp1251"
_UNREAD = 0x98
# Joins the texts: not a letter, so that only the texts' own Latin letters start a search
# for mixed words, and a character that no normalization joins to its neighbours.
_CP_SEPARATOR = "\x00"
_CP_SEPARATOR_BYTE = b"\x00"
_UNREAD_BYTE = bytes([_UNREAD])


def _outside_code_page(error: UnicodeEncodeError) -> tuple[bytes, int]:
    """Encoding error handler: invisible characters dropped, others marked 0x98."""
    return bytes([_UNREAD]) * len(clean_characters(error.object[error.start : error.end])), error.end


codecs.register_error("themes.unread", _outside_code_page)


def _code_page_tables() -> tuple[bytes, bytes, bytes, bytes, bytes, re.Pattern]:
    """Byte tables of code page 1251, derived from the character-level definitions.

    Returns
    -------
    fold : bytes
        A byte's character casefolded and cleaned (:func:`clean_characters`), or 0x98 when
        that is not one character of the code page. Every apostrophe reads as ``'``, so
        that ``possessive`` starts with a literal (which the regex engine finds fast).
    invisible : bytes
        The bytes that clean to nothing (to delete).
    words : bytes
        Keeps the letters and digits of ``_WORD`` and the separator of texts, makes every
        other byte a space.
    scripts : bytes
        Latin letters (those :func:`fold_confusables` counts) to ``a``, Greek and Cyrillic
        letters to ``c``, 0x98 to ``?``, the separator of texts to ``|``, other bytes to a
        space; the other letters and digits are in ``neither`` (to delete).
    possessive : re.Pattern
        ``_POSSESSIVE`` on folded bytes.
    """
    fold, invisible, neither, word_or_underscore = bytearray(range(256)), bytearray(), bytearray(), bytearray()
    words, scripts = bytearray(b" " * 256), bytearray(b" " * 256)
    for byte in range(256):
        try:
            char = bytes([byte]).decode(_CODE_PAGE)
        except UnicodeDecodeError:  # 0x98
            fold[byte] = _UNREAD
            continue
        folded = clean_characters(char.casefold()).encode(_CODE_PAGE, "themes.unread")
        if not folded:
            invisible.append(byte)
        elif char in _APOSTROPHES:
            fold[byte] = ord("'")
        else:
            fold[byte] = folded[0] if len(folded) == 1 else _UNREAD
        if _WORD.fullmatch(char):
            words[byte] = byte
            if "a" <= char <= "z":
                scripts[byte] = ord("a")
            elif "\u0370" <= char <= "\u052f":
                scripts[byte] = ord("c")
            else:
                neither.append(byte)
        if re.fullmatch(r"\w", char):
            word_or_underscore.append(byte)
    words[ord(_CP_SEPARATOR)] = ord(_CP_SEPARATOR)
    scripts[ord(_CP_SEPARATOR)], scripts[_UNREAD] = ord("|"), ord("?")
    possessive = re.compile(b"'s(?![" + re.escape(bytes(word_or_underscore)) + b"])")
    return bytes(fold), bytes(invisible), bytes(words), bytes(scripts), bytes(neither), possessive


_CP_FOLD, _CP_INVISIBLE, _CP_WORDS, _CP_SCRIPTS, _CP_NEITHER, _CP_POSSESSIVE = _code_page_tables()

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

#: How text becomes words (raised when that changes: 2 reads organisation names as their
#: acronyms, 3 adds UNODC and the OSCE's Transnational Threats Department, 4 the ministries,
#: committees and councils "of/for emergency situations", "по чрезвычайным ситуациям", whose
#: "situations" counted as threat_assessment). A model's name
#: fingerprints it, so models that read text differently differ in name even when trained
#: on the same releases with the same configuration.
READING_VERSION = 4

_CANONICAL: dict[str, str] = {}


def _canonical_map() -> dict[str, str]:
    if not _CANONICAL:
        raw = json.loads((_DATA / "lexicon.json").read_text(encoding="utf-8"))
        _CANONICAL.update(raw["canonical"])
    return _CANONICAL


# Names of organisations whose words would count as evidence of a theme they are not about
# ("Shanghai Cooperation Organisation", "Collective Security Treaty Organization": a meeting
# of the SCO is not international_cooperation by its name alone, rule 4 of the taxonomy;
# the UN Office on Drugs and Crime's counter-terrorism work is not drug_trafficking; the
# Ministry of Emergency Situations is not an appraisal of the situation). Bodies
# whose mandate is one theme keep their words (FATF, EAG, border troops councils, OPCW).
# They are read as their acronyms, as bulletins mostly write them and as the corpus does.
# Each name is (its first word, the name from there on over words joined by whitespace, the
# acronym); Russian names in any case ending. Found by a scan for each first word (str.find,
# a few ms over a batch of 10,000 statements), then a regular expression at each occurrence.
_NAMES = (
    ("shanghai", r"shanghai\s+cooperation\s+organi[sz]ation\b", "sco"),
    ("organi", r"organi[sz]ation\s+of\s+(?:the\s+)?islamic\s+cooperation\b", "oic"),
    ("organi", r"organi[sz]ation\s+for\s+security\s+and\s+co\s*operation\s+in\s+europe\b", "osce"),
    ("organi", r"organi[sz]ation\s+for\s+economic\s+co\s*operation\s+and\s+development\b", "oecd"),
    ("gulf", r"gulf\s+cooperation\s+council\b", "gcc"),
    ("collective", r"collective\s+security\s+treaty\s+organi[sz]ation\b", "csto"),
    ("north", r"north\s+atlantic\s+treaty\s+organi[sz]ation\b", "nato"),
    ("asia", r"asia\s+pacific\s+economic\s+cooperation\b", "apec"),
    ("conference", r"conference\s+on\s+interaction\s+and\s+confidence\s+building\s+measures\s+in\s+asia\b", "cica"),
    ("south", r"south\s+asian\s+association\s+for\s+regional\s+cooperation\b", "saarc"),
    ("economic", r"economic\s+cooperation\s+organi[sz]ation\b", "eco"),
    ("office", r"office\s+on\s+drugs\s+and\s+crime\b", "unodc"),
    ("transnational", r"transnational\s+threats\s+department\b", "tntd"),
    ("emergency", r"emergency\s+situations\b", "emercom"),
    ("шанхайск", r"шанхайск\w*\s+организаци\w*\s+сотрудничеств\w*", "шос"),
    ("организаци", r"организаци\w*\s+договора\s+о\s+коллективной\s+безопасности\b", "одкб"),
    ("организаци", r"организаци\w*\s+по\s+безопасности\s+и\s+сотрудничеству\s+в\s+европе\b", "обсе"),
    ("организаци", r"организаци\w*\s+исламского\s+сотрудничества\b", "оис"),
    ("организаци", r"организаци\w*\s+североатлантического\s+договора\b", "нато"),
    ("совещани", r"совещани\w*\s+по\s+взаимодействию\s+и\s+мерам\s+доверия\s+в\s+азии\b", "свмда"),
    ("наркотикам", r"наркотикам\s+и\s+преступности\b", "унп"),
    ("чрезвычайным", r"чрезвычайным\s+ситуациям\b", "мчс"),
)
_NAMES_BY_FIRST: dict[str, list[tuple[re.Pattern, str]]] = {}
for _first, _pattern, _acronym in _NAMES:
    _NAMES_BY_FIRST.setdefault(_first, []).append((re.compile(_pattern), _acronym))
#: What a word that may start a name starts with (``word.startswith(NAME_FIRST_WORDS)``).
NAME_FIRST_WORDS = tuple(_NAMES_BY_FIRST)


def _second_words() -> tuple[frozenset, tuple[str, ...]]:
    """The words that may come second in a name: exact words, and prefixes (``x\\w*``)."""
    exact, prefixes = set(), set()
    for _, pattern, _ in _NAMES:
        second = re.split(r"\\s[+*]", pattern)[1].removesuffix(r"\b")
        if re.fullmatch(r"[a-zа-я]+", second):
            exact.add(second)
        elif re.fullmatch(r"[a-zа-я]+\\w\*", second):
            prefixes.add(second[:-3])
        else:  # a name written otherwise needs this function taught to read it
            raise ValueError(f"the second word of the name pattern {pattern!r} is neither a word nor a prefix")
    return frozenset(exact), tuple(sorted(prefixes))


_NAME_SECOND_EXACT, _NAME_SECOND_PREFIXES = _second_words()


def name_word_flags(word: str) -> int:
    """1 if ``word`` may start the name of an organisation, 2 if it may come second in one
    (both: 3): a batch looks for names only where a word flagged 1 comes before one flagged 2.

    Examples
    --------
    >>> [name_word_flags(w) for w in ["shanghai", "cooperation", "организации", "drones"]]
    [1, 2, 3, 0]
    """
    flags = 1 if word.startswith(NAME_FIRST_WORDS) else 0
    if word in _NAME_SECOND_EXACT or word.startswith(_NAME_SECOND_PREFIXES):
        flags |= 2
    return flags
# The most words a name spans: each gap between its words is one whitespace run.
_NAME_MAX_WORDS = max(len(re.findall(r"\\s", pattern)) for _, pattern, _ in _NAMES) + 1


def read_names(words: str) -> str:
    """Lower-case words separated by whitespace, with the names of organisations whose
    words are theme terms ("shanghai cooperation organisation") replaced by their acronyms.

    Examples
    --------
    >>> read_names("the shanghai cooperation organization and cooperation")
    'the sco and cooperation'
    >>> read_names("заседание совета организации договора о коллективной безопасности").split()[-1]
    'одкб'
    """
    found = []
    latin_only = words.isascii()  # a flag of the string: no Cyrillic name can be in it
    for first, patterns in _NAMES_BY_FIRST.items():
        if latin_only and not first.isascii():
            continue
        at = words.find(first)
        while at >= 0:
            if not at or words[at - 1].isspace():  # the start of a word
                for pattern, acronym in patterns:
                    match = pattern.match(words, at)
                    if match:
                        found.append((at, match.end(), acronym))
                        break
            at = words.find(first, at + 1)
    if not found:
        return words
    found.sort()
    out, done = [], 0
    for start, end, acronym in found:
        if start >= done:  # names do not overlap; if they did, the first wins
            out += [words[done:start], acronym]
            done = end
    out.append(words[done:])
    return "".join(out)


def name_words_flags(words: list[str]) -> np.ndarray:
    """:func:`name_word_flags` of each word, as int8 (a few C-level passes over the words).

    Examples
    --------
    >>> name_words_flags(["shanghai", "cooperation", "организации", "drones"]).tolist()
    [1, 2, 3, 0]
    """
    n = len(words)
    first = np.fromiter(map(operator.methodcaller("startswith", NAME_FIRST_WORDS), words), dtype=np.int8, count=n)
    second = np.fromiter(map(_NAME_SECOND_EXACT.__contains__, words), dtype=bool, count=n)
    second |= np.fromiter(map(operator.methodcaller("startswith", _NAME_SECOND_PREFIXES), words), dtype=bool, count=n)
    return first | (second.astype(np.int8) << 1)


def read_names_in_words(words: list[str], starts) -> list[tuple[int, int, str]]:
    """The names :func:`read_names` reads in ``" ".join(words)``, as word spans: ``(first
    word, word after the last, acronym)``, in order and not overlapping.

    ``starts`` are the positions where a name may start, in order: at least every word that
    starts with one of ``NAME_FIRST_WORDS`` and is followed by a word that may come second
    (see :func:`name_word_flags`). A batch whose words are known finds them without
    scanning its text for each first word.

    Examples
    --------
    >>> words = "the shanghai cooperation organization and the gulf".split()
    >>> read_names_in_words(words, [1, 6])
    [(1, 4, 'sco')]
    """
    found, done = [], 0
    for at in starts:
        if at < done:  # inside the name before (names do not overlap; the first wins)
            continue
        word = words[at]
        window = None
        best = None
        for first, patterns in _NAMES_BY_FIRST.items():
            if not word.startswith(first):
                continue
            if window is None:
                window = " ".join(words[at : at + _NAME_MAX_WORDS])
            for pattern, acronym in patterns:
                match = pattern.match(window)
                if match:
                    # A name ends at the end of a word (\b or a greedy \w*): its words are
                    # the spaces before its end, plus one.
                    candidate = (at + window.count(" ", 0, match.end()) + 1, acronym)
                    best = candidate if best is None else min(best, candidate)
                    break
        if best is not None:
            found.append((at, best[0], best[1]))
            done = best[0]
    return found


def statement_words(text: str) -> list[str]:
    """The words the features are built from: :func:`raw_words`, names read (:func:`read_names`).

    Examples
    --------
    >>> statement_words("The Collective Security Treaty Organization's council")
    ['the', 'csto', 'council']
    """
    words = raw_words(text)
    joined = " ".join(words)
    read = read_names(joined)
    return read.split() if read != joined else words


def raw_words(text: str) -> list[str]:
    """Split ``text`` into lower-case words; hyphens, slashes and apostrophes separate,
    but a hyphen at the end of a line before a lower-case letter joins a broken word.

    Invisible characters are dropped, ё is read as е, and look-alike letters of another
    script inside a word are folded into the word's own script (see
    :func:`themes.language.fold_confusables`).

    Examples
    --------
    >>> raw_words("The terrorist-fighters' return (FTFs)")
    ['the', 'terrorist', 'fighters', 'return', 'ftfs']
    >>> raw_words("Drоnеs над границей, ёмкости")  # Cyrillic о, е in "Drones"
    ['drones', 'над', 'границей', 'емкости']
    >>> raw_words("the financ-\\ning of Russian-\\nChinese")  # a word broken over two lines
    ['the', 'financing', 'of', 'russian', 'chinese']
    """
    if "\n" in text:
        text = _LINE_BREAK_HYPHEN.sub("", text)
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


def normal_forms(words: list[str]) -> list[str]:
    """``[normal_form(w) for w in words]``, at a fraction of the cost on many words.

    Most new words of a batch are names, places and numbers that no rule changes: an ASCII
    word that does not end in "s", holds no "isation" and is not in the canonical map is its
    own normal form, settled by a few C-level tests; Russian words are stemmed together.

    Examples
    --------
    >>> normal_forms(["karaburg", "activities", "uas", "беспилотниками", "café"])
    ['karaburg', 'activity', 'uav', 'беспилотник', 'café']
    """
    canonical = _canonical_map()
    forms = [w if w.isascii() and w[-1:] != "s" and "isation" not in w and w not in canonical else None for w in words]
    rest = [i for i, form in enumerate(forms) if form is None]
    russian = [i for i in rest if is_cyrillic_word(words[i]) and words[i] not in canonical]
    if russian:
        for i, stem in zip(russian, russian_stems([words[i] for i in russian])):
            forms[i] = canonical.get(stem, stem)
    for i in rest:
        if forms[i] is None:
            forms[i] = normal_form(words[i])
    return forms


def normalize_tokens(text: str) -> list[str]:
    """Normal tokens of ``text``, in order (see :func:`normal_form`)."""
    out: list[str] = []
    for word in statement_words(text):
        out.extend(normal_form(word).split())
    return out


def split_batch(texts: list[str], names: bool = True) -> list[str]:
    """The words of all ``texts`` (:func:`statement_words` of each), in order, with
    :data:`SEPARATOR_WORD` between texts; with ``names=False``, names of organisations are
    left as their words (the caller reads them, see :func:`read_names_in_words`).

    The words of :func:`split_batch_keys` (one translation and split for the whole batch),
    decoded. A text that holds the separator word itself yields one separator too many; the
    caller checks the count.

    Examples
    --------
    >>> split_batch(["Drones' range", "AML/CFT"])
    ['drones', 'range', 'zqxthemesbreakzqx', 'aml', 'cft']
    """
    words = words_of_keys(split_batch_keys(texts))
    return read_names(" ".join(words)).split() if names else words


def split_batch_keys(texts: list[str]) -> list[bytes]:
    """:func:`split_batch` with ``names=False``, each word as its key (see :func:`word_key`).

    One translation and split for the whole batch: an ASCII text goes in as it is (see
    ``_ASCII_TABLE``); the other texts go in as their :func:`raw_words` (read together, see
    :func:`_code_page_keys`), which the same split gives back unchanged. The words are never
    decoded: a batch's words are looked up as bytes, whose hash reads one byte a character
    where a Cyrillic ``str`` reads two (about a third of the cost of a Russian batch's lookups).

    Examples
    --------
    >>> [word_of_key(k) for k in split_batch_keys(["Drones' range", "Дроны, café"])]
    ['drones', 'range', 'zqxthemesbreakzqx', 'дроны', 'café']
    """
    unicode_at = [i for i, t in enumerate(texts) if not t.isascii()]
    if not unicode_at:
        joined = _SEPARATOR.join(texts).encode("ascii")
    elif len(unicode_at) == len(texts):  # no ASCII text to translate: the pieces hold words only
        return _SEPARATOR_KEY.join(_code_page_keys(texts)).split()
    else:
        pieces = list(texts)
        # (latin-1 turns the pieces' bytes into characters and back, unchanged)
        for i, piece in zip(unicode_at, _code_page_keys([texts[i] for i in unicode_at])):
            pieces[i] = piece.decode("latin-1")
        joined = _SEPARATOR.join(pieces).encode("latin-1")
    if b"\n" in joined:  # as raw_words does (the other pieces went through it already)
        joined = _ASCII_LINE_BREAK_HYPHEN.sub(b"", joined)
    return _ASCII_POSSESSIVE.sub(b"", joined).translate(_ASCII_TABLE).split()


def word_key(word: str) -> bytes:
    """The key of a word in :func:`split_batch_keys`: the word in code page 1251 (ASCII for an
    ASCII word), or, with a character outside it, the byte 0x98 (which no character of the
    code page has) and its UTF-8.

    Examples
    --------
    >>> word_key("дроны"), word_key("café")
    (b'\\xe4\\xf0\\xee\\xed\\xfb', b'\\x98caf\\xc3\\xa9')
    >>> word_of_key(word_key("café"))
    'café'
    """
    try:
        return word.encode(_CODE_PAGE)
    except UnicodeEncodeError:
        return _UNREAD_BYTE + word.encode("utf-8")


def word_of_key(key: bytes) -> str:
    """The word of a key of :func:`split_batch_keys` (see :func:`word_key`)."""
    return key[1:].decode("utf-8") if key[:1] == _UNREAD_BYTE else key.decode(_CODE_PAGE)


def words_of_keys(keys: list[bytes]) -> list[str]:
    """:func:`word_of_key` of each key: one decoding of them all when none holds 0x98 (no key
    of a word outside code page 1251).

    Examples
    --------
    >>> words_of_keys([b"uav", "дрон".encode("cp1251"), word_key("café")])
    ['uav', 'дрон', 'café']
    >>> words_of_keys([word_key("ελλάδα"), b"uav"])
    ['ελλάδα', 'uav']
    """
    if not keys:
        return []
    joined = b"\n".join(keys)  # (no word holds a line break)
    if _UNREAD_BYTE not in joined:
        return joined.decode(_CODE_PAGE).split("\n")
    # The keys of words outside the code page (0x98 first) are read one by one, the rest
    # still in one decoding.
    outside = [i for i, key in enumerate(keys) if key[:1] == _UNREAD_BYTE]
    inside = list(keys)
    for i in outside:
        inside[i] = b""
    words = b"\n".join(inside).decode(_CODE_PAGE).split("\n")
    for i in outside:
        words[i] = word_of_key(keys[i])
    return words


def _code_page_text(texts: list[str]) -> bytes:
    """The texts joined by ``_CP_SEPARATOR`` in code page 1251: NFKC, folded, possessives out."""
    # NFKC, casefold() and clean_characters() change no character across the separator, so
    # the batch reads as its texts one by one.
    text = _CP_SEPARATOR.join(texts)
    if "\n" in text:
        text = _LINE_BREAK_HYPHEN.sub("", text)
    text = unicodedata.normalize("NFKC", text).encode(_CODE_PAGE, "themes.unread")
    return _CP_POSSESSIVE.sub(b"", text.translate(_CP_FOLD, _CP_INVISIBLE))


def _code_page_keys(texts: list[str]) -> list[bytes]:
    """For each text, its :func:`raw_words` as one bytes string of word keys (see
    :func:`word_key`) and spaces.

    The texts are read together in code page 1251 (see ``_CODE_PAGE``): NFKC, case folding,
    cleaning and possessives as in :func:`raw_words`, on the whole batch. A text with a
    character outside the code page, or with a word that mixes Latin letters with Greek or
    Cyrillic ones (which :func:`fold_confusables` may change), is read by :func:`raw_words`.

    Examples
    --------
    >>> [words_of_keys(p.split()) for p in _code_page_keys(["Тeррoризм — «ИГИЛ»", "Drone’s ёмкость"])]
    [['терроризм', 'игил'], ['drone', 'емкость']]
    """
    text = _code_page_text(texts)
    pieces = text.translate(_CP_WORDS).split(_CP_SEPARATOR_BYTE)
    if len(pieces) != len(texts):  # a text holds the separator: read each on its own
        return [b" ".join(map(word_key, raw_words(t))) for t in texts]
    for i in _left_to_raw_words(text):
        pieces[i] = b" ".join(map(word_key, raw_words(texts[i])))
    return pieces


_RUN_END = {b"a": re.compile(b"a+"), b"c": re.compile(b"c+")}  # a run of one script class


def _in_next_text(letters: bytes, mark: bytes, at: int) -> int:
    """Where ``mark`` is next found in a text after the one holding ``at`` (-1: nowhere)."""
    next_text = letters.find(b"|", at)
    return letters.find(mark, next_text) if next_text >= 0 else -1


def _left_to_raw_words(text: bytes) -> set[int]:
    """The texts of a batch read in code page 1251 that :func:`raw_words` must read itself.

    ``text`` holds the texts joined by ``_CP_SEPARATOR``, folded; a text is left to
    :func:`raw_words` when it has a character outside the code page (byte 0x98) or a word
    that mixes scripts (a seam between a Latin letter and a Greek or Cyrillic one).
    """
    # With the other letters and digits left out, a word that mixes scripts shows "ac" or
    # "ca"; one mark per text is enough. The seams are found from the runs of the rarer
    # class: bytes.find skips ahead on a pattern's last byte, so searching "ac" in Russian
    # text (where nearly every byte is "c") would read every byte twice over.
    letters = text.translate(_CP_SCRIPTS, _CP_NEITHER)
    # (bytes.count is fast on a rare byte only: the Latin letters are counted, not the others)
    rare, common = (b"a", b"c") if 2 * letters.count(b"a") <= len(letters) else (b"c", b"a")
    run_end, common_byte = _RUN_END[rare].match, common[0]
    marks = []
    at = letters.find(b"?")
    while at >= 0:
        marks.append(at)
        at = _in_next_text(letters, b"?", at)
    n, at = len(letters), letters.find(rare)
    while at >= 0:
        end = run_end(letters, at).end()
        if (at and letters[at - 1] == common_byte) or (end < n and letters[end] == common_byte):
            marks.append(at)
            at = _in_next_text(letters, rare, end)
        else:
            at = letters.find(rare, end)
    left, i, counted = set(), 0, 0
    for at in sorted(marks):  # the text of each mark: separators counted up to it
        i += letters.count(b"|", counted, at)
        counted = at
        left.add(i)
    return left


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


def load_glossary(path: Path | None = None) -> dict[str, str]:
    """Russian normal token -> English gloss, as written in the glossary file
    (``data/glossary_ru.json``; tokens listed there with no gloss are left out).

    Examples
    --------
    >>> glossary = load_glossary()
    >>> glossary[normal_form("границы")]
    'border'
    """
    raw = json.loads((path or _DATA / "glossary_ru.json").read_text(encoding="utf-8"))
    return dict(raw["glossary"])
