"""What an analyst installing themes fresh met: a misspelt option, an interrupted run, the
tasks `suggest` offers, an empty JSON Lines record. Each test failed before its fix."""

from __future__ import annotations

import json

from themes.api import get_model
from themes.cli import main
from themes.suggest import suggest

USAGE = 2


def test_a_misspelt_required_option_is_named_with_the_option_it_may_mean(capsys, tmp_path):
    # Before: "score: the following arguments are required: --out", with no word of --ouy.
    assert main(["score", str(tmp_path), "--ouy", str(tmp_path / "s.jsonl")]) == USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "--ouy (did you mean --out?)" in err
    assert "the following arguments are required: --out" in err
    assert "(see 'themes score --help')" in err


def test_an_unknown_option_is_refused_by_its_command_with_the_nearest_option(capsys, tmp_path):
    # Before: "unrecognized arguments: --formt csv (see 'themes --help')", the command's help not named.
    out = tmp_path / "s.jsonl"
    assert main(["score", str(tmp_path), "--out", str(out), "--formt", "csv"]) == USAGE
    err = capsys.readouterr().err.strip()
    assert err == (
        "themes: error: score: unrecognized arguments: --formt csv (did you mean --format?) "
        "(see 'themes score --help')"
    )
    assert not out.exists()
    assert main(["corpus", "check", "--no-shiped"]) == USAGE
    assert "corpus check: unrecognized arguments: --no-shiped (did you mean --no-shipped?)" in capsys.readouterr().err
    # An abbreviation argparse accepts is no unknown option; an option of no command stays plain.
    assert main(["--frobnicate"]) == USAGE
    assert capsys.readouterr().err.strip() == "themes: error: unrecognized arguments: --frobnicate (see 'themes --help')"


def test_an_interrupted_score_says_that_resume_continues_it(capsys, tmp_path, monkeypatch):
    # Before: "themes: interrupted", nothing on what was kept or how to go on.
    import themes.cli.score as score_cli

    out = tmp_path / "s.jsonl"

    def interrupted(*args, **kwargs):
        out.write_text('{"bulletin": "a.txt"}\n', encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(score_cli, "write_scores", interrupted)
    assert main(["score", str(tmp_path), "--out", str(out), "--quiet"]) == 130
    err = capsys.readouterr().err.strip()
    assert err == (
        f"themes: interrupted; the bulletins scored so far are in {out}; "
        "run the same command with --resume to continue"
    )
    assert main(["score", str(tmp_path), "--out", str(out), "--quiet", "--force"]) == 130
    assert "with --resume instead of --force to continue" in capsys.readouterr().err


def test_suggest_offers_statements_not_titles_datelines_or_lead_ins(tmp_path):
    # Before: of the examples' 76 records all 76 were offered, "Minsk, 12 March 2024" included.
    model = get_model()
    thresholds = {t: float(v) for t, v in zip(model.themes, model.thresholds)}
    at_threshold = dict(thresholds)  # a coin toss on every theme: the most uncertain possible
    rows = [
        ("title", "Regional Anti-Terrorist Council holds its spring meeting"),
        ("dateline", "Minsk, 12 March 2024"),
        ("heading", "Session on border security"),
        ("lead_in", "During the first session the participants:"),
        ("bullet", "discussed the use of commercial drones to attack energy facilities;"),
        ("sentence", "The parties agreed to exchange data on foreign terrorist fighters."),
    ]
    path = tmp_path / "scores.jsonl"
    path.write_text(
        "".join(
            json.dumps({"bulletin": "b.txt", "index": i, "kind": kind, "text": text, "context": None,
                        "scores": at_threshold, "themes": [], "model": model.name}) + "\n"
            for i, (kind, text) in enumerate(rows)
        ),
        encoding="utf-8",
    )
    tasks = suggest(path, n=10, format="doccano")
    assert sorted(task["index"] for task in tasks) == [4, 5]


def test_a_json_lines_record_with_empty_text_fails_by_file_and_line(capsys, tmp_path):
    # Before: scored as an "ok" bulletin of 0 statements, with no word on the terminal.
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Drones attacked the border post.", "date": "2024-01-02"}) + "\n"
        + json.dumps({"id": "b", "text": "  \n", "date": "2024-01-03"}) + "\n",
        encoding="utf-8",
    )
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    assert main(["score", str(src), "--out", str(out), "--summary", str(summary), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert f"themes: failed: {src}:2: bulletin 'b': its 'text' is empty; there is nothing to score" in captured.err
    assert "scored 1 bulletin, 1 failed, 1 statement" in captured.out
    records = [json.loads(line) for line in summary.read_text(encoding="utf-8").splitlines()]
    assert [(r["bulletin"], r["status"]) for r in records] == [("a", "ok"), ("b", "failed")]


def test_classify_with_no_statement_at_all_says_so(capsys, monkeypatch):
    # Before: no TEXT and an empty standard input printed nothing and exited 0.
    import io

    class Stdin(io.TextIOWrapper):
        def isatty(self):
            return False

    monkeypatch.setattr("sys.stdin", Stdin(io.BytesIO(b"\n  \n")))
    assert main(["classify"]) == USAGE
    err = capsys.readouterr().err.strip()
    assert err == (
        "themes: error: classify: no statement given: pass TEXT arguments, or statements on standard input, one a line"
    )


def test_classify_waiting_on_a_terminal_says_what_it_reads(capsys, monkeypatch):
    # Before: `themes classify` typed alone waited in silence for standard input.
    import io

    class Terminal(io.TextIOWrapper):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal(io.BytesIO(b"Drones attacked a fuel depot.\n")))
    assert main(["classify"]) == 0
    captured = capsys.readouterr()
    assert "reading statements from standard input, one a line; end with Ctrl-D" in captured.err
    assert "Drones attacked a fuel depot." in captured.out


def test_suggest_says_which_end_of_its_uncertainty_is_least_sure(capsys, tmp_path):
    # Before: "(uncertainty 0.0266 to 0.1992)": the smaller figure is the less sure, which it did not say.
    model = get_model()
    thresholds = {t: float(v) for t, v in zip(model.themes, model.thresholds)}
    path = tmp_path / "scores.jsonl"
    texts = ["Drones were used to attack a pipeline.", "Border guards detained three smugglers near the river."]
    path.write_text(
        "".join(
            json.dumps({"bulletin": "b.txt", "index": i, "kind": "sentence", "text": text, "context": None,
                        "scores": {t: v + 0.01 * (i + 1) for t, v in thresholds.items()}, "model": model.name}) + "\n"
            for i, text in enumerate(texts)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "tasks.jsonl"
    assert main(["suggest", str(path), "--n", "2", "--format", "doccano", "--out", str(out)]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line == (
        f"wrote 2 doccano task(s) to {out} (uncertainty, a score's distance to its threshold: 0.01, least sure, to 0.02)"
    )
