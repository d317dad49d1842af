"""Typed schemas of what themes writes and reads back: the model manifest, its metrics, output records.

Each schema is a :class:`~typing.TypedDict`, and the TypedDict is the one source of truth:
:func:`schema_problems` walks its annotations to check a value read from JSON, so the writer
(``themes.train.card.build_manifest``, the archive writer) and the readers (``load_model``,
``trends``) check the same thing. Keys a schema does not name are left alone (a newer writer
may add some); keys it names must have its types, and every float must be finite.

:func:`strict_json_loads` is the JSON every model file is read with: ``NaN``, ``Infinity``,
numbers that overflow a float, repeated keys and nesting too deep to parse are refused.

Examples
--------
>>> validate_manifest({"format": "themes-model"}, "m.json")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
themes.errors.ModelError: m.json: does not follow the manifest schema: missing key 'format_version'; ...
>>> schema_problems({"n": 3, "given": 1, "rate": "high"}, NoneGivenTheme)
["'rate' must be float, got str"]
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
import typing
from typing import Any, Literal, TypedDict, Union

from themes.errors import ModelError

__all__ = [
    "BulletinSummary",
    "FeaturesFile",
    "Manifest",
    "MetricBlock",
    "Metrics",
    "NoneGivenTheme",
    "ScoreRecord",
    "schema_problems",
    "strict_json_loads",
    "unprintable",
    "validate_manifest",
    "validate_metrics",
    "validate_record",
]

# ---------------------------------------------------------------------------- metrics
class Averages(TypedDict):
    precision: float
    recall: float
    f1: float


class ThemeScores(TypedDict):
    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int


class Calibration(TypedDict):
    brier: float
    ece: float


class NoneGivenTheme(TypedDict):
    """Statements labelled with no theme (``n``), how many the model gave one, and the rate."""

    n: int
    given: int
    rate: float


class DataFile(TypedDict):
    """The data a block was measured on (the realdev statements), by name and sha256."""

    file: str
    sha256: str


class _MetricBlockRequired(TypedDict):
    n: int
    micro: Averages
    macro: Averages
    exact_match: float
    per_theme: dict[str, ThemeScores]


class MetricBlock(_MetricBlockRequired, total=False):
    """What ``themes.evaluate.multilabel_metrics`` returns, plus what fit adds to it."""

    none_given_theme: NoneGivenTheme
    calibration: dict[str, Calibration]
    per_style_micro_f1: dict[str, float]
    data: DataFile


class Metrics(TypedDict, total=False):
    """The ``metrics`` of a manifest: one block per way of measuring, all optional."""

    cross_validation: MetricBlock
    test: MetricBlock
    leave_one_style_out: MetricBlock
    realdev: MetricBlock
    realdev_ru: MetricBlock
    seconds: float


# ---------------------------------------------------------------------------- manifest
class Release(TypedDict):
    release: str
    sha256: str


class Corpus(TypedDict, total=False):
    releases: list[Release]
    stats: dict[str, Any]
    test_split: str


class Training(TypedDict, total=False):
    config: dict[str, Any]
    seed: int
    estimator: str


class _ManifestRequired(TypedDict):
    format: str
    format_version: int
    name: str
    created: str
    taxonomy_version: str
    themes: list[str]
    thresholds: dict[str, float]
    training: Training
    corpus: Corpus
    metrics: Metrics
    versions: dict[str, str]
    files: dict[str, str]


class Manifest(_ManifestRequired, total=False):
    """``manifest.json`` of a model folder (format version 1); ``languages`` since 2026.1
    (a model without it reads English only)."""

    languages: list[str]


class _FeaturesFileRequired(TypedDict):
    words: list[str]
    chars: list[str]
    lexicon: dict[str, list[str]]
    config: dict[str, Any]


class FeaturesFile(_FeaturesFileRequired, total=False):
    """``features.json`` of a model folder: vocabularies, lexicon, glossary and feature configuration.

    ``glossary`` (models from 2026.5 on): Russian normal token -> its English gloss, through
    which the English static embedding reads Russian words.
    """

    glossary: dict[str, str]


# ---------------------------------------------------------------------------- output records
class _ScoreRecordRequired(TypedDict):
    bulletin: str
    date: Union[str, None]
    index: int
    start: int
    end: int
    kind: str
    text: str
    context: Union[str, None]
    themes: list[str]
    scores: dict[str, float]
    model: str
    truncated: bool
    not_scored: Union[str, None]


class ScoreRecord(_ScoreRecordRequired, total=False):
    """One line of ``scores.jsonl``: a statement of a bulletin and its themes (``language``
    and ``fragment`` since 2026.1)."""

    language: Union[str, None]
    fragment: bool


class _BulletinSummaryRequired(TypedDict):
    bulletin: str
    path: Union[str, None]
    status: Literal["ok", "failed"]
    format: Union[str, None]


class BulletinSummary(_BulletinSummaryRequired, total=False):
    """One line of ``bulletins.jsonl``; a failed bulletin has ``error`` instead of the counts.

    ``statements`` counts every record written for the bulletin; ``counts``, ``max_scores``
    and ``evidence`` count statements proper, as trends do (titles, datelines, headings,
    lead-ins and tables are scored in the statements file but not counted). ``text_sha256``
    (the digest of the bulletin's text) and ``duplicate_of`` since session 14;
    ``statements_sha256`` (the digest of the statement records as written, which tells a
    copy: ``duplicate_of`` names the first bulletin of the run with the same digest, or is
    null) since session 15.
    """

    error: str
    date: Union[str, None]
    date_source: Union[str, None]
    encoding: Union[str, None]
    title: Union[str, None]
    statements: int
    truncated: int
    not_scored: int
    languages: dict[str, int]
    counts: dict[str, int]
    max_scores: dict[str, float]
    evidence: dict[str, list[dict[str, Any]]]
    text_sha256: str
    statements_sha256: str
    duplicate_of: Union[str, None]


# ---------------------------------------------------------------------------- checking
_TYPE_NAMES = {str: "str", int: "int", float: "float", bool: "bool", list: "list", dict: "dict", type(None): "null"}


@functools.lru_cache(maxsize=None)
def _hints(schema) -> dict:
    # Cached: a manifest check asks for the hints of the same few schemas about 150 times.
    return typing.get_type_hints(schema, globalns=vars(sys.modules[__name__]))


def _describe(kind) -> str:
    origin = typing.get_origin(kind)
    if origin is Union:
        return " or ".join(_describe(k) for k in typing.get_args(kind))
    if origin is Literal:
        return "one of " + ", ".join(map(repr, typing.get_args(kind)))
    if origin is not None:
        return _TYPE_NAMES.get(origin, str(origin))
    if typing.is_typeddict(kind):
        return "dict"
    return _TYPE_NAMES.get(kind, getattr(kind, "__name__", str(kind)))


def _check(value, kind, where: str, problems: list[str]) -> None:
    label = f"{where!r}" if where else "the value"
    if kind is Any:
        return
    origin = typing.get_origin(kind)
    if origin is Union:
        options = typing.get_args(kind)
        for option in options:
            attempt: list[str] = []
            _check(value, option, where, attempt)
            if not attempt:
                return
        problems.append(f"{label} must be {_describe(kind)}, got {_TYPE_NAMES.get(type(value), type(value).__name__)}")
        return
    if origin is Literal:
        if value not in typing.get_args(kind):
            problems.append(f"{label} must be {_describe(kind)}, got {value!r}")
        return
    if typing.is_typeddict(kind):
        if not isinstance(value, dict):
            problems.append(f"{label} must be dict, got {_TYPE_NAMES.get(type(value), type(value).__name__)}")
            return
        hints = _hints(kind)
        prefix = f"{where}." if where else ""
        for key in sorted(kind.__required_keys__ - set(value), key=list(hints).index):
            problems.append(f"missing key {prefix + key!r}")
        for key, sub in hints.items():
            if key in value:
                _check(value[key], sub, prefix + key, problems)
        return
    expected = origin or kind
    # bool is an int to Python, never to a schema; an int is a fine float ("1" for 1.0).
    ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        problems.append(f"{label} must be {_describe(kind)}, got {_TYPE_NAMES.get(type(value), type(value).__name__)}")
        return
    if expected is float and not math.isfinite(value):
        problems.append(f"{label} must be a finite number, got {value!r}")
    elif origin is list:
        (item,) = typing.get_args(kind)
        if item is str and set(map(type, value)) <= {str}:
            return  # the vocabularies: tens of thousands of strings, checked in one pass
        for i, element in enumerate(value):
            _check(element, item, f"{where}[{i}]", problems)
    elif origin is dict:
        key_kind, item = typing.get_args(kind)
        for key, element in value.items():
            _check(key, key_kind, f"{where} key", problems)
            _check(element, item, f"{where}.{key}", problems)


def schema_problems(value, schema) -> list[str]:
    """What in ``value`` breaks ``schema`` (a TypedDict), each as ``'dotted.key' must be ...``.

    Examples
    --------
    >>> schema_problems({"precision": 1, "recall": 0.5, "f1": float("nan")}, Averages)
    ["'f1' must be a finite number, got nan"]
    """
    problems: list[str] = []
    _check(value, schema, "", problems)
    return problems


def validate_manifest(manifest, source: str = "manifest") -> dict:
    """Return ``manifest`` when it follows :class:`Manifest`; else raise naming ``source``.

    Raises
    ------
    themes.ModelError
        Listing every key that is missing or of the wrong type.
    """
    problems = schema_problems(manifest, Manifest)
    if problems:
        raise ModelError(f"{source}: does not follow the manifest schema: " + "; ".join(problems))
    return manifest


def validate_metrics(metrics, source: str = "metrics") -> dict:
    """Return ``metrics`` when it follows :class:`Metrics`; else raise naming ``source``."""
    problems = schema_problems(metrics, Metrics)
    if problems:
        raise ModelError(f"{source}: metrics do not follow the schema: " + "; ".join(problems))
    return metrics


def validate_record(record, schema=ScoreRecord, source: str = "record") -> dict:
    """Return an output record when it follows ``schema`` (:class:`ScoreRecord` or
    :class:`BulletinSummary`); else raise :class:`ValueError` naming ``source``.

    Examples
    --------
    >>> validate_record({"bulletin": "b.txt", "path": "b.txt", "status": "failed",
    ...                  "format": "txt", "error": "not UTF-8"}, BulletinSummary)["status"]
    'failed'
    """
    problems = schema_problems(record, schema)
    if problems:
        raise ValueError(f"{source}: does not follow the {schema.__name__} schema: " + "; ".join(problems))
    return record


# ---------------------------------------------------------------------------- strict JSON
def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large for a float")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {repeated!r} is repeated in one object")
    return out


def strict_json_loads(text: str):
    """Parse JSON as the standard says, not as Python allows.

    Raises
    ------
    ValueError
        For invalid JSON (with line and column), ``NaN`` / ``Infinity``, a number too large
        for a float, a repeated key, or nesting deeper than Python's recursion limit.

    Examples
    --------
    >>> strict_json_loads('{"a": [1, 2.5]}')
    {'a': [1, 2.5]}
    >>> strict_json_loads('{"rate": NaN}')
    Traceback (most recent call last):
    ...
    ValueError: NaN is not a JSON number
    >>> strict_json_loads('[' * 100_000 + ']' * 100_000)
    Traceback (most recent call last):
    ...
    ValueError: nested too deeply to parse
    """
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite_float, object_pairs_hook=_unique_keys
        )
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise ValueError("nested too deeply to parse") from None


# Control characters (C0, C1), lone surrogates, and the bidirectional overrides that make
# printed text read differently from what it holds. Multi-line text may keep tab and newline.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def unprintable(value, where: str = "", multiline: bool = False) -> list[str]:
    """Where a JSON value holds a string with control characters, lone surrogates or bidi
    overrides, as ``'dotted.key' holds U+001B``; ``multiline`` lets tabs and newlines pass.

    Examples
    --------
    >>> unprintable({"name": "model\\x1b[2J", "themes": ["uav"]})
    ["'name' holds U+001B"]
    >>> unprintable({"estimator": "Pipeline(\\n  steps=[])"}, multiline=True)
    []
    """
    pattern = _UNPRINTABLE_TEXT if multiline else _UNPRINTABLE
    found: list[str] = []
    if isinstance(value, str):
        bad = pattern.search(value)
        if bad:
            found.append(f"{where or 'the value'!r} holds U+{ord(bad.group()):04X}")
    elif isinstance(value, dict):
        for key, item in value.items():
            sub = f"{where}.{key}" if where else str(key)
            found += unprintable(key, f"{sub} (key)", multiline) + unprintable(item, sub, multiline)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += unprintable(item, f"{where}[{i}]", multiline)
    return found
