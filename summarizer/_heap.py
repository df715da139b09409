"""Long-lived objects kept out of the garbage collector's scans while a stage works.

Merge and render each hold a large, acyclic structure for as long as they run (merge: every
article, extraction and profile of a run; render: the whole Briefing, 20 MB of JSON at
10,000 articles) while they make many small objects. Each full collection the allocations
set off walks everything not frozen again: a tenth of merge's time and a third of
rendering's at 10,000 articles. ``gc.freeze`` moves what exists into a generation the
collector never scans (in constant time); ``gc.unfreeze`` hands it back after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from types import TracebackType

__all__ = ["LongLived"]


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
