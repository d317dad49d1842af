"""A run stopped early (Ctrl-C during `themes score --jobs 2`) closes the joblib generator
without joblib's warning about tasks 'successfully executed but not used', which was printed
after 'themes: interrupted ...; run the same command with --resume' and read as a fault."""

from __future__ import annotations

import time
import warnings

from themes.archive.backends import joblib_events


def _slow_work(chunk):
    time.sleep(0.05)
    return list(chunk)


def test_closing_the_joblib_events_early_does_not_warn():
    parts = [[i] for i in range(40)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        events = joblib_events(parts, 2, _slow_work)
        assert next(events) == 0
        time.sleep(0.5)  # let chunks finish that will not be used
        events.close()
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "tasks" in m and "not used" in m or "cancelled" in m], messages


def test_joblib_events_still_yields_every_event_in_order():
    assert list(joblib_events([[1, 2], [3], [4, 5]], 2, _slow_work)) == [1, 2, 3, 4, 5]
