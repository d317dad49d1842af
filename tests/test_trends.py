"""Trends: periods, raw shares, adjusted prevalence with intervals, small periods, plots, CLI."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from themes.archive import write_scores
from themes.artifact import read_manifest
from themes.cli import main
from themes.errors import InvalidInputError, MissingDependencyError, OutputExistsError
from themes.trends import MIN_DISCRIMINATION, Rates, error_rates, trends

UAV = Rates(tpr=0.9, fpr=0.1, positives=100, negatives=900)


def bulletin(name, date, n, tagged, theme="uav", model="m-1"):
    return [
        {"bulletin": name, "date": date, "index": i, "themes": [theme] if i < tagged else [], "model": model}
        for i in range(n)
    ]


def known_records():
    return (
        bulletin("jan-a", "2024-01-05", 10, 3)
        + bulletin("jan-b", "2024-01-20", 10, 1)
        + bulletin("undated", None, 4, 4)
        + bulletin("mar-a", "2024-03-02", 5, 5)
    )


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_known_counts_shares_gaps_small_periods_and_undated():
    result = trends(known_records(), by="month", rates={"uav": UAV}, min_statements=10)
    assert [(p.period, p.bulletins, p.statements, p.small) for p in result.periods] == [
        ("2024-01", 2, 20, False),
        ("2024-02", 0, 0, True),
        ("2024-03", 1, 5, True),
    ]
    jan, feb, mar = (p.themes["uav"] for p in result.periods)
    assert (jan.count, jan.share) == (4, 0.2)
    assert jan.adjusted == pytest.approx((0.2 - 0.1) / 0.8)
    assert (feb.count, feb.share, feb.adjusted) == (0, None, None)
    assert (mar.share, mar.adjusted) == (1.0, 1.0)  # (1 - 0.1) / 0.8 clipped to 1
    assert (result.undated_bulletins, result.undated_statements) == (1, 4)
    assert any("4 statements of 1 bulletin have no date" in n for n in result.notes)
    assert result.periods[0].themes["financing"].count == 0


def test_interval_is_the_delta_method_with_cluster_robust_share_variance():
    result = trends(known_records(), by="month", rates={"uav": UAV}, min_statements=10)
    jan = result.periods[0].themes["uav"]
    z = 1.959963984540054
    q, n = 0.2, 20
    # clusters: (3 of 10) and (1 of 10)
    cluster = 2 / 1 * ((3 - q * 10) ** 2 + (1 - q * 10) ** 2) / n**2
    centre = (4 + z * z / 2) / (n + z * z)
    var_q = max(cluster, centre * (1 - centre) / (n + z * z))
    t = (0.9 * 100 + 1) / 102
    f = (0.1 * 900 + 1) / 902
    p = (q - 0.1) / 0.8
    se = math.sqrt(var_q + p * p * t * (1 - t) / 102 + (1 - p) ** 2 * f * (1 - f) / 902) / 0.8
    assert jan.low == pytest.approx(max(0.0, p - z * se))
    assert jan.high == pytest.approx(p + z * se)
    assert jan.low <= jan.adjusted <= jan.high


def test_more_statements_give_a_narrower_interval():
    few = trends(bulletin("a", "2024-01-01", 20, 4) + bulletin("b", "2024-01-02", 20, 4), by="year", rates={"uav": UAV})
    many = trends(
        [r for k in range(50) for r in bulletin(f"b{k}", "2024-01-01", 20, 4)], by="year", rates={"uav": UAV}
    )
    width = lambda r: r.periods[0].themes["uav"].high - r.periods[0].themes["uav"].low
    assert width(many) < width(few)


@pytest.mark.parametrize(
    "by, expected",
    [
        ("quarter", [("2024-Q1", 3, 25)]),
        ("year", [("2024", 3, 25)]),
    ],
)
def test_quarters_and_years(by, expected):
    result = trends(known_records(), by=by, rates={})
    assert [(p.period, p.bulletins, p.statements) for p in result.periods] == expected
    assert result.periods[0].themes["uav"].count == 9
    assert result.periods[0].themes["uav"].adjusted is None  # rates={} turns the correction off


def test_quarter_gaps_cross_years():
    records = bulletin("a", "2023-11-01", 3, 1) + bulletin("b", "2024-04-01", 3, 1)
    assert [p.period for p in trends(records, by="quarter", rates={}).periods] == ["2023-Q4", "2024-Q1", "2024-Q2"]


def test_a_theme_the_model_cannot_tell_apart_gets_no_adjusted_value():
    weak = Rates(tpr=0.5, fpr=0.5 - MIN_DISCRIMINATION / 2, positives=10, negatives=10)
    result = trends(known_records(), by="year", rates={"uav": weak})
    assert result.periods[0].themes["uav"].adjusted is None
    assert any("no adjusted prevalence for uav" in n for n in result.notes)


def test_error_rates_from_a_manifest(tiny_model_dir):
    manifest = read_manifest(tiny_model_dir)
    rates = error_rates(manifest)
    cv = manifest["metrics"]["cross_validation"]
    figures = cv["per_theme"]["uav"]
    assert rates["uav"] == Rates(
        figures["tp"] / figures["support"], figures["fp"] / (cv["n"] - figures["support"]), figures["support"], cv["n"] - figures["support"]
    )


@pytest.fixture(scope="module")
def scored_archive(tmp_path_factory, tiny_model_dir):
    """A small archive scored with the tiny model: JSON Lines and CSV."""
    from test_archive import make_archive

    base = tmp_path_factory.mktemp("trends")
    folder = make_archive(base / "archive", 40)
    jsonl, csv_path = base / "scores.jsonl", base / "scores.csv"
    write_scores(folder, jsonl, model=tiny_model_dir)
    write_scores(folder, csv_path, model=tiny_model_dir)
    return jsonl, csv_path


def test_trends_on_a_scored_archive_match_the_records(scored_archive, tiny_model_dir, read_jsonl):
    jsonl, _ = scored_archive
    everything = read_jsonl(jsonl)
    records = [r for r in everything if r["kind"] not in ("title", "dateline", "heading", "lead_in", "table")]
    result = trends(jsonl, by="month", model=tiny_model_dir)
    assert 0 < len(records) < len(everything)
    assert result.not_statements == len(everything) - len(records)
    assert any("titles, datelines, headings, lead-ins and tables are not statements" in n for n in result.notes)
    assert result.model == "tiny-model" and result.rates == error_rates(read_manifest(tiny_model_dir))
    for period in result.periods:
        inside = [r for r in records if r["date"][:7] == period.period]
        assert period.statements == len(inside)
        assert period.bulletins == len({r["bulletin"] for r in inside})
        for theme, trend in period.themes.items():
            assert trend.count == sum(theme in r["themes"] for r in inside)
    assert sum(p.statements for p in result.periods) == len(records)


def test_csv_scores_give_the_same_trends(scored_archive, tiny_model_dir):
    jsonl, csv_path = scored_archive
    assert trends(csv_path, by="quarter", model=tiny_model_dir).to_dict() == trends(jsonl, by="quarter", model=tiny_model_dir).to_dict()


def test_model_found_by_the_name_in_the_scores(scored_archive, tiny_model_dir, monkeypatch):
    jsonl, _ = scored_archive
    monkeypatch.setenv("THEMES_MODEL", str(tiny_model_dir))
    result = trends(jsonl, by="year")
    assert result.model == "tiny-model" and result.rates is not None
    assert result.periods[0].themes["uav"].adjusted is not None


def test_unknown_model_name_gives_raw_shares_and_a_note(tmp_path):
    result = trends(write_jsonl(tmp_path / "s.jsonl", known_records()), by="year")
    assert result.rates is None
    assert result.periods[0].themes["uav"].share == 9 / 25
    assert result.periods[0].themes["uav"].adjusted is None
    assert any("model m-1 not found" in n for n in result.notes)


def test_an_interrupted_last_line_is_not_counted_and_is_reported_as_cut_short(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", known_records())  # 29 records, 25 of them dated
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"bulletin": "cut", "da')
    result = trends(path, by="year", rates={})
    assert result.periods[0].statements == 25
    assert result.cut_short == [f"{path}:30"]
    assert any(n.startswith(f"{path}:30: cut short: the file ends inside a record") for n in result.notes)


def test_parameter_errors():
    with pytest.raises(InvalidInputError, match=r"The 'by' parameter of trends must be one of \['month', 'quarter', 'year'\]. Got 'week' instead."):
        trends([], by="week")
    with pytest.raises(InvalidInputError, match="The 'min_statements' parameter of trends must be an int >= 0. Got -1 instead."):
        trends([], min_statements=-1)


def test_plot_writes_an_image_and_never_overwrites(tmp_path):
    pytest.importorskip("matplotlib")
    result = trends(known_records(), by="month", rates={"uav": UAV}, min_statements=10)
    path = result.plot(tmp_path / "t.png", themes=["uav", "financing"])
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(OutputExistsError, match="t.png: already exists; pass --force"):
        result.plot(tmp_path / "t.png")
    result.plot(tmp_path / "t.png", force=True)


def test_plot_without_matplotlib_gives_the_pip_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    result = trends(known_records(), rates={})
    with pytest.raises(MissingDependencyError, match=r"pip install 'themes\[plot\]'"):
        result.plot(tmp_path / "t.png")


def test_cli_table_json_and_plot(tmp_path, capsys):
    scores = write_jsonl(tmp_path / "s.jsonl", known_records())
    assert main(["trends", str(scores), "--by", "month", "--theme", "uav", "--min-statements", "10"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["period", "bulletins", "statements", "theme", "count", "share", "adjusted", "95%", "interval", "note"]
    assert lines[2].split()[:6] == ["2024-01", "2", "20", "uav", "4", "20.0%"]
    assert "no statements" in lines[3] and "few statements (< 10)" in lines[4]
    assert "note: model m-1 not found" in out
    assert main(["trends", str(scores), "--by", "year", "--json", "--theme", "uav"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["periods"][0]["themes"]) == ["uav"] and data["undated_statements"] == 4
    pytest.importorskip("matplotlib")
    assert main(["trends", str(scores), "--plot", str(tmp_path / "p.png")]) == 0
    assert (tmp_path / "p.png").exists()
    capsys.readouterr()
    assert main(["trends", str(scores), "--plot", str(tmp_path / "p.png")]) == 1
    assert "p.png: already exists; pass --force" in capsys.readouterr().err


def test_impossible_and_non_string_dates_are_not_periods(tmp_path):
    records = (
        bulletin("ok", "2024-02-29", 4, 1)
        + bulletin("feb-30", "2024-02-30", 3, 3)
        + bulletin("nines", "9999-99-99", 2, 2)
        + bulletin("number", 20240101, 2, 2)
    )
    path = write_jsonl(tmp_path / "s.jsonl", records)
    result = trends(path, by="month", rates={})
    assert [p.period for p in result.periods] == ["2024-02"]
    assert result.periods[0].statements == 4
    assert (result.undated_bulletins, result.undated_statements) == (3, 7)
    note = next(n for n in result.notes if "no calendar date" in n)
    assert note.startswith("3 bulletins") and f"'2024-02-30' at {path}:5" in note


def test_a_record_that_is_not_a_statement_record_names_its_line(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", bulletin("a", "2024-01-01", 2, 1) + [{"bulletin": ["x"], "themes": []}])
    with pytest.raises(InvalidInputError, match=rf"{path}:3: 'bulletin' must be a string"):
        trends(path, rates={})
    path.write_text(path.read_text() + "[1]\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=rf"{path}:3: "):
        trends(path, rates={})


def test_a_summary_file_or_a_record_without_themes_is_refused_not_counted(tmp_path):
    summary = write_jsonl(tmp_path / "b.jsonl", [{"bulletin": "a", "date": "2024-01-01", "status": "ok", "statements": 3}])
    with pytest.raises(InvalidInputError, match=rf"{summary}:1: not a statement record .*no 'themes' field.*--summary"):
        trends(summary, rates={})
    path = write_jsonl(tmp_path / "s.jsonl", bulletin("a", "2024-01-01", 2, 1) + [{"bulletin": "a", "kind": "sentence"}])
    with pytest.raises(InvalidInputError, match=rf"{path}:3: not a statement record .*no 'themes' field\)$"):
        trends(path, rates={})


def test_an_adjusted_share_clipped_at_a_bound_keeps_an_interval_of_some_width():
    from themes.trends.statistics import PeriodCounts, theme_trend

    period = PeriodCounts(["uav"])
    for _ in range(20):
        period.add_bulletin(75, {"uav": 1})  # 1.3% tagged, under the 5% false alarm rate
    trend = theme_trend(period, "uav", Rates(tpr=0.9, fpr=0.05, positives=200, negatives=2000), 1.96)
    assert trend.adjusted == 0.0 and trend.low == 0.0
    assert trend.high > 0.005  # not "0.0%-0.0%": a small share, not a known zero
    period = PeriodCounts(["uav"])
    for _ in range(20):
        period.add_bulletin(75, {"uav": 74})  # more tagged than a perfect model would tag
    trend = theme_trend(period, "uav", Rates(tpr=0.9, fpr=0.05, positives=200, negatives=2000), 1.96)
    assert trend.adjusted == 1.0 and trend.high == 1.0 and trend.low < 0.995


def test_the_same_scores_given_twice_are_refused_not_counted_twice(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", bulletin("a", "2024-01-01", 3, 1) + bulletin("b", "2024-01-02", 2, 0))
    assert trends(path, rates={}).periods[0].statements == 5
    with pytest.raises(InvalidInputError, match=rf"{path}:1: bulletin 'a' again, after other bulletins \(first at {path}:1\)"):
        trends([path, path], rates={})


def test_wide_csv_has_one_row_per_period_and_pandas_reads_it(tmp_path):
    pandas = pytest.importorskip("pandas")
    result = trends(known_records(), by="month", rates={"uav": UAV}, min_statements=10)
    out = result.to_csv(tmp_path / "wide.csv", wide=True)
    table = pandas.read_csv(out)
    assert list(table["period"]) == ["2024-01", "2024-02", "2024-03"]
    assert list(table["statements"]) == [20, 0, 5]
    assert table.loc[0, "uav.share"] == pytest.approx(0.2)
    assert table.loc[0, "uav.adjusted"] == pytest.approx((0.2 - 0.1) / 0.8)
    assert pandas.isna(table.loc[1, "uav.share"])
    assert f"{len(result.themes) * 5 + 4}" == str(len(table.columns))
    long = pandas.read_csv(result.to_csv(tmp_path / "long.csv"))
    assert len(long) == 3 * len(result.themes) and set(long["theme"]) == set(result.themes)


def test_cli_csv_to_stdout_and_a_file(tmp_path, capsys):
    scores = write_jsonl(tmp_path / "s.jsonl", known_records())
    assert main(["trends", str(scores), "--by", "month", "--theme", "uav", "--wide", "--out", "-"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "period,bulletins,statements,small,uav.count,uav.share,uav.adjusted,uav.low,uav.high"
    assert [line.split(",")[0] for line in lines[1:]] == ["2024-01", "2024-02", "2024-03"]
    assert "note: model m-1 not found" in captured.err
    out = tmp_path / "t.csv"
    assert main(["trends", str(scores), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("period,bulletins,statements,small,theme,count,share")
    assert capsys.readouterr().out.strip().endswith(f"to {out}")
    assert main(["trends", str(scores), "--out", str(out)]) == 1
    assert "already exists; pass --force" in capsys.readouterr().err


def test_cli_plot_with_an_unknown_image_format_is_a_usage_error(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    scores = write_jsonl(tmp_path / "s.jsonl", known_records())
    assert main(["trends", str(scores), "--plot", str(tmp_path / "t.xyz")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "t.xyz" in err and ".png" in err and "unexpected" not in err
    assert not (tmp_path / "t.xyz").exists()


def test_plot_leaves_out_empty_periods_at_the_ends(tmp_path):
    pytest.importorskip("matplotlib")
    from themes.trends.plot import drawn_periods

    records = bulletin("a", "2024-01-05", 3, 1) + [
        {"bulletin": "b", "date": "2024-03-01", "index": 0, "themes": [], "not_scored": "not English"}
    ]
    result = trends(records, by="month", rates={})
    assert [p.period for p in result.periods] == ["2024-01", "2024-02", "2024-03"]
    assert [p.period for p in drawn_periods(result.periods)] == ["2024-01"]


def test_an_unknown_theme_id_is_refused_with_its_place(tmp_path):
    scores = tmp_path / "scores.jsonl"
    scores.write_text(
        json.dumps({"bulletin": "a", "date": "2025-01-02", "themes": ["uav"]}) + "\n"
        + json.dumps({"bulletin": "a", "date": "2025-01-02", "themes": ["drones"]}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError, match=r"scores\.jsonl:2: unknown theme id 'drones' in 'themes'; the themes are financing, uav,"):
        trends(scores, rates={})


def test_a_bulletin_given_to_trends_is_named_as_such(tmp_path, capsys):
    bulletin = tmp_path / "council.txt"
    bulletin.write_text("Council meets\n\nThe participants discussed drones.\n", encoding="utf-8")
    assert main(["trends", str(bulletin)]) == 1
    assert "not a statement record of `themes score` (no 'bulletin' field)" in capsys.readouterr().err


def test_an_archive_scored_in_parts_is_read_from_all_its_files(tmp_path, capsys):
    parts = []
    for i, date in enumerate(["2024-01-10", "2024-02-10"]):
        part = tmp_path / f"part{i}.jsonl"
        part.write_text(json.dumps({"bulletin": f"b{i}", "date": date, "themes": ["uav"]}) + "\n", encoding="utf-8")
        parts.append(part)
    both = trends(parts, by="month", rates={})
    assert [p.period for p in both.periods] == ["2024-01", "2024-02"]
    assert main(["trends", str(parts[0]), str(parts[1]), "--json"]) == 0
    assert [p["period"] for p in json.loads(capsys.readouterr().out)["periods"]] == ["2024-01", "2024-02"]



@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: (d / "t.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") and d / "t.png",
         "t.png: is a PNG image, not a statements file; trends reads the JSON Lines or CSV file written by `themes score --out`"),
        (lambda d: (d / "t.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") and d / "t.pdf",
         "t.pdf: is a PDF document, not a statements file"),
        (lambda d: (d / "scores.csv").write_bytes(b"bulletin,date\x00\n") and d / "scores.csv",
         "scores.csv: is binary data (a NUL byte at offset 13), not a statements file"),
        (lambda d: (d / "out").mkdir() or d / "out",
         "out: is a folder; trends reads statements files (JSON Lines or CSV, as written by `themes score --out`): give the files, e.g. "),
        (lambda d: (d / "s.jsonl").symlink_to(d / "gone.jsonl") or d / "s.jsonl",
         "s.jsonl: a broken symbolic link: its target, "),
    ],
    ids=["png", "pdf", "nul-bytes", "folder", "broken-link"],
)
def test_a_file_that_is_no_statements_file_says_what_it_is(tmp_path, capsys, make, expected):
    """Not "not UTF-8; save the file as UTF-8" for an image, nor "Is a directory" for a folder."""
    path = make(tmp_path)
    assert main(["trends", str(path), "--by", "year"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"themes: error: {tmp_path}/{expected}"), err
    assert len(err.splitlines()) == 1 and "UTF-8" not in err
