"""Plain-text tables, for the command line and for library objects that print themselves.

Examples
--------
>>> print(format_table([["uav", 3], ["financing", 12]], ["theme", "count"]))
theme      count
---------  -----
uav        3
financing  12
"""

from __future__ import annotations

__all__ = ["format_table"]


def format_table(rows: list[list], header: list[str]) -> str:
    """A plain-text table with columns padded to their widest cell."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
