"""What a file is when it opens as another format than its name says.

One table, :data:`FILE_FORMATS`, of the formats a file may really be, known by its first
bytes. A PDF, an RTF document, a web page or an old Word file saved under a ``.txt``, ``.md``
or ``.docx`` name is refused with what it is and what to do, in the same words whichever
reader opened it (:mod:`themes.readers.text`, :mod:`themes.readers.docx`): :func:`opens_as`.
A file given where text is read (JSON Lines, a scores file) that is no text at all, an image
or an archive, is named by :func:`themes.jsonlines.binary_kind` from the same table. This
module, upstream of all of them, imports nothing of theirs.

Examples
--------
>>> opens_as(b"%PDF-1.7\\n1 0 obj")
'a PDF file; rename it .pdf to read its text layer'
>>> opens_as("\\n<!DOCTYPE html><html>")
'an HTML page; rename it .html to read its main text without its menus and scripts'
>>> opens_as("Minsk, 1 June 2024") is None
True
>>> binary_format(b"\\x89PNG\\r\\n\\x1a\\n").kind, binary_format(b"<html>") is None
('a PNG image', True)
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["FILE_FORMATS", "HEAD_CHARS", "OTHER_FORMATS", "FileFormat", "binary_format", "opens_as"]


@dataclass(frozen=True)
class FileFormat:
    """A format a file may be, known by its first bytes.

    Attributes
    ----------
    signature : re.Pattern
        Matched at the start of the file, its bytes read one character a byte (latin-1).
    kind : str
        What the file is, said of a file that is no text at all ("a PNG image"), or None
        for a text format (a web page, RTF), which a text reader reads on and fails on
        its own terms.
    under_text_name : str or None
        What it is and what to do, said of such a file saved under a .txt, .md or .docx
        name (:func:`opens_as`); None when the text readers do not name it (an image: "looks
        like a binary file" is their word).
    """

    signature: re.Pattern
    kind: str | None
    under_text_name: str | None = None


#: Every format known by its first bytes (the old Word file before the ZIP archive: a .docx
#: is a ZIP archive, the one format here it may rightly be).
FILE_FORMATS = (
    FileFormat(re.compile(r"%PDF-"), "a PDF document", "a PDF file; rename it .pdf to read its text layer"),
    FileFormat(re.compile(r"\{\\rtf"), None,
               "an RTF document; save it as .docx or plain text (themes does not read RTF)"),
    FileFormat(re.compile(r"<!doctype html|<html[\s>]", re.IGNORECASE), None,
               "an HTML page; rename it .html to read its main text without its menus and scripts"),
    FileFormat(re.compile("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # the compound file of Office 97-2003
               "an old Office document (DOC, XLS)",
               "an old Word .doc file (binary format); open it in Word and save it as .docx"),
    FileFormat(re.compile("\x89PNG"), "a PNG image"),
    FileFormat(re.compile("\xff\xd8\xff"), "a JPEG image"),
    FileFormat(re.compile("GIF8"), "a GIF image"),
    FileFormat(re.compile("PK\x03\x04"), "a ZIP archive (DOCX, XLSX, ODS...)"),
    FileFormat(re.compile("\x1f\x8b"), "a gzip archive"),
)
#: ``(signature, what the file is and what to do)`` of the formats :func:`opens_as` names:
#: the ones of :data:`FILE_FORMATS` with words for a file under a text name.
OTHER_FORMATS = tuple((entry.signature, entry.under_text_name) for entry in FILE_FORMATS if entry.under_text_name)
#: The characters (or bytes) of a file's start looked at.
HEAD_CHARS = 64


def opens_as(head: str | bytes) -> str | None:
    """What a file that opens with ``head`` (its text, or its first bytes), past a byte-order
    mark and white space, is, when one of :data:`OTHER_FORMATS`: the entry's description;
    else None."""
    if isinstance(head, bytes):
        head = head[:HEAD_CHARS].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    start = head[:HEAD_CHARS].lstrip("\ufeff \t\r\n")
    for signature, what in OTHER_FORMATS:
        if signature.match(start):
            return what
    return None


def binary_format(head: bytes) -> FileFormat | None:
    """The entry of :data:`FILE_FORMATS` that is no text format whose signature ``head`` (a
    file's first bytes) opens with, from its first byte; else None."""
    start = head[:HEAD_CHARS].decode("latin-1")
    for entry in FILE_FORMATS:
        if entry.kind is not None and entry.signature.match(start):
            return entry
    return None
