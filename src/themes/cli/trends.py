"""``themes trends SCORES... --by month|quarter|year [--group folder[:N] [--summary BULLETINS.jsonl]]
[--out FILE.csv|-] [--wide] [--plot FILE.png]``: themes over time, and by source."""

from __future__ import annotations

import argparse
import os
import sys

from themes.archive.files import check_output_path
from themes.cli._common import ExamplesHelpFormatter, int_at_least, print_json
from themes.errors import ParameterError, check_output
from themes.trends import PERIODS, trends
from themes.trends.groups import ALLOWED, group_depth
from themes.trends.plot import image_formats


def group_spec(text: str) -> str:
    """An argparse type: a ``--group`` spec that :func:`~themes.trends.trends` takes.

    Examples
    --------
    >>> group_spec("folder:2")
    'folder:2'
    >>> group_spec("body")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: The 'group' parameter of trends must be 'folder' or 'folder:N' (N >= 1: how many folders below the folder the bulletins share). Got 'body' instead.
    """
    try:
        group_depth(text, "trends", ALLOWED)
    except ParameterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def add_parser(sub) -> None:
    from themes.taxonomy import THEME_IDS

    p = sub.add_parser(
        "trends",
        help="share of statements per theme by month, quarter or year, corrected for the model's errors",
        description=(
            "Per period: bulletins, statements, the raw share of statements carrying each theme and "
            "the prevalence adjusted for the model's cross-validated true- and false-positive rates "
            "(adjusted classify-and-count), with a 95% interval (delta method). Periods with few "
            "statements are marked. With --group folder, the same per source: per folder of the archive "
            "(archive/cis_atc/... gives cis_atc) and period."
        ),
        epilog=(
            "examples:\n"
            "  themes trends scores.jsonl --by quarter --theme uav --plot uav.png\n"
            "  themes trends scores.jsonl --by year --group folder --theme uav --plot uav-by-body.png\n"
            "  themes trends scores.jsonl --by year --group folder --summary bulletins.jsonl   # JSON Lines archives\n"
            "  themes trends scores.jsonl --by month --wide --out - > trends.csv"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("scores", metavar="SCORES", nargs="+", help="statements files written by themes score (.jsonl or .csv)")
    p.add_argument("--by", choices=PERIODS, default="month", help="period length (default month)")
    p.add_argument(
        "--group", type=group_spec, default=None, metavar="folder[:N]",
        help="also group by source: 'folder' is each bulletin's first folder below the folder all the bulletins "
        "share (cis_atc for archive/cis_atc/2024/x.html when archive/ was scored; '.': directly in it), "
        "'folder:N' its first N folders (cis_atc/2024); every group gets every period",
    )
    p.add_argument(
        "--summary", metavar="FILE", action="append", default=None,
        help="with --group: the summaries file of the run (themes score --summary; repeatable), which says the "
        ".jsonl file each JSON Lines record came from (the statements name it by its id alone): such a bulletin "
        "is grouped as if its .jsonl file were its folder (archive/cis_atc.jsonl: cis_atc)",
    )
    p.add_argument("--theme", action="append", choices=list(THEME_IDS), metavar="THEME", help="show only this theme (repeatable)")
    p.add_argument("--min-statements", type=int_at_least(0), default=50, metavar="N",
                   help="mark periods (of each group, with --group) with fewer statements (default 50)")
    p.add_argument("--model", metavar="DIR", default=None, help="model folder whose error rates to use (default: the one named in SCORES)")
    p.add_argument("--plot", metavar="FILE", default=None, help="also draw the trends into an image (needs matplotlib)")
    p.add_argument(
        "--out", metavar="FILE", default=None,
        help="write the trends to a .csv file instead of printing the table: one line says what was written where, "
        "notes go to stderr ('-': the CSV to standard output)",
    )
    p.add_argument("--wide", action="store_true",
                   help="with --out: one row per period (per group and period, with --group), a column per theme and figure (pandas-ready)")
    p.add_argument(
        "--count-duplicates", action="store_true",
        help="count every bulletin; by default one whose statements are word for word those of an earlier one "
        "(the same bulletin saved twice, marked duplicate_of by themes score) is counted once, and a note says so",
    )
    p.add_argument("--force", action="store_true", help="overwrite the --out and --plot files")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.wide and not args.out:
        from themes.cli import UsageError

        raise UsageError("--wide shapes the CSV of --out; give --out FILE (or --out - for standard output)")
    if args.json and args.out == "-":
        from themes.cli import UsageError

        raise UsageError("--json and --out - would both write to standard output; choose one")
    if args.summary and not args.group:
        from themes.cli import UsageError

        raise UsageError("--summary says where JSON Lines records came from, to group them: give --group folder too")
    _check_outputs(args)
    scores = args.scores[0] if len(args.scores) == 1 else args.scores
    result = trends(scores, by=args.by, model=args.model, min_statements=args.min_statements,
                    count_duplicates=args.count_duplicates, group=args.group, summaries=args.summary)
    if args.plot:
        result.plot(args.plot, themes=args.theme, force=args.force)
    if args.out == "-":
        result.to_csv("-", themes=args.theme, wide=args.wide)
        for note in result.notes:
            print(f"themes: note: {note}", file=sys.stderr)
        return 0
    if args.out:
        result.to_csv(args.out, themes=args.theme, wide=args.wide, force=args.force)
        if not args.json:
            # The table is in the file: stdout says what was written where, in one line, as
            # the other commands do with --out; the notes, as with --out -, go to stderr.
            print(_written_line(result, args))
            for note in result.notes:
                print(f"themes: note: {note}", file=sys.stderr)
            return 0
    if args.json:
        data = result.to_dict()
        if args.theme:
            data["rates"] = {t: v for t, v in data["rates"].items() if t in args.theme}
            for period in data["periods"]:
                period["themes"] = {t: v for t, v in period["themes"].items() if t in args.theme}
        print_json(data)
        return 0
    if not result.periods:
        print("no dated statements")
    else:
        print(result.table(themes=args.theme))
    source = f"model {result.model}" if result.model else "no model"
    rates = "error rates from its cross-validation" if result.rates else "no error rates: raw shares only"
    print(f"\n{source}; {rates}")
    if result.group and result.groups:
        print(f"groups ({result.group} below {result.group_root}): {', '.join(result.groups)}")
    for note in result.notes:
        print(f"note: {note}")
    if args.plot:
        print(f"plot: {args.plot}")
    return 0


def _check_outputs(args) -> None:
    """Refuse, before reading anything, an --out or --plot that is a folder or one of the
    SCORES files (``--force`` included: it would destroy the scores), and an --out not named
    .csv (the one type it writes) or a --plot of no image type, as ``themes score`` does; then
    an existing output without ``--force``, so that nothing is written when one is refused."""
    inputs = {os.path.realpath(path): path for path in [*args.scores, *(args.summary or ())]}
    for option, target in (("--out", args.out), ("--plot", args.plot)):
        if not target or (option == "--out" and target == "-"):
            continue
        check_output_path(option, target, "trends.csv" if option == "--out" else "trends.png")
        given = inputs.get(os.path.realpath(target))
        if given is not None:
            raise ParameterError(
                f"{option} {target}: is also an input ({given}); writing it would destroy those scores. "
                f"Name {option} outside the inputs."
            )
        suffix = os.path.splitext(target)[1].lower()
        if option == "--out" and suffix != ".csv":
            raise ParameterError(f"--out {target}: trends writes CSV; name it .csv, or give --out - for standard output")
        if option == "--plot" and suffix.lstrip(".") not in (known := image_formats()):
            raise ParameterError(f"--plot {target}: not an image file name; end it in one of .{', .'.join(known)}")
    for target in (args.out, args.plot):
        if target and target != "-":
            check_output(target, force=args.force)  # an existing one: refused before anything is written


def _written_line(result, args) -> str:
    """What ``--out FILE`` wrote, and where: "wrote the trends by month (3 periods, 13
    themes, one row per period and theme) to trends.csv"."""
    themes = len(set(args.theme)) if args.theme else len(result.themes)
    n = len(result.periods) // max(1, len(result.groups))
    periods = f"{n} period{'s' if n != 1 else ''}"
    if result.group:
        groups = len(result.groups)
        by = f"{args.by} and {result.group} below {result.group_root}"
        periods += f" x {groups} group{'s' if groups != 1 else ''}"
        shape = "one row per group and period" if args.wide else "one row per group, period and theme"
    else:
        by = args.by
        shape = "one row per period" if args.wide else "one row per period and theme"
    plot = f" and the plot to {args.plot}" if args.plot else ""
    raw = "" if result.rates else ", raw shares only: no error rates"
    return f"wrote the trends by {by} ({periods}, {themes} theme{'s' if themes != 1 else ''}, {shape}{raw}) to {args.out}{plot}"
