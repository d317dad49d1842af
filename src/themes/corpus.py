"""Corpus releases: read, validate, merge, split and count (training side).

A release is a folder with ``statements.jsonl`` (one statement a line) and
``manifest.json``. Releases build on one another: every release but the first names the
one it builds on (``builds_on``; null for the first), merging applies them in order, a later
record replaces an earlier one with the same id, and ``{"id": ..., "deleted": true}``
withdraws it. A release is written atomically (:func:`write_release`).

Examples
--------
>>> from themes.corpus import load_corpus, is_test_id
>>> corpus = load_corpus()
>>> len(corpus) > 3000
True
>>> is_test_id("cis-0001") == is_test_id("cis-0001")
True
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from themes.atomic import staged_folder, write_file
from themes.errors import CorpusError
from themes.jsonlines import read_jsonl
from themes.language import LANGUAGES
from themes.packaged import packaged
from themes.taxonomy import TAXONOMY_VERSION, THEME_IDS

__all__ = [
    "Release",
    "Statement",
    "TEST_FRACTION",
    "REALDEV_MAX_COSINE",
    "check_corpus",
    "find_realdev",
    "read_realdev",
    "realdev_overlaps",
    "corpus_stats",
    "is_record_number",
    "is_test_id",
    "line_of_key",
    "load_corpus",
    "merge_releases",
    "newest_release",
    "read_manifest",
    "release_folders",
    "read_release",
    "release_manifest",
    "shipped_corpus_path",
    "shipped_release_names",
    "shipped_releases",
    "stamp_release",
    "text_key",
    "train_test_split",
    "write_release",
]

TEST_FRACTION = 0.15
# A corpus statement whose TF-IDF word 1-3-gram cosine to a real development statement
# exceeds this is refused: the corpus is the team's own writing, never a paraphrase.
REALDEV_MAX_COSINE = 0.6
REALDEV_FILES = ("statements.jsonl", "statements_ru.jsonl")
STATEMENT_FIELDS = ("id", "text", "themes", "context", "style", "lang")
OPTIONAL_FIELDS = ("source",)
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Statement:
    """One labelled statement of the merged corpus."""

    id: str
    text: str
    themes: tuple[str, ...]
    context: str | None = None
    style: str = "unknown"
    lang: str = "en"
    release: str = ""

    def to_record(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "themes": list(self.themes),
            "context": self.context,
            "style": self.style,
            "lang": self.lang,
        }


@dataclass
class Release:
    """A release folder as read from disk: its manifest and its records with line numbers."""

    path: Path
    manifest: dict
    records: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.manifest.get("release", self.path.name))


def shipped_corpus_path() -> Path:
    """Folder holding the corpus releases shipped with the package."""
    return packaged("_corpus", "training/corpus")


def _release_dirs(root: Path) -> list[Path]:
    if (root / "statements.jsonl").is_file() or (root / "manifest.json").is_file():
        return [root]
    return _release_subfolders(root)


def _release_subfolders(root: Path) -> list[Path]:
    """The release folders in ``root``, in the order they build on one another."""
    # A hidden folder is none of them: ".<name>.*.partial" is a write that was killed before
    # its rename (see write_release).
    dirs = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").exists()]
    return _in_build_order(sorted(dirs, key=lambda p: _release_key(p.name)))


def newest_release(folder: str | os.PathLike, new: str | os.PathLike | None = None, new_name: str | None = None) -> Release | None:
    """The newest release in ``folder``: the last in the order its releases build on one
    another, which a new release there builds on by default (``themes import``); None when
    it holds none.

    Parameters
    ----------
    folder : path
        The folder that holds (or will hold) the releases.
    new : path, optional
        The folder of the release about to be written, left out (it is replaced with ``--force``).
    new_name : str, optional
        The name of that release, left out too: a release never builds on itself.

    Examples
    --------
    >>> newest_release(shipped_corpus_path()).path == shipped_releases()[-1]
    True
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    skip = Path(new).resolve() if new is not None else None
    for candidate in reversed(_release_subfolders(folder)):
        if candidate.resolve() == skip:
            continue
        release = Release(candidate, read_manifest(candidate))  # its statements unread
        if release.manifest and release.name != new_name:
            return release
    return None


def release_successor(base: str, folder: str | os.PathLike, new: str | os.PathLike | None = None) -> tuple[Release, Release] | None:
    """A release that already builds on ``base``: in ``folder`` (which holds the releases) or
    among the shipped releases, leaving out the one at ``new`` (replaced with ``--force``); a
    new release on ``base`` beside it would fork the chain (:func:`check_corpus` refuses that).

    Returns None when there is none, else that release and the newest release of the line
    that continues from it (the release itself when nothing builds on it), the base that puts
    a new release after them.

    Examples
    --------
    >>> first, second = shipped_releases()[-2:]
    >>> found, newest = release_successor(read_release(first).name, second.parent)
    >>> found.path == newest.path == second
    True
    >>> release_successor(read_release(second).name, second.parent) is None
    True
    """
    folder = Path(folder)
    skip = Path(new).resolve() if new is not None else None
    places = list(_release_subfolders(folder)) if folder.is_dir() else []
    seen = {p.resolve() for p in places}
    places += [p for p in shipped_releases() if p.resolve() not in seen]
    releases = [Release(p, read_manifest(p)) for p in places if p.resolve() != skip]  # statements unread
    on, _ = _first_on_each_base(releases)
    found = on.get(base)
    if found is None:
        return None
    return found, _newest_of_line(found, on)


def release_fork(
    folder: str | os.PathLike, new: str | os.PathLike | None = None, new_name: str | None = None, new_base: str | None = None
) -> tuple[Release, Release, Release] | None:
    """The first fork among the releases in ``folder`` (two of them on the same base), the
    release at ``new`` taken as named ``new_name`` on ``new_base`` (about to be written, or
    replaced with ``--force``); None when there is none. Its manifests alone are read.

    Returns the release first on that base, the second one (in the order they build on one
    another), and the newest release of the line that continues from the first: the base
    that puts the second after it (``themes corpus stamp SECOND --builds-on NEWEST``).

    Examples
    --------
    >>> last = shipped_releases()[-1]
    >>> release_fork(last.parent) is None
    True
    >>> first, second, newest = release_fork(last.parent, last.parent / "new", "new", read_manifest(last)["builds_on"])
    >>> first.path == newest.path == last, second.name
    (True, 'new')
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    here = Path(new).resolve() if new is not None else None
    added = Release(Path(new), {"release": new_name or Path(new).name, "builds_on": new_base}) if new is not None else None
    releases: list[Release] = []
    for candidate in _release_subfolders(folder):
        if candidate.resolve() == here:  # replaced: in its place, with its new name and base
            releases.append(added)
            added = None
            continue
        manifest = read_manifest(candidate)
        if manifest:
            releases.append(Release(candidate, manifest))  # statements unread
    if added is not None:
        releases.append(added)
    on, fork = _first_on_each_base(releases)
    if fork is None:
        return None
    first, second = fork
    return first, second, _newest_of_line(first, on)


def _first_on_each_base(releases: list[Release]) -> tuple[dict[str, Release], tuple[Release, Release] | None]:
    """Base name -> the first of ``releases`` (in build order) that builds on it, and the first
    fork: the first release on a base an earlier one builds on, with that earlier one (None
    when there is none). A release with no base, or on itself, is left out: check_corpus
    says so."""
    on: dict[str, Release] = {}
    fork = None
    for release in releases:
        base = release.manifest.get("builds_on")
        if not isinstance(base, str) or base == release.name:
            continue
        first = on.setdefault(base, release)
        if first is not release and fork is None:
            fork = (first, release)
    return on, fork


def _newest_of_line(first: Release, on: dict[str, Release]) -> Release:
    """The newest release of the line that continues from ``first`` (``on``: base name -> the
    release on it), ``first`` itself when nothing builds on it: the base that puts a new
    release after them. A cycle is the check's to report: the walk stops where it closes."""
    newest, line = first, {first.manifest["builds_on"], first.name}
    while newest.name in on and on[newest.name].name not in line:
        newest = on[newest.name]
        line.add(newest.name)
    return newest


def read_manifest(folder: str | os.PathLike) -> dict:
    """A release folder's manifest alone (its statements unread), {} where it is missing,
    unreadable or not an object (:func:`check_corpus` says so).

    Examples
    --------
    >>> read_manifest(shipped_releases()[0])["release"]
    '2025.1'
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _in_build_order(dirs: list[Path]) -> list[Path]:
    """``dirs`` (sorted by name) reordered so that a release comes after the one it builds
    on, where both are here: folder names need not sort like release names ("ls1", "dc1")."""
    base_of: dict[Path, str | None] = {}
    name_of: dict[str, Path] = {}
    for folder in dirs:
        manifest = read_manifest(folder)
        name = manifest.get("release")
        if isinstance(name, str):
            name_of.setdefault(name, folder)
        base = manifest.get("builds_on")
        base_of[folder] = base if isinstance(base, str) else None
    ordered: list[Path] = []
    placed: set[Path] = set()

    def place(folder: Path, chain: tuple = ()) -> None:
        if folder in placed or folder in chain:  # a cycle is left for the check to report
            return
        base = name_of.get(base_of[folder] or "")
        if base is not None and base != folder:
            place(base, chain + (folder,))
        placed.add(folder)
        ordered.append(folder)

    for folder in dirs:
        place(folder)
    return ordered


def text_key(text: str) -> str:
    """What makes two statements the same text: their words, case and spacing aside (a
    space before a full stop or comma is spacing too: a retyped copy often has one).

    Examples
    --------
    >>> text_key("Drones  attacked\\nthe post.") == text_key("DRONES attacked the post .")
    True
    """
    return _SPACE_BEFORE_PUNCTUATION.sub("", " ".join(text.split())).casefold()


_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?)\]»])")


def _not_a_release_folder(path: Path) -> str:
    """Why ``path`` is no release folder, with the fix when it is a file of one."""
    if path.is_file():
        return f"is a file; a release is the folder that holds statements.jsonl and manifest.json: give {path.parent}"
    return "no such release folder"


def _release_key(name: str):
    # Numbers before words, so that "2027.1" and "labelstudio" sort without comparing int and str.
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in name.replace("-", ".").split("."))


def shipped_releases() -> list[Path]:
    """Release folders shipped with the package, oldest first."""
    return _release_dirs(shipped_corpus_path())


def is_test_id(statement_id: str) -> bool:
    """True for the ~15% of ids in the fixed test split (a sha256 of the id decides).

    The split depends on the id alone, so a statement never moves between train and test
    across releases.
    """
    digest = hashlib.sha256(statement_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64 < TEST_FRACTION


_RECORD_NUMBER = re.compile(r"[+-]?[0-9]+")


def is_record_number(statement_id: str) -> bool:
    """True for an id that is only a number: an annotation tool's record key (Label Studio's
    task 17, doccano's example 3, a spreadsheet's row number), which another export or project
    numbers again, not a statement's own id.

    Examples
    --------
    >>> is_record_number("17"), is_record_number(" -4 "), is_record_number("cis-0017"), is_record_number("17a")
    (True, True, False, False)
    """
    return bool(_RECORD_NUMBER.fullmatch(statement_id.strip()))


def line_of_key(text: str, key: str) -> int:
    """The number of the first line of a JSON ``text`` (a manifest) that names ``key``, else 1:
    where a problem with that key is pointed at.

    Examples
    --------
    >>> line_of_key('{\\n "release": "r2",\\n "builds_on": "r2"\\n}', "builds_on")
    3
    """
    for n, line in enumerate(text.splitlines(), 1):
        if f'"{key}"' in line:
            return n
    return 1


def read_release(path: str | os.PathLike) -> Release:
    """Read one release folder; problems are collected, not raised."""
    folder = Path(path)
    manifest_path = folder / "manifest.json"
    statements_path = folder / "statements.jsonl"
    release = Release(folder, {})
    if not manifest_path.is_file():
        release.problems.append(f"{manifest_path}:1: missing manifest.json")
    else:
        try:
            release.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if not isinstance(release.manifest, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            release.problems.append(f"{manifest_path}:1: invalid JSON ({exc})")
            release.manifest = {}
    if not statements_path.is_file():
        release.problems.append(f"{statements_path}:1: missing statements.jsonl")
        return release
    for line in read_jsonl(statements_path, errors="yield", objects=True, blank_lines=True, error=CorpusError):
        n, record = line.number, line.value
        where = f"{statements_path}:{n}"
        if not line.ok:
            release.problems.append(f"{where}: {line.error}")
            continue
        release.problems.extend(f"{where}: {p}" for p in _record_problems(record))
        release.records.append((n, record))
    return release


def _record_problems(record: dict) -> list[str]:
    problems = []
    if record.get("deleted") is True:
        extra = sorted(set(record) - {"id", "deleted", *STATEMENT_FIELDS, *OPTIONAL_FIELDS})
        if not isinstance(record.get("id"), str) or not record.get("id"):
            problems.append("a withdrawal needs a non-empty string 'id'")
        if extra:
            problems.append(f"extra fields {extra}")
        return problems
    missing = [f for f in STATEMENT_FIELDS if f not in record]
    extra = sorted(set(record) - set(STATEMENT_FIELDS) - set(OPTIONAL_FIELDS) - {"deleted"})
    if missing:
        problems.append(f"missing fields {missing}")
    if extra:
        problems.append(f"extra fields {extra}")
    if "id" in record and (not isinstance(record["id"], str) or not record["id"].strip()):
        problems.append("'id' must be a non-empty string")
    if "text" in record:
        if not isinstance(record["text"], str):
            problems.append(f"'text' must be a string, got {type(record['text']).__name__}")
        elif not record["text"].strip():
            problems.append("empty text")
    if "themes" in record:
        themes = record["themes"]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            problems.append("'themes' must be a list of theme ids")
        else:
            unknown = [t for t in themes if t not in THEME_IDS]
            if unknown:
                problems.append(f"unknown theme ids {unknown}")
            if len(set(themes)) != len(themes):
                problems.append("a theme id is repeated")
    if "context" in record and record["context"] is not None and not isinstance(record["context"], str):
        problems.append("'context' must be a string or null")
    if "lang" in record and record["lang"] not in LANGUAGES:
        problems.append(f"'lang' must be one of {list(LANGUAGES)}, got {record['lang']!r}")
    if "deleted" in record and record["deleted"] is not True:
        problems.append("'deleted' must be true when present")
    return problems


def release_manifest(records: list[dict], release: str, builds_on: str | None, date: str, statements_sha256: str) -> dict:
    """The manifest of a release holding ``records``."""
    live = [r for r in records if not r.get("deleted")]
    counts = collections.Counter(t for r in live for t in r.get("themes", []))
    return {
        "release": release,
        "date": date,
        "taxonomy_version": TAXONOMY_VERSION,
        "builds_on": builds_on,
        "n_records": len(records),
        "n_statements": len(live),
        "n_deleted": len(records) - len(live),
        "theme_counts": {t: counts.get(t, 0) for t in THEME_IDS},
        "sha256": statements_sha256,
    }


def write_release(
    records: list[dict],
    out: str | os.PathLike,
    release: str,
    builds_on: str | None = None,
    date: str | None = None,
    force: bool = False,
    extra_files: dict[str, str] | None = None,
) -> Path:
    """Write ``records`` as a release folder (statements.jsonl + manifest.json), atomically.

    The folder is built beside ``out`` (``.<name>.*.partial``, the manifest written last) and
    renamed into place at the end, so a write that fails or is interrupted midway leaves no
    folder, or the release that was there before (``force``), never half a release. The
    other files of a release replaced with ``force`` are kept. ``extra_files`` (name -> text,
    e.g. an import's ``import_report.json``) are written into the folder in the same step.
    Staging folders that killed writes left beside ``out`` are removed first; they are never
    read as releases (hidden folders are skipped). The staging and the swap are
    :func:`themes.atomic.staged_folder`'s, as for a model folder.

    Raises
    ------
    CorpusError
        ``out`` is a file, or a folder that holds releases.
    themes.errors.OutputExistsError
        ``out`` holds a release and ``force`` is false.
    """
    import datetime

    from themes.errors import check_output

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise CorpusError(f"{folder}: is a file; a release is a folder (statements.jsonl, manifest.json): give a folder to write")
    check_output(folder / "statements.jsonl", force=force)
    held = sorted(p for p in folder.iterdir() if (p / "manifest.json").is_file()) if folder.is_dir() else []
    if held:
        # Written here, the folder would read as one release and hide the ones it holds.
        names = ", ".join(p.name for p in held[:5]) + (", ..." if len(held) > 5 else "")
        raise CorpusError(
            f"{folder}: holds releases ({names}); a release needs a folder of its own, e.g. {folder / release}"
        )
    extra_files = dict(extra_files or {})
    with staged_folder(folder) as staging:
        digest = hashlib.sha256()
        with open(staging / "statements.jsonl", "wb") as fh:
            for record in records:
                line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
                digest.update(line)
                fh.write(line)
        manifest = release_manifest(
            records, release, builds_on, date or datetime.date.today().isoformat(), digest.hexdigest()
        )
        for name, text in extra_files.items():
            (staging / name).write_text(text, encoding="utf-8")
        # Last: no manifest, no release.
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if folder.is_dir():
            ours = {"statements.jsonl", "manifest.json", *extra_files}
            for entry in folder.iterdir():  # the release's other files stay with it
                if entry.name in ours:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, staging / entry.name, symlinks=True)
                else:
                    shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
            shutil.copymode(folder, staging)
    return folder


def stamp_release(path: str | os.PathLike, builds_on: str | None = None) -> dict:
    """Record a hand-corrected ``statements.jsonl`` in its manifest: counts and sha256 from
    the file, name, base release and date kept; return the new manifest.

    For a correction made on purpose (after ``themes audit``, say): the check refuses a
    release whose file no longer matches its manifest, so that an accidental edit is never
    trained on. ``builds_on`` names the release it builds on instead of the one its manifest
    names (``themes corpus stamp DIR --builds-on NAME``): the fix of a release imported
    without ``--builds-on`` and given after another.

    Raises
    ------
    CorpusError
        The folder has no readable manifest, or the statements file has malformed lines
        (``file:line: problem`` each; nothing is written then).
    """
    release = read_release(path)
    folder = Path(path)
    if builds_on is not None and (not isinstance(builds_on, str) or not builds_on.strip()):
        raise CorpusError(f"The 'builds_on' parameter of stamp_release must be a release name. Got {builds_on!r} instead.")
    if not release.manifest:
        raise CorpusError(f"{folder / 'manifest.json'}: no readable manifest to stamp", release.problems)
    if builds_on is not None and builds_on == release.name:
        raise CorpusError(f"{folder / 'manifest.json'}: release {builds_on!r} cannot build on itself; give the release before it")
    if release.problems:
        raise CorpusError(f"{len(release.problems)} problem(s) in {folder}:\n" + "\n".join(release.problems), release.problems)
    body = (folder / "statements.jsonl").read_bytes()
    old = release.manifest
    manifest = release_manifest(
        [r for _, r in release.records], old.get("release", folder.name),
        old.get("builds_on") if builds_on is None else builds_on,
        old.get("date", ""), hashlib.sha256(body).hexdigest(),
    )
    manifest["taxonomy_version"] = old.get("taxonomy_version", manifest["taxonomy_version"])
    # Beside it, then renamed over it: an interrupted stamp leaves the old manifest whole.
    write_file(folder / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return manifest


def _manifest_problems(
    release: Release,
    known: dict[str, Path],
    later: set[str] = frozenset(),
    previous: Release | None = None,
    chain: bool = True,
) -> list[str]:
    """Problems of a release's manifest; ``known`` maps the names of the releases before it
    to their folders, ``later`` holds the names of the releases given after it, and
    ``previous`` is the release right before it (None for the first), whose name a release
    that builds on nothing is told to give (``chain``)."""
    problems = []
    manifest_path = release.path / "manifest.json"
    if not release.manifest:
        return problems
    text = manifest_path.read_text(encoding="utf-8")
    for key in ("release", "date", "taxonomy_version", "n_statements", "theme_counts", "sha256"):
        if key not in release.manifest:
            problems.append(f"{manifest_path}:1: missing key {key!r}")
    problems.extend(_chain_problems(release, previous if chain else None, manifest_path, text))
    statements_path = release.path / "statements.jsonl"
    if statements_path.is_file() and "sha256" in release.manifest:
        actual = hashlib.sha256(statements_path.read_bytes()).hexdigest()
        if actual != release.manifest["sha256"]:
            problems.append(
                f"{manifest_path}:{line_of_key(text, 'sha256')}: sha256 does not match statements.jsonl "
                f"(manifest {str(release.manifest['sha256'])[:12]}..., file {actual[:12]}...); if you edited "
                f"the file on purpose, `themes corpus stamp {release.path}` records it"
            )
    records = [r for _, r in release.records]
    expected = release_manifest(records, "", None, "", "")
    for key in ("n_statements", "n_records", "n_deleted"):
        if key in release.manifest and release.manifest[key] != expected[key]:
            problems.append(
                f"{manifest_path}:{line_of_key(text, key)}: {key} is {release.manifest[key]}, "
                f"statements.jsonl has {expected[key]}"
            )
    counts = release.manifest.get("theme_counts")
    if isinstance(counts, dict):
        for theme in sorted(set(counts) | set(expected["theme_counts"])):
            if counts.get(theme, 0) != expected["theme_counts"].get(theme, 0):
                problems.append(
                    f"{manifest_path}:{line_of_key(text, theme)}: theme_counts[{theme!r}] is "
                    f"{counts.get(theme, 0)}, statements.jsonl has {expected['theme_counts'].get(theme, 0)}"
                )
    name = release.manifest.get("release")
    if name in known:
        problems.append(f"{manifest_path}:{line_of_key(text, 'release')}: {name_clash(name, known[name])}")
    builds_on = release.manifest.get("builds_on")
    if not isinstance(builds_on, str):
        pass  # said by _chain_problems
    elif builds_on == name:
        mend = (
            f"; if it builds on release {previous.name!r} ({previous.path}) before it, run "
            f"`themes corpus stamp {release.path} --builds-on {previous.name}`"
            if previous is not None and previous.name != name
            else "; the first release has \"builds_on\": null"
        )
        problems.append(
            f"{manifest_path}:{line_of_key(text, 'builds_on')}: release {name!r} builds on itself; a release cannot "
            f"build on itself, it names the release before it{mend}"
        )
    elif builds_on not in known and not (previous is None and builds_on not in later and builds_on in shipped_release_names()):
        # (The first release given, on a shipped release left out by --no-shipped, starts
        # the chain there: themes import gives a release the newest shipped one as its base.)
        where = (
            "which comes after it here; give the releases in the order they build on one another"
            if builds_on in later
            else _missing_base(release, builds_on, previous)
        )
        problems.append(f"{manifest_path}:{line_of_key(text, 'builds_on')}: builds on release {builds_on!r}, {where}")
    return problems


def _missing_base(release: Release, base: str, previous: Release | None) -> str:
    """How a release whose base is neither given before it nor after it is told: the base may
    be a shipped release left out (``--no-shipped``), or the release before it may be meant.
    Said once per release: releases that share a missing base are no fork (see _fork_problems)."""
    shipped = shipped_release_names()
    said = "which is missing"
    if base in shipped:
        said += (
            f": a shipped release ({shipped[base]}), left out here; `themes corpus check` without --no-shipped "
            "checks releases on top of the shipped ones"
        )
    if previous is not None and previous.name != release.name:
        said += (
            f"; if it builds on release {previous.name!r} ({previous.path}) before it, run "
            f"`themes corpus stamp {release.path} --builds-on {previous.name}`"
        )
    return said


def _chain_problems(release: Release, previous: Release | None, manifest_path: Path, text: str) -> list[str]:
    """A broken link of the chain of releases: every release but the first names the one it
    builds on (``builds_on``); the first has ``"builds_on": null``. Merging applies releases
    in order, so a release that builds on nothing after another one would be trained on
    top of releases it was never checked against, without a word."""
    has_key = "builds_on" in release.manifest
    builds_on = release.manifest.get("builds_on")
    line = line_of_key(text, "builds_on") if has_key else 1
    where = f"{manifest_path}:{line}: release {release.name!r} (folder {release.path})"
    if has_key and builds_on is not None and not isinstance(builds_on, str):
        return [f"{where}: \"builds_on\" must be the name of a release (a string) or null, got {json.dumps(builds_on)}"]
    if isinstance(builds_on, str) and builds_on.strip():
        return []
    what = 'builds on nothing ("builds_on": null)' if has_key else 'has no "builds_on"'
    if builds_on == "" or (isinstance(builds_on, str) and not builds_on.strip()):
        what = f'builds on {json.dumps(builds_on)}, no release name'
    if previous is None:
        if has_key and builds_on is None:
            return []  # the first release
        return [f"{where} {what}; the first release has \"builds_on\": null, every later one the name of the release it builds on"]
    return [
        f"{where} {what}, but it comes after release {previous.name!r} ({previous.path}); every release but "
        f"the first names the release it builds on: expected \"builds_on\": {json.dumps(previous.name)}; "
        f"if it builds on that one, run `themes corpus stamp {release.path} --builds-on {previous.name}` "
        "(or import it again with --builds-on and --force)"
    ]


def _fork_problems(
    release: Release, built_on: dict[str, Release], previous: Release | None, known: dict[str, Path], later: set[str]
) -> list[str]:
    """A fork in the chain: ``release`` builds on a release that an earlier one builds on too.

    Both were made on top of the same release, but merging applies them one after the other,
    so the later one silently overrides, id by id, changes it was never made against.
    ``built_on`` (base name -> the first release given that builds on it) is filled here.
    """
    base = release.manifest.get("builds_on")
    if not isinstance(base, str) or not base.strip() or base == release.name:
        return []  # no base, or itself: said by _chain_problems and _manifest_problems
    if base not in known and base not in later:
        # A missing base, said once per release by _manifest_problems: releases on it (on a
        # shipped release, checked with --no-shipped) are not told they fork one another too.
        return []
    other = built_on.setdefault(base, release)
    if other is release or previous is None:
        return []
    manifest_path = release.path / "manifest.json"
    line = line_of_key(manifest_path.read_text(encoding="utf-8"), "builds_on")
    return [
        f"{manifest_path}:{line}: release {release.name!r} (folder {release.path}) builds on release {base!r}, "
        f"as release {other.name!r} ({other.path}) does: a fork in the chain; merging applies {release.name!r} "
        f"after {previous.name!r} ({previous.path}), over changes it was not made against; if it builds on "
        f"that one, run `themes corpus stamp {release.path} --builds-on {previous.name}`"
    ]


def name_clash(name: str, used_by: str | os.PathLike) -> str:
    """The problem of a release named like an earlier one (``check_corpus`` and ``themes
    import`` say it in the same words)."""
    return f"release name {name!r} is already used by {used_by}; give each release a name of its own"


def shipped_release_names() -> dict[str, Path]:
    """Names of the shipped releases -> their folders."""
    names = {}
    for folder in shipped_releases():
        names.setdefault(str(read_manifest(folder).get("release", folder.name)), folder)
    return names


def realdev_places() -> list[Path]:
    """Where :func:`find_realdev` looks: ``$THEMES_REALDEV``, else ``../shared/realdev``
    beside the checkout the package runs from (an editable install) and beside the current
    folder (a checkout installed with ``pip install .``, whose package lives elsewhere);
    also for the notice that says the comparison was not run."""
    env = os.environ.get("THEMES_REALDEV")
    if env:
        return [Path(env)]
    places = [_PACKAGE.parents[2] / "shared" / "realdev", Path.cwd().parent / "shared" / "realdev"]
    return list(dict.fromkeys(places))


def find_realdev() -> Path | None:
    """Return the folder of real development statements, or None where it is absent.

    ``$THEMES_REALDEV`` names it; otherwise ``../shared/realdev`` beside the checkout is
    used when it exists. Real statements are read from there, never copied into the
    project.

    Examples
    --------
    >>> from themes.corpus import find_realdev
    >>> folder = find_realdev()
    >>> folder is None or (folder / "statements.jsonl").is_file()
    True
    """
    for folder in realdev_places():
        if (folder / "statements.jsonl").is_file():
            return folder
    return None


def read_realdev(folder: str | os.PathLike | None = None, lang: str | None = None) -> list[dict]:
    """Read the real development statements (English, Russian or both).

    Parameters
    ----------
    folder : path, optional
        The realdev folder; default :func:`find_realdev`.
    lang : {"en", "ru", None}
        Which file to read; None reads both.

    Returns
    -------
    list of dict
        Records with ``id``, ``text``, ``context``, ``themes`` and ``lang``; empty when
        no folder is found.
    """
    folder = Path(folder) if folder is not None else find_realdev()
    if folder is None:
        return []
    records = []
    for name in REALDEV_FILES:
        file_lang = "ru" if name.endswith("_ru.jsonl") else "en"
        path = folder / name
        if (lang is not None and lang != file_lang) or not path.is_file():
            continue
        for line in read_jsonl(path, objects=True, error=CorpusError):
            record = line.value
            record.setdefault("lang", file_lang)
            records.append(record)
    return records


def realdev_overlaps(texts, realdev_texts, max_cosine: float = REALDEV_MAX_COSINE) -> list[tuple[int, int, float]]:
    """Find corpus texts too close to real development statements.

    Closeness is the cosine of TF-IDF vectors over word 1-3-grams (fitted on both sets
    together), the measure the realdev README names.

    Parameters
    ----------
    texts : list of str
        Corpus statements.
    realdev_texts : list of str
        Real statements.
    max_cosine : float
        Pairs above this are returned.

    Returns
    -------
    list of (int, int, float)
        (index in texts, index in realdev_texts, cosine), most similar first.

    Examples
    --------
    >>> realdev_overlaps(["The border guards of the two states met in Minsk."],
    ...                  ["The border guards of the two states met in Minsk on Friday."])[0][:2]
    (0, 0)
    >>> realdev_overlaps(["Drones were seized."], ["The budget was adopted."])
    []
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, realdev_texts = list(texts), list(realdev_texts)
    if not texts or not realdev_texts:
        return []
    vectorizer = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, lowercase=True)
    vectorizer.fit(texts + realdev_texts)
    similarity = (vectorizer.transform(texts) @ vectorizer.transform(realdev_texts).T).tocoo()
    hits = [
        (int(i), int(j), float(v))
        for i, j, v in zip(similarity.row, similarity.col, similarity.data)
        if v > max_cosine
    ]
    return sorted(hits, key=lambda hit: -hit[2])


def check_corpus(paths, realdev: str | os.PathLike | None | bool = None, chain: bool = True) -> list[str]:
    """Validate release folders (or folders of releases) and return every problem found.

    Each problem reads ``file:line: what is wrong``. Releases are checked in order and
    merged as they go, so a broken chain (a release after the first that builds on nothing,
    or on a release not given before it, or a fork: two releases that build on the same
    one), withdrawals of unknown ids, conflicting labels
    across releases, the text of an earlier release's statement under another id (a copy,
    which would train twice on one text, or on a test statement) and a tool's record number
    (:func:`is_record_number`) that an earlier release gave another text are found too.

    Parameters
    ----------
    paths : path or list of paths
        Release folders, or folders whose subfolders are releases.
    realdev : path, False or None
        The folder of real development statements; every corpus statement whose
        word 1-3-gram TF-IDF cosine to one of them exceeds ``REALDEV_MAX_COSINE`` is a
        problem. None finds it with :func:`find_realdev` (skipped where absent); False
        skips the check.
    chain : bool
        Refuse a release after the first that builds on nothing (``"builds_on"`` null or
        missing), naming its manifest, the release expected there and the command that
        sets it. Merging for training and comparing (:func:`merge_releases`) checks with
        the chain too: it refuses what ``themes corpus check`` refuses.

    Returns
    -------
    list of str
        Empty when everything validates.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    folders: list[Path] = []
    problems: list[str] = []
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            problems.append(f"{p}: {_not_a_release_folder(p)}")  # a path, no line to point at
            continue
        found = _release_dirs(p)
        if not found:
            problems.append(f"{p}: no release (manifest.json) in this folder")
        folders.extend(found)
    known: dict[str, Path] = {}
    merged: dict[str, tuple[str, dict, int]] = {}  # id -> (file:line, record, release position)
    built_on: dict[str, Release] = {}  # base release name -> the first release given that builds on it
    releases = [read_release(folder) for folder in folders]
    for position, release in enumerate(releases):
        folder = release.path
        problems.extend(release.problems)
        later = {r.name for r in releases[position + 1 :]}
        previous = releases[position - 1] if position else None
        problems.extend(_manifest_problems(release, known, later, previous, chain))
        if release.name not in known:  # a release given twice is a name clash, said above
            problems.extend(_fork_problems(release, built_on, previous, known, later))
        known.setdefault(release.name, folder)
        statements_path = folder / "statements.jsonl"
        first_line: dict[str, int] = {}
        by_text: dict[str, tuple[int, tuple]] = {}
        for n, record in release.records:
            rid = record.get("id")
            if not isinstance(rid, str):
                continue
            if rid in first_line:
                problems.append(f"{statements_path}:{n}: duplicate id {rid!r} (first on line {first_line[rid]})")
                continue
            first_line[rid] = n
            if record.get("deleted") is True:
                if rid not in merged:
                    problems.append(f"{statements_path}:{n}: withdraws id {rid!r}, which no earlier release has")
                merged.pop(rid, None)
                continue
            text = record.get("text")
            if isinstance(text, str) and isinstance(record.get("themes"), list):
                key = text_key(text)
                labels = tuple(sorted(record["themes"]))
                if key in by_text and by_text[key][1] != labels:
                    problems.append(
                        f"{statements_path}:{n}: same text as line {by_text[key][0]} with different labels "
                        f"({_labels(labels)} here, {_labels(by_text[key][1])} on line {by_text[key][0]}); "
                        "keep one of the two records, with the labels the codebook gives"
                    )
                elif key in by_text:
                    problems.append(
                        f"{statements_path}:{n}: {rid!r} has the same text as line {by_text[key][0]} under another id "
                        "(one statement trained twice, or in both splits); keep one of the two records"
                    )
                by_text.setdefault(key, (n, labels))
                earlier = merged.get(rid)
                if earlier is not None and earlier[2] != position and is_record_number(rid):
                    other_text = earlier[1].get("text")
                    if isinstance(other_text, str) and text_key(other_text) != key:
                        problems.append(
                            f"{statements_path}:{n}: id {rid!r}{_from_source(record)} is the id of another statement "
                            f"at {earlier[0]}{_from_source(earlier[1])}: two exports' record numbers collide, and this "
                            "text would replace that one; import with --id-from auto (ids from the text), or give "
                            "the earlier text to relabel that statement"
                        )
            merged[rid] = (f"{statements_path}:{n}", record, position)
    problems.extend(_copies_across_releases(merged))
    if realdev is not False:
        real = read_realdev(realdev)
        kept = [(where, r) for where, r, _ in merged.values() if isinstance(r.get("text"), str)]
        for i, j, cosine in realdev_overlaps([r["text"] for _, r in kept], [r.get("text", "") for r in real]):
            problems.append(
                f"{kept[i][0]}: too close to real development statement {real[j].get('id')!r} "
                f"(TF-IDF cosine {cosine:.2f} > {REALDEV_MAX_COSINE}); write your own statement, never a paraphrase"
            )
    return problems


def _from_source(record: dict) -> str:
    """`` (from labelstudio:export.json:3 (task 1))`` for a record an import wrote, else ``""``."""
    source = record.get("source")
    return f" (from {source})" if isinstance(source, str) and source else ""


def _labels(themes) -> str:
    return ", ".join(themes) if themes else "no theme"


def _copies_across_releases(merged: dict[str, tuple[str, dict, int]]) -> list[str]:
    """A statement whose text (:func:`text_key`) is that of a statement of an earlier
    release under another id: a copy, which trains twice on one text (and, when the earlier
    id is in the test split, trains on a test statement). The earlier id is to be relabelled
    or withdrawn instead."""
    problems = []
    first: dict[str, tuple[str, str, tuple, int]] = {}  # text key -> (where, id, labels, position)
    live = [(rid, *value) for rid, value in merged.items()]
    live.sort(key=lambda item: item[3])  # a relabelled id stays where it was added; order by release
    for rid, where, record, position in live:
        text, themes = record.get("text"), record.get("themes")
        if not isinstance(text, str) or not isinstance(themes, list):
            continue
        key, labels = text_key(text), tuple(sorted(themes))
        if key not in first:
            first[key] = (where, rid, labels, position)
            continue
        other_where, other_id, other_labels, other_position = first[key]
        if other_position == position:
            continue  # within one release: reported above when the labels differ
        split = "in the test split" if is_test_id(other_id) else "in the train split"
        if other_labels != labels:
            problems.append(
                f"{where}: same text as {other_id!r} at {other_where} ({split}) with different labels "
                f"({_labels(labels)} here, {_labels(other_labels)} there); to change its labels, "
                f"repeat {other_id!r} with the new themes in this release instead of adding a copy under {rid!r}"
            )
        else:
            leak = "; this copy would train on a test statement" if is_test_id(other_id) else ""
            problems.append(
                f"{where}: {rid!r} has the same text as {other_id!r} at {other_where} ({split}){leak}; "
                f"to relabel or correct it, repeat {other_id!r} (or withdraw it), else drop the copy"
            )
    return problems


@dataclass
class MergeReport:
    """What merging releases changed, per release: ids added, relabelled and withdrawn.

    ``themes_of`` keeps the themes of every added and withdrawn statement, so changes can be
    counted per theme.
    """

    added: dict[str, list[str]] = field(default_factory=dict)
    relabelled: dict[str, list[tuple[str, list[str], list[str]]]] = field(default_factory=dict)
    withdrawn: dict[str, list[str]] = field(default_factory=dict)
    themes_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Ids whose text a release changed (beyond white space and case), per release.
    retexted: dict[str, list[str]] = field(default_factory=dict)

    def per_theme(self, release: str) -> dict[str, dict[str, int]]:
        """For one release: per theme, statements added, withdrawn, and gained or lost by relabelling."""
        out = {t: {"added": 0, "withdrawn": 0, "gained": 0, "lost": 0} for t in THEME_IDS}
        for rid in self.added.get(release, []):
            for t in self.themes_of.get(rid, ()):
                out[t]["added"] += 1
        for rid in self.withdrawn.get(release, []):
            for t in self.themes_of.get(f"withdrawn:{release}:{rid}", ()):
                out[t]["withdrawn"] += 1
        for _, old, new in self.relabelled.get(release, []):
            for t in set(new) - set(old):
                out[t]["gained"] += 1
            for t in set(old) - set(new):
                out[t]["lost"] += 1
        return out

    def to_dict(self) -> dict:
        return {
            "added": {r: len(v) for r, v in self.added.items()},
            "relabelled": {r: [{"id": i, "old": o, "new": n} for i, o, n in v] for r, v in self.relabelled.items()},
            "withdrawn": self.withdrawn,
            "retexted": {r: v for r, v in self.retexted.items() if v},
            "per_theme": {r: self.per_theme(r) for r in self.added},
        }


def release_folders(paths) -> list[Path]:
    """The release folders behind ``paths``, in order: each path is a release folder, or a
    folder of releases read in the order they build on one another.

    Raises
    ------
    CorpusError
        A path that is not a folder (with what it is instead).
    """
    folders: list[Path] = []
    for p in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        if not Path(p).is_dir():
            why = _not_a_release_folder(Path(p))
            raise CorpusError(f"{p}: {why}", [f"{p}: {why}"])
        folders.extend(_release_dirs(Path(p)))
    return folders


def merge_releases(paths, strict: bool = True) -> tuple[list[Statement], MergeReport]:
    """Merge release folders in order: later records override earlier ones id by id.

    Raises
    ------
    CorpusError
        With ``strict`` (the default), when any release does not validate, as
        :func:`check_corpus` finds it, the chain of ``builds_on`` included (a release after
        the first that builds on nothing is refused, with the command that names its base);
        ``problems`` lists every ``file:line: problem``.
    """
    folders = release_folders(paths)
    if strict:
        # The same check as `themes corpus check`: what it refuses is never trained on.
        problems = check_corpus(folders)
        if problems:
            raise CorpusError(f"{len(problems)} problem(s) in the corpus:\n" + "\n".join(problems), problems)
    merged: dict[str, Statement] = {}
    report = MergeReport()
    for folder in folders:
        release = read_release(folder)
        name = release.name
        report.added[name], report.relabelled[name], report.withdrawn[name] = [], [], []
        report.retexted[name] = []
        for _, record in release.records:
            rid = record.get("id")
            if record.get("deleted") is True:
                gone = merged.pop(rid, None)
                if gone is not None:
                    report.withdrawn[name].append(rid)
                    report.themes_of[f"withdrawn:{name}:{rid}"] = gone.themes
                continue
            statement = Statement(
                id=rid,
                text=record["text"],
                themes=tuple(record["themes"]),
                context=record.get("context"),
                style=record.get("style") or "unknown",
                lang=record.get("lang") or "en",
                release=name,
            )
            old = merged.get(rid)
            if old is None:
                report.added[name].append(rid)
                report.themes_of[rid] = statement.themes
            else:
                if set(old.themes) != set(statement.themes):
                    report.relabelled[name].append((rid, sorted(old.themes), sorted(statement.themes)))
                if text_key(old.text) != text_key(statement.text):
                    report.retexted[name].append(rid)  # said, never silent: a new statement under an old id
                if statement.style == "unknown" and old.style != "unknown":
                    # A correction from an annotation tool carries no style: the id keeps its own.
                    statement = dataclasses.replace(statement, style=old.style)
            merged[rid] = statement
    return list(merged.values()), report


def load_corpus(extra_releases=(), include_shipped: bool = True) -> list[Statement]:
    """The merged corpus: the shipped releases, then ``extra_releases`` in order."""
    folders = (shipped_releases() if include_shipped else []) + [Path(p) for p in extra_releases]
    statements, _ = merge_releases(folders)
    return statements


def train_test_split(statements: list[Statement]) -> tuple[list[Statement], list[Statement]]:
    """Split by :func:`is_test_id`: (train, test)."""
    train = [s for s in statements if not is_test_id(s.id)]
    test = [s for s in statements if is_test_id(s.id)]
    return train, test


def corpus_stats(statements: list[Statement]) -> dict:
    """Counts of the merged corpus: size, per theme, multi-label, none, per style and language, split."""
    n = len(statements)
    per_theme = collections.Counter(t for s in statements for t in s.themes)
    per_style = collections.Counter(s.style for s in statements)
    n_labels = collections.Counter(len(s.themes) for s in statements)
    words = sorted(len(s.text.split()) for s in statements)
    return {
        "statements": n,
        "test_split": sum(is_test_id(s.id) for s in statements),
        "per_theme": {t: per_theme.get(t, 0) for t in THEME_IDS},
        "none": n_labels.get(0, 0),
        "multi_label": sum(c for k, c in n_labels.items() if k >= 2),
        "with_context": sum(s.context is not None for s in statements),
        "per_style": dict(sorted(per_style.items())),
        "per_language": dict(sorted(collections.Counter(s.lang for s in statements).items())),
        "words_min_median_max": [words[0], words[n // 2], words[-1]] if words else [0, 0, 0],
    }
