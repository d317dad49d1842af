"""A bulletin's text -> statements with character offsets and lead-in context.

A bulletin is cut into statements the way a reader reads it:

* the **title** (a short first line without final punctuation) and the **dateline**
  ("Minsk, 14 May 2024", or "MINSK, 14 May 2024 -" before the first sentence; in Russian
  also the wire forms "МОСКВА, 17 ноября. /ТАСС/.", "АСТАНА. КАЗИНФОРМ –" and "МИНСК,
  3 марта (БелТА)."), and the English ones of the region's agencies ("ASTANA. KAZINFORM –",
  "MOSCOW, October 9 (TASS) -", and with the place in Title Case when the agency follows
  the date: "Bishkek, 17 November (Kabar) –"); dates are read by :mod:`themes.dates`. A dateline may be
  written in Markdown emphasis ("**MOSCOW, 28 November 2024** —", kept with its markers),
  and a first line right above a line that opens with a dateline before a capital is a
  title, in whatever case it is written (PDF text keeps no blank line between them). Below
  a press release's header block (title, subtitle, contact lines, symbol, date, headings:
  the lines above its first paragraph of running text, at most 40), a date line or a wire
  dateline is the dateline;
* **bullets**: lines starting with ``-``, ``–``, ``—``, ``•``, ``*``, ``1.``, ``1)``,
  ``a)``, ``(a)`` ... and a space (a glyph or dash may also be glued to the item's first
  letter, "•drones", and so may a number, "3)утвердили"), wrapped continuation lines included, and a line that lost its
  marker (it opens with a lower-case word right after a bullet ending in ``;``);
  a marker alone on its line ("•", "-", "—", "1.", "a)") is the marker of the line of text
  below it, as web pages copy a list ("The participants:" / "•" / "agreed on ...;"), and one
  below the title or the dateline, or above a blank line or the text's end, reads as a
  blank line;
* a line of separator marks only ("* * *", "----"), or a page number between dashes
  ("- 12 -"), divides paragraphs as a blank line does, and so does a line of one or two
  marks ("-", "•") above the text's first line;
* **sentences** of the other paragraphs (a paragraph is a run of non-blank lines), split
  without breaking on abbreviations and initials ("A.V. Bortnikov", "No. 5", "U.S.",
  "Art. 5", "1.5 million", "г.", "ст.", "т.е.", "1,2 т"), but after "и т.д.", a dotted
  date ("10.06.2025."), or a closing "2025 г.", "U.S." or "5.1." before a word that opens a
  sentence;
* a **heading**: a later short line on its own without final punctuation;
* a **table**: a paragraph whose every line is a row of a text table ("| a | b |",
  "a | b | c", "a | b |") or its rule ("|---|---|", "+----+"), or two or more rows of two
  cells ("State | Detained" / "Kazakhstan | 14"), as one segment.

A sentence ending in a colon ("During the second session the participants:") is a
``lead_in``; it becomes the ``context`` of the bullets that follow it (a heading does too,
when no lead-in comes between), until a paragraph that is neither ends the list. So does a
list item ending in a colon above items indented under it ("- The participants:" /
"  - agreed on A;"), for those items; the item after them, back at its level, has the
context of its own list again.

Offsets index the text given: ``text[s.start:s.end] == s.text`` for every statement, and
every character that is not whitespace, a bullet marker or a Markdown heading marker ("## ")
lies in exactly one statement. Nothing is dropped, nothing is rewritten, unless the text's
line breaks are layout (PDF text, a text file hard-wrapped at a fixed width, see
:func:`looks_hard_wrapped`; a DOCX with manual line breaks): with ``unwrap=True`` a
statement's text is the one-line reading of its span, :func:`unwrap_lines` of
``text[s.start:s.end]`` (a line break inside a paragraph read as a space, a word hyphenated
across a line end rejoined), while its offsets still index the text given. The statements
are those of the text read without ``unwrap``, but for two line breaks that the wrap made:
a dash that opens a line below a full one (50 characters or more, ending in a word:
"... государств" / "– участников Содружества") goes on with the sentence, as no bullet
(unless its line ends with ";", as a list item's), and a first paragraph of two or three lines that reads as one heading is the title. Bullets
("- ", "• ", "1) ") below a lead-in, a list item or a short line are bullets all the same.

Markdown (a .md file, ``markdown=True``): a statement's text and a bullet's context are read
without inline markup (:func:`plain_markdown`: emphasis, code, links, ``<br>``), offsets
still indexing the text given, and a "# " heading line stands on its own. A lead-in or a
sentence written in emphasis ("**The participants:**", "**The Council met.** It ...") is
read as one without, in any text.

A statement longer than :data:`MAX_STATEMENT_CHARS` (a text without full stops) is cut at
word boundaries into pieces marked ``fragment``. :func:`iter_segments` does the same over a
stream of text chunks, so a 50 MB file is cut in bounded memory; :func:`segment` is the
everyday entry point.

Examples
--------
>>> text = '''Meeting of the Council
... Minsk, 14 May 2024
...
... The Council met under the chairmanship of A.V. Bortnikov. It adopted Decision No. 5.
... During the second session the participants:
... - discussed the use of drones by terrorist groups;
... - agreed on a joint exercise in 2025.
... '''
>>> for s in segment(text):
...     print(s.index, s.kind, repr(s.text))
0 title 'Meeting of the Council'
1 dateline 'Minsk, 14 May 2024'
2 sentence 'The Council met under the chairmanship of A.V. Bortnikov.'
3 sentence 'It adopted Decision No. 5.'
4 lead_in 'During the second session the participants:'
5 bullet 'discussed the use of drones by terrorist groups;'
6 bullet 'agreed on a joint exercise in 2025.'
>>> segment(text)[5].context
'During the second session the participants:'
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass

from themes.api import MAX_STATEMENT_CHARS as _MODEL_WINDOW
from themes.dates import parse_date, reads_as_a_place, search_date
from themes.language import fold_confusables

__all__ = [
    "KINDS", "MAX_STATEMENT_CHARS", "NOT_STATEMENTS", "Segment", "iter_segments", "looks_hard_wrapped", "parse_date",
    "plain_markdown", "segment", "unwrap_lines",
]

#: The kinds of statement :func:`segment` tells apart.
KINDS = ("title", "dateline", "heading", "lead_in", "bullet", "sentence", "table")
#: Kinds that name, date or introduce a bulletin's statements, or tabulate figures, and
#: state nothing themselves: scored like the rest, but neither trends nor bulletin
#: summaries count them.
NOT_STATEMENTS = ("title", "dateline", "heading", "lead_in", "table")

# A line longer than this is cut at its last space: a file with no line breaks must not
# be held whole (bounded memory); the cut only matters for lines of 1 MB and more.
MAX_LINE_CHARS = 1_000_000
# A paragraph longer than this is emitted sentence by sentence as it grows.
MAX_PARAGRAPH_CHARS = 200_000
#: A statement longer than this (a text without full stops) is cut at word boundaries
#: into fragments of at most this many characters, each marked ``fragment=True``: the
#: characters ``classify`` reads of a statement (:data:`themes.api.MAX_STATEMENT_CHARS`),
#: so that every fragment is read whole. (At 10,000, the second half of every fragment
#: went unread, flagged ``truncated``.)
MAX_STATEMENT_CHARS = _MODEL_WINDOW
# Only so many lines at the top of a bulletin may hold its title and dateline, unless they
# are a press release's header block (title, subtitle, contacts, document symbol "SC/16012",
# date, committee, meeting: see _is_header_line) above its date line or wire dateline ("NEW
# YORK, 17 November (UN) - The Committee ..."). The header block ends at the first paragraph
# of running text; it was bounded at 12 lines, and the dateline of a longer one was read as a
# sentence, its bulletin undated.
_HEAD_LINES = 6
# ... and at the latest after this many lines (twice the longest header block met: title,
# subtitle, five contact lines, symbol, date, three headings), so that a text without running
# text (a statistical annex, a list of headings) is not looked at line by line for its dateline
# to its end (it was segmented up to 7 times slower).
_HEADER_BLOCK_LINES = 40
# A line ending in a colon is a header block's label ("Media contacts:", "Контакты для СМИ:")
# of at most this many words.
_LABEL_WORDS = 5
# In wrapped text (unwrap=True), a line at least this long that ends in a word was cut by
# the wrap: a dash opening the next line is the sentence's, not a bullet's.
_FULL_LINE = 50
# ... and a first paragraph of at most this many lines that reads as one heading is the title.
_TITLE_LINES = 3

# A line break (any that str.splitlines knows) with the spaces and tabs around it. A hyphen
# right before it is taken along, to be read as a broken word's ("coun-\ntering") or kept.
_WRAP = re.compile(r"(?P<hyphen>[-\u2010\u2011\u00ad]?)(?:[ \t]*(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]))+[ \t]*")


# The first parts of compounds that keep their hyphen across a line end ("north-\neastern",
# "counter-\nterrorism", "северо-\nвосточный", "социально-\nэкономический"): words of
# their own, written with a hyphen before the word they qualify. Each maps to the endings
# that make one word with it all the same, where a typesetter breaks it: "east-\nern",
# "cross-\nings", "counter-\nparts", "военно-\nслужащих". Latin prefixes that are no word of
# their own ("inter", "multi", "pre", "co") are left out: a typesetter breaks "inter-\nnational",
# "multi-\nlateral", "pre-\nvention" and "co-\noperation" at just that syllable, and the
# model reads a kept hyphen as two words ("inter", "national").
_GEOGRAPHIC_ENDINGS = r"ern(?:ers?|most)?|erly|wards?"
_RUSSIAN_ENDINGS = r"сть|сти|стью|стей|стям|стями|стях"  # "безопасно-\nсти": a noun, broken
_COMPOUND_FIRST_PARTS = {
    "north": _GEOGRAPHIC_ENDINGS, "south": _GEOGRAPHIC_ENDINGS, "east": _GEOGRAPHIC_ENDINGS,
    "west": _GEOGRAPHIC_ENDINGS, "self": r"ish\w*|less\w*", "well": r"ness", "long": r"er|est|ings?|itud\w*",
    "short": r"ages?|er|est|en\w*|ly|ness|falls?|comings?", "cross": r"ing|ings|ed|es",
    "counter": r"parts?|feit\w*", "anti": r"", "non": r"", "post": r"pon\w*|ers?|age|al", "cyber": r"",  # "": none
    "северо": _RUSSIAN_ENDINGS, "юго": _RUSSIAN_ENDINGS, "западно": _RUSSIAN_ENDINGS,
    "восточно": _RUSSIAN_ENDINGS, "военно": rf"служащ\w*|{_RUSSIAN_ENDINGS}",
    "социально": _RUSSIAN_ENDINGS, "топливно": _RUSSIAN_ENDINGS, "финансово": _RUSSIAN_ENDINGS,
    "информационно": _RUSSIAN_ENDINGS, "оперативно": _RUSSIAN_ENDINGS, "уголовно": _RUSSIAN_ENDINGS,
    "нормативно": _RUSSIAN_ENDINGS, "организационно": _RUSSIAN_ENDINGS, "материально": _RUSSIAN_ENDINGS,
    "научно": _RUSSIAN_ENDINGS, "общественно": _RUSSIAN_ENDINGS, "торгово": _RUSSIAN_ENDINGS,
}
_ONE_WORD_WITH = {part: re.compile(endings) for part, endings in _COMPOUND_FIRST_PARTS.items()}
_LETTERS_BEFORE = re.compile(r"[^\W\d_]+\Z")
_LETTERS = re.compile(r"[^\W\d_]+")


def _keeps_hyphen(text: str, at: int, after: int) -> bool:
    """Whether the hyphen at ``at`` (a line end, a lower-case word at ``after``) joins a compound.

    It does after a first part of :data:`_COMPOUND_FIRST_PARTS` ("north-\\neastern"), unless
    the word below is one of the endings that make one word with it ("east-\\nern").
    """
    first = _LETTERS_BEFORE.search(text, max(0, at - 20), at)
    if first is None or (first.start() and text[first.start() - 1].isalpha()):
        return False  # no word, or a longer one than any first part
    endings = _ONE_WORD_WITH.get(first.group().lower())
    if endings is None:
        return False
    rest = _LETTERS.match(text, after)
    return not (rest and endings.fullmatch(rest.group()))


def _unwrap_one(match: re.Match) -> str:
    hyphen = match["hyphen"]
    if not hyphen:
        return " "
    if hyphen == "\u00ad":
        return ""  # a soft hyphen is only ever a word broken at the line end
    text, at, after = match.string, match.start(), match.end()
    before = text[at - 1] if at else ""
    if before.isalpha() and text[after : after + 1].islower():
        if _keeps_hyphen(text, at, after):
            return hyphen  # "north-\neastern", "северо-\nвосточный": a compound's hyphen
        return ""  # "coun-\ntering": a word the line end broke, read whole as the model reads it
    # "Russian-\nChinese", "2024-\n2025": a hyphen of the text; " -\n" a dash between words.
    return hyphen if before and not before.isspace() else hyphen + " "


def unwrap_lines(text: str) -> str:
    """The one-line reading of text whose line breaks are a page's layout (PDF).

    A line break inside a paragraph, with the spaces around it, becomes one space; a word
    hyphenated across a line end before a lower-case letter is rejoined ("coun-\\ntering",
    "финан-\\nсирования"), as the model's tokens read it, unless the part before the hyphen
    is the first part of a compound (:data:`_COMPOUND_FIRST_PARTS`: "north-\\neastern",
    "северо-\\nвосточный" keep their hyphen); a hyphen before a capital or a digit
    ("Russian-\\nChinese") is kept, without a space. Never longer than ``text``.

    Examples
    --------
    >>> unwrap_lines("The parties discussed coun-\\ntering the use of\\ndrones.")
    'The parties discussed countering the use of drones.'
    >>> unwrap_lines("Russian-\\nChinese talks -\\nthe third round")
    'Russian-Chinese talks - the third round'
    >>> unwrap_lines("the north-\\neastern border"), unwrap_lines("юго-\\nвосточных границ")
    ('the north-eastern border', 'юго-восточных границ')
    """
    return _WRAP.sub(_unwrap_one, text)


# Markdown's inline markup, as :func:`plain_markdown` takes it out. An image or a link keeps
# its text and drops its target; "[text][ref]" keeps its text.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\](?:\([^()\s]*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\])")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_MD_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# A line break written in HTML, and the inline HTML tags of emphasis, which read as nothing.
_MD_BREAK = re.compile(r"[ \t]*<br\s*/?>[ \t]*", re.IGNORECASE)
_MD_INLINE_TAG = re.compile(r"</?(?:b|i|u|s|em|strong|mark|small|sup|sub|span|del|ins)(?:\s[^<>]*)?>", re.IGNORECASE)
# Emphasis: the markers hug the words they enclose ("**drones**", "*em*"); an underscore
# opens or closes one only outside a word (snake_case stays), and "\*" is a star of the text.
_MD_STRONG = re.compile(r"(?<![\\\w*])(\*\*\*?|___?|~~)(?=[^\s*_~])(.+?)(?<=[^\s\\*_~])\1(?![*~])", re.DOTALL)
_MD_STAR = re.compile(r"(?<![\\\w*])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?!\*)", re.DOTALL)
_MD_UNDERSCORE = re.compile(r"(?<![\\\w])_(?=[^\s_])(.+?)(?<=[^\s\\_])_(?!\w)", re.DOTALL)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
# A blockquote's markers opening a line ("> ", nested "> > " or ">>"): the segmenter reads
# the line without them (as spaces, so that offsets hold), and a statement's text drops them
# with the indentation they leave on its lines after the first.
_MD_QUOTE = re.compile(r"[ \t]{0,3}>(?:[ \t]?>)*[ \t]?")
_MD_LINE_LEAD = re.compile(r"^[ \t]*(?:>(?:[ \t]?>)*[ \t]?)?[ \t]*", re.MULTILINE)


def plain_markdown(text: str) -> str:
    """The plain reading of a Markdown statement: its inline markup taken out.

    Emphasis (``**bold**``, ``*em*``, ``_em_``, ``~~struck~~``), inline code and emphasis tags
    (``<b>``, ``<em>`` ...) keep their words; a link or an image keeps its text and drops its
    URL; ``<br>`` reads as a space; an escaped ``\\*`` is a star; a blockquote's markers
    ("> ", "> > ") and the indentation of a line are dropped. Underscores inside words
    ("file_name") and a lone star ("5 * 3") are text.

    Examples
    --------
    >>> plain_markdown("The **Council** discussed *drones* and _financing_ in `Minsk`.")
    'The Council discussed drones and financing in Minsk.'
    >>> plain_markdown('See [the UN report](https://un.org/x "title") and <https://osce.org>.<br>Next.')
    'See the UN report and https://osce.org. Next.'
    >>> plain_markdown("file_name_here, 5 * 3 and \\\\*not em\\\\*")
    'file_name_here, 5 * 3 and *not em*'
    >>> plain_markdown("> The participants noted\\n> > the **growing** use of drones.")
    'The participants noted\\nthe growing use of drones.'
    """
    if ">" in text or "\n" in text:
        text = _MD_LINE_LEAD.sub("", text)
    if not any(ch in text for ch in "*_`[<~\\"):
        return text
    text = _MD_CODE.sub(lambda m: m[2].strip(" ") or m[2], text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_BREAK.sub(" ", text)
    text = _MD_INLINE_TAG.sub("", text)
    for pattern in (_MD_STRONG, _MD_STRONG, _MD_STAR, _MD_UNDERSCORE):  # twice: "***" nests
        text = pattern.sub(lambda m: m[m.lastindex], text)
    return _MD_ESCAPE.sub(r"\1", text)

# A list item's marker, as it opens a line before a space.
_MARKER = r"""(?:
        [-\u2013\u2014\u2022*\u25aa\u25cf\u25e6\u00b7\u2023\u2043\u25a0\u27a2\u25ba\u2713]   # - – — • * ▪ ● ◦ · ‣ ⁃ ■ ➢ ► ✓
      | \d{1,3}(?:\.\d{1,3}){0,3}[.)]   # 1.  1)  and a decision's sub-points 1.1.  2.3.1. (they were sentences)
      | [a-z][.)]                   # a)  a.
      | [\u0430-\u044f]\)            # а)  (not "г." nor "с.": a wrapped "г. Москве" is no bullet)
      | [ivx]{1,5}[.)]              # iv)
      | \((?:\d{1,3}|[a-z\u0430-\u044f]|[ivx]{1,5})\)   # (1) (a) (iv)
      )"""
_BULLET = re.compile(
    r"""[ \t]*(?:
      """ + _MARKER + r"""[ \t]+(?=\S)
      # A bullet glyph or a dash glued to the item's first letter ("•drones", "—обсудили"):
      # PDF text and hasty pages often drop the space. Not "-" or "*" (a hyphenated word, a
      # footnote), which keep needing their space.
    | [\u2013\u2014\u2022\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u27a2\u25ba\u2713](?=[^\W\d_])
      # A number so glued ("3)утвердили", "2.Approved"); a letter so glued is no bullet ("a.m.").
    | (?:\d{1,3}[.)]|\(\d{1,3}\))(?=[^\W\d_])
    )""",
    re.VERBOSE,
)

# "MINSK, 14 May 2024 -" or "14 May 2024, Minsk —" opening the first paragraph.
_DASH_AFTER = re.compile(r"[^\S\n\r]*(?:[-\u2013\u2014]+|:)\s+")  # on the same line

# The news agencies whose name, written bare, may close a wire dateline: before its dash
# ("АСТАНА. КАЗИНФОРМ –", "ASTANA. KAZINFORM –"), after its date's full stop ("МОСКВА, 17
# ноября. ТАСС.", "MOSCOW, 17 November 2025. TASS.") or after a dash ("— УзА."). Only a name
# of this list, in any case: a capitalised word there is as often the first sentence's first
# word ("МОСКВА, 17 ноября. Терроризм – главная угроза.", "MOSCOW, 17 November. Terrorism –
# the main threat.") or a name that is no agency's (". Совет Безопасности."), and cannot be
# told from an agency's by its shape. A name in brackets or slashes ("(TASS)", "/ТАСС/") is
# an agency's whatever it reads.
NEWS_AGENCIES = (
    "TASS", "ТАСС", "RIA Novosti", "РИА Новости", "Interfax", "Интерфакс", "Interfax-Kazakhstan",
    "Интерфакс-Казахстан", "BelTA", "БелТА", "Kazinform", "Казинформ", "Kabar", "Кабар",
    "AKIpress", "АКИpress", "24.kg", "Trend", "Sputnik", "Xinhua", "Синьхуа", "IRNA", "ИРНА",
    "Anadolu", "UzA", "УзА", "Dunyo", "Дунё", "Khovar", "Ховар", "Azertac", "АЗЕРТАДЖ",
    "Armenpress", "Арменпресс", "Reuters", "AFP", "AP", "Tengrinews", "Kun.uz", "Podrobno.uz",
    "RBC", "РБК", "Izvestia", "Известия", "RT", "Mir 24", "Мир 24",
)
_AGENCY_NAME = (
    "(?i:"
    + "|".join(re.escape(name).replace("\\ ", "[ \t]+") for name in sorted(NEWS_AGENCIES, key=len, reverse=True))
    + ")(?![\\w-])"
)

# Russian wire datelines, which may carry no year or no date at all: "МОСКВА, 17 ноября.
# /ТАСС/.", "МИНСК, 3 марта (БелТА).", "АСТАНА. КАЗИНФОРМ –", "ТАШКЕНТ, 10 июня — УзА.",
# and a meeting of two days or more, "МОСКВА, 10–11 июня. /ТАСС/.", the dash also spaced,
# "ТАШКЕНТ, 17 – 19 ноября. /УзА/." (dated by its first day; it was a sentence). The
# agency's name may also stand after the date's full stop, closed by its own ("МОСКВА, 17
# ноября 2025 года. ТАСС.", ". РИА Новости.", ". БелТА."), as in English ("MOSCOW, 17
# November 2025. TASS."): it was a statement of its own. A bare name is one of
# NEWS_AGENCIES ("МОСКВА, 17 ноября. Терроризм – ..." is no agency's dateline).
# The day may be written as an ordinal ("МИНСК, 17-го ноября. /БелТА/.", a sentence before).
# The place is written in Cyrillic, so English text never takes this path.
_WIRE_AGENCY = _AGENCY_NAME
_WIRE_DATELINE = re.compile(
    rf"""(?P<place>[А-ЯЁ]{{2,}}(?:[- ][А-ЯЁ]{{2,}}){{0,2}}    # МОСКВА, НУР-СУЛТАН, НИЖНИЙ НОВГОРОД
          |[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?)          # Москва, Нур-Султан
    (?:(?P<sep>[,.][ \t]*|[ \t]+)(?P<date>(?:\d{{1,2}}(?:-?(?:ого|го|е))?[ \t]*[-\u2013\u2014][ \t]*)?\d{{1,2}}(?:-?(?:ого|го|е))?(?:[ \t]+|-)[^\W\d_]+(?:[ \t]+\d{{4}}(?:[ \t]*(?:г\.|года))?)?
                       |\d{{1,2}}\.\d{{1,2}}\.\d{{4}}(?:[ \t]*(?:г\.|года))?)\.?   # , 17 ноября. / , 17.11.2025 (Ховар's, it was a sentence)
       (?![ \t]+\d{{4}}(?!\d))   # never short of its year ("МОСКВА, 17 ноября" / "2025 г., 12:30")
       (?:[ \t]*(?:/[^/\n]{{2,40}}/\.?                    # /ТАСС/.
                 |\([^()\n]{{2,40}}\)\.?                  # (БелТА).
                 |[-\u2013\u2014][ \t]*{_WIRE_AGENCY}\.          # — УзА.
                 |(?<=\.)[ \t]*{_WIRE_AGENCY}\.                  # . ТАСС. / . РИА Новости.
                 |{_WIRE_AGENCY}(?=[ \t]*[-\u2013\u2014]+(?:\s|\Z))))?    # КАЗИНФОРМ –
      |\.[ \t]*{_WIRE_AGENCY}(?=[ \t]*[-\u2013\u2014]+(?:\s|\Z)))       # . КАЗИНФОРМ –
    (?=[ \t]*[-\u2013\u2014]+(?:\s|\Z)|\s*$|\s+[«"(\[А-ЯЁA-Z0-9])""",
    re.VERBOSE,
)
# The same in English, as agencies of the region write it: "ASTANA. KAZINFORM –",
# "BISHKEK (AKIpress) -", "MOSCOW, October 9 (TASS) -", "MINSK, 2 October (BelTA) -", the
# agency also between slashes as the Russian wires write it ("BISHKEK, Nov. 17, 2025 /Kabar/.":
# it was a sentence, counted as a statement). A
# place in capitals with a date or an agency after it, then a dash or colon; or, with a
# date, a full stop that ends the line ("MOSCOW, 17 November.", as the Russian wires'
# "МОСКВА, 17 ноября." reads in English): without it, such a line was a sentence, the first
# statement, and a bulletin dated only by the full date of the sentence below it was undated.
# So does a full stop before the first sentence on the same line ("MOSCOW, 17 November. The
# Council met ..."), the agency's name included ("MOSCOW, 17 November. TASS. The Council
# ..."). The date may be a day range, a meeting of two days or more
# ("MOSCOW, 10-11 June (TASS) -", "June 10-11", and around a spaced dash "ALMATY, Nov 17 – 19
# (Kazinform) –", "17 - 19 November", which were sentences), dated by its first day.
# The place may be written in Title Case when both a date and the agency in brackets or
# slashes follow it ("Bishkek, 17 November (Kabar) –", "Bishkek, Nov 17 – 19 (Kabar) -"; a
# heading or the first sentence before, and a yearless one left its bulletin undated): a
# capitalised word, a date and a dash alone ("Meeting, 17 November - ...") stay a sentence.
_EN_WIRE_DATELINE = re.compile(
    r"""(?P<place>[A-Z]{2,}(?:[- ][A-Z]{2,}){0,2}                        # ASTANA, NUR-SULTAN
      |(?P<title_case>[A-Z][a-z]+(?:[- ][A-Z][a-z]+){0,2}))                 # Bishkek, The Hague (date and agency after)
    (?:(?P<sep>,[ \t]*|[ \t]+)(?P<date>(?:(?:\d{1,2}[ \t]*[-\u2013\u2014][ \t]*)?\d{1,2}[ \t]+[A-Z][a-z]+
                       |[A-Z][a-z]+\.?[ \t]+\d{1,2}(?:[ \t]*[-\u2013\u2014][ \t]*\d{1,2})?)
                      (?:,?[ \t]+\d{4})?))?                                 # 17 November, 10-11 June, June 10-11, Nov 17 – 19
    (?P<agency>[ \t]*(?:\([^()\n]{2,40}\)|/[^/\n]{2,40}/)                    # (TASS), /Kabar/ as in Russian
      |\.[ \t]*""" + _AGENCY_NAME + r""")?                                   # . KAZINFORM
    (?:(?=[ \t]*(?:[-\u2013\u2014]+|:)[ \t]+\S)                              # then - or :
      |(?=[ \t]*[-\u2013\u2014]+[ \t]*(?:\r?\n|\Z))                            # or a dash ending the line
      |(?(date)\.(?=[ \t]*(?:\r?\n|\Z)|\s+[*_]*[A-Z0-9"'(\u201c\u2018\[])|(?!)))  # MOSCOW, 17 November. (The ...)""",
    re.VERBOSE,
)
_WIRE_REST = re.compile(r"[ \t]*(?:[-\u2013\u2014]+[ \t]*|:[ \t]*)?\s*")

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt maj capt sgt adm cmdr brig amb st no nos nr art arts para
    paras p pp vol vols ch chap sec sect fig figs ed eds jan feb mar apr jun jul aug sep sept
    oct nov dec approx incl dept univ inc ltd co corp jr sr gov rep sen vs cf al res doc rev
    add corr op ibid min est
    г гг т тт им ул д стр ст п пп ч см рис тыс млн млрд руб коп проф акад ген полк подп
    обл кв пр пл просп чел кг км долл ед шт ок св гл табл прим напр зам нач ред англ тел
    лейт подполк кап мл сокр пос дер пгт
    гр мкр пер наб корп вкл трлн""".split()  # "гр. Иванов", "мкр. Восток", "корп. 2": no sentence ends
)
# Russian abbreviations that close a list ("и т.д.", "и др."): a capital after them
# starts a new sentence.
_FINAL_ABBREVIATIONS = frozenset(["т.д", "т.п", "др", "пр"])
# Units and "г." (год) after a number end a sentence when a word that can only open a
# sentence follows ("состоится в 2025 г. В ходе ..."), not before a name ("2025 г. Совет").
# "текущего года", "сего года", "годы" written with dots: they end a sentence as "г." does.
_YEAR_ABBREVIATIONS = frozenset(["т.г", "с.г", "г.г"])
_UNIT_ABBREVIATIONS = frozenset("г гг т тыс млн млрд трлн руб коп кг км чел долл ед шт".split())
_SENTENCE_OPENERS = frozenset(
    """в во на по с со к ко о об обо от до для при за из у под над после перед между также
    кроме как это эти этот эта все всего он она они оно мы вместе однако но и а так тем
    согласно особое участники стороны итоги следующее следующий""".split()
)
_TERMINAL = ".!?\u2026"
# A line of separator marks only ("* * *", "***", "----", "• • •"), or a page number between
# dashes ("- 12 -", as text converted from PDF keeps it), divides the text as a blank line
# does; it holds no word, so no statement is made of it.
_SEPARATOR_LINE = re.compile(
    r"[ \t]*(?:(?:[-*_=~#\u2013\u2014\u2022\u00b7\u2219\u2043\u25cf\u25aa\u2605\u2606][ \t]*){3,}"
    r"|[-\u2013\u2014][ \t]*\d{1,4}[ \t]*[-\u2013\u2014][ \t]*)\Z"
)
# One or two marks alone on a line ("-", "—", "•"): above the first line of the text it is
# what is left of a page's layout (a bulletin copied from the CIS ATC site opens with "-"),
# no title, and read as a blank line there.
_LONE_MARKS = re.compile(r"[ \t]*(?:[-*\u2013\u2014\u2022\u00b7\u25cf\u25aa][ \t]*){1,2}\Z")
# A list item's marker alone on its line ("•", "-", "—", "1.", "a)"), the item's text on the
# next line, as text copied from a web page gives a list ("The participants:" / "•" /
# "agreed on joint patrols;"): that line's marker, read as if it opened it (the line was
# glued to the sentence above, marker and all), also with blank lines between the marker and
# the text ("•" / "" / "agreed on ...;"). Below a title or a dateline, or above a separator
# line or the text's end, it marks no item and reads as a blank line.
_LONE_MARKER = re.compile(r"[ \t]*" + _MARKER + r"[ \t]*\Z", re.VERBOSE)
_CLOSERS = "\"')]\u201d\u2019\u00bb"
_OPENERS = "\"'(\u201c\u2018\u00ab["
# A date or number written with dots ("10.06.2025", "5.1") before a full stop.
_NUMBER_WITH_DOTS = re.compile(r"\d+(?:\.\d+)+")
_DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})")
# English abbreviations that may close a sentence ("talks in the U.S. The Council..."): they
# do when the next word can only open one.
_EN_FINAL_ABBREVIATIONS = frozenset(["u.s", "u.k", "u.n", "e.u", "etc"])
_EN_SENTENCE_OPENERS = frozenset(
    """the it he she they we this these those its their his her in on at during according
    after before since however meanwhile also earlier later""".split()
)
_ANY_SENTENCE_OPENERS = _SENTENCE_OPENERS | _EN_SENTENCE_OPENERS
# Abbreviations of a title or a word that a name follows ("Mr. John Smith", "ген. Иванов",
# "ул. Ленина"): a list item's line ending in one goes on below, in a capital.
_TITLES = frozenset("mr mrs ms dr prof amb gen col lt maj capt adm sen gov st им ул проф акад ген полк гр мкр пер наб".split())
# Markdown emphasis may close after a sentence's full stop ("**The Council met.** It ...").
# A colon ending a line ends a lead-in above a line in capitals ("Справочно:" / "Центр
# создан ..."): the lead-in and the sentence below it were read as one sentence.
# (Searched with the colon only in a paragraph that has one at a line's end before more
# text: the alternative slows the search of every other.)
_SENTENCE_END = re.compile(rf"[{_TERMINAL}]+[{re.escape(_CLOSERS)}*_]*(?=\s)")
_SENTENCE_OR_LEAD_IN_END = re.compile(
    rf"(?=[{_TERMINAL}:])(?:[{_TERMINAL}]+[{re.escape(_CLOSERS)}*_]*(?=\s)|:[*_]*(?=[ \t]*[\n\r]))"
)
_COLON_AT_LINE_END = re.compile(r":[*_]*[ \t]*[\n\r]\s*\S")
# A run-in heading: one or two words in strong emphasis opening a paragraph ("**Decisions.** The
# participants agreed ..."); it belongs to the sentence it opens, not a sentence of its own.
_RUN_IN_HEADING = re.compile(r"(\*\*|__)[^\s*_]+(?: [^\s*_]+)?\.\1")
# A section's number in capital Roman numerals opening a sentence or a heading ("II. External
# action", "IV. Итоги"): it numbers what follows ("I." alone was an initial, while "II." was a
# statement of its own and its heading a sentence).
_SECTION_NUMBER = re.compile(r"[*_]*[IVXL]{1,6}\.[*_]*")


@dataclass(frozen=True)
class Segment:
    """One statement of a bulletin.

    Attributes
    ----------
    text : str
        The statement, exactly as in the document (``document[start:end]``), bullet
        marker left out; segmented with ``unwrap=True`` (PDF or wrapped text), the one-line
        reading of that span (:func:`unwrap_lines`), except for a ``table``, whose rows are lines;
        segmented with ``markdown=True`` (a .md file), without its inline markup
        (:func:`plain_markdown`).
    start, end : int
        Character offsets into the document's text (the extracted text of a PDF), also
        when ``text`` is its unwrapped reading.
    index : int
        Position among the bulletin's statements, from 0.
    context : str or None
        The lead-in (or heading) the statement continues, whitespace collapsed; set for
        bullets only.
    kind : str
        One of :data:`KINDS`.
    fragment : bool
        True for a piece of a statement longer than :data:`MAX_STATEMENT_CHARS`, cut at
        a word boundary (a text without full stops); the pieces follow each other.
    """

    text: str
    start: int
    end: int
    index: int
    context: str | None
    kind: str
    fragment: bool = False

    def to_dict(self) -> dict:
        """The fields as a dict.

        Examples
        --------
        >>> segment("Drones were seen.")[0].to_dict()["kind"]
        'sentence'
        """
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "index": self.index,
            "context": self.context,
            "kind": self.kind,
            "fragment": self.fragment,
        }


# Kept for modules that still import the segmenter's old private name; use
# themes.dates.search_date.
_find_date = search_date


def _wire_dateline(text: str, begin: int) -> tuple[int, int] | None:
    """A wire dateline at ``begin`` (Russian, or an English one of the region's agencies):
    (end of the dateline, start of the rest)."""
    match = _WIRE_DATELINE.match(text, begin)
    if match is None:
        match = _EN_WIRE_DATELINE.match(text, begin)
        if match is None or (match["date"] is None and match["agency"] is None):
            return None  # a place alone ("NATO - ...") is no dateline: a date or an agency must follow
        if match["title_case"] is not None and not _title_case_wire_dateline(match):
            return None  # "Meeting, 17 November -", "Bishkek (Kabar) -": a place in Title Case takes both
    written = match["date"]
    if written is not None and not match["sep"].strip() and not _place_without_comma(match, text):
        return None  # "ОДКБ 17 ноября –", "Заседание 17 ноября.": no place before the date
    # Any year completes a day and month here: the question is only whether it is a date.
    if written is not None and search_date(written, year=2000) is None:
        return None  # "МОСКВА, 17 участников", "ASTANA, 12 States": a number and a word, not a date
    return match.end(), _WIRE_REST.match(text, match.end()).end()


_KNOWN_AGENCY = re.compile(r"[ \t]*[(/][ \t]*" + _AGENCY_NAME)


def _title_case_wire_dateline(match: re.Match) -> bool:
    """Whether an English wire dateline whose place is in Title Case (``match`` of
    _EN_WIRE_DATELINE) is one: a date and the agency in brackets or slashes after it
    ("Bishkek, 17 November (Kabar) –", "Bishkek, Nov 17 – 19 /Kabar/ -"), its name
    capitalised ("(24.kg)" too; not "Meeting, 17 November (draft) -"); without the comma
    after the place, one of NEWS_AGENCIES ("Bishkek 17 November (Kabar) -", not "Protocol 17
    November (Draft) -")."""
    agency = (match["agency"] or "").strip(" \t")
    initial = agency[1:].lstrip()[:1]
    if match["date"] is None or not agency.startswith(("(", "/")) or not (initial.isupper() or initial.isdigit()):
        return False
    return bool(match["sep"].strip()) or _KNOWN_AGENCY.match(agency) is not None


def _place_without_comma(match: re.Match, text: str) -> bool:
    """Whether the words before the date of a wire dateline written without its comma
    ("МОСКВА 17 – 19 ноября", "ОРСК 17 ноября. /ТАСС/.", "MOSCOW 17 – 19 November (TASS) -")
    are a place (themes.dates.reads_as_a_place): in capitals, spelt as one ("ОДКБ 17 ноября"
    is a body's); in Title Case, a known place ("Москва 17 ноября", not "Заседание 17
    ноября."); either, with the agency's name in brackets or slashes after the date ("Орск 17
    ноября. /ТАСС/.", "КАНТ 17 ноября (Кабар) –"). A month in capitals makes a heading
    ("ЗАСЕДАНИЕ 17 НОЯБРЯ"): a dateline writes its place in capitals, not its date."""
    written = match["date"]
    if re.search(r"[^\W\d_]", written) and not re.search(r"[a-zа-яё]", written):
        return False  # "ЗАСЕДАНИЕ 17 НОЯБРЯ": a heading all in capitals, no dateline
    if _BRACKETED.match(text[match.end("date") :].lstrip(" \t.")):
        return True
    return reads_as_a_place(re.split(r"[- ]", match["place"])[-1])


# A letter of one script next to one of another inside a word: a look-alike ("MОСКВА" with a
# Latin M, "Aстана" with a Latin A, as text copied and pasted has them).
_MIXED_SCRIPTS = re.compile(r"[A-Za-z][\u0370-\u052f]|[\u0370-\u052f][A-Za-z]")
# How far from where a dateline is looked for its words are folded: a dateline is shorter.
_LOOK_ALIKE_WINDOW = 200


def _fold_word(match: re.Match) -> str:
    word = match.group()
    if _MIXED_SCRIPTS.search(word) is None or not (word.isupper() or word.islower() or word[1:].islower()):
        return word  # one script, or a name whose case changes with its script ("АКИpress")
    folded = fold_confusables(word.lower())
    if len(folded) != len(word):
        return word
    return "".join(f.upper() if c.isupper() else f for c, f in zip(word, folded))


def _folded(text: str, begin: int = 0) -> str:
    """``text`` with the look-alike letters of its words that mix scripts folded into the
    script of most of their letters, case kept (:func:`themes.language.fold_confusables`),
    from ``begin`` on for :data:`_LOOK_ALIKE_WINDOW` characters.

    What tells a dateline reads the folded text ("MОСКВА, 17 ноября 2025 г. /ТАСС/." with a
    Latin M was a sentence); the text is kept as written: a letter folds into one letter, so
    offsets into the folded text index ``text``.

    Examples
    --------
    >>> _folded("MОСКВА, 17 ноября"), _folded("MOSCОW, Aстана, Москва")
    ('МОСКВА, 17 ноября', 'MOSCOW, Астана, Москва')
    """
    end = begin + _LOOK_ALIKE_WINDOW
    if _MIXED_SCRIPTS.search(text, begin, end) is None:
        return text
    return text[:begin] + _LETTERS.sub(_fold_word, text[begin:end]) + text[end:]


def _as_written_or_folded(read, text: str, begin: int = 0):
    """``read(text)``, else, where a word near ``begin`` mixes scripts, ``read`` of the text with
    its look-alike letters folded (:func:`_folded`): "MОСКВА, 17 ноября 2025 г. /ТАСС/." with a
    Latin M is a dateline, as copied and pasted text has it."""
    found = read(text)
    if not found and _MIXED_SCRIPTS.search(text, begin, begin + _LOOK_ALIKE_WINDOW) is not None:
        found = read(_folded(text, begin))
    return found


def _is_dateline(line: str) -> bool:
    """A short line that is a date with at most a place name around it, as written or with
    its look-alike letters folded (:func:`_folded`)."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    return bool(_as_written_or_folded(_is_dateline_as_written, stripped))


def _is_dateline_as_written(stripped: str) -> bool:
    wire = _wire_dateline(stripped, 0)
    if wire is not None and wire[1] >= len(stripped):
        return True
    found = search_date(stripped)
    if not found:
        return False
    prefix = _opening_dateline(stripped, 0)
    if prefix and prefix[1] < len(stripped):
        return False  # "MINSK, 14 May 2024 - The Council met": a dateline opening a sentence
    rest = stripped[: found[1]] + " " + stripped[found[2] :]
    words = re.findall(r"[^\W\d_]+", rest)
    return len(words) <= 4 and not _reads_as_a_sentence(rest)


# The words in lower case a dateline may hold besides its date and place: the year's ("2025
# г.", "года"), the city's ("г. Москва"), a few prepositions ("On 14 May 2024", "от 10 июня
# 2025 года"), a Russian weekday ("Москва, среда, 10 июня") and a time of day.
_DATELINE_LOWER_WORDS = frozenset(
    """г гг года году год жылғы жыл йил yil on of at in from dated th st nd rd am pm
    в во от на по с со понедельник вторник среда четверг пятница суббота воскресенье""".split()
)
# An agency's name in brackets or slashes ("(BelTA)", "/ТАСС/", "(24.kg)") is no text.
_BRACKETED = re.compile(r"\([^()]*\)|/[^/]*/")


def _reads_as_a_sentence(words_around_date: str) -> bool:
    """Whether the words of a short dated line, its date taken out, are a sentence's: a
    word in lower case that no dateline holds ("On 17 November 2025 the Council met.",
    "17 ноября 2025 года Совет провёл заседание."), for a dateline holds a date and a place.

    Examples
    --------
    >>> _reads_as_a_sentence("On   the Council met."), _reads_as_a_sentence(" года Совет провёл заседание.")
    (True, True)
    >>> _reads_as_a_sentence("Бишкек,  г."), _reads_as_a_sentence("MINSK,  (BelTA)"), _reads_as_a_sentence("On ")
    (False, False, False)
    """
    for word in re.findall(r"[^\W\d_]+", _BRACKETED.sub(" ", words_around_date)):
        if word.islower() and word not in _DATELINE_LOWER_WORDS:
            return True
    return False


# "14 May 2024, Minsk -": a place after the date, before the dash.
_PLACE_AFTER_DATE = re.compile(r",?\s*[^\W\d_][\w .'\u2019-]{0,40}?(?=\s*(?:[-\u2013\u2014]+|:)\s)")
# A full stop closing the date ("17 ноября 2025 года. ", "17 ноября 2025 г. "): no place
# after the date then, the word before the dash is the sentence's ("МОСКВА, 17 ноября 2025
# года. Терроризм – главная угроза."). "г." alone is also the abbreviation in a date-first
# dateline with its place after it ("17 ноября 2025 г. Москва –"): a stop only after a place.
# The year word may be glued to the year ("17.11.2025г. Совет ...", as search_date reads it).
_DATE_STOP = re.compile(r"(?:[ \t]*(?P<year_word>года|г))?\.\s")


def _dateline_prefix(text: str, begin: int) -> tuple[int, int] | None:
    """A "PLACE, DATE -" prefix of ``text`` at ``begin``: (end of the dateline, start of the rest)."""
    wire = _wire_dateline(text, begin)
    found = search_date(text[begin : begin + 120])
    if not found or (wire is not None and begin + found.start >= wire[0]):
        # "ASTANA. KAZINFORM – The meeting was held on 20 May 2024": the date is the sentence's.
        return wire
    date_start, date_end = begin + found[1], begin + found[2]
    if len(re.findall(r"[^\W\d_]+", text[begin:date_start])) > 4:
        return None
    dash = _DASH_AFTER.match(text, date_end)
    if dash is None:
        # "14 May 2024, Minsk -": a place may follow the date.
        after = _PLACE_AFTER_DATE.match(text, date_end)
        stop = _DATE_STOP.match(text, date_end)
        if stop is not None and (stop["year_word"] != "г" or re.search(r"[^\W\d_]", text[begin:date_start])):
            after = None  # "МОСКВА, 17 ноября 2025 года. Терроризм –": the dateline ends at the stop
        if after is not None:
            dash = _DASH_AFTER.match(text, after.end())
        if dash is None:
            sentence = _dateline_sentence_end(text, begin, date_start, date_end)
            if wire is not None and (sentence is None or (wire[0] > sentence[0] and text[wire[0] - 1] == ".")):
                # "MOSCOW, 17 November 2025. TASS. The Council met": the agency's name after
                # the full date is the dateline's, as after a yearless one, not a statement.
                return wire
            return sentence
    if dash.group().strip() == ":" and _reads_as_a_sentence(text[begin:date_start] + " " + text[date_end : dash.start()]):
        # "On 14 May 2024 the participants:", "14 мая 2024 года участники заседания:", "At the
        # meeting on 14 May 2024 the parties:": words a sentence holds before its colon make
        # it a lead-in, whose date is the sentence's (it was a dateline, "On 14 May 2024 the
        # participants", and the items below it lost their context).
        return None
    # The dash belongs to neither statement's words: the dateline ends before it.
    return dash.start(), dash.end()


# A place before the date of a dateline that ends with a full stop: at most four words, each
# capitalised ("MOSCOW, ", "The Hague, ", "НУР-СУЛТАН. ", "г. Москва, ").
_PLACE_BEFORE_DATE = re.compile(
    r"[ \t]*(?:(?:г\.[ \t]*)?[^\W\d_a-zа-яё][\w'\u2019-]*(?:[ \t]+[^\W\d_a-zа-яё][\w'\u2019-]*){0,3}[ \t]*[,.][ \t]*)?\Z"
)
# What may follow the date of such a dateline: a year word ("года", "г."), a place
# ("14 May 2024, Tashkent."), then the full stop and a sentence on the same paragraph.
_AFTER_DATE_STOP = re.compile(
    # A time of day after the year ("17 ноября 2025 г., 12:30. Совет ..."; it was a sentence).
    r"(?:[ \t]*(?:года|г\.)?,?[ \t]+\d{1,2}:\d{2}(?!\d)"
    r"|[ \t]*(?:года|г(?=\.)|г\.(?=,)))?"  # glued too: "17.11.2025г. Совет ..." was one sentence;
    # "г." before the place: "17 ноября 2025 г., Москва. Совет ..." (it was a sentence)
    r"(?:,[ \t]*[^\W\d_a-zа-яё][\w'\u2019-]*(?:[ \t]+[^\W\d_a-zа-яё][\w'\u2019-]*){0,2})?"
    r"\.(?P<rest>\s+)(?=[*_]*[^\W\d_a-zа-яё]|\d|[\"'(\u201c\u2018\u00ab\u201e\[])"
)


def _dateline_sentence_end(text: str, begin: int, date_start: int, date_end: int) -> tuple[int, int] | None:
    """A dateline closed by a full stop before the first sentence of its paragraph
    ("MOSCOW, 17 November 2025. The Council met ...", "17 ноября 2025 года. Совет ..."):
    (end of the dateline, its full stop included; start of the rest), or None.

    The date may stand alone, after a place in capitals or Title Case ("MOSCOW, ", "The
    Hague, ") or before one ("14 May 2024, Tashkent."); a sentence that ends with a date
    ("The Council met on 17 November 2025. It ...", "Experts met in Minsk, 14 May 2024.")
    is no dateline: its words before the date are not a place's.
    """
    if _PLACE_BEFORE_DATE.match(text[begin:date_start]) is None:
        return None
    stop = _AFTER_DATE_STOP.match(text, date_end)
    if stop is None:
        return None
    return stop.start("rest"), stop.end("rest")


# A Markdown emphasis marker: "**", "*", "__", "_" (and "***", "___").
_EMPHASIS = re.compile(r"\*{1,3}|_{1,3}")


def _in_emphasis(find, text: str, begin: int) -> tuple[int, int] | None:
    """``find(text, begin)`` for a dateline written in Markdown emphasis.

    "**MOSCOW, 28 November 2024** — The plenary ...": the markers are read as spaces (a copy
    of the same length, so offsets hold), and the closing one goes into the dateline. None
    unless the closing marker falls between the dateline and the rest.

    Examples
    --------
    >>> text = "**MOSCOW, 28 November 2024** \u2014 The plenary opened."
    >>> end, rest = _in_emphasis(_dateline_prefix, text, 0)
    >>> text[:end], text[rest:]
    ('**MOSCOW, 28 November 2024**', 'The plenary opened.')
    """
    opener = _EMPHASIS.match(text, begin)
    if opener is None:
        return None
    marker = opener.group()
    line_end = text.find("\n", opener.end())
    close = text.find(marker, opener.end(), len(text) if line_end < 0 else line_end)
    if close <= opener.end() or text.startswith(marker[0], close + len(marker)):
        return None
    blank = " " * len(marker)
    found = find(text[:begin] + blank + text[opener.end() : close] + blank + text[close + len(marker) :], opener.end())
    if found is None or not (found[0] <= close and close + len(marker) <= found[1]):
        return None
    return close + len(marker), found[1]


def _opening_dateline(text: str, begin: int, wire_only: bool = False) -> tuple[int, int] | None:
    """A dateline opening ``text`` at ``begin``, also in Markdown emphasis: (end of the
    dateline, start of the rest); with ``wire_only``, an agency's wire dateline only."""
    find = _wire_dateline if wire_only else _dateline_prefix
    return _as_written_or_folded(lambda read: _in_emphasis(find, read, begin) or find(read, begin), text, begin)


# A word in capitals opening a line (a wire dateline's place: "MOSCOW", "NUR-SULTAN").
_CAPITALS = re.compile(r"[*_]*[^\W\d_a-zа-яё]{2,}(?:-[^\W\d_a-zа-яё]+)?(?![\w-])")


def _opens_with_dateline(line: str) -> bool:
    """A line that opens with a place and date before a capital: "MOSCOW, 12 April 2024 -
    Heads of services met.", "ASTANA. KAZINFORM – The meeting ...".

    A first line right above one is a title, in whatever case it is written (PDF text keeps
    no blank line between them); a sentence wrapped before "Minsk, 14 May 2024 - the ..."
    goes on in lower case.

    Examples
    --------
    >>> _opens_with_dateline("MINSK, 9 September 2024 (BelTA) - Heads of services met.")
    True
    >>> _opens_with_dateline("Minsk, 14 May 2024 - the Council said."), _opens_with_dateline("14 May 2024 - Met.")
    (False, False)
    >>> _opens_with_dateline("MOSCOW, 17 November 2025. The Council met."), _opens_with_dateline("Minsk, 14 May 2024. The ...")
    (True, False)
    """
    lead = len(line) - len(line.lstrip())
    if not line[lead:].lstrip("*_")[:1].isupper():
        return False
    # Folded as a whole, not only where _opening_dateline reads the date: what follows the
    # dateline is read in the same letters.
    return _as_written_or_folded(lambda read: _opens_with_dateline_at(read, lead), line, lead)


def _opens_with_dateline_at(line: str, lead: int) -> bool:
    found = _opening_dateline(line, lead)
    if found is None:
        return False
    if line[found[0] - 1] == "." and _WIRE_DATELINE.match(line, lead) is None and not _CAPITALS.match(line, lead):
        # "... met in" / "Minsk, 14 May 2024. The Council said.": a sentence wrapped before
        # its place and date, as a PDF line may be; "MOSCOW, 14 May 2024. The ..." is a wire's.
        return False
    opening = line[found[1] :].lstrip("*_")[:1]
    return opening.isupper() or opening.isdigit() or opening in _OPENERS + "\u201e"


def _fragment_heads(buffer: str, start: int, end: int | None = None) -> tuple[int, list[tuple[int, int]]]:
    """Cut ``buffer[start:end]`` into pieces of at most MAX_STATEMENT_CHARS, at word boundaries.

    Returns where the last piece starts and the spans of the pieces before it; without
    ``end`` (a statement that may go on), pieces are cut only while more than
    MAX_STATEMENT_CHARS are known, so a statement is cut the same however it is fed.
    A run of that many characters without a space is cut where the limit falls.
    """
    end = len(buffer.rstrip()) if end is None else end
    heads = []
    while end - start > MAX_STATEMENT_CHARS:
        limit = start + MAX_STATEMENT_CHARS
        cut = limit
        while cut > start and not buffer[cut].isspace():
            cut -= 1
        if cut == start:
            cut = limit
        heads.append(_strip_span(buffer, start, cut))
        start = cut
        while start < end and buffer[start].isspace():
            start += 1
    return start, heads


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")


def _after_heading_marker(text: str, start: int, end: int) -> int:
    """``start`` moved past a Markdown heading marker ("# ", "## ") opening ``text[start:end]``:
    the marker is layout, as a bullet's is, and stays out of the statement.

    Examples
    --------
    >>> _after_heading_marker("## Outcomes", 0, 11), _after_heading_marker("#5 on the list", 0, 14)
    (3, 0)
    """
    found = _MARKDOWN_HEADING.match(text, start, end)
    return found.end() if found else start


# One or two initials ("А.В", "И"), and a name written in Title Case ("Бортников", "Smith").
_INITIALS = re.compile(r"[A-ZА-ЯЁ](?:\.[A-ZА-ЯЁ])?")
_SURNAME = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?")
# Initials with the surname glued after them, as Russian sites write it: "А.В.Бортников".
_GLUED_INITIALS = re.compile(r"(?:[A-ZА-ЯЁ]\.){1,2}[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at ``dot`` closes an abbreviation or an initial, not a sentence."""
    begin = dot
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    token = text[begin:dot].lstrip(_OPENERS)
    if not token:
        return False
    if "." in token:  # U.S, A.V, e.g, i.e, 10.06.2025 (see _abbreviation_ends_sentence)
        # ... but not a surname glued to its initials ("А.В.Бортников. Он ..."): the full
        # stop is the sentence's (two sentences were read as one).
        return _GLUED_INITIALS.fullmatch(token) is None
    if len(token) == 1 and token.isalpha():  # initials: "A. Smith"
        return True
    return token.lower() in _ABBREVIATIONS


def _token_before(text: str, end: int) -> tuple[str, int]:
    """The whitespace-delimited token ending at ``end``, and where it begins."""
    begin = end
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end].lstrip(_OPENERS), begin


def _abbreviation_ends_sentence(text: str, dot: int, follower: int) -> bool:
    """Whether an abbreviation closes its sentence all the same.

    "и т.д." and "и др." close a list; "2025 г." or "1,2 т." close a sentence when the
    next word can only open one ("В ходе ...", "Участники ..."), and so do "U.S." or "etc."
    ("... in the U.S. The Council ...").
    """
    token, begin = _token_before(text, dot)
    token = token.lower()
    if token in _FINAL_ABBREVIATIONS:
        return True
    if _NUMBER_WITH_DOTS.fullmatch(token):
        # "held on 10.06.2025. The Council": a date ends its sentence before any capital; another
        # number with dots only before a word that opens one ("Article 5.1. The parties", but
        # "согласно п. 3.2. Положения").
        return bool(_DOTTED_DATE.fullmatch(token)) or _next_word(text, follower) in _ANY_SENTENCE_OPENERS
    if token in _EN_FINAL_ABBREVIATIONS:
        return _next_word(text, follower) in _EN_SENTENCE_OPENERS
    if token in _YEAR_ABBREVIATIONS:
        # "в ноябре т.г. В ходе ...", "в 2023-2024 г.г. Участники ...": as "2025 г." does
        # (the next sentence was read with them)
        return _next_word(text, follower) in _SENTENCE_OPENERS
    previous, before = _token_before(text, begin - 1) if begin > 0 else ("", 0)
    if token in ("д", "п") and previous.lower() == "т.":  # "и т. д."
        return True
    # Initials after a surname ("... выступил Бортников А.В. В ходе ...", "Иванов И. И. Он
    # ..."): they close the sentence before a word that can only open one, as "2025 г." does
    # (the next sentence was read with them); before a name they are the name's ("А.В. Бортников").
    if _INITIALS.fullmatch(text, begin, dot):
        if _INITIALS.fullmatch(previous.rstrip(".")) and previous.endswith(".") and before > 0:
            previous = _token_before(text, before - 1)[0]  # "Иванов И. И."
        if _SURNAME.fullmatch(previous) and text[follower + 1 : follower + 2] != ".":  # "И. И.": one more initial
            return _next_word(text, follower) in _ANY_SENTENCE_OPENERS
    # The unit may follow another that follows the number ("2 млн руб.", "3 тыс. т."): it
    # closed its sentence only after a digit, and "2 млн руб. В ходе ..." was one statement.
    if token in _UNIT_ABBREVIATIONS and (previous[:1].isdigit() or previous.lower().rstrip(".") in _UNIT_ABBREVIATIONS):
        return _next_word(text, follower) in _SENTENCE_OPENERS
    return False


def _next_word(text: str, at: int) -> str:
    """The word that starts at ``at``, lower-cased ("" when none does)."""
    word = re.match(r"[^\W\d_]+", text[at : at + 40])
    return word.group().lower() if word else ""


# A quotation in «ёлочки» closed within this many characters of a sentence end inside it is
# read whole with the sentence that gives it ("Он подчеркнул: «Угрозы сохраняются. Мы
# продолжим работу»."): its second sentence was a statement without its speaker, its
# guillemets unbalanced. A longer quotation (a speech) is cut into its sentences.
_QUOTATION_SPAN = 300


def _inside_quotation(text: str, cursor: int, stop: int, end: int) -> bool:
    """Whether ``stop`` (a sentence end) falls inside a « opened since ``cursor`` and closed
    by a » within :data:`_QUOTATION_SPAN` characters, before ``end``."""
    if text.count("\u00ab", cursor, stop) <= text.count("\u00bb", cursor, stop):
        return False
    close = text.find("\u00bb", stop, min(end, stop + _QUOTATION_SPAN))
    return close >= 0 and "\u00ab" not in text[stop:close]


def _sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]``, stripped of surrounding space."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    quoted = "\u00ab" in text
    colon = ":" in text and _COLON_AT_LINE_END.search(text, start, end) is not None
    for match in (_SENTENCE_OR_LEAD_IN_END if colon else _SENTENCE_END).finditer(text, start, end):
        stop = match.end()
        nxt = stop
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            break
        follower = text[nxt]
        if follower in "*_":  # "... met. **Drones** were ...": a sentence opens in emphasis
            follower = text[nxt : nxt + 4].lstrip("*_")[:1] or follower
        if not (follower.isupper() or follower.isdigit() or follower in _OPENERS):
            continue
        punct = match.group()
        if (
            punct.rstrip(_CLOSERS) == "."
            and _is_abbreviation(text, match.start())
            and not _abbreviation_ends_sentence(text, match.start(), nxt)
        ):
            continue
        if quoted and _inside_quotation(text, cursor, stop, end):
            continue
        s, e = _strip_span(text, cursor, stop)
        if _RUN_IN_HEADING.fullmatch(text, s, e) or _SECTION_NUMBER.fullmatch(text, s, e):
            continue
        if s < e:
            spans.append((s, e))
        cursor = stop
    s, e = _strip_span(text, cursor, end)
    if s < e:
        spans.append((s, e))
    return spans


_TABLE_RULE_CHARS = frozenset("|+-=: \t")


def _is_table_line(line: str) -> bool:
    """A row of a text table ("| Kazakhstan | 12 |", "State | Cases | Frozen assets",
    "Kazakhstan | 12 |") or its rule ("|---|:--:|", "+------+-----+").

    A row of two cells needs a pipe at its end as well ("Kazakhstan | 12 |", how trafilatura
    1.x ends every cell of an HTML table): "Drones | UAV" alone may be a heading.

    Examples
    --------
    >>> [_is_table_line(x) for x in ("| a | b |", "a | b | c", "a | b |", "|---|---|", "+----+")]
    [True, True, True, True, True]
    >>> [_is_table_line(x) for x in ("A | B.", "Drones | UAV", "Total |", "---")]
    [False, False, False, False]
    """
    stripped = line.strip()
    if not stripped:
        return False
    if set(stripped) <= _TABLE_RULE_CHARS:
        return ("|" in stripped or "+" in stripped) and (stripped.count("-") + stripped.count("=")) >= 3
    framed = stripped[0] == "|" and stripped[-1] == "|" and stripped.count("|") >= 2
    closed = stripped.endswith(" |") and " | " in stripped[:-2]
    return framed or closed or stripped.count(" | ") >= 2


def _is_table(paragraph: str) -> bool:
    """Every non-blank line of ``paragraph`` is a table row or rule; or the paragraph is
    rows of two cells, two or more of them ("State | Detained" / "Kazakhstan | 14").

    One such row alone may be a heading ("Drones | UAV") and a line ending as sentences do
    a sentence with a pipe in it, so two-cell rows count only in numbers and none of them
    may end with a full stop, a colon or the like.

    Examples
    --------
    >>> _is_table("State | Detained\\nKazakhstan | 14\\nKyrgyzstan | 9")
    True
    >>> _is_table("Drones | UAV"), _is_table("The council met | in Minsk.\\nDrones | were seen.")
    (False, False)
    """
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    if not lines:
        return False
    if all(_is_table_line(line) for line in lines):
        return True
    rows = [line for line in lines if not set(line) <= _TABLE_RULE_CHARS]
    return (
        len(rows) >= 2
        and all(_is_table_line(line) or (line.count(" | ") == 1 and line[-1] not in _TERMINAL + ":;,") for line in lines)
    )


# A line that ends as a sentence, a lead-in or a list item does ("agreed.", "the parties:",
# "drones;", "…»"): the line break after it may be the author's.
_ENDS_A_STATEMENT = re.compile(r"[.!?\u2026:;][\"')\]\u201d\u2019\u00bb]*\Z")
# Hard-wrapped text: at least this many line breaks inside a sentence, and at least this
# share of the line breaks between two lines of text ...
_MIN_WRAPS = 2
_MIN_WRAP_SHARE = 0.5
# ... at a width of at least this many characters, most (this share) of the lines so broken
# at least this fraction of it long: a tool wraps at a fixed width, at the last space before it.
_MIN_WRAP_WIDTH = 40
_MIN_FILLED_SHARE = 0.75
_FILLED = 0.6


def looks_hard_wrapped(text: str) -> bool:
    """Whether the line breaks of ``text`` are a fixed-width wrap, not the author's.

    A bulletin saved from e-mail or a wire feed has its lines cut at 70-80 columns; the text
    reader asks this of a file's first lines (its first
    :data:`themes.readers.text.WRAP_SAMPLE_CHARS` characters) and marks the document
    ``wrapped``, to be segmented with ``unwrap=True``. Such text breaks lines inside
    sentences (a line that does not end as a statement does, above one that goes on in lower
    case), at least twice and in at least half of the places where a line of text follows
    another, and the lines so broken are of much the same width: three in four at least 0.6
    of the wrap's width (the longest but a tenth of them), which is 40 characters or more. A
    line that a bullet marker opens, and the rows of a table, do not count: their line
    breaks are the author's. So a file of one statement per line, a list or a table is not
    wrapped.

    Parameters
    ----------
    text : str
        Whole lines of the text (its start is enough).

    Returns
    -------
    bool

    Examples
    --------
    >>> looks_hard_wrapped(
    ...     "The Council met in Tashkent under the chairmanship of its director and\\n"
    ...     "reviewed the situation on the southern borders of the member states\\n"
    ...     "and the return of fighters from the conflict zones.\\n")
    True
    >>> looks_hard_wrapped("The Council met in Tashkent.\\nIt reviewed the situation on the borders.\\n"
    ...                    "Border security\\nDrones were seen near the border.\\n")
    False
    """
    lines = text.splitlines()
    breaks = 0
    widths = []
    for line, after in zip(lines, lines[1:]):
        line = line.rstrip()
        if not line.strip() or not after.strip() or _BULLET.match(after):
            continue
        if _is_table_line(line) or _is_table_line(after):
            continue
        breaks += 1
        if not _ENDS_A_STATEMENT.search(line) and after.lstrip()[:1].islower():
            widths.append(len(line))
    if len(widths) < max(_MIN_WRAPS, _MIN_WRAP_SHARE * breaks):
        return False
    widths.sort()
    width = widths[int(0.9 * (len(widths) - 1))]  # the wrap's width, a stray long line aside
    filled = sum(1 for w in widths if _FILLED * width <= w)
    return width >= _MIN_WRAP_WIDTH and filled >= _MIN_FILLED_SHARE * len(widths)


def _marker_kind(marker: str) -> str:
    """The kind of a bullet's marker: "number" ("1.", "(2)"), "subnumber" ("2.1."), "letter"
    ("a)", "(b)", "iv."), or "glyph" ("-", "–", "•").

    Examples
    --------
    >>> _marker_kind("1. "), _marker_kind("(a) "), _marker_kind("ii. "), _marker_kind("\u2013 ")
    ('number', 'letter', 'letter', 'glyph')
    """
    marker = marker.strip().lstrip("(")
    if marker[:1].isdigit():
        # "2.1." under "2.": another kind, so the items under a point are nested in it
        return "subnumber" if "." in marker[:-1] else "number"
    return "letter" if marker[:1].isalpha() else "glyph"


def _is_heading_like(line: str) -> bool:
    stripped = line.strip()
    # "**The participants:**" ends as a lead-in does, its emphasis markers aside; and a
    # quotation closed after its full stop ('... said: "Drones are a threat."', "«... .»")
    # ends as a sentence does (it was a heading, left out of trends), while a heading may
    # end with a quoted name ('Exercise "Interaction-2025"').
    tail = stripped.rstrip("*_")
    tail = tail.rstrip(_CLOSERS) or tail  # a line of closers alone (")") is read as before
    return 0 < len(stripped) <= 150 and tail[-1:] not in _TERMINAL + ":;,"


def _ends_as_lead_in(text: str) -> bool:
    """A sentence ending in a colon, also inside Markdown emphasis ("**The participants:**")."""
    return text.rstrip("*_").endswith(":")


# A line that opens with two words in lower case goes on with a sentence ("and heard experts",
# "и обсудили угрозы"); a contact line does not ("тел.: +7 495 ...", "www.ecrats.org").
_GOES_ON = re.compile(r"[ \t]*[*_]*[a-zа-яё]+[ \t]+[a-zа-яё]")
# The end of a sentence inside a line: a word in lower case, a stop, then a capital ("The
# Council met. It heard experts"), unless the stop is an abbreviation's ("ул. Ленина").
_STOP_INSIDE = re.compile(
    r"(?<![^\W\d_])[a-zа-яё]{2,}(?P<stop>[.!?\u2026])[\"')\]\u201d\u2019\u00bb]*[ \t]+[\"'(\u201c\u2018\u00ab]?[A-ZА-ЯЁ]"
)
# Initials or a capital abbreviation ending a line ("Пресс-секретарь Иванов И.И.", "U.N.").
_FINAL_INITIALS = re.compile(r"(?<!\S)(?:[A-ZА-ЯЁ]\.){1,3}\Z")


def _is_header_line(line: str) -> bool:
    """A line of a press release's header block, not of running text: a heading (one ending
    in initials too, "Пресс-секретарь Иванов И.И."), a date line, or a short label ending in
    a colon ("Media contacts:").

    A header block (title, subtitle, contacts, document symbol, date, committee) is made of
    such lines, on their own or stacked; the first paragraph with any other line is running
    text and ends it: a line that goes on in lower case ("and heard experts"), holds the end
    of a sentence ("The Council met. It heard experts"), ends as a sentence ends ("The Council
    met in Tashkent."), or is longer than a heading.

    Examples
    --------
    >>> [_is_header_line(line) for line in ("Media contacts:", "Tel. 212 963 1234", "SC/16012", "Иванов И.И.")]
    [True, True, True, True]
    >>> [_is_header_line(line) for line in ("17 ноября 2025 г.", "тел.: +7 495 123 45 67", "ул. Ленина, 5")]
    [True, True, True]
    >>> [_is_header_line(line) for line in ("and heard experts", "The Council met. It heard experts")]
    [False, False]
    >>> [_is_header_line(line) for line in ("The Council met in Tashkent.", "During the second session the participants:")]
    [False, False]
    """
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > 150 or _GOES_ON.match(stripped):
        return False
    for stop in _STOP_INSIDE.finditer(stripped):
        dot = stop.start("stop")
        if stripped[dot] != "." or not _is_abbreviation(stripped, dot):
            return False
    core = stripped[:-1] if _FINAL_INITIALS.search(stripped) else stripped
    if _is_heading_like(core) or (_ends_as_lead_in(core) and len(core.split()) <= _LABEL_WORDS):
        return True
    return _is_dateline(stripped)


def _looks_like_title(line: str) -> bool:
    """A first line in Title Case or capitals (so that it may sit right above text)."""
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", line)
    if not words:
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.5


def _breaks_a_word(line: str) -> bool:
    """A line ending in a hyphen glued to a word: the word, or the compound, goes on below.

    Examples
    --------
    >>> _breaks_a_word("The Russian- "), _breaks_a_word("Mountain Shield-"), _breaks_a_word("Финан-")
    (True, True, True)
    >>> _breaks_a_word("Anti-Terrorism Council -"), _breaks_a_word("Anti-Terrorism Council")
    (False, False)
    """
    stripped = line.rstrip()
    return len(stripped) > 1 and stripped[-1] in "-\u2010\u2011\u00ad" and stripped[-2].isalnum()


def _russian_title_above(line: str, follower: str) -> bool:
    """A Cyrillic first line above a line that opens a sentence: a title in sentence case.

    Russian titles capitalise their first word only ("Заседание совета руководителей
    органов безопасности"), so the capital of the next line tells them from a paragraph.
    """
    cyrillic = sum(1 for ch in line if "\u0400" <= ch <= "\u04ff")
    if cyrillic <= sum(1 for ch in line if ch.isascii() and ch.isalpha()):
        return False
    opening = follower.lstrip()[:1]
    return opening.isupper() or opening.isdigit() or opening in "«\"("


def _dated_title_above(line: str, follower: str) -> bool:
    """A first line that reads as a dateline, above a line that is or opens with a dateline
    of its own, its year written: the first is the title ("Outcomes FATF Plenary, 22-24
    October 2025" / "Paris, 24 October 2025 - The FATF Plenary met ..."), for a bulletin has
    one dateline. A date alone ("24 October 2025") above it is the page's date line, and so
    is one above a wire dateline without its year ("PARIS, 24 October (AFP) -"), which it
    dates: both stay datelines, as before.

    Examples
    --------
    >>> _dated_title_above("Outcomes FATF Plenary, 22-24 October 2025", "Paris, 24 October 2025 - The FATF met.")
    True
    >>> _dated_title_above("24 October 2025", "PARIS, 24 October 2025 - The FATF met.")
    False
    >>> _dated_title_above("Paris, 24 October 2025", "PARIS, 24 October (AFP) - The FATF met.")
    False
    """
    found = search_date(line)
    if found is None or not re.search(r"[^\W\d_]", line[: found.start] + line[found.end :]):
        return False
    lead = len(follower) - len(follower.lstrip())
    if _is_dateline(follower):
        below = follower
    elif _opens_with_dateline(follower):
        below = follower[lead : _opening_dateline(follower, lead)[0]]
    else:
        return False
    return search_date(below) is not None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _lines(chunks: Iterable[str]) -> Iterator[tuple[int, str, bool]]:
    """(offset, line with its line break, continues-previous-line) from text chunks."""
    offset = 0
    carry = ""
    continued = False
    for chunk in chunks:
        if not chunk:
            continue
        pieces = (carry + chunk).splitlines(keepends=True)
        carry = ""
        last = pieces[-1]
        # An unfinished last line (or a "\r" that may start "\r\n") waits for more text.
        if last == last.rstrip("\r\n") or last.endswith("\r"):
            carry = pieces.pop()
        for piece in pieces:
            yield offset, piece, continued
            continued = False
            offset += len(piece)
        while len(carry) > MAX_LINE_CHARS:
            cut = carry.rfind(" ", 0, MAX_LINE_CHARS) + 1 or MAX_LINE_CHARS
            yield offset, carry[:cut], continued
            continued = True
            offset += cut
            carry = carry[cut:]
    if carry:
        yield offset, carry, continued


class _Segmenter:
    """The line-by-line state machine behind :func:`iter_segments`."""

    def __init__(self, unwrap: bool = False, markdown: bool = False):
        self.unwrap = unwrap
        self.markdown = markdown
        self.index = 0
        self.unit_kind: str | None = None  # "paragraph" or "bullet"
        self.unit_start = 0
        self.unit_parts: list[str] = []
        self.unit_size = 0
        self.context: str | None = None
        # A list item ending as a lead-in ("- The participants:") above items indented
        # under it is their lead-in: (its indent, the context around it) per nesting level.
        # A list nested by its kind of marker at the same indent ("1. ...:" / "(a) ...") also
        # keeps the kind of its lead-in's marker: an item of that kind is back in the list.
        self.nested: list[tuple[int, str | None, str | None]] = []
        self.bullet_indent = 0  # of the bullet being read
        self.bullet_marker = ""  # and the kind of its marker (_marker_kind)
        self.line_number = 0  # non-blank lines seen
        self.head_open = True  # title/dateline may still come
        self.seen_dateline = False
        self.units_done = 0
        # No paragraph of running text yet, only the lines of a header block (_is_header_line),
        # and, with unit_header, every line of the unit being read is one.
        self.header_block = True
        self.unit_header = True
        self.first_line: tuple[int, str] | None = None
        self.first_dated = False  # the first line waiting is a dateline unless its follower says title
        # A dateline's line ending in a colon ("On 14 May 2024 Participants:", "Минск, 14 мая
        # 2024 г.:"), waiting for its follower: above a list item it is the items' lead-in.
        self.colon_dated: tuple[int, str] | None = None
        # The unit's first statement goes on from fragments already emitted.
        self.continues_fragment = False
        # A list item ending in a colon was followed by blank lines, kept open for the items
        # that may come under it.
        self.bullet_gap = False
        # A list item's marker alone on the line above (_LONE_MARKER), waiting for its text.
        self.lone_marker: str | None = None
        self.last_kind: str | None = None  # of the last statement made
        # The paragraph being flushed stands above a line opening with the dateline
        # (_dateline_below): lines of a title, which a sentence of its own says.
        self.above_dateline = False

    # ------------------------------------------------------------------ output
    def _make(self, start: int, end: int, text: str, kind: str, context=None, fragment=False) -> Segment:
        if self.unwrap and kind != "table":  # a table's rows are its lines
            text = unwrap_lines(text)
        if self.markdown and kind != "table":
            text = plain_markdown(text)
        seg = Segment(text=text, start=start, end=end, index=self.index, context=context, kind=kind, fragment=fragment)
        self.index += 1
        self.last_kind = kind
        return seg

    def _context(self, text: str) -> str:
        """A lead-in's or heading's text as the context of the bullets below it."""
        return _collapse(plain_markdown(text) if self.markdown else text)

    def _emit_span(self, buffer: str, base: int, s: int, e: int, kind: str, context=None, fragment=False) -> Segment:
        return self._make(base + s, base + e, buffer[s:e], kind, context, fragment)

    # ------------------------------------------------------------------- units
    def feed(self, offset: int, raw: str, continued: bool) -> Iterator[Segment]:
        quote = 0
        if self.markdown and not continued:
            marker = _MD_QUOTE.match(raw)
            if marker is not None:
                # "> The participants noted ...": the line is read without its blockquote
                # markers, blanked so that offsets still index the text given.
                quote = marker.end()
                raw = " " * quote + raw[quote:]
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        if continued and self.unit_kind is not None:
            yield from self._append(raw)
            return
        lone = self.line_number > 0 and _LONE_MARKER.match(body) is not None
        if (
            not body.strip()
            or _SEPARATOR_LINE.match(body)
            or (self.line_number == 0 and _LONE_MARKS.match(body))
            or (lone and self._below_head())
        ):
            if body.strip():
                # A separator line, or a mark below the title or the dateline: layout, which a
                # marker alone above it does not reach across.
                self.lone_marker = None
            # A blank line keeps a marker alone above it waiting for its text ("The
            # participants:" / "•" / "" / "agreed on ...;": web pages space a list's lines; the
            # item was a sentence without its lead-in). At the text's end it marks nothing.
            if self.unit_kind == "bullet" and not self.continues_fragment and not body.strip() and self._ends_in_colon():
                # "2. Поручить Секретариату:" / "" / "- подготовить доклад;": a blank line below a
                # list item ending in a colon (web pages and documents space their items) does
                # not end it before the next line says whether items come under it (they had
                # the outer list's lead-in as context).
                self.bullet_gap = True
                yield from self._append(raw)
                return
            yield from self.flush()
            if self.unit_kind is None and self.first_line is not None and not self.first_dated:
                yield from self._flush_first_line(title=True)
            return
        if lone:
            # "The participants:" / "•" / "agreed on ...;": the next line's marker, blank lines
            # between or not (one above another marker marked nothing). The line is no part of
            # the unit being read, which the item's line ends as a bullet's line does.
            self.lone_marker = body
            return
        marker_line, self.lone_marker = self.lone_marker, None
        self.line_number += 1
        if self.line_number > _HEAD_LINES:
            self.head_open = False
            if self.line_number > _HEADER_BLOCK_LINES:
                self.header_block = self.unit_header = False
        if self.first_line is not None:
            # The first line waits to see its follower: a title stands alone or above a
            # dateline (PDF text has no blank lines). One that breaks a word at its end
            # ("The Russian-" / "Chinese talks ..."), or that the next line goes on from in
            # lower case, is the start of a sentence.
            first = self.first_line[1]
            title = _dated_title_above(first, body) if self.first_dated else not _breaks_a_word(first) and (
                _is_dateline(body)
                or (
                    not _BULLET.match(body)
                    and not body.lstrip()[:1].islower()
                    and (_looks_like_title(first) or _russian_title_above(first, body) or _opens_with_dateline(body))
                )
            )
            yield from self._flush_first_line(title=title)
        bullet = _BULLET.match(body)
        if bullet and self.unwrap and self._wrapped_dash(body):
            bullet = None
        # A list item: (its marker with the indent before it, the offset of its text, its text).
        item = None
        if bullet:  # a line with a marker of its own is its item, one alone above it or not
            item = (body[: bullet.end()], offset + bullet.end(), raw[bullet.end() :])
        elif marker_line is not None:
            item = (marker_line, offset, raw)  # the marker alone on the line above
        if self.colon_dated is not None:
            yield from self._flush_colon_dated(lead_in=item is not None)
        if self.bullet_gap:
            self.bullet_gap = False
            if not item:
                yield from self.flush()  # no item under it: the blank line ended it
        fresh = self.unit_kind is None or (self.unit_kind == "paragraph" and len(self.unit_parts) == 1)
        if self.head_open and not self.seen_dateline and not item and fresh and _is_dateline(body):
            yield from self.flush()
            if body.rstrip().endswith(":"):
                # "On 14 May 2024 Participants:" / "- agreed ...;": a lead-in if list items follow
                # (they had no context), blank lines between or not; else the dateline.
                self.colon_dated = (offset, body)
                return
            if self.index == 0 and self.units_done == 0 and self.line_number == 1:
                # A dated first line may be the title ("Outcomes FATF Plenary, 22-24 October
                # 2025") above the bulletin's dateline: it waits for the next line of text.
                self.first_line = (offset, raw)
                self.first_dated = True
                return
            yield self._dateline_line(body, offset)
            return
        if item:
            head, item_start, item_text = item
            indent = len(head) - len(head.lstrip(" \t"))
            marker = _marker_kind(head)
            # Items of another kind of marker at the same indent are nested all the same:
            # "1. Decides that all States shall:" / "(a) prevent ...;", "1. Рассмотрели:" /
            # "– финансирования ...;" (their context was the list's, not the item's).
            other_kind = indent == self.bullet_indent and marker != self.bullet_marker
            if not (
                (indent > self.bullet_indent or other_kind)
                and (yield from self._flush_bullet_lead_in(self.bullet_marker if other_kind else None))
            ):
                yield from self.flush()
            while self.nested and (
                indent < self.nested[-1][0] or (indent == self.nested[-1][0] and self.nested[-1][2] in (None, marker))
            ):
                # Back in the list around a nested one: its lead-in is the context again.
                self.context = self.nested.pop()[1]
            self.bullet_indent = indent
            self.bullet_marker = marker
            self.head_open = False
            self._open_unit("bullet", item_start, item_text)
            return
        if self.unit_kind == "bullet":
            # The last character written so far, without joining the parts (a bullet of
            # many lines would be joined once per line).
            pending = next((part.rstrip()[-1] for part in reversed(self.unit_parts) if part.strip()), "")
            indented = body[quote : quote + 1] in (" ", "\t")  # inside a blockquote, after its marker
            if indented or (pending and pending not in _TERMINAL + ":;") or (pending == "." and self._abbreviation_goes_on(body)):
                yield from self._append(raw)
                return
            yield from self.flush()
            if pending == ";" and body[:1].islower():
                # A list item whose marker was lost ("- noted X;" then "noted Y;"): the
                # semicolon says the list goes on, the lower-case verb that a bullet
                # continues the lead-in with. It keeps the list's lead-in as context.
                self._open_unit("bullet", offset, raw)
                return
        if self.markdown and _MARKDOWN_HEADING.match(body.lstrip(" ")) and _is_heading_like(body):
            # "## Outcomes" is a heading on its own line, whatever line follows it.
            yield from self.flush()
            if self.index == 0 and self.units_done == 0 and self.line_number == 1:
                self.first_line = (offset, raw)
                yield from self._flush_first_line(title=True)
                return
            self._open_unit("paragraph", offset, raw)
            yield from self.flush()
            return
        if self._dates_the_header_block(body):
            if (yield from self._header_block_dateline(body, offset)):
                return
        elif self.unit_kind is None:
            if self.index == 0 and self.units_done == 0 and self.line_number == 1 and _is_heading_like(body):
                self.first_line = (offset, raw)
                return
            self._open_unit("paragraph", offset)
        elif self.unit_kind == "paragraph":
            if body[:1].islower() and body.rstrip().endswith(";") and self._ends_in_colon():
                # "участники:" / "обсудили угрозы;" / "одобрили план.": a list whose markers the
                # page lost, below its lead-in (all of it was one sentence). The semicolon says
                # a list item, as for an item that lost its marker after one that kept it.
                yield from self.flush()
                self._open_unit("bullet", offset, raw)
                return
            elif self._dateline_below(body):
                # "Информационный бюллетень ... антитеррористической" / "структуры ШОС" /
                # "ТАШКЕНТ, 2 декабря 2025 г. В Ташкенте ...": PDF text keeps no blank line
                # between a title of two lines and the dateline below it (the title was the
                # dateline's first sentence, the bulletin dated by its file name).
                self.above_dateline = True
                yield from self.flush()
                self.above_dateline = False
                self._open_unit("paragraph", offset)
            else:
                yield from self._flush_heading_above(body, offset)
        yield from self._append(raw)

    def _below_head(self) -> bool:
        """Whether a line now is right below the title (the first line, waiting to be told
        one) or the dateline: a list item's marker alone there (:data:`_LONE_MARKER`) is what
        is left of a page's layout ("Council meets in Minsk" / "-" / "The Council met ..."),
        or the dateline's dash ("MINSK, 14 May 2024" / "-"), as one above the text's first
        line is (:data:`_LONE_MARKS`), and reads as a blank line."""
        if self.colon_dated is not None:
            return False  # "MINSK, 14 May 2024:" / "•" / "agreed ...;": the marker of an item below a lead-in
        return self.first_line is not None or (self.unit_kind is None and self.last_kind in ("title", "dateline"))

    def _dates_the_header_block(self, line: str) -> bool:
        """Whether ``line``, below the lines of a header block only (a title first), is its date
        line or dateline ("17 November 2025", "NEW YORK, 17 November (UN) -") or opens with an
        agency's wire dateline ("NEW YORK, 17 November (UN) - The Committee ...")."""
        if not (self.header_block and self.unit_header and self.index > 0 and self.unit_kind in (None, "paragraph")):
            return False
        if _is_dateline(line):
            return True
        lead = len(line) - len(line.lstrip())
        return (
            self.unit_kind == "paragraph"
            and _opening_dateline(line, lead, wire_only=True) is not None
            and _opens_with_dateline(line)
        )

    def _header_block_dateline(self, line: str, offset: int) -> Generator[Segment, None, bool]:
        """The header block's lines above ``line`` (:meth:`_dates_the_header_block`), then
        ``line`` as the dateline if it is a date line alone, the first (True); else a paragraph
        is opened at ``line``, whose dateline the paragraph's end reads (False).

        "Counter-Terrorism Committee" / "NEW YORK, 17 November (UN) -": the lines of a header
        block right above a dateline are no part of the text below, though longer than the
        dateline: headings, each line alone when all read as headings ("Security Council" /
        "Counter-Terrorism Committee"), else one paragraph ("Media contacts:" / "Press Office").
        """
        if self.unit_kind == "paragraph":
            lines = self.unit_parts if all(_is_heading_like(part) for part in self.unit_parts) else []
            start = self.unit_start
            for part in lines[:-1]:
                self.unit_parts, self.unit_size = [part], len(part)
                yield from self.flush()
                start += len(part)
                self.unit_kind, self.unit_start = "paragraph", start
            if lines:
                self.unit_parts, self.unit_size = [lines[-1]], len(lines[-1])
            yield from self.flush()
        lead = len(line) - len(line.lstrip())
        if not self.seen_dateline and _is_dateline(line) and _opening_dateline(line, lead) is None:
            yield self._dateline_line(line, offset)  # "17 November 2025" below a title, a subtitle, contacts
            return True
        self._open_unit("paragraph", offset)
        return False

    def _ends_in_colon(self) -> bool:
        """Whether the paragraph being read ends in a colon at a line's end (a lead-in)."""
        last = self.unit_parts[-1].rstrip() if self.unit_parts else ""
        if not last:  # blank lines kept below it (bullet_gap)
            last = next((part.rstrip() for part in reversed(self.unit_parts) if part.strip()), "")
        return last.endswith(":")

    def _flush_heading_above(self, line: str, offset: int) -> Iterator[Segment]:
        """The paragraph's last line as a heading of its own, if it reads as one above ``line``.

        Text read from a web page has no blank line between a heading and its text
        ("Итоги" / "По итогам заседания ...", "Jurisdictions under increased monitoring" /
        "The FATF added ..."): the heading was glued to the sentence below. A line is a
        heading there when it opens the paragraph or follows a line that ends as a statement
        does, is short (half the line below at most, which a line of a sentence wrapped by
        hand is not), ends in a word without final punctuation, is no dateline, and the line
        below opens with a capital. Not in wrapped text, whose line breaks are layout.
        """
        if self.unwrap or self.continues_fragment or self.index == 0 or not self.unit_parts:
            return
        above = self.unit_parts[-1]
        heading = above.strip()
        before = next((part.rstrip() for part in reversed(self.unit_parts[:-1]) if part.strip()), None)
        if not (
            above.endswith(("\n", "\r"))
            and len(above.splitlines()) == 1  # a line, not what a long paragraph left of itself
            and _is_heading_like(heading)
            and 2 * len(heading) <= len(line.strip())
            and (heading[-1].isalnum() or heading[-1] in _CLOSERS)
            and heading.lstrip("*_#")[:1].isupper()
            and line.lstrip().lstrip("*_")[:1].isupper()
            and (before is None or _ENDS_A_STATEMENT.search(before))
            and not _is_table_line(heading)
            and not _is_dateline(heading)
            and _opening_dateline(heading, 0) is None
        ):
            return
        self.unit_parts.pop()
        self.unit_size -= len(above)
        start = offset - len(above)
        if self.unit_parts:
            yield from self.flush()  # the paragraph above the heading
        self._open_unit("paragraph", start, above)
        yield from self.flush()  # one line alone: a heading, the context of a list below it
        self._open_unit("paragraph", offset)

    def _dateline_below(self, line: str) -> bool:
        """Whether ``line``, below the lines of the paragraph being read, opens with the
        bulletin's dateline (:func:`_opens_with_dateline`: a place and date, then a capital),
        so that it starts a paragraph of its own: in the bulletin's head (its first
        :data:`_HEAD_LINES` lines), no dateline seen yet, one unit done at most (a title),
        where :meth:`_flush_paragraph` reads a dateline opening a paragraph. Wrapped
        text or not: a sentence wrapped before its place and date ("... прошло в городе" /
        "Ташкент, 2 декабря 2025 г. в здании ...") goes on in lower case after the date.
        """
        return (
            self.head_open
            and not self.seen_dateline
            and not self.continues_fragment
            and self.units_done <= 1
            and _opens_with_dateline(line)
        )

    def _abbreviation_goes_on(self, line: str) -> bool:
        """Whether the bullet being read, its last line ending in an abbreviation ("e.g.",
        "т.е.", "No.", "Mr."), goes on in ``line``: the full stop is the abbreviation's
        (not one that closes its sentence), and ``line`` opens in lower case or with a
        number, or with a name after a title ("Mr." / "John Smith"). The item's rest was a
        sentence of its own, without the list's context.
        """
        last = next(part.rstrip() for part in reversed(self.unit_parts) if part.strip())
        opening = line.lstrip()[:1]
        text = last + " " + line.lstrip()
        dot = len(last) - 1
        if not _is_abbreviation(text, dot) or _abbreviation_ends_sentence(text, dot, dot + 2):
            return False
        if opening.islower() or opening.isdigit():
            return True
        return opening.isupper() and _token_before(text, dot)[0].lower() in _TITLES

    def _wrapped_dash(self, line: str) -> bool:
        """A line of wrapped text that opens with a dash the wrap put there, not a bullet's.

        "... государств" / "– участников СНГ ...": a dash between words lands at a line's
        start when the line above was full. So a dash (not a bullet glyph nor a number)
        continues a paragraph whose last line is a long one (:data:`_FULL_LINE`) that ends
        in a word, as no lead-in nor list item does, unless its own line ends as a list
        item does (";": a lead-in that lost its colon, "... the following questions" /
        "- drones;").
        """
        if self.unit_kind != "paragraph" or line.lstrip()[:1] not in "-\u2013\u2014" or line.rstrip().endswith(";"):
            return False
        above = next((part.rstrip() for part in reversed(self.unit_parts) if part.strip()), "")
        return len(above) >= _FULL_LINE and above[-1].isalnum()

    def _flush_first_line(self, title: bool) -> Iterator[Segment]:
        offset, raw = self.first_line
        self.first_line = None
        if self.first_dated and not title:
            self.first_dated = False
            yield self._dateline_line(raw, offset)
        elif title:
            self.first_dated = False
            s, e = _strip_span(raw, 0, len(raw))
            s = _after_heading_marker(raw, s, e)
            self.units_done += 1
            yield self._emit_span(raw, offset, s, e, "title")
        else:
            self._open_unit("paragraph", offset, raw)

    def _open_unit(self, kind: str, start: int, first: str | None = None) -> None:
        """Start reading a unit of ``kind`` ("paragraph", "bullet") at offset ``start``,
        ``first`` its first part (none yet when None)."""
        self.unit_kind = kind
        self.unit_start = start
        self.unit_parts = [first] if first is not None else []
        self.unit_size = len(first) if first is not None else 0
        if kind != "paragraph":
            self.header_block = False  # a list item is running text
        self.unit_header = self.header_block and (first is None or _is_header_line(first))

    def _flush_colon_dated(self, lead_in: bool) -> Iterator[Segment]:
        """The dated line ending in a colon that waited for its follower (``colon_dated``): the
        lead-in of the list items below it (``lead_in``), else the dateline."""
        offset, line = self.colon_dated
        self.colon_dated = None
        if not lead_in:
            yield self._dateline_line(line, offset)
            return
        s, e = _strip_span(line, 0, len(line))
        s = _after_heading_marker(line, s, e)
        self.units_done += 1
        self.nested = []
        yield self._emit_span(line, offset, s, e, "lead_in")
        self.context = self._context(line[s:e])

    def _dateline_line(self, line: str, offset: int) -> Segment:
        """A line that is the bulletin's dateline, as a segment (the dateline is seen)."""
        s, e = _strip_span(line, 0, len(line))
        self.seen_dateline = True
        self.units_done += 1
        return self._emit_span(line, offset, s, e, "dateline")

    def _append(self, raw: str) -> Iterator[Segment]:
        self.unit_parts.append(raw)
        self.unit_size += len(raw)
        if self.unit_header:
            self.unit_header = _is_header_line(raw)
        if self.unit_size > MAX_PARAGRAPH_CHARS:
            if self.unit_kind == "paragraph":
                yield from self._flush_paragraph(partial=True)
            elif self.unit_kind == "bullet":
                yield from self._flush_bullet_head()

    def _flush_bullet_head(self) -> Iterator[Segment]:
        """The head of a bullet grown past MAX_PARAGRAPH_CHARS, as fragments (bounded memory)."""
        buffer = "".join(self.unit_parts)
        keep, heads = _fragment_heads(buffer, _strip_span(buffer, 0, len(buffer))[0])
        for s, e in heads:
            yield self._emit_span(buffer, self.unit_start, s, e, "bullet", self.context, fragment=True)
        if heads:
            self.continues_fragment = True
        self.unit_start += keep
        self.unit_parts = [buffer[keep:]]
        self.unit_size = len(buffer) - keep

    def flush(self) -> Iterator[Segment]:
        if self.unit_kind == "bullet":
            buffer = "".join(self.unit_parts)
            s, e = _strip_span(buffer, 0, len(buffer))
            if s < e and (self.continues_fragment or e - s > MAX_STATEMENT_CHARS):
                yield from self._emit_fragments(buffer, self.unit_start, s, e, "bullet", self.context)
            elif s < e:
                yield self._emit_span(buffer, self.unit_start, s, e, "bullet", self.context)
        elif self.unit_kind == "paragraph":
            yield from self._flush_paragraph(partial=False)
        if self.unit_kind is not None:
            self.units_done += 1
            if not self.unit_header:
                self.header_block = False  # a paragraph of running text ends the header block
        self.unit_header = self.header_block
        self.continues_fragment = False
        self.unit_kind = None
        self.unit_parts = []
        self.unit_size = 0

    def _flush_bullet_lead_in(self, marker: str | None = None) -> Generator[Segment, None, bool]:
        """The bullet being read as the lead-in of the items indented under it, if it ends
        as one ("- The participants:" / "  - agreed on A;"): emitted as ``lead_in`` and made
        their context; False (nothing emitted) otherwise. ``marker``: the kind of the
        bullet's marker, when the items under it are told by theirs, at its indent."""
        if self.unit_kind != "bullet" or self.continues_fragment:
            return False
        buffer = "".join(self.unit_parts)
        s, e = _strip_span(buffer, 0, len(buffer))
        if not (s < e <= s + MAX_STATEMENT_CHARS) or not _ends_as_lead_in(buffer[s:e]):
            return False
        yield self._emit_span(buffer, self.unit_start, s, e, "lead_in")
        self.nested.append((self.bullet_indent, self.context, marker))
        self.context = self._context(buffer[s:e])
        self.units_done += 1
        self.unit_kind = None
        self.unit_parts = []
        self.unit_size = 0
        return True

    def _flush_paragraph(self, partial: bool) -> Iterator[Segment]:
        self.nested = []  # a paragraph ends the lists above it
        buffer = "".join(self.unit_parts)
        base = self.unit_start
        begin = 0
        if not partial and not self.continues_fragment and _is_table(buffer):
            # A table is figures in cells, not sentences: one segment, never split at the
            # full stops of its numbers ("1.5"), scored but not counted as a statement.
            s, e = _strip_span(buffer, 0, len(buffer))
            if e - s <= MAX_STATEMENT_CHARS:
                yield self._emit_span(buffer, base, s, e, "table")
                self.context = None
                self.header_block = self.unit_header = False  # figures are no header
                return
        header = self.header_block  # only a header block's lines above the paragraph
        if partial:
            self.header_block = self.unit_header = False  # a paragraph of 200,000 characters is no header
        if (self.head_open and self.units_done <= 2) or header:
            lead = len(buffer) - len(buffer.lstrip())
            # A web page may give its date on a line of its own and the wire's dateline
            # ("BISHKEK (AKIpress) -") before its first sentence all the same.
            found = _opening_dateline(buffer, lead, wire_only=self.seen_dateline)
            if found:
                s, e = _strip_span(buffer, lead, found[0])
                self.seen_dateline = True
                yield self._emit_span(buffer, base, s, e, "dateline")
                begin = found[1]
        spans = _sentence_spans(buffer, begin)
        heads: list[tuple[int, int]] = []
        if partial:
            # Keep the last (perhaps unfinished) sentence in the buffer; the head of one
            # already longer than MAX_STATEMENT_CHARS goes out as fragments.
            keep = spans.pop()[0] if spans else len(buffer)
            keep, heads = _fragment_heads(buffer, keep)
            self.unit_start = base + keep
            self.unit_parts = [buffer[keep:]]
            self.unit_size = len(buffer) - keep
        single_line = not partial and len(spans) == 1 and "\n" not in buffer.strip()
        # Wrapped text: a title too long for one line stands alone above the text.
        wrapped_title = (
            (self.unwrap or self.above_dateline)
            and not partial
            and len(spans) == 1
            and self.index == 0
            and self.units_done == 0
            and 2 <= len(self.unit_parts) <= _TITLE_LINES  # one line alone decided above
        )
        for s, e in spans:
            text = buffer[s:e]
            if wrapped_title and not self.continues_fragment and _is_heading_like(unwrap_lines(text)):
                s = _after_heading_marker(buffer, s, e)
                yield self._emit_span(buffer, base, s, e, "title")
            elif self.continues_fragment or e - s > MAX_STATEMENT_CHARS:
                yield from self._emit_fragments(buffer, base, s, e, "sentence")
                self.context = None
            elif _ends_as_lead_in(text):
                s = _after_heading_marker(buffer, s, e)
                yield self._emit_span(buffer, base, s, e, "lead_in")
                self.context = self._context(buffer[s:e])
            elif single_line and self.index > 0 and _is_heading_like(text):
                s = _after_heading_marker(buffer, s, e)
                yield self._emit_span(buffer, base, s, e, "heading")
                self.context = self._context(buffer[s:e])
            else:
                yield self._emit_span(buffer, base, s, e, "sentence")
                self.context = None
        if heads:
            for s, e in heads:
                yield self._emit_span(buffer, base, s, e, "sentence", fragment=True)
            self.context = None
            self.continues_fragment = True

    def _emit_fragments(self, buffer: str, base: int, s: int, e: int, kind: str, context=None) -> Iterator[Segment]:
        """A statement over MAX_STATEMENT_CHARS (or the end of one begun) as fragments."""
        self.continues_fragment = False
        keep, heads = _fragment_heads(buffer, s, e)
        for fs, fe in heads:
            yield self._emit_span(buffer, base, fs, fe, kind, context, fragment=True)
        yield self._emit_span(buffer, base, keep, e, kind, context, fragment=True)

    def close(self) -> Iterator[Segment]:
        if self.colon_dated is not None:
            yield from self._flush_colon_dated(lead_in=False)
        if self.first_line is not None:
            yield from self._flush_first_line(title=not self.first_dated)
        yield from self.flush()


def iter_segments(chunks: Iterable[str], *, unwrap: bool = False, markdown: bool = False) -> Iterator[Segment]:
    """Statements of a document given as successive chunks of its text.

    The chunks may break anywhere (inside a line or a word); offsets count from the
    start of the first chunk, so the result equals ``segment("".join(chunks))``.

    Parameters
    ----------
    chunks : iterable of str
    unwrap : bool, default False
        The text's line breaks are layout (PDF or hard-wrapped text, ``Document.wrapped``):
        each statement's text is read as one line (:func:`unwrap_lines`); offsets index the
        text given (see :func:`segment`).
    markdown : bool, default False
        The text is Markdown (a .md file): statements are read without their inline markup
        (see :func:`segment`).

    Yields
    ------
    Segment

    Examples
    --------
    >>> [s.text for s in iter_segments(["One sent", "ence. Two sentences."])]
    ['One sentence.', 'Two sentences.']
    """
    state = _Segmenter(unwrap=unwrap, markdown=markdown)
    for offset, raw, continued in _lines(chunks):
        yield from state.feed(offset, raw, continued)
    yield from state.close()


def segment(text: str, *, unwrap: bool = False, markdown: bool = False) -> list[Segment]:
    """Cut a bulletin's text into statements with offsets, kinds and lead-in context.

    Parameters
    ----------
    text : str
        The whole text of one bulletin.
    unwrap : bool, default False
        The text's line breaks are layout, not the author's (PDF text, a text file
        hard-wrapped at a fixed width: :func:`looks_hard_wrapped`): each statement's text
        is the one-line reading of its span (:func:`unwrap_lines`), and a dash that the
        wrap put at a line's start, or a title wrapped over two or three lines, is read as
        such (see the module's notes).
    markdown : bool, default False
        The text is Markdown (a .md file): a statement's text and a bullet's context are read
        without inline markup (:func:`plain_markdown`: "**drones**" reads "drones", a link
        its text), a line that opens with "# " to "###### " is a heading (or the title) on its
        own, whatever line follows it; offsets index the text given.

    Returns
    -------
    list of Segment
        In document order; ``text[s.start:s.end] == s.text`` for each, or with
        ``unwrap=True`` ``unwrap_lines(text[s.start:s.end]) == s.text`` (a table's text
        is its span as it is); with ``markdown=True``, :func:`plain_markdown` of that.

    Raises
    ------
    TypeError
        ``text`` is not a str.

    Examples
    --------
    >>> [s.text for s in segment("Talks with the U.S. side went on. Art. 5 applies to 1.5 million cases.")]
    ['Talks with the U.S. side went on.', 'Art. 5 applies to 1.5 million cases.']
    >>> [(s.kind, s.text) for s in segment("Agenda:\\n1) drones\\n2) borders")]
    [('lead_in', 'Agenda:'), ('bullet', 'drones'), ('bullet', 'borders')]
    >>> pdf = "The parties discussed coun-\\ntering the use of\\ndrones. They agreed."
    >>> first = segment(pdf, unwrap=True)[0]
    >>> first.text, pdf[first.start : first.end]
    ('The parties discussed countering the use of drones.', 'The parties discussed coun-\\ntering the use of\\ndrones.')
    """
    if not isinstance(text, str):
        raise TypeError(f"segment expects a str; got {type(text).__name__}.")
    return list(iter_segments([text], unwrap=unwrap, markdown=markdown))
