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
