"""Memory of `newsbot run` on a small server: idle and peak PSS of the whole process tree.

    .venv/bin/python -m bench.memory                  # five feeds × 20 items, SQLite
    .venv/bin/python -m bench.memory --feeds 100 --items 10 --cycles 2   # a backlog, then 304s

Starts the real `newsbot run` (a subprocess, as an operator would) against the fake Bot
API and a feed server on 127.0.0.1, both in this process so they count for nothing.
While the bot runs, the PSS of its process and every descendant (summariser workers, a
fork server) is read from ``/proc/<pid>/smaps_rollup`` five times a second. After each
ingest cycle's log line it waits ``--settle`` seconds and reports the idle PSS (the
largest sample of the following ``--idle`` seconds): what the bot holds between cycles,
which is what a 512 MB server has to spare. PSS divides shared pages among the processes
that share them, so the per-process figures add up to the tree's.

Articles come from the evaluation data (NEWSBOT_SHARED_DATA, ../shared/data) when it is
there, otherwise from generated text. Never part of the test pass/fail.
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from bench.process_memory import descendants, pss_kib
from tests.support.env import environment_without_settings
from tests.support.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.support.feed_server import (
    T0,
    FeedServer,
    Item,
    load_all,
    populate_bench,
)

ROOT = Path(__file__).resolve().parent.parent


def _name(pid: int, root: int) -> str:
    if pid == root:
        return "newsbot run"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            text = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"
    if "resource_tracker" in text:
        return "resource tracker"
    if "forkserver" in text and pid in _children(root):
        return "fork server"
    return "worker"


def _children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            return {int(p) for p in children.read().split()}
    except OSError:
        return set()


def tree_pss(pid: int) -> dict[int, int]:
    """PSS in KiB of ``pid`` and each of its descendants."""
    return {p: pss_kib(p) for p in [pid, *descendants(pid)]}


def _synthetic_items(count: int) -> list[Item]:
    words = [
        *("council", "minister", "market", "river", "school", "budget", "station"),
        *("energy", "report", "harbour", "vote", "season", "farmers", "museum"),
        *("engineers", "storm", "league", "hospital", "airport", "festival", "court"),
    ]
    items = []
    for n in range(count):
        sentences = [
            f"The {words[(n + k) % len(words)]} {words[(n * 3 + k) % len(words)]} "
            f"said on day {k} that plan {n} would change how the town works."
            for k in range(12)
        ]
        items.append(
            Item(
                id=f"synthetic-{n}",
                title=f"Plan {n} for the {words[n % len(words)]}",
                text="\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 12, 3)),
                category="business",
                published_at=T0 - timedelta(minutes=7 * n),
            )
        )
    return items


def _pool(count: int) -> list[Item]:
    for candidate in (os.environ.get("NEWSBOT_SHARED_DATA"), ROOT.parent / "shared" / "data"):
        if candidate and Path(candidate, "bbc_news_summary").is_dir():
            return load_all(Path(candidate))
    return _synthetic_items(count)


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.memory", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--feeds", type=int, default=5)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=1, help="ingest cycles to watch")
    # Past the analyser's 30 s idle time, so the figure is what stays up between cycles.
    parser.add_argument("--settle", type=float, default=40.0, help="seconds after a cycle")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle sampling")
    args = parser.parse_args()

    with (
        FakeBotApi(record_calls=False) as api,
        FeedServer() as feeds,
        tempfile.TemporaryDirectory() as tmp,
    ):
        populate_bench(feeds, _pool(args.feeds * args.items), feeds=args.feeds, items=args.items)
        sources = Path(tmp, "sources.toml")
        sources.write_text(
            "".join(
                f'[[source]]\nname = "Feed {f}"\nurl = "{feeds.url(f"/bench/{f}.xml")}"\n'
                'topics = ["world"]\nlanguage = "en"\n\n'
                for f in range(args.feeds)
            ),
            encoding="utf-8",
        )
        env = {
            **environment_without_settings(),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "TELEGRAM_BASE_FILE_URL": api.base_file_url,
            "NEWSBOT_DATA_DIR": tmp,
            "NEWSBOT_SOURCES": str(sources),
            "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            "NEWSBOT_INGEST_INTERVAL_MINUTES": "1",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        cycles: queue.Queue[str] = queue.Queue()

        def read_log() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                if "ingest: sources:" in line or "ingest skipped" in line:
                    cycles.put(line.strip().split("ingest: ")[-1])

        threading.Thread(target=read_log, daemon=True).start()
        peak: dict[int, int] = {}
        peak_total = 0
        names: dict[int, str] = {}  # read while the process lives: workers come and go

        def sample() -> dict[int, int]:
            nonlocal peak, peak_total
            now = tree_pss(process.pid)
            for pid in now:
                if pid not in names:
                    names[pid] = _name(pid, process.pid)
            if sum(now.values()) > peak_total:
                peak, peak_total = now, sum(now.values())
            return now

        def watch(seconds: float) -> dict[int, int]:
            """The largest sample (per process) of the next ``seconds``."""
            highest: dict[int, int] = {}
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                now = sample()
                if sum(now.values()) > sum(highest.values()):
                    highest = now
                time.sleep(0.2)
            return highest

        try:
            print(f"newsbot run with {args.feeds} feeds × {args.items} items on SQLite")
            for cycle in range(1, args.cycles + 1):
                while True:
                    if process.poll() is not None:
                        raise SystemExit(f"newsbot run exited with {process.returncode}")
                    try:
                        line = cycles.get(timeout=0.2)
                        break
                    except queue.Empty:
                        sample()
                print(f"cycle {cycle}: {line}")
                watch(args.settle)
                idle = watch(args.idle)
                parts = ", ".join(f"{names.get(p, '?')} {_mib(k)}" for p, k in idle.items())
                print(
                    f"cycle {cycle}: idle PSS {_mib(sum(idle.values()))} "
                    f"({len(idle)} processes: {parts})"
                )
            parts = ", ".join(f"{names.get(p, '?')} {_mib(k)}" for p, k in peak.items())
            print(f"peak PSS {_mib(peak_total)} ({len(peak)} processes: {parts})")
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
