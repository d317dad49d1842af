"""Plain text and Markdown: encoding detection and streamed decoding.

The encoding is chosen once per file, then the file is decoded block by block:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. otherwise, if the whole file is valid UTF-8 (checked in one streamed pass), UTF-8; so is a
   file of UTF-8 with a few stray bytes of another code page (they become U+FFFD), unless
   every non-ASCII run reads as a Russian word in a Cyrillic code page (a few words of cp866
   pair into UTF-8 characters as often as not);
3. otherwise, when the non-ASCII bytes come in runs (whole words) that read as Cyrillic,
   windows-1251, KOI8-R, cp866 (DOS), MacCyrillic, cp1125 (Ukrainian DOS) or KOI8-U,
   whichever reads them as Russian words as they are written, of the likelier pairs of
   Russian letters (CIS archives hold them all; see :func:`_cyrillic_codec` for what tells
   them apart, and the few words that cannot be). A reading whose letter pairs Russian
   hardly has is none: Greek in windows-1253, whose letters sit at the bytes of Cyrillic ones;
4. otherwise charset-normalizer (the ``encoding`` extra) guesses from the first MiB (its
   cp1125 is recorded as cp866 when the text holds none of the 8 bytes they differ in);
5. without it (or when it gives up) a heuristic: windows-1251 when most non-ASCII bytes
   decode to Cyrillic letters (windows-1253 when they are Greek words there, accented as
   Greek is, and no Cyrillic text in windows-1251), else windows-1252.

A file with NUL bytes and no UTF-16/32 mark is UTF-16 when its NUL bytes are all on one
side of its characters and it decodes to letters and white space (exports written without a
mark), else refused: as a PDF, RTF document, web page or old Word file when it opens as one
(a PDF saved as .txt; :mod:`themes.readers.formats`), else as binary. A text file that
opens as one of them is refused as it too.

A file hard-wrapped at a fixed width (a bulletin saved from e-mail or a wire feed, its
lines cut at 70-80 columns) is marked ``wrapped`` (:func:`themes.segment.looks_hard_wrapped`
of its first :data:`WRAP_SAMPLE_CHARS` characters), so that a statement's text reads as one
line as a PDF's does; its offsets still index the file's text. A file of one statement per
line, bullet lists and tables keep their line breaks. A Markdown file's text is given as
written; archive scoring segments it with ``markdown=True``, so that its statements read
without inline markup (:func:`themes.segment.plain_markdown`). Its YAML front matter
("---", "title: ...", "date: ...", "---", as static sites export posts) is metadata: its date
and title are the document's, and its characters are read as spaces, so that offsets
still index the file's text. A form feed (a page break, as pdftotext writes one) is read as a
space, so that a sentence running over it stays one.

Examples
--------
>>> detect_encoding_bytes("Совещание в Минске".encode("windows-1251"))
'windows-1251'
>>> detect_encoding_bytes("Совещание в Минске".encode("koi8-r"))
'koi8-r'
>>> detect_encoding_bytes("Совещание в Минске".encode("cp866")), detect_encoding_bytes("Совещание в Минске".encode("mac-cyrillic"))
('cp866', 'mac-cyrillic')
>>> detect_encoding_bytes(b"plain ascii"), detect_encoding_bytes("caf\\u00e9".encode("utf-8"))
('utf-8', 'utf-8')
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from themes.errors import DocumentError
from themes.readers.formats import opens_as

__all__ = [
    "BLOCK_BYTES",
    "WRAP_SAMPLE_CHARS",
    "cyrillic_misread",
    "decode_bytes",
    "detect_encoding",
    "detect_encoding_bytes",
    "encoding_name",
    "iter_decoded",
    "read_text_document",
]

#: Bytes read at a time when decoding a file.
BLOCK_BYTES = 1 << 20
_SAMPLE_BYTES = 1 << 20
#: Characters at the start of a text file read to tell whether its lines are hard-wrapped.
WRAP_SAMPLE_CHARS = 64 * 1024

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Python codec names -> the names people know them by.
_FRIENDLY = {
    "cp1251": "windows-1251",
    "cp1252": "windows-1252",
    "cp1250": "windows-1250",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1256": "windows-1256",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "koi8-r": "koi8-r",
    "koi8-u": "koi8-u",
    "iso8859-5": "iso-8859-5",
    "latin-1": "iso-8859-1",
    "iso8859-1": "iso-8859-1",
    "mac-cyrillic": "mac-cyrillic",
}


def encoding_name(name: str) -> str:
    """The name people know an encoding by, for any name or alias Python knows.

    Examples
    --------
    >>> encoding_name("cp1251"), encoding_name("KOI8_R"), encoding_name("no-such-codec")
    ('windows-1251', 'koi8-r', 'no-such-codec')
    """
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return name
    return _FRIENDLY.get(canonical, canonical)


def _bom_encoding(head: bytes) -> str | None:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def _heuristic(sample: bytes) -> str:
    """windows-1251 when the non-ASCII bytes read as Cyrillic words there, else windows-1252.

    Cyrillic text is made of runs of high bytes (whole words); accented Latin letters
    stand alone between ASCII ones. So most high bytes must decode to Cyrillic letters
    and most must sit next to another high byte.
    """
    high = [i for i, b in enumerate(sample) if b >= 0x80]
    if not high:
        return "utf-8"
    decoded = bytes(sample[i] for i in high).decode("cp1251", errors="replace")
    cyrillic = sum(1 for ch in decoded if "\u0400" <= ch <= "\u04ff")
    last = len(sample) - 1
    in_runs = sum(1 for i in high if (i > 0 and sample[i - 1] >= 0x80) or (i < last and sample[i + 1] >= 0x80))
    if cyrillic >= 0.6 * len(high) and in_runs >= 0.5 * len(high):
        return "windows-1253" if _reads_as_greek(sample) else "windows-1251"
    return "windows-1252"


# Greek letters, and the small ones that carry an accent (tonos): in monotonic Greek, as
# written since 1982, every word of two syllables or more carries one.
_GREEK_LETTERS = re.compile("[\u0386\u0388-\u03ce]+")
_GREEK_ACCENTED = frozenset("\u03ac\u03ad\u03ae\u03af\u03cc\u03cd\u03ce\u0386\u0388\u0389\u038a\u038c\u038e\u038f")


def _reads_as_greek(sample: bytes) -> bool:
    """Whether ``sample`` is Greek in windows-1253 rather than Cyrillic in windows-1251,
    which put their letters at the same bytes.

    Read in windows-1253, the words of four letters or more must mostly carry one accent
    each, a final sigma ("ς") only at their end; read in windows-1251, the text must be no
    Cyrillic (its letter pairs cost more than :func:`_max_plausible_cost`). Russian read in
    windows-1253 shows accents where it has "ь", "э", "ю" and final sigmas for its "т".
    A text of Greek capitals alone (no accents) is not told so.

    Examples
    --------
    >>> _reads_as_greek("Η συνεδρίαση πραγματοποιήθηκε στην Αθήνα.".encode("cp1253"))
    True
    >>> _reads_as_greek("Заседание состоялось в Минске.".encode("cp1251"))
    False
    """
    if not _greek_words(sample):
        return False
    cost, pairs = _bigram_cost(sample.decode("cp1251", errors="replace"))
    return cost > _max_plausible_cost(pairs)


def _greek_words(sample: bytes) -> bool:
    """Whether the words of four letters or more of ``sample`` read in windows-1253 are
    Greek words as written: most carry one accent, a final sigma only at their end."""
    words = [word for word in _GREEK_LETTERS.findall(sample.decode("cp1253", errors="replace")) if len(word) >= 4]
    if not words:
        return False
    accented_once = sum(1 for word in words if sum(ch in _GREEK_ACCENTED for ch in word) == 1)
    inner_final_sigmas = sum(word[:-1].count("\u03c2") for word in words)
    return accented_once >= 0.6 * len(words) and inner_final_sigmas <= 0.05 * len(words)


# How often each Russian letter occurs in running text (per 1,000 letters), the
# fingerprint that tells windows-1251 from KOI8-R: the same bytes read in the wrong one
# give rare letters.
_RUSSIAN_LETTER_FREQUENCY = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
    [110, 85, 80, 74, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 17, 17, 17, 16, 14,
     12, 10, 9, 7, 6, 5, 4, 3, 3, 1, 1],
))
# The single-byte code pages of Russian text, in the order a tie goes (the most common first).
_CYRILLIC_CODECS = (
    ("cp1251", "windows-1251"),
    ("koi8-r", "koi8-r"),
    ("cp866", "cp866"),
    ("mac-cyrillic", "mac-cyrillic"),
    ("cp1125", "cp1125"),
    ("koi8-u", "koi8-u"),  # KOI8-R but for 8 bytes: Ukrainian "і", "ї", "є", "ґ" where KOI8-R has box lines
)
# A word as written: small letters, a capital then small letters, or capitals; Russian
# letters, and the Ukrainian ones (і, ї, є, ґ), which tell cp1125 (cp866 for Ukrainian) apart.
_RUSSIAN_WORD = re.compile(
    "[\u0410-\u042f\u0401\u0406\u0407\u0404\u0490]?[\u0430-\u044f\u0451\u0456\u0457\u0454\u0491]+"
    "|[\u0410-\u042f\u0401\u0406\u0407\u0404\u0490]+"
)
# Words of one letter ("в", "с", "и", "К ..." opening a sentence); any other letter alone is
# an initial or an abbreviation only before a full stop ("В. В.", "г.").
_ONE_LETTER_WORDS = "\u0430\u0438\u043e\u0443\u044f\u0432\u043a\u0441\u0410\u0418\u041e\u0423\u042f\u0412\u041a\u0421"
# What a capital opening a sentence comes after (past spaces): a line break, the end of a
# sentence, a dash or a quote.
_SENTENCE_OPENERS = "\r\n.!?\u2026\u2013\u2014\u00ab\u201e\u201c\"'("
# Marks that may open or close a word without being part of it (quotes, an ellipsis, a non-breaking space).
_OPENING_MARKS = "\u00ab\u201e\u201c\u2018\u00a0"
_CLOSING_MARKS = "\u00bb\u201c\u201d\u2019\u2026\u00a0"
# Marks that stand alone in a text: dashes, quotes, "№", "§", a degree sign, a bullet.
_MARKS = "\u2013\u2014\u2116\u00a7\u00b0\u2022" + _OPENING_MARKS + _CLOSING_MARKS
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")
_LATIN_LETTER = re.compile("[A-Za-z]")
_HIGH_RUN = re.compile(b"[\x80-\xff]+")
# The bytes cp1125 reads otherwise than cp866 (its Ukrainian letters; cp866's "Є", "°" ...).
_CP1125_OWN_BYTES = re.compile(b"[\xf2-\xf9]")
# Bytes read to choose among the Cyrillic code pages (words enough, at a bounded cost).
_CODEC_SAMPLE_BYTES = 16 * 1024


# Below this mean frequency per letter the bytes are not Russian words in that code page
# (running Russian text averages about 55; letters drawn at random, 30).
_MIN_RUSSIAN_SCORE = 35


def _russian_score(counts: dict[str, int]) -> float:
    """The mean frequency in Russian of the letters counted in ``counts`` (character ->
    how often; case ignored)."""
    letters = sum(n for ch, n in counts.items() if ch.isalpha())
    weight = sum(n * _RUSSIAN_LETTER_FREQUENCY.get(ch.lower(), 0) for ch, n in counts.items())
    return weight / letters if letters else 0.0


# What a pair of letters costs in Russian: row, a letter (" ": a word's start); column, the
# letter after it (" ": the word's end); the cost, a hexadecimal digit, is -log2 of how often
# the column's letter follows the row's, rounded and at most 15 (from the 417,151 letter
# pairs of the Russian statements of training/corpus, releases 2025.1 to 2026.3). The same
# bytes read in another code page give pairs Russian rarely has ("бжмэ"), whatever the
# frequency of each letter alone, which was all that told "город" in windows-1251 from
# "ЦНПНД", its bytes read in KOI8-R (a word in twenty was read in the wrong one).
_BIGRAM_LETTERS = " абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_BIGRAM_COSTS = (
    "f553557f854e475443435578758ffff7a9",  # ' '
    "3f55757a75875443d64449755787fff966",  # 'а'
    "44c9dc39995db3652a45d5d8cd8454dd97",  # 'б'
    "239ad839f64f6565397677fcc868a4bef7",  # 'в'
    "4388e65eee4e74a71e3be6eeeecee6ebee",  # 'г'
    "52b668276a3f65843754b4b9879fb6bdf7",  # 'д'
    "3876547965b5545387344c977687ffffa8",  # 'е'
    "3a8889aa49aa9441a84a2aa5aaaaaaaaaa",  # 'ё'
    "73487325cc2c9cb369aac6ccc9cccc8ccc",  # 'ж'
    "3165746b9c4e86553c56b6eeabee65aeb8",  # 'з'
    "2785775c9445446468544e956599ffff64",  # 'и'
    "0dddd7bdddbd7bb66a936dddb87ddddddb",  # 'й'
    "43778f5f793f96962b4544ff8cbff7fffd",  # 'к'
    "43ffad298f2f77963dc895dffafff73f64",  # 'л'
    "2387ce2aee2e886646e6e5aeeaeee58eb7",  # 'м'
    "538a7649ca2f7ba43aa6466b7beaf38ec6",  # 'н'
    "3a53446d7685544465344a988779fffab8",  # 'о'
    "74fbff3cfc5fb5f7252875bfbcfff68ff8",  # 'п'
    "6288573a7f3f6a662a5564bcab8cf57cc6",  # 'р'
    "46769b49ff5f447534652599b9afc76fe5",  # 'с'
    "43a3e93aff3f6b753b35d59ea9ffe54cb8",  # 'т'
    "3757637e36ba4565e4445e97b366eeee49",  # 'у'
    "75bb4b3bbb2bb47b2b54577bbbbbb8bbbb",  # 'ф'
    "05d7da8ddd7dd9d63d55daddddaddddddd",  # 'х'
    "45a9cc2ccc1c9cca87b5c6ccccccc5cccc",  # 'ц'
    "82dcdd16dd3d75d4cc7946dddd9ddd7ddd",  # 'ч'
    "84c9cc27cc2c43c54c7947c9ccccc98cac",  # 'ш'
    "c3cccc24cc1cccc9ccacc6cccccccc5ccc",  # 'щ'
    "9999991499999999999999999999999992",  # 'ъ'
    "2ea4b73ee6e57648e8555ee2e96ceeeee5",  # 'ы'
    "1d6b7b69d47d6d72ddd46dab8b6adddd57",  # 'ь'
    "7a7578aaaaaa1363a7462a6aaa8aaaaaaa",  # 'э'
    "1c7c95cc78ccaa87cc782ccc94c2cccc8c",  # 'ю'
    "1d74a57d85daa557dc873dd576d6dddd6b",  # 'я'
)
_BIGRAM_COST = {
    first + second: int(cost, 16)
    for first, row in zip(_BIGRAM_LETTERS, _BIGRAM_COSTS)
    for second, cost in zip(_BIGRAM_LETTERS, row)
}
# A pair with a letter Russian does not have (Ukrainian "і", "ї", "є", "ґ"; Belarusian "ў"):
# rare in Russian, common in the languages it is read for (they stay readable, at a cost).
_UNKNOWN_BIGRAM_COST = 8
_CYRILLIC_LETTERS = re.compile("[\u0400-\u045f\u0490-\u04ff]+")  # letters (U+0460-U+048F: old signs, marks)
# Russian reads at about 3.6 (statements: 3.4 to 4.0), Ukrainian and Bulgarian at 4 to 4.5,
# Belarusian at 5; Russian bytes read in the wrong code page at about 7.7 and Greek
# (windows-1253) read in any Cyrillic one at 6 to 7. Above :func:`_max_plausible_cost` a
# reading is no Cyrillic text.
_PLAUSIBLE_COST = 5.4
_SHORT_TEXT_ALLOWANCE = 4.0


def _bigram_cost(text: str) -> tuple[float, int]:
    """``(mean cost, pairs)``: the mean cost in Russian (:data:`_BIGRAM_COSTS`) of the letter
    pairs of the Cyrillic words of ``text``, a word's start and end included, case ignored;
    ``(0.0, 0)`` for none. Every run of Cyrillic letters counts, a word as written or not
    (Greek read in KOI8-R is mostly no word, and what is costs little: "ТОУ").

    Examples
    --------
    >>> round(_bigram_cost("город")[0], 1), round(_bigram_cost("ЦНПНД")[0], 1)  # windows-1251 bytes read in KOI8-R
    (3.3, 7.5)
    """
    total = pairs = 0
    for word in _CYRILLIC_LETTERS.findall(text):
        word = f" {word.lower()} "
        pairs += len(word) - 1
        total += sum(_BIGRAM_COST.get(word[i : i + 2], _UNKNOWN_BIGRAM_COST) for i in range(len(word) - 1))
    return (total / pairs, pairs) if pairs else (0.0, 0)


def _max_plausible_cost(pairs: int) -> float:
    """The highest mean pair cost (:func:`_bigram_cost`) of a Cyrillic text of ``pairs``
    letter pairs: :data:`_PLAUSIBLE_COST` for a page, more for a few words, whose mean
    varies more ("выявляют" costs 4.6, "подъезд" 6)."""
    return _PLAUSIBLE_COST + _SHORT_TEXT_ALLOWANCE / max(pairs, 1) ** 0.5


def _words(text: str, limit: int | None = None) -> tuple[int, list[str]]:
    """``(misread, words)``: how many characters of the non-ASCII runs of ``text`` (the
    words of a Russian text) are no Russian word as written, and the words of two letters
    or more.

    A run is a word when, past the quotes or the ellipsis around it, it is Russian letters
    in one of the cases words are written in (small, capitalised, capitals), no Latin letter
    next to it (accented letters of a Latin word read as Cyrillic ones), and a single
    letter only where one is a word (a capital only opening a sentence: "12 С" is "12 —"
    read in another code page) or before a full stop (an initial). A run of marks
    alone counts for nothing when they are marks that stand alone in a text (a dash, "№",
    quotes), else as misread ("‚" or "¬" alone is a capital read in another code page).
    A word of one letter gives no letters: a dash read in another code page is one ("—"
    in MacCyrillic is "С" in windows-1251). Past ``limit`` misread characters, the count
    stops (the reading has lost to another already).
    """
    misread = 0
    letters = []
    for found in _NON_ASCII_RUN.finditer(text):
        run = found.group()
        core = run.lstrip(_OPENING_MARKS).rstrip(_CLOSING_MARKS)
        if _LATIN_LETTER.match(text, found.end()) or (found.start() and _LATIN_LETTER.match(text, found.start() - 1)):
            misread += len(run)  # part of a Latin word: accented letters ("Grüße"), no Cyrillic word
        elif not any(ch.isalpha() for ch in core):
            if run.strip(_MARKS):
                misread += len(run)
        elif not _RUSSIAN_WORD.fullmatch(core):
            misread += len(run)
        elif len(core) > 1:
            letters.append(core)
        elif not (text.startswith(".", found.end()) or _one_letter_word(text, found.start(), core)):
            misread += 1
        if limit is not None and misread > limit:
            break
    return misread, letters


def _one_letter_word(text: str, start: int, letter: str) -> bool:
    """Whether ``letter``, alone at ``start`` of ``text`` (no full stop after it), is a word:
    "в", "с", "и" ..., or one of them as a capital opening a sentence ("В ходе ..."), or "Я"."""
    if letter not in _ONE_LETTER_WORDS:
        return False
    if letter.islower() or letter == "\u042f":
        return True
    before = start - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return before < 0 or text[before] in _SENTENCE_OPENERS


def _cyrillic_codec(sample: bytes) -> str | None:
    """windows-1251, KOI8-R, cp866, MacCyrillic or cp1125 when the non-ASCII bytes of
    ``sample`` are Russian (or Ukrainian) words, else None.

    Cyrillic text is made of runs of high bytes (whole words), where accented Latin
    letters stand alone between ASCII ones. Each code page that reads most of those bytes
    as Cyrillic letters, of Russian frequencies (or all as words), is a candidate; the one
    that reads the fewest characters of the first :data:`_CODEC_SAMPLE_BYTES` as no word
    wins (:func:`_words`), then the one that reads more letters as words of two letters or
    more, then the one whose pairs of letters are the likelier in Russian
    (:func:`_bigram_cost`), then the more common code page (the order of
    :data:`_CYRILLIC_CODECS`). A reading whose letter pairs cost more than
    :func:`_max_plausible_cost` is no candidate (Greek in windows-1253 read in KOI8-R).

    The pages differ so that a text read in the wrong one shows it. windows-1251 and KOI8-R
    swap the cases ("гЕНЕРАЛЬНЫЙ"; a text of small letters only reads as capitals in the
    other, and the pairs of letters decide: "более" in windows-1251 is "АНКЕЕ" in KOI8-R).
    cp866 and cp1125 put half the small letters where windows-1251 and KOI8-R hold
    box-drawing characters and signs; they differ from each other in 8 bytes only
    (0xF2-0xF9: "Є", "°" ... in cp866, the Ukrainian "Ґ", "І", "Ї" ... in cp1125), so Russian
    text is cp866, and it is recorded so; KOI8-U is KOI8-R but for 8 bytes of Ukrainian
    letters in the same way.

    MacCyrillic is windows-1251 but for the capitals, "я", "ё" and "Ё". Its capitals
    (0x80-0x9F) are Serbian letters, quotes and dashes in windows-1251 ("Минск" reads
    "Њинск", "Совещание" "‘овещание", "В ходе" "‚ ходе"), and its "я", "ё", "Ё" (0xDF, 0xDE,
    0xDD) are "Я", "Ю", "Э" there ("состоялось" reads "состоЯлось"); windows-1251 capitals
    are signs in MacCyrillic ("¬ ходе", "Ћинск") and its "я" is "€". So either read in the
    other misreads any text with a capital (the one left a quote, "‘овещание", loses a
    letter to it) or with "я" or "ё" inside a word. A text without them is the same text in
    both (small letters, no "я" nor "ё": "в городе"), or differs only in a "я" or "ё"
    opening a word, which windows-1251 reads as a capital ("язык": "Язык"), and is taken as
    windows-1251: a few words, never a paragraph, which has capitals. A text of capitals
    alone is the same in MacCyrillic and cp866, and is recorded as cp866.
    """
    runs = _HIGH_RUN.findall(sample)
    if not runs:
        return None
    high = Counter(b"".join(runs))  # high byte -> how often (counted in C)
    total = sum(high.values())
    if sum(len(run) for run in runs if len(run) > 1) < 0.5 * total:
        return None
    readings = []
    for order, (codec, name) in enumerate(_CYRILLIC_CODECS):
        read = Counter()  # character -> how often, as this code page reads the high bytes
        for char, n in zip(bytes(high).decode(codec, errors="replace"), high.values()):
            read[char] += n
        if sum(n for char, n in read.items() if "\u0400" <= char <= "\u04ff") >= 0.6 * total:
            readings.append((-_russian_score(read), order, codec, name))
    head = sample[:_CODEC_SAMPLE_BYTES]
    candidates = []
    for minus_score, order, codec, name in sorted(readings):  # the likeliest first: the others stop early
        limit = min(candidates)[0] if candidates else None
        text = head.decode(codec, errors="replace")
        misread, words = _words(text, limit)
        cost, pairs = _bigram_cost(text)
        if pairs and cost > _max_plausible_cost(pairs):
            continue  # not Cyrillic words in this code page: Greek in KOI8-R, say
        # A few words of rare letters ("выявляют") are Russian too when all read as words.
        if (words and not misread) or -minus_score >= _MIN_RUSSIAN_SCORE:
            candidates.append((misread, -sum(map(len, words)), cost, order, name))
    return min(candidates)[-1] if candidates else None


def cyrillic_misread(data: bytes, text: str, declared: str) -> str | None:
    """The Cyrillic code page that reads ``data`` as Russian when its declared encoding
    (``declared``, which decoded it to ``text``) reads its Russian words as no words; None
    when the declaration stands.

    A web page's ``<meta charset>`` is often wrong: a windows-1251 page declared KOI8-R or
    ISO-8859-1 decodes without error (every byte is a character in those pages), and every
    Russian word comes out garbled. The code page :func:`_cyrillic_codec` finds wins when it
    reads fewer characters of the sample as no Russian word (:func:`_words`) than the
    declared one; a tie keeps the declaration.

    Examples
    --------
    >>> data = "Заседание Совета министров прошло в Ереване.".encode("cp1251")
    >>> cyrillic_misread(data, data.decode("koi8-r"), "koi8-r")
    'windows-1251'
    >>> cyrillic_misread(data, data.decode("cp1251"), "windows-1251") is None
    True
    """
    sample = data[:_SAMPLE_BYTES]
    detected = _cyrillic_codec(sample)
    if detected is None or encoding_name(detected) == encoding_name(declared):
        return None
    as_declared = _words(text[:_CODEC_SAMPLE_BYTES])[0]
    as_detected = _words(sample[:_CODEC_SAMPLE_BYTES].decode(codecs.lookup(detected).name, errors="replace"))[0]
    return encoding_name(detected) if as_detected < as_declared else None


def _all_words(sample: bytes, encoding: str) -> bool:
    """Whether every non-ASCII run of the first :data:`_CODEC_SAMPLE_BYTES` of ``sample``,
    read in ``encoding``, is a Russian word as written (:func:`_words`)."""
    return _words(sample[:_CODEC_SAMPLE_BYTES].decode(codecs.lookup(encoding).name, errors="replace"), 0)[0] == 0


def _mostly_utf8(sample: bytes) -> bool:
    """True when ``sample``, not valid UTF-8, is UTF-8 with a few stray bytes of another code
    page (a non-breaking space or a dash pasted in from windows-1251).

    Read in a single-byte code page instead, every non-ASCII letter of such a file came out
    wrong ("РЎРѕРІРµ..."). Text in a single-byte code page is almost never valid UTF-8 by
    accident: its non-ASCII bytes fail as UTF-8 far more often than they pair into a
    character. So a sample with at least as many well-formed non-ASCII UTF-8 characters as
    bytes that fail is UTF-8 (none failing: the stray bytes are past the sample); the stray
    bytes become U+FFFD, as in any undecodable text.
    """
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - invalid  # counted in C: fast
    return 0 < valid and invalid <= valid


def _guess(sample: bytes) -> str:
    cyrillic = _cyrillic_codec(sample)
    # cp866 puts "а"-"п" at UTF-8's continuation bytes and "р"-"я" at its leads, so a few
    # words of it pair into as many UTF-8 characters as they leave bytes astray ("атак":
    # "\ufffd\u282a"). Russian read as words throughout is no UTF-8 text with stray
    # bytes: UTF-8 letters read in a single-byte code page never all make words.
    if _mostly_utf8(sample) and not (cyrillic is not None and _all_words(sample, cyrillic)):
        return "utf-8"
    if cyrillic is not None:
        return cyrillic
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # the ``encoding`` extra is optional: fall back to the heuristic
        return _heuristic(sample)
    best = from_bytes(sample).best()
    if best is None or not best.encoding:
        return _heuristic(sample)
    guessed = encoding_name(best.encoding)
    if guessed == "cp1125" and not _CP1125_OWN_BYTES.search(sample):
        return "cp866"  # the same text: Russian written in DOS is cp866 (Ukrainian letters are cp1125's own)
    # Short Cyrillic samples are sometimes given to far-off code pages (big5 ...); when
    # windows-1251 reads more of the bytes as Cyrillic letters, it is the better guess.
    if guessed != "windows-1251" and _heuristic(sample) == "windows-1251":
        if _cyrillic(sample, codecs.lookup(best.encoding).name) < _cyrillic(sample, "cp1251"):
            return "windows-1251"
    return guessed


def _cyrillic(sample: bytes, codec: str) -> int:
    text = sample.decode(codec, errors="replace")
    return sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")


# Bytes of a file's start read to tell UTF-16 without a byte-order mark from binary data.
_UTF16_SAMPLE_BYTES = 64 * 1024


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head``, which holds NUL bytes, is UTF-16 text
    written without a byte-order mark (database and .NET exports), else None.

    In such text every character below U+0100 (spaces, digits, line breaks, Latin letters)
    has a NUL byte on the same side, and what it decodes to is letters and white space;
    binary data has its NUL bytes on both sides, or decodes to anything.
    """
    sample = head[: _UTF16_SAMPLE_BYTES & ~1]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 0.01 * len(sample) or min(even, odd) > 0.01 * max(even, odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:  # not final: a surrogate pair the sample cuts at its end waits, as in a stream
        text = codecs.getincrementaldecoder(codec)().decode(sample)
    except UnicodeDecodeError:  # a lone surrogate: not UTF-16
        return None
    readable = sum(1 for ch in text if ch.isalnum() or ch.isspace() or ch in ".,;:-()\"'«»—–№%/")
    return codec if readable >= 0.9 * len(text) else None


def _binary(head: bytes, path: Path | None = None):
    """Refuse a file with NUL bytes: as the format it opens as (a PDF saved as .txt holds
    NUL bytes in its streams), else as binary."""
    _other_format(head, path)
    where = f"{path}: " if path is not None else ""
    raise DocumentError(f"{where}looks like a binary file (NUL bytes and no UTF-16/32 byte-order mark)")


def detect_encoding_bytes(data: bytes) -> str:
    """The encoding of ``data`` (see the module docstring for the order of checks)."""
    bom = _bom_encoding(data[:4])
    if bom:
        return bom
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        _binary(data)
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return _guess(data[:_SAMPLE_BYTES])


def detect_encoding(path: str | Path) -> str:
    """The encoding of a file, read in blocks (memory stays bounded).

    Raises
    ------
    DocumentError
        The file cannot be read or looks binary.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
            bom = _bom_encoding(head[:4])
            if bom:
                return bom
            if b"\x00" in head:
                utf16 = _utf16_without_bom(head)
                if utf16:
                    return utf16
            decoder = codecs.getincrementaldecoder("utf-8")()
            block = head
            while block:
                if b"\x00" in block:
                    _binary(head, path)
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    return _guess(head)
                block = fh.read(BLOCK_BYTES)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return _guess(head)
            return "utf-8"
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a bytes object.

    Examples
    --------
    >>> decode_bytes("Бишкек".encode("windows-1251"))
    ('Бишкек', 'windows-1251')
    """
    encoding = detect_encoding_bytes(data)
    return data.decode(codecs.lookup(encoding).name, errors="replace"), encoding


def iter_decoded(path: str | Path, encoding: str) -> Iterator[str]:
    """The text of a file, decoded block by block (undecodable bytes become U+FFFD)."""
    decoder = codecs.getincrementaldecoder(codecs.lookup(encoding).name)(errors="replace")
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
                text = decoder.decode(block)
                if text:
                    yield text
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _sample(path: Path, encoding: str) -> str:
    """The first WRAP_SAMPLE_CHARS characters of the file, cut after their last full line."""
    chunks, size = [], 0
    with contextlib.closing(iter_decoded(path, encoding)) as decoded:  # the file is closed on return
        for chunk in decoded:
            chunks.append(chunk)
            size += len(chunk)
            if size >= WRAP_SAMPLE_CHARS:
                head = "".join(chunks)[:WRAP_SAMPLE_CHARS]
                return head[: head.rfind("\n") + 1] or head
    return "".join(chunks)


# YAML front matter at the very start of a Markdown file (Hugo, Jekyll and other static
# sites export posts so): "---", "key: value" lines, "---" (or "...").
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?=\r?\n|\Z)", re.DOTALL)
_YAML_LINE = re.compile(r"^(?:[ \t]+\S|-[ \t]|#|[\w.-]+[ \t]*:(?:[ \t]|$))")
_FRONT_FIELD = re.compile(r"^(title|date)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE | re.IGNORECASE)


def _front_matter(head: str) -> tuple[int, str | None, str | None]:
    """``(length, date, title)`` of the front matter ``head`` opens with; ``(0, None, None)`` if none."""
    found = _FRONT_MATTER.match(head)
    lines = [line for line in (found.group(1) or "").splitlines() if line.strip()] if found else []
    # A file that opens with a horizontal rule ("---") has no front matter: every line
    # between the two must read as YAML, else a first section would be blanked.
    if not lines or not all(_YAML_LINE.match(line) for line in lines):
        return 0, None, None
    from themes.dates import parse_date_field

    fields = {key.lower(): value.strip("\"'") for key, value in _FRONT_FIELD.findall(found.group(1) or "")}
    date = parse_date_field(fields["date"]) if fields.get("date") else None
    return found.end(), date, fields.get("title") or None


def _blank(text: str, length: int) -> str:
    """``text`` with its first ``length`` characters as spaces (line breaks kept): offsets unchanged."""
    return re.sub(r"[^\r\n]", " ", text[:length]) + text[length:]


def _blank_first(chunks, length: int) -> Iterator[str]:
    """The chunks of a file with its first ``length`` characters blanked (see :func:`_blank`)."""
    for chunk in chunks:
        if length > 0:
            blanked = _blank(chunk, length)
            length -= len(chunk)
            chunk = blanked
        yield chunk


def _other_format(head: str | bytes, path: Path | None = None) -> None:
    """Refuse a .txt or .md file that opens (``head``: its text, or its first bytes) as
    another format: a PDF, an RTF document, a web page (:func:`themes.readers.formats.opens_as`).

    Read as text, the PDF's objects and the RTF's control words were scored as statements
    (and a page's scripts and menus), without a word.
    """
    what = opens_as(head)
    if what is not None:
        where = f"{path}: " if path is not None else ""
        raise DocumentError(f"{where}not plain text but {what}")


# Control characters no text file holds (C0 and DEL; tab, line breaks, vertical tab, form
# feed and the DOS end-of-file mark ^Z are text). Binary data decoded in a one-byte code page
# gives about one in ten characters of them (27 byte values of 256).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
# A sample is refused as binary from this share of control characters (and this many): half
# what binary data gives, and well above a DOS text whose bullets are code page 437's 0x07
# or 0x10 (one a line, under 2%) or that marks paragraphs with its 0x15 (section sign).
_CONTROL_SHARE, _CONTROL_MIN = 0.05, 16


def _binary_text(sample: str, path: Path | None = None) -> None:
    """Refuse a .txt or .md file whose decoded start (``sample``) is littered with control
    characters: binary data without NUL bytes (a compressed or encrypted file renamed
    .txt), which any one-byte code page decodes.

    Read as text, its bytes were scored as statements of garbage, every one not scored
    (letters of no language), and the bulletin counted as scored, without a word.

    Examples
    --------
    >>> _binary_text("Drones were discussed.\x1a")
    >>> _binary_text("x\x11\x05" * 20)
    Traceback (most recent call last):
    ...
    themes.errors.DocumentError: looks like a binary file, not text (40 control characters in its first 60 characters)
    """
    found = len(_CONTROL.findall(sample))
    if found >= _CONTROL_MIN and found > _CONTROL_SHARE * len(sample):
        where = f"{path}: " if path is not None else ""
        raise DocumentError(
            f"{where}looks like a binary file, not text ({found} control characters in its first "
            f"{len(sample):,} characters)"
        )


def _without_page_breaks(text: str) -> str:
    """``text`` with its form feeds as spaces (offsets unchanged).

    pdftotext and older word processors put a form feed between pages, and a sentence that
    runs over the page break was cut in two there ("... facilities in the" / "region.");
    read as a space, the pages run on as a PDF's pages do (:mod:`themes.readers.pdf`).
    """
    return text.replace("\f", " ") if "\f" in text else text


def _file_chunks(path: Path, encoding: str, front: int) -> Iterator[str]:
    chunks = iter_decoded(path, encoding)
    return map(_without_page_breaks, _blank_first(chunks, front) if front else chunks)


def read_text_document(path: Path, kind: str = "txt", data: bytes | None = None):
    """A :class:`~themes.readers.Document` for a .txt or .md file.

    The document is ``wrapped`` when its first :data:`WRAP_SAMPLE_CHARS` characters
    look hard-wrapped (:func:`themes.segment.looks_hard_wrapped`). ``data``, the file's
    bytes when the caller has already read them all (a small file), is decoded instead of
    reading the file again.
    """
    from themes.readers import Document
    from themes.segment import looks_hard_wrapped

    if data is not None:
        try:
            text, encoding = decode_bytes(data)
        except DocumentError as exc:
            raise DocumentError(f"{path}: {exc}") from None
        _other_format(text, path)
        _binary_text(text[:WRAP_SAMPLE_CHARS], path)
        # A Markdown file's front matter is metadata, not statements: blanked, so that
        # offsets still index the file's text; its date and title are the metadata's.
        front, date, title = _front_matter(text) if kind == "md" else (0, None, None)
        text = _without_page_breaks(_blank(text, front) if front else text)
        return Document(
            bulletin=str(path),
            format=kind,
            chunks=lambda: [text],
            encoding=encoding,
            date=date,
            title=title,
            wrapped=looks_hard_wrapped(text[:WRAP_SAMPLE_CHARS]),
        )
    encoding = detect_encoding(path)
    sample = _without_page_breaks(_sample(path, encoding))
    _other_format(sample, path)
    _binary_text(sample, path)
    front, date, title = _front_matter(sample) if kind == "md" else (0, None, None)
    return Document(
        bulletin=str(path),
        format=kind,
        chunks=lambda: _file_chunks(path, encoding, front),
        encoding=encoding,
        date=date,
        title=title,
        wrapped=looks_hard_wrapped(_blank(sample, front) if front else sample),
    )
