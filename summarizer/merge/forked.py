"""Worker processes forked from this one, for merge's work that splits by article or story.

Merge holds every profile (and, for a large run, every article and extraction) in memory;
pickling them to a worker would cost more than the work. A forked process starts with them
in place (shared with the parent, page by page, until written), so only small work orders
go out and only answers come back. Each worker's inherited heap is left out of the garbage
collector's scans (``gc.freeze``), which also keeps those pages shared.

Only where processes can be forked (``fork`` start method: Linux, not Windows), there are
two CPUs, and this process runs no other thread (a lock another thread holds at the fork
stays held in the child for good: merge called from a thread, ``abrief``, say); elsewhere, or
when no process can be had, callers do the work in this process, to the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .._workers import end_with

__all__ = ["pool"]


def pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor | None:
    """``workers`` processes forked from this one, each running ``initializer(*initargs)``
    first (the arguments are inherited, never pickled); None where that is not to be had.
    The caller shuts it down."""
    if (
        (os.cpu_count() or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return None
    try:
        return ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_started,
            initargs=(os.getpid(), initializer, initargs),
        )
    except OSError:
        return None


def _started(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    gc.freeze()
    end_with(parent)  # a worker outlives a killed parent otherwise, waiting for work for good
    initializer(*initargs)
