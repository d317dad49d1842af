"""The statistics of trends: per period, the share of statements carrying each theme and
its prevalence adjusted for the model's error rates, with a 95% interval.

See :mod:`themes.trends` for the method and what is counted.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from themes.errors import InvalidInputError, ModelError, ParameterError, parameter_error
from themes.segment import NOT_STATEMENTS
from themes.table import format_table
from themes.trends.groups import FolderGroups, group_depth, jsonl_sources
from themes.trends.io import cut_short, find_manifest, read_records, records_error

__all__ = [
    "MIN_DISCRIMINATION",
    "NOT_STATEMENTS",
    "PERIODS",
    "PeriodCounts",
    "PeriodTrend",
    "Rates",
    "ThemeTrend",
    "Trends",
    "as_rates",
    "error_rates",
    "period_of",
    "periods_between",
    "theme_trend",
    "trends",
    "valid_date",
]

#: Period lengths :func:`trends` groups by.
PERIODS = ("month", "quarter", "year")
#: Below this ``tpr - fpr`` the correction divides by almost nothing: no adjusted value.
MIN_DISCRIMINATION = 0.1
_Z95 = 1.959963984540054
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def valid_date(value) -> bool:
    """True for a ``YYYY-MM-DD`` string that is a calendar date.

    Examples
    --------
    >>> valid_date("2024-02-29"), valid_date("2024-02-30"), valid_date("9999-99-99"), valid_date(20240101)
    (True, False, False, False)
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        _dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return False
    return True


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
    """One period (of one group, when grouped): its size and each theme's share."""

    period: str
    bulletins: int = 0
    statements: int = 0
    small: bool = True
    themes: dict = field(default_factory=dict)
    #: The group (``cis_atc``) with ``trends(..., group="folder")``; None otherwise.
    group: str | None = None

    def to_dict(self) -> dict:
        head = {} if self.group is None else {"group": self.group}
        return {
            **head,
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
    not_statements: int = 0
    notes: list = field(default_factory=list)
    #: Bulletins left out as the same statements, word for word, as an earlier one (a
    #: bulletin saved twice); 0 with ``count_duplicates=True``.
    duplicate_bulletins: int = 0
    #: The ``group`` asked for (``"folder"``, ``"folder:2"``), or None: ``periods`` then
    #: holds every period of each group in turn, each :class:`PeriodTrend` with its ``group``.
    group: str | None = None
    #: The groups, in order (``["cis_atc", "sco_rats"]``); empty without ``group``.
    groups: list = field(default_factory=list)
    #: The folder the bulletins share, which the groups are below (``"archive"``).
    group_root: str | None = None
    #: Where a scores file, or a summaries file (``summaries``), ends inside a record
    #: (``file:line``; a run stopped while writing it): that line is not read, and a note
    #: says so and what to do.
    cut_short: list = field(default_factory=list)
    #: The bulletins none of whose statements was scored (a bulletin in Ukrainian or Kazakh,
    #: which ``themes score`` does not read; one of titles and datelines alone), in the
    #: order read: not counted in any period's ``bulletins``, which are the bulletins read.
    #: Each a dict: ``bulletin``, ``where`` (its first record), ``date``, ``period`` (None
    #: when undated), ``statements`` (those not scored), ``reason`` (the commonest
    #: ``not_scored`` of its statements) and, grouped, its ``group``.
    not_scored_bulletins: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-able dict."""
        grouping = {} if self.group is None else {"group": self.group, "group_root": self.group_root, "groups": list(self.groups)}
        return {
            "by": self.by,
            **grouping,
            "model": self.model,
            "min_statements": self.min_statements,
            "method": "adjusted classify-and-count; 95% interval by the delta method",
            "rates": {t: {"tpr": r.tpr, "fpr": r.fpr, "positives": r.positives, "negatives": r.negatives}
                      for t, r in (self.rates or {}).items()},
            "undated_bulletins": self.undated_bulletins,
            "undated_statements": self.undated_statements,
            "not_scored_statements": self.not_scored_statements,
            "not_scored_bulletins": [dict(b) for b in self.not_scored_bulletins],
            "not_statements": self.not_statements,
            "duplicate_bulletins": self.duplicate_bulletins,
            "cut_short": list(self.cut_short),
            "notes": list(self.notes),
            "periods": [p.to_dict() for p in self.periods],
        }

    def _repr_pretty_(self, p, cycle) -> None:
        # IPython and Jupyter display: what the trends cover, in one line, rather than the
        # dataclass repr of every period and theme (repr() itself is unchanged).
        p.text(f"<{self}>")

    def __str__(self) -> str:
        """What the trends cover, in one line, and how to see them: what ``print(result)`` shows
        (the dataclass repr of every period and theme ran to pages); ``.table()`` is the table.

        Examples
        --------
        >>> print(trends([{"bulletin": "a", "date": "2024-05-01", "themes": ["uav"]}], by="year", rates={}))
        Trends by year: 1 period, 2024; 1 statement of 1 bulletin; model (none named); raw shares only: no error rates; .table(), .to_csv(), .plot(), .to_dict()
        """
        n = len(self.periods) // max(1, len(self.groups))
        span = "" if not n else f", {self.periods[0].period}" + (f" to {self.periods[n - 1].period}" if n > 1 else "")
        statements = sum(period.statements for period in self.periods)
        bulletins = sum(period.bulletins for period in self.periods)
        rates = "error rates from its cross-validation" if self.rates else "raw shares only: no error rates"
        groups = f" in {_n(len(self.groups), 'group')} ({self.group} under {self.group_root})" if self.group else ""
        return (
            f"Trends by {self.by}: {n} period{'s' if n != 1 else ''}{span}{groups}; {_n(statements, 'statement')} of "
            f"{_n(bulletins, 'bulletin')}; model {self.model or '(none named)'}; {rates}; .table(), .to_csv(), .plot(), .to_dict()"
        )

    def table(self, themes=None) -> str:
        """A plain-text table: one row per period and theme (grouped: per group, period and theme).

        Examples
        --------
        >>> r = trends([{"bulletin": "a", "date": "2024-05-01", "themes": ["uav"]}], by="year", rates={})
        >>> print(r.table(themes=["uav"]))
        period  bulletins  statements  theme  count  share   adjusted  95% interval  note
        ------  ---------  ----------  -----  -----  ------  --------  ------------  ---------------------
        2024    1          1           uav    1      100.0%  -         -             few statements (< 50)
        """
        shown = self.shown_themes(themes, "Trends.table")
        grouped = self.group is not None
        rows = []
        for p in self.periods:
            note = "no statements" if p.statements == 0 else (f"few statements (< {self.min_statements})" if p.small else "")
            for theme in shown:
                t = p.themes[theme]
                interval = f"{_pct(t.low)}-{_pct(t.high)}" if t.low is not None else "-"
                row = [p.period, p.bulletins, p.statements, theme, t.count, _pct(t.share), _pct(t.adjusted), interval, note]
                rows.append([p.group, *row] if grouped else row)
        head = ["period", "bulletins", "statements", "theme", "count", "share", "adjusted", "95% interval", "note"]
        return format_table(rows, ["group", *head] if grouped else head)

    def shown_themes(self, themes, caller: str) -> list:
        """The theme ids an output shows: ``themes`` (a list, each once, or one id as a str), else all.

        Raises
        ------
        themes.errors.ParameterError
            ``themes`` names a theme the trends do not have.
        """
        if not themes:
            return list(self.themes)
        # One theme id, not its letters; a theme given twice is shown once.
        shown = [themes] if isinstance(themes, str) else list(dict.fromkeys(themes))
        unknown = [t for t in shown if t not in self.themes]
        if unknown:
            raise ParameterError(
                f"The 'themes' parameter of {caller} names unknown themes {unknown}; known: {list(self.themes)}."
            )
        return shown

    def plot(self, path: str | os.PathLike, themes=None, force: bool = False) -> Path:
        """Draw one panel per theme (share, adjusted prevalence and interval, in %) into an image.

        The image format follows the suffix (``.png``, ``.svg``, ``.pdf`` ...). Periods
        with few statements are drawn pale; empty periods at either end are left out.
        Needs matplotlib (``plot`` extra).

        Raises
        ------
        themes.errors.ParameterError
            The suffix is not an image format matplotlib writes.
        OutputExistsError
            ``path`` exists and ``force`` is not set.
        MissingDependencyError
            matplotlib is not installed.
        """
        from themes.trends.plot import draw

        return draw(self, path, themes=themes, force=force)

    def to_csv(self, out: str | os.PathLike, themes=None, wide: bool = False, force: bool = False) -> str:
        """Write the trends as CSV: one row per period and theme, or (``wide``) one per period.

        The wide table has ``period, bulletins, statements, small`` and, per theme,
        ``<theme>.count``, ``.share``, ``.adjusted``, ``.low`` and ``.high`` (fractions
        in [0, 1], empty where there is no value), so ``pandas.read_csv`` gives one
        row per period. Grouped trends (``group="folder"``) open every row with a
        ``group`` column: one row per group and period when wide. ``out="-"`` writes to
        standard output.

        Examples
        --------
        >>> r = trends([{"bulletin": "a", "date": "2024-05-01", "themes": ["uav"]}], by="year", rates={})
        >>> _ = r.to_csv("-", themes=["uav"], wide=True)
        period,bulletins,statements,small,uav.count,uav.share,uav.adjusted,uav.low,uav.high
        2024,1,1,True,1,1.0,,,
        """
        from themes.trends.io import write_csv

        return write_csv(self, out, themes=themes, wide=wide, force=force)


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


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


def periods_between(first: str, last: str, by: str) -> list[str]:
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


#: How many statements' untagged scores are compared with the model's thresholds (every
#: statement's tagged ones are): a run tags all its statements at one threshold.
_UNTAGGED_CHECKED = 20_000


def _other_thresholds(thresholds, lowest_tagged: dict, highest_untagged: dict) -> list[str]:
    """The themes whose scores were tagged at another threshold than ``thresholds`` (a
    model's): one tagged below it, or one not tagged above it (scores are written to 4
    decimals, so a margin of 1e-4)."""
    if not isinstance(thresholds, dict):
        return []
    return [
        theme for theme, limit in thresholds.items()
        if isinstance(limit, (int, float))
        and (lowest_tagged.get(theme, 2.0) < limit - 1e-4 or highest_untagged.get(theme, -1.0) > limit + 1e-4)
    ]


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


def as_rates(rates: dict) -> dict[str, Rates]:
    if not isinstance(rates, dict):
        raise parameter_error("rates", "trends", "a dict of theme -> (tpr, fpr, positives, negatives), or None", rates)
    from themes.taxonomy import THEME_IDS

    unknown = [t for t in rates if t not in THEME_IDS]
    if unknown:  # a misspelt theme would leave that theme uncorrected without a word
        raise ParameterError(
            f"The 'rates' parameter of trends names unknown themes {unknown}; known: {list(THEME_IDS)}."
        )
    out = {}
    for theme, value in rates.items():
        try:
            if isinstance(value, Rates):
                out[theme] = value
            elif isinstance(value, dict):
                out[theme] = Rates(float(value["tpr"]), float(value["fpr"]), int(value["positives"]), int(value["negatives"]))
            else:
                tpr, fpr, positives, negatives = value
                out[theme] = Rates(float(tpr), float(fpr), int(positives), int(negatives))
        except (TypeError, ValueError, KeyError):
            raise ParameterError(
                f"The 'rates[{theme!r}]' parameter of trends must be (tpr, fpr, positives, negatives), "
                f"their dict or a Rates. Got {value!r} instead."
            ) from None
    return out


class PeriodCounts:
    """Running sums of one period, for the shares and their cluster-robust variance."""

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

    def merge(self, other: PeriodCounts) -> None:
        """Add the bulletins of ``other`` (the sums are per bulletin, so they add up)."""
        self.bulletins += other.bulletins
        self.statements += other.statements
        self.s_nn += other.s_nn
        for theme in self.counts:
            self.counts[theme] += other.counts[theme]
            self.s_cc[theme] += other.s_cc[theme]
            self.s_cn[theme] += other.s_cn[theme]


def _n(count: int, noun: str) -> str:
    """``"1 statement"``, ``"3 statements"``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _smoothed_variance(rate: float, total: int) -> float:
    smoothed = (rate * total + 1) / (total + 2)
    return smoothed * (1 - smoothed) / (total + 2)


def theme_trend(period: PeriodCounts, theme: str, rates: Rates | None, z: float) -> ThemeTrend:
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
    # Centred on the clipped value: a raw estimate below 0 (fewer tagged than the false
    # alarm rate predicts) says the share is small, not that it is known to be exactly 0.
    result.low = max(0.0, p - z * se)
    result.high = min(1.0, p + z * se)
    return result


def trends(
    scores,
    *,
    by: str = "month",
    model=None,
    rates: dict | None = None,
    min_statements: int = 50,
    z: float = _Z95,
    count_duplicates: bool = False,
    group: str | None = None,
    summaries=None,
) -> Trends:
    """Shares and adjusted prevalence of each theme per month, quarter or year (and source).

    Parameters
    ----------
    scores : path, list of paths or iterable of dict
        A statements file from ``themes score`` (JSON Lines or CSV), several (an archive
        scored in parts), or its records (``bulletin``, ``date``, ``themes`` and,
        optionally, ``model`` are used).
        Records of one bulletin are expected together, as ``themes score`` writes them; a
        bulletin that comes back after others (the same file given twice) is an error.
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
    count_duplicates : bool, default=False
        Count every bulletin. By default a bulletin whose statements are, word for word
        and at the same offsets, those of an earlier one (the same bulletin saved twice,
        under two names; ``themes score`` marks it ``duplicate_of`` in its summary, by the
        same digest: :class:`~themes.archive.summary.StatementsDigest`) is counted once, at
        the first one's date, and a note names them, whichever scores file each is in.
        Records without ``text`` are never taken for copies.
    group : {None, "folder", "folder:N"}, default=None
        Give the figures per source as well as per period: ``"folder"`` groups the
        bulletins by their first folder below the folder they all share (``cis_atc`` for
        ``archive/cis_atc/2024/x.html`` when ``archive/`` was scored), ``"folder:N"`` by
        their first ``N`` folders (``cis_atc/2024``); a bulletin directly in that folder is
        in group ``"."``. The group is read from the bulletin's path in the records, so
        scores of any age can be grouped; see :mod:`themes.trends.groups` for the rule.
        Every group gets every period from the first to the last of all of them, and
        ``min_statements`` marks each group's periods on their own.
    summaries : path, list of paths or iterable of dict, optional
        With ``group``: the summaries file(s) of the same run (``themes score --summary``,
        of any age), which say the ``.jsonl`` file each JSON Lines record came from (the
        statement records name it by its id alone); such a bulletin is grouped as if that
        file were its folder (``archive/cis_atc.jsonl``: group ``cis_atc``). See
        :func:`themes.trends.groups.jsonl_sources`.

    Returns
    -------
    Trends
        With ``group``, ``result.groups`` lists the groups, ``result.group_root`` the
        folder they are below, and ``result.periods`` each group's periods in turn.

    Raises
    ------
    themes.InvalidInputError
        A bad parameter, an unreadable scores file, or lines that are no statement records:
        every one of every file given in one error (``file:line: why``, one a line).

    Examples
    --------
    >>> records = [
    ...     {"bulletin": "archive/cis_atc/2024/a.txt", "date": "2024-01-10", "themes": ["uav"]},
    ...     {"bulletin": "archive/cis_atc/2024/a.txt", "date": "2024-01-10", "themes": []},
    ...     {"bulletin": "archive/sco_rats/b.txt", "date": "2024-02-02", "themes": ["uav"]},
    ... ]
    >>> result = trends(records, by="quarter", group="folder", rates={}, min_statements=2)
    >>> result.group_root, result.groups
    ('archive', ['cis_atc', 'sco_rats'])
    >>> [(p.group, p.period, p.bulletins, p.statements, p.small, p.themes["uav"].count) for p in result.periods]
    [('cis_atc', '2024-Q1', 1, 2, False, 1), ('sco_rats', '2024-Q1', 1, 1, True, 1)]
    """
    if by not in PERIODS:
        raise parameter_error("by", "trends", f"one of {list(PERIODS)}", by)
    depth = group_depth(group, "trends")
    if summaries is not None and depth is None:
        raise parameter_error("summaries", "trends", "None without group (it says where JSON Lines records came from, "
                              "to group them)", summaries)
    if not isinstance(min_statements, int) or isinstance(min_statements, bool) or min_statements < 0:
        raise parameter_error("min_statements", "trends", "an int >= 0", min_statements)
    if not isinstance(count_duplicates, bool):
        raise parameter_error("count_duplicates", "trends", "True or False", count_duplicates)
    if scores is None or isinstance(scores, (bytes, dict)) or not (
        isinstance(scores, (str, os.PathLike)) or hasattr(scores, "__iter__")
    ):
        raise parameter_error("scores", "trends", "a statements file or an iterable of records", scores)
    if rates is not None:
        rates = as_rates(rates)  # checked before the scores are read, not after
    if model is not None and not isinstance(model, (str, os.PathLike)):
        from themes.model import ThemeModel

        if not isinstance(model, ThemeModel):
            raise parameter_error("model", "trends", "None, a path to a model folder or a ThemeModel", model)
    from themes.taxonomy import THEME_IDS

    themes = list(THEME_IDS)
    known = frozenset(THEME_IDS)
    # (group key, period) -> counts; the group key is () without grouping, else the
    # bulletin's folders down to the group's depth below the root (see FolderGroups).
    periods: dict[tuple[tuple, str], PeriodCounts] = {}
    folders = FolderGroups(depth) if depth else None
    summaries_cut: list[str] = []  # file:line of each summaries file's last line cut short
    sources = jsonl_sources(summaries, summaries_cut) if folders and summaries is not None else {}
    parts_current: tuple = ()
    undated_bulletins = undated_statements = not_scored = not_statements = 0
    bad_dates: list[tuple[str, object]] = []  # (where, date) of bulletins whose date is no calendar date
    models: set = set()
    current = None
    n_current = 0
    counts_current: dict = {}
    date_current = None
    from themes.archive.summary import StatementsDigest

    # A bulletin's statements as a digest (kind, offsets, text of each record), to tell a
    # bulletin saved twice by the rule themes score marks duplicate_of by; its hexdigest is
    # None when a record has no text to tell it by.
    digest_current = None
    skipped_current = [0, 0]  # its titles/datelines/... and its statements not scored
    reasons_current: dict[str, int] = {}  # why its statements were not scored -> how many
    # (where, bulletin, date, folders, statements not scored, reason) of each bulletin none of
    # whose statements was scored: no bulletin read, in no period's count.
    unscored: list[tuple] = []
    first_texts: dict[str, str] = {}  # digest -> the first bulletin with those statements
    duplicates: list[tuple[str, object, str]] = []  # (where, bulletin, first)

    def fold() -> None:
        nonlocal undated_bulletins, undated_statements, not_statements, not_scored
        if current is None:
            return
        key = digest_current.hexdigest() if digest_current is not None else None
        if key is not None:
            first = first_texts.setdefault(key, current)
            if first != current:
                duplicates.append((where_current, current, first))
                return
        not_statements += skipped_current[0]
        not_scored += skipped_current[1]
        if not n_current:
            reason = max(reasons_current, key=reasons_current.get) if reasons_current else (
                "no statement: only titles, datelines, headings, lead-ins or tables"
            )
            unscored.append((where_current, current, date_current, parts_current, skipped_current[1], reason))
            if valid_date(date_current):  # its period (and group) is listed, with no bulletin read
                key = (folders.key(parts_current) if folders else (), period_of(date_current, by))
                periods.setdefault(key, PeriodCounts(themes))
            return
        if not date_current:
            undated_bulletins += 1
            undated_statements += n_current
            return
        if not valid_date(date_current):
            bad_dates.append((where_current, date_current))
            undated_bulletins += 1
            undated_statements += n_current
            return
        key = (folders.key(parts_current) if folders else (), period_of(date_current, by))
        period = periods.get(key)
        if period is None:
            period = periods[key] = PeriodCounts(themes)
        period.add_bulletin(n_current, counts_current)

    where_current = None
    first_seen: dict = {}  # bulletin -> where its first record was
    # Per theme, the lowest score it was tagged with and the highest it was not: scores tagged at
    # other thresholds than the model's (`themes score --threshold`) show there.
    lowest_tagged: dict[str, float] = {}
    highest_untagged: dict[str, float] = {}
    n_checked = 0
    cut: list[str] = []  # file:line of each scores file's last line cut short
    # Every line or record that is no statement record, of every file: one error once all are
    # read (records_error), bad JSON and records without 'themes' alike, as evaluate's.
    problems: list[str] = []
    for where, record in read_records(scores, cut, problems):
        problem = _record_problem(record, known)
        if problem is not None:
            problems.append(f"{where}: {problem}")
            continue
        bulletin, tagged = record["bulletin"], record.get("themes") or []
        if bulletin != current:
            fold()
            if bulletin in first_seen:
                # Counting it twice would double its statements and narrow every interval; the
                # problems before it are said with it (a file given twice would repeat it for
                # every bulletin, so reading stops here).
                problems.append(
                    f"{where}: bulletin {bulletin!r} again, after other bulletins (first at {first_seen[bulletin]}); "
                    "the same scores given twice, or the records of one bulletin not kept together"
                )
                raise records_error(scores, problems)
            first_seen[bulletin] = where
            current, n_current, counts_current, date_current = bulletin, 0, {}, record.get("date")
            if folders:  # every bulletin read, dated or not, says where the root is
                parts_current = folders.see(bulletin, periods, sources.get(str(bulletin)))
            where_current = where
            digest_current = None if count_duplicates else StatementsDigest()
            skipped_current = [0, 0]
            reasons_current = {}
        if digest_current is not None:
            digest_current.add(record)
        if record.get("kind") in NOT_STATEMENTS:  # a title, dateline or lead-in says nothing itself
            skipped_current[0] += 1
            continue
        reason = record.get("not_scored")
        if reason:  # e.g. a script the model does not read: neither tagged nor counted
            skipped_current[1] += 1
            reason = str(reason).removeprefix("not scored: ")
            reasons_current[reason] = reasons_current.get(reason, 0) + 1
            continue
        n_current += 1
        for theme in tagged:
            counts_current[theme] = counts_current.get(theme, 0) + 1
        record_scores = record.get("scores")
        if type(record_scores) is dict:
            for theme in tagged:
                value = record_scores.get(theme)
                if type(value) is float and value < lowest_tagged.get(theme, 2.0):
                    lowest_tagged[theme] = value
            if n_checked < _UNTAGGED_CHECKED:  # every score: a sample is enough (and costs less)
                n_checked += 1
                text = record.get("text")
                # (a blank statement is given no theme whatever its scores: it says nothing of thresholds)
                if not (isinstance(text, str) and (not text or text.isspace())):
                    for theme, value in record_scores.items():
                        if type(value) is float and value > highest_untagged.get(theme, -1.0) and theme not in tagged:
                            highest_untagged[theme] = value
        if record.get("model"):
            models.add(record["model"])
    if problems:
        raise records_error(scores, problems)
    fold()

    # First: the counts below lack what was never written.
    notes: list[str] = [cut_short(where, where.rsplit(":", 1)[0]) for where in cut]
    # A summaries file cut short: its last bulletin is grouped as without summaries.
    out = os.fspath(scores) if isinstance(scores, (str, os.PathLike)) else "SCORES"
    notes += [cut_short(where, out, where.rsplit(":", 1)[0]) for where in summaries_cut]
    model_name = None
    resolved: dict[str, Rates] | None
    if rates is not None:
        resolved = as_rates(rates)
        model_name = next(iter(models)) if len(models) == 1 else None
    else:
        manifest = None
        if model is not None:
            from themes.api import get_model

            loaded = get_model(model, caller="trends")
            manifest, model_name = loaded.manifest, loaded.name
            if models and models != {loaded.name}:
                notes.append(
                    f"the scores come from {', '.join(sorted(models))}; the error rates are those of {loaded.name}"
                )
        elif len(models) == 1:
            model_name = next(iter(models))
            manifest = find_manifest(model_name)
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
        if resolved:
            off = _other_thresholds(manifest.get("thresholds"), lowest_tagged, highest_untagged)
            if off:
                resolved = {t: r for t, r in resolved.items() if t not in off}
                notes.append(
                    f"the scores were tagged at other thresholds than {model_name}'s for {', '.join(sorted(off))} "
                    "(themes score --threshold?): its error rates do not apply, so those themes get no adjusted prevalence"
                )
    if resolved is not None:
        weak = [t for t in themes if t in resolved and resolved[t].tpr - resolved[t].fpr < MIN_DISCRIMINATION]
        if weak:
            notes.append(f"no adjusted prevalence for {', '.join(weak)}: tpr - fpr < {MIN_DISCRIMINATION}")
    if duplicates:
        where, bulletin, first = duplicates[0]
        n = len(duplicates)
        notes.append(
            f"{_n(n, 'bulletin')} {'repeats' if n == 1 else 'repeat'} the statements of an earlier one word for word "
            f"(the same text saved twice; first: {bulletin} at {where}, as {first}) and {'is' if n == 1 else 'are'} "
            "counted once; count every copy with --count-duplicates (count_duplicates=True)"
        )
    if bad_dates:
        where, date = bad_dates[0]
        notes.append(
            f"{_n(len(bad_dates), 'bulletin')} {'has' if len(bad_dates) == 1 else 'have'} a date that is no calendar date (first: {date!r} at {where}); "
            "they count as undated"
        )
    if undated_statements:
        notes.append(f"{_n(undated_statements, 'statement')} of {_n(undated_bulletins, 'bulletin')} "
            + ("has no date and is left out" if undated_statements == 1 else "have no date and are left out"))
    if not_statements:
        notes.append(f"{not_statements} titles, datelines, headings, lead-ins and tables are not statements and are not counted")
    if not_scored:
        notes.append(f"{_n(not_scored, 'statement')} {'was' if not_scored == 1 else 'were'} not scored (see the not_scored reason) and {'is' if not_scored == 1 else 'are'} left out")
    not_scored_bulletins = _not_scored_bulletins(unscored, by, folders)
    if not_scored_bulletins:
        notes.append(_not_scored_note(not_scored_bulletins))

    ordered: list[PeriodTrend] = []
    labels: dict[tuple, str | None] = {}  # group key -> its name, in the order shown
    if periods:
        keys = sorted({period for _, period in periods})
        named = {key: folders.label(key) if folders else None for key, _ in periods}
        labels = dict(sorted(named.items(), key=lambda item: item[1] or ""))
        for key in labels:
            for name in periods_between(keys[0], keys[-1], by):
                period = periods.get((key, name)) or PeriodCounts(themes)
                ordered.append(
                    PeriodTrend(
                        period=name,
                        bulletins=period.bulletins,
                        statements=period.statements,
                        small=period.statements < min_statements,
                        themes={t: theme_trend(period, t, (resolved or {}).get(t), z) for t in themes},
                        group=labels[key],
                    )
                )
    if folders:
        notes.extend(_group_notes(folders, list(labels.values()), summaries is not None))
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
        not_statements=not_statements,
        notes=notes,
        duplicate_bulletins=len(duplicates),
        group=None if folders is None else group,
        groups=list(labels.values()) if folders else [],
        group_root=None if folders is None else folders.root,
        cut_short=cut + summaries_cut,
        not_scored_bulletins=not_scored_bulletins,
    )


def _record_problem(record, known) -> str | None:
    """Why ``record`` is no statement record of ``themes score`` (None when it is one)."""
    if not isinstance(record, dict):
        return f"expected a statement record (a dict), got {type(record).__name__}"
    if "bulletin" not in record:
        return (
            "not a statement record of `themes score` (no 'bulletin' field); "
            "trends reads what `themes score --out` writes, not the bulletins themselves"
        )
    bulletin = record["bulletin"]
    if not isinstance(bulletin, (str, int)) or isinstance(bulletin, bool):
        return f"'bulletin' must be a string, got {bulletin!r}"
    if "themes" not in record:
        summary = "status" in record  # a line of the --summary file, one per bulletin
        return "not a statement record of `themes score` (no 'themes' field)" + (
            "; this is a bulletin summary (`--summary`): trends reads the statements file (`--out`)" if summary else ""
        )
    tagged = record.get("themes") or []
    if not isinstance(tagged, list) or not all(isinstance(t, str) for t in tagged):
        return f"'themes' must be a list of theme ids, got {tagged!r}"
    unknown = [t for t in tagged if t not in known]
    if unknown:
        from themes.taxonomy import THEME_IDS

        return f"unknown theme id {unknown[0]!r} in 'themes'; the themes are {', '.join(THEME_IDS)}"
    return None


def _not_scored_bulletins(unscored: list[tuple], by: str, folders: FolderGroups | None) -> list[dict]:
    """:attr:`Trends.not_scored_bulletins` from what ``trends`` kept of each (the groups are
    named once every bulletin is read: the root they are below may have moved up)."""
    out = []
    for where, bulletin, date, parts, statements, reason in unscored:
        entry = {
            "bulletin": bulletin,
            "where": where,
            "date": date,
            "period": period_of(date, by) if valid_date(date) else None,
            "statements": statements,
            "reason": reason,
        }
        if folders:
            entry["group"] = folders.label(folders.key(parts))
        out.append(entry)
    return out


def _not_scored_note(bulletins: list[dict], shown: int = 3) -> str:
    """The note naming the bulletins none of whose statements was scored (the first few).

    Examples
    --------
    >>> print(_not_scored_note([{"bulletin": "uk.txt", "period": "2025-03", "reason": "in Ukrainian"}]))
    1 bulletin had no statement scored and is not counted in 'bulletins': uk.txt (2025-03: in Ukrainian)
    """
    n = len(bulletins)
    named = ", ".join(f"{b['bulletin']} ({b['period'] or 'undated'}: {b['reason']})" for b in bulletins[:shown])
    more = f", and {n - shown} more (--json, to_dict(): not_scored_bulletins lists them all)" if n > shown else ""
    counted = "is not counted" if n == 1 else "are not counted"
    return f"{_n(n, 'bulletin')} had no statement scored and {counted} in 'bulletins': {named}{more}"


def _group_notes(folders: FolderGroups, groups: list[str], summaries: bool = False) -> list[str]:
    """What an analyst grouping by folder should know: bulletins directly in the root, one
    group only, absolute and relative paths mixed."""
    notes = []
    # Relative paths that share no folder were found from the folder the scoring run started in.
    root = folders.root if folders.root != "." else "the folder themes score ran in (.)"
    if folders.absolute and folders.relative:
        notes.append(
            "the bulletins' paths are absolute in some records and relative in others (scored from different "
            "folders?): they share no folder, so the groups are the tops of their paths; score the archive with one "
            "spelling of its path to group it by body"
        )
    if groups == ["."]:
        # A JSON Lines archive's records name their bulletins by id: the summaries say the file.
        hint = "" if summaries else (
            "; to group the records of JSON Lines archives by their .jsonl file, give the run's summaries "
            "(themes trends SCORES --group folder --summary bulletins.jsonl)"
        )
        notes.append(
            f"every dated bulletin is directly in {root} (or is a JSON Lines id without '/'): grouping by folder "
            f"gives one group, '.'{hint}"
        )
    elif "." in groups:
        notes.append(f"group '.' holds the bulletins directly in {root}, in no folder below it")
    elif len(groups) == 1:
        notes.append(f"every dated bulletin is in {groups[0]} below {root}: one group")
    return notes
