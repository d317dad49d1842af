"""Benchmark archive scoring: statements per second with 1 and 2 jobs, and peak memory.

    python bench/bench_archive.py [--bulletins 10000] [--jobs 1 2] [--model DIR] [--keep DIR]

Generates an archive of plain-text bulletins (title, dateline, paragraphs, lead-ins and
bullets; a fixed seed, so every run scores the same text) whose vocabulary keeps growing
as a real archive's does: every paragraph and bullet carries new words (names, places,
numbers, misspellings; ``speed_unseen.NewWords``), so the model meets words it has never
seen all along. Archives of 1/10 of ``--bulletins`` and of ``--bulletins`` are each scored
with ``write_scores`` once per job count, each in a fresh process; printed for each: wall
time, bulletins and statements per second, distinct words, and peak resident memory of
the main process and of its workers. Peak memory should not grow with the archive.

Not a test: nothing is asserted. Needs psutil (``bench`` extra) for the workers' memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed_unseen import NewWords  # noqa: E402 - a sibling script, not a package

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
CITIES = ["Minsk", "Astana", "Tashkent", "Bishkek", "Dushanbe", "Baku", "Yerevan", "Moscow"]
BODIES = ["Council of Heads of Security Agencies", "Anti-Terrorist Coordination Council",
          "working group on border security", "expert group on information security",
          "commission on the financing of terrorism"]
TOPICS = [
    "discussed the use of commercial drones by terrorist groups for reconnaissance",
    "agreed to freeze the assets of persons listed for financing terrorism",
    "reviewed the screening of foreign terrorist fighters returning from conflict zones",
    "approved the plan of joint anti-terrorist exercises for the next year",
    "noted the growth of illegal migration through mountain sections of the border",
    "called for the removal of terrorist propaganda from messengers and video platforms",
    "stressed the protection of airports, railway stations and energy facilities",
    "exchanged data on heroin and synthetic drug trafficking routes",
    "examined cyber-attacks on the information systems of state bodies",
    "heard a report on illicit trafficking in firearms and explosives",
    "assessed the terrorist threat in the region and its likely evolution",
    "signed a protocol on the exchange of information between the agencies",
    "considered programmes for the rehabilitation of convicts serving terrorism sentences",
]
CLOSINGS = [
    "The next meeting will be held in the autumn.",
    "The participants thanked the host country for its hospitality.",
    "The decisions of the meeting were adopted by consensus.",
]


def bulletin(rng: random.Random, n: int, words: NewWords) -> str:
    city = rng.choice(CITIES) if rng.random() < 0.7 else words.word([])
    body = rng.choice(BODIES)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2025)
    parts = [
        f"Meeting of the {body} No. {n}",
        f"{city}, {day} {MONTHS[month - 1]} {year}",
        words.insert(f"The {body} held its regular meeting in {city} under the chairmanship of {words.word([])}. "
                     f"Delegations of {rng.randint(3, 9)} member states took part."),
    ]
    for session in range(rng.randint(1, 3)):
        bullets = "\n".join(f"- {words.insert(t)};" for t in rng.sample(TOPICS, rng.randint(2, 5)))
        parts.append(f"During session {session + 1} the participants:\n{bullets}")
    parts.append(rng.choice(CLOSINGS))
    return "\n\n".join(parts) + "\n"


def generate(folder: Path, count: int, seed: int = 0) -> int:
    """Write ``count`` bulletins; returns the number of distinct words in them."""
    rng = random.Random(seed)
    words = NewWords(seed + 1)
    vocabulary: set[str] = set()
    for n in range(count):
        sub = folder / f"{n // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        text = bulletin(rng, n, words)
        vocabulary.update(text.lower().split())
        (sub / f"bulletin-{n:06d}.txt").write_text(text, encoding="utf-8")
    return len(vocabulary)


def _watch_children(peak: list, stop: threading.Event) -> None:
    try:
        import psutil
    except ImportError:
        return
    me = psutil.Process()
    while not stop.is_set():
        total = 0
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        peak[0] = max(peak[0], total)
        stop.wait(0.2)


def worker(archive: str, jobs: int, out: str, model: str | None) -> None:
    """Score once in this (fresh) process and print the figures as JSON."""
    from themes.api import get_model
    from themes.archive import write_scores

    get_model(model)  # load before timing: the model is loaded once per process anyway
    peak = [0]
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_children, args=(peak, stop), daemon=True)
    watcher.start()
    started = time.perf_counter()
    report = write_scores(archive, out, force=True, jobs=jobs, model=model, chunk_size=32)
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if os.path.exists("/proc/self/status"):  # VmHWM: ru_maxrss carries the parent's peak across exec on Linux
        with open("/proc/self/status") as status:
            rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({
        "seconds": seconds,
        "bulletins": report.scored,
        "failed": report.failed,
        "statements": report.statements,
        "peak_main_mb": rss_kib / 1024 if sys.platform != "darwin" else rss_kib / 1024 / 1024,
        "peak_workers_mb": peak[0] / 1024 / 1024,
    }))


def run_config(archive: Path, jobs: int, out: Path, model: str | None) -> dict:
    command = [sys.executable, __file__, "--worker", "--archive", str(archive), "--jobs", str(jobs), "--out", str(out)]
    if model:
        command += ["--model", model]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletins", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    parser.add_argument("--keep", default=None, metavar="DIR", help="generate the archive here and keep it")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--archive", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.archive, args.jobs[0], args.out, args.model)
        return

    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.keep) if args.keep else Path(scratch)
        big, small = base / f"archive-{args.bulletins}", base / f"archive-{args.bulletins // 10}"
        started = time.perf_counter()
        vocabulary = {}
        for folder, count in ((small, args.bulletins // 10), (big, args.bulletins)):
            vocabulary[folder] = generate(folder, count) if not folder.exists() else None
        print(f"generated {args.bulletins // 10} + {args.bulletins} bulletins in {time.perf_counter() - started:.1f} s "
              f"({sum(f.stat().st_size for f in big.rglob('*.txt')) / 1e6:.1f} MB); cpus: {os.cpu_count()}")
        rows = []
        for folder, count in ((small, args.bulletins // 10), (big, args.bulletins)):
            for jobs in args.jobs:
                figures = run_config(folder, jobs, base / f"scores-{folder.name}-{jobs}.jsonl", args.model)
                rows.append((f"{count:,} bulletins", jobs, vocabulary[folder], figures))
        header = (f"{'archive':<18} {'jobs':>4} {'distinct words':>14} {'seconds':>8} {'bulletins/s':>12} {'statements/s':>13} "
                  f"{'statements':>11} {'peak main MB':>13} {'peak workers MB':>16}")
        print(header)
        print("-" * len(header))
        for label, jobs, n_words, f in rows:
            print(f"{label:<18} {jobs:>4} {n_words if n_words is not None else 'kept':>14} {f['seconds']:>8.1f} "
                  f"{f['bulletins'] / f['seconds']:>12.0f} {f['statements'] / f['seconds']:>13.0f} {f['statements']:>11} "
                  f"{f['peak_main_mb']:>13.0f} {f['peak_workers_mb']:>16.0f}")


if __name__ == "__main__":
    main()
