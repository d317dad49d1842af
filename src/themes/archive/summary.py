"""A bulletin's date and its summary record (counts, highest scores, evidence)."""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path

from themes.dates import parse_date, search_date
from themes.readers import Document
from themes.segment import NOT_STATEMENTS, Segment

__all__ = [
    "DATELINE_WINDOW",
    "HEADER_WINDOW",
    "StatementsDigest",
    "SummaryBuilder",
    "TextDigest",
    "bulletin_date",
    "bulletin_title",
    "bulletin_title_and_date",
    "date_from_filename",
    "opening_window",
]

#: A dateline sits among the first statements of a bulletin...
DATELINE_WINDOW = 8
#: ... or at the end of a header block (title, headings, contact lines, one segment each) of
#: up to this many segments, the bound of the segmenter's header block.
HEADER_WINDOW = 40
_COMPACT_DATE = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
# Numbers with dots, dashes or underscores between: year first, or day first (the order of
# CIS archives: "14-03-2023", as "14.03.2023" is read).
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?:(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})|(\d{1,2})[-_.](\d{1,2})[-_.](\d{4}))(?!\d)"
)


def date_from_filename(name: str) -> str | None:
    """A date written in a file name: ``2024-03-12``, ``2024_03_12``, ``20240312``, ``12.03.2024``,
    ``2024.03.12``, ``12-03-2024``.

    Examples
    --------
    >>> date_from_filename("archive/2024_03_12-council.txt")
    '2024-03-12'
    >>> date_from_filename("bulletin-20231105.pdf"), date_from_filename("notes.txt")
    ('2023-11-05', None)
    """
    stem = Path(name).name
    found = parse_date(stem.replace("_", "-"))
    if found:
        return found
    for match in _COMPACT_DATE.finditer(stem):
        found = parse_date(f"{match[1]}-{match[2]}-{match[3]}")
        if found:
            return found
    # "2023.03.14 bulletin.txt", "bulletin-14-03-2023.pdf": no dateline format, so read here
    for match in _NUMERIC_DATE.finditer(stem):
        year, month, day = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
        found = parse_date(f"{year}-{int(month):02d}-{int(day):02d}")
        if found:
            return found
    return None


_YEAR_FOLDER = re.compile(r"(?:19|20)\d\d")


def year_from_folders(path: str) -> int | None:
    """The year of the nearest of a file's three closest folders named as a year
    (``archive/2023/march/x.txt``), for datelines written without one.

    Examples
    --------
    >>> year_from_folders("archive/2023/march/minsk.txt"), year_from_folders("archive/minsk.txt")
    (2023, None)
    """
    for part in reversed(Path(path).parent.parts[-3:]):
        if _YEAR_FOLDER.fullmatch(part):
            return int(part)
    return None


def opening_window(first: list[Segment]) -> list[Segment]:
    """The opening segments where a bulletin's title and dateline are looked for: the first
    ``DATELINE_WINDOW``, or, after a longer header block of titles, headings and datelines,
    the block and the two segments after it (at most ``HEADER_WINDOW`` in all).

    Examples
    --------
    >>> from themes.segment import Segment
    >>> header = [Segment("Contacts", i, i + 1, i, None, "heading") for i in range(12)]
    >>> body = [Segment("The Council met.", 20, 36, 12, None, "sentence")] * 10
    >>> len(opening_window(header + body)), len(opening_window(body))
    (14, 8)
    """
    leading = 0
    for seg in first[:HEADER_WINDOW]:
        if seg.kind not in ("title", "heading", "dateline"):
            break
        leading += 1
    return first[: min(HEADER_WINDOW, max(DATELINE_WINDOW, leading + 2))]


def bulletin_title(first: list[Segment]) -> str | None:
    """The title the segmenter found among the first statements, if any."""
    return _title_in(opening_window(first))


def _title_in(window: list[Segment]) -> str | None:
    """The first title of an opening window (:func:`opening_window`), if any."""
    for seg in window:
        if seg.kind == "title":
            return " ".join(seg.text.split())
    return None


def bulletin_title_and_date(first: list[Segment], doc: Document, path: str) -> tuple[str | None, str | None, str | None]:
    """``(title, date, date_source)``: :func:`bulletin_title` and :func:`bulletin_date` of one
    bulletin, both read from one opening window (:func:`opening_window`), computed once.

    Examples
    --------
    >>> from themes.segment import segment
    >>> first = segment("Council meets in Minsk\\nMINSK, 14 May 2024 -\\nThe Council met.")
    >>> bulletin_title_and_date(first, Document(bulletin="x", format="txt"), "x.txt")
    ('Council meets in Minsk', '2024-05-14', 'dateline')
    """
    window = opening_window(first)
    return (_title_in(window), *_date_in(window, doc, path))


def bulletin_date(first: list[Segment], doc: Document, path: str) -> tuple[str | None, str | None]:
    """``(date, source)``: a JSON Lines record's own ``date`` field, else the dateline, else
    a date in the file name, else a date at the opening of the first statement ("10 июня
    2025 года в Астане состоялось ...", "On 12 May 2024 the Council met ..."; source
    ``text``), else the file's metadata.

    The metadata date of a PDF or DOCX is when the file was made or converted (a template's
    date, the day an archive was exported), often not the meeting's: it comes last. A
    dateline without a year ("МОСКВА, 17 ноября. /ТАСС/.", "MOSCOW, 17 November.") takes the
    year of the file-name date, else of a folder named as a year (``archive/2023/...``), else
    of a full date opening the first statement ("On 17 November 2025 the Council ..."; the
    year that puts the dateline nearest that date), else of the metadata.
    """
    return _date_in(opening_window(first), doc, path)


def _date_in(window: list[Segment], doc: Document, path: str) -> tuple[str | None, str | None]:
    """:func:`bulletin_date` of a bulletin whose opening window (:func:`opening_window`) is
    ``window``."""
    if doc.format == "jsonl" and doc.date:
        return doc.date, "record"  # the analyst's own field wins over the text
    from_name = date_from_filename(path)
    if from_name:
        year = int(from_name[:4])
    else:
        year = year_from_folders(path)
    datelines = [seg.text for seg in window if seg.kind == "dateline"]
    if year is None and datelines:
        # The text's own full date says more about the year than the day the file was made.
        written = _opening_date(window, None)
        year = _nearest_year(datelines, written) if written else None
    if year is None and doc.date:
        year = int(doc.date[:4])
    for text in datelines:
        found = parse_date(text, year=year)
        if found:
            return found, "dateline"
    if from_name:
        return from_name, "file name"
    opening = _opening_date(window, year)
    if opening:
        return opening, "text"
    if doc.date:
        return doc.date, "metadata"
    return None, None


def _nearest_year(datelines: list[str], written: str) -> int:
    """The year for the first of ``datelines`` that holds a day and month without a year:
    the one that puts it nearest the date ``written`` in the text ("MOSCOW, 2 January."
    above "On 31 December 2024 ..." is 2 January 2025), else the year of ``written``."""
    near = datetime.date.fromisoformat(written)
    for text in datelines:
        if parse_date(text) is not None:
            return near.year  # the dateline writes its own year; this one is not used
        candidates = [parse_date(text, year=y) for y in (near.year - 1, near.year, near.year + 1)]
        dated = [datetime.date.fromisoformat(c) for c in candidates if c is not None]
        if dated:
            return min(dated, key=lambda day: abs((day - near).days)).year
    return near.year


#: A date counts as the bulletin's when it stands this close to the start of its first statement.
OPENING_CHARS = 80


def _opening_date(first: list[Segment], year: int | None) -> str | None:
    """The date that opens the first statement, where bulletins without a dateline give it
    ("10 июня 2025 года в Астане состоялось заседание ..."), else the date that opens the
    window's first lead-in ("On 14 May 2024 the participants:" below a header block whose
    lines the segmenter read as a statement)."""
    statements = [seg for seg in first if seg.kind not in ("title", "dateline", "heading", "table")]
    lead_in = next((seg for seg in statements[1:] if seg.kind == "lead_in"), None)
    for statement in statements[:1] + ([lead_in] if lead_in is not None else []):
        found = search_date(statement.text[:OPENING_CHARS + 40], year=year)
        if found is not None and found.start <= OPENING_CHARS:
            return found.iso
    return None


class TextDigest:
    """The chunks of a bulletin's text, passed on as they come, with the SHA-256 of the
    text (UTF-8) taken on the way: the digest of text already read, at no second reading.

    Examples
    --------
    >>> chunks = TextDigest(iter(["Drones ", "were discussed."]))
    >>> "".join(chunks) == "Drones were discussed.", chunks.hexdigest()[:12]
    (True, '8547e342b95f')
    """

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._hash = hashlib.sha256()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        chunk = next(self._chunks)
        self._hash.update(chunk.encode("utf-8", "surrogatepass"))
        return chunk

    def hexdigest(self) -> str:
        """The digest of the whole text (what the segmenter left unread is taken in first)."""
        for _ in self:
            pass
        return self._hash.hexdigest()


class StatementsDigest:
    """The SHA-256 of a bulletin's statement records as written (the kind, offsets and text of
    each, in order): what tells a bulletin repeated, for ``themes score`` and ``themes trends``
    alike.

    ``themes score`` records it as the summary's ``statements_sha256`` and marks a bulletin
    with the digest of an earlier one ``duplicate_of`` it; :func:`themes.trends.trends` takes
    it of the records it reads, of any age, and counts such a bulletin once. One rule, so
    that a bulletin ``themes score`` calls a copy is the one trends counts once, and trends
    finds as well the copies scored in other runs (a scores file per run, an archive scored
    in parts). Not the digest of the text (``text_sha256``), which the statements file does
    not hold: the same text read as Markdown and as plain text gives other statements (the
    Markdown's read without its markup), and texts that differ in white space only outside
    the statements (blank lines at the end) give the same ones. A record without ``text``
    (a CSV written without that column) leaves the bulletin without a digest: it is never
    taken for a copy.

    Examples
    --------
    >>> digest = StatementsDigest()
    >>> digest.add({"kind": "sentence", "start": 0, "end": 22, "text": "Drones were discussed."})
    >>> digest.hexdigest()[:12]
    '0f539a26a7fa'
    >>> digest.add({"kind": "sentence", "start": "24", "end": "30"})  # no text
    >>> digest.hexdigest() is None
    True
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, record: dict) -> None:
        """Take in one statement record (a dict as written; offsets as numbers or as CSV strings)."""
        if self._hash is None:
            return
        text = record.get("text")
        if not isinstance(text, str):
            self._hash = None
            return
        fields = "\x00".join("" if record.get(key) is None else str(record.get(key)) for key in ("kind", "start", "end"))
        self._hash.update(fields.encode() + b"\x00" + text.encode("utf-8", "surrogatepass") + b"\x01")

    def hexdigest(self) -> str | None:
        """The digest of the records taken in; None when one had no text."""
        return None if self._hash is None else self._hash.hexdigest()


class SummaryBuilder:
    """Folds a bulletin's statement records, as they stream by, into its summary record."""

    def __init__(self, doc: Document, path: str, date, date_source, themes, max_evidence: int, title=None):
        self.doc = doc
        self.title = doc.title or title
        self.path = path
        self.date = date
        self.date_source = date_source
        self.themes = themes
        self.max_evidence = max_evidence
        self.statements = 0
        self.truncated = 0
        self.not_scored = 0
        self.languages: dict[str, int] = {}
        self.counts = dict.fromkeys(themes, 0)
        self.max_scores = dict.fromkeys(themes, 0.0)
        self.evidence: dict[str, list] = {t: [] for t in themes}
        self.digest: str | None = None  # of the text, once all of it is read
        self.statements_digest = StatementsDigest()  # of the records, as they are added

    def add(self, records: list[dict]) -> None:
        for record in records:
            self.statements += 1
            self.statements_digest.add(record)
            self.truncated += record["truncated"]
            self.not_scored += record["not_scored"] is not None
            if record["language"] is not None:
                self.languages[record["language"]] = self.languages.get(record["language"], 0) + 1
            if record["kind"] in NOT_STATEMENTS:  # counted as trends count: statements only
                continue
            scores = record["scores"]
            for theme in self.themes:
                self.max_scores[theme] = max(self.max_scores[theme], scores[theme])
            for theme in record["themes"]:
                self.counts[theme] += 1
                kept = self.evidence[theme]
                kept.append((-scores[theme], record["index"], record["text"]))
                if len(kept) > 4 * self.max_evidence:  # keep the list short while streaming
                    kept.sort()
                    del kept[self.max_evidence :]

    def finish(self) -> dict:
        evidence = {}
        for theme in self.themes:
            best = sorted(self.evidence[theme])[: self.max_evidence]
            if best:
                evidence[theme] = [{"index": i, "score": -s, "text": " ".join(t.split())} for s, i, t in best]
        return {
            "bulletin": self.doc.bulletin,
            "path": self.path,
            "status": "ok",
            "date": self.date,
            "date_source": self.date_source,
            "format": self.doc.format,
            "encoding": self.doc.encoding,
            "title": self.title,
            "statements": self.statements,
            "truncated": self.truncated,
            "not_scored": self.not_scored,
            "languages": dict(sorted(self.languages.items())),
            "counts": self.counts,
            "max_scores": self.max_scores,
            "evidence": evidence,
            # The SHA-256 of the text as read (UTF-8), and of the statement records (StatementsDigest);
            # the first bulletin of the same statements, if another came before it in the run
            # (set by Duplicates.mark; None otherwise).
            "text_sha256": self.digest,
            "statements_sha256": self.statements_digest.hexdigest(),
            "duplicate_of": None,
        }
