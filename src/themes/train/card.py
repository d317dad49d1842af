"""The model folder's description: its name, its manifest and its MODEL_CARD.md."""

from __future__ import annotations

import datetime
import hashlib
import json
import platform

import numpy as np

from themes._version import __version__
from themes.artifact import FORMAT, FORMAT_VERSION
from themes.corpus import corpus_stats
from themes.language import language_names
from themes.schemas import validate_manifest
from themes.taxonomy import TAXONOMY_VERSION, THEME_IDS
from themes.text import READING_VERSION

__all__ = ["build_manifest", "model_card", "model_name"]


def model_name(releases: list[dict], config: dict, seed: int, date: str, glossary: dict | None = None,
               lexicon: dict | None = None) -> str:
    """``themes-<last release>-<date>-<fingerprint>``: the fingerprint (of every release's
    sha256, the configuration, the seed, how text is read,
    :data:`themes.text.READING_VERSION`, and the glossary and the lexicon where the model has
    them) tells apart models trained the same day.

    Examples
    --------
    >>> releases = [{"release": "2026.4", "sha256": "0" * 64}]
    >>> a = model_name(releases, {}, 0, "2026-12-07")
    >>> a.startswith("themes-2026.4-20261207-"), a == model_name(releases, {}, 0, "2026-12-07", {})
    (True, True)
    >>> model_name(releases, {}, 0, "2026-12-07", {"границ": "border"}) == model_name(releases, {}, 0, "2026-12-07", {"границ": "frontier"})
    False
    >>> model_name(releases, {}, 0, "2026-12-07", lexicon={"uav": ["drone"]}) == model_name(releases, {}, 0, "2026-12-07", lexicon={"uav": ["drone", "uas"]})
    False
    """
    last = releases[-1]["release"] if releases else "none"
    parts = [[r["sha256"] for r in releases], config, seed, READING_VERSION]
    # A glossary or lexicon edited between two trainings on the same day makes another model
    # (session 15: two models with different lexicons had one name).
    for table in (glossary, lexicon):
        if table:
            parts.append(hashlib.sha256(json.dumps(table, sort_keys=True, ensure_ascii=False).encode()).hexdigest())
    fingerprint = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:8]
    return f"themes-{last}-{date.replace('-', '')}-{fingerprint}"


def build_manifest(run, name: str | None = None) -> dict:
    """The manifest of a training run (files are filled in when saved)."""
    today = datetime.date.today().isoformat()
    import sklearn

    thresholds = {t: round(float(v), 4) for t, v in zip(THEME_IDS, run.model.thresholds)}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name or model_name(run.releases, run.config, run.seed, today, run.model.space.glossary,
                                   run.model.space.lexicon),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "taxonomy_version": TAXONOMY_VERSION,
        "themes": list(THEME_IDS),
        "languages": list(run.model.languages),
        "thresholds": thresholds,
        "training": {"config": run.config, "seed": run.seed, "estimator": repr(run.pipeline)},
        "corpus": {
            "releases": run.releases,
            "stats": corpus_stats(run.statements),
            "test_split": "sha256(id) < 15% (themes.corpus.is_test_id)",
        },
        "metrics": run.metrics,
        "versions": {
            "themes": __version__,
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "files": {},
    }
    return validate_manifest(manifest, f"the manifest of {manifest['name']}")


def _f(value) -> str:
    """A figure with three decimals ("0.850", not "0.85"), as the README and bench print them."""
    return f"{value:.3f}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def model_card(manifest: dict) -> str:
    """A MODEL_CARD.md generated from a manifest."""
    m = manifest["metrics"]
    lines = [
        f"# Model card: {manifest['name']}",
        "",
        "## Intended use",
        "Tagging statements from counter-terrorism meeting bulletins (press releases, communiques,",
        "resolutions, plenary outcomes) with the 13 themes of taxonomy "
        f"{manifest['taxonomy_version']}, for analysts who follow which themes come up over time.",
        "Scores are calibrated probabilities; themes are those over per-theme thresholds.",
        f"Reads {language_names(manifest.get('languages', ['en']))}; statements in other scripts are reported as"
        " not scored. Not for decisions about individuals.",
        "",
        "## Corpus",
    ]
    stats = manifest["corpus"]["stats"]
    for r in manifest["corpus"]["releases"]:
        lines.append(f"- release {r['release']} (statements.jsonl sha256 {r['sha256'][:16]}...)")
    lines += [
        f"- {stats['statements']} statements after merging; {stats['test_split']} in the fixed test split;",
        f"  {stats['multi_label']} with two or more themes, {stats['none']} with none; "
        f"{len(stats['per_style'])} body styles; per language "
        + ", ".join(f"{code} {n}" for code, n in stats.get("per_language", {"en": stats["statements"]}).items())
        + ".",
        "",
        "## Training",
        f"- seed {manifest['training']['seed']}; configuration: `{json.dumps(manifest['training']['config'])}`",
        f"- scikit-learn {manifest['versions']['scikit-learn']}, numpy {manifest['versions']['numpy']}, "
        f"Python {manifest['versions']['python']}, themes {manifest['versions']['themes']}",
        "",
        "## Headline figures",
        "| data | micro P | micro R | micro F1 | macro F1 |",
        "|---|---|---|---|---|",
    ]
    headline = (
        ("realdev", "real statements, English (realdev, never trained on)"),
        ("realdev_ru", "real statements, Russian (realdev, never trained on)"),
        ("test", "test split (own corpus)"),
        ("leave_one_style_out", "leave-one-style-out (own corpus)"),
        ("cross_validation", "5-fold CV (train split, own corpus)"),
    )
    for key, label in headline:
        if key in m:
            mm = m[key]
            lines.append(
                f"| {label} | {_f(mm['micro']['precision'])} | {_f(mm['micro']['recall'])} | {_f(mm['micro']['f1'])} | {_f(mm['macro']['f1'])} |"
            )
    if "leave_one_style_out" not in m:
        lines += ["", "Leave-one-style-out was not run for this model (`themes train --no-loso`)."]
    if not any(key in m for key in ("realdev", "realdev_ru")):
        lines += ["", "No real development statements were found when this model was trained", "(`../shared/realdev/` or `$THEMES_REALDEV`): its figures are on the team's own corpus only."]
    for key, label in (("realdev", "English"), ("realdev_ru", "Russian")):
        if key not in m:
            continue
        none = m[key].get("none_given_theme", {})
        lines += [
            "",
            f"## Per theme on real statements, {label} ({m[key]['n']} statements)",
            f"Statements labelled with no theme that the model gave one: {none.get('given', '?')} of {none.get('n', '?')}.",
            "",
            "| theme | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for t in manifest["themes"]:
            pt = m[key]["per_theme"][t]
            lines.append(f"| {t} | {_f(pt['precision'])} | {_f(pt['recall'])} | {_f(pt['f1'])} | {pt['support']} |")
    if "test" in m:
        lines += [
            "",
            "## Per theme (test split, own corpus)",
            "| theme | precision | recall | F1 | support | threshold | Brier | ECE |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for t in manifest["themes"]:
            pt = m["test"]["per_theme"][t]
            cal = m["test"]["calibration"][t]
            lines.append(
                f"| {t} | {_f(pt['precision'])} | {_f(pt['recall'])} | {_f(pt['f1'])} | {pt['support']} | "
                f"{manifest['thresholds'][t]} | {cal['brier']} | {cal['ece']} |"
            )
    if "leave_one_style_out" in m:
        lines += ["", "## Leave-one-style-out micro F1 per held-out style"]
        for style, f1 in m["leave_one_style_out"]["per_style_micro_f1"].items():
            lines.append(f"- {style}: {_f(f1)}")
    lines += [
        "",
        "## Known limits",
        "- The corpus is written by the team in imitation of real bulletins; figures on it flatter.",
        "  The real development statements (realdev), where measured, are the better guide.",
        "- Reads the languages above only; other statements are reported as not scored.",
        "  Very long statements are scored on their first 5,000 characters.",
        "- Thresholds were tuned on out-of-fold predictions of this corpus; on an archive whose",
        "  theme mix differs, raw shares are biased: use the prevalence correction in `themes trends`.",
        "- Procedural text that names a single-theme body (rule 4) and hard negatives remain the",
        "  commonest errors; see `themes audit` for statements the model disagrees with.",
    ]
    return "\n".join(lines) + "\n"
