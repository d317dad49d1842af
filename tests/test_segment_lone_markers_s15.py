"""A list item's marker alone on its line, the item's text on the next (text copied from web
pages): the marker of that line, as if written on it; below the title or the dateline, or
above the text's end, it reads as a blank line (session 15; above a blank line too until
session 16, which reads the text below the blank line as its item's)."""

import pytest

from themes.segment import iter_segments, segment


def read(text, **options):
    segments = segment(text, **options)
    for s in segments:
        assert text[s.start : s.end] == s.text
    assert list(iter_segments(text.splitlines(keepends=True), **options)) == segments
    return [(s.kind, s.text, s.context) for s in segments]


@pytest.mark.parametrize(
    "lone, one_line",
    [
        (
            "The participants:\n\u2022\nagreed on joint patrols of the border;\n\u2022\nnoted the rise of drone attacks.\n",
            "The participants:\n\u2022 agreed on joint patrols of the border;\n\u2022 noted the rise of drone attacks.\n",
        ),
        (
            "The participants:\n-\nagreed on joint patrols;\n-\nnoted drone attacks.\n\nThe meeting closed.\n",
            "The participants:\n- agreed on joint patrols;\n- noted drone attacks.\n\nThe meeting closed.\n",
        ),
        (
            "Участники заседания:\n\u2014\nобсудили угрозы терроризма;\n\u2014\nодобрили план совместных учений.\n",
            "Участники заседания:\n\u2014 обсудили угрозы терроризма;\n\u2014 одобрили план совместных учений.\n",
        ),
        (
            "Decisions:\n1.\nApprove the plan. Report in May.\n2)\nInstruct the Secretariat.\n",
            "Decisions:\n1. Approve the plan. Report in May.\n2) Instruct the Secretariat.\n",
        ),
        (
            "Решили:\n1.\nутвердить план;\n2.\nпоручить Секретариату:\n  \u2022\n  подготовить доклад;\n3.\nпринять к сведению.\n",
            "Решили:\n1. утвердить план;\n2. поручить Секретариату:\n  \u2022 подготовить доклад;\n3. принять к сведению.\n",
        ),
        (
            "2. Поручить Секретариату:\n\n\u2013\nподготовить доклад;\n\u2013\nразослать его.\n3. Принять к сведению.\n",
            "2. Поручить Секретариату:\n\n\u2013 подготовить доклад;\n\u2013 разослать его.\n3. Принять к сведению.\n",
        ),
    ],
    ids=["bullet-en", "dash-en", "em-dash-ru", "numbered-en", "nested-ru", "under-a-point-ru"],
)
def test_a_marker_alone_on_its_line_is_the_next_lines_marker(lone, one_line):
    # They were one sentence, lead-in, markers and items glued ("The participants:\n•\nagreed ...").
    assert read(lone) == read(one_line)
    assert all(s.kind in ("lead_in", "bullet", "sentence") for s in segment(lone))


def test_the_items_have_the_lead_in_as_context():
    text = "The participants:\n\u2022\nagreed on joint patrols of the border;\n\u2022\nnoted the rise of drone attacks.\n"
    assert read(text) == [
        ("lead_in", "The participants:", None),
        ("bullet", "agreed on joint patrols of the border;", "The participants:"),
        ("bullet", "noted the rise of drone attacks.", "The participants:"),
    ]


@pytest.mark.parametrize("mark", ["-", "\u2014", "\u2022"])
def test_a_lone_mark_below_the_title_or_the_dateline_divides_as_a_blank_line(mark):
    # "Title\n-\nText." was the title and the sentence "-\nText.".
    assert read(f"Council meets in Minsk\n{mark}\nThe Council met. It agreed.\n") == [
        ("title", "Council meets in Minsk", None),
        ("sentence", "The Council met.", None),
        ("sentence", "It agreed.", None),
    ]
    assert read(f"Итоги заседания\nМИНСК, 3 марта (БелТА).\n{mark}\nСовет провел заседание. Участники:\n{mark}\nобсудили угрозы.\n") == [
        ("title", "Итоги заседания", None),
        ("dateline", "МИНСК, 3 марта (БелТА).", None),
        ("sentence", "Совет провел заседание.", None),
        ("lead_in", "Участники:", None),
        ("bullet", "обсудили угрозы.", "Участники:"),
    ]
    assert read(f"MINSK, 14 May 2024\n{mark}\nThe Council met.\n") == [
        ("dateline", "MINSK, 14 May 2024", None),
        ("sentence", "The Council met.", None),
    ]


def test_a_lone_mark_between_paragraphs_ends_the_paragraph_above():
    assert read("The Council met in Minsk.\n-\nThe participants noted drones.\n") == [
        ("sentence", "The Council met in Minsk.", None),
        ("bullet", "The participants noted drones.", None),  # as "- The participants ..." reads
    ]
    # page numbers and separator lines are read as before
    assert read("The Council met.\n- 12 -\nIt agreed.\n* * *\nIt closed.\n----\n-\nEnd.\n") == [
        ("sentence", "The Council met.", None),
        ("sentence", "It agreed.", None),
        ("sentence", "It closed.", None),
        ("bullet", "End.", None),
    ]


@pytest.mark.parametrize("mark", ["\u2022", "-", "\u2014", "1."])
def test_a_lone_marker_above_a_blank_line_marks_the_text_below_it(mark):
    # Session 16: a blank line between a marker and its text (web pages space a list's lines)
    # no longer drops the marker, which left the item a sentence without its lead-in.
    text = f"The participants:\n{mark}\n\nagreed on joint patrols;\n{mark}\n\nУчастники обсудили угрозы.\n"
    assert read(text) == [
        ("lead_in", "The participants:", None),
        ("bullet", "agreed on joint patrols;", "The participants:"),
        ("bullet", "Участники обсудили угрозы.", "The participants:"),
    ]


@pytest.mark.parametrize("end", ["", "\n", "\n\n", "  \r\n"])
@pytest.mark.parametrize("mark", ["\u2022", "-", "\u2014", "2)"])
def test_a_lone_marker_at_the_end_of_the_text_is_dropped_and_nothing_else(mark, end):
    text = f"The participants:\n{mark}\nagreed on joint patrols;\n{mark}{end}"
    assert read(text) == [
        ("lead_in", "The participants:", None),
        ("bullet", "agreed on joint patrols;", "The participants:"),
    ]
    assert read(f"Участники:\n{mark}\nобсудили угрозы;\n{mark}{end}", unwrap=True) == [
        ("lead_in", "Участники:", None),
        ("bullet", "обсудили угрозы;", "Участники:"),
    ]
