"""Datelines (session 13): one written in the paragraph it opens, a dated sentence that is no
dateline, and wire datelines of a two-day meeting. Nothing read is left unscored: the
dateline dates the bulletin, the text after it is a statement."""

from __future__ import annotations

import pytest

from themes import score_archive, segment


def kinds_and_texts(text):
    return [(s.kind, s.text) for s in segment(text)]


def assert_every_word_in_a_statement(text, segments):
    for s in segments:
        assert text[s.start : s.end] == s.text
    # every character but white space and the dash between a dateline and its sentence
    def letters(part):
        return "".join(ch for ch in part if not ch.isspace() and ch not in "-\u2013\u2014")

    assert "".join(letters(text[s.start : s.end]) for s in segments) == letters(text)


def scored(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    bulletin = next(score_archive([path]))
    return bulletin.date, bulletin.summary["date_source"], [(r["kind"], r["text"]) for r in bulletin.records]


# ------------------------------------------- 1. a dateline in the paragraph it opens
ONE_PARAGRAPH = {
    "en-full": (
        "MOSCOW, 17 November 2025. The Council of Heads of Security Agencies met in Dushanbe and discussed drones.",
        "MOSCOW, 17 November 2025.",
    ),
    "en-short": ("Minsk, 14 May 2024. The Council met.", "Minsk, 14 May 2024."),
    "en-date-first": ("14 May 2024, Tashkent. Experts met.", "14 May 2024, Tashkent."),
    "en-date-alone": ("17 November 2025. The Council met in Dushanbe.", "17 November 2025."),
    "en-yearless": ("MOSCOW, 17 November. The Council met in Dushanbe.", "MOSCOW, 17 November."),
    "ru-full": (
        "МОСКВА, 17 ноября 2025 года. Совет руководителей органов безопасности обсудил угрозы.",
        "МОСКВА, 17 ноября 2025 года.",
    ),
    "ru-date-alone": ("17 ноября 2025 года. Совет руководителей обсудил угрозы.", "17 ноября 2025 года."),
    "en-tass": ("MOSCOW, November 17 (TASS) - The Council of Heads met in Dushanbe.", "MOSCOW, November 17 (TASS)"),
    "ru-kazinform": ("АСТАНА. КАЗИНФОРМ \u2013 Совет руководителей обсудил угрозы.", "АСТАНА. КАЗИНФОРМ"),
    "ru-tass": ("МОСКВА, 17 ноября. /ТАСС/. Совет руководителей обсудил угрозы.", "МОСКВА, 17 ноября. /ТАСС/."),
}


@pytest.mark.parametrize("name", sorted(ONE_PARAGRAPH))
def test_a_dateline_written_in_the_paragraph_it_opens_is_split_off(name):
    text, dateline = ONE_PARAGRAPH[name]
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments][0] == ("dateline", dateline)
    assert [s.kind for s in segments[1:]] == ["sentence"]
    assert segments[1].text == text[text.index(dateline) + len(dateline) :].lstrip(" -\u2013")


@pytest.mark.parametrize("name", sorted(ONE_PARAGRAPH))
def test_a_dateline_in_one_paragraph_dates_the_bulletin_and_the_rest_is_scored(tmp_path, name):
    text, dateline = ONE_PARAGRAPH[name]
    # a yearless dateline takes its year from the file name, as on a line of its own
    date, source, records = scored(tmp_path, "2025-12-01-bulletin.txt", text)
    if name == "ru-kazinform":  # a dateline without a date: the file name's date
        assert (date, source) == ("2025-12-01", "file name")
    else:
        assert source == "dateline"
        assert date == {"en-short": "2024-05-14", "en-date-first": "2024-05-14"}.get(name, "2025-11-17")
    assert records[0] == ("dateline", dateline)
    assert [kind for kind, _ in records[1:]] == ["sentence"]


@pytest.mark.parametrize(
    "text",
    [
        "The Council met on 17 November 2025. It discussed drones.",
        "Experts met in Minsk, 14 May 2024. They agreed on a plan.",
        "Совет собрался 17 ноября 2025 года. Участники обсудили угрозы.",
    ],
    ids=["date-ends-a-sentence", "place-and-date-end-a-sentence", "ru-date-ends-a-sentence"],
)
def test_a_sentence_ending_with_a_date_is_no_dateline(text):
    assert [kind for kind, _ in kinds_and_texts(text)] == ["sentence", "sentence"]


def test_a_title_above_a_wire_dateline_closed_by_a_full_stop():
    text = "CIS chiefs meet in Moscow\nMOSCOW, 17 November 2025. The Council met. It discussed drones."
    assert kinds_and_texts(text) == [
        ("title", "CIS chiefs meet in Moscow"),
        ("dateline", "MOSCOW, 17 November 2025."),
        ("sentence", "The Council met."),
        ("sentence", "It discussed drones."),
    ]


def test_a_sentence_wrapped_before_its_place_and_date_stays_a_sentence():
    # PDF text: the line above does not end, the place below is no wire's (not in capitals)
    text = "Representatives of the member states met in\nMinsk, 14 May 2024. The Council said."
    assert kinds_and_texts(text) == [
        ("sentence", "Representatives of the member states met in\nMinsk, 14 May 2024."),
        ("sentence", "The Council said."),
    ]


# ------------------------------------------------ 2. a dated sentence is a statement
@pytest.mark.parametrize(
    "text, sentence",
    [
        ("On 17 November 2025 the Council met.", "On 17 November 2025 the Council met."),
        ("17 ноября 2025 года Совет провёл заседание.", "17 ноября 2025 года Совет провёл заседание."),
        ("Meeting of the Council\n\nOn 17 November 2025 the Council met.", "On 17 November 2025 the Council met."),
        ("Заседание Совета\n\n17 ноября 2025 года Совет провёл заседание.", "17 ноября 2025 года Совет провёл заседание."),
    ],
    ids=["en", "ru", "en-under-a-title", "ru-under-a-title"],
)
def test_a_short_sentence_opening_with_a_date_is_a_statement_not_a_dateline(tmp_path, text, sentence):
    assert ("sentence", sentence) in kinds_and_texts(text)
    assert "dateline" not in [kind for kind, _ in kinds_and_texts(text)]
    date, source, records = scored(tmp_path, "bulletin.txt", text)
    assert (date, source) == ("2025-11-17", "text")  # it still dates the bulletin
    assert ("sentence", sentence) in records


@pytest.mark.parametrize(
    "dateline",
    [
        "Minsk, 14 May 2024",
        "Бишкек, 10 февраля 2025 г.",
        "Москва, 10 июня 2025 года",
        "г. Москва, 10 июня 2025 г.",
        "MINSK, 9 September 2024 (BelTA)",
        "On 14 May 2024",
        "Москва, среда, 10 июня 2025 года",
    ],
)
def test_a_place_and_date_on_a_line_of_their_own_stay_a_dateline(dateline):
    assert kinds_and_texts(f"{dateline}\n\nThe Council met.") == [("dateline", dateline), ("sentence", "The Council met.")]


# ------------------------------------------- 3. wire datelines of a two-day meeting
RANGES = {
    "ru-tass-own-line": ("МОСКВА, 10\u201311 июня. /ТАСС/.\n\nСовет обсудил угрозы.", "МОСКВА, 10\u201311 июня. /ТАСС/."),
    "ru-tass-hyphen": ("МОСКВА, 10-11 июня. /ТАСС/. Совет обсудил угрозы.", "МОСКВА, 10-11 июня. /ТАСС/."),
    "ru-tass": ("МОСКВА, 10\u201311 июня. /ТАСС/. Совет обсудил угрозы.", "МОСКВА, 10\u201311 июня. /ТАСС/."),
    "ru-belta": ("МИНСК, 10\u201311 июня (БелТА). Совет обсудил угрозы.", "МИНСК, 10\u201311 июня (БелТА)."),
    "en-tass": ("MOSCOW, 10-11 June (TASS) - The Council met.", "MOSCOW, 10-11 June (TASS)"),
    "en-tass-en-dash": ("MOSCOW, 10\u201311 June (TASS) - The Council met.", "MOSCOW, 10\u201311 June (TASS)"),
    "en-month-first": ("MOSCOW, June 10-11 (TASS) - The Council met.", "MOSCOW, June 10-11 (TASS)"),
    "en-full-stop": ("MOSCOW, 10-11 June. The Council met.", "MOSCOW, 10-11 June."),
}


@pytest.mark.parametrize("name", sorted(RANGES))
def test_a_wire_dateline_with_a_day_range_and_no_year(tmp_path, name):
    text, dateline = RANGES[name]
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments] == [
        ("dateline", dateline), ("sentence", "Совет обсудил угрозы." if name.startswith("ru") else "The Council met.")
    ]
    # dated by its first day, the year from the file name ...
    assert scored(tmp_path, "2025-06-12-bulletin.txt", text)[:2] == ("2025-06-10", "dateline")
    # ... or from a folder named as a year
    (tmp_path / "2024").mkdir()
    assert scored(tmp_path / "2024", "bulletin.txt", text)[:2] == ("2024-06-10", "dateline")


@pytest.mark.parametrize(
    "text",
    [
        "МОСКВА, 10\u201311 июня. /ТАСС/. 10 июня 2025 года в Москве состоялось заседание Совета.",
        "MOSCOW, 10-11 June (TASS) - On 10 June 2025 the Council met in Moscow.",
    ],
    ids=["ru", "en"],
)
def test_a_day_range_dateline_takes_its_year_from_the_date_below_it(tmp_path, text):
    date, source, records = scored(tmp_path, "bulletin.txt", text)
    assert (date, source) == ("2025-06-10", "dateline")
    assert [kind for kind, _ in records] == ["dateline", "sentence"]


def test_a_number_range_before_a_word_is_no_wire_dateline():
    # "10-11 участников" is no date, as "17 участников" is not
    assert "dateline" not in [kind for kind, _ in kinds_and_texts("МОСКВА, 10-11 участников прибыли на заседание.")]
    assert "dateline" not in [kind for kind, _ in kinds_and_texts("ASTANA, 10-12 States (CIS) - met.")]


# ------------------------------------- 4. a wire dateline whose dash ends its line
DASH_AT_LINE_END = {
    "en-tass": ("MOSCOW, November 17 (TASS) -", "The Council met in Dushanbe and discussed drones.", "2025-11-17"),
    "en-tass-em-dash": ("MOSCOW, November 17 (TASS) \u2014", "The Council met in Dushanbe.", "2025-11-17"),
    "en-kazinform": ("ASTANA. KAZINFORM \u2013", "The Council met in Astana.", None),
    "ru-kazinform": ("АСТАНА. КАЗИНФОРМ \u2013", "Совет руководителей обсудил угрозы.", None),
    "ru-date": ("МОСКВА, 17 ноября \u2014", "Совет руководителей обсудил угрозы.", "2025-11-17"),
}


@pytest.mark.parametrize("title", [False, True], ids=["first-line", "under-a-title"])
@pytest.mark.parametrize("name", sorted(DASH_AT_LINE_END))
def test_a_wire_dateline_whose_dash_ends_its_line_is_a_dateline(tmp_path, name, title):
    dateline, sentence, date = DASH_AT_LINE_END[name]
    text = f"{dateline}\n{sentence}\n"
    head = [("title", "Meeting of the Council")] if title else []
    if title:
        text = "Meeting of the Council\n\n" + text
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments] == head + [("dateline", dateline), ("sentence", sentence)]
    # it dates the bulletin, a yearless one with the year of its folder
    (tmp_path / "archive" / "2025").mkdir(parents=True)
    got, source, records = scored(tmp_path / "archive" / "2025", "x.txt", text)
    assert (got, source) == ((date, "dateline") if date else (None, None))
    assert records == head + [("dateline", dateline), ("sentence", sentence)]


def test_a_dash_ending_a_line_after_a_place_alone_makes_no_dateline():
    # a date or an agency must follow the place, as when the sentence goes on on the same line
    assert "dateline" not in [kind for kind, _ in kinds_and_texts("MOSCOW -\nThe Council met.\n")]


# --------------------------- 5. the agency's name after a full date is the dateline's
@pytest.mark.parametrize(
    "text, dateline",
    [
        ("MOSCOW, 17 November 2025. TASS. The Council met.", "MOSCOW, 17 November 2025. TASS."),
        ("MOSCOW, November 17, 2025. TASS. The Council met.", "MOSCOW, November 17, 2025. TASS."),
        ("MOSCOW, 17 November 2025. TASS.\nThe Council met.", "MOSCOW, 17 November 2025. TASS."),
        ("MOSCOW, 17 November. TASS. The Council met.", "MOSCOW, 17 November. TASS."),  # as without the year
    ],
    ids=["day-first", "month-first", "line-break", "yearless"],
)
def test_the_agency_after_a_full_date_is_part_of_the_dateline_not_a_statement(tmp_path, text, dateline):
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments] == [("dateline", dateline), ("sentence", "The Council met.")]
    date, source, records = scored(tmp_path, "2025-12-01-bulletin.txt", text)
    assert (date, source) == ("2025-11-17", "dateline")
    assert records == [("dateline", dateline), ("sentence", "The Council met.")]


def test_a_word_before_a_dash_after_a_full_date_stays_in_the_sentence():
    text = "MOSCOW, 17 November 2025. Delegates - from five states - met."
    assert kinds_and_texts(text) == [
        ("dateline", "MOSCOW, 17 November 2025."),
        ("sentence", "Delegates - from five states - met."),
    ]


# ------------------ 6. a word before a dash after a dateline closed by a full stop
# (and, 8., after a yearless one: there it was read as an agency's name, "АСТАНА. КАЗИНФОРМ –")
@pytest.mark.parametrize(
    "text, dateline, sentence",
    [
        ("МОСКВА, 17 ноября 2025 года. Терроризм \u2013 главная угроза.", "МОСКВА, 17 ноября 2025 года.", "Терроризм \u2013 главная угроза."),
        ("МОСКВА, 17 ноября 2025 года. Терроризм - главная угроза.", "МОСКВА, 17 ноября 2025 года.", "Терроризм - главная угроза."),
        ("МОСКВА, 17 ноября 2025 г. Терроризм \u2014 главная угроза.", "МОСКВА, 17 ноября 2025 г.", "Терроризм \u2014 главная угроза."),
        ("17 ноября 2025 года. Терроризм \u2013 главная угроза.", "17 ноября 2025 года.", "Терроризм \u2013 главная угроза."),
        ("MOSCOW, 17 November 2025. Terrorism \u2013 the main threat.", "MOSCOW, 17 November 2025.", "Terrorism \u2013 the main threat."),
        ("МОСКВА, 17 ноября. Терроризм \u2013 главная угроза.", "МОСКВА, 17 ноября.", "Терроризм \u2013 главная угроза."),
        ("МОСКВА, 17 ноября. Терроризм - главная угроза.", "МОСКВА, 17 ноября.", "Терроризм - главная угроза."),
        ("Москва, 17 ноября. Терроризм \u2014 главная угроза.", "Москва, 17 ноября.", "Терроризм \u2014 главная угроза."),
        ("MOSCOW, 17 November. Terrorism \u2013 the main threat.", "MOSCOW, 17 November.", "Terrorism \u2013 the main threat."),
        ("MOSCOW, November 17. Terrorism - the main threat.", "MOSCOW, November 17.", "Terrorism - the main threat."),
    ],
    ids=["ru", "ru-hyphen", "ru-g", "ru-date-alone", "en",
         "yearless-ru", "yearless-ru-hyphen", "yearless-ru-title-case", "yearless-en", "yearless-en-month-first"],
)
def test_the_word_before_a_dash_after_a_dateline_closed_by_a_full_stop_is_the_sentences(tmp_path, text, dateline, sentence):
    # it was read as a place after the date ("14 May 2024, Minsk -") or as an agency's name,
    # and lost to the dateline (the file's name gives a yearless dateline its year)
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments] == [("dateline", dateline), ("sentence", sentence)]
    date, source, records = scored(tmp_path, "2025-12-01-bulletin.txt", text)
    assert (date, source) == ("2025-11-17", "dateline")
    assert records == [("dateline", dateline), ("sentence", sentence)]


@pytest.mark.parametrize(
    "text, dateline",
    [
        ("14 May 2024, Minsk - The Council met.", "14 May 2024, Minsk"),
        ("17 ноября 2025 г. Москва \u2013 Совет встретился.", "17 ноября 2025 г. Москва"),  # "г." the year's
    ],
    ids=["en", "ru-g"],
)
def test_a_place_after_the_date_before_a_dash_stays_in_the_dateline(text, dateline):
    assert kinds_and_texts(text)[0] == ("dateline", dateline)


# ------------ 7. a Russian agency's name after the date's full stop is the dateline's
RU_AGENCIES = ["ТАСС", "РИА Новости", "Интерфакс", "БелТА", "Казинформ", "Кабар", "АКИpress", "Trend", "Sputnik"]


@pytest.mark.parametrize("year", ["", " 2025 года", " 2025 г."], ids=["yearless", "year", "year-g"])
@pytest.mark.parametrize("agency", RU_AGENCIES)
def test_a_russian_agency_after_the_dates_full_stop_is_part_of_the_dateline(tmp_path, agency, year):
    dateline = f"МОСКВА, 17 ноября{year}{'' if year.endswith('.') else '.'} {agency}."
    text = f"{dateline} Совет руководителей обсудил угрозы."
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments] == [("dateline", dateline), ("sentence", "Совет руководителей обсудил угрозы.")]
    date, source, records = scored(tmp_path, "2025-12-01-bulletin.txt", text)
    assert (date, source) == ("2025-11-17", "dateline")
    assert records == [("dateline", dateline), ("sentence", "Совет руководителей обсудил угрозы.")]


@pytest.mark.parametrize("sep", ["\n", "\n\n"], ids=["line-break", "blank-line"])
def test_a_russian_agency_after_the_date_ending_the_line_is_part_of_the_dateline(tmp_path, sep):
    text = f"Заседание Совета\n\nМОСКВА, 17 ноября 2025 года. ТАСС.{sep}Совет обсудил угрозы."
    expected = [("title", "Заседание Совета"), ("dateline", "МОСКВА, 17 ноября 2025 года. ТАСС."), ("sentence", "Совет обсудил угрозы.")]
    assert kinds_and_texts(text) == expected
    assert scored(tmp_path, "bulletin.txt", text) == ("2025-11-17", "dateline", expected)


def test_a_sentence_after_a_russian_dateline_is_no_agency():
    # an agency's name is one or two capitalised words: "Совет встретился." is a sentence
    assert kinds_and_texts("МОСКВА, 17 ноября 2025 года. Совет встретился. Угрозы обсуждены.") == [
        ("dateline", "МОСКВА, 17 ноября 2025 года."),
        ("sentence", "Совет встретился."),
        ("sentence", "Угрозы обсуждены."),
    ]


# ------------- 8. a bare agency's name is one of NEWS_AGENCIES, not any capitalised word
# (a yearless dateline before a word and a dash: in section 6)
@pytest.mark.parametrize(
    "text, sentence",
    [
        ("АСТАНА. Терроризм \u2013 главная угроза.", "Терроризм \u2013 главная угроза."),
        ("ASTANA. Terrorism - the main threat.", "Terrorism - the main threat."),
    ],
    ids=["ru", "en"],
)
def test_the_word_before_a_dash_after_a_place_alone_is_the_sentences(text, sentence):
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert "dateline" not in [s.kind for s in segments]
    assert segments[-1].text == sentence


@pytest.mark.parametrize(
    "text, dateline, sentences",
    [
        ("Москва, 17 ноября 2025 года. Совет Безопасности. Заседание прошло в Кремле.", "Москва, 17 ноября 2025 года.",
         ["Совет Безопасности.", "Заседание прошло в Кремле."]),
        ("МОСКВА, 17 ноября 2025 года. Совет Безопасности. Заседание прошло в Кремле.", "МОСКВА, 17 ноября 2025 года.",
         ["Совет Безопасности.", "Заседание прошло в Кремле."]),
        ("МОСКВА, 17 ноября. Совет Безопасности. Заседание прошло в Кремле.", "МОСКВА, 17 ноября.",
         ["Совет Безопасности.", "Заседание прошло в Кремле."]),
        ("ТАШКЕНТ, 17 ноября \u2014 Терроризм. Заседание прошло в Ташкенте.", "ТАШКЕНТ, 17 ноября",
         ["Терроризм.", "Заседание прошло в Ташкенте."]),
        ("MOSCOW, 17 November 2025. Terrorism. The Council met in the Kremlin.", "MOSCOW, 17 November 2025.",
         ["Terrorism.", "The Council met in the Kremlin."]),
    ],
    ids=["ru-title-case", "ru-capitals", "ru-yearless", "ru-after-dash", "en"],
)
def test_a_name_after_the_dates_full_stop_that_is_no_agencys_is_a_statement(tmp_path, text, dateline, sentences):
    # "Совет Безопасности." was read as an agency's name ("МОСКВА, 17 ноября 2025 года. ТАСС.")
    # and went into the dateline: neither scored nor counted
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    expected = [("dateline", dateline)] + [("sentence", s) for s in sentences]
    assert [(s.kind, s.text) for s in segments] == expected
    date, source, records = scored(tmp_path, "2025-12-01-bulletin.txt", text)
    assert (date, source) == ("2025-11-17", "dateline")
    assert records == expected


@pytest.mark.parametrize(
    "text, dateline",
    [
        ("МОСКВА, 17 ноября. ТАСС \u2013 Совет обсудил угрозы.", "МОСКВА, 17 ноября. ТАСС"),
        ("АСТАНА. Казинформ \u2013 Совет обсудил угрозы.", "АСТАНА. Казинформ"),
        ("МОСКВА, 17 ноября. Мир 24 \u2013 Совет обсудил угрозы.", "МОСКВА, 17 ноября. Мир 24"),
        ("МОСКВА, 17 ноября. Интерфакс \u2013 Совет обсудил угрозы.", "МОСКВА, 17 ноября. Интерфакс"),
        ("MOSCOW, 17 November. Interfax-Kazakhstan - The Council met.", "MOSCOW, 17 November. Interfax-Kazakhstan"),
        ("BISHKEK. 24.kg - The Council met.", "BISHKEK. 24.kg"),
        ("ASTANA. Kazinform \u2013 The Council met.", "ASTANA. Kazinform"),
        ("MOSCOW, 17 November. Reuters - The Council met.", "MOSCOW, 17 November. Reuters"),
    ],
    ids=["ru-tass", "ru-kazinform-title-case", "ru-mir-24", "ru-interfax", "en-interfax-kazakhstan", "en-24kg", "en-kazinform", "en-reuters"],
)
def test_an_agency_of_the_list_before_the_dash_is_the_datelines(text, dateline):
    segments = segment(text)
    assert_every_word_in_a_statement(text, segments)
    assert [(s.kind, s.text) for s in segments][0] == ("dateline", dateline)
    assert [s.kind for s in segments[1:]] == ["sentence"]
