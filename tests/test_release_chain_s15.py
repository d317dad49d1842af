"""The chain of releases in training and comparing (session 15).

1. ``themes train --no-shipped --compare`` measured the new model on the test split of the
   shipped corpus too, which it never saw: ``compare_models`` merged the shipped releases
   under the given ones whatever the training had done (``include_shipped``).
2. ``themes corpus check`` refused a release after the first that builds on nothing, but
   ``themes train`` and ``themes compare`` merged it without a word. They now refuse what the
   check refuses, with the command that names its base (``themes corpus stamp DIR
   --builds-on NAME``), which an analyst who imported an export without ``--builds-on``
   runs as printed.

Tiny literal releases; the trainings are the tiny configuration's.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest
from conftest import TINY_CONFIG, tiny_statements, write_tiny_release

from themes.cli import main
from themes.compare import compare_models
from themes.corpus import is_test_id, merge_releases, shipped_releases
from themes.errors import CorpusError, InvalidInputError


def _last_shipped() -> str:
    return json.loads((shipped_releases()[-1] / "manifest.json").read_text(encoding="utf-8"))["release"]


def _tiny_test_ids() -> set[str]:
    return {s.id for s in tiny_statements() if is_test_id(s.id)}


def _line_of(path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if f'"{key}"' in line)


# ------------------------------------------- 1. --no-shipped compares on what the model saw
def test_compare_without_the_shipped_corpus_holds_out_the_test_split_of_the_releases_alone(tiny_model_dir, tmp_path):
    release = write_tiny_release(tmp_path / "tiny")
    result = compare_models(tiny_model_dir, tiny_model_dir, releases=[release], include_shipped=False)
    assert result["n"] == len(_tiny_test_ids())
    assert {f["id"] for f in result["flips"]} <= _tiny_test_ids()
    assert result["data"].startswith(f"test split of {release} (without the shipped corpus)")
    assert result["warnings"] == []  # the tiny model was trained on tiny.1 alone: nothing left out


def test_train_no_shipped_compare_holds_out_only_the_test_split_of_its_releases(tiny_model_dir, tmp_path, capsys):
    release = write_tiny_release(tmp_path / "tiny")
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(TINY_CONFIG), encoding="utf-8")
    argv = ["train", "--no-shipped", "--no-loso", "--config", str(config), "--release", str(release),
            "--out", str(tmp_path / "candidate"), "--compare", str(tiny_model_dir), "--json"]
    assert main(argv) == 0
    comparison = json.loads(capsys.readouterr().out)["comparison"]
    # Before: the thousands of shipped test statements came first, on which the candidate never trained.
    assert comparison["n"] == len(_tiny_test_ids())
    assert "shipped corpus)" in comparison["data"] and "without" in comparison["data"]


def test_compare_cli_no_shipped_holds_out_the_releases_alone(tiny_model_dir, tmp_path, capsys):
    release = write_tiny_release(tmp_path / "tiny")
    assert main(["compare", str(tiny_model_dir), str(tiny_model_dir), "--no-shipped", "--release", str(release), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == len(_tiny_test_ids())
    assert main(["compare", str(tiny_model_dir), str(tiny_model_dir), "--no-shipped"]) == 2
    assert "give at least one --release DIR" in capsys.readouterr().err


def test_compare_models_without_the_shipped_corpus_needs_releases_or_data(tiny_model_dir):
    with pytest.raises(InvalidInputError, match=r"include_shipped=False and no releases; give the releases"):
        compare_models(tiny_model_dir, tiny_model_dir, include_shipped=False)


def test_a_model_trained_on_the_shipped_corpus_is_told_what_no_shipped_leaves_out(tiny_model_dir, tmp_path):
    from themes.api import default_model_path

    release = write_tiny_release(tmp_path / "tiny")
    result = compare_models(default_model_path(), tiny_model_dir, releases=[release], include_shipped=False)
    shipped = [w for w in result["warnings"] if "shipped release(s)" in w]
    assert len(shipped) == 1 and "leaves out (without the shipped corpus)" in shipped[0]
    assert not [w for w in result["warnings"] if "pass --release DIR" in w and _last_shipped() in w]


# ------------------------------------------------- 2. a broken chain in training and comparing
def _broken(tmp_path):
    """The analyst's release: imported without a base, given after the shipped corpus. Since
    session 17 ``import_export`` gives it the newest shipped release by default, as the
    command does: ``first_of_chain=True`` makes the broken release on purpose."""
    from themes.importers import import_export

    export = tmp_path / "labels.csv"
    export.write_text("text,themes\n" + "".join(f'"{s.text}",{";".join(s.themes)}\n' for s in tiny_statements()), encoding="utf-8")
    import_export("csv", export, tmp_path / "2027.1", release="2027.1", first_of_chain=True)
    return tmp_path / "2027.1"


def test_merging_a_release_that_builds_on_nothing_after_the_shipped_corpus_is_refused(tmp_path):
    release = _broken(tmp_path)
    manifest = release / "manifest.json"
    last = _last_shipped()
    with pytest.raises(CorpusError) as caught:
        merge_releases(shipped_releases() + [release])
    chain = [p for p in caught.value.problems if "builds on nothing" in p]
    assert chain == [
        f"{manifest}:{_line_of(manifest, 'builds_on')}: release '2027.1' (folder {release}) builds on nothing "
        f"(\"builds_on\": null), but it comes after release {last!r} ({shipped_releases()[-1]}); every release but "
        f"the first names the release it builds on: expected \"builds_on\": \"{last}\"; if it builds on that one, "
        f"run `themes corpus stamp {release} --builds-on {last}` (or import it again with --builds-on and --force)"
    ]
    # Alone (--no-shipped), the release is the first: valid.
    statements, _ = merge_releases([release])
    assert len(statements) == len(tiny_statements())


@pytest.mark.parametrize("command", ["train", "compare"])
def test_train_and_compare_refuse_a_broken_chain_before_any_work(tmp_path, capsys, tiny_model_dir, command):
    release = _broken(tmp_path)
    capsys.readouterr()
    if command == "train":
        argv = ["train", "--release", str(release), "--out", str(tmp_path / "model")]
    else:
        argv = ["compare", str(tiny_model_dir), str(tiny_model_dir), "--release", str(release)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{release / 'manifest.json'}:" in err and f"themes corpus stamp {release} --builds-on {_last_shipped()}" in err
    assert not (tmp_path / "model").exists()


def test_the_printed_stamp_command_mends_the_chain(tmp_path, capsys):
    release = _broken(tmp_path)
    before = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    with pytest.raises(CorpusError) as caught:
        merge_releases(shipped_releases() + [release])
    command = re.search(r"run `(themes corpus stamp [^`]+)`", str(caught.value)).group(1)
    assert main(shlex.split(command)[1:]) == 0
    assert f"release 2027.1 (builds on {_last_shipped()})" in capsys.readouterr().err
    after = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert after == {**before, "builds_on": _last_shipped()}  # the rest of the manifest as it was
    statements, report = merge_releases(shipped_releases() + [release])
    assert set(report.added) >= {"2027.1", _last_shipped()}


@pytest.mark.parametrize("base, match", [("", "must be a release name"), ("2027.1", "cannot build on itself")], ids=["empty", "itself"])
def test_stamp_refuses_a_base_that_is_no_release_name(tmp_path, base, match):
    from themes.corpus import stamp_release

    release = _broken(tmp_path)
    before = (release / "manifest.json").read_bytes()
    with pytest.raises(CorpusError, match=match):
        stamp_release(release, builds_on=base)
    assert (release / "manifest.json").read_bytes() == before
