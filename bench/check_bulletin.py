"""Score a model on the real bulletin check set (training/checks), never trained on.

    python bench/check_bulletin.py [--model DIR] [--examples ../shared/examples] [--verbose]

The bulletin text is read from outside the repository; labels, line numbers and hashes
are in training/checks/*.labels.jsonl. Prints per-statement predictions and micro / macro F1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from themes import classify
from themes.api import get_model
from themes.evaluate import binarize, multilabel_metrics

ROOT = Path(__file__).resolve().parents[1]


def load_check_sets(examples: Path):
    """Yield (name, texts, contexts, labels) for every check set whose bulletin is present."""
    for labels_file in sorted((ROOT / "training" / "checks").glob("*.labels.jsonl")):
        bulletin = examples / labels_file.name.replace(".labels.jsonl", ".txt")
        if not bulletin.exists():
            continue
        lines = bulletin.read_text(encoding="utf-8").split("\n")
        texts, contexts, labels = [], [], []
        for raw in labels_file.read_text(encoding="utf-8").splitlines():
            record = json.loads(raw)
            text = lines[record["line"] - 1].strip()
            if hashlib.sha256(text.encode()).hexdigest() != record["sha256"]:
                raise SystemExit(f"{bulletin}:{record['line']}: text changed since it was labelled")
            texts.append(text.lstrip("-–—• ").strip())
            ctx = record["context_line"]
            contexts.append(lines[ctx - 1].strip() if ctx else None)
            labels.append(record["themes"])
        yield bulletin.name, texts, contexts, labels


def check(model=None, examples: Path = ROOT.parent / "shared" / "examples", verbose: bool = False) -> dict:
    loaded = get_model(model)
    out = {}
    for name, texts, contexts, labels in load_check_sets(examples):
        results = classify(texts, model=loaded, context=contexts)
        metrics = multilabel_metrics(binarize(labels), binarize([r.themes for r in results]))
        out[name] = metrics
        if verbose:
            for r, gold in zip(results, labels):
                missing = sorted(set(gold) - set(r.themes))
                extra = sorted(set(r.themes) - set(gold))
                mark = "ok " if not missing and not extra else "ERR"
                print(f"{mark} -{missing} +{extra}  {r.text[:70]}")
        print(f"{name}: micro F1 {metrics['micro']['f1']} (P {metrics['micro']['precision']}, R {metrics['micro']['recall']}), macro F1 {metrics['macro']['f1']}, {metrics['n']} statements")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--examples", type=Path, default=ROOT.parent / "shared" / "examples")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    check(args.model, args.examples, args.verbose)
