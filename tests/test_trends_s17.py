"""Follow-ups of themes trends (s17): a bulletin none of whose statements was scored (a
Ukrainian or Kazakh one) is not counted in its period's bulletins, and is named in the notes;
every record that is no statement record, every bad line of a summaries file, and the bad
lines of several scores files, are reported in one error."""

import json
import sys
from pathlib import Path

import pytest

from themes.errors import InvalidInputError
from themes.trends import trends

sys.path.insert(0, str(Path(__file__).parent))
from test_russian_review_s17 import _RUSSIAN_WITH_A_KAZAKH_QUOTE, _UKRAINIAN  # noqa: E402

UK_REASON = "not scored: in a bulletin in Ukrainian; the model reads English and Russian"


def record(bulletin, text, themes=(), date="2024-03-05", kind="sentence", not_scored=None, index=0):
    return {"bulletin": bulletin, "date": date, "index": index, "kind": kind, "text": text,
            "themes": list(themes), "not_scored": not_scored, "model": "m-1"}


def month_records():
    """March 2024: a Russian bulletin (3 statements, one with uav) and a Ukrainian one (none scored)."""
    ru = [record("a/ru.txt", "Title", kind="title"),
          record("a/ru.txt", "Drones.", ["uav"], index=1),
          record("a/ru.txt", "Borders.", ["border_security"], index=2),
          record("a/ru.txt", "More.", index=3)]
    uk = [record("a/uk.txt", "Заголовок", kind="title", date="2024-03-14", not_scored=UK_REASON),
          record("a/uk.txt", "Служба безпеки.", date="2024-03-14", not_scored=UK_REASON, index=1),
          record("a/uk.txt", "Було прийнято.", date="2024-03-14",
                 not_scored="not scored: Cyrillic with letters Russian does not have (і)", index=2),
          record("a/uk.txt", "Учасники.", date="2024-03-14", not_scored=UK_REASON, index=3)]
    return ru, uk


RATES = {"uav": (0.9, 0.05, 100, 900), "border_security": (0.8, 0.1, 50, 950)}


# ----------------------------------------------------------------- 1. bulletins with no statement scored


def test_a_bulletin_with_no_statement_scored_is_not_counted_in_its_periods_bulletins():
    ru, uk = month_records()
    result = trends(ru + uk, by="month", rates=RATES)
    alone = trends(ru, by="month", rates=RATES)
    (period,) = result.periods
    assert (period.period, period.bulletins, period.statements) == ("2024-03", 1, 3)
    # every figure is that of the Russian bulletin alone (the interval too: it counted two clusters)
    assert [p.to_dict() for p in result.periods] == [p.to_dict() for p in alone.periods]
    assert result.not_scored_statements == 3
    assert result.not_scored_bulletins == [
        {"bulletin": "a/uk.txt", "where": "record 5", "date": "2024-03-14", "period": "2024-03",
         "statements": 3, "reason": "in a bulletin in Ukrainian; the model reads English and Russian"}
    ]
    assert result.to_dict()["not_scored_bulletins"] == result.not_scored_bulletins
    (note,) = [n for n in result.notes if "a/uk.txt" in n]
    assert note.startswith("1 bulletin had no statement scored and is not counted in 'bulletins': a/uk.txt (2024-03: in a bulletin in Ukrainian")
    assert "1 bulletin of 4" not in str(result) and "3 statements of 1 bulletin" in str(result)


def test_the_interval_is_that_of_the_bulletins_read():
    # Three bulletins far apart (18, 2 and 10 of 20 with uav): the interval is by bulletin, and
    # a fourth with nothing scored made it narrower (b / (b - 1) over four clusters, not three).
    def bulletin(name, n, k, not_scored=None):
        return [record(name, f"{name} {i}", ["uav"] if i < k else [], not_scored=not_scored, index=i) for i in range(n)]

    read = bulletin("a", 20, 18) + bulletin("b", 20, 2) + bulletin("c", 20, 10)
    rates = {"uav": (0.9, 0.05, 100, 900)}
    alone = trends(read, by="month", rates=rates).periods[0].themes["uav"]
    both = trends(read + bulletin("u", 5, 0, UK_REASON), by="month", rates=rates).periods[0].themes["uav"]
    assert alone.low < 0.01 and both.to_dict() == alone.to_dict()


def test_a_bulletin_of_titles_alone_is_not_counted_either_and_says_why():
    ru, _ = month_records()
    titles = [record("a/t.txt", "Title", kind="title"), record("a/t.txt", "Moscow, 5 March", kind="dateline", index=1)]
    result = trends(ru + titles, by="month", rates={})
    assert result.periods[0].bulletins == 1
    (gone,) = result.not_scored_bulletins
    assert gone["bulletin"] == "a/t.txt" and gone["statements"] == 0 and "no statement" in gone["reason"]


def test_a_period_of_unscored_bulletins_alone_is_listed_with_no_bulletin_and_many_are_named_a_few():
    ru, uk = month_records()
    later = [dict(r, bulletin=f"a/uk{i}.txt", date=f"2024-0{4 + i}-01", text=f"{r['text']} {i}") for i in range(5) for r in uk]
    result = trends(ru + later, by="month", rates={})
    assert [(p.period, p.bulletins, p.statements) for p in result.periods] == [
        ("2024-03", 1, 3), ("2024-04", 0, 0), ("2024-05", 0, 0), ("2024-06", 0, 0), ("2024-07", 0, 0), ("2024-08", 0, 0)
    ]
    assert len(result.not_scored_bulletins) == 5
    (note,) = [n for n in result.notes if "no statement scored" in n]
    assert note.startswith("5 bulletins had no statement scored and are not counted in 'bulletins': a/uk0.txt (2024-04: ")
    assert "and 2 more (--json, to_dict(): not_scored_bulletins lists them all)" in note


def test_grouped_trends_name_the_group_of_a_bulletin_with_no_statement_scored(tmp_path):
    ru, uk = month_records()
    uk = [dict(r, bulletin="a/kyiv/uk.txt") for r in uk]
    ru = [dict(r, bulletin="a/moscow/ru.txt") for r in ru]
    result = trends(ru + uk, by="month", rates={}, group="folder")
    assert result.groups == ["kyiv", "moscow"]
    assert [(p.group, p.bulletins, p.statements) for p in result.periods] == [("kyiv", 0, 0), ("moscow", 1, 3)]
    assert result.not_scored_bulletins[0]["group"] == "kyiv"
    pytest.importorskip("matplotlib")
    result.plot(tmp_path / "groups.png")
    assert (tmp_path / "groups.png").stat().st_size > 0


def test_themes_trends_on_a_scored_ukrainian_bulletin_counts_the_bulletins_read(tmp_path, capsys):
    from themes.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2025-03-14-uk.txt").write_text(_UKRAINIAN, encoding="utf-8")
    (folder / "ru.txt").write_text(_RUSSIAN_WITH_A_KAZAKH_QUOTE, encoding="utf-8")
    scores = tmp_path / "scores.jsonl"
    assert main(["score", str(folder), "--out", str(scores), "--quiet"]) == 0
    capsys.readouterr()
    out = tmp_path / "trends.csv"
    plot = tmp_path / "trends.png"
    assert main(["trends", str(scores), "--out", str(out), "--wide", "--plot", str(plot)]) == 0
    err = capsys.readouterr().err
    assert "1 bulletin had no statement scored and is not counted in 'bulletins': " in err and "uk.txt (2025-03: " in err
    header, row = out.read_text(encoding="utf-8").splitlines()
    assert header.startswith("period,bulletins,statements,") and row.startswith("2025-03,1,3,")
    assert plot.stat().st_size > 0
    assert main(["trends", str(scores), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["periods"][0]["bulletins"] == 1
    assert [Path(b["bulletin"]).name for b in data["not_scored_bulletins"]] == ["2025-03-14-uk.txt"]
    assert "Ukrainian" in data["not_scored_bulletins"][0]["reason"]


# ----------------------------------------------------------------- 2. records that are no statement records


def good(i, bulletin=None):
    return json.dumps(record(bulletin or f"b{i}.txt", f"Statement {i}.", ["uav"] if i % 2 else []))


def test_every_record_that_is_no_statement_record_is_listed_with_the_bad_json_lines(tmp_path):
    path = tmp_path / "scores.jsonl"
    lines = [good(0), json.dumps({"bulletin": "b1.txt", "date": "2024-03-05"}), "{not json", good(3),
             json.dumps({"bulletin": "b4.txt", "date": "2024-03-05", "themes": ["drones"]}),
             json.dumps({"date": "2024-03-05", "themes": []}), json.dumps({"bulletin": "b6.txt", "status": "ok"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends(path, by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == f"{path}: 5 bad lines:"
    assert [line.split(": ", 1)[0] for line in message[1:]] == [f"{path}:{n}" for n in (2, 3, 5, 6, 7)]
    assert "no 'themes' field" in message[1] and "invalid JSON" in message[2] and "'drones'" in message[3]
    assert "no 'bulletin' field" in message[4] and "bulletin summary" in message[5]


def test_records_given_as_dicts_that_are_no_statement_records_are_listed_in_one_error():
    records = [{"bulletin": "a", "date": "2024-01-01", "themes": []}, {"bulletin": "b"}, ["x"], {"bulletin": None, "themes": []}]
    with pytest.raises(InvalidInputError) as info:
        trends(records, by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == "the records given: 3 bad records:"
    assert [line.split(": ", 1)[0] for line in message[1:]] == ["record 2", "record 3", "record 4"]


def test_one_record_that_is_no_statement_record_is_the_message_itself(tmp_path):
    path = tmp_path / "scores.jsonl"
    path.write_text(good(0) + "\n" + json.dumps({"bulletin": "b", "date": "2024-01-01"}) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"^.*scores\.jsonl:2: not a statement record of `themes score` \(no 'themes' field\)$"):
        trends(path, by="year", rates={})


def test_a_bulletin_given_twice_is_reported_with_the_bad_lines_before_it(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(good(0) + "\n{oops\n", encoding="utf-8")
    second.write_text(good(1) + "\n" + good(0) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends([first, second], by="year", rates={})
    message = str(info.value).splitlines()
    assert len(message) == 3 and message[1].startswith(f"{first}:2: invalid JSON")
    assert message[2].startswith(f"{second}:2: bulletin 'b0.txt' again")


# ----------------------------------------------------------------- 3. the summaries file


def summary(bulletin, path):
    return json.dumps({"bulletin": bulletin, "path": path, "status": "ok", "format": "jsonl"})


def test_every_bad_line_of_the_summaries_files_is_listed_in_one_error(tmp_path):
    scores = tmp_path / "scores.jsonl"
    scores.write_text(good(0, "b-17") + "\n", encoding="utf-8")
    one, two = tmp_path / "bulletins.jsonl", tmp_path / "more.jsonl"
    one.write_text("\n".join([summary("b-17", "archive/cis_atc.jsonl"), "{not json", good(1), "[1]"]) + "\n", encoding="utf-8")
    two.write_text("\n".join(["nope", summary("b-18", "archive/osce.jsonl")]) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends(scores, by="year", rates={}, group="folder", summaries=[one, two])
    message = str(info.value).splitlines()
    assert message[0] == f"{one}, {two}: 4 bad lines:"
    assert [line.split(": ", 1)[0] for line in message[1:]] == [f"{one}:2", f"{one}:3", f"{one}:4", f"{two}:1"]
    assert "a statement record (the --out file)" in message[2] and "expected a JSON object" in message[3]


def test_the_command_line_lists_every_bad_summary_line(tmp_path, capsys):
    from themes.cli import main

    scores = tmp_path / "scores.jsonl"
    scores.write_text(good(0, "b-17") + "\n", encoding="utf-8")
    summaries = tmp_path / "bulletins.jsonl"
    summaries.write_text("{x\n{y\n" + summary("b-17", "archive/cis_atc.jsonl") + "\n", encoding="utf-8")
    assert main(["trends", str(scores), "--group", "folder", "--summary", str(summaries)]) != 0
    err = capsys.readouterr().err
    assert f"{summaries}: 2 bad lines:" in err and f"{summaries}:1: " in err and f"{summaries}:2: " in err


# ----------------------------------------------------------------- 4. several scores files


def test_the_bad_lines_of_several_scores_files_are_listed_in_one_error(tmp_path):
    first, second, gone = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    first.write_text(good(0) + "\n{oops\n", encoding="utf-8")
    second.write_text(json.dumps({"bulletin": "b1.txt"}) + "\n" + good(2) + "\n[3]\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        trends([first, second, gone], by="year", rates={})
    message = str(info.value).splitlines()
    assert message[0] == f"{first}, {second}, {gone}: 4 bad lines:"
    assert [line.split(": ", 1)[0] for line in message[1:]] == [f"{first}:2", f"{second}:1", f"{second}:3", str(gone)]
    assert "no such file" in message[4]


def test_themes_trends_with_several_files_lists_the_bad_lines_of_each(tmp_path, capsys):
    from themes.cli import main

    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(good(0) + "\n{oops\n", encoding="utf-8")
    second.write_text(good(1) + "\n{oops\n", encoding="utf-8")
    assert main(["trends", str(first), str(second)]) != 0
    err = capsys.readouterr().err
    assert f"{first}:2: invalid JSON" in err and f"{second}:2: invalid JSON" in err
