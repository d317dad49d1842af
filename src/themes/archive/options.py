"""The parameters of a scoring run, as one frozen, validated value.

:func:`~themes.archive.score_archive` and :func:`~themes.archive.write_scores` take them
as keyword arguments and build a :class:`ScoreOptions`; the pipeline, the backends and
the workers receive that one value instead of ten arguments each.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from themes.errors import parameter_error

__all__ = ["BACKENDS", "SCHEDULER_ADDRESS", "ScoreOptions"]

#: A Dask scheduler's address: protocol://host:port (an IPv6 host in brackets), or inproc://. Checked
#: before any output is opened: Dask itself fails on a bad one only after a long wait.
SCHEDULER_ADDRESS = re.compile(
    r"(?:tcp|tls|ucx|ws|wss)://(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]@]+):\d{1,5}|inproc://\S+"  # inproc: a LocalCluster(processes=False)
)

#: Where a run scores: in this machine's processes, or on a Dask distributed cluster.
BACKENDS = ("local", "dask")


@dataclass(frozen=True)
class ScoreOptions:
    """How an archive is scored.

    Attributes
    ----------
    threshold : float or dict, optional
        Threshold override, as for :func:`themes.classify`.
    jobs : int, default=1
        Processes for ``backend="local"`` (joblib); 1 scores in this process.
    backend : {"local", "dask"}, default="local"
    scheduler : str or dask.distributed.Client, optional
        For ``backend="dask"``: the scheduler's address or a connected client.
    batch_size : int, default=256
        Statements classified at once, across consecutive bulletins.
    chunk_size : int, default=8
        Files per task for the parallel backends.
    max_evidence : int, default=5
        Evidence statements kept per theme in each summary.
    skip : frozenset of str
        Bulletin ids not to score (a resumed run's finished bulletins).
    exclude : tuple of path
        Files never read as input (the run's own outputs).

    Raises
    ------
    themes.errors.ParameterError
        A value it cannot take (checked on creation).

    Examples
    --------
    >>> ScoreOptions(jobs=2).parallel
    True
    >>> ScoreOptions(batch_size=0)
    Traceback (most recent call last):
    ...
    themes.errors.ParameterError: The 'batch_size' parameter of ScoreOptions must be an int >= 1. Got 0 instead.
    """

    threshold: object = None
    jobs: int = 1
    backend: str = "local"
    scheduler: object = None
    batch_size: int = 256
    chunk_size: int = 8
    max_evidence: int = 5
    skip: frozenset = frozenset()
    exclude: tuple = ()

    def __post_init__(self) -> None:
        _check(self, "ScoreOptions")
        object.__setattr__(self, "skip", frozenset(self.skip))
        object.__setattr__(self, "exclude", tuple(self.exclude))

    @classmethod
    def of(cls, caller: str, **values) -> ScoreOptions:
        """Options from keyword arguments, a bad value named as a parameter of ``caller``."""
        _check(_Values(values), caller)
        return cls(**values)

    @property
    def parallel(self) -> bool:
        """True when files are scored in other processes or on other machines."""
        return self.backend == "dask" or self.jobs > 1

    def for_workers(self) -> ScoreOptions:
        """The options a worker needs: it scores in itself (and a scheduler client cannot be pickled)."""
        return dataclasses.replace(self, jobs=1, backend="local", scheduler=None, exclude=())


class _Values:
    """Keyword arguments read as attributes, defaults filled in."""

    def __init__(self, values: dict):
        unknown = set(values) - {f.name for f in dataclasses.fields(ScoreOptions)}
        if unknown:
            raise TypeError(f"ScoreOptions has no parameter {sorted(unknown)[0]!r}")
        self.__dict__.update({f.name: f.default for f in dataclasses.fields(ScoreOptions)}, **values)


def _check_int(value, name: str, caller: str, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise parameter_error(name, caller, f"an int >= {minimum}", value)


def _check(values, caller: str) -> None:
    _check_int(values.jobs, "jobs", caller, 1)
    _check_int(values.batch_size, "batch_size", caller, 1)
    _check_int(values.chunk_size, "chunk_size", caller, 1)
    _check_int(values.max_evidence, "max_evidence", caller, 0)
    if values.backend not in BACKENDS:
        raise parameter_error("backend", caller, "'local' or 'dask'", values.backend)
    if values.backend == "local" and values.scheduler is not None:
        # It was ignored: the run scored on this machine while the caller meant a cluster.
        raise parameter_error(
            "scheduler", caller, "None with backend='local' (a scheduler is used with backend='dask' only)",
            values.scheduler,
        )
    if values.backend == "dask" and values.scheduler is None:
        raise parameter_error(
            "scheduler", caller, "a Dask scheduler address (or Client) when backend='dask'", None
        )
    if values.backend == "dask" and isinstance(values.scheduler, str) and not SCHEDULER_ADDRESS.fullmatch(values.scheduler):
        raise parameter_error(
            "scheduler", caller, "a Dask scheduler address such as 'tcp://HOST:PORT' (or a Client)", values.scheduler
        )
    if isinstance(values.skip, (str, bytes)) or not isinstance(values.skip, Iterable):
        raise parameter_error("skip", caller, "an iterable of bulletin ids", values.skip)
    if isinstance(values.exclude, (str, bytes)) or not isinstance(values.exclude, Iterable):
        raise parameter_error("exclude", caller, "an iterable of paths", values.exclude)
