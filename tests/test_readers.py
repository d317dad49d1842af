"""Readers: each format, encodings, damaged files, zip bombs, missing extras, streaming."""

from __future__ import annotations

import datetime

import json
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import write_pdf

from themes.errors import DocumentError, MissingDependencyError
from themes.readers import Document, expand_paths, read_documents, read_text
from themes.readers import docx as docx_reader
from themes.readers.text import detect_encoding, detect_encoding_bytes
from themes.segment import segment, unwrap_lines

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def only(path) -> Document:
    docs = list(read_documents(path))
    assert len(docs) == 1
    return docs[0]


def kinds_and_texts(doc: Document):
    return [(s.kind, s.text) for s in segment(doc.text())]


# -------------------------------------------------------------------- examples
def test_plain_text_example():
    doc = only(EXAMPLES / "2024-03-12-council-minsk.txt")
    assert (doc.format, doc.encoding) == ("txt", "utf-8")
    segments = segment(doc.text())
    assert segments[0].kind == "title" and segments[1].text == "Minsk, 12 March 2024"
    bullets = [s for s in segments if s.kind == "bullet"]
    assert len(bullets) == 6
    assert bullets[0].context == "During the first session the participants:"
    assert bullets[3].context == "During the second session the participants:"


def test_html_example_keeps_the_article_and_drops_menus_scripts_and_footer():
    pytest.importorskip("trafilatura")
    doc = only(EXAMPLES / "2024-06-20-expert-group-tashkent.html")
    text = doc.text()
    assert (doc.format, doc.date) == ("html", "2024-06-20")
    assert "recruit young people" in text
    for noise in ("News archive", "dataLayer", "All rights reserved", "Privacy policy", "Related news", "font-family"):
        assert noise not in text
    pairs = kinds_and_texts(doc)
    assert pairs[0] == ("title", "Expert group on information security meets in Tashkent")
    assert pairs[1] == ("dateline", "Tashkent, 20 June 2024")
    assert [k for k, _ in pairs].count("bullet") == 3


def test_pdf_example_text_layer_with_bullets_and_dateline():
    pytest.importorskip("pypdf")
    doc = only(EXAMPLES / "2024-09-05-joint-exercise.pdf")
    assert doc.format == "pdf" and doc.title == "Mountain Shield-2024 exercise concludes"
    segments = segment(doc.text())
    assert [s.kind for s in segments[:2]] == ["title", "dateline"]
    bullets = [s for s in segments if s.kind == "bullet"]
    assert len(bullets) == 3 and all(b.context == "The exercise scenario included:" for b in bullets)
    assert "unmanned aerial vehicles" in bullets[1].text
    assert "\x7f" not in doc.text()


def test_docx_example_paragraphs_list_items_and_metadata():
    pytest.importorskip("docx")
    doc = only(EXAMPLES / "2024-11-18-working-group-financing.docx")
    assert (doc.format, doc.date) == ("docx", "2024-11-18")
    segments = segment(doc.text())
    assert segments[0].kind == "title" and segments[1].kind == "dateline"
    bullets = [s for s in segments if s.kind == "bullet"]
    assert len(bullets) == 3 and bullets[0].context == "Speakers paid attention to:"


@pytest.mark.parametrize("created, date", [(None, None), (datetime.datetime(2024, 3, 5, 9, 0), "2024-03-05")])
def test_a_docx_is_dated_by_its_own_created_stamp_not_by_python_docx_template(tmp_path, created, date):
    """A document written by python-docx without a stamp of its own carries the template's
    (2013-12-23): no date, rather than a bulletin filed under 2013."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("The participants discussed the use of drones by terrorist groups.")
    if created is not None:
        document.core_properties.created = created
    document.save(tmp_path / "b.docx")
    assert only(tmp_path / "b.docx").date == date


def test_windows_1251_example_is_detected_and_recorded():
    doc = only(EXAMPLES / "2025-02-10-border-agencies-cp1251.txt")
    assert doc.encoding == "windows-1251"
    text = doc.text()
    assert text.startswith("Совещание руководителей пограничных ведомств")
    assert [s.kind for s in segment(text)][:2] == ["title", "dateline"]


def test_windows_1251_without_charset_normalizer_uses_the_heuristic(monkeypatch):
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)  # the extra is absent
    doc = only(EXAMPLES / "2025-02-10-border-agencies-cp1251.txt")
    assert doc.encoding == "windows-1251"
    assert "Бишкек" in doc.text()
    assert detect_encoding_bytes("café au lait".encode("windows-1252")) == "windows-1252"


# ----------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    "encoding, recorded",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("windows-1251", "windows-1251")],
)
def test_text_encodings(tmp_path, encoding, recorded):
    text = "Бишкек, 10 февраля 2025 г.\n\nУчастники обсудили незаконную миграцию через границу."
    path = tmp_path / "b.txt"
    path.write_bytes(text.encode(encoding))
    doc = only(path)
    assert doc.encoding == recorded
    assert doc.text() == text


WRAPPED_TXT = """Heads of border services meet in Almaty

Almaty, 3 April 2025

The heads of the border services of the member states met in Almaty to
review the situation on the southern borders and the use of small drones
by smuggling groups. The meeting was chaired by the head of the host
service, who noted a rise in attempts to cross the mountain sections.
The participants:
- agreed to exchange lists of wanted persons every week and to hold
  joint patrols on the most exposed sections;
- asked the working group to prepare a report on the financing of
  the groups through electronic wallets.
"""
WRAPPED_RU_TXT = """Совещание руководителей пограничных ведомств прошло в Бишкеке. Участники
обсудили обстановку на южных участках границы и попытки незаконного
пересечения горных перевалов вооруженными группами. Стороны договорились
продолжить обмен сведениями о лицах, причастных к террористической
деятельности, и провести совместное учение осенью 2025 г.
"""


@pytest.mark.parametrize(
    "name, text, encoding, wrapped",
    [
        ("wrapped.txt", WRAPPED_TXT, "utf-8", True),
        ("wrapped-crlf.txt", WRAPPED_TXT.replace("\n", "\r\n"), "utf-8", True),
        ("wrapped-ru.txt", WRAPPED_RU_TXT, "windows-1251", True),
        ("wrapped.md", "# Border services meet\n\n" + WRAPPED_TXT.split("\n\n", 2)[2], "utf-8", True),
        # one statement a line, a list of long items, a table, headings: the author's line breaks
        ("per-line.txt", "The heads of the border services met in Almaty on 3 April 2025.\n"
                         "They reviewed the situation on the southern borders of the states.\n"
                         "Small drones are used by smuggling groups in the mountain sections.\n", "utf-8", False),
        ("list.txt", "The participants:\n- agreed to exchange lists of wanted persons every week\n"
                     "- asked the working group to prepare a report on the financing\n"
                     "- noted the rise in attempts to cross the mountain sections\n", "utf-8", False),
        ("table.txt", "| State | Persons detained at the southern border crossings |\n"
                      "| Kazakhstan | fourteen persons, most of them in the mountain passes |\n"
                      "| Kyrgyzstan | nine persons, all of them on the eastern crossings |\n", "utf-8", False),
        ("headings.txt", "Border security\nSmall drones used by smuggling groups in the mountains\n"
                         "Financing of terrorism through electronic wallets\nJoint patrols\n", "utf-8", False),
        ("per-line-ru.txt", "Участники обсудили обстановку на южных участках границы.\n"
                            "Стороны договорились продолжить обмен сведениями.\n"
                            "Следующее совещание состоится осенью 2025 г. в Ташкенте.\n", "windows-1251", False),
    ],
    ids=["english", "crlf", "russian-cp1251", "markdown", "per-line", "list", "table", "headings", "per-line-ru"],
)
def test_a_hard_wrapped_text_file_is_read_as_wrapped(tmp_path, name, text, encoding, wrapped):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    doc = only(path)
    assert doc.wrapped is wrapped
    segments = segment(doc.text(), unwrap=doc.wrapped)
    spans = [doc.text()[s.start : s.end] for s in segments]
    if wrapped:  # statements run over lines, and read as one line
        assert sum("\n" in span for span in spans) >= 2
        assert not any("\n" in s.text for s in segments)


@pytest.mark.parametrize("width", [64, 72, 80])
@pytest.mark.parametrize("name", [p.name for p in sorted(EXAMPLES.glob("*.txt"))])
def test_the_text_examples_are_not_wrapped_and_read_the_same_wrapped(tmp_path, name, width):
    # one paragraph a line; the same text wrapped as e-mail does (at spaces) is wrapped,
    # and reads as the same statements
    original = only(EXAMPLES / name)
    assert original.wrapped is False
    text = original.text()
    lines = []
    for line in text.split("\n"):
        indent = "  " if line[:2] in ("- ", "\u2013 ") or line[:1].isdigit() else ""
        lines.extend(textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""])
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(original.encoding))
    doc = only(path)
    assert doc.wrapped is True
    wrapped = [(s.kind, s.text, s.context) for s in segment(doc.text(), unwrap=True)]
    assert wrapped == [(s.kind, s.text, s.context) for s in segment(text)]


def test_utf8_after_the_first_block_is_still_utf8(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"a" * (3 << 20) + "é".encode())
    assert detect_encoding(path) == "utf-8"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(DocumentError, match=r"image\.txt: looks like a binary file"):
        only(path)


def test_markdown_headings_and_lists(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("Council meets\n\nThe parties:\n* discussed drones;\n* agreed.\n", encoding="utf-8")
    doc = only(path)
    assert doc.format == "md"
    assert [k for k, _ in kinds_and_texts(doc)] == ["title", "lead_in", "bullet", "bullet"]


def test_html_in_windows_1251_with_meta_charset(tmp_path):
    pytest.importorskip("trafilatura")
    body = "".join(
        f"<p>Участники совещания обсудили угрозы безопасности, пункт {i}. Пограничники усилили контроль.</p>"
        for i in range(5)
    )
    html = f'<html><head><meta charset="windows-1251"><title>Т</title></head><body><article>{body}</article></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("windows-1251"))
    doc = only(path)
    assert doc.encoding == "windows-1251"
    assert "Пограничники усилили контроль" in doc.text()


def test_html_in_koi8_r_without_a_charset_is_detected(tmp_path):
    pytest.importorskip("trafilatura")
    body = "".join(
        f"<p>Члены Совета обсудили обстановку на границе, вопрос {i}. Пограничники задержали нарушителей.</p>"
        for i in range(5)
    )
    html = f"<html><head><title>Заседание</title></head><body><article>{body}</article></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("koi8-r"))
    doc = only(path)
    assert doc.encoding == "koi8-r"
    assert "Пограничники задержали нарушителей" in doc.text()


RUSSIAN_TEXT = (
    "ЗАСЕДАНИЕ СОВЕТА КОМАНДУЮЩИХ ПОГРАНИЧНЫМИ ВОЙСКАМИ\n\n"
    "МИНСК, 3 марта (БелТА). Члены Совета обсудили обстановку на внешних границах.\n\n"
    "Стороны:\n"
    "- отметили рост незаконной миграции через горные участки границы;\n"
    "- договорились обмениваться сведениями о перемещении боевиков.\n"
)


@pytest.mark.parametrize("encoding, recorded", [("windows-1251", "windows-1251"), ("koi8-r", "koi8-r")])
@pytest.mark.parametrize("normalizer", ["with-charset-normalizer", "without"])
def test_russian_code_pages_are_told_apart(tmp_path, monkeypatch, encoding, recorded, normalizer):
    if normalizer == "without":
        monkeypatch.setitem(sys.modules, "charset_normalizer", None)
    path = tmp_path / "bulletin.txt"
    path.write_bytes(RUSSIAN_TEXT.encode(encoding))
    doc = only(path)
    assert doc.encoding == recorded
    assert doc.text() == RUSSIAN_TEXT
    assert [s.kind for s in segment(doc.text())][:3] == ["title", "dateline", "sentence"]


@pytest.mark.parametrize(
    "text",
    ["Минск", "Погранслужба задержала 5 нарушителей.", "ЗАСЕДАНИЕ СОВЕТА РУКОВОДИТЕЛЕЙ ОРГАНОВ БЕЗОПАСНОСТИ",
     "Ташкент, 10 июня", "Республика Казахстан", "Генеральный сек", "Утвержден переч"],
    ids=["one-word", "sentence", "capitals", "dateline", "two-words", "cut-short-1", "cut-short-2"],
)
def test_short_russian_samples_in_both_code_pages(text):
    assert detect_encoding_bytes(text.encode("windows-1251")) == "windows-1251"
    assert detect_encoding_bytes(text.encode("koi8-r")) == "koi8-r"


def test_the_cp1251_example_segments_into_russian_statements_with_its_date():
    from themes.dates import parse_date

    doc = only(EXAMPLES / "2025-02-10-border-agencies-cp1251.txt")
    segments = segment(doc.text())
    assert [(s.kind, s.text) for s in segments[:2]] == [
        ("title", "Совещание руководителей пограничных ведомств"),
        ("dateline", "Бишкек, 10 февраля 2025 г."),
    ]
    assert parse_date(segments[1].text) == "2025-02-10"
    bullets = [s for s in segments if s.kind == "bullet"]
    assert len(bullets) == 3 and {b.context for b in bullets} == {"В ходе совещания стороны:"}
    assert segments[-1].text == "Следующее совещание состоится осенью 2025 г. в Ташкенте."


def test_the_russian_example_bulletin_segments_into_its_statements():
    from themes.dates import parse_date

    doc = only(EXAMPLES / "2025-10-16-coordination-council-dushanbe-ru.txt")
    assert doc.encoding == "utf-8"
    segments = segment(doc.text())
    kinds = [s.kind for s in segments]
    assert kinds == ["title", "dateline"] + ["sentence"] * 4 + ["lead_in"] + ["bullet"] * 10 + ["sentence"]
    assert segments[1].text == "ДУШАНБЕ, 16 октября 2025 г. /Пресс-служба Секретариата/."
    assert parse_date(segments[1].text) == "2025-10-16"
    assert segments[3].text == "Заседание прошло под председательством Р.Ш. Назарова."
    bullets = [s for s in segments if s.kind == "bullet"]
    assert {b.context for b in bullets} == {"По итогам обсуждения участники заседания:"}
    assert "1,2 т наркотических средств;" in bullets[6].text
    assert segments[-1].text == "Следующее заседание совета состоится в апреле 2026 г. в г. Минске."


def test_html_reader_imports_no_private_name_of_the_text_reader():
    import ast

    from themes.readers import html

    tree = ast.parse(Path(html.__file__).read_text(encoding="utf-8"))
    imported = [
        alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("themes")
        for alias in node.names
    ]
    assert imported and not [name for name in imported if name.startswith("_")]


def test_a_docx_table_is_one_table_segment(tmp_path):
    docx = pytest.importorskip("docx")
    from themes.segment import segment

    document = docx.Document()
    document.add_paragraph("The council met in Minsk.")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "State", (0, 1): "Cases", (1, 0): "Kazakhstan", (1, 1): "1.5"}.items():
        table.cell(r, c).text = value
    document.add_paragraph("The participants noted drones.")
    document.save(tmp_path / "t.docx")
    text = "".join(docx_reader.read_docx(tmp_path / "t.docx").iter_text())
    assert [(s.kind, s.text) for s in segment(text)] == [
        ("sentence", "The council met in Minsk."),
        ("table", "| State | Cases |\n| Kazakhstan | 1.5 |"),  # two cells a row: framed, so a table
        ("sentence", "The participants noted drones."),
    ]


TWO_COLUMN_PAGE = """<html><head><title>Border operation results</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Results of the joint border operation</h1>
<p>The Council of Commanders of Border Troops met in Almaty and reviewed the results of the joint
operation on the southern border.</p>
<p>Detentions by state during the operation:</p>
<table>
<tr><th>State</th><th>Detained</th></tr>
<tr><td>Kazakhstan</td><td>14</td></tr>
<tr><td>Kyrgyzstan</td><td>9</td></tr>
</table>
<p>The participants agreed to exchange information on smuggling routes.</p>
</article></body></html>"""
# What trafilatura 1.x (the html extra allows >= 1.6) gives for the page above: its cells end
# with " | " but its rows open with no pipe, so a row of two cells was read as a heading.
TRAFILATURA_1_TEXT = (
    "Results of the joint border operation\nThe Council of Commanders of Border Troops met in Almaty and reviewed "
    "the results of the joint operation on the southern border.\nDetentions by state during the operation:\n"
    "State | Detained |\n---|---|\nKazakhstan | 14 |\nKyrgyzstan | 9 |\n"
    "The participants agreed to exchange information on smuggling routes."
)


@pytest.mark.parametrize("extractor", ["installed", "trafilatura-1.x"])
def test_an_html_table_of_two_columns_is_one_table_segment(tmp_path, monkeypatch, extractor):
    trafilatura = pytest.importorskip("trafilatura")
    if extractor == "trafilatura-1.x":
        monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: TRAFILATURA_1_TEXT)
    path = tmp_path / "operation.html"
    path.write_text(TWO_COLUMN_PAGE, encoding="utf-8")
    segments = segment(only(path).text())
    kinds = [s.kind for s in segments]
    assert kinds == ["title", "sentence", "lead_in", "table", "sentence"], [(s.kind, s.text) for s in segments]
    table = segments[3].text
    assert [row.strip("| ") for row in table.splitlines() if "-" not in row] == ["State | Detained", "Kazakhstan | 14", "Kyrgyzstan | 9"]
    assert segments[4].context is None  # the rows end the lead-in's reach


def test_a_docx_page_or_column_break_inside_a_paragraph_parts_the_words(tmp_path):
    """python-docx reads a page or column break as nothing: "end of" + "page next" ran
    together as "end ofpage next". A break, like a tab, is whitespace."""
    docx = pytest.importorskip("docx")
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Drones were discussed at the end of").add_break(WD_BREAK.PAGE)
    paragraph.add_run("page next to the borders.")
    paragraph = document.add_paragraph()
    paragraph.add_run("Funds were frozen in one").add_break(WD_BREAK.COLUMN)
    paragraph.add_run("column two.")
    paragraph = document.add_paragraph()
    paragraph.add_run("Exercises were").add_tab()
    paragraph.add_run("held.")
    cell = document.add_table(rows=1, cols=2).cell(0, 0).paragraphs[0]
    cell.add_run("State").add_break(WD_BREAK.PAGE)
    cell.add_run("Kazakhstan")
    document.save(tmp_path / "breaks.docx")
    statements = [" ".join(s.text.split()) for s in segment(only(tmp_path / "breaks.docx").text())]
    assert statements == [
        "Drones were discussed at the end of page next to the borders.",
        "Funds were frozen in one column two.",
        "Exercises were held.",
        "| State Kazakhstan |",
    ]


def test_docx_looks_each_style_up_once_per_document(tmp_path, monkeypatch):
    docx = pytest.importorskip("docx")
    from docx.text.paragraph import Paragraph

    document = docx.Document()
    document.add_paragraph("Участники:")
    for i in range(30):
        document.add_paragraph(f"пункт {i};", style="List Bullet")
        document.add_paragraph(f"Абзац {i}.")
    path = tmp_path / "many.docx"
    document.save(path)
    lookups = []
    original = Paragraph.style
    monkeypatch.setattr(Paragraph, "style", property(lambda self: lookups.append(1) or original.fget(self)))
    text = only(path).text()
    assert text.count("\u2022 ") == 30
    assert len(lookups) <= 2  # the default style and "List Bullet", not one per paragraph


# ------------------------------------------------------------- damaged files
def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(DocumentError, match=r"nothere\.txt: no such file"):
        only(tmp_path / "nothere.txt")
    (tmp_path / "image.png").write_bytes(b"x")
    with pytest.raises(DocumentError, match=r"image\.png: unsupported file type '\.png'") as caught:
        only(tmp_path / "image.png")
    assert "JSON object" not in str(caught.value)  # the table hint is for tables only


def test_a_broken_symbolic_link_says_so_and_where_it_points(tmp_path):
    (tmp_path / "link.txt").symlink_to(tmp_path / "moved" / "bulletin.txt")
    with pytest.raises(DocumentError) as caught:
        only(tmp_path / "link.txt")
    assert str(caught.value) == (
        f"{tmp_path / 'link.txt'}: a broken symbolic link: its target, {tmp_path / 'moved' / 'bulletin.txt'}, "
        "does not exist; fix or remove the link"
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".tsv"])
def test_a_table_given_as_bulletins_points_to_jsonl(tmp_path, suffix):
    path = tmp_path / f"bulletins{suffix}"
    path.write_text("id,text,date\n1,Drones attacked a pipeline.,2024-05-14\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=rf"unsupported file type '\{suffix}'") as caught:
        only(path)
    assert 'to a .jsonl file, one JSON object a line: {"id": ..., "text": ..., "date": "2024-05-14"}' in str(caught.value)


def test_corrupt_pdf_names_path_and_reason(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(DocumentError, match=r"broken\.pdf: not a readable PDF"):
        only(path).text()


def test_pdf_without_text_layer_is_refused(tmp_path):
    pytest.importorskip("pypdf")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), invariant=True)
    c.rect(10, 10, 100, 100)
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match=r"scan\.pdf: no text layer"):
        only(path).text()


@pytest.mark.parametrize(
    "pages, expected",
    [
        # pages are joined, so a sentence may cross them
        ([[(720, "The parties discussed the use of")], [(720, "drones by terrorist groups. The meeting closed.")]],
         ["The parties discussed the use of drones by terrorist groups.", "The meeting closed."]),
        # page numbers at page edges are left out
        ([[(720, "The parties discussed the use of"), (60, "Page 1 of 2")],
          [(760, "- 2 -"), (720, "drones by terrorist groups. The meeting closed in 2025.")]],
         ["The parties discussed the use of drones by terrorist groups.", "The meeting closed in 2025."]),
        # a word hyphenated at a line end is read whole; a hyphen before a capital stays
        ([[(720, "The parties held the Russian-"), (705, "Chinese talks on coun-"), (690, "tering the financing of"),
           (675, "terrorism. The meeting closed.")]],
         ["The parties held the Russian-Chinese talks on countering the financing of terrorism.", "The meeting closed."]),
        # a first line in title case that breaks a word at its end is no title
        ([[(720, "The Russian-"), (705, "Chinese talks on coun-"), (690, "tering terrorism opened. The meeting closed.")]],
         ["The Russian-Chinese talks on countering terrorism opened.", "The meeting closed."]),
    ],
    ids=["across-pages", "page-numbers", "hyphenated", "hyphenated-first-line"],
)
def test_a_pdf_statement_reads_as_one_line_and_its_offsets_index_the_extracted_text(tmp_path, pages, expected):
    doc = only(write_pdf(tmp_path / "bulletin.pdf", pages))
    text = doc.text()
    assert doc.wrapped and "\n" in text  # the page's line breaks, kept in the extracted text
    segments = segment(text, unwrap=doc.wrapped)
    assert [s.text for s in segments] == expected
    assert all(s.text == unwrap_lines(text[s.start : s.end]) for s in segments)
    # without unwrap, the span as it is, line breaks included
    assert [s.text for s in segment(text)] == [text[s.start : s.end] for s in segments]


def test_docx_manual_line_breaks_read_as_spaces_and_still_open_bullets(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    paragraphs = [
        ["Heads of border services meet in Almaty", "Almaty, 3 April 2025"],
        ["The heads of the border services discussed coun-", "tering the use of small drones. They agreed."],
        ["The participants:", "- agreed to exchange lists of wanted persons;", "- asked for a report."],
    ]
    for lines in paragraphs:
        paragraph = document.add_paragraph(lines[0])
        for line in lines[1:]:
            paragraph.runs[-1].add_break()  # shift-enter: <w:br/>
            paragraph.add_run(line)
    document.save(tmp_path / "breaks.docx")
    doc = only(tmp_path / "breaks.docx")
    text = doc.text()
    assert doc.wrapped and "coun-\ntering" in text  # the break is a line break of the text
    segments = segment(text, unwrap=doc.wrapped)
    assert [(s.kind, s.text, s.context) for s in segments] == [
        ("title", "Heads of border services meet in Almaty", None),
        ("dateline", "Almaty, 3 April 2025", None),
        ("sentence", "The heads of the border services discussed countering the use of small drones.", None),
        ("sentence", "They agreed.", None),
        ("lead_in", "The participants:", None),
        ("bullet", "agreed to exchange lists of wanted persons;", "The participants:"),
        ("bullet", "asked for a report.", "The participants:"),
    ]
    assert all(s.text == unwrap_lines(text[s.start : s.end]) for s in segments)
    # paragraphs without manual breaks: nothing to unwrap
    assert only(EXAMPLES / "2024-11-18-working-group-financing.docx").wrapped is False


def test_corrupt_docx_names_path_and_reason(tmp_path):
    pytest.importorskip("docx")
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(DocumentError, match=r"broken\.docx: not a valid \.docx"):
        only(path)


def _zip_with(path: Path, name: str, size: int) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(name, b"\0" * size)


def test_docx_zip_bomb_member_too_large_is_refused(tmp_path, monkeypatch):
    pytest.importorskip("docx")
    monkeypatch.setattr(docx_reader, "MAX_MEMBER_BYTES", 2 << 20)
    path = tmp_path / "bomb.docx"
    _zip_with(path, "word/document.xml", 3 << 20)
    with pytest.raises(DocumentError, match=r"bomb\.docx: zip member 'word/document\.xml' inflates beyond 2097152 bytes; refused as a zip bomb"):
        only(path)


def test_docx_zip_bomb_ratio_is_refused(tmp_path):
    pytest.importorskip("docx")
    path = tmp_path / "ratio.docx"
    _zip_with(path, "word/document.xml", 8 << 20)  # zeros: ratio of about 1000
    with pytest.raises(DocumentError, match=r"inflates more than 200 times its compressed size; refused as a zip bomb"):
        only(path)


def test_missing_extra_gives_the_pip_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'themes\[html\]'"):
        only(EXAMPLES / "2024-06-20-expert-group-tashkent.html")
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'themes\[pdf\]'"):
        only(EXAMPLES / "2024-09-05-joint-exercise.pdf")
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'themes\[docx\]'"):
        only(EXAMPLES / "2024-11-18-working-group-financing.docx")


# --------------------------------------------------------------------- jsonl
def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "bulletins.jsonl"
    lines = [
        json.dumps({"id": "b-1", "text": "Drones were discussed.", "date": "2024-05-01"}),
        "",
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": 7, "text": "Border guards met."}),
        json.dumps({"id": "b-3", "text": 5}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_documents(path))
    assert [(d.bulletin, d.error is None) for d in docs] == [
        ("b-1", True),
        (f"{path}:3", False),
        (f"{path}:4", False),
        ("7", True),
        ("b-3", False),
    ]
    assert docs[0].date == "2024-05-01" and docs[0].text() == "Drones were discussed."
    assert docs[1].error.startswith(f"{path}:3: invalid JSON")  # worded as by every JSON Lines reader
    assert docs[2].error == f"{path}:4: the record has no 'id' (a non-empty string or integer)"
    assert docs[4].error == f"{path}:6: 'text' must be a string, got int"
    with pytest.raises(DocumentError, match="holds many bulletins"):
        read_text(path)


# --------------------------------------------------------------------- paths
def test_expand_paths_folders_globs_exclude_and_duplicates(tmp_path):
    for name in ["a/2024-01-01.txt", "a/b/x.pdf", "a/.hidden/y.txt", "a/skip.png", "c.docx", "out.jsonl"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = expand_paths(
        [tmp_path / "a", str(tmp_path / "*.docx"), tmp_path / "a" / "2024-01-01.txt", str(tmp_path / "*.jsonl")],
        exclude=[tmp_path / "out.jsonl"],
    )
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == ["a/2024-01-01.txt", "a/b/x.pdf", "c.docx"]
    assert expand_paths([str(tmp_path / "*.nothing")]) == [str(tmp_path / "*.nothing")]
    with pytest.raises(DocumentError, match="no file matches this pattern"):
        only(tmp_path / "*.nothing")


# ----------------------------------------------------------------- streaming
def test_a_50_mb_text_file_is_read_in_bounded_memory(tmp_path):
    path = tmp_path / "big.txt"
    line = "Participants discussed the use of drones by terrorist groups. " * 4 + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(line for _ in range(50 * 1024 * 1024 // len(line)))
    doc = only(path)
    tracemalloc.start()
    try:
        total = sum(len(chunk) for chunk in doc.iter_text())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == path.stat().st_size
    assert peak < 16 * 1024 * 1024  # a few 1 MiB blocks, not 50 MB


# ------------------------------------------------------------ bounded memory
def test_an_html_page_over_the_limit_is_refused_naming_the_file_and_the_limit(tmp_path, monkeypatch):
    from themes import readers

    monkeypatch.setattr(readers, "MAX_HTML_BYTES", 1_000)
    path = tmp_path / "huge.html"
    path.write_text("<html><body>" + "<p>Участники обсудили угрозы.</p>" * 100 + "</body></html>", encoding="utf-8")
    size = path.stat().st_size
    with pytest.raises(DocumentError, match=rf"huge\.html: {size:,} bytes of HTML; .* the limit is 1,000 bytes \(themes\.readers\.MAX_HTML_BYTES\)"):
        only(path)


def test_the_html_limit_is_below_the_parse_limit():
    from themes import readers

    assert readers.MAX_HTML_BYTES <= readers.MAX_PARSED_BYTES


def test_a_jsonl_record_over_the_limit_fails_alone_and_the_next_is_read(tmp_path, monkeypatch):
    from themes import readers

    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 200)
    path = tmp_path / "records.jsonl"
    lines = [
        json.dumps({"id": "big", "text": "Дроны. " * 100}, ensure_ascii=False),
        json.dumps({"id": "small", "text": "Пограничники задержали нарушителей.", "date": "3 марта 2025 г."}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    big, small = read_documents(path)
    assert big.error == f"{path}:1: the record is longer than 200 bytes (themes.readers.MAX_RECORD_BYTES); not read"
    assert (small.bulletin, small.error, small.date) == ("small", None, "2025-03-03")
    assert small.text() == "Пограничники задержали нарушителей."


@pytest.mark.parametrize(
    "line, message",
    [
        (b'{"id": "a", "text": "x\ty"}\n', "invalid JSON (Invalid control character at column 23)"),
        (b'{"id": "a", "text": ["x"\n', "invalid JSON (Expecting ',' delimiter at the end of the line)"),
        (b'{"id" "a"}\n', "invalid JSON (Expecting ':' delimiter at column 7)"),
    ],
    ids=["control-character", "unclosed", "missing-colon"],
)
def test_a_bad_json_line_is_placed_on_its_own_line(line, message):
    from themes.jsonlines import BadLine, parse_line

    with pytest.raises(BadLine) as caught:
        parse_line(line)
    assert str(caught.value) == message


def test_a_jsonl_bulletin_with_a_date_that_is_no_date_fails_alone(tmp_path):
    from themes.readers import read_documents

    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "text": "Drones.", "date": "2024/05/14"}) + "\n"
        + json.dumps({"id": "feb", "text": "Drones.", "date": "2025-02-30"}) + "\n"
        + json.dumps({"id": "num", "text": "Drones.", "date": 20250101}) + "\n"
        + json.dumps({"id": "none", "text": "Drones.", "date": None}) + "\n",
        encoding="utf-8",
    )
    docs = list(read_documents(path))
    assert [(d.bulletin, d.date, d.error is None) for d in docs] == [
        ("ok", "2024-05-14", True), ("feb", None, False), ("num", None, False), ("none", None, True)]
    assert docs[1].error.startswith(f"{path}:2: 'date' '2025-02-30' is not a date (2024-05-14, 2024/05/14,")
    assert docs[2].error.startswith(f"{path}:3: 'date' 20250101 is not a date")



def test_a_jsonl_record_without_text_names_the_missing_field_and_its_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "date": "2024-05-14"}) + "\n" + json.dumps({"id": "b", "text": None}) + "\n")
    no_text, null_text = read_documents(path)
    assert no_text.error == f"{path}:1: the record has no 'text' field (the bulletin's text, a string)"
    assert null_text.error == f"{path}:2: 'text' must be a string, got NoneType"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"id,text,date\n1,Drones.,2024-05-14\n2,Border guards.,2024-06-01\n",
         "looks like CSV (its first line is 'id,text,date'), not JSON Lines (one JSON object a line); convert"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not a JSON Lines file"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "is a PDF document, not a JSON Lines file"),
        (b"abc\x00def\n", "is binary data (a NUL byte at offset 3), not a JSON Lines file"),
    ],
    ids=["csv", "png", "pdf", "nul-bytes"],
)
def test_a_jsonl_file_that_is_no_json_lines_at_all_fails_once(tmp_path, content, expected):
    """One failure for the file, not one "invalid JSON" per row."""
    path = tmp_path / "bulletins.jsonl"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        list(read_documents(path))
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_a_first_line_of_json_that_is_no_object_is_not_called_csv(tmp_path):
    path = tmp_path / "bulletins.jsonl"
    path.write_text('[1, 2]\n{"id": "a", "text": "Drones."}\n', encoding="utf-8")
    bad, good = read_documents(path)
    assert bad.error == f"{path}:1: expected a JSON object, got list" and good.error is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("May 2024", "2024-05-01"),
        ("Sept. 2023", "2023-09-01"),
        ("2024-05", "2024-05-01"),
        ("июнь 2025", "2025-06-01"),
        ("Май 2024 г.", "2024-05-01"),
        ("14 May 2024", "2024-05-14"),
        ("2024-13", None),
        ("2024", None),
        ("in May 2024 or so", None),
    ],
    ids=["english-month", "abbreviated-month", "iso-month", "russian-month", "russian-month-g", "full-date",
         "month-13", "year-alone", "month-in-a-phrase"],
)
def test_a_jsonl_date_field_of_a_month_and_year_reads_as_its_first_day(tmp_path, value, expected):
    """As "июнь 2025" does in a dateline; what is refused names the forms that are read."""
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Drones.", "date": value}, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = read_documents(path)
    assert doc.date == expected
    if expected is None:
        assert doc.error.startswith(f"{path}:1: 'date' {value!r} is not a date (2024-05-14, ")
        assert "a month alone, May 2024 or 2024-05, reads as its first day" in doc.error
    else:
        assert doc.error is None


def test_an_html_page_without_a_declared_date_is_not_dated_by_a_year_in_its_text(tmp_path):
    # trafilatura's extensive date search took "Кобальт-2025" for 2025-01-01 (date_source "metadata")
    pytest.importorskip("trafilatura")
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'><title>ОДКБ провела учения</title></head>"
        "<body><article><h1>ОДКБ провела учения</h1>"
        "<p>На полигоне прошли совместные учения «Кобальт-2025» спецподразделений государств – членов ОДКБ.</p>"
        "<p>Участники отработали освобождение заложников на объекте критической инфраструктуры.</p>"
        "</article><footer>© Пресс-служба, 2025</footer></body></html>",
        encoding="utf-8",
    )
    assert only(page).date is None
    declared = tmp_path / "declared.html"
    declared.write_text(
        page.read_text(encoding="utf-8").replace("<head>", "<head><meta name='date' content='2025-06-10'>"),
        encoding="utf-8",
    )
    assert only(declared).date == "2025-06-10"
