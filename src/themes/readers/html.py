"""HTML: the main text of a page (no scripts, styles, menus or footers), via trafilatura.

The page is decoded first (valid UTF-8 is UTF-8 whatever it declares, as a page saved from
a browser is; else a ``<meta charset>`` that works wins, else the detection of
:mod:`themes.readers.text`), then trafilatura finds the main content. Its paragraphs are
separated by blank lines, its list items kept as ``- item`` lines and the rows of a table
as adjacent lines (one block, as a DOCX table is), so segmentation sees the same shape a
reader sees.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from themes.errors import DocumentError, missing_extra
from themes.readers.text import cyrillic_misread, detect_encoding_bytes, encoding_name

__all__ = ["html_to_text", "read_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^- ")
# A list item of a page saved from Word ("Save as Web Page"): no list markup, but a paragraph
# opening with the bullet glyph (Symbol "·", Wingdings "§" for "▪", "o" ...) padded with
# no-break spaces. Read as "- item", it is a list item as trafilatura writes one.
_WORD_BULLET = re.compile("^[\u00b7\u2022\u25aa\u00a7o\u2013\u2014-][ \u00a0]*\u00a0[ \u00a0]*(?=\\S)")
# A table row as trafilatura writes it: every cell ends with " | " ("| Kazakhstan | 14 |" in
# 2.x, "Kazakhstan | 14 |" in 1.x), and the rule under a header row ("|---|---|", "---|---|").
_TABLE_ROW = re.compile(r"^(?:\|.*\||.+ \| .+ \||[-:|]*-{3}[-:|]*\|)$")
# A line break written in the page (<br>, <br/>, <br />). trafilatura writes it as it writes
# the end of a paragraph, a new line, and the blank lines put between paragraphs then cut a
# sentence broken by <br> in two, and took a list item's second line out of its list. It
# is marked before extraction with a character pages do not write ("␞", which trafilatura
# keeps, unlike a private-use or control character) and read
# back as a line break inside its block: a line apart, as a newline in a text file is, so
# that bullets written "- one;<br>- two" are two statements, in the block they belong to.
_BR = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_BR_MARK = "\u241e"


def _decode(data: bytes, path) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.isascii() and b"\x00" not in data:
        # A page saved from a browser is written in UTF-8 but keeps the charset it was
        # served with: read in that single-byte page, every Russian word was garbled.
        # Text in a single-byte code page is almost never valid UTF-8 by accident.
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if declared:
        name = declared.group(1).decode("ascii", errors="ignore")
        try:
            text = data.decode(codecs.lookup(name).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detect instead
        else:
            # A page saved by one CMS and served by another keeps the charset of the first: a
            # windows-1251 page declared KOI8-R or ISO-8859-1 decodes without error and every
            # Russian word came out garbled ("епебюм" for "ЕРЕВАН").
            better = cyrillic_misread(data, text, name)
            if better is not None:
                return data.decode(codecs.lookup(better).name, errors="replace"), better
            return text, encoding_name(name)
    try:
        encoding = detect_encoding_bytes(data)
    except DocumentError as exc:
        raise DocumentError(f"{path}: {exc}") from None
    return data.decode(codecs.lookup(encoding).name, errors="replace"), encoding


def _reshape(text: str) -> str:
    """Blank lines between paragraphs; consecutive list items, and consecutive rows of a
    table, stay on adjacent lines; the items of a nested list keep their indentation.

    A table is one block, so the segmenter reads it as one ``table`` segment; its rows
    apart, a row of two cells ("Kazakhstan | 14 |") would be read as a heading.

    Examples
    --------
    >>> print(_reshape("Detained by state:\\nState | Detained | \\n---|---|\\nKazakhstan | 14 | \\nThey agreed."))
    Detained by state:
    <BLANKLINE>
    State | Detained |
    ---|---|
    Kazakhstan | 14 |
    <BLANKLINE>
    They agreed.
    """
    raw = [line for line in text.splitlines() if line.strip(" \t" + _BR_MARK)]
    lines = [_WORD_BULLET.sub("- ", line.strip()) for line in raw]
    out: list[str] = []
    for i, line in enumerate(lines):
        indent = ""
        if i:
            previous = lines[i - 1]
            both_items = _LIST_ITEM.match(line) and _LIST_ITEM.match(previous)
            both_rows = _TABLE_ROW.match(line) and _TABLE_ROW.match(previous)
            out.append("\n" if both_items or both_rows else "\n\n")
            if both_items:
                # trafilatura indents the items of a list nested in an item ("- The
                # participants agreed:" / "  - to strengthen ..."); stripped, they were items
                # of the outer list and lost the lead-in the segmenter reads from the nesting.
                indent = raw[i][: len(raw[i]) - len(raw[i].lstrip(" "))]
        piece = _line_breaks(line)
        out.append(indent + piece.replace("\n", "\n" + indent) if indent else piece)
    return "".join(out)


def _line_breaks(line: str) -> str:
    """A line of trafilatura's text with its <br> marks as line breaks: one mark a new line,
    two or more in a row (an empty line between) a blank line; in a table row, a space.

    Examples
    --------
    >>> _line_breaks(f"The participants:{_BR_MARK}- discussed drones;{_BR_MARK} - agreed.{_BR_MARK}")
    'The participants:\\n- discussed drones;\\n- agreed.'
    >>> _line_breaks(f"One.{_BR_MARK}{_BR_MARK}Two.")
    'One.\\n\\nTwo.'
    >>> _line_breaks(f"- Drones were discussed.{_BR_MARK}Financing too.")
    '- Drones were discussed.\\n  Financing too.'
    >>> _line_breaks(f"- The participants:{_BR_MARK}- agreed on A;{_BR_MARK}- noted B")
    '- The participants:\\n  - agreed on A;\\n  - noted B'
    """
    if _BR_MARK not in line:
        return line
    if _TABLE_ROW.match(line.replace(_BR_MARK, " ")):
        return re.sub(r"(?<=\S) {2,}", " ", line.replace(_BR_MARK, " ")).strip()
    pieces = [piece.strip() for piece in line.split(_BR_MARK)]
    while pieces and not pieces[0]:
        pieces.pop(0)
    while pieces and not pieces[-1]:
        pieces.pop()
    if pieces and _LIST_ITEM.match(pieces[0]):
        # The lines of a list item after its first are inside the item, indented as a text
        # file indents them: a line goes on with the item, and items of their own are a list
        # nested in it, whose lead-in the item is when it ends as one ("- The participants:"
        # / "  - agreed on A;").
        pieces[1:] = ["  " + piece if piece else piece for piece in pieces[1:]]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(pieces))


# What a cell of a layout table holds and a cell of a data table does not.
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = ("p", "div", "ul", "ol", "blockquote", "pre", "table", *_HEADINGS)
_TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)


def _cells(table) -> list:
    """The cells of ``table`` itself (not of a table nested in one of them)."""
    return table.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th")


def _is_layout(table) -> bool:
    """True for a table that lays out a page rather than holds data: one cell alone, or a
    cell that holds a heading, a table, or two paragraphs or more of text."""
    cells = _cells(table)
    if len(cells) == 1:
        return True
    for cell in cells:
        if cell.xpath(".//table | " + " | ".join(f".//{h}" for h in _HEADINGS)):
            return True
        if sum(1 for child in cell if child.tag in _BLOCKS and child.text_content().strip()) >= 2:
            return True
    return False


def _without_layout_tables(html: str):
    """The page as an lxml tree with its layout tables made plain blocks, or ``html`` itself
    when it has none (then parsed by trafilatura as before).

    Older sites put the whole page in a table (the menu in one cell, the bulletin in
    another). Read as a table, the bulletin was one ``table`` segment: its dateline unread,
    its statements glued, and none of them counted by trends, which leave tables out. A
    data table inside the layout stays a table.
    """
    if not _TABLE_TAG.search(html):
        return html  # most pages: parsed once, by trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    layout = [table for table in tree.iter("table") if _is_layout(table)]  # decided before any changes
    if not layout:
        return html
    for table in layout:
        parts = [table, *table.xpath("./thead | ./tbody | ./tfoot | ./tr | ./*/tr"), *_cells(table)]
        for element in parts:
            element.tag = "div"
    return tree


_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
#: A navigation link's text is a word or a few ("Home", "About us", "Press releases").
_MENU_WORDS = 4


def _navigation_only(text: str, html: str) -> list[str]:
    """The lines of ``text`` when every one is the text of a link of a few words (a menu:
    "Home", "News", "About us"), else an empty list.

    Examples
    --------
    >>> _navigation_only("Home\\n\\n- News", '<a href="/">Home</a> <a href="/n"><b>News</b></a>')
    ['Home', 'News']
    >>> _navigation_only("Home\\n\\nThe council met.", '<a href="/">Home</a>')
    []
    """
    import html as html_module

    lines = [line.strip(" \t" + _BR_MARK).removeprefix("- ").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or len(lines) > 50 or any(len(line.split()) > _MENU_WORDS for line in lines):
        return []
    links = {
        " ".join(html_module.unescape(_TAG.sub(" ", found.group(1))).split()).casefold()
        for found in _ANCHOR.finditer(html)
    }
    if all(" ".join(line.split()).casefold() in links for line in lines):
        return lines
    return []


def html_to_text(html: str, source: str = "<html>") -> tuple[str, str | None, str | None]:
    """``(main text, title, date)`` of an HTML page.

    Raises
    ------
    DocumentError
        No main text could be found.
    MissingDependencyError
        trafilatura is not installed.
    """
    try:
        import trafilatura
    except ImportError:
        raise missing_extra("trafilatura", "html", "reading .html files") from None
    text = trafilatura.extract(
        _without_layout_tables(_BR.sub(_BR_MARK, html)),
        include_comments=False, include_tables=True, favor_recall=True, output_format="txt",
    )
    if not text or not text.strip(" \t\r\n" + _BR_MARK):
        raise DocumentError(f"{source}: no main text found in the page")
    menu = _navigation_only(text, html)
    if menu:
        # A page of menu links ("Home", "News" ...) gave a bulletin of titles and headings
        # and no statement, counted as scored: it is reported as a page without main text.
        shown = ", ".join(menu[:4]) + (", ..." if len(menu) > 4 else "")
        raise DocumentError(
            f"{source}: no main text found in the page: it holds only navigation links ({shown}); there is nothing to score"
        )
    title = date = None
    try:
        # extensive=False: a date the page declares (meta tags, <time>, structured data), not
        # htmldate's guess from the free text, which turns a year met anywhere ("«Кобальт-2025»",
        # "© 2025") into 1 January of that year and so dated undated pages, and gave a yearless
        # dateline a year no date in the page stated
        metadata = trafilatura.extract_metadata(html, extensive=False)
    except Exception:  # metadata is a bonus; a page whose metadata breaks the parser still has text
        metadata = None
    if metadata is not None:
        title, date = metadata.title, metadata.date
    return _reshape(text), title, date


def read_html(path: Path):
    """A :class:`~themes.readers.Document` for an .html file."""
    from themes import readers
    from themes.dates import parse_date
    from themes.readers import Document

    limit = readers.MAX_HTML_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise DocumentError(
                f"{path}: {size:,} bytes of HTML; a page is parsed whole and the limit is {limit:,} bytes "
                "(themes.readers.MAX_HTML_BYTES); save the page's main text as .txt instead"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    html, encoding = _decode(data, path)
    text, title, date = html_to_text(html, str(path))
    return Document(
        bulletin=str(path),
        format="html",
        chunks=lambda: [text],
        encoding=encoding,
        date=parse_date(date) if date else None,
        title=title,
    )
