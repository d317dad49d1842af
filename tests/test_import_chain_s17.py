"""Session 17: ``import_export`` (Python) places a release in the chain as ``themes import`` does.

The command refused a fork and, without ``--builds-on``, built on the newest release beside
``--out`` (else the newest shipped one), but the plain function it wraps did neither: a
release written from a notebook built on nothing, and ``themes corpus check`` and
``themes train`` then refused it as a broken chain; a ``builds_on`` that another release
already had was written as a fork. The checks and the default are the function's now; the
command only parses and prints. ``first_of_chain=True`` asks for no base explicitly.
"""

from __future__ import annotations

import json

import pytest

from themes.cli import main
from themes.corpus import check_corpus, read_manifest, shipped_corpus_path, shipped_releases
from themes.errors import ParameterError
from themes.importers import import_export

from conftest import builds_on_of, one_statement_release


def _newest_shipped() -> str:
    return read_manifest(shipped_releases()[-1])["release"]


def test_without_builds_on_a_release_beside_others_builds_on_the_newest_of_them(chain, sheet):
    report = import_export("csv", sheet, chain / "nb1")
    assert builds_on_of(chain / "nb1") == "dc1"
    assert (report.builds_on, report.builds_on_from) == ("dc1", "folder")
    assert json.loads((chain / "nb1" / "import_report.json").read_text(encoding="utf-8"))["builds_on"] == "dc1"


def test_without_builds_on_and_no_release_beside_it_builds_on_the_newest_shipped_release(tmp_path, sheet):
    report = import_export("csv", sheet, tmp_path / "releases" / "2027.1")
    assert builds_on_of(tmp_path / "releases" / "2027.1") == _newest_shipped()
    assert (report.builds_on, report.builds_on_from) == (_newest_shipped(), "shipped")


def test_a_base_that_already_has_a_successor_is_refused_before_the_export_is_read(chain, tmp_path):
    missing = tmp_path / "not-read.csv"  # the refusal comes first: nothing read, nothing written
    with pytest.raises(ParameterError) as caught:
        import_export("csv", missing, chain / "nb1", release="nb.1", builds_on="ls1")
    assert str(caught.value) == (
        f"builds_on='ls1': release dc1 ({chain / 'dc1'}) already builds on ls1; release nb.1 on ls1 too would fork "
        "the chain (merging would apply one over changes it was not made against). To put it after dc1, give "
        "builds_on='dc1'"
    )
    assert sorted(p.name for p in chain.iterdir()) == ["dc1", "ls1"]


def test_the_base_the_refusal_gives_is_accepted_and_the_chain_checks(chain, sheet):
    with pytest.raises(ParameterError) as caught:
        import_export("csv", sheet, chain / "nb1", builds_on="ls1")
    given = str(caught.value).rpartition("give builds_on=")[2].strip("'")
    assert import_export("csv", sheet, chain / "nb1", builds_on=given).builds_on == "dc1"
    assert check_corpus(chain, realdev=False) == []


def test_a_release_imported_again_with_force_keeps_its_base(chain, sheet):
    one_statement_release(chain, "pr1", "dc1")  # ls1 <- dc1 <- pr1
    report = import_export("csv", sheet, chain / "dc1", force=True)
    # Not pr1 (the newest beside it, which builds on dc1: a cycle), nor nothing.
    assert builds_on_of(chain / "dc1") == "ls1"
    assert (report.builds_on, report.builds_on_from) == ("ls1", "replaced")
    import_export("csv", sheet, chain / "dc1", builds_on="ls1", force=True)  # its own successor: no fork
    assert check_corpus(chain, realdev=False) == []


def test_first_of_chain_asks_for_no_base_explicitly(chain, sheet):
    report = import_export("csv", sheet, chain / "own", first_of_chain=True)
    assert (report.builds_on, report.builds_on_from) == (None, "first_of_chain")
    assert builds_on_of(chain / "own") is None
    # It is what the check then refuses after another release: asked for, not a default.
    assert check_corpus([chain / "own"], realdev=False) == []
    with pytest.raises(ParameterError, match=r"first_of_chain.*builds_on='dc1'"):
        import_export("csv", sheet, chain / "own2", builds_on="dc1", first_of_chain=True)
    assert not (chain / "own2").exists()


@pytest.mark.parametrize("bad", ["", "  ", 3])
def test_a_builds_on_that_is_no_release_name_is_refused(tmp_path, sheet, bad):
    with pytest.raises(ParameterError, match=r"The 'builds_on' parameter of import_export must be a release name"):
        import_export("csv", sheet, tmp_path / "r", builds_on=bad)
    assert not (tmp_path / "r").exists()


def test_releases_imported_from_python_pass_the_corpus_check_on_top_of_the_shipped_ones(tmp_path, sheet):
    releases = tmp_path / "releases"
    import_export("csv", sheet, releases / "2027.1")
    other = tmp_path / "more.csv"
    other.write_text("text,themes\nA courier carried cash for the cell across the border.,financing\n", encoding="utf-8")
    assert import_export("csv", other, releases / "2027.2").builds_on == "2027.1"
    # What `themes corpus check releases/` checks: the shipped releases, then the folder.
    assert check_corpus([shipped_corpus_path(), releases], realdev=False) == []
    assert check_corpus([releases], realdev=False) == []  # --no-shipped: its chain starts at a shipped release


def test_the_command_says_the_base_the_function_chose(chain, sheet, capsys):
    assert main(["import", "csv", str(sheet), "--out", str(chain / "cli1"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    report = import_export("csv", sheet, chain / "py1", builds_on=None)
    # The two are in one line, dc1 <- cli1 <- ...: the function reads the command's release.
    assert (printed["builds_on"], report.builds_on) == ("dc1", "cli1")
