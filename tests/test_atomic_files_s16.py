"""Single files rewritten in place go through one atomic write (session 16).

``stamp_release`` (a release's manifest) and the archive's ``filter_summary`` (the summary
file, on resume) each had their own temporary-file-and-rename: the summary's data was not
synced before the rename (a power loss could publish an empty file) and its temporary file
was made by ``mkstemp``, so the summary came back readable by its owner alone. Both now
write through :func:`themes.atomic.replaced_file`: synced, renamed in one step, permissions
kept, and an interrupted write leaves the old file whole.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

import themes.atomic as atomic
from themes.archive.output import filter_summary
from themes.corpus import stamp_release, write_release

SOURCES = Path(atomic.__file__).parent


def _record(rid: str, text: str) -> dict:
    return {"id": rid, "text": text, "themes": ["uav"], "context": None, "style": "unknown", "lang": "en"}


def _summary(path: Path, bulletins: list[str]) -> Path:
    path.write_text("".join(json.dumps({"bulletin": b, "statements": 1}) + "\n" for b in bulletins), encoding="utf-8")
    return path


@pytest.fixture
def hand_corrected(tmp_path) -> Path:
    """A release whose statements.jsonl was corrected by hand: its manifest waits for a stamp."""
    release = write_release([_record("a-1", "Drones hit the base.")], tmp_path / "r1", "r1", None, "2027-01-01")
    with open(release / "statements.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(_record("a-2", "Drones hit the port.")) + "\n")
    return release


def _fail_on_replace(monkeypatch):
    """The rename that publishes the new file fails, as a full disk or a kill at that moment."""

    def refuse(src, dst):
        raise KeyboardInterrupt("interrupted before the rename")

    monkeypatch.setattr(atomic.os, "replace", refuse)


def _fail_midway(monkeypatch, after: int):
    """The write stops after ``after`` bytes: the staging file holds half of the new content."""
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[:after])
            self.fh.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))


def _left_beside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_both_writers_go_through_the_atomic_file_write():
    for module in ("corpus.py", "archive/output.py"):
        source = (SOURCES / module).read_text(encoding="utf-8")
        assert "write_file(" in source or "replaced_file(" in source, module
        assert "os.replace(" not in source and "mkstemp(" not in source, module


@pytest.mark.parametrize("failure", ["midway", "rename"])
def test_an_interrupted_stamp_leaves_the_old_manifest_whole(hand_corrected, monkeypatch, failure):
    manifest = hand_corrected / "manifest.json"
    before = manifest.read_bytes()
    if failure == "midway":
        _fail_midway(monkeypatch, after=10)
    else:
        _fail_on_replace(monkeypatch)
    with pytest.raises((OSError, KeyboardInterrupt)):
        stamp_release(hand_corrected)
    assert manifest.read_bytes() == before
    assert _left_beside(hand_corrected) == []  # no staging file left behind


@pytest.mark.parametrize("failure", ["midway", "rename"])
def test_an_interrupted_summary_rewrite_leaves_the_old_summary_whole(tmp_path, monkeypatch, failure):
    summary = _summary(tmp_path / "scores.summary.jsonl", ["a.txt", "b.txt", "c.txt"])
    before = summary.read_bytes()
    if failure == "midway":
        _fail_midway(monkeypatch, after=5)
    else:
        _fail_on_replace(monkeypatch)
    with pytest.raises((OSError, KeyboardInterrupt)):
        filter_summary(summary, {"a.txt"})
    assert summary.read_bytes() == before
    assert _left_beside(tmp_path) == []


def test_the_summary_rewrite_is_synced_before_it_is_renamed_into_place(tmp_path, monkeypatch):
    summary = _summary(tmp_path / "scores.summary.jsonl", ["a.txt", "b.txt"])
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    filter_summary(summary, {"b.txt"})
    assert [json.loads(line)["bulletin"] for line in summary.read_text(encoding="utf-8").splitlines()] == ["b.txt"]
    assert events[:2] == ["fsync", "replace"]


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX permissions")
def test_the_summary_and_the_manifest_keep_their_permissions(tmp_path, hand_corrected):
    summary = _summary(tmp_path / "scores.summary.jsonl", ["a.txt", "b.txt"])
    summary.chmod(0o644)
    (hand_corrected / "manifest.json").chmod(0o640)
    filter_summary(summary, {"a.txt"})
    stamp_release(hand_corrected)
    assert stat.S_IMODE(summary.stat().st_mode) == 0o644  # mkstemp had made it 0o600
    assert stat.S_IMODE((hand_corrected / "manifest.json").stat().st_mode) == 0o640


def test_a_stamp_through_a_symbolic_link_replaces_the_file_and_keeps_the_link(tmp_path, hand_corrected):
    real = tmp_path / "manifest-real.json"
    (hand_corrected / "manifest.json").rename(real)
    (hand_corrected / "manifest.json").symlink_to(real)
    manifest = stamp_release(hand_corrected)
    assert (hand_corrected / "manifest.json").is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["n_statements"] == manifest["n_statements"] == 2
