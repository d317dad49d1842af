"""Score archives of bulletins: read, segment, classify, summarise, write; resume; scale out.

:func:`score_archive` is the Python entry point: it yields one :class:`BulletinResult`
per bulletin (its statement records and its summary), in input order.
:func:`write_scores` is what ``themes score`` runs: the same scoring written to a JSON
Lines or CSV file, bulletin by bulletin, under a lock, resumable.

One record per statement::

    {"bulletin": "archive/2024-03-12.txt", "date": "2024-03-12", "index": 3,
     "start": 120, "end": 181, "kind": "bullet", "text": "...", "context": "...",
     "themes": ["uav"], "scores": {"financing": 0.01, ...}, "model": "themes-...",
     "truncated": false}

``bulletin`` is the file's path as found (or the ``id`` of a JSON Lines record);
``date`` comes from a JSON Lines record's ``date`` field, else the dateline, else a date
in the file name, else a date opening the first statement, else the file's metadata (a PDF's or DOCX's creation date, often the day
the file was made rather than the meeting); the summary says which, as ``date_source``
(``record``, ``dateline``, ``file name``, ``text``, ``metadata``). Offsets index the text the reader
produced: for .txt and .md files, the decoded file itself.

Nothing is lost and nothing stops a run: a file, a JSON Lines record or a folder that
cannot be read or scored (a damaged PDF, a record with a lone surrogate or nested
100,000 deep, a file name that is not UTF-8, a folder without read permission) becomes
one failed bulletin with its reason, in the summary and on stderr, and the rest is
scored; ``themes score`` then exits 1.

A bulletin whose text is that of an earlier one (a bulletin saved twice, a hard link) is
scored all the same; its summary's ``duplicate_of`` names the first, with ``jobs`` and on
resume alike, and :func:`themes.trends.trends` counts it once unless asked otherwise. Both
tell a copy by one digest, of the statement records as written (``statements_sha256``,
:class:`~themes.archive.summary.StatementsDigest`), which trends takes of the records it
reads; ``text_sha256`` is the digest of the text as read, taken as the text passes to the
segmenter.

Crash safety and resume: records are written bulletin by bulletin and flushed after
each, so an interrupted run loses at most the bulletin in flight. With ``resume``, the
output is scanned: every bulletin but the last one found in it is complete (with a
summary file, only while its summary record is there too) and is skipped; from the first
bulletin that is not, the output is truncated away and scored again, so no statement is
ever written twice. The last bulletin without a summary record is taken back only when
this run scores it again; one outside the paths given is kept. A file is known by its
identity on disk (device and inode): an id in the output, a path as the writing run
spelled it, is looked for from the resuming run's folder and from the output's folder, so
a run resumed with an absolute path, or from the folder above or below the first one
with the output named accordingly, skips the same files; an id found from neither that
may name one of the inputs stops the run rather than be written twice.
Summary records of bulletins that are not complete are dropped the same way (failed
bulletins are therefore retried). The lock is taken on the output's resolved path, so a
second run writing through a symbolic link is refused too.

Parallel scoring: ``jobs=N`` runs chunks of files in N processes (joblib); with
``backend="dask"`` the chunks run on a Dask distributed cluster. Either way the output
is in input order and identical to a single-process run. Workers load the model from
its folder (and read the bulletin files), so both must be reachable from every worker.

Memory stays flat: files are listed (paths only), then read one at a time; a large
plain-text, PDF or JSON Lines file is streamed and scored in batches. Parallel workers
return whole bulletins, so there one bulletin's records are held at a time per task.

The package, along the flow of a run:

- :mod:`~themes.archive.options`: :class:`ScoreOptions`, the run's parameters, frozen and checked;
- :mod:`~themes.archive.files`: listing files (unreadable folders reported), file identity;
- :mod:`~themes.archive.summary`: a bulletin's date, title and summary record;
- :mod:`~themes.archive.records`: statement records, results, the report, the events;
- :mod:`~themes.archive.pipeline`: read -> segment -> classify -> events; :func:`score_archive`;
- :mod:`~themes.archive.backends`: chunks of files on joblib processes or a Dask cluster;
- :mod:`~themes.archive.output`: JSON Lines / CSV encoding and the resume scan;
- :mod:`~themes.archive.lock`: one writer per output (``filelock``);
- :mod:`~themes.archive.progress`: the progress bar;
- :mod:`~themes.archive.writer`: :func:`write_scores`.
"""

from __future__ import annotations

from themes.archive.lock import output_lock
from themes.archive.options import ScoreOptions
from themes.archive.pipeline import score_archive
from themes.archive.records import RECORD_FIELDS, BulletinResult, ScoreReport
from themes.archive.summary import date_from_filename
from themes.archive.writer import write_scores

__all__ = [
    "RECORD_FIELDS",
    "BulletinResult",
    "ScoreOptions",
    "ScoreReport",
    "date_from_filename",
    "output_lock",
    "score_archive",
    "write_scores",
]
