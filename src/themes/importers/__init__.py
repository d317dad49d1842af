"""Turn annotation-tool exports into corpus releases: Label Studio, doccano, Prodigy, CSV.

:func:`import_export` reads an export, decides each statement's themes and writes a
release folder (``statements.jsonl`` + ``manifest.json``) that ``themes train --release``
takes. Every input record ends up either in the release or in the report with its reason.

How labels are decided
----------------------
- Several annotators of one statement: a theme is kept when more than half of the
  annotators who judged it chose it; every statement where annotators differ is listed
  in ``ImportReport.disagreements`` with the votes per theme.
- One vote per annotator: when the export names the annotator (CSV ``annotator``, Label
  Studio ``completed_by``, doccano's per-user files or ``user``, Prodigy ``_annotator_id``)
  and they answered a statement again, their last answer in file order counts; the
  earlier ones are listed in ``ImportReport.superseded`` (and a record left with no
  answer in ``skipped``).
- Cancelled, skipped or ignored annotations are left out and counted.
- An annotation with no choice is a vote for "no theme"; a record nobody annotated is
  reported ("not annotated"), never read as "no theme": a Label Studio task without
  annotations, a row of its CSV export without an ``annotation_id``, a Prodigy line without
  an answer. doccano writes both the same way (``"label": []``): see
  :mod:`themes.importers.doccano` for what is read from the line, the ``empty_labels``
  option, and the warning that counts the empty lists read as "no theme".
- A binary answer (Prodigy's ``{"label": ..., "answer": ...}``) judges one theme, and a
  release has no way to say "not judged": a statement known only from binary answers is
  imported when they judge every theme together, and otherwise they are refused into
  ``skipped``.
- Label names must be theme ids after ``mapping`` (``{"drones": "uav"}``; map to ``""`` to
  drop a label); any other name is an error listing each name with the lines it is on and,
  when one is close (another case, a theme's display name, a near spelling), the theme id
  meant. A ``mapping`` entry that matches no label of the export is a warning
  (``ImportReport.warnings``, and a :class:`UserWarning`).
- Ids: ``id_from="auto"`` takes the export's id when it is a string that is not a number,
  and else ``sha256-`` + the hash of the text: a number (``17``, or ``"17"`` as a CSV cell
  holds it) is the tool's record key, which the next export, project or spreadsheet uses
  again for another statement. ``"text"`` always hashes; ``"export"`` also takes the tool's
  numbers (to relabel, from a later export of the same project, statements imported so) and
  skips records without one; a number that an earlier release gave another text is refused
  by ``themes corpus check`` and ``themes train``, naming both records and their exports.
- Records of the same statement (same id) are pooled as annotators' votes; a second
  statement with the same text as an earlier one is skipped and reported.

Examples
--------
>>> import pathlib, shutil, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "labels.csv").write_text(
...     "text,themes\\nDrones hit the pipeline.,uav;critical_infrastructure\\n,uav\\n")
>>> report = import_export("csv", folder / "labels.csv", folder / "release", release="r1")
>>> report.n_records, report.n_statements, report.skipped[0][1]
(2, 1, 'no text')
>>> sorted(p.name for p in (folder / "release").iterdir())
['import_report.json', 'manifest.json', 'statements.jsonl']
>>> shutil.rmtree(folder)
"""

from __future__ import annotations

import collections
import difflib
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from themes.errors import CorpusError, InvalidInputError, ParameterError
from themes.importers._base import OPTION_NAMES, ExportRecord, Vote, invalid_unicode, normalize_text, option_setting, printable_place, text_id
from themes.api import not_scored_reason
from themes.corpus import text_key
from themes.language import LANGUAGES, detect_language
from themes.taxonomy import THEME_IDS, THEMES

__all__ = ["BASE_SOURCES", "FORMATS", "ImportReport", "import_export", "read_export", "suggest_theme", "text_id"]

#: Export formats :func:`import_export` reads.
FORMATS = ("labelstudio", "doccano", "prodigy", "csv")
ID_SOURCES = ("auto", "text", "export")
#: Where :func:`import_export` took the base of a release from (``ImportReport.builds_on_from``).
BASE_SOURCES = ("builds_on", "replaced", "folder", "shipped", "none", "first_of_chain")
_THEMES = frozenset(THEME_IDS)


@dataclass
class ImportReport:
    """What an import did with every input record.

    Attributes
    ----------
    placed : list of (where, id)
        Input records that went into the release, with the id of their statement (records
        of the same statement share it).
    skipped : list of (where, reason)
        Input records left out, and why.
    cancelled : int
        Annotations left out because they were cancelled, skipped or ignored.
    superseded : list of (where, reason)
        Answers left out because the same annotator answered the same statement again
        later in the export (the last answer counts).
    disagreements : list of dict
        Statements whose annotators differed: ``id``, ``where``, ``votes`` (theme ->
        [chose it, judged it]) and the ``themes`` kept.
    statements : list of dict
        The release records, in the order written.
    warnings : list of str
        What the import did not stop for but the user should see (a ``mapping`` entry
        that renamed nothing).
    builds_on : str or None
        The release the new release builds on, as its manifest records it.
    builds_on_from : str or None
        Where that base came from (:data:`BASE_SOURCES`): ``"builds_on"`` (given),
        ``"replaced"`` (the base of the release ``force`` replaces), ``"folder"`` (the
        newest release in the folder that holds ``out``), ``"shipped"`` (the newest
        shipped release: none in that folder), ``"none"`` (no release there, none
        shipped) or ``"first_of_chain"`` (asked for); None when nothing is written
        (``out`` is None).
    """

    format: str
    source: str
    out: str | None
    release: str
    placed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    cancelled: int = 0
    superseded: list[tuple[str, str]] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)
    mapped: dict[str, int] = field(default_factory=dict)
    statements: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    builds_on: str | None = None
    builds_on_from: str | None = None

    @property
    def n_records(self) -> int:
        """Input records read: every one is either placed or skipped."""
        return len(self.placed) + len(self.skipped)

    @property
    def n_statements(self) -> int:
        return len(self.statements)

    def skip_reasons(self) -> dict[str, int]:
        """How many records were skipped for each reason (ids and places left out)."""
        return dict(collections.Counter(_reason_kind(r) for _, r in self.skipped).most_common())

    def to_dict(self) -> dict:
        return {
            "format": self.format,
            "source": self.source,
            "out": self.out,
            "release": self.release,
            "builds_on": self.builds_on,
            "records": self.n_records,
            "statements": self.n_statements,
            "theme_counts": dict(
                collections.Counter(t for s in self.statements for t in s["themes"]).most_common()
            ),
            "cancelled_annotations": self.cancelled,
            "superseded_answers": len(self.superseded),
            "mapped": self.mapped,
            "warnings": self.warnings,
            "disagreements": self.disagreements,
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "superseded": [{"where": w, "reason": r} for w, r in self.superseded],
            "placed": [{"where": w, "id": i} for w, i in self.placed],
        }


def _reason_kind(reason: str) -> str:
    # "same text as x.json:3 (id a) ..." -> "same text as an earlier record": group like reasons.
    for prefix, kind in (
        ("same text as", "same text as an earlier statement"),
        ("id ", "id already used for another text"),
        ("all ", "all annotations cancelled"),
        ("annotator ", "answered again by the same annotator"),
        ("binary answer", "binary answer on one label"),
        ("not imported:", "not in a language the model reads"),
    ):
        if reason.startswith(prefix):
            return kind
    return reason


#: The reader options of each format (``**options`` of :func:`import_export`).
OPTIONS = {
    "csv": ("text_column", "themes_column", "separator", "delimiter"),
    "doccano": ("empty_labels",),
}


def read_export(format: str, path, *, option_names: str = "python", **options) -> list[ExportRecord]:
    """Parse an export into records, without deciding anything.

    ``options`` go to the reader: for ``csv``, ``text_column``, ``themes_column``,
    ``separator`` and ``delimiter``; for ``doccano``, ``empty_labels``. ``option_names``
    (:data:`~themes.importers._base.OPTION_NAMES`) is how a skip reason names an option.
    """
    if format not in FORMATS:
        raise InvalidInputError(f"The 'format' parameter of import_export must be one of {list(FORMATS)}. Got {format!r} instead.")
    allowed = OPTIONS.get(format, ())
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        takes = f"its options: {', '.join(allowed)}" if allowed else "it takes none"
        raise InvalidInputError(f"The options {unknown} do not apply to the {format!r} format ({takes}).")
    if format == "labelstudio":
        from themes.importers.labelstudio import read_labelstudio as reader
    elif format == "doccano":
        from themes.importers.doccano import read_doccano as reader
    elif format == "prodigy":
        from themes.importers.prodigy import read_prodigy as reader
    else:
        from themes.importers.csv_export import read_csv as reader
    if not Path(path).exists():
        raise CorpusError(f"{path}: no such file or folder.")
    if format != "csv":
        table = _csv_first_line(Path(path))
        if table is not None:
            raise CorpusError(
                f"{path}: looks like CSV (its first line is {table!r}), not a {format} export (JSON); a table of "
                f"labels, a Label Studio CSV export too, is read by: themes import csv {path} --out DIR "
                "(--text-column and --themes-column name its columns)"
            )
    if format == "doccano":
        options["option_names"] = option_names  # the one reader whose skip reasons name an option
    return list(reader(path, **options))


def _csv_first_line(path: Path) -> str | None:
    """The first line of ``path`` if the file reads as CSV rather than JSON (a comma, tab or
    semicolon in a first line that is no JSON and opens no object or array), else None."""
    if not path.is_file() or path.suffix.lower() == ".zip":
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None  # the reader says why
    lines = head.decode("utf-8-sig", errors="replace").lstrip().splitlines()
    first = lines[0].strip() if lines else ""
    if not first or first[0] in "{[" or not any(c in first for c in ",\t;"):
        return None
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return first if len(first) <= 60 else first[:57] + "..."
    return None


def _check_mapping(mapping) -> dict[str, str]:
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise InvalidInputError(
            f"The 'mapping' parameter of import_export must be a dict of label name -> theme id. Got {type(mapping).__name__} instead."
        )
    bad = {old: new for old, new in mapping.items() if new not in THEME_IDS and new not in ("", None)}
    if bad:
        raise InvalidInputError(
            "The 'mapping' parameter of import_export maps to names that are not theme ids: "
            + ", ".join(f"{old}={new}" for old, new in bad.items())
            + f". Theme ids: {', '.join(THEME_IDS)}."
        )
    return {old: new or "" for old, new in mapping.items()}


def _loose(name: str) -> str:
    """A label name compared loosely: case, ``_``, ``-`` and runs of spaces do not count."""
    return " ".join(re.sub(r"[_\-\s]+", " ", name).split()).casefold()


# Theme ids and display names (taxonomy.json), loosely written -> theme id.
_LOOSE_NAMES: dict[str, str] = {}
for _theme in THEMES:
    _LOOSE_NAMES.setdefault(_loose(_theme.id), _theme.id)
    _LOOSE_NAMES.setdefault(_loose(_theme.name), _theme.id)


def suggest_theme(name: str) -> str | None:
    """The theme id a label name outside the taxonomy probably means, or None.

    The id in another case or with spaces for underscores, or a theme's display name from
    the taxonomy, is that theme; else the closest id or display name by
    :func:`difflib.get_close_matches`. Only a suggestion: the import still refuses the name.

    Examples
    --------
    >>> suggest_theme("UAV"), suggest_theme("Exercises_Training"), suggest_theme("Unmanned aerial vehicles")
    ('uav', 'exercises_training', 'uav')
    >>> suggest_theme("drug trafficing"), suggest_theme("weather") is None
    ('drug_trafficking', True)
    """
    loose = _loose(name)
    if loose in _LOOSE_NAMES:
        return _LOOSE_NAMES[loose]
    close = difflib.get_close_matches(loose, list(_LOOSE_NAMES), n=1)
    return _LOOSE_NAMES[close[0]] if close else None


def _unknown_error(source, unknown: dict[str, list[str]]) -> CorpusError:
    meant = {name: suggest_theme(name) for name in unknown}
    hint = {name: f" (did you mean {theme!r}?)" if theme else "" for name, theme in meant.items()}
    problems = [
        f"{where}: label {name!r} is not a theme id{hint[name]}" for name, places in unknown.items() for where in places
    ]
    listed = "; ".join(
        f"{name!r} on {', '.join(places[:5])}" + (f" and {len(places) - 5} more" if len(places) > 5 else "") + hint[name]
        for name, places in unknown.items()
    )
    names = list(unknown)
    maps = " ".join(f"--map '{name}={meant[name] or 'THEME_ID'}'" for name in names[:5]) + (" ..." if len(names) > 5 else "")
    # One line: the command line prints only the first line of an error that lists several
    # problems, and the fix must survive that.
    return CorpusError(
        f"{source}: {len(unknown)} label name(s) not in the taxonomy: {listed}. "
        f"Rename each with --map OLD=NEW (here: {maps}) or drop it with --map '{names[0]}='; "
        f"theme ids: {', '.join(THEME_IDS)}",
        problems,
    )


def _names(themes: list[str]) -> str:
    return ", ".join(themes) if themes else "no theme"


def _unused_mapping(mapping: dict[str, str], labels: dict[str, None]) -> list[str]:
    """A warning for each ``mapping`` entry whose name is no label of the export (a typo,
    or a map meant for another export): it renamed nothing, which the user should know."""
    notes = []
    others = [name for name in labels if name not in _THEMES]  # the names a map is for
    for old, new in mapping.items():
        if old in labels:
            continue
        close = difflib.get_close_matches(old, others[:1000], n=1)
        if close:
            hint = f"did you mean {close[0]!r}?"
        elif others:
            hint = "its labels that are not theme ids: " + ", ".join(map(repr, others[:10])) + (", ..." if len(others) > 10 else "")
        else:
            hint = "all its labels are theme ids"
        notes.append(f"--map {old}={new}: no label {old!r} in the export, so it renamed nothing ({hint})")
    return notes


def _one_answer_each(sid: str, records: list[ExportRecord], report: ImportReport) -> tuple[list[ExportRecord], list[Vote]]:
    """The records and votes of a statement once each annotator answers it once.

    Two answers of the same annotator about the same labels (``judged``) are one answer
    given twice: the last in file order counts. The earlier ones go to
    ``report.superseded``, and a record left without an answer to ``report.skipped``.
    Answers without an annotator are all kept (nothing tells whose they are).
    """
    last: dict[tuple, tuple[int, int]] = {}  # (annotator, judged) -> (record, vote) of the last answer
    for r, record in enumerate(records):
        for v, vote in enumerate(record.votes):
            if vote.annotator is not None:
                last[(vote.annotator, vote.judged)] = (r, v)
    if sum(len(record.votes) for record in records) == len(last):  # the usual case: nobody answered twice
        return records, [vote for record in records for vote in record.votes]

    def place(r: int, v: int) -> str:
        vote = records[r].votes[v]
        return records[r].where if vote.where is None else printable_place(vote.where)

    kept_records, kept_votes = [], []
    for r, record in enumerate(records):
        kept, reason = [], None
        for v, vote in enumerate(record.votes):
            key = (vote.annotator, vote.judged)
            if vote.annotator is None or last[key] == (r, v):
                kept.append(vote)
                continue
            reason = f"annotator {vote.annotator!r} answered item {sid!r} again at {place(*last[key])}; the last answer counts"
            report.superseded.append((place(r, v), reason))
        if kept:
            kept_records.append(record)
            kept_votes.extend(kept)
        else:
            report.skipped.append((record.where, reason))
    return kept_records, kept_votes


def _binary_refusals(records: list[ExportRecord], votes: list[Vote], mapping: dict[str, str]) -> list[tuple[str, str]]:
    """``(where, reason)`` for each record of a statement known only from binary answers that
    leave a theme unjudged (a release would read it as a negative); empty when none."""
    if not votes or not all(vote.binary for vote in votes):
        return []
    judged = {mapping.get(name, name) for vote in votes for name in vote.judged or ()} & _THEMES
    missing = len(_THEMES - judged)
    if not missing:
        return []
    fix = "export a multi-label choice task (`accept` list) instead"
    refused = []
    for record in records:
        label = ", ".join(repr(name) for vote in record.votes for name in vote.judged or ())
        if len(votes) == 1:
            about = f"it says nothing about the other {missing} themes"
        else:
            about = (
                f"with the {len(votes) - 1} other binary answer(s) on this text it says nothing "
                f"about {missing} of the {len(_THEMES)} themes"
            )
        refused.append((record.where, f"binary answer on one label ({label}): {about}; {fix}"))
    return refused


def _decide(votes: list[Vote], mapping: dict[str, str]) -> tuple[list[str], dict[str, list[int]]]:
    """Majority per theme over the votes that judged it; the votes of contested themes."""
    chose = collections.Counter()
    judged = collections.Counter()

    def mapped(names):
        return {mapping.get(n, n) for n in names} & _THEMES

    for vote in votes:
        chosen = mapped(vote.chosen)
        about = _THEMES if vote.judged is None else mapped(vote.judged) | chosen
        chose.update(chosen)
        judged.update(about)
    themes = [t for t in THEME_IDS if 2 * chose[t] > judged[t]]
    contested = {t: [chose[t], judged[t]] for t in THEME_IDS if 0 < chose[t] < judged[t]}
    return themes, contested


def import_export(
    format: str,
    path: str | os.PathLike,
    out: str | os.PathLike | None,
    *,
    mapping: dict[str, str] | None = None,
    id_from: str = "auto",
    release: str | None = None,
    builds_on: str | None = None,
    first_of_chain: bool = False,
    force: bool = False,
    date: str | None = None,
    style: str | None = None,
    option_names: str = "python",
    **options,
) -> ImportReport:
    """Read an annotation-tool export and write it as a corpus release.

    Parameters
    ----------
    format : {"labelstudio", "doccano", "prodigy", "csv"}
    path : str or path-like
        The export file (for doccano also a folder or .zip of per-user files).
    out : str or path-like or None
        The release folder to write; None reads and decides without writing.
    mapping : dict, optional
        Label name -> theme id (or ``""`` to drop the label), applied before checking names.
    id_from : {"auto", "text", "export"}
        Where statement ids come from (see the module docstring).
    release : str, optional
        Release name for the manifest (default: the name of ``out``).
    builds_on : str, optional
        The release this one builds on (recorded in the manifest). A release that another
        one already builds on (beside ``out``, or shipped) is refused: the new release would
        fork the chain (:func:`themes.corpus.release_successor`). None (the default), as
        ``themes import`` without ``--builds-on``: a release ``force`` replaces keeps its
        base; else the newest release in the folder that holds ``out``
        (:func:`themes.corpus.newest_release`), so that a release imported beside others
        continues their chain; else, none there, the newest shipped release, as
        ``themes train`` reads a release on top of the shipped ones. ``report.builds_on``
        and ``report.builds_on_from`` say which. The release's own name is refused (a
        release cannot build on itself), and so is a re-import with ``force`` of a release
        whose manifest builds on itself. When the folder that holds ``out`` holds a fork
        (two releases there on the same base, e.g. a release re-imported with ``force``
        keeps the base another one shares), the import is not refused but warns, naming
        both and the ``themes corpus stamp`` that mends it (:func:`themes.corpus.release_fork`).
    first_of_chain : bool, default=False
        Write the release as the first of a chain of its own (``"builds_on": null``), with
        no default base. ``themes corpus check`` and ``themes train`` refuse such a release
        after another one (the shipped ones included), so this is for a corpus checked or
        trained alone (``--no-shipped``), or to make a broken chain on purpose (the tests
        of that refusal do). Cannot be given with ``builds_on``.
    force : bool
        Replace a release already in ``out``.
    date : str, optional
        Release date (ISO); default today.
    style : str, optional
        The style (body and genre, e.g. ``"cis_wire"``) of the statements whose export
        names none; default ``"unknown"``. Leave-one-style-out holds each style out in turn.
    option_names : {"python", "cli"}
        How the report (skip reasons, warnings) names an option the user may set: this
        function's parameter (``empty_labels='report'``, the default) or the flag of
        ``themes import`` (``--empty-labels report``), which the command passes.
    **options
        For ``csv``: ``text_column``, ``themes_column``, ``separator``, ``delimiter``. For
        ``doccano``: ``empty_labels`` (``"negative"``, the default, or ``"report"``: what an
        empty label list that nothing marks as confirmed is read as; see
        :mod:`themes.importers.doccano`).

    Returns
    -------
    ImportReport

    Raises
    ------
    themes.CorpusError
        A release name a shipped release has (nothing is written); label names outside
        the taxonomy (each with its lines), an unreadable export, or an
        export from which no statement could be taken.
    themes.ParameterError
        ``builds_on`` names a release that another one already builds on (a fork; nothing
        is read or written), or the release itself (nothing read or written either), or is
        given with ``first_of_chain``; a release replaced with ``force`` without
        ``builds_on`` builds on itself.
    themes.InvalidInputError
        A bad parameter (format, id_from, mapping).

    Examples
    --------
    A second import beside the first builds on it, and one that would fork is refused:

    >>> import pathlib, shutil, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("text,themes\\nDrones hit the pipeline.,uav\\n")
    >>> first = import_export("csv", folder / "a.csv", folder / "releases" / "r1", first_of_chain=True)
    >>> second = import_export("csv", folder / "a.csv", folder / "releases" / "r2")
    >>> second.builds_on, second.builds_on_from
    ('r1', 'folder')
    >>> import_export("csv", folder / "a.csv", folder / "releases" / "r3", builds_on="r1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    themes.errors.ParameterError: builds_on='r1': release r2 (...r2) already builds on r1; ... give builds_on='r2'
    >>> shutil.rmtree(folder)
    """
    if id_from not in ID_SOURCES:
        raise InvalidInputError(f"The 'id_from' parameter of import_export must be one of {list(ID_SOURCES)}. Got {id_from!r} instead.")
    if style is not None and (not isinstance(style, str) or not style.strip() or style != style.strip()):
        raise InvalidInputError(f"The 'style' parameter of import_export must be a non-empty str without surrounding spaces. Got {style!r} instead.")
    if option_names not in OPTION_NAMES:
        raise InvalidInputError(
            f"The 'option_names' parameter of import_export must be one of {list(OPTION_NAMES)}. Got {option_names!r} instead."
        )
    if builds_on is not None and (not isinstance(builds_on, str) or not builds_on.strip()):
        named = "--builds-on" if option_names == "cli" else "The 'builds_on' parameter of import_export"
        also = "" if option_names == "cli" else " or None"
        raise ParameterError(f"{named} must be a release name{also}. Got {builds_on!r} instead.")
    if not isinstance(first_of_chain, bool):
        raise ParameterError(f"The 'first_of_chain' parameter of import_export must be a bool. Got {first_of_chain!r} instead.")
    if first_of_chain and builds_on is not None:
        raise ParameterError(
            f"The 'first_of_chain' parameter of import_export writes a release that builds on nothing; it cannot be "
            f"given with builds_on={builds_on!r}. Give one of them."
        )
    mapping = _check_mapping(mapping)
    name = release or (Path(out).name if out is not None else "import")
    builds_on_from = None
    fork_note = None
    if out is not None:
        from themes.corpus import name_clash, shipped_release_names

        # Before the export is read: a fork, or a release on itself, is refused with nothing
        # read or written.
        builds_on, builds_on_from = _place_in_chain(Path(out), name, builds_on, first_of_chain, option_names)
        # A fork already there (a re-import with force keeps its base) is said, not refused:
        # the analyst may be mending it.
        fork_note = _fork_in_folder(Path(out), name, builds_on)

        shipped = shipped_release_names()
        if name in shipped:
            # Refused here, before anything is written, in the words `themes corpus check` uses.
            raise CorpusError(f"{printable_place(str(out))}: {name_clash(name, shipped[name])} (--release-name NAME)")
    records = read_export(format, path, option_names=option_names, **options)
    for record in records:
        record.where = printable_place(record.where)
    report = ImportReport(
        format, printable_place(str(path)), None if out is None else printable_place(str(out)), name,
        builds_on=builds_on, builds_on_from=builds_on_from,
    )
    if fork_note is not None:
        report.warnings.append(fork_note)
        warnings.warn(fork_note, UserWarning, stacklevel=2)

    # Unknown names are checked over every counted vote first, so one run lists them all.
    unknown: dict[str, dict[str, None]] = {}  # name -> its places, in order (a dict: no quadratic search)
    labels: dict[str, None] = {}  # every label name of the export, chosen or only offered
    for record in records:
        for vote in record.votes:
            labels.update(dict.fromkeys(vote.judged or ()))
            for label in vote.chosen:
                labels[label] = None
                if label in mapping:
                    report.mapped[label] = report.mapped.get(label, 0) + 1
                elif label not in _THEMES:
                    unknown.setdefault(label, {})[record.where] = None
    for note in _unused_mapping(mapping, labels):
        report.warnings.append(note)
        warnings.warn(f"{report.source}: {note}", UserWarning, stacklevel=2)
    if unknown:
        raise _unknown_error(path, {name: list(places) for name, places in unknown.items()})

    groups: dict[str, dict] = {}
    for record in records:
        report.cancelled += record.cancelled
        if record.skip_reason:
            report.skipped.append((record.where, record.skip_reason))
            continue
        if record.text is None or not record.text.strip():
            report.skipped.append((record.where, "no text"))
            continue
        ids = ("export_id", "tool_id") if id_from == "export" else ("export_id",)  # the ids it may take
        bad = next(
            (f"{name} holds {why}" for name in ("text", "context", *ids, "style", "lang")
             if (why := invalid_unicode(getattr(record, name)))),
            None,
        )
        if bad:
            report.skipped.append((record.where, bad.replace("export_id", "id").replace("tool_id", "id")))
            continue
        if not record.votes:
            reason = f"all {record.cancelled} annotation(s) cancelled" if record.cancelled else "not annotated"
            report.skipped.append((record.where, reason))
            continue
        if id_from == "text":
            sid = text_id(record.text)
        elif id_from == "export":
            sid = record.tool_id
            if sid is None:
                report.skipped.append((record.where, f"no id in the export ({option_setting('id_from', 'export', option_names)})"))
                continue
        else:
            sid = record.export_id or text_id(record.text)
        key = normalize_text(record.text)
        group = groups.get(sid)
        if group is None:
            groups[sid] = {"first": record, "key": key, "records": [record]}
        elif group["key"] != key:
            report.skipped.append((record.where, f"id {sid!r} is already used by {group['first'].where} for another text"))
        elif group["first"].context != record.context:
            report.skipped.append((record.where, f"same text as {group['first'].where} (id {sid}) under another context"))
        else:
            group["records"].append(record)

    by_text: dict[str, tuple[str, str, list[str]]] = {}
    unmarked: list[str] = []  # places of empty answers read as "no theme" that may be no answer
    for sid, group in groups.items():
        group["records"], votes = _one_answer_each(sid, group["records"], report)
        refused = _binary_refusals(group["records"], votes, mapping)
        if refused:
            report.skipped.extend(refused)
            continue
        first: ExportRecord = group["records"][0]
        themes, contested = _decide(votes, mapping)
        folded = text_key(first.text)  # the same text as `themes corpus check` finds it
        if folded in by_text:
            where, other_id, other_themes = by_text[folded]
            if other_themes == themes:
                reason = f"same text as {where} (id {other_id}), a duplicate"
            else:
                reason = (
                    f"same text as {where} (id {other_id}), labelled {_names(themes)} here and "
                    f"{_names(other_themes)} there; the first was kept: reconcile the two and import again"
                )
            report.skipped.extend((record.where, reason) for record in group["records"])
            continue
        lang = first.lang or detect_language(first.text)  # an export rarely says
        if lang is not None and lang.casefold() in LANGUAGES:
            lang = lang.casefold()  # "RU" as a spreadsheet has it; any other code is kept for the check to name
        if lang is None:
            # Kazakh, Uzbek, Arabic...: the model reads English and Russian, and such a
            # statement trained as English would be noise. (A text too short to tell is English.)
            reason = not_scored_reason(first.text).replace("not scored:", "not imported:", 1)
            report.skipped.extend((record.where, reason) for record in group["records"])
            continue
        by_text[folded] = (first.where, sid, themes)
        if contested:
            report.disagreements.append(
                {"id": sid, "where": [r.where for r in group["records"]], "votes": contested, "themes": themes}
            )
        report.placed.extend((r.where, sid) for r in group["records"])
        unmarked.extend(r.where for r in group["records"] if r.unmarked_empty)
        report.statements.append(
            {
                "id": sid,
                "text": first.text.strip(),
                "themes": themes,
                "context": first.context,
                "style": first.style or style or "unknown",
                "lang": lang,
                "source": f"{format}:{first.where}",
            }
        )

    if unmarked:
        report.warnings.append(_unmarked_empty_note(unmarked, option_names))
    if not report.statements:
        reasons = ", ".join(f"{n} {k}" for k, n in report.skip_reasons().items()) or "the export is empty"
        raise CorpusError(f"{path}: no statement to import from {report.n_records} record(s) ({reasons}).")
    if out is not None:
        from themes.corpus import write_release

        # The report is written with the release, in one step: both or neither.
        written = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
        write_release(report.statements, out, name, builds_on, date, force, extra_files={"import_report.json": written})
    return report


def _place_in_chain(out: Path, name: str, builds_on: str | None, first_of_chain: bool, option_names: str) -> tuple[str | None, str]:
    """The release a new release ``name`` at ``out`` builds on, and where it came from
    (:data:`BASE_SOURCES`); see ``builds_on`` of :func:`import_export`.

    Raises
    ------
    themes.ParameterError
        ``builds_on`` already has a successor beside ``out`` or among the shipped releases,
        or is the release's own name; or, without it, the release ``force`` replaces
        builds on itself (a manifest edited by hand).
    """
    from themes.corpus import line_of_key, read_manifest

    if first_of_chain:
        return None, "first_of_chain"
    if builds_on is not None:
        if builds_on == name:
            default, source = _default_base_and_source(out, name)
            leave = "leave --builds-on out" if option_names == "cli" else "leave builds_on out"
            then = {
                "folder": f"the newest release beside it, {default} here",
                "shipped": f"the newest shipped release, {default}",
            }.get(source, "it is then the first of its chain")
            raise ParameterError(
                f"{option_setting('builds_on', builds_on, option_names)}: release {name} cannot build on itself; "
                f"give the release before it (or {leave}: {then})"
            )
        _refuse_a_fork(out, name, builds_on, option_names)
        return builds_on, "builds_on"
    replaced = read_manifest(out)
    if "builds_on" in replaced and (replaced["builds_on"] is None or isinstance(replaced["builds_on"], str)):
        # Imported again (force): its place in the chain stays, and a later release that
        # builds on it is not made its base (a cycle).
        if replaced["builds_on"] == name:
            # A manifest edited by hand: the base a re-import keeps would be the release itself.
            manifest = out / "manifest.json"
            line = line_of_key(manifest.read_text(encoding="utf-8"), "builds_on")
            raise ParameterError(
                f"{manifest}:{line}: release {name} cannot build on itself, and the release {out} replaces "
                f"builds on {name}, the base a re-import keeps; give the release before it "
                f"({option_setting('builds_on', 'NAME', option_names)})"
            )
        return replaced["builds_on"], "replaced"
    return _default_base_and_source(out, name)


def _default_base_and_source(out: Path, name: str) -> tuple[str | None, str]:
    """The newest release in the folder that holds ``out``, else the newest shipped one."""
    from themes.corpus import newest_release, shipped_corpus_path

    newest = newest_release(out.parent, new=out, new_name=name)
    if newest is not None:
        return newest.name, "folder"
    shipped = newest_release(shipped_corpus_path())
    if shipped is not None:
        # themes train reads a release on top of the shipped ones: it continues their chain.
        return shipped.name, "shipped"
    return None, "none"


def _fork_in_folder(out: Path, name: str, builds_on: str | None) -> str | None:
    """The warning for a fork in the folder that holds ``out`` (two releases there on the same
    base, :func:`themes.corpus.release_fork`), the release at ``out`` taken with its new name
    and base; None when there is none. Said by the import of any release there, so that a
    re-import with ``force``, which keeps its base, does not pass over it without a word."""
    import os

    from themes.corpus import release_fork

    fork = release_fork(out.parent, new=out, new_name=name, new_base=builds_on)
    if fork is None:
        return None
    first, second, newest = fork
    return (
        f"{out.parent}{os.sep} holds a fork: releases {first.name} ({first.path}) and {second.name} ({second.path}) "
        f"both build on {second.manifest['builds_on']}; themes corpus check refuses it (merging would apply "
        f"{second.name} over changes it was not made against). If {second.name} comes after {newest.name}, run "
        f"`themes corpus stamp {second.path} --builds-on {newest.name}`"
    )


def _refuse_a_fork(out: Path, name: str, builds_on: str, option_names: str) -> None:
    """Refuse, before anything is read or written, a base that a release beside ``out`` (or
    a shipped one) already builds on: the new release would fork the chain, which
    ``themes corpus check`` refuses only later. The release in ``out`` itself, imported
    again with ``force``, keeps its place and is no successor."""
    from themes.corpus import release_successor

    taken = release_successor(builds_on, out.parent, new=out)
    if taken is None:
        return
    successor, newest = taken
    after = f"; the newest release after it is {newest.name} ({newest.path})" if newest is not successor else ""
    raise ParameterError(
        f"{option_setting('builds_on', builds_on, option_names)}: release {successor.name} ({successor.path}) already "
        f"builds on {builds_on}{after}; release {name} on {builds_on} too would fork the chain (merging would apply "
        f"one over changes it was not made against). To put it after {newest.name}, give "
        f"{option_setting('builds_on', newest.name, option_names)}"
    )


def _unmarked_empty_note(places: list[str], option_names: str = "python") -> str:
    """The warning for doccano's empty label lists read as "no theme" (the import's summary)."""
    shown = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
    return (
        f"{len(places)} record(s) with an empty label list were read as 'no theme' ({shown}): doccano exports an "
        "example nobody annotated the same way, so some may be statements nobody read. Unless this export was made "
        "with 'Export only approved documents' (then every example in it was confirmed), export it again so, or "
        f"import with {option_setting('empty_labels', 'report', option_names)} to leave them out"
    )
