"""``themes audit [--release DIR ...] [--out FILE.jsonl]``: likely label errors, ranked."""

from __future__ import annotations


from themes.cli._common import print_json
from themes.table import format_table
from themes.errors import check_output


def add_parser(sub) -> None:
    p = sub.add_parser(
        "audit",
        help="statements whose out-of-fold predictions contradict their labels (likely label errors)",
        description=(
            "Cross-validate on the merged corpus so each statement is scored by a model that never saw "
            "it, and list the statements where prediction and label disagree, ranked by how confident "
            "the contradiction is. The table shows the top; --out writes every row as JSONL for review."
        ),
        epilog="example: themes audit --release releases/2026.1 --out audit.jsonl --top 50",
    )
    p.add_argument("--release", action="append", default=[], metavar="DIR", help="an extra release (repeatable)")
    p.add_argument("--no-shipped", action="store_true", help="audit the given releases only")
    p.add_argument("--seed", type=int, default=0, help="seed of folds and solver (default 0)")
    p.add_argument(
        "--model", default=None, metavar="DIR",
        help="use this model's calibration and thresholds (default: fit them on the out-of-fold values)",
    )
    p.add_argument("--config", default=None, metavar="FILE.json", help="overrides of the training configuration (JSON object)")
    p.add_argument("--top", type=int, default=30, metavar="N", help="rows to show (default 30; 0 for all)")
    p.add_argument("--out", default=None, metavar="FILE.jsonl", help="write every row as JSONL")
    p.add_argument("--force", action="store_true", help="replace an existing --out file")
    p.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    p.set_defaults(func=run)


def audit_table(rows: list[dict], top: int = 30, width: int = 90) -> str:
    """The first ``top`` rows as a plain-text table.

    Examples
    --------
    >>> print(audit_table([{"id": "x-1", "confidence": 0.93, "labels": ["financing"],
    ...     "missing": {"financing": 0.07}, "extra": {"uav": 0.91}, "text": "Drones were used."}]))
    rank  confidence  id   labels     missing         extra     text
    ----  ----------  ---  ---------  --------------  --------  -----------------
    1     0.93        x-1  financing  financing 0.07  uav 0.91  Drones were used.
    """

    def short(text):
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 3] + "..."

    body = [
        [
            rank,
            f"{r['confidence']:.2f}",
            r["id"],
            ",".join(r["labels"]) or "(none)",
            ", ".join(f"{t} {p:.2f}" for t, p in r["missing"].items()),
            ", ".join(f"{t} {p:.2f}" for t, p in r["extra"].items()),
            short(r["text"]),
        ]
        for rank, r in enumerate(rows[:top], 1)
    ]
    return format_table(body, ["rank", "confidence", "id", "labels", "missing", "extra", "text"])


def run(args) -> int:
    from themes.audit import audit, write_audit
    from themes.cli import UsageError

    if args.top < 0:
        raise UsageError(f"--top must be >= 0. Got {args.top} instead.")
    if args.no_shipped and not args.release:
        raise UsageError("--no-shipped needs at least one --release to audit.")
    if args.out:  # checked before the cross-validation, not after it
        check_output(args.out, force=args.force)
    from themes.train import TrainingConfig

    config = TrainingConfig.from_file(args.config) if args.config else None
    rows = audit(args.release, config=config, seed=args.seed, include_shipped=not args.no_shipped, model=args.model)
    if args.out:
        write_audit(rows, args.out, force=args.force)
    if args.json:
        print_json(rows[: args.top] if args.top else rows)
        return 0
    print(f"{len(rows)} statement(s) whose out-of-fold prediction contradicts the label")
    if rows:
        print(audit_table(rows, args.top or len(rows)))
    if args.out:
        print(f"wrote {len(rows)} row(s) to {args.out}")
    return 0
