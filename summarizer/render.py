"""Render: a Briefing to Markdown (the default), JSON or a self-contained HTML page.

JSON is the Briefing itself (``schemas/briefing.schema.json``). Markdown and HTML share one
view built here, so the templates only lay it out: stories with their lead, key figures,
quotes by speaker and stances by actor; then the numbered sources and what was left out.

Every item carries citation markers ``[n §start–end]``: ``n`` numbers an entry of the
Sources list (``Briefing.articles[n-1]``), and ``start``–``end`` are the Python ``str``
indices of the cited characters in that article's text (end exclusive).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import jinja2

from .errors import ConfigError, InternalError
from .models import (
    ArticleReport,
    Briefing,
    BriefQuote,
    CasualtyRow,
    Citation,
    ExclusionKind,
    Figure,
)

Format = Literal["md", "json", "html"]
FORMATS: tuple[Format, ...] = ("md", "json", "html")

__all__ = ["FORMATS", "Format", "render"]

# Singular and plural labels, in the order the "Excluded" note lists them.
_EXCLUSION_LABELS: dict[ExclusionKind, tuple[str, str]] = {
    "boilerplate": ("boilerplate", "boilerplate"),
    "caption": ("caption", "captions"),
    "metadata": ("metadata", "metadata"),
    "off_topic": ("off-topic", "off-topic"),
}
_UNATTRIBUTED_SPEAKER = "Unattributed"
_OTHER_STORY = "Other items"


def render(briefing: Briefing, fmt: Format) -> str:
    """The briefing as Markdown (``md``), JSON (``json``, the full model) or HTML (``html``)."""
    if fmt == "json":
        return briefing.model_dump_json(indent=2)
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}; use one of: {', '.join(FORMATS)}")
    view = build_view(briefing)
    text = _environment().get_template(f"brief.{fmt}.j2").render(brief=view)
    # Optional sections leave blank runs behind; squeezing them is simpler than whitespace
    # control in every branch. Quote text in Markdown is one line, so no content is touched.
    if fmt == "md":
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


# --- the view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One citation: source number, article id and the exact character range."""

    number: int
    article_id: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"[{self.number} §{self.start}–{self.end}]"

    @property
    def where(self) -> str:
        return f"{self.article_id} characters {self.start}–{self.end}"


@dataclass(frozen=True)
class Cited:
    """A piece of text and where it stands in the sources."""

    text: str
    markers: list[Marker]

    @property
    def where(self) -> str:
        return "; ".join(m.where for m in self.markers)


@dataclass(frozen=True)
class FigureGroup:
    """Sources giving the same count on the same authority ("3 per CENTCOM [1] [3]")."""

    count: str
    authority: str | None
    markers: list[Marker]


@dataclass(frozen=True)
class RowView:
    status: str
    group: str
    figures: list[FigureGroup]
    consensus: int | None
    discrepancy: bool
    note: str | None


@dataclass(frozen=True)
class QuoteView:
    text: str
    fragment: bool
    markers: list[Marker]
    outlets: int
    other_wordings: list[Cited]

    @property
    def where(self) -> str:
        return "; ".join(m.where for m in self.markers)


@dataclass(frozen=True)
class SpeakerView:
    speaker: str
    quotes: list[QuoteView]


@dataclass(frozen=True)
class ActorView:
    actor: str
    positions: list[Cited]


@dataclass
class StoryView:
    id: str
    title: str
    sources: list[int]
    lead: list[Cited] = field(default_factory=list)
    figures: list[RowView] = field(default_factory=list)
    background: list[RowView] = field(default_factory=list)
    speakers: list[SpeakerView] = field(default_factory=list)
    actors: list[ActorView] = field(default_factory=list)

    def add_quote(self, speaker: str, quote: QuoteView) -> None:
        for view in self.speakers:
            if view.speaker == speaker:
                view.quotes.append(quote)
                return
        self.speakers.append(SpeakerView(speaker, [quote]))

    def add_position(self, actor: str, position: Cited) -> None:
        for view in self.actors:
            if view.actor == actor:
                view.positions.append(position)
                return
        self.actors.append(ActorView(actor, [position]))

    @property
    def discrepancies(self) -> list[RowView]:
        return [row for row in self.figures if row.discrepancy]

    @property
    def empty(self) -> bool:
        return not (self.lead or self.figures or self.background or self.speakers or self.actors)


@dataclass(frozen=True)
class SourceView:
    number: int
    id: str
    path: str
    status: str
    error: str | None
    title: str | None
    outlet: str | None
    also_paths: list[str]
    excluded: list[str]


@dataclass(frozen=True)
class BriefView:
    title: str
    backend: str
    model: str | None
    status_counts: list[tuple[str, int]]
    stories: list[StoryView]
    sources: list[SourceView]
    dropped: int
    fallbacks: int
    prompt_tokens: int
    completion_tokens: int
    requests: int
    reasks: int

    @property
    def failed(self) -> list[SourceView]:
        return [s for s in self.sources if s.status != "ok"]

    @property
    def with_exclusions(self) -> list[SourceView]:
        return [s for s in self.sources if s.excluded]


def build_view(briefing: Briefing) -> BriefView:
    """Group the briefing's flat lists by story and number its sources, ready to lay out."""
    sources = _Sources(briefing.articles)
    stories: dict[str, StoryView] = {
        s.id: StoryView(s.id, s.title, sources.numbers(s.article_ids)) for s in briefing.stories
    }

    def story(story_id: str) -> StoryView:
        # Items whose story is missing still reach the reader, under a catch-all heading.
        if story_id not in stories:
            stories[story_id] = StoryView(story_id, _OTHER_STORY, [])
        return stories[story_id]

    for line in briefing.summary:
        story(line.story).lead.append(Cited(line.text, sources.markers(line.citations)))
    for row in briefing.casualties:
        target = story(row.story)
        (target.background if row.background else target.figures).append(_row(row, sources))
    for quote in briefing.quotes:
        story(quote.story).add_quote(quote.speaker or _UNATTRIBUTED_SPEAKER, _quote(quote, sources))
    for stance in briefing.stances:
        story(stance.story).add_position(
            stance.actor, Cited(stance.position, sources.markers(stance.citations))
        )

    status_counts = Counter(a.status for a in briefing.articles)
    return BriefView(
        title=briefing.title,
        backend=briefing.backend,
        model=briefing.model,
        status_counts=[
            (s, status_counts[s]) for s in ("ok", "failed", "skipped") if status_counts[s]
        ],
        stories=list(stories.values()),
        sources=[_source(n, a) for n, a in enumerate(briefing.articles, start=1)],
        dropped=briefing.dropped,
        fallbacks=briefing.fallbacks,
        prompt_tokens=briefing.usage.prompt_tokens,
        completion_tokens=briefing.usage.completion_tokens,
        requests=briefing.usage.requests,
        reasks=briefing.usage.reasks,
    )


class _Sources:
    """Numbers the briefing's articles 1..n (the order of ``Briefing.articles``)."""

    def __init__(self, articles: Sequence[ArticleReport]) -> None:
        self._numbers = {a.id: n for n, a in enumerate(articles, start=1)}
        self._outlets = {a.id: a.outlet or a.id for a in articles}

    def numbers(self, article_ids: Iterable[str]) -> list[int]:
        return sorted({self._number(a) for a in article_ids})

    def markers(self, citations: Iterable[Citation]) -> list[Marker]:
        return [Marker(self._number(c.article_id), c.article_id, c.start, c.end) for c in citations]

    def outlets(self, citations: Iterable[Citation]) -> int:
        return len(
            {self._outlets[c.article_id] for c in citations if c.article_id in self._outlets}
        )

    def _number(self, article_id: str) -> int:
        if article_id not in self._numbers:
            # A reference no reader could follow breaks "grounded or absent".
            raise InternalError(
                f"the briefing cites article {article_id!r} but does not list it; "
                "please report this with the input folder"
            )
        return self._numbers[article_id]


def _row(row: CasualtyRow, sources: _Sources) -> RowView:
    groups: dict[tuple[str, str | None], list[Figure]] = {}
    for figure in row.figures:
        count = str(figure.count) if figure.count is not None else f"“{figure.count_text}”"
        groups.setdefault((count, figure.attributed_to), []).append(figure)
    return RowView(
        status=row.status,
        group=row.group,
        figures=[
            FigureGroup(count, authority, sources.markers(figures))
            for (count, authority), figures in groups.items()
        ],
        consensus=row.consensus,
        discrepancy=row.discrepancy,
        note=row.note,
    )


def _quote(quote: BriefQuote, sources: _Sources) -> QuoteView:
    outlets = sources.outlets(quote.citations)
    if not quote.wordings_differ:
        return QuoteView(quote.text, quote.fragment, sources.markers(quote.citations), outlets, [])
    wordings: dict[str, list[Citation]] = {}
    for citation in quote.citations:
        wordings.setdefault(citation.text, []).append(citation)
    # The headline wording is the quote's own text; if no citation has it verbatim, the first
    # citation's wording stands in, so the line shown always has markers to its characters.
    main = quote.text if quote.text in wordings else next(iter(wordings), quote.text)
    return QuoteView(
        text=main,
        fragment=quote.fragment,
        markers=sources.markers(wordings.pop(main, [])),
        outlets=outlets,
        other_wordings=[Cited(text, sources.markers(cs)) for text, cs in wordings.items()],
    )


def _source(number: int, article: ArticleReport) -> SourceView:
    kinds = Counter(e.kind for e in article.excluded)
    excluded = [
        f"{kinds[kind]} {singular if kinds[kind] == 1 else plural}"
        for kind, (singular, plural) in _EXCLUSION_LABELS.items()
        if kinds[kind]
    ]
    return SourceView(
        number=number,
        id=article.id,
        path=article.path,
        status=article.status,
        error=article.error,
        title=article.title,
        outlet=article.outlet,
        also_paths=article.also_paths,
        excluded=excluded,
    )


# --- templates ------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Whitespace runs (a multi-paragraph quote's newlines) as one space, for list items."""
    return " ".join(text.split())


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return _one_line(text).replace("|", "\\|")


def _labels(markers: Iterable[Marker]) -> str:
    return " ".join(m.label for m in markers)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer", "templates"),
        # Only the HTML page is escaped: Markdown shows quotes as they were written.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(one_line=_one_line, cell=_cell, labels=_labels)
    return env
