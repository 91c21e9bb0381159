"""Two pieces of work at once: one in a forked second process, the other here.

The generator runs on one core while a build's second sits idle until MkDocs starts
converting pages (``generator.site.converting``). Its work after reading the records
falls into two halves that share nothing but the archive they read: the meetings'
pages and the data files, and the registers. ``both`` runs the first half in a
process forked for it, which inherits the archive instead of being sent it, and the
second here, and returns both results as if they had been made one after the other.

The forked half must only read what it inherits and return what it makes: anything it
changes (a cache, a file, a lazily filled attribute) stays in its own copy. Forking a
process that runs other threads copies their locks but not the threads that would
release them, so with any other thread running (``mkdocs serve``'s server, say), or
where there is no ``fork``, the two run here one after the other.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

First = TypeVar("First")
Second = TypeVar("Second")
Result = TypeVar("Result")

# The work the forked process does: set just before the fork, and so inherited, never pickled.
_inherited: Callable[[], Any] | None = None


def _run_inherited() -> Any:
    assert _inherited is not None, "set before the process was forked"
    return _inherited()


def can_fork() -> bool:
    """Whether a second process can be forked safely: fork exists, and no other thread is running."""
    return hasattr(os, "fork") and threading.active_count() == 1


def submit_forking(pool: ProcessPoolExecutor, function: Callable[..., Result], *args: Any) -> Future[Result]:
    """The first submit to a fork-context pool, which forks its worker: with every object there is
    then frozen out of the worker's garbage collector, which would otherwise walk (and so copy) the
    whole parent's memory."""
    gc.freeze()
    try:
        return pool.submit(function, *args)
    finally:
        gc.unfreeze()


def both(first: Callable[[], First], second: Callable[[], Second]) -> tuple[First, Second]:
    """``first()`` in a forked process while ``second()`` runs here: their results, in that order.

    An exception from either is raised here, as it would be without the second process.
    If the forked process dies without an answer (killed for memory, say), ``first()``
    runs here instead, so the build is slower but the same.
    """
    global _inherited
    if not can_fork():
        return first(), second()
    pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"))
    _inherited = first
    try:
        future = submit_forking(pool, _run_inherited)
    finally:
        _inherited = None
    try:
        made_here = second()
        try:
            made_there = future.result()
        except BrokenProcessPool:
            made_there = first()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return made_there, made_here
