"""The model folder: manifest schema, hashes, atomic save and a load that runs no code.

A model folder holds::

    manifest.json        format version, themes, thresholds, corpus, metrics, versions,
                         and the sha256 of every other file (checked before any is read)
    arrays.npz           coefficients, intercepts, calibration, thresholds, idf
                         (read with allow_pickle=False)
    features.json        vocabularies, lexicon, glossary and feature configuration
    embedding/           static word-piece embedding (vocab.txt, vectors.npy, embedding.json)
    MODEL_CARD.md        generated description of the model

Trust model: ``load_model`` reads JSON and numpy arrays without pickle, so a model folder
cannot run code when it is loaded for classification, whoever wrote it. Pickled files that
older versions listed in the manifest are never opened. What the files hold is checked too,
before it is used: the JSON is strict (no ``NaN``, no repeated keys) and follows the typed
schemas of :mod:`themes.schemas`; every array's shape and dtype are read from its ``.npy``
header and compared with the manifest's themes and the vocabularies *before* its data is
read (a small file that declares a 2 GB array is refused at once); the values must be
finite; the theme list must follow the taxonomy's order without repeats (a reordered list
would relabel the columns); the strings that get printed hold no control characters.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import shutil
import typing
import zipfile
from pathlib import Path

import numpy as np

from themes.atomic import remove_stale_staging, retired_folder, staged_folder
from themes.errors import IncompatibleModelError, ModelError, ModelIntegrityError, OutputExistsError
from themes.model import ThemeModel
from themes.packaged import default_model_folder
from themes.schemas import FeaturesFile, Manifest, schema_problems, strict_json_loads, unprintable, validate_manifest
from themes.taxonomy import THEME_IDS
from themes.text import FeatureSpace

__all__ = [
    "FORMAT_VERSION",
    "MANIFEST_SCHEMA",
    "check_manifest",
    "from_environment",
    "load_model",
    "read_json",
    "read_manifest",
    "remove_stale_staging",
    "save_model",
    "sha256_file",
]

FORMAT = "themes-model"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = (1,)

#: Top-level manifest keys -> (type, required); the full typed schema is :class:`themes.schemas.Manifest`.
MANIFEST_SCHEMA: dict[str, tuple[type, bool]] = {
    key: (dict if typing.is_typeddict(kind) else typing.get_origin(kind) or kind, key in Manifest.__required_keys__)
    for key, kind in typing.get_type_hints(Manifest).items()
}

#: Largest manifest.json read (the shipped one holds 13 KB); it is read before any hash is checked.
MAX_MANIFEST_BYTES = 16 * 2**20

_ARRAYS = ("coef", "intercept", "calibration", "thresholds", "word_idf", "char_idf")
# Pickled files (the scikit-learn pipeline older versions saved) may be listed in a manifest;
# inference never opens them, not even to hash them.
_NEVER_OPENED = (".joblib", ".pkl", ".pickle")
# The manifest fields that are printed (names, ids, versions): no control character at all.
_PRINTED_FIELDS = ("format", "name", "created", "taxonomy_version", "themes", "thresholds", "versions", "files")


def sha256_file(path: Path) -> str:
    """The sha256 hex digest of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_json(path: Path):
    """A model folder's JSON file, parsed strictly (see :func:`themes.schemas.strict_json_loads`).

    Raises
    ------
    ModelError
        Naming the file and what is wrong with it.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from None
    try:
        return strict_json_loads(text)
    except ValueError as exc:
        raise ModelError(f"{path}: not valid JSON ({exc}).") from None


def read_manifest(path: str | os.PathLike) -> dict:
    """Read and check a model folder's manifest; nothing else in the folder is read.

    The manifest must be strict JSON, carry a format version this themes reads, follow
    :class:`themes.schemas.Manifest`, list its themes once each in taxonomy order, give
    a threshold in [0, 1] for each, and hold no control characters in what gets printed.

    Raises
    ------
    ModelError
        The folder or manifest is missing or does not follow the schema.
    IncompatibleModelError
        The format version is not one this themes can read.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"The 'path' parameter of load_model must be a str or path-like. Got {type(path).__name__} instead."
        )
    folder = Path(path)
    manifest_path = folder / "manifest.json"
    if not folder.is_dir():
        retired = retired_folder(folder)
        hint = f" An interrupted save left the previous model in {str(retired)!r}; rename it back." if retired.is_dir() else ""
        raise ModelError(f"Model folder {str(folder)!r} does not exist or is not a folder; {_WHAT_TO_GIVE}.{hint}")
    if not manifest_path.is_file():
        raise ModelError(f"{manifest_path}: no manifest.json; this is not a themes model folder; {_WHAT_TO_GIVE}.")
    size = manifest_path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        raise ModelError(f"{manifest_path}: {size:,} bytes, more than a manifest may hold ({MAX_MANIFEST_BYTES:,}); not read.")
    manifest = read_json(manifest_path)
    if not isinstance(manifest, dict):
        raise ModelError(f"{manifest_path}: must hold a JSON object.")
    # The format and its version first: a newer format may follow another schema.
    if manifest.get("format", FORMAT) != FORMAT:
        raise ModelError(f"{manifest_path}: format is {manifest['format']!r}, expected {FORMAT!r}.")
    version = manifest.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version not in SUPPORTED_FORMAT_VERSIONS:
        versions = manifest.get("versions")
        made_by = versions.get("themes", "unknown") if isinstance(versions, dict) else "unknown"
        raise IncompatibleModelError(
            f"{manifest_path}: model format version {version} is not supported by "
            f"this themes (reads {', '.join(map(str, SUPPORTED_FORMAT_VERSIONS))}); "
            "retrain with `themes train` or install the themes version that made it "
            f"({str(made_by)[:40]!r})."
        )
    check_manifest(manifest, str(manifest_path))
    return manifest


def check_manifest(manifest: dict, source: str) -> dict:
    """Check a manifest's content, whoever wrote it: the typed schema, printable names, the
    themes once each in taxonomy order, a threshold in [0, 1] per theme. ``source`` names it
    in errors. :func:`read_manifest` and :func:`save_model` both call it.

    Raises
    ------
    ModelError, IncompatibleModelError
    """
    validate_manifest(manifest, str(source))
    problems = unprintable({key: manifest[key] for key in _PRINTED_FIELDS}) + unprintable(manifest, multiline=True)
    if problems:
        raise ModelError(
            f"{source}: holds characters that cannot be printed safely: {'; '.join(dict.fromkeys(problems))}."
        )
    themes = manifest["themes"]
    unknown = [t for t in themes if t not in THEME_IDS]
    if unknown:
        raise IncompatibleModelError(
            f"{source}: themes {unknown} are not in taxonomy; the model was made for taxonomy "
            f"{manifest['taxonomy_version']}."
        )
    repeated = sorted(t for t, n in collections.Counter(themes).items() if n > 1)
    if repeated:
        raise ModelError(f"{source}: themes {repeated} are listed more than once; each column has one theme.")
    order = [THEME_IDS.index(t) for t in themes]
    if order != sorted(order):
        raise ModelError(
            f"{source}: the themes are not in taxonomy order ({', '.join(themes)}); the arrays' "
            "columns follow that order, so a reordered list would relabel them."
        )
    thresholds = manifest["thresholds"]
    if set(thresholds) != set(themes):
        raise ModelError(
            f"{source}: 'thresholds' names {sorted(thresholds)}, expected one per theme {sorted(themes)}."
        )
    outside = {t: v for t, v in thresholds.items() if not 0.0 <= v <= 1.0}
    if outside:
        raise ModelError(f"{source}: thresholds must lie in [0, 1]; got {outside}.")
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
            notes = (
                " The card is part of the model's record (its figures are checked with it): keep notes "
                "in a file of your own beside the model folder."
                if name == "MODEL_CARD.md"
                else ""
            )
            raise ModelIntegrityError(
                f"{folder / name}: sha256 {actual[:12]}... does not match the manifest ({str(expected)[:12]}...); "
                f"the file was altered or damaged. Reinstall or retrain the model.{notes}"
            )
    required = ["arrays.npz", "features.json"]
    if "embedding/vectors.npy" in manifest["files"]:
        required += ["embedding/vocab.txt", "embedding/embedding.json"]
    for required in required:
        if required not in manifest["files"]:
            raise ModelIntegrityError(f"{folder / 'manifest.json'}: does not list {required}.")


#: What to give instead of a path that is no model folder (said from Python: load_model(path)).
_WHAT_TO_GIVE = "give a folder written by `themes train` (or themes.artifact.save_model), or None for the shipped model"


def from_environment(env: str, exc: ModelError) -> ModelError:
    """``exc`` for the model folder named by ``THEMES_MODEL``, saying where the folder came
    from (a variable set long ago is easy to forget) and, for a path that is no model
    folder, what to set it to."""
    message = str(exc).replace(
        _WHAT_TO_GIVE,
        "set THEMES_MODEL to a folder written by `themes train`, or unset it for the shipped model "
        "(`themes info` shows the model in use)",
    )
    return type(exc)(f"THEMES_MODEL={env} (environment variable): {message}")


def load_model(path: str | os.PathLike | None = None) -> ThemeModel:
    """Load a model folder for classification, after checking its manifest and every hash.

    Only JSON and numpy arrays (``allow_pickle=False``) are read: loading runs no code
    from the folder. Shapes and dtypes are checked from the array headers before any
    array data is read, and values (finite, thresholds in [0, 1]) after.

    Parameters
    ----------
    path : str, path-like or None, default None
        The model folder; None for the model ``classify`` uses by default (the folder named
        by the ``THEMES_MODEL`` environment variable, else the one shipped with themes).

    Returns
    -------
    ThemeModel

    Raises
    ------
    ModelError, ModelIntegrityError, IncompatibleModelError
        Named by the file at fault (and, for the folder of ``THEMES_MODEL``, by the variable).
    TypeError
        ``path`` is not a str or path-like.

    Examples
    --------
    >>> from themes import load_model
    >>> model = load_model()  # the shipped model
    >>> len(model.themes)
    13
    """
    if path is None:
        path = default_model_folder()  # THEMES_MODEL's folder when set
        env = os.environ.get("THEMES_MODEL")
        if env:
            try:
                return load_model(path)
            except ModelError as exc:
                raise from_environment(env, exc) from None
    manifest = read_manifest(path)  # raises TypeError first when path is not a path
    folder = Path(path)
    verify_files(folder, manifest, skip=tuple(n for n in manifest["files"] if n.endswith(_NEVER_OPENED)))
    features = read_json(folder / "features.json")
    problems = schema_problems(features, FeaturesFile)
    if problems:
        raise ModelError(f"{folder / 'features.json'}: does not describe a feature space: {'; '.join(problems[:5])}.")
    embedding = _load_embedding(folder / "embedding") if "embedding/vectors.npy" in manifest["files"] else None
    n_themes = len(manifest["themes"])
    n_sparse = len(features["words"]) + len(features["chars"]) + len(features["lexicon"])
    expected = {
        "coef": (n_sparse + (embedding.dims if embedding is not None else 0), n_themes),
        "intercept": (n_themes,),
        "calibration": (2, n_themes),
        "thresholds": (n_themes,),
        "word_idf": (len(features["words"]),),
        "char_idf": (len(features["chars"]),),
    }
    arrays = _read_arrays(folder / "arrays.npz", expected)
    _check_values(folder, arrays, manifest)
    try:
        space = FeatureSpace(
            words=features["words"],
            word_idf=arrays["word_idf"],
            chars=features["chars"],
            char_idf=arrays["char_idf"],
            lexicon=features["lexicon"],
            config=features["config"],
            embedding=embedding,
            glossary=features.get("glossary"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(
            f"{folder / 'features.json'}: does not describe a feature space ({type(exc).__name__}: {exc})."
        ) from None
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


def _npy_header(fh, where: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """``(shape, dtype, header length)`` of the ``.npy`` stream ``fh``, its data left unread."""
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"npy format version {version} is not one numpy writes for numbers")
    except (ValueError, OSError, EOFError, SyntaxError) as exc:
        raise ModelError(f"{where} has no numpy array header ({exc}).") from None
    return shape, dtype, fh.tell()


def _check_header(where: str, shape, dtype: np.dtype, data_bytes: int, expected: tuple[int, ...]) -> None:
    """Refuse a header whose dtype, shape or size is not what the model needs; nothing is read yet."""
    unread = "refused from its header, before reading it"
    if dtype.kind not in "fiu" or dtype.itemsize > 8:
        pickled = " (pickled Python objects)" if dtype.hasobject else ""
        raise ModelError(f"{where} has dtype {dtype}{pickled}, expected numbers; {unread}.")
    if tuple(shape) != tuple(expected):
        raise ModelError(f"{where} has shape {tuple(shape)}, expected {tuple(expected)}; {unread}.")
    declared = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if declared != data_bytes:
        raise ModelError(f"{where} declares {declared:,} bytes of data but holds {data_bytes:,}; {unread}.")


def _read_arrays(path: Path, expected: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """The arrays of ``arrays.npz``, each read only after its header passed :func:`_check_header`."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename[: -len(".npy")]: info for info in archive.infolist() if info.filename.endswith(".npy")}
            missing = [a for a in _ARRAYS if a not in members]
            if missing:
                raise ModelError(f"{path}: missing arrays {missing}.")
            for name in _ARRAYS:
                info = members[name]
                with archive.open(info) as fh:
                    shape, dtype, header_bytes = _npy_header(fh, f"{path}: array {name!r}")
                _check_header(f"{path}: array {name!r}", shape, dtype, info.file_size - header_bytes, expected[name])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ModelError(f"{path}: cannot be read as numpy arrays without pickle ({exc}).") from None
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {a: npz[a] for a in _ARRAYS}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path}: cannot be read as numpy arrays without pickle ({exc}).") from None


def _load_embedding(folder: Path):
    """The static embedding, its ``vectors.npy`` header checked against the vocabulary first."""
    from themes.embedding import StaticEmbedding

    meta = read_json(folder / "embedding.json")
    dims = meta.get("dims") if isinstance(meta, dict) else None
    if not isinstance(dims, int) or isinstance(dims, bool) or not 0 < dims <= 4096:
        raise ModelError(f"{folder / 'embedding.json'}: 'dims' must be an integer in [1, 4096]. Got {dims!r} instead.")
    try:
        tokens = (folder / "vocab.txt").read_bytes().split(b"\n")
        n_tokens = len(tokens) - (tokens[-1] == b"")  # as the embedding reads it: one final newline
        vectors = folder / "vectors.npy"
        with open(vectors, "rb") as fh:
            shape, dtype, header_bytes = _npy_header(fh, str(vectors))
        _check_header(str(vectors), shape, dtype, vectors.stat().st_size - header_bytes, (n_tokens, dims))
        on_disk = np.load(vectors, allow_pickle=False)
        embedding = StaticEmbedding.load(folder)
    except (ValueError, OSError, KeyError) as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"{folder}: cannot be read ({exc}).") from None
    if not np.isfinite(on_disk).all():
        raise ModelError(f"{folder / 'vectors.npy'}: holds NaN or infinite values.")
    # StaticEmbedding.load keeps one instance per folder path for the process: a folder saved
    # again in place would be served the vectors read before.
    if embedding.vectors.shape != on_disk.shape or not np.array_equal(embedding.vectors, on_disk):
        raise ModelError(
            f"{folder}: changed on disk since this process first read it (the embedding is kept per "
            "process); restart the process to use the new model."
        )
    return embedding


def _check_values(folder: Path, arrays: dict, manifest: dict) -> None:
    """Refuse arrays that hold NaN/inf, thresholds outside [0, 1] or unlike the manifest's."""
    for name, array in arrays.items():
        if not np.isfinite(array).all():
            raise ModelError(f"{folder / 'arrays.npz'}: array {name!r} holds NaN or infinite values.")
    thresholds = arrays["thresholds"]
    if ((thresholds < 0) | (thresholds > 1)).any():
        raise ModelError(f"{folder / 'arrays.npz'}: thresholds must lie in [0, 1].")
    listed = np.array([manifest["thresholds"][t] for t in manifest["themes"]], dtype=np.float64)
    # The manifest rounds them to 4 decimals.
    differ = [t for t, a, b in zip(manifest["themes"], thresholds, listed) if abs(a - b) > 1e-3]
    if differ:
        raise ModelError(
            f"{folder / 'manifest.json'}: thresholds of {differ} differ from those in arrays.npz; "
            "the manifest does not describe these arrays."
        )


def save_model(
    model: ThemeModel,
    path: str | os.PathLike,
    manifest: dict,
    extra_files: dict[str, bytes | Path] | None = None,
    model_card: str | None = None,
    force: bool = False,
) -> Path:
    """Write a model folder atomically: build it beside ``path``, then rename.

    A crash leaves either no folder or the previous one; never half a model. Staging
    folders that killed saves left beside ``path`` (``.<name>.*.partial``) are removed first;
    a save still running elsewhere holds a lock on its own and is left alone
    (:func:`themes.atomic.staged_folder`).
    ``manifest`` gets ``files`` (sha256 of every file) filled in here.
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: already exists; pass force=True (--force) to replace it.")
    with staged_folder(target) as staging:
        # Stored, not deflated: a fresh process would spend more time inflating the
        # coefficients than loading everything else (the wheel compresses them anyway).
        np.savez(
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
        check_manifest(manifest, f"{target / 'manifest.json'} (being saved)")
        if list(manifest["themes"]) != list(model.themes):
            raise ModelError(f"{target / 'manifest.json'} (being saved): themes {manifest['themes']} are not the model's {list(model.themes)}.")
        _write_json(staging / "manifest.json", manifest)
        os.chmod(staging, 0o755)
    return target


def _write_json(path: Path, obj) -> None:
    # allow_nan=False: a NaN would be written as the non-JSON token NaN, which load refuses.
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n", encoding="utf-8")
