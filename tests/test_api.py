"""The public API contract: what ``import themes`` exports, and how ``classify`` behaves."""

from __future__ import annotations

import json
import math
import types

import numpy as np
import pytest

import themes
from themes import InvalidInputError, classify
from themes.api import MAX_STATEMENT_CHARS, get_model
from themes.taxonomy import THEME_IDS

# The public face of themes: the functions, the types they return and the errors they
# raise (see STYLE.md). Anything else must be added here on purpose.
EXPORTED = {
    "BulletinResult",
    "Contribution",
    "CorpusError",
    "DocumentError",
    "IncompatibleModelError",
    "InvalidInputError",
    "MissingDependencyError",
    "ModelError",
    "ModelIntegrityError",
    "OutputExistsError",
    "OutputLockedError",
    "ParameterError",
    "Result",
    "Segment",
    "THEME_IDS",
    "ThemeModel",
    "ThemesError",
    "UnsafeModelError",
    "__version__",
    "classify",
    "load_model",
    "score_archive",
    "segment",
}

DRONES = "Terrorists adapt commercial quadcopters to drop explosives from drones."
MONEY = "The financial intelligence unit traced money laundering for terrorist financing."
PROCEDURE = "The chairman opened the session and welcomed the delegations."


def test_exported_members():
    public = {
        name
        for name in dir(themes)  # the module's names and its lazy ones (score_archive, BulletinResult)
        if (not name.startswith("_") or name == "__version__") and not isinstance(getattr(themes, name), types.ModuleType)
    }
    assert themes.__all__ == sorted(themes.__all__)
    assert len(set(themes.__all__)) == len(themes.__all__)
    assert set(themes.__all__) == public == EXPORTED


def test_importing_themes_leaves_the_archive_for_first_use():
    import subprocess
    import sys

    code = "import sys, themes; print('themes.archive' in sys.modules, themes.score_archive.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "score_archive"]


@pytest.mark.parametrize("name", sorted(EXPORTED - {"__version__", "THEME_IDS"}))
def test_exported_members_are_documented(name):
    assert (getattr(themes, name).__doc__ or "").strip()


def test_every_library_error_lives_in_themes_errors():
    """The errors a library call raises are defined in themes.errors (the tree drawn at its
    top) and listed in its ``__all__``; a module that raises one imports it from there.
    The command line's own UsageError (bad options, exit 2) stays with the command line."""
    import importlib
    import inspect
    import pkgutil

    from themes import errors
    from themes.archive import backends

    elsewhere = []
    for info in pkgutil.walk_packages(themes.__path__, "themes."):
        if info.name.startswith("themes.cli") or info.name == "themes.__main__":
            continue
        module = importlib.import_module(info.name)
        elsewhere += [
            f"{info.name}.{name}" for name, value in vars(module).items()
            if inspect.isclass(value) and issubclass(value, themes.ThemesError) and value.__module__ == info.name
            and info.name != "themes.errors"
        ]
    assert elsewhere == []
    defined = {name for name, value in vars(errors).items() if inspect.isclass(value) and issubclass(value, themes.ThemesError)}
    assert defined <= set(errors.__all__)
    # Still importable where it used to be defined.
    assert backends.SchedulerUnreachableError is errors.SchedulerUnreachableError
    assert issubclass(errors.SchedulerUnreachableError, ConnectionError)


def test_errors_subclass_their_builtin_twins():
    assert issubclass(themes.InvalidInputError, ValueError)
    assert issubclass(themes.ModelError, ValueError)
    assert issubclass(themes.MissingDependencyError, ImportError)
    assert issubclass(themes.OutputExistsError, FileExistsError)
    assert issubclass(themes.IncompatibleModelError, themes.ModelError)
    for name in sorted(n for n in EXPORTED if n.endswith("Error")):
        assert issubclass(getattr(themes, name), themes.ThemesError)


# ------------------------------------------------------------------------- single vs batch
def test_single_and_batch_give_identical_results(tiny_model):
    texts = [DRONES, MONEY, PROCEDURE, "", "Drones and hawala."]
    batch = classify(texts, model=tiny_model)
    singles = [classify(t, model=tiny_model) for t in texts]
    assert [r.text for r in batch] == texts
    for b, s in zip(batch, singles):
        assert b.themes == s.themes
        assert b.scores == pytest.approx(s.scores, abs=1e-12)


def test_batch_on_default_model_equals_singles():
    texts = [DRONES, MONEY, PROCEDURE]
    batch = classify(texts)
    for r, t in zip(batch, texts):
        single = classify(t)
        assert r.themes == single.themes
        assert r.scores == pytest.approx(single.scores, abs=1e-12)


def test_a_statement_holding_the_batch_joiner_word_leaves_later_batches_right():
    # The tokenizer joins a batch's texts with this word; a text that holds it once made
    # every later batch read as one statement.
    model = themes.load_model(get_model().path)
    texts = [DRONES, MONEY, PROCEDURE] * 7
    before = [r.scores for r in classify(texts, model=model)]
    classify([f"{MONEY} zqxthemesbreakzqx", DRONES], model=model)
    classify(f"zqxthemesbreakzqx {DRONES}", model=model)
    after = [r.scores for r in classify(texts, model=model)]
    assert after == before
    assert after[0] == classify(DRONES, model=model).scores


def test_themes_order_by_score_and_ties_keep_taxonomy_order():
    from themes.api import _assigned_themes

    names = ("a", "b", "c", "d")
    probs = np.array([[0.5, 0.9, 0.5, 0.2], [0.1, 0.1, 0.1, 0.1], [0.7, 0.7, 0.95, 0.7]])
    thresholds = np.array([0.5, 0.5, 0.4, 0.3])
    assert _assigned_themes(probs, thresholds, names) == [("b", "a", "c"), (), ("c", "a", "b", "d")]
    rng = np.random.default_rng(3)
    probs = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], size=(500, 13))
    thresholds = rng.choice([0.2, 0.5, 0.8], size=13)
    ids = tuple(THEME_IDS)
    expected = [
        tuple(sorted((t for t, p, h in zip(ids, row, thresholds) if p >= h), key=lambda t: -row[ids.index(t)]))
        for row in probs
    ]
    assert _assigned_themes(probs, thresholds, ids) == expected
    # A model with more themes than the row codes can hold takes the plain path.
    wide = rng.choice([0.1, 0.5, 0.9], size=(50, 20))
    names = tuple(f"t{i}" for i in range(20))
    limits = np.full(20, 0.5)
    assert _assigned_themes(wide, limits, names) == [
        tuple(sorted((t for t, p in zip(names, row) if p >= 0.5), key=lambda t: -row[names.index(t)])) for row in wide
    ]


def test_result_is_read_only_and_pickles_by_value(tiny_model):
    import pickle

    result = classify(DRONES, model=tiny_model, context="On drones:")
    with pytest.raises(AttributeError):
        result.themes = ()
    with pytest.raises(AttributeError):
        result.extra = 1
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert again.to_dict() == result.to_dict()
    assert again != classify(MONEY, model=tiny_model)


def test_result_built_by_hand_equals_the_one_classify_gives(tiny_model):
    result = classify(DRONES, model=tiny_model)
    by_hand = themes.Result(
        text=result.text, themes=result.themes, scores=result.scores, thresholds=result.thresholds,
        context=None, model=result.model,
    )
    assert by_hand == result
    assert repr(by_hand) == repr(result)
    assert by_hand.truncated is False and by_hand.not_scored is None


def test_bare_string_is_one_statement_not_a_batch_of_letters(tiny_model):
    result = classify(DRONES, model=tiny_model)
    assert isinstance(result, themes.Result)
    assert result.text == DRONES
    as_list = classify([DRONES], model=tiny_model)
    assert isinstance(as_list, list) and len(as_list) == 1
    assert as_list[0].themes == result.themes


@pytest.mark.parametrize(
    "make",
    [tuple, lambda xs: (x for x in xs), lambda xs: np.array(xs)],
    ids=["tuple", "generator", "numpy-array"],
)
def test_other_sequences_of_str_are_batches(tiny_model, make):
    texts = [DRONES, MONEY]
    results = classify(make(texts), model=tiny_model)
    assert [r.text for r in results] == texts


def test_empty_batch_gives_empty_list(tiny_model):
    assert classify([], model=tiny_model) == []


def test_the_default_model_tags_robust_examples():
    assert "uav" in classify("Participants discussed countering terrorist use of drones.").themes
    assert "financing" in classify("Countering the financing of terrorism through crypto-assets.").themes


# ------------------------------------------------------------------------ empty and blank
@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u00a0\u2003"], ids=["empty", "space", "whitespace", "unicode-spaces"])
def test_blank_statements_get_no_theme_even_at_threshold_zero(tiny_model, text):
    result = classify(text, model=tiny_model, threshold=0.0)
    assert result.themes == ()
    # Nothing in it is read in any language; it is not refused either (not_scored is None).
    assert result.language is None and result.not_scored is None
    assert classify(text, model=tiny_model).language is None
    assert classify([text, DRONES], model=tiny_model)[0].language is None
    assert result.to_dict()["language"] is None
    assert set(result.scores) == set(THEME_IDS)
    assert all(0.0 <= v <= 1.0 for v in result.scores.values())


# ------------------------------------------------------------------------------ bad types
@pytest.mark.parametrize(
    "bad, named",
    [
        (42, "int"),
        (None, "NoneType"),
        (3.5, "float"),
        ({"text": "x"}, "dict"),
        ({"x"}, "set"),
        (b"drones", "bytes"),
        ([DRONES, 7], "int"),
        ([DRONES, None], "NoneType"),
        ([b"drones"], "bytes"),
    ],
    ids=["int", "None", "float", "dict", "set", "bytes", "list-with-int", "list-with-None", "list-with-bytes"],
)
def test_non_str_raises_type_error_naming_the_type(tiny_model, bad, named):
    with pytest.raises(TypeError, match=named):
        classify(bad, model=tiny_model)


def test_bytes_error_says_how_to_fix_it(tiny_model):
    with pytest.raises(TypeError, match=r"decode"):
        classify(b"drones", model=tiny_model)


def test_bad_model_parameter_names_the_type():
    with pytest.raises(TypeError, match=r"'model' parameter of classify.*Got int instead"):
        classify(DRONES, model=42)


# ------------------------------------------------------------------------------ thresholds
def test_threshold_float_overrides_every_theme(tiny_model):
    low = classify(PROCEDURE, model=tiny_model, threshold=0.0)
    assert set(low.themes) == set(THEME_IDS)
    assert set(low.thresholds.values()) == {0.0}
    high = classify(DRONES, model=tiny_model, threshold=1.0)
    assert high.themes == tuple(t for t in high.themes if high.scores[t] >= 1.0)


def test_threshold_dict_overrides_only_the_named_themes(tiny_model):
    plain = classify(PROCEDURE, model=tiny_model)
    result = classify(PROCEDURE, model=tiny_model, threshold={"uav": 0.0})
    assert "uav" in result.themes
    assert result.thresholds["uav"] == 0.0
    for theme in THEME_IDS:
        if theme != "uav":
            assert result.thresholds[theme] == plain.thresholds[theme]


@pytest.mark.parametrize(
    "value",
    [0.25, 1, 0, np.float64(0.25), np.float32(0.25), np.int64(1)],
    ids=["float", "int-1", "int-0", "np.float64", "np.float32", "np.int64"],
)
def test_threshold_accepts_real_numbers_in_unit_interval(tiny_model, value):
    result = classify(DRONES, model=tiny_model, threshold=value)
    assert set(result.thresholds.values()) == {float(value)}


@pytest.mark.parametrize(
    "value",
    [1.5, -0.1, math.nan, math.inf, "0.5", True, [0.5], {"uav": 2.0}, {"uav": "high"}],
    ids=["above-1", "negative", "nan", "inf", "str", "bool", "list", "dict-above-1", "dict-str"],
)
def test_bad_threshold_values_raise_sklearn_style_message(tiny_model, value):
    with pytest.raises(InvalidInputError, match=r"The 'threshold(\['uav'\])?' parameter of classify must be a float in \[0, 1\]\. Got .* instead\."):
        classify(DRONES, model=tiny_model, threshold=value)


def test_threshold_dict_with_unknown_theme_is_refused(tiny_model):
    with pytest.raises(InvalidInputError, match=r"unknown themes \['drones'\]"):
        classify(DRONES, model=tiny_model, threshold={"drones": 0.5})


def test_themes_are_those_over_threshold_highest_first(tiny_model):
    result = classify("Drones and hawala financing at the border.", model=tiny_model, threshold=0.3)
    expected = [t for t in THEME_IDS if result.scores[t] >= 0.3]
    assert sorted(result.themes) == sorted(expected)
    scores = [result.scores[t] for t in result.themes]
    assert scores == sorted(scores, reverse=True)


# -------------------------------------------------------------------------------- context
def test_context_is_kept_and_moves_the_scores(tiny_model):
    vague = "The participants discussed it at length."
    lead_in = "Drones were used to attack the checkpoint."
    without = classify(vague, model=tiny_model)
    with_context = classify(vague, model=tiny_model, context=lead_in)
    assert with_context.context == lead_in
    assert with_context.to_dict()["context"] == lead_in
    assert with_context.scores["uav"] > without.scores["uav"]


def test_batch_contexts_apply_one_per_statement(tiny_model):
    vague = "The participants discussed it at length."
    lead_in = "Drones were used to attack the checkpoint."
    results = classify([vague, vague], model=tiny_model, context=[lead_in, None])
    assert results[0].scores == pytest.approx(classify(vague, model=tiny_model, context=lead_in).scores, abs=1e-12)
    assert results[1].scores == pytest.approx(classify(vague, model=tiny_model).scores, abs=1e-12)
    assert results[1].context is None


@pytest.mark.parametrize(
    "text, context, got",
    [
        ([DRONES, MONEY], "one lead-in for a batch", "Got str instead."),
        ([DRONES, MONEY], ["only one"], "Got a list of length 1 instead."),
        ([DRONES, MONEY], ("a", "b", "c"), "Got a tuple of length 3 instead."),
        (DRONES, ["a list for one statement"], "Got list instead."),
        (DRONES, 42, "Got int instead."),
    ],
    ids=["bare-str-for-batch", "too-short", "too-long", "list-for-single", "int"],
)
def test_mismatched_context_is_refused(tiny_model, text, context, got):
    with pytest.raises(InvalidInputError, match=r"The 'context' parameter of classify") as caught:
        classify(text, model=tiny_model, context=context)
    assert str(caught.value).endswith(got)  # a list of the wrong length is named by its length


def test_non_str_context_item_names_its_type(tiny_model):
    with pytest.raises(TypeError, match=r"item 1 is int"):
        classify([DRONES, MONEY], model=tiny_model, context=[None, 5])


# -------------------------------------------------------------------------------- Result
def test_result_to_dict_has_documented_keys_and_is_json(tiny_model):
    record = classify(DRONES, model=tiny_model).to_dict()
    assert sorted(record) == ["context", "language", "model", "not_scored", "scores", "text", "themes", "truncated"]
    assert json.loads(json.dumps(record)) == record
    assert list(record["scores"]) == list(THEME_IDS)
    assert record["model"] == tiny_model.name


def test_result_names_the_model(tiny_model_dir):
    result = classify(DRONES, model=tiny_model_dir)
    assert result.model == "tiny-model"


# ------------------------------------------------------------------------------- explain
@pytest.mark.parametrize("context", [None, "During the session on border security the participants:"])
@pytest.mark.parametrize("which", ["tiny", "default"])
def test_contributions_sum_exactly_to_the_decision_value(tiny_model, which, context):
    model = tiny_model if which == "tiny" else get_model()
    text = "Counter-UAV systems detect drones; hawala money flows to foreign terrorist fighters."
    names, kinds, weights = model.contributions(text, context)
    assert len(names) == len(kinds) == weights.shape[0]
    assert weights.shape[1] == len(model.themes)
    decision = model.decision_function([text], [context] if context is not None else None)[0]
    np.testing.assert_allclose(weights.sum(axis=0) + model.intercept, decision, rtol=0, atol=1e-9)


def test_explain_returns_the_top_positive_contributions(tiny_model):
    text = "Drones and hawala financing."
    result = classify(text, model=tiny_model)
    assert result.themes
    explained = result.explain(k=3)
    assert set(explained) == set(result.themes)
    names, _, weights = tiny_model.contributions(text)
    for theme, contributions in explained.items():
        column = weights[:, tiny_model.themes.index(theme)]
        assert 0 < len(contributions) <= 3
        shown = [c.weight for c in contributions]
        assert shown == sorted(shown, reverse=True)
        assert shown == pytest.approx(sorted(column[column > 0], reverse=True)[: len(shown)])
        assert all(c.feature in names for c in contributions)


def test_explain_named_themes_and_a_bare_theme_id(tiny_model):
    result = classify(PROCEDURE, model=tiny_model)
    assert set(result.explain(themes=["uav", "financing"])) == {"uav", "financing"}
    assert set(result.explain(themes="uav")) == {"uav"}


def test_explain_unknown_theme_is_refused(tiny_model):
    with pytest.raises(InvalidInputError, match=r"unknown themes \['drones'\]"):
        classify(DRONES, model=tiny_model).explain(themes=["drones"])


@pytest.mark.parametrize("k", [0, -1, 1.5, True, "3"], ids=["zero", "negative", "float", "bool", "str"])
def test_explain_bad_k(tiny_model, k):
    with pytest.raises(InvalidInputError, match=r"The 'k' parameter of Result.explain must be an int >= 1"):
        classify(DRONES, model=tiny_model).explain(k=k)


# ---------------------------------------------------------------------------- long input
def test_statement_over_the_limit_is_scored_on_its_start_and_says_so(tiny_model):
    text = (DRONES + " ") * (MAX_STATEMENT_CHARS // len(DRONES) + 5)
    assert len(text) > MAX_STATEMENT_CHARS
    result = classify(text, model=tiny_model)
    assert result.truncated is True
    assert result.to_dict()["truncated"] is True
    assert result.text == text
    window = classify(text[:MAX_STATEMENT_CHARS], model=tiny_model)
    assert window.truncated is False
    assert result.scores == pytest.approx(window.scores, abs=1e-12)
    assert result.themes == window.themes


@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_a_context_over_the_limit_is_read_on_its_start_and_says_so(tiny_model, batch):
    context = ("On drones and pipelines: " * (MAX_STATEMENT_CHARS // 25 + 5))
    assert len(context) > MAX_STATEMENT_CHARS
    def run(c):
        return classify([DRONES, MONEY], model=tiny_model, context=[c, None])[0] if batch else classify(DRONES, model=tiny_model, context=c)
    result, window = run(context), run(context[:MAX_STATEMENT_CHARS])
    assert result.truncated is True and window.truncated is False
    assert result.context == context  # kept as given, as the text is
    assert result.scores == window.scores and result.themes == window.themes
    assert result.explain(k=2) == window.explain(k=2)


def test_statement_at_the_limit_is_not_truncated(tiny_model):
    text = ("x" * (MAX_STATEMENT_CHARS - len(DRONES) - 1)) + " " + DRONES
    assert len(text) == MAX_STATEMENT_CHARS
    assert classify(text, model=tiny_model).truncated is False


def test_text_in_a_language_the_model_does_not_read_is_reported_not_scored(tiny_model):
    assert tiny_model.languages == ("en",)  # the tiny corpus is English only
    russian, english, arabic = classify(
        ["Беспилотники атаковали пограничный пост.", "Drones attacked the post.", "هاجمت الطائرات المسيرة مركزا حدوديا"],
        model=tiny_model,
    )
    assert russian.not_scored == "not scored: most of its letters are Cyrillic; the model reads English only"
    assert russian.themes == () and russian.language is None
    assert set(russian.scores.values()) == {0.0}
    assert arabic.not_scored.startswith("not scored: most of its letters are neither Latin nor Cyrillic")
    assert english.not_scored is None and english.language == "en"
    # A few accented or Cyrillic letters in English text do not stop it being scored.
    assert classify("The Café Group met Mr. Иванов on drones.", model=tiny_model).not_scored is None


def test_every_name_a_module_exports_exists():
    """``from themes.x import *`` works for every module: no stale name in an ``__all__``."""
    import importlib
    import pkgutil

    import themes

    missing = []
    for info in pkgutil.walk_packages(themes.__path__, "themes."):
        if info.name.startswith("themes.cli") or info.name == "themes.__main__":
            continue
        module = importlib.import_module(info.name)
        missing += [f"{info.name}.{n}" for n in getattr(module, "__all__", ()) if not hasattr(module, n)]
    assert missing == []


def test_notebook_inputs_sequences_missing_values_and_the_raw_model(tiny_model):
    import numpy as np

    texts = ["Drones attacked the border post.", "Funds were frozen."]
    expected = classify(texts, model=tiny_model, context=["During the session:", None])
    as_array = classify(np.array(texts), model=tiny_model, context=np.array(["During the session:", ""], dtype=object))
    with_nan = classify(texts, model=tiny_model, context=("During the session:", float("nan")))
    assert [r.scores for r in with_nan] == [r.scores for r in expected]
    assert as_array[0].scores == expected[0].scores
    with pytest.raises(TypeError, match=r"item 1 is float \(nan\), a missing value: fill it first, e.g. with pandas .fillna\(''\)"):
        classify(["Drones.", float("nan")], model=tiny_model)
    with pytest.raises(TypeError, match="not one str \\(it would score each character\\); pass \\[text\\]"):
        tiny_model.predict_proba("Drones attacked.")
    with pytest.raises(TypeError, match="item 0 is NoneType"):
        tiny_model.predict_proba([None])
    assert tiny_model.predict_proba(np.array(texts)).shape == (2, len(tiny_model.themes))


def test_explain_of_a_statement_that_was_not_scored_is_empty(tiny_model):
    import numpy as np

    result = classify("هاجمت الطائرات المسيرة مركزا حدوديا", model=tiny_model)
    assert result.not_scored and result.explain(themes=["uav"]) == {"uav": []}
    assert set(classify("Drones attacked.", model=tiny_model).explain(k=np.int64(1))) <= set(tiny_model.themes)


def test_scores_and_thresholds_of_a_result_are_read_only_yet_json_and_pickle_read_them(tiny_model):
    import pickle

    first, second = classify(["Drones attacked the border post.", "Funds were frozen."], model=tiny_model)
    with pytest.raises(TypeError, match="read-only; change a copy"):
        first.scores["uav"] = 5.0
    with pytest.raises(TypeError, match="read-only"):
        first.thresholds.clear()  # shared by every result of the batch
    assert second.thresholds == dict(zip(tiny_model.themes, tiny_model.thresholds.tolist()))
    assert json.loads(json.dumps(first.scores)) == dict(first.scores)
    assert pickle.loads(pickle.dumps(first)).scores == first.scores
    copy = dict(first.scores)
    copy["uav"] = 5.0  # a copy is the user's
