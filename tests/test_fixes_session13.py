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


# ------------------------------------------------ 3. Markdown blockquotes, HTML <br>
def _statements(tmp_path, name, content):
    from themes import score_archive

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return [(r["kind"], r["text"], r["context"]) for r in next(score_archive([path])).records]


def test_a_markdown_blockquote_is_read_without_its_markers(tmp_path):
    got = _statements(
        tmp_path,
        "quote.md",
        "# Meeting of the Council\n\n"
        "> The participants noted the growing use of drones by terrorist groups.\n"
        "> They agreed on a joint exercise\n> of the special units.\n\n"
        "> > A nested quote on the financing of terrorism.\n\n"
        "> The participants:\n> - discussed drones;\n> - agreed on exercises.\n",
    )
    assert [text for _, text, _ in got] == [
        "Meeting of the Council",
        "The participants noted the growing use of drones by terrorist groups.",
        "They agreed on a joint exercise\nof the special units.",
        "A nested quote on the financing of terrorism.",
        "The participants:",
        "discussed drones;",
        "agreed on exercises.",
    ]
    assert got[-1][2] == got[-2][2] == "The participants:"  # bullets in a quote keep their lead-in


def test_a_markdown_quote_keeps_offsets_into_the_file(tmp_path):
    from themes import segment
    from themes.segment import plain_markdown

    text = "> The participants noted\n> > the growing use of **drones**. They agreed.\n"
    for s in segment(text, markdown=True):
        assert plain_markdown(text[s.start : s.end]) == s.text
        assert not s.text.startswith(">")


def test_a_greater_than_sign_inside_a_line_stays(tmp_path):
    from themes import segment

    assert segment("Seizures rose from 5 > 3 last year.", markdown=True)[0].text == "Seizures rose from 5 > 3 last year."


LEAD = "<p>The Council of heads of security services of the CIS member states met in Minsk under the chairmanship.</p>"
TAIL = "<p>The next meeting will be held in Astana in the autumn of 2024 as agreed by all parties present.</p>"


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "<p>The participants:<br>- discussed drones;<br/>- agreed on exercises.</p>",
            [("lead_in", "The participants:"), ("bullet", "discussed drones;"), ("bullet", "agreed on exercises.")],
        ),
        (
            "<p>Участники заседания:<br />• обсудили БПЛА;<br>• договорились об учениях.</p>",
            [("lead_in", "Участники заседания:"), ("bullet", "обсудили БПЛА;"), ("bullet", "договорились об учениях.")],
        ),
        # a <br> inside a sentence is a line break, not the end of a paragraph
        (
            "<p>The participants discussed the growing use of<br>drones by terrorist groups.</p>",
            [("sentence", "The participants discussed the growing use of\ndrones by terrorist groups.")],
        ),
        # a <br> inside a list item keeps the rest in the item, and the list goes on
        (
            "<p>The participants:</p><ul><li>discussed drones.<br>Financing was discussed.</li><li>agreed on exercises.</li></ul>",
            [
                ("lead_in", "The participants:"),
                ("bullet", "discussed drones.\n  Financing was discussed."),
                ("bullet", "agreed on exercises."),
            ],
        ),
    ],
    ids=["p-dashes", "p-bullets-ru", "in-a-sentence", "in-a-list-item"],
)
def test_an_html_line_break_breaks_lines_as_a_newline_does(tmp_path, body, expected):
    pytest.importorskip("trafilatura")
    html = f"<html><body><article>{LEAD}{body}{TAIL}</article></body></html>"
    got = _statements(tmp_path, "page.html", html)
    assert [(kind, text) for kind, text, _ in got[1:-1]] == expected
    contexts = {context for kind, _, context in got if kind == "bullet"}
    assert contexts <= {"The participants:", "Участники заседания:"}


@pytest.mark.parametrize(
    "body, lead_in, bullets",
    [
        ("<ul><li>The participants:<br>- agreed on A;<br>- noted B</li></ul>", "The participants:", ["agreed on A;", "noted B"]),
        (
            "<ol><li>Участники заседания:<br>\u2013 обсудили БПЛА;<br/>\u2013 договорились об учениях.</li></ol>",
            "Участники заседания:",
            ["обсудили БПЛА;", "договорились об учениях."],
        ),
    ],
    ids=["en", "ru"],
)
def test_a_list_item_ending_as_a_lead_in_above_its_br_items_is_their_lead_in(tmp_path, body, lead_in, bullets):
    pytest.importorskip("trafilatura")
    html = f"<html><body><article>{LEAD}{body}{TAIL}</article></body></html>"
    expected = [("lead_in", lead_in, None)] + [("bullet", text, lead_in) for text in bullets]
    assert _statements(tmp_path, "page.html", html)[1:-1] == expected
    # as in a text file of the same structure
    text = "\n".join([lead_in] + [f"- {b}" for b in bullets]) + "\n"
    assert _statements(tmp_path, "bulletin.txt", text) == expected


def test_the_list_item_after_a_nested_list_keeps_the_context_of_its_own_list(tmp_path):
    pytest.importorskip("trafilatura")
    body = (
        "<p>The Council decided:</p><ul><li>to meet again in Astana;</li>"
        "<li>The participants:<br>- agreed on A;<br>- noted B</li><li>to report in 2026.</li></ul>"
    )
    got = _statements(tmp_path, "page.html", f"<html><body><article>{LEAD}{body}{TAIL}</article></body></html>")
    assert got[1:-1] == [
        ("lead_in", "The Council decided:", None),
        ("bullet", "to meet again in Astana;", "The Council decided:"),
        ("lead_in", "The participants:", None),
        ("bullet", "agreed on A;", "The participants:"),
        ("bullet", "noted B", "The participants:"),
        ("bullet", "to report in 2026.", "The Council decided:"),
    ]


def test_an_indented_list_under_an_item_ending_as_a_lead_in_takes_it_as_context():
    from themes import segment

    text = "- The participants:\n  - agreed on A;\n  - noted B\n- Other item.\n"
    assert [(s.kind, s.text, s.context) for s in segment(text)] == [
        ("lead_in", "The participants:", None),
        ("bullet", "agreed on A;", "The participants:"),
        ("bullet", "noted B", "The participants:"),
        ("bullet", "Other item.", None),
    ]
    # an item ending with a colon above items at its own level stays an item
    flat = "- The participants:\n- agreed on A;\n"
    assert [(s.kind, s.context) for s in segment(flat)] == [("bullet", None), ("bullet", None)]


# ------------------------------------------------------------- 4. trends --out is quiet
@pytest.mark.parametrize("wide", [True, False], ids=["wide", "long"])
def test_trends_with_out_prints_one_line_saying_what_was_written_where(tmp_path, capsys, wide):
    import json

    from themes.cli import main

    records = [
        {"bulletin": f"b{i}", "date": f"2024-0{1 + i % 3}-05", "index": 0, "kind": "sentence", "themes": ["uav"] if i % 2 else []}
        for i in range(12)
    ] + [{"bulletin": "b12", "date": "2024-01-05", "index": 0, "kind": "title", "themes": []}]  # a note: titles are left out
    scores = tmp_path / "s.jsonl"
    scores.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "trends.csv"
    assert main(["trends", str(scores), "--out", str(out)] + (["--wide"] if wide else [])) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1, captured.out
    assert str(out) in lines[0] and "3 periods" in lines[0] and "month" in lines[0]
    assert "2024-01" not in captured.out  # the table is in the file, not on the screen
    assert out.read_text(encoding="utf-8").startswith("period,bulletins,statements,small,")
    assert "note:" in captured.err  # the notes are not lost: they go to stderr


# ----------------------------------------------------- 5. classify --json is always a list
@pytest.mark.parametrize("texts", [["Drones attacked a pipeline."], ["Drones attacked a pipeline.", "Assets were frozen."]], ids=["one", "two"])
def test_classify_json_is_a_list_whatever_the_number_of_statements(capsys, texts):
    import json

    from themes.cli import main

    assert main(["classify", "--json", *texts]) == 0
    got = json.loads(capsys.readouterr().out)
    assert isinstance(got, list) and [r["text"] for r in got] == texts


def test_classify_help_says_json_is_a_list(capsys):
    from themes.cli import main

    assert main(["classify", "--help"]) == 0
    assert "a JSON list" in " ".join(capsys.readouterr().out.split())


# ------------------------------------------------ 6. failed files named as they were typed
@pytest.mark.parametrize("prefix", ["./", ""], ids=["dot-slash", "bare"])
def test_a_failed_file_is_named_as_it_was_typed(tmp_path, monkeypatch, capsys, prefix):
    from themes.cli import main

    pytest.importorskip("pypdf")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n\x00\x01 not a pdf at all " * 20)
    (tmp_path / "records.jsonl").write_text('{"id": "a", "text": "Drones were used."}\nnot json\n', encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Border guards detained three relocators.", encoding="utf-8")
    names = [prefix + name for name in ("empty.txt", "broken.pdf", "records.jsonl", "ok.txt")]
    assert main(["score", *names, "--out", "scores.jsonl"]) == 1
    failures = [line.removeprefix("themes: failed: ") for line in capsys.readouterr().err.splitlines() if "failed: " in line]
    assert len(failures) == 3
    for name, line in zip(names, failures):
        assert line.startswith(name + ":"), (name, line)
