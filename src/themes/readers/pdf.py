"""PDF: the text layer, page by page, via pypdf.

Pages are read one at a time (a large PDF is not held whole) and joined with a line
break, so a sentence that runs over a page break stays one sentence. Bullet glyphs that
PDF fonts often map to odd characters (U+007F, U+F0B7 ...) become "•", and a glyph left
alone on its line is joined to the item it marks. A PDF without a text layer (a scan)
is refused: run OCR first.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from themes.errors import DocumentError, missing_extra

__all__ = ["clean_page_text", "read_pdf"]

_GLYPHS = str.maketrans({"\x7f": "\u2022", "\uf0b7": "\u2022", "\uf0a7": "\u25aa", "\uf0d8": "\u2022", "\uf076": "\u2022"})
_LONE_BULLET = re.compile(r"^[ \t]*([\u2022\u25aa\u25cf\u25e6\u00b7*\u2013\u2014-])[ \t]*\n(?=[ \t]*\S)", re.MULTILINE)


def clean_page_text(text: str) -> str:
    """Normalise bullet glyphs of extracted PDF text.

    Examples
    --------
    >>> clean_page_text("Agenda:\\n\\x7f\\nfirst item;\\n\\x7f\\nsecond item.")
    'Agenda:\\n• first item;\\n• second item.'
    """
    return _LONE_BULLET.sub(r"\1 ", text.translate(_GLYPHS))


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
    try:
        info = reader.metadata
        if info is None:
            return None, None
        title = info.title or None
        created = info.creation_date
    except Exception:  # broken metadata must not cost the text
        return None, None
    date = created.date().isoformat() if isinstance(created, _dt.datetime) else None
    return title, date


def _pages(path: Path) -> Iterator[str]:
    reader = _open(path)
    found = False
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise DocumentError(f"{path}: page {number} cannot be read ({type(exc).__name__}: {exc})") from None
        text = clean_page_text(text).strip("\n")
        if text.strip():
            yield ("\n" if found else "") + text
            found = True
    if not found:
        raise DocumentError(f"{path}: no text layer (a scanned PDF?); run OCR on it first")


def read_pdf(path: Path):
    """A :class:`~themes.readers.Document` for a .pdf file; pages are read lazily."""
    from themes.readers import Document

    title, date = _metadata(_open(path))
    return Document(bulletin=str(path), format="pdf", chunks=lambda: _pages(path), date=date, title=title)
