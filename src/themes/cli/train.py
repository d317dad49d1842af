"""``themes train [--release DIR ...] --out DIR [--seed N]``: retrain, measure, save."""

from __future__ import annotations

from themes.cli._common import print_json


def add_parser(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train on the shipped corpus plus extra releases; save a model folder",
        description=(
            "Merge the shipped corpus releases and each --release in order (a later release "
            "overrides earlier ones id by id; 'deleted' withdraws), train, measure on the fixed "
            "test split and leave-one-style-out, and save the model folder atomically."
        ),
        epilog="example: themes train --release exports/2026.1 --out models/themes-2026.1",
    )
    p.add_argument("--release", action="append", default=[], metavar="DIR", help="an extra release folder (repeatable)")
    p.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--seed", type=int, default=0, help="seed of folds and solver (default 0)")
    p.add_argument("--config", default=None, metavar="FILE.json", help="overrides of the training configuration (JSON object)")
    p.add_argument("--name", default=None, help="model name (default: themes-<last release>-<date>)")
    p.add_argument("--no-shipped", action="store_true", help="train on the given releases only")
    p.add_argument("--no-loso", action="store_true", help="skip leave-one-style-out (faster)")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    p.add_argument("--json", action="store_true", help="print the metrics and changes as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from themes.artifact import read_manifest
    from themes.train import train

    from themes.train import TrainingConfig

    config = TrainingConfig.from_file(args.config) if args.config else None
    run_ = train(
        releases=args.release,
        out=args.out,
        seed=args.seed,
        config=config,
        include_shipped=not args.no_shipped,
        force=args.force,
        loso=not args.no_loso,
        name=args.name,
    )
    changes = run_.report.to_dict()
    summary = {
        "out": args.out,
        "model": read_manifest(args.out)["name"],
        "statements": len(run_.statements),
        "changes": changes,
        "metrics": {k: v["micro"] for k, v in run_.metrics.items() if isinstance(v, dict) and "micro" in v},
    }
    if args.json:
        print_json(summary)
        return 0
    for release, n in changes["added"].items():
        relabelled = changes["relabelled"].get(release, [])
        withdrawn = changes["withdrawn"].get(release, [])
        print(f"release {release}: {n} added, {len(relabelled)} relabelled, {len(withdrawn)} withdrawn")
        per_theme = run_.report.per_theme(release)
        for theme, v in per_theme.items():
            if any(v.values()):
                print(
                    f"    {theme:26s} {v['added']:4d} added  {v['withdrawn']:3d} withdrawn  "
                    f"+{v['gained']} / -{v['lost']} by relabelling"
                )
    # Real text first: the corpus figures flatter (the team wrote every style).
    order = ["realdev", "realdev_ru", "test", "leave_one_style_out", "cross_validation"]
    for key in sorted(summary["metrics"], key=lambda k: order.index(k) if k in order else len(order)):
        micro = summary["metrics"][key]
        macro = run_.metrics[key]["macro"]["f1"]
        print(f"{key}: micro P {micro['precision']} R {micro['recall']} F1 {micro['f1']}  macro F1 {macro}")
    if "realdev" not in run_.metrics:
        print("realdev: skipped (no ../shared/realdev or $THEMES_REALDEV here); the figures above are on the team's own corpus")
    print(f"saved {args.out} (model {summary['model']})")
    return 0
