"""What a file is when it opens as another format than its name says.

A PDF, an RTF document, a web page or an old Word file saved under a ``.txt``, ``.md`` or
``.docx`` name is refused with what it is and what to do, in the same words whichever reader
opened it (:mod:`themes.readers.text`, :mod:`themes.readers.docx`): one table,
:data:`OTHER_FORMATS`, which this module, upstream of both, imports nothing to hold.

Examples
--------
>>> opens_as(b"%PDF-1.7\\n1 0 obj")
'a PDF file; rename it .pdf to read its text layer'
>>> opens_as("\\n<!DOCTYPE html><html>")
'an HTML page; rename it .html to read its main text without its menus and scripts'
>>> opens_as("Minsk, 1 June 2024") is None
True
"""

from __future__ import annotations

import codecs
import re

__all__ = ["HEAD_CHARS", "OTHER_FORMATS", "opens_as"]

#: ``(signature, what the file is and what to do)``, the signature matched at the start of
#: the file past a byte-order mark and white space; bytes are read one character a byte (latin-1).
OTHER_FORMATS = (
    (re.compile(r"%PDF-"), "a PDF file; rename it .pdf to read its text layer"),
    (re.compile(r"\{\\rtf"), "an RTF document; save it as .docx or plain text (themes does not read RTF)"),
    (re.compile(r"<!doctype html|<html[\s>]", re.IGNORECASE),
     "an HTML page; rename it .html to read its main text without its menus and scripts"),
    (re.compile("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # the compound file of Word 97-2003
     "an old Word .doc file (binary format); open it in Word and save it as .docx"),
)
#: The characters (or bytes) of a file's start looked at.
HEAD_CHARS = 64


def opens_as(head: str | bytes) -> str | None:
    """What a file that opens with ``head`` (its text, or its first bytes) is, when one of
    :data:`OTHER_FORMATS`: the entry's description; else None."""
    if isinstance(head, bytes):
        head = head[:HEAD_CHARS].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    start = head[:HEAD_CHARS].lstrip("\ufeff \t\r\n")
    for signature, what in OTHER_FORMATS:
        if signature.match(start):
            return what
    return None
