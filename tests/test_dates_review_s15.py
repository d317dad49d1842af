"""Dating and segmentation defects found in review session 15: a range of days around a
spaced dash, Roman-numeral months in lower case and after a space, a month "of this year",
and the dateline below a press release's long header block. The texts are written for the
purpose."""

from __future__ import annotations

import pytest

from themes import dates
from themes.archive.summary import bulletin_date
from themes.readers import Document
from themes.segment import segment


def _kinds(text, **kw):
    return [(s.kind, s.text) for s in segment(text, **kw)]


def _date(text, path="x.txt", doc_date=None):
    return bulletin_date(segment(text), Document(bulletin="x", format="txt", date=doc_date), path)


# ------------- 1. a range of days is dated by its first day, whatever the dash and the language
@pytest.mark.parametrize(
    "text",
    [
        "17 – 19 ноября 2025 г.",
        "17 - 19 ноября 2025 года",
        "17 — 19 ноября 2025 г.",
        "17-19 ноября 2025 г.",
        "17–19 ноября 2025 г.",
        "с 17 по 19 ноября 2025 г.",
        "17-19 November 2025",
        "17 – 19 November 2025",
        "17 - 19 November 2025",
        "November 17-19, 2025",
        "November 17 – 19, 2025",
        "November 17 - 19, 2025",
        "Москва, 17 – 19 ноября 2025 г.",
        "Заседание прошло 17 – 19 ноября 2025 г. в Москве.",
        "The meeting was held on 17 - 19 November 2025 in Minsk.",
        "(17 – 19 ноября 2025 г.)",
        "17 – 19.11.2025",
    ],
)
def test_a_range_of_days_is_dated_by_its_first_day(text):
    assert dates.parse_date(text) == "2025-11-17"


@pytest.mark.parametrize("text", ["17 – 19 ноября", "17 - 19 November", "с 17 по 19 ноября", "November 17 – 19"])
def test_a_range_without_its_year_is_dated_by_its_first_day_with_the_year_given(text):
    assert dates.parse_date(text, year=2025) == "2025-11-17"


def test_a_spaced_range_spans_both_days():
    assert dates.search_date("Москва, 17 – 19 ноября 2025 г.")[1:] == (8, 27)
    assert dates.search_date("November 17 – 19, 2025 -")[1:] == (0, 22)


@pytest.mark.parametrize(
    "text, iso",
    [
        # a number and a date, as before: the number of a bulletin, an item, a page
        ("No. 5 – 20 May 2024", "2024-05-20"),
        ("Bulletin No. 5 - 20 May 2024", "2024-05-20"),
        ("Bulletin 5 - 20 May 2024", "2024-05-20"),
        ("Бюллетень № 5 – 20 мая 2024 г.", "2024-05-20"),
        ("Выпуск 5 – 20 мая 2024 г.", "2024-05-20"),
        ("см. пункт 5 – 20 мая 2024 г.", "2024-05-20"),
        ("item 5 - 20 May 2024", "2024-05-20"),
        ("page 5 – 20 May 2024", "2024-05-20"),
        ("10:15 – 19 ноября 2025 г.", "2025-11-19"),
        ("1.5 – 19 November 2025", "2025-11-19"),
        # a later day first is no range
        ("25 – 19 ноября 2025 г.", "2025-11-19"),
        # two days joined by "and" stay a range only when the second is the day after
        ("items 5 and 24 May 2024", "2024-05-24"),
        ("10 and 11 June 2025", "2025-06-10"),
    ],
)
def test_a_number_before_a_spaced_dash_stays_a_number(text, iso):
    assert dates.parse_date(text) == iso


def test_a_spaced_range_on_a_dateline_dates_the_bulletin():
    text = "Заседание Совета\n\nМосква, 17 – 19 ноября 2025 г.\n\nСовет провёл заседание.\n"
    assert _kinds(text)[1] == ("dateline", "Москва, 17 – 19 ноября 2025 г.")
    assert _date(text) == ("2025-11-17", "dateline")


# ------------- 2. Roman-numeral months: lower case with dots; after a space, not a lone I, V or X
@pytest.mark.parametrize(
    "text, iso",
    [
        ("17.xi.2025", "2025-11-17"),
        ("Протокол от 17.xi.2025", "2025-11-17"),
        ("3.iv.2024", "2024-04-03"),
        ("10.i.2025", "2025-01-10"),
        ("17.XI.2025", "2025-11-17"),
        ("10.I.2025", "2025-01-10"),
        ("14.V.2024", "2024-05-14"),
        ("Минск, 17 XI 2025", "2025-11-17"),
        ("30 IX 2025", "2025-09-30"),
        ("3 IV 2024", "2024-04-03"),
    ],
)
def test_a_roman_numeral_month_is_read(text, iso):
    assert dates.parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "10 I 2025",  # "I" alone after a space: the pronoun, a list's or an article's number
        "Article 10 I 2025 shall apply",
        "By then 10 I 2025 reports were filed",
        "a 12 V 2200 mAh battery",  # volts
        "a 10 X 2000 m area",  # "by"
        "14 V 2024",
        "17 xi 2025",  # lower case after a space: words ("i", "v") more than months
        "17.Xi.2025",  # cases mixed
        "17.xi 2025",  # separators differ
    ],
)
def test_a_roman_numeral_that_is_no_month_is_no_date(text):
    assert dates.parse_date(text) is None


def test_a_lower_case_roman_numeral_dateline_dates_the_bulletin():
    text = "Минск, 17.xi.2025\n\nСовет провёл заседание.\n"
    assert _kinds(text)[0] == ("dateline", "Минск, 17.xi.2025")
    assert _date(text) == ("2025-11-17", "dateline")


# ------------- 3. a month "of this year" is dated when the year is known
@pytest.mark.parametrize(
    "text",
    [
        "в ноябре т.г.",
        "В ноябре т. г. в Москве состоялось заседание Совета.",
        "в ноябре текущего года",
        "В ноябре с.г. Совет провёл заседание.",
        "в ноябре сего года",
        "в ноябре этого года",
        "до конца ноября текущего года",
        "in November this year",
        "In November of this year the Council met.",
    ],
)
def test_a_month_of_this_year_is_the_first_of_the_month_with_the_year_given(text):
    assert dates.parse_date(text, year=2025) == "2025-11-01"
    assert dates.parse_date(text) is None  # no year: no date, as "17 ноября" alone


@pytest.mark.parametrize(
    "text, iso",
    [
        # a day written before it is the day, as before
        ("17 ноября т.г.", "2025-11-17"),
        ("17 ноября текущего года", "2025-11-17"),
        # a full date elsewhere wins, as it does over "17 ноября"
        ("В ноябре т.г., а именно 17.11.2024, Совет собрался.", "2024-11-17"),
        # an impossible day is no date, not the 1st of the month
        ("31 ноября т.г.", None),
        # another year is no "this year"
        ("в ноябре прошлого года", None),
        ("in November last year", None),
        # "may" the verb
        ("The Council may this year adopt a plan.", None),
    ],
)
def test_a_month_of_this_year_around_other_words(text, iso):
    assert dates.parse_date(text, year=2025) == iso


def test_a_bulletin_opening_with_a_month_of_this_year_takes_the_year_of_its_folder():
    text = "Заседание Совета\n\nВ ноябре т.г. в Москве состоялось заседание Совета.\n"
    assert _date(text, path="archive/2025/council.txt") == ("2025-11-01", "text")
    assert _date(text, path="archive/council.txt", doc_date="2025-12-03") == ("2025-11-01", "text")
    # no year anywhere: undated, as before
    assert _date(text, path="archive/council.txt") == (None, None)
    english = "Council meeting\n\nIn November this year the Council met in Minsk.\n"
    assert _date(english, path="archive/2025/council.txt") == ("2025-11-01", "text")


# ------------- 4. the dateline below a press release's header block of more than 12 lines
SENTENCE = "The Council of the RATS held its meeting."
PRESS_RELEASE = """PRESS RELEASE
For immediate release

Regional Anti-Terrorism Structure of the SCO
Executive Committee

Media contacts:
Press Office
Tel. 998 71 123 45 67
E-mail: press@ecrats.org
Website: www.ecrats.org

17 November 2025

Council Reviews Drone Threats
Experts Call for Joint Exercises

TASHKENT, 17 November (RATS) - {sentence} It heard experts.
"""
RU_PRESS_RELEASE = """ПРЕСС-РЕЛИЗ
Для немедленного распространения

Антитеррористический центр государств – участников СНГ
Пресс-служба

Контакты для СМИ:
Пресс-секретарь Иванов И.И.
тел.: +7 495 123 45 67
факс: +7 495 123 45 68
E-mail: press@atc-cis.ru

17 ноября 2025 г.

Совет обсудил угрозы применения беспилотников

МОСКВА, 17 ноября. /АТЦ СНГ/. Совет руководителей провёл заседание. Участники обсудили угрозы.
"""


def test_a_date_line_in_a_long_header_block_is_a_dateline():
    text = PRESS_RELEASE.format(sentence=SENTENCE)
    assert len([line for line in text.splitlines() if line.strip()]) > 12
    got = _kinds(text)
    assert ("dateline", "17 November 2025") in got
    assert got[-3:] == [("dateline", "TASHKENT, 17 November (RATS)"), ("sentence", SENTENCE), ("sentence", "It heard experts.")]
    assert _date(text) == ("2025-11-17", "dateline")


def test_a_russian_date_line_in_a_long_header_block_is_a_dateline():
    got = _kinds(RU_PRESS_RELEASE)
    assert ("dateline", "17 ноября 2025 г.") in got
    assert got[-3:] == [
        ("dateline", "МОСКВА, 17 ноября. /АТЦ СНГ/."),
        ("sentence", "Совет руководителей провёл заседание."),
        ("sentence", "Участники обсудили угрозы."),
    ]
    assert _date(RU_PRESS_RELEASE) == ("2025-11-17", "dateline")


def test_a_wire_dateline_below_a_header_block_of_stacked_lines_is_a_dateline():
    header = (
        "Press Release\nCommittee Reviews Use of Drones\nExperts Warn of Rising Threat\nMedia contact: Jane Doe\n"
        "Phone: +1 212 963 1234\nEmail: press@example.org\nFax: +1 212 963 5555\nSC/16012\n17 November 2025\n"
        "Security Council\nCounter-Terrorism Committee\nOpen Briefing (AM)\n"
    )
    text = header + "NEW YORK, 17 November (UN) - The Committee held an open briefing on drones.\n"
    got = _kinds(text)
    assert got[-2:] == [("dateline", "NEW YORK, 17 November (UN)"), ("sentence", "The Committee held an open briefing on drones.")]
    assert ("dateline", "17 November 2025") in got
    assert ("heading", "Open Briefing (AM)") in got


BODY = (
    "Council meeting\n\nThe Council of the RATS held its meeting in Tashkent.\n\n"
    "Participants\n\nKazakhstan\n\nKyrgyzstan\n\nRussia\n\nTajikistan\n\nUzbekistan\n\n"
)


@pytest.mark.parametrize(
    "line",
    ["TASHKENT, 17 November (RATS) - The Council heard experts.", "17 November 2025", "Minsk, 18 November 2025"],
)
def test_a_dated_line_after_a_paragraph_of_running_text_is_no_dateline(line):
    # the header block ends at the first paragraph of running text: a later dated line is the body's
    text = BODY + line + "\n\nThe experts spoke.\n"
    got = _kinds(text)
    assert "dateline" not in [kind for kind, _ in got]
    assert _date(text) == (None, None)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Council held its meeting in Tashkent\nand heard experts on drones",  # a line going on in lower case
        "The Council met. It heard experts",  # a sentence ends inside
        "The Council met in Tashkent.",
        "Обсуждены вопросы терроризма, экстремизма и т.д.",  # an abbreviation in lower case ends the sentence
    ],
)
def test_a_paragraph_of_running_text_ends_the_header_block(paragraph):
    text = (
        "Council meeting\n\n" + paragraph + "\n\nKazakhstan\n\nKyrgyzstan\n\nRussia\n\nTajikistan\n\nUzbekistan\n\n"
        "Turkmenistan\n\nTASHKENT, 17 November (RATS) - The Council heard experts.\n"
    )
    assert _kinds(text)[-1] == ("sentence", "TASHKENT, 17 November (RATS) - The Council heard experts.")
