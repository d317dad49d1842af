"""Drawing trends: one panel per theme, share and adjusted prevalence in %, with intervals;
for trends grouped by source, one line per group in each panel."""

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


def _runs(values: list) -> list[list[int]]:
    """The indices of ``values`` that are numbers, in runs of consecutive ones."""
    runs: list[list[int]] = []
    for i, v in enumerate(values):
        if math.isnan(v):
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _band(axes, runs, low, high, colour, alpha, label=None) -> None:
    """The 95% interval over each run of periods: a band between two periods or more, and a
    bar at a period that stands alone, where ``fill_between`` would draw nothing (a group's
    only period, a year alone, a month between empty ones)."""
    for run in runs:
        run = [i for i in run if not (math.isnan(low[i]) or math.isnan(high[i]))]
        if len(run) == 1:
            i = run[0]
            axes.plot([i, i], [low[i], high[i]], color=colour, alpha=alpha, linewidth=5,
                      solid_capstyle="butt", label=label or "_nolegend_")
        elif run:
            axes.fill_between(run, [low[i] for i in run], [high[i] for i in run], color=colour, alpha=alpha,
                              linewidth=0, label=label or "_nolegend_")
        else:
            continue
        label = None  # once in the legend


def _frame(axes, title: str, by: str, x: list, labels: list, step: int, PercentFormatter) -> None:
    """Title, a 0-100% y axis and the period ticks of one theme's panel."""
    axes.set_title(title, fontsize=9)
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    axes.set_ylabel("statements (%)", fontsize=8)
    axes.set_xlabel(by, fontsize=8)
    if x:
        axes.set_xlim(-0.5, len(x) - 0.5)
        axes.set_xticks(x[::step], labels[::step], rotation=45, fontsize=7)
    axes.tick_params(axis="y", labelsize=7)


def drawn_periods(periods: list) -> list:
    """The periods from the first to the last with statements: none empty at either end."""
    counted = [i for i, p in enumerate(periods) if p.statements]
    if not counted:
        return []
    return periods[counted[0] : counted[-1] + 1]


def draw(result, path: str | os.PathLike, themes=None, force: bool = False) -> Path:
    """Draw ``result`` (a :class:`~themes.trends.Trends`) into an image file.

    The format follows the suffix (any that matplotlib writes). Raises as
    :meth:`themes.trends.Trends.plot`. Grouped trends get one line per group in each
    theme's panel (:func:`_draw_groups`).
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

    columns = min(4, max(1, len(shown)))
    rows = max(1, math.ceil(len(shown) / columns))
    grouped = getattr(result, "group", None) is not None
    # Grouped: room for the legend of groups at the right, and for the title over one panel.
    width = max(6.5, 4 * columns + 1.5) if grouped else 4 * columns
    figure = Figure(figsize=(width, 3 * rows), layout="constrained")
    if grouped:
        _draw_groups(result, figure, shown, rows, columns, PercentFormatter)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=100)
        return path
    periods = drawn_periods(result.periods)
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
            _band(axes, _runs(adjusted), low, high, "C0", 0.2, label="95% interval")
            axes.plot(x, adjusted, color="C0", label="adjusted")
        for i, p in enumerate(periods):
            value = adjusted[i] if not math.isnan(adjusted[i]) else share[i]
            if not math.isnan(value):
                # Filled markers; a period with few statements is drawn pale.
                axes.plot([i], [value], marker="o", linestyle="none", markersize=4,
                          color="C0", alpha=0.35 if p.small else 1.0)
        _frame(axes, theme, result.by, x, labels, step, PercentFormatter)
    if shown:
        figure.axes[0].legend(fontsize=7)
    figure.suptitle(
        f"Share of statements per theme, by {result.by} (pale: fewer than {result.min_statements} statements)",
        fontsize=10,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    return path


#: Line styles for groups beyond the ten colours of matplotlib's cycle.
_STYLES = ("-", "--", ":", "-.")


def _draw_groups(result, figure, shown, rows, columns, PercentFormatter) -> None:
    """One panel per theme, one line per group: its adjusted prevalence (its share where the
    theme has no correction) with a faint 95% band; periods with few statements pale."""
    groups = list(result.groups)
    per_group = {g: [p for p in result.periods if p.group == g] for g in groups}
    span = len(per_group[groups[0]]) if groups else 0
    # Every group has the same periods: trim the ones empty in all groups at either end.
    totals = [sum(per_group[g][i].statements for g in groups) for i in range(span)]
    counted = [i for i, n in enumerate(totals) if n]
    first, last = (counted[0], counted[-1] + 1) if counted else (0, 0)
    labels = [per_group[groups[0]][i].period for i in range(first, last)] if groups else []
    x = list(range(len(labels)))
    step = max(1, len(labels) // 8)
    corrected_themes = {t for t in shown if any(p.themes[t].adjusted is not None for p in result.periods)}
    adjusted_any = bool(corrected_themes)
    for k, theme in enumerate(shown):
        axes = figure.add_subplot(rows, columns, k + 1)
        corrected = theme in corrected_themes
        for j, g in enumerate(groups):
            periods = per_group[g][first:last]
            colour, style = f"C{j % 10}", _STYLES[(j // 10) % len(_STYLES)]
            values = [_nan(p.themes[theme].adjusted if corrected else p.themes[theme].share) for p in periods]
            # A group has periods without statements more often than the whole: its line
            # joins the periods it has (the markers show which), rather than break at each.
            kept = [i for i, v in enumerate(values) if not math.isnan(v)]
            axes.plot(kept, [values[i] for i in kept], color=colour, linestyle=style, linewidth=1.2, label=g)
            if corrected:
                # The band joins the periods the line joins; one period alone gets a bar.
                low = [_nan(p.themes[theme].low) for p in periods]
                high = [_nan(p.themes[theme].high) for p in periods]
                _band(axes, [kept] if kept else [], low, high, colour, 0.1)
            for i, p in enumerate(periods):
                if not math.isnan(values[i]):
                    axes.plot([i], [values[i]], marker="o", linestyle="none", markersize=3.5,
                              color=colour, alpha=0.35 if p.small else 1.0)
        # A theme without the correction shows its raw share; its title says so.
        _frame(axes, theme if corrected or not adjusted_any else f"{theme} (raw share)", result.by, x, labels, step,
               PercentFormatter)
    if shown and groups:
        handles, names = figure.axes[0].get_legend_handles_labels()
        figure.legend(handles, names, loc="outside right center", fontsize=7, title=f"{result.group} below\n{result.group_root}",
                      title_fontsize=7)
    what = "Adjusted prevalence" if adjusted_any else "Share of statements"
    figure.suptitle(
        f"{what} per theme, one line per {result.group} below {result.group_root}, by {result.by}\n"
        f"(pale: fewer than {result.min_statements} statements{'; band: 95% interval' if adjusted_any else ''})",
        fontsize=9,
    )
