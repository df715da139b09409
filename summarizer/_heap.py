"""Long-lived objects kept out of the garbage collector's scans while a stage works.

Merge and render each hold a large, acyclic structure for as long as they run (merge: every
article, extraction and profile of a run; render: the whole Briefing, 20 MB of JSON at
10,000 articles) while they make many small objects. Each full collection the allocations
set off walks everything not frozen again: a tenth of merge's time and a third of
rendering's at 10,000 articles. ``gc.freeze`` moves what exists into a generation the
collector never scans (in constant time); ``gc.unfreeze`` hands it back after.

Memory a stage lets go of is not handed back to the system by itself: most of merge's
inputs (a compressed article, a profile's terms) are blocks of C's ``malloc``, whose freed
space inside its heap stays the process's. ``give_back`` hands it back where the C library
can (glibc's ``malloc_trim``): at 30,000 articles, 230 MB once the stories are merged.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable, Iterator
from types import TracebackType

__all__ = ["LongLived", "give_back"]


def _trim() -> Callable[[int], object] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS, Windows)."""
    try:
        trim: Callable[[int], object] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)
        return trim
    except (OSError, TypeError):  # no C library to be loaded so (Windows: CDLL(None) fails)
        return None


_MALLOC_TRIM = _trim()


def give_back() -> None:
    """Hand the memory C's ``malloc`` holds free back to the system, where it can (a few
    milliseconds for a heap of hundreds of MB); nothing elsewhere."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class LongLived:
    """While the ``with`` block runs, what exists when it starts (and what ``making`` makes)
    is left out of the collector's scans. Only when nothing is frozen yet: a caller's own
    frozen objects are never handed back by us (then the block runs as it would have)."""

    def __init__(self) -> None:
        self._ours = False

    def __enter__(self) -> LongLived:
        self._ours = not gc.get_freeze_count()
        if self._ours:
            gc.freeze()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._ours:
            gc.unfreeze()
            self._ours = False

    @contextlib.contextmanager
    def making(self) -> Iterator[None]:
        """A block that makes only objects that live as long as the rest (merge's first pass
        makes the models of a run whose articles it was handed as JSON): no collection runs
        in it (each would walk all that the block has made so far, a quarter of the block's
        time at 10,000 articles), and what it made is frozen with the rest after."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if enabled:
                gc.enable()
            if self._ours:
                gc.freeze()

    def keep(self) -> None:
        """What exists now lives as long as the rest (the stories merged so far, kept for the
        brief): left out of the collector's scans too, so that each full collection walks
        what was made since, not all that came before it (at 100,000 articles, 64 full
        collections took 8.8 s of merging the stories, each walking every story merged)."""
        if self._ours:
            gc.freeze()
