"""``themes score PATH... --out FILE``: tag every statement of an archive of bulletins."""

from __future__ import annotations

import sys

from themes.archive import write_scores
from themes.archive.options import SCHEDULER_ADDRESS
from themes.cli._common import ExamplesHelpFormatter, add_model_option, int_at_least, unit_float


def add_parser(sub) -> None:
    p = sub.add_parser(
        "score",
        help="segment and tag every bulletin of an archive (txt, md, html, pdf, docx, jsonl)",
        description=(
            "Cut each bulletin into statements (title, dateline, sentences, bullets with their "
            "lead-in) and tag each with themes. Files, folders (recursively) and globs are read; "
            "a file that cannot be read is reported and skipped, and the exit code is then 1, "
            "as it is when no bulletin is found at all."
        ),
        epilog=(
            "examples:\n"
            "  themes score examples/ --out scores.jsonl --summary bulletins.jsonl\n"
            "  themes score 'archive/**/*.pdf' --out scores.csv --jobs 4\n"
            "  themes score archive/ --out scores.jsonl --resume\n"
            "  themes score archive/ --out scores.jsonl --backend dask --scheduler tcp://host:8786"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or glob patterns")
    p.add_argument("--out", required=True, metavar="FILE", help="statements file (.jsonl, or .csv); '-' for standard output")
    p.add_argument("--format", choices=["jsonl", "csv"], default=None, help="default: from the --out suffix")
    p.add_argument("--summary", metavar="FILE", default=None, help="also write one JSON Lines record per bulletin")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="continue an interrupted run on the same --out")
    again.add_argument("--force", action="store_true", help="overwrite existing outputs")
    p.add_argument("--jobs", type=int_at_least(1), default=1, metavar="N", help="processes on this machine (default 1)")
    p.add_argument("--backend", choices=["local", "dask"], default="local", help="where to score (default local)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None, help="Dask scheduler address, for --backend dask")
    p.add_argument("--threshold", type=unit_float("threshold"), default=None, help="one threshold for every theme, in [0, 1]")
    p.add_argument("--batch-size", type=int_at_least(1), default=256, metavar="N", help="statements classified at once, across bulletins (default 256)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_model_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if args.scheduler is not None and args.backend != "dask":
        from themes.cli import UsageError

        # It was ignored: the run scored on this machine, and the user thought on the cluster.
        raise UsageError(
            f"--scheduler {args.scheduler} is for --backend dask; add --backend dask to score on that "
            "cluster, or leave --scheduler out to score on this machine"
        )
    if args.backend == "dask" and not args.scheduler:
        from themes.cli import UsageError

        raise UsageError("--backend dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    if args.scheduler is not None and not SCHEDULER_ADDRESS.fullmatch(args.scheduler):
        from themes.cli import UsageError

        raise UsageError(
            f"--scheduler {args.scheduler!r} is not a Dask scheduler address; expected tcp://HOST:PORT "
            "(e.g. tcp://127.0.0.1:8786), as 'dask scheduler' prints it"
        )
    progress = not args.quiet and sys.stderr.isatty()
    try:
        report = _write(args, progress)
    except KeyboardInterrupt:
        raise KeyboardInterrupt(_resume_hint(args)) from None
    print(report.line(), file=sys.stderr if args.out == "-" else sys.stdout)
    for note in (report.undated_line(), report.unscored_line(), report.duplicates_line(), report.passed_over_line()):
        if note is not None:
            print(f"themes: {note}", file=sys.stderr)
    # Exit 1 when a bulletin failed, and when there was nothing to score at all: a wrong
    # path or an empty folder should not pass for a finished run in a script.
    return 1 if report.failed or not report.found else 0


def _resume_hint(args) -> str:
    """What an interrupted run leaves and how to continue it ('' when it wrote nothing)."""
    from pathlib import Path

    if args.out == "-" or not Path(args.out).is_file():
        return ""
    how = "--resume instead of --force" if args.force else "--resume"
    return f"the bulletins scored so far are in {args.out}; run the same command with {how} to continue"


def _write(args, progress: bool):
    return write_scores(
        args.paths,
        args.out,
        fmt=args.format,
        summary=args.summary,
        resume=args.resume,
        force=args.force,
        model=args.model,
        threshold=args.threshold,
        jobs=args.jobs,
        backend=args.backend,
        scheduler=args.scheduler,
        batch_size=args.batch_size,
        progress=progress,
        report=lambda line: print(f"themes: {line}", file=sys.stderr),
    )
