"""A corpus of hostile model folders and import files, generated at test time, one test per case.

Each case is what a careless tool or a hostile sender could hand to themes. A model folder
must be refused with an error that names the file and what is wrong (the attacker rewrites
the hashes, so the hashes alone never catch these); an import must place every input record
in the release or in the report with its reason, never as a wrong label.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themes import ModelError, classify, load_model
from themes.api import default_model_path, get_model
from themes.artifact import remove_stale_staging, save_model, sha256_file
from themes.errors import CorpusError
from themes.importers import import_export
from themes.schemas import Manifest, schema_problems
from themes.taxonomy import THEME_IDS


# --------------------------------------------------------------------------- helpers
def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def rehash(folder: Path) -> None:
    """List every file's true sha256 again, as whoever crafted the folder would."""
    manifest = manifest_of(folder)
    manifest["files"] = {name: sha256_file(folder / name) for name in manifest["files"]}
    write_manifest(folder, manifest)


def replace_in_manifest(folder: Path, old: str, new: str) -> None:
    path = folder / "manifest.json"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def arrays_of(folder: Path) -> dict[str, np.ndarray]:
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def write_arrays(folder: Path, **changes) -> None:
    np.savez(folder / "arrays.npz", **{**arrays_of(folder), **changes})
    rehash(folder)


def npy_header(shape, dtype="<f8") -> bytes:
    """The header of a .npy file that declares ``shape`` (no data follows)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def write_npz_member(folder: Path, name: str, raw: bytes) -> None:
    """Replace one member of arrays.npz by raw bytes (a crafted header, truncated data...)."""
    arrays = arrays_of(folder)
    with zipfile.ZipFile(folder / "arrays.npz", "w", zipfile.ZIP_DEFLATED) as out:
        for other, array in arrays.items():
            if other != name:
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                out.writestr(f"{other}.npy", buffer.getvalue())
        out.writestr(f"{name}.npy", raw)
    rehash(folder)


@pytest.fixture
def model_copy(tmp_path, tiny_model_dir) -> Path:
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))


@pytest.fixture(scope="module")
def default_copy(tmp_path_factory) -> Path:
    """The shipped model (it has an embedding), copied once; tests copy it again to change it."""
    return Path(shutil.copytree(default_model_path(), tmp_path_factory.mktemp("shipped") / "model"))


# --------------------------------------------------------------------- hostile manifests
def _set_metric(m, value):
    m["metrics"]["cross_validation"]["micro"]["f1"] = value


MANIFEST_TEXT_CASES = {
    # (old text, new text, expected message)
    "nan-literal": ('"seed": 0', '"seed": NaN', r"manifest\.json: not valid JSON \(NaN is not a JSON number\)"),
    "infinity-literal": ('"seed": 0', '"seed": -Infinity', r"-Infinity is not a JSON number"),
    "float-overflow": ('"seed": 0', '"seed": 1e999', r"the number 1e999 is too large for a float"),
    "repeated-key": ('"name": "tiny-model"', '"name": "tiny-model", "name": "evil"', r"the key 'name' is repeated"),
    "deep-nesting": ('"seed": 0', '"seed": ' + "[" * 100_000 + "]" * 100_000, r"nested too deeply to parse"),
    "lone-surrogate": ('"name": "tiny-model"', '"name": "tiny\\ud800model"', r"'name' holds U\+D800"),
    "control-characters": ('"name": "tiny-model"', '"name": "tiny\\u001b[2J\\u001b[31mmodel"', r"'name' holds U\+001B"),
    "newline-in-name": ('"name": "tiny-model"', '"name": "tiny\\nforged line"', r"'name' holds U\+000A"),
    "bidi-override": ('"name": "tiny-model"', '"name": "ledom-\\u202eynit"', r"'name' holds U\+202E"),
}


@pytest.mark.parametrize("case", sorted(MANIFEST_TEXT_CASES))
def test_hostile_manifest_text_is_refused(model_copy, case):
    old, new, expected = MANIFEST_TEXT_CASES[case]
    replace_in_manifest(model_copy, old, new)
    with pytest.raises(ModelError, match=expected) as caught:
        load_model(model_copy)
    assert "manifest.json" in str(caught.value)


def test_manifest_that_is_not_utf8_is_refused(model_copy):
    path = model_copy / "manifest.json"
    path.write_bytes(path.read_bytes().replace(b'"tiny-model"', b'"tiny-\xe0\xef-model"'))
    with pytest.raises(ModelError, match=r"manifest\.json: not UTF-8 text"):
        load_model(model_copy)


THEME_LIST_CASES = {
    "repeated-theme": (lambda themes: themes[:-1] + [themes[0]], r"themes \['financing'\] are listed more than once"),
    "reordered-themes": (lambda themes: [themes[1], themes[0], *themes[2:]], r"not in taxonomy order"),
    "swapped-last-two": (lambda themes: [*themes[:-2], themes[-1], themes[-2]], r"would relabel them"),
}


@pytest.mark.parametrize("case", sorted(THEME_LIST_CASES))
def test_manifest_theme_list_that_would_relabel_columns_is_refused(model_copy, case):
    change, expected = THEME_LIST_CASES[case]
    manifest = manifest_of(model_copy)
    manifest["themes"] = change(manifest["themes"])
    write_manifest(model_copy, manifest)
    with pytest.raises(ModelError, match=expected):
        load_model(model_copy)


MANIFEST_SCHEMA_CASES = {
    "threshold-missing": (lambda m: m["thresholds"].pop("uav"), r"'thresholds' names .*expected one per theme"),
    "threshold-out-of-range": (lambda m: m["thresholds"].update(uav=1.5), r"thresholds must lie in \[0, 1\]"),
    "threshold-unlike-arrays": (lambda m: m["thresholds"].update(uav=0.01), r"thresholds of \['uav'\] differ from those in arrays\.npz"),
    "metric-as-string": (lambda m: _set_metric(m, "0.9"), r"'metrics\.cross_validation\.micro\.f1' must be float, got str"),
    "metric-block-missing-n": (lambda m: m["metrics"]["cross_validation"].pop("n"), r"missing key 'metrics\.cross_validation\.n'"),
    "none-given-theme-wrong": (
        lambda m: m["metrics"]["cross_validation"].update(none_given_theme={"n": 3, "given": "1", "rate": 0.3}),
        r"'metrics\.cross_validation\.none_given_theme\.given' must be int, got str",
    ),
    "version-as-bool": (lambda m: m.update(format_version=True), r"'format_version' must be int, got bool"),
    "files-not-strings": (lambda m: m["files"].update({"arrays.npz": 5}), r"'files\.arrays\.npz' must be str, got int"),
}


@pytest.mark.parametrize("case", sorted(MANIFEST_SCHEMA_CASES))
def test_manifest_that_breaks_the_typed_schema_is_refused(model_copy, case):
    change, expected = MANIFEST_SCHEMA_CASES[case]
    manifest = manifest_of(model_copy)
    change(manifest)
    write_manifest(model_copy, manifest)
    with pytest.raises(ModelError, match=expected):
        load_model(model_copy)


def test_manifest_with_realdev_metrics_loads(model_copy):
    """The metrics training writes now (realdev per language, with its data's sha256) are allowed."""
    manifest = manifest_of(model_copy)
    block = dict(manifest["metrics"]["cross_validation"])
    block["none_given_theme"] = {"n": 3, "given": 1, "rate": 0.333}
    block["data"] = {"file": "statements.jsonl", "sha256": "ab" * 32}
    manifest["metrics"].update(realdev=block, realdev_ru={**block, "data": {"file": "statements_ru.jsonl", "sha256": "cd" * 32}})
    write_manifest(model_copy, manifest)
    assert schema_problems(manifest, Manifest) == []
    assert load_model(model_copy).manifest["metrics"]["realdev"]["none_given_theme"]["given"] == 1


# ------------------------------------------------------------------ hostile features.json
FEATURES_CASES = {
    "nan-weight": ('"dense_weight": 0.0', '"dense_weight": NaN', r"NaN is not a JSON number"),
    "huge-weight": ('"lexicon_weight": 0.6', '"lexicon_weight": 1e400', r"too large for a float"),
    "deep-nesting": ('"config": {', '"junk": ' + "[" * 100_000 + "]" * 100_000 + ', "config": {', r"nested too deeply"),
    "word-not-a-string": ('"words": [', '"words": [7, ', r"'words\[0\]' must be str, got int"),
}


@pytest.mark.parametrize("case", sorted(FEATURES_CASES))
def test_hostile_features_json_is_refused(model_copy, case):
    old, new, expected = FEATURES_CASES[case]
    path = model_copy / "features.json"
    text = json.dumps(json.loads(path.read_text(encoding="utf-8")))
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    rehash(model_copy)
    with pytest.raises(ModelError, match=expected) as caught:
        load_model(model_copy)
    assert "features.json" in str(caught.value)


# ---------------------------------------------------------------------- hostile arrays
def test_npz_declaring_a_2gb_array_is_refused_from_its_header(model_copy):
    """A few bytes that declare 2 GB: refused from the header, before any allocation."""
    write_npz_member(model_copy, "coef", npy_header((20_000_000, 13)) + b"\0" * 64)
    assert (model_copy / "arrays.npz").stat().st_size < 100_000
    with pytest.raises(ModelError, match=r"array 'coef' has shape \(20000000, 13\), expected \(\d+, 13\); refused from its header"):
        load_model(model_copy)


def test_npz_whose_data_is_shorter_than_its_header_says_is_refused(model_copy):
    coef = arrays_of(model_copy)["coef"]
    write_npz_member(model_copy, "coef", npy_header(coef.shape) + coef.tobytes()[:-8])
    with pytest.raises(ModelError, match=r"array 'coef' declares [\d,]+ bytes of data but holds [\d,]+"):
        load_model(model_copy)


def test_npz_member_that_is_not_npy_is_refused(model_copy):
    write_npz_member(model_copy, "intercept", b"PK\x03\x04 not a numpy array at all")
    with pytest.raises(ModelError, match=r"array 'intercept' has no numpy array header"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "name, value",
    [("coef", "nan"), ("coef", "inf"), ("intercept", "-inf"), ("calibration", "nan"), ("word_idf", "inf")],
    ids=["coef-nan", "coef-inf", "intercept-minus-inf", "calibration-nan", "idf-inf"],
)
def test_nan_or_inf_in_arrays_is_refused(model_copy, name, value):
    array = arrays_of(model_copy)[name].astype(np.float64)
    array.flat[array.size // 2] = float(value)
    write_arrays(model_copy, **{name: array})
    with pytest.raises(ModelError, match=rf"array '{name}' holds NaN or infinite values"):
        load_model(model_copy)


def test_structured_dtype_array_is_refused(model_copy):
    write_arrays(model_copy, intercept=np.zeros(13, dtype=[("a", "<f8")]))
    with pytest.raises(ModelError, match=r"array 'intercept' has dtype .*expected numbers"):
        load_model(model_copy)


# ------------------------------------------------------------------- hostile embeddings
@pytest.fixture
def embedded_copy(tmp_path, default_copy) -> Path:
    return Path(shutil.copytree(default_copy, tmp_path / "embedded"))


def test_nan_in_embedding_vectors_is_refused(embedded_copy):
    path = embedded_copy / "embedding" / "vectors.npy"
    vectors = np.load(path, allow_pickle=False)
    vectors[5, 3] = np.nan
    np.save(path, vectors, allow_pickle=False)
    rehash(embedded_copy)
    with pytest.raises(ModelError, match=r"vectors\.npy: holds NaN or infinite values"):
        load_model(embedded_copy)


def test_embedding_vectors_declaring_a_huge_shape_are_refused(embedded_copy):
    path = embedded_copy / "embedding" / "vectors.npy"
    path.write_bytes(npy_header((50_000_000, 64), "<f2") + b"\0" * 128)
    rehash(embedded_copy)
    with pytest.raises(ModelError, match=r"vectors\.npy has shape \(50000000, 64\), expected \(\d+, 64\); refused from its header"):
        load_model(embedded_copy)


def test_embedding_changed_in_place_is_not_served_stale(embedded_copy):
    load_model(embedded_copy)  # the process now keeps this folder's embedding
    path = embedded_copy / "embedding" / "vectors.npy"
    vectors = np.load(path, allow_pickle=False)
    vectors[7] = -vectors[7]
    np.save(path, vectors, allow_pickle=False)
    rehash(embedded_copy)
    with pytest.raises(ModelError, match=r"embedding: changed on disk since this process first read it .*restart"):
        load_model(embedded_copy)


# --------------------------------------------------------------- killed saves and caches
def test_staging_folder_of_a_killed_save_is_removed_by_the_next_save(tmp_path, tiny_model_dir):
    """A save killed half-way (os._exit in the middle of hashing) leaves its staging folder;
    the next save beside it removes it."""
    out = tmp_path / "current"
    code = (
        "import os, themes.artifact as artifact\n"
        f"model = artifact.load_model({str(tiny_model_dir)!r})\n"
        "real = artifact.sha256_file\n"
        "def dying(path):\n"
        "    if str(path).endswith('features.json'):\n"
        "        os._exit(9)\n"
        "    return real(path)\n"
        "artifact.sha256_file = dying\n"
        f"artifact.save_model(model, {str(out)!r}, model.manifest)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".current.") and left[0].endswith(".partial"), left
    model = load_model(tiny_model_dir)
    save_model(model, out, model.manifest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current"]


def test_staging_folder_of_a_running_save_is_kept(tmp_path):
    fcntl = pytest.importorskip("fcntl")  # POSIX; elsewhere only day-old staging folders go

    running = tmp_path / ".current.abc123.partial"
    running.mkdir()
    fd = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert remove_stale_staging(tmp_path / "current") == []
        assert running.is_dir()
    finally:
        os.close(fd)
    assert remove_stale_staging(tmp_path / "current") == [running]


def test_model_folder_saved_again_is_not_served_stale(tmp_path, tiny_model_dir):
    folder = Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))
    first = get_model(folder)
    assert first.name == "tiny-model"
    assert get_model(folder) is first  # unchanged: served from the cache
    save_model(first, folder, {**first.manifest, "name": "tiny-model-2"}, force=True)
    assert get_model(folder).name == "tiny-model-2"
    assert classify("Drones were used.", model=folder).model == "tiny-model-2"


def test_manifest_edited_in_place_is_read_again(tmp_path, tiny_model_dir):
    folder = Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))
    get_model(folder)
    replace_in_manifest(folder, '"name": "tiny-model"', '"name": "tiny\\u0007model"')
    with pytest.raises(ModelError, match=r"'name' holds U\+0007"):
        get_model(folder)


# ------------------------------------------------------------------- hostile imports
GOOD_TASKS = [
    ("Drones attacked the border post.", ["uav"]),
    ("Heroin was seized on the northern route.", ["drug_trafficking"]),
]
DEEP = "[" * 100_000 + "]" * 100_000


def labelstudio_task(text, annotations, **extra) -> dict:
    return {"data": {"text": text}, "annotations": annotations, **extra}


def choice(themes) -> dict:
    return {"completed_by": 1, "result": [{"type": "choices", "value": {"choices": themes}}]}


LABELSTUDIO_CASES = {
    # bad task (as JSON text) -> the reason it must be reported with
    "value-is-a-list": (
        json.dumps(labelstudio_task("Drones flew.", [{"result": [{"type": "choices", "value": ["uav"]}]}])),
        r"annotation 1: result\[0\]\.value must be an object with 'choices', got list \['uav'\]",
    ),
    "result-is-a-string": (
        json.dumps(labelstudio_task("Drones flew.", [{"result": "uav"}])),
        r"annotation 1: 'result' must be a list of regions, got str 'uav'",
    ),
    "choices-is-a-string": (
        json.dumps(labelstudio_task("Drones flew.", [{"result": [{"type": "choices", "value": {"choices": "uav"}}]}])),
        r"annotation 1: result\[0\]\.value\.choices must be a list of label names, got 'uav'",
    ),
    "result-entry-is-a-string": (
        json.dumps(labelstudio_task("Drones flew.", [{"result": ["uav"]}])),
        r"annotation 1: result\[0\] must be an object, got str 'uav'",
    ),
    "one-of-two-annotations-malformed": (
        json.dumps(labelstudio_task("Drones flew.", [choice(["uav"]), {"result": "uav"}])),
        r"annotation 2: 'result' must be a list",
    ),
    "annotations-is-an-object": (
        json.dumps(labelstudio_task("Drones flew.", {"result": []})),
        r"'annotations' must be a list, got dict",
    ),
    "annotation-is-a-string": (json.dumps(labelstudio_task("Drones flew.", ["uav"])), r"annotation 1 is not an object"),
    "span-labels-only": (
        json.dumps(labelstudio_task("Drones flew.", [{"result": [{"type": "labels", "value": {"labels": ["uav"]}}]}])),
        r"no 'choices' in the result \(regions of type \['labels'\]\)",
    ),
    "lone-surrogate": (
        json.dumps(labelstudio_task("Financing \ud800 x.", [choice(["financing"])])),
        r"text holds a lone surrogate U\+D800 at character 11",
    ),
    "nested-brackets": ('{"data": {"text": ' + DEEP + "}}", r"invalid JSON \(nested too deeply to parse\)"),
    "huge-integer": ('{"data": {"text": "x"}, "id": ' + "9" * 10_000 + "}", r"invalid JSON \(.*digits"),
}


@pytest.mark.parametrize("case", sorted(LABELSTUDIO_CASES))
def test_hostile_labelstudio_task_is_reported_and_the_rest_imported(tmp_path, case):
    bad, reason = LABELSTUDIO_CASES[case]
    good = [json.dumps(labelstudio_task(text, [choice(themes)])) for text, themes in GOOD_TASKS]
    path = tmp_path / "export.json"
    path.write_text("[\n" + ",\n".join([good[0], bad, good[1]]) + "\n]\n", encoding="utf-8")
    report = import_export("labelstudio", path, tmp_path / "release")
    assert report.n_records == 3
    assert [(s["text"], s["themes"]) for s in report.statements] == [(t, th) for t, th in GOOD_TASKS]
    [(where, why)] = report.skipped
    assert where.startswith(f"{path}:3 (task 2")
    assert __import__("re").search(reason, why), why
    written = (tmp_path / "release" / "statements.jsonl").read_text(encoding="utf-8")
    assert "Drones flew" not in written and "Financing" not in written


def test_labelstudio_choices_string_never_becomes_letters(tmp_path):
    """'uav' as a string is not read letter by letter as labels 'u', 'a', 'v'."""
    path = tmp_path / "export.json"
    task = labelstudio_task("Drones flew.", [{"result": [{"type": "choices", "value": {"choices": "uav"}}]}])
    path.write_text(json.dumps([task, labelstudio_task(*GOOD_TASKS[0][:1], [choice(["uav"])])]), encoding="utf-8")
    report = import_export("labelstudio", path, None)  # would raise CorpusError on labels 'u', 'a', 'v'
    assert report.n_statements == 1 and len(report.skipped) == 1


JSONL_CASES = {
    "nested-brackets": ('{"text": "x", "label": ' + DEEP + "}", r"nested too deeply to read"),
    "huge-integer": ('{"text": "x", "label": [], "id": ' + "9" * 10_000 + "}", r"invalid JSON \(.*digits"),
    "lone-surrogate": (json.dumps({"text": "Financing \ud800 x.", "label": ["financing"]}), r"lone surrogate \(\\ud800\)"),
    "surrogate-in-context": (
        json.dumps({"text": "Funds moved.", "label": ["financing"], "meta": {"context": "\udfff"}}),
        r"lone surrogate \(\\udfff\)",
    ),
    "label-is-a-number": ('{"text": "Drones flew.", "label": 5}', r"'label' must be a list of label names"),
}


@pytest.mark.parametrize("fmt", ["doccano", "prodigy"])
@pytest.mark.parametrize("case", sorted(JSONL_CASES))
def test_hostile_jsonl_line_is_reported_and_the_rest_imported(tmp_path, fmt, case):
    bad, reason = JSONL_CASES[case]
    if fmt == "prodigy":
        bad = bad.replace('"label": ', '"answer": "accept", "accept": ')
        reason = reason.replace("'label' must be a list of label names", "'accept' must be a list of option ids")
    good = [
        json.dumps({"text": t, "label": th} if fmt == "doccano" else {"text": t, "accept": th, "answer": "accept"})
        for t, th in GOOD_TASKS
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([good[0], bad, good[1]]) + "\n", encoding="utf-8")
    report = import_export(fmt, path, tmp_path / "release")
    assert report.n_records == 3
    assert [(s["text"], s["themes"]) for s in report.statements] == [(t, th) for t, th in GOOD_TASKS]
    [(where, why)] = report.skipped
    assert where == f"{path}:2"
    assert __import__("re").search(reason, why), why


CSV_CASES = {
    "unterminated-quote-to-the-end": (
        'text,themes\nDrones flew.,uav\n"Funds moved through hawala.,financing\nHeroin was seized.,drug_trafficking\n',
        3,
        r"not valid CSV \(unexpected end of data; a quote opened on this line is not closed",
    ),
    "unterminated-quote-closed-later": (
        'text,themes\nDrones flew.,uav\n"Funds moved.,financing\nHeroin was seized.,drug_trafficking\n"Border guards stopped them.",border_security\n',
        3,
        r"not valid CSV \(.*a quote opened on this line is not closed",
    ),
    "text-after-closing-quote": (
        'text,themes\nDrones flew.,uav\n"Funds" moved.,financing\nHeroin was seized.,drug_trafficking\n',
        3,
        r"not valid CSV \(',' expected after '\"'\)",
    ),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_hostile_csv_row_is_reported_with_its_line_and_the_next_rows_kept(tmp_path, case):
    content, bad_line, reason = CSV_CASES[case]
    path = tmp_path / "labels.csv"
    path.write_text(content, encoding="utf-8")
    report = import_export("csv", path, tmp_path / "release")
    [(where, why)] = report.skipped
    assert where == f"{path}:{bad_line}"
    assert __import__("re").search(reason, why), why
    kept = {s["text"]: s["themes"] for s in report.statements}
    assert kept["Drones flew."] == ["uav"]
    assert kept["Heroin was seized."] == ["drug_trafficking"]
    assert not any("moved" in text for text in kept)
    assert report.n_records == len(report.statements) + 1


def test_doccano_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "export.zip"
    line = json.dumps({"text": "Drones flew over the base.", "label": ["uav"]}) + "\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("admin.jsonl", line * 100_000)  # 5 MB that compresses about 1,000 times
    with pytest.raises(CorpusError, match=r"admin\.jsonl: compressed [\d,]+ times .*a zip bomb\?"):
        import_export("doccano", path, None)


def test_doccano_zip_too_large_uncompressed_is_refused(tmp_path, monkeypatch):
    import themes.importers.doccano as doccano

    monkeypatch.setattr(doccano, "MAX_ZIP_UNCOMPRESSED", 1000)
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for user in ("a", "b"):
            archive.writestr(f"{user}.jsonl", json.dumps({"text": "x" * 600, "label": []}) + "\n")
    with pytest.raises(CorpusError, match=r"export\.zip: its \.jsonl files hold [\d,]+ bytes uncompressed, more than the 1,000"):
        import_export("doccano", path, None)



def test_doccano_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    cp1251_name = os.fsdecode(b"\xcf\xf0\xe8\xe2\xe5\xf2.jsonl")  # "Привет" in windows-1251
    (folder / cp1251_name).write_text(json.dumps({"text": "Drones flew.", "label": ["uav"]}) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"text": "Heroin was seized.", "label": []}) + "\n", encoding="utf-8")
    report = import_export("doccano", folder, tmp_path / "release")
    assert report.n_statements == 2
    places = [where for where, _ in report.placed]
    assert any(r"\xcf\xf0\xe8\xe2\xe5\xf2.jsonl:1" in where for where in places), places
    written = json.loads((tmp_path / "release" / "import_report.json").read_text(encoding="utf-8"))
    assert written["records"] == 2


@pytest.mark.parametrize("value", [3, b"models/default", 2.5], ids=["int", "bytes", "float"])
def test_load_model_of_a_non_path_names_the_parameter(value):  # None loads the default model
    with pytest.raises(TypeError, match=r"The 'path' parameter of load_model must be a str or path-like\. Got \w+ instead\."):
        load_model(value)


def test_huge_manifest_is_refused_unread(model_copy, monkeypatch):
    import themes.artifact as artifact

    monkeypatch.setattr(artifact, "MAX_MANIFEST_BYTES", 1000)
    with pytest.raises(ModelError, match=r"manifest\.json: [\d,]+ bytes, more than a manifest may hold \(1,000\); not read"):
        load_model(model_copy)


# Any JSON value, small: what a careless export may hold where a list of regions is expected.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(THEME_IDS) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["type", "value", "choices", "result"]), inner, max_size=3),
    max_leaves=8,
)
REGION = st.fixed_dictionaries(
    {"type": st.sampled_from(["choices", "labels", "textarea"]), "value": JSON_VALUES | st.fixed_dictionaries({"choices": JSON_VALUES})}
)
ANNOTATION = st.fixed_dictionaries({"result": JSON_VALUES | st.lists(REGION | JSON_VALUES, max_size=3)}) | JSON_VALUES


@settings(max_examples=80, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotations=st.lists(st.lists(ANNOTATION, max_size=3) | JSON_VALUES, min_size=1, max_size=6))
def test_every_labelstudio_task_is_placed_or_reported_whatever_its_shape(tmp_path_factory, annotations):
    tasks = [{"data": {"text": f"Statement number {i}."}, "annotations": a} for i, a in enumerate(annotations)]
    tasks.append(labelstudio_task(GOOD_TASKS[0][0], [choice(GOOD_TASKS[0][1])]))
    path = tmp_path_factory.mktemp("ls") / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    report = import_export("labelstudio", path, None)
    assert report.n_records == len(tasks)
    assert len({where for where, _ in report.placed + report.skipped}) == len(tasks)
    by_text = {s["text"]: s["themes"] for s in report.statements}
    assert by_text[GOOD_TASKS[0][0]] == GOOD_TASKS[0][1]
    for i, annotation_list in enumerate(annotations):
        themes = by_text.get(f"Statement number {i}.")
        if themes is None:
            continue
        # Placed only when every answer had the shape of a choice task (or there was none).
        assert isinstance(annotation_list, list) and all(isinstance(a, dict) for a in annotation_list)
        for a in annotation_list:
            result = a.get("result")
            assert result is None or isinstance(result, list)
