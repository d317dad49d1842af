"""themes evaluate reads statements as classify does (themes.api.read_statements): text and
context cut at 5,000 characters; a statement classify does not score, or a blank one, counts
as predicted with no theme, and the report says how many and why."""

from __future__ import annotations

import json

from themes import classify
from themes.api import MAX_STATEMENT_CHARS
from themes.cli import main
from themes.evaluate import binarize, evaluate, multilabel_metrics

FILLER = "The session opened. " * (MAX_STATEMENT_CHARS // 20)
DRONES = "Terrorists used armed drones and quadcopters to attack. " * 20


def _themes_of_the_whole(model, text, context=None):
    row = model.predict_proba([text], [context]) >= model.thresholds
    return [t for t, on in zip(model.themes, row[0]) if on]


def test_a_text_past_5000_characters_is_read_to_its_first_5000_as_classify_reads_it(tiny_model):
    text = FILLER + DRONES
    assert "uav" in _themes_of_the_whole(tiny_model, text)  # what evaluate used to read
    assert classify(text, model=tiny_model).themes == ()
    metrics = evaluate(tiny_model, [text, "Drones were used to attack the checkpoint."], [[], ["uav"]])
    assert metrics["per_theme"]["uav"]["fp"] == 0 and metrics["per_theme"]["uav"]["precision"] == 1.0


def test_a_context_past_5000_characters_is_read_to_its_first_5000(tiny_model):
    text, context = "The participants discussed it.", FILLER + DRONES
    assert "uav" in _themes_of_the_whole(tiny_model, text, context)
    assert classify(text, context=context, model=tiny_model).themes == ()
    metrics = evaluate(tiny_model, [text], [[]], contexts=[context])
    assert metrics["per_theme"]["uav"]["fp"] == 0


def test_evaluate_gives_the_figures_of_classify(tiny_model):
    texts = [
        "Drones drones quadcopters беспилотники атаковали пограничную заставу ночью",
        "Drones and quadcopters هاجمت الطائرات المسيرة مركزا حدوديا",
        "",
        "  ",
        FILLER + DRONES,
        "Drones were used to attack the checkpoint.",
        "Border guards stopped illegal migration across the state border.",
    ]
    labels = [["uav"], [], [], [], [], ["uav"], ["border_security"]]
    metrics = evaluate(tiny_model, texts, labels)
    predicted = [list(r.themes) for r in classify(texts, model=tiny_model)]
    expected = multilabel_metrics(binarize(labels, tiny_model.themes), binarize(predicted, tiny_model.themes), tiny_model.themes)
    assert metrics["per_theme"] == expected["per_theme"] and metrics["micro"] == expected["micro"]
    assert metrics["n"] == len(texts)  # counted, not dropped
    assert metrics["not_scored"] == 4
    assert metrics["not_scored_reasons"] == {
        "blank: nothing to read": 2,
        "most of its letters are Cyrillic; the model reads English only": 1,
        "most of its letters are neither Latin nor Cyrillic; the model reads English only": 1,
    }


def test_themes_evaluate_prints_each_reason_for_not_scoring(tmp_path, capsys, tiny_model_dir):
    data = tmp_path / "held.jsonl"
    rows = [
        {"text": "Беспилотники атаковали заставу.", "themes": ["uav"]},
        {"text": "Beспилотники атаковали пограничную заставу.", "themes": ["uav"]},
        {"text": " ", "themes": []},
        {"text": "Drones were used to attack the checkpoint.", "themes": ["uav"]},
    ]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert main(["evaluate", str(data), "--model", str(tiny_model_dir)]) == 0
    out = capsys.readouterr().out
    assert (
        "2 statements not scored (most of its letters are Cyrillic; the model reads English only): "
        "counted as predicted with no theme" in out
    )
    assert "1 statement not scored (blank: nothing to read): counted as predicted with no theme" in out


def test_read_statements_is_how_classify_reads_a_batch(tiny_model):
    from themes.api import read_statements

    texts = ["Drones were used.", "Беспилотники атаковали заставу.", "", "a" * 6000]
    read = read_statements(texts, [None, None, "b" * 6000, None], tiny_model)
    assert [len(t) for t in read.texts] == [17, 31, 0, MAX_STATEMENT_CHARS]
    assert read.contexts == [None, None, "b" * MAX_STATEMENT_CHARS, None]
    assert read.blank == [2] and sorted(read.reasons) == [1]
    results = classify(texts, model=tiny_model)
    assert {i: r.not_scored for i, r in enumerate(results) if r.not_scored} == read.reasons
    assert all(results[i].themes == () for i in read.unscored)
    assert read.unscored == {1: read.reasons[1], 2: "blank: nothing to read"}


def test_a_context_that_is_not_a_string_is_named_by_file_and_line(tmp_path):
    import pytest

    from themes.errors import InvalidInputError
    from themes.evaluate import read_labelled

    path = tmp_path / "labelled.jsonl"
    rows = [{"text": "Drones attacked.", "themes": ["uav"], "context": None}, {"text": "Drones attacked.", "themes": ["uav"], "context": 5}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"labelled\.jsonl:2: 'context' must be a string or null\. Got int 5"):
        read_labelled(path)
