"""The chain of releases and the import into it (session 16).

1. A fork in the chain (two releases that build on the same release) passed every check:
   merging applied the later one over changes it was never made against. ``themes corpus
   check`` (and train, compare, audit and stats, which merge through the same check) now
   refuse it, naming both releases, the release they share and the command that mends it.

Tiny literal releases written with :func:`themes.corpus.write_release`.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from themes.cli import main
from themes.corpus import check_corpus, merge_releases, shipped_releases, write_release
from themes.errors import CorpusError


def _record(rid: str, text: str, themes=("uav",)) -> dict:
    return {"id": rid, "text": text, "themes": list(themes), "context": None, "style": "unknown", "lang": "en"}


def _release(folder: Path, name: str, builds_on: str | None, records: list[dict]) -> Path:
    return write_release(records, folder / name, name, builds_on, "2027-01-01")


def _line_of(path: Path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if f'"{key}"' in line)


def _shipped_name(position: int) -> str:
    return json.loads((shipped_releases()[position] / "manifest.json").read_text(encoding="utf-8"))["release"]


@pytest.fixture
def fork(tmp_path) -> Path:
    """r1 <- r2 and r1 <- r3: r2 and r3 both build on r1."""
    releases = tmp_path / "releases"
    _release(releases, "r1", None, [_record("a-1", "Drones hit the base."), _record("a-2", "Funds were moved abroad.", ["financing"])])
    _release(releases, "r2", "r1", [_record("a-1", "Drones hit the base.", ["uav", "financing"])])
    _release(releases, "r3", "r1", [_record("a-3", "The pipeline was attacked.", ["critical_infrastructure"])])
    return releases


# ------------------------------------------------------------ 1. a fork in the chain is refused
def test_check_names_both_releases_the_one_they_share_and_the_mending_command(fork):
    manifest = fork / "r3" / "manifest.json"
    problems = check_corpus(fork, realdev=False)
    assert problems == [
        f"{manifest}:{_line_of(manifest, 'builds_on')}: release 'r3' (folder {fork / 'r3'}) builds on release 'r1', "
        f"as release 'r2' ({fork / 'r2'}) does: a fork in the chain; merging applies 'r3' after 'r2' "
        f"({fork / 'r2'}), over changes it was not made against; if it builds on that one, run "
        f"`themes corpus stamp {fork / 'r3'} --builds-on r2`"
    ]


def test_a_straight_chain_is_no_fork(tmp_path):
    releases = tmp_path / "releases"
    _release(releases, "r1", None, [_record("a-1", "Drones hit the base.")])
    _release(releases, "r2", "r1", [_record("a-2", "Funds were moved abroad.", ["financing"])])
    _release(releases, "r3", "r2", [_record("a-3", "The pipeline was attacked.", ["critical_infrastructure"])])
    assert check_corpus(releases, realdev=False) == []


def test_three_releases_on_one_base_each_get_the_release_before_them(tmp_path, fork):
    _release(fork, "r4", "r1", [_record("a-4", "Recruiters met online.", ["uav"])])
    forks = [p for p in check_corpus(fork, realdev=False) if "a fork in the chain" in p]
    assert len(forks) == 2
    assert forks[0].endswith(f"`themes corpus stamp {fork / 'r3'} --builds-on r2`")
    assert "release 'r4'" in forks[1] and "as release 'r2'" in forks[1]
    assert forks[1].endswith(f"`themes corpus stamp {fork / 'r4'} --builds-on r3`")


def test_corpus_check_refuses_a_release_forking_the_shipped_chain(tmp_path, capsys):
    # Made on top of the release before the newest shipped one: a fork with the newest one.
    base, newest = _shipped_name(-2), _shipped_name(-1)
    release = _release(tmp_path, "2027.1", base, [_record("s16-fork-1", "A drone struck a fuel depot at night.")])
    assert main(["corpus", "check", str(release)]) == 1
    out = capsys.readouterr().out
    assert f"release '2027.1' (folder {release}) builds on release {base!r}, as release {newest!r}" in out
    assert f"run `themes corpus stamp {release} --builds-on {newest}`" in out


@pytest.mark.parametrize("argv", [["corpus", "check", "--no-shipped"], ["corpus", "stats", "--release"]], ids=["check", "stats"])
def test_the_commands_refuse_it(fork, capsys, argv):
    folders = [str(fork)] if argv[-1] != "--release" else [str(fork / "r1"), str(fork / "r2"), str(fork / "r3")]
    args = argv + folders if argv[-1] != "--release" else argv[:-1] + [a for f in folders for a in ("--release", f)]
    assert main(args) == 1
    printed = capsys.readouterr()
    assert f"`themes corpus stamp {fork / 'r3'} --builds-on r2`" in printed.out + printed.err


def test_merging_for_train_compare_and_audit_refuses_it(fork):
    with pytest.raises(CorpusError) as caught:
        merge_releases([fork])
    assert [p for p in caught.value.problems if "a fork in the chain" in p]


def test_the_printed_command_mends_the_fork(fork, capsys):
    problem = check_corpus(fork, realdev=False)[0]
    command = re.search(r"run `(themes corpus stamp [^`]+)`", problem).group(1)
    assert main(shlex.split(command)[1:]) == 0
    assert check_corpus(fork, realdev=False) == []
    statements, report = merge_releases([fork])
    assert list(report.added) == ["r1", "r2", "r3"]
