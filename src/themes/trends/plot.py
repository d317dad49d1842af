"""Drawing trends: one panel per theme, share and adjusted prevalence in %, with intervals."""

from __future__ import annotations

import math
import os
from pathlib import Path

from themes.errors import check_output, missing_extra, parameter_error

__all__ = ["draw", "drawn_periods", "image_formats"]


def image_formats() -> list[str]:
    """File suffixes matplotlib can write (``png``, ``pdf``, ``svg`` ...).

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    """
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        raise missing_extra("matplotlib", "plot", "drawing trends") from None
    return sorted(FigureCanvasBase.get_supported_filetypes())


def _nan(value) -> float:
    return float("nan") if value is None else value


def drawn_periods(periods: list) -> list:
    """The periods from the first to the last with statements: none empty at either end."""
    counted = [i for i, p in enumerate(periods) if p.statements]
    if not counted:
        return []
    return periods[counted[0] : counted[-1] + 1]


def draw(result, path: str | os.PathLike, themes=None, force: bool = False) -> Path:
    """Draw ``result`` (a :class:`~themes.trends.Trends`) into an image file.

    The format follows the suffix (any that matplotlib writes). Raises as
    :meth:`themes.trends.Trends.plot`.
    """
    shown = result.shown_themes(themes, "Trends.plot")
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    known = image_formats()
    if suffix not in known:
        raise parameter_error("path", "Trends.plot", f"an image file name ending in one of .{', .'.join(known)}", str(path))
    check_output(path, force=force)
    try:
        from matplotlib.figure import Figure
        from matplotlib.ticker import PercentFormatter
    except ImportError:
        raise missing_extra("matplotlib", "plot", "drawing trends") from None

    periods = drawn_periods(result.periods)
    columns = min(4, max(1, len(shown)))
    rows = max(1, math.ceil(len(shown) / columns))
    figure = Figure(figsize=(4 * columns, 3 * rows), layout="constrained")
    labels = [p.period for p in periods]
    x = list(range(len(labels)))
    step = max(1, len(labels) // 8)
    for k, theme in enumerate(shown):
        axes = figure.add_subplot(rows, columns, k + 1)
        share = [_nan(p.themes[theme].share) for p in periods]
        adjusted = [_nan(p.themes[theme].adjusted) for p in periods]
        low = [_nan(p.themes[theme].low) for p in periods]
        high = [_nan(p.themes[theme].high) for p in periods]
        axes.plot(x, share, linestyle="--", color="0.5", label="share")
        if any(not math.isnan(v) for v in adjusted):
            axes.fill_between(x, low, high, color="C0", alpha=0.2, linewidth=0, label="95% interval")
            axes.plot(x, adjusted, color="C0", label="adjusted")
        for i, p in enumerate(periods):
            value = adjusted[i] if not math.isnan(adjusted[i]) else share[i]
            if not math.isnan(value):
                # Filled markers; a period with few statements is drawn pale.
                axes.plot([i], [value], marker="o", linestyle="none", markersize=4,
                          color="C0", alpha=0.35 if p.small else 1.0)
        axes.set_title(theme, fontsize=9)
        axes.set_ylim(0, 1)
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        axes.set_ylabel("statements (%)", fontsize=8)
        axes.set_xlabel(result.by, fontsize=8)
        if x:
            axes.set_xlim(-0.5, len(x) - 0.5)
            axes.set_xticks(x[::step], labels[::step], rotation=45, fontsize=7)
        axes.tick_params(axis="y", labelsize=7)
    if shown:
        figure.axes[0].legend(fontsize=7)
    figure.suptitle(
        f"Share of statements per theme, by {result.by} (pale: fewer than {result.min_statements} statements)",
        fontsize=10,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    return path
