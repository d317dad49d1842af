"""Session 17: two edge cases of the release chain at import time.

1. A release that builds on itself (``builds_on`` equal to its own name) was written by
   ``import_export`` and ``themes import``; only ``themes corpus check`` said so later. It is
   refused now before anything is read or written.
2. A ``force`` re-import into a folder that already holds a fork (two releases there on the
   same base) kept its base without a word. It warns now (the report, import_report.json and
   the command's stderr), naming both releases and the ``themes corpus stamp`` that mends it;
   it is not refused (the analyst may be mending it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from themes.cli import main
from themes.corpus import check_corpus
from themes.errors import ParameterError
from themes.importers import import_export

from conftest import builds_on_of, one_statement_release


# 1. A release that builds on itself.


@pytest.mark.parametrize("release", ["2027.1", None])  # named by release=, or by the folder
def test_a_release_that_builds_on_itself_is_refused_before_the_export_is_read(chain, tmp_path, release):
    missing = tmp_path / "not-read.csv"  # the refusal comes first: nothing read, nothing written
    with pytest.raises(ParameterError) as caught:
        import_export("csv", missing, chain / "2027.1", release=release, builds_on="2027.1")
    assert str(caught.value) == (
        "builds_on='2027.1': release 2027.1 cannot build on itself; give the release before it (or leave "
        "builds_on out: the newest release beside it, dc1 here)"
    )
    assert sorted(p.name for p in chain.iterdir()) == ["dc1", "ls1"]


def test_the_command_refuses_a_release_that_builds_on_itself(chain, tmp_path, capsys):
    missing = tmp_path / "not-read.csv"
    code = main(["import", "csv", str(missing), "--out", str(chain / "r"), "--release-name", "2027.1", "--builds-on", "2027.1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--builds-on 2027.1: release 2027.1 cannot build on itself; give the release before it" in err
    assert "not-read.csv" not in err
    assert not (chain / "r").exists()


def test_a_release_that_builds_on_itself_imported_again_with_force_does_not_keep_that_base(chain, sheet):
    one_statement_release(chain, "self", "self")  # a manifest edited by hand
    with pytest.raises(ParameterError) as caught:
        import_export("csv", sheet, chain / "self", force=True)
    message = str(caught.value)
    assert "release self cannot build on itself" in message
    assert f"{chain / 'self' / 'manifest.json'}:" in message  # where it says so
    assert builds_on_of(chain / "self") == "self"  # untouched
    # Given a base, the release is mended.
    assert import_export("csv", sheet, chain / "self", builds_on="dc1", force=True).builds_on == "dc1"
    assert check_corpus(chain, realdev=False) == []


def test_the_check_of_a_release_on_disk_that_builds_on_itself_is_a_problem_with_its_line(chain, capsys):
    one_statement_release(chain, "pr1", "pr1")  # a manifest edited by hand
    manifest = chain / "pr1" / "manifest.json"
    line = next(i for i, text in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1) if '"builds_on"' in text)
    said = (
        f"{manifest}:{line}: release 'pr1' builds on itself; a release cannot build on itself, it names the release "
        f"before it; if it builds on release 'dc1' ({chain / 'dc1'}) before it, run "
        f"`themes corpus stamp {chain / 'pr1'} --builds-on dc1`"
    )
    assert check_corpus(chain, realdev=False) == [said]  # once, and no loop
    assert main(["corpus", "check", str(chain), "--no-shipped"]) == 1
    out = capsys.readouterr()
    assert said in out.out + out.err
    assert "Traceback" not in out.out + out.err
    # The mend it gives is one the check accepts.
    assert main(["corpus", "stamp", str(chain / "pr1"), "--builds-on", "dc1"]) == 0
    assert check_corpus(chain, realdev=False) == []


# 2. A re-import into a folder that holds a fork.


def _fork(chain: Path) -> Path:
    """ls1 <- dc1 and ls1 <- pr1: a fork."""
    one_statement_release(chain, "pr1", "ls1")
    return chain


def test_a_force_re_import_into_a_folder_that_holds_a_fork_warns_naming_both_and_the_mend(chain, sheet):
    _fork(chain)
    with pytest.warns(UserWarning, match="fork"):
        report = import_export("csv", sheet, chain / "dc1", force=True)
    assert (report.builds_on, report.builds_on_from) == ("ls1", "replaced")  # not refused, base kept
    expected = (
        f"{chain}{os.sep} holds a fork: releases dc1 ({chain / 'dc1'}) and pr1 ({chain / 'pr1'}) "
        f"both build on ls1; themes corpus check refuses it (merging would apply pr1 over changes it was not "
        f"made against). If pr1 comes after dc1, run `themes corpus stamp {chain / 'pr1'} --builds-on dc1`"
    )
    assert expected in report.warnings
    written = json.loads((chain / "dc1" / "import_report.json").read_text(encoding="utf-8"))
    assert expected in written["warnings"]
    # The mend it gives is one the check accepts.
    assert main(["corpus", "stamp", str(chain / "pr1"), "--builds-on", "dc1"]) == 0
    assert check_corpus(chain, realdev=False) == []


def test_the_command_prints_the_fork_warning(chain, sheet, capsys):
    _fork(chain)
    assert main(["import", "csv", str(sheet), "--out", str(chain / "pr1"), "--force"]) == 0
    captured = capsys.readouterr()
    warned = [line for line in captured.err.splitlines() if "holds a fork" in line]
    assert len(warned) == 1
    assert warned[0].startswith("themes: warning: ")
    assert "releases dc1" in warned[0] and "and pr1" in warned[0]
    assert f"themes corpus stamp {chain / 'pr1'} --builds-on dc1" in warned[0]
    assert builds_on_of(chain / "pr1") == "ls1"
    # Mended by importing it again on dc1: no fork, no warning.
    assert main(["import", "csv", str(sheet), "--out", str(chain / "pr1"), "--force", "--builds-on", "dc1"]) == 0
    assert "holds a fork" not in capsys.readouterr().err
    assert check_corpus(chain, realdev=False) == []


def test_no_fork_warning_in_a_folder_without_one(chain, sheet):
    report = import_export("csv", sheet, chain / "dc1", force=True)
    assert not [w for w in report.warnings if "fork" in w]
