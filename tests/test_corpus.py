"""The shipped corpus meets its size and balance promises; the validator names every problem."""

from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from themes.cli import main
from themes.corpus import (
    check_corpus,
    corpus_stats,
    is_test_id,
    load_corpus,
    merge_releases,
    shipped_corpus_path,
    shipped_releases,
    write_release,
)
from themes.errors import CorpusError
from themes.taxonomy import THEME_IDS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


# ----------------------------------------------------------------- the shipped corpus
def test_shipped_releases_validate():
    assert [p.name for p in shipped_releases()] == ["2025.1", "2025.2", "2025.3", "2026.1", "2026.2", "2026.3", "2026.4", "2026.5", "2026.6", "2026.7"]
    assert check_corpus(shipped_corpus_path()) == []


def test_size_balance_multilabel_and_none(corpus):
    n = len(corpus)
    per_theme = collections.Counter(t for s in corpus for t in s.themes)
    assert n >= 3000
    assert {t: per_theme[t] for t in THEME_IDS if per_theme[t] < 200} == {}
    assert sum(len(s.themes) >= 2 for s in corpus) / n >= 0.25
    assert sum(not s.themes for s in corpus) / n >= 0.10


def test_lengths_and_styles(corpus):
    words = [len(s.text.split()) for s in corpus]
    assert min(words) >= 5 and max(words) <= 80
    styles = collections.Counter(s.style for s in corpus)
    assert len(styles) >= 12
    languages = collections.Counter(s.lang for s in corpus)
    assert set(languages) == {"en", "ru"}


def test_russian_statements_meet_the_release_targets(corpus):
    """Issue 15: at least 1,500 Russian statements and 80 per theme, written in Cyrillic."""
    from themes.language import detect_language

    russian = [s for s in corpus if s.lang == "ru"]
    per_theme = collections.Counter(t for s in russian for t in s.themes)
    assert len(russian) >= 1500
    assert {t: per_theme[t] for t in THEME_IDS if per_theme[t] < 80} == {}
    assert all(detect_language(s.text) == "ru" for s in russian)
    assert all(detect_language(s.text) == "en" for s in corpus if s.lang == "en")


def test_near_duplicates_at_most_two_percent(corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(ngram_range=(1, 3)).fit_transform([s.text for s in corpus])
    near = np.zeros(X.shape[0], dtype=bool)
    for start in range(0, X.shape[0], 1000):
        sim = (X[start : start + 1000] @ X.T).toarray()
        for i in range(sim.shape[0]):
            sim[i, start + i] = 0.0
        near[start : start + 1000] = sim.max(axis=1) > 0.8
    assert near.mean() <= 0.02


def test_release_2025_2_corrects_and_withdraws():
    first, second = shipped_releases()[:2]
    _, report = merge_releases([first, second])
    assert len(report.relabelled["2025.2"]) >= 40
    assert len(report.withdrawn["2025.2"]) >= 5
    assert len(report.added["2025.2"]) > 0
    # A correction keeps the id and text and changes the themes.
    old = {r["id"]: r for r in map(json.loads, (first / "statements.jsonl").read_text().splitlines())}
    for rid, before, after in report.relabelled["2025.2"]:
        assert sorted(old[rid]["themes"]) == before and before != after


def test_test_split_is_about_fifteen_percent_and_fixed(corpus):
    share = np.mean([is_test_id(s.id) for s in corpus])
    assert 0.12 <= share <= 0.18
    # Fixed forever: the split of an id is a function of the id's sha256.
    digest = hashlib.sha256(b"cis-0001").digest()
    assert is_test_id("cis-0001") == (int.from_bytes(digest[:8], "big") / 2**64 < 0.15)


def test_stats_counts_match_files(corpus):
    stats = corpus_stats(corpus)
    assert stats["statements"] == len(corpus)
    assert sum(stats["per_style"].values()) == len(corpus)
    assert stats["per_theme"]["uav"] == sum("uav" in s.themes for s in corpus)


# ------------------------------------------------------------------ the validator
GOOD = {"id": "x-1", "text": "Border guards stopped illegal migrants.", "themes": ["border_security"], "context": None, "style": "test", "lang": "en"}


def make_release(folder: Path, lines: list[str], release="r1", builds_on=None, fix_manifest=True) -> Path:
    """A release whose statements.jsonl holds ``lines`` verbatim."""
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(line + "\n" for line in lines)
    (folder / "statements.jsonl").write_text(body, encoding="utf-8")
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    from themes.corpus import release_manifest

    manifest = release_manifest(
        [r for r in records if isinstance(r, dict)], release, builds_on, "2025-01-01", hashlib.sha256(body.encode()).hexdigest()
    )
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def rec(**changes) -> str:
    return json.dumps({**GOOD, **changes})


@pytest.mark.parametrize(
    "lines, line_no, message",
    [
        pytest.param([rec(), "{not json"], 2, "invalid JSON", id="invalid-json"),
        pytest.param([rec(), json.dumps({"id": "x-2", "text": "Some text here.", "themes": []})], 2, "missing fields ['context', 'style', 'lang']", id="missing-fields"),
        pytest.param([rec(), rec(id="x-2", text="Another statement.", color="red")], 2, "extra fields ['color']", id="extra-field"),
        pytest.param([rec(), rec(id="x-2", text="Drones flew.", themes=["drones"])], 2, "unknown theme ids ['drones']", id="unknown-theme"),
        pytest.param([rec(), rec(text="A different text.")], 2, "duplicate id 'x-1' (first on line 1)", id="duplicate-id"),
        pytest.param([rec(), rec(id="x-2", text="   ")], 2, "empty text", id="empty-text"),
        pytest.param(
            [rec(), rec(id="x-2", themes=["financing"])], 2,
            "same text as line 1 with different labels (financing here, border_security on line 1); keep one of the two records",
            id="same-text-different-labels",
        ),
    ],
)
def test_check_names_file_line_and_problem(tmp_path, lines, line_no, message):
    folder = make_release(tmp_path / "r1", lines)
    problems = check_corpus(folder)
    expected = f"{folder / 'statements.jsonl'}:{line_no}: {message}"
    assert any(p.startswith(expected) for p in problems), problems


def test_check_manifest_hash_and_counts(tmp_path):
    folder = make_release(tmp_path / "r1", [rec(), rec(id="x-2", text="Drones attacked.", themes=["uav"])])
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["sha256"] = "0" * 64
    manifest["n_statements"] = 5
    manifest["theme_counts"]["uav"] = 9
    text = json.dumps(manifest, indent=2)
    (folder / "manifest.json").write_text(text)
    lines = text.splitlines()
    line_of = {key: next(i for i, l in enumerate(lines, 1) if f'"{key}"' in l) for key in ("sha256", "n_statements", "uav")}
    problems = check_corpus(folder)
    where = folder / "manifest.json"
    assert any(p.startswith(f"{where}:{line_of['sha256']}: sha256 does not match statements.jsonl") for p in problems)
    assert f"{where}:{line_of['n_statements']}: n_statements is 5, statements.jsonl has 2" in problems
    assert f"{where}:{line_of['uav']}: theme_counts['uav'] is 9, statements.jsonl has 1" in problems


def test_check_missing_base_release_and_unknown_withdrawal(tmp_path):
    folder = make_release(tmp_path / "r2", [json.dumps({"id": "ghost", "deleted": True})], release="r2", builds_on="r1")
    problems = check_corpus(folder)
    manifest_text = (folder / "manifest.json").read_text().splitlines()
    line = next(i for i, l in enumerate(manifest_text, 1) if '"builds_on"' in l)
    assert f"{folder / 'manifest.json'}:{line}: builds on release 'r1', which is missing" in problems
    assert f"{folder / 'statements.jsonl'}:1: withdraws id 'ghost', which no earlier release has" in problems


def test_check_reports_every_problem_at_once(tmp_path):
    folder = make_release(tmp_path / "r1", [rec(), "{bad", rec(id="x-3", text="", themes=["nope"])])
    problems = check_corpus(folder)
    assert len([p for p in problems if "statements.jsonl:2:" in p]) == 1
    assert len([p for p in problems if "statements.jsonl:3:" in p]) == 2


def test_merge_applies_releases_in_order(tmp_path):
    r1 = write_release([GOOD, {**GOOD, "id": "x-2", "text": "Drones flew over.", "themes": ["uav"]}], tmp_path / "r1", "r1")
    r2 = write_release(
        [{**GOOD, "themes": ["border_security", "international_cooperation"]}, {"id": "x-2", "deleted": True},
         {**GOOD, "id": "x-3", "text": "Hawala networks moved funds.", "themes": ["financing"]}],
        tmp_path / "r2", "r2", builds_on="r1",
    )
    statements, report = merge_releases([r1, r2])
    assert {s.id: s.themes for s in statements} == {"x-1": ("border_security", "international_cooperation"), "x-3": ("financing",)}
    assert report.relabelled["r2"] == [("x-1", ["border_security"], ["border_security", "international_cooperation"])]
    assert report.withdrawn["r2"] == ["x-2"] and report.added["r2"] == ["x-3"]
    assert report.per_theme("r2")["international_cooperation"]["gained"] == 1


def test_check_release_names_clashing_self_based_and_out_of_order(tmp_path):
    r1 = write_release([GOOD], tmp_path / "a", "r1")
    again = write_release([{**GOOD, "id": "x-2", "text": "Drones flew."}], tmp_path / "b", "r1", builds_on="r1")
    problems = check_corpus([r1, again])
    assert any(f"{again / 'manifest.json'}:2: release name 'r1' is already used by {r1}" in p for p in problems)
    assert any("release 'r1' builds on itself" in p for p in problems)
    r2 = write_release([{**GOOD, "id": "x-3", "text": "Hawala networks moved funds."}], tmp_path / "c", "r2", builds_on="r1")
    problems = check_corpus([r2, r1])
    assert any("builds on release 'r1', which comes after it here; give the releases in the order" in p for p in problems)


def test_releases_of_one_folder_are_read_in_the_order_they_build_on(tmp_path):
    # folder names that do not sort like the chain: "ls1" <- "dc1" <- "a9"
    write_release([GOOD], tmp_path / "all" / "ls1", "ls1")
    write_release([{**GOOD, "id": "x-2", "text": "Drones flew."}], tmp_path / "all" / "dc1", "dc1", builds_on="ls1")
    write_release([{**GOOD, "id": "x-3", "text": "Hawala networks moved funds."}], tmp_path / "all" / "a9", "a9", builds_on="dc1")
    assert check_corpus(tmp_path / "all", realdev=False) == []
    _, report = merge_releases(tmp_path / "all")
    assert list(report.added) == ["ls1", "dc1", "a9"]


def test_merge_reports_a_new_text_under_an_old_id_and_keeps_its_style(tmp_path):
    r1 = write_release([{**GOOD, "style": "cis"}], tmp_path / "r1", "r1")
    r2 = write_release(
        [{**GOOD, "text": "Drones carrying explosives hit a fuel depot.", "themes": [], "style": "unknown"}],
        tmp_path / "r2", "r2", builds_on="r1",
    )
    statements, report = merge_releases([r1, r2])
    assert report.retexted == {"r1": [], "r2": ["x-1"]}
    assert report.to_dict()["retexted"] == {"r2": ["x-1"]}
    assert statements[0].style == "cis"  # a correction from an annotation tool carries no style


def test_merge_refuses_an_invalid_release(tmp_path):
    folder = make_release(tmp_path / "r1", [rec(), "{bad"])
    with pytest.raises(CorpusError, match=r"statements.jsonl:2: invalid JSON") as info:
        merge_releases([folder])
    assert len(info.value.problems) == 1


# ----------------------------------------------------------------------- the CLI
def test_cli_corpus_check_ok_and_broken(tmp_path, capsys):
    assert main(["corpus", "check", str(shipped_corpus_path())]) == 0
    folder = make_release(tmp_path / "r1", [rec(), "{bad"])
    assert main(["corpus", "check", "--no-shipped", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'statements.jsonl'}:2: invalid JSON" in out


def test_cli_corpus_check_reads_a_new_release_on_top_of_the_shipped_ones(tmp_path, capsys):
    last = [p.name for p in shipped_releases()][-1]
    folder = write_release([{**GOOD, "id": "new-1"}], tmp_path / "mine", "2099.1", builds_on=last)
    assert main(["corpus", "check", str(folder)]) == 0  # as `themes train --release` reads it
    assert "0 problems in" in capsys.readouterr().out  # the result on stdout, notices on stderr
    # Alone (--no-shipped), its chain starts on the shipped release left out (session 16; it
    # was refused as a missing base, and themes import now gives such a release that base).
    assert main(["corpus", "check", "--no-shipped", str(folder)]) == 0
    statements, _ = merge_releases([folder])
    assert [s.id for s in statements] == ["new-1"]


def test_cli_corpus_check_says_when_the_realdev_comparison_was_not_run(tmp_path, capsys, monkeypatch):
    last = [p.name for p in shipped_releases()][-1]
    folder = write_release([{**GOOD, "id": "new-1"}], tmp_path / "mine", "2099.1", builds_on=last)
    monkeypatch.setenv("THEMES_REALDEV", str(tmp_path / "nowhere"))
    assert main(["corpus", "check", str(folder)]) == 0  # a notice, not a problem
    captured = capsys.readouterr()
    assert "0 problems in" in captured.out
    notice = [line for line in captured.err.splitlines() if line.startswith("realdev: skipped")]
    assert len(notice) == 1 and f"no statements.jsonl in {tmp_path / 'nowhere'}, from $THEMES_REALDEV" in notice[0]
    monkeypatch.delenv("THEMES_REALDEV")
    monkeypatch.setattr("themes.corpus.realdev_places", lambda: [tmp_path / "shared" / "realdev"])
    assert main(["corpus", "check", str(folder)]) == 0
    assert f"no statements.jsonl in {tmp_path / 'shared' / 'realdev'}, from ../shared/realdev beside the checkout" in capsys.readouterr().err


def test_cli_corpus_check_is_silent_about_realdev_when_it_was_compared(tmp_path, capsys, monkeypatch):
    realdev = tmp_path / "realdev"
    realdev.mkdir()
    (realdev / "statements.jsonl").write_text(json.dumps({"id": "r1", "text": "The budget was adopted.", "themes": []}) + "\n")
    monkeypatch.setenv("THEMES_REALDEV", str(realdev))
    folder = write_release([GOOD], tmp_path / "r1", "r1")
    assert main(["corpus", "check", "--no-shipped", str(folder)]) == 0
    assert "realdev" not in capsys.readouterr().err


# A test-split id and a train-split one (codebook 3.5).
TEST_ID, TRAIN_ID = "cis-0034", "cis-0001"


@pytest.mark.parametrize("earlier_id, split, leak", [(TEST_ID, "in the test split", True), (TRAIN_ID, "in the train split", False)], ids=["test", "train"])
def test_check_refuses_a_copy_of_an_earlier_statement_under_another_id(tmp_path, earlier_id, split, leak):
    assert is_test_id(TEST_ID) and not is_test_id(TRAIN_ID)
    r1 = write_release([{**GOOD, "id": earlier_id, "text": "Drones attacked the border post."}], tmp_path / "r1", "r1")
    copy = {**GOOD, "id": "new-1", "text": "DRONES  attacked the border post .", "themes": ["border_security"]}
    r2 = write_release([{**GOOD, "id": "new-2", "text": "Hawala networks moved funds."}, copy], tmp_path / "r2", "r2", builds_on="r1")
    problems = check_corpus([r1, r2], realdev=False)
    assert problems == [
        f"{r2 / 'statements.jsonl'}:2: 'new-1' has the same text as {earlier_id!r} at {r1 / 'statements.jsonl'}:1 ({split})"
        + ("; this copy would train on a test statement" if leak else "")
        + f"; to relabel or correct it, repeat {earlier_id!r} (or withdraw it), else drop the copy"
    ]
    with pytest.raises(CorpusError):  # so training refuses it too
        merge_releases([r1, r2])


def test_check_names_both_labels_of_a_copy_labelled_otherwise_and_what_to_do(tmp_path):
    r1 = write_release([{**GOOD, "id": TEST_ID}], tmp_path / "r1", "r1")
    r2 = write_release([{**GOOD, "id": "new-1", "themes": ["financing", "uav"]}], tmp_path / "r2", "r2", builds_on="r1")
    assert check_corpus([r1, r2], realdev=False) == [
        f"{r2 / 'statements.jsonl'}:1: same text as {TEST_ID!r} at {r1 / 'statements.jsonl'}:1 (in the test split) with "
        f"different labels (financing, uav here, border_security there); to change its labels, repeat {TEST_ID!r} with "
        "the new themes in this release instead of adding a copy under 'new-1'"
    ]


def test_a_shipped_id_repeated_with_new_labels_is_a_relabel_not_a_copy(tmp_path):
    r1 = write_release([GOOD], tmp_path / "r1", "r1")
    r2 = write_release([{**GOOD, "themes": ["uav"]}], tmp_path / "r2", "r2", builds_on="r1")
    assert check_corpus([r1, r2], realdev=False) == []
    _, report = merge_releases([r1, r2])
    assert report.relabelled["r2"] == [("x-1", ["border_security"], ["uav"])]


def test_a_hand_corrected_release_is_refused_until_stamped(tmp_path, capsys):
    folder = write_release([GOOD, {**GOOD, "id": "x-2", "text": "Drones flew.", "themes": ["uav"]}], tmp_path / "r1", "r1", date="2025-01-01")
    statements = folder / "statements.jsonl"
    statements.write_text(statements.read_text().replace('"themes": ["uav"]', '"themes": ["uav", "border_security"]'))
    problems = check_corpus(folder, realdev=False)
    assert any(f"`themes corpus stamp {folder}` records it" in p for p in problems)
    assert main(["corpus", "stamp", str(folder)]) == 0
    assert check_corpus(folder, realdev=False) == []
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["release"], manifest["date"], manifest["theme_counts"]["border_security"]) == ("r1", "2025-01-01", 2)
    statements.write_text(statements.read_text() + "{broken\n")
    assert main(["corpus", "stamp", str(folder)]) == 1
    assert f"{statements}:3: invalid JSON" in capsys.readouterr().err
    assert json.loads((folder / "manifest.json").read_text()) == manifest  # nothing written


def test_cli_corpus_stats_json(capsys, corpus):
    assert main(["corpus", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["statements"] == len(corpus)
    assert set(stats["per_theme"]) == set(THEME_IDS)


def test_release_2025_3_adds_new_writers_and_bodies_and_corrects_labels():
    releases = shipped_releases()
    before, _ = merge_releases(releases[:2])
    after, report = merge_releases(releases)
    added = report.added["2025.3"]
    assert len(added) >= 1000
    new_styles = {s.style for s in after if s.id in set(added)} - {s.style for s in before}
    assert len(new_styles) >= 6  # bodies no earlier release imitates
    # Audit corrections: same id and text, new themes.
    assert len(report.relabelled["2025.3"]) >= 40
    old = {s.id: s for s in before}
    new = {s.id: s for s in after}
    for rid, was, now in report.relabelled["2025.3"]:
        assert old[rid].text == new[rid].text and was != now


def test_a_release_given_by_its_statements_file_names_the_folder_to_give(tmp_path):
    folder = write_release([GOOD], tmp_path / "r1", "r1")
    with pytest.raises(CorpusError, match=rf"is a file; a release is the folder .*: give {folder}$"):
        merge_releases([folder / "statements.jsonl"])
    assert check_corpus(folder / "statements.jsonl", realdev=False) == [
        f"{folder / 'statements.jsonl'}: is a file; a release is the folder that holds statements.jsonl "
        f"and manifest.json: give {folder}"
    ]


def test_realdev_is_found_beside_the_current_folder_when_the_package_lives_elsewhere(tmp_path, monkeypatch):
    # After `pip install .` the package sits in site-packages, not in the checkout: the
    # checkout the user runs from (its ../shared/realdev) is looked at too.
    import themes.corpus as corpus

    checkout, realdev = tmp_path / "checkout", tmp_path / "shared" / "realdev"
    checkout.mkdir()
    realdev.mkdir(parents=True)
    (realdev / "statements.jsonl").write_text(json.dumps({"id": "r1", "text": "The budget was adopted.", "themes": []}) + "\n")
    monkeypatch.delenv("THEMES_REALDEV", raising=False)
    monkeypatch.setattr(corpus, "_PACKAGE", tmp_path / "venv" / "lib" / "site-packages" / "themes")
    monkeypatch.chdir(checkout)
    assert corpus.find_realdev() == realdev
    monkeypatch.chdir(tmp_path)
    assert corpus.find_realdev() is None
