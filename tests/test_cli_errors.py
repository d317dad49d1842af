"""Every error a user can trigger from the CLI: one line, the place named, the documented code.

Exit codes (themes.cli): 1 bad data (a file, record, model or corpus that cannot be used),
2 bad usage (unknown option, bad parameter value). No traceback unless ``--debug``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from themes.cli import main

from conftest import tiny_statements, write_tiny_release

DATA, USAGE = 1, 2


def one_error_line(capsys) -> str:
    """The single stderr line of a failed command (asserting there is exactly one)."""
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert lines[0].startswith("themes: error: "), lines[0]
    return lines[0]


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def labelled(tmp_path):
    """A valid labelled JSONL file with two statements."""
    path = tmp_path / "labelled.jsonl"
    records = [{"text": s.text, "themes": list(s.themes)} for s in tiny_statements()[:2]]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ model
def test_missing_model_folder(capsys, tmp_path):
    missing = tmp_path / "no-such-model"
    assert main(["classify", "--model", str(missing), "Drones."]) == DATA
    line = one_error_line(capsys)
    assert str(missing) in line and "does not exist" in line


def test_a_bad_model_folder_from_the_environment_is_named_as_such(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("THEMES_MODEL", str(tmp_path / "gone"))
    assert main(["classify", "Drones were discussed."]) == 1
    err = capsys.readouterr().err
    assert f"THEMES_MODEL={tmp_path / 'gone'} (environment variable): Model folder" in err
    assert "does not exist or is not a folder" in err


def test_model_folder_with_a_tampered_file(capsys, tmp_path, tiny_model_dir):
    folder = shutil.copytree(tiny_model_dir, tmp_path / "model")
    flip_a_byte(folder / "arrays.npz")
    assert main(["classify", "--model", str(folder), "Drones."]) == DATA
    line = one_error_line(capsys)
    assert "arrays.npz" in line and "sha256" in line and "Reinstall or retrain" in line


def test_model_folder_from_the_future(capsys, tmp_path, tiny_model_dir):
    folder = shutil.copytree(tiny_model_dir, tmp_path / "model")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 99
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["info", "--model", str(folder)]) == DATA
    line = one_error_line(capsys)
    assert "manifest.json" in line and "format version 99" in line and "retrain" in line


def test_a_release_folder_given_as_model(capsys, tmp_path):
    release = write_tiny_release(tmp_path / "release")
    assert main(["info", "--model", str(release)]) == DATA
    line = one_error_line(capsys)
    assert "manifest.json" in line and "manifest schema" in line


# ----------------------------------------------------------------------------- usage
@pytest.mark.parametrize(
    "argv, named",
    [
        (["classify", "--threshold", "abc", "Drones."], "--threshold"),
        (["classify", "--threshold", "1.5", "Drones."], "'threshold' parameter"),
        (["classify", "--threshold", "-0.5", "Drones."], "'threshold' parameter"),
        (["classify", "--threshold", "nan", "Drones."], "'threshold' parameter"),
        (["classify", "--threshold"], "--threshold"),
        (["classify", "--bogus", "Drones."], "--bogus"),
        (["--bogus"], "--bogus"),
        (["frobnicate"], "frobnicate"),
        (["train"], "--out"),
        (["train", "--out", "x", "--seed", "one"], "--seed"),
        (["corpus"], "check|stats"),
        (["evaluate"], "DATA.jsonl"),
        (["train", "--config", "tests/data/config_misspelt_key.json", "--out", "never/m"], "tests/data/config_misspelt_key.json: The training configuration has unknown keys: 'lexicon_wieght' (did you mean 'lexicon_weight'?)"),
        (["train", "--config", "tests/data/config_c_zero.json", "--out", "never/m"], "The 'C' parameter of the training configuration must be a finite float > 0. Got 0 instead."),
        (["score", "examples", "--out", "never/s.jsonl", "--backend", "dask", "--scheduler", "notaurl"], "--scheduler 'notaurl' is not a Dask scheduler address; expected tcp://HOST:PORT"),
        (["score", "examples", "--out", "never/s.txt"], "--out never/s.txt: unknown output type '.txt'; name it .jsonl"),
        (["score", "examples", "--out", "never/s.tsv"], "--out never/s.tsv: themes writes JSON Lines or CSV, not '.tsv'; name it"),
    ],
    ids=[
        "threshold-not-a-number",
        "threshold-above-1",
        "threshold-negative",
        "threshold-nan",
        "threshold-missing-value",
        "unknown-option",
        "unknown-global-option",
        "unknown-command",
        "train-without-out",
        "seed-not-an-int",
        "corpus-without-subcommand",
        "evaluate-without-data",
        "train-config-misspelt-key",
        "train-config-C-zero",
        "score-scheduler-not-an-address",
        "score-out-of-an-unknown-type",
        "score-out-of-another-format",
    ],
)
def test_bad_usage_is_one_line_and_exit_2(capsys, argv, named):
    assert main(argv) == USAGE
    line = one_error_line(capsys)
    assert named in line and "fmt=" not in line
    assert capsys.readouterr().out == ""
    assert not Path("never").exists()


def test_an_unreachable_dask_scheduler_says_what_to_do_and_leaves_no_output(capsys, tmp_path):
    pytest.importorskip("dask.distributed")
    import socket

    import dask

    with socket.socket() as probe:  # a port on this machine where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "s.jsonl"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code = main(["score", "examples", "--out", str(out), "--backend", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", "--quiet"])
    assert code == DATA
    line = one_error_line(capsys)
    assert f"--scheduler tcp://127.0.0.1:{port}: no Dask scheduler answered there" in line
    assert "start one (dask scheduler" in line and "check the address" in line
    assert not out.exists()  # the next run is not refused for want of --force


def test_argparse_errors_point_to_the_help(capsys):
    assert main(["classify", "--bogus", "x"]) == USAGE
    assert "see 'themes classify --help'" in one_error_line(capsys)  # the command's help, where --bogus was given
    assert main(["classify", "--threshold", "abc", "x"]) == USAGE
    assert "see 'themes classify --help'" in one_error_line(capsys)


def test_help_and_version_still_exit_0(capsys):
    assert main(["--version"]) == 0
    assert "themes" in capsys.readouterr().out
    assert main(["classify", "--help"]) == 0
    assert "usage: themes classify" in capsys.readouterr().out


# -------------------------------------------------------------------------- evaluate
def test_evaluate_on_a_missing_file(capsys, tmp_path, tiny_model_dir):
    missing = tmp_path / "missing.jsonl"
    assert main(["evaluate", str(missing), "--model", str(tiny_model_dir)]) == DATA
    line = one_error_line(capsys)
    assert str(missing) in line and "cannot be read" in line


def evaluate_error(capsys, labelled, model_dir, *lines: str) -> str:
    """Append ``lines`` to the labelled file, run ``themes evaluate``: its one error line."""
    with open(labelled, "a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    assert main(["evaluate", str(labelled), "--model", str(model_dir)]) == DATA
    return one_error_line(capsys)


def test_evaluate_on_invalid_json_names_file_and_line(capsys, labelled, tiny_model_dir):
    line = evaluate_error(capsys, labelled, tiny_model_dir, '{"text": "broken", "themes": [}')
    assert f"{labelled}:3: invalid JSON" in line


def test_evaluate_on_unknown_theme_ids(capsys, labelled, tiny_model_dir):
    line = evaluate_error(capsys, labelled, tiny_model_dir, json.dumps({"text": "Spies.", "themes": ["espionage"]}))
    assert f"{labelled}:3: unknown theme ids ['espionage']" in line


@pytest.mark.parametrize(
    "record, expected",
    [
        ("[1, 2]", "expected a JSON object"),
        ('{"text": 5, "themes": []}', "needs a string 'text' and a list 'themes'"),
        ('{"text": "x", "themes": "uav"}', "needs a string 'text' and a list 'themes'"),
    ],
    ids=["not-an-object", "text-not-str", "themes-not-list"],
)
def test_evaluate_on_bad_records(capsys, labelled, tiny_model_dir, record, expected):
    assert f"{labelled}:3: {expected}" in evaluate_error(capsys, labelled, tiny_model_dir, record)


def test_evaluate_on_a_folder(capsys, tmp_path, tiny_model_dir):
    assert main(["evaluate", str(tmp_path), "--model", str(tiny_model_dir)]) == DATA
    assert str(tmp_path) in one_error_line(capsys)


def test_evaluate_on_a_file_that_is_not_utf8(capsys, tmp_path, tiny_model_dir):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"text": "caf\u00e9", "themes": []}\n'.encode("latin-1"))
    assert main(["evaluate", str(path), "--model", str(tiny_model_dir)]) == DATA
    line = one_error_line(capsys)
    assert str(path) in line and "unexpected" not in line


# ---------------------------------------------------------------------------- corpus
@pytest.fixture
def broken_release(tmp_path):
    release = write_tiny_release(tmp_path / "broken")
    with open(release / "statements.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "x-1", "text": "Spies.", "themes": ["espionage"]}\n{not json\n')
    return release


def test_corpus_check_on_a_broken_release(capsys, broken_release):
    assert main(["corpus", "check", str(broken_release)]) == DATA
    captured = capsys.readouterr()
    problems = captured.out.splitlines()
    statements = broken_release / "statements.jsonl"
    assert any(p.startswith(f"{statements}:43: ") and "espionage" in p for p in problems)
    assert any(p.startswith(f"{statements}:44: invalid JSON") for p in problems)
    assert any("sha256 does not match" in p for p in problems)
    assert "Traceback" not in captured.err
    assert len(captured.err.splitlines()) == 1
    assert str(broken_release) in captured.err


def test_corpus_check_error_line_has_the_common_prefix(capsys, broken_release):
    assert main(["corpus", "check", str(broken_release)]) == DATA
    one_error_line(capsys)


def test_corpus_check_on_a_missing_folder(capsys, tmp_path):
    assert main(["corpus", "check", str(tmp_path / "nowhere")]) == DATA
    captured = capsys.readouterr()
    assert f"{tmp_path / 'nowhere'}: no such release folder" in captured.out  # a path, no line number
    assert "Traceback" not in captured.err


# ----------------------------------------------------------------------------- train
def test_train_refuses_an_existing_out_before_training(capsys, monkeypatch, tmp_path, tiny_model_dir):
    import themes.train.fitting

    def must_not_train(*args, **kwargs):
        raise AssertionError("trained before checking --out")

    monkeypatch.setattr(themes.train.fitting, "fit", must_not_train)
    release = write_tiny_release(tmp_path / "release")
    argv = ["train", "--no-shipped", "--no-loso", "--release", str(release), "--out", str(tiny_model_dir)]
    assert main(argv) == DATA
    line = one_error_line(capsys)
    assert str(tiny_model_dir) in line and "--force" in line


def test_train_on_a_release_that_lacks_a_theme(capsys, tmp_path):
    from themes.corpus import write_release

    records = [s.to_record() for s in tiny_statements() if "uav" not in s.themes]
    release = write_release(records, tmp_path / "no-uav", "no-uav.1", None, "2025-01-01")
    argv = ["train", "--no-shipped", "--no-loso", "--release", str(release), "--out", str(tmp_path / "model")]
    assert main(argv) == DATA
    line = one_error_line(capsys)
    assert "['uav']" in line and "no statements in the training split" in line
    assert not (tmp_path / "model").exists()


def test_train_on_a_missing_release(capsys, tmp_path):
    missing = tmp_path / "no-such-release"
    argv = ["train", "--no-shipped", "--no-loso", "--release", str(missing), "--out", str(tmp_path / "model")]
    assert main(argv) == DATA
    assert str(missing) in one_error_line(capsys)


def test_train_on_a_broken_release_names_its_problems(capsys, tmp_path, broken_release):
    argv = ["train", "--no-shipped", "--no-loso", "--release", str(broken_release), "--out", str(tmp_path / "model")]
    assert main(argv) == DATA
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # every problem on a line of its own, then the one error line
    assert f"\n{broken_release / 'statements.jsonl'}:44: invalid JSON" in "\n" + err
    last = err.strip().splitlines()[-1]
    assert last.startswith("themes: error: ") and "each is listed above as file:line: problem" in last
    assert not (tmp_path / "model").exists()


# ----------------------------------------------------------------------------- debug
@pytest.mark.parametrize(
    "argv",
    [
        ["--debug", "classify", "--model", "/no/such/model", "Drones."],
        ["--debug", "classify", "--threshold", "2", "Drones."],
        ["--debug", "classify", "--bogus"],
    ],
    ids=["data-error", "parameter-error", "usage-error"],
)
def test_debug_shows_the_traceback(capsys, argv):
    code = main(argv)
    assert code in (DATA, USAGE)
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1].startswith("themes: error: ")


def test_the_real_command_exits_with_the_documented_codes(tmp_path):
    data = subprocess.run(
        [sys.executable, "-m", "themes", "classify", "--model", str(tmp_path / "nowhere"), "Drones."],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert data.returncode == DATA
    assert data.stderr.splitlines() == [
        f"themes: error: --model {tmp_path / 'nowhere'}: the folder does not exist; give a model folder written by "
        "`themes train`, or leave --model out for the shipped model (`themes info` shows the model in use)"
    ]
    usage = subprocess.run([sys.executable, "-m", "themes", "--bogus"], capture_output=True, text=True, timeout=120)
    assert usage.returncode == USAGE
    assert len(usage.stderr.splitlines()) == 1 and "--bogus" in usage.stderr


def test_evaluate_on_an_empty_file(capsys, tmp_path, tiny_model_dir):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    assert main(["evaluate", str(path), "--model", str(tiny_model_dir)]) == DATA
    assert f"{path}: holds no labelled statements" in one_error_line(capsys)


@pytest.mark.parametrize("k", ["-1", "0"])
def test_classify_refuses_an_explain_below_1_before_printing(capsys, tiny_model_dir, k):
    """As Result.explain(k=0) does: 0 features is no explanation."""
    assert main(["classify", "--model", str(tiny_model_dir), "--explain", k, "Drones attacked."]) == USAGE
    line = one_error_line(capsys)
    assert line == f"themes: error: The '--explain' option of classify must be an int >= 1. Got {k} instead."
    assert capsys.readouterr().out == ""


def test_evaluate_macro_f1_is_over_the_themes_that_occur(capsys, tmp_path, tiny_model_dir):
    data = tmp_path / "small.jsonl"
    data.write_text(json.dumps({"text": "Drones attacked the border post.", "themes": ["uav"]}) + "\n", encoding="utf-8")
    assert main(["evaluate", str(data), "--model", str(tiny_model_dir), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    occurring = [m for m in result["per_theme"].values() if m["tp"] or m["fp"] or m["fn"]]
    assert 0 < len(occurring) < len(result["per_theme"])
    assert result["macro"]["f1"] == pytest.approx(sum(m["f1"] for m in occurring) / len(occurring), abs=1e-3)
    assert main(["evaluate", str(data), "--model", str(tiny_model_dir)]) == 0
    assert f"macro F1 over the {len(occurring)} themes that occur; neither labelled nor predicted:" in capsys.readouterr().out


def test_evaluate_names_every_bad_record_at_once(capsys, labelled, tiny_model_dir):
    line = evaluate_error(capsys, labelled, tiny_model_dir, '{"text": 5, "themes": []}', '{"text": "x", "themes": ["drones"]}')
    assert f"{labelled}:3: needs a string 'text' and a list 'themes'." in line
    assert f"{labelled}:4: unknown theme ids ['drones']." in line


def test_a_csv_file_named_jsonl_is_reported_once_as_csv(capsys, tmp_path, tiny_model_dir):
    """Not one "invalid JSON" line per row: the file is named once, with what to do."""
    path = tmp_path / "labelled.jsonl"
    path.write_text("text,themes\n" + "".join(f"Drones attacked site {i}.,uav\n" for i in range(5)), encoding="utf-8")
    assert main(["evaluate", str(path), "--model", str(tiny_model_dir)]) == DATA
    assert f"{path}: looks like CSV (its first line is 'text,themes'), not JSON Lines" in one_error_line(capsys)
    assert main(["score", str(path), "--out", str(tmp_path / "s.jsonl"), "--model", str(tiny_model_dir), "--quiet"]) == DATA
    failed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("themes: failed:")]
    assert failed == [
        f"themes: failed: {path}: looks like CSV (its first line is 'text,themes'), not JSON Lines (one JSON object "
        "a line); convert the rows to JSON objects (pandas: df.to_json(PATH, orient='records', lines=True, force_ascii=False))"
    ]
