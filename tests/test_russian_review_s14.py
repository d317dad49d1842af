"""Session 14 review of Russian bulletins: reading, segmentation and dating."""

from themes import segment
from themes.dates import search_date


def _texts(text, **kw):
    return [s.text for s in segment(text, **kw)]


# ------------------------------------- 1. a year with "г." glued to it is still a year
def test_a_date_with_the_year_word_glued_to_the_year_is_read():
    assert search_date("17.11.2025г.").iso == "2025-11-17"
    assert search_date("состоялось 17 ноября 2025г. в Минске").iso == "2025-11-17"
    assert search_date("17 ноября 2025года").iso == "2025-11-17"


def test_a_dateline_with_the_year_word_glued_dates_the_bulletin():
    kinds = [(s.kind, s.text) for s in segment("Заседание СБ\n\n17.11.2025г.\n\nСтороны обсудили угрозы.\n")]
    assert kinds[1] == ("dateline", "17.11.2025г.")


# ------------------------------- 2. a range of days before a dotted date: its first day
def test_a_range_of_days_before_a_dotted_date_gives_its_first_day():
    assert search_date("Учения 17-19.11.2025 в Минске") == ("2025-11-17", 7, 20)
    assert search_date("с 17 по 19.11.2025 г.") == ("2025-11-17", 0, 18)
    assert search_date("17–19.11.2025г.").iso == "2025-11-17"
    assert search_date("от 17.11.2025 №5").iso == "2025-11-17"
    assert search_date("17.11-19.11.2025").iso != "2025-11-11"  # a month's number is no day
