"""What the later steps of a load need, loaded while the workbook is being read.

The Rust reader parses the sheet for most of a load's first step and releases the GIL meanwhile,
so the second core is free: importing Great Expectations (about 2.5 s) and reading the KSIC and
KICOX reference files there takes them off the load's critical path. Everything loaded here is
cached by the functions the later steps call, so they find it ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pipeline.settings import Settings


def prepare(settings: Settings) -> None:
    import great_expectations  # noqa: F401  (the import itself is the cost)
    from great_expectations.data_context.types import base  # noqa: F401

    from pipeline.classify.classify import classification_inputs
    from pipeline.validation.ksic_reference import ksic_codes

    settings.validation  # noqa: B018  (parsed and cached for the validation step)
    ksic_codes(settings)
    classification_inputs(settings)


@contextmanager
def preparing_meanwhile(settings: Settings, prepare: Callable[[Settings], None] = prepare) -> Iterator[Callable[[], None]]:
    """Run `prepare` in a thread during the block and wait for it at the end of the block.

    The block is given a function that starts the thread; call it when the work that leaves a
    core free begins (the reader calls it once its Rust parse is under way: before that it is
    cutting a large sheet in Python and needs the GIL). If it is never called, the thread starts
    at the end of the block."""

    def run() -> None:
        try:
            prepare(settings)
        except Exception:  # noqa: BLE001
            # Only a head start: the step that needs the failing piece loads it again and
            # reports the problem there, with its own message.
            pass

    thread = threading.Thread(target=run, name="census-prepare", daemon=True)

    def start() -> None:
        if thread.ident is None:
            thread.start()

    try:
        yield start
    finally:
        start()
        thread.join()
