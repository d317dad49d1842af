"""Retraining with new labels, as an analyst follows the README: defects found in review.

Tiny literal exports and releases only; nothing here trains on the shipped corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes.cli import main
from conftest import write_tiny_release

from themes.compare import compare_models
from themes.corpus import check_corpus, release_folders
from themes.errors import CorpusError
from themes.importers import import_export


def _csv(folder: Path, rows: str, name: str = "labels.csv") -> Path:
    path = folder / name
    path.write_text("text,themes\n" + rows, encoding="utf-8")
    return path


def test_a_labelstudio_task_id_with_a_lone_surrogate_is_reported_not_a_crash(tmp_path):
    # JSON allows "\ud800"; the task id is only shown in the record's place.
    export = tmp_path / "export.json"
    export.write_text(
        '[{"id": "a\\ud800", "data": {"text": "Drones hit the base."}, "annotations": '
        '[{"result": [{"type": "choices", "value": {"choices": ["uav"]}}]}]}]',
        encoding="utf-8",
    )
    report = import_export("labelstudio", export, tmp_path / "r1", release="r1")
    assert report.n_statements == 1
    assert "\\ud800" in report.placed[0][0]
    json.loads((tmp_path / "r1" / "import_report.json").read_text(encoding="utf-8"))


def test_importing_into_a_folder_of_releases_is_refused_not_hiding_them(tmp_path):
    releases = tmp_path / "releases"
    import_export("csv", _csv(tmp_path, "Drones hit the base.,uav\n"), releases / "r1", release="r1")
    other = _csv(tmp_path, "Sappers cleared the pipeline.,critical_infrastructure\n", "other.csv")
    with pytest.raises(CorpusError, match=r"releases.*holds release.*r1"):
        import_export("csv", other, releases, release="r2", builds_on="r1")
    assert not (releases / "statements.jsonl").exists()
    assert [p.name for p in release_folders([releases])] == ["r1"]


def test_a_folder_of_releases_named_by_number_and_by_word_is_read_not_a_crash(tmp_path, capsys):
    releases = tmp_path / "releases"
    import_export("csv", _csv(tmp_path, "Drones hit the base.,uav\n"), releases / "2027.1", release="2027.1")
    other = _csv(tmp_path, "Sappers cleared the pipeline.,critical_infrastructure\n", "other.csv")
    import_export("csv", other, releases / "labelstudio", release="ls", builds_on="2027.1")
    assert [p.name for p in release_folders([releases])] == ["2027.1", "labelstudio"]
    assert check_corpus([releases], realdev=False) == []
    assert main(["corpus", "check", "--no-shipped", str(releases)]) == 0


def test_a_tool_id_with_a_lone_surrogate_taken_as_the_id_is_reported_not_a_crash(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(
        '[{"id": "a\\ud800", "data": {"text": "Drones hit the base."}, "annotations": '
        '[{"result": [{"type": "choices", "value": {"choices": ["uav"]}}]}]}, '
        '{"id": "t2", "data": {"text": "Heroin was seized."}, "annotations": '
        '[{"result": [{"type": "choices", "value": {"choices": ["drug_trafficking"]}}]}]}]',
        encoding="utf-8",
    )
    report = import_export("labelstudio", export, tmp_path / "r1", release="r1", id_from="export")
    assert [s["id"] for s in report.statements] == ["t2"]
    assert "id holds a lone surrogate U+D800" in report.skipped[0][1]


def test_compare_without_the_release_a_model_was_trained_on_says_so(tiny_model_dir, tmp_path, capsys):
    # README step 3 as written (`themes compare OLD NEW`) measures on the shipped test split
    # only: the new release's test statements and relabellings are left out without a word.
    result = compare_models(tiny_model_dir, tiny_model_dir)
    assert any("tiny.1" in w and "--release" in w for w in result["warnings"])
    release = write_tiny_release(tmp_path / "tiny", builds_on=_last_shipped())
    result = compare_models(tiny_model_dir, tiny_model_dir, releases=[release])
    assert not [w for w in result["warnings"] if "tiny.1" in w]


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_import_out_that_is_a_file_says_what_is_wrong(tmp_path, capsys, force):
    # It said "afile: File exists", which --force did not help.
    out = tmp_path / "afile"
    out.write_text("notes\n", encoding="utf-8")
    export = _csv(tmp_path, "Drones hit the base.,uav\n")
    assert main(["import", "csv", str(export), "--out", str(out), *force]) == 1
    assert "afile: is a file; a release is a folder" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "notes\n"


def _last_shipped() -> str:
    from themes.corpus import shipped_releases

    return json.loads((shipped_releases()[-1] / "manifest.json").read_text(encoding="utf-8"))["release"]


LS_TASK = {"id": 1, "data": {"text": "Drones hit the base."},
           "annotations": [{"result": [{"type": "choices", "value": {"choices": ["uav"]}}]}]}


@pytest.mark.parametrize("format", ["doccano", "prodigy"])
def test_a_labelstudio_json_imported_as_jsonl_names_the_format_not_every_line(tmp_path, format):
    # It was "no statement to import from 14 record(s) (3 invalid JSON (Extra data at column 18), ...)".
    export = tmp_path / "export.json"
    export.write_text(json.dumps([LS_TASK, LS_TASK], indent=2), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"export\.json:1: one JSON array, not JSON Lines.*themes import labelstudio"):
        import_export(format, export, tmp_path / "r1", release="r1")
    assert not (tmp_path / "r1").exists()


def test_a_jsonl_export_imported_as_labelstudio_names_the_format(tmp_path):
    export = tmp_path / "doccano.jsonl"
    export.write_text(
        '{"text": "Drones hit the base.", "label": ["uav"]}\n{"text": "Heroin was seized.", "label": []}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"doccano\.jsonl:2: invalid JSON \(Extra data.*JSON Lines.*doccano or prodigy"):
        import_export("labelstudio", export, tmp_path / "r1", release="r1")


DUPLICATES = (
    "Drones hit the base near the river.,uav\n"
    "Drones hit the base near the river .,uav\n"  # a retyped copy: a space before the full stop
)


def test_a_retyped_copy_in_an_export_is_one_statement(tmp_path):
    # The import kept both (two ids: one could fall in the test split, the other train on it)
    # and `themes corpus check` said 0 problems.
    report = import_export("csv", _csv(tmp_path, DUPLICATES), tmp_path / "r1", release="r1")
    assert report.n_statements == 1
    assert report.skipped[0][0].endswith("labels.csv:3") and "same text as" in report.skipped[0][1]


def test_check_finds_one_text_under_two_ids_of_a_release(tmp_path):
    records = [
        {"id": "a-1", "text": "Drones hit the base near the river.", "themes": ["uav"], "context": None, "style": "s", "lang": "en"},
        {"id": "a-2", "text": "Drones hit the base near the river .", "themes": ["uav"], "context": None, "style": "s", "lang": "en"},
    ]
    from themes.corpus import write_release

    write_release(records, tmp_path / "r1", "r1")
    problems = check_corpus([tmp_path / "r1"], realdev=False)
    assert len(problems) == 1 and "statements.jsonl:2: 'a-2' has the same text as line 1" in problems[0]


def test_csv_columns_named_in_another_case_are_read_not_dropped(tmp_path):
    # "ID,Text,Themes" (as a spreadsheet writes it) was refused for want of 'text', and an
    # "ID" or "Context" column beside a lower-case "text" was ignored without a word.
    path = tmp_path / "labels.csv"
    path.write_text(
        "\ufeffID,Text,Themes,Context\nx-1,Border posts were reinforced.,border_security,The ministers noted:\n",
        encoding="utf-8",
    )
    report = import_export("csv", path, tmp_path / "r1", release="r1")
    assert [(s["id"], s["themes"], s["context"]) for s in report.statements] == [
        ("x-1", ["border_security"], "The ministers noted:")
    ]
    path.write_text("ID,text,themes\nx-2,Border posts were reinforced.,border_security\n", encoding="utf-8")
    assert import_export("csv", path, None, release="r2").statements[0]["id"] == "x-2"


def test_a_lang_column_in_another_case_or_spelled_out_is_not_written_as_is(tmp_path):
    # "RU" and "english" went into the release as they were, and the check said 0 problems.
    path = tmp_path / "labels.csv"
    path.write_text(
        "text,themes,lang\n"
        "Пограничные посты усилены.,border_security,RU\n"
        "Border posts were reinforced at dawn.,border_security,english\n",
        encoding="utf-8",
    )
    report = import_export("csv", path, tmp_path / "r1", release="r1")
    assert [s["lang"] for s in report.statements] == ["ru", "english"]
    assert check_corpus([tmp_path / "r1"], realdev=False) == [
        f"{tmp_path / 'r1' / 'statements.jsonl'}:2: 'lang' must be one of ['en', 'ru'], got 'english'"
    ]


def test_compare_says_how_many_held_out_statements_the_releases_wrote(tiny_model_dir, tmp_path):
    # "test split of the shipped corpus + DIR (1697 statements)" did not say whether the
    # release moved 4 of them or 400: the deltas could not be read against it.
    from conftest import tiny_statements
    from themes.corpus import is_test_id

    release = write_tiny_release(tmp_path / "tiny", builds_on=_last_shipped())
    result = compare_models(tiny_model_dir, tiny_model_dir, releases=[release])
    n = sum(is_test_id(s.id) for s in tiny_statements())
    assert result["data"].endswith(f", {n} of them as that release wrote them")


def test_a_label_studio_csv_export_with_several_choices_is_read(tmp_path):
    # Label Studio's CSV export writes {"choices": [...]} in the themes cell; it was split on
    # its commas into label names such as '{"choices": ["uav"' and refused with a --map
    # suggestion that could not work.
    path = tmp_path / "project.csv"
    path.write_text(
        "annotator,text,themes\n"
        '1,Drones hit the pipeline near the border.,"{""choices"": [""uav"", ""critical_infrastructure""]}"\n'
        "1,Heroin was seized at the crossing.,drug_trafficking\n",
        encoding="utf-8",
    )
    report = import_export("csv", path, None, release="r1")
    assert [s["themes"] for s in report.statements] == [["uav", "critical_infrastructure"], ["drug_trafficking"]]
