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
