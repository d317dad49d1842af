"""Session 17: an analyst's fresh install, used as the README says, and the mistakes analysts make.

Each test is a problem met in that walk-through (a misleading message, a silent surprise),
driven through ``themes.cli.main`` with argv, as a user types it.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from themes.archive import score_archive
from themes.archive.lock import output_lock
from themes.cli import main
from themes.errors import OutputLockedError, ParameterError

DATA, USAGE = 1, 2
BULLETIN = "MINSK, 2 April 2025. The participants noted the growing threat of drone attacks on energy facilities.\n"


@pytest.fixture
def bulletin(tmp_path) -> Path:
    path = tmp_path / "archive" / "2025-04-02-minsk.txt"
    path.parent.mkdir()
    path.write_text(BULLETIN, encoding="utf-8")
    return path


def error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("themes: error: ")]
    assert len(lines) == 1, err
    return lines[0]


# ------------------------------------------------------------------- outputs one cannot write
def _unwritable() -> Path:
    target = Path("/proc/themes-review-s17/scores.jsonl")
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc, a folder nobody can create files in")
    return target


def test_an_output_where_nothing_can_be_written_is_not_said_to_be_locked_by_another_run():
    # filelock waits on a lock file it cannot create; with timeout 0 that read as
    # "another themes run is writing it; wait for it to finish".
    target = _unwritable()
    with pytest.raises(OSError) as caught:
        with output_lock(target):
            pass
    assert not isinstance(caught.value, OutputLockedError)
    assert caught.value.filename == str(target) and "cannot be written" in caught.value.strerror


def test_score_into_an_unwritable_place_names_it_and_says_what_to_do(capsys, bulletin):
    target = _unwritable()
    assert main(["score", str(bulletin), "--out", str(target), "--quiet"]) == DATA
    line = error_line(capsys)
    assert "another themes run" not in line
    assert str(target) in line and "folder you can write to" in line


def test_out_below_a_file_is_a_usage_error_naming_the_file(capsys, bulletin, tmp_path):
    # os.makedirs failed: "themes: error: /path/notes.txt: File exists".
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    assert main(["score", str(bulletin), "--out", str(notes / "scores.jsonl"), "--quiet"]) == USAGE
    line = error_line(capsys)
    assert f"--out {notes / 'scores.jsonl'}: {notes} is a file, not a folder" in line
    assert notes.read_text(encoding="utf-8") == "x"


def test_a_summary_folder_is_refused_with_a_summary_name_as_the_example(capsys, bulletin, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["score", str(bulletin), "--out", str(tmp_path / "s.jsonl"), "--summary", str(folder)]) == USAGE
    line = error_line(capsys)
    assert f"--summary {folder}: is a folder" in line
    assert f"e.g. {folder / 'bulletins.jsonl'}" in line  # it offered out/scores.jsonl, the --out name


# ------------------------------------------------------------------------- options ignored
def test_a_scheduler_without_the_dask_backend_is_refused_not_ignored(capsys, bulletin, tmp_path):
    # The run scored on this machine, exit 0, while the analyst thought it ran on the cluster.
    out = tmp_path / "s.jsonl"
    assert main(["score", str(bulletin), "--out", str(out), "--scheduler", "tcp://127.0.0.1:8786"]) == USAGE
    line = error_line(capsys)
    assert "--scheduler tcp://127.0.0.1:8786 is for --backend dask" in line
    assert not out.exists()


def test_score_archive_refuses_a_scheduler_with_the_local_backend(bulletin):
    with pytest.raises(ParameterError, match="The 'scheduler' parameter of score_archive must be None with backend='local'"):
        list(score_archive([bulletin], scheduler="tcp://127.0.0.1:8786"))


@pytest.mark.parametrize(("name", "fmt"), [("scores.csv", "jsonl"), ("scores.jsonl", "csv")])
def test_a_format_that_contradicts_the_out_name_is_refused(capsys, bulletin, tmp_path, name, fmt):
    # scores.csv was written as JSON Lines without a word (and opened as garbage in a spreadsheet).
    out = tmp_path / name
    assert main(["score", str(bulletin), "--out", str(out), "--format", fmt]) == USAGE
    line = error_line(capsys)
    assert f"--out {out}: its name says" in line and f"--format is {fmt}" in line
    assert not out.exists()


def test_a_format_for_a_name_of_no_known_type_is_still_taken(bulletin, tmp_path):
    out = tmp_path / "scores.tsv"
    assert main(["score", str(bulletin), "--out", str(out), "--format", "csv", "--quiet"]) == 0
    assert out.read_text(encoding="utf-8").startswith("bulletin,date,index,")


# -------------------------------------------------------------------------- binary as text
def test_binary_data_without_nul_bytes_saved_as_txt_fails_instead_of_scoring_garbage(capsys, tmp_path):
    # Decoded as windows-1251, it was "scored": 4 statements of garbage, status ok, exit 0.
    rng = random.Random(17)
    junk = tmp_path / "archive" / "2025-01-01-junk.txt"
    junk.parent.mkdir()
    junk.write_bytes(bytes(rng.randint(1, 255) for _ in range(4000)))
    out = tmp_path / "s.jsonl"
    assert main(["score", str(junk.parent), "--out", str(out), "--quiet"]) == DATA
    err = capsys.readouterr().err
    assert f"failed: {junk}: looks like a binary file, not text" in err
    assert not out.exists()


def test_text_with_a_few_control_characters_is_still_text(tmp_path):
    # Word's text export writes manual line breaks as \x0b, old DOS files end in ^Z; a stray
    # bell or escape is not binary either.
    path = tmp_path / "2025-04-02-minsk.txt"
    path.write_bytes((BULLETIN.replace("The participants", "The\x0bparticipants") + "\x07 \x1b[0m\x1a").encode("utf-8"))
    (result,) = score_archive([path])
    assert result.summary["status"] == "ok"
    assert any("uav" in record["themes"] for record in result.records)


# ----------------------------------------------------------------------------------- typos
@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["clasify", "Drones."], "did you mean 'classify'?"),
        (["trends", "scores.jsonl", "--theme", "uva"], "did you mean 'uav'?"),
        (["trends", "scores.jsonl", "--by", "yaer"], "did you mean 'year'?"),
        (["score", "archive", "--out", "s.csv", "--format", "cvs"], "did you mean 'csv'?"),
    ],
)
def test_a_misspelt_command_or_choice_gets_the_nearest_one(capsys, argv, hint):
    assert main(argv) == USAGE
    assert hint in error_line(capsys)


def test_a_choice_near_nothing_gets_no_guess(capsys):
    assert main(["trends", "scores.jsonl", "--by", "week"]) == USAGE
    assert "did you mean" not in error_line(capsys)


# ------------------------------------------------------------------------ classify a path
def test_classify_given_a_file_name_says_the_name_is_tagged_not_the_file(capsys, bulletin):
    # It printed "(no theme)  archive/2025-04-02-minsk.txt" and exited 0, as if the bulletin
    # were about nothing.
    assert main(["classify", str(bulletin)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("(no theme)")
    assert f"themes: note: {str(bulletin)!r} is the name of a file" in captured.err
    assert f"themes score {bulletin} --out scores.jsonl" in captured.err


def test_classify_of_ordinary_statements_says_nothing_more(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["classify", "Drones were discussed."]) == 0
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- a quoted tilde
def test_a_quoted_tilde_path_says_the_shell_did_not_expand_it(capsys, bulletin, tmp_path, monkeypatch):
    # "themes score '~/archive'": '~/archive: no such file', while ~/archive is there.
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["score", "~/archive", "--out", str(tmp_path / "s.jsonl"), "--quiet"]) == DATA
    err = capsys.readouterr().err
    assert f"failed: ~/archive: no such file (~ is not the home folder inside quotes: write {tmp_path / 'archive'}" in err


def test_a_missing_tilde_path_gets_no_such_hint(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["score", "~/nowhere", "--out", str(tmp_path / "s.jsonl"), "--quiet"]) == DATA
    err = capsys.readouterr().err
    assert "failed: ~/nowhere: no such file" in err and "inside quotes" not in err


def test_a_dos_text_with_code_page_437_bullets_is_still_text(tmp_path):
    # DOS editors drew bullets with bytes 0x07 (a dot) and 0x10 (a triangle): one a line.
    path = tmp_path / "2025-04-02-dos.txt"
    lines = ["MINSK, 2 April 2025. The Council met in Minsk. The participants:"]
    lines += [f"\x10 noted the growing threat of drone attacks on energy facilities, item {i};" for i in range(40)]
    lines += [f"\x07 discussed the financing of terrorism, item {i};" for i in range(40)]
    path.write_bytes("\r\n".join(lines).encode("cp866"))
    (result,) = score_archive([path])
    assert result.summary["status"] == "ok", result.summary.get("error")


# ------------------------------------------------------------------- a statement cut short
def test_classify_lists_a_statement_read_in_part_as_such(capsys):
    # `themes classify` and print(result) showed an 8,600-character statement's themes as if
    # all of it had been read; only Result.truncated (or --json) said otherwise.
    text = "Drone attacks on pipelines were discussed. " * 200
    assert main(["classify", text]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.split("\t")[0].endswith(" (truncated: the first 5,000 characters read)")
    from themes import classify

    assert "(truncated: the first 5,000 characters read)  | Drone" in str(classify(text))
    assert "truncated" not in str(classify("Drone attacks on pipelines were discussed."))


# ------------------------------------------------- outputs of trends and suggest below a file
@pytest.fixture
def scores(tmp_path, bulletin) -> Path:
    out = tmp_path / "scores.jsonl"
    assert main(["score", str(bulletin), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.mark.parametrize(
    ("argv", "option", "example"),
    [
        (["trends", "{scores}", "--out", "{target}"], "--out", "trends.csv"),
        (["trends", "{scores}", "--plot", "{target}"], "--plot", "trends.png"),
        (["suggest", "{scores}", "--n", "2", "--format", "doccano", "--out", "{target}"], "--out", "tasks.jsonl"),
        (["suggest", "{scores}", "--n", "2", "--format", "labelstudio", "--out", "{other}", "--label-config", "{target}"],
         "--label-config", "config.xml"),
    ],
)
def test_trends_and_suggest_outputs_below_a_file_are_usage_errors(capsys, scores, tmp_path, argv, option, example):
    # Each printed "themes: error: notes.txt: File exists" (exit 1), naming neither the option nor the output.
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    target = notes / ("x" + Path(example).suffix)
    capsys.readouterr()
    argv = [a.format(scores=scores, target=target, other=tmp_path / "tasks.json") for a in argv]
    assert main(argv) == USAGE
    line = error_line(capsys)
    assert f"{option} {target}: {notes} is a file, not a folder" in line and f"e.g. {tmp_path / example}" in line


def test_suggest_out_naming_a_folder_is_a_usage_error_as_elsewhere(capsys, scores, tmp_path):
    # It exited 1 (bad data), where score and trends exit 2 for the same mistake, as the README says.
    folder = tmp_path / "tasks"
    folder.mkdir()
    capsys.readouterr()
    assert main(["suggest", str(scores), "--n", "2", "--format", "doccano", "--out", str(folder)]) == USAGE
    assert f"--out {folder}: is a folder; give a file name to write, e.g. {folder / 'tasks.jsonl'}" in error_line(capsys)


# --------------------------------------------------------------- statements in windows-1251
class _Stdin:
    def __init__(self, data: bytes):
        import io

        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


def test_classify_stdin_in_windows_1251_says_how_to_convert_it(capsys, monkeypatch):
    # A list of statements saved from a spreadsheet on Russian Windows: the error said only
    # "not UTF-8 text", not what it is or how to convert it.
    data = "Совет обсудил финансирование терроризма.\nУчастники отметили рост атак беспилотников.\n"
    monkeypatch.setattr("sys.stdin", _Stdin(data.encode("windows-1251")))
    assert main(["classify"]) == DATA
    line = error_line(capsys)
    assert line.startswith("themes: error: standard input is not UTF-8 text (byte 0xd1 at offset 0)")
    assert line.endswith("it reads as windows-1251: convert it first, e.g. iconv -f windows-1251 -t utf-8 FILE | themes classify")


def test_stray_bytes_on_stdin_get_no_code_page_guess(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin(b"Drones \xff\xfe\n"))
    assert main(["classify"]) == DATA
    assert "reads as" not in error_line(capsys)


def test_a_blank_statement_is_listed_as_blank(capsys):
    # `themes classify "$TEXT"` with TEXT unset printed "(no theme)" and a tab, as if an empty
    # statement had been read and found to be about nothing.
    assert main(["classify", "", "Drones were discussed."]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "(blank: nothing to read)\t" and lines[1].startswith("uav ")
