"""Segmentation: bullets, paragraphs, sentences, abbreviations, lead-ins, offsets, no word lost."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themes import segment as segment_from_package
from themes.segment import MAX_PARAGRAPH_CHARS, iter_segments, parse_date, segment


def texts(doc):
    return [s.text for s in segment(doc)]


def kinds(doc):
    return [s.kind for s in segment(doc)]


def assert_offsets(doc, segments):
    for s in segments:
        assert doc[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    starts = [s.start for s in segments]
    assert starts == sorted(starts)
    for a, b in itertools.pairwise(segments):
        assert a.end <= b.start
    assert [s.index for s in segments] == list(range(len(segments)))


def test_segment_is_exported_from_the_package():
    assert segment_from_package is segment


@pytest.mark.parametrize(
    "marker",
    ["-", "\u2013", "\u2014", "\u2022", "*", "1.", "1)", "a)", "(a)", "(2)", "iv)"],
    ids=["hyphen", "en-dash", "em-dash", "bullet", "star", "num-dot", "num-paren", "letter", "paren-letter", "paren-num", "roman"],
)
def test_each_bullet_marker_starts_a_bullet_without_the_marker(marker):
    doc = f"The parties:\n{marker} discussed drones;\n{marker} agreed on a plan."
    segments = segment(doc)
    assert [s.kind for s in segments] == ["lead_in", "bullet", "bullet"]
    assert [s.text for s in segments[1:]] == ["discussed drones;", "agreed on a plan."]
    assert_offsets(doc, segments)


def test_wrapped_bullet_lines_stay_in_one_bullet():
    doc = "Agenda:\n- the use of drones by\n  terrorist groups;\n- border security"
    assert texts(doc)[1] == "the use of drones by\n  terrorist groups;"
    # without indentation (PDF text) a bullet without final punctuation continues too
    doc = "Agenda:\n\u2022 the use of drones by\nterrorist groups;\n\u2022 border security."
    assert texts(doc)[1:] == ["the use of drones by\nterrorist groups;", "border security."]


def test_a_paragraph_after_a_finished_bullet_is_not_part_of_it():
    doc = "The parties:\n- agreed on a plan.\nThe meeting then closed."
    segments = segment(doc)
    assert [(s.kind, s.text) for s in segments][1:] == [("bullet", "agreed on a plan."), ("sentence", "The meeting then closed.")]
    assert segments[2].context is None


def test_paragraphs_and_sentences():
    doc = "First sentence here. Second one follows!\n\nA new paragraph? Yes.\nIt wraps\nover lines."
    assert texts(doc) == [
        "First sentence here.",
        "Second one follows!",
        "A new paragraph?",
        "Yes.",
        "It wraps\nover lines.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Council was chaired by A.V. Bortnikov of the FSB.",
        "Resolution No. 2396 was recalled.",
        "Cooperation with the U.S. authorities was discussed.",
        "Under Art. 5 of the Convention the parties consult.",
        "About 1.5 million travellers were screened.",
        "Mr. Ivanov and Dr. Petrova spoke.",
        "Talks with the E.U. and St. Petersburg officials (e.g. customs) went on.",
        "Участники, в т.ч. А.В. Петров, выступили.",
    ],
    ids=["initials", "No.", "U.S.", "Art.", "decimal", "titles", "e.g.", "russian"],
)
def test_abbreviations_and_initials_do_not_break_sentences(sentence):
    doc = f"{sentence} The next sentence starts here."
    assert texts(doc) == [sentence, "The next sentence starts here."]


def test_title_and_dateline_are_statements():
    doc = "Meeting of the Council of Heads\nMinsk, 14 May 2024\n\nThe Council met."
    segments = segment(doc)
    assert [(s.kind, s.text) for s in segments] == [
        ("title", "Meeting of the Council of Heads"),
        ("dateline", "Minsk, 14 May 2024"),
        ("sentence", "The Council met."),
    ]


@pytest.mark.parametrize(
    "doc, dateline, rest",
    [
        ("MINSK, 14 May 2024 \u2013 The Council met.", "MINSK, 14 May 2024", "The Council met."),
        ("14 May 2024, Tashkent \u2014 Experts met.", "14 May 2024, Tashkent", "Experts met."),
        ("Astana, May 14, 2024 - Experts met.", "Astana, May 14, 2024", "Experts met."),
    ],
    ids=["place-date", "date-place", "us-style"],
)
def test_dateline_opening_the_first_paragraph_is_split_off(doc, dateline, rest):
    segments = segment(doc)
    assert [(s.kind, s.text) for s in segments] == [("dateline", dateline), ("sentence", rest)]
    assert_offsets(doc, segments)


def test_a_date_later_in_the_text_is_not_a_dateline():
    doc = "Agenda:\n- item one;\n- item two.\n\nThe next meeting: 14 May 2025\n"
    assert "dateline" not in kinds(doc)


def test_lead_in_is_the_context_of_its_bullets_until_the_list_ends():
    doc = (
        "During the second session the participants:\n"
        "- discussed the use of drones;\n"
        "- agreed to exchange information.\n\n"
        "The meeting closed.\n"
        "- a stray bullet"
    )
    segments = segment(doc)
    lead = "During the second session the participants:"
    assert segments[0].kind == "lead_in" and segments[0].context is None
    assert [s.context for s in segments[1:3]] == [lead, lead]
    assert segments[3].context is None
    assert segments[4].kind == "bullet" and segments[4].context is None


def test_lead_in_across_a_blank_line_and_wrapped_lines():
    doc = "Opening the meeting, the chair said\nthat the participants had:\n\n1) met;\n2) agreed."
    segments = segment(doc)
    assert segments[0].kind == "lead_in"
    assert segments[1].context == "Opening the meeting, the chair said that the participants had:"


def test_heading_carries_as_context_of_following_bullets():
    doc = "Intro sentence.\n\nCountering the financing of terrorism\n\n- cash couriers;\n- hawala."
    segments = segment(doc)
    assert segments[1].kind == "heading"
    assert segments[2].context == "Countering the financing of terrorism"


def test_offsets_hold_with_windows_line_breaks():
    doc = "Title line\r\n\r\nFirst. Second.\r\n- bullet one;\r\n- bullet two.\r\n"
    assert_offsets(doc, segment(doc))
    assert texts(doc) == ["Title line", "First.", "Second.", "bullet one;", "bullet two."]


def test_empty_and_blank_texts_give_no_statements():
    assert segment("") == []
    assert segment(" \n\n\t ") == []


def test_segment_rejects_non_strings():
    with pytest.raises(TypeError, match="segment expects a str; got bytes"):
        segment(b"bytes")


def test_chunks_split_anywhere_give_the_same_statements():
    doc = "Title\nMinsk, 1 May 2024\n\nThe parties:\n- one;\n- two.\nA. B. Smith spoke. Then U.S. talks.\r\nEnd."
    whole = segment(doc)
    for size in (1, 2, 3, 7, 13):
        pieces = [doc[i : i + size] for i in range(0, len(doc), size)]
        assert list(iter_segments(pieces)) == whole


def test_a_huge_paragraph_is_emitted_sentence_by_sentence():
    sentence = "Terrorist use of drones was discussed at length. "
    doc = sentence * (2 * MAX_PARAGRAPH_CHARS // len(sentence) + 10)
    segments = segment(doc)
    assert len(segments) == doc.count(".")
    assert_offsets(doc, segments)


def test_a_text_without_breaks_is_cut_but_nothing_is_lost():
    doc = "word " * 300_000  # 1.5 MB on one line, no punctuation
    segments = segment(doc)
    assert sum(len(s.text.split()) for s in segments) == 300_000
    assert_offsets(doc, segments)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Minsk, 14 May 2024", "2024-05-14"),
        ("May 14th, 2024", "2024-05-14"),
        ("2024-05-14", "2024-05-14"),
        ("14.05.2024", "2024-05-14"),
        ("Бишкек, 10 февраля 2025 г.", "2025-02-10"),
        ("30 February 2024", None),
        ("no date", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


# ---------------------------------------------------------------------- property
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP", min_size=2, max_size=8)
PIECE = st.one_of(
    WORD,
    WORD.map(lambda w: w + "."),
    WORD.map(lambda w: w + ":"),
    WORD.map(lambda w: w + ";"),
    st.sampled_from(["A.V.", "No.", "U.S.", "Art.", "1.5", "e.g.", "(x)", "\u2014", "-", "14 May 2024", "Minsk,"]),
)
SEPARATOR = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\n- ", "\n\u2022 ", "\n1. ", "\na) ", "\t", "\n   "])


@st.composite
def documents(draw):
    pieces = draw(st.lists(st.tuples(PIECE, SEPARATOR), max_size=60))
    lead = draw(st.sampled_from(["", " ", "\n", "- ", "Title\n", "Title\n\nMinsk, 1 May 2024 - "]))
    return lead + "".join(p + s for p, s in pieces)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_property_offsets_exact_and_every_word_in_exactly_one_statement(doc):
    segments = segment(doc)
    assert_offsets(doc, segments)
    covered = [0] * len(doc)
    for s in segments:
        for i in range(s.start, s.end):
            covered[i] += 1
    assert max(covered, default=0) <= 1
    # every word of two letters or more (bullet markers have at most one) is in a statement
    for match in re.finditer(r"[A-Za-z]{2,}", doc):
        assert all(covered[i] == 1 for i in range(match.start(), match.end())), (match.group(), doc)


@settings(max_examples=100, deadline=None)
@given(documents(), st.integers(min_value=1, max_value=50))
def test_property_streaming_equals_whole(doc, size):
    pieces = [doc[i : i + size] for i in range(0, len(doc), size)]
    assert list(iter_segments(pieces)) == segment(doc)
