"""How Python's garbage collector runs during a run: an execution tactic, like the thread count
in pipeline/parallel.py, chosen by whoever runs the pipeline (`census run`'s in-process runs, the
benchmark's function path), never by the domain code itself."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# A young-generation collection every 50,000 new container objects instead of every 700: a run
# creates millions of short-lived objects (pandas, Dagster's events), and the default thresholds
# collect over 2,000 times per agency-size run. Large years still hand their memory back at the
# IO manager's explicit collection (assets/io_manager.give_back_memory).
RUN_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def collector_tuned_for_a_run() -> Iterator[None]:
    """Keeps the garbage collector off what was alive before the run (imported modules, the
    definitions, reference tables: about 500,000 objects) and makes it collect less often. Python's
    collections walk every tracked object of their generations; with the defaults a 10,000-firm
    `census run` spent 2.7 s in them, with this 0.6 s (gc.callbacks). After the run the thresholds
    are restored and everything is collectable again, so a long-lived process (a test session,
    the daemon) keeps no garbage."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
