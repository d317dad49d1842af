"""themes import: Label Studio, doccano, Prodigy and CSV exports -> a release, every record accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes.cli import main
from themes.corpus import check_corpus, read_release
from themes.errors import CorpusError, InvalidInputError
from themes.importers import import_export, read_export, text_id

MAP = {"Terror finance": "financing"}


def _choices(*labels):
    return [{"from_name": "themes", "to_name": "text", "type": "choices", "value": {"choices": list(labels)}}]


def write_labelstudio(folder: Path) -> Path:
    tasks = [
        {  # task 1: three annotators; one adds critical_infrastructure -> dropped, reported
            "id": 101,
            "data": {"text": "Drones attacked the checkpoint.", "context": "The participants noted:"},
            "annotations": [
                {"completed_by": 1, "result": _choices("uav")},
                {"completed_by": 2, "result": _choices("uav", "critical_infrastructure")},
                {"completed_by": 3, "result": _choices("uav")},
            ],
        },
        {  # task 2: a cancelled annotation is skipped and counted
            "id": 102,
            "data": {"text": "Heroin was seized on the northern route."},
            "annotations": [
                {"completed_by": 1, "was_cancelled": True, "result": []},
                {"completed_by": 2, "result": _choices("drug_trafficking")},
            ],
        },
        {  # task 3: an empty result is "no theme"
            "id": 103,
            "data": {"text": "The chairman thanked the hosts."},
            "annotations": [{"completed_by": 1, "result": []}],
        },
        {  # task 4: no text
            "id": 104,
            "data": {"image": "scan.png"},
            "annotations": [{"completed_by": 1, "result": _choices("uav")}],
        },
        {  # task 5: a label outside the taxonomy
            "id": 105,
            "data": {"text": "Donations moved through hawala to the militants.", "id": "ls-105"},
            "annotations": [{"completed_by": 1, "result": _choices("Terror finance")}],
        },
        {  # task 6: only the model's predictions, no annotation
            "id": 106,
            "data": {"text": "Customs officers checked the trucks."},
            "predictions": [{"model_version": "m", "result": _choices("border_security")}],
        },
        {  # task 7: every annotation cancelled
            "id": 107,
            "data": {"text": "Exercises were held in the mountains."},
            "annotations": [{"completed_by": 1, "was_cancelled": True, "result": []}],
        },
    ]
    path = folder / "labelstudio.json"
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    return path


def write_doccano(folder: Path) -> Path:
    """A per-user export (one file per annotator), as doccano writes without collaboration."""
    export = folder / "doccano"
    export.mkdir()
    admin = [
        {"id": 1, "text": "Drones attacked the checkpoint.", "label": ["uav"]},
        {"id": 2, "text": "Heroin was seized on the northern route.", "label": ["drug_trafficking"]},
        {"id": 3, "data": "Donations moved through hawala.", "labels": ["Terror finance"]},
        {"id": 4, "label": ["uav"]},
        {"id": 5, "text": "Hackers hit the ministry.", "label": [[0, 7, "cyber_threats"]]},
    ]
    analyst = [
        {"id": 1, "text": "Drones attacked the checkpoint.", "label": ["uav", "critical_infrastructure"]},
        {"id": 2, "text": "Heroin was seized on the northern route.", "label": ["drug_trafficking"]},
        {"id": 3, "data": "Donations moved through hawala.", "labels": ["Terror finance"]},
    ]
    for name, records in (("admin", admin), ("analyst", analyst)):
        (export / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return export


def write_prodigy(folder: Path) -> Path:
    options = [{"id": t, "text": t} for t in ("uav", "critical_infrastructure", "drug_trafficking", "Terror finance")]
    lines = [
        # a choice task by two annotators who disagree on critical_infrastructure
        {"text": "Drones attacked the checkpoint.", "options": options, "accept": ["uav"], "answer": "accept", "_annotator_id": "a"},
        {"text": "Drones attacked the checkpoint.", "options": options, "accept": ["uav", "critical_infrastructure"], "answer": "accept", "_annotator_id": "b"},
        # ignored: counted like a cancelled annotation
        {"text": "Heroin was seized on the northern route.", "options": options, "accept": [], "answer": "ignore", "_annotator_id": "a"},
        {"text": "Heroin was seized on the northern route.", "options": options, "accept": ["drug_trafficking"], "answer": "accept", "_annotator_id": "b"},
        # binary answers about one text, merged
        {"text": "A drone hit the pipeline.", "label": "uav", "answer": "accept"},
        {"text": "A drone hit the pipeline.", "label": "critical_infrastructure", "answer": "accept"},
        {"text": "A drone hit the pipeline.", "label": "drug_trafficking", "answer": "reject"},
        # unknown label, missing text, rejected task
        {"text": "Donations moved through hawala.", "options": options, "accept": ["Terror finance"], "answer": "accept"},
        {"options": options, "accept": ["uav"], "answer": "accept"},
        {"text": "Nonsense task.", "options": options, "accept": [], "answer": "reject"},
    ]
    path = folder / "prodigy.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def write_csv(folder: Path) -> Path:
    path = folder / "labels.csv"
    path.write_text(
        "statement\ttags\tannotator\tcontext\n"
        "Drones attacked the checkpoint.\tuav\tann1\t\n"
        "Drones attacked the checkpoint.\tuav | critical_infrastructure\tann2\t\n"
        "Drones attacked the checkpoint.\tuav\tann3\t\n"
        "Heroin was seized on the northern route.\tdrug_trafficking\tann1\tThe parties:\n"
        "\tuav\tann1\t\n"
        "Donations moved through hawala.\tTerror finance\tann1\t\n"
        "The chairman thanked the hosts.\t\tann1\t\n",
        encoding="utf-8",
    )
    return path


CSV_OPTIONS = {"text_column": "statement", "themes_column": "tags", "delimiter": "\t", "separator": "|"}

WRITERS = {
    "labelstudio": (write_labelstudio, {}),
    "doccano": (write_doccano, {}),
    "prodigy": (write_prodigy, {}),
    "csv": (write_csv, CSV_OPTIONS),
}


def _by_text(folder):
    return {r["text"]: r for _, r in read_release(folder).records}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_unknown_label_is_an_error_listing_its_lines(tmp_path, fmt):
    writer, options = WRITERS[fmt]
    export = writer(tmp_path)
    with pytest.raises(CorpusError, match="'Terror finance' on ") as info:
        import_export(fmt, export, tmp_path / "release", **options)
    assert all("Terror finance" in p for p in info.value.problems)
    assert "--map" in str(info.value)
    assert not (tmp_path / "release").exists()


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_record_is_in_the_release_or_the_report(tmp_path, fmt):
    writer, options = WRITERS[fmt]
    export = writer(tmp_path)
    report = import_export(fmt, export, tmp_path / "release", mapping=MAP, release="imp.1", date="2026-01-01", **options)
    records = read_export(fmt, export, **options)
    wheres = [r.where for r in records]
    accounted = [w for w, _ in report.placed] + [w for w, _ in report.skipped]
    assert sorted(accounted) == sorted(wheres)
    assert report.n_records == len(records)
    # The release is a valid corpus release holding exactly the placed statements.
    assert check_corpus(tmp_path / "release") == []
    released = _by_text(tmp_path / "release")
    assert {i for _, i in report.placed} == {r["id"] for r in released.values()}
    # The multi-annotator conflict: uav kept by all, critical_infrastructure dropped and reported.
    drones = released["Drones attacked the checkpoint."]
    assert drones["themes"] == ["uav"]
    conflict = [d for d in report.disagreements if d["id"] == drones["id"]]
    assert conflict and "critical_infrastructure" in conflict[0]["votes"]
    assert released["Heroin was seized on the northern route."]["themes"] == ["drug_trafficking"]
    assert any("hawala" in text and r["themes"] == ["financing"] for text, r in released.items())
    # The record without text is reported, not dropped silently.
    assert any(reason == "no text" for _, reason in report.skipped)
    assert json.loads((tmp_path / "release" / "import_report.json").read_text())["records"] == len(records)


def test_labelstudio_details(tmp_path):
    report = import_export("labelstudio", write_labelstudio(tmp_path), tmp_path / "r", mapping=MAP)
    released = _by_text(tmp_path / "r")
    assert report.cancelled == 2
    assert released["The chairman thanked the hosts."]["themes"] == []
    assert released["Drones attacked the checkpoint."]["context"] == "The participants noted:"
    # A string id in the task data is kept; otherwise the text's hash is the id.
    hawala = released["Donations moved through hawala to the militants."]
    assert hawala["id"] == "ls-105"
    assert released["The chairman thanked the hosts."]["id"] == text_id("The chairman thanked the hosts.")
    reasons = dict(report.skipped)
    assert any(r.startswith("not annotated (it has only predictions") for r in reasons.values())
    assert "all 1 annotation(s) cancelled" in reasons.values()
    # Skipped records name their line in the export and their task number.
    where = next(w for w, r in report.skipped if r == "no text")
    line = int(where.split(":")[-1].split(" ")[0])
    assert '"id": 104' in (tmp_path / "labelstudio.json").read_text().splitlines()[line]
    assert "task 4" in where


def test_labelstudio_ids_from_the_tool(tmp_path):
    import_export("labelstudio", write_labelstudio(tmp_path), tmp_path / "r", mapping=MAP, id_from="export")
    ids = {r["text"]: r["id"] for r in _by_text(tmp_path / "r").values()}
    assert ids["Drones attacked the checkpoint."] == "101"
    assert ids["Donations moved through hawala to the militants."] == "ls-105"


def test_doccano_per_user_files_are_pooled(tmp_path):
    report = import_export("doccano", write_doccano(tmp_path), tmp_path / "r", mapping=MAP)
    assert report.n_statements == 3
    assert any("span labels" in reason for _, reason in report.skipped)
    # both annotators' lines of a statement are placed under one id
    heroin = text_id("Heroin was seized on the northern route.")
    assert sum(i == heroin for _, i in report.placed) == 2


def test_doccano_single_file_with_labels_key(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(
        json.dumps({"id": "d-1", "text": "Hackers hit the ministry.", "labels": ["cyber_threats"], "meta": {"context": "It was noted:"}})
        + "\n{not json\n",
        encoding="utf-8",
    )
    report = import_export("doccano", path, tmp_path / "r")
    (record,) = _by_text(tmp_path / "r").values()
    assert (record["id"], record["themes"], record["context"]) == ("d-1", ["cyber_threats"], "It was noted:")
    assert report.skipped == [(f"{path}:2", "invalid JSON (Expecting property name enclosed in double quotes at column 2)")]


def test_prodigy_binary_answers_that_leave_themes_unjudged_are_refused(tmp_path):
    """Three binary answers judge 3 of 13 themes: a release would read the other 10 as negatives."""
    path = write_prodigy(tmp_path)
    report = import_export("prodigy", path, tmp_path / "r", mapping=MAP)
    assert "A drone hit the pipeline." not in _by_text(tmp_path / "r")
    refused = [(w, r) for w, r in report.skipped if r.startswith("binary answer")]
    assert [w for w, _ in refused] == [f"{path}:{n}" for n in (5, 6, 7)]
    assert refused[0][1] == (
        "binary answer on one label ('uav'): with the 2 other binary answer(s) on this text it says nothing "
        "about 10 of the 13 themes; export a multi-label choice task (`accept` list) instead"
    )
    assert report.skip_reasons()["binary answer on one label"] == 3
    assert report.cancelled == 1
    assert any(reason.startswith("rejected") for _, reason in report.skipped)


def test_prodigy_one_binary_answer_is_refused_not_read_as_no_theme(tmp_path):
    path = tmp_path / "textcat.jsonl"
    path.write_text(
        json.dumps({"text": "Money moved to the group.", "label": "financing", "answer": "reject"}) + "\n"
        + json.dumps({"text": "Drones flew over.", "options": [{"id": "uav"}], "accept": ["uav"], "answer": "accept"}) + "\n",
        encoding="utf-8",
    )
    report = import_export("prodigy", path, tmp_path / "r")
    assert report.skipped == [(
        f"{path}:1",
        "binary answer on one label ('financing'): it says nothing about the other 12 themes; "
        "export a multi-label choice task (`accept` list) instead",
    )]
    # the multi-choice task is imported as before
    assert [(s["text"], s["themes"]) for s in report.statements] == [("Drones flew over.", ["uav"])]
    written = json.loads((tmp_path / "r" / "import_report.json").read_text(encoding="utf-8"))
    assert written["skipped"][0]["reason"].startswith("binary answer on one label ('financing')")


def test_prodigy_binary_answers_that_judge_every_theme_together_are_merged(tmp_path):
    from themes.taxonomy import THEME_IDS

    path = tmp_path / "textcat.jsonl"
    path.write_text(
        "".join(
            json.dumps({"text": "A drone hit the pipeline.", "label": t, "answer": "accept" if t == "uav" else "reject"}) + "\n"
            for t in THEME_IDS
        ),
        encoding="utf-8",
    )
    report = import_export("prodigy", path, tmp_path / "r")
    assert [s["themes"] for s in report.statements] == [["uav"]]
    assert report.skipped == []


def test_csv_majority_and_empty_cell(tmp_path):
    report = import_export("csv", write_csv(tmp_path), tmp_path / "r", mapping=MAP, **CSV_OPTIONS)
    released = _by_text(tmp_path / "r")
    assert released["The chairman thanked the hosts."]["themes"] == []
    assert released["Heroin was seized on the northern route."]["context"] == "The parties:"
    assert report.disagreements[0]["votes"] == {"critical_infrastructure": [1, 3]}
    assert (f"{tmp_path / 'labels.csv'}:6", "no text") in report.skipped


def test_same_text_under_two_ids_with_other_labels_is_skipped(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,text,themes\na,Drones flew over.,uav\nb,Drones  flew over.,border_security\nc,Other text.,\n")
    report = import_export("csv", path, tmp_path / "r")
    assert [i for _, i in report.placed] == ["a", "c"]
    assert report.skipped[0] == (
        f"{path}:3",
        f"same text as {path}:2 (id a), labelled border_security here and uav there; the first was kept: "
        "reconcile the two and import again",
    )
    assert report.skip_reasons() == {"same text as an earlier statement": 1}
    assert check_corpus(tmp_path / "r") == []


def test_a_statement_in_a_language_the_model_does_not_read_is_skipped_with_the_reason(tmp_path):
    path = tmp_path / "langs.csv"
    path.write_text(
        "text,themes\n"
        "Drones flew over the border.,uav\n"
        "Беспилотники пересекли границу.,uav\n"
        "Ұлттық қауіпсіздік комитеті жиын өткізді.,\n"
        "هاجمت الطائرات المسيرة مركزا حدوديا,uav\n",
        encoding="utf-8",
    )
    report = import_export("csv", path, tmp_path / "r")
    assert [(s["text"][:6], s["lang"]) for s in report.statements] == [("Drones", "en"), ("Беспил", "ru")]
    assert [where for where, _ in report.skipped] == [f"{path}:4", f"{path}:5"]
    assert all(reason.startswith("not imported: ") for _, reason in report.skipped)
    assert report.skip_reasons() == {"not in a language the model reads": 2}
    assert check_corpus(tmp_path / "r") == []


def test_mapping_to_nothing_drops_a_label(tmp_path):
    path = tmp_path / "drop.csv"
    path.write_text("text,themes\nDrones flew over.,uav;maybe\n")
    import_export("csv", path, tmp_path / "r", mapping={"maybe": ""})
    assert [r["themes"] for r in _by_text(tmp_path / "r").values()] == [["uav"]]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"format": "excel"}, "'format' parameter of import_export must be one of"),
        ({"id_from": "row"}, "'id_from' parameter of import_export must be one of"),
        ({"mapping": {"drones": "drone_theme"}}, "not theme ids: drones=drone_theme"),
    ],
    ids=["format", "id_from", "mapping"],
)
def test_bad_parameters(tmp_path, kwargs, match):
    path = write_csv(tmp_path)
    args = {"format": "csv", **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        import_export(args.pop("format"), path, tmp_path / "r", **args)


def test_nothing_importable_is_an_error(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps([{"data": {"text": "x"}, "annotations": []}]))
    with pytest.raises(CorpusError, match=r"no statement to import from 1 record\(s\) \(1 not annotated\)"):
        import_export("labelstudio", path, tmp_path / "r")


def test_cli_import(tmp_path, capsys):
    export = write_labelstudio(tmp_path)
    out = tmp_path / "release"
    assert main(["import", "labelstudio", str(export), "--out", str(out)]) == 1
    assert "'Terror finance'" in capsys.readouterr().err
    code = main(["import", "labelstudio", str(export), "--out", str(out), "--map", "Terror finance=financing", "--release-name", "2027.1"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "imported 4 statement(s) from 7 record(s)" in printed
    assert "cancelled annotations skipped: 2" in printed
    assert "critical_infrastructure 1/3 dropped" in printed
    assert read_release(out).manifest["release"] == "2027.1"
    # never over an existing release without --force
    assert main(["import", "labelstudio", str(export), "--out", str(out), "--map", "Terror finance=financing"]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["import", "labelstudio", str(export), "--out", str(out), "--map", "Terror finance=financing", "--force", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["statements"] == 4


def test_cli_import_csv_options_and_bad_map(tmp_path, capsys):
    export = write_csv(tmp_path)
    base = ["import", "csv", str(export), "--out", str(tmp_path / "r"), "--text-column", "statement",
            "--themes-column", "tags", "--delimiter", "tab", "--separator", "|"]
    assert main(base + ["--map", "nonsense"]) == 2
    assert "--map expects OLD=NEW" in capsys.readouterr().err
    assert main(base + ["--map", "Terror finance=financeing"]) == 2
    assert "--map Terror finance=financeing: 'financeing' is not a theme id; the themes are financing, uav," in capsys.readouterr().err
    assert main(base + ["--map", "Terror finance=financing"]) == 0
    assert "imported 4 statement(s) from 7 record(s)" in capsys.readouterr().out


def test_doccano_zip_of_per_user_files(tmp_path):
    import zipfile

    folder = write_doccano(tmp_path)
    archive = tmp_path / "doccano.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    report = import_export("doccano", archive, tmp_path / "r", mapping=MAP)
    assert report.n_statements == 3
    assert any(w.startswith(f"{archive}!analyst.jsonl:") for w, _ in report.placed)
    assert report.disagreements[0]["votes"] == {"critical_infrastructure": [1, 2]}


def test_an_export_without_a_language_gets_the_language_of_its_text(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "text,themes,lang\nDrones flew over the border.,uav,\nБеспилотники пересекли границу.,uav,\nTexte en français.,,fr\n",
        encoding="utf-8",
    )
    import_export("csv", path, tmp_path / "r")
    langs = {text: r["lang"] for text, r in _by_text(tmp_path / "r").items()}
    assert langs == {
        "Drones flew over the border.": "en",
        "Беспилотники пересекли границу.": "ru",
        "Texte en français.": "fr",  # what the export says is kept
    }


# Anna answers item q1 twice (the second time without border_security), Boris once.
# One vote each, Anna's last: financing 2/2 kept, border_security 1/2 dropped. Counted
# twice, or with her first answer, border_security would be kept.
FIRST, AGAIN, BORIS = ["financing", "border_security"], ["financing"], ["financing", "border_security"]
Q1 = "Money and border guards were discussed."


def _write_answered_twice(tmp_path: Path, fmt: str) -> Path:
    answers = [("anna", FIRST), ("anna", AGAIN), ("boris", BORIS)]
    if fmt == "csv":
        path = tmp_path / "twice.csv"
        path.write_text("id,text,themes,annotator\n" + "".join(f"q1,{Q1},{';'.join(th)},{who}\n" for who, th in answers))
    elif fmt == "labelstudio":
        path = tmp_path / "twice.json"
        task = {"id": 1, "data": {"id": "q1", "text": Q1}, "annotations": [{"completed_by": who, "result": _choices(*th)} for who, th in answers]}
        path.write_text(json.dumps([task]))
    elif fmt == "doccano":
        path = tmp_path / "twice.jsonl"
        path.write_text("".join(json.dumps({"id": "q1", "text": Q1, "label": th, "user": who}) + "\n" for who, th in answers))
    else:
        path = tmp_path / "twice.jsonl"
        path.write_text("".join(
            json.dumps({"text": Q1, "meta": {"id": "q1"}, "accept": th, "answer": "accept", "_annotator_id": who}) + "\n"
            for who, th in answers
        ))
    return path


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_an_annotator_who_answers_twice_has_one_vote_the_last(tmp_path, fmt):
    path = _write_answered_twice(tmp_path, fmt)
    report = import_export(fmt, path, tmp_path / "r")
    assert [(s["id"], s["themes"]) for s in report.statements] == [("q1", ["financing"])]
    assert report.disagreements[0]["votes"] == {"border_security": [1, 2]}
    ((where, reason),) = report.superseded
    if fmt == "labelstudio":
        first, again = f"{path}:1 (task 1, id 1, annotation 1)", f"{path}:1 (task 1, id 1, annotation 2)"
    else:
        first, again = f"{path}:2", f"{path}:3"
        if fmt != "csv":
            first, again = f"{path}:1", f"{path}:2"
        # a row that is only Anna's first answer is reported, not placed
        assert report.skipped == [(first, reason)]
        assert report.skip_reasons() == {"answered again by the same annotator": 1}
    assert where == first
    assert reason == f"annotator 'anna' answered item 'q1' again at {again}; the last answer counts"
    written = json.loads((tmp_path / "r" / "import_report.json").read_text(encoding="utf-8"))
    assert written["superseded_answers"] == 1 and written["superseded"] == [{"where": first, "reason": reason}]


def test_answers_without_an_annotator_all_count(tmp_path):
    path = tmp_path / "anonymous.csv"
    path.write_text(f"id,text,themes\nq1,{Q1},financing;border_security\nq1,{Q1},financing;border_security\nq1,{Q1},financing\n")
    report = import_export("csv", path, None)
    assert report.statements[0]["themes"] == ["financing", "border_security"]  # 2/3: nothing tells whose they are
    assert report.superseded == []


def test_labelstudio_annotator_as_an_object_is_one_annotator(tmp_path):
    path = tmp_path / "export.json"
    anna = {"id": 5, "email": "anna@example.org"}
    task = {"data": {"text": Q1}, "annotations": [
        {"completed_by": anna, "result": _choices("border_security")},
        {"completed_by": anna, "result": _choices("financing")},
    ]}
    path.write_text(json.dumps([task]))
    report = import_export("labelstudio", path, None)
    assert report.statements[0]["themes"] == ["financing"]
    assert report.superseded[0][1].startswith("annotator 'anna@example.org' answered item 'sha256-")


@pytest.mark.parametrize(
    "label, meant",
    [("UAV", "uav"), ("Exercises_Training", "exercises_training"), ("Unmanned aerial vehicles", "uav"),
     ("border security", "border_security"), ("Drug trafficing", "drug_trafficking")],
)
def test_a_label_close_to_a_theme_is_refused_with_the_theme_meant(tmp_path, label, meant):
    path = tmp_path / "case.csv"
    path.write_text(f"text,themes\nDrones flew over the base.,{label}\nHeroin was seized.,weather\n")
    with pytest.raises(CorpusError) as info:
        import_export("csv", path, tmp_path / "r")
    message = str(info.value)
    assert f"{label!r} on {path}:2 (did you mean {meant!r}?)" in message
    assert f"'weather' on {path}:3. " in message  # nothing close: no suggestion
    assert f"Rename each with --map OLD=NEW (here: --map '{label}={meant}' --map 'weather=THEME_ID')" in message
    assert "\n" not in message  # the command line shows the first line of an error with several problems
    assert info.value.problems[0] == f"{path}:2: label {label!r} is not a theme id (did you mean {meant!r}?)"
    assert not (tmp_path / "r").exists()


def test_a_map_that_matches_no_label_is_a_warning(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,themes\nDrones flew over the base.,Drones\nHeroin was seized.,drug_trafficking\n")
    with pytest.warns(UserWarning, match=r"--map Dronez=uav: no label 'Dronez' in the export, so it renamed nothing \(did you mean 'Drones'\?\)"):
        report = import_export("csv", path, tmp_path / "r", mapping={"Drones": "uav", "Dronez": "uav"})
    assert report.warnings == ["--map Dronez=uav: no label 'Dronez' in the export, so it renamed nothing (did you mean 'Drones'?)"]
    assert json.loads((tmp_path / "r" / "import_report.json").read_text())["warnings"] == report.warnings
    # the typo alone: warned, then the label it missed is the error
    with pytest.warns(UserWarning, match="no label 'Dronez'"), pytest.raises(CorpusError, match="'Drones' on "):
        import_export("csv", path, tmp_path / "r2", mapping={"Dronez": "uav"})


def test_cli_import_warns_on_stderr_about_a_map_that_matches_no_label(tmp_path, capsys):
    from themes.cli import main

    path = tmp_path / "labels.csv"
    path.write_text("text,themes\nDrones flew over the base.,uav\n")
    assert main(["import", "csv", str(path), "--out", str(tmp_path / "r"), "--map", "Dronez=uav"]) == 0
    captured = capsys.readouterr()
    assert "themes: warning: " in captured.err and "UserWarning" not in captured.err
    assert "--map Dronez=uav: no label 'Dronez' in the export, so it renamed nothing (all its labels are theme ids)" in captured.err
    assert "imported 1 statement(s)" in captured.out


def test_csv_not_in_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("text,themes\nБеспилотники пересекли границу.,uav\n".encode("cp1251"))
    with pytest.raises(CorpusError, match=r"excel\.csv: not UTF-8 text \(invalid .* at byte 12\); save it as UTF-8 \(in Excel: CSV UTF-8\)\.$"):
        import_export("csv", path, tmp_path / "r")


def test_import_style_names_the_statements_without_one(tmp_path):
    from themes.cli import main
    from themes.errors import InvalidInputError
    from themes.importers import import_export

    path = tmp_path / "labels.csv"
    path.write_text("text,themes\nDrones flew over the base.,uav\n")
    assert main(["import", "csv", str(path), "--out", str(tmp_path / "r"), "--style", "cis_wire"]) == 0
    record = json.loads((tmp_path / "r" / "statements.jsonl").read_text().splitlines()[0])
    assert record["style"] == "cis_wire"
    assert import_export("csv", path, None).statements[0]["style"] == "unknown"
    with pytest.raises(InvalidInputError, match="The 'style' parameter of import_export must be a non-empty str"):
        import_export("csv", path, None, style=" ")


def test_labelstudio_json_min_and_a_text_under_another_key_say_what_to_do(tmp_path):
    from themes.importers import import_export

    path = tmp_path / "ls.json"
    path.write_text(json.dumps([
        {"id": 1, "text": "Drones flew.", "label": ["uav"]},
        {"id": 2, "data": {"sentence": "Drones flew."}, "annotations": [{"result": []}]},
        {"id": 3, "data": {"text": "Funds were frozen."},
         "annotations": [{"result": [{"type": "choices", "value": {"choices": ["financing"]}}]}]},
    ]))
    reasons = [why for _, why in import_export("labelstudio", path, None).skipped]
    assert reasons[0].endswith("it looks like a JSON-MIN export (fields at the top level): export the project as JSON")
    assert reasons[1].startswith("no 'text' in its data (it has 'sentence'); themes reads the statement from data.text")


def test_cli_import_with_two_unknown_labels_gives_the_map_hint_and_the_theme_ids(tmp_path, capsys):
    path = tmp_path / "two.csv"
    path.write_text("text,themes\nDrones flew over the base.,drones\nAnalysts expect more attacks.,threat_assesment\n")
    assert main(["import", "csv", str(path), "--out", str(tmp_path / "2027.9")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"{path}:2: label 'drones' is not a theme id",
        f"{path}:3: label 'threat_assesment' is not a theme id (did you mean 'threat_assessment'?)",
    ]
    last = err[-1]
    assert "--map 'drones=THEME_ID' --map 'threat_assesment=threat_assessment'" in last
    assert "drop it with --map 'drones='" in last and "theme ids: financing, uav," in last
    assert not (tmp_path / "2027.9").exists()


@pytest.mark.parametrize(
    "argv_tail", [["--release-name", "LAST"], []], ids=["release-name", "out-folder-name"]
)
def test_import_refuses_the_name_of_a_shipped_release_before_writing(tmp_path, capsys, argv_tail):
    from themes.corpus import shipped_releases

    last = shipped_releases()[-1]
    export = write_labelstudio(tmp_path)
    out = tmp_path / ("mine" if argv_tail else last.name)
    argv = ["import", "labelstudio", str(export), "--out", str(out), "--map", "Terror finance=financing"]
    assert main(argv + [a.replace("LAST", last.name) for a in argv_tail]) == 1
    line = capsys.readouterr().err.strip()
    # the words `themes corpus check` uses for the same clash
    assert line == (
        f"themes: error: {out}: release name {last.name!r} is already used by {last}; "
        "give each release a name of its own (--release-name NAME)"
    )
    assert not out.exists()


@pytest.mark.parametrize("command", [["import"], ["compare"]], ids=["import", "compare"])
def test_help_examples_name_a_new_release_on_the_last_shipped_one(capsys, command):
    """A user who copies the example must not get a name clash with a shipped release."""
    import re

    from themes.corpus import shipped_releases

    shipped = [p.name for p in shipped_releases()]
    assert main(command + ["--help"]) == 0
    text = capsys.readouterr().out
    examples = text[text.index("example"):]
    named = set(re.findall(r"releases/(\d{4}\.\d+)", examples)) | set(re.findall(r"--release-name (\S+)", examples))
    assert named and not named & set(shipped), named
    assert re.findall(r"--builds-on (\S+)", examples) in ([], [shipped[-1]])
