"""Archive scoring: formats, records, summaries, failures, output rules, resume, locks, scale."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import themes.archive.pipeline as pipeline
from themes import classify, score_archive
from themes.api import MAX_STATEMENT_CHARS
from themes.archive import RECORD_FIELDS, date_from_filename, output_lock, write_scores
from themes.cli import main
from themes.errors import (
    DocumentError,
    InvalidInputError,
    OutputLockedError,
)
from themes.readers import Document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

TOPICS = [
    "discussed the use of drones by terrorist groups",
    "agreed to freeze terrorist assets and stop crypto financing",
    "reviewed the return of foreign terrorist fighters from Syria",
    "planned a joint anti-terrorist exercise for special units",
    "noted illegal migration across the state border",
    "called for removing terrorist propaganda from messengers",
    "stressed the protection of airports and nuclear power plants",
    "exchanged data on heroin trafficking routes",
]


def bulletin_text(n: int) -> str:
    """A small generated bulletin (title, dateline, sentences, a lead-in and bullets)."""
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    year = 2020 + (n // 336) % 5
    bullets = "\n".join(f"- {TOPICS[(n + k) % len(TOPICS)]};" for k in range(3))
    return (
        f"Meeting number {n} of the Council\n\n"
        f"Minsk, {day} {['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} {year}\n\n"
        f"The Council met for the {n}th time. Delegations of {3 + n % 6} states took part.\n\n"
        f"During the session the participants:\n{bullets}\n\n"
        "The next meeting will be held in the autumn.\n"
    )


def make_archive(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"bulletin-{n:05d}.txt").write_text(bulletin_text(n), encoding="utf-8")
    return folder


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def keyed(records):
    return [(r["bulletin"], r["index"]) for r in records]


# ---------------------------------------------------------------- the examples
@pytest.fixture(scope="module")
def example_results():
    return list(score_archive(EXAMPLES))


def test_examples_each_format_is_scored_with_dates_and_encodings(example_results):
    summaries = {Path(r.bulletin).name: r.summary for r in example_results}
    assert all(r.ok for r in example_results)
    expected = {
        "2024-03-12-council-minsk.txt": ("txt", "utf-8", "2024-03-12"),
        "2024-06-20-expert-group-tashkent.html": ("html", "utf-8", "2024-06-20"),
        "2024-09-05-joint-exercise.pdf": ("pdf", None, "2024-09-05"),
        "2024-11-18-working-group-financing.docx": ("docx", None, "2024-11-18"),
        "2025-02-10-border-agencies-cp1251.txt": ("txt", "windows-1251", "2025-02-10"),
        "2025-10-16-coordination-council-dushanbe-ru.txt": ("txt", "utf-8", "2025-10-16"),
    }
    assert {name: (s["format"], s["encoding"], s["date"]) for name, s in summaries.items()} == expected
    assert all(s["date_source"] == "dateline" for s in summaries.values())


def test_records_have_the_fields_offsets_and_the_model(example_results):
    council = example_results[0]
    text = (EXAMPLES / "2024-03-12-council-minsk.txt").read_text(encoding="utf-8")
    assert [r["index"] for r in council.records] == list(range(len(council.records)))
    for record in council.records:
        assert tuple(record) == RECORD_FIELDS
        assert text[record["start"] : record["end"]] == record["text"]
        assert record["bulletin"] == str(EXAMPLES / "2024-03-12-council-minsk.txt")
        assert record["date"] == "2024-03-12"
        assert set(record["scores"]) == set(load_model_default().themes)
        assert record["model"] == load_model_default().name
        assert record["truncated"] is False


def _wrapped_bulletin(kind: str, folder: Path) -> Path:
    """A bulletin whose statements run over lines: the PDF example, the English text example
    wrapped at 72 columns, a DOCX whose paragraphs are broken with shift-enter."""
    if kind == "pdf":
        pytest.importorskip("pypdf")
        return EXAMPLES / "2024-09-05-joint-exercise.pdf"
    import textwrap

    paragraphs = (EXAMPLES / "2024-03-12-council-minsk.txt").read_text(encoding="utf-8").split("\n")
    if kind == "txt":  # each line wrapped, a list item's with its marker
        path = folder / "2024-03-12-council-minsk-wrapped.txt"
        path.write_text("\n".join(textwrap.fill(p, 72, break_on_hyphens=False) for p in paragraphs), encoding="utf-8")
        return path
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in filter(None, paragraphs):
        lines = textwrap.wrap(text, 72, break_on_hyphens=False)
        paragraph = document.add_paragraph(lines[0])
        for line in lines[1:]:
            paragraph.runs[-1].add_break()
            paragraph.add_run(line)
    path = folder / "2024-03-12-council-minsk.docx"
    document.save(path)
    return path


@pytest.mark.parametrize("kind", ["pdf", "txt", "docx"])
def test_a_statement_over_lines_is_read_as_one_line_with_offsets_into_the_extracted_text(monkeypatch, tmp_path, kind):
    from themes.readers import read_documents
    from themes.segment import unwrap_lines

    read = []  # what the model was given to read

    def reading(texts, **kwargs):
        if not isinstance(texts, str):
            read.extend(texts)
        return classify(texts, **kwargs)

    monkeypatch.setattr(pipeline, "classify", reading)
    path = _wrapped_bulletin(kind, tmp_path)
    (result,) = score_archive(path)
    doc = next(read_documents(path))
    extracted = doc.text()
    spans = [extracted[r["start"] : r["end"]] for r in result.records]
    assert doc.wrapped and sum("\n" in span for span in spans) >= 2  # sentences run over lines
    assert [r["text"] for r in result.records] == [unwrap_lines(span) for span in spans]
    assert not any("\n" in r["text"] for r in result.records)
    assert read == [r["text"] for r in result.records]


def load_model_default():
    from themes.api import get_model

    return get_model()


def test_bullets_are_classified_with_their_lead_in_as_context(example_results):
    records = example_results[0].records
    bullet = next(r for r in records if r["kind"] == "bullet" and "drones" in r["text"])
    assert bullet["context"] == "During the first session the participants:"
    alone = classify(bullet["text"], context=bullet["context"])
    assert bullet["scores"] == {t: round(p, 4) for t, p in alone.scores.items()}
    assert "uav" in bullet["themes"]


def test_summary_counts_max_scores_and_evidence(example_results):
    council = example_results[0]
    summary = council.summary
    said = [r for r in council.records if r["kind"] not in ("title", "dateline", "heading", "lead_in")]
    assert 0 < len(said) < len(council.records)
    counts = {t: sum(t in r["themes"] for r in said) for t in summary["counts"]}
    assert summary["counts"] == counts
    assert summary["statements"] == len(council.records)
    for theme, value in summary["max_scores"].items():
        assert value == max(r["scores"][theme] for r in said)
    assert set(summary["evidence"]) == {t for t, n in counts.items() if n}
    uav = summary["evidence"]["uav"]
    assert any("drones" in e["text"] for e in uav)
    assert all(council.records[e["index"]]["scores"]["uav"] == e["score"] for e in uav)


def test_date_from_the_record_then_dateline_then_file_name(tmp_path):
    (tmp_path / "2023-07-01-note.txt").write_text("Border guards met. They talked.", encoding="utf-8")
    (tmp_path / "dated.txt").write_text("Astana, 3 March 2022\n\nBorder guards met.", encoding="utf-8")
    (tmp_path / "undated.txt").write_text("Border guards met.", encoding="utf-8")
    (tmp_path / "2025-10-10-wire.txt").write_text("MOSCOW, October 9 (TASS) - Border guards met.", encoding="utf-8")
    # a range is dated by its first day, in any of the places a date is read from
    (tmp_path / "range.txt").write_text("MINSK, from 20 to 24 May 2025 - Border guards met.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Drones.", "date": "2021-02-03"}) + "\n"
        # the analyst's own field wins over the text's dateline
        + json.dumps({"id": "j2", "text": "ТАШКЕНТ, 15 марта 2023 г. Пограничники встретились.", "date": "2024-01-01"}) + "\n"
        + json.dumps({"id": "j3", "text": "Drones.", "date": "с 20 по 24 мая 2025 года"}) + "\n"
    )
    got = {Path(r.bulletin).name: (r.date, r.summary["date_source"]) for r in score_archive(tmp_path)}
    assert got == {
        "2023-07-01-note.txt": ("2023-07-01", "file name"),
        "j1": ("2021-02-03", "record"),
        "j2": ("2024-01-01", "record"),
        "dated.txt": ("2022-03-03", "dateline"),
        "undated.txt": (None, None),
        "2025-10-10-wire.txt": ("2025-10-09", "dateline"),  # its year from the file name
        "range.txt": ("2025-05-20", "dateline"),
        "j3": ("2025-05-20", "record"),
    }
    assert date_from_filename("x-31.12.2020.pdf") == "2020-12-31"


def test_a_dateline_without_a_year_takes_it_from_a_year_folder(tmp_path):
    (tmp_path / "2023" / "march").mkdir(parents=True)
    (tmp_path / "2023" / "march" / "wire.txt").write_text("MINSK, 3 March (BelTA) - Border guards met.", encoding="utf-8")
    (tmp_path / "2023" / "ru.txt").write_text("МИНСК, 3 марта. /БелТА/. Пограничники встретились.", encoding="utf-8")
    (tmp_path / "2023" / "no-dateline.txt").write_text("Border guards met.", encoding="utf-8")  # a folder is no date
    got = {Path(r.bulletin).name: (r.date, r.summary["date_source"]) for r in score_archive(tmp_path)}
    assert got == {"wire.txt": ("2023-03-03", "dateline"), "ru.txt": ("2023-03-03", "dateline"), "no-dateline.txt": (None, None)}


def test_a_file_creation_date_comes_after_the_text_the_name_and_the_year_folder():
    from themes.archive.summary import bulletin_date
    from themes.segment import segment

    def dated(text, path, created="2026-12-07"):  # a PDF converted today, say
        doc = Document(bulletin=path, format="pdf", chunks=lambda: [text], date=created)
        return bulletin_date(list(segment(text)), doc, path)

    yearless = "МОСКВА, 17 ноября. /ТАСС/. Пограничники встретились."
    assert dated(yearless, "archive/2023/tass.pdf") == ("2023-11-17", "dateline")
    assert dated(yearless, "archive/2022-11-17-tass.pdf") == ("2022-11-17", "dateline")
    assert dated(yearless, "archive/tass.pdf") == ("2026-11-17", "dateline")  # nothing better
    assert dated("Border guards met.", "archive/2024-03-05-meeting.pdf") == ("2024-03-05", "file name")
    assert dated("Border guards met.", "archive/2023/meeting.pdf") == ("2026-12-07", "metadata")
    assert dated("Border guards met.", "archive/meeting.pdf", created=None) == (None, None)


def test_a_bulletin_without_a_dateline_is_dated_by_the_date_opening_its_first_statement(tmp_path):
    (tmp_path / "kazinform.txt").write_text(
        "Заседание Совета\n\n10 июня 2025 года в Астане состоялось заседание Совета. Обсуждены БПЛА.", encoding="utf-8"
    )
    (tmp_path / "en.txt").write_text("On 12 May 2024 the Council met in Minsk. Drones were discussed.", encoding="utf-8")
    (tmp_path / "2023").mkdir()
    (tmp_path / "2023" / "ru.txt").write_text("17 ноября в Москве прошло совещание.", encoding="utf-8")
    # a date further in, or in a later statement, is what the bulletin talks about, not when
    (tmp_path / "later.txt").write_text("The Council met in Minsk. It reviewed the decisions of 12 May 2019.", encoding="utf-8")
    (tmp_path / "2022-01-05-named.txt").write_text("Border guards met on 12 May 2024. Drones.", encoding="utf-8")  # the name first
    (tmp_path / "range-ru.txt").write_text("С 20 по 24 мая 2025 года в Москве прошли учения. Обсуждены БПЛА.", encoding="utf-8")
    (tmp_path / "range-en.txt").write_text("Between 20 and 24 May 2025 the Council met in Minsk.", encoding="utf-8")
    got = {Path(r.bulletin).name: (r.date, r.summary["date_source"]) for r in score_archive(tmp_path)}
    assert got == {
        "kazinform.txt": ("2025-06-10", "text"),
        "en.txt": ("2024-05-12", "text"),
        "ru.txt": ("2023-11-17", "text"),
        "later.txt": (None, None),
        "2022-01-05-named.txt": ("2022-01-05", "file name"),
        "range-ru.txt": ("2025-05-20", "text"),
        "range-en.txt": ("2025-05-20", "text"),
    }


def test_a_statement_longer_than_the_model_reads_is_cut_into_fragments_read_whole(tmp_path):
    text = "drones " * (MAX_STATEMENT_CHARS // 7 + 100)  # one sentence, no full stop
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    result = next(score_archive(tmp_path))
    assert [r["fragment"] for r in result.records] == [True, True]
    assert [r["truncated"] for r in result.records] == [False, False]
    assert all(len(r["text"]) <= MAX_STATEMENT_CHARS for r in result.records)
    assert " ".join(r["text"] for r in result.records).split() == text.split()
    assert result.summary["truncated"] == 0


def test_score_archive_is_lazy(tmp_path):
    # Reading runs at most about batch_size statements ahead of the results.
    make_archive(tmp_path, 3)
    results = score_archive(tmp_path, batch_size=1)
    first = next(results)
    assert first.ok
    (tmp_path / "bulletin-00002.txt").unlink()  # not yet read: it is missed, not remembered
    rest = list(results)
    assert [r.ok for r in rest] == [True, False]
    assert "no such file" in rest[1].error


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"jobs": 0}, "The 'jobs' parameter of score_archive must be an int >= 1. Got 0 instead."),
        ({"batch_size": 1.5}, "The 'batch_size' parameter of score_archive must be an int >= 1. Got 1.5 instead."),
        ({"backend": "spark"}, "The 'backend' parameter of score_archive must be 'local' or 'dask'. Got 'spark' instead."),
        ({"backend": "dask"}, "The 'scheduler' parameter of score_archive must be a Dask scheduler address"),
        (
            {"backend": "dask", "scheduler": "notaurl"},
            "The 'scheduler' parameter of score_archive must be a Dask scheduler address such as 'tcp://HOST:PORT' "
            "(or a Client). Got 'notaurl' instead.",
        ),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        next(score_archive(EXAMPLES, **kwargs))


def test_parallel_needs_a_saved_model(tiny_model):
    with pytest.raises(InvalidInputError, match="never saved"):
        next(score_archive(EXAMPLES, model=tiny_model, jobs=2))


# ---------------------------------------------------------------------- CLI
def test_cli_corrupt_file_among_good_ones(tmp_path, capsys):
    archive_dir = make_archive(tmp_path / "archive", 3)
    (archive_dir / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (archive_dir / "broken.docx").write_bytes(b"not a zip")
    out, summary = tmp_path / "scores.jsonl", tmp_path / "bulletins.jsonl"
    code = main(["score", str(archive_dir), "--out", str(out), "--summary", str(summary)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{archive_dir / 'broken.pdf'}: not a readable PDF" in captured.err
    assert f"{archive_dir / 'broken.docx'}: not a valid .docx" in captured.err
    assert captured.out.strip() == f"scored 3 bulletins, 2 failed, 27 statements -> {out}"
    records = read_records(out)
    assert len(records) == 27 and {Path(r["bulletin"]).name for r in records} == {f"bulletin-0000{i}.txt" for i in range(3)}
    statuses = {Path(s["bulletin"]).name: s["status"] for s in read_records(summary)}
    assert statuses == {"bulletin-00000.txt": "ok", "bulletin-00001.txt": "ok", "bulletin-00002.txt": "ok", "broken.docx": "failed", "broken.pdf": "failed"}


def test_files_of_other_types_in_a_folder_are_reported_not_read(tmp_path, capsys):
    archive_dir = make_archive(tmp_path / "archive", 2)
    (archive_dir / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0 a legacy Word file")
    (archive_dir / "sub").mkdir()
    (archive_dir / "sub" / "agenda.rtf").write_text("{\\rtf1 agenda}", encoding="utf-8")
    (archive_dir / ".hidden.doc").write_bytes(b"x")  # hidden files stay out of everything
    out = tmp_path / "scores.jsonl"
    assert main(["score", str(archive_dir), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"scored 2 bulletins, 0 failed, 18 statements -> {out}; 2 files of another type not read"
    assert captured.err.strip() == (
        f"themes: not read, of a type themes does not read: {archive_dir / 'minutes.doc'}, "
        f"{archive_dir / 'sub' / 'agenda.rtf'} (convert them to PDF, DOCX, HTML or text; name one to see why)"
    )
    report = write_scores([archive_dir], tmp_path / "again.jsonl")
    assert [Path(p).name for p in report.passed_over] == ["minutes.doc", "agenda.rtf"]
    with pytest.warns(UserWarning, match=r"score_archive: not read, of a type themes does not read: .*minutes\.doc"):
        assert len(list(score_archive(archive_dir))) == 2


def test_a_markdown_bulletin_is_scored_as_plain_text(tmp_path):
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "2024-05-14-council.md"
    path.write_text(
        "# Council meets\n\n**The participants:**\n- discussed terrorist use of **drones**;\n"
        "- read [the report](https://example.org/r).\n",
        encoding="utf-8",
    )
    (result,) = score_archive(tmp_path / "in")
    text = path.read_text(encoding="utf-8")
    assert [(r["kind"], r["text"], r["context"]) for r in result.records] == [
        ("title", "Council meets", None),
        ("lead_in", "The participants:", None),
        ("bullet", "discussed terrorist use of drones;", "The participants:"),
        ("bullet", "read the report.", "The participants:"),
    ]
    assert text[result.records[2]["start"] : result.records[2]["end"]] == "discussed terrorist use of **drones**;"


def test_a_csv_in_a_folder_is_told_how_tables_are_read(tmp_path, capsys):
    """A .csv among the bulletins was told "convert them to PDF, DOCX, HTML or text", which no
    one does with a table: the note now says which formats are read and how a table comes in."""
    archive_dir = make_archive(tmp_path / "archive", 1)
    (archive_dir / "statements.csv").write_text("id,text\n1,Drones were seen.\n", encoding="utf-8")
    assert main(["score", str(archive_dir), "--out", str(tmp_path / "s.jsonl")]) == 0
    note = capsys.readouterr().err.strip()
    assert note.startswith(f"themes: not read, of a type themes does not read: {archive_dir / 'statements.csv'} ")
    assert "themes reads .txt, .md, .html, .pdf, .docx and .jsonl files" in note
    assert 'write its rows to a .jsonl file, one JSON object a line: {"id": ..., "text": ..., "date": "2024-05-14"}' in note
    assert "convert them to PDF" not in note


def test_bulletins_without_a_date_are_named_at_the_end(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "2024-05-14-dated.txt").write_text("Council meets\n\nDrones were discussed.\n", encoding="utf-8")
    (tmp_path / "in" / "undated.txt").write_text("Council meets\n\nMINSK, 3 March (BelTA). Drones.\n", encoding="utf-8")
    assert main(["score", str(tmp_path / "in"), "--out", str(tmp_path / "s.jsonl")]) == 0
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"themes: 1 of 2 bulletins has no date ({tmp_path / 'in' / 'undated.txt'}): none in its dateline")
    assert write_scores([tmp_path / "in"], tmp_path / "again.jsonl").undated == [str(tmp_path / "in" / "undated.txt")]


def test_the_first_undated_json_lines_record_is_named_by_file_and_line(tmp_path, capsys):
    """An undated record was named by its id alone, which does not say where it is in the file."""
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "archive.jsonl"
    records = [
        {"id": "b-1", "text": "Drones were discussed.", "date": "2024-05-14"},
        {"id": "b-2", "text": "Border guards met."},
        {"id": "b-3", "text": "Funds were frozen."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["score", str(tmp_path / "in"), "--out", str(tmp_path / "s.jsonl")]) == 0
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"themes: {path}:2: 2 of 3 bulletins have no date (b-2 and 1 more): none in their dateline")
    report = write_scores([tmp_path / "in"], tmp_path / "again.jsonl")
    assert (report.undated, report.undated_at) == (["b-2", "b-3"], f"{path}:2")


def test_cli_all_good_exits_0_and_never_overwrites_without_force(tmp_path, capsys):
    make_archive(tmp_path / "a", 2)
    out = tmp_path / "s.jsonl"
    assert main(["score", str(tmp_path / "a"), "--out", str(out), "--quiet"]) == 0
    before = out.read_bytes()
    capsys.readouterr()
    assert main(["score", str(tmp_path / "a"), "--out", str(out)]) == 1
    assert "s.jsonl: already exists; pass --force to replace it or --resume to continue it" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["score", str(tmp_path / "a"), "--out", str(out), "--force"]) == 0
    assert out.read_bytes() == before
    assert main(["score", str(tmp_path / "a"), "--out", str(out), "--force", "--resume"]) == 2


def test_cli_csv_output(tmp_path, capsys):
    make_archive(tmp_path / "a", 2)
    out = tmp_path / "s.csv"
    assert main(["score", str(tmp_path / "a"), "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 18
    assert rows[0]["kind"] == "title" and rows[0]["date"] == "2020-01-01"
    assert {(r["truncated"], r["fragment"]) for r in rows} == {("false", "false")}  # as JSON writes booleans
    assert "score.uav" in rows[0]
    drone = next(r for r in rows if "drones" in r["text"])
    assert "uav" in drone["themes"].split(";")
    assert drone["context"] == "During the session the participants:"


@pytest.mark.parametrize(
    "name, fmt, message",
    [
        ("s.tsv", "csv", "s.tsv: themes writes JSON Lines or CSV, not '.tsv'"),
        ("s.txt", "jsonl", "s.txt: unknown output type '.txt'; name it .jsonl (or .ndjson, .jsonlines) or .csv, or give --format"),  # never guessed
    ],
)
def test_an_output_named_for_a_format_themes_does_not_write_is_refused(tmp_path, capsys, name, fmt, message):
    make_archive(tmp_path / "a", 1)
    assert main(["score", str(tmp_path / "a"), "--out", str(tmp_path / name)]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / name).exists()
    assert main(["score", str(tmp_path / "a"), "--out", str(tmp_path / name), "--format", fmt]) == 0


def test_a_run_that_scores_nothing_exits_1_and_leaves_no_output_behind(tmp_path, capsys):
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    (tmp_path / "empty").mkdir()
    assert main(["score", str(tmp_path / "empty"), "--out", str(out), "--summary", str(summary)]) == 1
    assert (
        f"no bulletin found in {tmp_path / 'empty'} (looked for .txt, .md, .html, .pdf, .docx and .jsonl files); "
        "no output written"
    ) in capsys.readouterr().out
    assert not out.exists() and not summary.exists()
    assert main(["score", str(tmp_path / "missing.txt"), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "missing.txt: no such file" in captured.err and "1 failed" in captured.out
    assert not out.exists()
    # the corrected run is not refused for want of --force
    make_archive(tmp_path / "a", 2)
    assert main(["score", str(tmp_path / "a"), "--out", str(out)]) == 0
    assert len(read_records(out)) == 18
    # an output that existed before the run is the user's: never removed
    assert main(["score", str(tmp_path / "empty"), "--out", str(out), "--force"]) == 1
    assert out.exists()


def test_resume_says_how_many_bulletins_were_already_there(tmp_path, capsys):
    make_archive(tmp_path / "a", 3)
    out = tmp_path / "s.jsonl"
    assert main(["score", str(tmp_path / "a"), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["score", str(tmp_path / "a"), "--out", str(out), "--resume"]) == 0
    assert "2 bulletins already in it were not scored again" in capsys.readouterr().out


def test_output_inside_the_archive_is_not_read_as_input(tmp_path, capsys):
    folder = make_archive(tmp_path, 2)
    out = folder / "scores.jsonl"
    assert main(["score", str(folder), "--out", str(out), "--summary", str(folder / "b.jsonl")]) == 0
    assert main(["score", str(folder), "--out", str(out), "--summary", str(folder / "b.jsonl"), "--resume"]) == 0
    assert len(read_records(out)) == 18


def test_dask_without_scheduler_is_a_usage_error(tmp_path, capsys):
    assert main(["score", str(EXAMPLES), "--out", str(tmp_path / "s.jsonl"), "--backend", "dask"]) == 2
    assert "--backend dask needs --scheduler" in capsys.readouterr().err


# -------------------------------------------------------------------- locks
def test_a_second_run_on_a_locked_output_refuses(tmp_path, capsys):
    out = tmp_path / "s.jsonl"
    with output_lock(out):
        with pytest.raises(OutputLockedError, match="another themes run"):
            write_scores(EXAMPLES, out)
        assert main(["score", str(EXAMPLES), "--out", str(out)]) == 1
        assert "is writing it" in capsys.readouterr().err
    assert not Path(f"{out}.lock").exists()
    assert write_scores(EXAMPLES, out).failed == 0


def test_lock_held_by_another_process_refuses(tmp_path):
    out = tmp_path / "s.jsonl"
    code = (
        "import sys, time\nfrom themes.archive import output_lock\n"
        f"with output_lock({str(out)!r}):\n    print('locked', flush=True)\n    time.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputLockedError, match=rf"pid {holder.pid}"):
            with output_lock(out):
                pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with output_lock(out):  # a killed holder leaves no stale lock
        pass


# ------------------------------------------------------------------- resume
def test_resume_after_a_cut_mid_bulletin_writes_every_statement_once(tmp_path):
    folder = make_archive(tmp_path / "a", 6)
    full, summary_full = tmp_path / "full.jsonl", tmp_path / "full-b.jsonl"
    write_scores(folder, full, summary=summary_full)
    expected = read_records(full)
    data = full.read_bytes()
    for cut in (0, 1, len(data) // 3, len(data) // 2 + 7, len(data) - 5, len(data)):
        out, summary = tmp_path / f"cut{cut}.jsonl", tmp_path / f"cut{cut}-b.jsonl"
        out.write_bytes(data[:cut])  # a run killed here, possibly mid-line
        summary.write_bytes(summary_full.read_bytes()[: cut // 10])
        report = write_scores(folder, out, summary=summary, resume=True)
        assert read_records(out) == expected
        summaries = read_records(summary)
        assert sorted(s["bulletin"] for s in summaries) == sorted({r["bulletin"] for r in expected})
        assert report.skipped + report.scored == 6


def test_resume_of_a_finished_run_with_its_summary_scores_nothing_again(tmp_path):
    folder = make_archive(tmp_path / "a", 3)
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    write_scores([folder], out, summary=summary)
    before = out.read_bytes()
    report = write_scores([folder], out, summary=summary, resume=True)
    # The last bulletin has its summary record, so it is known complete.
    assert (report.scored, report.skipped, report.statements) == (0, 3, 0)
    assert out.read_bytes() == before
    # Without the summary file the last bulletin cannot be told complete: it is scored again.
    again = write_scores([folder], out, resume=True)
    assert (again.scored, again.skipped) == (1, 2) and out.read_bytes() == before


def test_resume_csv(tmp_path):
    folder = make_archive(tmp_path / "a", 4)
    full = tmp_path / "full.csv"
    write_scores(folder, full)
    data = full.read_bytes()
    out = tmp_path / "cut.csv"
    out.write_bytes(data[: len(data) * 2 // 3])
    write_scores(folder, out, resume=True)
    assert out.read_bytes() == data


def test_resume_refuses_an_output_of_another_model(tmp_path, tiny_model_dir):
    folder = make_archive(tmp_path / "a", 2)
    out = tmp_path / "s.jsonl"
    write_scores(folder, out)
    with pytest.raises(InvalidInputError, match=r"was scored with model .*this run uses tiny-model"):
        write_scores(folder, out, resume=True, model=tiny_model_dir)


def test_a_bulletin_failing_half_way_is_taken_back(tmp_path, monkeypatch):
    folder = make_archive(tmp_path / "a", 2)
    real = pipeline.read_documents

    def flaky(path, data=None):
        if path.endswith("00001.txt"):

            def chunks():
                yield bulletin_text(1)
                raise DocumentError(f"{path}: page 2 cannot be read")

            yield Document(bulletin=path, format="txt", chunks=chunks)
        else:
            yield from real(path, data)

    monkeypatch.setattr(pipeline, "read_documents", flaky)
    out = tmp_path / "s.jsonl"
    report = write_scores(folder, out, batch_size=1)
    assert (report.scored, report.failed, report.statements) == (1, 1, 9)
    assert {r["bulletin"] for r in read_records(out)} == {str(folder / "bulletin-00000.txt")}


# ------------------------------------------------------------------ progress
def test_progress_bar_without_tqdm_is_silent(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    make_archive(tmp_path / "a", 1)
    assert write_scores(tmp_path / "a", tmp_path / "s.jsonl", progress=True).scored == 1
    assert capsys.readouterr().err == ""


def test_progress_bar_with_tqdm(tmp_path, capsys):
    pytest.importorskip("tqdm")
    make_archive(tmp_path / "a", 2)
    write_scores(tmp_path / "a", tmp_path / "s.jsonl", progress=True)
    err = capsys.readouterr().err
    assert "scoring" in err and "2/2" in err


# --------------------------------------------------------------------- scale
@pytest.mark.slow
def test_jobs_2_gives_the_same_records_as_one_process(tmp_path, tiny_model_dir):
    folder = make_archive(tmp_path / "a", 30)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    one = list(score_archive(folder, model=tiny_model_dir))
    two = list(score_archive(folder, model=tiny_model_dir, jobs=2, chunk_size=4))
    assert [r.bulletin for r in two] == [r.bulletin for r in one]
    assert [r.records for r in two] == [r.records for r in one]
    assert [r.summary for r in two] == [r.summary for r in one]


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_records_as_one_process(tmp_path, tiny_model_dir):
    distributed = pytest.importorskip("dask.distributed")
    folder = make_archive(tmp_path / "a", 20)
    (folder / "broken.docx").write_bytes(b"not a zip")
    one = list(score_archive(folder, model=tiny_model_dir))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        on_dask = list(
            score_archive(folder, model=tiny_model_dir, backend="dask", scheduler=cluster.scheduler_address, chunk_size=3)
        )
        out_local, out_dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
        write_scores(folder, out_local, model=tiny_model_dir)
        write_scores(folder, out_dask, model=tiny_model_dir, backend="dask", scheduler=cluster.scheduler_address)
    assert [r.records for r in on_dask] == [r.records for r in one]
    assert [r.summary for r in on_dask] == [r.summary for r in one]
    assert out_dask.read_bytes() == out_local.read_bytes()


@pytest.mark.slow
def test_killed_run_resumed_writes_every_statement_exactly_once(tmp_path, tiny_model_dir):
    folder = make_archive(tmp_path / "a", 1500)
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    command = [
        sys.executable, "-m", "themes", "score", str(folder), "--out", str(out), "--summary", str(summary),
        "--model", str(tiny_model_dir), "--quiet", "--batch-size", "4",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    run = subprocess.Popen(command + ["--force"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 200_000):
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    run.stderr.close()
    assert run.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    written = read_records_tolerant(out)
    assert 0 < len({r["bulletin"] for r in written}) < 1500
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True, env=env, check=False)
    assert resumed.returncode == 0, resumed.stderr
    records = read_records(out)
    assert len(records) == len(set(keyed(records))) == 1500 * 9
    expected = [(str(folder / f"bulletin-{n:05d}.txt"), i) for n in range(1500) for i in range(9)]
    assert keyed(records) == expected
    summaries = read_records(summary)
    assert sorted(s["bulletin"] for s in summaries) == sorted({b for b, _ in expected})
    assert f" -> {out}; " in resumed.stdout and "already in it were not scored again" in resumed.stdout


def read_records_tolerant(path: Path) -> list[dict]:
    records = []
    for line in path.read_bytes().split(b"\n"):
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    return records


def test_jsonl_bulletins_by_id_and_duplicate_ids_fail(tmp_path, capsys):
    lines = [
        {"id": "b-1", "text": "Minsk, 2 May 2024\n\nDrones were discussed.", "date": "2020-01-01"},
        {"id": "b-2", "text": "Border guards met."},
        {"id": "b-1", "text": "A second bulletin with the same id."},
        {"text": "no id"},
    ]
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    assert main(["score", str(path), "--out", str(out), "--summary", str(summary)]) == 1
    err = capsys.readouterr().err
    assert "bulletin id 'b-1' is already in the output; ids must be unique" in err
    assert f"{path}:4: the record has no 'id'" in err
    records = read_records(out)
    # the record's own date field wins over its dateline
    assert [(r["bulletin"], r["date"]) for r in records] == [("b-1", "2020-01-01"), ("b-1", "2020-01-01"), ("b-2", None)]
    assert [s["status"] for s in read_records(summary)] == ["ok", "ok", "failed", "failed"]


def test_bad_threshold_fails_before_any_output_is_written(tmp_path):
    with pytest.raises(InvalidInputError, match="The 'threshold' parameter of write_scores must be a float in"):
        write_scores(EXAMPLES, tmp_path / "s.jsonl", threshold=1.5)
    assert not (tmp_path / "s.jsonl").exists()
    # at the call, not at the first next(), and named for the function called
    with pytest.raises(InvalidInputError, match="The 'threshold' parameter of score_archive must be a float in"):
        score_archive(EXAMPLES, threshold=1.5)
    with pytest.raises(InvalidInputError, match="The 'jobs' parameter of write_scores must be an int >= 1. Got 0 instead."):
        write_scores(EXAMPLES, tmp_path / "s.jsonl", jobs=0)


def test_archive_side_never_imports_training_modules_or_scikit_learn():
    code = (
        "import sys, themes, themes.archive, themes.trends, themes.segment, themes.readers.text, "
        "themes.readers.html, themes.readers.pdf, themes.readers.docx, themes.readers.jsonl, "
        "themes.cli.score, themes.cli.trends\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'sklearn' or m in "
        "('themes.train', 'themes.corpus', 'themes.evaluate') or m.startswith('themes.importers')]\n"
        "print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_russian_bulletin_in_windows_1251_is_read_and_scored(tmp_path):
    """The Russian (windows-1251) example: decoded, every statement scored and read as Russian."""
    result = next(score_archive([EXAMPLES / "2025-02-10-border-agencies-cp1251.txt"]))
    assert result.summary["encoding"] in {"cp1251", "windows-1251"}
    with_letters = [r for r in result.records if any(c.isalpha() for c in r["text"])]
    assert with_letters and not any(r["not_scored"] for r in with_letters)
    assert any(r["themes"] for r in with_letters)


def test_statements_the_model_cannot_read_are_reported_not_scored(tmp_path):
    """A bulletin in a script the model does not read: every statement kept, each says why."""
    bulletin = tmp_path / "arabic.txt"
    bulletin.write_text("عقد الاجتماع في القاهرة.\n\nناقش المشاركون أمن الحدود والطائرات المسيرة.\n", encoding="utf-8")
    result = next(score_archive([bulletin]))
    with_letters = [r for r in result.records if any(c.isalpha() for c in r["text"])]
    assert with_letters and all(r["not_scored"] and not r["themes"] for r in with_letters)
    assert all("neither Latin nor Cyrillic" in r["not_scored"] for r in with_letters)
    assert result.summary["not_scored"] == len(with_letters)


def test_bulletins_classified_together_give_the_records_of_one_at_a_time(tmp_path):
    make_archive(tmp_path, 12)
    together = list(score_archive(tmp_path, batch_size=500))
    alone = list(score_archive(tmp_path, batch_size=1))
    assert [r.records for r in together] == [r.records for r in alone]
    assert [r.summary for r in together] == [r.summary for r in alone]
    assert sum(len(r.records) for r in together) > 12


def test_a_bulletin_that_breaks_classify_fails_alone(tmp_path, monkeypatch):
    make_archive(tmp_path, 4)
    (tmp_path / "bulletin-00001.txt").write_text("Poison pill statement.\n", encoding="utf-8")
    real = pipeline.classify

    def fragile(texts, **kwargs):
        if any("Poison pill" in t for t in texts):
            raise RuntimeError("cannot score this")
        return real(texts, **kwargs)

    monkeypatch.setattr(pipeline, "classify", fragile)
    results = list(score_archive(tmp_path, batch_size=500))
    assert [r.ok for r in results] == [True, False, True, True]
    assert "RuntimeError: cannot score this" in results[1].error
    assert all(r.records for r in results if r.ok)


def test_summary_title_is_the_one_the_segmenter_found(tmp_path):
    (tmp_path / "note.txt").write_text(bulletin_text(3), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "j", "text": "Council meets\n\nDrones were discussed.", "title": "Given title"}) + "\n",
        encoding="utf-8",
    )
    titles = {Path(r.bulletin).name: r.summary["title"] for r in score_archive(tmp_path)}
    assert titles == {"note.txt": "Meeting number 3 of the Council", "j": "Given title"}


def test_score_options_are_one_frozen_checked_value():
    import dataclasses

    from themes.archive import ScoreOptions

    options = ScoreOptions.of("score_archive", jobs=2, skip=["a", "b"])
    assert options.parallel and options.skip == frozenset({"a", "b"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.jobs = 3
    worker = options.for_workers()
    assert (worker.jobs, worker.backend, worker.scheduler, worker.skip) == (1, "local", None, options.skip)
    with pytest.raises(InvalidInputError, match="The 'chunk_size' parameter of write_scores must be an int >= 1. Got 0 instead."):
        ScoreOptions.of("write_scores", chunk_size=0)
    with pytest.raises(InvalidInputError, match="The 'skip' parameter of score_archive must be an iterable of bulletin ids"):
        ScoreOptions.of("score_archive", skip="a.txt")


def test_a_failed_bulletin_s_summary_has_a_date_key_too(tmp_path):
    result = next(score_archive(tmp_path / "missing.txt"))
    assert result.error and result.summary["status"] == "failed"
    assert result.summary["date"] is None  # a reader can index r["date"] on every line
