"""Hostile and damaged model folders: nothing in a folder may run code, and every fault is named.

Whoever crafts a model file can also rewrite its manifest, so every hostile folder here has
its hashes updated to match: the hashes catch damage, the loaders must stop the rest.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest

from themes import classify, load_model
from themes.api import default_model_path
from themes.artifact import sha256_file
from themes.errors import IncompatibleModelError, ModelError, ModelIntegrityError, UnsafeModelError


# --------------------------------------------------------------------------- helpers
def copy_model(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest)
    return dest


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def rehash(folder: Path) -> None:
    """Update the manifest so every listed file's hash matches again (what an attacker does)."""
    manifest = read_manifest(folder)
    manifest["files"] = {name: sha256_file(folder / name) for name in manifest["files"]}
    write_manifest(folder, manifest)


class RunsCommand:
    """Unpickling this runs ``call(*args)``: the classic pickle payload."""

    def __init__(self, call, *args):
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


def payloads(marker: Path) -> dict[str, object]:
    touch_code = f"open({str(marker)!r}, 'w').close()"
    return {
        "os.system": RunsCommand(os.system, f"touch '{marker}'"),
        "subprocess.call": RunsCommand(subprocess.call, ["touch", str(marker)]),
        "builtins.eval": RunsCommand(builtins.eval, touch_code),
        "builtins.exec": RunsCommand(builtins.exec, touch_code),
    }


NAMED = {
    "os.system": ("posix.system", "nt.system", "os.system"),
    "subprocess.call": ("subprocess.call",),
    "builtins.eval": ("builtins.eval",),
    "builtins.exec": ("builtins.exec",),
}


def joblib_bytes(obj) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=3)
    return buffer.getvalue()


@pytest.fixture
def model_copy(tmp_path, tiny_model_dir) -> Path:
    return copy_model(tiny_model_dir, tmp_path / "model")


@pytest.fixture
def marker(tmp_path) -> Path:
    path = tmp_path / "PWNED"
    yield path
    assert not path.exists(), "a model file ran a command"


def hostile(folder: Path, payload_bytes: bytes) -> Path:
    """Plant a pickle in the folder and list it in the manifest with its true hash."""
    (folder / "pipeline.joblib").write_bytes(payload_bytes)
    manifest = read_manifest(folder)
    manifest["files"]["pipeline.joblib"] = sha256_file(folder / "pipeline.joblib")
    write_manifest(folder, manifest)
    return folder


# ------------------------------------------------------------------- files that run code
@pytest.mark.parametrize("kind", sorted(NAMED))
def test_classify_loads_a_hostile_folder_without_opening_the_pickle(model_copy, marker, kind):
    folder = hostile(model_copy, joblib_bytes(payloads(marker)[kind]))
    model = load_model(folder)
    assert "uav" in classify("Drones were used to attack the checkpoint.", model=model).themes
    assert not marker.exists()


def test_load_model_never_opens_the_pickle(tiny_model_dir):
    """An audit hook in a fresh process sees every file opened while loading and classifying."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' else None)\n"
        "import themes\n"
        f"model = themes.load_model({str(tiny_model_dir)!r})\n"
        "themes.classify('Drones were used to attack the checkpoint.', model=model).explain(k=2)\n"
        "touched = [p for p in opened if p.endswith('pipeline.joblib')]\n"
        "assert any(p.endswith('arrays.npz') for p in opened)\n"
        "assert not touched, touched\n"
        "assert 'joblib' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------- altered or damaged files
def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["arrays.npz", "features.json", "MODEL_CARD.md"])
def test_altered_file_is_named(model_copy, name):
    flip_a_byte(model_copy / name)
    with pytest.raises(ModelIntegrityError, match=rf"{name}: sha256 .* does not match the manifest") as caught:
        load_model(model_copy)
    assert "Reinstall or retrain" in str(caught.value)
    assert ("keep notes in a file of your own beside the model folder" in str(caught.value)) == (name == "MODEL_CARD.md")


def test_altered_embedding_file_is_named(tmp_path):
    folder = copy_model(default_model_path(), tmp_path / "default")
    flip_a_byte(folder / "embedding" / "vocab.txt")
    with pytest.raises(ModelIntegrityError, match=r"embedding/vocab\.txt: sha256"):
        load_model(folder)


def test_manifest_with_an_altered_hash_names_the_file(model_copy):
    manifest = read_manifest(model_copy)
    manifest["files"]["features.json"] = "0" * 64
    write_manifest(model_copy, manifest)
    with pytest.raises(ModelIntegrityError, match=r"features\.json: sha256"):
        load_model(model_copy)


def test_manifest_that_is_not_json_is_named(model_copy):
    path = model_copy / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    with pytest.raises(ModelError, match=r"manifest\.json: not valid JSON"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda m: m.pop("themes"), r"manifest\.json: does not follow the manifest schema: missing key 'themes'"),
        (lambda m: m.update(thresholds=[0.5]), r"'thresholds' must be dict, got list"),
        (lambda m: m.update(format="pickle"), r"format is 'pickle'"),
        (lambda m: m["files"].pop("arrays.npz"), r"manifest\.json: does not list arrays\.npz"),
        (lambda m: m.update(themes=["uav", "telepathy"]), r"themes \['telepathy'\] are not in taxonomy"),
    ],
    ids=["missing-key", "wrong-type", "wrong-format", "unlisted-arrays", "unknown-theme"],
)
def test_manifest_that_breaks_the_schema_is_named(model_copy, change, expected):
    manifest = read_manifest(model_copy)
    change(manifest)
    write_manifest(model_copy, manifest)
    with pytest.raises(ModelError, match=expected):
        load_model(model_copy)


def test_manifest_that_is_not_an_object(model_copy):
    (model_copy / "manifest.json").write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(ModelError, match=r"manifest\.json: must hold a JSON object"):
        load_model(model_copy)


def test_listed_file_that_is_missing_is_named(model_copy):
    (model_copy / "features.json").unlink()
    with pytest.raises(ModelIntegrityError, match=r"features\.json: listed in the manifest but missing"):
        load_model(model_copy)


def test_model_folder_that_does_not_exist(tmp_path):
    with pytest.raises(ModelError, match=r"does not exist"):
        load_model(tmp_path / "nowhere")


def test_folder_without_manifest(tmp_path):
    with pytest.raises(ModelError, match=r"no manifest\.json; this is not a themes model folder"):
        load_model(tmp_path)


def test_future_format_version_says_what_to_do(model_copy):
    manifest = read_manifest(model_copy)
    manifest["format_version"] = 99
    write_manifest(model_copy, manifest)
    with pytest.raises(IncompatibleModelError, match=r"format version 99 is not supported") as caught:
        load_model(model_copy)
    assert "retrain with `themes train`" in str(caught.value)
    assert "install the themes version that made it" in str(caught.value)


@pytest.mark.parametrize("entry", ["../outside.json", "/etc/hostname", "sub/../../outside.json"])
def test_files_entry_outside_the_folder_is_refused(model_copy, entry):
    outside = model_copy.parent / "outside.json"
    outside.write_text("{}", encoding="utf-8")
    manifest = read_manifest(model_copy)
    manifest["files"][entry] = sha256_file(outside) if not entry.startswith("/") else "0" * 64
    write_manifest(model_copy, manifest)
    with pytest.raises(ModelIntegrityError, match=r"points outside the folder"):
        load_model(model_copy)


def test_symlink_out_of_the_folder_is_refused(model_copy, tmp_path):
    outside = tmp_path / "elsewhere.json"
    shutil.copyfile(model_copy / "features.json", outside)
    (model_copy / "features.json").unlink()
    (model_copy / "features.json").symlink_to(outside)
    with pytest.raises(ModelIntegrityError, match=r"points outside the folder"):
        load_model(model_copy)


# ----------------------------------------------------------------------- hostile arrays
def rewrite_arrays(folder: Path, **changes) -> None:
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays.update(changes)
    np.savez(folder / "arrays.npz", **arrays)  # allow_pickle is on when saving: object arrays get in
    rehash(folder)


def test_npz_holding_an_object_array_is_refused(model_copy, marker):
    evil = np.empty(1, dtype=object)
    evil[0] = payloads(marker)["os.system"]
    rewrite_arrays(model_copy, intercept=evil)
    with pytest.raises(ModelError, match=r"arrays\.npz: array 'intercept' has dtype object \(pickled Python objects\)"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("intercept", np.zeros(3), r"'intercept' has shape \(3,\), expected \(13,\)"),
        ("calibration", np.ones((13,)), r"'calibration' has shape \(13,\), expected \(2, 13\)"),
        ("thresholds", np.full(13, np.nan), r"'thresholds' holds NaN"),
        ("thresholds", np.full(13, 1.5), r"thresholds must lie in \[0, 1\]"),
        ("word_idf", np.ones(2), r"'word_idf' has shape \(2,\)"),
        ("coef", np.array(["a", "b"]), r"'coef' has dtype <U1, expected numbers"),
    ],
    ids=["intercept-shape", "calibration-shape", "nan", "threshold-range", "idf-length", "strings"],
)
def test_arrays_that_do_not_fit_are_refused_on_load(model_copy, name, value, expected):
    rewrite_arrays(model_copy, **{name: value})
    with pytest.raises(ModelError, match=expected):
        load_model(model_copy)


def test_npz_missing_an_array_is_named(model_copy):
    with np.load(model_copy / "arrays.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files if name != "coef"}
    np.savez(model_copy / "arrays.npz", **arrays)
    rehash(model_copy)
    with pytest.raises(ModelError, match=r"arrays\.npz: missing arrays \['coef'\]"):
        load_model(model_copy)


def test_npz_that_is_not_a_zip_is_named(model_copy):
    (model_copy / "arrays.npz").write_bytes(b"definitely not a zip file")
    rehash(model_copy)
    with pytest.raises(ModelError, match=r"arrays\.npz: cannot be read"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "content",
    ['{"words": []}', "[]", '{"words": 5, "chars": [], "lexicon": {}, "config": {}}', "not json"],
    ids=["missing-keys", "a-list", "wrong-types", "not-json"],
)
def test_features_json_that_is_not_a_feature_space_is_named(model_copy, content):
    (model_copy / "features.json").write_text(content, encoding="utf-8")
    rehash(model_copy)
    with pytest.raises(ModelError, match=r"features\.json: "):
        load_model(model_copy)


# ---------------------------------------------------------------------------- versions


