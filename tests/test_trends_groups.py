"""Trends by source (``--group folder``): a tiny archive of two bodies, scored with the
shipped model through the command line, then grouped by folder: the groups, the counts of
bulletins and statements per group and period, the JSON and CSV shapes, the plot, the
errors; and the root that moves up as bulletins of other folders come in."""

from __future__ import annotations

import csv
import io
import json

import pytest

from themes.cli import main
from themes.errors import ParameterError
from themes.trends import trends

#: path below the archive -> text: two sentences (cis_atc, January), one (cis_atc, April),
#: two (sco_rats, February), one directly in the archive (March).
BULLETINS = {
    "cis_atc/2024/2024-01-15-council.txt": (
        "The participants discussed the use of drones by terrorist groups against energy facilities.\n"
        "They agreed to tighten border controls against foreign terrorist fighters.\n"
    ),
    "cis_atc/2024/2024-04-20-council.txt": "The Council reviewed the financing of terrorism through cryptocurrencies.\n",
    "sco_rats/2024-02-10-rats.txt": (
        "The parties held joint counter-terrorism exercises in the border areas.\n"
        "Online propaganda of terrorist ideology remains a serious threat.\n"
    ),
    "2024-03-05-note.txt": "Drones were used to smuggle weapons across the border.\n",
}


def rows_of(result):
    """(group, period, bulletins, statements) of each row of a grouped result."""
    return [(p.group, p.period, p.bulletins, p.statements) for p in result.periods]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The archive folder and its scores, written by `themes score archive/` run from its parent."""
    top = tmp_path_factory.mktemp("groups")
    for name, text in BULLETINS.items():
        path = top / "archive" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    scores = top / "scores.jsonl"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(top)  # the bulletins are named archive/..., as an analyst's run names them
        assert main(["score", "archive", "--out", "scores.jsonl", "--quiet"]) == 0
    records = [json.loads(line) for line in scores.read_text(encoding="utf-8").splitlines()]
    # What the counts below rest on: every line a sentence, every bulletin named by its path.
    assert {r["kind"] for r in records} == {"sentence"}
    assert sorted({r["bulletin"] for r in records}) == sorted(f"archive/{name}" for name in BULLETINS)
    return top, scores


def test_groups_are_the_folders_below_the_archive_with_their_counts(archive):
    _, scores = archive
    result = trends(scores, by="year", group="folder", rates={})
    assert (result.group, result.group_root, result.groups) == ("folder", "archive", [".", "cis_atc", "sco_rats"])
    assert rows_of(result) == [(".", "2024", 1, 1), ("cis_atc", "2024", 2, 3), ("sco_rats", "2024", 1, 2)]


def test_every_group_gets_every_period_and_the_groups_add_up_to_the_whole(archive):
    _, scores = archive
    grouped = trends(scores, by="month", group="folder", rates={})
    assert rows_of(grouped) == [
        (".", "2024-01", 0, 0), (".", "2024-02", 0, 0), (".", "2024-03", 1, 1), (".", "2024-04", 0, 0),
        ("cis_atc", "2024-01", 1, 2), ("cis_atc", "2024-02", 0, 0), ("cis_atc", "2024-03", 0, 0), ("cis_atc", "2024-04", 1, 1),
        ("sco_rats", "2024-01", 0, 0), ("sco_rats", "2024-02", 1, 2), ("sco_rats", "2024-03", 0, 0), ("sco_rats", "2024-04", 0, 0),
    ]
    whole = trends(scores, by="month", rates={})
    assert [p.group for p in whole.periods] == [None] * 4 and whole.groups == [] and whole.group_root is None
    for period in whole.periods:
        parts = [p for p in grouped.periods if p.period == period.period]
        assert sum(p.statements for p in parts) == period.statements
        for theme in whole.themes:
            assert sum(p.themes[theme].count for p in parts) == period.themes[theme].count


def test_a_deeper_group_and_min_statements_per_group_and_period(archive):
    _, scores = archive
    result = trends(scores, by="year", group="folder:2", rates={}, min_statements=3)
    # sco_rats has no folder below it: as deep as it goes
    assert [(p.group, p.statements, p.small) for p in result.periods] == [
        (".", 1, True), ("cis_atc/2024", 3, False), ("sco_rats", 2, True),
    ]


def test_the_cli_table_names_the_groups_and_their_root(archive, capsys):
    _, scores = archive
    assert main(["trends", str(scores), "--by", "year", "--group", "folder", "--theme", "uav"]) == 0
    out = capsys.readouterr().out
    table = [line.split() for line in out.splitlines() if line.startswith(("cis_atc ", "sco_rats ", ". "))]
    assert [row[:4] for row in table] == [[".", "2024", "1", "1"], ["cis_atc", "2024", "2", "3"], ["sco_rats", "2024", "1", "2"]]
    assert out.splitlines()[0].split()[:3] == ["group", "period", "bulletins"]
    assert "groups (folder below archive): ., cis_atc, sco_rats" in out
    assert "note: group '.' holds the bulletins directly in archive" in out


def test_json_has_the_groups_and_a_group_per_period(archive, capsys):
    _, scores = archive
    assert main(["trends", str(scores), "--by", "year", "--group", "folder", "--json", "--theme", "uav"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["group"], data["group_root"], data["groups"]) == ("folder", "archive", [".", "cis_atc", "sco_rats"])
    assert [(p["group"], p["period"], p["bulletins"], p["statements"]) for p in data["periods"]] == [
        (".", "2024", 1, 1), ("cis_atc", "2024", 2, 3), ("sco_rats", "2024", 1, 2),
    ]
    assert list(data["periods"][0]["themes"]) == ["uav"]
    # ungrouped JSON is as before: no group keys at all
    assert main(["trends", str(scores), "--by", "year", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert "group" not in plain and "groups" not in plain and "group" not in plain["periods"][0]


def test_csv_long_and_wide_open_each_row_with_its_group(archive, tmp_path, capsys):
    _, scores = archive
    long_csv, wide_csv = tmp_path / "long.csv", tmp_path / "wide.csv"
    assert main(["trends", str(scores), "--by", "quarter", "--group", "folder", "--theme", "uav", "--theme", "financing",
                 "--out", str(long_csv)]) == 0
    assert "(2 periods x 3 groups, 2 themes, one row per group, period and theme)" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(long_csv.read_text(encoding="utf-8"))))
    assert list(rows[0])[:6] == ["group", "period", "bulletins", "statements", "small", "theme"]
    assert len(rows) == 3 * 2 * 2  # groups x quarters x themes
    assert {(r["group"], r["period"], r["statements"]) for r in rows if r["theme"] == "uav"} == {
        (".", "2024-Q1", "1"), (".", "2024-Q2", "0"),
        ("cis_atc", "2024-Q1", "2"), ("cis_atc", "2024-Q2", "1"),
        ("sco_rats", "2024-Q1", "2"), ("sco_rats", "2024-Q2", "0"),
    }
    assert main(["trends", str(scores), "--by", "quarter", "--group", "folder", "--theme", "uav", "--wide", "--out", str(wide_csv)]) == 0
    capsys.readouterr()
    wide = list(csv.reader(io.StringIO(wide_csv.read_text(encoding="utf-8"))))
    assert wide[0] == ["group", "period", "bulletins", "statements", "small",
                       "uav.count", "uav.share", "uav.adjusted", "uav.low", "uav.high"]
    assert [row[:4] for row in wide[1:]] == [
        [".", "2024-Q1", "1", "1"], [".", "2024-Q2", "0", "0"],
        ["cis_atc", "2024-Q1", "1", "2"], ["cis_atc", "2024-Q2", "1", "1"],
        ["sco_rats", "2024-Q1", "1", "2"], ["sco_rats", "2024-Q2", "0", "0"],
    ]
    # standard output, same table
    assert main(["trends", str(scores), "--by", "quarter", "--group", "folder", "--theme", "uav", "--wide", "--out", "-"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == wide


def test_the_plot_draws_one_line_per_group(archive, tmp_path):
    pytest.importorskip("matplotlib")
    _, scores = archive
    result = trends(scores, by="month", group="folder")
    figure_path = result.plot(tmp_path / "groups.png", themes=["uav", "financing"])
    assert figure_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.figure

    # the lines drawn, per panel: one per group, labelled with it
    drawn = {}
    real = matplotlib.figure.Figure.savefig

    def keep(self, *args, **kwargs):
        drawn["labels"] = [[line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
                           for ax in self.axes]
        return real(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matplotlib.figure.Figure, "savefig", keep)
        result.plot(tmp_path / "again.png", themes=["uav", "financing"])
    assert drawn["labels"] == [[".", "cis_atc", "sco_rats"]] * 2


def test_bodies_scored_as_several_roots_into_several_files(archive, capsys):
    top, _ = archive
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(top)
        assert main(["score", "archive/cis_atc", "--out", "cis.jsonl", "--quiet"]) == 0
        assert main(["score", "archive/sco_rats", "archive/2024-03-05-note.txt", "--out", "rest.jsonl", "--quiet"]) == 0
        capsys.readouterr()
        # one body alone: its root is its own folder and its bulletins are in '.'
        alone = trends("cis.jsonl", by="year", group="folder", rates={})
        assert (alone.group_root, alone.groups) == ("archive/cis_atc/2024", ["."])
        assert any("grouping by folder gives one group" in note for note in alone.notes)
        both = trends(["cis.jsonl", "rest.jsonl"], by="year", group="folder", rates={})
    assert both.group_root == "archive"
    assert rows_of(both) == [(".", "2024", 1, 1), ("cis_atc", "2024", 2, 3), ("sco_rats", "2024", 1, 2)]


def record(bulletin, date, themes=()):
    # as an older themes wrote them: no language, no fragment, no text
    return {"bulletin": bulletin, "date": date, "themes": list(themes), "model": "m"}


def test_the_root_moves_up_and_merges_what_was_counted_below_it():
    records = [
        record("data/a/2023/x1.txt", "2023-05-01", ["uav"]),
        record("data/a/2023/x1.txt", "2023-05-01"),
        # root: data/a/2023 -> data/a; x2 is counted under data/a/late, apart from x1
        record("data/a/late/x2.txt", "2023-08-01", ["uav"]),
        # root: data/a -> data: the counts of data/a/2023 and data/a/late, both of 2023, become one
        record("data/b/y1.txt", "2023-06-01"),
        record("data/a/2023/x3.txt", "2023-07-01", ["uav"]),
        record("data/a/2024/x4.txt", "2024-02-01"),
    ]
    result = trends(records, by="year", group="folder", rates={})
    assert result.group_root == "data"
    assert [(p.group, p.period, p.bulletins, p.statements, p.themes["uav"].count) for p in result.periods] == [
        ("a", "2023", 3, 4, 3), ("a", "2024", 1, 1, 0), ("b", "2023", 1, 1, 0), ("b", "2024", 0, 0, 0),
    ]
    # The same bulletins in an order that finds the root at once: the same figures, intervals
    # (their per-bulletin sums) included.
    rates = {"uav": (0.9, 0.05, 100, 900)}
    moved = trends(records, by="year", group="folder", rates=rates).to_dict()
    at_once = trends(records[3:4] + records[:3] + records[4:], by="year", group="folder", rates=rates).to_dict()
    assert moved["periods"][0]["themes"]["uav"]["low"] is not None
    assert moved == at_once


def test_undated_bulletins_still_place_the_root_and_ids_with_slashes_are_paths():
    records = [
        record("cis/2024/17", "2024-01-02", ["uav"]),
        record("rats/2024/3", None),  # undated: not counted, but it is in the archive
        record("loose-id", "2024-01-03"),
    ]
    result = trends(records, by="year", group="folder", rates={})
    assert (result.group_root, result.groups) == (".", [".", "cis"])
    assert rows_of(result) == [(".", "2024", 1, 1), ("cis", "2024", 1, 1)]
    assert result.undated_bulletins == 1


def test_absolute_and_relative_paths_mixed_get_a_note():
    result = trends([record("/srv/archive/a/x.txt", "2024-01-01"), record("archive/b/y.txt", "2024-01-01")],
                    by="year", group="folder", rates={})
    assert any("absolute in some records and relative in others" in note for note in result.notes)
    # one spelling: no such note
    same = trends([record("/srv/archive/a/x.txt", "2024-01-01"), record("/srv/archive/b/y.txt", "2024-01-01")],
                  by="year", group="folder", rates={})
    assert same.groups == ["a", "b"] and not any("absolute" in note for note in same.notes)


@pytest.mark.parametrize("bad", ["body", "folder:0", "folder:x", "Folder", "", 1, ["folder"]],
                         ids=["word", "depth-0", "depth-x", "capital", "empty", "int", "list"])
def test_an_unknown_group_is_a_parameter_error_naming_it(bad):
    with pytest.raises(ParameterError, match=r"The 'group' parameter of trends must be None, 'folder' or 'folder:N' .*Got .* instead\."):
        trends([record("a/x.txt", "2024-01-01")], group=bad, rates={})


def test_an_unknown_group_on_the_command_line_names_the_option_value_and_choices(archive, capsys):
    _, scores = archive
    assert main(["trends", str(scores), "--group", "body"]) == 2
    err = capsys.readouterr().err
    assert "argument --group:" in err
    assert "must be 'folder' or 'folder:N'" in err and "Got 'body' instead." in err
    assert "None" not in err  # the command line has no None
