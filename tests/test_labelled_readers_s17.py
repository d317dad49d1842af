"""Every reader of labelled and scores files reports its bad lines as ``themes evaluate`` does.

One error lists every bad line (``file:line: what is wrong``; the first 20, then "and N
more"), so that one run shows all there is to fix; a scores record with no text is named
with its ``file:line`` and reason, not counted in silence.
"""

from __future__ import annotations

import csv
import json

import pytest

from themes.cli import main
from themes.compare import compare_models, read_reference
from themes.errors import DocumentError, InvalidInputError

HELD = [
    {"text": "Terrorists used drones to attack an army post.", "themes": ["uav"]},
    {"text": "Heroin was seized on trafficking routes.", "themes": ["drug_trafficking"]},
]


def scored(text: str, index: int = 0, bulletin: str = "b1.txt") -> dict:
    return {"bulletin": bulletin, "index": index, "text": text, "context": None}


@pytest.fixture
def held(tmp_path):
    path = tmp_path / "held.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in HELD), encoding="utf-8")
    return path


# ----------------------------------------------------------------- compare


def test_compare_data_lists_every_bad_line_of_a_labelled_file(tiny_model_dir, tmp_path, capsys):
    # --data is read by evaluate's reader (read_labelled): both bad lines in one error.
    path = tmp_path / "lab.jsonl"
    path.write_text(json.dumps(HELD[0]) + "\n{not json\n" + json.dumps(HELD[1]) + "\n[1, 2\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        compare_models(tiny_model_dir, tiny_model_dir, data=path)
    message = str(info.value)
    assert message.splitlines()[0] == f"{path}: 2 bad lines:"
    assert f"{path}:2: " in message and f"{path}:4: " in message
    assert main(["compare", str(tiny_model_dir), str(tiny_model_dir), "--data", str(path)]) == 1  # a data error
    err = capsys.readouterr().err
    assert f"{path}:2: " in err and f"{path}:4: " in err


def test_compare_archive_lists_every_bad_line_of_a_scores_file(tmp_path):
    # It stopped at line 2; line 4 was found on the next run.
    path = tmp_path / "scores.jsonl"
    path.write_text(
        json.dumps(scored("Drones attacked.")) + "\n{not json\n" + json.dumps(scored("Heroin.", 1)) + "\n[1, 2\n",
        encoding="utf-8",
    )
    with pytest.raises(DocumentError) as info:
        read_reference(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: 2 bad lines:"
    assert lines[1].startswith(f"{path}:2: ") and lines[2].startswith(f"{path}:4: ")


def test_compare_archive_lists_more_than_twenty_bad_lines_with_and_n_more(tmp_path):
    path = tmp_path / "scores.jsonl"
    path.write_text("{not json\n" * 23, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        read_reference(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: 23 bad lines:" and lines[-1] == "and 3 more."


def test_compare_archive_names_each_record_without_text_with_its_line_and_reason(tiny_model_dir, held, tmp_path, capsys):
    # They were counted as "passed over" (n_reference_passed_over), printed nowhere.
    path = tmp_path / "scores.jsonl"
    records = [
        scored("Drones attacked the army post at night."),
        {"bulletin": "b2.pdf", "error": "cannot be read"},
        scored("   ", 1),
        {"bulletin": "b1.txt", "status": "ok", "counts": {"statements": 1}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    notes: list[str] = []
    reference, passed = read_reference(path, not_read=notes)
    assert [r["text"] for r in reference] == [records[0]["text"]] and passed == 3
    assert [n.split(": ", 1)[0] for n in notes] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "b2.pdf" in notes[0] and "cannot be read" in notes[0]
    assert "blank" in notes[1] and "summary" in notes[2]
    result = compare_models(tiny_model_dir, tiny_model_dir, data=held, archive=path)
    assert result["reference_not_read"] == notes
    assert main(["compare", str(tiny_model_dir), str(tiny_model_dir), "--data", str(held), "--archive", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 records of the reference set not read" in out
    for note in notes:
        assert note in out


# ----------------------------------------------------------------- suggest


def test_suggest_lists_every_bad_line_of_a_scores_file(tiny_model_dir, tmp_path):
    from themes.suggest import suggest

    path = tmp_path / "scores.jsonl"
    path.write_text("{not json\n" + json.dumps(scored("Drones.")) + "\n[1]\n{\"a\": \n", encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        suggest(path, model=tiny_model_dir)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: 3 bad lines:"
    assert [line.split(": ", 1)[0] for line in lines[1:]] == [f"{path}:1", f"{path}:3", f"{path}:4"]
    assert "expected a JSON object" in lines[2]


# ----------------------------------------------------------------- trends


def trends_records(n: int) -> list[dict]:
    return [
        {"bulletin": f"b{i}.txt", "date": "2024-01-05", "index": 0, "kind": "sentence", "text": f"Statement {i}.",
         "themes": ["uav"] if i % 2 else [], "model": "m-1"}
        for i in range(n)
    ]


def test_trends_lists_every_bad_line_of_a_scores_file(tmp_path):
    from themes.trends import trends

    lines = [json.dumps(r) for r in trends_records(6)]
    lines[1], lines[4] = "{not json", "[1, 2]"
    path = tmp_path / "scores.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends(path, by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == f"{path}: 2 bad lines:"
    assert message[1].startswith(f"{path}:2: ") and message[2].startswith(f"{path}:5: ")


def test_trends_names_the_cut_last_row_of_a_csv_with_old_mac_line_ends(tmp_path):
    # Lines ended by a lone "\r": the line count read one line, so the cut row was not
    # found and was counted as a statement with no theme.
    from themes.trends import trends

    path = tmp_path / "scores.csv"
    columns = ["bulletin", "date", "index", "kind", "text", "themes", "model"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r")
        writer.writerow(columns)
        for r in trends_records(10):
            writer.writerow([r[c] if c != "themes" else ";".join(r[c]) for c in columns])
        fh.write("b10.txt,2024-01-05,0,sentence,Drones were")  # killed here
    result = trends(path, by="year", rates={})
    assert result.periods[0].statements == 10
    assert result.cut_short == [f"{path}:12"]
    assert any(n.startswith(f"{path}:12: cut short") for n in result.notes)


def test_trends_csv_rows_keep_their_line_numbers_with_crlf_and_lone_cr(tmp_path):
    from themes.trends.io import read_records

    for ending in ("\r\n", "\r", "\n"):
        path = tmp_path / "s.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator=ending)
            writer.writerow(["bulletin", "date", "text", "themes"])
            writer.writerows([["b.txt", "2024-01-01", "One.", "uav"], ["b.txt", "2024-01-01", "Two.", ""]])
            fh.write("b.txt,2024-01-01")  # cut: two cells of four
        cut: list = []
        assert [w for w, _ in read_records(path, cut)] == [f"{path}:2", f"{path}:3"], repr(ending)
        assert cut == [f"{path}:4"], repr(ending)


def test_the_csv_line_count_takes_a_crlf_split_between_two_reads_as_one_break(tmp_path):
    from themes.trends.io import _last_row_number

    path = tmp_path / "s.csv"
    path.write_bytes(b"x" * ((1 << 20) - 1) + b"\r\nb\r\nc")  # the first "\r\n" across the 1 MiB reads
    assert _last_row_number(path) == 3
    path.write_bytes(b"x" * ((1 << 20) - 1) + b"\rb\rc")
    assert _last_row_number(path) == 3
