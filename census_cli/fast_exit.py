"""Ends a finished `census` command without the interpreter's teardown.

After the last line is printed, Python tears the modules down and collects garbage several times
over everything still alive (dagster, pandas, GX: about 500,000 objects): 2-3 s of CPU at the end
of every `census run` (perf: almost all of it in the collector). Nothing of the census needs that
teardown: every file and database is closed by the code that opened it (context managers), the
store's writer lock is a kernel lock that dies with the process, and the atexit handlers that
other modules registered after this one (temporary folders, thread pools) have run by then,
because atexit runs its handlers last-registered first. So once a command has finished with an
exit status, the process ends at once with that status. A command that did not finish that way
(an uncaught exception) keeps the ordinary teardown.

Imported first by census_cli.main, so that its handler is the last to run.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys

_status: list[int] = []


def record(code: object) -> None:
    """The status the process ends with: a SystemExit's code, as Python would turn it into one."""
    _status[:] = [0 if code is None else code if isinstance(code, int) else 1]


def _end_now() -> None:
    if not _status:
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`census run | head`): nothing left to say
            pass
    os._exit(_status[0])


atexit.register(_end_now)
