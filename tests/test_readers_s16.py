"""Session 16, readers: one table of file signatures, and Russian told from Greek and from
itself in its other code pages, word by word."""

from __future__ import annotations

import re

import pytest

from themes.errors import DocumentError
from themes.jsonlines import binary_kind
from themes.readers import read_documents
from themes.readers import formats


# ------------------------------------------------------- one table of file signatures
def test_binary_kind_reads_the_one_table_of_file_signatures(monkeypatch, tmp_path):
    # jsonlines.binary_kind kept a second table of signatures beside readers/formats.py: a
    # format added to the one table was named by the text readers and not by the JSON Lines
    # reader nor by trends.
    seven_zip = formats.FileFormat(re.compile("7z\xbc\xaf\x27\x1c"), "a 7-Zip archive")
    monkeypatch.setattr(formats, "FILE_FORMATS", (*formats.FILE_FORMATS, seven_zip))
    head = b"7z\xbc\xaf\x27\x1c\x00\x04"
    assert binary_kind(head) == "a 7-Zip archive"
    path = tmp_path / "bulletins.jsonl"
    path.write_bytes(head + bytes(40))
    with pytest.raises(DocumentError, match=re.escape(f"{path}: is a 7-Zip archive, not a JSON Lines file")):
        list(read_documents(path))


@pytest.mark.parametrize(
    "head, kind",
    [(b"%PDF-1.4\n", "a PDF document"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "an old Office document (DOC, XLS)"),
     (b"PK\x03\x04\x14\x00", "a ZIP archive (DOCX, XLSX, ODS...)"), (b"\x1f\x8b\x08\x00", "a gzip archive"),
     (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff\xe0", "a JPEG image"), (b"<!DOCTYPE html>", None),
     (b"{\\rtf1\\ansi", None), (b'{"id": "a"}', None)],
    ids=["pdf", "old-office", "zip", "gzip", "gif", "jpeg", "html-is-text", "rtf-is-text", "json"],
)
def test_binary_kind_names_what_it_named_before(head, kind):
    assert binary_kind(head) == kind
