"""One core means one core: a benchmark that measures per-core throughput imports this
module before anything that imports numpy (sumy's LexRank, TextRank and LSA use BLAS
through it), so BLAS stays single-threaded, and calls :func:`pin_to_one_core` to pin the
process. ``bench`` sorts before the project's packages, so a plain
``from bench.one_core import pin_to_one_core`` at the top of the module is early enough.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def pin_to_one_core() -> str:
    """Pin this process to its lowest allowed CPU; what was done, for the report."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to CPU {core}"
