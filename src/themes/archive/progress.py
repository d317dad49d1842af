"""The progress bar of a run (tqdm, when installed) and where failure lines go."""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["Progress"]


class Progress:
    """A tqdm bar on stderr when ``enabled`` and tqdm is installed; else nothing is drawn.

    :meth:`tell` hands a line to ``report`` (which formats and prints it: ``themes score``
    prefixes ``themes: ``), with the bar cleared meanwhile and drawn again below it; with
    no ``report``, the line is printed above the bar as it is.

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
        if self.report is not None:
            # Through report with or without a bar: a failure line reads the same on a
            # terminal as in a log ("themes: failed: ..."; it lost its prefix under the bar).
            if self.bar is not None:
                with self.bar.external_write_mode(file=sys.stderr):
                    self.report(message)
            else:
                self.report(message)
        elif self.bar is not None:
            self.bar.write(message, file=sys.stderr)

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
