"""``themes import --empty-labels`` (session 15): the doccano importer's ``empty_labels``
reaches the command line.

doccano writes an example nobody annotated as ``"label": []``, as it writes one an annotator
gave no theme. By default such a line is read as "no theme", with a warning; with
``--empty-labels report`` it is reported as not annotated and kept out of the release.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes.cli import build_parser, main
from themes.corpus import read_release
from themes.importers.doccano import EMPTY_LABELS

LINES = [
    {"id": 1, "text": "Drones hit the base.", "label": ["uav"]},
    {"id": 2, "text": "The chairman thanked the hosts.", "label": []},
    {"id": 3, "text": "The meeting was opened.", "label": [], "is_confirmed": True},
]


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "all-examples.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")
    return path


def _texts(release: Path) -> list[tuple[str, list[str]]]:
    return [(r["text"], r["themes"]) for _, r in read_release(release).records]


def test_with_the_flag_an_unmarked_empty_label_is_reported_not_imported(tmp_path, export, capsys):
    out = tmp_path / "r1"
    assert main(["import", "doccano", str(export), "--out", str(out), "--empty-labels", "report"]) == 0
    printed = capsys.readouterr()
    # The confirmed empty list is still a statement given no theme; the unmarked one is not imported.
    assert _texts(out) == [("Drones hit the base.", ["uav"]), ("The meeting was opened.", [])]
    report = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
    assert report["skipped"] == [
        {"where": f"{export}:2", "reason": "not annotated? (an empty label list, and --empty-labels report)"}
    ]
    assert report["warnings"] == []
    assert "skipped: 1 record(s)" in printed.out and f"{export}:2: not annotated?" in printed.out
    assert "warning" not in printed.err


def test_without_the_flag_it_is_a_negative_and_the_warning_names_the_flag(tmp_path, export, capsys):
    out = tmp_path / "r1"
    assert main(["import", "doccano", str(export), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert _texts(out) == [
        ("Drones hit the base.", ["uav"]),
        ("The chairman thanked the hosts.", []),
        ("The meeting was opened.", []),
    ]
    assert f"themes: warning: 1 record(s) with an empty label list were read as 'no theme' ({export}:2)" in err
    assert "import with --empty-labels report to leave them out" in err
    assert "empty_labels=" not in err  # the library's parameter name means nothing on the command line


def test_negative_is_the_default_given_explicitly(tmp_path, export):
    assert main(["import", "doccano", str(export), "--out", str(tmp_path / "a")]) == 0
    assert main(["import", "doccano", str(export), "--out", str(tmp_path / "b"), "--empty-labels", "negative"]) == 0
    assert _texts(tmp_path / "a") == _texts(tmp_path / "b")


def test_the_flag_with_another_format_is_a_usage_error(tmp_path, capsys):
    labels = tmp_path / "labels.csv"
    labels.write_text("text,themes\nDrones hit the base.,uav\n", encoding="utf-8")
    assert main(["import", "csv", str(labels), "--out", str(tmp_path / "r1"), "--empty-labels", "report"]) == 2
    assert "--empty-labels applies to doccano exports only, not to csv" in capsys.readouterr().err
    assert not (tmp_path / "r1").exists()


def test_an_unknown_value_is_refused_by_the_parser(tmp_path, export, capsys):
    assert main(["import", "doccano", str(export), "--out", str(tmp_path / "r1"), "--empty-labels", "skip"]) == 2
    assert "--empty-labels" in capsys.readouterr().err
    assert not (tmp_path / "r1").exists()


def test_the_help_offers_the_importer_values_and_no_longer_says_every_empty_choice_is_no_theme():
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices["import"]
    (flag,) = [a for a in sub._actions if "--empty-labels" in a.option_strings]
    assert tuple(flag.choices) == EMPTY_LABELS
    assert "approved documents" in flag.help and "every example" in flag.help
    description = " ".join(sub.description.split())
    assert "an annotation with no choice means no theme. Label" not in description
    assert "a record nobody annotated is reported" in description and "--empty-labels report" in description
