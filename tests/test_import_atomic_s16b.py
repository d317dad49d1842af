"""Stale single-file staging, the import into a chain, and a missing base (session 16, b).

1. A killed single-file write (:func:`themes.atomic.replaced_file`: a stamped manifest, a
   filtered archive summary) left its hidden ``.<name>.*.partial`` file beside the target for
   good: only staging folders were cleaned up. The next write of the target now removes the
   partial files of it that no running write holds (the lock, as for folders); a write still
   running keeps its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import themes.atomic as atomic
from themes.atomic import remove_stale_staging, replaced_file, write_file


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def _python(code: str) -> subprocess.Popen:
    """Run ``code`` in another Python that imports this themes (not another install's)."""
    source = str(Path(atomic.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env,
    )


# ------------------------------------------------ 1. a killed single-file write is cleaned up
def test_the_partial_file_of_a_killed_write_is_removed_by_the_next_write(tmp_path):
    target = write_file(tmp_path / "summary.jsonl", b"old\n")
    killed = _python(
        f"""
        import os, signal
        from themes.atomic import replaced_file
        with replaced_file({str(target)!r}) as fh:
            fh.write(b"half")
            fh.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed.communicate(timeout=60)
    assert killed.returncode == -9
    (left,) = _partials(tmp_path)
    assert left.startswith(".summary.jsonl.")
    write_file(target, b"new\n")
    assert _partials(tmp_path) == []
    assert target.read_bytes() == b"new\n"


def test_a_partial_file_nobody_holds_is_stale(tmp_path):
    # Left by a process that is gone (no such pid), or by a write made before writes took locks.
    target = write_file(tmp_path / "manifest.json", "{}\n")
    gone = tmp_path / ".manifest.json.deadbeef.partial"
    gone.write_bytes(b"{")
    other = tmp_path / ".statements.jsonl.deadbeef.partial"  # another target's: not this write's to judge
    other.write_bytes(b"")
    assert remove_stale_staging(target) == [gone]
    write_file(gone.with_name(".manifest.json.0badf00d.partial"), b"")  # a target of that name, written whole
    write_file(target, "{}\n")
    assert _partials(tmp_path) == [".statements.jsonl.deadbeef.partial"]


def test_the_partial_file_of_a_running_write_in_another_process_is_kept(tmp_path):
    pytest.importorskip("fcntl")  # POSIX; elsewhere only partial files older than a day go
    target = write_file(tmp_path / "summary.jsonl", b"old\n")
    writer = _python(
        f"""
        import sys
        from themes.atomic import replaced_file
        with replaced_file({str(target)!r}) as fh:
            fh.write(b"theirs\\n")
            print("writing", flush=True)
            sys.stdin.read()  # until the test lets it finish
        """
    )
    try:
        assert writer.stdout.readline() == "writing\n", writer.stderr.read()
        (theirs,) = _partials(tmp_path)
        write_file(target, b"ours\n")
        assert _partials(tmp_path) == [theirs]
        assert remove_stale_staging(target) == []
        assert target.read_bytes() == b"ours\n"
    finally:
        writer.communicate("", timeout=60)
    assert writer.returncode == 0, writer.stderr
    assert _partials(tmp_path) == []
    assert target.read_bytes() == b"theirs\n"  # its write was not broken


def test_a_write_running_in_this_process_keeps_its_partial_file(tmp_path):
    pytest.importorskip("fcntl")
    target = write_file(tmp_path / "summary.jsonl", b"old\n")
    with replaced_file(target) as fh:
        fh.write(b"outer\n")
        (outer,) = _partials(tmp_path)
        write_file(target, b"inner\n")
        assert _partials(tmp_path) == [outer]
    assert _partials(tmp_path) == []
    assert target.read_bytes() == b"outer\n"


def test_a_staging_file_removed_before_its_lock_is_made_again(tmp_path, monkeypatch):
    # Another write's clean-up may find the new file before its writer locks it: the writer
    # then makes another one instead of writing into a file no longer there.
    pytest.importorskip("fcntl")
    hold, removed, armed = atomic._hold, [], [True]

    def hold_after_removal(path, wait=True):
        if armed and path.is_file():
            armed.clear()
            removed.extend(remove_stale_staging(path.parent / "summary.jsonl"))
        return hold(path, wait)

    monkeypatch.setattr(atomic, "_hold", hold_after_removal)
    target = write_file(tmp_path / "summary.jsonl", b"new\n")
    assert len(removed) == 1 and target.read_bytes() == b"new\n" and _partials(tmp_path) == []
