"""``themes evaluate --model DIR DATA.jsonl [--json]``: metrics of a model on labelled data."""

from __future__ import annotations

import sys

from themes.cli._common import ExamplesHelpFormatter, add_model_option, not_scored_line, print_json


def add_parser(sub) -> None:
    p = sub.add_parser(
        "evaluate",
        help="per-theme precision, recall and F1 of a model on labelled statements",
        description=(
            "Score labelled statements with a model and print per-theme precision, recall, F1, support "
            "and Brier score, then micro and macro F1. DATA.jsonl holds one JSON object per line: "
            '{"text": "...", "themes": ["uav", ...], "context": "lead-in or null"} (context optional); '
            "themes are taxonomy ids, [] for a statement with none; --map OLD=NEW reads other labels as ids."
        ),
        epilog=(
            "example, on the team's real development statements (never trained on; evaluating\n"
            "on training data flatters):\n"
            "  themes evaluate --model models/default ../shared/realdev/statements.jsonl"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("data", metavar="DATA.jsonl", help="labelled statements: text, themes, optional context")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--map", action="append", default=[], metavar="OLD=NEW", dest="mapping",
        help="read label OLD as theme id NEW (repeatable; OLD= drops the label), as themes import does",
    )
    add_model_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    # Imported here, not at the top: themes.evaluate loads scikit-learn (about 1.5 s), and
    # building the parser of every command imports this module.
    from themes.cli.import_ import parse_mapping
    from themes.evaluate import evaluate_file
    from themes.table import format_table

    result = evaluate_file(args.model, args.data, mapping=parse_mapping(args.mapping))
    for warning in result["warnings"]:
        print(f"themes: warning: {warning}", file=sys.stderr)
    if args.json:
        print_json(result)
        return 0
    rows = [
        [t, m["precision"], m["recall"], m["f1"], m["support"], result["calibration"][t]["brier"]]
        for t, m in result["per_theme"].items()
    ]
    print(f"model {result['model']} on {result['data']} ({result['n']} statements)")
    print(format_table(rows, ["theme", "precision", "recall", "f1", "support", "brier"]))
    print(f"micro F1 {result['micro']['f1']}  macro F1 {result['macro']['f1']}  exact match {result['exact_match']}")
    absent = [t for t, m in result["per_theme"].items() if not (m["tp"] or m["fp"] or m["fn"])]
    if absent:
        print(
            f"macro F1 over the {len(rows) - len(absent)} themes that occur; "
            f"neither labelled nor predicted: {', '.join(absent)}"
        )
    for reason, count in result["not_scored_reasons"].items():
        print(not_scored_line(count, reason))
    return 0
