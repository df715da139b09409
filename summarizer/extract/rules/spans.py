"""Which spans (quotations) overlap a stretch of text, without a scan of them all each time."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence


class Overlaps:
    """The indices of ``spans`` (start, end) that overlap ``[start, end)``, in their order.

    When the spans are in text order with their ends in order too (quotations never nest),
    they are found by two bisections; otherwise by a scan, which gives the same answer.
    """

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self._starts = [a for a, _ in self.spans]
        self._ends = [b for _, b in self.spans]
        self.ordered = all(
            a[0] <= b[0] and a[1] <= b[1] for a, b in zip(self.spans, self.spans[1:], strict=False)
        )

    def indices(self, start: int, end: int) -> range | list[int]:
        """Indices ``k`` with ``start < spans[k].end`` and ``spans[k].start < end``."""
        if self.ordered:
            return range(bisect_right(self._ends, start), bisect_left(self._starts, end))
        return [k for k, (a, b) in enumerate(self.spans) if start < b and a < end]

    def ending_in(self, start: int, end: int) -> range | list[int]:
        """Indices ``k`` with ``start <= spans[k].end < end``, in their order."""
        if self.ordered:
            return range(bisect_left(self._ends, start), bisect_left(self._ends, end))
        return [k for k, (_, b) in enumerate(self.spans) if start <= b < end]
