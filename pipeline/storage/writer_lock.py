"""One writer to the curated store at a time, whatever process it runs in (CLI, Dagster run,
test). Dagster's pool limits runs it launches; this lock also covers everything else."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WriterBusy(RuntimeError):
    pass


@contextmanager
def writer_lock(curated_dir: Path, timeout_s: float = 600.0) -> Iterator[None]:
    curated_dir.mkdir(parents=True, exist_ok=True)
    with open(curated_dir / ".writer.lock", "w") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WriterBusy(
                        "다른 적재 작업이 아직 쓰는 중입니다 / another load is still writing the curated data"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
