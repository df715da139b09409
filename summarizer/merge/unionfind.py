"""One union-find (disjoint sets) for merge: names of one person (``names``), articles of one
story (``stories``).

The key added first is always the root of its set, so which key stands for a set never
depends on hashing or on the order in which sets are joined: merge's output depends only on
its input. ``find`` halves paths as it walks; no union by size is needed for the few
thousand keys a story or a morning holds, and the first-added root is what callers rely on.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

__all__ = ["DisjointSets"]


class DisjointSets(Generic[K]):
    """Sets of keys, each named by its first-added key (its root)."""

    def __init__(self, keys: Iterable[K] = ()) -> None:
        self._parent: dict[K, K] = {}
        self._order: dict[K, int] = {}
        for key in keys:
            self.add(key)

    def add(self, key: K) -> None:
        """A set of its own for a key not seen yet (a key already held is left as it is)."""
        if key not in self._parent:
            self._parent[key] = key
            self._order[key] = len(self._order)

    def __contains__(self, key: object) -> bool:
        return key in self._parent

    def __iter__(self) -> Iterator[K]:
        """The keys, in the order they were added."""
        return iter(self._order)

    def find(self, key: K) -> K:
        """The root of the key's set."""
        parent = self._parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: K, b: K) -> tuple[K, K] | None:
        """Join the sets of ``a`` and ``b``: ``(root, absorbed)``, the earlier-added root
        staying the root, or None when they were one set already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        root, absorbed = (ra, rb) if self._order[ra] < self._order[rb] else (rb, ra)
        self._parent[absorbed] = root
        return root, absorbed

    def groups(self) -> dict[K, list[K]]:
        """Every set as its root and its members, both in the order the keys were added."""
        found: dict[K, list[K]] = {}
        for key in self._order:
            found.setdefault(self.find(key), []).append(key)
        return found
