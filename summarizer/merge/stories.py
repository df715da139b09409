"""Stories: which articles report the same event.

A morning's folder holds several events, and figures or quotes are compared only within one
event, so grouping comes first. Two rules keep it right and stable:

- **How alike two articles are depends on those two articles only**, never on what else is
  in the folder: each article is a unit vector of its body's content words weighted by their
  own frequency (``1 + log tf``), the names it writes capitalised weighted ``NAME_WEIGHT``
  times and its multi-word names ("Ignatius Chombo", "North Korea") added as terms of their
  own. No folder-wide document frequencies enter the score, so copying two folders into one
  never regroups either.
- **A link must hold against the story as a whole**, not one similar neighbour: stories are
  built by average-link agglomeration. Candidate pairs are taken most alike first; the two
  stories they belong to join only when the mean similarity over *every* pair of their
  articles is at least ``LINK`` (exact and cheap: the dot product of the two sums of unit
  vectors, divided by the product of the sizes). A chain of similar single articles across
  two events cannot fuse them, because the far ends pull the mean down.

Comparing all pairs is quadratic, so candidate pairs are blocked: every article is indexed
under its ``BLOCKING_TERMS`` heaviest terms, and only articles sharing ``MIN_SHARED_TERMS``
of them are scored. A term carried by more than ``MAX_POSTING`` articles is too common to say
anything about an event and indexes nothing (the only place the folder's size matters: which
pairs are looked at, never how alike they are).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..aliases import ALIASES
from ..extract.rules.lexicon import CAPITALS, COUNTRY_DEMONYMS, DEMONYMS, NATIONALITIES
from ..models import Article, Sentence
from ..textutil import STOPWORDS, content_words_of, fold, words

BLOCKING_TERMS = 20
MIN_SHARED_TERMS = 2
MAX_POSTING = 400
VECTOR_TERMS = 200
NAME_SHARE = 0.7  # of an article's vector, the part its names make
NAME_PREFIX = "^"  # name terms: "^mugabe"; never a content word
RUN_PREFIX = "_"  # multi-word names: "_north korea"
LINK = 0.22  # mean pairwise cosine for two stories to join
PAIR_LINK = 0.22  # a candidate pair below this never starts a join
PASSES = 3
MIN_TITLE_WORDS = 3
MAX_TITLE_WORDS = 25
_TITLE_CASE_SHARE = 0.8
# Names of the world that many unrelated events share (countries, their peoples and capitals,
# the best-known organisations): they weigh as ordinary words, not as an event's names.
_WORLD_NAMES = frozenset(
    fold(name)
    for name in [
        *NATIONALITIES,
        *DEMONYMS,
        *CAPITALS,
        *COUNTRY_DEMONYMS,
        *(v for v in COUNTRY_DEMONYMS.values()),
        *(a for spellings in ALIASES.values() for a in spellings),
        *"""europe european africa african asia asian america latin middle east west western
        gulf arab world pacific atlantic january february march april june july august
        september october november december""".split(),
        "middle east",
        "european union",
        "arab world",
    ]
)


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
    """The article's own vector: nothing in it depends on any other article."""
    terms: Counter[str] = Counter()
    runs: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    world: set[str] = set()  # words of the world's names written here ("United States")
    for sentence in _body(article):
        tokens = words(article.slice(sentence))
        content = content_words_of(tokens)
        terms.update(content)
        for i, token in enumerate(tokens):
            if token[:1].islower():
                lower[token.casefold()] += 1
            elif i and token[:1].isupper():
                capitalised[token.casefold()] += 1
        for run in _capitalised_runs(tokens):
            name = " ".join(run)
            runs[name] += 1
            if fold(name) in _WORLD_NAMES:
                world.update(_key(t) for t in run)
            elif len(run) > 1:
                terms[RUN_PREFIX + " ".join(_key(t) for t in run)] += 1
    names: dict[str, float] = {}
    others: dict[str, float] = {}
    for term, tf in terms.items():
        weight = 1.0 + math.log(tf)
        common = term in world or fold(term) in _WORLD_NAMES
        if not common and (term.startswith(RUN_PREFIX) or capitalised[term] > lower[term]):
            names[NAME_PREFIX + term] = weight
        else:
            others[term] = weight
    vector: dict[str, float] = {}
    share = NAME_SHARE if names and others else 1.0 if names else 0.0
    for part, weight in ((names, share), (others, 1.0 - share)):
        top = sorted(part.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        scale = math.sqrt(weight) / norm
        vector.update((term, w * scale) for term, w in top)
    ranked = sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))
    return _Profile(terms=terms, runs=runs, vector=dict(ranked))


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large[t] for t, w in small.items() if t in large)


def similarity(a: Article, b: Article) -> float:
    """How alike two articles are (cosine, 0 to 1): a function of the two articles only."""
    return _dot(_profile(a).vector, _profile(b).vector)


def _candidate_pairs(profiles: list[_Profile]) -> list[tuple[float, int, int]]:
    """Pairs sharing enough heavy terms, scored, most alike first (then by position)."""
    postings: dict[str, list[int]] = {}
    for index, profile in enumerate(profiles):
        for term in list(profile.vector)[:BLOCKING_TERMS]:
            postings.setdefault(term, []).append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if len(members) > MAX_POSTING:
            continue
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                shared[(i, j)] += 1
    scored = []
    for (i, j), count in shared.items():
        if count < MIN_SHARED_TERMS:
            continue
        score = _dot(profiles[i].vector, profiles[j].vector)
        if score >= PAIR_LINK:
            scored.append((score, i, j))
    scored.sort(key=lambda sij: (-sij[0], sij[1], sij[2]))
    return scored


class _Components:
    """Union-find whose components keep the sum of their members' unit vectors, so that the
    mean similarity over every pair across two components is one dot product."""

    def __init__(self, vectors: list[dict[str, float]]) -> None:
        self.parent = list(range(len(vectors)))
        self.size = [1] * len(vectors)
        self.sums = [dict(v) for v in vectors]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def mean_link(self, ri: int, rj: int) -> float:
        return _dot(self.sums[ri], self.sums[rj]) / (self.size[ri] * self.size[rj])

    def try_union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj or self.mean_link(ri, rj) < LINK:
            return False
        # The lower index stays the root so that numbering never depends on merge order;
        # the larger sum is kept and the smaller one added into it.
        root, child = min(ri, rj), max(ri, rj)
        big, small = sorted((self.sums[ri], self.sums[rj]), key=len, reverse=True)
        for term, weight in small.items():
            big[term] = big.get(term, 0.0) + weight
        self.sums[root] = big
        self.sums[child] = {}
        self.size[root] += self.size[child]
        self.parent[child] = root
        return True


def headline(article: Article) -> str | None:
    """The article's title when it reads as a headline: not a dateline ("ISTANBUL",
    "MALATYA, Türkiye"), not a label of a word or two, not a photo caption, not a paragraph."""
    title = " ".join((article.title or "").split())
    n_words = len(words(title))
    if not MIN_TITLE_WORDS <= n_words <= MAX_TITLE_WORDS or title.isupper():
        return None
    captions = (article.slice(x) for x in article.excluded if x.kind == "caption")
    if any(title == " ".join(caption.split()) for caption in captions):
        return None
    return title


def _title(members: list[int], articles: Sequence[Article], profiles: list[_Profile]) -> str:
    """The best headline of the story's articles: the one whose own words are most central
    to the story (closest to the centroid of its articles), else the most frequent names."""
    centroid: dict[str, float] = {}
    for i in members:
        for term, weight in profiles[i].vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    headlines = {i: h for i in members if (h := headline(articles[i]))}
    if headlines:

        def central(i: int) -> tuple[float, int]:
            terms = set(content_words_of(words(headlines[i])))
            score = sum(
                centroid.get(t, 0.0) + centroid.get(NAME_PREFIX + t, 0.0) for t in terms
            ) / math.sqrt(len(terms) or 1)
            return (score, -i)

        return headlines[max(headlines, key=central)].rstrip(".")
    runs: Counter[str] = Counter()
    for i in members:
        runs.update(profiles[i].runs)
    top = sorted(runs.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[:3]
    if top:
        return " / ".join(run for run, _ in top)
    terms: Counter[str] = Counter()
    for i in members:
        terms.update(t for t in profiles[i].terms.elements() if not t.startswith(RUN_PREFIX))
    return " / ".join(t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


def group(profiles: list[_Profile]) -> list[list[int]]:
    """Article indices grouped into stories, ordered by size (largest first), then by first
    appearance."""
    components = _Components([p.vector for p in profiles])
    pairs = _candidate_pairs(profiles)
    for _ in range(PASSES):
        # A pair refused while its stories were small may hold once they have grown.
        joined = False
        for _score, i, j in pairs:
            joined = components.try_union(i, j) or joined
        if not joined:
            break
    members: dict[int, list[int]] = {}
    for i in range(len(profiles)):
        members.setdefault(components.find(i), []).append(i)
    return sorted(members.values(), key=lambda g: (-len(g), g[0]))


def group_stories(articles: Sequence[Article]) -> list[StoryArticles]:
    """Articles grouped into stories, ordered by size (largest first), then first appearance."""
    profiles = [_profile(article) for article in articles]
    stories = []
    for number, members in enumerate(group(profiles), start=1):
        story_words: Counter[str] = Counter()
        for i in members:
            story_words.update(
                {t: n for t, n in profiles[i].terms.items() if not t.startswith(RUN_PREFIX)}
            )
        stories.append(
            StoryArticles(
                id=f"S{number}",
                title=_title(members, articles, profiles) or f"Story {number}",
                articles=[articles[i] for i in members],
                words=story_words,
            )
        )
    return stories
