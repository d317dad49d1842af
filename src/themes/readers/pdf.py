"""PDF: the text layer, page by page, via pypdf.

Pages are read one at a time (a large PDF is not held whole) and joined with a line
break, so a sentence that runs over a page break stays one sentence; a page number on the
first or last line of a page ("3", "- 3 -", "Page 3 of 7", "Стр. 3") is page furniture, not
text of the bulletin, and is left out (else it would sit inside that sentence); so is a running
header or footer, a first or last line repeated on consecutive pages (digits aside), but for
the first page's header, often the bulletin's title. Bullet glyphs that
PDF fonts often map to odd characters (U+007F, U+F0B7 ...) become "•", and a glyph left
alone on its line is joined to the item it marks. A PDF without a text layer (a scan)
is refused: run OCR first.

The text keeps the page's line breaks, so that offsets into it stay exact; the document
is marked ``wrapped``, and a statement's text is read as one line (line breaks inside a
paragraph as spaces, "coun-\\ntering" as "countering": :func:`themes.segment.unwrap_lines`).
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from themes.errors import DocumentError, missing_extra

__all__ = ["clean_page_text", "read_pdf", "without_page_numbers"]

_GLYPHS = str.maketrans({"\x7f": "\u2022", "\uf0b7": "\u2022", "\uf0a7": "\u25aa", "\uf0d8": "\u2022", "\uf076": "\u2022"})
_PAGE_NUMBER = re.compile(
    r"[ \t]*(?:[-\u2013\u2014][ \t]*\d{1,4}[ \t]*[-\u2013\u2014]"
    r"|(?:(?:page|p\.|стр\.?|страница|с\.)[ \t]*)?\d{1,4}(?:[ \t]*(?:of|/|из)[ \t]*\d{1,4})?)[ \t]*",
    re.IGNORECASE,
)
_LONE_BULLET = re.compile(r"^[ \t]*([\u2022\u25aa\u25cf\u25e6\u00b7*\u2013\u2014-])[ \t]*\n(?=[ \t]*\S)", re.MULTILINE)


def clean_page_text(text: str) -> str:
    """Normalise bullet glyphs of extracted PDF text.

    Examples
    --------
    >>> clean_page_text("Agenda:\\n\\x7f\\nfirst item;\\n\\x7f\\nsecond item.")
    'Agenda:\\n• first item;\\n• second item.'
    """
    return _LONE_BULLET.sub(r"\1 ", text.translate(_GLYPHS))


def without_page_numbers(text: str) -> str:
    """A page's text without a page number on its first or last non-blank line (and without
    the blank lines around it).

    Examples
    --------
    >>> without_page_numbers("- 2 -\\nThe parties met.\\nPage 2 of 5")
    'The parties met.'
    >>> without_page_numbers("2025\\n1. The parties met.")  # a year is no page number
    '2025\\n1. The parties met.'
    """
    lines = text.split("\n")
    edges = [i for i, line in enumerate(lines) if line.strip()]
    for i in {edges[0], edges[-1]} if edges else ():
        if _PAGE_NUMBER.fullmatch(lines[i]) and not re.fullmatch(r"[ \t]*\d{4}[ \t]*", lines[i]):
            lines[i] = ""
    return "\n".join(lines).strip("\n")


def _quiet_pypdf() -> None:
    # pypdf logs every oddity of a damaged file as a warning; without a handler of its own
    # Python prints them on stderr. A NullHandler stops that, and the records still
    # propagate to whatever logging the application configured.
    logger = logging.getLogger("pypdf")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _open(path: Path):
    _quiet_pypdf()
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise missing_extra("pypdf", "pdf", "reading .pdf files") from None
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(f"{path}: the PDF is encrypted with a password")
            except (NotImplementedError, PyPdfError) as exc:
                raise DocumentError(f"{path}: the PDF is encrypted ({exc})") from None
        _ = len(reader.pages)
    except DocumentError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    return reader


def _metadata(reader) -> tuple[str | None, str | None]:
    from themes.readers import metadata_title

    try:
        info = reader.metadata
        if info is None:
            return None, None
        title = metadata_title(info.title)
        created = info.creation_date
    except Exception:  # broken metadata must not cost the text
        return None, None
    date = created.date().isoformat() if isinstance(created, _dt.datetime) else None
    return title, date


# A line at a page's edge longer than this is text of the bulletin, never a running header.
_MAX_FURNITURE_CHARS = 120


def _furniture(line: str, other: str) -> bool:
    """True when ``line`` and ``other``, at the same edge of two consecutive pages, are one
    running header or footer (their digits, a page or issue number, aside).

    Examples
    --------
    >>> _furniture("Bulletin No. 5 - page 2", "Bulletin No. 5 - page 3"), _furniture("Agreed.", "Noted.")
    (True, False)
    """
    line, other = line.strip(), other.strip()
    return 0 < len(line) <= _MAX_FURNITURE_CHARS and re.sub(r"\d+", "#", line) == re.sub(r"\d+", "#", other)


def _edges(lines: list[str]) -> tuple[int, int] | None:
    """Indexes of the first and last non-blank lines."""
    full = [i for i, line in enumerate(lines) if line.strip()]
    return (full[0], full[-1]) if full else None


def _pages(path: Path) -> Iterator[str]:
    """The pages' text, without their running headers and footers (:func:`_page_lines`),
    each after a line break but the first."""
    found = False
    for lines in _page_lines(path):
        piece = "\n".join(lines).strip("\n")
        if piece.strip():
            yield ("\n" if found else "") + piece
            found = True
    if not found:
        raise DocumentError(f"{path}: no text layer (a scanned PDF?); run OCR on it first")


def _page_lines(path: Path) -> Iterator[list[str]]:
    """The lines of each page with text, each page held until the next is read: a header or
    footer repeated on consecutive pages is running page furniture and is blanked, as page
    numbers are left out (else it sat inside the sentence that runs over the page break).
    The first page keeps its header, which is often the bulletin's title."""
    reader = _open(path)
    held: list[str] | None = None  # the lines of the page before
    held_edges: tuple[str, str] = ("", "")  # its first and last lines as read, furniture or not
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise DocumentError(f"{path}: page {number} cannot be read ({type(exc).__name__}: {exc})") from None
        text = without_page_numbers(clean_page_text(text))
        if not text.strip():
            continue
        lines = text.split("\n")
        now = _edges(lines)
        edges = (lines[now[0]], lines[now[1]])
        if held is not None:
            if now[1] != now[0] and _furniture(held_edges[1], edges[1]):
                last = _edges(held)
                if last is not None and _furniture(held[last[1]], edges[1]):
                    held[last[1]] = ""
                lines[now[1]] = ""
            if now[1] != now[0] and _furniture(held_edges[0], edges[0]):
                lines[now[0]] = ""
            yield held
        held, held_edges = lines, edges
    if held is not None:
        yield held


def read_pdf(path: Path):
    """A :class:`~themes.readers.Document` for a .pdf file; pages are read lazily."""
    from themes.readers import Document

    title, date = _metadata(_open(path))
    return Document(bulletin=str(path), format="pdf", chunks=lambda: _pages(path), date=date, title=title, wrapped=True)
