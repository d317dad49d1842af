"""Measure one corpus round on real text: train on the shipped releases plus extra ones
(without leave-one-style-out, for speed) and print realdev figures per language and theme.

    python tools/realdev_round.py                          # the shipped corpus as it is
    python tools/realdev_round.py --release /tmp/round9    # plus a candidate release
    python tools/realdev_round.py --config '{"C": 1.0}'    # a configuration to compare
    python tools/realdev_round.py --config '{"calibration_repeats": 3}'   # thresholds from 3 fold seeds

With one fold seed the thresholds alone move Russian realdev micro F1 by up to 0.03
(training/REALDEV_ANALYSIS.md, session 4): compare rounds with calibration_repeats 3 or
more, or over several --seed values.

The figures of each round in training/REALDEV_ANALYSIS.md come from this script. Real
statements are measured, never trained on; a choice made on them is a choice made on
the development set, which is why the hidden set is the judge.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from themes.corpus import merge_releases, shipped_releases
from themes.train import fit


def summary_lines(metrics: dict) -> list[str]:
    lines = []
    for key in ("realdev", "realdev_ru", "test"):
        if key not in metrics:
            continue
        m = metrics[key]
        none = m.get("none_given_theme", {})
        lines.append(
            f"{key}: micro F1 {m['micro']['f1']}  macro F1 {m['macro']['f1']}  "
            f"P {m['micro']['precision']}  R {m['micro']['recall']}  "
            f"no-theme statements given one: {none.get('given')}/{none.get('n')}"
        )
        lines.append("    " + "  ".join(f"{t} {v['f1']}" for t, v in m["per_theme"].items()))
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="append", default=[], help="an extra release folder (repeatable)")
    parser.add_argument("--config", default="{}", help="training configuration overrides (JSON object)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    statements, _ = merge_releases(shipped_releases() + [Path(r) for r in args.release])
    started = time.perf_counter()
    run = fit(statements, json.loads(args.config), args.seed, loso=False)
    print("\n".join(summary_lines(run.metrics)))
    print(f"{len(statements)} statements, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
