"""Quotes: the same statement carried by several outlets becomes one entry with every citation.

Outlets alter quotations: "Daesh" where the speaker said "ISIS", "enable[ing]" for "enable",
"..." for a dropped clause, or only the second half of a sentence. Two quotes are the same
statement when, after aliases are unified, editorial brackets dropped and elisions split into
pieces, every piece of one is contained in the other (rapidfuzz ``partial_ratio`` >=
``MATCH``), or, for quotes of similar length, their word sets agree (``token_set_ratio``).

A changed figure is never another wording: two quotes whose numbers differ ("28 wounded in
sector 10" and "22 wounded in sector 0") are different quotes, however alike their words. Only
when the numbers of one are among the numbers of the other (an outlet quoting half the
sentence) can they be one statement.

Only quotes of compatible speakers are compared (the same resolved speaker, or one unknown),
and a group never holds two known speakers. Fragments (scare quotes such as "neutralize")
join only identical fragments of a compatible speaker, never a longer quote: one word says
too little to claim that two outlets quote the same statement.

Blocking keeps a large story cheap: a quote is compared only with quotes that contain one of
its rarest words, or whose rarest words it contains (containment in either direction keeps
the contained quote's words).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from ..aliases import canonical_tokens
from ..models import Article, ArticleExtraction, BriefQuote, Quote
from ..textutil import STOPWORDS, fold
from .grounding import cite, grounded
from .names import NameResolver

FRAGMENT_WORDS = 4
MATCH = 90.0
SET_MATCH = 92.0
MIN_PIECE_TOKENS = 3
MIN_SET_TOKENS = 6
SET_LENGTH_RATIO = 0.6
RARE_WORDS = 4
PER_GROUP = 3  # fuzzy comparisons with one group's members before moving on

# An elision, bracketed or not: "...", ". . .", "…", "[...]", "(…)".
_ELISION_RE = re.compile(r"[\[(]?\s*(?:\.\s?\.\s?\.|…)\s*[\])]?")
_BRACKETS_RE = re.compile(r"\[[^\[\]]*\]")
_MARKS = ("[", "]", "...", "…")
_SURROUNDING = " \t\r\n.,;:!?\"'“”‘’"
_CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
# A figure in a quotation: digits ("1,000", "3.5", "10") or a number word.
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+")
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "dozen": "12",
    "dozens": "dozens",
    "hundreds": "hundreds",
    "thousands": "thousands",
}


@dataclass
class _Item:
    article: Article
    order: int
    quote: Quote
    speaker: str | None
    pieces: list[str]
    joined: str
    tokens: list[str]
    numbers: Counter[str] = field(default_factory=Counter)

    @property
    def position(self) -> tuple[int, int]:
        return (self.order, self.quote.start)


@dataclass
class _Group:
    items: list[_Item] = field(default_factory=list)
    speaker: str | None = None

    def accepts(self, speaker: str | None) -> bool:
        return speaker is None or self.speaker is None or speaker == self.speaker

    def add(self, item: _Item) -> None:
        self.items.append(item)
        self.speaker = self.speaker or item.speaker


def is_fragment(quote: Quote) -> bool:
    """A scare quote or a few words: as the extractor says, or fewer than 4 words."""
    return quote.fragment or len(quote.text.split()) < FRAGMENT_WORDS


def _normalise(text: str) -> list[list[str]]:
    """Token pieces between elisions, editorial brackets dropped and aliases unified."""
    return [list(piece) for piece in _pieces(text)]


@lru_cache(maxsize=8192)
def _pieces(text: str) -> tuple[tuple[str, ...], ...]:
    # Outlets carry the same quotation word for word: each distinct text is read once.
    pieces = []
    for part in _ELISION_RE.split(text):
        tokens = canonical_tokens(_BRACKETS_RE.sub(" ", part))
        if tokens:
            pieces.append(tuple(tokens))
    return tuple(pieces)


@lru_cache(maxsize=8192)
def _numbers_of(text: str) -> tuple[str, ...]:
    found = []
    for match in _NUMBER_RE.finditer(_BRACKETS_RE.sub(" ", text)):
        token = match.group()
        if token[0].isdigit():
            found.append(token.replace(",", ""))
        elif (value := _NUMBER_WORDS.get(token.casefold())) is not None:
            found.append(value)
    return tuple(found)


def _item(article: Article, order: int, quote: Quote, speaker: str | None) -> _Item:
    pieces = _normalise(quote.text)
    tokens = [t for piece in pieces for t in piece]
    return _Item(
        article,
        order,
        quote,
        speaker,
        [" ".join(p) for p in pieces],
        " ".join(tokens),
        tokens,
        Counter(_numbers_of(quote.text)),
    )


def figures_differ(a: _Item, b: _Item) -> bool:
    """Whether the two quotes give different figures: neither one's numbers are all among the
    other's ("28 ... 10" against "22 ... 0"; "28" against "28 ... 10" does not differ)."""
    return not (a.numbers <= b.numbers or b.numbers <= a.numbers)


def _contained(part: _Item, whole: _Item) -> float:
    """How well every substantial piece of ``part`` is found inside ``whole`` (0-100)."""
    pieces = [p for p in part.pieces if len(p.split()) >= MIN_PIECE_TOKENS] or part.pieces
    if sum(len(p.split()) for p in pieces) < MIN_PIECE_TOKENS + 1:
        pieces = [part.joined]
    return min(fuzz.partial_ratio(piece, whole.joined) for piece in pieces)


def similarity(a: _Item, b: _Item) -> float:
    """0-100: how surely two non-fragment quotes are one statement (0 when a figure differs)."""
    if figures_differ(a, b):
        return 0.0
    score = max(_contained(a, b), _contained(b, a))
    short, long = sorted((len(a.tokens), len(b.tokens)))
    if (
        score < MATCH
        and short >= MIN_SET_TOKENS
        and short >= SET_LENGTH_RATIO * long
        and fuzz.token_set_ratio(a.joined, b.joined) >= SET_MATCH
    ):
        score = MATCH
    return score


def _content(tokens: list[str]) -> list[str]:
    out = [t for t in tokens if (len(t) > 2 or t.isupper()) and t not in STOPWORDS]
    return list(dict.fromkeys(out or tokens))


class _Index:
    """Blocking for one story's non-fragment quotes (see the module docstring)."""

    def __init__(self, items: list[_Item]) -> None:
        self.df: Counter[str] = Counter()
        for item in items:
            self.df.update(_content(item.tokens))
        self.by_word: dict[str, list[int]] = {}
        self.by_rare: dict[str, list[int]] = {}

    def rare(self, item: _Item) -> list[str]:
        return sorted(_content(item.tokens), key=lambda t: (self.df[t], t))[:RARE_WORDS]

    def candidates(self, item: _Item) -> list[int]:
        found: dict[int, None] = {}
        for word in self.rare(item):
            found.update(dict.fromkeys(self.by_word.get(word, [])))
        for word in _content(item.tokens):
            found.update(dict.fromkeys(self.by_rare.get(word, [])))
        return sorted(found)

    def add(self, number: int, item: _Item) -> None:
        for word in _content(item.tokens):
            self.by_word.setdefault(word, []).append(number)
        for word in self.rare(item):
            self.by_rare.setdefault(word, []).append(number)


def _closest(
    item: _Item, index: _Index, indexed: list[tuple[_Item, int]], groups: list[_Group]
) -> int | None:
    """The compatible group holding the quote most like ``item`` (>= ``MATCH``), if any."""
    best: tuple[float, int] | None = None
    tried: Counter[int] = Counter()
    for number in index.candidates(item):
        other, g = indexed[number]
        if tried[g] >= PER_GROUP or not groups[g].accepts(item.speaker):
            continue
        tried[g] += 1
        score = similarity(item, other)
        if score >= MATCH and (best is None or score > best[0]):
            best = (score, g)
    return None if best is None else best[1]


def _group(items: list[_Item]) -> list[_Group]:
    """Group a story's quotes in order: same text first, then the fuzzy match.

    A wording already seen joins its group without fuzzy matching and is not indexed again,
    so wire copy carried verbatim by hundreds of outlets costs one lookup per copy.
    """
    groups: list[_Group] = []
    by_text: dict[tuple[bool, str], list[int]] = {}
    index = _Index([item for item in items if not is_fragment(item.quote)])
    indexed: list[tuple[_Item, int]] = []
    for item in items:
        fragment = is_fragment(item.quote)
        key = (fragment, fold(item.quote.text) if fragment else item.joined)
        seen = by_text.setdefault(key, [])
        chosen = next((g for g in seen if groups[g].accepts(item.speaker)), None)
        if chosen is None:
            if not fragment:
                chosen = _closest(item, index, indexed, groups)
            if chosen is None:
                chosen = len(groups)
                groups.append(_Group())
            seen.append(chosen)
            if not fragment:
                index.add(len(indexed), item)
                indexed.append((item, chosen))
        groups[chosen].add(item)
    return groups


def _plain(text: str) -> str:
    """A citation's wording with case, curly quotes and edge punctuation folded away."""
    return " ".join(text.translate(_CURLY).casefold().strip(_SURROUNDING).split())


def _brief(story: str, group: _Group) -> BriefQuote:
    items = sorted(group.items, key=lambda i: i.position)
    spans = {(i.article.id, i.quote.start, i.quote.end): i.article for i in items}
    citations = [cite(article, start, end) for (_, start, end), article in spans.items()]
    canonical = min(
        citations,
        key=lambda c: (any(m in c.text for m in _MARKS), -len(c.text.strip(_SURROUNDING))),
    )
    return BriefQuote(
        id="",
        story=story,
        text=canonical.text,
        speaker=group.speaker,
        fragment=is_fragment(items[0].quote),
        citations=citations,
        wordings_differ=len({_plain(c.text) for c in citations}) > 1,
    )


def merge_quotes(
    story: str,
    sources: list[tuple[int, Article, ArticleExtraction]],
    names: NameResolver,
) -> tuple[list[BriefQuote], int]:
    """One story's quotes, grouped, in order of first appearance; and how many were dropped.

    ``sources`` holds (input position, article, extraction) in input order; ids are left
    empty for the caller to number across stories.
    """
    items: list[_Item] = []
    dropped = 0
    for order, article, extraction in sources:
        for quote in sorted(extraction.quotes, key=lambda q: (q.start, q.end)):
            if not grounded(article, quote.start, quote.end, quote.text):
                dropped += 1
                continue
            items.append(_item(article, order, quote, names.resolve(quote.speaker)))
    groups = _group(items)
    groups.sort(key=lambda g: min(i.position for i in g.items))
    return [_brief(story, g) for g in groups], dropped
