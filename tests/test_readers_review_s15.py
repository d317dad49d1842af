"""Session 15 review of reading and duplicates: the Cyrillic code pages a text file is told
by (MacCyrillic, cp866), one table of the other formats a file may really be, and one rule
for a bulletin repeated (``themes score``'s ``duplicate_of`` and ``themes trends``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from themes.readers import read_documents
from themes.readers.text import detect_encoding_bytes

# A realistic bulletin paragraph: capitals, "я", "ё", a dash, quotes, an abbreviation.
PARAGRAPH = (
    "Заседание Совета министров обороны государств – участников СНГ состоялось 12 июня 2024 года "
    "в Москве. Участники обсудили вопросы военного сотрудничества, подготовки кадров и совместных "
    "учений «Боевое содружество». Было принято решение о создании объединённой системы "
    "противовоздушной обороны. Следующее заседание пройдёт в Минске.\n"
)
# The same without the characters KOI8-R and cp866 lack (the dash, the quotes).
PLAIN_PARAGRAPH = PARAGRAPH.replace(" – ", " - ").replace("«", '"').replace("»", '"')


def only(path):
    (doc,) = read_documents(path)
    return doc


@pytest.mark.parametrize("normalizer", ["with-charset-normalizer", "without"])
@pytest.mark.parametrize(
    "codec, paragraph, recorded",
    [
        ("windows-1251", PARAGRAPH, "windows-1251"),
        ("mac-cyrillic", PARAGRAPH, "mac-cyrillic"),
        ("koi8-r", PLAIN_PARAGRAPH, "koi8-r"),
        ("cp866", PLAIN_PARAGRAPH, "cp866"),
    ],
    ids=["windows-1251", "mac-cyrillic", "koi8-r", "cp866"],
)
def test_a_russian_paragraph_is_read_in_its_code_page(tmp_path, monkeypatch, codec, paragraph, recorded, normalizer):
    # MacCyrillic was read as KOI8-R ("┤ЮЯЕДЮМХЕ ▒НБЕРЮ"), cp866 recorded as cp1125.
    if normalizer == "without":
        monkeypatch.setitem(sys.modules, "charset_normalizer", None)
    path = tmp_path / "bulletin.txt"
    path.write_bytes(paragraph.encode(codec))
    doc = only(path)
    assert (doc.encoding, doc.text()) == (recorded, paragraph)


@pytest.mark.parametrize(
    "text",
    ["Совещание в Минске", "Бишкек", "Состоялось заседание.", "Заседание Совета – участников СНГ",
     "В ходе визита делегации возложили венок к мемориалу воинской славы.",
     "предотвращено 64 теракта, из них 12 — с применением беспилотников",
     "Утверждён перечень", "МИНСК, 3 марта (БелТА)."],
    ids=["capitals", "one-word", "ya-inside", "dash", "lone-capital-v", "lone-dash", "yo-inside", "dateline"],
)
def test_short_russian_samples_are_told_apart_from_windows_1251_in_mac_cyrillic(text):
    # MacCyrillic differs from windows-1251 in the capitals, "я", "ё" and "Ё": each of these
    # texts was read as windows-1251 or KOI8-R, some letters garbled ("Њинске", "‘овещание").
    assert detect_encoding_bytes(text.encode("mac-cyrillic")) == "mac-cyrillic"
    assert detect_encoding_bytes(text.encode("windows-1251")) == "windows-1251"


def test_what_mac_cyrillic_and_windows_1251_cannot_tell_apart_is_decided_as_documented():
    # Small letters without "я" or "ё" are the same bytes in both: nothing is garbled.
    same = "в городе прошли военные игры".encode("mac-cyrillic")
    assert same == "в городе прошли военные игры".encode("windows-1251")
    assert detect_encoding_bytes(same) == "windows-1251"
    # A "я" opening a word, no capital: windows-1251 reads "Язык" (the one garbled case, a few words).
    assert detect_encoding_bytes("язык документов".encode("mac-cyrillic")) == "windows-1251"
    # Capitals only: MacCyrillic and cp866 are the same bytes, recorded as cp866.
    capitals = "ВСТРЕЧА В МОСКВЕ".encode("mac-cyrillic")
    assert capitals == "ВСТРЕЧА В МОСКВЕ".encode("cp866") and detect_encoding_bytes(capitals) == "cp866"


def test_a_russian_cp866_text_with_a_degree_sign_is_cp866_and_ukrainian_stays_cp1125():
    # The two pages differ in 0xF2-0xF9 only: "°" (cp866) is "Ї" in cp1125.
    russian = "Температура воздуха +25°, ветер северный. Учения прошли успешно."
    assert detect_encoding_bytes(russian.encode("cp866")) == "cp866"
    ukrainian = "Засідання Ради міністрів оборони відбулося у Києві. Учасники обговорили їхні питання."
    assert detect_encoding_bytes(ukrainian.encode("cp1125")) == "cp1125"


def test_charset_normalizers_cp1125_for_russian_text_is_recorded_as_cp866(monkeypatch):
    pytest.importorskip("charset_normalizer")
    from themes.readers import text as text_reader

    # What charset-normalizer says when the Cyrillic check gives no answer.
    monkeypatch.setattr(text_reader, "_cyrillic_codec", lambda sample: None)
    assert detect_encoding_bytes(PLAIN_PARAGRAPH.encode("cp866")) == "cp866"


def test_the_scores_summary_records_cp866(tmp_path):
    from themes.archive import score_archive

    path = tmp_path / "2024-06-12.txt"
    path.write_bytes(PLAIN_PARAGRAPH.encode("cp866"))
    (result,) = score_archive(path)
    assert result.summary["encoding"] == "cp866"
    assert result.records[0]["text"].startswith("Заседание Совета министров обороны")


# ------------------------------------------- one table of the other formats a file may be
OTHER_FORMAT_FILES = [
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "PDF"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 Minsk, 1 May 2023\\par Drones.\\par}", "RTF"),
    (b"\n<!DOCTYPE html><html><body><p>Drones were discussed.</p></body></html>", "HTML"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300), "old Word"),
]


@pytest.mark.parametrize("content, kind", OTHER_FORMAT_FILES, ids=[kind for _, kind in OTHER_FORMAT_FILES])
def test_a_txt_and_a_docx_that_are_another_format_say_the_same_from_one_table(tmp_path, content, kind):
    # The text and DOCX readers kept a table each, with other words for the same format
    # ("rename it .pdf" / "... to read its text layer"), and neither knew all four formats.
    from themes.errors import DocumentError
    from themes.readers.formats import OTHER_FORMATS, opens_as

    what = opens_as(content)
    assert what in {description for _, description in OTHER_FORMATS} and kind in what
    for name, says in [("bulletin.txt", f"not plain text but {what}"), ("bulletin.docx", f"; it is {what}")]:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(DocumentError) as caught:
            next(read_documents(path))
        assert str(caught.value).startswith(f"{path}: ") and str(caught.value).endswith(says)


# ------------------------------------------- one rule for a bulletin repeated
BULLETIN = (
    "Minsk, 12 March 2024\n\n"
    "The participants discussed terrorist use of drones.\n\n"
    "They adopted a plan against the financing of terrorism.\n"
)
MARKED_UP = BULLETIN.replace("terrorist use of drones", "terrorist use of **drones**")


def _archive(folder):
    folder.mkdir()
    (folder / "a.txt").write_text(BULLETIN, encoding="utf-8")
    (folder / "b.txt").write_text(BULLETIN + "\n\n\n", encoding="utf-8")  # blank lines at the end
    (folder / "c.txt").write_text(MARKED_UP, encoding="utf-8")
    (folder / "d.md").write_text(MARKED_UP, encoding="utf-8")  # the same text, read as Markdown
    (folder / "e.txt").write_text("Riga, 2 April 2024\n\nThe council discussed foreign fighters.\n", encoding="utf-8")
    return folder


def _copies(results) -> dict:
    return {Path(r.bulletin).name: r.summary["duplicate_of"] and Path(r.summary["duplicate_of"]).name for r in results}


def test_the_bulletins_score_marks_as_copies_are_those_trends_counts_once(tmp_path, tiny_model):
    # themes score told a copy by its text's digest and trends by its statements: b.txt (blank
    # lines at the end) was counted once by trends but not marked; d.md (c.txt read as
    # Markdown, its statements without the markup) was marked but counted twice.
    from themes import score_archive
    from themes.trends import trends

    results = list(score_archive(_archive(tmp_path / "archive"), model=tiny_model))
    assert _copies(results) == {"a.txt": None, "b.txt": "a.txt", "c.txt": None, "d.md": None, "e.txt": None}
    records = [record for result in results for record in result.records]
    counted = trends(records, rates={}, min_statements=0)
    assert counted.duplicate_bulletins == 1
    assert sum(p.bulletins for p in counted.periods) == 4  # a (once for b), c, d, e


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_the_summarys_statements_digest_is_the_one_trends_takes_of_the_written_records(tmp_path, tiny_model_dir, suffix):
    from themes.archive import write_scores
    from themes.archive.summary import StatementsDigest
    from themes.trends.io import read_records

    out, summary = tmp_path / f"scores{suffix}", tmp_path / "bulletins.jsonl"
    write_scores([_archive(tmp_path / "archive")], out, summary=summary, model=tiny_model_dir)
    digests: dict = {}
    for _, record in read_records(out):
        digests.setdefault(record["bulletin"], StatementsDigest()).add(record)
    summaries = [json.loads(line) for line in summary.read_text(encoding="utf-8").splitlines()]
    assert {s["bulletin"]: s["statements_sha256"] for s in summaries} == {b: d.hexdigest() for b, d in digests.items()}


def test_a_bulletin_repeated_across_two_runs_is_counted_once_by_trends(tmp_path, tiny_model_dir):
    # Each run marks copies within itself (and what it resumes); trends, given both scores
    # files, tells the copy by the same digest.
    from themes.archive import write_scores
    from themes.trends import trends

    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        (tmp_path / run / f"{run}.txt").write_text(BULLETIN, encoding="utf-8")
        write_scores([tmp_path / run], tmp_path / f"{run}.jsonl", model=tiny_model_dir)
    counted = trends([tmp_path / "one.jsonl", tmp_path / "two.jsonl"], rates={}, min_statements=0)
    assert counted.duplicate_bulletins == 1 and sum(p.bulletins for p in counted.periods) == 1
