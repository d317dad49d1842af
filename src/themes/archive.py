"""Score archives of bulletins: read, segment, classify, summarise, write; resume; scale out.

:func:`score_archive` is the Python entry point: it yields one :class:`BulletinResult`
per bulletin (its statement records and its summary), in input order.
:func:`write_scores` is what ``themes score`` runs: the same scoring written to a JSON
Lines or CSV file, bulletin by bulletin, under a lock, resumable.

One record per statement::

    {"bulletin": "archive/2024-03-12.txt", "date": "2024-03-12", "index": 3,
     "start": 120, "end": 181, "kind": "bullet", "text": "...", "context": "...",
     "themes": ["uav"], "scores": {"financing": 0.01, ...}, "model": "themes-...",
     "truncated": false}

``bulletin`` is the file's path as found (or the ``id`` of a JSON Lines record);
``date`` comes from the dateline, else the file's metadata, else a date in the file
name (the summary says which, as ``date_source``). Offsets index the text the reader
produced: for .txt and .md files, the decoded file itself.

Crash safety and resume: records are written bulletin by bulletin and flushed after
each, so an interrupted run loses at most the bulletin in flight. With ``resume``, the
output is scanned: every bulletin but the last one found in it is complete (with a
summary file, only while its summary record is there too) and is skipped; from the first
bulletin that is not, the output is truncated away and scored again, so no statement is
ever written twice. Summary records of bulletins that are not complete are dropped the
same way (failed bulletins are therefore retried).

Parallel scoring: ``jobs=N`` runs chunks of files in N processes (joblib); with
``backend="dask"`` the chunks run on a Dask distributed cluster. Either way the output
is in input order and identical to a single-process run. Workers load the model from
its folder (and read the bulletin files), so both must be reachable from every worker.

Memory stays flat: files are listed (paths only), then read one at a time; a large
plain-text, PDF or JSON Lines file is streamed and scored in batches. Parallel workers
return whole bulletins, so there one bulletin's records are held at a time per task.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from themes.api import classify, get_model
from themes.errors import (
    DocumentError,
    InvalidInputError,
    MissingDependencyError,
    ModelError,
    OutputExistsError,
    OutputLockedError,
    missing_extra,
)
from themes.readers import Document, expand_paths, read_documents
from themes.dates import parse_date, search_date as _find_date
from themes.segment import Segment, iter_segments

__all__ = [
    "RECORD_FIELDS",
    "BulletinResult",
    "ScoreReport",
    "date_from_filename",
    "output_lock",
    "score_archive",
    "write_scores",
]

#: Fields of a statement record, in output order (CSV adds one ``score.<theme>`` column per theme).
RECORD_FIELDS = (
    "bulletin", "date", "index", "start", "end", "kind", "text", "context", "themes", "scores", "model", "truncated",
    "not_scored",
)

_DATELINE_WINDOW = 8  # a dateline sits among the first statements of a bulletin
_COMPACT_DATE = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")


# ---------------------------------------------------------------------------- results
@dataclass
class BulletinResult:
    """The scoring of one bulletin.

    Attributes
    ----------
    bulletin : str
        Path of the file, or the id of a JSON Lines record.
    records : list of dict
        One record per statement (see the module docstring); empty when it failed.
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


@dataclass
class ScoreReport:
    """What :func:`write_scores` did."""

    out: str
    summary: str | None = None
    scored: int = 0
    failed: int = 0
    skipped: int = 0
    statements: int = 0
    failures: list = field(default_factory=list)

    def line(self) -> str:
        """The final one-line count.

        Examples
        --------
        >>> ScoreReport(out="s.jsonl", scored=3, failed=1, statements=40).line()
        'scored 3 bulletins, 1 failed, 40 statements -> s.jsonl'
        """
        skipped = f" ({self.skipped} already in the output)" if self.skipped else ""
        return (
            f"scored {self.scored} bulletins, {self.failed} failed, {self.statements} statements"
            f"{skipped} -> {self.out}"
        )


# Events passed from the scoring loop (or a worker) to the writer, in order.
@dataclass
class _Records:
    bulletin: str
    records: list


@dataclass
class _End:
    bulletin: str
    summary: dict


@dataclass
class _Failed:
    bulletin: str
    reason: str
    summary: dict


@dataclass
class _FileDone:
    path: str


# Inside the scoring loop only: statements of a bulletin waiting to be classified, and the
# mark that its last statement has been read. _classified turns them into the events above.
@dataclass
class _Piece:
    doc: Document
    path: str
    date: str | None
    builder: _SummaryBuilder
    segments: list


@dataclass
class _Finish:
    bulletin: str
    builder: _SummaryBuilder


@dataclass
class _Options:
    threshold: object = None
    batch_size: int = 256
    max_evidence: int = 5
    skip: frozenset = frozenset()


# ------------------------------------------------------------------------------ dates
def date_from_filename(name: str) -> str | None:
    """A date written in a file name: ``2024-03-12``, ``2024_03_12``, ``20240312``, ``12.03.2024``.

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
    return None


def _bulletin_date(first: list[Segment], doc: Document, path: str) -> tuple[str | None, str | None]:
    for seg in first[:_DATELINE_WINDOW]:
        if seg.kind == "dateline":
            found = _find_date(seg.text)
            if found:
                return found[0], "dateline"
    if doc.date:
        return doc.date, "metadata"
    from_name = date_from_filename(path)
    if from_name:
        return from_name, "file name"
    return None, None


# ---------------------------------------------------------------------------- summary
class _SummaryBuilder:
    def __init__(self, doc: Document, path: str, date, date_source, themes, max_evidence: int):
        self.doc = doc
        self.path = path
        self.date = date
        self.date_source = date_source
        self.themes = themes
        self.max_evidence = max_evidence
        self.statements = 0
        self.truncated = 0
        self.not_scored = 0
        self.counts = dict.fromkeys(themes, 0)
        self.max_scores = dict.fromkeys(themes, 0.0)
        self.evidence: dict[str, list] = {t: [] for t in themes}

    def add(self, records: list[dict]) -> None:
        for record in records:
            self.statements += 1
            self.truncated += record["truncated"]
            self.not_scored += record["not_scored"] is not None
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
            "title": self.doc.title,
            "statements": self.statements,
            "truncated": self.truncated,
            "not_scored": self.not_scored,
            "counts": self.counts,
            "max_scores": self.max_scores,
            "evidence": evidence,
        }


def _failure_summary(bulletin: str, path: str, reason: str, fmt: str | None) -> dict:
    return {"bulletin": bulletin, "path": path, "status": "failed", "format": fmt, "error": reason}


# ---------------------------------------------------------------------------- scoring
def _take(iterator: Iterator, n: int) -> list:
    return list(islice(iterator, n))


def _segment_document(doc: Document, path: str, model, options: _Options) -> Iterator:
    """A bulletin's statements, in pieces of at most ``batch_size``, then its _Finish."""
    if doc.error:
        yield _Failed(doc.bulletin, doc.error, _failure_summary(doc.bulletin, path, doc.error, doc.format))
        return
    try:
        segments = iter_segments(doc.iter_text())
        batch = _take(segments, max(options.batch_size, _DATELINE_WINDOW))
        date, date_source = _bulletin_date(batch, doc, path)
        builder = _SummaryBuilder(doc, path, date, date_source, model.themes, options.max_evidence)
        while batch:
            yield _Piece(doc, path, date, builder, batch)
            batch = _take(segments, options.batch_size)
    except (ModelError, InvalidInputError):
        raise  # the model or the options are wrong: every bulletin would fail
    except Exception as exc:  # a damaged file fails alone; the archive goes on
        yield _document_failed(doc, path, exc)
        return
    yield _Finish(doc.bulletin, builder)


def _document_failed(doc: Document, path: str, exc: Exception) -> _Failed:
    reason = str(exc) if isinstance(exc, (DocumentError, MissingDependencyError)) else (
        f"{path}: {type(exc).__name__}: {exc}"
    )
    return _Failed(doc.bulletin, reason, _failure_summary(doc.bulletin, path, reason, doc.format))


def _classified(events: Iterable, model, options: _Options) -> Iterator:
    """Classify the statements of consecutive bulletins (and files) together.

    Short bulletins would otherwise each cost a ``classify`` call of a dozen statements;
    here every call gets about ``batch_size`` statements, whatever the bulletins' sizes.
    Events come out in the order they went in.
    """
    pending: list = []
    waiting = 0
    for event in events:
        pending.append(event)
        if isinstance(event, _Piece):
            waiting += len(event.segments)
        # Nothing waits for classification (or enough does): pass the events on now, so
        # that reading never runs more than about batch_size statements ahead.
        if not waiting or waiting >= options.batch_size:
            yield from _flush(pending, model, options)
            pending, waiting = [], 0
    yield from _flush(pending, model, options)


def _classify_pieces(pieces: list[_Piece], model, options: _Options) -> list:
    """Results per piece, from one ``classify`` call; a piece that cannot be classified
    (found by trying each alone) gets its exception instead."""
    texts = [s.text for piece in pieces for s in piece.segments]
    contexts = [s.context for piece in pieces for s in piece.segments]
    try:
        results = classify(texts, model=model, threshold=options.threshold, context=contexts)
    except (ModelError, InvalidInputError):
        raise
    except Exception:
        if len(pieces) == 1:
            raise
        out = []
        for piece in pieces:
            try:
                out.extend(_classify_pieces([piece], model, options))
            except (ModelError, InvalidInputError):
                raise
            except Exception as exc:
                out.append(exc)
        return out
    out, start = [], 0
    for piece in pieces:
        out.append(results[start : start + len(piece.segments)])
        start += len(piece.segments)
    return out


def _flush(pending: list, model, options: _Options) -> Iterator:
    pieces = [event for event in pending if isinstance(event, _Piece)]
    outcomes = iter(_classify_pieces(pieces, model, options) if pieces else [])
    failed: set[str] = set()
    for event in pending:
        if isinstance(event, _Piece):
            results = next(outcomes)
            bulletin = event.doc.bulletin
            if bulletin in failed:
                continue
            if isinstance(results, Exception):
                failed.add(bulletin)
                yield _document_failed(event.doc, event.path, results)
                continue
            records = [
                {
                    "bulletin": bulletin,
                    "date": event.date,
                    "index": s.index,
                    "start": s.start,
                    "end": s.end,
                    "kind": s.kind,
                    "text": s.text,
                    "context": s.context,
                    "themes": list(r.themes),
                    "scores": {t: round(p, 4) for t, p in r.scores.items()},
                    "model": r.model,
                    "truncated": r.truncated,
                    "not_scored": r.not_scored,
                }
                for s, r in zip(event.segments, results)
            ]
            event.builder.add(records)
            yield _Records(bulletin, records)
        elif isinstance(event, _Finish):
            if event.bulletin not in failed:
                yield _End(event.bulletin, event.builder.finish())
        else:
            yield event


def _score_path(path: str, model, options: _Options) -> Iterator:
    is_jsonl = Path(path).suffix.lower() == ".jsonl"
    if not is_jsonl and path in options.skip:
        yield _FileDone(path)
        return
    try:
        for doc in read_documents(path):
            if doc.bulletin in options.skip:
                continue
            yield from _segment_document(doc, path, model, options)
    except (DocumentError, MissingDependencyError, OSError) as exc:
        reason = str(exc) if not isinstance(exc, OSError) else f"{path}: {exc.strerror or exc}"
        yield _Failed(path, reason, _failure_summary(path, path, reason, None))
    yield _FileDone(path)


def _score_chunk(paths: list[str], model_ref, options: _Options) -> list:
    """Score a few files in a worker; the events come back as one list."""
    model = get_model(model_ref)
    return list(_classified((event for path in paths for event in _score_path(path, model, options)), model, options))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _joblib_events(chunks: Iterable[list], jobs: int, model_ref, options: _Options) -> Iterator:
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator", pre_dispatch="2*n_jobs")
    for events in parallel(delayed(_score_chunk)(chunk, model_ref, options) for chunk in chunks):
        yield from events


def _dask_client(scheduler):
    try:
        from dask.distributed import Client
    except ImportError:
        raise missing_extra("dask[distributed]", "dask", "scoring on a Dask cluster") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    return Client(address, set_as_default=False), True


def _dask_events(chunks: Iterable[list], scheduler, model_ref, options: _Options) -> Iterator:
    client, owned = _dask_client(scheduler)
    pending: deque = deque()
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = iter(chunks)
        # A sliding window keeps every worker busy while results are taken in order.
        for chunk in islice(chunks, 2 * workers):
            pending.append(client.submit(_score_chunk, chunk, model_ref, options, pure=False))
        while pending:
            events = pending.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(client.submit(_score_chunk, nxt, model_ref, options, pure=False))
            yield from events
    finally:
        for future in pending:
            future.cancel()
        if owned:
            client.close()


def _check_int(value, name: str, caller: str, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidInputError(
            f"The '{name}' parameter of {caller} must be an int >= {minimum}. Got {value!r} instead."
        )


def _check_parameters(*, model, threshold, jobs, backend, scheduler, batch_size, chunk_size, max_evidence, caller):
    """Check the parameters before any output is touched; return the loaded model."""
    _check_int(jobs, "jobs", caller)
    _check_int(batch_size, "batch_size", caller)
    _check_int(chunk_size, "chunk_size", caller)
    _check_int(max_evidence, "max_evidence", caller, minimum=0)
    if backend not in ("local", "dask"):
        raise InvalidInputError(
            f"The 'backend' parameter of {caller} must be 'local' or 'dask'. Got {backend!r} instead."
        )
    if backend == "dask" and scheduler is None:
        raise InvalidInputError(
            f"The 'scheduler' parameter of {caller} must be a Dask scheduler address (or Client) "
            "when backend='dask'. Got None instead."
        )
    loaded = get_model(model)
    classify("", model=loaded, threshold=threshold)  # a bad threshold fails here, not mid-run
    if (backend == "dask" or jobs > 1) and loaded.path is None:
        raise InvalidInputError(
            "Parallel scoring loads the model from its folder in each worker; this model was never "
            "saved. Save it (themes.artifact.save_model) and pass its folder, or use jobs=1."
        )
    return loaded


def _events(
    paths,
    *,
    model,
    threshold,
    jobs,
    backend,
    scheduler,
    batch_size,
    chunk_size,
    max_evidence,
    skip,
    exclude,
    files: list[str] | None = None,
) -> Iterator:
    loaded = _check_parameters(
        model=model, threshold=threshold, jobs=jobs, backend=backend, scheduler=scheduler,
        batch_size=batch_size, chunk_size=chunk_size, max_evidence=max_evidence, caller="score_archive",
    )
    options = _Options(threshold=threshold, batch_size=batch_size, max_evidence=max_evidence, skip=frozenset(skip))
    if files is None:
        files = expand_paths(paths, exclude=exclude)
    if backend == "local" and jobs == 1:
        yield from _classified((event for path in files for event in _score_path(path, loaded, options)), loaded, options)
        return
    model_ref = str(Path(loaded.path).resolve())
    # Files already complete need no worker at all; JSON Lines files are skipped record by record.
    todo = [p for p in files if p not in options.skip or Path(p).suffix.lower() == ".jsonl"]
    for path in files:
        if path not in todo:
            yield _FileDone(path)
    chunks = _chunks(todo, chunk_size)
    if backend == "dask":
        yield from _dask_events(chunks, scheduler, model_ref, options)
    else:
        yield from _joblib_events(chunks, jobs, model_ref, options)


def score_archive(
    paths,
    *,
    model=None,
    threshold=None,
    jobs: int = 1,
    backend: str = "local",
    scheduler=None,
    batch_size: int = 256,
    chunk_size: int = 8,
    max_evidence: int = 5,
    skip: Iterable[str] = (),
    exclude: Iterable = (),
) -> Iterator[BulletinResult]:
    """Score every bulletin of an archive; yield one result per bulletin, in input order.

    Parameters
    ----------
    paths : str, path-like or list of them
        Files, folders (searched recursively for known formats) and glob patterns.
    model : None, str, path-like or ThemeModel, optional
        As for :func:`themes.classify`. Parallel backends need a model folder.
    threshold : float or dict, optional
        Threshold override, as for :func:`themes.classify`.
    jobs : int, default=1
        Processes for ``backend="local"`` (joblib); 1 scores in this process.
    backend : {"local", "dask"}, default="local"
        ``"dask"`` runs on the Dask distributed cluster given by ``scheduler``.
    scheduler : str or dask.distributed.Client, optional
        Scheduler address ("tcp://host:8786") or a connected client; for ``"dask"``.
    batch_size : int, default=256
        Statements classified at once, taken from as many consecutive bulletins as it
        takes; reading runs at most about this many statements ahead of the results.
    chunk_size : int, default=8
        Files per task for the parallel backends.
    max_evidence : int, default=5
        Evidence statements kept per theme in each summary, highest scores first.
    skip : iterable of str
        Bulletin ids not to score (``write_scores`` uses it to resume).
    exclude : iterable of paths
        Files never read as input (the run's own outputs).

    Yields
    ------
    BulletinResult
        Failures too (``result.ok`` is False, ``result.error`` says why).

    Raises
    ------
    themes.InvalidInputError
        A bad parameter (``jobs``, ``backend`` ...).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "2024-05-02-council.txt").write_text(
    ...     "Council meets\\n\\nThe participants:\\n- discussed terrorist use of drones;\\n- adopted the plan.",
    ...     encoding="utf-8")
    >>> _ = (folder / "broken.pdf").write_bytes(b"not a pdf")
    >>> for result in score_archive(folder):
    ...     print(Path(result.bulletin).name, result.ok, result.date, len(result.records))
    2024-05-02-council.txt True 2024-05-02 4
    broken.pdf False None 0
    >>> bullet = list(score_archive(folder))[0].records[2]
    >>> bullet["context"], "uav" in bullet["themes"]
    ('The participants:', True)
    """
    current: BulletinResult | None = None
    for event in _events(
        paths,
        model=model,
        threshold=threshold,
        jobs=jobs,
        backend=backend,
        scheduler=scheduler,
        batch_size=batch_size,
        chunk_size=chunk_size,
        max_evidence=max_evidence,
        skip=skip,
        exclude=exclude,
    ):
        if isinstance(event, _Records):
            if current is None or current.bulletin != event.bulletin:
                current = BulletinResult(event.bulletin)
            current.records.extend(event.records)
        elif isinstance(event, _End):
            result = current if current is not None and current.bulletin == event.bulletin else BulletinResult(event.bulletin)
            result.summary = event.summary
            current = None
            yield result
        elif isinstance(event, _Failed):
            current = None
            yield BulletinResult(event.bulletin, summary=event.summary, error=event.reason)


# ------------------------------------------------------------------------------ locks
@contextlib.contextmanager
def output_lock(path: str | os.PathLike):
    """Hold an exclusive lock on ``path`` (through ``path + ".lock"``) for a run.

    The lock is an OS file lock (``fcntl.flock``), released when the process ends in
    any way, so a killed run never leaves a stale lock behind.

    Raises
    ------
    OutputLockedError
        Another process holds the lock.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "scores.jsonl"
    >>> with output_lock(target):
    ...     try:
    ...         with output_lock(target):
    ...             pass
    ...     except OutputLockedError as exc:
    ...         print("refused")
    refused
    """
    lock_path = Path(f"{os.fspath(path)}.lock")
    try:
        import fcntl
    except ImportError:  # Windows: an exclusive create; a crash leaves the file to delete by hand
        fcntl = None
    if fcntl is None:
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            raise OutputLockedError(
                f"{path}: another themes run is writing it (lock {lock_path}); if none is, delete the lock file"
            ) from None
        try:
            os.write(fd, str(os.getpid()).encode())
            yield lock_path
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(lock_path)
        return
    while True:
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            try:
                holder = os.read(fd, 32).decode(errors="replace").strip()
            finally:
                os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise OutputLockedError(
                f"{path}: another themes run{who} is writing it; wait for it to finish or stop it"
            ) from None
        # The holder before us may have removed the file between our open and our lock:
        # then we locked an orphan and must try again on the new file.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock_path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock_path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


# ---------------------------------------------------------------------------- writing
class _Format:
    """JSON Lines or CSV records, as bytes; and the scan that resume needs."""

    def __init__(self, kind: str, themes):
        self.kind = kind
        self.themes = list(themes)
        self.columns = [f for f in RECORD_FIELDS if f != "scores"] + [f"score.{t}" for t in self.themes]

    def header(self) -> bytes:
        if self.kind != "csv":
            return b""
        return self._csv_row(self.columns)

    def _csv_row(self, values) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(values)
        return buffer.getvalue().encode("utf-8")

    def encode(self, record: dict) -> bytes:
        if self.kind == "jsonl":
            return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        row = []
        for name in self.columns:
            if name.startswith("score."):
                row.append(record["scores"][name[6:]])
            elif name == "themes":
                row.append(";".join(record["themes"]))
            elif name == "truncated":
                row.append("true" if record["truncated"] else "false")
            else:
                value = record[name]
                row.append("" if value is None else value)
        return self._csv_row(row)

    def scan(self, path: Path) -> tuple[list[tuple[str, int]], int, set]:
        """(complete bulletins with their start offsets, offset to truncate at, models seen)."""
        complete: list[tuple[str, int]] = []
        models: set = set()
        last, last_start = None, None
        offset = 0
        header_end = 0
        with open(path, "rb") as fh:
            if self.kind == "csv":
                first = fh.readline()
                if not first:
                    return [], 0, models
                if first != self.header():
                    raise InvalidInputError(
                        f"{path}: its CSV header does not match this run's columns (another model or "
                        "format?); use --force to start over"
                    )
                offset = header_end = len(first)
            for raw in self._raw_records(fh):
                if not raw.endswith(b"\n"):
                    break
                try:
                    bulletin, model = self._read_key(raw)
                except (ValueError, KeyError, IndexError, TypeError):
                    break
                if bulletin != last:
                    if last is not None:
                        complete.append((last, last_start))
                    last, last_start = bulletin, offset
                models.add(model)
                offset += len(raw)
        cut = last_start if last_start is not None else header_end
        return complete, cut, models

    def _raw_records(self, fh) -> Iterator[bytes]:
        if self.kind == "jsonl":
            yield from fh
            return
        pending = b""
        for line in fh:  # a quoted CSV field may hold line breaks: join until quotes balance
            pending += line
            if pending.count(b'"') % 2 == 0:
                yield pending
                pending = b""
        if pending:
            yield pending

    def _read_key(self, raw: bytes) -> tuple[str, str]:
        if self.kind == "jsonl":
            record = json.loads(raw.decode("utf-8"))
            return record["bulletin"], record.get("model")
        row = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
        if len(row) != len(self.columns):
            raise ValueError("wrong number of columns")
        return row[0], row[self.columns.index("model")]


def _format_of(out: Path, fmt: str | None) -> str:
    if fmt is None:
        return "csv" if out.suffix.lower() == ".csv" else "jsonl"
    if fmt not in ("jsonl", "csv"):
        raise InvalidInputError(f"The 'fmt' parameter of write_scores must be 'jsonl' or 'csv'. Got {fmt!r} instead.")
    return fmt


def _summary_lines(path: Path) -> Iterator[tuple[bytes, str]]:
    """(line, bulletin) of a summary file, up to its first incomplete or unreadable line."""
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                return
            try:
                bulletin = json.loads(raw.decode("utf-8"))["bulletin"]
            except (ValueError, KeyError, TypeError):
                return
            yield raw, bulletin


def _summarized(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {bulletin for _, bulletin in _summary_lines(path)}


def _filter_summary(path: Path, keep: set[str]) -> None:
    """Rewrite a summary file with only the records of ``keep`` bulletins (atomically)."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for raw, bulletin in _summary_lines(path):
                if bulletin in keep:
                    out.write(raw)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _progress_bar(enabled: bool, total: int):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the ``progress`` extra is optional: no bar, no error
        return None
    return tqdm(total=total, unit="file", desc="scoring", file=sys.stderr, dynamic_ncols=True)


def write_scores(
    paths,
    out: str | os.PathLike,
    *,
    fmt: str | None = None,
    summary: str | os.PathLike | None = None,
    resume: bool = False,
    force: bool = False,
    model=None,
    threshold=None,
    jobs: int = 1,
    backend: str = "local",
    scheduler=None,
    batch_size: int = 256,
    chunk_size: int = 8,
    max_evidence: int = 5,
    progress: bool = False,
    report=None,
) -> ScoreReport:
    """Score an archive into a statements file (and a summary file), resumably.

    Parameters
    ----------
    paths
        Files, folders and globs, as for :func:`score_archive`.
    out : path
        The statements file: JSON Lines, or CSV (``fmt="csv"`` or a .csv suffix).
    fmt : {"jsonl", "csv"}, optional
    summary : path, optional
        A JSON Lines file with one summary record per bulletin (failures included).
    resume : bool, default=False
        Continue an interrupted run: skip bulletins complete in ``out``, truncate a
        bulletin cut short, never write a statement twice.
    force : bool, default=False
        Overwrite existing outputs.
    progress : bool, default=False
        Show a tqdm progress bar on stderr (when tqdm is installed).
    report : callable, optional
        Called with one line per failed bulletin ("path: reason").
    model, threshold, jobs, backend, scheduler, batch_size, chunk_size, max_evidence
        As for :func:`score_archive`.

    Returns
    -------
    ScoreReport

    Raises
    ------
    OutputExistsError
        An output exists and neither ``force`` nor ``resume`` is set.
    OutputLockedError
        Another run is writing the same output.
    themes.InvalidInputError
        Bad parameters, or resuming an output written with another model or format.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for day in (1, 2, 3):
    ...     _ = (folder / f"2024-06-0{day}.txt").write_text(f"Meeting {day}. Drones were discussed.")
    >>> report = write_scores(folder, folder / "scores.jsonl")
    >>> report.scored, report.failed, report.statements
    (3, 0, 6)
    >>> again = write_scores(folder, folder / "scores.jsonl", resume=True)
    >>> again.skipped, again.scored  # the last bulletin found is always scored again
    (2, 1)
    """
    if resume and force:
        raise InvalidInputError("The 'resume' and 'force' parameters of write_scores cannot both be set.")
    out = Path(out)
    summary_path = Path(summary) if summary is not None else None
    if summary_path is not None and summary_path.resolve() == out.resolve():
        raise InvalidInputError(f"The summary file must differ from the output file; both are {out}.")
    loaded = _check_parameters(
        model=model, threshold=threshold, jobs=jobs, backend=backend, scheduler=scheduler,
        batch_size=batch_size, chunk_size=chunk_size, max_evidence=max_evidence, caller="write_scores",
    )
    kind = _format_of(out, fmt)
    writer_format = _Format(kind, loaded.themes)
    outputs = [out] + ([summary_path] if summary_path is not None else [])
    result = ScoreReport(out=str(out), summary=str(summary_path) if summary_path else None)
    with contextlib.ExitStack() as stack:
        for target in outputs:
            stack.enter_context(output_lock(target))
        for target in outputs:
            if target.exists() and not (force or resume):
                raise OutputExistsError(f"{target} exists; use --force to overwrite it or --resume to continue it")
        complete: list[tuple[str, int]] = []
        if resume and out.exists() and out.stat().st_size:
            complete, cut, models = writer_format.scan(out)
            models.discard(None)
            if models and models != {loaded.name}:
                raise InvalidInputError(
                    f"{out} was scored with model {', '.join(sorted(map(str, models)))}; this run uses "
                    f"{loaded.name}. Resume with the same --model, or use --force to start over."
                )
            if summary_path is not None:
                # A bulletin counts as done only with its summary record too; from the
                # first one without, the output is scored again.
                summarized = _summarized(summary_path)
                for position, (bulletin, start) in enumerate(complete):
                    if bulletin not in summarized:
                        complete, cut = complete[:position], start
                        break
            with open(out, "r+b") as fh:
                fh.truncate(cut)
        elif out.exists():
            out.write_bytes(b"")  # --force (or an empty file left by --resume)
        done = [bulletin for bulletin, _ in complete]
        if resume and summary_path is not None and summary_path.exists():
            _filter_summary(summary_path, set(done))
        result.skipped = len(done)
        exclude = [out, f"{out}.lock"] + ([summary_path, f"{summary_path}.lock"] if summary_path else [])
        files = expand_paths(paths, exclude=exclude)
        out_fh = stack.enter_context(open(out, "ab"))
        if out_fh.tell() == 0:
            out_fh.write(writer_format.header())
        summary_fh = None
        if summary_path is not None:
            summary_fh = stack.enter_context(open(summary_path, "ab" if resume else "wb"))
        bar = _progress_bar(progress, len(files))
        if bar is not None:
            stack.callback(bar.close)

        def tell(message: str) -> None:
            if bar is not None:
                bar.write(message, file=sys.stderr)
            elif report is not None:
                report(message)

        current, bulletin_start, bulletin_records = None, out_fh.tell(), 0
        seen = set(done)
        for event in _events(
            paths,
            model=loaded,
            threshold=threshold,
            jobs=jobs,
            backend=backend,
            scheduler=scheduler,
            batch_size=batch_size,
            chunk_size=chunk_size,
            max_evidence=max_evidence,
            skip=done,
            exclude=exclude,
            files=files,
        ):
            if isinstance(event, _End) and event.bulletin in seen:
                # Resume tells bulletins apart by id: a second bulletin with the same id
                # (two JSON Lines records, say) would make that ambiguous, so it fails.
                reason = f"{event.summary.get('path')}: bulletin id {event.bulletin!r} is already in the output; ids must be unique"
                event = _Failed(event.bulletin, reason, _failure_summary(
                    event.bulletin, event.summary.get("path"), reason, event.summary.get("format")))
            if isinstance(event, _Records):
                if event.bulletin != current:
                    current, bulletin_start, bulletin_records = event.bulletin, out_fh.tell(), 0
                if event.bulletin in seen:
                    continue
                out_fh.write(b"".join(writer_format.encode(r) for r in event.records))
                bulletin_records += len(event.records)
                result.statements += len(event.records)
            elif isinstance(event, _End):
                out_fh.flush()
                if summary_fh is not None:
                    summary_fh.write((json.dumps(event.summary, ensure_ascii=False) + "\n").encode("utf-8"))
                    summary_fh.flush()
                seen.add(event.bulletin)
                result.scored += 1
                current = None
                if bar is not None:
                    rate = result.statements / max(bar.format_dict.get("elapsed", 0) or 1e-9, 1e-9)
                    bar.set_postfix_str(f"{result.scored} bulletins, {rate:.0f} statements/s", refresh=False)
            elif isinstance(event, _Failed):
                if current == event.bulletin:
                    # Records of a bulletin that failed half-way are taken back.
                    result.statements -= bulletin_records
                    out_fh.flush()
                    out_fh.truncate(bulletin_start)
                    out_fh.seek(bulletin_start)
                current = None
                if summary_fh is not None:
                    summary_fh.write((json.dumps(event.summary, ensure_ascii=False) + "\n").encode("utf-8"))
                    summary_fh.flush()
                out_fh.flush()
                result.failed += 1
                result.failures.append((event.bulletin, event.reason))
                tell(f"failed: {event.reason}")
            elif isinstance(event, _FileDone) and bar is not None:
                bar.update(1)
    return result

