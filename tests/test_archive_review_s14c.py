"""Archive review, session 14 (c): duplicate bulletins, navigation-only pages, a notebook's
view of a bulletin result, and an empty scores file given to trends (inputs in tmp_path)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from themes import score_archive
from themes.archive import write_scores
from themes.cli import main
from themes.errors import InvalidInputError
from themes.trends import trends

BULLETIN = (
    "Council meets in Minsk\n\n"
    "The participants discussed terrorist use of drones.\n\n"
    "They adopted a plan against the financing of terrorism.\n"
)
OTHER = "Council meets in Riga\n\nThe council discussed foreign fighters returning home.\n"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "2024-03-01-a.txt").write_text(BULLETIN, encoding="utf-8")
    (folder / "2024-03-02-b.txt").write_text(OTHER, encoding="utf-8")
    (folder / "2024-03-03-c.txt").write_text(BULLETIN, encoding="utf-8")  # saved twice
    if hasattr(os, "link"):
        os.link(folder / "2024-03-01-a.txt", folder / "2024-03-04-d.txt")  # a hard link
    return folder


# ------------------------------------------- 1. duplicate files
def test_a_bulletin_identical_to_an_earlier_one_is_scored_and_marked(tmp_path, tiny_model):
    folder = _archive(tmp_path)
    results = list(score_archive(folder, model=tiny_model))
    names = [Path(r.bulletin).name for r in results]
    assert len(results) == (4 if hasattr(os, "link") else 3) and all(r.ok and r.records for r in results)
    first = str(folder / "2024-03-01-a.txt")
    by_name = dict(zip(names, results))
    assert by_name["2024-03-01-a.txt"].summary["duplicate_of"] is None
    assert by_name["2024-03-02-b.txt"].summary["duplicate_of"] is None
    assert by_name["2024-03-03-c.txt"].summary["duplicate_of"] == first
    if hasattr(os, "link"):
        assert by_name["2024-03-04-d.txt"].summary["duplicate_of"] == first
    digests = {r.summary["text_sha256"] for r in results}
    assert len(digests) == 2


def test_duplicates_are_marked_the_same_with_two_jobs(tmp_path, tiny_model_dir):
    folder = _archive(tmp_path)
    one = [r.summary["duplicate_of"] for r in score_archive(folder, model=tiny_model_dir)]
    two = [r.summary["duplicate_of"] for r in score_archive(folder, model=tiny_model_dir, jobs=2, chunk_size=1)]
    assert one == two and sum(d is not None for d in two) >= 1


def test_duplicates_are_marked_on_resume_against_bulletins_already_scored(tmp_path, tiny_model_dir):
    folder = _archive(tmp_path)
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    first = folder / "2024-03-01-a.txt"
    write_scores([first], out, summary=summary, model=tiny_model_dir)
    report = write_scores([folder], out, summary=summary, model=tiny_model_dir, resume=True)
    assert report.skipped == 1
    marks = {Path(s["bulletin"]).name: s.get("duplicate_of") for s in _lines(summary)}
    assert marks["2024-03-03-c.txt"] == str(first)
    assert marks["2024-03-02-b.txt"] is None
    assert [Path(b).name for b, _ in report.duplicates][:1] == ["2024-03-03-c.txt"]


def test_themes_score_says_in_one_line_how_many_files_repeat_another(tmp_path, tiny_model_dir, capsys):
    folder = _archive(tmp_path)
    code = main(["score", str(folder), "--out", str(tmp_path / "s.jsonl"), "--summary", str(tmp_path / "b.jsonl"),
                 "--model", str(tiny_model_dir), "--quiet"])
    assert code == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "same text" in line]
    n = 2 if hasattr(os, "link") else 1
    assert len(lines) == 1 and f"{n} file" in lines[0] and "2024-03-03-c.txt" in lines[0], err
    assert len(_lines(tmp_path / "b.jsonl")) == (4 if hasattr(os, "link") else 3)  # every file scored


def _records(bulletin: str, date: str, texts: list[str], themes: list[list[str]]) -> list[dict]:
    out, start = [], 0
    for index, (text, tagged) in enumerate(zip(texts, themes)):
        out.append({"bulletin": bulletin, "date": date, "index": index, "start": start, "end": start + len(text),
                    "kind": "sentence", "text": text, "context": None, "themes": tagged, "model": "m"})
        start += len(text) + 2
    return out


def test_trends_count_a_duplicated_bulletin_once_unless_asked(tmp_path):
    texts, tagged = ["Drones were discussed.", "The meeting closed."], [["uav"], []]
    records = (_records("a.txt", "2024-03-01", texts, tagged) + _records("b.txt", "2024-03-05", ["Other."], [[]])
               + _records("c.txt", "2024-03-09", texts, tagged))
    once = trends(records, rates={})
    assert once.periods[0].bulletins == 2 and once.periods[0].statements == 3
    assert once.duplicate_bulletins == 1
    note = [n for n in once.notes if "c.txt" in n]
    assert len(note) == 1 and "a.txt" in note[0] and "once" in note[0]
    every = trends(records, rates={}, count_duplicates=True)
    assert every.periods[0].bulletins == 3 and every.periods[0].statements == 5 and every.duplicate_bulletins == 0
    assert not [n for n in every.notes if "c.txt" in n]


def test_themes_trends_counts_duplicates_once_and_documents_the_option(tmp_path, capsys):
    texts, tagged = ["Drones were discussed.", "The meeting closed."], [["uav"], []]
    scores = tmp_path / "s.jsonl"
    records = _records("a.txt", "2024-03-01", texts, tagged) + _records("c.txt", "2024-03-09", texts, tagged)
    scores.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["trends", str(scores), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["periods"][0]["bulletins"] == 1 and data["duplicate_bulletins"] == 1
    assert main(["trends", str(scores), "--json", "--count-duplicates"]) == 0
    assert json.loads(capsys.readouterr().out)["periods"][0]["bulletins"] == 2
    try:
        main(["trends", "--help"])
    except SystemExit:
        pass
    assert "--count-duplicates" in capsys.readouterr().out


# ------------------------------------------- 2. a page of navigation only
def test_an_html_page_of_navigation_only_is_reported_as_holding_no_main_text(tmp_path, tiny_model):
    page = tmp_path / "2024-03-01-menu.html"
    page.write_text(
        '<html><head><title>Site</title></head><body><nav><ul><li><a href="/">Home</a></li>'
        '<li><a href="/news">News</a></li><li><a href="/about">About us</a></li></ul></nav></body></html>',
        encoding="utf-8",
    )
    real = tmp_path / "2024-03-02-real.html"
    real.write_text(
        '<html><body><ul><li><a href="/">Home</a></li></ul><article><p>The council discussed terrorist '
        "use of drones and adopted a plan.</p></article></body></html>",
        encoding="utf-8",
    )
    results = {Path(r.bulletin).name: r for r in score_archive([page, real], model=tiny_model)}
    menu = results[page.name]
    assert not menu.ok and menu.summary["status"] == "failed"
    assert str(page) in menu.error and "no main text" in menu.error and "navigation" in menu.error
    assert results[real.name].ok


# ------------------------------------------- 3. a bulletin result in a notebook
def test_a_bulletin_result_shows_in_one_short_line_in_a_notebook(tmp_path, tiny_model):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "2024-03-01-a.txt").write_text(BULLETIN * 20, encoding="utf-8")
    result = next(score_archive(folder, model=tiny_model))
    shown = []

    class Printer:
        def text(self, value):
            shown.append(value)

    result._repr_pretty_(Printer(), False)
    line = "".join(shown)
    assert "\n" not in line and len(line) < 300, line
    assert "2024-03-01-a.txt" in line and "2024-03-01" in line and f"{len(result.records)} statements" in line
    failed = next(score_archive([tmp_path / "missing.txt"], model=tiny_model))
    shown.clear()
    failed._repr_pretty_(Printer(), False)
    assert "failed" in "".join(shown)
    assert repr(result).startswith("BulletinResult(bulletin=")  # repr() itself unchanged


# ------------------------------------------- 4. an empty scores file given to trends
@pytest.mark.parametrize("content", ["", "\n", "bulletin,date,index,themes\n"])
def test_an_empty_scores_file_is_refused_naming_it(tmp_path, capsys, content):
    scores = tmp_path / ("s.csv" if content.startswith("bulletin") else "s.jsonl")
    scores.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="holds no records"):
        trends(scores, rates={})
    assert main(["trends", str(scores)]) == 1
    err = capsys.readouterr().err
    assert str(scores) in err and "holds no records" in err and len(err.strip().splitlines()) == 1
