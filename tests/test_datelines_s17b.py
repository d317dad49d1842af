"""Datelines, session 17 follow-ups (helper-125's open cases): an English wire dateline with
its place in Title Case, a town named after "г." or "the city of" inside a sentence, and the
acronyms of bodies that read as words in capitals at a line start.

1. "Bishkek, 17 November (Kabar) –": the English wire pattern wanted the place in capitals,
   so the line was a heading (or the first sentence) and a yearless one left the bulletin
   undated. A place in Title Case, a date and the agency in brackets or slashes are a
   dateline.
2. "в г. Орск 17 – 19 ноября 2025", "in the city of Orsk 17 – 19 November 2025" gave the
   19th: after "г." (город) or "the city of" a capitalised word is a place wherever it stands.
3. "CEPOL 5 - 20 May 2024", "СИПРИ 5 – 20 мая 2024" (acronyms spelt as places are) gave the
   5th, as if the body were a dateline's place; "ОДКБ 5 – 20 мая 2024" gives the 20th.

Each is tested on the date or the segments alone and through the path a user takes (a
bulletin file scored by ``themes.archive``). The texts are written for the purpose.
"""

from __future__ import annotations

import pytest

from themes import dates, segment

from conftest import scored_date as scored


# ------------- 1. an English wire dateline with its place in Title Case
@pytest.mark.parametrize(
    "dateline",
    [
        "Bishkek, 17 November (Kabar) –",
        "Bishkek, Nov 17 – 19 (Kabar) -",
        "Bishkek, November 17 /Kabar/ -",
        "Nukus, 17 November (UzA) -",
        "The Hague, 17 November (TASS) -",
        "Bishkek 17 November (Kabar) -",
        "Bishkek, 17 November (24.kg) -",
    ],
)
def test_a_title_case_place_a_date_and_an_agency_are_a_dateline(dateline):
    text = f"Council meeting\n\n{dateline}\n\nThe Council met.\n"
    kinds = [(s.kind, s.text) for s in segment(text)]
    assert kinds == [("title", "Council meeting"), ("dateline", dateline), ("sentence", "The Council met.")]


def test_a_title_case_dateline_on_the_line_of_the_first_sentence_is_split_from_it():
    text = "Council meeting\n\nBishkek, 17 November (Kabar) - The Council met.\n"
    kinds = [(s.kind, s.text) for s in segment(text)]
    assert kinds[1:] == [("dateline", "Bishkek, 17 November (Kabar)"), ("sentence", "The Council met.")]


@pytest.mark.parametrize(
    "text",
    [
        "Council meeting\n\nBishkek, 17 November (Kabar) –\n\nThe Council met on Monday.\n",
        "Council meeting\n\nBishkek, Nov 17 – 19 (Kabar) - The Council met on Monday.\n",
    ],
    ids=["own-line", "before-the-first-sentence"],
)
def test_a_title_case_wire_dateline_dates_the_bulletin(tmp_path, text):
    # yearless: completed with the year of the folder. Before, on its own line it was a
    # heading and the bulletin undated (None, None); before the first sentence it was part of
    # it, and the bulletin was dated from the text ("text"), not by its dateline
    assert scored(tmp_path, text) == ("2025-11-17", "dateline")


@pytest.mark.parametrize(
    "line",
    [
        "Meeting, 17 November -",  # no agency: a capitalised word and a date
        "Bishkek (Kabar) -",  # no date
        "Meeting, 17 November. The Council met.",
        "Meeting, 17 November (draft) -",  # what is in brackets is no agency's name
        "Protocol 17 November (Draft) -",  # without the comma, a known agency only
    ],
)
def test_a_title_case_word_without_both_a_date_and_an_agency_is_no_dateline(line):
    # fails before the fix through the dateline beside it
    kinds = [s.kind for s in segment(f"Council meeting\n\n{line}\n\nThe Council met.\n")]
    wire = [s.kind for s in segment("Council meeting\n\nBishkek, 17 November (Kabar) -\n\nThe Council met.\n")]
    assert ("dateline" in kinds, wire[1]) == (False, "dateline")


# ------------- 2. a town named after "г." or "the city of", wherever it stands
@pytest.mark.parametrize(
    "text",
    [
        "Совет провёл заседание в г. Орск 17 – 19 ноября 2025 г.",
        "Учения прошли в г. Навои 17 – 19 ноября 2025 года.",
        "Учения прошли в г. ОРСК 17 – 19 ноября 2025 года.",
        "Учения прошли в городе Кант 17 – 19 ноября 2025 года.",
        "The meeting was held in the city of Orsk 17 – 19 November 2025.",
        "Exercises took place in the town of Nukus 17 - 19 November 2025.",
    ],
)
def test_a_town_after_g_or_city_of_is_a_place_inside_a_sentence(text):
    assert dates.parse_date(text) == "2025-11-17"


@pytest.mark.parametrize(
    "text",
    [
        # "г." after a number is "год": the word after it is no town
        "В 2025 г. Протокол 5 – 20 мая 2024 г. утратил силу.",
        "В 2025 г. Совет 5 – 20 мая 2024 г. не собирался.",
        # a word in Title Case inside a sentence, with no town word before it, numbers
        "The report met the Council 5 - 20 May 2024.",
    ],
)
def test_a_capitalised_word_without_a_town_word_still_numbers(text):
    # fails before the fix through the town beside it
    assert (dates.parse_date(text), dates.parse_date("в г. Орск 17 – 19 ноября 2025")) == ("2024-05-20", "2025-11-17")


def test_a_town_after_g_dates_the_bulletin_by_the_first_day(tmp_path):
    text = "Заседание Совета\n\nСовет провёл заседание в г. Орск 17 – 19 ноября 2025 г.\n"
    assert scored(tmp_path, text) == ("2025-11-17", "text")


# ------------- 3. bodies whose acronyms read as words in capitals
@pytest.mark.parametrize(
    "text",
    [
        "CEPOL 5 - 20 May 2024",
        "SIPRI 5 - 20 May 2024",
        "СИПРИ 5 – 20 мая 2024",
        "EGMONT 5 - 20 May 2024",
        "ЭГМОНТ 5 – 20 мая 2024 г.",
        "AFRIPOL 5 - 20 May 2024",
        "АФРИПОЛ 5 – 20 мая 2024",
        "ФРОНТЕКС 5 – 20 мая 2024",
        "FRONTEX 5 - 20 May 2024",
        "Заседание Совета\n\nСИПРИ 5 – 20 мая 2024",
    ],
)
def test_a_body_whose_acronym_reads_as_a_word_numbers_things(text):
    # as "ОДКБ 5 – 20 мая 2024" and "UNICRI 5 - 20 May 2024" do (a number and a date)
    assert dates.parse_date(text) == "2024-05-20"


def test_places_spelt_like_those_acronyms_stay_places():
    # fails before the fix through the acronym beside it
    got = [dates.parse_date(t) for t in ("NUKUS 17 – 19 November 2025", "ТЕРМЕЗ 17 – 19 ноября 2025", "SEVASTOPOL 17 - 19 November 2025", "CEPOL 17 - 19 November 2025")]
    assert got == ["2025-11-17", "2025-11-17", "2025-11-17", "2025-11-19"]


def test_reads_as_a_place_names_those_bodies_acronyms():
    words = ("CEPOL", "СИПРИ", "EGMONT", "ЭГМОНТ", "АФРИПОЛ", "ФРОНТЕКС", "ТИРАСПОЛЬ", "ЭЛИСТА")
    assert [dates.reads_as_a_place(w) for w in words] == [False] * 6 + [True, True]


def test_a_body_acronym_line_dates_the_bulletin_by_the_second_number(tmp_path):
    text = "Заседание Совета\n\nCEPOL 5 - 20 May 2024\n\nThe course was held in Budapest.\n"
    assert scored(tmp_path, text) == ("2024-05-20", "dateline")
