"""The Russian -> English glossary through which the English embedding reads Russian words.

The static embedding was distilled from an English encoder: on Cyrillic word pieces it is
noise, so a Russian token reads as the mean vector of the normal tokens of its English gloss
(``themes/data/glossary_ru.json``). These tests pin what that means: the same vector as the
English word, identical numbers alone or in a batch, kept by save and load, and a glossary
that covers the Russian words of the shipped corpus.
"""

from __future__ import annotations

import collections
import json

import numpy as np
import pytest

from themes import classify, load_model
from themes.embedding import StaticEmbedding
from themes.errors import InvalidInputError
from themes.language import is_cyrillic_word
from themes.text import STOP_WORDS, FeatureSpace, load_glossary, normal_form, normalize_tokens
from themes.text.normalization import _DATA

from conftest import TINY_CONFIG, assert_batch_equals_single
from test_russian import bilingual_statements

GLOSSED_CONFIG = {**TINY_CONFIG, "use_embedding": True, "use_glossary": True}


@pytest.fixture(scope="module")
def embedding():
    return StaticEmbedding.load()


def _space(embedding, glossary):
    return FeatureSpace(["uav"], np.ones(1), [], np.zeros(0), {}, {"dense_weight": 0.6}, embedding=embedding, glossary=glossary)


def _vector(space, word):
    (token,) = space.word_tokens(word)
    return space.token_vector(token)


def test_a_russian_token_reads_as_the_vector_of_its_english_gloss(embedding):
    space = _space(embedding, {normal_form("границы"): "border", normal_form("беспилотник"): "drone"})
    assert np.array_equal(_vector(space, "границе"), _vector(space, "border"))
    # The gloss goes through the English normal forms: "drone" is read as "uav", as "drones" is.
    assert np.array_equal(_vector(space, "беспилотников"), _vector(space, "drones"))
    assert np.abs(_vector(space, "границе")).sum() > 0


def test_a_gloss_of_several_words_reads_as_their_mean_and_a_russian_word_without_one_as_zero(embedding):
    space = _space(embedding, {normal_form("пограничник"): "border guard"})
    border, guard = _vector(space, "border"), _vector(space, "guard")
    expected = ((border.astype(np.float32) + guard.astype(np.float32)) / np.float32(2)).astype(np.float64)
    assert np.array_equal(_vector(space, "пограничники"), expected)
    assert not _vector(space, "заседание").any()


def test_without_a_glossary_russian_tokens_add_zero_rows(embedding):
    space = _space(embedding, None)
    assert not _vector(space, "границе").any()
    assert "glossary" not in space.to_json()


def test_the_shipped_glossary_holds_russian_tokens_and_english_glosses():
    raw = json.loads((_DATA / "glossary_ru.json").read_text(encoding="utf-8"))
    glossary, no_gloss = raw["glossary"], raw["no_gloss"]
    assert len(glossary) > 3000
    assert not set(glossary) & set(no_gloss)
    bad_keys = [k for k in list(glossary) + no_gloss if not (is_cyrillic_word(k) and k == k.lower() and " " not in k)]
    assert not bad_keys[:10]
    bad_glosses = [(k, v) for k, v in glossary.items() if not (v.isascii() and 1 <= len(v.split()) <= 3 and normalize_tokens(v))]
    assert not bad_glosses[:10]
    assert load_glossary()[normal_form("учения")] == "exercise"


def test_the_glossary_covers_the_russian_words_of_the_shipped_corpus():
    """A Russian token used twice or more in the shipped corpus has a gloss or is listed as
    having none: a release that brings new Russian words must bring their glosses too."""
    from themes.corpus import load_corpus

    raw = json.loads((_DATA / "glossary_ru.json").read_text(encoding="utf-8"))
    known = set(raw["glossary"]) | set(raw["no_gloss"])
    counts = collections.Counter(
        token for s in load_corpus() if s.lang == "ru" for token in normalize_tokens(s.text) if is_cyrillic_word(token)
    )
    missing = sorted(t for t, n in counts.items() if n >= 2 and t not in known)
    assert not missing, f"add these Russian tokens to themes/data/glossary_ru.json: {missing[:20]}"


@pytest.fixture(scope="module")
def glossed_run():
    from themes.train import fit

    return fit(bilingual_statements(), GLOSSED_CONFIG, seed=0, loso=False, realdev=False)


def test_a_model_trained_with_the_glossary_keeps_it_through_save_and_load(glossed_run, tmp_path):
    from themes.artifact import save_model
    from themes.train.card import build_manifest

    model = glossed_run.model
    assert model.space.glossary == load_glossary()
    assert glossed_run.config["use_glossary"] is True
    glossed_run.releases = [{"release": "tiny-ru.1", "sha256": "0" * 64}]
    save_model(model, tmp_path / "m", build_manifest(glossed_run, "tiny-ru"))
    loaded = load_model(tmp_path / "m")
    assert loaded.space.glossary == model.space.glossary
    texts = ["Пограничники задержали нарушителей границы.", "Drones attacked the checkpoint."]
    for a, b in zip(classify(texts, model=model), classify(texts, model=loaded)):
        assert a.scores == pytest.approx(b.scores, rel=1e-9, abs=1e-12)


def test_russian_statements_full_of_new_words_score_the_same_alone_and_in_a_batch(glossed_run):
    model = glossed_run.model
    texts = [
        "Пограничники Зарафшанской заставы задержали нарушителей границы.",
        "Беспилотники атаковали объекты энергетики в Курганской области.",
        "Drones attacked the Zarafshan checkpoint.",
        "Участники заседания обсудили вопросы финансирования терроризма и обмена информацией.",
    ]
    assert_batch_equals_single(texts, model)


def test_use_glossary_must_be_a_bool():
    from themes.train import TrainingConfig

    with pytest.raises(InvalidInputError, match="'use_glossary' parameter of the training configuration must be a bool. Got 'yes'"):
        TrainingConfig.from_dict({"use_glossary": "yes"})
    assert "use_glossary" not in TrainingConfig(use_glossary=False).to_dict()


def test_every_gloss_reads_as_its_english_text_would(embedding):
    """The shortcut for glosses of plain words gives the tokens the full reading gives."""
    space = _space(embedding, load_glossary())
    different = [(k, v) for k, v in space.glossary.items() if space._gloss_tokens(k) != [t for t in normalize_tokens(v) if t not in STOP_WORDS]]
    assert not different[:10]
