"""Datelines without their comma before a spaced range of days (session 17): the word before
the first number is a dateline's place (the range is dated by its first day) or a body's
acronym that numbers things (the number is no day, the date is the second).

Three misreadings left open in session 16: an unlisted acronym of five letters or more in
capitals ("UNICRI 5 - 20 May 2024") was read as a place, so the 5th; an unlisted city of four
letters in capitals ("ОРСК 17 – 19 ноября 2025") was read as an acronym, so the 19th; and an
unlisted place in Title Case ("Nukus 17 – 19 November 2025", "Орск 17 – 19 ноября 2025") was
read as a word that numbers, so the 19th. Each is tested on the date alone and through the
path a user takes (a bulletin file scored by ``themes.archive``). The texts are written for
the purpose."""

from __future__ import annotations

import pytest

from themes import dates, segment

from conftest import scored_date as scored


def bulletin(dateline):
    return f"Заседание Совета\n\n{dateline}\n\nСовет провёл заседание.\n"


# ------------- 1. an acronym of five letters or more that no list holds numbers things
@pytest.mark.parametrize(
    "text",
    [
        # the UN family's names open with UN, ЮН; the EU's agencies with EURO, ЕВРО
        "UNICRI 5 - 20 May 2024",
        "UNITAR 5 – 20 May 2024",
        "UNRCCA 5 – 20 May 2024",
        "ЮНИКРИ 5 – 20 мая 2024",
        "ЮНЭЙДС 5 – 20 мая 2024 г.",
        "EUROJUST 5 - 20 May 2024",
        "ЕВРОЮСТ 5 – 20 мая 2024 года",
        # four consonants in a row: initials, no place's spelling
        "РЦПДЦА 5 – 20 мая 2024",
        # an acronym in Latin letters before a Russian month, in Cyrillic before an English one:
        # a dateline's place is written in the script of its month
        "FRONTEX 5 – 20 мая 2024",
        "ФРОНТЕКС 5 - 20 May 2024",
    ],
)
def test_an_unlisted_acronym_of_five_letters_or_more_numbers_things(text):
    assert dates.parse_date(text) == "2024-05-20"


@pytest.mark.parametrize(
    "text",
    ["NUKUS 17 – 19 November 2025", "ТЕРМЕЗ 17 – 19 ноября 2025", "АРХАНГЕЛЬСК 17 – 19 ноября 2025", "ЭЛИСТА 17 - 19 ноября 2025"],
)
def test_places_of_five_letters_or_more_stay_places_beside_the_acronyms(text):
    # fails before the fix through the acronym half: the same shape read both ways
    assert (dates.parse_date(text), dates.parse_date("UNICRI 17 – 19 November 2025")) == ("2025-11-17", "2025-11-19")


def test_a_word_in_capitals_in_running_text_is_an_acronym():
    """Places are written in capitals where a dateline's place stands, or in a heading all in
    capitals; inside a line of running text such a word is a body's initials."""
    got = (
        dates.parse_date("Курсы прошли совместно с СИПРИ 5 – 20 мая 2024 г."),
        dates.parse_date("ЗАСЕДАНИЕ СОВЕТА В АСТАНЕ 17 – 19 НОЯБРЯ 2025"),
    )
    assert got == ("2024-05-20", "2025-11-17")


def test_an_unlisted_acronym_dates_the_bulletin_by_the_date(tmp_path):
    assert scored(tmp_path, bulletin("UNICRI 5 – 20 May 2024")) == ("2024-05-20", "dateline")


# ------------- 2. a city of four letters in capitals that no list holds is a place
@pytest.mark.parametrize(
    "text, year",
    [
        ("ОРСК 17 – 19 ноября 2025", None),
        ("ОРСК 17 - 19 ноября", 2025),
        ("ЕЙСК 17 – 19 ноября 2025 г.", None),
        ("ORSK 17 - 19 November 2025", None),
    ],
)
def test_an_unlisted_city_of_four_letters_ending_in_sk_is_a_place(text, year):
    # the Slavic place-name ending "-ск", as in МИНСК, ТОМСК, ОМСК; acronyms of four letters
    # stay acronyms
    assert (dates.parse_date(text, year=year), dates.parse_date("ОДКБ 5 – 20 мая 2024")) == ("2025-11-17", "2024-05-20")


def test_an_agency_after_the_date_makes_the_word_before_it_a_place():
    """A wire dateline's agency in brackets or slashes after the date: the word opening the
    line is its place whatever its shape ("КАНТ", four letters, reads as an acronym)."""
    assert dates.parse_date("КАНТ 17 – 19 ноября. /Кабар/.", year=2025) == "2025-11-17"
    assert dates.parse_date("КАНТ 17 – 19 ноября (Кабар) – Совет провёл заседание.", year=2025) == "2025-11-17"
    # without the agency it is read by its shape, as before
    assert dates.parse_date("КАНТ 17 – 19 ноября 2025") == "2025-11-19"


@pytest.mark.parametrize(
    "text, source",
    [
        (bulletin("ОРСК 17 – 19 ноября 2025"), "dateline"),
        (bulletin("ORSK 17 - 19 November 2025"), "dateline"),
        # yearless, with its agency (a sentence before, dated by its last day)
        ("Заседание Совета\n\nОРСК 17 – 19 ноября. /ТАСС/. Совет провёл заседание.\n", "dateline"),
    ],
    ids=["ru", "en", "ru-wire-yearless"],
)
def test_an_unlisted_city_of_four_letters_dates_the_bulletin_by_the_first_day(tmp_path, text, source):
    assert scored(tmp_path, text) == ("2025-11-17", source)


# ------------- 3. a place in Title Case opening the line, without its comma
@pytest.mark.parametrize(
    "text, year",
    [
        ("Nukus 17 – 19 November 2025", None),
        ("Орск 17 – 19 ноября 2025", None),
        ("Навои 17 – 19 ноября 2025 г.", None),
        ("Термез 17 - 19 ноября", 2025),
        ("Нижний Новгород 17 – 19 ноября 2025", None),
        ("The Hague 17 - 19 November 2025", None),
        ("**Nukus 17 – 19 November 2025**", None),
        ("г. Орск 17 – 19 ноября 2025", None),
    ],
)
def test_an_unlisted_place_in_title_case_opening_a_line_is_a_place(text, year):
    assert dates.parse_date(text, year=year) == "2025-11-17"


@pytest.mark.parametrize(
    "text",
    [
        "Protocol 5 - 20 May 2024",
        "Resolution 5 - 20 May 2024",
        "Протокол 5 – 20 мая 2024 г.",
        "Решение 5 – 20 мая 2024 г.",
        "Приказ 5 – 20 мая 2024 г.",
    ],
)
def test_a_numbered_document_opening_a_line_stays_a_number(text):
    # as "Bulletin 5 - 20 May 2024" and "Выпуск 5 – 20 мая 2024 г." do; fails before the fix
    # through the place beside it
    assert (dates.parse_date(text), dates.parse_date("Nukus 17 – 19 November 2025")) == ("2024-05-20", "2025-11-17")


@pytest.mark.parametrize(
    "dateline",
    ["Nukus 17 – 19 November 2025", "Орск 17 – 19 ноября 2025", "Навои 17 – 19 ноября 2025 – Совет провёл заседание."],
)
def test_an_unlisted_place_in_title_case_dates_the_bulletin_by_the_first_day(tmp_path, dateline):
    assert scored(tmp_path, bulletin(dateline)) == ("2025-11-17", "dateline")


# ------------- 4. a wire dateline without its comma is a dateline
@pytest.mark.parametrize(
    "dateline, sentence",
    [
        ("МОСКВА 17 – 19 ноября", "Совет провёл заседание."),
        ("МОСКВА 17 ноября. /ТАСС/.", "Совет провёл заседание."),
        ("Москва 17 ноября –", "Совет провёл заседание."),
        ("Орск 17 – 19 ноября. /ТАСС/.", "Совет провёл заседание."),
        ("MOSCOW 17 – 19 November (TASS) -", "The Council met."),
        ("BISHKEK 17 November (Kabar) -", "The Council met."),
    ],
)
def test_a_wire_dateline_without_its_comma_is_the_dateline(tmp_path, dateline, sentence):
    """The place, an optional comma, the date, an optional agency, a dash: such a line without
    its comma was a heading or the first sentence, and a yearless one left the bulletin undated."""
    text = f"Заседание Совета\n\n{dateline} {sentence}\n"
    kinds = [(s.kind, s.text) for s in segment(text)]
    assert kinds[1:] == [("dateline", dateline.rstrip(" -–")), ("sentence", sentence)]
    assert scored(tmp_path, text) == ("2025-11-17", "dateline")


@pytest.mark.parametrize(
    "line",
    ["ОДКБ 17 ноября – Совет провёл заседание.", "Заседание 17 ноября.", "ЗАСЕДАНИЕ 17 НОЯБРЯ"],
)
def test_no_place_before_the_date_makes_no_comma_less_dateline(line):
    # fails before the fix through the dateline beside it
    kinds = [s.kind for s in segment(f"Заседание Совета\n\n{line}\n\nСовет провёл заседание.\n")]
    wire = [s.kind for s in segment("Заседание Совета\n\nМОСКВА 17 ноября. /ТАСС/.\n\nСовет провёл заседание.\n")]
    assert ("dateline" in kinds, wire[1]) == (False, "dateline")
