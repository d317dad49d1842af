"""Fixes of session 13: two-day meetings dated by their first day, a yearless dateline above
a dated first sentence, Markdown blockquotes and HTML <br>, `trends --out` quiet,
`classify --json` always a list, failed files named as typed."""

from __future__ import annotations

import pytest

from themes import dates


# --------------------------------------------------------------- 1. two-day meetings
@pytest.mark.parametrize(
    "text",
    [
        "10 и 11 июня 2025 года",
        "10 and 11 June 2025",
        "10-11 June 2025",
        "10\u201311 June 2025",
        "10\u201311 июня 2025 года",
        "10th and 11th June 2025",
        "10 & 11 June 2025",
        "10 \u2013 11 июня 2025 г.",
        "Заседание прошло 10 и 11 июня 2025 года в Минске.",
        "The Council met on 10 and 11 June 2025 in Minsk.",
    ],
)
def test_a_two_day_meeting_is_dated_by_its_first_day(text):
    assert dates.parse_date(text) == "2025-06-10"


@pytest.mark.parametrize("text", ["10 и 11 июня", "10 and 11 June", "10\u201311 июня", "10-11 June"])
def test_a_two_day_meeting_without_its_year_is_dated_by_its_first_day(text):
    found = dates.search_date(f"held on {text} in Minsk", year=2025)
    assert found.iso == "2025-06-10"
    assert f"held on {text} in Minsk"[found.start : found.end] == text


def test_two_days_across_a_month_end_give_the_first():
    assert dates.parse_date("30 June and 1 July 2025") == "2025-06-30"


@pytest.mark.parametrize(
    "text, expected, written",
    [
        # a number and a date, not a two-day meeting: the days do not follow each other
        ("Items 5 and 24 May 2024 were adopted", "2024-05-24", "24 May 2024"),
        ("Пункты 5 и 24 мая 2024 года", "2024-05-24", "24 мая 2024"),
        ("Bulletin No. 5 - 20 May 2024", "2024-05-20", "20 May 2024"),
    ],
)
def test_a_number_before_a_date_is_still_no_range(text, expected, written):
    found = dates.search_date(text)
    assert found.iso == expected and text[found.start : found.end] == written
