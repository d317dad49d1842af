"""List the Russian tokens of the corpus that the glossary does not cover yet, for a translator.

    python tools/glossary_todo.py                         # the shipped corpus
    python tools/glossary_todo.py --release /tmp/round7   # plus a candidate release
    python tools/glossary_todo.py --min-count 1 > todo.tsv

The English static embedding reads a Russian token through its English gloss
(``src/themes/data/glossary_ru.json``); a token without one adds a zero row. A release that
brings new Russian words should bring their glosses: this prints one line per missing token
(``token<TAB>count<TAB>word forms seen``), most frequent first. Write the gloss of each
(one to three lower-case English words, base forms; ``-`` for function words and names of
persons) and add it to the file's ``glossary`` (or ``no_gloss``) in the same change.
``tests/test_glossary.py`` fails while a token used twice or more in the shipped corpus is
missing.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from themes.corpus import merge_releases, shipped_releases
from themes.language import is_cyrillic_word
from themes.text import normal_form, statement_words
from themes.text.normalization import _DATA


def missing_tokens(statements, known: set[str], min_count: int = 2) -> list[tuple[str, int, list[str]]]:
    """(token, count, up to three word forms) of the Russian tokens not in ``known``."""
    counts: collections.Counter = collections.Counter()
    forms: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for s in statements:
        if s.lang != "ru":
            continue
        for word in statement_words(s.text):
            for token in normal_form(word).split():
                if is_cyrillic_word(token) and token not in known:
                    counts[token] += 1
                    forms[token][word.lower()] += 1
    return [(t, n, [f for f, _ in forms[t].most_common(3)]) for t, n in counts.most_common() if n >= min_count]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="append", default=[], help="an extra release folder (repeatable)")
    parser.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args(argv)
    raw = json.loads((_DATA / "glossary_ru.json").read_text(encoding="utf-8"))
    known = set(raw["glossary"]) | set(raw["no_gloss"])
    statements, _ = merge_releases(shipped_releases() + [Path(r) for r in args.release])
    for token, count, seen in missing_tokens(statements, known, args.min_count):
        print(f"{token}\t{count}\t{', '.join(seen)}")


if __name__ == "__main__":
    main()
