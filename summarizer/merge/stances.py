"""Stances: policy positions grouped by actor, one entry per position however many outlets carry it.

Actors are resolved with the same per-story names as quote speakers ("Barrack" is "Tom
Barrack"). Two positions of one actor are the same when their content words, aliases unified,
have cosine >= ``DUPLICATE``: outlets paraphrase a position more freely than they quote, so
this is looser than quote matching, but it only ever compares positions of the same actor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..models import Article, ArticleExtraction, BriefStance, Stance
from ..textutil import cosine, fold
from .grounding import cite, grounded, signature
from .names import NameResolver

DUPLICATE = 0.6


@dataclass
class _Item:
    order: int
    article: Article
    stance: Stance
    words: Counter[str]


def _same(a: _Item, b: _Item) -> bool:
    if not a.words or not b.words:
        return fold(a.stance.position) == fold(b.stance.position)
    return cosine(a.words, b.words) >= DUPLICATE


class _Actor:
    """One actor's positions, clustered; each cluster is compared through its first member.

    An inverted index from content words to clusters keeps an actor with many positions from
    comparing every pair.
    """

    def __init__(self) -> None:
        self.clusters: list[list[_Item]] = []
        self._by_word: dict[str, list[int]] = {}

    def add(self, item: _Item) -> None:
        candidates: dict[int, None] = {}
        for word in item.words:
            candidates.update(dict.fromkeys(self._by_word.get(word, [])))
        if not item.words:
            candidates = dict.fromkeys(range(len(self.clusters)))
        home = next((n for n in sorted(candidates) if _same(item, self.clusters[n][0])), None)
        if home is not None:
            self.clusters[home].append(item)
            return
        self.clusters.append([item])
        for word in item.words:
            self._by_word.setdefault(word, []).append(len(self.clusters) - 1)


def merge_stances(
    story: str,
    sources: list[tuple[int, Article, ArticleExtraction]],
    names: NameResolver,
) -> tuple[list[BriefStance], int]:
    """One story's stances, by actor in order of first appearance; and how many were dropped."""
    by_actor: dict[str, _Actor] = {}
    dropped = 0
    for order, article, extraction in sources:
        for stance in sorted(extraction.stances, key=lambda s: (s.start, s.end)):
            actor = names.resolve(stance.actor)
            if actor is None or not grounded(article, stance.start, stance.end, stance.position):
                dropped += 1
                continue
            by_actor.setdefault(actor, _Actor()).add(
                _Item(order, article, stance, signature(stance.position))
            )
    stances = []
    for actor, positions in by_actor.items():
        for cluster in positions.clusters:
            spans = {(i.article.id, i.stance.start, i.stance.end): i.article for i in cluster}
            citations = [cite(article, start, end) for (_, start, end), article in spans.items()]
            stances.append(
                BriefStance(
                    id="", story=story, actor=actor, position=citations[0].text, citations=citations
                )
            )
    return stances, dropped
