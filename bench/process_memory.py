"""Memory of a process tree, read from /proc (Linux): what the benches print as peaks."""

from __future__ import annotations

import os
import threading


def _field_kib(path: str, field: str) -> int:
    try:
        with open(path, encoding="ascii") as lines:
            for line in lines:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid: int) -> int:
    """Resident set of ``pid`` in KiB (0 once it is gone)."""
    return _field_kib(f"/proc/{pid}/status", "VmRSS:")


def pss_kib(pid: int) -> int:
    """Proportional set of ``pid`` in KiB: shared pages divided among their users, so the
    sum over a tree is what the tree really costs (0 once it is gone)."""
    return _field_kib(f"/proc/{pid}/smaps_rollup", "Pss:")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of ``pid`` so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class TreeSampler:
    """Samples this process and its descendants, except ``exclude`` and what it started
    (a server under test), every ``interval`` seconds, on a thread, while in a ``with``.

    ``rss_kib`` is the peak of the summed RSS; it counts the pages the workers share (the
    preloaded libraries) once per worker. With ``pss=True`` it also keeps the peak of the
    summed PSS, which divides each shared page among its sharers (what the tree really
    costs the machine), and each process's own peak PSS. ``cpu_by_pid`` holds each
    descendant's CPU seconds as last seen (workers end with their pool).
    """

    def __init__(self, exclude: int, *, interval: float, pss: bool = False) -> None:
        self.exclude = exclude
        self.interval = interval
        self.pss = pss
        self.rss_kib = 0
        self.pss_kib = 0
        self.pss_by_pid: dict[int, int] = {}
        self.cpu_by_pid: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.interval):
            skip = {self.exclude, *descendants(self.exclude)}
            workers = [p for p in descendants(me) if p not in skip]
            pids = [me, *workers]
            self.rss_kib = max(self.rss_kib, sum(rss_kib(p) for p in pids))
            for pid in workers:
                self.cpu_by_pid[pid] = cpu_seconds(pid)
            if self.pss:
                sizes = {p: pss_kib(p) for p in pids}
                self.pss_kib = max(self.pss_kib, sum(sizes.values()))
                for pid, size in sizes.items():
                    self.pss_by_pid[pid] = max(self.pss_by_pid.get(pid, 0), size)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
