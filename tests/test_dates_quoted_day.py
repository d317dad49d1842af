"""A day written in quotes, as Russian official documents and protocols write dates
(«10» июня 2025 г.), was read as the month alone: 2025-06-01."""

from __future__ import annotations

import pytest

from themes.dates import find_date, search_date


@pytest.mark.parametrize(
    "text",
    ["«10» июня 2025 г.", '"10" июня 2025 г.', "“10” июня 2025 года", "Протокол заседания от «10» июня 2025 г. № 5"],
)
def test_a_quoted_day_is_the_day(text):
    assert find_date(text) == find_date("10 июня 2025 года")


def test_the_match_spans_the_quotes_and_plain_dates_are_unchanged():
    assert search_date("от «10» июня 2025 г.")[1:] == (3, 17)
    assert find_date("с 20 по 24 мая 2025 года").isoformat() == "2025-05-20"
    assert find_date("учения «Кобальт-2025» прошли 10 июня 2025 года").isoformat() == "2025-06-10"
    # an impossible quoted day is no date, as "31 апреля 2025 года" is not, not the 1st of April
    assert find_date("«31» апреля 2025 г.") is None
    assert find_date("июнь 2025").isoformat() == "2025-06-01"
