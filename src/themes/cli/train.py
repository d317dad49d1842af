"""``themes train [--release DIR ...] --out DIR [--seed N]``: retrain, measure, save."""

from __future__ import annotations

from themes.cli._common import ExamplesHelpFormatter, print_json, unit_float
from themes.cli.compare import print_comparison, regression_status


def add_parser(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train on the shipped corpus plus extra releases; save a model folder",
        description=(
            "Merge the shipped corpus releases and each --release in order (a later release "
            "overrides earlier ones id by id; 'deleted' withdraws), train, measure on the fixed "
            "test split and leave-one-style-out, and save the model folder atomically."
        ),
        epilog=(
            "example:\n"
            "  themes train --release exports/2026.1 --out models/themes-2026.1 --compare --fail-on-regression 0.02"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("--release", action="append", default=[], metavar="DIR", help="an extra release folder (repeatable)")
    p.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--seed", type=int, default=0, help="seed of folds and solver (default 0)")
    p.add_argument("--config", default=None, metavar="FILE.json", help="overrides of the training configuration (JSON object)")
    p.add_argument("--name", default=None, help="model name (default: themes-<last release>-<date>)")
    p.add_argument("--no-shipped", action="store_true", help="train on the given releases only")
    p.add_argument("--no-loso", action="store_true", help="skip leave-one-style-out (faster)")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    p.add_argument(
        "--compare", nargs="?", const="", default=None, metavar="MODEL",
        help=(
            "then compare with MODEL (default: the model in use, THEMES_MODEL or the shipped one) on "
            "held-out statements: the test split of the shipped corpus (unless --no-shipped) and of each --release"
        ),
    )
    p.add_argument(
        "--compare-data", default=None, metavar="FILE",
        help="labelled JSONL to compare on instead of the test split (implies --compare)",
    )
    p.add_argument(
        "--fail-on-regression", type=unit_float("--fail-on-regression"), default=None, metavar="X",
        help="exit 1 when any theme's F1 drops by more than X in the comparison (implies --compare)",
    )
    p.add_argument("--json", action="store_true", help="print the metrics and changes as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from themes.api import get_model
    from themes.artifact import read_manifest
    from themes.corpus import shipped_releases
    from themes.train import TrainingConfig, train

    config = TrainingConfig.from_file(args.config) if args.config else None
    comparing = args.compare is not None or args.compare_data is not None or args.fail_on_regression is not None
    # Loaded before training: --out may replace the very folder it is compared with.
    old_model = get_model(args.compare or None) if comparing else None
    say = _progress()
    run_ = train(
        releases=args.release,
        out=args.out,
        seed=args.seed,
        config=config,
        include_shipped=not args.no_shipped,
        force=args.force,
        loso=not args.no_loso,
        name=args.name,
        progress=say,
    )
    changes = run_.report.to_dict()
    summary = {
        "out": args.out,
        "model": read_manifest(args.out)["name"],
        "statements": len(run_.statements),
        "changes": changes,
        "metrics": {k: v["micro"] for k, v in run_.metrics.items() if isinstance(v, dict) and "micro" in v},
    }
    comparison, dropped = None, []
    if comparing:
        from themes.compare import compare_models, regressions

        say(f"comparing with {old_model.name} on held-out statements")
        # On what the new model saw and held out: without the shipped corpus under --no-shipped.
        comparison = compare_models(
            old_model, args.out, data=args.compare_data, releases=args.release, include_shipped=not args.no_shipped
        )
        comparison["realdev"] = _realdev_change(old_model.manifest, run_.metrics)
        if args.fail_on_regression is not None:
            dropped = regressions(comparison, args.fail_on_regression)
            comparison["regressions"] = [{"theme": t, "old_f1": o, "new_f1": n} for t, o, n in dropped]
        summary["comparison"] = comparison
    if args.json:
        print_json(summary)
        return regression_status(dropped, args.fail_on_regression)
    shipped = {folder.name for folder in shipped_releases()} if args.release else set()  # named as their releases
    for release, n in changes["added"].items():
        relabelled = changes["relabelled"].get(release, [])
        withdrawn = changes["withdrawn"].get(release, [])
        retexted = changes["retexted"].get(release, [])
        replaced = f", {len(retexted)} with a new text under an old id ({', '.join(retexted[:5])}{', ...' if len(retexted) > 5 else ''})" if retexted else ""
        print(f"release {release}: {n} added, {len(relabelled)} relabelled, {len(withdrawn)} withdrawn{replaced}")
        if release in shipped:
            continue  # the user's own releases in detail, not the shipped ones
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
        n = run_.metrics[key].get("n")
        print(f"{key}{f' ({n} statements)' if n else ''}: micro P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f}  macro F1 {macro:.3f}")
    if "leave_one_style_out" not in run_.metrics:
        print("leave_one_style_out: not run (--no-loso)")
    if "realdev" not in run_.metrics:
        print("realdev: skipped (no ../shared/realdev or $THEMES_REALDEV here); the figures above are on the team's own corpus")
    print(f"saved {args.out} (model {summary['model']})")
    if comparison is not None:
        print(f"\ncompared with {comparison['old']}:")
        for key, change in comparison["realdev"].items():  # real text first
            print(f"{key}: micro F1 {change['old']:.3f} -> {change['new']:.3f} ({change['new'] - change['old']:+.3f})")
        print_comparison(comparison, n_flips=10)
    return regression_status(dropped, args.fail_on_regression)


def _progress():
    """One line on stderr per step of the run as it starts, with the time since the start: a
    run on the shipped corpus takes minutes, and printed nothing until its figures."""
    import sys
    import time

    started = time.perf_counter()

    def say(message: str) -> None:
        minutes, seconds = divmod(int(time.perf_counter() - started), 60)
        print(f"themes train [{minutes}:{seconds:02d}] {message}", file=sys.stderr, flush=True)

    return say


def _realdev_change(old_manifest: dict, new_metrics: dict) -> dict:
    """Real development micro F1 of the old model (from its manifest) and the new one, for each
    real development set both were measured on (same file, same hash)."""
    out = {}
    for key in ("realdev", "realdev_ru"):
        old, new = old_manifest.get("metrics", {}).get(key), new_metrics.get(key)
        if old and new and old.get("data") == new.get("data"):
            out[key] = {"old": old["micro"]["f1"], "new": new["micro"]["f1"]}
    return out
