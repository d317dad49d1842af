"""A list whose items' markers stand alone on their lines, the item's text on the next line
("The participants:" / "•" / "agreed on ...;", as text copied from web pages gives it), is
read as the same list with each marker on its item's line: every item has the lead-in as
its context (session 16). The first item's lead-in, reported lost, was found kept when
these were written (since 854cbe1): they pin it, for every marker and reading. The texts
are written for the purpose."""

from __future__ import annotations

import pytest

from themes.segment import iter_segments, segment

LEAD_IN = "The participants:"
ITEMS = ["agreed on joint patrols of the border;", "noted the rise of drone attacks."]


def read(text, **options):
    """(kind, text, context) of each statement, after checking offsets and streaming."""
    segments = segment(text, **options)
    for s in segments:
        assert text[s.start : s.end] == s.text
    assert list(iter_segments(text.splitlines(keepends=True), **options)) == segments
    assert list(iter_segments(list(text), **options)) == segments  # one character at a time
    return [(s.kind, s.text, s.context) for s in segments]


def expected(lead_in=LEAD_IN, items=ITEMS):
    return [("lead_in", lead_in, None)] + [("bullet", item, lead_in) for item in items]


MARKERS = ["\u2022", "-", "\u2013", "\u2014", "*", "1.", "2)", "a)", "(1)", "iv."]


# ------------- 1. a marker alone on the line above its item's text
@pytest.mark.parametrize("marker", MARKERS)
@pytest.mark.parametrize(
    "above",
    ["", "Council meets in Minsk\n\nThe Council met in Minsk.\n\n", "MINSK, 14 May 2024 -\n", "The Council met in Minsk.\n"],
    ids=["alone", "after-a-paragraph", "below-a-dateline", "glued-to-a-sentence"],
)
def test_every_item_of_a_list_opened_by_a_lone_marker_has_the_lead_in(marker, above):
    text = f"{above}{LEAD_IN}\n{marker}\n{ITEMS[0]}\n{marker}\n{ITEMS[1]}\n"
    statements = read(text)
    assert statements[-3:] == expected()
    assert statements == read(f"{above}{LEAD_IN}\n{marker} {ITEMS[0]}\n{marker} {ITEMS[1]}\n")


@pytest.mark.parametrize("options", [{}, {"unwrap": True}, {"markdown": True}], ids=["plain", "unwrap", "markdown"])
def test_the_first_item_has_the_lead_in_in_every_reading(options):
    text = "Участники заседания:\r\n\u2014\r\nобсудили угрозы терроризма;\r\n\u2014\r\nодобрили план учений.\r\n"
    assert read(text, **options) == expected("Участники заседания:", ["обсудили угрозы терроризма;", "одобрили план учений."])


def test_a_list_opened_by_a_lone_marker_nested_under_an_item_has_that_items_lead_in():
    text = f"- {LEAD_IN}\n  \u2022\n  {ITEMS[0]}\n  \u2022\n  {ITEMS[1]}\n- closed the meeting.\n"
    assert read(text) == [
        ("lead_in", LEAD_IN, None),
        ("bullet", ITEMS[0], LEAD_IN),
        ("bullet", ITEMS[1], LEAD_IN),
        ("bullet", "closed the meeting.", None),
    ]


# ------------- 2. a marker alone, a blank line, then the item's text
@pytest.mark.parametrize("marker", MARKERS)
@pytest.mark.parametrize("blank", ["\n", "\n\n", "  \n", "\r\n"], ids=["one", "two", "spaces", "crlf"])
def test_a_lone_marker_above_a_blank_line_marks_the_text_below_it(marker, blank):
    text = f"{LEAD_IN}\n{marker}\n{blank}{ITEMS[0]}\n{marker}\n{blank}{ITEMS[1]}\n"
    assert read(text) == expected()
    assert read(text, unwrap=True) == expected()


def test_items_with_and_without_blank_lines_below_their_markers_read_alike():
    spaced = f"Council meets in Minsk\n\n{LEAD_IN}\n\u2022\n\n{ITEMS[0]}\n\u2022\n{ITEMS[1]}\n\nThe meeting closed.\n"
    one_line = f"Council meets in Minsk\n\n{LEAD_IN}\n\u2022 {ITEMS[0]}\n\u2022 {ITEMS[1]}\n\nThe meeting closed.\n"
    assert read(spaced) == read(one_line)
    assert read(spaced)[1:4] == expected()


def test_a_lone_marker_and_a_blank_line_under_an_item_ending_in_a_colon():
    text = "2. Поручить Секретариату:\n\n\u2013\n\nподготовить доклад;\n\u2013\n\nразослать его.\n3. Принять к сведению.\n"
    assert read(text) == [
        ("lead_in", "Поручить Секретариату:", None),
        ("bullet", "подготовить доклад;", "Поручить Секретариату:"),
        ("bullet", "разослать его.", "Поручить Секретариату:"),
        ("bullet", "Принять к сведению.", None),
    ]


@pytest.mark.parametrize("end", ["\n\n", "\n\n\n", "\n  \n"])
def test_a_lone_marker_above_blank_lines_at_the_texts_end_still_marks_nothing(end):
    assert read(f"{LEAD_IN}\n\u2022\n{ITEMS[0]}\n\u2022{end}") == expected(items=ITEMS[:1])


def test_a_lone_marker_above_a_separator_line_still_marks_nothing():
    assert read(f"{LEAD_IN}\n\u2022\n{ITEMS[0]}\n\u2022\n* * *\nThe meeting closed.\n") == expected(items=ITEMS[:1]) + [
        ("sentence", "The meeting closed.", None)
    ]


def test_a_lone_mark_below_the_title_above_a_blank_line_still_reads_as_a_blank_line():
    assert read("Council meets in Minsk\n-\n\nThe Council met.\n") == [
        ("title", "Council meets in Minsk", None),
        ("sentence", "The Council met.", None),
    ]
