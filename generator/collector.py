"""Python's garbage collector, told what a build's objects are like: many, and living to the end.

A build makes millions of objects (records, pages, search records) and keeps nearly all of
them until it ends, so the collector's full passes, which walk every live object, find
almost nothing; at 5,000 meetings they were a tenth of the generator's time, and the one
pass Python makes as the process exits took 6.5 s of a 47 s build after one new meeting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Python's collector walks every live object each time their number grows by a quarter;
    the records and pages a build makes all live until it ends, so at 5,000 meetings that is
    a tenth of its time, for garbage that the younger generations collect anyway."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 10, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def skip_the_last_collection() -> None:
    """For a process that is about to exit: what is alive now is never walked by the collector again.

    Python collects once more as it exits, walking every object still alive, to find cycles
    that the end of the process frees anyway. Frozen (``gc.freeze``), they are left out of
    that walk and every later one, so this is only for the end of a process, never for one
    that goes on building (the preview).
    """
    gc.freeze()
