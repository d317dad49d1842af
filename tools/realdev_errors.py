"""Error analysis of a model on the real development statements, by theme and kind of miss.

    python tools/realdev_errors.py [--model DIR] [--lang en|ru] [--list]

Kinds of miss (automatic, a first cut for the written analysis in
training/REALDEV_ANALYSIS.md):

- missed, no term:    the theme is labelled but none of its codebook terms occurs
                      (carried by paraphrase, consequence or example)
- missed, term:       a codebook term occurs, the score stayed under the threshold
- false, procedural:  the statement is labelled with no theme at all (rule 4 text)
- false, term:        a term of the theme occurs but the annotators did not label it
- false, no term:     neither

Statements are printed by id only with --list (their text stays in ../shared/realdev).
"""

from __future__ import annotations

import argparse
import collections

import numpy as np

from themes import load_model
from themes.api import get_model
from themes.corpus import read_realdev
from themes.evaluate import binarize
from themes.text import load_lexicon, normalize_tokens


def term_hits(text: str, terms: list[str]) -> bool:
    tokens = " " + " ".join(normalize_tokens(text)) + " "
    return any(f" {t} " in tokens for t in terms)


def analyse(model=None, lang="en"):
    model = get_model(model)
    records = read_realdev(lang=lang)
    proba = model.predict_proba([r["text"] for r in records], [r.get("context") for r in records])
    pred = proba >= model.thresholds
    gold = binarize([r["themes"] for r in records], model.themes).astype(bool)
    lexicon = load_lexicon()
    terms = {t: lexicon.get(t, []) for t in model.themes}
    kinds = collections.defaultdict(collections.Counter)
    ids = collections.defaultdict(list)
    for i, r in enumerate(records):
        text = (r.get("context") or "") + " " + r["text"]
        for j, theme in enumerate(model.themes):
            if gold[i, j] and not pred[i, j]:
                kind = "missed, term" if term_hits(text, terms[theme]) else "missed, no term"
            elif pred[i, j] and not gold[i, j]:
                if not gold[i].any():
                    kind = "false, procedural"
                else:
                    kind = "false, term" if term_hits(text, terms[theme]) else "false, no term"
            else:
                continue
            kinds[theme][kind] += 1
            ids[(theme, kind)].append(r["id"])
    return kinds, ids, gold, pred


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    kinds, ids, gold, pred = analyse(args.model, args.lang)
    columns = ["missed, no term", "missed, term", "false, procedural", "false, term", "false, no term"]
    print(f"{'theme':27s}" + "".join(f"{c:>19s}" for c in columns))
    total = collections.Counter()
    for theme, counter in sorted(kinds.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{theme:27s}" + "".join(f"{counter[c]:19d}" for c in columns))
        total.update(counter)
    print(f"{'all':27s}" + "".join(f"{total[c]:19d}" for c in columns))
    if args.list:
        for (theme, kind), found in sorted(ids.items()):
            print(f"{theme} / {kind}: {' '.join(found)}")


if __name__ == "__main__":
    main()
