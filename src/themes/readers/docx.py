"""DOCX: paragraphs, list items and tables in document order, via python-docx.

A .docx file is a zip archive; before python-docx opens it, every member is checked
against :data:`MAX_MEMBER_BYTES` and :data:`MAX_TOTAL_BYTES` (declared sizes first, then
by actually inflating it in blocks, since headers can lie) and against
:data:`MAX_RATIO`, so a zip bomb is refused with its reason instead of filling memory.

Paragraphs are separated by blank lines; list paragraphs (a "List" style or numbering)
become ``• item`` lines, adjacent to each other; a table becomes one block of rows framed
and joined by " | " ("| Kazakhstan | 14 |"), which the segmenter reads as one table.

A manual line break inside a paragraph (shift-enter, ``<w:br/>``) is a line break of the
text, as python-docx gives it, so that offsets index that text and a line the break opens
is still read as a bullet, a title or a dateline ("Participants:<w:br/>- agreed ...").
A document with such breaks is marked ``wrapped``: a statement's text reads them as
spaces (:func:`themes.segment.unwrap_lines`), as a PDF's line breaks are read. (Turning
the breaks into spaces at read time would have joined those lines into one.) A page or
column break inside a paragraph (``<w:br w:type="page"/>``), which python-docx gives as
nothing at all ("end of" + "page next" -> "end ofpage next"), is read as a space, and a tab
(``<w:tab/>``) as the tab python-docx gives: the words on either side stay two words.
The text of content controls (``<w:sdt>``, which Word templates fill), of tracked
insertions, smart tags and simple fields, which python-docx skips, is read where it stands
(tracked deletions stay out, as Word shows them); a text box's paragraphs are read after the
paragraph it is anchored in, once.
"""

from __future__ import annotations

import re

import datetime

import zipfile
from pathlib import Path

from themes.errors import DocumentError, missing_extra
from themes.readers.formats import HEAD_CHARS, opens_as

__all__ = ["MAX_MEMBER_BYTES", "MAX_RATIO", "MAX_TOTAL_BYTES", "check_zip", "docx_to_text", "read_docx"]

#: No member of a .docx may inflate beyond this many bytes.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
#: Nor may all members together.
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: A member over 1 MiB may not inflate more than this many times its compressed size.
MAX_RATIO = 200
_MAX_MEMBERS = 10_000
_BLOCK = 1 << 20

#: The "created" stamp of the template python-docx starts every new document from: a file
#: written by python-docx without setting its own carries it, and it dates nothing.
_PYTHON_DOCX_TEMPLATE_CREATED = datetime.datetime(2013, 12, 23, 23, 15)


def check_zip(path: str | Path) -> None:
    """Refuse a zip archive whose members inflate beyond the limits.

    Raises
    ------
    DocumentError
        Not a zip archive, or a member (or the whole) inflates too far; the message
        names the member and the limit.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS:
                raise DocumentError(f"{path}: {len(members)} zip members (limit {_MAX_MEMBERS}); refused as a zip bomb")
            declared = 0
            for info in members:
                declared += info.file_size
                _check_member(path, info.filename, info.file_size, info.compress_size)
            if declared > MAX_TOTAL_BYTES:
                raise DocumentError(
                    f"{path}: members would inflate to {declared} bytes (limit {MAX_TOTAL_BYTES}); refused as a zip bomb"
                )
            total = 0
            for info in members:
                inflated = 0
                with archive.open(info) as member:
                    for block in iter(lambda: member.read(_BLOCK), b""):
                        inflated += len(block)
                        _check_member(path, info.filename, inflated, info.compress_size)
                total += inflated
                if total > MAX_TOTAL_BYTES:
                    raise DocumentError(
                        f"{path}: members inflate beyond {MAX_TOTAL_BYTES} bytes; refused as a zip bomb"
                    )
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise DocumentError(f"{path}: not a valid .docx (zip) file ({exc}){_what_it_is(path)}") from None


def _what_it_is(path) -> str:
    """"; it is ..." for a file named .docx that is no zip archive but, by its first bytes,
    an old Word file, a PDF ... (:func:`themes.readers.formats.opens_as`), else ""."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_CHARS)
    except OSError:
        return ""
    what = opens_as(head)
    return f"; it is {what}" if what is not None else ""


def _check_member(path, name: str, size: int, compressed: int) -> None:
    if size > MAX_MEMBER_BYTES:
        raise DocumentError(
            f"{path}: zip member {name!r} inflates beyond {MAX_MEMBER_BYTES} bytes; refused as a zip bomb"
        )
    if size > _BLOCK and size > MAX_RATIO * max(compressed, 1):
        raise DocumentError(
            f"{path}: zip member {name!r} inflates more than {MAX_RATIO} times its compressed size; "
            "refused as a zip bomb"
        )


def _is_list(paragraph, list_styles: dict) -> bool:
    """Whether a paragraph is a list item: a "List" style, or numbering of its own.

    ``list_styles`` caches, per document, whether each style id is a list style:
    ``paragraph.style`` searches the styles part on every call, which took half the
    time of scoring a folder of .docx bulletins.
    """
    style_id = paragraph._p.style  # the w:pStyle value; None for the default style
    if style_id not in list_styles:
        style = paragraph.style
        name = (style.name or "") if style is not None else ""
        # (whether a list style, its level: "List Number 2" is the second, see _list_level)
        found = re.search(r"\s([2-9])\Z", name)
        list_styles[style_id] = ("List" in name, int(found.group(1)) - 1 if found else 0)
    if list_styles[style_id][0]:
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def _list_level(paragraph, list_styles: dict) -> int:
    """The nesting level of a list item (after :func:`_is_list`), from 0: its numbering's
    ``w:ilvl``, or the number of its style ("List Number 2", "List Bullet 3"). Items of every
    level were written at the same indent, so an item ending in a colon was never the
    lead-in of those under it."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None and ppr.numPr.ilvl is not None:
        return max(0, min(8, ppr.numPr.ilvl.val))
    cached = list_styles[paragraph._p.style]
    return cached[1] if cached[0] else 0


# A page or column break, which python-docx 1.x reads as "" (only a text-wrapping break is "\n").
_LAYOUT_BREAKS = './/w:br[@w:type="page" or @w:type="column"]'


def _space_layout_breaks(document) -> None:
    """Put a space after each page or column break of ``document`` (the parsed copy only).

    python-docx gives such a break no text, so the words on either side ran together
    ("end of<w:br w:type="page"/>page next" read "end ofpage next"); a space after it keeps
    them apart wherever the break is (a paragraph, a table cell, a hyperlink), and is what
    python-docx itself reads then. A manual line break stays a line break (see the module's notes).
    """
    from docx.oxml.ns import qn

    body = getattr(document, "element", None)
    if body is None:
        return
    for br in body.xpath(_LAYOUT_BREAKS):
        space = br.makeelement(qn("w:t"), {})
        space.text = " "
        space.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        br.addnext(space)


# Elements that wrap text Word shows but python-docx reads none of: content controls, whose
# text is in their w:sdtContent; tracked insertions and moves (w:ins, w:moveTo; deletions,
# w:del and w:moveFrom, are left out as Word leaves them out); smart tags, simple fields and
# custom XML, which wrap runs (and custom XML paragraphs).
_WRAPPERS = ".//w:sdt | .//w:ins | .//w:moveTo | .//w:smartTag | .//w:fldSimple | .//w:customXml"


def _unwrap_hidden_text(document) -> None:
    """Put the content of each element of :data:`_WRAPPERS` of ``document`` in its place
    (the parsed copy only).

    Word templates hold their text in content controls (a block of paragraphs, a table
    cell, a word inside a sentence: "Held in [Minsk] on ..."); a bulletin saved with
    tracked changes holds its inserted words in ``w:ins``; an older Word tagged places and
    dates as smart tags. python-docx reads none of them, so those statements and words were
    lost without a word; unwrapped, they are read where they stand, as Word shows them.
    Nested wrappers are unwrapped in turn; their properties (``w:sdtPr`` ...) are dropped.
    """
    from docx.oxml.ns import qn

    body = getattr(document, "element", None)
    if body is None:
        return
    content_tag = qn("w:sdtContent")
    for wrapper in body.xpath(_WRAPPERS):  # document order: a wrapper before those inside it
        parent = wrapper.getparent()
        if parent is None:
            continue
        content = wrapper.find(content_tag) if wrapper.tag == qn("w:sdt") else wrapper
        index = parent.index(wrapper)
        for child in list(content) if content is not None else ():
            if isinstance(child.tag, str) and child.tag.endswith("Pr"):
                continue  # the wrapper's own properties (w:sdtPr, w:smartTagPr ...), not text
            parent.insert(index, child)  # moves the child out of the wrapper
            index += 1
        parent.remove(wrapper)


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _move_text_boxes(document) -> None:
    """Put the paragraphs and tables of each text box of ``document`` after the paragraph
    the box is anchored in (the parsed copy only).

    python-docx reads no text box, so a dateline or a statement a bulletin set in one was
    lost without a word. Word writes a text box twice, as a shape and as a VML fallback for
    older readers; the fallback's copy is left where it is, so the text is read once.
    """
    from docx.oxml.ns import qn

    body = getattr(document, "element", None)
    if body is None:
        return
    paragraph, table = qn("w:p"), qn("w:tbl")
    for box in body.xpath(".//w:txbxContent"):  # document order: a box before those inside it
        if any(ancestor.tag == _MC_FALLBACK for ancestor in box.iterancestors()):
            continue
        anchor = next(box.iterancestors(paragraph), None)
        if anchor is None:
            continue
        for child in list(box):
            if child.tag in (paragraph, table):
                anchor.addnext(child)  # moves it out of the box
                anchor = child


def _cell_text(cell) -> str:
    """The text of a table cell, the tables nested in it included (python-docx's
    ``cell.text`` leaves them out, and their rows were lost)."""
    if not cell._tc.xpath("./w:tbl"):
        return cell.text
    from docx.text.paragraph import Paragraph

    return "\n".join(Paragraph(p, cell).text for p in cell._tc.xpath(".//w:p"))


def docx_to_text(document) -> str:
    """The text of a python-docx ``Document``, shaped for segmentation."""
    return _text_and_breaks(document)[0]


def _text_and_breaks(document) -> tuple[str, bool]:
    """The text of a python-docx ``Document``, and whether a paragraph holds a manual line break."""
    from docx.table import Table

    _move_text_boxes(document)
    _unwrap_hidden_text(document)
    _space_layout_breaks(document)
    blocks: list[tuple[str, bool]] = []  # (text, is_list_item)
    list_styles: dict = {}
    breaks = False
    content = document.iter_inner_content() if hasattr(document, "iter_inner_content") else document.paragraphs
    for item in content:
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(_cell_text(cell).split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    rows.append("| " + " | ".join(cells) + " |")
            if rows:
                # One block of framed rows: the segmenter reads it as one table.
                blocks.append(("\n".join(rows), False))
            continue
        text = item.text.strip()
        if not text:
            continue
        breaks = breaks or "\n" in text  # python-docx gives <w:br/> and <w:cr/> as "\n"
        listed = _is_list(item, list_styles)
        indent = "  " * _list_level(item, list_styles) if listed else ""
        blocks.append((indent + "\u2022 " + text if listed else text, listed))
    out: list[str] = []
    for i, (text, listed) in enumerate(blocks):
        if i:
            out.append("\n" if listed and blocks[i - 1][1] else "\n\n")
        out.append(text)
    return "".join(out), breaks


def read_docx(path: Path):
    """A :class:`~themes.readers.Document` for a .docx file."""
    from themes.readers import MAX_PARSED_BYTES, Document, metadata_title

    try:
        import docx
    except ImportError:
        raise missing_extra("python-docx", "docx", "reading .docx files") from None
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if size > MAX_PARSED_BYTES:
        raise DocumentError(f"{path}: {size} bytes; DOCX is parsed whole and the limit is {MAX_PARSED_BYTES}")
    check_zip(path)
    try:
        document = docx.Document(str(path))
        text, breaks = _text_and_breaks(document)
        props = document.core_properties
        created, title = props.created, metadata_title(props.title)
        if created is not None and created.replace(tzinfo=None) == _PYTHON_DOCX_TEMPLATE_CREATED:
            created = None  # the stamp of python-docx's own template, not of this bulletin
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors ... on damaged files
        raise DocumentError(f"{path}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    return Document(
        bulletin=str(path),
        format="docx",
        chunks=lambda: [text],
        date=created.date().isoformat() if created is not None else None,
        title=title,
        wrapped=breaks,
    )
