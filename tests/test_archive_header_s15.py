"""A press release whose header block (title, one heading per paragraph, contact lines) runs
past the first eight segments is still dated by the dateline that closes the block."""

import json

from themes.archive.summary import DATELINE_WINDOW, bulletin_date, opening_window
from themes.readers import read_documents
from themes.segment import segment

HEADINGS = ["Executive Committee of the Commonwealth", "Department of Information", "Office of the Spokesperson",
            "Section for Media Relations", "Telephone Desk", "Press Office", "Briefing Room", "Documentation Unit"]
BODY = "The Council of heads of border services met and agreed to exchange lists of persons crossing the border."


def _bulletin(tmp_path, headings):
    path = tmp_path / "release.txt"
    path.write_text("\n\n".join(["PRESS RELEASE", *headings, "Minsk, 14 May 2024", BODY]) + "\n", encoding="utf-8")
    return path


def test_a_dateline_below_a_long_header_block_dates_the_bulletin(tmp_path):
    path = _bulletin(tmp_path, HEADINGS)
    doc = next(read_documents(path))
    segments = segment(doc.text())
    kinds = [s.kind for s in segments]
    assert kinds.index("dateline") >= DATELINE_WINDOW  # past the old window
    assert bulletin_date(segments, doc, str(path)) == ("2024-05-14", "dateline")


def test_the_window_stays_eight_segments_after_a_short_header(tmp_path):
    path = _bulletin(tmp_path, HEADINGS[:1])
    segments = segment(next(read_documents(path)).text() + "\n\n".join([BODY] * 12))
    assert len(opening_window(segments)) == DATELINE_WINDOW


def test_themes_score_dates_it(tmp_path, capsys):
    from themes.cli import main

    path = _bulletin(tmp_path, HEADINGS)
    assert main(["score", str(path), "--out", str(tmp_path / "s.jsonl"), "--summary", str(tmp_path / "b.jsonl")]) == 0
    summary = [json.loads(line) for line in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert summary[0]["date"] == "2024-05-14"
