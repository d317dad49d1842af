"""One atomic folder write for a model and a release (themes.atomic, session 15).

``themes.corpus.write_release`` had copied the staging, locking, swapping and clean-up of
``themes.artifact.save_model``; both now go through ``themes.atomic.staged_folder``. These
tests pin what the move must keep: the module sits below both (standard library only), and
both writers get the same swap, fallback included, and leave nothing when interrupted.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

import themes.artifact as artifact
import themes.atomic as atomic
from themes.artifact import load_model, save_model
from themes.corpus import read_release, write_release

ATOMIC = Path(atomic.__file__)


def _record(rid: str, text: str) -> dict:
    return {"id": rid, "text": text, "themes": ["uav"], "context": None, "style": "unknown", "lang": "en"}


def _everything_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_atomic_imports_only_the_standard_library():
    tree = ast.parse(ATOMIC.read_text(encoding="utf-8"))
    roots = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    roots |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert roots - {"__future__"} <= set(sys.stdlib_module_names), roots - set(sys.stdlib_module_names)


def test_the_model_and_the_release_writers_share_it():
    assert artifact.remove_stale_staging is atomic.remove_stale_staging
    for module in ("artifact", "corpus"):
        source = (ATOMIC.parent / f"{module}.py").read_text(encoding="utf-8")
        assert "staged_folder(" in source, module
        assert "def _replace_folder" not in source and "renameat2" not in source, module


@pytest.fixture
def no_exchange(monkeypatch):
    """The fallback swap (two renames through ``.<name>.old``), as where renameat2 is missing."""
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)


def test_a_release_is_replaced_by_the_fallback_swap_too(tmp_path, no_exchange):
    target = write_release([_record("a-1", "Drones hit the base.")], tmp_path / "r1", "r1", None, "2027-01-01")
    write_release([_record("b-1", "Drones hit the port.")], target, "r1", None, "2027-01-02", force=True)
    assert [r["id"] for _, r in read_release(target).records] == ["b-1"]
    assert _everything_under(tmp_path) == ["r1", "r1/manifest.json", "r1/statements.jsonl"]  # no .r1.old left


def test_a_failed_second_rename_of_the_fallback_puts_the_old_release_back(tmp_path, no_exchange, monkeypatch):
    target = write_release([_record("a-1", "Drones hit the base.")], tmp_path / "r1", "r1", None, "2027-01-01")
    before = (target / "statements.jsonl").read_bytes()
    real_rename = atomic.os.rename

    def rename(a, b):
        if str(a).endswith(atomic.STAGING_SUFFIX):
            raise OSError(18, "Invalid cross-device link")
        real_rename(a, b)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(OSError, match="cross-device"):
        write_release([_record("b-1", "Drones hit the port.")], target, "r1", None, "2027-01-02", force=True)
    assert (target / "statements.jsonl").read_bytes() == before
    assert _everything_under(tmp_path) == ["r1", "r1/manifest.json", "r1/statements.jsonl"]


def test_an_interrupted_model_save_leaves_nothing_not_even_its_parent_folders(tmp_path, tiny_model_dir, monkeypatch):
    model = load_model(tiny_model_dir)
    real_write_json = artifact._write_json

    def interrupted(path, obj):
        if path.name == "manifest.json":
            raise KeyboardInterrupt
        real_write_json(path, obj)

    monkeypatch.setattr(artifact, "_write_json", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, tmp_path / "models" / "2027" / "current", model.manifest)
    assert _everything_under(tmp_path) == []


def test_a_model_replaced_by_the_fallback_swap_is_whole(tmp_path, tiny_model_dir, no_exchange):
    model = load_model(tiny_model_dir)
    out = save_model(model, tmp_path / "current", model.manifest)
    save_model(model, out, {**model.manifest, "name": "renamed"}, force=True)
    assert load_model(out).name == "renamed"
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["name"] == "renamed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current"]


def test_a_model_saved_over_a_symlinked_folder_replaces_what_it_points_to(tmp_path, tiny_model_dir):
    model = load_model(tiny_model_dir)
    dated = save_model(model, tmp_path / "themes-2027.1", model.manifest)
    link = tmp_path / "current"
    link.symlink_to(dated.name)
    save_model(model, link, {**model.manifest, "name": "renamed"}, force=True)
    assert link.is_symlink() and link.resolve() == dated.resolve()
    assert load_model(link).name == "renamed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "themes-2027.1"]


def test_a_release_written_over_a_symlinked_folder_replaces_what_it_points_to(tmp_path):
    dated = write_release([_record("a", "Drones over the border.")], tmp_path / "tiny-2027.1", "2027.1", None, "2027-01-01")
    link = tmp_path / "current"
    link.symlink_to(dated.name)
    write_release([_record("b", "Drones again.")], link, "2027.1", None, "2027-01-02", force=True)
    assert link.is_symlink() and [r["id"] for _, r in read_release(dated).records] == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "tiny-2027.1"]
