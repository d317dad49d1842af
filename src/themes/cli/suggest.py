"""``themes suggest SCORES.jsonl --n 200 --format labelstudio|doccano --out FILE``: tasks to label."""

from __future__ import annotations

import os
import sys

from themes.cli._common import ExamplesHelpFormatter, add_model_option
from themes.errors import ParameterError, check_output


def add_parser(sub) -> None:
    p = sub.add_parser(
        "suggest",
        help="the archive statements the model is least sure of, as annotation tasks with its themes pre-filled",
        description=(
            "From a scored archive, pick the statements nearest a theme's threshold, passing over "
            "near-copies, and write them as Label Studio tasks (with predictions) or doccano JSONL "
            "(with labels) for analysts; `themes import` reads the labelled export back."
        ),
        epilog=(
            "example:\n"
            "  themes suggest scores.jsonl --n 200 --format labelstudio --out tasks.json --label-config config.xml"
        ),
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("scores", metavar="SCORES.jsonl", help="a `themes score` output (or a folder of them)")
    p.add_argument("--n", type=int, default=200, help="how many statements (default 200)")
    p.add_argument("--format", choices=["labelstudio", "doccano"], default="labelstudio", help="task format")
    p.add_argument("--out", required=True, metavar="FILE", help="tasks file to write")
    p.add_argument(
        "--similarity", type=float, default=0.8,
        help="pass over a statement whose word overlap (Jaccard) with a chosen one exceeds this (default 0.8)",
    )
    p.add_argument("--label-config", default=None, metavar="FILE", help="also write the Label Studio labelling interface (XML)")
    p.add_argument("--force", action="store_true", help="replace existing output files")
    add_model_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from themes.api import get_model
    from themes.archive.files import check_output_path
    from themes.suggest import scoring_models, suggest, write_label_config

    scores = os.path.realpath(args.scores)
    check_output_path("--out", args.out, "tasks.json" if args.format == "labelstudio" else "tasks.jsonl")
    if args.label_config:
        check_output_path("--label-config", args.label_config, "config.xml")
    for option, target in (("--out", args.out), ("--label-config", args.label_config)):
        if target and os.path.realpath(target) == scores:  # --force included: it would destroy the scores
            raise ParameterError(
                f"{option} {target}: is also an input ({args.scores}); writing it would destroy those scores. "
                f"Name {option} outside the inputs."
            )
    if args.label_config and os.path.realpath(args.label_config) == os.path.realpath(args.out):
        raise ParameterError(
            f"--label-config and --out name the same file ({args.out}); give the labelling interface a name "
            "of its own, e.g. config.xml."
        )
    if args.label_config:  # checked before any task is written
        check_output(args.label_config, force=args.force)
    tasks = suggest(
        args.scores, args.n, args.format, model=args.model, similarity=args.similarity, out=args.out, force=args.force
    )
    loaded = get_model(args.model)
    others = sorted(v for v in scoring_models(tasks) if v != loaded.name)
    if others:
        print(
            f"themes: note: the archive was scored by {', '.join(others)}; uncertainty used the thresholds of "
            f"{loaded.name} (pass --model DIR of the scoring model to use its own)",
            file=sys.stderr,
        )
    if args.label_config:
        write_label_config(args.label_config, force=args.force)
    fields = [task.get("data", task) for task in tasks]
    # "uncertainty" is a score's distance to its threshold: 0 is a coin toss, so the first is the least sure.
    span = (
        f" (uncertainty, a score's distance to its threshold: {fields[0]['uncertainty']}, least sure, "
        f"to {fields[-1]['uncertainty']})" if fields else ""
    )
    print(f"wrote {len(tasks)} {args.format} task(s) to {args.out}{span}")
    if len(tasks) < args.n:
        print(f"    fewer than --n {args.n}: the archive has no more distinct statements")
    if args.label_config:
        print(f"wrote the Label Studio labelling interface to {args.label_config}")
    return 0
