"""How themes rise and fall over time, from a scored archive.

:func:`trends` reads the statement records that ``themes score`` writes (JSON Lines or
CSV, or any iterable of such dicts), groups them by the bulletin's date into months,
quarters or years, and reports per period the bulletins read (those with at least one
statement scored), the statements and, per theme:

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

What a trend counts: statements, that is sentences, bullets and headings that ``themes
score`` scored. A bulletin's title, its dateline and the lead-ins of its bullet lists
(``kind`` ``title``, ``dateline``, ``lead_in``) name, date or introduce statements and
say nothing themselves; they are left out of the counts (a lead-in still gives its
bullets their context when they are scored). Statements the model could not read
(``not_scored``) are left out too. Both are counted in the result and its notes. A
bulletin none of whose statements was scored (one in Ukrainian or Kazakh, which ``themes
score`` does not read) is no bulletin read: its period's ``bulletins`` leave it out, and a
note and ``Trends.not_scored_bulletins`` name it, its period and why. A
bulletin's date must be a calendar date (``2024-02-30`` is not): one that is not counts
as undated, with a note naming the first. A scores file (or a summaries file, with
``summaries``) that ends inside a record (a run stopped while writing it, to be finished
with ``themes score --resume``) has that last line left out, named in a note and in
``Trends.cut_short``; any other line that is no record is an error, which lists every such
line (or CSV row) of every file given (``file:line: why``). A JSON array (a list of records
saved whole) is no JSON Lines file, and the error says how to write one record per line.

The error rates come from ``rates`` when given, else from the manifest of ``model``,
else from the model named in the records, looked up among the default model and the
model folders beside it.

By source: ``trends(..., group="folder")`` gives the same figures per group and period,
a group being the first folder of a bulletin's path below the folder all the bulletins
share (``cis_atc`` for ``archive/cis_atc/2024/x.html``); ``"folder:N"`` keeps ``N``
folders. The rule, and what happens to files directly in that folder, is in
:mod:`~themes.trends.groups`.

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

The package: :mod:`~themes.trends.statistics` (periods, shares, the correction and its
interval), :mod:`~themes.trends.io` (reading scores, writing CSV long or wide),
:mod:`~themes.trends.groups` (grouping by source) and :mod:`~themes.trends.plot` (the image).
"""

from __future__ import annotations

from themes.trends.statistics import (
    MIN_DISCRIMINATION,
    NOT_STATEMENTS,
    PERIODS,
    PeriodTrend,
    Rates,
    ThemeTrend,
    Trends,
    error_rates,
    period_of,
    trends,
)

__all__ = [
    "MIN_DISCRIMINATION",
    "NOT_STATEMENTS",
    "PERIODS",
    "PeriodTrend",
    "Rates",
    "ThemeTrend",
    "Trends",
    "error_rates",
    "period_of",
    "trends",
]
