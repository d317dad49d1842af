"""Check one writer's partition of a corpus release before it is merged.

    python tools/check_part.py training/corpus/2026.1-parts/wire.jsonl

Reports, as file:line: problem, every record that is malformed, carries an unknown theme,
repeats an id, is a near-copy (TF-IDF word 1-3-gram cosine > 0.8) of another statement of
the partition or of the merged corpus, or is too close (> 0.6) to a real development
statement. Exits 1 if anything is reported. Also prints per-theme counts.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from themes.corpus import _record_problems, load_corpus, read_realdev, realdev_overlaps

NEAR_COPY = 0.8


def check_part(path: Path) -> int:
    problems, records = [], []
    seen_ids: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{n}: invalid JSON ({exc.msg})")
            continue
        problems.extend(f"{path}:{n}: {p}" for p in _record_problems(record))
        rid = record.get("id")
        if rid in seen_ids:
            problems.append(f"{path}:{n}: duplicate id {rid!r} (first on line {seen_ids[rid]})")
        seen_ids[rid] = n
        records.append((n, record))
    corpus = load_corpus()
    corpus_ids = {s.id for s in corpus}
    texts = [r.get("text", "") for _, r in records]
    for n, r in records:
        if r.get("id") in corpus_ids:
            problems.append(f"{path}:{n}: id {r['id']!r} already used in the shipped corpus")
    others = [s.text for s in corpus]
    vec = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True).fit(texts + others)
    own = vec.transform(texts)
    within = (own @ own.T).toarray()
    against = (own @ vec.transform(others).T).toarray() if others else None
    for i, (n, _) in enumerate(records):
        for j in range(i):
            if within[i, j] > NEAR_COPY:
                problems.append(f"{path}:{n}: near-copy of line {records[j][0]} of this file (cosine {within[i, j]:.2f})")
        if against is not None and against[i].max() > NEAR_COPY:
            k = int(against[i].argmax())
            problems.append(f"{path}:{n}: near-copy of corpus statement {corpus[k].id} (cosine {against[i, k]:.2f})")
    real = read_realdev()
    for i, j, cos in realdev_overlaps(texts, [r["text"] for r in real]):
        problems.append(f"{path}:{records[i][0]}: too close to a real development statement (cosine {cos:.2f} > 0.6): write your own")
    counts = collections.Counter(t for _, r in records for t in r.get("themes", []))
    none = sum(1 for _, r in records if not r.get("themes"))
    multi = sum(1 for _, r in records if len(r.get("themes", [])) > 1)
    print(f"{path}: {len(records)} statements, {none} without a theme, {multi} with several")
    for theme, c in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {theme:27s} {c}")
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(max(check_part(Path(p)) for p in sys.argv[1:]))
