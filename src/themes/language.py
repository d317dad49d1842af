"""Scripts and languages of statements: which language a text is read as, and the
character-level clean-up that comes before words (invisible characters, confusable
letters across scripts, ё).

The model reads English and Russian. A statement is routed by its letters: mostly Latin
is English, mostly Cyrillic is Russian (unless letters Russian does not have show another
language: Kazakh, Kyrgyz, Tajik, Ukrainian...), mostly anything else (Arabic, Chinese...) is
not scored. Russian words are reduced to their stems with Snowball's Russian stemmer, so that
the inflected forms of a word (беспилотник, беспилотника, беспилотниками) share evidence.

Examples
--------
>>> detect_language("Drones attacked the border post.")
'en'
>>> detect_language("Беспилотники атаковали пограничный пост.")
'ru'
>>> detect_language("هاجمت الطائرات المسيرة") is None
True
>>> fold_confusables("drоnеs")  # Cyrillic о and е inside an English word
'drones'
>>> russian_stem("беспилотниками")
'беспилотник'
"""

from __future__ import annotations

import bisect
import codecs
import functools
import itertools
import re

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "clean_characters",
    "detect_language",
    "detect_languages",
    "fold_confusables",
    "is_cyrillic_word",
    "language_names",
    "likely_cyrillic_languages",
    "may_hold_confusables",
    "non_russian_cyrillic",
    "other_cyrillic_bulletin",
    "reads_as_other_cyrillic",
    "russian_stem",
    "russian_stems",
]

#: Languages the shipped model reads, in the order of their codes.
LANGUAGES = ("en", "ru")
#: How a language code reads in a message or a model card.
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}

# Characters that change a word without showing: soft hyphen, zero-width space, joiners,
# word joiner, bidi marks, byte-order mark. ё is read as е, as Russian texts mix the two.
_CLEAN_TABLE = str.maketrans(
    {
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u200e": None,
        "\u200f": None,
        "\u2060": None,
        "\u2061": None,
        "\u2062": None,
        "\u2063": None,
        "\u2064": None,
        "\ufeff": None,
        "\u034f": None,
        "\u180e": None,
        "ё": "е",
        "Ё": "Е",
    }
)

# Lower-case letters that look alike across Latin, Cyrillic and Greek. A word mostly in
# one script has the look-alikes of the other scripts folded into its own: "drоnеs" with
# Cyrillic о and е is the English "drones", "бпла" with a Latin a is Russian.
_TO_LATIN = str.maketrans("авекмнорстухіјѕԁԛԝαβεικνορτυχ", "abekmhopctyxijsdqwabeiknoptux")
_TO_CYRILLIC = str.maketrans("aeopcyxkmthb", "аеорсухкмтнв")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# The script class of a character, as the lead byte of its UTF-8 form gives it: "c" a
# Cyrillic letter (U+0400-04FF), "l" a Latin one (ASCII letters, U+00C0-027F), "o" a letter of
# another alphabet or script (U+0340-03FF, U+0500-1FFF, U+3000-DFFF), "." anything else.
_SCRIPT_CLASS_STARTS = (0x41, 0x5B, 0x61, 0x7B, 0xC0, 0x280, 0x340, 0x400, 0x500, 0x2000, 0x3000, 0xE000)
_SCRIPT_CLASSES = ".l.l.l.oco.o."


def _script_class(char: str) -> str:
    """The script class of one character (see ``_SCRIPT_CLASSES``).

    Examples
    --------
    >>> "".join(map(_script_class, "Ab1 éЖ中α—"))
    'll..lcoo.'
    """
    return _SCRIPT_CLASSES[bisect.bisect_right(_SCRIPT_CLASS_STARTS, ord(char))]


# Letters are classed on the texts encoded in code page 1251 (one byte a character, and the
# Russian alphabet and ASCII in it): each byte's character's class, "x" for the Cyrillic
# letters Russian does not have (a Cyrillic letter all the same: a text that has enough of
# them is checked letter by letter), "|" for NUL (which joins the texts of a batch). A
# character outside the code page is written by "themes.letters" as a byte of its class:
# "a" for a Latin letter, 0x80 (Ђ) for a Cyrillic one, 0x98 (no character) for another
# script's, nothing for the rest. What is left is one byte per letter.
_CODE_PAGE = "cp1251"
_RUSSIAN_ALPHABET = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def _code_page_class(byte: int) -> int:
    if byte == 0:
        return ord("|")
    if byte == 0x98:
        return ord("o")
    char = bytes([byte]).decode(_CODE_PAGE)
    cls = _script_class(char)
    if cls == "c" and char.lower() not in _RUSSIAN_ALPHABET:
        cls = "x"
    return ord(cls)


_BYTE_CLASS = bytes(_code_page_class(b) for b in range(256))
_NOT_LETTERS = bytes(b for b in range(256) if _BYTE_CLASS[b] == ord("."))
_OUTSIDE_BYTE = {"l": b"a", "c": b"\x80", "o": b"\x98", ".": b""}


def _letters_outside_code_page(error: UnicodeEncodeError) -> tuple[bytes, int]:
    """The "themes.letters" error handler: characters outside code page 1251 as bytes of their class."""
    chars = error.object[error.start : error.end]
    return b"".join(_OUTSIDE_BYTE[_script_class(char)] for char in chars), error.end


codecs.register_error("themes.letters", _letters_outside_code_page)
_LETTERS_READ = 5000  # a statement's language is read from its first characters
# The Cyrillic alphabets' letters that Russian does not have (lower case). A Cyrillic
# statement whose common words (those that open in lower case) have them is in one of those
# languages, not in Russian, and is not scored as Russian; a Russian statement may spell a
# name in them ("Қасым-Жомарт Тоқаев"). The language named in the reason is the one whose
# letters they are (:func:`likely_cyrillic_languages`).
_OTHER_CYRILLIC_ALPHABETS = {
    "Kazakh": "әғқңөұүһі",
    "Kyrgyz": "ңөү",
    "Tajik": "ғӣқӯҳҷ",
    "Uzbek": "ўқғҳ",
    "Ukrainian": "іїєґ",
    "Belarusian": "іў",
    "Serbian": "јљњћџђ",
    "Macedonian": "јљњџѓќѕ",
}
_NON_RUSSIAN_LETTERS = sorted({c for letters in _OTHER_CYRILLIC_ALPHABETS.values() for c in letters + letters.upper()})
_NON_RUSSIAN_CYRILLIC = re.compile("[" + "".join(_NON_RUSSIAN_LETTERS) + "]")
_NON_RUSSIAN_SHARE = 0.02  # of the Cyrillic letters read
_NON_RUSSIAN_MIN = 2
_NEEDS_CLEANING = re.compile("[" + re.escape("".join(map(chr, _CLEAN_TABLE))) + "]")  # the table's keys
_OTHER_SCRIPT_LOOK_ALIKES = re.compile(r"[\u0370-\u052f]")  # Greek, Cyrillic
_stem_russian_word = None  # set by _load_russian_stemmer
_stem_russian_words = None  # set by _load_russian_stemmer when the stemmer is PyStemmer's


def clean_characters(text: str) -> str:
    """``text`` without invisible characters, with ё read as е.

    Examples
    --------
    >>> clean_characters("анти\u00adтеррористический, ёлка, cy\u200bber")
    'антитеррористический, елка, cyber'
    """
    # A substitution per match, not str.translate: translating a whole non-ASCII text
    # through a dict table costs about ten times more (Russian texts often hold an ё).
    return _NEEDS_CLEANING.sub(_cleaned, text)


def _cleaned(match: re.Match) -> str:
    return _CLEAN_TABLE[ord(match.group())] or ""


def fold_confusables(word: str) -> str:
    """A lower-case word with the look-alike letters of other scripts folded into its own.

    A word is read in the script of most of its letters; a word in one script only is
    returned as it is.

    Examples
    --------
    >>> fold_confusables("cyber"), fold_confusables("кибер")
    ('cyber', 'кибер')
    >>> fold_confusables("тeррoризм")  # Latin e and o in a Russian word
    'терроризм'
    """
    if word.isascii() or _LATIN.search(word) is None:  # one script, or no Latin letter to fold
        return word
    cyrillic = len(_CYRILLIC.findall(word))
    latin = len(_LATIN.findall(word))
    if cyrillic and latin:
        return word.translate(_TO_LATIN if latin >= cyrillic else _TO_CYRILLIC)
    if not cyrillic and not word.isascii():
        folded = word.translate(_TO_LATIN)  # Greek look-alikes among Latin letters
        return folded if folded.isascii() and latin else word
    return word


def may_hold_confusables(text: str) -> bool:
    """False when no word of a lower-case ``text`` can mix scripts (then no folding is needed).

    Examples
    --------
    >>> may_hold_confusables("беспилотники над границей"), may_hold_confusables("drоnes")
    (False, True)
    """
    return _LATIN.search(text) is not None and _OTHER_SCRIPT_LOOK_ALIKES.search(text) is not None


def language_names(languages) -> str:
    """The names of language codes, joined: what a model reads, in words.

    Examples
    --------
    >>> language_names(("en", "ru")), language_names(["en"])
    ('English and Russian', 'English')
    """
    return " and ".join(LANGUAGE_NAMES.get(code, code) for code in languages)


def is_cyrillic_word(word: str) -> bool:
    """True when a word's first letter is Cyrillic.

    Examples
    --------
    >>> is_cyrillic_word("бпла"), is_cyrillic_word("uav")
    (True, False)
    """
    return bool(word) and "\u0400" <= word[0] <= "\u04ff"


def russian_stem(word: str) -> str:
    """The Snowball stem of a lower-case Russian word.

    ``snowballstemmer`` runs Snowball's C implementation when PyStemmer is installed
    (``pip install 'themes[fast]'``), with the same stems, about 40 times faster.

    Examples
    --------
    >>> [russian_stem(w) for w in ["финансирования", "финансированию", "финансирование"]]
    ['финансирован', 'финансирован', 'финансирован']
    """
    return (_stem_russian_word or _load_russian_stemmer())(word)


def russian_stems(words: list[str]) -> list[str]:
    """:func:`russian_stem` of each of ``words``, in one call to the stemmer when it is
    Snowball's C implementation (PyStemmer's ``stemWords``).

    Examples
    --------
    >>> russian_stems(["беспилотниками", "границы"])
    ['беспилотник', 'границ']
    """
    stem = _stem_russian_word or _load_russian_stemmer()
    return _stem_russian_words(words) if _stem_russian_words is not None else list(map(stem, words))


def _load_russian_stemmer():
    """The stemming function of :func:`russian_stem`, made on first use."""
    global _stem_russian_word, _stem_russian_words
    import snowballstemmer  # a core dependency; imported when Russian is first read

    stemmer = snowballstemmer.stemmer("russian")
    if hasattr(stemmer, "maxCacheSize"):
        # PyStemmer (0.6 µs a word) without a cache: its own churns on an archive's stream
        # of new words (3.6 µs a word), an lru_cache costs 0.35 µs a new word, and the
        # token cache already keeps each word's normal form.
        stemmer.maxCacheSize = 0
        _stem_russian_word = stemmer.stemWord
        _stem_russian_words = stemmer.stemWords
    else:  # the pure-Python stemmer: the frequent words are worth keeping
        _stem_russian_word = functools.lru_cache(maxsize=65536)(stemmer.stemWord)
    return _stem_russian_word


def detect_language(text: str, languages: tuple[str, ...] = LANGUAGES) -> str | None:
    """The language ``text`` is read as, from the script of most of its letters.

    Parameters
    ----------
    text : str
    languages : tuple of str
        The languages the model reads; a text in another one gives None.

    Returns
    -------
    str or None
        ``"en"`` (mostly Latin letters), ``"ru"`` (mostly Cyrillic), or None when most
        letters are in another script, when Cyrillic letters that Russian does not have
        show it is Kazakh, Kyrgyz, Tajik, Uzbek, Ukrainian... (see
        :func:`non_russian_cyrillic`), or when the model does not read the language. A text
        with fewer than three letters is read as English, the corpus's main language.

    Examples
    --------
    >>> detect_language("ФТФ and FTF returnees, Сирия")
    'en'
    >>> detect_language("Беспилотники атаковали пост.", languages=("en",)) is None
    True
    >>> detect_language("Ұлттық қауіпсіздік комитеті жиын өткізді.") is None  # Kazakh
    True
    """
    return detect_languages([text], languages)[0]


def detect_languages(texts: list[str], languages: tuple[str, ...] = LANGUAGES) -> list[str | None]:
    """:func:`detect_language` of each text of a batch, the letters of all read at once.

    Parameters
    ----------
    texts : list of str
    languages : tuple of str
        The languages the model reads.

    Returns
    -------
    list of (str or None)
        The language of each text, as :func:`detect_language` gives it.

    Examples
    --------
    >>> detect_languages(["Drones attacked.", "Беспилотники атаковали.", "هاجمت الطائرات"])
    ['en', 'ru', None]
    """
    english = "en" if "en" in languages else None
    if len(texts) == 1:  # a statement scored alone (classify(text)): no batch bookkeeping
        text = texts[0]
        if text.isascii():
            return [english]
        classes = _joined_letters([text[:_LETTERS_READ]])
        if b"|" not in classes:  # (a NUL in it: the batch path reads it without)
            language, cyrillic, other_cyrillic = _read_as(classes, languages, english, True)
            if not (language == "ru" and _enough_other_cyrillic(other_cyrillic, cyrillic)):
                return [language]
    out = [english] * len(texts)
    others = [i for i, text in enumerate(texts) if not text.isascii()]  # ASCII is English
    if not others:
        return out
    # Letters counted with one encoding and translation for the batch (see ``_BYTE_CLASS``).
    read = [texts[i][:_LETTERS_READ] for i in others]
    joined = _joined_letters(read)
    letters = joined.split(b"|")
    if len(letters) != len(read):  # a text holds NUL, which is no letter
        joined = _joined_letters([text.replace("\x00", "") for text in read])
        letters = joined.split(b"|")
    others_letters = b"x" in joined  # Cyrillic letters Russian does not have: rare, counted if any
    cyrillic_texts = []
    for j, (i, classes) in enumerate(zip(others, letters)):
        out[i], cyrillic, other_cyrillic = _read_as(classes, languages, english, others_letters)
        # Only a text with enough letters Russian does not have is read letter by letter
        # (only those in its common words count; see _non_russian_letters).
        if out[i] == "ru" and _enough_other_cyrillic(other_cyrillic, cyrillic):
            cyrillic_texts.append((i, j, cyrillic))
    if cyrillic_texts:
        counts = _non_russian_letters([read[j] for _, j, _ in cyrillic_texts])
        for (i, _, cyrillic), count in zip(cyrillic_texts, counts):
            if _enough_other_cyrillic(count, cyrillic):
                out[i] = None
    return out


def _read_as(classes: bytes, languages: tuple[str, ...], english: str | None, count_other: bool) -> tuple[str | None, int, int]:
    """The language one text's letter classes (see ``_BYTE_CLASS``) give, before the check
    of letters Russian does not have; with its Cyrillic letters and how many of them Russian
    does not have (counted only with ``count_other``: none when the batch has none)."""
    other_cyrillic = classes.count(b"x") if count_other else 0
    cyrillic, latin, n_letters = classes.count(b"c") + other_cyrillic, classes.count(b"l"), len(classes)
    if n_letters < 3:
        return english, cyrillic, other_cyrillic
    if 2 * (n_letters - cyrillic - latin) > n_letters:  # mostly another script
        return None, cyrillic, other_cyrillic
    language = "ru" if cyrillic > latin else "en"
    return (language if language in languages else None), cyrillic, other_cyrillic


def _enough_other_cyrillic(count: int, cyrillic: int) -> bool:
    """Whether ``count`` letters Russian does not have, of ``cyrillic`` Cyrillic ones, make a
    text another Cyrillic language's."""
    return count >= max(_NON_RUSSIAN_MIN, _NON_RUSSIAN_SHARE * cyrillic)


# The words of a Kazakh date that hold letters Russian does not have ("2025 жылғы 12
# желтоқсан"): a Russian statement may quote a date so, and the date reader reads it.
_KAZAKH_DATE_WORDS = ("жылғы", "қаңтар", "ақпан", "сәуір", "шілде", "қыркүйек", "қазан", "қараша", "желтоқсан")
_DATE_REACH = 12  # characters around such a word in which a digit makes it part of a date
_DATE_WORD_SPAN = max(map(len, _KAZAKH_DATE_WORDS)) + 1  # the longest such word and a space after it


def _in_common_word(text: str, at: int) -> bool:
    """Whether the letter at ``at`` is in a word that opens in lower case (not a name) and is
    not a word of a Kazakh date next to its figures.

    Examples
    --------
    >>> text = "2025 жылғы 12 желтоқсан в Астане прошло совещание"
    >>> _in_common_word(text, text.index("ғ")), _in_common_word("жылғы итоги", 3)
    (False, True)
    """
    start = at
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "-"):
        start -= 1
    if not text[start].islower():
        return False
    if text.startswith(_KAZAKH_DATE_WORDS, start):
        near = text[max(0, start - _DATE_REACH) : start + _DATE_WORD_SPAN + _DATE_REACH]
        if any(c.isdigit() for c in near):
            return False
    return True


def _non_russian_letters(texts: list[str]) -> list[int]:
    """How many Cyrillic letters that Russian does not have each text holds in its common
    words (one scan of the texts joined; most hold none)."""
    joined = "\x00".join(texts)
    counts = [0] * len(texts)
    matches = [m.start() for m in _NON_RUSSIAN_CYRILLIC.finditer(joined) if _in_common_word(joined, m.start())]
    if matches:
        starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        for at in matches:
            counts[bisect.bisect_right(starts, at) - 1] += 1
    return counts


def likely_cyrillic_languages(letters) -> list[str]:
    """The languages whose alphabet has every one of ``letters`` (Cyrillic letters Russian
    does not have); if none has them all, those that have any, most letters first.

    Examples
    --------
    >>> likely_cyrillic_languages(["ў", "қ"])
    ['Uzbek']
    >>> likely_cyrillic_languages(["Қ", "і", "ө"])
    ['Kazakh']
    >>> likely_cyrillic_languages(["ң", "ө"])
    ['Kazakh', 'Kyrgyz']
    >>> likely_cyrillic_languages(["ї", "ў"])
    ['Uzbek', 'Ukrainian', 'Belarusian']
    """
    lower = {letter.lower() for letter in letters}
    every = [name for name, alphabet in _OTHER_CYRILLIC_ALPHABETS.items() if lower <= set(alphabet)]
    if every:
        return every
    shared = {name: len(lower & set(alphabet)) for name, alphabet in _OTHER_CYRILLIC_ALPHABETS.items()}
    return sorted((name for name, n in shared.items() if n), key=lambda name: -shared[name])


def non_russian_cyrillic(text: str) -> list[str]:
    """The distinct Cyrillic letters that Russian does not have in the common words of
    ``text`` (those that open in lower case), in order of appearance: why a Cyrillic
    statement is not read as Russian (see :func:`detect_language`).

    Examples
    --------
    >>> non_russian_cyrillic("Қазақстан Республикасының ұлттық комитеті")
    ['ұ', 'қ', 'і']
    >>> non_russian_cyrillic("Комитет провел совещание, сообщил Қасым-Жомарт Тоқаев.")
    []
    """
    text = text[:_LETTERS_READ]
    found = (m.group() for m in _NON_RUSSIAN_CYRILLIC.finditer(text) if _in_common_word(text, m.start()))
    return list(dict.fromkeys(found))


def other_cyrillic_bulletin(texts: list[str], languages: tuple[str, ...] = LANGUAGES) -> tuple[list[str], int, int] | None:
    """``(letters, foreign, cyrillic)`` when the statements ``texts`` of one bulletin are in a
    Cyrillic language other than Russian: more than half of its ``cyrillic`` statements
    (``foreign`` of them, two at least) are not read as Russian for the letters Russian does
    not have in their common words (:func:`detect_languages`), or, read as Russian, have one
    in a name; ``letters`` are those of the common words, in order of appearance. None for a Russian bulletin, also one that quotes a
    paragraph of Kazakh, and at once (one search) for a bulletin with no such letter.

    Statement by statement, a short one of a Ukrainian or Belarusian bulletin has too few of
    those letters to tell ("Мінск, 22 верасня 2025 года", "Служба безпеки України провела
    засідання") and was scored as Russian noise; the bulletin tells (see
    :func:`reads_as_other_cyrillic`).

    Examples
    --------
    >>> other_cyrillic_bulletin(["Учасники засідання обговорили питання захисту об'єктів.",
    ...                          "Було прийнято рішення посилити взаємодію.", "Служба безпеки провела нараду."])
    (['і', 'є'], 2, 3)
    >>> other_cyrillic_bulletin(["Совет провел заседание.", "Стороны обсудили угрозы."]) is None
    True
    """
    if "ru" not in languages or not _NON_RUSSIAN_CYRILLIC.search("\x00".join(texts)):
        return None
    read = detect_languages(texts, languages)
    cyrillic, foreign, leaning, letters = 0, 0, 0, {}
    for text, language in zip(texts, read):
        found = non_russian_cyrillic(text) if language is None else []
        if language == "ru" or found:
            cyrillic += 1
        if found:
            foreign += 1
            letters.update(dict.fromkeys(found))
        elif language == "ru" and _NON_RUSSIAN_CYRILLIC.search(text, 0, _LETTERS_READ):
            leaning += 1  # such a letter in a name only ("Служба безпеки України ...")
    if foreign < 2 or 2 * (foreign + leaning) <= cyrillic:
        return None
    return list(letters), foreign, cyrillic


def reads_as_other_cyrillic(text: str, known_word) -> bool:
    """Whether ``text``, read as Russian on its own, belongs to the other Cyrillic language of
    its bulletin (see :func:`other_cyrillic_bulletin`): it holds a letter Russian does not
    have, in a name too ("Мінск", "України"), or most of its words (two at least) are unknown
    to the model (``known_word(word) -> bool``), as "Учасники наради обговорили питання" are.

    Examples
    --------
    >>> known = {"совет", "провел", "заседание"}.__contains__
    >>> reads_as_other_cyrillic("Мінск, 22 верасня 2025 года", known)
    True
    >>> reads_as_other_cyrillic("Учасники наради обговорили питання.", known)
    True
    >>> reads_as_other_cyrillic("Совет провел заседание.", known)
    False
    """
    from themes.text import statement_words

    text = text[:_LETTERS_READ]
    if _NON_RUSSIAN_CYRILLIC.search(text):
        return True
    words = [w for w in statement_words(text) if w.isalpha() and len(w) > 1 and _CYRILLIC.match(w)]
    unknown = sum(not known_word(w) for w in words)
    return len(words) >= 2 and 2 * unknown > len(words)


def _joined_letters(texts: list[str]) -> bytes:
    """The script class of every letter of ``texts`` (see ``_BYTE_CLASS``), texts joined by ``|``."""
    return "\x00".join(texts).encode(_CODE_PAGE, "themes.letters").translate(_BYTE_CLASS, _NOT_LETTERS)
