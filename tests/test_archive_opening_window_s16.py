"""score_archive reads a bulletin's title and date from one opening window, computed once per
bulletin (session 16: it was computed twice, once for the date and once for the title)."""

from __future__ import annotations

from themes import score_archive
from themes.archive import summary


def test_the_opening_window_is_computed_once_per_bulletin(tmp_path, monkeypatch):
    for name, text in [
        ("2025-11-17-council.txt", "Council meets in Minsk\nMINSK, 17 November 2025 -\nThe Council met.\n"),
        ("ru.txt", "Заседание Совета\n\nМОСКВА, 17 ноября 2025 года. Совет провёл заседание.\n"),
        ("plain.txt", "The Council discussed drones.\n"),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    calls = []
    window = summary.opening_window

    def counted(first):
        calls.append(len(first))
        return window(first)

    monkeypatch.setattr(summary, "opening_window", counted)
    results = list(score_archive(tmp_path))
    assert len(results) == 3 and all(r.summary["status"] == "ok" for r in results)
    assert len(calls) == 3
    titles = {r.summary["path"].rsplit("/", 1)[-1]: (r.summary["title"], r.date) for r in results}
    assert titles["2025-11-17-council.txt"] == ("Council meets in Minsk", "2025-11-17")
