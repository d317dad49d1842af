"""Session 17: follow-ups of the analyst review (helper-126's report).

A cut last line of a scores file is reported by trends, not passed over in silence;
evaluate lists every bad line of a labelled file at once; a ``--model`` that is no model
folder is named as the option it came from; failure lines under the progress bar carry
the ``themes: `` prefix of every other message. Driven through ``themes.cli.main`` with
argv, as a user types it, and through the Python API.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from themes.cli import main
from themes.errors import InvalidInputError, ModelError

DATA = 1


def error_line(capsys) -> tuple[str, list[str]]:
    """The ``themes: error:`` line of a failed command, and the stderr lines before it."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("themes: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], err
    return errors[0], lines[:-1]


# ------------------------------------------------------------- trends: a cut last line
def scores_records(n: int = 30) -> list[dict]:
    return [
        {"bulletin": f"archive/b{i:02}.txt", "date": "2024-01-10", "index": 0, "kind": "sentence",
         "text": f"Statement {i}.", "themes": ["uav"] if i % 3 == 0 else [], "model": "m"}
        for i in range(n)
    ]


@pytest.fixture
def cut_jsonl(tmp_path) -> Path:
    """A scores file as `head -c` (or a run killed mid-write) leaves it: 30 lines, the last cut."""
    whole = "".join(json.dumps(r) + "\n" for r in scores_records()).encode("utf-8")
    path = tmp_path / "cut.jsonl"
    path.write_bytes(whole[: len(whole) - 25])
    return path


def test_trends_reports_a_cut_last_line_in_its_notes_and_to_dict(cut_jsonl):
    from themes.trends import trends

    result = trends(cut_jsonl, by="year", rates={})
    assert result.periods[0].statements == 29  # the 29 whole records; the cut one is not counted
    assert result.cut_short == [f"{cut_jsonl}:30"]
    note = next(n for n in result.notes if n.startswith(f"{cut_jsonl}:30: "))
    assert "cut short: the file ends inside a record" in note
    assert f"--out {cut_jsonl} --resume" in note
    data = result.to_dict()
    assert data["cut_short"] == [f"{cut_jsonl}:30"] and note in data["notes"]


@pytest.mark.parametrize("extra", [[], ["--out", "-"], ["--json"]], ids=["table", "out-stdout", "json"])
def test_themes_trends_prints_the_cut_line(capsys, cut_jsonl, extra):
    assert main(["trends", str(cut_jsonl), "--by", "year", *extra]) == 0
    captured = capsys.readouterr()
    assert f"{cut_jsonl}:30: cut short: the file ends inside a record" in captured.out + captured.err
    assert "themes score" in captured.out + captured.err


def test_a_cut_last_csv_row_is_reported_not_counted_with_its_cells_missing(tmp_path):
    # The row cut before its themes cell was counted as a statement with no theme.
    from themes.trends import trends

    path = tmp_path / "scores.csv"
    columns = ["bulletin", "date", "index", "kind", "text", "themes", "model"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for r in scores_records(10):
            writer.writerow([r[c] if c != "themes" else ";".join(r[c]) for c in columns])
        fh.write("archive/b10.txt,2024-01-10,0,sentence,Drones were")  # killed here
    result = trends(path, by="year", rates={})
    assert result.periods[0].statements == 10
    assert result.cut_short == [f"{path}:12"]
    assert any(n.startswith(f"{path}:12: cut short") for n in result.notes)


def test_read_records_alone_raises_on_a_cut_line_rather_than_drop_it(cut_jsonl):
    from themes.trends.io import read_records

    with pytest.raises(InvalidInputError, match=rf"{cut_jsonl}:30: cut short: the file ends inside a record"):
        list(read_records(cut_jsonl))


# ------------------------------------------------------- evaluate: every bad line at once
def labelled_lines(bad: dict[int, str], n: int) -> str:
    good = json.dumps({"text": "Drones attacked the border post.", "themes": ["uav"]})
    return "".join(bad.get(i, good) + "\n" for i in range(1, n + 1))


def test_evaluate_lists_every_bad_line_not_only_the_first(capsys, tmp_path, tiny_model_dir):
    path = tmp_path / "labelled.jsonl"
    bad = {2: '{"text": "x", "themes": ', 4: '{"text": 3, "themes": []}', 5: "not json", 7: '{"text": "a", "themes": ["dronez"]}'}
    path.write_text(labelled_lines(bad, 8), encoding="utf-8")
    assert main(["evaluate", str(path), "--model", str(tiny_model_dir)]) == DATA
    line, before = error_line(capsys)
    assert not before  # one line, as every error
    assert line.startswith(f"themes: error: {path}: 4 bad lines: {path}:2: invalid JSON (Expecting value at the end of the line). ")
    assert f"{path}:4: needs a string 'text' and a list 'themes'. {path}:5: invalid JSON (Expecting value at column 1). " in line
    assert f"{path}:7: unknown theme ids ['dronez']. The theme ids are financing," in line
    assert line.endswith("--map dronez=THEME_ID (--map dronez= drops it).")  # the hint of an unknown label is kept


def test_evaluate_lists_the_first_twenty_and_how_many_more(tmp_path):
    from themes.evaluate import read_labelled

    path = tmp_path / "labelled.jsonl"
    path.write_text(labelled_lines({i: "{broken" for i in range(3, 28)}, 30), encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        read_labelled(path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 25 bad lines:"
    assert lines[1].startswith(f"{path}:3: invalid JSON") and lines[20].startswith(f"{path}:22: invalid JSON")
    assert lines[21:] == ["and 5 more."]


# --------------------------------------------------------------- --model that is no model
def test_a_missing_model_folder_names_the_option_and_what_to_give(capsys, tmp_path):
    missing = tmp_path / "nowhere"
    assert main(["classify", "--model", str(missing), "Drones."]) == DATA
    line, _ = error_line(capsys)
    assert line.startswith(f"themes: error: --model {missing}: the folder does not exist; ")
    assert "a model folder written by `themes train`" in line and "leave --model out" in line
    assert "`themes info` shows the model in use" in line


def test_a_folder_that_is_no_model_names_the_option(capsys, tmp_path):
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    assert main(["evaluate", str(tmp_path / "any.jsonl"), "--model", str(folder)]) == DATA
    line, _ = error_line(capsys)
    assert line.startswith(f"themes: error: --model {folder}: not a model folder (it holds no manifest.json); ")
    assert "written by `themes train`" in line


def test_a_bad_themes_model_says_what_to_set_it_to(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("THEMES_MODEL", str(tmp_path / "gone"))
    assert main(["classify", "Drones."]) == DATA
    line, _ = error_line(capsys)
    assert f"THEMES_MODEL={tmp_path / 'gone'} (environment variable): " in line
    assert "set THEMES_MODEL to a folder written by `themes train`, or unset it for the shipped model" in line
    assert "--model" not in line


def test_load_model_says_what_to_give_without_the_command_line_option(tmp_path):
    from themes import load_model

    with pytest.raises(ModelError) as missing:
        load_model(tmp_path / "nowhere")
    with pytest.raises(ModelError) as empty:
        load_model(tmp_path)
    for caught in (missing, empty):
        message = str(caught.value)
        assert "written by `themes train`" in message and "None for the shipped model" in message
        assert "--model" not in message


# ------------------------------------------------------- failure lines under the progress bar
def test_progress_hands_lines_to_report_with_a_bar_too():
    pytest.importorskip("tqdm")
    from themes.archive.progress import Progress

    lines = []
    progress = Progress(True, total=1, report=lines.append)
    assert progress.bar is not None
    progress.tell("failed: x")
    progress.close()
    assert lines == ["failed: x"]


def test_score_on_a_terminal_prefixes_failure_lines_as_every_other_message(capsys, tmp_path, monkeypatch):
    pytest.importorskip("tqdm")
    import random

    rng = random.Random(17)
    archive = tmp_path / "archive"
    archive.mkdir()
    junk = archive / "2025-01-01-junk.txt"
    junk.write_bytes(bytes(rng.randint(1, 255) for _ in range(4000)))
    (archive / "2025-04-02-minsk.txt").write_text(
        "MINSK, 2 April 2025. The participants noted the growing threat of drone attacks on energy facilities.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # a terminal: the bar is drawn
    assert main(["score", str(archive), "--out", str(tmp_path / "s.jsonl")]) == DATA
    err = capsys.readouterr().err
    failed = [line.strip("\r") for line in err.replace("\r", "\n").splitlines() if "failed: " in line and str(junk) in line]
    assert failed and all(line.startswith(f"themes: failed: {junk}: ") for line in failed), err
