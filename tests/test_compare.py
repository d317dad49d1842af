"""themes compare: per-theme deltas of two models on the same held-out data, flips, the CI gate."""

from __future__ import annotations

import json

import pytest
from conftest import TINY_CONFIG, tiny_statements, write_tiny_release

from themes.cli import main
from themes.compare import compare_models, read_reference, regressions
from themes.corpus import is_test_id, load_corpus, write_release
from themes.errors import DocumentError, InvalidInputError
from themes.taxonomy import THEME_IDS as THEMES

HELD_OUT = [
    ("Terrorists used drones to attack an army post.", ["uav"]),
    ("Armed drones struck the border checkpoint.", ["uav", "border_security"]),
    ("Quadcopters dropped explosives on the convoy.", ["uav"]),
    ("Heroin was seized on trafficking routes.", ["drug_trafficking"]),
    ("The chairman thanked the hosts.", []),
]

# Labels that teach the model that drones are not a theme: a known regression on uav.
NOISE = [
    "Drones flew over the city during the parade.",
    "A drone filmed the ceremony for the press.",
    "Drones were shown at the exhibition.",
]


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    from themes.train import train

    base = tmp_path_factory.mktemp("compare")
    tiny = write_tiny_release(base / "tiny")
    drones = next(s for s in tiny_statements() if s.text.startswith("Drones were used"))
    records = [{**drones.to_record(), "themes": []}] + [
        {"id": f"noise-{i}", "text": t, "themes": [], "context": None, "style": "style1", "lang": "en"}
        for i, t in enumerate(NOISE)
    ]
    worse = write_release(records, base / "worse", "tiny.2", "tiny.1", "2025-02-01")
    train([tiny], out=base / "old", include_shipped=False, config=TINY_CONFIG, loso=False, name="old")
    train([tiny, worse], out=base / "new", include_shipped=False, config=TINY_CONFIG, loso=False, name="new")
    held = base / "held.jsonl"
    held.write_text("".join(json.dumps({"text": t, "themes": th}) + "\n" for t, th in HELD_OUT), encoding="utf-8")
    return {"old": base / "old", "new": base / "new", "held": held, "base": base}


def test_known_regression_is_measured(models):
    result = compare_models(models["old"], models["new"], data=models["held"])
    assert (result["old"], result["new"], result["n"]) == ("old", "new", len(HELD_OUT))
    uav = result["per_theme"]["uav"]
    assert uav["support"] == 3
    assert uav["delta"]["f1"] == pytest.approx(uav["new"]["f1"] - uav["old"]["f1"], abs=1e-3)
    assert uav["old"]["f1"] - uav["new"]["f1"] > 0.5
    assert [t for t, _, _ in regressions(result, 0.05)] == ["uav"]
    assert regressions(result, 1.0) == []
    # The drone statements lose uav in the new model: they are flips on the held-out data.
    lost = {f["text"] for f in result["flips"] if "uav" in f["lost"]}
    assert "Quadcopters dropped explosives on the convoy." in lost
    assert result["flip_counts"]["uav"]["lost"] == len(lost)


def test_a_model_against_itself_changes_nothing(models):
    result = compare_models(models["old"], models["old"], data=models["held"])
    assert result["flips"] == []
    assert all(v["delta"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0} for v in result["per_theme"].values())


def test_default_data_is_the_test_split_of_the_shipped_corpus(models):
    result = compare_models(models["old"], models["old"])
    assert result["n"] == sum(is_test_id(s.id) for s in load_corpus())
    assert result["data"] == "test split of the shipped corpus"


def test_cli_fail_on_regression_exit_code(models, capsys):
    old, new, held = str(models["old"]), str(models["new"]), str(models["held"])
    assert main(["compare", old, new, "--data", held, "--fail-on-regression", "0.05"]) == 1
    captured = capsys.readouterr()
    assert "regression: F1 dropped by more than 0.05 for uav" in captured.err
    assert "uav" in captured.out and "dF1" in captured.out
    assert main(["compare", old, new, "--data", held]) == 0
    assert main(["compare", old, old, "--data", held, "--fail-on-regression", "0.05"]) == 0
    assert main(["compare", old, new, "--data", held, "--fail-on-regression", "1"]) == 0
    capsys.readouterr()
    assert main(["compare", old, new, "--data", held, "--fail-on-regression", "0.05", "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["regressions"][0]["theme"] == "uav"
    assert main(["compare", old, new, "--fail-on-regression", "-1"]) == 2


def test_flips_on_a_scored_archive(models, tmp_path):
    scores = tmp_path / "scores" / "part-1.jsonl"
    scores.parent.mkdir()
    lines = [
        {"bulletin": "b1.txt", "index": 0, "text": "Drones attacked the army post at night.", "context": None},
        {"bulletin": "b1.txt", "index": 1, "text": "The next meeting will be held in spring.", "context": None},
        {"bulletin": "b2.pdf", "error": "cannot be read"},
    ]
    scores.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    records, passed = read_reference(scores.parent)
    assert ([r["id"] for r in records], passed) == (["b1.txt#0", "b1.txt#1"], 1)
    result = compare_models(models["old"], models["new"], data=models["held"], archive=scores)
    assert (result["n_reference"], result["n_reference_passed_over"]) == (2, 1)
    assert any(f["id"] == "b1.txt#0" and "uav" in f["lost"] for f in result["flips"])


def test_a_context_is_read_to_its_first_5000_characters_as_classify_reads_it(models, tmp_path):
    """compare cut the statement at 5,000 characters but not its context: drones named past
    that point flipped uav between the models, where classify (and themes score) read neither."""
    from themes import classify
    from themes.api import MAX_STATEMENT_CHARS

    filler = "The session opened. " * (MAX_STATEMENT_CHARS // 20)
    context = filler + "Terrorists used armed drones and quadcopters to attack. " * 20
    text = "The participants discussed it."
    for model in (models["old"], models["new"]):
        assert classify(text, context=context, model=str(model)).themes == ()
    held = tmp_path / "held.jsonl"
    held.write_text(json.dumps({"text": text, "context": context, "themes": []}) + "\n", encoding="utf-8")
    reference = tmp_path / "scores.jsonl"
    reference.write_text(json.dumps({"id": "a", "text": text, "context": context}) + "\n", encoding="utf-8")
    result = compare_models(models["old"], models["new"], data=held, archive=reference)
    assert result["flips"] == []
    assert result["micro"]["old"] == result["micro"]["new"]


def test_reference_errors(tmp_path):
    with pytest.raises(DocumentError, match="no scored statements"):
        read_reference(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{oops\n')
    with pytest.raises(DocumentError, match=r"bad.jsonl:2: invalid JSON"):
        read_reference(bad)
    with pytest.raises(InvalidInputError, match="'tolerance' parameter of regressions"):
        regressions({"per_theme": {}}, -0.1)


def test_held_out_data_holding_training_statements_is_warned_about(models, tmp_path, capsys):
    assert compare_models(models["old"], models["new"], data=models["held"])["warnings"] == []
    trained = next(s for s in load_corpus() if not is_test_id(s.id))
    data = tmp_path / "eval.jsonl"
    data.write_text(
        "".join(json.dumps({"text": t, "themes": th}) + "\n" for t, th in [*HELD_OUT, (trained.text, list(trained.themes))]),
        encoding="utf-8",
    )
    warning = compare_models(models["old"], models["new"], data=data)["warnings"][0]
    assert warning.startswith(f"1 of the {len(HELD_OUT) + 1} statements of {data} are in the train split of the corpus")
    assert main(["compare", str(models["old"]), str(models["new"]), "--data", str(data)]) == 0
    assert "themes: warning: 1 of the" in capsys.readouterr().err


# Statements classify gives no theme whatever the model's scores: mostly in a script the
# model does not read (drone words among them: the English-only "old" model's scores give
# them uav), and blank ones (the "new" model's intercepts give them weapons_trafficking).
UNREAD = [
    ("Drones drones quadcopters беспилотники атаковали пограничную заставу ночью", ["uav"]),
    ("Drones and quadcopters هاجمت الطائرات المسيرة مركزا حدوديا", []),
    ("", []),
    ("   ", []),
]


def _metrics_of_classify(model, texts, labels):
    from themes import classify
    from themes.evaluate import binarize, multilabel_metrics

    results = classify(texts, model=str(model))
    predicted = [list(r.themes) for r in results]
    return multilabel_metrics(binarize(labels, THEMES), binarize(predicted, THEMES), THEMES)



def test_statements_classify_does_not_score_are_predicted_with_no_theme(models, tmp_path):
    """compare scored every held-out statement with predict_proba: a Russian or Arabic one
    got uav from its English drone words, a blank one the intercepts' themes, where classify
    gives them none; they count now as predicted with no theme, and the result says so."""
    from themes import classify

    data = [*HELD_OUT, *UNREAD]
    held = tmp_path / "held.jsonl"
    held.write_text("".join(json.dumps({"text": t, "themes": th}) + "\n" for t, th in data), encoding="utf-8")
    assert all(classify(t, model=str(models[m])).themes == () for t, _ in UNREAD for m in ("old", "new"))
    result = compare_models(models["old"], models["new"], data=held)
    texts, labels = [t for t, _ in data], [th for _, th in data]
    for which in ("old", "new"):
        expected = _metrics_of_classify(models[which], texts, labels)
        assert {t: v[which] for t, v in result["per_theme"].items()} == {
            t: {k: m[k] for k in ("precision", "recall", "f1")} for t, m in expected["per_theme"].items()
        }, which
        assert result["micro"][which] == expected["micro"]
    reasons = {
        "most of its letters are Cyrillic; the model reads English only": 1,
        "most of its letters are neither Latin nor Cyrillic; the model reads English only": 1,
        "blank: nothing to read": 2,
    }
    assert result["not_scored"] == {"old": reasons, "new": reasons}
    assert result["n"] == len(data)  # counted, not dropped
    # Nor do they flip between the models (old's uav, new's weapons_trafficking were flips).
    assert not {f["text"] for f in result["flips"]} & {t for t, _ in UNREAD}


def test_statements_of_the_archive_classify_does_not_score_do_not_flip(models, tmp_path):
    reference = tmp_path / "scores.jsonl"
    records = [{"id": f"r{i}", "text": t, "context": None} for i, (t, _) in enumerate(UNREAD[:2])]
    records.append({"id": "drones", "text": "Quadcopters dropped explosives on the convoy.", "context": None})
    reference.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = compare_models(models["old"], models["new"], data=models["held"], archive=reference)
    assert [f["id"] for f in result["flips"]] == ["drones"]
    assert result["reference_not_scored"]["old"] == {
        "most of its letters are Cyrillic; the model reads English only": 1,
        "most of its letters are neither Latin nor Cyrillic; the model reads English only": 1,
    }


def test_the_printed_comparison_says_how_many_were_not_scored_and_why(models, tmp_path, capsys):
    held = tmp_path / "held.jsonl"
    held.write_text(
        "".join(json.dumps({"text": t, "themes": th}) + "\n" for t, th in [*HELD_OUT, *UNREAD]), encoding="utf-8"
    )
    assert main(["compare", str(models["old"]), str(models["new"]), "--data", str(held)]) == 0
    out = capsys.readouterr().out
    assert "2 statements not scored (blank: nothing to read), by either model: counted as predicted with no theme" in out
    assert "1 statement not scored (most of its letters are Cyrillic; the model reads English only)" in out

