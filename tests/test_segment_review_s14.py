"""Segmentation and dating defects found in review session 14, on bulletin layouts an
analyst meets (UN resolutions, FATF outcomes, agency wires, CIS and CSTO news)."""

from __future__ import annotations

import pytest

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
