"""How many threads the domain's kernels may use: the one seam between the domain code and the
way it is executed.

The cleaners, checks and classifiers spend their time in Arrow and pandas kernels that release
the GIL, so two columns (or two chains) at a time keep both cores of an agency's machine busy.
Whoever runs the pipeline decides how many: `census run` and `dagster dev` on one machine use
every core (the default, at most 2: more threads than that only added overhead when measured);
a deployment that runs several workers on one machine sets CENSUS_THREADS=1 per worker so they
do not fight over the cores. Results never depend on the number: work is always collected in
submission order."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

DEFAULT_MAX = 2


def threads() -> int:
    value = os.environ.get("CENSUS_THREADS", "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(DEFAULT_MAX, os.cpu_count() or 1))


def pool(max_workers: int | None = None) -> ThreadPoolExecutor:
    """An executor of at most `threads()` threads (or fewer, if the caller needs fewer)."""
    n = threads() if max_workers is None else max(1, min(max_workers, threads()))
    return ThreadPoolExecutor(max_workers=n)
