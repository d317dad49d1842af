"""How themes rise and fall over time, from a scored archive.

:func:`trends` reads the statement records that ``themes score`` writes (JSON Lines or
CSV, or any iterable of such dicts), groups them by the bulletin's date into months,
quarters or years, and reports per period the bulletins, the statements and, per theme:

``share``
    the raw share of statements tagged with the theme (classify and count);
``adjusted``
    the prevalence corrected for the model's known error rates (*adjusted classify and
    count*): ``(share - fpr) / (tpr - fpr)``, clipped to [0, 1], where ``tpr`` and
    ``fpr`` are the theme's true- and false-positive rates from the model's
    cross-validation (its manifest: ``tp``, ``fp``, ``fn``, ``support`` out of ``n``);
``low``, ``high``
    a 95% interval for it by the **delta method**, with three sources of uncertainty
    taken as independent: the observed share (its variance estimated cluster-robustly
    by bulletin, since statements of one bulletin are alike, and never below the
    Agresti-Coull binomial variance, so that 0 out of 9 still leaves doubt), and the
    cross-validated ``tpr`` and ``fpr`` (binomial, with one success and one failure
    added so that a perfect 77/77 still carries doubt)::

        se = sqrt(var(share) + p**2 var(tpr) + (1 - p)**2 var(fpr)) / (tpr - fpr)

A theme the model barely tells apart (``tpr - fpr < 0.1``) gets no adjusted value.
Periods with fewer than ``min_statements`` statements are marked ``small`` (and periods
with none, between the first and the last, are listed too), never hidden.

The error rates come from ``rates`` when given, else from the manifest of ``model``,
else from the model named in the records, looked up among the default model and the
model folders beside it.

Examples
--------
>>> records = [
...     {"bulletin": "a", "date": "2024-01-10", "themes": ["uav"], "model": "m"},
...     {"bulletin": "a", "date": "2024-01-10", "themes": [], "model": "m"},
...     {"bulletin": "b", "date": "2024-03-02", "themes": ["uav"], "model": "m"},
... ]
>>> result = trends(records, by="quarter", rates={"uav": (0.9, 0.05, 100, 900)}, min_statements=2)
>>> [(p.period, p.bulletins, p.statements, p.small) for p in result.periods]
[('2024-Q1', 2, 3, False)]
>>> uav = result.periods[0].themes["uav"]
>>> uav.count, round(uav.share, 3), round(uav.adjusted, 3)
(2, 0.667, 0.725)
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from themes.errors import (
    InvalidInputError,
    ModelError,
    OutputExistsError,
    missing_extra,
)

__all__ = ["PERIODS", "PeriodTrend", "Rates", "ThemeTrend", "Trends", "error_rates", "period_of", "trends"]

#: Period lengths :func:`trends` groups by.
PERIODS = ("month", "quarter", "year")
#: Below this ``tpr - fpr`` the correction divides by almost nothing: no adjusted value.
MIN_DISCRIMINATION = 0.1
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rates:
    """Cross-validated error rates of one theme.

    ``tpr = tp / positives``, ``fpr = fp / negatives``, with the counts they come from.
    """

    tpr: float
    fpr: float
    positives: int
    negatives: int


@dataclass
class ThemeTrend:
    """One theme in one period."""

    count: int = 0
    share: float | None = None
    adjusted: float | None = None
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict:
        return {"count": self.count, "share": self.share, "adjusted": self.adjusted, "low": self.low, "high": self.high}


@dataclass
class PeriodTrend:
    """One period: its size and each theme's share."""

    period: str
    bulletins: int = 0
    statements: int = 0
    small: bool = True
    themes: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "period": self.period,
            "bulletins": self.bulletins,
            "statements": self.statements,
            "small": self.small,
            "themes": {t: v.to_dict() for t, v in self.themes.items()},
        }


@dataclass
class Trends:
    """The result of :func:`trends`."""

    by: str
    themes: list
    periods: list
    model: str | None
    rates: dict | None
    min_statements: int
    undated_bulletins: int = 0
    undated_statements: int = 0
    not_scored_statements: int = 0
    notes: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-able dict."""
        return {
            "by": self.by,
            "model": self.model,
            "min_statements": self.min_statements,
            "method": "adjusted classify-and-count; 95% interval by the delta method",
            "rates": {t: {"tpr": r.tpr, "fpr": r.fpr, "positives": r.positives, "negatives": r.negatives}
                      for t, r in (self.rates or {}).items()},
            "undated_bulletins": self.undated_bulletins,
            "undated_statements": self.undated_statements,
            "not_scored_statements": self.not_scored_statements,
            "notes": list(self.notes),
            "periods": [p.to_dict() for p in self.periods],
        }

    def table(self, themes=None) -> str:
        """A plain-text table: one row per period and theme.

        Examples
        --------
        >>> r = trends([{"bulletin": "a", "date": "2024-05-01", "themes": ["uav"]}], by="year", rates={})
        >>> print(r.table(themes=["uav"]))
        period  bulletins  statements  theme  count  share   adjusted  95% interval  note
        ------  ---------  ----------  -----  -----  ------  --------  ------------  ---------------------
        2024    1          1           uav    1      100.0%  -         -             few statements (< 50)
        """
        from themes.cli._common import format_table

        shown = list(themes) if themes else self.themes
        rows = []
        for p in self.periods:
            note = "no statements" if p.statements == 0 else (f"few statements (< {self.min_statements})" if p.small else "")
            for theme in shown:
                t = p.themes[theme]
                interval = f"{_pct(t.low)}-{_pct(t.high)}" if t.low is not None else "-"
                rows.append([p.period, p.bulletins, p.statements, theme, t.count, _pct(t.share), _pct(t.adjusted), interval, note])
        return format_table(
            rows, ["period", "bulletins", "statements", "theme", "count", "share", "adjusted", "95% interval", "note"]
        )

    def plot(self, path: str | os.PathLike, themes=None, force: bool = False) -> Path:
        """Draw one panel per theme (share, adjusted prevalence and interval) into an image.

        Small periods are drawn with hollow markers. Needs matplotlib (``plot`` extra).

        Raises
        ------
        OutputExistsError
            ``path`` exists and ``force`` is not set.
        MissingDependencyError
            matplotlib is not installed.
        """
        path = Path(path)
        if path.exists() and not force:
            raise OutputExistsError(f"{path} exists; use --force to overwrite it")
        try:
            from matplotlib.figure import Figure
        except ImportError:
            raise missing_extra("matplotlib", "plot", "drawing trends") from None
        shown = list(themes) if themes else self.themes
        columns = min(4, max(1, len(shown)))
        rows = math.ceil(len(shown) / columns)
        figure = Figure(figsize=(4 * columns, 2.8 * rows), layout="constrained")
        labels = [p.period for p in self.periods]
        x = list(range(len(labels)))
        step = max(1, len(labels) // 8)
        for k, theme in enumerate(shown):
            axes = figure.add_subplot(rows, columns, k + 1)
            share = [_nan(p.themes[theme].share) for p in self.periods]
            adjusted = [_nan(p.themes[theme].adjusted) for p in self.periods]
            low = [_nan(p.themes[theme].low) for p in self.periods]
            high = [_nan(p.themes[theme].high) for p in self.periods]
            axes.plot(x, share, linestyle="--", color="0.5", label="share")
            if any(not math.isnan(v) for v in adjusted):
                axes.fill_between(x, low, high, color="C0", alpha=0.2, linewidth=0)
                axes.plot(x, adjusted, color="C0", label="adjusted")
            for i, p in enumerate(self.periods):
                value = adjusted[i] if not math.isnan(adjusted[i]) else share[i]
                if not math.isnan(value):
                    axes.plot([i], [value], marker="o", color="C0", markersize=4,
                              markerfacecolor="white" if p.small else "C0")
            axes.set_title(theme, fontsize=9)
            axes.set_ylim(0, 1)
            axes.set_xticks(x[::step], labels[::step], rotation=45, fontsize=7)
            axes.tick_params(axis="y", labelsize=7)
        if shown:
            figure.axes[0].legend(fontsize=7)
        figure.suptitle(f"Themes by {self.by} (hollow: fewer than {self.min_statements} statements)", fontsize=10)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=100)
        return path


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _nan(value) -> float:
    return float("nan") if value is None else value


def period_of(date: str, by: str) -> str:
    """The period a ``YYYY-MM-DD`` date falls in.

    Examples
    --------
    >>> period_of("2024-05-17", "month"), period_of("2024-05-17", "quarter"), period_of("2024-05-17", "year")
    ('2024-05', '2024-Q2', '2024')
    """
    year, month = date[:4], int(date[5:7])
    if by == "month":
        return f"{year}-{month:02d}"
    if by == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return year


def _periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last``, gaps included."""
    out = []
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    step = 1 if by == "month" else 3
    year = int(first[:4])
    index = int(first[5:]) if by == "month" else (int(first[6:]) - 1) * 3 + 1
    while True:
        key = f"{year}-{index:02d}" if by == "month" else f"{year}-Q{(index - 1) // 3 + 1}"
        out.append(key)
        if key == last:
            return out
        index += step
        if index > 12:
            year, index = year + 1, index - 12


def error_rates(manifest: dict) -> dict[str, Rates]:
    """Per-theme cross-validated :class:`Rates` from a model manifest.

    Raises
    ------
    ModelError
        The manifest has no cross-validation figures.

    Examples
    --------
    >>> m = {"metrics": {"cross_validation": {"n": 100, "per_theme": {"uav": {"tp": 8, "fp": 3, "fn": 2, "support": 10}}}}}
    >>> error_rates(m)["uav"]
    Rates(tpr=0.8, fpr=0.03333333333333333, positives=10, negatives=90)
    """
    try:
        cv = manifest["metrics"]["cross_validation"]
        n = int(cv["n"])
        per_theme = cv["per_theme"]
    except (KeyError, TypeError, ValueError):
        raise ModelError(
            f"model {manifest.get('name', '?')!r}: its manifest has no cross-validation figures "
            "(metrics.cross_validation.n and per_theme)"
        ) from None
    out = {}
    for theme, figures in per_theme.items():
        positives = int(figures.get("support", figures.get("tp", 0) + figures.get("fn", 0)))
        negatives = n - positives
        if positives <= 0 or negatives <= 0:
            continue
        out[theme] = Rates(figures["tp"] / positives, figures["fp"] / negatives, positives, negatives)
    return out


def _as_rates(rates: dict) -> dict[str, Rates]:
    out = {}
    for theme, value in rates.items():
        if isinstance(value, Rates):
            out[theme] = value
        elif isinstance(value, dict):
            out[theme] = Rates(float(value["tpr"]), float(value["fpr"]), int(value["positives"]), int(value["negatives"]))
        else:
            tpr, fpr, positives, negatives = value
            out[theme] = Rates(float(tpr), float(fpr), int(positives), int(negatives))
    return out


def _find_manifest(name: str) -> dict | None:
    """The manifest of the model called ``name`` among the default and its sibling folders."""
    from themes.api import default_model_path
    from themes.artifact import read_manifest

    default = default_model_path()
    candidates = [default]
    if default.parent.is_dir():
        candidates += sorted(p for p in default.parent.iterdir() if p.is_dir() and p != default)
    for folder in candidates:
        if not (folder / "manifest.json").is_file():
            continue
        try:
            manifest = read_manifest(folder)
        except ModelError:
            continue
        if manifest.get("name") == name:
            return manifest
    return None


def _read_records(source) -> Iterator[dict]:
    if not isinstance(source, (str, os.PathLike)):
        yield from source
        return
    path = Path(source)
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with fh:
        first = fh.read(1)
        fh.seek(0)
        if first == "{" or (not first and path.suffix.lower() != ".csv"):
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    if not line.endswith("\n"):
                        return  # the last line of an interrupted run
                    raise InvalidInputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        else:
            for row in csv.DictReader(fh):
                row["themes"] = [t for t in (row.get("themes") or "").split(";") if t]
                row["date"] = row.get("date") or None
                yield row


class _Period:
    __slots__ = ("bulletins", "counts", "s_cc", "s_cn", "s_nn", "statements")

    def __init__(self, themes):
        self.bulletins = 0
        self.statements = 0
        self.counts = dict.fromkeys(themes, 0)
        self.s_cc = dict.fromkeys(themes, 0)
        self.s_cn = dict.fromkeys(themes, 0)
        self.s_nn = 0

    def add_bulletin(self, n: int, counts: dict) -> None:
        self.bulletins += 1
        self.statements += n
        self.s_nn += n * n
        for theme, c in counts.items():
            self.counts[theme] += c
            self.s_cc[theme] += c * c
            self.s_cn[theme] += c * n


def _smoothed_variance(rate: float, total: int) -> float:
    smoothed = (rate * total + 1) / (total + 2)
    return smoothed * (1 - smoothed) / (total + 2)


def _theme_trend(period: _Period, theme: str, rates: Rates | None, z: float) -> ThemeTrend:
    n = period.statements
    count = period.counts[theme]
    if n == 0:
        return ThemeTrend(count=0)
    share = count / n
    result = ThemeTrend(count=count, share=share)
    if rates is None or rates.tpr - rates.fpr < MIN_DISCRIMINATION:
        return result
    gap = rates.tpr - rates.fpr
    raw = (share - rates.fpr) / gap
    p = min(1.0, max(0.0, raw))
    # Agresti-Coull: 0 tagged out of 9 still leaves room for a share of 20%.
    centre = (count + z * z / 2) / (n + z * z)
    binomial = centre * (1 - centre) / (n + z * z)
    b = period.bulletins
    if b >= 2:
        spread = period.s_cc[theme] - 2 * share * period.s_cn[theme] + share * share * period.s_nn
        var_share = max(binomial, b / (b - 1) * max(spread, 0.0) / (n * n))
    else:
        var_share = binomial
    variance = (
        var_share
        + p * p * _smoothed_variance(rates.tpr, rates.positives)
        + (1 - p) * (1 - p) * _smoothed_variance(rates.fpr, rates.negatives)
    )
    se = math.sqrt(variance) / gap
    result.adjusted = p
    result.low = max(0.0, raw - z * se)
    result.high = min(1.0, raw + z * se)
    result.low, result.high = min(result.low, p), max(result.high, p)
    return result


def trends(
    scores,
    *,
    by: str = "month",
    model=None,
    rates: dict | None = None,
    min_statements: int = 50,
    z: float = _Z95,
) -> Trends:
    """Shares and adjusted prevalence of each theme per month, quarter or year.

    Parameters
    ----------
    scores : path or iterable of dict
        A statements file from ``themes score`` (JSON Lines or CSV), or its records
        (``bulletin``, ``date``, ``themes`` and, optionally, ``model`` are used).
        Records of one bulletin are expected together, as ``themes score`` writes them.
    by : {"month", "quarter", "year"}, default="month"
    model : None, str, path-like or ThemeModel, optional
        The model whose cross-validated error rates correct the shares; default: the
        model named in the records, looked up beside the default model.
    rates : dict, optional
        Theme -> ``(tpr, fpr, positives, negatives)`` (or :class:`Rates`), instead of a
        model's; ``{}`` turns the correction off.
    min_statements : int, default=50
        Periods with fewer statements are marked ``small``.
    z : float, default=1.96
        Width of the interval in standard errors.

    Returns
    -------
    Trends

    Raises
    ------
    themes.InvalidInputError
        A bad parameter, or an unreadable scores file.
    """
    if by not in PERIODS:
        raise InvalidInputError(f"The 'by' parameter of trends must be one of {list(PERIODS)}. Got {by!r} instead.")
    if not isinstance(min_statements, int) or isinstance(min_statements, bool) or min_statements < 0:
        raise InvalidInputError(
            f"The 'min_statements' parameter of trends must be an int >= 0. Got {min_statements!r} instead."
        )
    from themes.taxonomy import THEME_IDS

    themes = list(THEME_IDS)
    periods: dict[str, _Period] = {}
    undated_bulletins = undated_statements = not_scored = 0
    models: set = set()
    current = None
    n_current = 0
    counts_current: dict = {}
    date_current = None

    def fold() -> None:
        nonlocal undated_bulletins, undated_statements
        if current is None:
            return
        if not date_current:
            undated_bulletins += 1
            undated_statements += n_current
            return
        key = period_of(date_current, by)
        period = periods.get(key)
        if period is None:
            period = periods[key] = _Period(themes)
        period.add_bulletin(n_current, counts_current)

    for record in _read_records(scores):
        bulletin = record.get("bulletin")
        if bulletin != current:
            fold()
            current, n_current, counts_current, date_current = bulletin, 0, {}, record.get("date")
        if record.get("not_scored"):  # e.g. not in English: neither tagged nor counted
            not_scored += 1
            continue
        n_current += 1
        for theme in record.get("themes") or ():
            if theme not in counts_current:
                if theme not in themes:
                    themes.append(theme)
                    for p in periods.values():
                        p.counts[theme] = p.s_cc[theme] = p.s_cn[theme] = 0
                counts_current[theme] = 0
            counts_current[theme] += 1
        if record.get("model"):
            models.add(record["model"])
    fold()

    notes: list[str] = []
    model_name = None
    resolved: dict[str, Rates] | None
    if rates is not None:
        resolved = _as_rates(rates)
        model_name = next(iter(models)) if len(models) == 1 else None
    else:
        manifest = None
        if model is not None:
            from themes.api import get_model

            loaded = get_model(model)
            manifest, model_name = loaded.manifest, loaded.name
            if models and models != {loaded.name}:
                notes.append(
                    f"the scores come from {', '.join(sorted(models))}; the error rates are those of {loaded.name}"
                )
        elif len(models) == 1:
            model_name = next(iter(models))
            manifest = _find_manifest(model_name)
            if manifest is None:
                notes.append(f"model {model_name} not found beside the default model; pass --model DIR for adjusted prevalence")
        elif len(models) > 1:
            notes.append(
                f"the scores come from several models ({', '.join(sorted(models))}); pass --model DIR for adjusted prevalence"
            )
        resolved = None
        if manifest is not None:
            try:
                resolved = error_rates(manifest)
            except ModelError as exc:
                notes.append(str(exc))
    if resolved is not None:
        weak = [t for t in themes if t in resolved and resolved[t].tpr - resolved[t].fpr < MIN_DISCRIMINATION]
        if weak:
            notes.append(f"no adjusted prevalence for {', '.join(weak)}: tpr - fpr < {MIN_DISCRIMINATION}")
    if undated_statements:
        notes.append(f"{undated_statements} statements of {undated_bulletins} bulletins have no date and are left out")
    if not_scored:
        notes.append(f"{not_scored} statements were not scored (see their not_scored reason) and are left out")

    ordered: list[PeriodTrend] = []
    if periods:
        keys = sorted(periods)
        for key in _periods_between(keys[0], keys[-1], by):
            period = periods.get(key) or _Period(themes)
            ordered.append(
                PeriodTrend(
                    period=key,
                    bulletins=period.bulletins,
                    statements=period.statements,
                    small=period.statements < min_statements,
                    themes={t: _theme_trend(period, t, (resolved or {}).get(t), z) for t in themes},
                )
            )
    return Trends(
        by=by,
        themes=themes,
        periods=ordered,
        model=model_name,
        rates=resolved,
        min_statements=min_statements,
        undated_bulletins=undated_bulletins,
        undated_statements=undated_statements,
        not_scored_statements=not_scored,
        notes=notes,
    )
