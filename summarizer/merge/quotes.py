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
and a group never holds two known speakers of one article. Across articles, one remark
attributed to different people is one entry, ``disputed``: a non-fragment quote of at least
``MIN_SET_TOKENS`` words carried word for word, or matching at ``DISPUTE_MATCH`` or better, by
another outlet that names someone else. Fragments (scare quotes such as "neutralize")
join only identical fragments of a compatible speaker, never a longer quote: one word says
too little to claim that two outlets quote the same statement.

Every entry says how its speaker was checked (``speaker_check``), over all its outlets: each
outlet's quote brings its candidates (the model's, the rules' reading of the text, with its
evidence); the entry is disputed when one outlet's quote is, or when the candidates name
different people; agreed when the model and the text name the same person (in one outlet or
across two); else model_only or rules_only. The speaker shown is the one with the strongest
evidence, then the most outlets.

Blocking keeps a large story cheap: a quote is compared only with quotes that contain one of
its rarest words, or whose rarest words it contains (containment in either direction keeps
the contained quote's words).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from ..aliases import canonical_tokens
from ..models import (
    Article,
    ArticleExtraction,
    BriefQuote,
    Evidence,
    Quote,
    SpeakerCandidate,
    SpeakerCheck,
    attribution_evidence,
)
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
DISPUTE_MATCH = 95.0  # one remark, two speakers, two outlets: only a near-verbatim match
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
    content: list[str] = field(default_factory=list)  # ``_content(tokens)``, for blocking
    fragment: bool = False  # ``is_fragment(quote)``

    @property
    def position(self) -> tuple[int, int]:
        return (self.order, self.quote.start)


_STRENGTH: dict[Evidence, int] = {"strong": 2, "weak": 1, "none": 0}


@dataclass(frozen=True)
class _Candidate:
    speaker: str
    by: Literal["model", "rules"]
    evidence: Evidence


def _resolve(names: NameResolver | None, name: str | None) -> str | None:
    return names.resolve(name) if names is not None else name


def candidates(quote: Quote, resolve: NameResolver | None = None) -> list[_Candidate]:
    """Who one outlet's quote is by, per the model and per the rules, with the text's evidence.

    A quote no backend checked (the rules backend's own) is the rules' reading, its evidence
    read off its ``attribution``.
    """

    def name(raw: str | None) -> str | None:
        return _resolve(resolve, raw)

    speaker = name(quote.speaker)
    if speaker is None:
        return []
    check = quote.speaker_check or "rules_only"
    evidence = quote.rules_evidence or attribution_evidence(quote.attribution)
    if check == "agreed":
        return [_Candidate(speaker, "model", evidence), _Candidate(speaker, "rules", evidence)]
    if check == "model_only":
        return [_Candidate(speaker, "model", "none")]
    if check == "rules_only":
        return [_Candidate(speaker, "rules", evidence)]
    found: list[_Candidate] = []
    model, rules = name(quote.model_speaker), name(quote.rules_speaker)
    if model is not None:  # the text's strong frame won over the model
        found = [_Candidate(speaker, "rules", evidence), _Candidate(model, "model", "none")]
    elif rules is not None:  # the model's grounded answer stands over a weak frame
        found = [_Candidate(speaker, "model", "none"), _Candidate(rules, "rules", evidence)]
    else:
        found = [_Candidate(speaker, "model", "none")]
    return found


@dataclass
class _Group:
    items: list[_Item] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)  # the items' articles

    def accepts(self, speaker: str | None) -> bool:
        return speaker is None or not self.speakers or speaker in self.speakers

    def disputes(self, item: _Item) -> bool:
        """Whether ``item`` may join as another outlet's attribution of the same remark: it
        names someone else, it is no fragment, and no quote of its article is here."""
        return (
            item.speaker is not None
            and not self.accepts(item.speaker)
            and not item.fragment
            and len(item.tokens) >= MIN_SET_TOKENS
            and item.article.id not in self.articles
        )

    def add(self, item: _Item) -> None:
        self.items.append(item)
        self.articles.add(item.article.id)
        if item.speaker is not None and item.speaker not in self.speakers:
            self.speakers.append(item.speaker)


def is_fragment(quote: Quote) -> bool:
    """A scare quote or a few words: as the extractor says, or fewer than 4 words."""
    return quote.fragment or len(quote.text.split()) < FRAGMENT_WORDS


@lru_cache(maxsize=8192)
def _pieces(text: str) -> tuple[tuple[str, ...], ...]:
    """Token pieces between elisions, editorial brackets dropped and aliases unified."""
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
    pieces, joined, tokens, content = _reading(quote.text)
    return _Item(
        article,
        order,
        quote,
        speaker,
        list(pieces),
        joined,
        list(tokens),
        Counter(_numbers_of(quote.text)),
        list(content),
        is_fragment(quote),
    )


@lru_cache(maxsize=8192)
def _reading(text: str) -> tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]:
    """A quotation's pieces (each joined), all its tokens joined, the tokens, and its content
    words: read once per distinct text, as outlets carry the same quotation word for word."""
    tokens = [t for piece in _pieces(text) for t in piece]
    return (
        tuple(" ".join(p) for p in _pieces(text)),
        " ".join(tokens),
        tuple(tokens),
        tuple(_content(tokens)),
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
            self.df.update(item.content)
        self.by_word: dict[str, list[int]] = {}
        self.by_rare: dict[str, list[int]] = {}

    def rare(self, item: _Item) -> list[str]:
        """The item's rarest content words (the caller asks once an item: see ``add``)."""
        return sorted(item.content, key=lambda t: (self.df[t], t))[:RARE_WORDS]

    def candidates(self, item: _Item, rare: list[str]) -> list[int]:
        """``rare``: ``self.rare(item)``."""
        found: dict[int, None] = {}
        for word in rare:
            found.update(dict.fromkeys(self.by_word.get(word, [])))
        for word in item.content:
            found.update(dict.fromkeys(self.by_rare.get(word, [])))
        return sorted(found)

    def add(self, number: int, item: _Item, rare: list[str]) -> None:
        """``rare``: ``self.rare(item)``, as the item was looked up with it."""
        for word in item.content:
            self.by_word.setdefault(word, []).append(number)
        for word in rare:
            self.by_rare.setdefault(word, []).append(number)


def _closest(
    item: _Item,
    rare: list[str],
    index: _Index,
    indexed: list[tuple[_Item, int]],
    groups: list[_Group],
) -> int | None:
    """The compatible group holding the quote most like ``item`` (>= ``MATCH``), if any;
    ``rare``: its rarest words (``_Index.rare``)."""
    best: tuple[bool, float, int] | None = None
    tried: Counter[int] = Counter()
    for number in index.candidates(item, rare):
        other, g = indexed[number]
        compatible = groups[g].accepts(item.speaker)
        if tried[g] >= PER_GROUP or not (compatible or groups[g].disputes(item)):
            continue
        tried[g] += 1
        score = similarity(item, other)
        needed = MATCH if compatible else DISPUTE_MATCH
        if score >= needed and (best is None or (compatible, score) > best[0:2]):
            best = (compatible, score, g)
    return None if best is None else best[2]


def _group(items: list[_Item]) -> list[_Group]:
    """Group a story's quotes in order: same text first, then the fuzzy match.

    A wording already seen joins its group without fuzzy matching and is not indexed again,
    so wire copy carried verbatim by hundreds of outlets costs one lookup per copy.
    """
    groups: list[_Group] = []
    by_text: dict[tuple[bool, str], list[int]] = {}
    index = _Index([item for item in items if not item.fragment])
    indexed: list[tuple[_Item, int]] = []
    for item in items:
        fragment = item.fragment
        key = (fragment, fold(item.quote.text) if fragment else item.joined)
        seen = by_text.setdefault(key, [])
        chosen = next((g for g in seen if groups[g].accepts(item.speaker)), None)
        if chosen is None:  # the same words another outlet gives someone else: disputed
            chosen = next((g for g in seen if groups[g].disputes(item)), None)
        if chosen is None:
            rare = [] if fragment else index.rare(item)
            if not fragment:
                chosen = _closest(item, rare, index, indexed, groups)
            if chosen is None:
                chosen = len(groups)
                groups.append(_Group())
            seen.append(chosen)
            if not fragment:
                index.add(len(indexed), item, rare)
                indexed.append((item, chosen))
        groups[chosen].add(item)
    return groups


def _plain(text: str) -> str:
    """A citation's wording with case, curly quotes and edge punctuation folded away."""
    return " ".join(text.translate(_CURLY).casefold().strip(_SURROUNDING).split())


@dataclass
class _Outlets:
    """What the outlets carrying one quote say of its speaker, added outlet by outlet.

    A quote carried by hundreds of outlets is read once per outlet: what each outlet says is
    added to sets kept in place, and outlets that attribute it alike share their candidates.
    """

    # Each candidate's strongest evidence and its articles (a dict: in order, no repeats).
    proposed: dict[tuple[str, Literal["model", "rules"]], tuple[Evidence, dict[str, None]]] = field(
        default_factory=dict
    )
    # Candidates by attribution: outlets that attribute the quote alike share them.
    alike: dict[tuple[str | None, ...], list[_Candidate]] = field(default_factory=dict)
    disputed: bool = False
    # The model's speakers named nowhere near the quote in their outlet.
    unsupported: set[str] = field(default_factory=set)
    # Speakers an outlet's own text frames (or nobody doubts).
    supported: set[str] = field(default_factory=set)
    # Each outlet's own answer: its strongest evidence and the outlets giving it.
    decided: dict[str, tuple[int, set[str]]] = field(default_factory=dict)

    def add(self, item: _Item, names: NameResolver | None) -> None:
        """One outlet's quote: its own answer, then its candidates."""
        self._answer(item)
        self._propose(item, names)

    def _answer(self, item: _Item) -> None:
        """The speaker the outlet's quote settled on, how strongly its text frames it, and
        whether the outlet's checks dispute it."""
        quote = item.quote
        own = item.speaker  # the quote's speaker, resolved
        if own is not None and quote.speaker_check in ("agreed", "model_only", "rules_only"):
            self.supported.add(own)
        if own is not None:
            framed = quote.speaker_check in ("agreed", "rules_only") or (
                quote.speaker_check == "disputed" and quote.model_speaker is not None
            )
            strength = _STRENGTH[quote.rules_evidence or "none"] if framed else 0
            if quote.speaker_check is None:  # the rules backend's own quote
                strength = _STRENGTH[attribution_evidence(quote.attribution)]
            best, outlets = self.decided.get(own, (0, set()))
            outlets.add(item.article.id)
            self.decided[own] = (max(best, strength), outlets)
        if quote.speaker_check == "disputed":
            if quote.model_speaker is not None or quote.rules_speaker is not None:
                self.disputed = True
            elif own is not None:
                self.unsupported.add(own)

    def _propose(self, item: _Item, names: NameResolver | None) -> None:
        """The outlet's candidates, each keeping its strongest evidence and its articles."""
        quote = item.quote
        attribution = (
            quote.speaker,
            quote.speaker_check,
            quote.rules_evidence,
            quote.attribution,
            quote.model_speaker,
            quote.rules_speaker,
        )
        if attribution not in self.alike:
            self.alike[attribution] = candidates(quote, names)
        for c in self.alike[attribution]:
            evidence, ids = self.proposed.get((c.speaker, c.by), ("none", {}))
            if _STRENGTH[c.evidence] > _STRENGTH[evidence]:
                evidence = c.evidence
            ids[item.article.id] = None
            self.proposed[(c.speaker, c.by)] = (evidence, ids)

    def listed(self) -> list[SpeakerCandidate]:
        """Every candidate, in order of first proposal."""
        return [
            SpeakerCandidate(speaker=speaker, by=by, evidence=evidence, article_ids=list(ids))
            for (speaker, by), (evidence, ids) in self.proposed.items()
        ]

    def shown(self, people: list[str]) -> str:
        """The person to show: what the outlets decided first (the strongest evidence, then
        the most outlets), a candidate no outlet showed last, then the first proposed."""
        order = {person: i for i, person in enumerate(people)}

        def support(person: str) -> tuple[int, int, int]:
            strength, outlets = self.decided.get(person, (-1, set()))
            return (strength, len(outlets), -order[person])

        return max(people, key=support)

    def check(self, shown: str, mine: list[SpeakerCandidate], people: int) -> SpeakerCheck:
        """How the ``shown`` speaker was checked, from ``mine`` (its candidates) and the
        number of ``people`` proposed: disputed when an outlet disputes it, two people are
        named, or only the model names it where no outlet's text backs it."""
        # Another outlet's text frames it, or names it next to the quote there.
        corroborated = shown in self.supported or any(c.by == "rules" for c in mine)
        if self.disputed or people > 1 or (shown in self.unsupported and not corroborated):
            return "disputed"
        if {c.by for c in mine} == {"model", "rules"}:
            return "agreed"
        return "model_only" if mine[0].by == "model" else "rules_only"


def _check(
    group: _Group, names: NameResolver | None
) -> tuple[str | None, SpeakerCheck | None, Evidence | None, list[SpeakerCandidate]]:
    """The speaker shown, how it was checked, its evidence, and every candidate (read from
    every outlet's quote: ``_Outlets``)."""
    outlets = _Outlets()
    for item in group.items:
        outlets.add(item, names)
    listed = outlets.listed()
    if not listed:
        return None, None, None, []
    people = list(dict.fromkeys(c.speaker for c in listed))
    shown = outlets.shown(people)
    mine = [c for c in listed if c.speaker == shown]
    shown_evidence = max((c.evidence for c in mine), key=lambda e: _STRENGTH[e])
    return shown, outlets.check(shown, mine, len(people)), shown_evidence, listed


def _shown_rank(text: str) -> tuple[bool, int]:
    """How a wording ranks to be shown (least first): no editor's mark, then the longest."""
    return (any(m in text for m in _MARKS), -len(text.strip(_SURROUNDING)))


def _brief(story: str, group: _Group, names: NameResolver | None = None) -> BriefQuote:
    items = sorted(group.items, key=lambda i: i.position)
    spans = {(i.article.id, i.quote.start, i.quote.end): i.article for i in items}
    citations = [cite(article, start, end) for (_, start, end), article in spans.items()]
    # The wording shown: the first of the longest without an editor's mark (read once each).
    wordings = {text: _shown_rank(text) for text in dict.fromkeys(c.text for c in citations)}
    canonical = min(citations, key=lambda c: wordings[c.text])
    speaker, check, evidence, listed = _check(group, names)
    return BriefQuote(
        id="",
        story=story,
        text=canonical.text,
        speaker=speaker,
        fragment=items[0].fragment,
        citations=citations,
        wordings_differ=len({_plain(text) for text in {c.text for c in citations}}) > 1,
        speaker_check=check,
        evidence=evidence,
        candidates=listed,
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
    return [_brief(story, g, names) for g in groups], dropped


def fold_fragments(quotes: list[BriefQuote]) -> list[BriefQuote]:
    """Each fragment whose words a longer quote of its story says, in order and whole, gets
    that quote's id as ``within`` (its speaker unknown or the same): "neutralize" in a
    headline is a word of the envoy's sentence, not a remark of its own, so the brief shows
    it under that sentence. A non-fragment quote is preferred, then one carried by an article
    that also carries the fragment, then the first; a fragment inside a longer fragment
    ("retaliation" in "very serious retaliation") ends under the quote that one is under.
    A fragment no longer quote contains stays on its own (``within`` None): it may be all an
    outlet reported.

    Quotes are indexed by the words that begin a fragment of their story, so each fragment is
    compared only with quotes that hold its first word.
    """
    firsts = {
        (quote.story, word)
        for quote in quotes
        if quote.fragment
        for word in fold(quote.text).split()[:1]
    }
    said: dict[str, list[tuple[str, ...]]] = {}
    holding: dict[tuple[str, str], dict[str, BriefQuote]] = {}
    for quote in quotes:
        # Each distinct wording once: a wire quote's hundreds of citations say a few.
        said[quote.id] = list(dict.fromkeys(tuple(fold(c.text).split()) for c in quote.citations))
        for words in said[quote.id]:
            for word in words:
                if (quote.story, word) in firsts:
                    holding.setdefault((quote.story, word), {})[quote.id] = quote
    within: dict[str, str] = {}
    for quote in quotes:
        words = tuple(fold(quote.text).split())
        if not quote.fragment or not words:
            continue
        articles = {c.article_id for c in quote.citations}
        found = [
            whole
            for whole in holding.get((quote.story, words[0]), {}).values()
            if whole.id != quote.id
            and quote.speaker in (None, whole.speaker)
            and any(len(w) > len(words) and _holds(w, words) for w in said[whole.id])
        ]
        if found:
            best = min(
                enumerate(found),
                key=lambda iw: (
                    iw[1].fragment,
                    not articles & {c.article_id for c in iw[1].citations},
                    iw[0],
                ),
            )[1]
            within[quote.id] = best.id
    folded = []
    for quote in quotes:
        root = within.get(quote.id)
        seen = {quote.id}
        while root is not None and root in within and root not in seen:
            seen.add(root)
            root = within[root]
        folded.append(quote.model_copy(update={"within": root}) if root else quote)
    return folded


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` stands in ``words`` as a run of whole words."""
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))
