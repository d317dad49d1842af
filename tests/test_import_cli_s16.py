"""``themes import``: the report names what the user can type (session 16).

1. A skipped record's reason named the library's parameter (``empty_labels='report'``,
   ``id_from='export'``) in the report of ``themes import``, printed and in
   ``import_report.json``, where the user typed ``--empty-labels report``. The command now
   passes its wording (``option_names="cli"``); a caller of :func:`import_export` still reads
   the parameter it passed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes.cli import main
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
