"""One name per person or organisation within a story, however each outlet spells it.

"Tom Barrack" and "Barrack", "Ahmed al-Sharaa" and "Ahmad Al-Sharaa", "President Donald
Trump" and "Trump" are one speaker. Rules, in order:

1. names of two or more words whose folded forms are close (rapidfuzz ratio >= 88) and whose
   last names are close too (>= 85) are one name: spelling variants, never two people who
   merely share a family prefix ("al-Shaibani" vs "al-Sharaa" scores 70);
2. a name whose words end a longer name ("Barrack", "Donald Trump") is that name when
   exactly one person in the story ends that way; when two do, it stays as written.

Resolution is per story: "Ibrahim" may be one person in one story and another elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz

from ..textutil import fold
from .unionfind import DisjointSets

FULL_NAME_RATIO = 88.0
LAST_NAME_RATIO = 85.0
_ARTICLES = frozenset({"the", "a", "an"})
_NAME_PARTICLES = ("al-", "el-", "al ", "el ")


def name_key(name: str) -> str:
    """Folded name without a leading article: "The Ministry" -> "ministry"."""
    tokens = fold(name).split()
    while tokens and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def _surname(token: str) -> str:
    for particle in _NAME_PARTICLES:
        if token.startswith(particle) and len(token) > len(particle):
            return token[len(particle) :]
    return token


def _tail(key: str) -> tuple[str, ...]:
    tokens = key.split()
    return (*tokens[:-1], _surname(tokens[-1])) if tokens else ()


class NameResolver:
    """Maps every name seen in a story to the display name of the person it denotes."""

    def __init__(self, names: Iterable[str | None]) -> None:
        """Cluster the story's names (in order of appearance) and pick one display form each."""
        # The earlier-seen key stays the root, so the outcome does not depend on hashing.
        self._sets: DisjointSets[str] = DisjointSets()
        spellings: dict[str, Counter[str]] = {}
        for name in names:
            key = name_key(name) if name is not None else ""
            if not key or name is None:
                continue
            self._sets.add(key)
            spellings.setdefault(key, Counter())[name.strip()] += 1
        keys = list(self._sets)
        self._rank = {key: i for i, key in enumerate(keys)}
        self._join_variants(keys)
        self._join_short_forms(keys)
        self._display: dict[str, str] = {}
        self._resolved: dict[str, str | None] = {}  # ``resolve``'s answers
        for root, group in self._sets.groups().items():
            forms: Counter[str] = Counter()
            for key in group:
                forms.update(spellings[key])
            order = {form: i for i, form in enumerate(forms)}
            # The most frequent full name, a proper name ("Peru's Health Ministry") before a
            # description ("the health ministry"); a bare surname only when nothing fuller
            # was seen.
            self._display[root] = max(
                forms, key=lambda f: (len(f.split()) > 1, f[:1].isupper(), forms[f], -order[f])
            )

    def resolve(self, name: str | None) -> str | None:
        """The story's display name for ``name``; a name never seen is returned as given."""
        if name is None:
            return None
        # Each of a story's quotes, figures and stances asks, many with one name: a name is
        # resolved once.
        if name in self._resolved:
            return self._resolved[name]
        resolved = self._resolved[name] = self._resolve(name)
        return resolved

    def _resolve(self, name: str) -> str | None:
        if not name.strip():
            return None
        key = name_key(name)
        if key not in self._sets:
            return name.strip() if key else None
        return self._display[self._sets.find(key)]

    def _join_variants(self, keys: list[str]) -> None:
        by_initial: dict[str, list[str]] = {}
        for key in keys:
            if len(key.split()) >= 2:
                by_initial.setdefault(_tail(key)[-1][:1], []).append(key)
        for group in by_initial.values():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if (
                        fuzz.ratio(a, b) >= FULL_NAME_RATIO
                        and fuzz.ratio(_tail(a)[-1], _tail(b)[-1]) >= LAST_NAME_RATIO
                    ):
                        self._sets.union(a, b)

    def _join_short_forms(self, keys: list[str]) -> None:
        by_surname: dict[str, list[str]] = {}
        for key in keys:
            by_surname.setdefault(_tail(key)[-1], []).append(key)
        # Longer names first, so "Donald Trump" joins "President Donald Trump" before "Trump"
        # asks which of them it means.
        for key in sorted(keys, key=lambda k: (-len(k.split()), self._rank[k])):
            tail = _tail(key)
            roots: list[str] = []
            for other in by_surname[tail[-1]]:
                other_tail = _tail(other)
                if len(other_tail) > len(tail) and other_tail[-len(tail) :] == tail:
                    root = self._sets.find(other)
                    if root not in roots:
                        roots.append(root)
            if len(roots) == 1:
                self._sets.union(key, roots[0])
