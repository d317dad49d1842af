"""The scoring pipeline: files -> documents -> statements -> classified records -> events.

:func:`score_archive` runs it and yields one :class:`BulletinResult` per bulletin.
Reading, segmenting and classifying are lazy: reading runs at most about ``batch_size``
statements ahead of the results, and statements of consecutive bulletins are classified
together so that every ``classify`` call gets about ``batch_size`` of them.

One bad input never stops a run: a file, record or folder that cannot be read or scored
becomes one :class:`Failed` event with its reason, and the rest goes on. Only a wrong
model or wrong options (which would fail every bulletin) stop it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path

from themes.api import Result, classify, get_model
from themes.archive.backends import chunks, dask_events, joblib_events
from themes.archive.files import file_key, has_surrogates, list_files, output_kind, printable
from themes.archive.options import ScoreOptions
from themes.archive.records import (
    BulletinResult,
    Duplicates,
    End,
    Failed,
    FileDone,
    Records,
    Skipped,
    failed,
    passed_over_note,
    statement_record,
)
from themes.archive.summary import HEADER_WINDOW, SummaryBuilder, TextDigest, bulletin_title_and_date
from themes.errors import (
    DocumentError,
    InvalidInputError,
    MissingDependencyError,
    ModelError,
    ParameterError,
    parameter_error,
)
from themes.language import language_names, likely_cyrillic_languages, other_cyrillic_bulletin, reads_as_other_cyrillic
from themes.readers import SUFFIXES, Document, read_documents
from themes.segment import iter_segments

__all__ = ["events", "load_model_for_run", "score_archive", "score_chunk"]

# Errors that mean the run itself is wrong (every bulletin would fail): they stop it.
_FATAL = (ModelError, ParameterError)


# Inside the scoring loop only: statements of a bulletin waiting to be classified, and the
# mark that its last statement has been read. classified() turns them into events.
@dataclass
class _Piece:
    doc: Document
    path: str
    date: str | None
    builder: SummaryBuilder
    segments: list
    other_cyrillic: str | None = None  # why its Cyrillic statements are not scored (another language's bulletin)


@dataclass
class _Finish:
    bulletin: str
    builder: SummaryBuilder
    line: int | None = None  # of a JSON Lines record


def _take(iterator: Iterator, n: int) -> list:
    return list(islice(iterator, n))


def _is_jsonl(path: str) -> bool:
    return Path(path).suffix.lower() == ".jsonl"


def _document_failed(doc: Document, path: str, exc: Exception) -> Failed:
    if isinstance(exc, (DocumentError, MissingDependencyError)):
        reason = str(exc)
    else:
        reason = f"{printable(path)}: {type(exc).__name__}: {exc}"
    return failed(doc.bulletin, path, printable(reason), doc.format)


def _unwritable(doc: Document, path: str) -> str | None:
    """Why a document's name cannot be written out, if it cannot."""
    if has_surrogates(path) and not _is_jsonl(path):
        return f"{printable(path)}: the file name is not valid UTF-8; rename the file to score it"
    if has_surrogates(doc.bulletin):
        return f"{printable(path)}: bulletin id {printable(doc.bulletin)!r} is not valid Unicode text"
    return None


def _segment_document(doc: Document, path: str, model, options: ScoreOptions) -> Iterator:
    """A bulletin's statements, in pieces of at most ``batch_size``, then its _Finish."""
    if doc.error:
        yield failed(doc.bulletin, path, printable(doc.error), doc.format)
        return
    why = _unwritable(doc, path)
    if why:
        yield failed(doc.bulletin, path, why, doc.format)
        return
    try:
        # Offsets index the extracted text; a PDF statement's text is its one-line reading,
        # a Markdown one's its plain reading, and that is what the model reads and the records hold.
        # The text's digest (text_sha256) is taken from the chunks as they pass to the
        # segmenter (text already in memory, nothing read twice); a bulletin saved twice is
        # told by its statements' digest (SummaryBuilder), as trends tells it.
        digest = TextDigest(doc.iter_text())
        segments = iter_segments(digest, unwrap=doc.wrapped, markdown=doc.format == "md")
        batch = _take(segments, max(options.batch_size, HEADER_WINDOW))
        if not batch:
            # A document with no text (a DOCX of empty paragraphs, a JSON Lines record whose
            # "text" is blank) is no scored bulletin of 0 statements.
            if doc.format == "jsonl":
                where = f"{printable(path)}:{doc.line}" if doc.line else printable(path)
                yield failed(doc.bulletin, path, f"{where}: bulletin {printable(doc.bulletin)!r}: its 'text' is "
                             "empty; there is nothing to score", doc.format)
            else:
                yield failed(doc.bulletin, path, f"{printable(path)}: the file is empty (it holds no text); there "
                             "is nothing to score", doc.format)
            return
        title, date, date_source = bulletin_title_and_date(batch, doc, path)  # one opening window for both
        builder = SummaryBuilder(doc, path, date, date_source, model.themes, options.max_evidence, title=title)
        other_cyrillic = _NOT_YET  # decided on the bulletin's first statements, for all of them
        while batch:
            for seg in batch:
                if has_surrogates(seg.text) or has_surrogates(seg.context):
                    which = f"bulletin {printable(doc.bulletin)!r}, " if _is_jsonl(path) else ""
                    raise DocumentError(
                        f"{printable(path)}: {which}statement {seg.index} holds a lone surrogate, which is not "
                        f"Unicode text: {printable(seg.text if has_surrogates(seg.text) else seg.context)[:80]}"
                    )
            if other_cyrillic is _NOT_YET:
                other_cyrillic = _other_cyrillic_reason(batch, model)
            yield _Piece(doc, path, date, builder, batch, other_cyrillic)
            batch = _take(segments, options.batch_size)
    except _FATAL:
        raise  # the model or the options are wrong: every bulletin would fail
    except Exception as exc:  # a damaged file fails alone; the archive goes on
        yield _document_failed(doc, path, exc)
        return
    builder.digest = digest.hexdigest()
    yield _Finish(doc.bulletin, builder, doc.line)


_NOT_YET = object()


def _other_cyrillic_reason(segments: list, model) -> str | None:
    """Why the Cyrillic statements of a bulletin in Ukrainian, Belarusian, Kazakh... are not
    scored, decided on its first statements (``segments``: at least ``HEADER_WINDOW`` of
    them, or all); None for a bulletin in Russian or English (see
    :func:`themes.language.other_cyrillic_bulletin`)."""
    found = other_cyrillic_bulletin([seg.text for seg in segments], model.languages)
    if found is None:
        return None
    letters, foreign, cyrillic = found
    likely = likely_cyrillic_languages(letters) or ["another language"]
    named = " or ".join([", ".join(likely[:-1]), likely[-1]] if len(likely) > 1 else likely)
    return (
        f"not scored: in a bulletin in {named} ({foreign} of its first {cyrillic} Cyrillic statements have "
        f"letters Russian does not have: {', '.join(letters[:5])}); the model reads {language_names(model.languages)}"
    )


def _refuse_other_cyrillic(piece: _Piece, results: list, model) -> list:
    """The results of a piece of a bulletin in another Cyrillic language, each statement read
    as Russian that is in that language (:func:`themes.language.reads_as_other_cyrillic`)
    turned into one not scored, with the bulletin's reason."""
    out = []
    known = model.space.is_known_word
    for result in results:
        if result.language == "ru" and reads_as_other_cyrillic(result.text, known):
            result = Result(
                result.text, (), dict.fromkeys(model.themes, 0.0), result.thresholds, context=result.context,
                model=result.model, truncated=result.truncated, not_scored=piece.other_cyrillic, language=None,
            )
        out.append(result)
    return out


def _classify_pieces(pieces: list[_Piece], model, options: ScoreOptions) -> list:
    """Results per piece, from one ``classify`` call; a piece that cannot be classified
    (found by trying each alone) gets its exception instead."""
    texts = [s.text for piece in pieces for s in piece.segments]
    contexts = [s.context for piece in pieces for s in piece.segments]
    try:
        results = classify(texts, model=model, threshold=options.threshold, context=contexts)
    except _FATAL:
        raise
    except Exception:
        if len(pieces) == 1:
            raise
        out = []
        for piece in pieces:
            try:
                out.extend(_classify_pieces([piece], model, options))
            except _FATAL:
                raise
            except Exception as exc:
                out.append(exc)
        return out
    out, start = [], 0
    for piece in pieces:
        out.append(results[start : start + len(piece.segments)])
        start += len(piece.segments)
    return out


def _flush(pending: list, model, options: ScoreOptions, failed_bulletins: set) -> Iterator:
    pieces = [event for event in pending if isinstance(event, _Piece)]
    try:
        outcomes = iter(_classify_pieces(pieces, model, options) if pieces else [])
    except _FATAL:
        raise
    except Exception as exc:  # one piece alone, and it cannot be classified
        outcomes = iter([exc])
    for event in pending:
        if isinstance(event, _Piece):
            results = next(outcomes)
            bulletin = event.doc.bulletin
            if bulletin in failed_bulletins:
                continue
            if isinstance(results, Exception):
                failed_bulletins.add(bulletin)
                yield _document_failed(event.doc, event.path, results)
                continue
            if event.other_cyrillic is not None:
                results = _refuse_other_cyrillic(event, results, model)
            records = [statement_record(bulletin, event.date, s, r) for s, r in zip(event.segments, results)]
            event.builder.add(records)
            yield Records(bulletin, records)
        elif isinstance(event, _Finish):
            if event.bulletin in failed_bulletins:
                failed_bulletins.discard(event.bulletin)  # a later bulletin may reuse the id
            else:
                yield End(event.bulletin, event.builder.finish(), event.line)
        else:
            yield event


def _classified(events: Iterable, model, options: ScoreOptions) -> Iterator:
    """Classify the statements of consecutive bulletins (and files) together.

    Short bulletins would otherwise each cost a ``classify`` call of a dozen statements;
    here every call gets about ``batch_size`` statements, whatever the bulletins' sizes.
    Events come out in the order they went in.
    """
    pending: list = []
    waiting = 0
    failed_bulletins: set = set()  # a bulletin that failed in one batch stays failed in the next
    for event in events:
        pending.append(event)
        if isinstance(event, _Piece):
            waiting += len(event.segments)
        # Nothing waits for classification (or enough does): pass the events on now, so
        # that reading never runs more than about batch_size statements ahead.
        if not waiting or waiting >= options.batch_size:
            yield from _flush(pending, model, options, failed_bulletins)
            pending, waiting = [], 0
    yield from _flush(pending, model, options, failed_bulletins)


# A file of at most this many bytes is read whole, once: to tell whether it is empty, and
# (a .txt or .md file) to be decoded from those bytes by its reader.
_SMALL_FILE_BYTES = 4096


def _small_file(path: str) -> bytes | None:
    """The bytes of a file of at most _SMALL_FILE_BYTES, read in one go; None for a larger
    file (not read here) or one that cannot be read (the reader reports why)."""
    try:
        if os.path.getsize(path) > _SMALL_FILE_BYTES:
            return None
        with open(path, "rb") as fh:
            data = fh.read(_SMALL_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= _SMALL_FILE_BYTES else None  # it grew since: read as a large file


def _is_empty(data: bytes | None) -> bool:
    """True for a small file of no bytes, or of white space only."""
    return data is not None and not data.decode("utf-8", "replace").lstrip("\ufeff").strip()


def _score_path(path: str, model, options: ScoreOptions) -> Iterator:
    data = _small_file(path)
    if _is_empty(data):
        # An empty file is no bulletin, whatever its type: one reason for every format.
        fmt = SUFFIXES.get(Path(path).suffix.lower())
        yield failed(path, path, f"{printable(path)}: the file is empty; there is nothing to score", fmt)
        yield FileDone(path)
        return
    kind = output_kind(path) if _is_jsonl(path) else None
    if kind is not None:
        # An earlier run's output in the archive: one line, not one failure per record.
        what = "statement records (--out)" if kind == "statements" else "bulletin summaries (--summary)"
        yield failed(path, path, f"{printable(path)}: holds the {what} of an earlier `themes score` run, not "
                     "bulletins; not read (move it out of the archive, or continue it with --resume)", "jsonl")
        yield FileDone(path)
        return
    try:
        for doc in read_documents(path, data):
            if doc.format == "jsonl" and doc.bulletin in options.skip:
                # A file's bulletins are skipped by the file's identity (_already_done):
                # its path as spelled here may name another file than the output's id did.
                yield Skipped(doc.bulletin)
                continue
            yield from _segment_document(doc, path, model, options)
    except _FATAL:
        raise
    except (DocumentError, MissingDependencyError) as exc:
        yield failed(path, path, printable(str(exc)))
    except OSError as exc:
        yield failed(path, path, f"{printable(path)}: {exc.strerror or exc}")
    except RecursionError:
        yield failed(path, path, f"{printable(path)}: nested too deeply to read; the rest of this file was not read")
    except Exception as exc:  # a reader that breaks on a hostile file fails that file alone
        yield failed(path, path, f"{printable(path)}: {type(exc).__name__}: {printable(str(exc))}")
    yield FileDone(path)


def score_chunk(paths: list[str], model_ref, options: ScoreOptions) -> list:
    """Score a few files in a worker; the events come back as one list."""
    model = get_model(model_ref)
    return list(_classified((event for path in paths for event in _score_path(path, model, options)), model, options))


def load_model_for_run(model, options: ScoreOptions, caller: str):
    """Load the model and check the options with it, before any output is touched."""
    loaded = get_model(model, caller=caller)
    try:
        classify("", model=loaded, threshold=options.threshold)  # a bad threshold fails here, not mid-run
    except ParameterError as exc:
        raise ParameterError(str(exc).replace("parameter of classify", f"parameter of {caller}")) from None
    if options.parallel and loaded.path is None:
        raise InvalidInputError(
            "Parallel scoring loads the model from its folder in each worker; this model was never "
            "saved. Save it (themes.artifact.save_model) and pass its folder, or use jobs=1."
        )
    return loaded


def _already_done(files: list[str], skip: frozenset) -> set[str]:
    """Files (not JSON Lines) whose bulletin is in ``skip``, by spelling or by identity on disk."""
    if not skip:
        return set()
    # Identity on disk, and the file it resolves to: a hard link to a finished bulletin
    # (another name, the same inode) is a bulletin of its own, scored as in a run from the start.
    keys: dict = {}
    for bulletin in skip:
        key = file_key(bulletin)
        if key is not None:
            keys.setdefault(key, set()).add(os.path.realpath(bulletin))
    done = set()
    for path in files:
        if _is_jsonl(path):
            continue  # its bulletins are skipped record by record, by id
        if path in skip:
            done.add(path)
        elif keys and os.path.realpath(path) in keys.get(file_key(path), ()):
            done.add(path)
    return done


def events(paths, model, options: ScoreOptions, files: list[str] | None = None, problems=None) -> Iterator:
    """Every event of a run, in input order: records, ends and failures of bulletins.

    ``model`` is loaded (:func:`load_model_for_run`); ``files`` and the unreadable
    folders ``problems`` are listed from ``paths`` unless given.
    """
    if files is None:
        files, problems = list_files(paths, exclude=options.exclude)
    for folder, reason in problems or ():
        yield failed(folder, folder, f"{printable(folder)}: cannot be read ({reason}); its bulletins were not scored")
    done = _already_done(files, options.skip)
    if not options.parallel:
        work = (event for path in files for event in (
            [Skipped(path), FileDone(path)] if path in done else _score_path(path, model, options)))
        yield from _classified(work, model, options)
        return
    # Files already complete need no worker at all; JSON Lines files are skipped record by record.
    todo = [p for p in files if p not in done]
    for path in files:
        if path in done:
            yield Skipped(path)
            yield FileDone(path)
    work = partial(score_chunk, model_ref=str(Path(model.path).resolve()), options=options.for_workers())
    if options.backend == "dask":
        yield from dask_events(chunks(todo, options.chunk_size), options.scheduler, work)
    else:
        yield from joblib_events(chunks(todo, options.chunk_size), options.jobs, work)


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
        Bulletin ids not to score (``write_scores`` uses it to resume). A file is
        skipped whichever way its path is spelled (its identity on disk decides).
    exclude : iterable of paths
        Files never read as input (the run's own outputs).

    Yields
    ------
    BulletinResult
        Failures too (``result.ok`` is False, ``result.error`` says why): a file,
        record or folder that cannot be read or scored fails alone.

    Raises
    ------
    themes.errors.ParameterError
        A bad parameter (``paths``, ``jobs``, ``backend`` ...).

    Examples
    --------
    >>> import shutil, tempfile
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
    >>> shutil.rmtree(folder)
    """
    check_paths(paths, "score_archive")
    options = ScoreOptions.of(
        "score_archive", threshold=threshold, jobs=jobs, backend=backend, scheduler=scheduler,
        batch_size=batch_size, chunk_size=chunk_size, max_evidence=max_evidence, skip=skip, exclude=exclude,
    )
    # The model and the thresholds are checked now, not at the first next(): a wrong
    # model or threshold fails where the call is written.
    loaded = load_model_for_run(model, options, "score_archive")
    return _results(paths, loaded, options)


def check_paths(paths, caller: str) -> None:
    """``paths`` must be a path or an iterable of paths (not None, not a number)."""
    if isinstance(paths, (str, os.PathLike)):
        return
    if paths is None or isinstance(paths, bytes) or not isinstance(paths, Iterable):
        raise parameter_error("paths", caller, "a path or a list of paths (files, folders, globs)", paths)


def _results(paths, loaded, options: ScoreOptions) -> Iterator[BulletinResult]:
    passed_over: list[str] = []
    files, problems = list_files(paths, exclude=options.exclude, passed_over=passed_over)
    if passed_over:
        warnings.warn(f"score_archive: {passed_over_note(passed_over)}", UserWarning, stacklevel=3)
    current: BulletinResult | None = None
    copies = Duplicates()
    for event in events(paths, loaded, options, files=files, problems=problems):
        if isinstance(event, Records):
            if current is None or current.bulletin != event.bulletin:
                current = BulletinResult(event.bulletin)
            current.records.extend(event.records)
        elif isinstance(event, End):
            result = current if current is not None and current.bulletin == event.bulletin else BulletinResult(event.bulletin)
            result.summary = event.summary
            copies.mark(event.summary)
            current = None
            yield result
        elif isinstance(event, Failed):
            current = None
            yield BulletinResult(event.bulletin, summary=event.summary, error=event.reason)
