"""Review of session 14: what an analyst following the README in a notebook and at the shell met."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes.cli import main

RECORDS = [
    {"bulletin": "a", "date": "2024-01-10", "index": 0, "themes": ["uav"], "model": "m"},
    {"bulletin": "a", "date": "2024-01-10", "index": 1, "themes": [], "model": "m"},
]


def scores_file(tmp_path: Path) -> Path:
    path = tmp_path / "scores.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


@pytest.mark.parametrize("option", ["--out", "--plot"])
def test_trends_never_overwrites_its_input_even_with_force(tmp_path, capsys, option):
    scores = scores_file(tmp_path)
    before = scores.read_bytes()
    assert main(["trends", str(scores), option, str(scores), "--force"]) == 2
    err = capsys.readouterr().err
    assert f"{option} {scores}: is also an input" in err
    assert scores.read_bytes() == before


def test_trends_out_naming_a_folder_is_a_usage_error_as_for_score(tmp_path, capsys):
    scores = scores_file(tmp_path)
    assert main(["trends", str(scores), "--out", str(tmp_path)]) == 2
    assert f"--out {tmp_path}: is a folder; give a file name to write" in capsys.readouterr().err


def _trends():
    from themes.trends import trends

    return trends(RECORDS, by="year", rates={})


@pytest.mark.parametrize("method", ["table", "to_csv", "plot"])
def test_trends_outputs_refuse_an_unknown_theme_by_name(tmp_path, method):
    from themes.errors import ParameterError

    args = {"to_csv": ("-",), "plot": (tmp_path / "t.png",)}.get(method, ())
    with pytest.raises(ParameterError, match=rf"The 'themes' parameter of Trends.{method} names unknown themes \['drones'\]"):
        getattr(_trends(), method)(*args, themes=["drones"])
    assert not (tmp_path / "t.png").exists()


def test_trends_outputs_take_one_theme_id_as_a_str(capsys):
    result = _trends()
    assert result.table(themes="uav") == result.table(themes=["uav"])
    result.to_csv("-", themes="uav")
    assert capsys.readouterr().out.splitlines()[1].split(",")[4] == "uav"


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"scores": 5}, "The 'scores' parameter of trends must be a statements file or an iterable of records. Got 5 instead."),
        ({"rates": 5}, "The 'rates' parameter of trends must be a dict"),
        ({"rates": {"uav": 0.9}}, "The 'rates['uav']' parameter of trends must be (tpr, fpr, positives, negatives)"),
        ({"model": 5}, "The 'model' parameter of trends must be None, a path to a model folder or a ThemeModel. Got 5 instead."),
    ],
    ids=["scores-int", "rates-int", "rates-value", "model-int"],
)
def test_trends_names_a_bad_parameter_as_its_own(kwargs, expected):
    from themes.errors import ParameterError
    from themes.trends import trends

    kwargs = {"scores": RECORDS, **kwargs}
    with pytest.raises(ParameterError) as info:
        trends(kwargs.pop("scores"), **kwargs)
    assert str(info.value).startswith(expected)


def test_bytes_inside_a_batch_get_the_decode_hint_a_bare_bytes_gets():
    from themes import classify

    with pytest.raises(TypeError, match=r"item 1 is bytes; decode it first, e.g. item.decode\('utf-8'\)"):
        classify(["Drones attacked.", b"Border post."])


def test_a_zero_dimensional_numpy_array_is_named_not_a_numpy_iteration_error():
    np = pytest.importorskip("numpy")
    from themes import classify

    with pytest.raises(TypeError, match=r"classify expects a str or a list of str; got a 0-d ndarray.*\.item\(\)"):
        classify(np.array("Drones attacked."))


@pytest.mark.parametrize("name", ["trends.json", "trends.png", "trends.jsonl"])
def test_trends_out_of_a_type_it_does_not_write_is_a_usage_error(tmp_path, capsys, name):
    scores = scores_file(tmp_path)
    assert main(["trends", str(scores), "--out", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert f"--out {tmp_path / name}: trends writes CSV; name it .csv" in err
    assert not (tmp_path / name).exists()


def test_trends_checks_every_output_before_writing_any(tmp_path, capsys):
    """An existing --out was refused only after the scores were read and the --plot drawn."""
    pytest.importorskip("matplotlib")
    scores = scores_file(tmp_path)
    (tmp_path / "t.csv").write_text("kept", encoding="utf-8")
    assert main(["trends", str(scores), "--plot", str(tmp_path / "p.png"), "--out", str(tmp_path / "t.csv")]) == 1
    assert "t.csv: already exists; pass --force" in capsys.readouterr().err
    assert not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("name", ["t.csv", "-"])
def test_trends_plot_of_no_image_type_names_the_option(tmp_path, capsys, monkeypatch, name):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    scores = scores_file(tmp_path)
    assert main(["trends", str(scores), "--plot", name]) == 2
    err = capsys.readouterr().err
    assert f"--plot {name}: not an image file name; end it in one of " in err and ".png" in err


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_trends_reads_scores_saved_with_a_byte_order_mark(tmp_path, kind):
    """Excel's "CSV UTF-8" (and Notepad) start the file with a BOM: it was read as a CSV whose
    first column is '\\ufeffbulletin', and refused as "no 'bulletin' field"."""
    from themes.trends import trends

    path = tmp_path / f"scores.{kind}"
    if kind == "jsonl":
        body = "".join(json.dumps(r) + "\n" for r in RECORDS)
    else:
        body = "bulletin,date,index,themes,model\n" + "".join(
            f"{r['bulletin']},{r['date']},{r['index']},{';'.join(r['themes'])},{r['model']}\n" for r in RECORDS
        )
    path.write_text("\ufeff" + body, encoding="utf-8")
    result = trends(path, by="year", rates={})
    assert [(p.period, p.statements, p.themes["uav"].count) for p in result.periods] == [("2024", 2, 1)]


def test_a_notebook_shows_a_list_of_results_one_short_line_each():
    """IPython/Jupyter printed each result's full repr (13 scores and 13 thresholds, over a
    thousand characters) when an analyst looked at ``classify(texts)``."""
    pretty = pytest.importorskip("IPython.lib.pretty")
    from themes import classify

    results = classify(["Drones attacked the border post.", "The meeting closed."])
    shown = pretty.pretty(results)
    assert shown.splitlines() == [f"[<Result {results[0]}>,", f" <Result {results[1]}>]"]
    assert "uav 1.00" in shown and "(no theme)  | The meeting closed." in shown
    assert repr(results[0]).startswith("Result(text='Drones attacked the border post.', themes=(")  # repr() as before


def test_trends_reads_a_scores_csv_saved_by_a_spreadsheet_with_semicolons(tmp_path):
    """Excel in a Russian or German locale saves CSV with ';' between columns: trends said
    "no 'bulletin' field"."""
    import csv

    from themes.trends import trends

    path = tmp_path / "scores.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["bulletin", "date", "index", "themes", "model"])
        writer.writerow(["a", "2024-01-10", 0, "uav;border_security", "m"])
        writer.writerow(["a", "2024-01-10", 1, "", "m"])
    result = trends(path, by="year", rates={})
    counts = {t: p.themes[t].count for p in result.periods for t in ("uav", "border_security")}
    assert [(p.period, p.statements) for p in result.periods] == [("2024", 2)] and counts == {"uav": 1, "border_security": 1}


@pytest.mark.parametrize("texts", [{"Drones.", "Border post."}, frozenset({"Drones.", "Border post."})], ids=["set", "frozenset"])
def test_a_set_of_texts_is_refused_as_having_no_order(texts):
    """A frozenset was classified in whatever order it iterates (a set was refused, saying only 'got set')."""
    from themes import classify

    with pytest.raises(TypeError, match=rf"got {type(texts).__name__}, which has no order: give a list, e.g. sorted\(texts\)"):
        classify(texts)


def test_a_notebook_shows_trends_as_a_line_not_every_period_nested():
    """IPython/Jupyter printed the dataclass repr of every period and theme (13,751 characters
    for the eight quarters of the examples)."""
    pretty = pytest.importorskip("IPython.lib.pretty")
    from themes.trends import trends

    records = RECORDS + [{"bulletin": "b", "date": "2024-07-01", "index": 0, "themes": [], "model": "m"}]
    shown = pretty.pretty(trends(records, by="quarter", rates={}))
    assert shown == (
        "<Trends by quarter: 3 periods, 2024-Q1 to 2024-Q3; 3 statements of 2 bulletins; model m; "
        "raw shares only: no error rates; .table(), .to_csv(), .plot(), .to_dict()>"
    )


@pytest.mark.parametrize(
    "command, example",
    [
        ("classify", 'themes classify "Participants discussed drone attacks on pipelines." --json'),
        ("evaluate", "themes evaluate --model models/default ../shared/realdev/statements.jsonl"),
        ("compare", "themes compare models/default models/new --release releases/2027.1 --fail-on-regression 0.02"),
        ("suggest", "themes suggest scores.jsonl --n 200 --format labelstudio --out tasks.json --label-config config.xml"),
        ("train", "themes train --release exports/2026.1 --out models/themes-2026.1 --compare --fail-on-regression 0.02"),
    ],
)
def test_help_examples_are_one_line_to_copy_and_descriptions_wrap(command, example, capsys, monkeypatch):
    """The examples were wrapped mid-command (copying the first line dropped '--json' or
    '--label-config config.xml'); the descriptions of score and trends ran on one long line."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main([command, "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"  {example}" in lines
    for wrapped in ("score", "trends", "import"):
        assert main([wrapped, "--help"]) == 0
        described = capsys.readouterr().out.split("\n\n")[1]  # after the usage
        assert max(map(len, described.splitlines())) <= 80, described


def test_trends_json_with_a_theme_shows_that_themes_rates_only(tmp_path, capsys):
    from themes.api import default_model_path

    scores = scores_file(tmp_path)
    assert main(["trends", str(scores), "--json", "--theme", "uav", "--model", str(default_model_path())]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["rates"]) == ["uav"] and list(data["periods"][0]["themes"]) == ["uav"]


@pytest.mark.parametrize("option", ["--out", "--label-config"])
def test_suggest_never_overwrites_its_scores_even_with_force(tmp_path, capsys, option):
    scores = scores_file(tmp_path)
    before = scores.read_bytes()
    args = ["suggest", str(scores), "--n", "1", "--force", option, str(scores)]
    if option != "--out":
        args += ["--out", str(tmp_path / "tasks.json")]
    assert main(args) == 2
    assert f"{option} {scores}: is also an input" in capsys.readouterr().err
    assert scores.read_bytes() == before and not (tmp_path / "tasks.json").exists()


def test_suggest_label_config_naming_the_tasks_file_is_refused(tmp_path, capsys):
    scores = scores_file(tmp_path)
    tasks = tmp_path / "tasks.json"
    assert main(["suggest", str(scores), "--n", "1", "--out", str(tasks), "--label-config", str(tasks)]) == 2
    assert "--label-config and --out name the same file" in capsys.readouterr().err
    assert not tasks.exists()


def test_a_theme_given_twice_is_shown_once(capsys):
    """--theme uav --theme uav gave every row twice, and the wide CSV two sets of uav.* columns."""
    result = _trends()
    assert result.table(themes=["uav", "uav"]) == result.table(themes=["uav"])
    result.to_csv("-", themes=["uav", "financing", "uav"], wide=True)
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header.count("uav.count") == 1 and header.index("uav.count") < header.index("financing.count")


def _scored(theme_scores: dict, tagged: list, thresholds: dict) -> dict:
    scores = {t: 0.0 for t in thresholds}
    scores.update(theme_scores)
    return {"bulletin": "a", "date": "2024-01-10", "index": 0, "themes": tagged, "scores": scores}


@pytest.mark.parametrize("kind", ["records", "csv"])
def test_trends_does_not_adjust_scores_tagged_at_other_thresholds(tmp_path, kind):
    """`themes score --threshold 0.05` then `themes trends` corrected the shares with the error
    rates of the model's own thresholds, silently: a wrong adjusted prevalence."""
    from themes.api import default_model_path, get_model
    from themes.trends import trends

    model = get_model()
    thresholds = dict(zip(model.themes, model.thresholds.tolist()))
    at_model = [_scored({"uav": round(thresholds["uav"] + 0.01, 4)}, ["uav"], thresholds)]
    lowered = [  # uav tagged below the model's threshold, financing not tagged above its own
        _scored({"uav": round(thresholds["uav"] / 2, 4), "financing": round(thresholds["financing"] + 0.05, 4)}, ["uav"], thresholds)
    ]
    for records, off in ((at_model, []), (lowered, ["financing", "uav"])):
        for i, record in enumerate(records):
            record["model"] = model.name
        source = records
        if kind == "csv":
            source = tmp_path / f"s{len(off)}.csv"
            rows = ["bulletin,date,index,themes,model," + ",".join(f"score.{t}" for t in thresholds)]
            rows += [
                f"{r['bulletin']},{r['date']},{r['index']},{';'.join(r['themes'])},{r['model']},"
                + ",".join(str(r["scores"][t]) for t in thresholds)
                for r in records
            ]
            source.write_text("\n".join(rows) + "\n", encoding="utf-8")
        result = trends(source, by="year", model=default_model_path())
        adjusted = {t: result.periods[0].themes[t].adjusted for t in ("uav", "financing")}
        flagged = [note for note in result.notes if "other thresholds" in note]
        if off:
            assert adjusted == {"uav": None, "financing": None}
            assert flagged and "financing, uav" in flagged[0] and "themes score --threshold" in flagged[0]
        else:
            assert adjusted["uav"] is not None and not flagged


def test_trends_rates_for_an_unknown_theme_are_refused_not_ignored():
    from themes.errors import ParameterError
    from themes.trends import trends

    with pytest.raises(ParameterError, match=r"The 'rates' parameter of trends names unknown themes \['drones'\]; known: \["):
        trends(RECORDS, rates={"drones": (0.9, 0.1, 10, 90)})


def test_a_table_passed_whole_is_refused_not_read_as_its_column_names():
    """classify(df) iterated a DataFrame's column names and tagged 'text' and 'date' as statements."""
    from themes import classify

    class DataFrame:  # what classify sees of pandas.DataFrame: iterating gives the column names
        columns = ["text", "date"]
        iloc = None

        def __iter__(self):
            return iter(self.columns)

    with pytest.raises(TypeError, match=r"got DataFrame, whose iteration gives its column names: pass the column of texts, e.g. df\['text'\]"):
        classify(DataFrame())


def test_a_two_dimensional_array_names_its_shape():
    np = pytest.importorskip("numpy")
    from themes import classify

    with pytest.raises(TypeError, match=r"got a 2-d ndarray of shape \(1, 2\): pass a flat array, e.g. arr.ravel\(\)"):
        classify(np.array([["Drones attacked.", "Border post."]]))


def test_classify_dash_reads_standard_input(monkeypatch, capsys):
    # `echo TEXT | themes classify -` tagged the "-" itself: "(no theme)\t-".
    import io

    from themes.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("Drones attacked the pipeline.\n"))
    assert main(["classify", "-"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("\tDrones attacked the pipeline.") and out.startswith("uav")
