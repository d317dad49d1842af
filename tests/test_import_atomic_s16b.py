"""Stale single-file staging, the import into a chain, and a missing base (session 16, b).

1. A killed single-file write (:func:`themes.atomic.replaced_file`: a stamped manifest, a
   filtered archive summary) left its hidden ``.<name>.*.partial`` file beside the target for
   good: only staging folders were cleaned up. The next write of the target now removes the
   partial files of it that no running write holds (the lock, as for folders); a write still
   running keeps its own.
2. ``themes import --builds-on NAME`` with a release beside ``--out`` that already builds on
   NAME made a fork silently (``themes corpus check`` found it later). It is refused before
   anything is written, naming NAME, its successor and the ``--builds-on`` that puts the new
   release after it; the release imported again with ``--force`` keeps its place.
3. ``themes corpus check --no-shipped`` of two releases on a missing release (a shipped one,
   left out) said "missing" for each and a fork for the second. The missing base is said once
   per release, with the command that mends the chain; releases whose shared base is missing
   are no fork.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import themes.atomic as atomic
from themes.atomic import remove_stale_staging, replaced_file, write_file
from themes.cli import main
from themes.corpus import check_corpus, shipped_releases

from conftest import builds_on_of, one_statement_release


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


# ------------------------------------- 2. an import on a release that has a successor is refused


def test_an_import_on_a_release_that_has_a_successor_is_refused_before_writing(chain, sheet, capsys):
    out = chain / "sheet1"
    assert main(["import", "csv", str(sheet), "--out", str(out), "--builds-on", "ls1"]) == 2
    assert capsys.readouterr().err == (
        f"themes: error: --builds-on ls1: release dc1 ({chain / 'dc1'}) already builds on ls1; release sheet1 on ls1 "
        "too would fork the chain (merging would apply one over changes it was not made against). To put it after "
        "dc1, give --builds-on dc1\n"
    )
    assert sorted(p.name for p in chain.iterdir()) == ["dc1", "ls1"]  # nothing written, not even staging
    assert check_corpus(chain, realdev=False) == []


def test_the_option_the_refusal_names_puts_the_release_after_the_successor(chain, sheet, capsys):
    out = chain / "sheet1"
    main(["import", "csv", str(sheet), "--out", str(out), "--builds-on", "ls1"])
    option = capsys.readouterr().err.rstrip("\n").rpartition("give ")[2]
    assert option == "--builds-on dc1"
    assert main(["import", "csv", str(sheet), "--out", str(out), *option.split()]) == 0
    assert builds_on_of(out) == "dc1"
    assert check_corpus(chain, realdev=False) == []


def test_a_longer_line_after_the_base_names_its_newest_release_as_the_base(chain, sheet, capsys):
    one_statement_release(chain, "pr1", "dc1")
    assert main(["import", "csv", str(sheet), "--out", str(chain / "sheet1"), "--release-name", "s1", "--builds-on", "ls1"]) == 2
    err = capsys.readouterr().err
    assert f"release dc1 ({chain / 'dc1'}) already builds on ls1; the newest release after it is pr1 ({chain / 'pr1'})" in err
    assert "release s1 on ls1 too would fork the chain" in err
    assert err.endswith("To put it after pr1, give --builds-on pr1\n")


def test_a_release_imported_again_with_force_keeps_its_base(chain, sheet, capsys):
    # dc1 is the successor of ls1: imported again in its own folder, it is no fork of itself.
    assert main(["import", "csv", str(sheet), "--out", str(chain / "dc1"), "--builds-on", "ls1", "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "builds on ls1 (--builds-on)"
    assert builds_on_of(chain / "dc1") == "ls1"
    assert check_corpus(chain, realdev=False) == []
    # Without --force the release that is there is refused as before (not as a fork).
    assert main(["import", "csv", str(sheet), "--out", str(chain / "dc1"), "--builds-on", "ls1"]) == 1
    assert "--force" in capsys.readouterr().err


def test_a_release_of_another_name_in_a_successors_folder_is_refused(chain, sheet, capsys):
    # --force replaces the folder, but the successor of ls1 is dc1, not the new release.
    one_statement_release(chain, "x1", "dc1")
    assert main(["import", "csv", str(sheet), "--out", str(chain / "x1"), "--builds-on", "ls1", "--force"]) == 2
    assert "release dc1" in capsys.readouterr().err
    assert builds_on_of(chain / "x1") == "dc1"


def test_the_default_base_is_still_the_newest_release(chain, sheet, capsys):
    out = chain / "sheet1"
    assert main(["import", "csv", str(sheet), "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"builds on dc1 (the newest release in {chain}{os.sep}; --builds-on to choose another)"
    assert builds_on_of(out) == "dc1"
    assert main(["import", "csv", str(sheet), "--out", str(out), "--force"]) == 0  # its base kept, no fork
    assert builds_on_of(out) == "dc1"
    assert check_corpus(chain, realdev=False) == []


def test_a_base_whose_successor_is_a_shipped_release_is_refused(tmp_path, sheet, capsys):
    older, newest = (json.loads((p / "manifest.json").read_text(encoding="utf-8"))["release"] for p in shipped_releases()[-2:])
    out = tmp_path / "releases" / "2027.1"
    assert main(["import", "csv", str(sheet), "--out", str(out), "--builds-on", older]) == 2
    assert capsys.readouterr().err.endswith(f"To put it after {newest}, give --builds-on {newest}\n")
    assert not out.parent.exists()
    assert main(["import", "csv", str(sheet), "--out", str(out), "--builds-on", newest]) == 0


# ------------------------- 3. releases on a missing base: the base said once each, no fork
def _manifest_line(release: Path) -> str:
    path = release / "manifest.json"
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '"builds_on"' in text)
    return f"{path}:{line}"


def _shipped(position: int) -> tuple[str, Path]:
    folder = shipped_releases()[position]
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["release"], folder


@pytest.fixture
def on_shipped(tmp_path) -> Path:
    """a and b both build on the newest shipped release."""
    newest, _ = _shipped(-1)
    releases = tmp_path / "releases"
    one_statement_release(releases, "a", newest)
    one_statement_release(releases, "b", newest)
    return releases


def test_checked_alone_releases_on_a_shipped_base_get_the_missing_base_once_each_and_no_fork(on_shipped, capsys):
    # The first starts the chain on the shipped release left out (session 16: themes import
    # gives a release with none beside it the newest shipped one); the second is told once.
    newest, folder = _shipped(-1)
    a, b = on_shipped / "a", on_shipped / "b"
    assert main(["corpus", "check", "--no-shipped", str(on_shipped)]) == 1
    shipped = (
        f"builds on release {newest!r}, which is missing: a shipped release ({folder}), left out here; "
        "`themes corpus check` without --no-shipped checks releases on top of the shipped ones"
    )
    assert capsys.readouterr().out.splitlines() == [
        f"{_manifest_line(b)}: {shipped}; if it builds on release 'a' ({a}) before it, run "
        f"`themes corpus stamp {b} --builds-on a`",
    ]
    assert main(["corpus", "check", "--no-shipped", str(a)]) == 0


def test_the_command_the_missing_base_names_mends_the_chain(on_shipped, capsys):
    (problem,) = check_corpus(on_shipped, realdev=False, chain=True)
    command = problem.rpartition("run `")[2].rstrip("`").split()
    assert command[:3] == ["themes", "corpus", "stamp"]
    assert main(command[1:]) == 0
    capsys.readouterr()
    # On top of the shipped releases a builds on the newest one, b on a: one chain.
    assert main(["corpus", "check", str(on_shipped)]) == 0


def test_on_top_of_the_shipped_releases_the_same_two_are_a_fork(on_shipped):
    (problem,) = check_corpus([shipped_releases()[0].parent, on_shipped], realdev=False)
    assert "a fork in the chain" in problem and problem.endswith(f"`themes corpus stamp {on_shipped / 'b'} --builds-on a`")


def test_releases_on_a_base_that_is_no_release_anywhere(tmp_path):
    releases = tmp_path / "releases"
    a, b = one_statement_release(releases, "a", "ghost"), one_statement_release(releases, "b", "ghost")
    assert check_corpus(releases, realdev=False) == [
        f"{_manifest_line(a)}: builds on release 'ghost', which is missing",
        f"{_manifest_line(b)}: builds on release 'ghost', which is missing; if it builds on release 'a' ({a}) before "
        f"it, run `themes corpus stamp {b} --builds-on a`",
    ]
