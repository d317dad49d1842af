"""What an analyst met installing themes fresh and following the README (session 15)."""

from __future__ import annotations

import json

import pytest

from conftest import TINY_CONFIG, write_tiny_release

from themes.cli import main


def test_train_says_each_step_on_stderr_as_it_starts(tmp_path, capsys):
    # `themes train` on the shipped corpus runs for minutes (5 with leave-one-style-out on 2
    # cores) and printed nothing before its figures: a user could not tell it from a hang.
    release = write_tiny_release(tmp_path / "release")
    config = tmp_path / "config.json"
    config.write_text(json.dumps(TINY_CONFIG), encoding="utf-8")
    out = tmp_path / "model"
    code = main(["train", "--release", str(release), "--no-shipped", "--config", str(config), "--out", str(out)])
    assert code == 0
    captured = capsys.readouterr()
    steps = [line for line in captured.err.splitlines() if line.startswith("themes train [")]
    said = "\n".join(steps)
    assert "cross-validation 1 of" in said
    assert "fitting the model on the train split" in said
    assert "leave-one-style-out" in said and "--no-loso" in said
    assert f"saving {out}" in said
    # In the order they run, each with the time since the start; the figures stay on stdout.
    assert said.index("cross-validation") < said.index("fitting") < said.index("leave-one") < said.index("saving")
    assert all(line.split("]")[0].count(":") == 1 for line in steps)
    assert "themes train [" not in captured.out
    assert f"saved {out}" in captured.out


def test_train_progress_starts_after_the_releases_are_checked(tmp_path, capsys):
    # A release that cannot be trained on stays one error line: nothing is said before it.
    release = write_tiny_release(tmp_path / "release")
    out = tmp_path / "model"
    code = main(["train", "--release", str(release), "--no-shipped", "--out", str(out), "--seed", "x"])
    assert code == 2
    capsys.readouterr()
    missing = tmp_path / "nowhere"
    assert main(["train", "--release", str(missing), "--no-shipped", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("themes: error: "), err


def test_train_json_keeps_stdout_json_with_progress_on_stderr(tmp_path, capsys):
    release = write_tiny_release(tmp_path / "release")
    config = tmp_path / "config.json"
    config.write_text(json.dumps(TINY_CONFIG), encoding="utf-8")
    out = tmp_path / "model"
    code = main(["train", "--release", str(release), "--no-shipped", "--config", str(config), "--out", str(out),
                 "--no-loso", "--json"])
    assert code == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["out"] == str(out)
    assert "cross-validation" in captured.err
    assert "leave-one-style-out" not in captured.err  # --no-loso: not announced


# ----------------------------------------------------------------------------- trends --plot
def _record(bulletin, date, themes=()):
    return {"bulletin": bulletin, "date": date, "themes": list(themes), "model": "m"}


def _bands(path, result, themes):
    """(colour, first x, last x) of each 95% interval drawn in each panel: a filled band, or a
    bar at a period alone."""
    pytest.importorskip("matplotlib")
    import matplotlib.colors
    import matplotlib.figure
    from matplotlib.collections import PolyCollection

    drawn = {}
    real = matplotlib.figure.Figure.savefig

    def keep(self, *args, **kwargs):
        panels = []
        for ax in self.axes:
            spans = set()
            for c in ax.collections:
                if isinstance(c, PolyCollection):
                    for path_ in c.get_paths():  # a period alone between NaNs is a polygon of no width
                        xs = [v[0] for v in path_.vertices]
                        if xs and max(xs) > min(xs):
                            spans.add((matplotlib.colors.to_hex(c.get_facecolor()[0], keep_alpha=False), min(xs), max(xs)))
            for line in ax.get_lines():
                xs = list(line.get_xdata())
                if line.get_linewidth() >= 4 and len(xs) == 2 and xs[0] == xs[1]:
                    spans.add((matplotlib.colors.to_hex(line.get_color(), keep_alpha=False), xs[0], xs[0]))
            panels.append(spans)
        drawn["panels"] = panels
        return real(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matplotlib.figure.Figure, "savefig", keep)
        result.plot(path, themes=themes)
    return drawn["panels"]


RATES = {"uav": (0.9, 0.05, 100, 900)}


def test_grouped_plot_draws_each_groups_interval_also_where_its_periods_are_apart(tmp_path):
    # An archive of two bodies by month: cis_atc in January and March, sco_rats in February
    # alone. The title said "band: 95% interval" and no band was drawn: fill_between stops at
    # a period without statements, so a group whose months are apart had none at all.
    from themes.trends import trends

    records = [
        _record("archive/cis_atc/a.txt", "2025-01-10", ["uav"]),
        _record("archive/cis_atc/a.txt", "2025-01-10"),
        _record("archive/cis_atc/b.txt", "2025-03-10"),
        _record("archive/cis_atc/b.txt", "2025-03-10", ["uav"]),
        _record("archive/sco_rats/c.txt", "2025-02-10", ["uav"]),
        _record("archive/sco_rats/c.txt", "2025-02-10"),
    ]
    result = trends(records, by="month", group="folder", rates=RATES)
    [spans] = _bands(tmp_path / "g.png", result, ["uav"])
    import matplotlib.colors

    c0, c1 = (matplotlib.colors.to_hex(f"C{i}") for i in range(2))
    # cis_atc (C0): one band from January to March, as its line joins them; sco_rats (C1): a bar
    assert spans == {(c0, 0.0, 2.0), (c1, 1.0, 1.0)}


def test_plot_of_one_period_draws_its_interval(tmp_path):
    # `--by year` over one year's archive: one period, a marker and no interval at all.
    from themes.trends import trends

    records = [_record("archive/a.txt", "2025-01-10", ["uav"]), _record("archive/a.txt", "2025-01-10")]
    result = trends(records, by="year", rates=RATES)
    [spans] = _bands(tmp_path / "one.png", result, ["uav"])
    assert len(spans) == 1 and [(x0, x1) for _, x0, x1 in spans] == [(0.0, 0.0)]


# ----------------------------------------------------------------------------- segment
@pytest.mark.parametrize("mark", ["-", "—", "•", " - ", "--"])
def test_a_lone_mark_above_the_first_line_is_no_title(mark):
    # The CIS ATC bulletin in shared/examples, copied from the site, opens with a line "-":
    # it was the bulletin's title ("title": "-" in its summary) above its dateline.
    from themes import segment

    text = f"{mark}\n16 June, 2025\nThe meeting was held in Moscow on June 10, 2025. It discussed drones.\n"
    segments = segment(text)
    assert [(s.kind, s.text) for s in segments] == [
        ("dateline", "16 June, 2025"),
        ("sentence", "The meeting was held in Moscow on June 10, 2025."),
        ("sentence", "It discussed drones."),
    ]
    assert all(text[s.start : s.end] == s.text for s in segments)
    # a title below it is still the title, and a list that opens the text is still a list
    assert [(s.kind, s.text) for s in segment(f"{mark}\n\nCouncil meets in Minsk\n\nThe Council met.\n")] == [
        ("title", "Council meets in Minsk"),
        ("sentence", "The Council met."),
    ]
    assert [(s.kind, s.text) for s in segment("- drones;\n- borders.\n")] == [("bullet", "drones;"), ("bullet", "borders.")]


def test_the_shared_example_bulletin_is_titled_by_no_dash(tmp_path):
    from themes.archive import score_archive

    path = tmp_path / "cis-atc-meeting-2025-06.txt"
    path.write_text(
        "-\n16 June, 2025\nThe XVIII Meeting of the Heads of the CIS Competent Authorities was held in Moscow.\n"
        "The event was attended by representatives of:\n- competent authorities of 9 CIS member-states;\n",
        encoding="utf-8",
    )
    [bulletin] = list(score_archive([path]))
    assert bulletin.summary["title"] != "-"
    assert bulletin.summary["date"] == "2025-06-16"
    assert "-" not in [s["text"] for s in bulletin.records]


# ----------------------------------------------------------------------------- evaluate
def test_evaluate_names_a_bulletin_summary_once(tmp_path, capsys):
    # `themes evaluate bulletins.jsonl` (the --summary file) said "needs a string 'text' and a
    # list 'themes'" for each of its first five lines; trends says what the file is.
    bulletin = tmp_path / "b.txt"
    bulletin.write_text("Drones attacked the border post. The parties agreed to exchange data.\n", encoding="utf-8")
    scores, summary = tmp_path / "scores.jsonl", tmp_path / "bulletins.jsonl"
    assert main(["score", str(bulletin), "--out", str(scores), "--summary", str(summary), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(summary)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"themes: error: {summary}:1: a bulletin summary of `themes score --summary`, not a labelled statement; "
        'this reads statements labelled by people, one {"text", "themes": [...]} a line'
    )
    # compare --data reads labels the same way
    assert main(["compare", "--data", str(summary), str(_shipped()), str(_shipped())]) == 1
    assert "a bulletin summary of `themes score --summary`" in capsys.readouterr().err


def test_evaluate_still_reads_labelled_statements_with_extra_fields(tmp_path, capsys):
    data = tmp_path / "labels.jsonl"
    data.write_text(
        json.dumps({"id": "a", "text": "Drones attacked the border post.", "themes": ["uav"], "source": "x", "bulletin": "b.txt"})
        + "\n",
        encoding="utf-8",
    )
    assert main(["evaluate", str(data)]) == 0
    assert "micro F1" in capsys.readouterr().out


def _shipped():
    from themes.packaged import shipped_model_path

    return shipped_model_path()


# ----------------------------------------------------------------------------- import
@pytest.mark.parametrize("tool", ["labelstudio", "doccano", "prodigy"])
def test_a_csv_given_to_a_json_importer_points_to_import_csv(tmp_path, capsys, tool):
    # `themes import labelstudio labels.csv` said "labels.csv:1: invalid JSON (Expecting value
    # at line 1, column 1)."; doccano and prodigy said to convert the rows to JSON with pandas,
    # when `themes import csv` reads the file as it is.
    labels = tmp_path / "labels.csv"
    labels.write_text('text,themes\n"Drones attacked the border post.",uav\n', encoding="utf-8")
    assert main(["import", tool, str(labels), "--out", str(tmp_path / "release")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"themes: error: {labels}: looks like CSV (its first line is 'text,themes'), not a {tool} export (JSON); "
        f"a table of labels, a Label Studio CSV export too, is read by: themes import csv {labels} --out DIR "
        "(--text-column and --themes-column name its columns)"
    )
    assert not (tmp_path / "release").exists()
    # and that command imports it
    assert main(["import", "csv", str(labels), "--out", str(tmp_path / "release")]) == 0


def test_json_exports_are_not_taken_for_csv(tmp_path, capsys):
    task = {"id": 1, "data": {"text": "Drones, again, attacked."}, "annotations": [{"result": [
        {"type": "choices", "value": {"choices": ["uav"]}, "from_name": "themes", "to_name": "text"}]}]}
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task]), encoding="utf-8")
    assert main(["import", "labelstudio", str(export), "--out", str(tmp_path / "r1")]) == 0
    lines = tmp_path / "doccano.jsonl"
    lines.write_text(json.dumps({"id": 1, "text": "Drones, again, attacked.", "label": ["uav"]}) + "\n", encoding="utf-8")
    assert main(["import", "doccano", str(lines), "--out", str(tmp_path / "r2")]) == 0


# ----------------------------------------------------------------------------- trends in Python
def test_print_of_trends_is_one_line_saying_how_to_see_them():
    # print(trends(...)) in a script showed the dataclass repr of every period and theme
    # (pages of it); a notebook showed one line. Now both show that line.
    from themes.trends import trends

    records = [_record("archive/a.txt", "2025-01-10", ["uav"]), _record("archive/b.txt", "2025-04-10")]
    result = trends(records, by="quarter", rates=RATES)
    assert str(result) == (
        "Trends by quarter: 2 periods, 2025-Q1 to 2025-Q2; 2 statements of 2 bulletins; model m; "
        "error rates from its cross-validation; .table(), .to_csv(), .plot(), .to_dict()"
    )
    one = trends(records[:1], by="year", rates={})
    assert "1 statement of 1 bulletin;" in str(one)
    assert repr(result).startswith("Trends(by='quarter'")  # repr() still every field


# ----------------------------------------------------------------------------- suggest
def test_suggest_on_a_file_without_scored_statements_says_so(tmp_path, capsys):
    # `themes suggest bulletins.jsonl` (the summary), a labelled file or an empty one wrote an
    # empty task file and said "the archive has no more distinct statements", exit 0.
    bulletin = tmp_path / "archive" / "b.txt"
    bulletin.parent.mkdir()
    bulletin.write_text("Drones attacked the border post. The parties agreed to exchange data.\n", encoding="utf-8")
    scores, summary = tmp_path / "out" / "scores.jsonl", tmp_path / "out" / "bulletins.jsonl"
    assert main(["score", str(bulletin), "--out", str(scores), "--summary", str(summary), "--quiet"]) == 0
    labelled = tmp_path / "labels.jsonl"
    labelled.write_text(json.dumps({"text": "Drones attacked.", "themes": ["uav"]}) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    capsys.readouterr()
    cases = [
        (summary, f"{summary}: holds no statement that `themes score --out` wrote; only bulletin summaries (`--summary`)"),
        (labelled, f"{labelled}: holds no statement that `themes score --out` wrote; the file is empty or holds other"),
        (empty, f"{empty}: holds no statement that `themes score --out` wrote; the file is empty"),
    ]
    for path, said in cases:
        tasks = tmp_path / "tasks.json"
        assert main(["suggest", str(path), "--n", "5", "--format", "labelstudio", "--out", str(tasks)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"themes: error: {said}"), err
        assert not tasks.exists()
    # a folder holding both files, as `themes score` leaves them, reads the statements
    assert main(["suggest", str(tmp_path / "out"), "--n", "5", "--format", "labelstudio", "--out", str(tmp_path / "t.json")]) == 0
    assert "wrote 2 labelstudio task(s)" in capsys.readouterr().out
