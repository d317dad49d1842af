"""Session 16: the bulletins of JSON Lines archives (one .jsonl file per body) are grouped by
their file, which the statement records do not name but the run's summaries do."""

from __future__ import annotations

import json

import pytest

from themes.cli import main
from themes.errors import InvalidInputError, ParameterError
from themes.trends import trends

UAV = "The participants noted the growing use of drones to attack energy facilities."
BORDER = "Border guards detained three foreign terrorist fighters at the crossing point."


def _archive(tmp_path):
    archive = tmp_path / "archive"
    (archive / "osce").mkdir(parents=True)
    for body, ids in (("cis_atc", ["c-1", "c-2"]), ("sco_rats", ["s-1"])):
        # texts of their own: a bulletin repeating another's statements is counted once
        lines = [json.dumps({"id": ident, "text": f"{UAV} {BORDER} Bulletin {ident}.", "date": "2024-05-14"})
                 for ident in ids]
        (archive / f"{body}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (archive / "osce" / "2024-06-01-meeting.txt").write_text(f"Vienna, 1 June 2024\n\n{UAV}\n", encoding="utf-8")
    scores, summaries = tmp_path / "scores.jsonl", tmp_path / "bulletins.jsonl"
    assert main(["score", str(archive), "--out", str(scores), "--summary", str(summaries), "--quiet"]) == 0
    return scores, summaries


def test_jsonl_archives_are_grouped_by_their_file_with_the_summaries(tmp_path):
    # The records of a .jsonl archive name their bulletin by its id alone ("c-1"): grouped by
    # folder, every one of them fell into group "." with no way to tell the bodies apart.
    scores, summaries = _archive(tmp_path)
    result = trends(str(scores), by="year", group="folder", summaries=str(summaries), rates={})
    assert result.groups == ["cis_atc", "osce", "sco_rats"]
    assert result.group_root.endswith("archive")
    assert {p.group: p.bulletins for p in result.periods} == {"cis_atc": 2, "osce": 1, "sco_rats": 1}


def test_without_the_summaries_a_note_says_what_to_give(tmp_path):
    scores, _ = _archive(tmp_path)
    (tmp_path / "archive" / "osce" / "2024-06-01-meeting.txt").unlink()
    only_jsonl = tmp_path / "only.jsonl"
    only_jsonl.write_text("".join(line for line in scores.read_text(encoding="utf-8").splitlines(keepends=True)
                                  if '"bulletin": "c-' in line or '"bulletin": "s-' in line), encoding="utf-8")
    result = trends(str(only_jsonl), by="year", group="folder", rates={})
    assert result.groups == ["."]
    assert any("--summary bulletins.jsonl" in note for note in result.notes)


def test_the_command_line_groups_them_and_says_so_in_its_help(tmp_path, capsys):
    scores, summaries = _archive(tmp_path)
    capsys.readouterr()  # the score run's count line
    assert main(["trends", str(scores), "--by", "year", "--group", "folder", "--summary", str(summaries), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"] == ["cis_atc", "osce", "sco_rats"]
    main(["trends", "--help"])  # main returns 0 after the help, as argparse's exit
    assert "as if its .jsonl file were its folder" in " ".join(capsys.readouterr().out.split())


def test_older_summaries_and_scores_still_load(tmp_path):
    # A summary of an older run has no statements_sha256, duplicate_of, text_sha256...; the
    # statement records no language or fragment: both are read all the same.
    records = [{"bulletin": "c-1", "date": "2024-05-14", "themes": ["uav"]},
               {"bulletin": "archive/osce/a.txt", "date": "2024-05-14", "themes": []}]
    summaries = [{"bulletin": "c-1", "path": "archive/cis_atc.jsonl", "status": "ok", "format": "jsonl"},
                 {"bulletin": "archive/osce/a.txt", "path": "archive/osce/a.txt", "status": "ok", "format": "txt"}]
    result = trends(records, by="year", group="folder", summaries=summaries, rates={})
    assert result.groups == ["cis_atc", "osce"]


def test_a_statements_file_given_as_summaries_is_named(tmp_path):
    scores, _ = _archive(tmp_path)
    with pytest.raises(InvalidInputError, match=r"scores\.jsonl:1: a statement record \(the --out file\); the summaries file"):
        trends(str(scores), by="year", group="folder", summaries=str(scores), rates={})


def test_summaries_without_group_are_refused():
    with pytest.raises(ParameterError, match="The 'summaries' parameter of trends must be None without group"):
        trends([], summaries=[])
    assert main(["trends", "x.jsonl", "--summary", "b.jsonl"]) == 2
