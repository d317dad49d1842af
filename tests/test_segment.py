"""Segmentation: bullets, paragraphs, sentences, abbreviations, lead-ins, offsets, no word lost."""

from __future__ import annotations

import datetime
import importlib
import itertools
import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themes import dates
from themes import segment as segment_from_package
from themes.segment import MAX_PARAGRAPH_CHARS, MAX_STATEMENT_CHARS, iter_segments, parse_date, segment, unwrap_lines


def texts(doc):
    return [s.text for s in segment(doc)]


def kinds_and_texts(segments):
    return [(s.kind, s.text) for s in segments]


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


@pytest.mark.parametrize(
    "doc, expected",
    [
        ("Agenda:\n\u2022 the use of drones by\nterrorist groups;\n\u2022 border security.",
         ["Agenda:", "the use of drones by terrorist groups;", "border security."]),
        ("The parties discussed coun-\ntering the financing of  \r\n  terrorism. They agreed.",
         ["The parties discussed countering the financing of terrorism.", "They agreed."]),
        ("Участники обсудили вопросы финан-\nсирования терроризма. Решения приняты.",
         ["Участники обсудили вопросы финансирования терроризма.", "Решения приняты."]),
        # a hyphen before a capital or a digit is the text's; a dash after a space stays a dash
        ("The parties met. They held talks on the Russian-\nChinese border in 2024-\n2025 -\nthe third round.",
         ["The parties met.", "They held talks on the Russian-Chinese border in 2024-2025 - the third round."]),
        # a table's rows are its lines
        ("The council met.\n\n| State | Cases |\n| Kazakhstan | 14 |\n\nDrones were seen.",
         ["The council met.", "| State | Cases |\n| Kazakhstan | 14 |", "Drones were seen."]),
        # a first line in title case is no title when it breaks a word at its end, or when
        # the next line goes on in lower case: it opens the first sentence
        ("The Russian-\nChinese talks on border security opened. Drones were discussed.",
         ["The Russian-Chinese talks on border security opened.", "Drones were discussed."]),
        ("Joint Statement Of The Heads Of Services On Countering The\nfinancing of terrorism was adopted. It was signed.",
         ["Joint Statement Of The Heads Of Services On Countering The financing of terrorism was adopted.", "It was signed."]),
    ],
    ids=["bullet", "hyphenated", "russian", "hyphens-kept", "table", "first-line-breaks-a-word", "first-line-goes-on-below"],
)
def test_unwrapped_statements_read_as_one_line_with_offsets_into_the_text_given(doc, expected):
    # PDF text: line breaks are the page's, so each statement's text is read as one line,
    # and its offsets still index the text given
    segments = segment(doc, unwrap=True)
    assert [s.text for s in segments] == expected
    raw = segment(doc)
    assert [(s.start, s.end, s.kind, s.context) for s in segments] == [(s.start, s.end, s.kind, s.context) for s in raw]
    for s in segments:
        assert s.text == (doc[s.start : s.end] if s.kind == "table" else unwrap_lines(doc[s.start : s.end]))
    assert list(iter_segments([doc[i : i + 3] for i in range(0, len(doc), 3)], unwrap=True)) == segments


@pytest.mark.parametrize(
    "wrapped, expected",
    [
        ("in the north-\neastern regions", "in the north-eastern regions"),
        ("on South-\neastern routes", "on South-eastern routes"),
        ("the counter-\nterrorism committee", "the counter-terrorism committee"),
        ("on cross-\nborder crime", "on cross-border crime"),
        ("self-\nradicalised persons", "self-radicalised persons"),
        ("on the east-\nern border", "on the eastern border"),  # a typesetter's break, not a compound
        ("at border cross-\nings", "at border crossings"),
        ("with foreign counter-\nparts", "with foreign counterparts"),
        ("the parties discussed coun-\ntering drones", "the parties discussed countering drones"),
        ("inter-\nnational cooperation", "international cooperation"),
        ("северо-\nвосточных районах", "северо-восточных районах"),
        ("социально-\nэкономического развития", "социально-экономического развития"),
        ("военно-\nслужащих", "военнослужащих"),
        ("обеспечения безопасно-\nсти", "обеспечения безопасности"),
        ("финан-\nсирования терроризма", "финансирования терроризма"),
    ],
    ids=lambda value: value.split("\n")[0][-16:] if "\n" in value else "",
)
def test_a_compound_keeps_its_hyphen_across_a_line_end_and_a_broken_word_is_rejoined(wrapped, expected):
    """"north-\neastern" is a compound: it was read "northeastern". A word the typesetter broke
    ("coun-\ntering", "east-\nern") is still read whole."""
    assert unwrap_lines(wrapped) == expected
    doc = f"The Council met. It spoke {wrapped}."
    assert segment(doc, unwrap=True)[1].text == f"It spoke {expected}."


MARKDOWN = """# Meeting of the Council
**MOSCOW, 28 November 2024** \u2014 The plenary opened.

The **Council** discussed *drones*, _financing_ and `ATC-2024` with [the UN](https://un.org/ct).<br>It met at 10:00.

**The participants:**
- discussed **drones**;
- agreed on [joint exercises](http://example.org/ex).

__Участники заседания:__
- обсудили _финансирование_ терроризма.

## Outcomes
The file_name_here stays, and so does 5 * 3.
"""


def test_markdown_statements_read_as_plain_text_and_a_bold_lead_in_is_a_lead_in():
    """Markdown markup stayed in the statements ("**drones**", "[the UN](https://...)"), a
    bold "**The participants:**" was a heading, and "## Outcomes" ran into the line below."""
    segments = segment(MARKDOWN, markdown=True)
    assert [(s.kind, s.text, s.context) for s in segments] == [
        ("title", "Meeting of the Council", None),
        ("dateline", "MOSCOW, 28 November 2024", None),
        ("sentence", "The plenary opened.", None),
        ("sentence", "The Council discussed drones, financing and ATC-2024 with the UN. It met at 10:00.", None),
        ("lead_in", "The participants:", None),
        ("bullet", "discussed drones;", "The participants:"),
        ("bullet", "agreed on joint exercises.", "The participants:"),
        ("lead_in", "Участники заседания:", None),
        ("bullet", "обсудили финансирование терроризма.", "Участники заседания:"),
        ("heading", "Outcomes", None),
        ("sentence", "The file_name_here stays, and so does 5 * 3.", None),
    ]
    # Offsets index the text given; its plain reading is the statement.
    from themes.segment import plain_markdown

    assert all(s.text == plain_markdown(MARKDOWN[s.start : s.end]) for s in segments)
    assert list(iter_segments([MARKDOWN[i : i + 7] for i in range(0, len(MARKDOWN), 7)], markdown=True)) == segments
    # Without markdown=True (a .txt file), the text is kept as written, but a bold lead-in
    # is a lead-in all the same.
    raw = segment(MARKDOWN)
    assert all(s.text == MARKDOWN[s.start : s.end] for s in raw)
    assert [(s.kind, s.context) for s in raw if "**drones**;" in s.text] == [("bullet", "**The participants:**")]
    assert [s.kind for s in raw if s.text == "**The participants:**"] == ["lead_in"]


WRAPPED_LIST = """The participants of the meeting in Tashkent reviewed the situation on
the southern borders of the member states and the return of fighters.
The participants:
- agreed to extend the joint database of wanted persons to the
  border services of all member states;
\u2022 asked the secretariat to prepare a report on drones used by
armed groups in the region;
1) noted the growing use of messengers for recruitment and the
need for joint work with their providers.
"""
WRAPPED_RU = """В Душанбе прошло заседание совета руководителей органов безопасности государств
\u2013 участников Содружества. Участники заседания:
\u2013 обсудили угрозы, связанные с применением беспилотников
вооруженными группами;
\u2013 договорились о совместном учении в 2026 г.
"""


@pytest.mark.parametrize(
    "doc, expected, as_without_unwrap",
    [
        # bullets on wrapped lines start their statements; wrapped lines stay in their bullet
        (WRAPPED_LIST, [
            ("sentence", "The participants of the meeting in Tashkent reviewed the situation on the southern borders "
                         "of the member states and the return of fighters."),
            ("lead_in", "The participants:"),
            ("bullet", "agreed to extend the joint database of wanted persons to the border services of all member states;"),
            ("bullet", "asked the secretariat to prepare a report on drones used by armed groups in the region;"),
            ("bullet", "noted the growing use of messengers for recruitment and the need for joint work with their providers."),
        ], True),
        # a dash that the wrap put at a line's start goes on with the sentence; the list's are bullets
        (WRAPPED_RU, [
            ("sentence", "В Душанбе прошло заседание совета руководителей органов безопасности государств "
                         "\u2013 участников Содружества."),
            ("lead_in", "Участники заседания:"),
            ("bullet", "обсудили угрозы, связанные с применением беспилотников вооруженными группами;"),
            ("bullet", "договорились о совместном учении в 2026 г."),
        ], False),
        # a title too long for one line, alone above the text
        ("Heads of the regional anti-terrorism structure meet in Tashkent to\ndiscuss the southern borders\n\n"
         "Tashkent, 12 March 2025\n\nThe Council met.", [
            ("title", "Heads of the regional anti-terrorism structure meet in Tashkent to discuss the southern borders"),
            ("dateline", "Tashkent, 12 March 2025"),
            ("sentence", "The Council met."),
        ], False),
        # long items of a list without final stops, and a short line above a dash: bullets
        ("The participants discussed:\n- the use of commercial drones by armed groups in the border regions\n"
         "- the financing of terrorism through anonymous electronic wallets\n\nAgenda\n- drones", [
            ("lead_in", "The participants discussed:"),
            ("bullet", "the use of commercial drones by armed groups in the border regions"),
            ("bullet", "the financing of terrorism through anonymous electronic wallets"),
            ("heading", "Agenda"),
            ("bullet", "drones"),
        ], True),
        # a long lead-in that lost its colon, above items ending as list items do
        ("The participants of the meeting discussed the following questions\n- drones;\n- borders.", [
            ("sentence", "The participants of the meeting discussed the following questions"),
            ("bullet", "drones;"),
            ("bullet", "borders."),
        ], True),
        # a first paragraph that ends as a sentence does is no title
        ("The Council of the regional structure met in Tashkent and reviewed\nthe borders.\n\nDrones were seen.", [
            ("sentence", "The Council of the regional structure met in Tashkent and reviewed the borders."),
            ("sentence", "Drones were seen."),
        ], True),
    ],
    ids=["bullets-on-wrapped-lines", "russian-dash-of-the-wrap", "title-over-two-lines", "lists-stay-lists",
         "lead-in-without-colon", "no-title"],
)
def test_wrapped_text_is_cut_where_its_author_broke_it(doc, expected, as_without_unwrap):
    # hard-wrapped text (a .txt file from e-mail or a wire feed, PDF text): statements read
    # as one line, bullets and lead-ins as in any text; the offsets index the text given
    segments = segment(doc, unwrap=True)
    assert kinds_and_texts(segments) == expected
    assert all(s.text == unwrap_lines(doc[s.start : s.end]) for s in segments)
    lead = None  # a bullet's context is the lead-in or heading its list follows
    for s in segments:
        if s.kind == "bullet":
            assert s.context == lead
        else:
            lead = s.text if s.kind in ("lead_in", "heading") else None
    # only the wrap's dash and a title over lines change the cut of the text given
    raw = [(s.start, s.end, s.kind, s.context) for s in segment(doc)]
    assert ([(s.start, s.end, s.kind, s.context) for s in segments] == raw) is as_without_unwrap
    assert list(iter_segments([doc[i : i + 7] for i in range(0, len(doc), 7)], unwrap=True)) == segments


def test_a_paragraph_after_a_finished_bullet_is_not_part_of_it():
    doc = "The parties:\n- agreed on a plan.\nThe meeting then closed."
    segments = segment(doc)
    assert kinds_and_texts(segments)[1:] == [("bullet", "agreed on a plan."), ("sentence", "The meeting then closed.")]
    assert segments[2].context is None



@pytest.mark.parametrize(
    "lead, items",
    [
        ("During the second session the participants:", ["reviewed cooperation in the border area;", "noted joint measures;", "noted the need for a legal framework."]),
        ("Участники заседания:", ["обсудили ситуацию на границе;", "отметили важность сотрудничества."]),
    ],
)
def test_a_list_item_that_lost_its_marker_stays_in_the_list(lead, items):
    # Pages often drop one marker: after a bullet ending in ";", a line that opens with a
    # lower-case word is the next item, with the lead-in as its context.
    doc = f"{lead}\n- {items[0]}\n" + "\n".join(items[1:]) + "\nThe meeting then closed."
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert [(s.kind, s.text, s.context) for s in segments[1:-1]] == [("bullet", item, lead) for item in items]
    assert (segments[-1].kind, segments[-1].context) == ("sentence", None)


def test_a_capitalised_line_after_a_semicolon_bullet_ends_the_list():
    doc = "The parties:\n- agreed on a plan;\nThe meeting then closed."
    assert [(s.kind, s.context) for s in segment(doc)][1:] == [("bullet", "The parties:"), ("sentence", None)]

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
    assert kinds_and_texts(segments) == [
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
        # in Markdown emphasis, markers kept in the dateline
        ("**ASTANA. KAZINFORM** \u2013 The meeting was held in Astana.", "**ASTANA. KAZINFORM**", "The meeting was held in Astana."),
        ("*14 May 2024, Tashkent* \u2014 Experts met.", "*14 May 2024, Tashkent*", "Experts met."),
        ("CSTO plenary\n**MOSCOW, 28 November 2024** \u2014 The plenary opened.", "**MOSCOW, 28 November 2024**", "The plenary opened."),
    ],
    ids=["place-date", "date-place", "us-style", "emphasis-wire", "emphasis-date-place", "emphasis-under-a-title"],
)
def test_dateline_opening_the_first_paragraph_is_split_off(doc, dateline, rest):
    segments = segment(doc)
    title = [("title", doc.split("\n")[0])] if "\n" in doc else []
    assert kinds_and_texts(segments) == title + [("dateline", dateline), ("sentence", rest)]
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


# ------------------------------------------------------------- statement length
def assert_fragments_cut_at_word_boundaries(doc, segments, limit):
    for s in segments:
        # titles, datelines and headings are short lines (150 characters at most) by definition
        assert len(s.text) <= limit or (s.kind in ("title", "dateline", "heading") and len(s.text) <= 150)
        if s.fragment and len(s.text) < limit:  # a cut inside a word is made only at the limit
            assert s.start == 0 or doc[s.start - 1].isspace() or s.start == segments[s.index - 1].end
            assert s.end == len(doc) or doc[s.end].isspace() or not doc[s.end].isalnum()


def test_a_text_without_full_stops_becomes_bounded_fragments():
    doc = "terrorist groups moved money through hawala networks " * 4_000  # 212,000 characters
    segments = segment(doc)
    assert len(segments) == -(-len(doc.strip()) // MAX_STATEMENT_CHARS)
    assert all(s.fragment and s.kind == "sentence" for s in segments)
    assert_fragments_cut_at_word_boundaries(doc, segments, MAX_STATEMENT_CHARS)
    assert_offsets(doc, segments)
    assert sum(len(s.text.split()) for s in segments) == len(doc.split())


def test_only_the_long_statement_is_cut_and_its_neighbours_stay_whole():
    long_sentence = "Drones " + "drones " * (3 * MAX_STATEMENT_CHARS // 7) + "were seen."  # three limits and a bit
    doc = f"The Council met. {long_sentence} The meeting closed."
    segments = segment(doc)
    assert [s.fragment for s in segments] == [False, True, True, True, True, False]
    assert "".join(s.text + " " for s in segments[1:5]).strip() == long_sentence
    assert segments[4].text.endswith("were seen.")


def test_a_long_bullet_is_cut_into_bullet_fragments_with_its_context():
    doc = "The parties:\n- " + "cash couriers " * (2 * MAX_STATEMENT_CHARS // 14 + 100) + "\n- hawala."
    segments = segment(doc)
    fragments = [s for s in segments if s.fragment]
    assert len(fragments) == 3 and {(s.kind, s.context) for s in fragments} == {("bullet", "The parties:")}
    assert segments[-1].text == "hawala." and not segments[-1].fragment
    assert_offsets(doc, segments)


def test_a_bullet_wrapped_over_thousands_of_lines_is_cut_into_bullet_fragments():
    doc = "Agenda:\n- " + "cash couriers and hawala\n" * 20_000  # 500,000 characters, no full stop
    segments = segment(doc)
    assert all(s.kind == "bullet" and s.fragment and s.context == "Agenda:" for s in segments[1:])
    assert_fragments_cut_at_word_boundaries(doc, segments, MAX_STATEMENT_CHARS)
    assert_offsets(doc, segments)
    assert sum(len(s.text.split()) for s in segments[1:]) == 4 * 20_000


def test_a_word_longer_than_the_limit_is_cut_where_the_limit_falls():
    doc = "x" * (2 * MAX_STATEMENT_CHARS + 5)
    assert [len(s.text) for s in segment(doc)] == [MAX_STATEMENT_CHARS, MAX_STATEMENT_CHARS, 5]


def test_fragment_is_in_the_dict_of_a_segment():
    assert segment("Drones were seen.")[0].to_dict()["fragment"] is False


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["drones", "hawala", "x" * 20, "y" * 45, "U.S.", "No.", "end.", "Lead:"]),
            st.sampled_from([" ", " ", "\n", "\n\n", "\n- ", "  "]),
        ),
        max_size=120,
    ),
    st.integers(min_value=1, max_value=40),
)
def test_property_small_limits_bound_every_statement_and_lose_nothing(pieces, size):
    doc = "".join(p + sep for p, sep in pieces)
    module = importlib.import_module("themes.segment")
    with mock.patch.object(module, "MAX_STATEMENT_CHARS", 30), mock.patch.object(module, "MAX_PARAGRAPH_CHARS", 100):
        segments = segment(doc)
        chunks = [doc[i : i + size] for i in range(0, len(doc), size)]
        assert list(iter_segments(chunks)) == segments
    assert_offsets(doc, segments)
    assert_fragments_cut_at_word_boundaries(doc, segments, 30)
    covered = [0] * len(doc)
    for s in segments:
        for i in range(s.start, s.end):
            covered[i] += 1
    for match in re.finditer(r"[a-z]{2,}", doc):
        assert all(covered[i] == 1 for i in range(match.start(), match.end())), (match.group(), doc)


# ------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Москва, 10 июня 2025 года", "2025-06-10"),
        ("10.06.2025", "2025-06-10"),
        ("Ташкент, 10-июня 2025 года", "2025-06-10"),
        ("10 Июнь 2025, 10:15", "2025-06-10"),
        ("2025 г., 10 июня", "2025-06-10"),
        ("2025 жылғы 10 маусым", "2025-06-10"),
        ("2025 йил 10 июнь", "2025-06-10"),
        ("10 янв. 2025", "2025-01-10"),
        ("Июнь 2025", "2025-06-01"),
        ("Итоги работы в декабре 2024 года", "2024-12-01"),
        ("в сентябре 2024 г., а 3 октября 2024 г. снова", "2024-10-03"),
        ("30 февраля 2024", None),
        ("2024-02-30", None),
        ("9999-99-99", None),
        ("29.02.2023", None),
        ("Маяк 2025", None),
        ("In 2024, 14 May was a Tuesday", None),
        ("2025-06-10T09:30:00+05:00", "2025-06-10"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_russian_and_impossible_dates(text, expected):
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize("month, number", [
    ("января", 1), ("январь", 1), ("январе", 1), ("февраля", 2), ("марта", 3), ("марте", 3),
    ("апреля", 4), ("мая", 5), ("май", 5), ("июня", 6), ("июле", 7), ("августа", 8),
    ("сентябре", 9), ("октября", 10), ("ноябрь", 11), ("декабрём", 12),
])
def test_russian_month_names_in_their_cases(month, number):
    assert dates.find_date(f"5 {month} 2024") == datetime.date(2024, number, 5)


def test_a_date_without_its_year_takes_the_year_given():
    assert dates.find_date("МОСКВА, 17 ноября. /ТАСС/.") is None
    assert dates.find_date("МОСКВА, 17 ноября. /ТАСС/.", year=2025) == datetime.date(2025, 11, 17)
    assert dates.parse_date("МИНСК, 3 марта (БелТА).", year=2024) == "2024-03-03"
    assert dates.parse_date("31 июня", year=2024) is None  # June has 30 days
    # a full date wins over the year given
    assert dates.parse_date("17 ноября 2023 г.", year=2025) == "2023-11-17"
    # the English wire datelines of the region's agencies, read only with the year given
    assert dates.parse_date("MOSCOW, October 9 (TASS)", year=2025) == "2025-10-09"
    assert dates.parse_date("MINSK, 2 October (BelTA)", year=2025) == "2025-10-02"
    assert dates.parse_date("MOSCOW, October 9 (TASS)") is None
    assert dates.parse_date("on 9 May 2024", year=2025) == "2024-05-09"


def test_search_date_gives_where_the_date_is_written():
    text = "МИНСК, 3 марта 2025 г. (БелТА)."
    found = dates.search_date(text)
    assert found.iso == "2025-03-03" and text[found.start : found.end] == "3 марта 2025"
    assert found.date == datetime.date(2025, 3, 3)


def test_parse_date_takes_dates_and_refuses_other_types():
    assert dates.parse_date(datetime.datetime(2024, 5, 14, 23, 59)) == "2024-05-14"
    assert dates.parse_date(datetime.date(1850, 1, 1)) is None
    with pytest.raises(TypeError, match="The 'value' parameter of parse_date must be a str or a datetime.date. Got int"):
        dates.parse_date(20240514)


def test_the_segmenter_and_readers_share_the_one_date_parser():
    import importlib

    from themes.readers import html, jsonl

    assert importlib.import_module("themes.segment").parse_date is dates.parse_date
    for module in (html, jsonl):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "from themes.dates import parse_date" in source and "themes.segment" not in source


# ------------------------------------------------------------ Russian bulletins
@pytest.mark.parametrize(
    "doc, dateline, rest",
    [
        ("МОСКВА, 17 ноября. /ТАСС/. Совет провел заседание.", "МОСКВА, 17 ноября. /ТАСС/.", "Совет провел заседание."),
        ("АСТАНА. КАЗИНФОРМ \u2013 В столице прошло заседание.", "АСТАНА. КАЗИНФОРМ", "В столице прошло заседание."),
        ("МИНСК, 3 марта (БелТА). Пограничники задержали нарушителей.", "МИНСК, 3 марта (БелТА).", "Пограничники задержали нарушителей."),
        ("ТАШКЕНТ, 10 июня \u2014 УзА. Стороны подписали протокол.", "ТАШКЕНТ, 10 июня \u2014 УзА.", "Стороны подписали протокол."),
        ("НУР-СУЛТАН. 17 ноября. КАЗИНФОРМ - Учения завершились.", "НУР-СУЛТАН. 17 ноября. КАЗИНФОРМ", "Учения завершились."),
        ("Москва, 10 июня 2025 года \u2013 Стороны обсудили угрозы.", "Москва, 10 июня 2025 года", "Стороны обсудили угрозы."),
        ("БИШКЕК, 5 мая 2025 г. /Кабар/. Эксперты встретились.", "БИШКЕК, 5 мая 2025 г. /Кабар/.", "Эксперты встретились."),
    ],
    ids=["tass", "kazinform", "belta", "uza", "kazinform-dated", "dash", "kabar-with-year"],
)
def test_russian_wire_datelines_are_split_off(doc, dateline, rest):
    segments = segment(doc)
    assert kinds_and_texts(segments) == [("dateline", dateline), ("sentence", rest)]
    assert_offsets(doc, segments)


@pytest.mark.parametrize(
    "doc",
    [
        "МОСКВА, 17 участников прибыли на заседание.",
        "Заседание прошло 17 ноября. /ТАСС/. Текст.",
        "МОСКВА, 17 ноября \u2014 ФСБ России сообщила о задержании.",
    ],
    ids=["number-not-date", "date-inside-sentence", "no-agency-after-dash"],
)
def test_what_is_not_a_russian_wire_dateline(doc):
    segments = segment(doc)
    assert segments[0].text != "МОСКВА, 17 ноября \u2014 ФСБ"
    assert all(not s.text.startswith("России") for s in segments)
    if "участников" in doc or "прошло" in doc:
        assert "dateline" not in [s.kind for s in segments]


def test_russian_title_in_sentence_case_above_the_text():
    doc = "Заседание совета руководителей органов безопасности\nВ Москве прошло заседание Совета. Участники обсудили угрозы."
    assert kinds_and_texts(segment(doc)) == [
        ("title", "Заседание совета руководителей органов безопасности"),
        ("sentence", "В Москве прошло заседание Совета."),
        ("sentence", "Участники обсудили угрозы."),
    ]
    # a wrapped first line of a paragraph is not a title
    wrapped = "В Москве прошло заседание руководителей\nорганов безопасности. Участники обсудили угрозы."
    assert kinds(wrapped) == ["sentence", "sentence"]


def test_russian_title_and_wire_dateline_on_their_own_lines():
    doc = "Заседание Совета командующих\nМОСКВА, 17 ноября. /ТАСС/.\n\nСовет провел заседание."
    assert kinds_and_texts(segment(doc)) == [
        ("title", "Заседание Совета командующих"),
        ("dateline", "МОСКВА, 17 ноября. /ТАСС/."),
        ("sentence", "Совет провел заседание."),
    ]


@pytest.mark.parametrize(
    "lead_in, marker",
    [
        ("Участники заседания:", "\u2013"),
        ("В ходе заседания рассмотрены вопросы:", "1)"),
        ("По итогам заседания приняты решения:", "а)"),
        ("Стороны:", "\u2022"),
        ("Члены Совета отметили:", "\u2014"),
        ("На учениях отработаны:", "-"),
    ],
)
def test_russian_lead_ins_are_the_context_of_russian_bullets(lead_in, marker):
    second = "б)" if marker == "а)" else ("2)" if marker == "1)" else marker)
    doc = f"{lead_in}\n{marker} рост вербовки через мессенджеры;\n{second} обмен сведениями о боевиках.\n\nЗаседание завершилось."
    segments = segment(doc)
    assert [(s.kind, s.text, s.context) for s in segments] == [
        ("lead_in", lead_in, None),
        ("bullet", "рост вербовки через мессенджеры;", lead_in),
        ("bullet", "обмен сведениями о боевиках.", lead_in),
        ("sentence", "Заседание завершилось.", None),
    ]
    assert_offsets(doc, segments)


@pytest.mark.parametrize(
    "first, second",
    [
        ("Заседание провел директор ФСБ России А.В. Бортников.", "Участники обсудили угрозы."),
        ("Согласно ст. 205 УК РФ и ч. 1 ст. 205.1 за это грозит срок.", "Дела переданы в суд."),
        ("Совет заседал в г. Душанбе в 2024 г. и в 2025 г. в Минске.", "Следующее заседание пройдет в Баку."),
        ("Стороны договорились, т.е. решили, продолжить работу.", "Протокол подписан."),
        ("На ул. Ленина в пос. Тимирязево изъято 1,2 т удобрений.", "Задержаны трое."),
        ("Совещание состоится в 2025 г.", "В ходе совещания стороны обсудят учения."),
        ("Изъято оружие, боеприпасы и т.д.", "Участники отметили рост контрабанды."),
        ("Изъято оружие, боеприпасы и т. п.", "Задержаны трое."),
        ("Обсуждены БПЛА, кибератаки и др.", "Стороны подписали протокол."),
        ("Изъято 1,2 т.", "Участники отметили рост контрабанды."),
        ("Заседание открыл им. Дзержинского названный зал «Победа».", "Затем выступили эксперты."),
    ],
    ids=["initials", "articles", "city-and-years", "t.e.", "street-and-tonnes", "year-at-end",
         "t.d.-at-end", "t.p.-spaced", "dr.-at-end", "tonnes-at-end", "im."],
)
def test_russian_sentence_splitting(first, second):
    assert texts(f"{first} {second}") == [first, second]


def test_a_wrapped_line_opening_with_a_russian_abbreviation_is_no_bullet():
    doc = "Заседание провел руководитель управления по\nг. Москве Иванов. Затем выступили эксперты.\n\nСтороны:\nа) обсудили угрозы;\nб) приняли план."
    assert kinds_and_texts(segment(doc)) == [
        ("sentence", "Заседание провел руководитель управления по\nг. Москве Иванов."),
        ("sentence", "Затем выступили эксперты."),
        ("lead_in", "Стороны:"),
        ("bullet", "обсудили угрозы;"),
        ("bullet", "приняли план."),
    ]


def test_a_year_abbreviation_before_a_name_does_not_split():
    assert texts("В 2024 г. Совет принял решение.") == ["В 2024 г. Совет принял решение."]


def test_cyrillic_datelines_leave_english_texts_as_they_were():
    # the English wire dateline reads it (the Russian forms need a place in Cyrillic), the
    # agency's name with it, and the sentence after it is a statement of its own
    doc = "MOSCOW, 17 November. TASS. The Council met."
    assert kinds_and_texts(segment(doc)) == [("dateline", "MOSCOW, 17 November. TASS."), ("sentence", "The Council met.")]


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
    # every word of two letters or more is in a statement, but for bullet markers: one letter,
    # or a roman numeral before "." or ")" ("ii. Drones..." is bullet ii)
    for match in re.finditer(r"[A-Za-z]{2,}", doc):
        if re.fullmatch(r"[ivxlc]+", match.group(), re.I) and doc[match.end() : match.end() + 1] in (".", ")"):
            continue
        assert all(covered[i] == 1 for i in range(match.start(), match.end())), (match.group(), doc)


@settings(max_examples=100, deadline=None)
@given(documents(), st.integers(min_value=1, max_value=50))
def test_property_streaming_equals_whole(doc, size):
    pieces = [doc[i : i + size] for i in range(0, len(doc), size)]
    assert list(iter_segments(pieces)) == segment(doc)


@pytest.mark.parametrize("separator", ["* * *", "***", "-----", "• • •", "  — — —  ", "___", "- 12 -", "— 3 —"])
def test_a_line_of_separator_marks_divides_like_a_blank_line(separator):
    doc = f"The Council decided:\n1. to approve the plan;\n2. to hold an exercise.\n{separator}\nThe next meeting will be held in Minsk."
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert kinds_and_texts(segments)[1:] == [
        ("bullet", "to approve the plan;"),
        ("bullet", "to hold an exercise."),
        ("sentence", "The next meeting will be held in Minsk."),
    ]
    # two marks are still a bullet's marker and its text
    assert texts("Agenda:\n* *drones") == ["Agenda:", "*drones"]


@pytest.mark.parametrize(
    "first, second",
    [("\u2022", "\u2022"), ("\u25aa", "\u25aa"), ("\u25cf", "\u25cf"), ("\u2013", "\u2013"), ("\u2014", "\u2014"),
     ("\u25ba", "\u25ba"), ("1)", "2)"), ("1.", "2."), ("(1)", "(2)")],
)
def test_a_bullet_marker_glued_to_its_item_still_starts_a_bullet(first, second):
    # PDF text and hasty pages drop the space after the marker ("•drones", "3)утвердили")
    doc = f"Участники заседания:\n{first}обсудили ситуацию;\n{second}Отметили рост вербовки."
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert kinds_and_texts(segments) == [
        ("lead_in", "Участники заседания:"),
        ("bullet", "обсудили ситуацию;"),
        ("bullet", "Отметили рост вербовки."),
    ]


def test_a_hyphen_asterisk_or_letter_glued_to_a_word_is_no_bullet():
    # a wrapped hyphenated word, a footnote and "a.m." are not list items
    assert kinds("The parties used open\n-based tools.") == ["sentence"]
    assert "bullet" not in kinds("The parties met.\n*Note: in Minsk.")
    assert kinds("The meeting opened at 10\na.m. in Minsk.") == ["sentence"]


@pytest.mark.parametrize(
    "dateline",
    ["ASTANA. KAZINFORM", "BISHKEK (AKIpress)", "MOSCOW, October 9 (TASS)", "MINSK, 2 October (BelTA)", "TASHKENT, June 10, 2025"],
)
def test_english_wire_datelines_of_the_regions_agencies(dateline):
    doc = f"{dateline} \u2013 The Security Council reviewed the situation on the border.\nIt met again in May."
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert kinds_and_texts(segments) == [
        ("dateline", dateline),
        ("sentence", "The Security Council reviewed the situation on the border."),
        ("sentence", "It met again in May."),
    ]


@pytest.mark.parametrize("text", ["NATO - the Alliance said it would help.", "UN, EU: the partners met.", "OSCE, 12 States - met."])
def test_a_name_in_capitals_before_a_dash_is_no_dateline(text):
    assert kinds(text) == ["sentence"]


@pytest.mark.parametrize(
    "doc, expected",
    [
        ("It was held on 10.06.2025. The Council met again.", ["It was held on 10.06.2025.", "The Council met again."]),
        ("Заседание состоялось 10.06.2025. Совет принял решение.", ["Заседание состоялось 10.06.2025.", "Совет принял решение."]),
        ("The rate rose to 1.5. It fell later.", ["The rate rose to 1.5.", "It fell later."]),
        ("The talks were held in the U.S. The Council then met.", ["The talks were held in the U.S.", "The Council then met."]),
        # a number or abbreviation before a capital that does not open a sentence
        ("Согласно п. 3.2. Положения совет собирается дважды.", ["Согласно п. 3.2. Положения совет собирается дважды."]),
        ("The U.S. Department of State and the U.K. Home Office met.", ["The U.S. Department of State and the U.K. Home Office met."]),
    ],
)
def test_a_sentence_may_end_with_a_dotted_date_number_or_abbreviation(doc, expected):
    assert texts(doc) == expected


def test_a_wire_dateline_after_a_date_line_is_a_dateline_too():
    # web pages give the date on a line of its own, then the agency's dateline
    doc = "Meeting of the Council\n10.06.2025\n\nBISHKEK (AKIpress) - The Council met.\nMINSK (BelTA) - no longer the head."
    assert kinds_and_texts(segment(doc)) == [
        ("title", "Meeting of the Council"),
        ("dateline", "10.06.2025"),
        ("dateline", "BISHKEK (AKIpress)"),
        ("sentence", "The Council met."),
        ("sentence", "MINSK (BelTA) - no longer the head."),
    ]


def test_markdown_heading_markers_stay_out_of_titles_headings_and_lead_ins():
    doc = "# Europol hosts expert meeting\n\nThe Hague, 3 May 2024\n\n## Outcomes\n\nDrones were discussed.\n\n## Next steps:\n\n- a plan;\n\n#5 on the list was drones.\n"
    segments = segment(doc)
    assert kinds_and_texts(segments) == [
        ("title", "Europol hosts expert meeting"), ("dateline", "The Hague, 3 May 2024"), ("heading", "Outcomes"),
        ("sentence", "Drones were discussed."), ("lead_in", "Next steps:"), ("bullet", "a plan;"),
        ("sentence", "#5 on the list was drones."),  # no space after '#': not a marker
    ]
    assert segments[5].context == "Next steps:"
    assert_offsets(doc, segments)



# ------------------------------------- datelines under a title, in emphasis; date ranges
@pytest.mark.parametrize(
    "dateline, dash",
    [
        ("MOSCOW, 12 April 2024", "-"),
        ("MOSCOW, 12 April 2024", "\u2013"),
        ("MOSCOW, 12 April 2024", "\u2014"),
        ("MINSK, 9 September 2024 (BelTA)", "-"),
        ("ASTANA. KAZINFORM", "\u2013"),
    ],
    ids=["hyphen", "en-dash", "em-dash", "agency", "kazinform"],
)
def test_a_sentence_case_title_right_above_a_line_opening_with_a_dateline(dateline, dash):
    # PDF text keeps no blank line between the title and a dateline opening the text; an
    # English title in sentence case ("CIS chiefs meet in Moscow") is a title all the same,
    # as a Russian one is above "МОСКВА, 17 ноября. /ТАСС/. ...".
    doc = f"CIS chiefs meet in Moscow\n{dateline} {dash} Heads of services met. They agreed on a plan."
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert kinds_and_texts(segments) == [
        ("title", "CIS chiefs meet in Moscow"),
        ("dateline", dateline),
        ("sentence", "Heads of services met."),
        ("sentence", "They agreed on a plan."),
    ]
    for size in (1, 5, 16):
        assert list(iter_segments([doc[i : i + size] for i in range(0, len(doc), size)])) == segments


def test_a_sentence_wrapped_before_a_place_and_date_stays_one_sentence():
    # the line after the dateline goes on in lower case: no title, no dateline
    doc = "Representatives of the member states met in\nMinsk, 14 May 2024 \u2013 the Council said."
    assert kinds_and_texts(segment(doc)) == [("sentence", doc)]


@pytest.mark.parametrize(
    "doc, dateline, rest",
    [
        ("ASTANA. KAZINFORM \u2013 The meeting was held on 20 May 2024 in Astana.", "ASTANA. KAZINFORM",
         "The meeting was held on 20 May 2024 in Astana."),
        ("MOSCOW, October 9 (TASS) - The meeting of 20 May 2024 in Minsk was recalled by the Council.",
         "MOSCOW, October 9 (TASS)", "The meeting of 20 May 2024 in Minsk was recalled by the Council."),
        ("АСТАНА. КАЗИНФОРМ \u2013 Заседание прошло 20 мая 2024 года в столице.", "АСТАНА. КАЗИНФОРМ",
         "Заседание прошло 20 мая 2024 года в столице."),
    ],
    ids=["kazinform", "tass", "kazinform-ru"],
)
def test_a_wire_dateline_before_a_sentence_that_holds_a_date(doc, dateline, rest):
    # the date of the sentence is not the dateline's: the agency's dateline is split off all the same
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert kinds_and_texts(segments) == [("dateline", dateline), ("sentence", rest)]


@pytest.mark.parametrize("marker", ["**", "*", "__", "_"])
@pytest.mark.parametrize("sentence", ["The plenary opened.", "The plenary session of the Council opened in the morning."])
def test_a_dateline_in_markdown_emphasis(marker, sentence):
    doc = f"{marker}MOSCOW, 28 November 2024{marker} \u2014 {sentence}\nIt adopted a plan."
    segments = segment(doc)
    assert_offsets(doc, segments)
    assert kinds_and_texts(segments) == [
        ("dateline", f"{marker}MOSCOW, 28 November 2024{marker}"),
        ("sentence", sentence),
        ("sentence", "It adopted a plan."),
    ]
    assert parse_date(segments[0].text) == "2024-11-28"
    assert dates.find_date(segments[0].text) == datetime.date(2024, 11, 28)


def test_a_bulletin_with_an_emphasised_dateline_is_dated_by_it():
    from themes.archive.summary import bulletin_date
    from themes.readers import Document

    doc = "# CSTO plenary\n\n**MOSCOW, 28 November 2024** \u2014 The plenary opened.\n"
    segments = segment(doc)
    assert kinds_and_texts(segments)[:2] == [("title", "CSTO plenary"), ("dateline", "**MOSCOW, 28 November 2024**")]
    assert bulletin_date(segments, Document(bulletin="x.md", format="md"), "x.md") == ("2024-11-28", "dateline")


@pytest.mark.parametrize(
    "doc", ["**Note** \u2014 on 28 November 2024 the plenary opened.", "**On 28 November 2024** the plenary opened in Moscow with the delegations."]
)
def test_emphasis_before_a_dash_or_around_a_date_is_no_dateline_by_itself(doc):
    assert kinds_and_texts(segment(doc)) == [("sentence", doc)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("20-24 May 2024", "2024-05-20"),
        ("The meeting was held on 20\u201324 May 2024 in Minsk.", "2024-05-20"),
        ("20\u201324 мая 2024 года", "2024-05-20"),
        ("20th-24th May 2024", "2024-05-20"),
        ("May 20-24, 2024", "2024-05-20"),
        ("30 April \u2013 2 May 2024", "2024-04-30"),
        ("April 30 \u2013 May 2, 2024", "2024-04-30"),
        ("30 декабря \u2013 2 января 2025 года", "2024-12-30"),
        ("2025 г., 20-24 мая", "2025-05-20"),
        # ranges in words: from/to, between/and, с/по, с/до
        ("с 20 по 24 мая 2025 года", "2025-05-20"),
        ("Учения прошли С 20-го по 24 мая 2025 г. в Минске.", "2025-05-20"),
        ("с 20 до 24 мая 2025 года", "2025-05-20"),
        ("from 20 to 24 May 2025", "2025-05-20"),
        ("The exercise ran 20 to 24 May 2025.", "2025-05-20"),
        ("between 20 and 24 May 2025", "2025-05-20"),
        ("from 20 through 24 May 2025", "2025-05-20"),
        ("from 30 April to 2 May 2025", "2025-04-30"),
        ("с 30 апреля по 2 мая 2025 года", "2025-04-30"),
        ("May 20 to 24, 2025", "2025-05-20"),
        ("between May 20 and 24, 2025", "2025-05-20"),
        # a number, a spaced dash and a date are no range
        ("Bulletin No. 5 - 20 May 2024", "2024-05-20"),
        ("Resolution 2396-24 May 2024", "2024-05-24"),
        # nor a number and a date joined by a word out of its pair, nor a date alone after one
        ("Items 5 and 24 May 2024 were adopted", "2024-05-24"),
        ("Пункты 5 и 24 мая 2024 года", "2024-05-24"),
        ("Встреча с 24 мая 2024 года", "2024-05-24"),
        ("from 24 May 2024", "2024-05-24"),
        ("по 24 мая 2024 года", "2024-05-24"),
    ],
)
def test_a_range_of_days_gives_its_first_day(text, expected):
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize(
    "text, written",
    [
        ("МОСКВА, 20-24 мая. /ТАСС/.", "20-24 мая"),
        ("MOSCOW, 20-24 May (TASS)", "20-24 May"),
        ("МОСКВА, с 20 по 24 мая. /ТАСС/.", "с 20 по 24 мая"),
        ("MOSCOW, 20 to 24 May (TASS)", "20 to 24 May"),
        ("held between 20 and 24 May in Minsk", "between 20 and 24 May"),
        ("held on 20–24 мая", "20–24 мая"),
    ],
)
def test_a_range_without_its_year_gives_its_first_day_and_its_span(text, written):
    found = dates.search_date(text, year=2024)
    assert found.iso == "2024-05-20" and text[found.start : found.end] == written


def test_a_range_gives_its_first_day_and_its_span():
    assert dates.find_date("20-24 May 2024") == datetime.date(2024, 5, 20)
    text = "held on 20-24 May 2024 in Minsk"
    found = dates.search_date(text)
    assert text[found.start : found.end] == "20-24 May 2024"


@pytest.mark.parametrize(
    "text", ["__MOSCOW, 28 November 2024__", "_28 November 2024_", "__November 28, 2024__", "__28.11.2024__", "__2024-11-28__", "**28 November 2024**"]
)
def test_a_date_in_markdown_emphasis_is_read(text):
    assert dates.parse_date(text) == "2024-11-28"


@pytest.mark.parametrize(
    "table",
    [
        "| Country | Detained | Weapons seized |\n|---|---:|---:|\n| Kazakhstan | 12 | 25 |\n| Kyrgyzstan | 8 | 1.5 |",
        "+------------+-------+\n| Total      | 35    |\n+------------+-------+",
        "State | Cases | Frozen assets, USD",
        # rows of two cells: closed by a pipe (an HTML table through trafilatura 1.x), or
        # two or more of them
        "State | Detained |\n---|---|\nKazakhstan | 14 |",
        "Kazakhstan | 14 |",
        "State | Detained\nKazakhstan | 14\nKyrgyzstan | 9",
    ],
)
def test_a_text_table_is_one_table_segment_not_sentences(table):
    text = f"Meeting of the Council\n\nThe council met in Minsk.\n\n{table}\n\nThe participants noted drones."
    segments = segment(text)
    assert [s.kind for s in segments] == ["title", "sentence", "table", "sentence"]
    assert segments[2].text == table and text[segments[2].start:segments[2].end] == table
    assert segments[3].context is None


@pytest.mark.parametrize(
    "doc",
    [
        "Meeting\n\nThe council met | in Minsk.\n\nDrones | UAV and more were discussed.",
        # a short heading with a pipe, alone: no table of one bare row
        "Meeting\n\nThe council met in Minsk.\n\nDrones | UAV\n\nThe participants noted drones.",
        # a sentence with a pipe on each of its lines
        "Meeting\n\nThe council met | in Minsk\nand noted drones | and more.",
        "Meeting\n\nThe council met | in Minsk:\nDrones | and more.",
    ],
    ids=["sentences", "heading", "wrapped-sentence", "lead-in"],
)
def test_a_pipe_in_a_sentence_or_a_heading_is_no_table(doc):
    segments = segment(doc)
    assert "table" not in [s.kind for s in segments], [(s.kind, s.text) for s in segments]


def test_tables_are_not_counted_as_statements():
    from themes.segment import KINDS, NOT_STATEMENTS

    assert "table" in NOT_STATEMENTS and "table" in KINDS


def test_a_run_in_heading_in_strong_emphasis_opens_its_sentence_not_a_sentence_of_its_own():
    # "**Decisions.** The participants agreed ..." split off "Decisions." as a one-word
    # statement (trends counted it); one or two words in strong emphasis stay with their sentence.
    doc = "**Decisions.** The participants agreed to hold an exercise.\n\n__Border security.__ The heads reviewed the situation.\n"
    assert [(s.kind, s.text) for s in segment(doc, markdown=True)] == [
        ("sentence", "Decisions. The participants agreed to hold an exercise."),
        ("sentence", "Border security. The heads reviewed the situation."),
    ]
    # A sentence of three words or more in emphasis is still a sentence.
    assert [s.text for s in segment("**The Council met.** It adopted a plan.\n", markdown=True)] == ["The Council met.", "It adopted a plan."]
