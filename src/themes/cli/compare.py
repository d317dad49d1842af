"""``themes compare OLD NEW [--data FILE] [--fail-on-regression X]``: per-theme deltas and flips."""

from __future__ import annotations

import sys

from themes.cli._common import ExamplesHelpFormatter, not_scored_line, print_json
from themes.table import format_table


def add_parser(sub) -> None:
    p = sub.add_parser(
        "compare",
        help="per-theme P/R/F1 of two models on the same held-out data, and the statements that flip",
        description=(
            "Score the same held-out statements with both models (default: the test split of the "
            "shipped corpus, which training never sees) and show per-theme precision, recall and F1 "
            "with the deltas (new - old), then the statements of a reference set whose themes differ."
        ),
        epilog=(
            "example:\n"
            "  themes compare models/default models/new --release releases/2027.1 --fail-on-regression 0.02"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("old", metavar="OLD", help="the model in use (folder)")
    p.add_argument("new", metavar="NEW", help="the candidate model (folder)")
    p.add_argument("--data", default=None, metavar="FILE", help="labelled JSONL held-out data instead of the test split")
    p.add_argument(
        "--release", action="append", default=[], metavar="DIR",
        help="add this release's test split to the default held-out data (repeatable)",
    )
    p.add_argument(
        "--no-shipped", action="store_true",
        help="hold out the test split of the --release folders alone, for a model trained with `themes train --no-shipped`",
    )
    p.add_argument(
        "--archive", default=None, metavar="SCORES_OR_DIR",
        help="reference set for flips: a `themes score` JSONL file or a folder of them (default: the held-out data)",
    )
    p.add_argument(
        "--fail-on-regression", type=float, default=None, metavar="X",
        help="exit 1 when any theme's F1 drops by more than X (e.g. 0.02)",
    )
    p.add_argument("--flips", type=int, default=20, metavar="N", help="flipped statements to show (default 20)")
    p.add_argument("--json", action="store_true", help="print the whole comparison as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from themes.cli import UsageError
    from themes.compare import compare_models, regressions

    if args.fail_on_regression is not None and not 0 <= args.fail_on_regression <= 1:
        raise UsageError(f"--fail-on-regression must be in [0, 1]. Got {args.fail_on_regression} instead.")
    if args.flips < 0:
        raise UsageError(f"--flips must be >= 0. Got {args.flips} instead.")
    if args.no_shipped and not args.release and args.data is None:
        raise UsageError("--no-shipped holds out the test split of the --release folders alone; give at least one --release DIR.")
    result = compare_models(
        args.old, args.new, data=args.data, archive=args.archive, releases=args.release,
        include_shipped=not args.no_shipped,
    )
    dropped = regressions(result, args.fail_on_regression) if args.fail_on_regression is not None else []
    if args.json:
        result["regressions"] = [{"theme": t, "old_f1": o, "new_f1": n} for t, o, n in dropped]
        print_json(result)
    else:
        print_comparison(result, args.flips)
    return regression_status(dropped, args.fail_on_regression)


def regression_status(dropped: list, tolerance: float | None) -> int:
    """The exit status of a regression gate: 1 (and the themes, on stderr) when any dropped."""
    if not dropped:
        return 0
    listed = ", ".join(f"{t} {o:.3f} -> {n:.3f}" for t, o, n in dropped)
    print(f"themes: regression: F1 dropped by more than {tolerance} for {listed}", file=sys.stderr)
    return 1


def print_comparison(result: dict, n_flips: int) -> None:
    """Print a :func:`themes.compare.compare_models` result: per-theme table, then flips."""
    for warning in result.get("warnings", []):
        print(f"themes: warning: {warning}", file=sys.stderr)
    print(f"old {result['old']}  ->  new {result['new']}")
    print(f"held-out data: {result['data']} ({result['n']} statements)")
    rows = [
        [t, v["support"], v["old"]["precision"], v["new"]["precision"], v["old"]["recall"], v["new"]["recall"],
         v["old"]["f1"], v["new"]["f1"], f"{v['delta']['f1']:+.3f}"]
        for t, v in result["per_theme"].items()
    ]
    for avg in ("micro", "macro"):
        v = result[avg]
        rows.append([f"({avg})", "", v["old"]["precision"], v["new"]["precision"], v["old"]["recall"],
                     v["new"]["recall"], v["old"]["f1"], v["new"]["f1"], f"{v['delta']['f1']:+.3f}"])
    print(format_table(rows, ["theme", "support", "P old", "P new", "R old", "R new", "F1 old", "F1 new", "dF1"]))
    for line in not_scored_lines(result["not_scored"]):
        print(line)
    flips = result["flips"]
    print(f"\n{len(flips)} of {result['n_reference']} statements of {result['reference']} change themes")
    if result["reference"] != result["data"]:  # the held-out data's are told above
        for line in not_scored_lines(result["reference_not_scored"]):
            print("    " + line)
    for line in not_read_lines(result.get("reference_not_read", [])):
        print("    " + line)
    moved = {t: c for t, c in result["flip_counts"].items() if c["gained"] or c["lost"]}
    if moved:
        print("    " + ", ".join(f"{t} +{c['gained']}/-{c['lost']}" for t, c in moved.items()))
    for f in flips[: n_flips]:
        change = " ".join([f"+{t}" for t in f["gained"]] + [f"-{t}" for t in f["lost"]])
        text = f["text"] if len(f["text"]) <= 100 else f["text"][:97] + "..."
        print(f"  {change:40s} {f['id']}: {text}")


def not_read_lines(not_read: list[str]) -> list[str]:
    """The records of the reference set with no statement to compare, each as ``file:line:
    why``, below a line that counts them: the first :data:`~themes.jsonlines.SHOWN_PROBLEMS`,
    then how many more (as :func:`themes.jsonlines.bad_lines_error` lists bad lines).

    Examples
    --------
    >>> not_read_lines(["s.jsonl:2: bulletin b.pdf was not scored (cannot be read): no statement to compare"])
    ['1 record of the reference set not read:', '  s.jsonl:2: bulletin b.pdf was not scored (cannot be read): no statement to compare']
    """
    from themes.jsonlines import SHOWN_PROBLEMS

    if not not_read:
        return []
    n = len(not_read)
    lines = [f"{n} record{'s' if n != 1 else ''} of the reference set not read:"]
    lines += ["  " + line for line in not_read[:SHOWN_PROBLEMS]]
    if n > SHOWN_PROBLEMS:
        lines.append(f"  and {n - SHOWN_PROBLEMS} more (all of them in --json: reference_not_read).")
    return lines


def not_scored_lines(not_scored: dict) -> list[str]:
    """One line per reason for which a model gave statements no theme, as classify does
    (``{"old": {reason: n}, "new": {reason: n}}``); once for both models when they agree.

    Examples
    --------
    >>> not_scored_lines({"old": {"blank: nothing to read": 2}, "new": {"blank: nothing to read": 2}})
    ['2 statements not scored (blank: nothing to read), by either model: counted as predicted with no theme']
    >>> not_scored_lines({"old": {"blank: nothing to read": 1}, "new": {}})
    ['old: 1 statement not scored (blank: nothing to read): counted as predicted with no theme']
    """
    if not_scored["old"] == not_scored["new"]:
        return [not_scored_line(n, reason, ", by either model") for reason, n in not_scored["old"].items()]
    return [f"{which}: {not_scored_line(n, reason)}" for which in ("old", "new") for reason, n in not_scored[which].items()]
