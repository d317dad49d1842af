"""A range of days around a spaced dash on a dateline (session 16): after a place in
capitals written without its comma ("МОСКВА 17 – 19 ноября 2025", read as the 19th), and on
the agencies' wire datelines ("ALMATY, Nov 17 – 19 (Agency) –", "ТАШКЕНТ, 17 – 19 ноября.
/Агентство/.", which were no datelines). A range gives its first day. And a bulletin's title
and date read from one opening window. The texts are written for the purpose."""

from __future__ import annotations

import pytest

from themes import dates
from themes.archive import summary
from themes.archive.summary import bulletin_date
from themes.readers import Document
from themes.segment import segment


def _kinds(text):
    return [(s.kind, s.text) for s in segment(text)]


def _date(text, path="archive/2025/bulletin.txt"):
    """The bulletin's date and its source, the year of a yearless dateline from the folder."""
    return bulletin_date(segment(text), Document(bulletin="x", format="txt"), path)


# ------------- 1. a place in capitals without its comma, then a spaced range
@pytest.mark.parametrize(
    "text",
    [
        "МОСКВА 17 – 19 ноября 2025",
        "МОСКВА 17 - 19 ноября 2025 г.",
        "НУР-СУЛТАН 17 — 19 ноября 2025 года",
        "ALMATY 17 - 19 November 2025",
        "ALMATY 17 – 19 November 2025",
    ],
)
def test_a_spaced_range_after_a_place_in_capitals_is_dated_by_its_first_day(text):
    assert dates.parse_date(text) == "2025-11-17"


@pytest.mark.parametrize("text", ["МОСКВА 17 – 19 ноября", "ТАШКЕНТ 17 - 19 ноября", "ALMATY 17 – 19 November"])
def test_a_yearless_spaced_range_after_a_place_in_capitals_is_dated_by_its_first_day(text):
    assert dates.parse_date(text, year=2025) == "2025-11-17"


def test_the_range_spans_both_days():
    assert dates.search_date("МОСКВА 17 – 19 ноября 2025")[1:] == (7, 26)


@pytest.mark.parametrize(
    "text, iso",
    [
        # a number and a date, as before: a capitalised word or one that numbers counts things
        ("Bulletin 5 - 20 May 2024", "2024-05-20"),
        ("Выпуск 5 – 20 мая 2024 г.", "2024-05-20"),
        ("NO. 5 - 20 May 2024", "2024-05-20"),
        ("ПУНКТ 5 – 20 мая 2024 г.", "2024-05-20"),
        ("BULLETIN 5 - 20 May 2024", "2024-05-20"),
        ("A 5 - 20 May 2024", "2024-05-20"),
    ],
)
def test_a_number_after_a_word_that_numbers_stays_a_number(text, iso):
    assert dates.parse_date(text) == iso


def test_the_dateline_dates_the_bulletin_by_the_first_day():
    text = "Заседание Совета\n\nМОСКВА 17 – 19 ноября 2025\n\nСовет провёл заседание.\n"
    assert _kinds(text)[1] == ("dateline", "МОСКВА 17 – 19 ноября 2025")
    assert _date(text) == ("2025-11-17", "dateline")


# ------------- 2. wire datelines with a spaced range
@pytest.mark.parametrize(
    "text, dateline",
    [
        ("ALMATY, Nov 17 – 19 (Agency) – The Council met in Almaty.\n", "ALMATY, Nov 17 – 19 (Agency)"),
        ("ALMATY, Nov. 17 - 19 (Agency) -\nThe Council met in Almaty.\n", "ALMATY, Nov. 17 - 19 (Agency) -"),
        ("ALMATY, November 17 — 19 (TASS) - The Council met.\n", "ALMATY, November 17 — 19 (TASS)"),
        ("ALMATY, 17 – 19 November (Agency) – The Council met.\n", "ALMATY, 17 – 19 November (Agency)"),
        ("ALMATY, 17 - 19 November 2025 (TASS) - The Council met.\n", "ALMATY, 17 - 19 November 2025 (TASS)"),
        ("ТАШКЕНТ, 17 – 19 ноября. /Агентство/.\nСовет провёл заседание.\n", "ТАШКЕНТ, 17 – 19 ноября. /Агентство/."),
        ("ТАШКЕНТ, 17 – 19 ноября. /Агентство/. Совет провёл заседание.\n", "ТАШКЕНТ, 17 – 19 ноября. /Агентство/."),
        ("ТАШКЕНТ, 17 - 19 ноября — УзА. Совет провёл заседание.\n", "ТАШКЕНТ, 17 - 19 ноября — УзА."),
        ("МИНСК, 17 — 19 ноября (БелТА). Совет провёл заседание.\n", "МИНСК, 17 — 19 ноября (БелТА)."),
        (
            "ТАШКЕНТ, 17 – 19 ноября 2025 года. /Агентство/. Совет провёл заседание.\n",
            "ТАШКЕНТ, 17 – 19 ноября 2025 года. /Агентство/.",
        ),
    ],
    ids=[
        "en-month-first", "en-abbreviated-dash-ends-line", "en-em-dash", "en-day-first", "en-with-year",
        "ru-own-line", "ru-sentence-after", "ru-agency-after-dash", "ru-brackets", "ru-with-year",
    ],
)
def test_a_wire_dateline_with_a_spaced_range_is_read_and_dated_by_its_first_day(text, dateline):
    assert _kinds(text)[0] == ("dateline", dateline)
    assert _kinds(text)[1][0] == "sentence"
    assert _date(text) == ("2025-11-17", "dateline")


@pytest.mark.parametrize(
    "text, kinds",
    [
        # a number after the dateline's dash is the sentence's, as before
        (
            "ALMATY, Nov 17 – 19 suspects were detained.\n",
            [("dateline", "ALMATY, Nov 17"), ("sentence", "19 suspects were detained.")],
        ),
        # a number and a word are no date
        ("МОСКВА, 17 – 19 участников заседания.\n", [("sentence", "МОСКВА, 17 – 19 участников заседания.")]),
    ],
)
def test_what_reads_as_no_range_is_read_as_before(text, kinds):
    assert _kinds(text) == kinds


# ------------- 3. a bulletin's title and date, read from one opening window
_OPENINGS = [
    ("Council meets in Minsk\nMINSK, 14 May 2024 -\nThe Council met.\n", "txt", None, "x.txt"),
    ("Заседание Совета\n\nМОСКВА 17 – 19 ноября 2025\n\nСовет провёл заседание.\n", "txt", None, "x.txt"),
    ("МОСКВА, 17 ноября. /ТАСС/. Совет провёл заседание.\n", "txt", "2024-01-02", "archive/2025/x.txt"),
    ("10 июня 2025 года в Астане состоялось заседание.\n", "txt", None, "2024-03-12-x.txt"),
    ("The Council met.\n", "jsonl", "2023-05-06", "records.jsonl"),
    ("".join(f"Heading {i}\n\n" for i in range(12)) + "NEW YORK, 17 November 2025 (UN) -\n\nThe Committee met.\n", "txt", None, "x.txt"),
    ("The Council met.\n", "txt", None, "x.txt"),
]


@pytest.mark.parametrize("text, form, doc_date, path", _OPENINGS)
def test_title_and_date_together_are_title_and_date_apart(text, form, doc_date, path):
    first = segment(text)
    doc = Document(bulletin="x", format=form, date=doc_date)
    assert summary.bulletin_title_and_date(first, doc, path) == (
        summary.bulletin_title(first),
        *summary.bulletin_date(first, doc, path),
    )


@pytest.fixture
def opening_windows(monkeypatch) -> list:
    """The calls of ``summary.opening_window`` (the length of each opening it was given)."""
    calls = []
    window = summary.opening_window

    def counted(first):
        calls.append(len(first))
        return window(first)

    monkeypatch.setattr(summary, "opening_window", counted)
    return calls


@pytest.mark.parametrize("text, form, doc_date, path", _OPENINGS)
def test_title_and_date_together_compute_the_opening_window_once(text, form, doc_date, path, opening_windows):
    summary.bulletin_title_and_date(segment(text), Document(bulletin="x", format=form, date=doc_date), path)
    assert len(opening_windows) == 1


def test_score_archive_computes_the_opening_window_once_per_bulletin(tmp_path, opening_windows):
    from themes import score_archive

    for name, text in [
        ("2025-11-17-council.txt", "Council meets in Minsk\nMINSK, 17 November 2025 -\nThe Council met.\n"),
        ("ru.txt", "Заседание Совета\n\nМОСКВА, 17 ноября 2025 года. Совет провёл заседание.\n"),
        ("plain.txt", "The Council discussed drones.\n"),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    results = list(score_archive(tmp_path))
    assert len(results) == 3 and all(r.summary["status"] == "ok" for r in results)
    assert len(opening_windows) == 3
    titles = {r.summary["path"].rsplit("/", 1)[-1]: (r.summary["title"], r.date) for r in results}
    assert titles["2025-11-17-council.txt"] == ("Council meets in Minsk", "2025-11-17")
