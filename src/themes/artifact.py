"""The model folder: manifest schema, hashes, atomic save and a load that runs no code.

A model folder holds::

    manifest.json        format version, themes, thresholds, corpus, metrics, versions,
                         and the sha256 of every other file (checked before any is read)
    arrays.npz           coefficients, intercepts, calibration, thresholds, idf
                         (read with allow_pickle=False)
    features.json        vocabularies, lexicon and feature configuration
    embedding/           static word-piece embedding (vocab.txt, vectors.npy, embedding.json)
    pipeline.joblib      the full scikit-learn pipeline, for retraining and inspection only;
                         inference never opens it (see ``themes.train.load_pipeline``)
    MODEL_CARD.md        generated description of the model

Trust model: ``load_model`` reads JSON and numpy arrays without pickle, so a model folder
cannot run code when it is loaded for classification, whoever wrote it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from themes.errors import IncompatibleModelError, ModelError, ModelIntegrityError, OutputExistsError
from themes.model import ThemeModel
from themes.taxonomy import THEME_IDS
from themes.text import FeatureSpace

__all__ = ["FORMAT_VERSION", "MANIFEST_SCHEMA", "load_model", "read_manifest", "save_model", "sha256_file"]

FORMAT = "themes-model"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = (1,)

# key -> (type, required)
MANIFEST_SCHEMA: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "format": (str, True),
    "format_version": (int, True),
    "name": (str, True),
    "created": (str, True),
    "taxonomy_version": (str, True),
    "themes": (list, True),
    "thresholds": (dict, True),
    "training": (dict, True),
    "corpus": (dict, True),
    "metrics": (dict, True),
    "versions": (dict, True),
    "files": (dict, True),
}

_ARRAYS = ("coef", "intercept", "calibration", "thresholds", "word_idf", "char_idf")


def sha256_file(path: Path) -> str:
    """The sha256 hex digest of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(path: str | os.PathLike) -> dict:
    """Read and check a model folder's manifest; nothing else in the folder is read.

    Raises
    ------
    ModelError
        The folder or manifest is missing or does not follow the schema.
    IncompatibleModelError
        The format version is not one this themes can read.
    """
    folder = Path(path)
    manifest_path = folder / "manifest.json"
    if not folder.is_dir():
        raise ModelError(f"Model folder {str(folder)!r} does not exist or is not a folder.")
    if not manifest_path.is_file():
        raise ModelError(f"{manifest_path}: no manifest.json; this is not a themes model folder.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{manifest_path}: not valid JSON ({exc}).") from None
    if not isinstance(manifest, dict):
        raise ModelError(f"{manifest_path}: must hold a JSON object.")
    problems = []
    for key, (kind, required) in MANIFEST_SCHEMA.items():
        if key not in manifest:
            if required:
                problems.append(f"missing key {key!r}")
        elif not isinstance(manifest[key], kind) or isinstance(manifest[key], bool):
            problems.append(f"{key!r} must be {kind.__name__}, got {type(manifest[key]).__name__}")
    if problems:
        raise ModelError(f"{manifest_path}: does not follow the manifest schema: " + "; ".join(problems))
    if manifest["format"] != FORMAT:
        raise ModelError(f"{manifest_path}: format is {manifest['format']!r}, expected {FORMAT!r}.")
    if manifest["format_version"] not in SUPPORTED_FORMAT_VERSIONS:
        raise IncompatibleModelError(
            f"{manifest_path}: model format version {manifest['format_version']} is not supported by "
            f"this themes (reads {', '.join(map(str, SUPPORTED_FORMAT_VERSIONS))}); "
            "retrain with `themes train` or install the themes version that made it "
            f"({manifest.get('versions', {}).get('themes', 'unknown')})."
        )
    unknown = [t for t in manifest["themes"] if t not in THEME_IDS]
    if unknown:
        raise IncompatibleModelError(
            f"{manifest_path}: themes {unknown} are not in taxonomy; the model was made for taxonomy "
            f"{manifest['taxonomy_version']}."
        )
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    """Check that every file listed in the manifest exists and has the listed sha256."""
    for name, expected in manifest["files"].items():
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise ModelIntegrityError(f"{folder / 'manifest.json'}: file entry {name!r} points outside the folder.")
        if not target.is_file():
            raise ModelIntegrityError(f"{folder / name}: listed in the manifest but missing.")
        actual = sha256_file(target)
        if actual != expected:
            raise ModelIntegrityError(
                f"{folder / name}: sha256 {actual[:12]}... does not match the manifest ({str(expected)[:12]}...); "
                "the file was altered or damaged. Reinstall or retrain the model."
            )
    for required in ("arrays.npz", "features.json"):
        if required not in manifest["files"]:
            raise ModelIntegrityError(f"{folder / 'manifest.json'}: does not list {required}.")


def load_model(path: str | os.PathLike) -> ThemeModel:
    """Load a model folder for classification, after checking its manifest and every hash.

    Only JSON and numpy arrays (``allow_pickle=False``) are read: loading runs no code
    from the folder.

    Parameters
    ----------
    path : str or path-like
        The model folder.

    Returns
    -------
    ThemeModel

    Raises
    ------
    ModelError, ModelIntegrityError, IncompatibleModelError
        Named by the file at fault.

    Examples
    --------
    >>> from themes import load_model
    >>> from themes.api import default_model_path
    >>> model = load_model(default_model_path())
    >>> len(model.themes)
    13
    """
    folder = Path(path)
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    try:
        with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
            missing = [a for a in _ARRAYS if a not in npz.files]
            if missing:
                raise ModelError(f"{folder / 'arrays.npz'}: missing arrays {missing}.")
            arrays = {a: npz[a] for a in _ARRAYS}
    except (ValueError, OSError) as exc:
        raise ModelError(f"{folder / 'arrays.npz'}: cannot be read as numpy arrays without pickle ({exc}).") from None
    try:
        features = json.loads((folder / "features.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{folder / 'features.json'}: not valid JSON ({exc}).") from None
    embedding = None
    if "embedding/vectors.npy" in manifest["files"]:
        from themes.embedding import StaticEmbedding

        try:
            embedding = StaticEmbedding.load(folder / "embedding")
        except (ValueError, OSError, KeyError) as exc:
            raise ModelError(f"{folder / 'embedding'}: cannot be read ({exc}).") from None
    space = FeatureSpace(
        words=features["words"],
        word_idf=arrays["word_idf"],
        chars=features["chars"],
        char_idf=arrays["char_idf"],
        lexicon=features["lexicon"],
        config=features["config"],
        embedding=embedding,
    )
    try:
        return ThemeModel(
            space,
            arrays["coef"],
            arrays["intercept"],
            arrays["calibration"],
            arrays["thresholds"],
            manifest["themes"],
            manifest=manifest,
            path=str(folder),
        )
    except ValueError as exc:
        raise ModelError(f"{folder}: arrays do not fit together ({exc}).") from None


def save_model(
    model: ThemeModel,
    path: str | os.PathLike,
    manifest: dict,
    extra_files: dict[str, bytes | Path] | None = None,
    model_card: str | None = None,
    force: bool = False,
) -> Path:
    """Write a model folder atomically: build it beside ``path``, then rename.

    A crash leaves either no folder or the previous one; never half a model.
    ``manifest`` gets ``files`` (sha256 of every file) filled in here.
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: already exists; pass force=True (--force) to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        np.savez_compressed(
            staging / "arrays.npz",
            coef=model.coef.astype(np.float64),
            intercept=model.intercept,
            calibration=model.calibration,
            thresholds=model.thresholds,
            word_idf=model.space.word_idf,
            char_idf=model.space.char_idf,
        )
        _write_json(staging / "features.json", model.space.to_json())
        if model.space.embedding is not None:
            model.space.embedding.save(staging / "embedding")
        for name, content in (extra_files or {}).items():
            dest = staging / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                dest.write_bytes(content)
            else:
                shutil.copyfile(content, dest)
        if model_card is not None:
            (staging / "MODEL_CARD.md").write_text(model_card, encoding="utf-8")
        files = {
            p.relative_to(staging).as_posix(): sha256_file(p)
            for p in sorted(staging.rglob("*"))
            if p.is_file()
        }
        manifest = {**manifest, "files": files}
        manifest.setdefault("format", FORMAT)
        manifest.setdefault("format_version", FORMAT_VERSION)
        _write_json(staging / "manifest.json", manifest)
        for p in staging.rglob("*"):
            if p.is_file():
                with open(p, "rb") as fh:
                    os.fsync(fh.fileno())
        os.chmod(staging, 0o755)
        if target.exists():
            retired = target.with_name(f".{target.name}.old")
            if retired.exists():
                shutil.rmtree(retired)
            os.rename(target, retired)
            os.rename(staging, target)
            shutil.rmtree(retired)
        else:
            os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
