"""Worker processes that end with the process that started them.

A pool's worker waits for work on a pipe whose ends it inherited, so when its parent is
killed (SIGKILL, a crash) nothing it reads tells it: it would wait for good, an orphan. Every
pool the package starts makes its workers ``end_with`` it: the map's through
``worker_start``, merge's forked ones directly.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time

__all__ = ["PARENT_POLL_SECONDS", "WORKER_GC_YOUNG", "end_with", "worker_start"]

PARENT_POLL_SECONDS = 0.5  # how often a worker checks that its parent is alive (fallback)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
WORKER_GC_YOUNG = 10_000  # a map worker's first collector threshold (``worker_start``)


def worker_start(parent: int) -> None:
    """Run first in each map worker: Ctrl-C (SIGINT, sent to the whole process group) is left
    to the parent, which shuts the pool down; what the worker inherits is frozen out of the
    collector's scans; and it ends with ``parent`` (``end_with``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What the worker inherits (modules, the parent's data) lives as long as it does: leave
    # it out of the collector's scans, which also keeps its pages shared with the parent.
    gc.freeze()
    # An article's map makes tens of thousands of objects that nearly all go with their last
    # reference, not in a collection: the youngest generation is scanned every
    # ``WORKER_GC_YOUNG`` allocations rather than every 700 (the default), which took 1.5% of
    # a worker's instructions in scans that found next to nothing. Garbage in reference
    # cycles waits a little longer: a few MB at most.
    gc.set_threshold(WORKER_GC_YOUNG, *gc.get_threshold()[1:])
    end_with(parent)


def end_with(parent: int) -> None:
    """Make this worker process end when ``parent`` (a pid) does.

    On Linux the kernel sends SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``),
    and SIGTERM gets its default action again (the parent's handler is inherited through
    fork); everywhere, a daemon thread checks every ``PARENT_POLL_SECONDS`` that the parent
    is still the same process and exits otherwise."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
