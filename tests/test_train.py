"""Training: the exported numpy model equals the pipeline; folds, calibration and thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import TINY_CONFIG, tiny_statements, write_tiny_release
from themes.evaluate import binarize
from themes.taxonomy import THEME_IDS
from themes.train import best_threshold, build_pipeline, export_model, fit, multilabel_folds, platt_calibration, train


@pytest.mark.parametrize("lexicon_scope", ["own", "all"])
@pytest.mark.parametrize("classifier", ["logistic_regression", "linear_svm"])
def test_exported_model_scores_exactly_as_the_pipeline(classifier, lexicon_scope):
    statements = tiny_statements()
    X = [(s.text, s.context) for s in statements]
    Y = binarize([s.themes for s in statements])
    config = {**TINY_CONFIG, "classifier": classifier, "context_weight": 0.4, "lexicon_scope": lexicon_scope}
    pipeline = build_pipeline(config).fit(X, Y)
    model = export_model(pipeline, np.tile([[1.0], [0.0]], len(THEME_IDS)), np.full(len(THEME_IDS), 0.5))
    texts = [s.text for s in statements] + ["Drones and hawala in one unseen sentence.", ""]
    contexts = [None, "During the session on borders the participants:"] * (len(texts) // 2)
    expected = pipeline.decision_function(list(zip(texts, contexts)))
    np.testing.assert_allclose(model.decision_function(texts, contexts), expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("use_embedding", [False, True])
def test_subject_themes_read_only_their_own_lexicon_count(use_embedding):
    from themes.train.classifier import CROSS_CUTTING_THEMES

    statements = tiny_statements()
    X = [(s.text, s.context) for s in statements]
    Y = binarize([s.themes for s in statements])
    model = export_model(
        build_pipeline({**TINY_CONFIG, "use_embedding": use_embedding, "lexicon_scope": "own"}).fit(X, Y),
        np.tile([[1.0], [0.0]], len(THEME_IDS)), np.full(len(THEME_IDS), 0.5),
    )
    space = model.space
    start = len(space.words) + len(space.chars)
    lexicon = model.coef[start : start + len(space.lexicon_themes)]  # rows: lexicon counts, columns: themes
    own = np.array([[row == col for col in model.themes] for row in space.lexicon_themes])
    subject = [j for j, theme in enumerate(model.themes) if theme not in CROSS_CUTTING_THEMES]
    assert not lexicon[:, subject][~own[:, subject]].any()  # exactly zero off the diagonal
    assert (lexicon[own] != 0).sum() >= len(subject)  # their own counts are read
    cross = [model.themes.index(t) for t in CROSS_CUTTING_THEMES]
    assert lexicon[:, cross][~own[:, cross]].any()  # the cross-cutting themes read the others
    if use_embedding:  # the embedding's columns, after the lexicon, are read by every theme
        assert space.n_dense and (model.coef[space.n_sparse :, subject] != 0).any()


def test_lexicon_scope_is_checked_and_left_out_of_the_config_when_all():
    from sklearn.multiclass import OneVsRestClassifier

    from themes.errors import InvalidInputError
    from themes.train import DEFAULT_CONFIG, TrainingConfig

    assert DEFAULT_CONFIG["lexicon_scope"] == "own"
    assert "lexicon_scope" not in TrainingConfig.from_dict({"lexicon_scope": "all"}).to_dict()
    assert isinstance(build_pipeline({"lexicon_scope": "all"}).named_steps["classifier"], OneVsRestClassifier)
    with pytest.raises(InvalidInputError, match=r"'lexicon_scope' parameter .* one of \['own', 'all'\]. Got 'mine'"):
        TrainingConfig.from_dict({"lexicon_scope": "mine"})


def test_explained_contributions_sum_to_the_decision_value(tiny_model):
    text, context = "Customs seized drones and heroin at the border.", "During the session the participants:"
    names, kinds, weights = tiny_model.contributions(text, context)
    decision = tiny_model.decision_function([text], [context])[0]
    np.testing.assert_allclose(weights.sum(axis=0) + tiny_model.intercept, decision, atol=1e-10)
    assert set(kinds) <= {"word", "char", "lexicon", "embedding"}


def test_multilabel_folds_spread_every_theme():
    Y = binarize([s.themes for s in tiny_statements()] * 5)
    folds = multilabel_folds(Y, n_splits=5, seed=3)
    per_fold = np.array([Y[folds == k].sum(axis=0) for k in range(5)])
    assert set(folds.tolist()) == set(range(5))
    assert (per_fold.max(axis=0) - per_fold.min(axis=0)).max() <= 1


def test_platt_calibration_and_threshold_on_separable_scores():
    z = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    a, b = platt_calibration(z, y)
    p = 1 / (1 + np.exp(-(a * z + b)))
    assert a > 0 and (p[y == 1] > 0.5).all() and (p[y == 0] < 0.5).all()
    threshold = best_threshold(np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9]), y)
    assert 0.3 <= threshold < 0.7


def test_same_seed_same_model_other_config_other_name(tmp_path):
    release = write_tiny_release(tmp_path / "r")
    a = train([release], out=tmp_path / "a", include_shipped=False, config=TINY_CONFIG, loso=False)
    b = train([release], out=tmp_path / "b", include_shipped=False, config=TINY_CONFIG, loso=False)
    c = train([release], out=tmp_path / "c", include_shipped=False, config={**TINY_CONFIG, "C": 2.0}, loso=False)
    np.testing.assert_array_equal(a.model.coef, b.model.coef)
    from themes import load_model

    names = [load_model(tmp_path / n).name for n in "abc"]
    assert names[0] == names[1] != names[2]


def test_a_model_trained_with_the_embedding_carries_its_own_copy_of_the_shipped_one(tmp_path):
    """The package ships the static embedding once, inside the default model; training reads
    it there, and the folder it saves holds its own embedding/ with the same bytes."""
    from themes import classify, load_model
    from themes.packaged import shipped_embedding_path

    release = write_tiny_release(tmp_path / "r")
    run = train([release], out=tmp_path / "m", include_shipped=False, config={**TINY_CONFIG, "use_embedding": True}, loso=False)
    assert run.model.space.embedding is not None
    for name in ("vocab.txt", "vectors.npy", "embedding.json"):
        assert (tmp_path / "m" / "embedding" / name).read_bytes() == (shipped_embedding_path() / name).read_bytes(), name
    model = load_model(tmp_path / "m")
    assert model.space.embedding.dims == 64
    assert classify("Drones were used to attack the checkpoint.", model=model).themes[0] == "uav"


def test_fit_reports_test_and_cross_validation_figures():
    run = fit(tiny_statements(), TINY_CONFIG, seed=0, loso=False)
    for key in ("cross_validation", "test"):
        assert set(run.metrics[key]["per_theme"]) == set(THEME_IDS)
        assert 0.0 <= run.metrics[key]["micro"]["f1"] <= 1.0
    assert run.metrics["cross_validation"]["n"] + run.metrics["test"]["n"] == len(tiny_statements())


def test_calibration_repeats_fit_the_calibration_on_stacked_out_of_fold_values():
    """With calibration_repeats 2, Platt and thresholds come from the out-of-fold values of
    fold seeds 0 and 1 stacked; the coefficients are those of one seed."""
    from themes.corpus import train_test_split
    from themes.train import calibrate_and_threshold, cross_validate

    config = {**TINY_CONFIG, "calibration_repeats": 2}
    run = fit(tiny_statements(), config, seed=0, loso=False, realdev=False)
    single = fit(tiny_statements(), {**TINY_CONFIG, "calibration_repeats": 1}, seed=0, loso=False, realdev=False)
    train_set, _ = train_test_split(tiny_statements())
    oofs = [cross_validate(train_set, TINY_CONFIG, s) for s in (0, 1)]
    calibration, thresholds, _ = calibrate_and_threshold(
        np.vstack([o["decision"] for o in oofs]), np.vstack([o["Y"] for o in oofs])
    )
    np.testing.assert_allclose(run.model.calibration, calibration)
    np.testing.assert_allclose(run.model.thresholds, thresholds)
    np.testing.assert_array_equal(run.model.coef, single.model.coef)
    assert not np.allclose(run.model.calibration, single.model.calibration)
    assert run.config["calibration_repeats"] == 2
    assert run.metrics["cross_validation"]["n"] == len(train_set)


def test_calibration_repeats_is_checked_and_left_out_of_the_config_at_1():
    from themes.errors import InvalidInputError
    from themes.train import DEFAULT_CONFIG, TrainingConfig

    # Left out at 1, so models trained as before keep their names (the name hashes the config).
    assert "calibration_repeats" not in TrainingConfig.from_dict({"calibration_repeats": 1}).to_dict()
    assert DEFAULT_CONFIG["calibration_repeats"] == 3
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(InvalidInputError, match="calibration_repeats"):
            TrainingConfig.from_dict({"calibration_repeats": bad})


def test_norm_floors_are_learned_saved_and_read_alike_by_every_path(tmp_path):
    """The floors are quantiles of the train statements' blocks; the pipeline, the batch and
    one-statement paths of the exported model, and the model read back from its folder give
    the same scores with them."""
    from themes import classify, load_model
    from themes.train import TrainingConfig

    config = {**TINY_CONFIG, "use_embedding": True, "norm_floor_quantile": 0.3}
    release = write_tiny_release(tmp_path / "r")
    run = train([release], out=tmp_path / "m", include_shipped=False, config=config, loso=False)
    floors = run.pipeline.named_steps["features"].norm_floors_
    assert floors["word"] > 0 and floors["char"] > 0 and floors["tokens"] >= 1
    assert run.model.space.floors == floors
    texts = ["drones", "hawala", "Drones and hawala in one unseen sentence.", "Xylograph qwertz."]
    expected = run.pipeline.decision_function(texts)
    np.testing.assert_allclose(run.model.decision_function(texts), expected, rtol=0, atol=1e-10)
    alone = np.vstack([run.model.decision_function([t]) for t in texts])
    np.testing.assert_allclose(alone, expected, rtol=0, atol=1e-10)
    reloaded = load_model(tmp_path / "m")
    assert reloaded.space.floors == floors
    np.testing.assert_allclose(reloaded.decision_function(texts), expected, rtol=0, atol=1e-10)
    assert [classify(t, model=reloaded).scores for t in texts] == [r.scores for r in classify(texts, model=reloaded)]
    assert TrainingConfig.from_dict(config).to_dict()["norm_floor_quantile"] == 0.3


def test_a_block_shorter_than_its_floor_is_scaled_as_if_it_were_the_floor():
    from themes.text import FeatureSpace

    def space(floors):
        config = {"word_weight": 1.0, "char_weight": 1.0, "char_ngram_range": [3, 3]}
        if floors:
            config["norm_floors"] = floors
        return FeatureSpace(["checkpoint", "attack"], np.array([2.0, 3.0]), ["che"], np.array([1.0]), {}, config)

    plain, floored = space(None), space({"word": 100.0, "char": 0.5, "tokens": 4})
    assert plain.floors == {"word": 0.0, "char": 0.0, "tokens": 1.0}  # a model saved before the floors
    for s in (plain, floored):
        with s.reading():
            scale = s.norms(s.units(["checkpoint"]))
        # "checkpoint": word sum of squares 2.0 ** 2, char (one n-gram, idf 1) 1.0
        expected_word = 1 / np.sqrt(100.0) if s is floored else 1 / 2.0
        assert scale["word"][0] == pytest.approx(expected_word)
        assert scale["char"][0] == pytest.approx(1.0)  # above its floor: unchanged


def test_norm_floor_quantile_is_checked_and_left_out_of_the_config_at_0():
    from themes.errors import InvalidInputError
    from themes.train import DEFAULT_CONFIG, TrainingConfig

    assert "norm_floor_quantile" not in TrainingConfig.from_dict({"norm_floor_quantile": 0}).to_dict()
    assert DEFAULT_CONFIG["norm_floor_quantile"] == 0.002
    for bad in (-0.1, 0.9, True, "0.1"):
        with pytest.raises(InvalidInputError, match="'norm_floor_quantile' parameter .* must be a float in \\[0, 0.5\\]"):
            TrainingConfig.from_dict({"norm_floor_quantile": bad})


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")], ids=["zero", "negative", "nan", "inf"])
def test_C_has_one_message_whatever_is_wrong_with_it(bad):
    from themes.errors import ParameterError
    from themes.train import TrainingConfig

    with pytest.raises(ParameterError, match=r"^The 'C' parameter of the training configuration must be a finite float > 0\. Got"):
        TrainingConfig.from_dict({"C": bad})


def test_a_misspelt_config_key_gets_the_key_meant():
    from themes.errors import ParameterError
    from themes.train import TrainingConfig

    with pytest.raises(ParameterError, match=r"unknown keys: 'lexicon_wieght' \(did you mean 'lexicon_weight'\?\), 'zzz';"):
        TrainingConfig.from_dict({"lexicon_wieght": 0.9, "zzz": 1})


def test_the_config_table_of_training_readme_lists_every_key_with_its_default():
    import dataclasses
    import json
    import re
    from pathlib import Path

    from themes.train import TrainingConfig

    readme = (Path(__file__).resolve().parents[1] / "training" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The training configuration"):]
    rows = re.findall(r"^\| `(\w+)` \| `([^`]*)` \| (.+) \|$", section, flags=re.M)
    defaults = TrainingConfig()
    expected = [(f.name, getattr(defaults, f.name)) for f in dataclasses.fields(TrainingConfig)]
    assert [(key, json.loads(default)) for key, default, _ in rows] == [
        (name, list(value) if isinstance(value, tuple) else value) for name, value in expected
    ]
    assert all(meaning.strip() for _, _, meaning in rows)


def test_max_unit_repeats_is_checked_recorded_and_left_out_at_0():
    from themes.errors import InvalidInputError
    from themes.train import DEFAULT_CONFIG, TrainingConfig

    assert DEFAULT_CONFIG["max_unit_repeats"] == 3
    assert "max_unit_repeats" not in TrainingConfig.from_dict({"max_unit_repeats": 0}).to_dict()
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(InvalidInputError, match="'max_unit_repeats' parameter .* must be an int >= 0"):
            TrainingConfig.from_dict({"max_unit_repeats": bad})


def test_a_model_without_max_unit_repeats_counts_every_occurrence(tiny_model):
    # Models saved before the option read no cap: their scores do not change.
    from themes.text import FeatureSpace

    space = tiny_model.space
    assert space.config["max_unit_repeats"] == 3
    config = {k: v for k, v in space.config.items() if k != "max_unit_repeats"}
    old = FeatureSpace(space.words, space.word_idf, space.chars, space.char_idf, space.lexicon, config)
    assert old.max_repeats == 0
    for s, expected in ((space, 3), (old, 6)):
        with s.reading():
            u = s.units(["drones " * 6])
        assert len(u.token_id) == expected
