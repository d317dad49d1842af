"""Segmentation and dating defects found in review session 14, on bulletin layouts an
analyst meets (UN resolutions, FATF outcomes, agency wires, CIS and CSTO news)."""

from __future__ import annotations

import pytest

from themes import dates
from themes.segment import segment


def _kinds(text, **kw):
    return [(s.kind, s.text) for s in segment(text, **kw)]


# ------------------------------------------- 1. a one-line quotation is no heading
@pytest.mark.parametrize(
    "line",
    [
        'The chair said: "Threats from drones are growing."',
        "Председатель подчеркнул: «Угроза терроризма сохраняется.»",
        "He asked: \u201cWho finances them?\u201d",
    ],
)
def test_a_one_line_paragraph_ending_in_a_quoted_full_stop_is_a_sentence(line):
    text = f"Meeting of experts\n\nThe experts met in Vienna.\n\n{line}\n"
    assert _kinds(text)[-1] == ("sentence", line)


def test_a_heading_ending_in_a_quoted_name_stays_a_heading():
    text = 'Meeting of experts\n\nThe experts met in Vienna.\n\nExercise "Interaction-2025"\n- drones;\n'
    assert _kinds(text)[2] == ("heading", 'Exercise "Interaction-2025"')


# ------------------------------------ 2. a sum in "млн руб." closes its sentence
@pytest.mark.parametrize(
    "text, first",
    [
        ("Выделено 2 млн руб. В ходе заседания обсуждены вопросы.", "Выделено 2 млн руб."),
        ("Изъято 3 тыс. т. Участники отметили рост.", "Изъято 3 тыс. т."),
        ("Сумма составила 2.5 млрд руб. Следующее заседание пройдёт в Минске.", "Сумма составила 2.5 млрд руб."),
    ],
)
def test_a_unit_after_a_unit_of_a_sum_ends_the_sentence_before_an_opening_word(text, first):
    assert [s.text for s in segment(text)][0] == first


def test_a_unit_after_a_unit_before_a_name_stays_in_the_sentence():
    text = "Выделено 2 млн руб. Министерством обороны."
    assert [s.text for s in segment(text)] == [text]


# ------------------------- 3. a Russian ordinal day ("17-го ноября") is the day, not the 1st
@pytest.mark.parametrize(
    "text, iso",
    [
        ("Заседание состоялось 17-го ноября 2025 года в Минске.", "2025-11-17"),
        ("17-ого ноября 2025 г.", "2025-11-17"),
        ("с 17-го по 18-е ноября 2025 года", "2025-11-17"),
        ("1-го декабря 2025 г.", "2025-12-01"),
    ],
)
def test_a_russian_ordinal_day_dates_its_day(text, iso):
    assert dates.parse_date(text) == iso


def test_a_russian_ordinal_day_without_its_year_is_read_with_the_year_given():
    found = dates.search_date("МОСКВА, 17-го ноября. /ТАСС/.", year=2025)
    assert found.iso == "2025-11-17"


# ---------- 4. sub-items of another kind under a numbered item ending in a colon, at its indent
RESOLUTION = """The Security Council,

1. Decides that all States shall:
(a) prevent the financing of terrorist acts;
(b) freeze without delay the funds of such persons;
2. Calls upon Member States to:
i. intensify the exchange of operational information;
ii. cooperate through bilateral arrangements;
3. Requests the Committee to report within 90 days.
"""


def test_lettered_sub_items_under_a_numbered_item_ending_in_a_colon_take_it_as_context():
    got = [(s.kind, s.text, s.context) for s in segment(RESOLUTION)]
    assert got[1:] == [
        ("lead_in", "Decides that all States shall:", None),
        ("bullet", "prevent the financing of terrorist acts;", "Decides that all States shall:"),
        ("bullet", "freeze without delay the funds of such persons;", "Decides that all States shall:"),
        ("lead_in", "Calls upon Member States to:", None),
        ("bullet", "intensify the exchange of operational information;", "Calls upon Member States to:"),
        ("bullet", "cooperate through bilateral arrangements;", "Calls upon Member States to:"),
        ("bullet", "Requests the Committee to report within 90 days.", None),
    ]


def test_dashes_under_a_numbered_item_ending_in_a_colon_take_it_as_context():
    text = (
        "Участники заседания:\n"
        "1. Рассмотрели вопросы:\n"
        "– финансирования терроризма;\n"
        "– вербовки в сети Интернет;\n"
        "2. Утвердили план учений.\n"
    )
    got = [(s.kind, s.text, s.context) for s in segment(text)]
    assert got == [
        ("lead_in", "Участники заседания:", None),
        ("lead_in", "Рассмотрели вопросы:", None),
        ("bullet", "финансирования терроризма;", "Рассмотрели вопросы:"),
        ("bullet", "вербовки в сети Интернет;", "Рассмотрели вопросы:"),
        ("bullet", "Утвердили план учений.", "Участники заседания:"),
    ]


def test_items_of_one_kind_ending_in_a_colon_stay_items_of_one_list():
    text = "The participants:\n- noted the following:\n- agreed on A;\n"
    got = [(s.kind, s.context) for s in segment(text)]
    assert got == [("lead_in", None), ("bullet", "The participants:"), ("bullet", "The participants:")]


# ------------------------- 5. a section numbered in capital Roman numerals ("II. External action")
@pytest.mark.parametrize("number", ["II", "III", "IV", "XII"])
def test_a_heading_numbered_in_roman_numerals_is_one_heading(number):
    text = (
        "EU Council conclusions\n\nI. General\n1. The Council reaffirms its commitment.\n\n"
        f"{number}. External action\n3. The EU will deepen cooperation.\n"
    )
    got = [(s.kind, s.text, s.context) for s in segment(text)]
    assert got[-2:] == [
        ("heading", f"{number}. External action", None),
        ("bullet", "The EU will deepen cooperation.", f"{number}. External action"),
    ]


def test_a_roman_numeral_opening_a_sentence_stays_in_it():
    text = "III. Участники отметили рост угроз. II. Следующее заседание пройдёт в Минске."
    assert [s.text for s in segment(text)] == [
        "III. Участники отметили рост угроз.", "II. Следующее заседание пройдёт в Минске."
    ]


def test_a_sentence_ending_in_a_roman_numeral_still_ends():
    text = "The talks recalled World War II. The Council met."
    assert [s.text for s in segment(text)] == ["The talks recalled World War II.", "The Council met."]


# ------------- 6. a heading on its own line right above its text (no blank line between them)
@pytest.mark.parametrize(
    "heading, sentence",
    [
        ("Итоги", "По итогам заседания принято решение провести совместные учения."),
        ("Jurisdictions under increased monitoring", "The FATF added two jurisdictions to the list of jurisdictions under increased monitoring."),
        ("II. External action", "The EU will deepen its cooperation with the African Union on countering terrorism."),
    ],
)
def test_a_short_heading_line_right_above_a_sentence_is_a_heading(heading, sentence):
    text = f"Council meeting\nThe Council met in Minsk.\n{heading}\n{sentence}\nIt agreed on a plan.\n"
    got = [(s.kind, s.text) for s in segment(text)]
    assert got == [
        ("title", "Council meeting"),
        ("sentence", "The Council met in Minsk."),
        ("heading", heading),
        ("sentence", sentence),
        ("sentence", "It agreed on a plan."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a sentence broken by hand before a name: its lines are of a width
        "Council meeting\n\nThe Council of the heads of the security services met in\nMinsk on 14 May and discussed drones.\n",
        # a line that ends with a dash goes on below
        "Council meeting\n\nThe Council met. Terrorism \u2013\nThe main threat, it said, is drones and their use.\n",
        # a line above a shorter one
        "Council meeting\n\nThe Council met. Heads of the services of the member states\nMet in Minsk.\n",
    ],
)
def test_a_line_of_a_sentence_above_a_capital_stays_in_the_sentence(text):
    assert "heading" not in [s.kind for s in segment(text)]


def test_a_wire_dateline_ending_its_line_above_the_first_sentence_stays_a_dateline():
    text = "Council meeting\nMOSCOW, November 17 (TASS) -\nThe Council of the heads of the security services met.\n"
    assert [s.kind for s in segment(text)] == ["title", "dateline", "sentence"]


# ----------------------- 7. an English wire dateline with the agency between slashes ("/Kabar/")
@pytest.mark.parametrize(
    "text, dateline",
    [
        ("BISHKEK, Nov. 17, 2025 /Kabar/. The heads of the security services met.", "BISHKEK, Nov. 17, 2025 /Kabar/."),
        ("MOSCOW, November 17 /TASS/ - The heads of the security services met.", "MOSCOW, November 17 /TASS/"),
        ("TASHKENT, 17 November 2025 /UzA/ \u2013 The heads of the security services met.", "TASHKENT, 17 November 2025 /UzA/"),
    ],
)
def test_an_english_wire_dateline_with_the_agency_in_slashes_is_a_dateline(text, dateline):
    got = [(s.kind, s.text) for s in segment(text)]
    assert got == [("dateline", dateline), ("sentence", "The heads of the security services met.")]


# ---------------------- 8. a list item whose line ends in an abbreviation goes on below it
@pytest.mark.parametrize(
    "item, rest",
    [
        ("3. The schedule of visits, e.g.", "to Central Asia."),
        ("– обсудили угрозы, т.е.", "вербовку через Интернет;"),
        ("- heard Mr.", "John Smith on resolution No."),
        ("- noted resolution No.", "2178 (2014);"),
    ],
)
def test_a_list_item_ending_its_line_in_an_abbreviation_goes_on_below(item, rest):
    text = f"The Committee adopted the following:\n{item}\n{rest}\n"
    got = [(s.kind, s.text, s.context) for s in segment(text)]
    marker_end = item.index(" ") + 1
    assert got[1:] == [("bullet", f"{item[marker_end:]}\n{rest}", "The Committee adopted the following:")]


def test_a_list_item_ending_in_a_full_stop_ends_before_a_line_in_lower_case():
    text = "The participants:\n- agreed on a plan.\nthen the Council met.\n"
    got = [(s.kind, s.text) for s in segment(text)]
    assert got[1:] == [("bullet", "agreed on a plan."), ("sentence", "then the Council met.")]


# ------------------------ 9. a Russian wire dateline with an ordinal day ("17-го ноября")
def test_a_russian_wire_dateline_with_an_ordinal_day_is_a_dateline():
    text = "МИНСК, 17-го ноября. /БелТА/.\nУчастники заседания обсудили угрозы.\n"
    got = [(s.kind, s.text) for s in segment(text)]
    assert got == [("dateline", "МИНСК, 17-го ноября. /БелТА/."), ("sentence", "Участники заседания обсудили угрозы.")]
