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
