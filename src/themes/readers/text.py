"""Plain text and Markdown: encoding detection and streamed decoding.

The encoding is chosen once per file, then the file is decoded block by block:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. otherwise, if the whole file is valid UTF-8 (checked in one streamed pass), UTF-8; so is a
   file of UTF-8 with a few stray bytes of another code page (they become U+FFFD);
3. otherwise, when the non-ASCII bytes come in runs (whole words) that read as Cyrillic,
   windows-1251, KOI8-R, cp866 (DOS), MacCyrillic or cp1125 (Ukrainian DOS), whichever reads
   them as Russian words as they are written, of the more frequent Russian letters (CIS
   archives hold them all; see :func:`_cyrillic_codec` for what tells them apart, and the
   few words that cannot be);
4. otherwise charset-normalizer (the ``encoding`` extra) guesses from the first MiB (its
   cp1125 is recorded as cp866 when the text holds none of the 8 bytes they differ in);
5. without it (or when it gives up) a heuristic: windows-1251 when most non-ASCII bytes
   decode to Cyrillic letters, else windows-1252.

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
        return "windows-1251"
    return "windows-1252"


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


def _words(text: str, limit: int | None = None) -> tuple[int, str]:
    """``(misread, letters)``: how many characters of the non-ASCII runs of ``text`` (the
    words of a Russian text) are no Russian word as written, and the letters of the words
    of two letters or more.

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
    return misread, "".join(letters)


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
    more, then the one whose letters are the more frequent in Russian, then the more
    common code page (the order of :data:`_CYRILLIC_CODECS`).

    The pages differ so that a text read in the wrong one shows it. windows-1251 and KOI8-R
    swap the cases ("гЕНЕРАЛЬНЫЙ"; a text of small letters only reads as capitals in the
    other, and the letters' frequencies decide). cp866 and cp1125 put half the small
    letters where windows-1251 and KOI8-R hold box-drawing characters and signs; they
    differ from each other in 8 bytes only (0xF2-0xF9: "Є", "°" ... in cp866, the Ukrainian
    "Ґ", "І", "Ї" ... in cp1125), so Russian text is cp866, and it is recorded so.

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
        misread, words = _words(head.decode(codec, errors="replace"), limit)
        # A few words of rare letters ("выявляют") are Russian too when all read as words.
        if (words and not misread) or -minus_score >= _MIN_RUSSIAN_SCORE:
            candidates.append((misread, -len(words), -_russian_score(Counter(words)), order, name))
    return min(candidates)[-1] if candidates else None


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
    if _mostly_utf8(sample):
        return "utf-8"
    cyrillic = _cyrillic_codec(sample)
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
