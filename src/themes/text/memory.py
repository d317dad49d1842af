"""Large arrays without transparent huge pages, while themes reads a batch.

numpy asks the kernel for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every
array of 4 MB or more. Where the kernel honours that ("madvise" mode) and memory is
fragmented, each first touch of such an array stops for the kernel to assemble a 2 MB
page: on the 2-core machine this project is measured on, after ten hours of uptime, filling
a fresh 16 MB array took 130 to 330 ms with huge pages and 9 ms without (4 KB pages, 1.7 us
each), and training spent a quarter of its time in the kernel. A batch that meets new words
grows the token cache's arrays, so it paid that on every growth.

:func:`small_pages` turns numpy's request off while themes reads a batch and restores it
when the last reader leaves, so the user's own arrays keep numpy's setting outside those
calls. Without numpy's switch (a numpy that has none), it does nothing.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

try:  # numpy 2
    from numpy._core.multiarray import _set_madvise_hugepage
except ImportError:  # pragma: no cover - numpy 1.x
    try:
        from numpy.core.multiarray import _set_madvise_hugepage
    except ImportError:
        _set_madvise_hugepage = None

__all__ = ["enter_small_pages", "leave_small_pages", "small_pages"]

_lock = threading.Lock()
_depth = 0
_saved = True


def enter_small_pages() -> None:
    """Turn numpy's huge-page request off (until the matching :func:`leave_small_pages`)."""
    global _depth, _saved
    with _lock:
        if _depth == 0 and _set_madvise_hugepage is not None:
            _saved = _set_madvise_hugepage(False)
        _depth += 1


def leave_small_pages() -> None:
    """Undo one :func:`enter_small_pages`; the last one restores numpy's setting."""
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _set_madvise_hugepage is not None:
            _set_madvise_hugepage(_saved)


@contextmanager
def small_pages():
    """numpy's huge-page request off inside the block (re-entrant, across threads too).

    Examples
    --------
    >>> import numpy as np
    >>> with small_pages():
    ...     table = np.zeros((1024, 1024))  # 8 MB, in 4 KB pages
    >>> float(table.sum())
    0.0
    """
    enter_small_pages()
    try:
        yield
    finally:
        leave_small_pages()
