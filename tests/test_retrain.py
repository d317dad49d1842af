"""Retraining with new releases: import -> train (with the merge report) -> versioned model -> compare."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from conftest import TINY_CONFIG, write_tiny_release

from themes.cli import main
from themes.corpus import write_release
from themes.importers import import_export, text_id
from themes.train import train

NEW_STATEMENTS = [
    ("Sham charities wired donations to militant commanders.", "financing"),
    ("Border guards found a tunnel under the state border.", "border_security"),
    ("The working group reviewed the threat forecast for the region.", "threat_assessment"),
]
# tiny-010 in the tiny corpus: "Religious leaders run prevention campaigns for vulnerable youth."
RELABEL = ("tiny-010", "Religious leaders run prevention campaigns for vulnerable youth.", "deradicalization;online_propaganda")


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """tiny.1; imp.1 imported from CSV (3 new statements, 1 relabelled); tiny.3 withdrawing one."""
    base = tmp_path_factory.mktemp("retrain")
    tiny = write_tiny_release(base / "tiny")
    csv = base / "labels.csv"
    csv.write_text(
        "id,text,themes\n"
        + "".join(f'"","{text}",{theme}\n' for text, theme in NEW_STATEMENTS)
        + '{},"{}","{}"\n'.format(*RELABEL),
        encoding="utf-8",
    )
    import_export("csv", csv, base / "imp", release="imp.1", builds_on="tiny.1", date="2025-03-01")
    withdraw = write_release([{"id": "tiny-041", "deleted": True}], base / "withdraw", "tiny.3", "imp.1", "2025-04-01")
    return [tiny, base / "imp", withdraw]


def test_train_on_corpus_and_releases_reports_the_changes(releases, tmp_path):
    run = train(releases, out=tmp_path / "model", include_shipped=False, config=TINY_CONFIG, loso=False)
    report = run.report
    assert sorted(report.added["imp.1"]) == sorted(text_id(t) for t, _ in NEW_STATEMENTS)
    assert report.relabelled["imp.1"] == [("tiny-010", ["deradicalization"], ["deradicalization", "online_propaganda"])]
    assert report.withdrawn["tiny.3"] == ["tiny-041"]
    per_theme = report.per_theme("imp.1")
    assert per_theme["online_propaganda"]["gained"] == 1
    assert sum(v["lost"] for v in per_theme.values()) == 0
    assert len(run.statements) == 42 + 3 - 1
    # The model is named from its last release and the date, and lists every release.
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text())
    assert manifest["name"].startswith(f"themes-tiny.3-{datetime.date.today():%Y%m%d}-")
    assert per_theme["online_propaganda"]["added"] >= 0 and sum(v["withdrawn"] for v in per_theme.values()) == 0
    assert [r["release"] for r in manifest["corpus"]["releases"]] == ["tiny.1", "imp.1", "tiny.3"]


def test_a_folder_of_releases_trains_as_its_releases_in_build_order(releases, tmp_path):
    """``--release FOLDER`` holding releases (as ``themes corpus check`` takes it): the same
    statements, and the manifest lists each release, not the folder."""
    folder = releases[0].parent
    assert all(r.parent == folder for r in releases)
    run = train([folder], out=tmp_path / "model", include_shipped=False, config=TINY_CONFIG, loso=False)
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text())
    assert [r["release"] for r in manifest["corpus"]["releases"]] == ["tiny.1", "imp.1", "tiny.3"]
    assert len(run.statements) == 42 + 3 - 1
    assert run.report.withdrawn["tiny.3"] == ["tiny-041"]


def test_cli_train_prints_the_changes_and_the_model_is_selectable(releases, tmp_path, capsys, monkeypatch):
    # `themes train` trains with the default configuration; make it the tiny one for speed.
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(TINY_CONFIG))
    out = tmp_path / "model"
    argv = ["train", "--no-shipped", "--no-loso", "--config", str(config), "--name", "retrained-1", "--out", str(out)]
    for release in releases:
        argv += ["--release", str(release)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "release imp.1: 3 added, 1 relabelled, 0 withdrawn" in printed
    assert "release tiny.3: 0 added, 0 relabelled, 1 withdrawn" in printed
    assert re.search(r"online_propaganda +\d+ added +0 withdrawn +\+1 / -0 by relabelling", printed)
    assert f"saved {out} (model retrained-1)" in printed
    # Figures with three decimals and their data's size; a skipped leave-one-style-out is said.
    assert re.search(r"^test \(\d+ statements\): micro P \d\.\d{3} R \d\.\d{3} F1 \d\.\d{3}  macro F1 \d\.\d{3}$", printed, re.M)
    assert "leave_one_style_out: not run (--no-loso)" in printed
    assert "Leave-one-style-out was not run for this model" in (out / "MODEL_CARD.md").read_text()
    # --model picks the new model for info and classify ...
    assert main(["info", "--model", str(out)]) == 0
    assert "model:     retrained-1" in capsys.readouterr().out
    assert main(["classify", "--model", str(out), "--json", "Drones were used in the attack."]) == 0
    assert json.loads(capsys.readouterr().out)[0]["model"] == "retrained-1"
    # ... and so does THEMES_MODEL.
    monkeypatch.setenv("THEMES_MODEL", str(out))
    assert main(["info"]) == 0
    assert "model:     retrained-1" in capsys.readouterr().out


# A phrasing family the tiny corpus lacks: financing through charities, donations, remittances
# and e-wallets, with none of the words of its financing statements (money, funds, assets).
TEACH_FINANCING = [
    "Sham charities collected donations that were wired to militant commanders.",
    "Remittances sent by diaspora donors reached the insurgents through bank transfers.",
    "Prepaid payment cards were loaded with donations for the armed group.",
    "Sponsors abroad paid the militants' salaries through e-wallets.",
    "Fake relief charities raised donations for the insurgents.",
    "Wire transfers from sponsors paid for the cell's weapons and travel.",
    "Donors used e-wallets and prepaid cards to pay the jihadist cell.",
    "A charity front diverted donations to the militant network.",
    "Sponsors sent remittances that kept the armed group paid.",
    "Couriers carried donations collected in mosques to the insurgent leaders.",
    "Payment cards and e-wallets channelled diaspora donations to the militants.",
    "Bank transfers disguised as charity donations paid the fighters.",
]
HELD_OUT = [
    ("Donations gathered by a bogus charity were wired to the insurgents.", ["financing"]),
    ("The militants received remittances from sponsors through e-wallets.", ["financing"]),
    ("Prepaid cards loaded by donors paid the cell's expenses.", ["financing"]),
    ("Sponsors wired donations disguised as charity to the armed group.", ["financing"]),
    ("Diaspora remittances and e-wallet payments reached the militant leaders.", ["financing"]),
    ("A front charity sent bank transfers to the insurgent commanders.", ["financing"]),
    ("Drones were used to attack the border post.", ["uav"]),
    ("Heroin was seized on the trafficking route.", ["drug_trafficking"]),
    ("The chairman thanked the hosts and closed the meeting.", []),
    ("Hackers attacked the computer networks of the ministry.", ["cyber_threats"]),
    ("A joint exercise was held for the special units.", ["exercises_training"]),
]


@pytest.mark.slow
def test_a_release_teaching_a_theme_raises_its_f1_on_statements_of_that_kind(tmp_path, capsys):
    """End to end: analysts label a new phrasing family -> import -> train -> compare."""
    tiny = write_tiny_release(tmp_path / "tiny")
    export = tmp_path / "financing.csv"
    export.write_text("text,themes\n" + "".join(f'"{t}",financing\n' for t in TEACH_FINANCING), encoding="utf-8")
    assert main(["import", "csv", str(export), "--out", str(tmp_path / "teach"), "--release-name", "teach.1", "--builds-on", "tiny.1"]) == 0
    train([tiny], out=tmp_path / "old", include_shipped=False, config=TINY_CONFIG, loso=False, name="old")
    train([tiny, tmp_path / "teach"], out=tmp_path / "new", include_shipped=False, config=TINY_CONFIG, loso=False)
    held = tmp_path / "held.jsonl"
    held.write_text("".join(json.dumps({"text": t, "themes": th}) + "\n" for t, th in HELD_OUT), encoding="utf-8")
    # None of the held-out statements was trained on.
    assert not {t for t, _ in HELD_OUT} & set(TEACH_FINANCING)

    from themes.compare import compare_models

    result = compare_models(tmp_path / "old", tmp_path / "new", data=held)
    financing = result["per_theme"]["financing"]
    assert financing["support"] == 6
    assert financing["old"]["f1"] < 0.5  # the base model misses this kind of statement
    assert financing["delta"]["f1"] >= 0.3
    assert financing["new"]["recall"] >= 0.8
    assert result["new"].startswith("themes-teach.1-")
    # The gate passes for financing; the CLI shows the improvement.
    capsys.readouterr()
    main(["compare", str(tmp_path / "old"), str(tmp_path / "new"), "--data", str(held)])
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("financing "))
    assert row.split()[-1].startswith("+")


def test_cli_train_compares_with_the_model_in_use_and_gates_on_regressions(tmp_path, capsys, monkeypatch):
    """One command retrains, measures and compares: the old model is the one in use."""
    tiny = write_tiny_release(tmp_path / "tiny")
    export = tmp_path / "financing.csv"
    export.write_text("text,themes\n" + "".join(f'"{t}",financing\n' for t in TEACH_FINANCING), encoding="utf-8")
    assert main(["import", "csv", str(export), "--out", str(tmp_path / "teach"), "--release-name", "teach.1", "--builds-on", "tiny.1"]) == 0
    # The model in use learnt the charity phrasing; the candidate is trained without it.
    train([tiny, tmp_path / "teach"], out=tmp_path / "in-use", include_shipped=False, config=TINY_CONFIG, loso=False, name="in-use")
    monkeypatch.setenv("THEMES_MODEL", str(tmp_path / "in-use"))
    held = tmp_path / "held.jsonl"
    held.write_text("".join(json.dumps({"text": t, "themes": th}) + "\n" for t, th in HELD_OUT), encoding="utf-8")
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(TINY_CONFIG))
    argv = ["train", "--no-shipped", "--no-loso", "--config", str(config), "--release", str(tiny), "--name", "candidate",
            "--out", str(tmp_path / "candidate"), "--compare-data", str(held)]
    capsys.readouterr()
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "old in-use  ->  new candidate" in out
    assert f"held-out data: {held} ({len(HELD_OUT)} statements)" in out
    financing = next(line for line in out.splitlines() if line.startswith("financing "))
    assert financing.split()[-1].startswith("-")  # the candidate lost the phrasing
    # The gate: the same command with a tolerance exits 1 and names the theme.
    assert main(argv[:-4] + ["--out", str(tmp_path / "candidate2"), "--compare-data", str(held), "--fail-on-regression", "0.1", "--json"]) == 1
    captured = capsys.readouterr()
    assert "regression: F1 dropped by more than 0.1 for financing" in captured.err
    assert [r["theme"] for r in json.loads(captured.out)["comparison"]["regressions"]] == ["financing"]

