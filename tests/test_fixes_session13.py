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


# ------------------------------------------- 2. a yearless dateline above a dated sentence
YEARLESS = {
    "en.txt": "MOSCOW, 17 November.\n\nOn 17 November 2025 the Council of heads of security services met in Moscow.",
    "en-month-first.txt": "MOSCOW, November 17.\nOn 17 November 2025 the Council of heads of security services met in Moscow.",
    "ru.txt": "МОСКВА, 17 ноября.\n\n17 ноября 2025 года в Москве состоялось заседание Совета руководителей спецслужб.",
    "ru-tass.txt": "МОСКВА, 17 ноября. /ТАСС/. 17 ноября 2025 года в Москве состоялось заседание Совета.",
}


@pytest.mark.parametrize("name", sorted(YEARLESS))
def test_a_yearless_dateline_takes_the_year_of_the_full_date_below_it(tmp_path, name):
    from themes import score_archive

    (tmp_path / name).write_text(YEARLESS[name], encoding="utf-8")
    bulletin = next(score_archive([tmp_path / name]))
    assert bulletin.date == "2025-11-17"


def test_an_english_yearless_dateline_is_a_dateline_not_a_statement():
    from themes import segment

    kinds = [(s.kind, s.text) for s in segment(YEARLESS["en.txt"])]
    assert kinds[0] == ("dateline", "MOSCOW, 17 November.")
    assert kinds[1][0] == "sentence"
    # a place and a number are no dateline
    assert segment("MOSCOW, 17 States.\n\nThe Council met.")[0].kind == "sentence"


def test_a_yearless_dateline_takes_the_year_nearest_the_date_below_it(tmp_path):
    from themes import score_archive

    path = tmp_path / "new-year.txt"
    path.write_text("МОСКВА, 2 января. /ТАСС/.\n\n31 декабря 2024 года в Москве состоялось заседание Совета.", encoding="utf-8")
    assert next(score_archive([path])).date == "2025-01-02"


def test_a_year_folder_still_gives_a_yearless_dateline_its_year(tmp_path):
    from themes import score_archive

    (tmp_path / "2023").mkdir()
    path = tmp_path / "2023" / "ru.txt"
    path.write_text("МОСКВА, 17 ноября. /ТАСС/.\n\nВ Москве состоялось заседание Совета.", encoding="utf-8")
    assert next(score_archive([path])).date == "2023-11-17"


def test_a_yearless_dateline_trusts_the_text_over_the_year_the_file_was_made(tmp_path):
    import datetime

    from themes import score_archive

    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("МОСКВА, 17 ноября. /ТАСС/.")
    document.add_paragraph("17 ноября 2025 года в Москве состоялось заседание Совета руководителей спецслужб.")
    document.core_properties.created = datetime.datetime(2027, 3, 1, 10, 0)  # the day it was converted
    path = tmp_path / "converted.docx"
    document.save(path)
    bulletin = next(score_archive([path]))
    assert bulletin.date == "2025-11-17"
