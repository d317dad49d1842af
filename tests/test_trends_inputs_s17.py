"""Inputs of themes trends (s17): a scores file that is a JSON array is named so, not read
as CSV; a summaries file's last line cut short is a note, as a scores file's is; every bad
row of a CSV scores file is listed in one error (a row CSV cannot parse stops the file, and
the error says the rows after it were not read)."""

import json

import pytest

from themes.errors import InvalidInputError
from themes.trends import trends


def record(bulletin, text, themes=(), date="2024-03-05", index=0):
    return {"bulletin": bulletin, "date": date, "index": index, "kind": "sentence", "text": text,
            "themes": list(themes), "model": "m-1"}


RECORDS = [record(f"a/b{i}.txt", f"Statement {i}.", ["uav"] if i % 2 else []) for i in range(4)]


# ----------------------------------------------------------------- 1. a JSON array


@pytest.mark.parametrize("name, indent, before", [
    ("scores.jsonl", None, ""),  # json.dump(records, fh): one line
    ("scores.json", 2, ""),  # json.dump(records, fh, indent=2): '[' alone on the first line
    ("scores.jsonl", None, "\ufeff \n\n"),  # a byte order mark and blank lines first
])
def test_a_json_array_is_named_with_what_to_do_not_read_as_csv(tmp_path, name, indent, before):
    path = tmp_path / name
    path.write_text(before + json.dumps(RECORDS, indent=indent), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends(path, by="year", rates={})
    message = str(info.value)
    assert message.startswith(f"{path}: is a JSON array, not JSON Lines (one record per line): ")
    assert f"jq -c '.[]' {path} > {path.with_name(path.stem + '-lines.jsonl')}` (a new file" in message
    assert "holds no records" not in message


def test_the_command_line_names_a_json_array(tmp_path, capsys):
    from themes.cli import main

    path = tmp_path / "scores.jsonl"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    assert main(["trends", str(path)]) != 0
    assert "is a JSON array, not JSON Lines" in capsys.readouterr().err


def test_json_lines_after_blank_space_are_read(tmp_path):
    # Whitespace, even more than the 4096 bytes first looked at, then '{': JSON Lines, not CSV.
    path = tmp_path / "scores.jsonl"
    path.write_text(" " * 5000 + "\n\n" + "\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    result = trends(path, by="year", rates={})
    assert [(p.period, p.bulletins, p.statements) for p in result.periods] == [("2024", 4, 4)]


# ----------------------------------------------------------------- 2. a summaries file cut short


def summary(bulletin, path):
    return json.dumps({"bulletin": bulletin, "path": path, "status": "ok", "format": "jsonl"})


@pytest.fixture
def cut_summaries(tmp_path):
    scores = tmp_path / "scores.jsonl"
    scores.write_text("\n".join(json.dumps(record(b, f"{b} text", ["uav"])) for b in ("b-17", "b-18")) + "\n",
                      encoding="utf-8")
    summaries = tmp_path / "bulletins.jsonl"
    cut = summary("b-18", "archive/osce.jsonl")
    summaries.write_text(summary("b-17", "archive/cis_atc.jsonl") + "\n" + cut[: len(cut) // 2], encoding="utf-8")
    return scores, summaries


def test_a_summaries_file_cut_short_is_a_note_not_an_error(cut_summaries):
    scores, summaries = cut_summaries
    result = trends(scores, by="year", rates={}, group="folder", summaries=summaries)
    assert result.groups == [".", "archive"]  # b-18's summary was cut: grouped by its id alone, in "."
    assert f"{summaries}:2" in result.cut_short
    (note,) = [n for n in result.notes if n.startswith(f"{summaries}:2: ")]
    assert "cut short: the file ends inside a record" in note
    assert f"--out {scores} --summary {summaries} --resume" in note
    assert result.to_dict()["cut_short"] == result.cut_short


def test_the_command_line_prints_the_cut_summary_line(cut_summaries, capsys):
    from themes.cli import main

    scores, summaries = cut_summaries
    assert main(["trends", str(scores), "--group", "folder", "--summary", str(summaries)]) == 0
    captured = capsys.readouterr()
    assert f"{summaries}:2: cut short: the file ends inside a record" in captured.out + captured.err


def test_any_other_bad_summary_line_stays_an_error(cut_summaries):
    scores, summaries = cut_summaries
    summaries.write_text("{oops\n" + summaries.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends(scores, by="year", rates={}, group="folder", summaries=summaries)
    assert str(info.value).startswith(f"{summaries}:1: invalid JSON")
    assert f"{summaries}:3" not in str(info.value)  # the cut line is no error


def test_jsonl_sources_alone_raises_on_a_cut_line(cut_summaries):
    from themes.trends.groups import jsonl_sources

    _, summaries = cut_summaries
    with pytest.raises(InvalidInputError, match=rf"{summaries}:2: cut short: the file ends inside a record"):
        jsonl_sources(summaries)
    cut = []
    assert jsonl_sources(summaries, cut=cut) == {"b-17": ("archive", "cis_atc")} and cut == [f"{summaries}:2"]


# ----------------------------------------------------------------- 3. bad rows of a CSV scores file


HEADER = "bulletin,date,index,kind,text,themes\n"


def csv_row(i, text=None):
    return f"a/b{i}.txt,2024-03-05,0,sentence,{text or f'Statement {i}.'},{'uav' if i % 2 else ''}\n"


def test_every_row_of_a_csv_file_that_is_not_utf8_is_listed_in_one_error(tmp_path):
    path = tmp_path / "scores.csv"
    rows = [csv_row(i).encode("utf-8") for i in range(6)]
    rows[1] = csv_row(1, "Заявление").encode("cp1251")  # saved from a Russian-locale spreadsheet
    rows[4] = csv_row(4, "caf\xe9").encode("latin-1")
    path.write_bytes(HEADER.encode("utf-8") + b"".join(rows))
    with pytest.raises(InvalidInputError) as info:
        trends(path, by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == f"{path}: 2 bad lines:"
    assert message[1].startswith(f"{path}:3: not UTF-8 (byte 0xc7 in column 'text')")
    assert message[2].startswith(f"{path}:6: not UTF-8 (byte 0xe9 in column 'text')")
    assert "save the file as UTF-8" in message[2]


def test_bad_rows_of_a_csv_file_are_listed_with_those_of_the_other_files(tmp_path):
    scores_csv, scores_jsonl = tmp_path / "a.csv", tmp_path / "b.jsonl"
    scores_csv.write_bytes(HEADER.encode("utf-8") + csv_row(0).encode("utf-8") + csv_row(1, "caf\xe9").encode("latin-1"))
    scores_jsonl.write_text(json.dumps(record("c.txt", "C.")) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends([scores_csv, scores_jsonl], by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == f"{scores_csv}, {scores_jsonl}: 2 bad lines:"
    assert message[1].startswith(f"{scores_csv}:3: not UTF-8") and message[2].startswith(f"{scores_jsonl}:2: invalid JSON")


def test_a_row_csv_cannot_parse_names_its_line_and_says_the_rest_was_not_read(tmp_path):
    # A cell longer than csv's field limit: the reader cannot be trusted past it (the cell may
    # open a quoted field over several lines), so the file stops there, and the error says so.
    path = tmp_path / "scores.csv"
    rows = [csv_row(0), csv_row(1, "caf\xe9"), csv_row(2, "x" * 200_000), csv_row(3)]
    path.write_bytes(HEADER.encode("utf-8") + rows[0].encode("utf-8") + rows[1].encode("latin-1")
                     + rows[2].encode("utf-8") + rows[3].encode("utf-8"))
    with pytest.raises(InvalidInputError) as info:
        trends(path, by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == f"{path}: 2 bad lines:"
    assert message[1].startswith(f"{path}:3: not UTF-8")
    assert message[2].startswith(f"{path}:4: not a CSV row (field larger than field limit")
    assert message[2].endswith("; the rows after it were not read")


def test_read_records_alone_lists_a_cut_last_csv_row_with_the_bad_rows_before_it(tmp_path):
    from themes.trends.io import read_records

    path = tmp_path / "scores.csv"
    path.write_bytes(HEADER.encode("utf-8") + csv_row(0, "caf\xe9").encode("latin-1") + csv_row(1).encode("utf-8")
                     + b"a/b2.txt,2024-03-05,0,sen")
    with pytest.raises(InvalidInputError) as info:
        list(read_records(path))
    message = str(info.value).splitlines()
    assert message[0] == f"{path}: 2 bad lines:"
    assert message[1].startswith(f"{path}:2: not UTF-8") and message[2].startswith(f"{path}:4: cut short")
    cut = []
    with pytest.raises(InvalidInputError, match=r":2: not UTF-8"):
        list(read_records(path, cut))
    assert cut == [f"{path}:4"]
