"""The progress bar of a run (tqdm, when installed) and where failure lines go."""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["Progress"]


class Progress:
    """A tqdm bar on stderr when ``enabled`` and tqdm is installed; else nothing is drawn.

    :meth:`tell` prints a line above the bar, or hands it to ``report``.

    Examples
    --------
    >>> lines = []
    >>> progress = Progress(False, total=3, report=lines.append)
    >>> progress.tell("failed: x"); progress.file_done(); progress.close()
    >>> lines
    ['failed: x']
    """

    def __init__(self, enabled: bool, total: int, report: Callable[[str], None] | None = None):
        self.report = report
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # the ``progress`` extra is optional: no bar, no error
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=total, unit="file", desc="scoring", file=sys.stderr, dynamic_ncols=True)

    def tell(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        elif self.report is not None:
            self.report(message)

    def file_done(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def bulletin_done(self, scored: int, statements: int) -> None:
        if self.bar is not None:
            rate = statements / max(self.bar.format_dict.get("elapsed", 0) or 1e-9, 1e-9)
            self.bar.set_postfix_str(f"{scored} bulletins, {rate:.0f} statements/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
