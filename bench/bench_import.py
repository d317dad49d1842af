"""How long ``themes import`` takes on large exports: Label Studio, doccano and CSV.

Writes one synthetic export per format (``--tasks`` statements, two annotators each for
Label Studio) into a temporary folder and times :func:`themes.importers.import_export` on
it, without writing the release. Prints one line per format::

    python bench/bench_import.py --tasks 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

from themes.importers import import_export
from themes.taxonomy import THEME_IDS


def statements(n: int) -> list[tuple[str, list[str]]]:
    return [
        (f"Statement {i}: the participants discussed item {i * 7919 % 100003} of the agenda.", [THEME_IDS[i % 13]] if i % 5 else [])
        for i in range(n)
    ]


def write_labelstudio(path: Path, rows) -> None:
    tasks = [
        {
            "id": i,
            "data": {"text": text},
            "annotations": [
                {"completed_by": who, "result": [{"type": "choices", "value": {"choices": themes}}]} for who in (1, 2)
            ],
        }
        for i, (text, themes) in enumerate(rows)
    ]
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")


def write_doccano(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i, (text, themes) in enumerate(rows):
            fh.write(json.dumps({"id": i, "text": text, "label": themes}) + "\n")


def write_csv(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "themes"])
        for text, themes in rows:
            writer.writerow([text, ";".join(themes)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--formats", nargs="*", default=["labelstudio", "doccano", "csv"])
    args = parser.parse_args()
    rows = statements(args.tasks)
    writers = {"labelstudio": (write_labelstudio, "export.json"), "doccano": (write_doccano, "export.jsonl"), "csv": (write_csv, "export.csv")}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats:
            write, name = writers[fmt]
            path = Path(tmp) / name
            write(path, rows)
            started = time.perf_counter()
            report = import_export(fmt, path, None)
            seconds = time.perf_counter() - started
            size = path.stat().st_size / 1e6
            print(
                f"{fmt:12s} {args.tasks:,} tasks ({size:.1f} MB): {seconds:.2f} s, "
                f"{report.n_statements:,} statements, {len(report.skipped):,} skipped"
            )


if __name__ == "__main__":
    main()
