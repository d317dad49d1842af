"""The training configuration: one frozen, validated value with its defaults in one place.

Examples
--------
>>> from themes.train import TrainingConfig
>>> TrainingConfig().C
0.5
>>> TrainingConfig.from_dict({"C": 2}).C
2.0
>>> TrainingConfig.from_dict({"classifier": "linear-svm"})
Traceback (most recent call last):
...
themes.errors.ParameterError: The 'classifier' parameter of the training configuration must be one of ['linear_svm', 'logistic_regression']. Got 'linear-svm' instead.
"""

from __future__ import annotations

import dataclasses
import difflib
import numbers
from dataclasses import dataclass

from themes.errors import InvalidInputError, ParameterError

__all__ = ["DEFAULT_CONFIG", "TrainingConfig"]

CLASSIFIERS = ("linear_svm", "logistic_regression")
CLASS_WEIGHTS = ("balanced", None)
LEXICON_SCOPES = ("own", "all")


@dataclass(frozen=True)
class TrainingConfig:
    """How a model is trained. The defaults are the shipped configuration, chosen on real
    text and leave-one-style-out (``training/README.md``, ``bench/select_model.py``).

    Every field is checked when the value is made; unknown keys in :meth:`from_dict`
    raise, so a misspelt option never trains silently with its default.
    """

    char_ngram_range: tuple[int, int] = (3, 5)
    min_df_word: int = 2
    min_df_char: int = 3
    max_char_features: int = 40000
    word_weight: float = 1.0
    char_weight: float = 1.0
    lexicon_weight: float = 0.6
    dense_weight: float = 0.6
    context_weight: float = 0.35
    use_embedding: bool = True
    C: float = 0.5
    class_weight: str | None = "balanced"
    n_folds: int = 5
    classifier: str = "linear_svm"
    #: How many fold seeds (``seed``, ``seed + 1``, ...) give out-of-fold decision values for
    #: the Platt calibration and thresholds, fitted once on all of them stacked. The final
    #: coefficients do not depend on the seed (LinearSVC reaches the same optimum); the
    #: folds do, and with one seed the thresholds move from seed to seed by enough to move
    #: Russian realdev micro F1 from 0.797 to 0.829 (``training/REALDEV_ANALYSIS.md``,
    #: session 4). More repeats cost one cross-validation each and remove that lottery
    #: (three: a spread of a few thousandths); they do not raise the mean.
    calibration_repeats: int = 3
    #: Which lexicon counts each theme's classifier reads: ``"own"``, its own theme's count
    #: (``international_cooperation`` reads all; see :mod:`themes.train.classifier`), or
    #: ``"all"``, every theme's count (models
    #: trained before the option; left out of the recorded configuration so their names stay).
    lexicon_scope: str = "own"
    #: Whether the English embedding reads Russian tokens through their English gloss
    #: (``themes/data/glossary_ru.json``); without it Russian tokens add zero rows. Left out
    #: of the recorded configuration when off, so that models trained before it keep their names.
    use_glossary: bool = True
    #: Each block's sum of squares (and the embedding mean's token count) is read as at least
    #: its value at this quantile of the train split's statements, so that a text far shorter
    #: than any trained on ("drones", "2024") does not weigh as much as a whole statement; 0:
    #: no floor. 0.002 leaves realdev within its noise (English 0.850 / 0.850, Russian 0.841 /
    #: 0.840 on fold seeds 0 / 1 with floors of about that size; training/REALDEV_ANALYSIS.md,
    #: session 11) and stops one- and two-word inputs from collecting themes. Left out of the
    #: recorded configuration at 0, so that models trained before it keep their names.
    norm_floor_quantile: float = 0.002
    #: A unit (content token, bigram, lexicon term) repeated in one statement counts at most
    #: this many times; 0: every time. Blocks are normalised by the root of their summed
    #: squares of occurrences, so a word repeated n times weighed sqrt(n) times one
    #: ("terrorism " * 50 gave three themes at 0.84 to 1.0). Counting every word once cost
    #: Russian realdev 0.013 to 0.016; 3 changes only statements with a unit four times or
    #: more (English realdev 0.851 / 0.851, Russian 0.853 / 0.853 on fold seeds 0 / 1, against
    #: 0.854 / 0.851 and 0.854 / 0.853; training/REALDEV_ANALYSIS.md, session 12). Left out of
    #: the recorded configuration at 0, so that models trained before it keep their names.
    max_unit_repeats: int = 3

    def __post_init__(self):
        def fail(name, what, value):
            # A ParameterError: a bad value is bad usage (exit 2), as the README's exit codes say.
            raise ParameterError(
                f"The {name!r} parameter of the training configuration must be {what}. Got {value!r} instead."
            )

        for name in ("min_df_word", "min_df_char", "max_char_features", "n_folds", "calibration_repeats"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                fail(name, "an int >= 1", value)
        repeats = self.max_unit_repeats
        if isinstance(repeats, bool) or not isinstance(repeats, numbers.Integral) or repeats < 0:
            fail("max_unit_repeats", "an int >= 0", repeats)
        object.__setattr__(self, "max_unit_repeats", int(repeats))
        if self.n_folds < 2:
            fail("n_folds", "an int >= 2", self.n_folds)
        for name in ("word_weight", "char_weight", "lexicon_weight", "dense_weight", "context_weight", "C"):
            value = getattr(self, name)
            # C divides the penalty: 0 is no classifier, so its one message says > 0.
            what, low_ok = ("a finite float > 0", False) if name == "C" else ("a finite float >= 0", True)
            if (
                isinstance(value, bool) or not isinstance(value, numbers.Real) or value == float("inf")
                or not (value >= 0 if low_ok else value > 0)
            ):
                fail(name, what, value)
            object.__setattr__(self, name, float(value))
        quantile = self.norm_floor_quantile
        if isinstance(quantile, bool) or not isinstance(quantile, numbers.Real) or not 0 <= quantile <= 0.5:
            fail("norm_floor_quantile", "a float in [0, 0.5]", quantile)
        object.__setattr__(self, "norm_floor_quantile", float(quantile))
        for name in ("use_embedding", "use_glossary"):
            if not isinstance(getattr(self, name), bool):
                fail(name, "a bool", getattr(self, name))
        if self.classifier not in CLASSIFIERS:
            fail("classifier", f"one of {list(CLASSIFIERS)}", self.classifier)
        if self.lexicon_scope not in LEXICON_SCOPES:
            fail("lexicon_scope", f"one of {list(LEXICON_SCOPES)}", self.lexicon_scope)
        if self.class_weight not in CLASS_WEIGHTS:
            fail("class_weight", "'balanced' or None", self.class_weight)
        low_high = self.char_ngram_range
        if (
            not isinstance(low_high, (list, tuple))
            or len(low_high) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in low_high)
            or not 1 <= low_high[0] <= low_high[1]
        ):
            fail("char_ngram_range", "two ints [low, high] with 1 <= low <= high", low_high)
        object.__setattr__(self, "char_ngram_range", (int(low_high[0]), int(low_high[1])))

    @classmethod
    def from_dict(cls, overrides: dict | TrainingConfig | None = None) -> TrainingConfig:
        """The defaults with ``overrides`` applied; unknown keys raise."""
        if overrides is None:
            return cls()
        if isinstance(overrides, cls):
            return overrides
        if not isinstance(overrides, dict):
            raise ParameterError(
                f"The training configuration must be a dict of overrides. Got {type(overrides).__name__} instead."
            )
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(overrides) - set(known), key=str)
        if unknown:
            meant = {key: difflib.get_close_matches(str(key), known, n=1) for key in unknown}
            named = ", ".join(
                repr(key) + (f" (did you mean {meant[key][0]!r}?)" if meant[key] else "") for key in unknown
            )
            raise ParameterError(
                f"The training configuration has unknown keys: {named}; the keys are {sorted(known)}."
            )
        return cls(**overrides)

    @classmethod
    def from_file(cls, path) -> TrainingConfig:
        """Read overrides from a JSON file; a bad file or key names the file (and line)."""
        import json

        try:
            with open(path, encoding="utf-8") as fh:
                overrides = json.load(fh)
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot be read ({exc.strerror}).") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = f":{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise InvalidInputError(f"{path}{where}: not valid JSON ({getattr(exc, 'msg', exc)}).") from None
        try:
            return cls.from_dict(overrides)
        except InvalidInputError as exc:
            raise type(exc)(f"{path}: {exc}") from None  # the same type: the same exit code

    def to_dict(self) -> dict:
        """Plain JSON-ready values (the manifest records this).

        ``calibration_repeats`` is left out at 1, ``lexicon_scope`` at ``"all"``,
        ``use_glossary`` when off and ``norm_floor_quantile`` and ``max_unit_repeats`` at 0, so that
        a model trained as before they existed keeps its name (the name hashes this dict).
        """
        out = dataclasses.asdict(self)
        out["char_ngram_range"] = list(self.char_ngram_range)
        if out["calibration_repeats"] == 1:
            del out["calibration_repeats"]
        if out["lexicon_scope"] == "all":
            del out["lexicon_scope"]
        if not out["use_glossary"]:
            del out["use_glossary"]
        if not out["norm_floor_quantile"]:
            del out["norm_floor_quantile"]
        if not out["max_unit_repeats"]:
            del out["max_unit_repeats"]
        return out


#: The shipped configuration as a plain dict (read-only view of the defaults).
DEFAULT_CONFIG: dict = TrainingConfig().to_dict()
