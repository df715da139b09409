"""Stories: which articles report the same event.

A morning's folder holds several events, and figures or quotes are compared only within one
event, so grouping comes first. Two articles are linked when their body vocabulary is close
(cosine of tf-idf weighted content words) or, a little less close, when they also share
several capitalised names; stories are the connected components (union-find). Because one
wrong link would fuse two whole stories, two components of several articles each merge only
when their centroids are close as well.

Comparing all pairs is quadratic, so candidate pairs are blocked: every article is indexed
under its ``BLOCKING_TERMS`` highest tf-idf terms that occur in at least two articles, and
each article is paired only with its next ``WINDOW`` neighbours in each term's posting list
(a sorted-neighbourhood scheme). Pairs must share ``MIN_SHARED_TERMS`` such terms, and pairs
already in one component are not scored again, so the work stays near-linear in the number
of articles while connectivity still flows through chains of neighbours.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Sentence
from ..textutil import STOPWORDS, content_words_of, fold, words

BLOCKING_TERMS = 20
WINDOW = 8
MIN_SHARED_TERMS = 2
VECTOR_TERMS = 300
LINK_COSINE = 0.30
LINK_COSINE_WITH_NAMES = 0.15
LINK_SHARED_NAMES = 3
CENTROID_LINK = 0.35
MIN_TITLE_WORDS = 3
_TITLE_CASE_SHARE = 0.8


@dataclass(frozen=True)
class StoryArticles:
    """One story: its id, a readable title and its articles in input order."""

    id: str
    title: str
    articles: list[Article]
    words: Counter[str]  # content words of the story's body sentences, for centrality


@dataclass
class _Profile:
    terms: Counter[str]
    names: list[str]
    runs: Counter[str]
    vector: dict[str, float]


def _key(token: str) -> str:
    return token.casefold() if token.isascii() else fold(token)


def _body(article: Article) -> list[Sentence]:
    return [s for s in article.sentences if not s.heading]


def _capitalised_runs(tokens: list[str]) -> list[list[str]]:
    """Runs of capitalised words (of a sentence's ``words``), leaving out a sentence's first
    word unless a run starts there."""
    if not tokens or sum(t[0].isupper() for t in tokens) > _TITLE_CASE_SHARE * len(tokens):
        return []  # a title-case line says nothing about which words are names
    runs: list[list[str]] = []
    start = 0
    for i, token in enumerate([*tokens, ""]):
        if token[:1].isupper() and _key(token) not in STOPWORDS:
            continue
        run = tokens[start:i]
        if len(run) > 1 or (run and start > 0):
            runs.append(run)
        start = i + 1
    return runs


def _profile(article: Article) -> _Profile:
    terms: Counter[str] = Counter()
    names: list[str] = []
    runs: Counter[str] = Counter()
    for sentence in _body(article):
        tokens = words(article.slice(sentence))
        terms.update(content_words_of(tokens))
        for run in _capitalised_runs(tokens):
            runs[" ".join(run)] += 1
            for token in run:
                key = _key(token)
                if len(key) > 2 and key not in names:
                    names.append(key)
    return _Profile(terms=terms, names=names, runs=runs, vector={})


def _weigh(profiles: list[_Profile]) -> Counter[str]:
    """Give every profile a unit tf-idf vector; return the document frequencies."""
    df: Counter[str] = Counter()
    for profile in profiles:
        df.update(profile.terms.keys())
    n = len(profiles)
    for profile in profiles:
        weights = {
            term: (1.0 + math.log(tf)) * (math.log((n + 1) / (df[term] + 1)) + 1.0)
            for term, tf in profile.terms.items()
        }
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        profile.vector = {term: w / norm for term, w in top}
    return df


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large[t] for t, w in small.items() if t in large)


def _linked(a: _Profile, b: _Profile) -> bool:
    similarity = _dot(a.vector, b.vector)
    if similarity >= LINK_COSINE:
        return True
    if similarity < LINK_COSINE_WITH_NAMES:
        return False
    other = set(b.names)
    return sum(name in other for name in a.names) >= LINK_SHARED_NAMES


def _candidate_pairs(profiles: list[_Profile], df: Counter[str]) -> list[tuple[int, int]]:
    """Pairs sharing enough rare top terms, most shared first (then by position)."""
    postings: dict[str, list[int]] = {}
    for index, profile in enumerate(profiles):
        ranked = [t for t in profile.vector if df[t] >= 2][:BLOCKING_TERMS]
        for term in ranked:
            postings.setdefault(term, []).append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        for k, i in enumerate(members):
            for j in members[k + 1 : k + 1 + WINDOW]:
                shared[(i, j)] += 1
    pairs = [pair for pair, count in shared.items() if count >= MIN_SHARED_TERMS]
    return sorted(pairs, key=lambda pair: (-shared[pair], pair))


class _Components:
    """Union-find whose components keep the sum of their members' vectors.

    One wrong pair link would fuse two whole stories, so two components of several articles
    each merge only when their centroids are close too (``CENTROID_LINK``). The sums are kept
    incrementally (smaller merged into larger, squared norm updated by the dot product), so
    the check costs what the smaller component holds, not what both hold.
    """

    def __init__(self, vectors: list[dict[str, float]]) -> None:
        self.parent = list(range(len(vectors)))
        self.size = [1] * len(vectors)
        self.sums = [dict(v) for v in vectors]
        self.norms2 = [_dot(v, v) for v in vectors]
        # Two components whose centroids were found too far apart stay so until one of them
        # grows: many linked pairs across the same two components cost one comparison.
        self.version = [0] * len(vectors)
        self.apart: set[tuple[int, int, int, int]] = set()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        key = (ri, rj, self.version[ri], self.version[rj])
        if key in self.apart:
            return
        cross = _dot(self.sums[ri], self.sums[rj])
        if min(self.size[ri], self.size[rj]) > 1:
            scale = math.sqrt(self.norms2[ri] * self.norms2[rj]) or 1.0
            if cross / scale < CENTROID_LINK:
                self.apart.add(key)
                return
        # The lower index stays the root so that numbering never depends on merge order;
        # the larger sum is kept and the smaller one added into it.
        root, child = min(ri, rj), max(ri, rj)
        big, small = sorted((self.sums[ri], self.sums[rj]), key=len, reverse=True)
        for term, weight in small.items():
            big[term] = big.get(term, 0.0) + weight
        self.sums[root] = big
        self.sums[child] = {}
        self.norms2[root] = self.norms2[ri] + self.norms2[rj] + 2.0 * cross
        self.size[root] += self.size[child]
        self.parent[child] = root
        self.version[root] += 1


def _headline(article: Article) -> str | None:
    """The article's title when it reads as a headline: not a dateline ("ISTANBUL",
    "MALATYA, Türkiye"), not a label of a word or two, not a photo caption."""
    title = " ".join((article.title or "").split())
    if len(words(title)) < MIN_TITLE_WORDS or title.isupper():
        return None
    captions = (article.slice(x) for x in article.excluded if x.kind == "caption")
    if any(title == " ".join(caption.split()) for caption in captions):
        return None
    return title


def _title(members: list[int], articles: Sequence[Article], profiles: list[_Profile]) -> str:
    """The headline of the story's most central article that has one (the closest to the
    story's centroid), else the story's most frequent names."""
    centroid: dict[str, float] = {}
    for i in members:
        for term, weight in profiles[i].vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    headlines = {i: h for i in members if (h := _headline(articles[i]))}
    if headlines:
        best = max(headlines, key=lambda i: (_dot(profiles[i].vector, centroid), -i))
        return headlines[best]
    runs: Counter[str] = Counter()
    for i in members:
        runs.update(profiles[i].runs)
    top = sorted(runs.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[:3]
    if top:
        return " / ".join(run for run, _ in top)
    terms: Counter[str] = Counter()
    for i in members:
        terms.update(profiles[i].terms)
    return " / ".join(t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


def group_stories(articles: Sequence[Article]) -> list[StoryArticles]:
    """Articles grouped into stories, ordered by size (largest first), then first appearance."""
    profiles = [_profile(article) for article in articles]
    df = _weigh(profiles)
    components = _Components([p.vector for p in profiles])
    for i, j in _candidate_pairs(profiles, df):
        if components.find(i) != components.find(j) and _linked(profiles[i], profiles[j]):
            components.try_union(i, j)
    members: dict[int, list[int]] = {}
    for i in range(len(articles)):
        members.setdefault(components.find(i), []).append(i)
    ordered = sorted(members.values(), key=lambda group: (-len(group), group[0]))
    stories = []
    for number, group in enumerate(ordered, start=1):
        story_words: Counter[str] = Counter()
        for i in group:
            story_words.update(profiles[i].terms)
        stories.append(
            StoryArticles(
                id=f"S{number}",
                title=_title(group, articles, profiles) or f"Story {number}",
                articles=[articles[i] for i in group],
                words=story_words,
            )
        )
    return stories
