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


def merge_stances(
    story: str,
    sources: list[tuple[int, Article, ArticleExtraction]],
    names: NameResolver,
) -> tuple[list[BriefStance], int]:
    """One story's stances, by actor in order of first appearance; and how many were dropped."""
    by_actor: dict[str, list[list[_Item]]] = {}
    dropped = 0
    for order, article, extraction in sources:
        for stance in sorted(extraction.stances, key=lambda s: (s.start, s.end)):
            actor = names.resolve(stance.actor)
            if actor is None or not grounded(article, stance.start, stance.end, stance.position):
                dropped += 1
                continue
            item = _Item(order, article, stance, signature(stance.position))
            clusters = by_actor.setdefault(actor, [])
            home = next((c for c in clusters if any(_same(item, other) for other in c)), None)
            if home is None:
                clusters.append([item])
            else:
                home.append(item)
    stances = []
    for actor, clusters in by_actor.items():
        for cluster in clusters:
            citations = []
            for item in cluster:
                citation = cite(item.article, item.stance.start, item.stance.end)
                if citation not in citations:
                    citations.append(citation)
            stances.append(BriefStance(
                id="", story=story, actor=actor, position=citations[0].text, citations=citations
            ))
    return stances, dropped
