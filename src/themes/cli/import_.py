"""``themes import FORMAT EXPORT --out DIR``: an annotation-tool export -> a corpus release."""

from __future__ import annotations

import os
import sys
import warnings

from themes.cli._common import ExamplesHelpFormatter, print_json

SHOWN = 10  # records listed per section on the terminal; the JSON report has them all


def add_parser(sub) -> None:
    p = sub.add_parser(
        "import",
        help="turn a Label Studio, doccano, Prodigy or CSV export into a corpus release",
        description=(
            "Read an annotation export and write a release folder (statements.jsonl, manifest.json "
            "and import_report.json) for `themes train --release`. Several annotators: the majority "
            "per theme, disagreements reported. Cancelled annotations are skipped and counted. An "
            "annotation with no choice means no theme, and a record nobody annotated is reported, not "
            "imported. doccano writes both as an empty label list: one the line marks as confirmed is no "
            "theme, one marked unconfirmed is reported, and any other is read as no theme with a warning "
            "that counts them, or reported with --empty-labels report. Label names must be theme ids, or "
            "be renamed with --map. Every input record is either in the release or in the report with its "
            "reason."
        ),
        epilog=(
            "examples:\n"
            "  themes import labelstudio export.json --out releases/2027.1 --release-name 2027.1 --builds-on 2026.7\n"
            "  themes import csv labels.csv --out releases/sheet --map drones=uav --map other=\n"
            "  themes import doccano doccano-export.zip --out releases/doccano\n"
            "  themes import doccano all-examples.jsonl --out releases/doccano --empty-labels report"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("format", choices=["labelstudio", "doccano", "prodigy", "csv"], help="the tool the export comes from")
    p.add_argument("export", metavar="EXPORT", help="the export file (doccano: also a folder or .zip of per-user files)")
    p.add_argument("--out", required=True, metavar="DIR", help="release folder to write")
    p.add_argument(
        "--map", action="append", default=[], metavar="OLD=NEW", dest="mapping",
        help="rename a label to a theme id (repeatable); OLD= drops the label",
    )
    p.add_argument(
        "--release-name", default=None, metavar="NAME", help="name of the release in its manifest (default: the --out folder name)"
    )
    p.add_argument(
        "--builds-on", default=None, metavar="NAME",
        help="the release this one builds on (default: the newest release in the folder that holds --out; none there, "
        "the newest shipped release); a release that another one already builds on is refused (a fork), and so is "
        "the release's own name",
    )
    p.add_argument(
        "--style", default=None, metavar="NAME",
        help="style (body and genre) of statements whose export names none, e.g. cis_wire (default unknown)",
    )
    p.add_argument(
        "--id-from", choices=["auto", "text", "export"], default="auto",
        help="statement ids: the export's string ids else a hash of the text (auto), always the hash (text), "
        "or the tool's ids, numbers included (export)",
    )
    csv_options = p.add_argument_group("csv")
    csv_options.add_argument("--text-column", default="text", help="column of the statement (default text)")
    csv_options.add_argument("--themes-column", default="themes", help="column of the themes (default themes)")
    csv_options.add_argument("--separator", default=None, help="between themes in a cell (default: any of ; , |)")
    csv_options.add_argument("--delimiter", default=",", help="CSV field delimiter (default ,; 'tab' or '\\t' for tabs)")
    doccano_options = p.add_argument_group("doccano")
    doccano_options.add_argument(
        "--empty-labels", choices=["negative", "report"], default=None,
        help="what an empty label list is when the line marks it neither confirmed nor unconfirmed: "
        "'negative' (default), a statement given no theme, right for an export of approved documents only; "
        "'report', left out as not annotated and reported, right for an export of every example (doccano "
        "writes an example nobody annotated as an empty list too)",
    )
    p.add_argument("--force", action="store_true", help="replace a release already in --out")
    p.add_argument("--json", action="store_true", help="print the full import report as JSON")
    p.set_defaults(func=run)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["drones=uav", "other="]`` -> ``{"drones": "uav", "other": ""}``.

    Examples
    --------
    >>> parse_mapping(["drones=uav", "a=b=financing", "other="])
    {'drones': 'uav', 'a=b': 'financing', 'other': ''}
    """
    from themes.cli import UsageError
    from themes.taxonomy import THEME_IDS

    mapping = {}
    for pair in pairs:
        old, sep, new = pair.rpartition("=")
        if not sep or not old:
            raise UsageError(f"--map expects OLD=NEW (a label name, '=', a theme id or nothing). Got {pair!r} instead.")
        new = new.strip()
        if new and new not in THEME_IDS:
            raise UsageError(f"--map {pair}: {new!r} is not a theme id; the themes are {', '.join(THEME_IDS)}.")
        mapping[old] = new
    return mapping


def _chain_line(report, out) -> str:
    """The line that says what the new release builds on and why (``report.builds_on_from``,
    which :func:`themes.importers.import_export` decides)."""
    from pathlib import Path

    shown = f"{Path(out).parent}{os.sep}"
    base = report.builds_on
    return {
        "builds_on": f"builds on {base} (--builds-on)",
        "replaced": f"builds on {base or 'nothing'} (as the release it replaces did; --builds-on to choose another)",
        "folder": f"builds on {base} (the newest release in {shown}; --builds-on to choose another)",
        "shipped": (f"builds on {base} (no release in {shown}: the newest shipped release, as themes train reads it; "
                    "--builds-on to choose another)"),
        "none": f"builds on nothing (no release in {shown}, none shipped: the first of its chain)",
    }[report.builds_on_from]


def run(args) -> int:
    from themes.cli import UsageError
    from themes.importers import import_export

    options = {}
    if args.empty_labels is not None:
        if args.format != "doccano":
            raise UsageError(f"--empty-labels applies to doccano exports only, not to {args.format}.")
        options["empty_labels"] = args.empty_labels
    if args.format == "csv":
        options = {
            "text_column": args.text_column,
            "themes_column": args.themes_column,
            "separator": args.separator,
            "delimiter": "\t" if args.delimiter in ("tab", "\\t") else args.delimiter,
        }
    with warnings.catch_warnings():
        # The report lists its warnings; printed below as one line each, not as Python warnings.
        warnings.simplefilter("ignore", UserWarning)
        report = import_export(
            args.format,
            args.export,
            args.out,
            mapping=parse_mapping(args.mapping),
            id_from=args.id_from,
            release=args.release_name,
            builds_on=args.builds_on,  # None: the default base, and a fork refused, are import_export's
            force=args.force,
            style=args.style,
            option_names="cli",  # the report names --empty-labels, not the library's empty_labels=
            **options,
        )
    for warning in report.warnings:
        print(f"themes: warning: {warning}", file=sys.stderr)
    if args.json:
        print_json(report.to_dict())
        return 0
    print(
        f"imported {report.n_statements} statement(s) from {report.n_records} record(s) of {report.source} "
        f"({report.format}) into {report.out} (release {report.release})"
    )
    print(_chain_line(report, args.out))
    if report.mapped:
        print("renamed: " + ", ".join(f"{old} ({n})" for old, n in report.mapped.items()))
    print(f"cancelled annotations skipped: {report.cancelled}")
    print(f"disagreements: {len(report.disagreements)} statement(s)")
    for d in report.disagreements[:SHOWN]:
        votes = ", ".join(f"{t} {yes}/{n}" + (" kept" if t in d["themes"] else " dropped") for t, (yes, n) in d["votes"].items())
        print(f"    {d['id']} ({d['where'][0]}): {votes}")
    if report.superseded:
        print(f"answers superseded by the same annotator's later answer: {len(report.superseded)}")
    print(f"skipped: {len(report.skipped)} record(s)")
    for where, reason in report.skipped[:SHOWN]:
        print(f"    {where}: {reason}")
    hidden = max(len(report.disagreements), len(report.skipped)) - SHOWN
    if hidden > 0:
        print(f"    ... see {report.out}/import_report.json for all of them")
    return 0
