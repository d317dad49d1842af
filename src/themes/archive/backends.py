"""Where chunks of files are scored: local processes (joblib) or a Dask cluster.

Each backend takes the chunks and ``work``, a picklable function from a chunk to its
list of events, and yields the events of every chunk in input order.
"""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

# SchedulerUnreachableError lives in themes.errors with the other errors; it is imported
# here too, where it is raised, for code that imported it from this module.
from themes.errors import SchedulerUnreachableError, missing_extra

__all__ = ["SchedulerUnreachableError", "chunks", "dask_events", "joblib_events"]


def chunks(items: list, size: int) -> Iterator[list]:
    """``items`` in consecutive lists of at most ``size``.

    Examples
    --------
    >>> list(chunks([1, 2, 3, 4, 5], 2))
    [[1, 2], [3, 4], [5]]
    """
    for start in range(0, len(items), size):
        yield items[start : start + size]


def joblib_events(parts: Iterable[list], jobs: int, work: Callable[[list], list]) -> Iterator:
    """Score the chunks in ``jobs`` local processes (loky), results in order."""
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator", pre_dispatch="2*n_jobs")
    outputs = parallel(delayed(work)(chunk) for chunk in parts)
    try:
        for events in outputs:
            yield from events
    finally:
        # Stopped early (Ctrl-C, a failed write): joblib cancels the chunks in flight and warns
        # "N tasks have been successfully executed but not used ... adjusting the input task
        # iterator", advice meant for its caller, printed after 'themes: interrupted ...'. The
        # bulletins of those chunks were not written and --resume scores them: nothing to say.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*tasks (have been successfully executed|which were still being processed)", category=UserWarning)
            outputs.close()


def _dask_client(scheduler):
    try:
        from dask.distributed import Client
    except ImportError:
        raise missing_extra("dask[distributed]", "dask", "scoring on a Dask cluster") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    try:
        return Client(address, set_as_default=False), True
    except (OSError, TimeoutError) as exc:  # distributed raises OSError("Timed out trying to connect ...")
        raise SchedulerUnreachableError(
            f"--scheduler {address}: no Dask scheduler answered there ({exc}); start one (dask scheduler, "
            "then dask worker ADDRESS) or check the address, host and port"
        ) from None


def dask_events(parts: Iterable[list], scheduler, work: Callable[[list], list]) -> Iterator:
    """Score the chunks on a Dask cluster, a sliding window of tasks, results in order."""
    client, owned = _dask_client(scheduler)
    pending: deque = deque()
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        parts = iter(parts)
        # A sliding window keeps every worker busy while results are taken in order.
        for chunk in islice(parts, 2 * workers):
            pending.append(client.submit(work, chunk, pure=False))
        while pending:
            events = pending.popleft().result()
            nxt = next(parts, None)
            if nxt is not None:
                pending.append(client.submit(work, nxt, pure=False))
            yield from events
    finally:
        for future in pending:
            future.cancel()
        if owned:
            client.close()
