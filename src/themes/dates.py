"""Calendar dates written in bulletins, in English and Russian: one parser for all readers.

The readers (metadata dates), the segmenter (datelines) and the archive (a bulletin's
date) all read dates here. Understood forms:

* English: "14 May 2024", "14th May, 2024", "14th of May 2024", "May 14, 2024", "Sept. 3 2023";
* Russian, month names in every case ("10 июня 2025 года", "в июне 2025 г.",
  "Июнь 2025", abbreviated "10 янв. 2025"), and the Kazakh and Uzbek Russian-language
  wire forms ("10-июня 2025 года", "10 Июнь 2025", "2025 г., 10 июня",
  "2025 жылғы 10 маусым", "2025 йил 10 июнь");
* numeric: "2024-05-14" (ISO) and "14.05.2024" (day first, as in CIS documents), and the
  month in Roman numerals, "14.V.2024", "14.v.2024", "17 XI 2025" (day first, in CIS
  documents too; after a space in capitals and of two letters or more, for "10 I 2025",
  "12 V 2200 mAh" and "10 X 2000 m" are a number and a pronoun, a volt or "by");
* ranges, read as their first day (a meeting held on 20-24 May began on the 20th):
  "20-24 May 2024", "20–24 мая 2024 года", "May 20-24, 2024", "30 April – 2 May 2024",
  and in words: "from 20 to 24 May 2024", "20 to 24 May", "between 20 and 24 May",
  "May 20 to 24, 2024", "с 20 по 24 мая 2024 года", "с 20 до 24 мая". Within a month
  a dash with spaces around it is a range's too ("17 – 19 ноября 2025 г.", "17 - 19 November
  2025", "November 17 – 19, 2025", "МОСКВА 17 – 19 ноября 2025"), unless the first number
  counts something: after a number sign, a capitalised word, a body's acronym or a word that
  numbers ("No. 5 - 20 May 2024", "Bulletin 5 - 20 May", "ОДКБ 5 – 20 мая", "UNICRI 5 - 20
  May", "пункт 5 – 20 мая" are a number and a date), or glued to what is before it ("10:15 –
  19 ноября"). A place counts nothing: a known one ("Москва"), or a word opening its line
  as a dateline's place does, in Title Case ("Nukus 17 – 19 November", "Орск 17 – 19
  ноября") or in capitals spelt as a place ("МОСКВА", "ОРСК", "NUKUS"), or a word after "г.",
  "город" or "the city of" wherever it stands ("в г. Орск 17 – 19 ноября", "in the city of
  Orsk 17 – 19 November"). Words join a range only in their pairs ("items 5
  and 24 May 2024" is a number and a date), except for a meeting of two days, the second the
  day after the first: "10 and 11 June 2025", "10 и 11 июня 2025 года", "10 & 11 June" are
  the 10th.

A date in Markdown emphasis ("**28 November 2024**", "__28 November 2024__") is read as
one without it.

A date without its year ("МОСКВА, 17 ноября. /ТАСС/.") is completed only with a year
given by the caller (from the file name or the metadata); a month and year alone
("июнь 2025") stand for the first day of that month, and only when the text holds no
full date. So does a month "of this year" ("в ноябре т.г.", "в ноябре текущего года",
"in November this year"), with the year given by the caller only: without one it is no date. Impossible dates ("2024-02-30", "9999-99-99") and years outside 1900-2200
are not dates.

Examples
--------
>>> parse_date("Москва, 10 июня 2025 года")
'2025-06-10'
>>> find_date("МОСКВА, 17 ноября. /ТАСС/.", year=2025)
datetime.date(2025, 11, 17)
>>> find_date("МОСКВА, 17 ноября. /ТАСС/.") is None
True
>>> parse_date("2024-02-30"), parse_date("9999-99-99")
(None, None)
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import NamedTuple

__all__ = [
    "MONTHS",
    "YEAR_RANGE",
    "DateMatch",
    "find_date",
    "parse_date",
    "parse_date_field",
    "reads_as_a_place",
    "search_date",
    "search_day_and_month",
]

#: Earliest and latest years read as dates (a "1000" or "9999" is a number, not a year).
YEAR_RANGE = (1900, 2200)

_ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Russian month stems and the endings of their cases: nominative (июнь), genitive (июня),
# prepositional (июне), instrumental (июнем, июнём); март and август take -а, -е, -ом.
_RUSSIAN_STEMS = [
    ("январ", 1), ("феврал", 2), ("апрел", 4), ("июн", 6), ("июл", 7), ("сентябр", 9),
    ("октябр", 10), ("ноябр", 11), ("декабр", 12),
]
_RUSSIAN_MONTHS = {stem + ending: number for stem, number in _RUSSIAN_STEMS for ending in ("ь", "я", "е", "ем", "ём")}
_RUSSIAN_MONTHS.update({"март": 3, "марта": 3, "марте": 3, "мартом": 3})
_RUSSIAN_MONTHS.update({"август": 8, "августа": 8, "августе": 8, "августом": 8})
_RUSSIAN_MONTHS.update({"май": 5, "мая": 5, "мае": 5, "маем": 5})
# Abbreviations of news agencies and tables ("10 янв. 2025", "10 сент 2025").
_RUSSIAN_MONTHS.update({
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
})
# Kazakh and Uzbek month names, as they stand in the dates of Kazinform and UzA wires.
_CENTRAL_ASIAN_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    "yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "iyun": 6, "iyul": 7, "avgust": 8,
    "sentabr": 9, "oktabr": 10, "noyabr": 11, "dekabr": 12,
}

#: Month name (lower case) -> month number, for every name and form understood.
MONTHS: dict[str, int] = {**_ENGLISH_MONTHS, **_RUSSIAN_MONTHS, **_CENTRAL_ASIAN_MONTHS}

_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_MONTH_RU = "|".join(sorted(map(re.escape, _RUSSIAN_MONTHS), key=len, reverse=True))
_MONTH_NOT_EN = "|".join(sorted(map(re.escape, {**_RUSSIAN_MONTHS, **_CENTRAL_ASIAN_MONTHS}), key=len, reverse=True))
# A word boundary that knows Cyrillic: \b alone would let "мая" match inside "маяк".
_END = r"(?![^\W\d_])"
# Where a date starts and ends: \b, but "_" counts as punctuation, so that a date in Markdown
# emphasis ("__28 November 2024__") is read as one in "**28 November 2024**" is.
_FROM = r"(?<![^\W_])"
_UNTIL = r"(?![^\W_])"
# The end of a year: also where the year word is glued to it, as Russian documents often
# write it ("17.11.2025г.", "17 ноября 2025года"; such a date was read as none, and a
# dateline "17.11.2025г." left its bulletin undated).
_YEAR_UNTIL = rf"(?:{_UNTIL}|(?=(?:г|гг|года|году)(?:\.|{_UNTIL})))"
_YEAR_WORD = r"(?:г\.|гг\.|года|году|год|г|жылғы|жыл|йил|yil)"
_DASH = r"[-\u2013\u2014]"
# The ending of a day written as an ordinal: "14th May", and in Russian "17-го ноября",
# "17-ого", "18-е" (read before as the month alone: "17-го ноября 2025 года" was the 1st).
_ORDINAL = r"(?:st|nd|rd|th|-?(?:ого|го|е))"
# "of" between an English ordinal day and its month: "17th of November 2025" (read before as
# no date). After an ordinal only, so that "items 17 of November 2025" stays unread.
_ORDINAL_OF = r"(?:(?<=st|nd|rd|th)\s+of)?"
# A month in Roman numerals, as CIS documents write it: "17.XI.2025", "17 XI 2025" (day
# first; read before as no date). Longest first. Between dots in capitals or in lower case
# ("17.xi.2025", which was no date), all one case. After a space only in capitals and of two
# letters or more: "I", "V" and "X" alone after a number are words and symbols more often
# than months ("Article 10 I 2025", "a 12 V 2200 mAh battery", "10 X 2000 m" were dates),
# and "i", "v", "x" more so.
_ROMAN_MONTHS = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}
_ROMAN_MONTH = "|".join(sorted(_ROMAN_MONTHS, key=len, reverse=True))
_ROMAN_MONTH_LOWER = _ROMAN_MONTH.lower()
_ROMAN_MONTH_SPACED = "|".join(sorted((name for name in _ROMAN_MONTHS if len(name) > 1), key=len, reverse=True))
# A day, or a day in quotes as official documents and protocols write it: «10» июня 2025 г.,
# "10" июня 2025 г. (read before as the month alone, the 1st of June).
_QUOTED_DAY = r"(?:[«\"“„](?P<dq>\d{1,2})[»\"”“]|(?P<d>\d{1,2}))"
# The first day of a range written before the day of a date ("20-24 May 2024", "20–24 мая",
# "30 April – 2 May 2024", "from 20 to 24 May", "between 20 and 24 May", "с 20 по 24 мая"):
# a meeting held on 20-24 May began on the 20th. A range across months names the month of
# its first day. Words join a range only in their pairs (from/to, between/and, с/по, с/до;
# "to" also alone), so that "items 5 and 24 May 2024" stays a number and a date; the opening
# word ("from", "с") is part of the written date. A meeting of two days is also written with
# "and", "и", "&" ("10 and 11 June 2025", "10 и 11 июня"): those join a range only when the
# second day is the day after the first. A dash with spaces around it ("17 – 19 ноября", the
# "r_pair" group too) joins a range unless its first number counts something ("No. 5 - 20
# May 2024" is a number and a date; it was read as the last day before, "17 – 19 ноября
# 2025 г." as the 19th). Both are checked in _range_start.
_RANGE_WORD = r"(?:to|till|until|through|thru)"
_RANGE_FROM = (
    r"(?:(?:(?P<r_from>from)\s+|(?P<r_between>between)\s+|(?P<r_s>с|со)\s+)?"
    rf"(?P<d0>\d{{1,2}})(?P<o0>{_ORDINAL})?"
    rf"(?:(?:\s+|-)(?P<m0>{_MONTH}){_END}\.?)?"
    r"(?(r_between)\s+and\s+|(?(r_s)\s+(?:по|до)\s+|"
    rf"(?:\s+{_RANGE_WORD}\s+|(?(m0)\s*{_DASH}\s*|{_DASH})|\s+(?P<r_pair>and|и|&|{_DASH})\s+))))?"
)
# The last day of a range after the day of a month-first date ("May 20-24, 2024",
# "April 30 – May 2, 2024", "May 20 to 24, 2024", "between May 20 and 24, 2024", "November
# 17 – 19, 2025", which was no date): read past, the date is its first day.
_RANGE_TO = (
    rf"(?:(?:\s*{_DASH}\s*|\s+(?:{_RANGE_WORD}|and)\s+)\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|(?:\s*{_DASH}\s*|\s+(?:{_RANGE_WORD}|and)\s+)(?P<m1>{_MONTH}){_END}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
)
# "from" or "between" before a month-first range, part of the written date.
_RANGE_OPEN = r"(?:(?:from|between)\s+)?"

# Full dates: (pattern, "numeric" when the month is a number).
_FULL_PATTERNS = [
    # 14 May 2024, 14 мая 2024 г., 10-июня 2025 года, 10 Июнь 2025, 20-24 May 2024
    # «10» июня 2025 г. (the day in quotes, as official documents and protocols write it)
    (re.compile(rf"{_FROM}{_RANGE_FROM}{_QUOTED_DAY}{_ORDINAL}?{_ORDINAL_OF}(?:\s+|-|\s*-\s*)(?P<m>{_MONTH}){_END}\.?,?\s+(?P<y>\d{{4}}){_YEAR_UNTIL}", re.IGNORECASE), None),
    # May 14, 2024, May 20-24, 2024
    (re.compile(rf"{_FROM}{_RANGE_OPEN}(?P<m>{_MONTH}){_END}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_RANGE_TO},?\s+(?P<y>\d{{4}}){_UNTIL}", re.IGNORECASE), None),
    # 2025 г., 10 июня; 2025 жылғы 10 маусым; 2025 йил 10 июнь
    (re.compile(rf"{_FROM}(?P<y>\d{{4}})(?:\s*-?\s*{_YEAR_WORD}{_END})?,?\s+{_RANGE_FROM}(?P<d>\d{{1,2}})(?:\s+|-)(?P<m>{_MONTH_NOT_EN}){_END}", re.IGNORECASE), None),
    # 2024-05-14, 2024-05-14T09:30:00+05:00 (metadata), 2024/05/14 (exports; year first, so
    # never ambiguous, unlike 05/14/2024)
    (re.compile(rf"{_FROM}(?P<y>\d{{4}})(?P<sep>[-/])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?:{_UNTIL}|(?=T\d))"), "numeric"),
    # 14.05.2024 (day first, as in CIS documents); 17-19.11.2025 and с 17 по 19.11.2025, a
    # range, as its first day (read before as its last, the 19th); not a month's number
    # taken for a day ("17.11-19.11.2025" is no range of the 11th to the 19th)
    (re.compile(rf"{_FROM}(?:(?<!\.){_RANGE_FROM}|)(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}){_YEAR_UNTIL}", re.IGNORECASE), "numeric"),
    # 17.XI.2025, 17.xi.2025 (the month in Roman numerals between dots, in one case)
    (re.compile(rf"{_FROM}(?P<d>\d{{1,2}})\.(?P<m>{_ROMAN_MONTH}|{_ROMAN_MONTH_LOWER})\.(?P<y>\d{{4}}){_UNTIL}"), "roman"),
    # 17 XI 2025 (after a space: in capitals, of two letters or more)
    (re.compile(rf"{_FROM}(?P<d>\d{{1,2}})[ \t]+(?P<m>{_ROMAN_MONTH_SPACED})[ \t]+(?P<y>\d{{4}}){_UNTIL}"), "roman"),
]
# Every date form above holds a digit, and every one but a day and month alone ("17
# ноября", read only when the year is given) holds four in a row: text without them is
# turned away with one search. (A month "of this year", below, holds none: it is read only
# when the year is given.)
_DIGIT = re.compile(r"\d")
_FOUR_DIGITS = re.compile(r"\d{4}")
# "17 ноября" (no year): Russian only, so that English behaves as before.
_DAY_MONTH = re.compile(rf"{_FROM}{_RANGE_FROM}(?P<d>\d{{1,2}})(?:-?(?:ого|го|е))?(?:\s+|-)(?P<m>{_MONTH_RU}){_END}(?!\.?\s*,?\s*\d)", re.IGNORECASE)
# "October 9", "9 October", "Oct. 9" (no year): read only when the year is given, as the
# English wire datelines of the region's agencies write them ("MOSCOW, October 9 (TASS) -").
_MONTH_EN = "|".join(sorted(map(re.escape, _ENGLISH_MONTHS), key=len, reverse=True))
_DAY_MONTH_EN = re.compile(
    rf"{_FROM}(?:{_RANGE_FROM}(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_EN}){_UNTIL}\.?|(?P<m2>{_MONTH_EN}){_UNTIL}\.?\s+(?P<d2>\d{{1,2}})(?!\d))(?!\s*,?\s*\d)",
    re.IGNORECASE,
)
# "Июнь 2025", "в июне 2025 года" (no day): Russian only; never the tail of an impossible
# date ("30 февраля 2024").
_MONTH_YEAR = re.compile(rf"(?<![\w.-])(?<!\d\s)(?<!\d\s\s)(?<!\d[»\"”“]\s)(?P<m>{_MONTH_RU}){_END}\.?\s+(?P<y>\d{{4}}){_UNTIL}", re.IGNORECASE)
# A month "of this year" ("в ноябре т.г.", "в ноябре с.г.", "ноября текущего года", "in
# November this year", "in November of this year"; no date before, and a bulletin dated by
# one stayed undated): read only when the year is given, as "17 ноября" is. Never the tail of
# a day and month ("17 ноября т.г.", read as the day; "31 ноября т.г.", no date). An English
# month in capitals only, for "may" is also a verb ("the Council may this year adopt ...").
_THIS_YEAR_RU = r"(?:[тс]\.[ \t]?г(?:\.|(?![^\W\d_]))|(?:текущего|сего|этого|нынешнего)[ \t]+года(?![^\W\d_]))"
_MONTH_EN_NAMES = "|".join(name.capitalize() for name in _ENGLISH_MONTHS if len(name) > 3 or name == "may")
_MONTH_THIS_YEAR = re.compile(
    rf"(?<![\w.-])(?<!\d\s)(?<!\d\s\s)(?<!\d[»\"”“]\s)"
    rf"(?:(?i:(?P<m>{_MONTH_RU})){_END}\.?\s+(?i:{_THIS_YEAR_RU})"
    rf"|(?P<m2>{_MONTH_EN_NAMES}){_UNTIL}(?:\s+of)?\s+(?i:this\s+year){_UNTIL})"
)
# A month and year that are a date field's whole value ("May 2024", "Sept. 2023", "2024-05"):
# in text, English month-year stays unread ("may" is also a verb, and a month named in a
# sentence is seldom the bulletin's date), but a field declared a date holds nothing else.
_FIELD_MONTH_YEAR = re.compile(
    rf"\s*(?:(?P<m>{_MONTH}){_END}\.?,?\s+(?P<y>\d{{4}})(?:\s*{_YEAR_WORD})?|(?P<y2>\d{{4}})-(?P<m2>\d{{1,2}}))\s*",
    re.IGNORECASE,
)


class DateMatch(NamedTuple):
    """A date found in a text: its ISO form and where it is written.

    Attributes
    ----------
    iso : str
        ``YYYY-MM-DD``.
    start, end : int
        Character offsets of the written date in the text searched.
    """

    iso: str
    start: int
    end: int

    @property
    def date(self) -> _dt.date:
        """The date as a :class:`datetime.date`."""
        return _dt.date.fromisoformat(self.iso)


def _make_date(year, month, day) -> _dt.date | None:
    try:
        found = _dt.date(int(year), int(month or 0), int(day))
    except (TypeError, ValueError, OverflowError):
        return None
    return found if YEAR_RANGE[0] <= found.year <= YEAR_RANGE[1] else None


def _month_number(name: str, style: str | None) -> int | None:
    if style == "roman":
        return _ROMAN_MONTHS[name.upper()]
    return int(name) if style == "numeric" else MONTHS.get(name.lower())


# Words after which a number counts things rather than opening a range of days ("item 5 -
# 20 May 2024", "пункт 5 – 20 мая"); a capitalised word before it ("Bulletin 5 - 20 May",
# "Выпуск 5 – 20 мая", "No. 5") counts things too, but not a place all in capitals
# ("МОСКВА 17 – 19 ноября": _counts_something).
_NUMBERING_WORDS = frozenset(
    """no nos nr num number item items point points para paragraph paragraphs page pages p pp
    art article articles section sections sec chapter ch annex appendix vol volume issue part
    rule table figure fig line row phase stage round step option level
    п пп пункт пункта пункте пункты пунктов подпункт подпункта ст статья статьи статье стр
    глава главы гл раздел раздела разделе приложение приложения прил том т выпуск вып номер
    номера часть части ч абзац строка строки таблица табл рис рисунок этап этапа лист л
    bulletin bulletins бюллетень бюллетеня
    protocol resolution decision order decree report document doc ref case
    протокол протокола приказ приказа решение решения постановление постановления указ указа
    распоряжение распоряжения резолюция резолюции""".split()
)
# What may stand right before the first day of a range: a space, or an opening bracket,
# quotation mark or emphasis marker ("(17 – 19 ноября", "**17 – 19 November").
_BEFORE_A_DAY = " \t\n\r\xa0([{«\"'“„*_"

_VOWELS = frozenset("аеёиоуыэюяaeiouy")
# Places where the region's bulletins are dated, in lower case: a capitalised word before a
# number counts things ("Bulletin 5 - 20 May", "Выпуск 5 – 20 мая") unless it is one of these
# ("Москва 17 – 19 ноября 2025", "Astana 17 - 19 November" are a dateline's place and a range).
# In capitals a place is told by its shape (_reads_as_a_place); the few whose shape is an
# acronym's (short, or consonants together: "КИЕВ", "ОШ", "BERN") are here too.
_PLACES = frozenset(
    """москва минск астана алматы бишкек душанбе ташкент ашхабад баку ереван кишинев тбилиси
    киев пекин самарканд ош сочи казань уфа омск орел каир сеул
    moscow minsk astana almaty bishkek dushanbe tashkent ashgabat baku yerevan chisinau tbilisi
    kyiv kiev beijing samarkand osh sochi kazan ufa omsk vienna geneva paris brussels york
    oslo bern""".split()
)
# Acronyms of bodies that read as words or are long (their shape is a place's in capitals,
# _reads_as_a_place): "НАТО 5 – 20 мая" is a number of NATO's and a date. The codebook's
# acronyms (data/lexicon.json: "ФАТФ", "МАНИВЭЛ", "ЦАРИКЦ", "MONEYVAL") count things too
# (tests/test_segment_dates_s16b.py pins them).
_BODIES = frozenset(
    """нато юнодк евразэс брикс интерпол европол асеан манивэл царикц свмда юнеско юнисеф
    магатэ nato unodc unoct uncct unhcr brics interpol europol asean moneyval caricc cica
    ecowas ctitf unesco unicef
    cepol сепол sipri сипри egmont эгмонт afripol ameripol aseanapol frontex фронтекс selec
    giaba saarc menafatf gafilat eapcco odihr""".split()
)
# The last two lines (session 17): bodies of police, counter-terrorism and
# financial-intelligence cooperation whose names read as words in capitals ("CEPOL",
# "SIPRI", "EGMONT", "ФРОНТЕКС"; spelt as a place is, cvcvc like "NUKUS", cvccvc like
# "ТЕРМЕЗ") and that the bulletins name; tools/dateline_place_shapes.py lists the rest.


def _reads_as_a_place(word: str) -> bool:
    """Whether ``word``, all in capitals, is a place (a dateline's, "МОСКВА 17 – 19 ноября")
    rather than the acronym of a body ("ОДКБ 5 – 20 мая": the 5th of the CSTO's, and a date).

    Acronyms are short runs of initials: three letters or fewer ("СНГ", "ШОС", "ООН", "UN"),
    or four that are not a consonant and a vowel twice over ("ОДКБ", "РАТС", "ФАТФ", "CSTO",
    "OSCE"). A place in capitals is a word of five letters or more ("МИНСК", "АСТАНА",
    "ALMATY") or of four so spelt ("БАКУ", "СОЧИ", "RIGA"), or one ending in the Slavic
    place-name "-ск" ("ОРСК", "ЕЙСК", "ORSK", as "МИНСК", "ТОМСК"). Five letters or more are
    an acronym when spelt as no place is: the UN family's names ("UNICRI", "UNITAR", "ЮНИКРИ")
    and the EU agencies' ("EUROJUST", "ЕВРОЮСТ") open with UN, ЮН, EURO, ЕВРО; an "Э" after the
    first letter ("МАГАТЭ", "ЕВРАЗЭС") or four consonants in a row ("РЦПДЦА", "UNHCR") are
    initials', and a Cyrillic word ending in "-пол" a police body's ("АФРИПОЛ"; Russian places
    end in "-поль", "ТИРАСПОЛЬ"). The exceptions either way are listed (_PLACES: "КИЕВ",
    "ОШ"; _BODIES: "НАТО", "ИНТЕРПОЛ", and bodies spelt as places are: "CEPOL", "SIPRI",
    "ЭГМОНТ", "ФРОНТЕКС"). ``python tools/dateline_place_shapes.py`` measures the shape alone
    on places and acronyms of bodies of the region.

    Examples
    --------
    >>> [_reads_as_a_place(w) for w in ("МОСКВА", "МИНСК", "БАКУ", "ALMATY", "КИЕВ", "ОШ", "ОРСК", "NUKUS")]
    [True, True, True, True, True, True, True, True]
    >>> [_reads_as_a_place(w) for w in ("ОДКБ", "СНГ", "ООН", "CSTO", "OSCE", "НАТО", "UNODC", "UNICRI")]
    [False, False, False, False, False, False, False, False]
    >>> [_reads_as_a_place(w) for w in ("ЕВРОЮСТ", "ЮНЭЙДС", "РЦПДЦА")]
    [False, False, False]
    """
    lower = word.lower().replace("ё", "е")
    if lower in _PLACES:
        return True
    if lower in _BODIES or len(word) < 4:
        return False
    if lower.endswith(("ск", "sk")) and any(c in _VOWELS for c in lower):
        return True  # ОРСК, ЕЙСК, ORSK: the Slavic place-name ending
    if len(word) == 4:
        return "".join("v" if c in _VOWELS else "c" for c in lower) == "cvcv"
    if lower.startswith(("un", "юн", "euro", "евро")) or "э" in lower[1:]:
        return False  # UNICRI, ЮНИКРИ, EUROJUST, ЕВРОЮСТ, МАГАТЭ
    if lower.endswith("пол"):
        return False  # АФРИПОЛ, АСЕАНАПОЛ: police bodies; Russian places end in "-поль"
    return _INITIALS.search(lower) is None  # РЦПДЦА, UNHCR: four consonants in a row


def reads_as_a_place(word: str) -> bool:
    """Whether ``word``, written where a dateline's place stands without its comma ("МОСКВА
    17 ноября", "Москва 17 ноября"), reads as a place rather than a body's acronym or a
    common word ("ОДКБ 17 ноября", "Заседание 17 ноября").

    In capitals, by its spelling (acronyms are short runs of initials, or open with UN, ЮН,
    EURO, ЕВРО; places are longer words, or end in "-ск"); in Title Case, when it is one of the
    places where the region's bulletins are dated. For the segmenter's wire datelines.

    Parameters
    ----------
    word : str
        One word, letters only.

    Returns
    -------
    bool

    Examples
    --------
    >>> [reads_as_a_place(w) for w in ("МОСКВА", "ОРСК", "NUKUS", "Москва", "Bishkek")]
    [True, True, True, True, True]
    >>> [reads_as_a_place(w) for w in ("ОДКБ", "UNICRI", "Заседание", "Council")]
    [False, False, False, False]
    """
    if not isinstance(word, str):
        raise TypeError(f"The 'word' parameter of reads_as_a_place must be a str. Got {type(word).__name__} instead.")
    if word.isupper():
        return _reads_as_a_place(word)
    return word.lower().replace("ё", "е") in _PLACES


# Four consonants in a row (the soft and hard signs between them not counted): initials, as
# in "РЦПДЦА", "UNHCR"; no place in capitals of the region is so spelt (АРХАНГЕЛЬСК has
# "ЛЬСК", ending in "-ск").
_INITIALS = re.compile(r"(?:[^\W\d_аеёиоуыэюяaeiouyьъ][ьъ]?){4}")
# A word in Latin letters or in Cyrillic (a dateline's place is written in the script of its
# month: "FRONTEX 5 – 20 мая", "ФРОНТЕКС 5 - 20 May" are acronyms).
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Where a dateline's place stands: at the start of a line, after markup ("**", "#", "> ")
# or the abbreviation "г.", its first word or two before the last ("Нижний Новгород",
# "The Hague") capitalised.
_PLACE_SLOT = re.compile(
    r"[ \t*_#>«\"'“„(\[]*(?:г\.[ \t]*)?(?:[^\W\d_a-zа-яё][^\W\d_]*(?:-[^\W\d_]+)*[ \t]+){0,2}"
)
# Words after which a capitalised word is a town's name wherever it stands: "г." (город, not
# after a number, where it is год: "2025 г. Совет 5 – 20 мая"), "город", "городе", "the city
# of", "the town of" ("в г. Орск 17 – 19 ноября 2025", "held in the city of Orsk 17 – 19
# November": the first day; they gave the 19th).
_AFTER_A_TOWN_WORD = re.compile(
    r"(?:(?<![\w.])(?<!\d[ \t\xa0])г\.|(?<![\w-])(?:[Гг]ород[еау]?|(?i:city|town)[ \t]+of))[ \t\xa0]*\Z"
)
# A letter in lower case: a line holding one before a word in capitals is running text, where
# places are not written in capitals (a heading all in capitals is: "ЗАСЕДАНИЕ СОВЕТА В
# АСТАНЕ 17 – 19 НОЯБРЯ").
_LOWER = re.compile(r"[a-zа-яё]")
# A wire dateline's agency in brackets or slashes after its date ("17 – 19 ноября. /ТАСС/.",
# "17 – 19 ноября 2025 г. (БелТА)"): the line is a dateline, the word opening it a place.
_AGENCY_AFTER = re.compile(r"(?:[ \t]*(?:г\.|года))?\.?[ \t]*(?:\([^()\n]{2,40}\)|/[^/\n]{2,40}/)")


def _counts_something(text: str, at: int, month: str | None = None, end: int | None = None) -> bool:
    """Whether the number at ``at`` of ``text`` counts something, rather than being the first
    day of a range around a spaced dash: glued to what is before it ("10:15 – 19 ноября",
    "1.5 – 19 November"), or after a number sign, a number, a capitalised word or a word that
    numbers ("No. 5 - 20 May", "№ 5", "Bulletin 5", "item 5", "пункт 5", "NO. 5", "Протокол
    5"), the acronym of a body among them ("ОДКБ 5 – 20 мая", "CSTO 5 - 20 May").

    A place counts nothing; the number after it is a day. A place is a known one
    (:data:`_PLACES`, "Москва 17 – 19 ноября 2025", in any case) or a word where a dateline's
    place stands, at the start of a line (``text`` is a line or a statement), written in the
    script of the range's ``month`` (a Russian one for Cyrillic, an English one for Latin
    letters; "FRONTEX 5 – 20 мая" is an acronym): in Title Case ("Nukus 17 – 19 November",
    "Орск 17 – 19 ноября", read before as the 19th), or in capitals and spelt as a place
    (:func:`_reads_as_a_place`: "МОСКВА 17 – 19 ноября", "ОРСК 17 – 19 ноября"; "UNICRI 5 -
    20 May" and "ОДКБ 5 – 20 мая" are acronyms), or whatever its spelling with a wire
    dateline's agency in brackets or slashes after the date at ``end`` ("КАНТ 17 – 19 ноября.
    /Кабар/."). Inside a line, a word in capitals is a place by its spelling only in a line
    all in capitals ("ЗАСЕДАНИЕ СОВЕТА В АСТАНЕ 17 – 19 НОЯБРЯ"); in running text it is an
    acronym ("совместно с СИПРИ 5 – 20 мая"), and a word in Title Case a word that numbers
    ("the Council 5 - 20 May"), unless it is a known place or stands after "г.", "город" or
    "the city of", which name a town wherever they stand ("в г. Орск 17 – 19 ноября", "in the
    city of Orsk 17 – 19 November"; read before as the 19th).

    Examples
    --------
    >>> [_counts_something(t, t.index("5")) for t in ("No. 5", "Bulletin 5", "пункт 5", "1.5", "№5", "ПУНКТ 5")]
    [True, True, True, True, True, True]
    >>> [_counts_something(t, t.index("5")) for t in ("ОДКБ 5", "CSTO 5", "СНГ 5", "Выпуск 5", "UNICRI 5")]
    [True, True, True, True, True]
    >>> [_counts_something(t, t.index("5")) for t in ("5", "Минск, 5", "held on 5", "(5", "прошло 5", "МОСКВА 5")]
    [False, False, False, False, False, False]
    >>> [_counts_something(t, t.index("5")) for t in ("Москва 5", "Astana 5", "АСТАНА 5", "Орск 5", "ОРСК 5")]
    [False, False, False, False, False]
    >>> [_counts_something(t, t.index("5")) for t in ("met the Council 5", "в г. Орск 5", "с СИПРИ 5", "В АСТАНЕ 5")]
    [True, False, True, False]
    >>> [_counts_something(t, t.index("5")) for t in ("the city of Orsk 5", "2025 г. Совет 5", "CEPOL 5", "АФРИПОЛ 5")]
    [False, True, True, True]
    >>> _counts_something("FRONTEX 5 – 20 мая", 8, month="мая"), _counts_something("NUKUS 5 – 20 May", 6, month="May")
    (True, False)
    """
    if at > 0 and text[at - 1] not in _BEFORE_A_DAY:
        return True
    before = text[max(0, at - 40) : at].rstrip()
    token = re.split(r"\s", before)[-1] if before else ""
    token_start = at - len(text[max(0, at - 40) : at]) + len(before) - len(token)
    token = token.lstrip("([{«\"'“„*_")
    if not token:
        return False  # the text's or a line's start, or a bracket
    if token[-1] in "№#" or token[-1].isdigit():
        return True
    word = token.rstrip(".")
    if not word or not word.isalpha():
        return False  # "Минск," "(": a place, a punctuation mark
    lower = word.lower().replace("ё", "е")
    if lower in _NUMBERING_WORDS:
        return True
    if not word[0].isupper():
        return False  # "прошло 5"
    if lower in _PLACES:
        return False  # "Москва 17", "МОСКВА 17"
    if len(word) == 1 or lower in _BODIES:
        return True  # "A 5" (a label), "НАТО 5", "INTERPOL 5"
    if month is not None and month.lower() in MONTHS and (_LATIN_WORD.fullmatch(word) is None) != (_LATIN_WORD.fullmatch(month) is None):
        return True  # "FRONTEX 5 – 20 мая": a dateline's place is in its month's script
    if _AFTER_A_TOWN_WORD.search(text, max(0, token_start - 20), token_start) is not None:
        return False  # "в г. Орск 17 – 19 ноября", "the city of Orsk 17 – 19 November": a place
    line_start = text.rfind("\n", 0, token_start) + 1
    slot = token_start - line_start <= 80 and _PLACE_SLOT.fullmatch(text, line_start, token_start) is not None
    if word.isupper():
        # "МОСКВА 17 – 19 ноября" is a place in capitals, as datelines write it; "ОДКБ 5 – 20
        # мая" an acronym; "КАНТ 17 – 19 ноября. /Кабар/." a wire dateline's place
        if slot and end is not None and _AGENCY_AFTER.match(text, end) is not None:
            return False
        if not slot and _LOWER.search(text, line_start, token_start) is not None:
            return True  # "совместно с СИПРИ 5 – 20 мая": in running text, capitals are initials
        return not _reads_as_a_place(word)
    # Title Case: "Bulletin 5" and "Council 5" number things, "Nukus 17" opening its line is
    # a dateline's place
    return not slot


def _range_start(match: re.Match, last: _dt.date | None) -> _dt.date | None:
    """The first day of a range whose last day is ``last`` ("20-24 May 2024" -> 20 May), or
    ``last`` when no range is written.

    A range is dated by its first day, in English and Russian alike: a meeting held on 17-19
    November began on the 17th ("17-19 November 2025", "17–19 ноября", "с 17 по 19 ноября",
    "from 17 to 19 November", "November 17-19, 2025", and around a spaced dash "17 – 19
    ноября 2025 г.", "17 - 19 November 2025", "November 17 – 19, 2025"). No range is read
    (``last`` is the date) when its first day is no day before ``last``; when two days are
    joined by "and", "и" or "&" and the second is not the day after the first ("items 5 and
    24 May 2024"); or when they are joined by a spaced dash, the second not the day after the
    first, and the first number counts something (:func:`_counts_something`: "No. 5 - 20 May
    2024", "Bulletin 5 - 20 May", "пункт 5 – 20 мая" are a number and a date), unless the
    first day is written as an ordinal ("17-го – 19-го ноября").
    """
    groups = match.groupdict()
    if last is None or groups.get("d0") is None:
        return last
    month = MONTHS[groups["m0"].lower()] if groups.get("m0") else last.month
    first = _make_date(last.year, month, groups["d0"])
    if first is not None and first > last and groups.get("m0"):
        first = _make_date(last.year - 1, month, groups["d0"])  # 30 December 2024 – 2 January 2025
    pair = groups.get("r_pair")
    if pair and first is not None and last - first != _dt.timedelta(days=1):
        spaced_dash = pair in "-\u2013\u2014" and first < last
        month = groups.get("m0") or groups.get("m") or groups.get("m2")
        if not (spaced_dash and (groups.get("o0") or not _counts_something(match.string, match.start("d0"), month, match.end()))):
            return last  # "items 5 and 24 May 2024", "No. 5 - 20 May 2024": a number and a date
    return first if first is not None and first < last else last


def _written_start(match: re.Match, found: _dt.date) -> int:
    """Where the written date of ``match`` starts: the match's start, or the day's when two
    days joined by "and", "и", "&" or a spaced dash were no range ("items 5 and 24 May": the
    date is "24 May")."""
    groups = match.groupdict()
    if groups.get("r_pair") and match.start("d0") == match.start() and found.day != int(groups["d0"]):
        return match.start("dq") if groups.get("dq") is not None else match.start("d")
    return match.start()


def _full_date(match: re.Match, style: str | None) -> _dt.date | None:
    """The date a match of :data:`_FULL_PATTERNS` writes: the first day of a range."""
    day = match["d"] if match["d"] is not None else match.groupdict().get("dq")  # «10» июня
    found = _make_date(match["y"], _month_number(match["m"], style), day)
    if found is not None and match.groupdict().get("m1") and MONTHS[match["m1"].lower()] < found.month:
        found = _make_date(found.year - 1, found.month, found.day)  # December 30 – January 2, 2025
    return _range_start(match, found)


def _first(pattern: re.Pattern, text: str, make) -> DateMatch | None:
    for match in pattern.finditer(text):
        found = make(match)
        if found is not None:
            return DateMatch(found.isoformat(), _written_start(match, found), match.end())
    return None


def search_date(text: str, *, year: int | None = None) -> DateMatch | None:
    """The first calendar date written in ``text``, with its offsets, or None.

    A full date (day, month and year) wins wherever it stands; failing one, a day and a
    month ("17 ноября", "October 9") are completed with ``year`` when it is given; failing
    that, a Russian month and year ("июнь 2025") give the first of the month, and so does a
    month "of this year" ("в ноябре т.г.", "in November this year") of ``year``, when it is
    given (the one written first of the two). A range
    ("20-24 May 2024", "с 20 по 24 мая 2024 года") gives its first day, and its offsets
    span the whole range, its opening word ("from", "between", "с") included.

    Parameters
    ----------
    text : str
    year : int, optional
        The year of the document, for dates written without one.

    Returns
    -------
    DateMatch or None

    Examples
    --------
    >>> search_date("МИНСК, 3 марта (БелТА).", year=2025)
    DateMatch(iso='2025-03-03', start=7, end=14)
    >>> search_date("MOSCOW, October 9 (TASS) -", year=2025)
    DateMatch(iso='2025-10-09', start=8, end=17)
    >>> search_date("Итоги за июнь 2025 года")
    DateMatch(iso='2025-06-01', start=9, end=18)
    >>> search_date("В ноябре т.г. Совет провёл заседание.", year=2025)
    DateMatch(iso='2025-11-01', start=2, end=13)
    >>> search_date("В ноябре т.г. Совет провёл заседание.") is None
    True
    >>> search_date("Held on 20-24 May 2024 in Minsk")
    DateMatch(iso='2024-05-20', start=8, end=22)
    >>> search_date("Учения прошли с 20 по 24 мая 2025 года")
    DateMatch(iso='2025-05-20', start=14, end=33)
    """
    if not isinstance(text, str):
        raise TypeError(f"The 'text' parameter of search_date must be a str. Got {type(text).__name__} instead.")
    if year is None and _FOUR_DIGITS.search(text) is None:
        return None
    if year is not None and _DIGIT.search(text) is None:
        # "в ноябре т.г.": the one date form without a digit
        return _first(_MONTH_THIS_YEAR, text, lambda m: _this_year_month(m, year))
    best = None
    for pattern, style in _FULL_PATTERNS:
        found = _first(pattern, text, lambda m, style=style: _full_date(m, style))
        if found is not None and (best is None or found.start < best.start):
            best = found
    if best is not None:
        return best
    if year is not None:
        found = _first(_DAY_MONTH, text, lambda m: _range_start(m, _make_date(year, MONTHS[m["m"].lower()], m["d"])))
        english = _first(
            _DAY_MONTH_EN, text,
            lambda m: _range_start(m, _make_date(year, _ENGLISH_MONTHS[(m["m"] or m["m2"]).lower()], m["d"] or m["d2"])),
        )
        if found is None or (english is not None and english.start < found.start):
            found = english
        if found is not None:
            return found
    found = _first(_MONTH_YEAR, text, lambda m: _make_date(m["y"], MONTHS[m["m"].lower()], 1))
    if year is not None:
        this_year = _first(_MONTH_THIS_YEAR, text, lambda m: _this_year_month(m, year))
        if this_year is not None and (found is None or this_year.start < found.start):
            found = this_year
    return found


def _this_year_month(match: re.Match, year: int) -> _dt.date | None:
    """The first day of the month "of this year" that ``match`` (of _MONTH_THIS_YEAR) writes."""
    return _make_date(year, MONTHS[(match["m"] or match["m2"]).lower()], 1)


def search_day_and_month(text: str) -> DateMatch | None:
    """The first Russian day and month written without a year ("17 ноября"), or None.

    For the segmenter, which needs to know where such a date stands, not its year: the
    ``iso`` of the match is dated in the leap year 2000.

    Examples
    --------
    >>> search_day_and_month("МОСКВА, 17 ноября. /ТАСС/.")
    DateMatch(iso='2000-11-17', start=8, end=17)
    """
    if _DIGIT.search(text) is None:
        return None
    return _first(_DAY_MONTH, text, lambda m: _range_start(m, _make_date(2000, MONTHS[m["m"].lower()], m["d"])))


def find_date(text: str, *, year: int | None = None) -> _dt.date | None:
    """The first calendar date written in ``text``, or None (see :func:`search_date`).

    Examples
    --------
    >>> find_date("Ташкент, 10-июня 2025 года")
    datetime.date(2025, 6, 10)
    >>> find_date("Astana, May 14th, 2024 -")
    datetime.date(2024, 5, 14)
    >>> find_date("31.02.2024") is None
    True
    >>> find_date("held on 20-24 May 2024"), find_date("20–24 мая 2024 года")
    (datetime.date(2024, 5, 20), datetime.date(2024, 5, 20))
    >>> find_date("from 20 to 24 May 2024"), find_date("between 20 and 24 May", year=2024)
    (datetime.date(2024, 5, 20), datetime.date(2024, 5, 20))
    >>> find_date("10 и 11 июня 2025 года"), find_date("items 5 and 24 May 2024")
    (datetime.date(2025, 6, 10), datetime.date(2024, 5, 24))
    """
    found = search_date(text, year=year)
    return found.date if found else None


def parse_date(value, *, year: int | None = None) -> str | None:
    """A date as ``YYYY-MM-DD``, from text or from a :class:`datetime.date`; None if there is none.

    Parameters
    ----------
    value : str, datetime.date or datetime.datetime
        Text is searched for its first date (see :func:`search_date`).
    year : int, optional
        The year for dates written without one.

    Returns
    -------
    str or None

    Examples
    --------
    >>> parse_date("MINSK, May 14th, 2024 -")
    '2024-05-14'
    >>> parse_date("Москва, 3 марта 2023 г.")
    '2023-03-03'
    >>> import datetime
    >>> parse_date(datetime.datetime(2024, 5, 14, 9, 30))
    '2024-05-14'
    >>> parse_date("31.02.2024"), parse_date("no date here"), parse_date("2024/05/14")
    (None, None, '2024-05-14')
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat() if YEAR_RANGE[0] <= value.year <= YEAR_RANGE[1] else None
    if not isinstance(value, str):
        raise TypeError(
            f"The 'value' parameter of parse_date must be a str or a datetime.date. Got {type(value).__name__} instead."
        )
    found = search_date(value, year=year)
    return found.iso if found else None


def parse_date_field(value) -> str | None:
    """The date a metadata field (a JSON Lines record's ``date``) holds, as ``YYYY-MM-DD``.

    What :func:`parse_date` reads, and also a month and year that are the field's whole
    value, in any language or as ``YYYY-MM``: the first of the month, as "июнь 2025" is in
    text. In running text an English month and year are not read as a date ("may" is also
    a verb); a field declared a date holds nothing else.

    Parameters
    ----------
    value : str, datetime.date or datetime.datetime

    Returns
    -------
    str or None

    Examples
    --------
    >>> parse_date_field("May 2024"), parse_date_field("2024-05"), parse_date_field("июнь 2025")
    ('2024-05-01', '2024-05-01', '2025-06-01')
    >>> parse_date_field("14 May 2024"), parse_date_field("2024-13"), parse_date_field("in May 2024")
    ('2024-05-14', None, None)
    """
    found = parse_date(value)
    if found is not None or not isinstance(value, str):
        return found
    match = _FIELD_MONTH_YEAR.fullmatch(value)
    if match is None:
        return None
    if match["m"]:
        day = _make_date(match["y"], MONTHS[match["m"].lower()], 1)
    else:
        day = _make_date(match["y2"], match["m2"], 1)
    return day.isoformat() if day is not None else None
