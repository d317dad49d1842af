"""Retraining and imports: defects found in review (session 15).

1. A release other than the first whose manifest builds on nothing (``"builds_on": null`` or
   no key) was merged without a word.
2. ``write_release`` wrote into the target folder directly: a write that failed midway left
   half a release there (or half of a replaced one).
3. doccano writes an example nobody annotated as ``"label": []``, as it writes a statement
   given no theme; the import read every such line as a negative.
4. Tool record numbers (1, 2, 3) became corpus ids: two imports' statements with the same
   number replaced one another.

Tiny literal releases and exports only; nothing here trains.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import themes.corpus as corpus
from themes.corpus import check_corpus, merge_releases, read_release, release_folders, shipped_corpus_path, shipped_releases, write_release
from themes.errors import CorpusError, InvalidInputError, ParameterError
from themes.importers import import_export, text_id


def _record(rid: str, text: str, themes=("uav",)) -> dict:
    return {"id": rid, "text": text, "themes": list(themes), "context": None, "style": "unknown", "lang": "en"}


ONE = [_record("a-1", "Drones hit the base.")]
TWO = [_record("b-1", "Heroin was seized on the northern route.", ["drug_trafficking"])]


def _line_of(path: Path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if f'"{key}"' in line)


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --------------------------------------------------------------- 1. a broken chain of releases
@pytest.mark.parametrize("how", ["null", "missing"])
def test_a_release_after_the_first_that_builds_on_nothing_is_an_error(tmp_path, how):
    first = write_release(ONE, tmp_path / "r1", "r1", None, "2027-01-01")
    second = write_release(TWO, tmp_path / "r2", "r2", None, "2027-02-01")
    manifest = second / "manifest.json"
    if how == "missing":
        data = json.loads(manifest.read_text(encoding="utf-8"))
        del data["builds_on"]
        manifest.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    line = 1 if how == "missing" else _line_of(manifest, "builds_on")
    assert check_corpus([first], realdev=False) == []  # the first release builds on nothing: valid
    problems = check_corpus([first, second], realdev=False)
    assert problems == [
        f"{manifest}:{line}: release 'r2' (folder {second}) "
        + ("builds on nothing (\"builds_on\": null)" if how == "null" else "has no \"builds_on\"")
        + f", but it comes after release 'r1' ({first}); every release but the first names the release "
        'it builds on: expected "builds_on": "r1"; if it builds on that one, run '
        f"`themes corpus stamp {second} --builds-on r1` (or import it again with --builds-on and --force)"
    ]



def test_corpus_check_refuses_a_broken_chain_of_releases(tmp_path, capsys):
    from themes.cli import main

    first = write_release(ONE, tmp_path / "r1", "r1", None, "2027-01-01")
    second = write_release(TWO, tmp_path / "r2", "r2", None, "2027-02-01")
    assert main(["corpus", "check", "--no-shipped", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert f"{second / 'manifest.json'}:" in out and "expected \"builds_on\": \"r1\"" in out
    fixed = write_release(TWO, second, "r2", "r1", "2027-02-01", force=True)
    assert main(["corpus", "check", "--no-shipped", str(first), str(fixed)]) == 0


def test_a_release_that_builds_on_nothing_after_the_shipped_ones_names_the_last_shipped(tmp_path):
    last = shipped_releases()[-1]
    name = json.loads((last / "manifest.json").read_text(encoding="utf-8"))["release"]
    mine = write_release(ONE, tmp_path / "2027.1", "2027.1", None, "2027-01-01")
    problems = check_corpus([shipped_corpus_path(), mine], realdev=False)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{mine / 'manifest.json'}:{_line_of(mine / 'manifest.json', 'builds_on')}: release '2027.1'")
    assert f"comes after release {name!r} ({last})" in problems[0]
    assert f'expected "builds_on": "{name}"' in problems[0]
    # Named, it is valid.
    fixed = write_release(ONE, tmp_path / "2027.1", "2027.1", name, "2027-01-01", force=True)
    assert check_corpus([shipped_corpus_path(), fixed], realdev=False) == []


def test_a_folder_of_releases_whose_second_builds_on_nothing_is_an_error(tmp_path):
    releases = tmp_path / "releases"
    write_release(ONE, releases / "a", "a", None, "2027-01-01")
    write_release(TWO, releases / "b", "b", None, "2027-02-01")
    (problem,) = check_corpus([releases], realdev=False)
    assert problem.startswith(f"{releases / 'b' / 'manifest.json'}:") and "expected \"builds_on\": \"a\"" in problem


# --------------------------------------------------------------- 2. write_release is atomic
def _fail_in_manifest(monkeypatch, exc):
    """Make the write fail after statements.jsonl was written (the manifest is made next)."""

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(corpus, "release_manifest", broken)


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()], ids=["error", "interrupt"])
def test_a_write_that_fails_midway_leaves_nothing(tmp_path, monkeypatch, exc):
    target = tmp_path / "releases" / "2027.1"
    _fail_in_manifest(monkeypatch, exc)
    with pytest.raises(type(exc)):
        write_release(ONE + TWO, target, "2027.1")
    assert not target.exists()
    assert _files_under(tmp_path) == []  # no staging folder, no parent made for it


def test_a_forced_write_that_fails_midway_leaves_the_old_release_as_it_was(tmp_path, monkeypatch):
    target = write_release(ONE, tmp_path / "r1", "r1", None, "2027-01-01")
    before = {name: (target / name).read_bytes() for name in ("statements.jsonl", "manifest.json")}
    _fail_in_manifest(monkeypatch, RuntimeError("disk full"))
    with pytest.raises(RuntimeError):
        write_release(TWO, target, "r1", force=True)
    assert {name: (target / name).read_bytes() for name in before} == before
    assert _files_under(tmp_path) == ["r1", "r1/manifest.json", "r1/statements.jsonl"]


def test_a_forced_write_replaces_the_release_and_keeps_other_files(tmp_path):
    target = write_release(ONE, tmp_path / "r1", "r1", None, "2027-01-01")
    (target / "NOTES.md").write_text("why these labels\n", encoding="utf-8")
    write_release(TWO, target, "r1", None, "2027-01-02", force=True)
    assert [r["id"] for _, r in read_release(target).records] == ["b-1"]
    assert (target / "NOTES.md").read_text(encoding="utf-8") == "why these labels\n"
    assert check_corpus([target], realdev=False) == []
    assert _files_under(tmp_path) == ["r1", "r1/NOTES.md", "r1/manifest.json", "r1/statements.jsonl"]


def test_an_import_that_fails_after_the_release_leaves_no_release_without_its_report(tmp_path, monkeypatch):
    from themes.importers import ImportReport

    export = tmp_path / "labels.csv"
    export.write_text("text,themes\nDrones hit the base.,uav\n", encoding="utf-8")

    def broken(self):
        raise RuntimeError("report failed")

    monkeypatch.setattr(ImportReport, "to_dict", broken)
    with pytest.raises(RuntimeError, match="report failed"):
        import_export("csv", export, tmp_path / "r1", release="r1")
    assert not (tmp_path / "r1").exists()
    assert _files_under(tmp_path) == ["labels.csv"]


def test_a_staging_folder_a_killed_write_left_is_not_read_as_a_release(tmp_path):
    releases = tmp_path / "releases"
    write_release(ONE, releases / "r1", "r1", None, "2027-01-01")
    # As a write killed (SIGKILL) right before its rename would leave it.
    write_release(TWO, tmp_path / "elsewhere", "r2", "r1", "2027-02-01").rename(releases / ".r2.x1y2.partial")
    assert [p.name for p in release_folders([releases])] == ["r1"]
    # ... and the next write of that release removes it.
    write_release(TWO, releases / "r2", "r2", "r1", "2027-02-01")
    assert sorted(p.name for p in releases.iterdir()) == ["r1", "r2"]


# --------------------------------------------------------------- 3. annotated with no theme, or never annotated
def _doccano(tmp_path: Path, *records: dict, name: str = "all.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_doccano_an_example_marked_unconfirmed_with_no_label_is_reported_not_a_negative(tmp_path):
    path = _doccano(
        tmp_path,
        {"id": 1, "text": "Drones hit the base.", "label": ["uav"], "is_confirmed": True},
        {"id": 2, "text": "The chairman thanked the hosts.", "label": [], "is_confirmed": True},
        {"id": 3, "text": "Heroin was seized.", "label": [], "is_confirmed": False},
        {"id": 4, "text": "The meeting was opened.", "label": [], "annotation_approver": "anna"},
    )
    report = import_export("doccano", path, None)
    assert [(s["text"], s["themes"]) for s in report.statements] == [
        ("Drones hit the base.", ["uav"]),
        ("The chairman thanked the hosts.", []),  # seen and given no theme: a negative
        ("The meeting was opened.", []),  # approved with no label: a negative
    ]
    assert report.skipped == [(f"{path}:3", "not annotated (no label and 'is_confirmed' is false)")]
    assert report.warnings == []  # every empty label list was told apart


def test_doccano_an_empty_label_doccano_cannot_tell_apart_is_said_and_can_be_reported(tmp_path):
    path = _doccano(
        tmp_path,
        {"id": 1, "text": "Drones hit the base.", "label": ["uav"]},
        {"id": 2, "text": "The chairman thanked the hosts.", "label": []},
        {"id": 3, "text": "Heroin was seized.", "label": []},
    )
    report = import_export("doccano", path, tmp_path / "r1", release="r1")
    # As before, a negative (an export of approved documents only holds no other kind) ...
    assert [s["themes"] for s in report.statements] == [["uav"], [], []]
    # ... but said, with where and what to do.
    (warning,) = report.warnings
    assert warning.startswith(
        f"2 record(s) with an empty label list were read as 'no theme' ({path}:2, {path}:3): "
        "doccano exports an example nobody annotated the same way"
    )
    assert "Export only approved documents" in warning and "empty_labels='report'" in warning
    written = json.loads((tmp_path / "r1" / "import_report.json").read_text(encoding="utf-8"))
    assert written["warnings"] == report.warnings
    # Told that the export holds examples nobody annotated, they are reported instead.
    report = import_export("doccano", path, None, empty_labels="report")
    assert [s["themes"] for s in report.statements] == [["uav"]]
    assert report.skipped == [
        (f"{path}:{n}", "not annotated? (an empty label list, and empty_labels='report')") for n in (2, 3)
    ]
    assert report.warnings == []
    with pytest.raises(InvalidInputError, match=r"The 'empty_labels' parameter of read_doccano must be one of \['negative', 'report'\]\. Got 'skip' instead\."):
        import_export("doccano", path, None, empty_labels="skip")
    with pytest.raises(InvalidInputError, match=r"The options \['empty_labels'\] do not apply to the 'csv' format"):
        import_export("csv", path, None, empty_labels="report")


def test_labelstudio_a_task_without_annotations_is_reported_and_an_empty_annotation_is_a_negative(tmp_path):
    # Already right before this review; pinned beside the doccano case.
    tasks = [
        {"id": 1, "data": {"text": "The chairman thanked the hosts."}, "annotations": [{"completed_by": 1, "result": []}]},
        {"id": 2, "data": {"text": "Heroin was seized."}, "annotations": []},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    report = import_export("labelstudio", path, None)
    assert [(s["text"], s["themes"]) for s in report.statements] == [("The chairman thanked the hosts.", [])]
    assert report.skipped == [(f"{path}:1 (task 2, id 2)", "not annotated")]


def test_labelstudio_csv_export_a_task_nobody_annotated_is_reported_not_a_negative(tmp_path):
    # Label Studio's CSV export writes a task without annotations as a row with no
    # annotation_id (and an empty choices cell); an annotation with no choice has one.
    path = tmp_path / "project.csv"
    path.write_text(
        "annotation_id,annotator,id,text,themes\n"
        '11,1,1,Drones hit the base.,"{""choices"": [""uav""]}"\n'
        "12,1,2,The chairman thanked the hosts.,\n"
        ",,3,Heroin was seized.,\n",
        encoding="utf-8",
    )
    report = import_export("csv", path, None)
    assert [(s["text"], s["themes"]) for s in report.statements] == [
        ("Drones hit the base.", ["uav"]),
        ("The chairman thanked the hosts.", []),
    ]
    assert report.skipped == [(f"{path}:4", "not annotated (no annotation_id: a task nobody annotated)")]


# --------------------------------------------------------------- 4. tool record numbers as ids
def test_record_numbers_of_two_csv_imports_do_not_replace_each_other(tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("id,text,themes\n1,Drones hit the base.,uav\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text("id,text,themes\n1,Heroin was seized.,drug_trafficking\n", encoding="utf-8")
    import_export("csv", first, tmp_path / "r1", release="r1")
    import_export("csv", second, tmp_path / "r2", release="r2", builds_on="r1")
    statements, _ = merge_releases([tmp_path / "r1", tmp_path / "r2"])
    assert sorted(s.id for s in statements) == sorted([text_id("Drones hit the base."), text_id("Heroin was seized.")])
    # A string id that is no number is still the statement's id.
    third = tmp_path / "third.csv"
    third.write_text("id,text,themes\nq-1,Border guards met.,border_security\n", encoding="utf-8")
    assert import_export("csv", third, None).statements[0]["id"] == "q-1"


def _labelstudio(path: Path, text: str) -> Path:
    task = {"id": 1, "data": {"text": text}, "annotations": [{"completed_by": 1, "result": []}]}
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


def test_tool_numbers_taken_as_ids_that_collide_across_releases_are_an_error_naming_both(tmp_path):
    one = _labelstudio(tmp_path / "project_a.json", "The chairman thanked the hosts.")
    two = _labelstudio(tmp_path / "project_b.json", "The meeting was opened.")
    import_export("labelstudio", one, tmp_path / "r1", release="r1", id_from="export")
    import_export("labelstudio", two, tmp_path / "r2", release="r2", builds_on="r1", id_from="export")
    (problem,) = check_corpus([tmp_path / "r1", tmp_path / "r2"], realdev=False)
    assert problem == (
        f"{tmp_path / 'r2' / 'statements.jsonl'}:1: id '1' (from labelstudio:{two}:1 (task 1, id 1)) is the id "
        f"of another statement at {tmp_path / 'r1' / 'statements.jsonl'}:1 (from labelstudio:{one}:1 (task 1, id 1)): "
        "two exports' record numbers collide, and this text would replace that one; import with --id-from auto "
        "(ids from the text), or give the earlier text to relabel that statement"
    )
    with pytest.raises(CorpusError, match="record numbers collide"):
        merge_releases([tmp_path / "r1", tmp_path / "r2"])
    # The same number with the same text is a relabelling of that statement: fine. (Beside r2,
    # which builds on r1 too, r3 would fork the chain: refused since session 17, so it goes
    # in a folder of its own.)
    again = _labelstudio(tmp_path / "project_a_again.json", "The chairman thanked the hosts.")
    with pytest.raises(ParameterError, match="release r2 .* already builds on r1"):
        import_export("labelstudio", again, tmp_path / "r3", release="r3", builds_on="r1", id_from="export")
    import_export("labelstudio", again, tmp_path / "relabel" / "r3", release="r3", builds_on="r1", id_from="export")
    assert check_corpus([tmp_path / "r1", tmp_path / "relabel" / "r3"], realdev=False) == []


def test_cli_import_says_how_many_empty_doccano_labels_it_read_as_no_theme(tmp_path, capsys):
    from themes.cli import main

    path = _doccano(tmp_path, {"text": "Drones hit the base.", "label": ["uav"]}, {"text": "Heroin was seized.", "label": []})
    assert main(["import", "doccano", str(path), "--out", str(tmp_path / "r1")]) == 0
    err = capsys.readouterr().err
    assert f"themes: warning: 1 record(s) with an empty label list were read as 'no theme' ({path}:2): doccano" in err
