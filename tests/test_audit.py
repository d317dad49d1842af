"""themes audit: a planted label error comes out on top of the out-of-fold contradictions."""

from __future__ import annotations

import json

import pytest
from conftest import TINY_CONFIG, tiny_statements, write_tiny_release

from themes.audit import audit, write_audit
from themes.cli import main
from themes.corpus import write_release
from themes.errors import CorpusError, OutputExistsError

MORE_DRONES = [
    "Armed drones struck the army post.",
    "A drone dropped a grenade on the patrol.",
    "Terrorist drones attacked the airfield at night.",
]


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """The tiny corpus, then a release that mislabels a drone statement as drug trafficking."""
    base = tmp_path_factory.mktemp("audit")
    tiny = write_tiny_release(base / "tiny")
    drones = next(s for s in tiny_statements() if s.text.startswith("Drones were used"))
    records = [{**drones.to_record(), "themes": ["drug_trafficking"]}] + [
        {"id": f"drone-{i}", "text": t, "themes": ["uav"], "context": None, "style": "style2", "lang": "en"}
        for i, t in enumerate(MORE_DRONES)
    ]
    wrong = write_release(records, base / "wrong", "tiny.2", "tiny.1", "2025-02-01")
    return {"tiny": tiny, "wrong": wrong, "planted": drones.id}


@pytest.fixture(scope="module")
def rows(releases):
    return audit([releases["tiny"], releases["wrong"]], config=TINY_CONFIG, include_shipped=False)


def test_planted_label_error_ranks_first(rows, releases):
    top = rows[0]
    assert top["id"] == releases["planted"]
    assert top["labels"] == ["drug_trafficking"]
    assert top["missing"]["drug_trafficking"] < 0.5
    assert top["release"] == "tiny.2"


def test_rows_are_ranked_and_each_contradicts_its_label(rows):
    assert [r["confidence"] for r in rows] == sorted((r["confidence"] for r in rows), reverse=True)
    for r in rows:
        assert r["missing"] or r["extra"]
        assert set(r["missing"]) <= set(r["labels"])
        assert not set(r["extra"]) & set(r["labels"])
        assert r["confidence"] == pytest.approx(
            max([1 - p for p in r["missing"].values()] + list(r["extra"].values())), abs=1e-3
        )


def test_calibration_from_a_model(releases, tiny_model_dir):
    rows = audit([releases["tiny"], releases["wrong"]], config=TINY_CONFIG, include_shipped=False, model=tiny_model_dir)
    assert rows[0]["id"] == releases["planted"]


def test_write_audit_jsonl(rows, tmp_path, read_jsonl):
    path = write_audit(rows, tmp_path / "audit.jsonl")
    written = read_jsonl(path)
    assert [r["rank"] for r in written] == list(range(1, len(rows) + 1))
    assert written[0]["id"] == rows[0]["id"]
    with pytest.raises(OutputExistsError, match="--force"):
        write_audit(rows, path)
    write_audit(rows[:1], path, force=True)
    assert len(read_jsonl(path)) == 1


def test_too_small_corpus(tmp_path):
    records = [s.to_record() for s in tiny_statements()[:4]]
    release = write_release(records, tmp_path / "small", "s.1")
    with pytest.raises(CorpusError, match="needs at least 6"):
        audit([release], config=TINY_CONFIG, include_shipped=False)


def test_cli_audit(releases, tmp_path, capsys, monkeypatch, read_jsonl):
    # The command audits with the default configuration; make it the tiny one for speed.
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(TINY_CONFIG))
    out = tmp_path / "audit.jsonl"
    args = ["audit", "--no-shipped", "--config", str(config), "--release", str(releases["tiny"]), "--release", str(releases["wrong"])]
    assert main(args + ["--out", str(out), "--top", "3"]) == 0
    printed = capsys.readouterr().out
    assert "statement(s) whose out-of-fold prediction contradicts the label" in printed
    first_row = printed.splitlines()[3].split()  # after the count line, the header and its rule
    assert (first_row[0], first_row[2]) == ("1", releases["planted"])
    assert read_jsonl(out)[0]["id"] == releases["planted"]
    assert main(args + ["--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(args + ["--json", "--top", "1"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [releases["planted"]]
    assert main(["audit", "--no-shipped"]) == 2
