"""``themes score``: a run written to a statements file (and a summary file), resumably.

Records are written bulletin by bulletin and flushed after each, under a lock on each
output; a bulletin that fails half-way is taken back. With ``resume``, the output is
scanned (:meth:`~themes.archive.output.RecordFormat.scan`): the complete bulletins are
skipped, known by their file's identity on disk and not by the spelling of their path,
and the output is truncated where the first incomplete one starts.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from themes.archive.files import check_output_path, file_key, jsonl_lines_of, list_files, printable, stored_file
from themes.archive.lock import lock_path, output_lock
from themes.archive.options import ScoreOptions
from themes.archive.output import RecordFormat, filter_summary, format_of, summarized, summary_lines
from themes.archive.pipeline import check_paths, events, load_model_for_run
from themes.archive.progress import Progress
from themes.archive.records import Duplicates, End, Failed, FileDone, Records, ScoreReport, Skipped, failed
from themes.errors import InvalidInputError, ParameterError, check_output, parameter_error
from themes.jsonlines import BadLine, dumps_line, parse_line

__all__ = ["write_scores"]


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
        Files, folders and globs, as for :func:`~themes.archive.score_archive`.
    out : path
        The statements file: JSON Lines, or CSV (``fmt="csv"`` or a .csv suffix);
        ``"-"`` writes the records to standard output (no lock, no resume; a bulletin's
        records are written when it ends, so a failed one leaves none).
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
        Called with one line per failed bulletin ("failed: path: reason").
    model, threshold, jobs, backend, scheduler, batch_size, chunk_size, max_evidence
        As for :func:`~themes.archive.score_archive`.

    Returns
    -------
    ScoreReport
        When no bulletin was scored (none found, or every one failed), the outputs this
        run created are removed again (``ScoreReport.removed``); failures are in the
        report and were passed to ``report``.

    Raises
    ------
    OutputExistsError
        An output exists and neither ``force`` nor ``resume`` is set.
    OutputLockedError
        Another run is writing the same output (under whatever name).
    themes.errors.ParameterError
        A bad parameter: an output that is a folder, a summary that is the statements
        file, an output that is one of the input files.
    themes.InvalidInputError
        Resuming an output written with another model or format.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for day in (1, 2, 3):
    ...     _ = (folder / f"2024-06-0{day}.txt").write_text(f"Meeting {day}. Drones were discussed.")
    >>> report = write_scores(folder, folder / "scores.jsonl")
    >>> report.scored, report.failed, report.statements
    (3, 0, 6)
    >>> again = write_scores(folder, folder / "scores.jsonl", resume=True)
    >>> again.skipped, again.scored  # the last bulletin found is always scored again
    (2, 1)
    >>> shutil.rmtree(folder)
    """
    if resume and force:
        raise InvalidInputError("The 'resume' and 'force' parameters of write_scores cannot both be set.")
    check_paths(paths, "write_scores")
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)  # read more than once
    if out is None or not isinstance(out, (str, os.PathLike)):
        raise parameter_error("out", "write_scores", "a path to the statements file (or '-' for standard output)", out)
    to_stdout = os.fspath(out) == "-"
    if to_stdout and resume:
        raise parameter_error("resume", "write_scores", "False when writing to standard output (out='-')", resume)
    out = Path(out)
    summary_path = Path(summary) if summary is not None else None
    _check_targets(out, summary_path, to_stdout)
    options = ScoreOptions.of(
        "write_scores", threshold=threshold, jobs=jobs, backend=backend, scheduler=scheduler,
        batch_size=batch_size, chunk_size=chunk_size, max_evidence=max_evidence,
    )
    loaded = load_model_for_run(model, options, "write_scores")
    writer_format = RecordFormat(format_of(out, fmt), loaded.themes)
    outputs = ([] if to_stdout else [out]) + ([summary_path] if summary_path is not None else [])
    result = ScoreReport(out="-" if to_stdout else str(out), summary=str(summary_path) if summary_path else None,
                         paths=paths)
    # A symbolic link to a file not made yet is the user's: written through, never removed.
    created = [target for target in outputs if not os.path.lexists(target)]
    locked = False
    try:
        with contextlib.ExitStack() as stack:
            for target in outputs:
                stack.enter_context(output_lock(target))
            locked = True
            exclude = [*outputs, *(lock_path(o) for o in outputs)]
            files, problems = list_files(paths, exclude=exclude[len(outputs):], passed_over=result.passed_over)
            files = _without_outputs(paths, files, outputs)
            for target in outputs:
                check_output(target, force=force or resume, resume=True)
            done, skip = [], []
            if not to_stdout:
                done, skip = _prepare(out, summary_path, writer_format, loaded.name, resume, files)
            copies = Duplicates()
            if resume and summary_path is not None and summary_path.exists():
                filter_summary(summary_path, set(done))
                # The texts of the bulletins already scored: a copy of one among those left
                # is marked as in a run from the start.
                copies.seed(_summaries(summary_path))
            options = ScoreOptions.of(
                "write_scores", threshold=threshold, jobs=jobs, backend=backend, scheduler=scheduler,
                batch_size=batch_size, chunk_size=chunk_size, max_evidence=max_evidence, skip=skip, exclude=exclude,
            )
            if to_stdout:
                out_fh = _StdoutRecords(sys.stdout.buffer)
            else:
                out_fh = stack.enter_context(open(out, "ab"))
            if out_fh.tell() == 0:
                out_fh.write(writer_format.header())
            summary_fh = None
            if summary_path is not None:
                summary_fh = stack.enter_context(open(summary_path, "ab" if resume else "wb"))
            bar = Progress(progress, len(files), report)
            stack.callback(bar.close)
            _write(events(paths, loaded, options, files=files, problems=problems),
                   out_fh, summary_fh, writer_format, result, bar, set(done), copies)
            out_fh.flush()
    except BaseException:
        # A run that stops before scoring anything (a Dask scheduler that cannot be
        # reached, an interruption) leaves no empty file that would refuse the next run.
        if locked and not result.scored:  # (without the locks, the files may be another run's)
            _remove(created)
        raise
    if not (result.scored or result.skipped):
        # Nothing was scored: files this run created would hold no statement, and would
        # only make the corrected run fail for want of --force.
        result.removed = _remove(created)
    return result


def _remove(created: list[Path]) -> list[str]:
    for target in created:
        with contextlib.suppress(OSError):
            target.unlink()
    return [str(target) for target in created]


def _check_targets(out: Path, summary_path: Path | None, to_stdout: bool) -> None:
    """Refuse outputs that cannot be written before anything is loaded (exit 2 on the command line)."""
    named = [("out", out)] if not to_stdout else []
    if summary_path is not None:
        if os.fspath(summary_path) == "-":
            raise ParameterError(
                "The 'summary' parameter of write_scores (--summary) cannot be standard output ('-'); "
                "give a file name, e.g. bulletins.jsonl."
            )
        named.append(("summary", summary_path))
    if summary_path is not None and not to_stdout and os.path.realpath(summary_path) == os.path.realpath(out):
        raise ParameterError(
            f"--summary and --out name the same file ({summary_path}); give the summary a name of its own, "
            "e.g. bulletins.jsonl."
        )
    for option, target in named:
        check_output_path(f"--{option}", target, "scores.jsonl" if option == "out" else "bulletins.jsonl")


def _without_outputs(paths, files: list[str], outputs: list[Path]) -> list[str]:
    """``files`` without this run's outputs; refused when an output is a bulletin file.

    An earlier output of the run found in a folder being scored is passed over. But an
    output named as an input, or one found there that is not a themes output, is a
    bulletin file that writing would destroy (``--force`` included): the run stops first.
    """
    real = {os.path.realpath(target): target for target in outputs}
    named = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    named_keys = {file_key(path): path for path in named if isinstance(path, (str, os.PathLike))}
    named_keys.pop(None, None)
    kept = []
    for path in files:
        target = real.get(os.path.realpath(path))
        if target is None:
            kept.append(path)
            continue
        given = named_keys.get(file_key(path))
        if given is not None or not _looks_like_output(Path(path)):
            option = "--summary" if len(outputs) > 1 and target == outputs[-1] else "--out"
            raise ParameterError(
                f"{option} {target}: is also an input ({given if given is not None else path}); writing it "
                f"would destroy that bulletin file. Name {option} outside the inputs."
            )
    return kept


def _looks_like_output(path: Path) -> bool:
    """Whether ``path`` is empty or starts as a themes output (a statement, summary or CSV header)."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(1 << 16)
    except OSError:
        return True  # not readable as an input either
    if not first.strip() or first.startswith(b"bulletin,date,index,"):
        return True
    try:
        record = parse_line(first, objects=True)
    except (BadLine, ValueError):
        return False
    return "bulletin" in record and ("index" in record or "status" in record)


class _StdoutRecords:
    """Standard output as the statements file: records of a bulletin are held until it
    ends, since what is written there cannot be taken back when a bulletin fails."""

    def __init__(self, stream):
        self.stream = stream
        self.written = 0
        self.held: list[bytes] = []

    def tell(self) -> int:
        return self.written + sum(map(len, self.held))

    def write(self, data: bytes) -> None:
        self.held.append(data)

    def truncate(self, size: int) -> None:
        keep = size - self.written
        data = b"".join(self.held)[:max(keep, 0)]
        self.held = [data] if data else []

    def seek(self, offset: int) -> None:
        pass

    def flush(self) -> None:
        data = b"".join(self.held)
        self.held = []
        if data:
            self.stream.write(data)
            self.written += len(data)
        self.stream.flush()


def _prepare(out: Path, summary_path: Path | None, writer_format: RecordFormat, model_name: str,
             resume: bool, files: list[str]) -> tuple[list[str], list[str]]:
    """Truncate ``out`` for this run (all of it, or from its first incomplete bulletin on
    when resuming); return the bulletins already complete and what to skip of ``files``.

    Without a summary record, the last bulletin of the output may have been cut short: it
    is taken back only when this run scores it again (it is among ``files``); a bulletin
    outside this run's inputs is left as it is.
    """
    complete: list[tuple[str, int]] = []
    if not (resume and out.exists() and out.stat().st_size):
        if out.exists():
            out.write_bytes(b"")  # --force (or an empty file left by --resume)
        return [], []
    complete, cut, models, last = writer_format.scan(out)
    models.discard(None)
    if models and models != {model_name}:
        raise InvalidInputError(
            f"{out} was scored with model {', '.join(sorted(map(str, models)))}; this run uses "
            f"{model_name}. Resume with the same --model, or use --force to start over."
        )
    tentative = last
    if summary_path is not None:
        # A bulletin counts as done only with its summary record too; from the
        # first one without, the output is scored again.
        with_summary = summarized(summary_path)
        for position, (bulletin, start) in enumerate(complete):
            if bulletin not in with_summary:
                complete, cut, tentative = complete[:position], start, None
                break
        else:
            # The last bulletin's summary is written once all its records are: with
            # it, that bulletin is complete too and is not scored again.
            if last is not None and last[0] in with_summary:
                complete, cut, tentative = complete + [(last[0], cut)], last[1], None
    # Ids are paths as the writing run spelled them, relative to its folder: tried from
    # here and from the output's folder, and matched to the inputs by identity on disk.
    bases = [os.getcwd(), os.path.dirname(os.path.realpath(out))]
    ids = [bulletin for bulletin, _ in complete]
    found = {b: stored_file(b, bases) for b in ids + ([tentative[0]] if tentative else [])}
    _refuse_unplaced(out, [b for b, where in found.items() if where is None], files)
    resolved = [where for b, where in found.items() if where is not None and b in ids]
    if tentative is not None:
        if _scored_again(tentative[0], bases, files):
            pass  # taken back (cut at its start) and scored again whole
        else:
            complete, cut = complete + [(tentative[0], cut)], tentative[1]
            ids.append(tentative[0])
    with open(out, "r+b") as fh:
        fh.truncate(cut)
    return ids, ids + resolved


def _refuse_unplaced(out: Path, unplaced: list[str], files: list[str]) -> None:
    """Refuse to resume when an id found from no folder tried may name one of ``files``.

    ``x.txt`` written by a run started in ``archive/`` is not found from the folder above
    it; scoring ``archive/x.txt`` again would write the bulletin twice under two names,
    and skipping it on its name alone could skip another folder's ``x.txt``.
    """
    by_name: dict[str, list[str]] = {}  # by file name: one look-up per input, not one per id
    for bulletin in unplaced:
        if not os.path.isabs(bulletin):
            normal = os.path.normpath(bulletin)
            by_name.setdefault(os.path.basename(normal), []).append(normal)
    if not by_name:
        return
    for path in files:
        real = os.path.realpath(path)
        for bulletin in by_name.get(os.path.basename(real), ()):
            if real.endswith(os.sep + bulletin):
                raise InvalidInputError(
                    f"{out}: holds bulletin {printable(bulletin)!r}, named relative to the folder its run was "
                    f"started in, which is not this one; {printable(path)} may be that bulletin. Resume from "
                    "the folder where that name is found, or use --force to start over."
                )


def _scored_again(bulletin: str, bases: list, files: list[str]) -> bool:
    """Whether this run's inputs hold ``bulletin``: its file, or a JSON Lines file with its id."""
    found = stored_file(bulletin, bases)
    if found is not None:
        key = file_key(found)
        return any(file_key(path) == key for path in files if not path.lower().endswith(".jsonl"))
    return any(jsonl_lines_of(path, bulletin) for path in files if path.lower().endswith(".jsonl"))


def _summaries(path: Path):
    """The summary records of ``path`` that can be read (for their digests)."""
    for raw, _ in summary_lines(path):
        try:
            yield parse_line(raw, objects=True)
        except (BadLine, ValueError):
            continue


def _write(stream, out_fh, summary_fh, writer_format: RecordFormat, result: ScoreReport, bar: Progress, seen: set,
           copies: Duplicates | None = None) -> None:
    """Write the events of a run: records as they come, a bulletin's summary at its end,
    and a failed bulletin's records taken back."""
    current, bulletin_start, bulletin_records = None, out_fh.tell(), 0
    occurrences: dict[str, int] = {}
    broken: str | None = None  # a bulletin whose records could not be written: its later events are dropped

    def write_summary(summary: dict) -> None:
        if summary_fh is None:
            return
        try:
            line = dumps_line(summary)
        except BadLine as exc:
            line = dumps_line({"bulletin": printable(str(summary.get("bulletin"))), "status": "failed",
                               "error": f"its summary cannot be written: {exc}"})
        summary_fh.write(line)
        summary_fh.flush()

    def fail(event: Failed) -> None:
        nonlocal current, bulletin_records
        if current == event.bulletin:
            # Records of a bulletin that failed half-way are taken back.
            result.statements -= bulletin_records
            out_fh.truncate(bulletin_start)  # flushes the buffer first
            out_fh.seek(bulletin_start)
            bulletin_records = 0
        current = None
        write_summary(event.summary)
        out_fh.flush()
        result.failed += 1
        result.failures.append((event.bulletin, event.reason))
        bar.tell(f"failed: {event.reason}")

    for event in stream:
        bulletin = getattr(event, "bulletin", None)
        if broken is not None and bulletin == broken:
            if isinstance(event, (End, Failed)):
                broken = None  # the end of the bulletin already reported
            continue
        if isinstance(event, End) and bulletin in seen:
            event = _duplicate(event, occurrences)
        if isinstance(event, Records):
            if bulletin != current:
                current, bulletin_start, bulletin_records = bulletin, out_fh.tell(), 0
            if bulletin in seen:
                continue
            try:
                data = b"".join(writer_format.encode(r) for r in event.records)
            except BadLine as exc:
                broken = bulletin
                fail(failed(bulletin, None, f"{printable(bulletin)}: {exc}"))
                continue
            out_fh.write(data)
            bulletin_records += len(event.records)
            result.statements += len(event.records)
        elif isinstance(event, End):
            out_fh.flush()
            first = copies.mark(event.summary) if copies is not None else None
            if first is not None:
                result.duplicates.append((bulletin, first))
                result.duplicate_records = result.duplicate_records or event.summary.get("format") == "jsonl"
            write_summary(event.summary)
            seen.add(bulletin)
            result.scored += 1
            if not event.summary.get("date"):
                if not result.undated and event.line is not None:
                    result.undated_at = f"{printable(str(event.summary.get('path')))}:{event.line}"
                result.undated.append(bulletin)
            statements = event.summary.get("statements") or 0
            if statements and event.summary.get("not_scored") == statements:
                result.unscored.append(bulletin)
            current = None
            bar.bulletin_done(result.scored, result.statements)
        elif isinstance(event, Failed):
            fail(event)
        elif isinstance(event, Skipped):
            result.skipped += 1
        elif isinstance(event, FileDone):
            bar.file_done()


def _duplicate(event: End, occurrences: dict) -> Failed:
    """A second bulletin with an id already in the output fails (resume tells them apart by id)."""
    path = event.summary.get("path")
    occurrences[event.bulletin] = occurrences.get(event.bulletin, 1) + 1
    where = printable(str(path))
    if path and str(path).lower().endswith(".jsonl"):
        lines = jsonl_lines_of(path, event.bulletin)
        nth = occurrences[event.bulletin]
        if len(lines) >= nth:
            where = f"{where}:{lines[nth - 1]}"
            if nth > 1:
                where += f" (first at line {lines[0]})"
    reason = f"{where}: bulletin id {printable(event.bulletin)!r} is already in the output; ids must be unique"
    return failed(event.bulletin, path, reason, event.summary.get("format"))
