"""The typed schemas of themes.schemas: what the writers write follows them, and they catch what breaks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes import score_archive
from themes.errors import ModelError
from themes.schemas import (
    BulletinSummary,
    Manifest,
    Metrics,
    ScoreRecord,
    schema_problems,
    strict_json_loads,
    validate_manifest,
    validate_record,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_archive_records_and_summaries_follow_their_schemas(tmp_path, tiny_model):
    paths = [EXAMPLES / "2024-03-12-council-minsk.txt", tmp_path / "missing.txt"]
    results = list(score_archive(paths, model=tiny_model))
    assert [r.summary["status"] for r in results] == ["ok", "failed"]
    for result in results:
        validate_record(result.summary, BulletinSummary, source=result.bulletin)
        for record in result.records:
            # What the writer puts on a line is what a reader gets back.
            validate_record(json.loads(json.dumps(record)), ScoreRecord, source=result.bulletin)
    assert results[0].records


def test_manifest_written_by_training_follows_the_schema(tiny_model_dir):
    manifest = json.loads((tiny_model_dir / "manifest.json").read_text(encoding="utf-8"))
    assert schema_problems(manifest, Manifest) == []
    assert schema_problems(manifest["metrics"], Metrics) == []


@pytest.mark.parametrize(
    "record, problem",
    [
        ({"date": 20240312}, "'date' must be str or null, got int"),
        ({"scores": {"uav": "0.9"}}, "'scores.uav' must be float, got str"),
        ({"truncated": 0}, "'truncated' must be bool, got int"),
        ({"index": True}, "'index' must be int, got bool"),
        ({"scores": {"uav": float("inf")}}, "'scores.uav' must be a finite number, got inf"),
    ],
    ids=["numeric-date", "score-as-string", "int-as-bool", "bool-as-int", "infinite-score"],
)
def test_score_record_schema_names_what_is_wrong(record, problem):
    good = {
        "bulletin": "b.txt", "date": None, "index": 0, "start": 0, "end": 5, "kind": "sentence", "text": "x",
        "context": None, "themes": [], "scores": {"uav": 0.1}, "model": "m", "truncated": False, "not_scored": None,
    }
    assert schema_problems(good, ScoreRecord) == []
    assert schema_problems({**good, **record}, ScoreRecord) == [problem]
    with pytest.raises(ValueError, match="does not follow the ScoreRecord schema"):
        validate_record({**good, **record}, ScoreRecord)


def test_summary_status_is_checked():
    assert schema_problems({"bulletin": "b", "path": None, "status": "maybe", "format": None}, BulletinSummary) == [
        "'status' must be one of 'ok', 'failed', got 'maybe'"
    ]


def test_validate_manifest_lists_every_problem():
    with pytest.raises(ModelError, match=r"m\.json: does not follow the manifest schema: missing key 'format'; .*missing key 'files'"):
        validate_manifest({}, "m.json")


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": Infinity}', "Infinity is not a JSON number"),
        ('{"a": 1e400}', "too large for a float"),
        ('{"a": 1, "a": 2}', "the key 'a' is repeated"),
        ('{"a": 1', "invalid JSON"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply to parse"),
    ],
    ids=["nan", "infinity", "overflow", "repeated-key", "truncated", "deep"],
)
def test_strict_json_refuses_what_python_allows(text, message):
    with pytest.raises(ValueError, match=message):
        strict_json_loads(text)
