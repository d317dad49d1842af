"""Archive review, session 14: an analyst's messy archive (every input written here, in tmp_path).

One test (or a few) per defect found by pointing ``themes score`` at such an archive.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_pdf

from themes.readers import expand_paths, read_documents
from themes.readers.text import detect_encoding, detect_encoding_bytes


# ------------------------------------------- a folder reached through a symbolic link
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this platform")
def test_a_symlinked_folder_in_the_archive_is_read_and_a_loop_ends(tmp_path):
    # An archive that links in a folder kept elsewhere ("2024 -> /mnt/share/2024"): its
    # bulletins were passed over without a word, since the walk did not follow links.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("Drones were discussed.", encoding="utf-8")
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    (archive / "a.txt").write_text("Financing was discussed.", encoding="utf-8")
    (archive / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (archive / "sub" / "loop").symlink_to(archive, target_is_directory=True)  # a loop ends, once each
    found = [Path(p).relative_to(archive).as_posix() for p in expand_paths([archive])]
    assert found == ["a.txt", "linked/b.txt"]


# ------------------------------------------- a UTF-8 file with a few stray bytes
@pytest.mark.parametrize("text, stray", [
    ("Совещание в Минске\n\nУчастники обсудили финансирование терроризма.\n", b"\xa0\x96"),
    ("Council in Riga\n\nThe council discussed dr\u00f6nes and \u201cfinancing\u201d.\n", b"Caf\xe9"),
])
def test_a_utf8_file_with_a_few_stray_bytes_is_read_as_utf8(tmp_path, text, stray):
    # A UTF-8 bulletin with a byte or two of another code page pasted in (a non-breaking
    # space from windows-1251) was decoded whole as windows-1251 or KOI8-R: every Russian
    # word came out as "РЎРѕРІРµ...", scored as if it were text, and nothing said so.
    data = text.encode("utf-8") + stray + b" end.\n"
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    assert detect_encoding_bytes(data) == "utf-8"
    assert detect_encoding(path) == "utf-8"
    read = next(read_documents(path)).text()
    assert read.startswith(text)
    # A file in a single-byte code page is still read as one.
    assert detect_encoding_bytes(text.encode("windows-1251", "replace")) != "utf-8"


def test_a_stray_byte_past_the_first_mib_of_a_utf8_file_keeps_it_utf8(tmp_path):
    # The sample read to guess is the first MiB: all of it valid UTF-8, the stray byte later.
    line = "Участники обсудили финансирование терроризма.\n".encode("utf-8")
    path = tmp_path / "long.txt"
    path.write_bytes(line * (2 * (1 << 20) // len(line)) + b"\xa0 end.\n")
    assert detect_encoding(path) == "utf-8"


# ------------------------------------------- an HTML list nested in a list item
def test_a_nested_html_list_keeps_its_lead_in(tmp_path):
    # "<li>The participants agreed:<ul><li>to strengthen ...</li></ul></li>": the inner items
    # lost their lead-in (context None) and the lead-in was scored as a statement, since
    # the page's text was given with the nesting's indentation stripped.
    pytest.importorskip("trafilatura")
    from themes.segment import segment

    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><article><h1>Meeting of the Council</h1><p>Bishkek, 9 September 2023</p>"
        "<ul><li>The participants agreed:<ul><li>to strengthen border controls;</li>"
        "<li>to expand joint exercises;</li></ul></li><li>to counter terrorist financing.</li></ul>"
        "<p>The next meeting will be held in Astana.</p></article></body></html>",
        encoding="utf-8",
    )
    segments = {s.text: s for s in segment(next(read_documents(path)).text())}
    assert segments["The participants agreed:"].kind == "lead_in"
    assert segments["to strengthen border controls;"].context == "The participants agreed:"
    assert segments["to expand joint exercises;"].context == "The participants agreed:"
    assert segments["to counter terrorist financing."].context is None
    assert segments["The next meeting will be held in Astana."].kind == "sentence"


# ------------------------------------------- a DOCX with content controls
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_text(tmp_path, name, *blocks, first=None, last=None) -> str:
    """The text read from a DOCX of paragraph ``first``, the XML ``blocks`` (raw WordprocessingML,
    as python-docx cannot write them) and paragraph ``last``."""
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    document = docx.Document()
    if first is not None:
        document.add_paragraph(first)
    body = document.element.body
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(block))  # before the section properties
    if last is not None:
        document.add_paragraph(last)
    path = tmp_path / name
    document.save(path)
    return next(read_documents(path)).text()


def test_the_text_of_docx_content_controls_is_read(tmp_path):
    # Word templates hold their text in content controls (<w:sdt>): a block of paragraphs
    # in one, or a word of a sentence ("Held in [Minsk]"). python-docx reads neither, so
    # those statements vanished, and "Held in  on drones." lost its word, without a word said.
    text = _docx_text(
        tmp_path, "template.docx",
        f"<w:sdt {_W}><w:sdtPr/><w:sdtContent>"
        "<w:p><w:r><w:t>The commission discussed financing of terrorism through charities.</w:t></w:r></w:p>"
        f"<w:sdt><w:sdtContent><w:p><w:r><w:t>Drones carried weapons across the border.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt></w:sdtContent></w:sdt>",
        f"<w:p {_W}><w:r><w:t xml:space=\"preserve\">Held in </w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>Minsk"
        "</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space=\"preserve\"> on drones.</w:t></w:r></w:p>",
        first="Meeting of the Commission", last="The next meeting is in Astana.",
    )
    assert text == (
        "Meeting of the Commission\n\nThe commission discussed financing of terrorism through charities.\n\n"
        "Drones carried weapons across the border.\n\nHeld in Minsk on drones.\n\nThe next meeting is in Astana."
    )


@pytest.mark.parametrize("wrapped", [
    '<w:ins w:id="1" w:author="Editor" w:date="2023-05-02T10:00:00Z"><w:r><w:t>Minsk</w:t></w:r></w:ins>',
    '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place"><w:smartTagPr/>'
    '<w:r><w:t>Minsk</w:t></w:r></w:smartTag>',
    '<w:fldSimple w:instr=" DOCPROPERTY Place "><w:r><w:t>Minsk</w:t></w:r></w:fldSimple>',
    '<w:customXml w:element="place"><w:r><w:t>Minsk</w:t></w:r></w:customXml>',
])
def test_words_of_tracked_insertions_smart_tags_and_fields_are_read(tmp_path, wrapped):
    # A bulletin saved with tracked changes not yet accepted, or from an older Word that
    # tagged places and dates (smart tags), lost those words: "Held in  on drones."
    text = _docx_text(
        tmp_path, "tracked.docx",
        f"<w:p {_W}><w:r><w:t xml:space=\"preserve\">Held in </w:t></w:r>{wrapped}"
        "<w:del w:id=\"2\" w:author=\"Editor\"><w:r><w:delText>Moscow</w:delText></w:r></w:del>"
        "<w:r><w:t xml:space=\"preserve\"> on drones.</w:t></w:r></w:p>",
    )
    assert text == "Held in Minsk on drones."  # deleted text stays out


# ------------------------------------------- Markdown with front matter
@pytest.mark.parametrize("small", [True, False])
def test_markdown_front_matter_is_metadata_not_a_statement(tmp_path, small):
    # A bulletin exported from a static site (Hugo, Jekyll) opens with YAML front matter:
    # its "title: ... date: ... tags: [uav, border]" was scored as a statement (and tagged
    # uav and border_security), and its date was not read.
    body = "The council discussed drones near the border.\n\nParticipants agreed on joint exercises.\n"
    if not small:
        body += "\n" + "The experts discussed online propaganda of terrorist groups.\n" * 200
    text = '---\ntitle: "Council meeting"\ndate: 2023-05-02T10:00:00+03:00\ntags: [uav, border]\n---\n\n' + body
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    data = path.read_bytes() if small else None
    doc = next(read_documents(path, data))
    assert (doc.date, doc.title) == ("2023-05-02", "Council meeting")
    read = doc.text()
    assert len(read) == len(text) and read.endswith(body)  # offsets still index the file's text
    from themes.segment import segment

    assert [s.text for s in segment(read)][:2] == [
        "The council discussed drones near the border.", "Participants agreed on joint exercises.",
    ]


def test_markdown_opening_with_a_horizontal_rule_keeps_its_first_section():
    text = "---\nThe council discussed drones near the border.\n---\n\nParticipants agreed.\n"
    from themes.readers.text import _front_matter

    assert _front_matter(text) == (0, None, None)


# ------------------------------------------- an old web page laid out with a table
def test_a_page_laid_out_with_a_table_is_read_as_paragraphs_and_a_data_table_stays_one(tmp_path):
    # Older sites put the whole page in a layout table (menu in one cell, bulletin in the
    # other): the bulletin came out as one "table" segment, its dateline unread and its
    # statements glued, and trends, which leave tables out, counted none of them.
    pytest.importorskip("trafilatura")
    from themes.segment import segment

    path = tmp_path / "old.html"
    path.write_text(
        '<html><head><meta charset="utf-8"><title>News</title></head><body>'
        '<table width="100%"><tr><td width="20%"><a href="/">Home</a><br><a href="/news">News</a></td>'
        "<td><h1>Meeting of the Council of Heads</h1><p>Minsk, 12 May 2009</p>"
        "<p>The Council reviewed the threat posed by drones to critical infrastructure facilities.</p>"
        "<p>The participants agreed to strengthen border controls and to expand joint exercises.</p>"
        "<table><tr><th>State</th><th>Detained</th></tr><tr><td>Kazakhstan</td><td>14</td></tr></table>"
        "</td></tr></table></body></html>",
        encoding="utf-8",
    )
    kinds = {s.text: s.kind for s in segment(next(read_documents(path)).text())}
    assert kinds["Minsk, 12 May 2009"] == "dateline"
    assert kinds["The Council reviewed the threat posed by drones to critical infrastructure facilities."] == "sentence"
    assert kinds["The participants agreed to strengthen border controls and to expand joint exercises."] == "sentence"
    assert [kind for kind in kinds.values()].count("table") == 1  # the data table inside stays a table


# ------------------------------------------- UTF-16 written without a byte-order mark
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [
    "Council meeting\r\nRiga, 4 May 2023\r\n\r\nThe council discussed drones near the border.\r\n",
    "Совещание в Минске\r\n12 мая 2023 года\r\n\r\nУчастники обсудили финансирование терроризма.\r\n",
])
def test_utf16_without_a_byte_order_mark_is_read_not_refused_as_binary(tmp_path, codec, text):
    # Exports of database and .NET tools write UTF-16 without a mark: the bulletin failed
    # as "looks like a binary file".
    data = text.encode(codec)
    path = tmp_path / "export.txt"
    path.write_bytes(data)
    assert detect_encoding_bytes(data) == codec
    assert detect_encoding(path) == codec
    assert next(read_documents(path)).text() == text
    assert next(read_documents(path, data)).text() == text


def test_a_binary_file_is_still_refused(tmp_path):
    from themes.errors import DocumentError

    for data in (bytes(range(256)) * 20, b"\x00\x01\x02\x03" * 1000, b"PK\x03\x04\x14\x00\x06\x00" + bytes(500)):
        with pytest.raises(DocumentError, match="binary"):
            detect_encoding_bytes(data)


# ------------------------------------------- a DOCX with text boxes
_TEXT_BOX_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _box(text: str) -> str:
    return f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"


def test_the_text_of_docx_text_boxes_is_read_once(tmp_path):
    # A press release with its dateline or a statement in a text box lost it without a
    # word; Word writes a text box twice (the shape, and a VML fallback): it is read once.
    text = _docx_text(
        tmp_path, "boxes.docx",
        f"<w:p {_TEXT_BOX_NS}><w:r><w:t>Opening remarks.</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>{_box('Minsk, 12 May 2023')}</wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{_box('Minsk, 12 May 2023')}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>",
        f"<w:p {_TEXT_BOX_NS}><w:r><w:pict><v:shape><v:textbox>{_box('Drones carried weapons across the border.')}"
        "</v:textbox></v:shape></w:pict></w:r></w:p>",
        first="Meeting of the Commission", last="The next meeting is in Astana.",
    )
    assert text == (
        "Meeting of the Commission\n\nOpening remarks.\n\nMinsk, 12 May 2023\n\n"
        "Drones carried weapons across the border.\n\nThe next meeting is in Astana."
    )


def test_a_table_nested_in_a_docx_table_cell_is_read(tmp_path):
    # python-docx gives a cell's text without the tables nested in it: their rows were lost.
    docx = pytest.importorskip("docx")

    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Detained by state"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Kazakhstan"
    inner.cell(0, 1).text = "14"
    path = tmp_path / "nested.docx"
    document.save(path)
    text = next(read_documents(path)).text()
    assert "Kazakhstan" in text and "14" in text


# ------------------------------------------- a PDF's running header and footer
def test_a_pdf_running_header_and_footer_are_not_glued_into_sentences(tmp_path):
    # A header and a footer repeated on every page were read into the sentences that run
    # over the page breaks: "RATS Executive Committee Bulletin No. 5 The participants agreed".
    from themes.segment import segment

    header, footer = (760, "RATS Executive Committee Bulletin No. 5"), (60, "For official use - page {}")
    path = write_pdf(tmp_path / "bulletin.pdf", [
        [header, (720, "Tashkent, 3 March 2023"), (690, "The committee discussed the use of drones by"),
         (675, "terrorist groups. The participants agreed to hold"), (60, "For official use - page 1")],
        [header, (720, "joint exercises in the autumn. The meeting noted the"), (60, "For official use - page 2")],
        [header, (720, "financing of cells through charities."), (60, "For official use - page 3")],
    ])
    doc = next(read_documents(path))
    texts = [s.text for s in segment(doc.text(), unwrap=doc.wrapped)]
    assert texts == [
        "RATS Executive Committee Bulletin No. 5", "Tashkent, 3 March 2023",
        "The committee discussed the use of drones by terrorist groups.",
        "The participants agreed to hold joint exercises in the autumn.",
        "The meeting noted the financing of cells through charities.",
    ]


def test_a_pdf_page_that_opens_as_the_one_before_keeps_a_long_line():
    from themes.readers.pdf import _furniture

    assert _furniture("RATS Bulletin No. 5", "RATS Bulletin No. 6")
    assert not _furniture("The participants discussed " * 6, "The participants discussed " * 6)


# ------------------------------------------- file names with control characters
@pytest.mark.skipif(os.name == "nt", reason="Windows file names hold no control characters")
def test_a_file_name_with_a_line_break_or_a_terminal_escape_is_shown_on_one_line(tmp_path, capsys):
    # "failed: ./bad<newline>name.txt: the file is empty" took two lines, and a name holding
    # a terminal escape ("\x1b[31m") turned the rest of the terminal red.
    from themes.cli import main

    archive = tmp_path / "in"
    archive.mkdir()
    (archive / "bad\nname.txt").write_bytes(b"")
    (archive / "esc\x1b[31m.txt").write_text("Drones were discussed.", encoding="utf-8")  # undated
    (archive / "old\x07.doc").write_bytes(b"x")  # of another type
    assert main(["score", str(archive), "--out", str(tmp_path / "s.jsonl"), "--quiet"]) == 1
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not any(ch in stream.replace("\n", "") for ch in "\x1b\x07")
        assert all(line.startswith(("themes:", "scored ")) for line in stream.splitlines())
    assert "bad\\nname.txt: the file is empty" in captured.err
    assert "esc\\x1b[31m.txt" in captured.err and "old\\x07.doc" in captured.err


# ------------------------------------------- a web page saved as UTF-8 under a stale charset
def test_a_utf8_page_whose_meta_declares_windows_1251_is_read_as_utf8(tmp_path):
    # A page saved from a browser is written in UTF-8 but keeps its <meta charset=windows-1251>:
    # every Russian word came out as "РЎРѕРІРµ...", scored as text, without a word.
    pytest.importorskip("trafilatura")
    page = (
        '<html><head><meta charset="windows-1251"></head><body><article><h1>Совещание в Минске</h1>'
        "<p>Минск, 12 мая 2023 года</p><p>Участники обсудили угрозы применения беспилотников.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "saved.html"
    path.write_bytes(page.encode("utf-8"))
    doc = next(read_documents(path))
    assert doc.encoding == "utf-8" and "Совещание в Минске" in doc.text()
    path.write_bytes(page.encode("windows-1251"))  # the declaration, when right, is still read
    doc = next(read_documents(path))
    assert doc.encoding == "windows-1251" and "Совещание в Минске" in doc.text()


# ------------------------------------------- dates in file names
@pytest.mark.parametrize("name, date", [
    ("2023.03.14 bulletin.txt", "2023-03-14"),
    ("bulletin-14-03-2023.pdf", "2023-03-14"),
    ("14_03_2023.docx", "2023-03-14"),
    ("archive/2023.3.4.md", "2023-03-04"),
    ("report 2023-02-30.txt", None),  # no calendar date
    ("notes-12-2023.txt", None),
])
def test_a_date_in_a_file_name_with_dots_or_day_first_dashes_dates_the_bulletin(name, date):
    # "2023.03.14 bulletin.txt" and "bulletin-14-03-2023.pdf" gave no date (the bulletin was
    # undated unless its dateline said), while "14.03.2023" and "2023-03-14" did.
    from themes.archive.summary import date_from_filename

    assert date_from_filename(name) == date


# ------------------------------------------- a file whose name says another format
@pytest.mark.parametrize("name, content, says", [
    ("pdf.txt", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "a PDF file; rename it .pdf"),
    ("rtf.txt", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 Minsk, 1 May 2023\\par Drones.\\par}",
     "an RTF document"),
    ("page.md", b"\n<!DOCTYPE html><html><body><nav>Home</nav><p>Drones were discussed.</p></body></html>",
     "an HTML page; rename it .html"),
])
def test_a_text_file_that_holds_another_format_is_refused_with_what_it_is(tmp_path, name, content, says):
    # A PDF, an RTF document or a web page saved under a .txt name was read as text: the
    # PDF's objects and the RTF's control words were scored as statements, without a word.
    from themes.errors import DocumentError

    path = tmp_path / name
    path.write_bytes(content)
    for data in (content, None):
        with pytest.raises(DocumentError, match=f"^{path}: .*{says}"):
            next(read_documents(path, data))


def test_an_old_word_file_named_docx_says_so(tmp_path):
    from themes.errors import DocumentError

    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300))
    with pytest.raises(DocumentError, match="an old Word .doc file"):
        next(read_documents(path))


# ------------------------------------------- a web page saved from Word
def test_the_list_of_a_page_saved_from_word_is_a_list(tmp_path):
    # Word's "Save as Web Page" writes a bulleted list as paragraphs opening with the
    # bullet glyph and no-break spaces ("·\xa0\xa0\xa0 item"): each item was a sentence of
    # its own with the glyph in its text, and the lead-in gave it no context.
    pytest.importorskip("trafilatura")
    from themes.segment import segment

    item = "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>{}<span>&nbsp;&nbsp;&nbsp; </span></span><![endif]>{}<o:p></o:p></p>"
    path = tmp_path / "word.htm"
    path.write_text(
        "<html><head><meta name=Generator content='Microsoft Word 15'></head><body><div class=WordSection1>"
        "<p class=MsoNormal>Council of Heads<o:p></o:p></p><p class=MsoNormal>Bishkek, 15 March 2023<o:p></o:p></p>"
        "<p class=MsoNormal>The participants agreed:<o:p></o:p></p>"
        + item.format("·", "to hold joint exercises of border services;")
        + item.format("§", "to protect energy facilities.")
        + "<p class=MsoNormal>The next meeting will be held in Astana.<o:p></o:p></p></div></body></html>",
        encoding="utf-8",
    )
    segments = {s.text: s for s in segment(next(read_documents(path)).text())}
    for text in ("to hold joint exercises of border services;", "to protect energy facilities."):
        assert segments[text].kind == "bullet" and segments[text].context == "The participants agreed:"
    assert segments["The next meeting will be held in Astana."].kind == "sentence"


# ------------------------------------------- a text file with form feeds (pdftotext)
@pytest.mark.parametrize("small", [True, False])
def test_a_form_feed_between_pages_of_a_text_file_does_not_cut_a_sentence(tmp_path, small):
    # pdftotext writes a form feed between pages: a sentence running over the page break
    # was cut in two ("... facilities in the" / "region."), as a PDF's own pages are not.
    from themes.segment import segment

    text = (
        "Council of Heads\nMinsk, 3 May 2023\n\nThe council discussed the protection of energy facilities in the\n"
        "\fregion. The participants agreed to hold joint exercises.\n\f"
    )
    if not small:
        text += "The experts discussed online propaganda of terrorist groups.\n" * 200
    path = tmp_path / "pdftotext.txt"
    path.write_text(text, encoding="utf-8")
    doc = next(read_documents(path, path.read_bytes() if small else None))
    read = doc.text()
    assert len(read) == len(text)  # offsets still index the file's text
    texts = [" ".join(s.text.split()) for s in segment(read, unwrap=doc.wrapped)]
    assert "The council discussed the protection of energy facilities in the region." in texts
