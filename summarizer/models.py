"""The data every stage passes on: Article (ingest), ArticleExtraction (extract), Briefing (merge).

Offsets are Python ``str`` indices into ``Article.text`` (the file's bytes decoded as UTF-8,
a BOM removed, nothing else changed; for a file in another encoding its decoded characters;
for a web page, a feed entry or an e-mail the text its reader extracted), so
``article.text[start:end]`` is always the cited text.
"""

from __future__ import annotations

import bisect
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

CasualtyStatus = Literal["killed", "wounded", "missing", "detained"]
ArticleStatus = Literal["ok", "failed", "skipped"]
ExclusionKind = Literal["boilerplate", "metadata", "caption", "off_topic"]
# What a casualty row's figures say together: they agree; sources disagree about the same
# thing at the same time; the figure changed over time; context (cumulative, another event or
# place), never part of the event's toll.
RowKind = Literal["consistent", "dispute", "update", "scope"]
Attribution = Literal["explicit", "pronoun", "role", "echo", "context", "none"]
# How a quote's speaker was checked: the model and the text's own attribution (the rules)
# name the same speaker; only the model names one (the text has no frame); only the rules do
# (no model, or it named nobody); they, or the outlets of a story, name different people.
SpeakerCheck = Literal["agreed", "model_only", "rules_only", "disputed"]
# How strongly the text itself attributes a quote: a reporting frame next to it naming the
# speaker ('"...," X said'); a pronoun, a description or a previous speaker carried over
# ('he said', 'the envoy said', the next paragraph); nothing.
Evidence = Literal["strong", "weak", "none"]


def attribution_evidence(attribution: Attribution) -> Evidence:
    """The strength of the text's evidence for a speaker read as ``attribution``: an explicit
    frame is strong; a pronoun, a description, an echo or context resolved to someone is weak."""
    if attribution == "explicit":
        return "strong"
    return "none" if attribution == "none" else "weak"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Pydantic keeps with each instance the names of the fields it was given, a set of its own:
# 700 bytes and more, more than the rest of a citation. ``_Compact`` models share one set
# for each group of names.
_FIELD_NAMES: dict[frozenset[str], set[str]] = {}


class _Compact(_Model):
    """A model a brief holds many of (a citation for each place an item is written, an
    exclusion for each stretch kept out, a report for each article): its instances given the
    same fields share one set of their names, which at 100,000 articles saves about a third
    of the brief's memory. Safe because models are frozen: pydantic adds to an instance's
    set only when a field is assigned (refused) or in ``model_copy`` (after copying it)."""

    def model_post_init(self, context: Any, /) -> None:
        names = self.__pydantic_fields_set__
        object.__setattr__(
            self, "__pydantic_fields_set__", _FIELD_NAMES.setdefault(frozenset(names), names)
        )


class Span(_Model):
    """A half-open character range ``[start, end)`` of an article's text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


# --- ingest ---------------------------------------------------------------------------------


class Excluded(Span, _Compact):
    """A stretch of the article kept out of extraction, and why."""

    kind: ExclusionKind
    reason: str


class Sentence(Span):
    paragraph: int
    heading: bool = False


class QuoteSpan(Span):
    """The text between a pair of quotation marks (the marks themselves are outside the span).

    A quotation running over several paragraphs is one span per paragraph; ``continues`` is the
    id of the span it continues.
    """

    id: int
    sentence: int
    fragment: bool
    continues: int | None = None


class Article(_Model):
    """One decoded article, segmented, with everything that must not reach the brief marked.

    ``text`` is the reading text: the article as read with each soft line break of hard-wrapped
    copy folded into one space and each word broken after a hyphen joined (see
    ``summarizer.ingest.unwrap``). ``source`` is the text as read when it differs (None
    otherwise), and ``shifts`` says where offsets part: from reading offset ``at`` on, the text
    as read is ``by`` characters further on (pairs in increasing order). Spans of the
    extraction index ``text``; citations in the brief index the text as read (``to_source``).
    ``url``: where the article is published (a page's canonical URL, a feed entry's link, the
    URL it was fetched from); ``warnings``: what the brief must say about how it was read
    (decoded from an encoding other than UTF-8; quotation marks that were not read).
    """

    id: str
    path: str
    text: str
    sha256: str
    source: str | None = None
    shifts: list[tuple[int, int]] = []
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    warnings: list[str] = []
    sentences: list[Sentence] = []
    quote_spans: list[QuoteSpan] = []
    excluded: list[Excluded] = []

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    @property
    def as_read(self) -> str:
        """The text as read (before soft line breaks were folded)."""
        return self.text if self.source is None else self.source

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """The span of the text as read that holds ``[start, end)`` of ``text``."""
        if not self.shifts or end <= start:
            return start, end
        return start + self._shift(start), end + self._shift(end - 1)

    def _shift(self, at: int) -> int:
        k = bisect.bisect_right(self.shifts, (at, float("inf")))
        return self.shifts[k - 1][1] if k else 0


class ArticleFailure(_Model):
    """An input that could not become an Article; it is listed in the brief, never dropped."""

    id: str
    path: str
    error: str


# --- extract --------------------------------------------------------------------------------


class Quote(Span):
    """A direct quotation: ``text`` is ``article.text[start:end]``, verbatim by construction.

    ``speaker_check`` says how the speaker was checked (see ``SpeakerCheck``; None: nobody
    is named, or the backend checked nothing, then read it from ``attribution``).
    ``rules_speaker``: when the llm backend's speaker is not the one the rules backend reads
    off the text, the rules' candidate; ``model_speaker``: when the text's strong frame won
    over the model, the model's answer. ``rules_evidence``: how strongly the text attributes
    the rules' candidate.
    """

    text: str
    speaker: str | None
    speaker_span: Span | None = None
    fragment: bool
    attribution: Attribution
    rules_speaker: str | None = None
    model_speaker: str | None = None
    rules_evidence: Evidence | None = None
    speaker_check: SpeakerCheck | None = None


class CasualtyFigure(Span):
    """A reported count of people killed, wounded, missing or detained.

    ``start``/``end`` cover the figure as stated ("three other service members");
    ``evidence`` is the whole sentence it stands in. ``person``: the named people the figure
    counts, as the article names them ("Ana Ruiz", "Ana Ruiz and Piet Lund"), for a figure of
    named individuals. ``denial``: where the sentence says another party denies it ("although
    the police have denied this"): the figure is a claim in dispute.

    ``category``: the kind of people counted ("soldiers", "civilians", "attackers"); for a
    part, the part itself as the text sets it apart ("children", "in critical condition").
    ``part_of``: the figure is a part of a larger figure the text gives ("including six
    children", "three of the wounded were in critical condition"): never compared with the
    whole. ``superseded``: the text says a later figure replaced it ("an earlier toll of 12").
    Merge reads both flags; nothing about them is written into ``group`` or ``category``.
    """

    status: CasualtyStatus
    count: int | None
    count_text: str
    group: str
    nationality: str | None = None
    category: str | None = None
    attributed_to: str | None = None
    evidence: Span
    background: bool = False
    person: str | None = None
    denial: Span | None = None
    part_of: bool = False
    superseded: bool = False


class Stance(Span):
    """A policy position: ``position`` is ``article.text[start:end]``."""

    actor: str
    actor_span: Span | None = None
    position: str


class SummarySentence(Span):
    text: str
    score: float = 0.0


class Fallback(_Model):
    """An item the LLM got wrong that the rules backend answered instead (or that was dropped)."""

    item: str
    reason: str


_Counts = TypeVar("_Counts", bound=BaseModel)


def add_counts(a: _Counts, b: _Counts) -> _Counts:
    """Two models whose fields are all counts, added field by field (``Usage``, the
    evaluation's speaker scores)."""
    return type(a)(**{name: getattr(a, name) + getattr(b, name) for name in type(a).model_fields})


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    reasks: int = 0

    def __add__(self, other: Usage) -> Usage:
        return add_counts(self, other)


class ArticleExtraction(_Model):
    """What a backend found in one article; the same shape whichever backend made it."""

    article_id: str
    backend: str
    model: str | None = None
    quotes: list[Quote] = []
    casualties: list[CasualtyFigure] = []
    stances: list[Stance] = []
    summary: list[SummarySentence] = []
    fallbacks: list[Fallback] = []
    dropped: int = 0
    usage: Usage = Usage()


class ArticleHead(BaseModel):
    """What an article's report (``ArticleReport``) takes of it, read from the article's JSON
    without making the rest (text, sentences, quotation spans): how merge's first pass reads
    the articles of a caller that keeps them as JSON (``merge.Glancing``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    path: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    warnings: list[str] = []
    excluded: list[Excluded] = []


class ExtractionTotals(BaseModel):
    """What merge's first pass takes of an extraction (its article, and what the brief
    totals), read from its JSON without making its items (``merge.Glancing``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    article_id: str
    fallbacks: list[Fallback] = []
    dropped: int = 0
    usage: Usage = Usage()


# --- merge ----------------------------------------------------------------------------------


class Citation(Span, _Compact):
    """Where an item stands in a source. ``start``/``end`` index the article as read (the
    file's decoded characters); ``text`` is the text shown, those characters with soft line
    breaks of hard-wrapped copy folded into spaces; ``exact`` is the characters themselves,
    given only when they differ from ``text``."""

    article_id: str
    text: str
    exact: str | None = None


class ArticleReport(_Compact):
    id: str
    path: str
    status: ArticleStatus
    error: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    warnings: list[str] = []
    also_paths: list[str] = []
    excluded: list[Excluded] = []
    # A republished wire story: the id of the first article in its story with the same copy
    # (high word-shingle overlap). It is not independent corroboration.
    same_copy_as: str | None = None


class Story(_Model):
    id: str
    title: str
    article_ids: list[str]


class SpeakerCandidate(_Compact):
    """Who someone says a quote is by: ``by`` the model or the rules (the text's own frame),
    with the text's ``evidence`` for it (a model's answer the rules do not share: "none"), in
    the articles ``article_ids``."""

    speaker: str
    by: Literal["model", "rules"]
    evidence: Evidence
    article_ids: list[str]


class BriefQuote(_Model):
    """One statement, however many outlets carry it; each citation keeps its own wording.

    ``speaker_check``: how the speaker was checked, across every outlet (see
    ``SpeakerCheck``; "disputed" also when outlets attribute the remark to different people);
    ``evidence``: how strongly the text attributes the speaker shown; ``candidates``: every
    speaker proposed for it, with its evidence (one per distinct name and source).
    ``within``: for a fragment (a scare-quoted word or two), the id of the longer quote of the
    same story whose words it repeats; the brief shows it under that quote, not as a remark of
    its own (merge decides, render only folds). ``outlets``: how many outlets carry it, a
    republished wire copy (``ArticleReport.same_copy_as``) counted as the outlet that first
    ran it and an article without an outlet as one of its own.
    """

    id: str
    story: str
    text: str
    speaker: str | None
    fragment: bool
    citations: list[Citation]
    wordings_differ: bool = False
    speaker_check: SpeakerCheck | None = None
    evidence: Evidence | None = None
    candidates: list[SpeakerCandidate] = []
    within: str | None = None
    outlets: int = 1


class Figure(Citation):
    """One source's figure in a row. ``as_of``: when it held, as far as the article tells (its
    publication time, ISO 8601), else None; ``superseded``: a later figure replaced it (the
    same source's newer count, or the text says it was an earlier one).

    ``attributed_to`` is the source as the article states it; ``source`` is who the brief
    credits the figure to (merge decides, render shows it): that authority as the story names
    it everywhere ("the ministry" is "Syria's Interior Ministry"); for a figure an article
    gives in its own voice and elsewhere attributes to exactly one authority, saying no more
    of who than that authority's figure ("41" in a headline, "at least 41 people" per the
    agency), that authority; else the article's outlet; None: unattributed."""

    count: int | None
    count_text: str
    group_as_stated: str
    attributed_to: str | None
    as_of: str | None = None
    superseded: bool = False
    source: str | None = None


class CasualtyRow(_Model):
    """Every source's figure for one status of one group, within one story.

    ``kind`` says what the figures are together (see ``RowKind``); ``discrepancy`` is true
    exactly for a dispute and ``background`` for scope. ``values``: for an update, the counts
    in the order they held, the latest first (``[305, 235]``: rose from 235 to 305);
    ``consensus`` is then the latest. ``part``: the figures count a part of the story's toll
    that the article set apart ("including six children": ``group`` is "children"); shown
    among the toll, never compared with it.
    """

    id: str
    story: str
    status: CasualtyStatus
    group: str
    figures: list[Figure]
    consensus: int | None
    discrepancy: bool
    background: bool = False
    note: str | None = None
    kind: RowKind = "consistent"
    values: list[int] = []
    part: bool = False


class BriefStance(_Model):
    id: str
    story: str
    actor: str
    position: str
    citations: list[Citation]


class SummaryLine(_Model):
    story: str
    text: str
    citations: list[Citation]


class Briefing(_Model):
    """The merged brief; ``summarizer brief --format json`` writes exactly this."""

    title: str
    backend: str
    model: str | None = None
    articles: list[ArticleReport]
    stories: list[Story]
    summary: list[SummaryLine]
    quotes: list[BriefQuote]
    casualties: list[CasualtyRow]
    stances: list[BriefStance]
    dropped: int = 0
    fallbacks: int = 0
    usage: Usage = Usage()

    def __repr_args__(self) -> Any:
        """A short repr (and ``str``): what the brief holds, counted, not its whole content."""
        yield "title", self.title if len(self.title) <= 60 else self.title[:59] + "…"
        yield "backend", self.backend
        if self.model:
            yield "model", self.model
        statuses = [a.status for a in self.articles]
        yield "articles", len(statuses)
        for status in ("failed", "skipped"):
            if status in statuses:
                yield status, statuses.count(status)
        for name in ("stories", "summary", "quotes", "casualties", "stances"):
            yield name, len(getattr(self, name))

    def citations(self) -> list[Citation]:
        """Every citation in the brief: quotes, figures, stances and summary lines."""
        found: list[Citation] = [c for quote in self.quotes for c in quote.citations]
        found += [figure for row in self.casualties for figure in row.figures]
        found += [c for stance in self.stances for c in stance.citations]
        found += [c for line in self.summary for c in line.citations]
        return found
