"""A statement pasted with its list number is scored as ``themes score`` scores it (session 17).

``themes score`` takes a list item's number off when it splits a bulletin, and the corpus
holds none; ``classify`` scored the number as a word ("12" as a figure), which changed the
themes of 7 to 11 of the 319 real development statements when "1. " or "12. " was put
before them.
"""

from __future__ import annotations

import pytest

from themes import classify, score_archive
from themes.api import scored_text

STATEMENT = "Calls upon all States to prevent the travel of foreign terrorist fighters across their borders."


@pytest.mark.parametrize("marker", ["12. ", "3) ", "(ii) ", "iv. ", "b) ", "1.2. ", "  7.\t"])
def test_a_list_number_before_a_statement_changes_nothing(marker):
    numbered, plain = classify(marker + STATEMENT), classify(STATEMENT)
    assert numbered.scores == plain.scores
    assert numbered.themes == plain.themes
    assert numbered.text == marker + STATEMENT  # the result keeps what it was given


def test_a_russian_list_letter_changes_nothing():
    text = "одобрить план совместных мероприятий по противодействию финансированию терроризма."
    assert classify("б) " + text).scores == classify(text).scores


def test_a_number_of_the_statement_itself_is_kept():
    for text in ["1.5 million people were displaced by the attacks.", "2024 saw fewer attacks on pipelines.",
                 "i.e. the parties agreed.", "12 militants were detained at the border."]:
        assert scored_text(text) == text
    # and it is read: the figure weighs in the scores
    assert classify("12 militants were detained at the border.").scores != classify("militants were detained at the border.").scores


def test_batch_equals_single_and_contexts_lose_their_number_too():
    texts = ["12. " + STATEMENT, "(a) urged States to share information on the financing of terrorism;", STATEMENT]
    contexts = ["2. During the session on border security the participants:", None, None]
    batch = classify(texts, context=contexts)
    for text, context, result in zip(texts, contexts, batch):
        assert classify(text, context=context).scores == result.scores
    assert batch[0].scores == classify(STATEMENT, context="During the session on border security the participants:").scores


def test_explain_reads_what_was_scored():
    numbered = classify("12. " + STATEMENT).explain(k=20)
    plain = classify(STATEMENT).explain(k=20)
    assert numbered == plain
    assert not any(c.feature == "12" for contributions in numbered.values() for c in contributions)


def test_classify_agrees_with_the_archive_on_a_numbered_paragraph(tmp_path):
    lines = ["1. " + STATEMENT, "2. Welcomes the adoption of the regional programme on drug trafficking."]
    path = tmp_path / "resolution.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    (result,) = score_archive(path)
    scored = [r for r in result.records if r["themes"] or r["scores"]]
    assert len(scored) == 2
    for line, record in zip(lines, scored):
        assert not record["text"][:1].isdigit()  # the archive took the number off
        assert classify(line).scores == pytest.approx(record["scores"], abs=1e-4)


def test_html_character_references_are_read_as_their_characters():
    text = "The plenary discussed AML/CFT measures against the financing of terrorism through charities."
    with_references = text.replace(" ", "&nbsp;", 3).replace("AML/CFT", "AML&#47;CFT")
    assert classify(with_references).scores == classify(text.replace(" ", "\u00a0", 3)).scores
    assert classify(with_references).scores == classify(text).scores
    batch = classify([with_references, "3.&nbsp;" + STATEMENT])
    assert batch[0].scores == classify(with_references).scores
    assert batch[1].scores == classify(STATEMENT).scores  # the reference before the number's space too
    assert batch[0].text == with_references


def test_an_ampersand_that_is_no_reference_is_kept():
    for text in ["R&D; Q&A sessions on drones.", "AT&T and others&co", "Fish & chips; &c"]:
        assert scored_text(text) == text
