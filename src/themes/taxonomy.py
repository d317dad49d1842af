"""The theme taxonomy: ids, names and definitions, read from ``data/taxonomy.json``.

The ids are the public contract of the library; code never lists them by hand.

Examples
--------
>>> from themes.taxonomy import THEME_IDS, TAXONOMY_VERSION
>>> len(THEME_IDS), THEME_IDS[0], TAXONOMY_VERSION
(13, 'financing', '1.1')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["THEMES", "THEME_IDS", "TAXONOMY_VERSION", "Theme", "check_theme_ids"]

_DATA = Path(__file__).with_name("data") / "taxonomy.json"


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy."""

    id: str
    name: str
    definition: str


def _load() -> tuple[str, tuple[Theme, ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return raw["version"], tuple(Theme(**t) for t in raw["themes"])


TAXONOMY_VERSION, THEMES = _load()
THEME_IDS: tuple[str, ...] = tuple(t.id for t in THEMES)


def check_theme_ids(ids, where: str = "themes") -> list[str]:
    """Return the ids in ``ids`` that are not theme ids of the taxonomy, in order.

    Examples
    --------
    >>> check_theme_ids(["uav", "drones", "financing"])
    ['drones']
    """
    known = set(THEME_IDS)
    return [i for i in ids if i not in known]
