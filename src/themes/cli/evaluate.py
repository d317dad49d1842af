"""``themes evaluate --model DIR DATA.jsonl [--json]``: metrics of a model on labelled data."""

from __future__ import annotations

from themes.api import get_model
from themes.cli._common import add_model_option, print_json
from themes.table import format_table
from themes.evaluate import evaluate, read_labelled


def add_parser(sub) -> None:
    p = sub.add_parser(
        "evaluate",
        help="per-theme precision, recall and F1 of a model on labelled statements",
        epilog="example: themes evaluate --model models/default training/corpus/2025.2/statements.jsonl",
    )
    p.add_argument("data", metavar="DATA.jsonl", help="labelled statements: text, themes, optional context")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_model_option(p)
    p.set_defaults(func=run)


def evaluate_file(model, data) -> dict:
    """Metrics of ``model`` (None, folder or loaded) on a labelled JSONL file."""
    texts, contexts, labels, _ = read_labelled(data)
    loaded = get_model(model)
    result = evaluate(loaded, texts, labels, contexts)
    result["model"] = loaded.name
    result["data"] = str(data)
    return result


def run(args) -> int:
    result = evaluate_file(args.model, args.data)
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
    return 0
