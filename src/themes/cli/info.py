"""``themes info [--json]``: which model is loaded, its corpus, themes and figures."""

from __future__ import annotations

from themes.api import model_info
from themes.cli._common import add_model_option, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("info", help="show the loaded model: path, version, corpus, themes, metrics")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_model_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    info = model_info(args.model)
    if args.json:
        print_json(info)
        return 0
    print(f"model:     {info['name']}")
    print(f"path:      {info['path']}")
    print(f"created:   {info['created']}")
    print(f"taxonomy:  {info['taxonomy_version']} ({len(info['themes'])} themes)")
    print("corpus:    " + ", ".join(f"{r['release']} ({r['sha256'][:12]})" for r in info["corpus_releases"]))
    print("versions:  " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    for key, figures in info["metrics"].items():
        print(f"{key + ':':22s} micro F1 {figures['micro_f1']}, macro F1 {figures['macro_f1']}")
    print("thresholds: " + ", ".join(f"{t} {v}" for t, v in info["thresholds"].items()))
    return 0
