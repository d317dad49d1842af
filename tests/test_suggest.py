"""themes suggest: the least certain, diverse statements as tasks, and the round trip through import."""

from __future__ import annotations

import json

import pytest

from themes.api import get_model
from themes.cli import main
from themes.corpus import check_corpus, read_release
from themes.errors import CorpusError, DocumentError, InvalidInputError, OutputExistsError
from themes.importers import import_export, text_id
from themes.suggest import label_config, suggest

NEAR = "Terrorists used commercial drones to watch the border crossing at night."
NEAR_COPY = "Terrorists used commercial drones to watch the border crossing at dawn."
MIDDLE = "The ministers agreed on a plan of joint exercises for next year."
FAR = "The session was opened by the chairman with a welcome speech."


def _scores(thresholds, near=None, margin=0.0):
    """Scores far from every threshold, except ``near`` which sits ``margin`` above its threshold."""
    scores = {t: (0.0 if thr > 0.5 else 1.0) for t, thr in thresholds.items()}
    if near:
        scores[near] = thresholds[near] + margin
    return scores


@pytest.fixture
def archive(tmp_path, tiny_model_dir):
    model = get_model(tiny_model_dir)
    thresholds = {t: float(v) for t, v in zip(model.themes, model.thresholds)}
    rows = [
        (NEAR, "The participants noted:", _scores(thresholds, "uav", 0.01)),
        (NEAR_COPY, None, _scores(thresholds, "uav", 0.012)),  # a near-copy: passed over
        ("  " + NEAR + " ", None, _scores(thresholds, "uav", 0.01)),  # an exact repeat: dropped
        (MIDDLE, None, _scores(thresholds, "exercises_training", -0.03)),
        (FAR, None, _scores(thresholds)),
    ]
    path = tmp_path / "scores.jsonl"
    lines = [
        {
            "bulletin": f"b{i}.txt", "date": "2024-05-0" + str(i + 1), "index": i, "start": 0, "end": len(text),
            "text": text, "context": context, "scores": scores,
            "themes": [t for t, s in scores.items() if s >= thresholds[t]], "model": model.name, "truncated": False,
        }
        for i, (text, context, scores) in enumerate(rows)
    ]
    lines.append({"bulletin": "broken.pdf", "error": "cannot be read"})
    # a statement the model does not read: its scores are zero, and it is never suggested
    lines.append({**lines[0], "text": "هاجمت الطائرات المسيرة", "scores": dict.fromkeys(thresholds, 0.0),
                  "themes": [], "not_scored": "not scored: most of its letters are neither Latin nor Cyrillic"})
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def _texts(tasks):
    return [t.get("data", t)["text"] for t in tasks]


def test_most_uncertain_first_without_near_copies(archive, tiny_model_dir):
    tasks = suggest(archive, n=3, model=tiny_model_dir)
    assert _texts(tasks) == [NEAR, MIDDLE, FAR]
    assert len(suggest(archive, n=10, model=tiny_model_dir)) == 3  # nor the statement not scored
    assert _texts(suggest(archive, n=2, model=tiny_model_dir)) == [NEAR, MIDDLE]
    # With a looser notion of "near-copy" the second drone statement comes back.
    assert NEAR_COPY in _texts(suggest(archive, n=5, model=tiny_model_dir, similarity=0.95))


def test_labelstudio_tasks_carry_predictions(archive, tiny_model_dir):
    task = suggest(archive, n=1, format="labelstudio", model=tiny_model_dir)[0]
    assert task["data"]["id"] == text_id(NEAR)
    assert task["data"]["context"] == "The participants noted:"
    assert task["data"]["uncertainty"] == pytest.approx(0.01, abs=1e-6)
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "tiny-model"
    (result,) = prediction["result"]
    assert (result["type"], result["from_name"], result["to_name"]) == ("choices", "themes", "text")
    assert "uav" in result["value"]["choices"]
    # The labelling interface has the same control names.
    assert '<Choices name="themes" toName="text"' in label_config()


def test_round_trip_labelstudio(archive, tiny_model_dir, tmp_path):
    tasks = suggest(archive, n=3, format="labelstudio", model=tiny_model_dir, out=tmp_path / "tasks.json")
    exported = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert exported == tasks
    # Unlabelled, the tasks hold only predictions: nothing to import.
    with pytest.raises(CorpusError, match="3 not annotated"):
        import_export("labelstudio", tmp_path / "tasks.json", tmp_path / "none")
    # An analyst accepts the first prediction, corrects the second and leaves the third empty.
    answers = [["uav", "border_security"], ["international_cooperation", "exercises_training"], []]
    for i, (task, chosen) in enumerate(zip(exported, answers)):
        task["id"] = 1000 + i
        result = [{"from_name": "themes", "to_name": "text", "type": "choices", "value": {"choices": chosen}}]
        task["annotations"] = [{"completed_by": 1, "result": result if chosen else []}]
    (tmp_path / "export.json").write_text(json.dumps(exported), encoding="utf-8")
    report = import_export("labelstudio", tmp_path / "export.json", tmp_path / "release")
    assert (report.n_statements, report.skipped) == (3, [])
    released = [r for _, r in read_release(tmp_path / "release").records]
    assert [r["id"] for r in released] == [t["data"]["id"] for t in tasks]
    assert [r["themes"] for r in released] == [["uav", "border_security"], ["international_cooperation", "exercises_training"], []]
    assert released[0]["context"] == "The participants noted:" and released[1]["context"] is None
    assert check_corpus(tmp_path / "release") == []


def test_round_trip_doccano(archive, tiny_model_dir, tmp_path):
    tasks = suggest(archive, n=3, format="doccano", model=tiny_model_dir, out=tmp_path / "tasks.jsonl")
    assert tasks[0]["label"] and tasks[0]["model_version"] == "tiny-model"
    report = import_export("doccano", tmp_path / "tasks.jsonl", tmp_path / "release")
    released = [r for _, r in read_release(tmp_path / "release").records]
    assert report.n_statements == 3
    # doccano reads the pre-filled labels as the analyst's: unchanged, they are the model's themes.
    assert [(r["id"], r["text"], r["themes"]) for r in released] == [(t["id"], t["text"], t["label"]) for t in tasks]


def test_bad_parameters_and_inputs(archive, tiny_model_dir, tmp_path):
    with pytest.raises(InvalidInputError, match="'n' parameter of suggest must be an int >= 1. Got 0 instead."):
        suggest(archive, n=0)
    with pytest.raises(InvalidInputError, match="'format' parameter of suggest"):
        suggest(archive, format="prodigy")
    with pytest.raises(InvalidInputError, match="'similarity' parameter of suggest"):
        suggest(archive, similarity=0)
    with pytest.raises(DocumentError, match="no such file"):
        suggest(tmp_path / "missing.jsonl", model=tiny_model_dir)
    (tmp_path / "taken.json").write_text("[]")
    with pytest.raises(OutputExistsError, match="--force"):
        suggest(archive, model=tiny_model_dir, out=tmp_path / "taken.json")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "scores": {"other": 0.5}}\n')
    with pytest.raises(DocumentError, match="bad.jsonl:1: its scores name none of the model's themes"):
        suggest(bad, model=tiny_model_dir)


def test_cli_suggest(archive, tiny_model_dir, tmp_path, capsys):
    out = tmp_path / "tasks.json"
    args = ["suggest", str(archive), "--n", "10", "--out", str(out), "--model", str(tiny_model_dir)]
    assert main(args + ["--label-config", str(tmp_path / "config.xml")]) == 0
    captured = capsys.readouterr()
    assert "wrote 3 labelstudio task(s)" in captured.out
    assert "fewer than --n 10" in captured.out
    assert captured.err == ""
    assert len(json.loads(out.read_text())) == 3
    assert (tmp_path / "config.xml").read_text() == label_config()
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err
    assert main(args + ["--force", "--format", "doccano"]) == 0
    assert len(out.read_text().splitlines()) == 3
    assert main(args + ["--force", "--n", "0"]) == 2


def test_cli_notes_another_scoring_model(archive, tiny_model_dir, tmp_path, capsys):
    renamed = tmp_path / "renamed.jsonl"
    renamed.write_text(archive.read_text().replace('"model": "tiny-model"', '"model": "themes-2024.1-2024-01-01"'))
    assert main(["suggest", str(renamed), "--out", str(tmp_path / "t.json"), "--model", str(tiny_model_dir)]) == 0
    assert "scored by themes-2024.1-2024-01-01" in capsys.readouterr().err
