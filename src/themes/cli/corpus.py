"""``themes corpus check [DIR ...]`` and ``themes corpus stats``: validate and count releases."""

from __future__ import annotations

import sys
from pathlib import Path

from themes.cli._common import print_json
from themes.table import format_table


def add_parser(sub) -> None:
    p = sub.add_parser("corpus", help="validate corpus releases, or count the merged corpus")
    inner = p.add_subparsers(dest="corpus_command", metavar="check|stats|stamp", required=True)
    check = inner.add_parser("check", help="validate releases; every problem as file:line: problem")
    check.add_argument(
        "paths", nargs="*", metavar="DIR",
        help="release folders or folders of releases, checked on top of the shipped releases (default: the shipped ones alone)",
    )
    check.add_argument("--no-shipped", action="store_true", help="check the folders given alone, not on top of the shipped releases")
    check.set_defaults(func=run_check)
    stamp = inner.add_parser(
        "stamp", help="record a hand-corrected statements.jsonl in its manifest (counts and sha256)",
        description="After correcting a release's statements.jsonl on purpose, write its counts and sha256 "
        "into manifest.json (name, base release and date kept; --builds-on sets the base); then run "
        "`themes corpus check`.",
    )
    stamp.add_argument("folder", metavar="DIR", help="the release folder")
    stamp.add_argument(
        "--builds-on", default=None, metavar="NAME",
        help="the release this one builds on (for a release imported without --builds-on)",
    )
    stamp.set_defaults(func=run_stamp)
    stats = inner.add_parser("stats", help="per-theme, multi-label and per-style counts of the merged corpus")
    stats.add_argument("--release", action="append", default=[], metavar="DIR", help="an extra release (repeatable)")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=run_stats)


def run_check(args) -> int:
    from themes.corpus import check_corpus, find_realdev, realdev_places, shipped_corpus_path

    shipped = shipped_corpus_path()
    given = [Path(p) for p in args.paths]
    # A new release builds on the shipped ones, as `themes train --release` reads it.
    on_shipped = bool(given) and not args.no_shipped and not any(p.resolve().is_relative_to(shipped.resolve()) for p in given)
    paths = ([shipped] if on_shipped or not given else []) + given
    problems = check_corpus(paths)
    for problem in problems:
        print(problem)
    where = ", ".join(map(str, given)) + (" (on top of the shipped releases)" if on_shipped else "") if given else str(shipped)
    if problems:
        print(f"themes: error: {len(problems)} problem(s) in {where}; each is listed above as file:line: problem", file=sys.stderr)
        return 1
    if find_realdev() is None:
        # A notice, not a problem: a fresh checkout may lack the team's real statements, and
        # "0 problems" must not claim a comparison that was not run. (Not beside an error,
        # which stays one line.)
        import os

        looked = " or ".join(str(place) for place in realdev_places())
        how = "$THEMES_REALDEV" if os.environ.get("THEMES_REALDEV") else "../shared/realdev beside the checkout or the current folder; or set $THEMES_REALDEV"
        print(
            f"realdev: skipped (no statements.jsonl in {looked}, from {how}): "
            "the statements were not compared with the real development statements",
            file=sys.stderr,
        )
    print(f"0 problems in {where}")
    return 0


def run_stamp(args) -> int:
    from themes.corpus import stamp_release

    manifest = stamp_release(args.folder, builds_on=args.builds_on)
    base = f" (builds on {manifest['builds_on']})" if manifest.get("builds_on") else ""
    print(
        f"stamped {Path(args.folder) / 'manifest.json'}: release {manifest['release']}{base}, "
        f"{manifest['n_statements']} statements, sha256 {manifest['sha256'][:12]}...",
        file=sys.stderr,
    )
    return 0


def run_stats(args) -> int:
    from themes.corpus import corpus_stats, load_corpus

    stats = corpus_stats(load_corpus(args.release))
    if args.json:
        print_json(stats)
        return 0
    n = stats["statements"]
    print(f"statements: {n} (test split {stats['test_split']})")
    print(f"multi-label: {stats['multi_label']} ({stats['multi_label'] / n:.1%}); none: {stats['none']} ({stats['none'] / n:.1%}); with context: {stats['with_context']}")
    print(f"words per statement (min / median / max): {' / '.join(map(str, stats['words_min_median_max']))}")
    print(format_table([[t, c] for t, c in stats["per_theme"].items()], ["theme", "statements"]))
    print(format_table([[s, c] for s, c in stats["per_style"].items()], ["style", "statements"]))
    return 0
