"""The shipped model: reproducible from the shipped corpus, and carried by a plain wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from themes import classify, load_model
from themes.api import default_model_path
from themes.corpus import load_corpus, train_test_split
from themes.taxonomy import THEME_IDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped():
    return load_model(default_model_path())


def test_manifest_records_corpus_metrics_and_versions(shipped):
    m = shipped.manifest
    assert m["themes"] == list(THEME_IDS)
    assert [r["release"] for r in m["corpus"]["releases"]] == ["2025.1", "2025.2", "2025.3", "2026.1", "2026.2", "2026.3", "2026.4", "2026.5", "2026.6", "2026.7"]
    for key in ("test", "leave_one_style_out", "cross_validation"):
        assert 0.0 < m["metrics"][key]["micro"]["f1"] <= 1.0
        assert set(m["metrics"][key]["per_theme"]) == set(THEME_IDS)
    assert set(m["versions"]) == {"themes", "scikit-learn", "numpy", "python"}
    assert set(m["thresholds"]) == set(THEME_IDS)


def test_model_folder_is_small(shipped):
    # arrays.npz is stored uncompressed (inflating it cost a fresh process about 26 ms);
    # the wheel deflates it, so the download stays about 9 MB.
    size = sum(p.stat().st_size for p in Path(shipped.path).rglob("*") if p.is_file())
    assert size <= 12 * 1024 * 1024


def test_manifest_test_metrics_are_what_the_model_scores():
    """The figures in the manifest are reproduced by scoring the test split now."""
    model = load_model(default_model_path())
    _, test = train_test_split(load_corpus())
    proba = model.predict_proba([s.text for s in test], [s.context for s in test])
    pred = proba >= model.thresholds
    from themes.evaluate import binarize, multilabel_metrics

    metrics = multilabel_metrics(binarize([s.themes for s in test]), pred)
    assert metrics["micro"] == model.manifest["metrics"]["test"]["micro"]


def test_clear_statements_get_their_theme():
    cases = {
        "uav": "Terrorists increasingly use drones to attack checkpoints.",
        "financing": "The FIU froze accounts used to finance a terrorist cell.",
        "drug_trafficking": "Border guards seized 200 kg of heroin on the northern route.",
        "exercises_training": "A joint anti-terrorist exercise of special forces was held in October.",
    }
    for theme, text in cases.items():
        assert theme in classify(text).themes, text
    assert classify("The participants thanked the hosts for their hospitality.").themes == ()


@pytest.mark.parametrize(
    "text, themes",
    [
        ("drones", ("uav",)),
        ("money laundering", ("financing",)),
        ("hawala", ("financing",)),
        ("2024", ()),
        ("terrorism", ()),
        ("беспилотники", ("uav",)),
        ("терроризм", ()),
    ],
)
def test_a_word_or_two_gets_only_the_theme_it_names(shipped, text, themes):
    """A text far shorter than any statement the model was trained on reads its blocks against
    the model's norm floors, so one word does not weigh as much as a whole statement's
    evidence (before the floors, "terrorism" gave threat_assessment at 0.97)."""
    assert shipped.space.floors["word"] > 0
    assert classify(text).themes == themes


@pytest.fixture(scope="module")
def retrained(shipped):
    """The shipped model trained again from the shipped corpus, seed and configuration
    (once for the tests below: a training takes about a minute on 2 cores)."""
    from themes.train import fit

    training = shipped.manifest["training"]
    return fit(load_corpus(), training["config"], seed=training["seed"], loso=False)  # realdev measured where found


@pytest.mark.slow
def test_retraining_from_shipped_corpus_reproduces_the_shipped_model(shipped, retrained):
    """Same corpus, seed and configuration: identical predictions on the test split."""
    _, test = train_test_split(load_corpus())
    texts, contexts = [s.text for s in test], [s.context for s in test]
    np.testing.assert_allclose(retrained.model.predict_proba(texts, contexts), shipped.predict_proba(texts, contexts), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(retrained.model.thresholds, shipped.thresholds)


def _realdev_or_skip():
    from themes.corpus import find_realdev

    folder = find_realdev()
    if folder is None:
        pytest.skip("no real development statements here (../shared/realdev or $THEMES_REALDEV)")
    return folder


def test_shipped_model_scores_on_real_text_what_its_manifest_says(shipped):
    """The realdev figures in the manifest are the shipped model's own, measured now."""
    from themes.train import realdev_metrics

    folder = _realdev_or_skip()
    measured = realdev_metrics(shipped, folder)
    for key in ("realdev", "realdev_ru"):
        if key in shipped.manifest["metrics"] and key in measured:
            assert measured[key]["micro"] == shipped.manifest["metrics"][key]["micro"], key


@pytest.mark.slow
def test_retrained_shipped_model_keeps_its_real_text_quality(shipped, retrained):
    """Retraining on the shipped corpus must not fall more than 0.01 below the shipped
    model's realdev micro F1 (English and, where the model reads it, Russian)."""
    _realdev_or_skip()
    recorded = shipped.manifest["metrics"]
    assert "realdev" in recorded, "the shipped model was trained without realdev figures"
    for key in ("realdev", "realdev_ru"):
        if key in recorded:
            assert retrained.metrics[key]["micro"]["f1"] >= recorded[key]["micro"]["f1"] - 0.01, key


@pytest.mark.slow
def test_wheel_carries_model_and_corpus(tmp_path):
    """A plain (non-editable) wheel holds the default model and the corpus releases."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(tmp_path), "-q"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 and "hatchling" in result.stderr:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(tmp_path), "-q"],
            capture_output=True,
            text=True,
        )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("themes-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "themes/_default_model/manifest.json" in names
    assert "themes/_default_model/arrays.npz" in names
    assert "themes/_default_model/embedding/vectors.npy" in names
    # The embedding ships once, inside the default model, which training reads it from.
    assert [n for n in names if n.endswith("vectors.npy")] == ["themes/_default_model/embedding/vectors.npy"]
    assert "themes/_corpus/2025.2/statements.jsonl" in names
    assert "themes/data/taxonomy.json" in names
    manifest = json.loads(zipfile.ZipFile(wheel).read("themes/_default_model/manifest.json"))
    assert manifest["name"] == load_model(default_model_path()).name


@pytest.mark.heavy
def test_full_retrain_reproduces_every_figure_in_the_manifest(shipped):
    """Opt-in (-m heavy, a few minutes): cross-validation, test and leave-one-style-out figures."""
    from themes.train import fit

    run = fit(load_corpus(), shipped.manifest["training"]["config"], seed=shipped.manifest["training"]["seed"], loso=True)
    for key in ("cross_validation", "test", "leave_one_style_out"):
        assert run.metrics[key]["micro"] == shipped.manifest["metrics"][key]["micro"], key
        assert run.metrics[key]["per_theme"] == shipped.manifest["metrics"][key]["per_theme"], key
