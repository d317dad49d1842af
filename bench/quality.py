"""Quality on real text for the benchmark: realdev read per language, and its table.

Real development statements (``../shared/realdev`` or ``$THEMES_REALDEV``, read with
``themes.corpus.find_realdev`` / ``read_realdev``) are statements no one in the project
wrote; they are never trained on. ``bench/run.py`` measures every contender on them beside
the test split and leave-one-style-out, and its quality table leads with them.
"""

from __future__ import annotations

from themes.corpus import Statement, find_realdev, read_realdev
from themes.taxonomy import THEME_IDS

__all__ = ["quality_lines", "read_real_statements", "reads_language"]


def cell(value) -> str:
    """A table cell: a figure to 3 decimals, or the text given, or n/a."""
    if value is None:
        return "n/a"
    return value if isinstance(value, str) else f"{value:.3f}"


def read_real_statements() -> tuple[dict[str, list[Statement]], str]:
    """The real development statements per language ({} where absent), and a notice."""
    folder = find_realdev()
    if folder is None:
        notice = ("No real development statements found (../shared/realdev or $THEMES_REALDEV): "
                  "the real-text figures are skipped; the corpus figures below flatter every contender.")
        print(notice, flush=True)
        return {}, notice
    realdev = {}
    for lang in ("en", "ru"):
        records = read_realdev(folder, lang=lang)
        if records:
            realdev[lang] = [Statement(id=r["id"], text=r["text"], themes=tuple(r.get("themes") or ()),
                                       context=r.get("context"), lang=lang) for r in records]
    counts = ", ".join(f"{len(v)} {k}" for k, v in realdev.items())
    return realdev, f"Real development statements read from `{folder}` ({counts}); never trained on."


def reads_language(statements: list[Statement]) -> bool:
    """Whether themes scores these statements (classify reports text it cannot read as not scored)."""
    from themes.api import not_scored_reason

    return 2 * sum(not_scored_reason(s.text) is not None for s in statements) < len(statements)


def quality_lines(result: dict) -> list[str]:
    """The quality table, real statements first, then the corpus figures; per-theme realdev F1."""
    done = [r for r in result["rows"] if "skipped" not in r and "error" not in r]
    found = [lang for lang in ("en", "ru") if lang in result.get("realdev", {})]
    langs = [lang for lang in found if any("micro_f1" in r.get("realdev", {}).get(lang, {}) for r in done)]
    lines = [result.get("realdev_notice", ""), ""]
    for lang in sorted(set(found) - set(langs)):
        lines += [f"The {result['realdev'][lang]} real {lang} statements are left out: no contender here reads {lang} "
                  "(themes reports them not scored; the others predict no theme on any of them).", ""]
    head = "| contender | " + "".join(f"realdev {lang} micro F1 | realdev {lang} macro F1 | " for lang in langs)
    head += "test micro F1 | test macro F1 | LOSO micro F1 | LOSO macro F1 |"
    lines += [head, "|---|" + "---:|" * (2 * len(langs) + 4)]
    for r in done:
        cells = []
        for lang in langs:
            real = r.get("realdev", {}).get(lang, {})
            cells += [cell(real.get("micro_f1", "not read")), cell(real.get("macro_f1", "not read"))]
        loso = r.get("loso") or {"micro_f1": "as above", "macro_f1": "as above"}
        cells += [f"{r['test']['micro_f1']:.3f}", f"{r['test']['macro_f1']:.3f}",
                  cell(loso.get("micro_f1", "not run")), cell(loso.get("macro_f1", "not run"))]
        lines.append(f"| {r['label']} | " + " | ".join(cells) + " |")
    for lang in langs:
        scored = [r for r in done if "micro_f1" in r.get("realdev", {}).get(lang, {})]
        if not scored:
            continue
        lines += ["", f"Per-theme F1 on the real statements ({lang}, {result['realdev'][lang]} statements):", "",
                  "| theme | " + " | ".join(r["short"] for r in scored) + " |", "|---|" + "---:|" * len(scored)]
        for t in THEME_IDS:
            lines.append(f"| {t} | " + " | ".join(f"{r['realdev'][lang]['per_theme_f1'][t]:.2f}" for r in scored) + " |")
    return lines
