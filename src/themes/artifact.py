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

import ctypes
import hashlib
import json
import os
import shutil
import sys
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
        retired = folder.with_name(f".{folder.name}.old")
        hint = f" An interrupted save left the previous model in {str(retired)!r}; rename it back." if retired.is_dir() else ""
        raise ModelError(f"Model folder {str(folder)!r} does not exist or is not a folder.{hint}")
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


def verify_files(folder: Path, manifest: dict, skip: tuple[str, ...] = ()) -> None:
    """Check that every file listed in the manifest (but ``skip``) exists and has the listed sha256."""
    for name, expected in manifest["files"].items():
        if name in skip:
            continue
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
    required = ["arrays.npz", "features.json"]
    if "embedding/vectors.npy" in manifest["files"]:
        required += ["embedding/vocab.txt", "embedding/embedding.json"]
    for required in required:
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
    # pipeline.joblib is never read here (only themes.train.load_pipeline reads, and checks, it).
    verify_files(folder, manifest, skip=("pipeline.joblib",))
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
    try:
        space = FeatureSpace(
            words=features["words"],
            word_idf=arrays["word_idf"],
            chars=features["chars"],
            char_idf=arrays["char_idf"],
            lexicon=features["lexicon"],
            config=features["config"],
            embedding=embedding,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(
            f"{folder / 'features.json'}: does not describe a feature space ({type(exc).__name__}: {exc})."
        ) from None
    _check_arrays(folder, arrays, features, len(manifest["themes"]))
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
    except (ValueError, IndexError) as exc:
        raise ModelError(f"{folder}: arrays do not fit together ({exc}).") from None


def _check_arrays(folder: Path, arrays: dict, features: dict, n_themes: int) -> None:
    """Refuse arrays whose shapes do not fit the themes and vocabularies, or that hold NaN/inf."""
    expected = {
        "intercept": (n_themes,),
        "calibration": (2, n_themes),
        "thresholds": (n_themes,),
        "word_idf": (len(features["words"]),),
        "char_idf": (len(features["chars"]),),
    }
    for name, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise ModelError(f"{folder / 'arrays.npz'}: array {name!r} has dtype {array.dtype}, expected numbers.")
        if name in expected and array.shape != expected[name]:
            raise ModelError(
                f"{folder / 'arrays.npz'}: array {name!r} has shape {array.shape}, expected {expected[name]}."
            )
        if not np.isfinite(array).all():
            raise ModelError(f"{folder / 'arrays.npz'}: array {name!r} holds NaN or infinite values.")
    if ((arrays["thresholds"] < 0) | (arrays["thresholds"] > 1)).any():
        raise ModelError(f"{folder / 'arrays.npz'}: thresholds must lie in [0, 1].")


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
            _replace_folder(staging, target)
        else:
            os.rename(staging, target)
        _fsync_folder(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of the existing folder ``target``; a crash leaves one of them there.

    Linux swaps the two in one atomic step (``renameat2(RENAME_EXCHANGE)``). Elsewhere the old
    folder is first renamed to ``.<name>.old``: a crash between the two renames leaves it there
    (``load_model`` says so).
    """
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the previous model
        return
    retired = target.with_name(f".{target.name}.old")
    if retired.exists():
        shutil.rmtree(retired)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
