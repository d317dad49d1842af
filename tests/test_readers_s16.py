"""Session 16, readers: one table of file signatures, and Russian told from Greek and from
itself in its other code pages, word by word."""

from __future__ import annotations

import re
import sys

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


# ------------------------------------------------ legacy code pages: short Russian, Greek
from themes.readers.text import decode_bytes, detect_encoding_bytes  # noqa: E402

# Words read in the wrong code page before (windows-1251 taken for KOI8-R, or the
# reverse): written in small letters, either reads as a word, the other as capitals, and
# the frequency of each letter alone did not tell which is Russian.
SMALL_LETTER_WORDS = [("более", "cp1251"), ("будет", "cp1251"), ("борьбы", "mac-cyrillic"),
                      ("бюджет", "koi8-r"), ("беженцев", "koi8-r"), ("бесед", "koi8-r"),
                      ("будет принято", "koi8-r"), ("более того", "cp1251")]


@pytest.mark.parametrize("text, codec", SMALL_LETTER_WORDS, ids=[f"{t}-{c}" for t, c in SMALL_LETTER_WORDS])
def test_a_russian_word_in_small_letters_is_read_in_its_own_code_page(text, codec):
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text, f"read as {encoding}"


def test_every_word_of_a_russian_sentence_is_read_back_in_each_code_page():
    # Measured on the held-out releases (/tmp/s16/enc/measure.py): 92-94% of single
    # words before, 99.2-99.6% after. Here: every Russian word of the README's example.
    words = sorted(set(re.findall("[а-яё]{2,}", "участники заседания отметили рост числа атак беспилотников "
                                  "на объекты топливно-энергетического комплекса и обменялись информацией "
                                  "о деятельности международных террористических организаций")))
    for codec in ("cp1251", "koi8-r", "cp866", "mac-cyrillic"):
        wrong = [word for word in words if decode_bytes(word.encode(codec))[0] != word]
        assert not wrong, f"{codec}: {wrong}"


GREEK = ("Η συνεδρίαση του συμβουλίου ασφαλείας πραγματοποιήθηκε στην Αθήνα την Τρίτη. "
         "Οι συμμετέχοντες συζήτησαν την απειλή της τρομοκρατίας και τη χρηματοδότησή της.")


@pytest.mark.parametrize("extra", ["with charset-normalizer", "without charset-normalizer"])
def test_greek_in_windows_1253_is_not_read_as_russian(monkeypatch, extra):
    # Greek letters sit at the bytes of Cyrillic ones: the text was read as KOI8-R (or, past
    # charset-normalizer's right guess, as windows-1251, which held more Cyrillic letters).
    if extra.startswith("with "):
        pytest.importorskip("charset_normalizer")
    else:
        monkeypatch.setitem(sys.modules, "charset_normalizer", None)  # the import fails
    for text in (GREEK, GREEK.split(". ")[0]):
        assert detect_encoding_bytes(text.encode("cp1253")) == "windows-1253"


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r", "cp866", "mac-cyrillic"])
def test_russian_is_still_not_taken_for_greek(monkeypatch, codec):
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)
    text = "Совещание в Минске. Стороны обсудили угрозы терроризма и его финансирование."
    assert decode_bytes(text.encode(codec))[0] == text


@pytest.mark.parametrize("codec", ["cp1251", "koi8-u", "cp1125"])
def test_ukrainian_is_read_in_koi8_u_too(codec):
    text = "Засідання Ради керівників органів безпеки відбулося у Києві. Учасники обговорили загрози тероризму."
    assert decode_bytes(text.encode(codec)) == (text, codec if codec != "cp1251" else "windows-1251")
