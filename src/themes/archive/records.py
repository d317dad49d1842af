"""What a run produces: statement records, bulletin results, the run's report, and the
events that carry them from the scoring loop (or a worker) to the writer, in order."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from themes.archive.files import printable
from themes.readers import TABLE_HINT, TABLE_SUFFIXES
from themes.schemas import ScoreRecord

__all__ = [
    "RECORD_FIELDS",
    "BulletinResult",
    "Duplicates",
    "End",
    "Failed",
    "FileDone",
    "Records",
    "ScoreReport",
    "Skipped",
    "failed",
    "failure_summary",
    "passed_over_note",
    "statement_record",
]

#: Fields of a statement record, in output order (CSV adds one ``score.<theme>`` column per
#: theme): the keys of its schema, :class:`themes.schemas.ScoreRecord`, so the two never differ.
RECORD_FIELDS = tuple(ScoreRecord.__annotations__)


#: The kinds of file a run reads, as a message lists them (themes.readers.SUFFIXES).
LOOKED_FOR = ".txt, .md, .html, .pdf, .docx and .jsonl"


@dataclass
class BulletinResult:
    """The scoring of one bulletin.

    Attributes
    ----------
    bulletin : str
        Path of the file, or the id of a JSON Lines record.
    records : list of dict
        One record per statement (see :mod:`themes.archive`); empty when it failed.
    summary : dict
        Counts and highest score per theme, the evidence statements, date, format and
        encoding; for a failure, ``status: "failed"`` and the ``error``.
    error : str or None
        Why the bulletin could not be scored.
    """

    bulletin: str
    records: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the bulletin was scored."""
        return self.error is None

    @property
    def date(self) -> str | None:
        return self.summary.get("date")

    def _repr_pretty_(self, p, cycle) -> None:
        # IPython and Jupyter display: the bulletin in one line, "<BulletinResult a.txt:
        # 2024-03-01, 12 statements; uav 3, financing 1>", rather than the dataclass repr of
        # every record and the summary (about 15,000 characters); repr() itself is unchanged.
        name = printable(str(self.bulletin))
        if len(name) > 80:
            name = "..." + name[-77:]
        if not self.ok:
            error = printable(str(self.error))
            p.text(f"<BulletinResult {name}: failed: {error[:120] + '...' if len(error) > 120 else error}>")
            return
        n = len(self.records)
        counts = self.summary.get("counts") or {}
        tagged = sorted(((c, t) for t, c in counts.items() if c), key=lambda ct: (-ct[0], ct[1]))
        themes = ", ".join(f"{t} {c}" for c, t in tagged[:4]) + (", ..." if len(tagged) > 4 else "") if tagged else "no theme"
        copy = f"; same text as {printable(str(self.summary['duplicate_of']))}" if self.summary.get("duplicate_of") else ""
        p.text(
            f"<BulletinResult {name}: {self.date or 'undated'}, {n} statement{'s' if n != 1 else ''}; {themes}{copy}; "
            ".records, .summary>"
        )


class Duplicates:
    """Bulletins whose statements are those of an earlier one (a bulletin saved twice, a
    hard link): each is scored, and its summary's ``duplicate_of`` names the first.

    Told by the summary's ``statements_sha256`` (:class:`~themes.archive.summary.StatementsDigest`),
    the digest :func:`themes.trends.trends` takes of the records it reads, so that the
    bulletins marked here are those trends counts once.

    Examples
    --------
    >>> copies = Duplicates()
    >>> a, b = {"bulletin": "a.txt", "statements_sha256": "f00"}, {"bulletin": "b.txt", "statements_sha256": "f00"}
    >>> copies.mark(a), copies.mark(b), b["duplicate_of"]
    (None, 'a.txt', 'a.txt')
    """

    def __init__(self) -> None:
        #: digest -> the first bulletin of those statements
        self.first: dict[str, str] = {}

    def seed(self, summaries) -> None:
        """Take in the summaries of bulletins already in the output (a resumed run). One
        written before ``statements_sha256`` (session 15) gives none: a copy of it scored on
        resume is not marked, though trends still counts it once."""
        for summary in summaries:
            digest = summary.get("statements_sha256") if isinstance(summary, dict) else None
            if isinstance(digest, str) and summary.get("status") == "ok":
                self.first.setdefault(digest, str(summary.get("bulletin")))

    def mark(self, summary: dict) -> str | None:
        """Set ``summary["duplicate_of"]`` to the first bulletin of the same statements
        (None when it is the first), and return it."""
        digest = summary.get("statements_sha256")
        if digest is None:
            return None
        first = self.first.setdefault(digest, summary["bulletin"])
        summary["duplicate_of"] = first if first != summary["bulletin"] else None
        return summary["duplicate_of"]


@dataclass
class ScoreReport:
    """What :func:`~themes.archive.write_scores` did."""

    out: str
    summary: str | None = None
    scored: int = 0
    failed: int = 0
    skipped: int = 0
    statements: int = 0
    failures: list = field(default_factory=list)
    #: Files in the folders and globs given whose type is not read (``.doc``, ``.rtf``...).
    passed_over: list = field(default_factory=list)
    #: Bulletins scored without a date (none in their dateline, metadata or file name).
    undated: list = field(default_factory=list)
    #: ``FILE:LINE`` of the first of them when it is a JSON Lines record (its id alone
    #: does not say where it is).
    undated_at: str | None = None
    #: Bulletins none of whose statements the model could read (in Ukrainian, Kazakh, Arabic...).
    unscored: list = field(default_factory=list)
    #: Outputs this run created and removed again because it scored no bulletin.
    removed: list = field(default_factory=list)
    #: The paths the run was given (named when no bulletin is found in them).
    paths: list = field(default_factory=list)
    #: ``(bulletin, first)`` of bulletins scored whose text is that of an earlier one.
    duplicates: list = field(default_factory=list)
    #: Whether some of them are JSON Lines records (not files).
    duplicate_records: bool = False

    @property
    def found(self) -> int:
        """Bulletins found in the paths given: scored, failed, or already in the output."""
        return self.scored + self.failed + self.skipped

    def line(self) -> str:
        """The final one-line count.

        Examples
        --------
        >>> ScoreReport(out="s.jsonl", scored=3, failed=1, statements=40).line()
        'scored 3 bulletins, 1 failed, 40 statements -> s.jsonl'
        >>> ScoreReport(out="s.jsonl", scored=3, statements=40, passed_over=["a.doc"]).line()
        'scored 3 bulletins, 0 failed, 40 statements -> s.jsonl; 1 file of another type not read'
        >>> ScoreReport(out="s.jsonl", scored=1, skipped=5, statements=18).line()
        'scored 1 bulletin, 0 failed, 18 statements -> s.jsonl; 5 bulletins already in it were not scored again'
        >>> ScoreReport(out="s.jsonl", passed_over=["a.png"], removed=["s.jsonl"], paths=["in/"]).line()
        'no bulletin found in in/ (looked for .txt, .md, .html, .pdf, .docx and .jsonl files); 1 file of another type not read; no output written'
        """
        n = len(self.passed_over)
        other = f"; {n} file{'s' if n != 1 else ''} of another type not read" if n else ""
        written = "; no output written" if self.removed else ""
        if not self.found:
            where = f"in {_first_few(self.paths, 3)}" if self.paths else "in the paths given"  # (made printable there)
            return f"no bulletin found {where} (looked for {LOOKED_FOR} files){other}{written}"
        skipped = ""
        if self.skipped:
            skipped = f"; {self.skipped} bulletin{'s' if self.skipped != 1 else ''} already in it {'were' if self.skipped != 1 else 'was'} not scored again"
        bulletins = "bulletin" if self.scored == 1 else "bulletins"
        statements = "statement" if self.statements == 1 else "statements"
        target = f" -> {self.out}" if not self.removed else ""
        return (
            f"scored {self.scored} {bulletins}, {self.failed} failed, {self.statements} {statements}"
            f"{target}{skipped}{other}{written}"
        )

    def undated_line(self, shown: int = 3) -> str | None:
        """Which bulletins have no date, for the end of a run's output (None when all have one).

        Examples
        --------
        >>> print(ScoreReport(out="s.jsonl", scored=4, undated=["a.txt"]).undated_line())
        1 of 4 bulletins has no date (a.txt): none in its dateline, metadata or file name; trends leave it out (a date in the file name, 2024-05-14-name.txt, dates it; a year folder, 2024/, gives the year to a dateline without one)

        When the first is a JSON Lines record, the line opens with its file and line:

        >>> ScoreReport(out="s.jsonl", scored=9, undated=["b-7", "b-9"], undated_at="in.jsonl:7").undated_line()[:53]
        'in.jsonl:7: 2 of 9 bulletins have no date (b-7 and 1 '
        """
        if not self.undated:
            return None
        n = len(self.undated)
        listed = _first_few(self.undated, 1 if self.undated_at else shown)
        has, its, it = ("has", "its", "it") if n == 1 else ("have", "their", "them")
        where = f"{self.undated_at}: " if self.undated_at else ""
        return (
            f"{where}{n} of {self.scored} bulletins {has} no date ({listed}): none in {its} dateline, metadata or file "
            f"name; trends leave {it} out (a date in the file name, 2024-05-14-name.txt, dates {it}; a year "
            f"folder, 2024/, gives the year to a dateline without one)"
        )

    def unscored_line(self, shown: int = 3) -> str | None:
        """Which bulletins had none of their statements scored, for the end of a run's output
        (None when every bulletin had one scored).

        Examples
        --------
        >>> print(ScoreReport(out="s.jsonl", scored=5, unscored=["kk.txt", "uk.txt"]).unscored_line())
        2 of 5 bulletins had no statement scored (kk.txt, uk.txt): not in a language the model reads; each statement's not_scored says why
        """
        if not self.unscored:
            return None
        n = len(self.unscored)
        return (
            f"{n} of {self.scored} bulletins had no statement scored ({_first_few(self.unscored, shown)}): not in a "
            "language the model reads; each statement's not_scored says why"
        )

    def duplicates_line(self, shown: int = 3) -> str | None:
        """How many bulletins repeat the text of an earlier one, naming a few (None when none does).

        Examples
        --------
        >>> print(ScoreReport(out="s.jsonl", scored=3, duplicates=[("b.txt", "a.txt")]).duplicates_line())
        1 file has the same text as an earlier one: b.txt (as a.txt); it is scored, its summary's duplicate_of names the first, and themes trends counts it once (--count-duplicates: every copy)
        """
        if not self.duplicates:
            return None
        n = len(self.duplicates)
        noun = ("bulletin" if self.duplicate_records else "file") + ("s" if n != 1 else "")
        named = [f"{b} (as {first})" for b, first in self.duplicates]  # _first_few makes them printable
        has, it, its = ("has", "it is", "its summary's") if n == 1 else ("have", "they are", "their summaries'")
        return (
            f"{n} {noun} {has} the same text as an earlier one: {_first_few(named, shown)}; {it} scored, {its} "
            f"duplicate_of names the first, and themes trends counts {'it' if n == 1 else 'each text'} once "
            "(--count-duplicates: every copy)"
        )

    def passed_over_line(self, shown: int = 5) -> str | None:
        """What the run did not read, for the end of its output (None when it read every file).

        Examples
        --------
        >>> print(ScoreReport(out="s.jsonl", passed_over=["in/a.doc", "in/b.rtf"]).passed_over_line())
        not read, of a type themes does not read: in/a.doc, in/b.rtf (convert them to PDF, DOCX, HTML or text; name one to see why)
        """
        return passed_over_note(self.passed_over, shown) if self.passed_over else None


def passed_over_note(paths: list, shown: int = 5) -> str:
    """What a run did not read: the first ``shown`` of ``paths``, how many more, what to do.

    Examples
    --------
    >>> passed_over_note(["a.doc", "b.rtf", "c.odt"], shown=2)
    'not read, of a type themes does not read: a.doc, b.rtf and 1 more (convert them to PDF, DOCX, HTML or text; name one to see why)'

    A table among them (a CSV export, a spreadsheet) is told how it is read instead:

    >>> print(passed_over_note(["in/stats.csv"]))
    not read, of a type themes does not read: in/stats.csv (themes reads .txt, .md, .html, .pdf, .docx and .jsonl files; to score bulletins or statements from a table (a CSV export, a spreadsheet), write its rows to a .jsonl file, one JSON object a line: {"id": ..., "text": ..., "date": "2024-05-14"} (date optional))
    """
    tables = [p for p in paths if os.path.splitext(str(p))[1].lower() in TABLE_SUFFIXES]
    if tables:
        others = "; convert the others to PDF, DOCX, HTML or text" if len(tables) < len(paths) else ""
        return (
            f"not read, of a type themes does not read: {_first_few(paths, shown)} "
            f"(themes reads {LOOKED_FOR} files; {TABLE_HINT}{others})"
        )
    return (
        f"not read, of a type themes does not read: {_first_few(paths, shown)} "
        "(convert them to PDF, DOCX, HTML or text; name one to see why)"
    )


@dataclass
class Records:
    """Statement records of a bulletin (a bulletin may come in several)."""

    bulletin: str
    records: list


@dataclass
class End:
    """A bulletin is complete: its summary (and, for a JSON Lines record, its line)."""

    bulletin: str
    summary: dict
    line: int | None = None


@dataclass
class Failed:
    """A bulletin (or a file, or a folder) could not be scored: why, and its summary."""

    bulletin: str
    reason: str
    summary: dict


@dataclass
class Skipped:
    """A bulletin of the inputs already complete in a resumed output: not scored again."""

    bulletin: str


@dataclass
class FileDone:
    """Every bulletin of a file has been passed on (for the progress bar)."""

    path: str


def failure_summary(bulletin: str, path: str | None, reason: str, fmt: str | None) -> dict:
    """The summary record of a bulletin that failed (names made printable)."""
    return {
        "bulletin": printable(bulletin),
        "path": printable(path) if path is not None else None,
        "status": "failed",
        "date": None,  # every summary line has the keys a reader of the file indexes first
        "format": fmt,
        "error": reason,
    }


def failed(bulletin: str, path: str | None, reason: str, fmt: str | None = None) -> Failed:
    """The :class:`Failed` event of a bulletin, with its summary; ``reason`` names the file
    as the run was given it (:func:`named_as_given`)."""
    reason = named_as_given(reason, path)
    return Failed(bulletin, reason, failure_summary(bulletin, path, reason, fmt))


def named_as_given(reason: str, path: str | None) -> str:
    """``reason`` with the file it opens with named as ``path`` was spelled.

    The readers name a file by its :class:`~pathlib.Path`, which drops a leading "./" and
    doubled or trailing slashes, while the run names it as given: "./x.pdf" failed as
    "x.pdf: not a readable PDF" beside "./y.txt: the file is empty". A reason that opens
    with the normalised name is given the spelling of ``path``.

    Examples
    --------
    >>> named_as_given("x.pdf: not a readable PDF", "./x.pdf")
    './x.pdf: not a readable PDF'
    >>> named_as_given("in.jsonl:3: not JSON", "./in.jsonl"), named_as_given("x.txt: empty", "x.txt")
    ('./in.jsonl:3: not JSON', 'x.txt: empty')
    """
    if not path:
        return reason
    given = printable(os.fspath(path))
    normal = printable(str(Path(path)))
    if given != normal and reason.startswith(normal) and reason[len(normal) : len(normal) + 1] in ("", ":", " "):
        return given + reason[len(normal) :]
    return reason


def statement_record(bulletin: str, date: str | None, segment, result) -> dict:
    """One statement record (fields in :data:`RECORD_FIELDS` order)."""
    return {
        "bulletin": bulletin,
        "date": date,
        "index": segment.index,
        "start": segment.start,
        "end": segment.end,
        "kind": segment.kind,
        "text": segment.text,
        "context": segment.context,
        "themes": list(result.themes),
        "scores": {t: round(p, 4) for t, p in result.scores.items()},
        "model": result.model,
        "truncated": result.truncated,
        "not_scored": result.not_scored,
        "language": result.language,
        "fragment": segment.fragment,
    }


def _first_few(items: list, shown: int) -> str:
    """The first ``shown`` items, comma-separated, and how many more (names made printable:
    a line break or a terminal escape in a file name stays out of the message)."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(printable(str(item)) for item in items[:shown]) + more

