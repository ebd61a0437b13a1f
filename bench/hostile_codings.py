"""Compression bombs against the real fetch paths: peak memory and time of each.

    .venv/bin/python -m bench.hostile_codings            # 1 GiB decoded per bomb
    .venv/bin/python -m bench.hostile_codings --gib 0.25 # smaller, quicker

A local server (127.0.0.1, in this process) serves, compressed from 1 GiB of zeros:
a page and a feed sent with ``Content-Encoding: gzip, gzip`` (a few KB on the wire),
and a page and a feed gzipped once (about 1 MB on the wire, 1 GiB decoded). Each case
runs the real command in a fresh process: ``newsbot ingest`` (the feed as a source, or
a teaser feed whose item links to the page) and ``newsbot summarize URL`` (the
reader-link path of /summarize). Printed per case: the outcome (the refusal or the cap),
wall time, and the peak RSS of that process (``wait4``'s ru_maxrss, its workers
included). The bar: every peak ≤ 400 MB. Never part of the test pass/fail.

``main()`` is also called by ``bench.hostile``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from tests.support.feed_server import FeedServer, Resource

ROOT = Path(__file__).resolve().parent.parent

BAR_MB = 400
CALM_PAGE = (
    "<html lang='en'><head><title>Calm day</title></head><body><article><h1>Calm day</h1>"
    + "".join(
        f"<p>Paragraph {i}: the harbour master said the ferries run on time again, and "
        f"the market on the quay opens at {i % 9 + 7} o'clock as usual.</p>"
        for i in range(12)
    )
    + "</article></body></html>"
).encode()
CHUNK = 1 << 20


def gzip_of_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, compressed a MiB at a time (never held decoded)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(CHUNK)
    parts = [compressor.compress(zeros) for _ in range(size // CHUNK)]
    parts.append(compressor.compress(bytes(size % CHUNK)))
    parts.append(compressor.flush())
    return b"".join(parts)


def gzip_once_more(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


@dataclass(frozen=True)
class Outcome:
    case: str
    wire_bytes: int
    seconds: float
    peak_mb: float
    result: str


def _measured(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str, str]:
    """(seconds, peak RSS in MB, stdout, stderr) of ``newsbot ARGS`` in a fresh process.

    The peak is the process's own ``ru_maxrss`` from ``wait4`` (its reaped workers
    included), so nothing else running on the machine is counted.
    """
    out_file, err_file = cwd / "stdout.txt", cwd / "stderr.txt"
    start = time.perf_counter()
    with out_file.open("w") as out, err_file.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, stdout=out, stderr=err
        )
        _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(_status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, out_file.read_text(), err_file.read_text()


def _env(tmp: Path, sources: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env.pop("DATABASE_URL", None)
    env |= {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'newsbot.db'}",
        "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "NEWSBOT_DATA_DIR": str(tmp),
        "NEWSBOT_FETCH_TIMEOUT_SECONDS": "120",
    }
    if sources is not None:
        env["NEWSBOT_SOURCES"] = str(sources)
    return env


def _teaser_feed(page_url: str) -> bytes:
    now = format_datetime(datetime.now(UTC))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bombs</title>'
        f"<link>{page_url}</link><item><title>A page</title><link>{page_url}</link>"
        f"<guid>{page_url}</guid><pubDate>{now}</pubDate>"
        "<description>Something happened today.</description></item></channel></rss>"
    ).encode()


def _ingest_case(server: FeedServer, case: str, source_url: str, root: Path) -> Outcome:
    tmp = Path(tempfile.mkdtemp(prefix="hostile-", dir=root))
    sources = tmp / "sources.toml"
    sources.write_text(f'[[source]]\nname = "{case}"\nurl = "{source_url}"\n', encoding="utf-8")
    env = _env(tmp, sources)
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=tmp, env=env, check=True, capture_output=True
    )
    seconds, peak, out, err = _measured(["ingest"], env, tmp)
    listing = subprocess.run(
        [sys.executable, "-m", "bot", "sources"], cwd=tmp, env=env, capture_output=True, text=True
    ).stdout
    errors = [line.strip() for line in listing.splitlines() if "last error" in line]
    pages = [line.split(": ", 2)[-1] for line in err.splitlines() if ": page http" in line]
    done = [line.strip() for line in out.splitlines() if "article pages fetched" in line]
    result = (errors or pages or done or [err.strip()[-200:]])[0]
    return Outcome(case, 0, seconds, peak, result)


def _link_case(case: str, url: str, root: Path) -> Outcome:
    tmp = Path(tempfile.mkdtemp(prefix="hostile-", dir=root))
    seconds, peak, out, err = _measured(["summarize", url], _env(tmp), tmp)
    return Outcome(case, 0, seconds, peak, (err.strip() or out.strip()).splitlines()[-1])


def run(gib: float) -> list[Outcome]:
    size = int(gib * (1 << 30))
    once = gzip_of_zeros(size)
    twice = gzip_once_more(once)
    stacked = {"Content-Encoding": "gzip, gzip"}
    single = {"Content-Encoding": "gzip"}
    outcomes: list[Outcome] = []
    with FeedServer() as server, tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        html = "text/html; charset=utf-8"
        pages = {
            "double": server.add("/double.html", Resource(twice, html, headers=stacked)),
            "single": server.add("/single.html", Resource(once, html, headers=single)),
            "small": server.add(
                "/small.html",
                Resource(CALM_PAGE, html),
            ),
        }
        feeds = {
            "double": server.add("/double.xml", Resource(twice, headers=stacked)),
            "single": server.add("/single.xml", Resource(once, headers=single)),
        }
        teasers = {
            k: server.add(f"/teasers-{k}.xml", Resource(_teaser_feed(u))) for k, u in pages.items()
        }
        wire = {"double": len(twice), "single": len(once), "small": 0}
        cases = [
            ("baseline: newsbot ingest, teaser page of 2 KB", "small", "ingest-page"),
            ("newsbot ingest, teaser page gzip,gzip", "double", "ingest-page"),
            ("newsbot ingest, feed gzip,gzip", "double", "ingest-feed"),
            ("newsbot ingest, teaser page gzip once", "single", "ingest-page"),
            ("newsbot ingest, feed gzip once", "single", "ingest-feed"),
            ("baseline: reader link of 2 KB", "small", "link"),
            ("reader link (newsbot summarize), gzip,gzip", "double", "link"),
            ("reader link (newsbot summarize), gzip once", "single", "link"),
        ]
        for name, kind, path in cases:
            if path == "ingest-page":
                outcome = _ingest_case(server, name, teasers[kind], root)
            elif path == "ingest-feed":
                outcome = _ingest_case(server, name, feeds[kind], root)
            else:
                outcome = _link_case(name, pages[kind], root)
            outcomes.append(
                Outcome(name, wire[kind], outcome.seconds, outcome.peak_mb, outcome.result)
            )
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.hostile_codings", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--gib", type=float, default=1.0, help="decoded size of each bomb")
    args = parser.parse_args(argv)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"compression bombs of {args.gib:g} GiB decoded; cap NEWSBOT_FETCH_MAX_BYTES default")
    print(f"load before: {load}")
    outcomes = run(args.gib)
    width = max(len(o.case) for o in outcomes)
    print(f"{'case':<{width}}  {'wire':>10}  {'time':>7}  {'peak RSS':>9}  outcome")
    for o in outcomes:
        wire = f"{o.wire_bytes:,}" if o.wire_bytes else "-"
        print(f"{o.case:<{width}}  {wire:>10}  {o.seconds:6.1f}s  {o.peak_mb:6.0f} MB  {o.result}")
    worst = max(o.peak_mb for o in outcomes)
    verdict = "met" if worst <= BAR_MB else "NOT met"
    print(f"bar: every peak <= {BAR_MB} MB: {verdict} (worst {worst:.0f} MB)")
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"load after: {load}")
    return 0 if worst <= BAR_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
