"""What an analyst met installing themes fresh and following the README (session 15)."""

from __future__ import annotations

import json

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
