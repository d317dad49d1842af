"""The model folder: save, reload, atomicity, manifest schema, and what inference imports."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import themes.artifact as artifact
from themes import classify, load_model
from themes.artifact import FORMAT_VERSION, MANIFEST_SCHEMA, save_model, sha256_file
from themes.errors import OutputExistsError
from themes.schemas import Manifest, schema_problems
from themes.taxonomy import THEME_IDS

from conftest import tiny_statements

SRC = Path(artifact.__file__).resolve().parent
INFERENCE_MODULES = [*(f"text/{p.stem}" for p in sorted((SRC / "text").glob("*.py"))), "model", "artifact", "api", "embedding", "packaged"]
TRAINING = {"themes.corpus", "themes.train", "themes.evaluate", "themes.importers", "sklearn", "scipy"}
# What classify loads never unpickles: the core inference modules do not even import pickle.
FORBIDDEN = TRAINING | {"joblib", "pickle"}
# The archive side of inference, where it exists: no training modules either.
ARCHIVE_MODULES = sorted(
    p.relative_to(SRC).with_suffix("").as_posix()
    for p in [
        SRC / "segment.py", SRC / "jsonlines.py", SRC / "table.py",
        *sorted((SRC / "archive").glob("*.py")), *sorted((SRC / "trends").glob("*.py")), *sorted((SRC / "readers").glob("*.py")),
    ]
    if p.is_file()
)

PROBES = [
    "Drones were used to attack the checkpoint.",
    "Hawala channels move money for terrorist financing.",
    "The chairman opened the session.",
    "",
]


@pytest.fixture(scope="module")
def tiny_manifest(tiny_run):
    from themes.train import build_manifest

    return build_manifest(tiny_run, name="tiny-saved")


@pytest.fixture
def saved(tmp_path, tiny_model, tiny_manifest):
    return save_model(tiny_model, tmp_path / "model", tiny_manifest, model_card="# card\n")


def folder_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_overfit_save_reload_gives_identical_predictions(tiny_model, saved):
    texts = [s.text for s in tiny_statements()] + PROBES
    reloaded = load_model(saved)
    np.testing.assert_array_equal(reloaded.predict_proba(texts), tiny_model.predict_proba(texts))
    np.testing.assert_array_equal(reloaded.thresholds, tiny_model.thresholds)
    assert reloaded.themes == tiny_model.themes == tuple(THEME_IDS)
    for text in texts:
        assert classify(text, model=reloaded).themes == classify(text, model=tiny_model).themes


def test_tiny_model_learns_its_corpus(tiny_model):
    statements = tiny_statements()
    results = classify([s.text for s in statements], model=tiny_model)
    hits = sum(set(s.themes) <= set(r.themes) for s, r in zip(statements, results) if s.themes)
    assert hits >= 0.9 * sum(bool(s.themes) for s in statements)


def test_training_twice_gives_the_same_model(tiny_model, tiny_model_dir):
    """The folder written by ``train`` (same corpus, same seed) predicts as the fitted model."""
    texts = [s.text for s in tiny_statements()] + PROBES
    np.testing.assert_allclose(load_model(tiny_model_dir).predict_proba(texts), tiny_model.predict_proba(texts), atol=1e-12)


def test_save_refuses_to_overwrite_without_force(tiny_model, tiny_manifest, saved):
    before = folder_hashes(saved)
    with pytest.raises(OutputExistsError, match=r"already exists.*force"):
        save_model(tiny_model, saved, {**tiny_manifest, "name": "other"})
    assert folder_hashes(saved) == before
    save_model(tiny_model, saved, {**tiny_manifest, "name": "other"}, force=True)
    assert load_model(saved).name == "other"
    assert not [p for p in saved.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "over-existing"])
@pytest.mark.parametrize("fail_in", ["_write_json", "sha256_file"])
def test_save_is_atomic(tmp_path, tiny_model, tiny_manifest, monkeypatch, existing, fail_in):
    target = tmp_path / "model"
    if existing:
        save_model(tiny_model, target, tiny_manifest)
        before = folder_hashes(target)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(artifact, fail_in, broken)
    with pytest.raises(OSError, match="No space left"):
        save_model(tiny_model, target, {**tiny_manifest, "name": "new"}, force=True)
    monkeypatch.undo()
    if existing:
        assert folder_hashes(target) == before
        assert load_model(target).name == "tiny-saved"
    else:
        assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == (["model"] if existing else [])


def test_manifest_has_every_documented_key(saved):
    manifest = json.loads((saved / "manifest.json").read_text(encoding="utf-8"))
    for key, (kind, required) in MANIFEST_SCHEMA.items():
        if required:
            assert key in manifest, key
        if key in manifest:
            assert isinstance(manifest[key], kind), key
    assert manifest["format"] == "themes-model"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["themes"] == list(THEME_IDS)
    assert set(manifest["thresholds"]) == set(THEME_IDS)
    assert {"themes", "scikit-learn", "numpy", "python"} <= set(manifest["versions"])
    assert {"config", "seed"} <= set(manifest["training"])
    assert "cross_validation" in manifest["metrics"]
    on_disk = folder_hashes(saved)
    on_disk.pop("manifest.json")
    assert manifest["files"] == on_disk
    assert {"arrays.npz", "features.json", "MODEL_CARD.md"} <= set(manifest["files"])


def test_trained_folder_holds_no_pickle(tiny_model_dir):
    manifest = json.loads((tiny_model_dir / "manifest.json").read_text(encoding="utf-8"))
    assert not [name for name in manifest["files"] if name.endswith((".joblib", ".pkl", ".pickle"))]
    assert not list(tiny_model_dir.glob("*.joblib"))
    assert manifest["name"] == "tiny-model"


def test_default_model_folder_follows_the_schema():
    from themes.api import default_model_path

    manifest = artifact.read_manifest(default_model_path())
    artifact.verify_files(Path(default_model_path()), manifest)
    assert manifest["themes"] == list(THEME_IDS)


def test_load_model_runs_without_scikit_learn():
    code = (
        "import sys, themes\n"
        "r = themes.classify('Participants discussed countering terrorist use of drones.')\n"
        "assert 'uav' in r.themes, r.themes\n"
        "r.explain(k=2)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'joblib'))\n"
        "training = sorted(m for m in sys.modules if m in ('themes.train', 'themes.corpus', 'themes.evaluate'))\n"
        "print(heavy, training)\n"
        "assert not heavy and not training\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "THEMES_MODEL"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the themes package
                base = "themes" if node.level == 1 else ""
                module = f"{base}.{node.module}" if node.module else base
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _forbidden_imports(path: Path, forbidden: set[str]) -> list[str]:
    imported = _imports(path)
    return sorted(name for name in imported if any(name == f or name.startswith(f + ".") for f in forbidden))


# Large batches sum their feature rows with one scipy.sparse product (themes.model._sum_rows),
# and the piece vectors of many new words likewise (themes.text.lookup.WordPieceIndex); scipy
# comes with scikit-learn's install but nothing else of scipy is used at inference.
INFERENCE_ALLOWED = {name: {"scipy.sparse", "scipy.sparse.csr_matrix"} for name in ("model", "text/lookup")}


@pytest.mark.parametrize("module", INFERENCE_MODULES)
def test_inference_modules_never_import_training_modules(module):
    bad = set(_forbidden_imports(SRC / f"{module}.py", FORBIDDEN)) - INFERENCE_ALLOWED.get(module, set())
    assert not bad, f"themes/{module}.py imports {sorted(bad)}"


@pytest.mark.parametrize("module", ARCHIVE_MODULES)
def test_archive_modules_never_import_training_modules(module):
    bad = _forbidden_imports(SRC / f"{module}.py", TRAINING)
    assert not bad, f"themes/{module}.py imports {bad}"


def test_the_import_check_sees_imports_inside_functions(tmp_path):
    source = "def f():\n    from themes.train import fit\n    from . import corpus\n    import sklearn.linear_model\n"
    (tmp_path / "probe.py").write_text(source, encoding="utf-8")
    assert _forbidden_imports(tmp_path / "probe.py", TRAINING) == [
        "sklearn.linear_model",
        "themes.corpus",
        "themes.train",
        "themes.train.fit",
    ]


# ---------------------------------------------------------------- format 1 stays loadable
FORMAT1 = Path(__file__).parent / "data" / "model-format1"


def test_format1_model_folder_keeps_loading_and_scoring_the_same():
    """A tiny model saved once in format 1 (tests/data/model-format1, committed): when format 2
    comes, this folder must still load, or fail with a message that says what to do."""
    expected = json.loads((FORMAT1.parent / "model-format1.expected.json").read_text(encoding="utf-8"))
    model = load_model(FORMAT1)
    assert model.manifest["format_version"] == 1
    assert model.name == "tiny-format1"
    results = classify([e["text"] for e in expected], model=model)
    for result, want in zip(results, expected):
        assert list(result.themes) == want["themes"]
        assert result.scores == pytest.approx(want["scores"], abs=1e-6)
    assert schema_problems(model.manifest, Manifest) == []
