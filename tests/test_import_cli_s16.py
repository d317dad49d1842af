"""``themes import``: the report names what the user can type (session 16).

1. A skipped record's reason named the library's parameter (``empty_labels='report'``,
   ``id_from='export'``) in the report of ``themes import``, printed and in
   ``import_report.json``, where the user typed ``--empty-labels report``. The command now
   passes its wording (``option_names="cli"``); a caller of :func:`import_export` still reads
   the parameter it passed.
2. ``themes import`` without ``--builds-on`` wrote ``"builds_on": null`` without a word: a
   release imported beside others started a second chain, which the check then refused. It
   now builds on the newest release in the folder that holds ``--out`` (the one it replaces
   keeps its base) and says so; with no release there it builds on nothing and says that,
   naming the base training on top of the shipped releases needs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from themes.cli import main
from themes.corpus import check_corpus, shipped_releases, write_release
from themes.errors import InvalidInputError
from themes.importers import import_export

DOCCANO = [
    {"id": 1, "text": "Drones hit the base.", "label": ["uav"]},
    {"id": 2, "text": "The chairman thanked the hosts.", "label": []},
]


@pytest.fixture
def doccano(tmp_path) -> Path:
    path = tmp_path / "all-examples.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in DOCCANO), encoding="utf-8")
    return path


@pytest.fixture
def sheet(tmp_path) -> Path:
    """A CSV export whose second row has no id: skipped with --id-from export."""
    path = tmp_path / "labels.csv"
    path.write_text("id,text,themes\n7,Drones hit the base.,uav\n,Funds were moved abroad.,financing\n", encoding="utf-8")
    return path


def _report(release: Path) -> dict:
    return json.loads((release / "import_report.json").read_text(encoding="utf-8"))


# ---------------------------------------------------- 1. the reasons name the command's options
def test_the_command_names_the_empty_labels_flag_in_the_reason(tmp_path, doccano, capsys):
    out = tmp_path / "r1"
    assert main(["import", "doccano", str(doccano), "--out", str(out), "--empty-labels", "report"]) == 0
    printed = capsys.readouterr().out
    reason = "not annotated? (an empty label list, and --empty-labels report)"
    assert _report(out)["skipped"] == [{"where": f"{doccano}:2", "reason": reason}]
    assert f"{doccano}:2: {reason}" in printed
    assert "empty_labels=" not in printed + (out / "import_report.json").read_text(encoding="utf-8")


def test_the_command_names_the_id_from_flag_in_the_reason(tmp_path, sheet, capsys):
    out = tmp_path / "r1"
    assert main(["import", "csv", str(sheet), "--out", str(out), "--id-from", "export"]) == 0
    printed = capsys.readouterr().out
    assert _report(out)["skipped"] == [{"where": f"{sheet}:3", "reason": "no id in the export (--id-from export)"}]
    assert "no id in the export (--id-from export)" in printed and "id_from=" not in printed


def test_the_warning_in_the_written_report_names_the_flag_too(tmp_path, doccano, capsys):
    out = tmp_path / "r1"
    assert main(["import", "doccano", str(doccano), "--out", str(out)]) == 0
    (warning,) = _report(out)["warnings"]
    assert warning.endswith("import with --empty-labels report to leave them out")
    assert "import with --empty-labels report to leave them out" in capsys.readouterr().err


def test_from_python_the_reasons_name_the_parameters(tmp_path, doccano, sheet):
    report = import_export("doccano", doccano, tmp_path / "a", empty_labels="report")
    assert report.skipped == [(f"{doccano}:2", "not annotated? (an empty label list, and empty_labels='report')")]
    report = import_export("csv", sheet, tmp_path / "b", id_from="export")
    assert report.skipped == [(f"{sheet}:3", "no id in the export (id_from='export')")]
    report = import_export("doccano", doccano, None)
    assert report.warnings[0].endswith("import with empty_labels='report' to leave them out")


def test_an_unknown_wording_is_refused(tmp_path, doccano):
    with pytest.raises(InvalidInputError, match=r"The 'option_names' parameter of import_export must be one of \['python', 'cli'\]. Got 'flags' instead."):
        import_export("doccano", doccano, None, option_names="flags")


# ------------------------------------------- 2. where the new release goes in the chain is said
def _builds_on(release: Path):
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))["builds_on"]


def _existing(releases: Path, folder: str, name: str, builds_on: str | None, text: str) -> Path:
    record = {"id": f"{name}-1", "text": text, "themes": ["uav"], "context": None, "style": "unknown", "lang": "en"}
    return write_release([record], releases / folder, name, builds_on, "2027-01-01")


@pytest.fixture
def releases(tmp_path) -> Path:
    """ls1 <- dc1: the folder names sort against the chain, the newest is dc1."""
    folder = tmp_path / "releases"
    _existing(folder, "ls1", "ls1", None, "Recruiters met in a cafe.")
    _existing(folder, "dc1", "dc1", "ls1", "The pipeline was attacked at night.")
    return folder


def test_by_default_the_new_release_builds_on_the_newest_one_beside_it_and_says_so(releases, sheet, capsys):
    out = releases / "sheet1"
    assert main(["import", "csv", str(sheet), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1] == f"builds on dc1 (the newest release in {releases}{os.sep}; --builds-on to choose another)"
    assert _builds_on(out) == "dc1"
    assert check_corpus(releases, realdev=False) == []  # one chain: ls1 <- dc1 <- sheet1


def test_with_no_release_beside_it_it_builds_on_the_newest_shipped_release_and_says_so(tmp_path, sheet, capsys):
    out = tmp_path / "releases" / "2027.1"
    assert main(["import", "csv", str(sheet), "--out", str(out)]) == 0
    shipped = json.loads((shipped_releases()[-1] / "manifest.json").read_text(encoding="utf-8"))["release"]
    assert capsys.readouterr().out.splitlines()[1] == (
        f"builds on {shipped} (no release in {out.parent}{os.sep}: the newest shipped release, as themes train "
        "reads it; --builds-on to choose another)"
    )
    assert _builds_on(out) == shipped
    # It checks and merges at once on top of the shipped releases, and alone (--no-shipped).
    assert main(["corpus", "check", str(out)]) == 0
    assert main(["corpus", "check", str(out), "--no-shipped"]) == 0


def test_an_explicit_base_is_kept_and_said(releases, sheet, capsys):
    out = releases / "sheet1"
    assert main(["import", "csv", str(sheet), "--out", str(out), "--builds-on", "dc1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["builds_on"] == "dc1"
    assert _builds_on(out) == "dc1"
    assert main(["import", "csv", str(sheet), "--out", str(releases / "sheet2"), "--builds-on", "sheet1"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "builds on sheet1 (--builds-on)"


def test_a_release_imported_again_keeps_its_place_in_the_chain(releases, sheet, capsys):
    # ls1 is replaced: the newest release beside it (dc1) builds on it, a cycle if made its base.
    assert main(["import", "csv", str(sheet), "--out", str(releases / "ls1"), "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "builds on nothing (as the release it replaces did; --builds-on to choose another)"
    assert _builds_on(releases / "ls1") is None
    assert main(["import", "csv", str(sheet), "--out", str(releases / "dc1"), "--force"]) == 0
    assert _builds_on(releases / "dc1") == "ls1"
    assert check_corpus(releases, realdev=False) == []
