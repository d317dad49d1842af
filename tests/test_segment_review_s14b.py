"""Segmentation and dating defects left by review session 14: a wire dateline below a
press release's header block, a dated title above the real dateline, and date forms
written in CIS and English documents that were not read. The texts are written for the
purpose."""

from __future__ import annotations

import pytest

from themes import dates
from themes.archive.summary import bulletin_date
from themes.readers import Document
from themes.segment import segment


def _kinds(text, **kw):
    return [(s.kind, s.text) for s in segment(text, **kw)]


def _date(text):
    return bulletin_date(segment(text), Document(bulletin="x", format="txt"), "x.txt")


# ------------- 1. a wire dateline below a press release's header block (title, symbol, date, heading)
SENTENCE = "The Committee held an open briefing on drones."
HEADER_BLOCKS = {
    "lines": "Committee Reviews Use of Drones by Armed Groups\nSC/16012\n17 November 2025\nCounter-Terrorism Committee\n",
    "paragraphs": "Committee Reviews Use of Drones by Armed Groups\n\nSC/16012\n\n17 November 2025\n\nCounter-Terrorism Committee\n\n",
    # seven lines above the dateline: past the six lines where a title and dateline were looked for
    "long": (
        "Press Release\n\nCommittee Reviews Use of Drones by Armed Groups\n\nSC/16012\n\n17 November 2025\n\n"
        "Security Council\n\nCounter-Terrorism Committee\n\nOpen Briefing (AM)\n\n"
    ),
}


@pytest.mark.parametrize(
    "header, dateline, rest",
    [
        (header, dateline, rest)
        for header in sorted(HEADER_BLOCKS)
        for dateline, rest in [
            ("NEW YORK, 17 November (UN)", " - "),
            ("NEW YORK, 17 November (UN)", " -\n"),
            ("GENEVA, 17 November (UN)", " \u2013 "),
        ]
    ],
)
def test_a_wire_dateline_below_a_header_block_is_a_dateline(header, dateline, rest):
    text = HEADER_BLOCKS[header] + f"{dateline}{rest}{SENTENCE} It heard three experts.\n"
    got = _kinds(text)
    assert got[-3:] == [("dateline", dateline), ("sentence", SENTENCE), ("sentence", "It heard three experts.")]
    assert ("dateline", "17 November 2025") in got
    assert _date(text) == ("2025-11-17", "dateline")


def test_a_dateline_below_headings_dates_a_bulletin_without_a_date_line():
    text = (
        "Press Release\n\nCommittee Reviews Use of Drones by Armed Groups\n\nSC/16012\n\n"
        "Counter-Terrorism Committee\n\nNEW YORK, 17 November 2025 - " + SENTENCE + "\n"
    )
    assert _kinds(text)[-2:] == [("dateline", "NEW YORK, 17 November 2025"), ("sentence", SENTENCE)]
    assert _date(text) == ("2025-11-17", "dateline")


def test_a_wire_dateline_after_the_first_statements_stays_a_sentence():
    # once statements have been read, the header block is over
    text = (
        "Committee meeting\n\nThe Committee met.\n\nIt heard experts.\n\n"
        "NEW YORK, 17 November (UN) - " + SENTENCE + "\n"
    )
    assert _kinds(text)[-1] == ("sentence", "NEW YORK, 17 November (UN) - " + SENTENCE)


# ---------------- 2. a dated title ("Outcomes FATF Plenary, 22-24 October 2025") above the dateline
FATF_TITLE = "Outcomes FATF Plenary, 22-24 October 2025"
FATF_SENTENCE = "The FATF Plenary met under the Presidency of its President."


@pytest.mark.parametrize("between", ["\n", "\n\n", "\n\n\n"])
def test_a_dated_title_above_a_dateline_stays_a_title(between):
    text = f"{FATF_TITLE}{between}Paris, 24 October 2025 - {FATF_SENTENCE} It adopted two reports.\n"
    assert _kinds(text) == [
        ("title", FATF_TITLE),
        ("dateline", "Paris, 24 October 2025"),
        ("sentence", FATF_SENTENCE),
        ("sentence", "It adopted two reports."),
    ]
    assert _date(text) == ("2025-10-24", "dateline")


def test_a_dated_title_above_a_dateline_on_its_own_line_stays_a_title():
    text = f"{FATF_TITLE}\n\nParis, 24 October 2025\n\n{FATF_SENTENCE}\n"
    assert _kinds(text) == [("title", FATF_TITLE), ("dateline", "Paris, 24 October 2025"), ("sentence", FATF_SENTENCE)]
    assert _date(text) == ("2025-10-24", "dateline")


@pytest.mark.parametrize(
    "text",
    [
        # a dateline above the first sentence, as before
        f"Paris, 24 October 2025\n\n{FATF_SENTENCE}\n",
        # a date line above a wire dateline whose date has no year: the date line dates it
        f"Paris, 24 October 2025\n\nPARIS, 24 October (AFP) - {FATF_SENTENCE}\n",
        # a date alone above a dateline
        f"24 October 2025\n\nPARIS, 24 October 2025 - {FATF_SENTENCE}\n",
        # a dated first line alone
        "Paris, 24 October 2025\n",
    ],
)
def test_a_dateline_on_the_first_line_stays_a_dateline(text):
    assert _kinds(text)[0] == ("dateline", text.split("\n")[0])
    assert _date(text) == ("2025-10-24", "dateline")


# ---------------- 3. "17th of November 2025", "17.XI.2025", "17 XI 2025" are dates
@pytest.mark.parametrize(
    "text, iso",
    [
        ("The Council met on the 17th of November 2025 in Minsk.", "2025-11-17"),
        ("1st of December, 2025", "2025-12-01"),
        ("Протокол заседания от 17.XI.2025", "2025-11-17"),
        ("Минск, 17 XI 2025", "2025-11-17"),
        ("3.IV.2024", "2024-04-03"),
        ("30.IX.2025", "2025-09-30"),
        ("1.XII.2025", "2025-12-01"),
    ],
)
def test_an_ordinal_of_a_month_and_a_roman_numeral_month_are_read(text, iso):
    assert dates.parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "17/11/2025",  # day or month first: ambiguous, unread as before
        "31.II.2025",  # no such day
        "17.XIII.2025",  # no such month
        "17.XI 2025",  # separators differ
        "17 of November 2025",  # "of" after an ordinal only
        "Chapter XI 2025",
    ],
)
def test_no_date_is_read_where_none_is_written(text):
    assert dates.parse_date(text) is None


def test_a_roman_numeral_dateline_dates_the_bulletin():
    text = "Минск, 17.XI.2025\n\nСовет провёл заседание.\n"
    assert _kinds(text)[0] == ("dateline", "Минск, 17.XI.2025")
    assert _date(text) == ("2025-11-17", "dateline")


# ------- 1b. a header line right above a wire dateline line shorter than it (no blank lines)
@pytest.mark.parametrize("rest", [" -\n", " - "])
def test_a_header_line_right_above_a_wire_dateline_is_a_heading(rest):
    text = HEADER_BLOCKS["lines"] + f"NEW YORK, 17 November (UN){rest}{SENTENCE}\n"
    assert _kinds(text)[-3:] == [
        ("heading", "Counter-Terrorism Committee"),
        ("dateline", "NEW YORK, 17 November (UN)"),
        ("sentence", SENTENCE),
    ]
    assert _date(text) == ("2025-11-17", "dateline")


def test_a_sentence_line_right_above_a_dated_line_stays_one_sentence():
    # a sentence wrapped before its place and date goes on below it, as before
    text = "Committee meeting\n\nThe Committee met in\nMinsk, 14 May 2024 - the experts said.\n"
    assert _kinds(text)[-1] == ("sentence", "The Committee met in\nMinsk, 14 May 2024 - the experts said.")


def test_header_lines_stacked_above_a_wire_dateline_are_headings():
    text = (
        "Committee Reviews Use of Drones\nSC/16012\n17 November 2025\nSecurity Council\n"
        "Counter-Terrorism Committee\nNEW YORK, 17 November (UN) -\n" + SENTENCE + "\n"
    )
    for unwrap in (False, True):
        assert _kinds(text, unwrap=unwrap)[3:] == [
            ("heading", "Security Council"),
            ("heading", "Counter-Terrorism Committee"),
            ("dateline", "NEW YORK, 17 November (UN)"),
            ("sentence", SENTENCE),
        ]
