"""Render: a Briefing to Markdown (the default), JSON or a self-contained HTML page.

JSON is the Briefing itself (``schemas/briefing.schema.json``). Markdown and HTML share one
view built here, so the templates only lay it out: stories with their lead, key figures,
quotes by speaker and stances by actor; then the numbered sources and what was left out.

Key figures are grouped by count, the count most sources give first, each authority named
once with all its citations ("3 per US Central Command [2 …], unattributed [1 …] vs 2 per
Syria's Interior Ministry [3 …]"); counts read as stated when hedged ("at least 41").

Citations are for an editor in Markdown: each item names its sources by outlet (or a short
title) with a footnote per cited passage (``Kurdistan24[^4]``; ``[^4]:`` quotes the passage
and gives title, outlet, date, URL and the source's number); more than ``MAX_REFS`` on one
item collapse ("+57 more"). The character offsets (Python ``str`` indices into the article's
text, end exclusive) are in the JSON brief and on the HTML review page, whose links land on
exactly those characters of the article shown beside the brief (``texts``: the articles' text
by id, as ``Summarizer.review`` returns it).

Merge decides, render shows: every judgement is a field of the Briefing and render only lays
it out. Who a figure is credited to is ``Figure.source`` (None: "unattributed"); a part of a
toll is a ``CasualtyRow.part``; a fragment merge found inside a longer quote
(``BriefQuote.within``) is shown under that quote, not as a remark of its own; how many
outlets carry a quote, a wire copy counted once, is ``BriefQuote.outlets``. What render adds is
layout: grouping by story, speaker and count, ordering, colours, wording ("at least 41", "the
dead": ``textutil``, shared with merge's notes). An import-linter contract keeps render off
every deciding stage (``pyproject.toml``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import jinja2
import markupsafe

from ._heap import LongLived
from ._version import GENERATOR, __version__
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
from .textutil import STATUS_NOUNS, count_label

Format = Literal["md", "json", "html"]
FORMATS: tuple[Format, ...] = ("md", "json", "html")

__all__ = ["FORMATS", "Format", "format_of", "render"]

_SUFFIX_FORMATS: dict[str, Format] = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}
# Every Markdown and HTML brief carries this comment, so that summarizer never reads a brief
# it wrote as an article (ingest skips a file that has it). JSON is known by its keys.
MARKER = f"<!-- {GENERATOR} {__version__} -->"


def format_of(name: str) -> Format | None:
    """The format a file name asks for by its suffix (.md .json .html .htm), if any."""
    for suffix, fmt in _SUFFIX_FORMATS.items():
        if name.lower().endswith(suffix):
            return fmt
    return None


# Singular and plural labels, in the order the "Excluded" note lists them.
_EXCLUSION_LABELS: dict[ExclusionKind, tuple[str, str]] = {
    "boilerplate": ("boilerplate", "boilerplate"),
    "caption": ("caption", "captions"),
    "metadata": ("metadata", "metadata"),
    "off_topic": ("off-topic", "off-topic"),
}
# Citations shown on one item in Markdown; the rest are counted ("+57 more").
MAX_REFS = 3
# Characters of a cited passage quoted in its footnote.
SNIPPET_CHARS = 160
# Words of a title standing for a source that has no outlet.
SHORT_TITLE_WORDS = 3
# Speaker colours on the review page (``tone-0`` .. in the template's CSS).
TONES = 8
_UNATTRIBUTED_SPEAKER = "Unattributed"
_UNATTRIBUTED_FIGURE = "unattributed"
_OTHER_STORY = "Other items"
# A URL shown as a link (a Markdown autolink, an HTML href): http(s), no space, no angle bracket.


def render(briefing: Briefing, fmt: Format, texts: Mapping[str, str] | None = None) -> str:
    """The briefing as Markdown (``md``), JSON (``json``, the full model) or HTML (``html``).

    ``texts`` (article id to text, as ``Summarizer.review`` returns them) puts every article
    beside the brief on the HTML review page, each cited span highlighted; without them the
    page is the brief alone, its citations pointing to the Sources list.
    """
    if fmt == "json":
        return briefing.model_dump_json(indent=2)
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}; use one of: {', '.join(FORMATS)}")
    with LongLived() as heap:  # the briefing, and what the caller holds, outlive the page
        with heap.making():  # and so does the view, while the page is written from it
            view = build_view(briefing)
            review = None if fmt == "md" else article_views(briefing, view, texts or {})
        template = _environment().get_template(f"brief.{fmt}.j2")
        if review is None:  # Markdown
            pieces = template.generate(brief=view, marker=MARKER, notes=_Notes(view.sources))
            return _laid_out(pieces, squeeze=True, end=f"\n\n{MARKER}\n")
        pieces = template.generate(brief=view, marker=MARKER, articles=review, cites=_Cites(review))
        return _laid_out(pieces, squeeze=False, end="\n")


# Blank runs: what optional sections leave behind in Markdown.
_BLANK_RUN = re.compile(r"\n{3,}")
# How much of the template's output is gathered before it is squeezed (characters).
_CHUNK = 1 << 20


def _laid_out(pieces: Iterable[str], *, squeeze: bool, end: str) -> str:
    """The template's output, stripped, blank runs squeezed to one blank line (Markdown:
    optional sections leave them behind, and squeezing is simpler than whitespace control in
    every branch; quote text in Markdown is one line, so no content is touched), and ``end``.

    Done a chunk at a time, so that a large brief is never held more than twice (its chunks,
    then the result), rather than as every small piece the template writes, then as a copy
    for each step. Each chunk is given out up to its last character that is not whitespace,
    and its trailing whitespace is carried into the next one: a blank run never ends inside
    a chunk given out, so squeezing chunk by chunk gives what squeezing the whole would, and
    whatever is carried past the end is what ``strip`` would take off."""
    chunks: list[str] = []
    carried = ""
    for batch in _batches(pieces):
        text = carried + "".join(batch)
        if squeeze:
            text = _BLANK_RUN.sub("\n\n", text)
        kept = len(text.rstrip())
        chunk, carried = text[:kept], text[kept:]
        if chunk and not chunks:
            chunk = chunk.lstrip()
        if chunk:
            chunks.append(chunk)
    chunks.append(end)
    return "".join(chunks)


def _batches(pieces: Iterable[str]) -> Iterable[list[str]]:
    """The pieces in lists of about ``_CHUNK`` characters."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield batch
            batch, size = [], 0
    yield batch


# --- the view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One citation: source number, article id, the exact character range, the cited text
    and the source's short name (its outlet, or a short title)."""

    number: int
    article_id: str
    start: int
    end: int
    text: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        return f"[{self.number} §{self.start}–{self.end}]"

    @property
    def where(self) -> str:
        return f"{self.article_id} characters {self.start}–{self.end}"


@dataclass(frozen=True)
class Cited:
    """A piece of text and where it stands in the sources; ``id`` names it on the page."""

    text: str
    markers: list[Marker]
    id: str = ""

    @property
    def where(self) -> str:
        return "; ".join(m.where for m in self.markers)


@dataclass(frozen=True)
class AuthorityView:
    """One authority's figures for one count, with every citation ("CENTCOM [2 …] [2 …]").

    ``stated`` is the count as this authority put it, when that differs from the group's
    ("at least 41" in a group of 41).
    """

    name: str
    markers: list[Marker]
    stated: str | None = None


@dataclass(frozen=True)
class FigureGroup:
    """Every source giving one count ("3 per CENTCOM [2 …], official accounts [4 …]").

    ``joiner`` goes before the group: "" for the first, " vs " between counts that disagree,
    "; " before a group without a number ("several").
    """

    count: str
    authorities: list[AuthorityView]
    joiner: str

    @property
    def markers(self) -> list[Marker]:
        return [m for a in self.authorities for m in a.markers]


@dataclass(frozen=True)
class RowView:
    status: str
    group: str
    figures: list[FigureGroup]
    consensus: str | None
    discrepancy: bool
    note: str | None
    kind: str = "consistent"
    change: str | None = None  # an update: "rose from 235 to 305"
    id: str = ""

    @property
    def markers(self) -> list[Marker]:
        return [m for g in self.figures for m in g.markers]

    @property
    def status_noun(self) -> str:
        """ "dead" for killed: "Among the dead: children"."""
        return STATUS_NOUNS.get(self.status, self.status)


# What stands behind one candidate speaker, in the editor's words.
_EVIDENCE_WORDS = {
    ("rules", "strong"): "named in a reporting frame next to the quote",
    ("rules", "weak"): "read from a pronoun, a description or the paragraph before",
    ("model", "strong"): "the model, and a reporting frame next to the quote",
    ("model", "weak"): "the model, and a pronoun or description in the text",
    ("model", "none"): "the model's answer; no frame in the text for it",
}


@dataclass(frozen=True)
class CandidateView:
    """One speaker proposed for a quote, by whom, on what evidence, in which sources."""

    speaker: str
    by: str
    evidence: str
    sources: list[int]

    @property
    def why(self) -> str:
        return _EVIDENCE_WORDS.get((self.by, self.evidence), self.by)

    @property
    def label(self) -> str:
        numbers = ", ".join(str(n) for n in self.sources)
        where = f"; source{'s' if len(self.sources) > 1 else ''} {numbers}" if numbers else ""
        return f"{self.speaker} ({self.why}{where})"


@dataclass(frozen=True)
class QuoteView:
    text: str
    fragment: bool
    markers: list[Marker]
    outlets: int
    other_wordings: list[Cited]
    check: str | None = None
    evidence: str | None = None
    candidates: list[CandidateView] = field(default_factory=list)
    id: str = ""
    tone: int = 0  # the speaker's colour on the review page
    folded: list[QuoteView] = field(default_factory=list)  # fragments of this quote

    @property
    def where(self) -> str:
        return "; ".join(m.where for m in self.markers)

    @property
    def disputed(self) -> bool:
        return self.check == "disputed"

    @property
    def unclear(self) -> str:
        """ "X (why [1]) or Y (why [2])": every distinct speaker proposed, with its evidence."""
        seen: dict[str, CandidateView] = {}
        for candidate in self.candidates:
            seen.setdefault(candidate.speaker, candidate)
        return " or ".join(c.label for c in seen.values())

    @property
    def weak_note(self) -> str | None:
        """Why an undisputed speaker still deserves a look: weak or no evidence in the text."""
        if self.disputed or self.check is None or self.evidence == "strong":
            return None
        if self.check == "model_only":
            return "attributed by the model only"
        if self.evidence == "weak":
            return "attribution from context"
        return None


@dataclass(frozen=True)
class SpeakerView:
    speaker: str
    quotes: list[QuoteView]

    @property
    def tone(self) -> int:
        return self.quotes[0].tone if self.quotes else 0


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
    parts: list[RowView] = field(default_factory=list)
    speakers: list[SpeakerView] = field(default_factory=list)
    actors: list[ActorView] = field(default_factory=list)
    # ``speakers`` and ``actors`` by name, so that a story of many quotes finds each one's
    # speaker without reading the list.
    _by_speaker: dict[str, SpeakerView] = field(default_factory=dict, repr=False, compare=False)
    _by_actor: dict[str, ActorView] = field(default_factory=dict, repr=False, compare=False)

    def add_quote(self, speaker: str, quote: QuoteView) -> None:
        """Under its speaker, a new one appended to ``speakers`` (in order of appearance)."""
        if speaker not in self._by_speaker:
            self._by_speaker[speaker] = SpeakerView(speaker, [])
            self.speakers.append(self._by_speaker[speaker])
        self._by_speaker[speaker].quotes.append(quote)

    def add_position(self, actor: str, position: Cited) -> None:
        """Under its actor, a new one appended to ``actors`` (in order of appearance)."""
        if actor not in self._by_actor:
            self._by_actor[actor] = ActorView(actor, [])
            self.actors.append(self._by_actor[actor])
        self._by_actor[actor].positions.append(position)

    @property
    def discrepancies(self) -> list[RowView]:
        return [row for row in self.figures if row.discrepancy]

    @property
    def empty(self) -> bool:
        return not (
            self.lead
            or self.figures
            or self.background
            or self.parts
            or self.speakers
            or self.actors
        )


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
    published: str | None = None
    warnings: list[str] = field(default_factory=list)
    same_copy: int | None = None  # the source number whose wire copy this one republishes
    url: str | None = None  # shown as a link only when it is http(s)
    excluded_kinds: dict[ExclusionKind, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """How an item names this source: the outlet, else a short title, else its number."""
        return _source_name(self.number, self.outlet, self.title)

    @property
    def link(self) -> str | None:
        """The URL when it is safe to link to (http or https, no spaces or markup)."""
        return self.url if self.url and _LINKABLE_RE.fullmatch(self.url) else None

    @property
    def id_differs(self) -> bool:
        """Whether the id cannot be read off the path (ids a library caller chose, say)."""
        return self.id.replace("#", ":") not in self.path.replace("\\", "/")


@dataclass(frozen=True)
class Glance:
    """One thing to check, linked from the top of the review page."""

    kind: Literal["dispute", "update", "attribution"]
    id: str
    text: str


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

    @property
    def with_warnings(self) -> list[SourceView]:
        return [s for s in self.sources if s.warnings]

    @property
    def exclusion_note(self) -> str | None:
        """One line for every stretch ingest set aside: "Set aside in 4 sources: 12
        boilerplate, 3 captions" (each source's own are in the JSON brief)."""
        sources = [s for s in self.sources if s.excluded]
        if not sources:
            return None
        counts: Counter[ExclusionKind] = Counter()
        for source in sources:
            counts.update(source.excluded_kinds)
        shown = [
            f"{counts[kind]} {singular if counts[kind] == 1 else plural}"
            for kind, (singular, plural) in _EXCLUSION_LABELS.items()
            if counts[kind]
        ]
        where = f"{len(sources)} source{'s' if len(sources) != 1 else ''}"
        return f"Set aside in {where}: {', '.join(shown)}"

    @property
    def glance(self) -> list[Glance]:
        """What needs an editor's eye, in brief order: disputed figures, updated figures,
        quotes whose speaker is unclear."""
        found: list[Glance] = []
        for story in self.stories:
            for row in story.figures:
                if row.discrepancy:
                    found.append(Glance("dispute", row.id, f"{row.group} {row.status}: disputed"))
                elif row.change:
                    found.append(
                        Glance("update", row.id, f"{row.group} {row.status}: {row.change}")
                    )
            for speaker in story.speakers:
                for quote in speaker.quotes:
                    if quote.disputed:
                        found.append(Glance("attribution", quote.id, f"who said “{quote.text}”"))
        return found

    @property
    def dropped_note(self) -> str:
        """Why items were left out, true of the backend that ran.

        Merge drops an item whose offsets do not point at its own text or fall in a stretch
        ingest left out; only the llm backend also drops answers that kept failing validation.
        """
        one = self.dropped == 1
        note = (
            f"{self.dropped} item{'' if one else 's'} dropped: "
            f"{'it was' if one else 'they were'} not grounded in "
            f"{'its source' if one else 'their sources'}"
        )
        if self.backend == "llm":
            note += ", or the model's answer failed validation after re-asking"
        return note


def build_view(briefing: Briefing) -> BriefView:
    """Group the briefing's flat lists by story and number its sources, ready to lay out."""
    sources = _Sources(briefing.articles)
    status_counts = Counter(a.status for a in briefing.articles)
    return BriefView(
        title=briefing.title,
        backend=briefing.backend,
        model=briefing.model,
        status_counts=[
            (s, status_counts[s]) for s in ("ok", "failed", "skipped") if status_counts[s]
        ],
        stories=_story_views(briefing, sources),
        sources=[
            _source(n, a, sources.number_of(a.same_copy_as))
            for n, a in enumerate(briefing.articles, start=1)
        ],
        dropped=briefing.dropped,
        fallbacks=briefing.fallbacks,
        prompt_tokens=briefing.usage.prompt_tokens,
        completion_tokens=briefing.usage.completion_tokens,
        requests=briefing.usage.requests,
        reasks=briefing.usage.reasks,
    )


def _story_views(briefing: Briefing, sources: _Sources) -> list[StoryView]:
    """Every story with its summary lines, figures, quotes and stances, in briefing order."""
    stories: dict[str, StoryView] = {
        s.id: StoryView(s.id, s.title, sources.numbers(s.article_ids)) for s in briefing.stories
    }

    def story(story_id: str) -> StoryView:
        # Items whose story is missing still reach the reader, under a catch-all heading.
        if story_id not in stories:
            stories[story_id] = StoryView(story_id, _OTHER_STORY, [])
        return stories[story_id]

    for number, line in enumerate(briefing.summary, start=1):
        story(line.story).lead.append(
            Cited(line.text, sources.markers(line.citations), id=_line_id(number))
        )
    for row in briefing.casualties:
        target = story(row.story)
        view = _row(row, sources)
        if row.part:
            # A part of a toll ("six children"): shown under it, never compared with it.
            target.parts.append(view)
        else:
            (target.background if row.background else target.figures).append(view)
    _add_quotes(briefing, sources, story)
    for stance in briefing.stances:
        story(stance.story).add_position(
            stance.actor, Cited(stance.position, sources.markers(stance.citations), id=stance.id)
        )
    return list(stories.values())


def _add_quotes(briefing: Briefing, sources: _Sources, story: Callable[[str], StoryView]) -> None:
    """Each quote under its speaker in its story (``story``: the view of a story id), or
    under the longer quote merge placed it within."""
    tones = speaker_tones(briefing)
    views = [_quote(q, sources, tones) for q in briefing.quotes]
    by_id: dict[str, QuoteView] = {}
    for quote, shown in zip(briefing.quotes, views, strict=True):
        by_id.setdefault(quote.id, shown)
    for quote, shown in zip(briefing.quotes, views, strict=True):
        # A fragment merge placed within a longer quote is shown under it (merge decides).
        whole = by_id.get(quote.within) if quote.within else None
        if whole is not None and whole is not shown:
            whole.folded.append(shown)
            continue
        story(quote.story).add_quote(quote.speaker or _UNATTRIBUTED_SPEAKER, shown)


def _line_id(number: int) -> str:
    """The page id of the ``number``-th summary line (quotes, rows and stances have ids)."""
    return f"L{number}"


def speaker_tones(briefing: Briefing) -> dict[str | None, int]:
    """A colour per speaker, in order of first appearance (they repeat past ``TONES``)."""
    tones: dict[str | None, int] = {}
    for quote in briefing.quotes:
        tones.setdefault(quote.speaker, len(tones) % TONES)
    return tones


class _Sources:
    """Numbers the briefing's articles 1..n (the order of ``Briefing.articles``)."""

    def __init__(self, articles: Sequence[ArticleReport]) -> None:
        self._numbers = {a.id: n for n, a in enumerate(articles, start=1)}
        self._names = {
            a.id: _source_name(n, a.outlet, a.title) for n, a in enumerate(articles, start=1)
        }

    def numbers(self, article_ids: Iterable[str]) -> list[int]:
        return sorted({self._number(a) for a in article_ids})

    def markers(self, citations: Iterable[Citation]) -> list[Marker]:
        return [
            Marker(
                self._number(c.article_id),
                c.article_id,
                c.start,
                c.end,
                c.text,
                self._names[c.article_id],
            )
            for c in citations
        ]

    def number_of(self, article_id: str | None) -> int | None:
        return self._numbers.get(article_id) if article_id is not None else None

    def _number(self, article_id: str) -> int:
        if article_id not in self._numbers:
            # A reference no reader could follow breaks "grounded or absent".
            raise InternalError(
                f"the briefing cites article {article_id!r} but does not list it; "
                "please report this with the input folder"
            )
        return self._numbers[article_id]


@functools.lru_cache(maxsize=4096)
def _count_label(count: int | None, count_text: str) -> str:
    """``count_label``, remembered: a row's sources repeat a few wordings of its count."""
    return count_label(count, count_text)


# A row's figures by count (a number, or the casefolded wording of a vague one), then by the
# authority each is credited to, both in order of appearance.
_ByCount = dict[int | str, dict[str, list[Figure]]]


def _row(row: CasualtyRow, sources: _Sources) -> RowView:
    """The row's figures grouped by count, the count most sources give first, each under the
    source merge credits it to (``Figure.source``).

    Within a count, named authorities come in order of appearance and "unattributed" last.
    """
    groups: list[FigureGroup] = []
    for key, by_authority in _ordered_counts(row, _by_count(row)):
        figures = [f for fs in by_authority.values() for f in fs]
        label = _group_label(key, figures)
        authorities = _authorities(by_authority, label, sources)
        if all(f.superseded for f in figures):
            label = f"{label} (earlier)"
        joiner = (
            "" if not groups else " vs " if row.discrepancy and not isinstance(key, str) else "; "
        )
        groups.append(FigureGroup(label, authorities, joiner))
    return RowView(
        id=row.id,
        status=row.status,
        group=row.group,
        figures=groups,
        consensus=_consensus(row),
        discrepancy=row.discrepancy,
        note=row.note,
        kind=row.kind,
        change=_change(row.values),
    )


def _by_count(row: CasualtyRow) -> _ByCount:
    """The row's figures by count, then by authority ("unattributed" when merge credits
    none)."""
    counts: _ByCount = {}
    for figure in row.figures:
        authority = figure.source or _UNATTRIBUTED_FIGURE
        key = (
            figure.count
            if figure.count is not None
            else _count_label(None, figure.count_text).casefold()
        )
        counts.setdefault(key, {}).setdefault(authority, []).append(figure)
    return counts


def _ordered_counts(
    row: CasualtyRow, counts: _ByCount
) -> list[tuple[int | str, dict[str, list[Figure]]]]:
    """The counts in the order they are shown: numbers before vague counts, an update's
    latest first, then the most articles, the most authorities, and first seen."""

    def support(item: tuple[int, tuple[int | str, dict[str, list[Figure]]]]) -> tuple[int, ...]:
        index, (key, by_authority) = item
        articles = {f.article_id for figures in by_authority.values() for f in figures}
        # An update reads latest first, as merge ordered its values.
        latest = row.values.index(key) if isinstance(key, int) and key in row.values else 0
        return (isinstance(key, str), latest, -len(articles), -len(by_authority), index)

    return [item for _, item in sorted(enumerate(counts.items()), key=support)]


def _group_label(key: int | str, figures: list[Figure]) -> str:
    """How one count is written: as its sources word it when they all word it alike (or it
    is vague), else the bare number."""
    labels = {_count_label(f.count, f.count_text) for f in figures}
    if isinstance(key, str) or len(labels) == 1:
        return _count_label(figures[0].count, figures[0].count_text)
    return _count_label(figures[0].count, "")


def _authorities(
    by_authority: dict[str, list[Figure]], label: str, sources: _Sources
) -> list[AuthorityView]:
    """Each authority giving one count, "unattributed" last, with its citations and its own
    wording of the count where that differs from ``label``."""
    ordered = sorted(
        by_authority.items(), key=lambda kv: kv[0] == _UNATTRIBUTED_FIGURE
    )  # stable: appearance
    authorities = []
    for authority, own in ordered:
        hedges = [
            text
            for f in own
            if (text := _count_label(f.count, f.count_text)).casefold() != label.casefold()
        ]
        authorities.append(
            AuthorityView(authority, sources.markers(own), hedges[0] if hedges else None)
        )
    return authorities


def _consensus(row: CasualtyRow) -> str | None:
    """The count the row's sources agree on, as they word it when they all word it alike."""
    if row.consensus is None:
        return None
    numbered = [f for f in row.figures if f.count is not None]
    labels = {_count_label(f.count, f.count_text) for f in numbered}
    return labels.pop() if len(labels) == 1 else _count_label(row.consensus, "")


def _change(values: Sequence[int]) -> str | None:
    """An update's values (latest first) as a reader says it: "rose from 235 to 305"."""
    if len(values) < 2:
        return None
    ordered = [f"{v:,}" for v in reversed(values)]
    verb = "rose" if values[0] > values[1] else "fell" if values[0] < values[1] else "changed"
    return f"{verb} from {', then '.join(ordered[:-1])} to {ordered[-1]}"


def _shown(text: str) -> str:
    """A quotation as displayed: one trailing comma, the sentence's and not the speaker's,
    left out ("…cut," -> "…cut"). The JSON keeps the exact text."""
    return text.removesuffix(",")


def _candidates(quote: BriefQuote, sources: _Sources) -> list[CandidateView]:
    """Every speaker proposed for the quote, with its evidence and sources."""
    return [
        CandidateView(c.speaker, c.by, c.evidence, sources.numbers(c.article_ids))
        for c in quote.candidates
    ]


def _quote(quote: BriefQuote, sources: _Sources, tones: dict[str | None, int]) -> QuoteView:
    outlets = quote.outlets
    if not quote.wordings_differ:
        return QuoteView(
            _shown(quote.text),
            quote.fragment,
            sources.markers(quote.citations),
            outlets,
            [],
            check=quote.speaker_check,
            evidence=quote.evidence,
            candidates=_candidates(quote, sources),
            id=quote.id,
            tone=tones.get(quote.speaker, 0),
        )
    # Wordings as displayed: two that differ only by a trailing comma show as one.
    wordings: dict[str, list[Citation]] = {}
    for citation in quote.citations:
        wordings.setdefault(_shown(citation.text), []).append(citation)
    # The headline wording is the quote's own text; if no citation has it verbatim, the first
    # citation's wording stands in, so the line shown always has markers to its characters.
    main = _shown(quote.text)
    main = main if main in wordings else next(iter(wordings), main)
    return QuoteView(
        text=main,
        fragment=quote.fragment,
        markers=sources.markers(wordings.pop(main, [])),
        outlets=outlets,
        other_wordings=[Cited(text, sources.markers(cs)) for text, cs in wordings.items()],
        check=quote.speaker_check,
        evidence=quote.evidence,
        candidates=_candidates(quote, sources),
        id=quote.id,
        tone=tones.get(quote.speaker, 0),
    )


def _source_name(number: int, outlet: str | None, title: str | None) -> str:
    """``SourceView.name``, without making the view."""
    return outlet or _short_title(title) or f"source {number}"


def _source(number: int, article: ArticleReport, same_copy: int | None = None) -> SourceView:
    """``same_copy``: the number of the source whose wire copy this article republishes."""
    kinds = Counter(e.kind for e in article.excluded) if article.excluded else Counter()
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
        published=article.published,
        url=article.url,
        warnings=article.warnings,
        same_copy=same_copy,
        excluded_kinds=dict(kinds),
    )


_LINKABLE_RE = re.compile(r"https?://[^\s<>\"'`()\[\]]+", re.IGNORECASE)


def _short_title(title: str | None) -> str | None:
    """The first words of a title ("Syria formally joins…")."""
    if not title:
        return None
    words = title.split()
    short = " ".join(words[:SHORT_TITLE_WORDS])
    return short + ("…" if len(words) > SHORT_TITLE_WORDS else "")


# --- Markdown footnotes ---------------------------------------------------------------------


class _Notes:
    """The Markdown brief's footnotes: one per cited passage (an article and a character
    range), labelled in order of first reference, each quoting the passage and naming its
    source; an item shows at most ``MAX_REFS`` of them, every source's first before a second
    passage of one source."""

    def __init__(self, sources: Sequence[SourceView]) -> None:
        self._sources = {s.number: s for s in sources}
        self._labels: dict[tuple[int, int, int], int] = {}
        self._about: dict[int, str] = {}  # each source's part of its footnotes, made once
        self.lines: list[str] = []

    def refs(self, markers: Sequence[Marker]) -> str:
        """ "Anadolu[^1][^2], Kurdistan24[^3] +57 more"."""
        distinct = list({(m.number, m.start, m.end): m for m in markers}.values())
        seen: set[int] = set()
        firsts: list[Marker] = []
        again: list[Marker] = []
        for marker in distinct:
            (again if marker.number in seen else firsts).append(marker)
            seen.add(marker.number)
        shown = (firsts + again)[:MAX_REFS]
        by_source: dict[int, list[Marker]] = {}
        for marker in shown:
            by_source.setdefault(marker.number, []).append(marker)
        text = ", ".join(
            _md(ms[0].name) + "".join(f"[^{self._label(m)}]" for m in ms)
            for ms in by_source.values()
        )
        more = len(distinct) - len(shown)
        return text + (f" +{more} more" if more else "")

    def _label(self, marker: Marker) -> int:
        key = (marker.number, marker.start, marker.end)
        if key not in self._labels:
            self._labels[key] = len(self._labels) + 1
            self.lines.append(f"[^{self._labels[key]}]: {self._note(marker)}")
        return self._labels[key]

    def _note(self, marker: Marker) -> str:
        """ "“…the cited words…” — **Outlet**, *Title*, 2025-12-14, <https://…> (source 3)"."""
        about = self._about.get(marker.number)
        if about is None:
            about = self._about[marker.number] = self._describe(marker.number)
        return f"“{_md(_snippet(marker.text))}” — {about}"

    def _describe(self, number: int) -> str:
        """ "**Outlet**, *Title*, 2025-12-14, <https://…>, source 3": the same in each of the
        source's footnotes."""
        source = self._sources[number]
        about = [f"**{_md(source.outlet)}**"] if source.outlet else []
        if source.title:
            about.append(f"*{_md(source.title)}*")
        if source.published:
            about.append(_md(source.published))
        if source.link:
            about.append(f"<{source.link}>")
        about.append(f"source {number}")
        return ", ".join(about)


def _snippet(text: str) -> str:
    """A cited passage on one line, cut at a word past ``SNIPPET_CHARS`` characters."""
    line = _one_line(text)
    if len(line) <= SNIPPET_CHARS:
        return line
    return line[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


# --- the review page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of an article's text with one set of citing items: ``refs`` are the page ids of
    the brief items citing it ("Q3 L1"; empty when nothing does), ``kind`` its CSS classes
    (a quote's speaker colour first, then a figure, a stance, a lead sentence)."""

    text: str
    refs: str = ""
    kind: str = ""


@dataclass(frozen=True)
class ArticleView:
    source: SourceView
    segments: list[Segment]


@dataclass(frozen=True)
class ReviewView:
    """The articles shown beside the brief, and the citations that land in them."""

    articles: list[ArticleView]
    landable: frozenset[tuple[str, int, int]]

    def lands(self, marker: Marker) -> bool:
        return (marker.article_id, marker.start, marker.end) in self.landable


# Which class wins where items of several kinds cite the same characters.
_KIND_RANK = {"q": 0, "f": 1, "p": 2, "l": 3}


def article_views(briefing: Briefing, view: BriefView, texts: Mapping[str, str]) -> ReviewView:
    """Each briefed article whose text is given, cut into segments at every cited span's
    edges, so overlapping spans each keep their characters (the page's script marks one
    span exactly when its citation is clicked). A citation whose offsets do not hold in the
    given text (its ``exact`` characters, or its ``text`` where they are the same) is neither
    highlighted nor linked into it."""
    spans: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    tones = speaker_tones(briefing)

    def add(citations: Iterable[Citation], ref: str, kind: str) -> None:
        for c in citations:
            text = texts.get(c.article_id)
            exact = c.text if c.exact is None else c.exact
            if text is not None and c.start < c.end and text[c.start : c.end] == exact:
                spans[c.article_id].append((c.start, c.end, ref, kind))

    for number, line in enumerate(briefing.summary, start=1):
        add(line.citations, _line_id(number), "l")
    for quote in briefing.quotes:
        unclear = " unclear" if quote.speaker_check == "disputed" else ""
        add(quote.citations, quote.id, f"q tone-{tones.get(quote.speaker, 0)}{unclear}")
    for row in briefing.casualties:
        add(row.figures, row.id, f"f {'dispute' if row.discrepancy else row.kind}")
    for stance in briefing.stances:
        add(stance.citations, stance.id, "p")
    articles = [
        ArticleView(source, _segments(texts[source.id], spans[source.id]))
        for source in view.sources
        if source.status == "ok" and source.id in texts
    ]
    landable = frozenset((a, s, e) for a, found in spans.items() for s, e, _, _ in found)
    return ReviewView(articles, landable)


def _segments(text: str, spans: Sequence[tuple[int, int, str, str]]) -> list[Segment]:
    edges = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    starting: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for span in spans:
        starting[span[0]].append(span)
    active: list[tuple[int, int, str, str]] = []
    segments = []
    for a, b in itertools.pairwise(edges):
        active = [span for span in active if span[1] > a] + starting[a]
        if not active:
            segments.append(Segment(text[a:b]))
            continue
        refs = " ".join(dict.fromkeys(ref for _, _, ref, _ in active))
        kinds = [kind for _, _, _, kind in active]
        kind = min(kinds, key=lambda k: _KIND_RANK[k.split()[0]])
        segments.append(Segment(text[a:b], refs, kind))
    return segments


class _Cites:
    """The review page's links for a list of markers (``cites(markers)`` in the template):
    to the cited characters of the article shown beside the brief where they land there, else
    to the source in the Sources list (its title names the characters). Made here rather than
    by a template macro, as a large brief has a hundred thousand of them; the escaped title
    of each source and article is made once."""

    def __init__(self, review: ReviewView) -> None:
        self._review = review
        self._titles: dict[tuple[str, str], str] = {}

    def __call__(self, markers: Iterable[Marker]) -> markupsafe.Markup:
        links = []
        for m in markers:
            # ``f"{m.name}: {m.where}"`` escaped: escaping goes character by character, and
            # the offsets are digits.
            title = f"{self._title(m.name, m.article_id)}{m.start}–{m.end}"
            if self._review.lands(m):
                links.append(
                    f'<a class="cite" href="#art-{m.number}" data-art="{m.number}" '
                    f'data-start="{m.start}" data-end="{m.end}" title="{title}">[{m.number}]</a>'
                )
            else:  # the label is digits and punctuation of ours: nothing to escape
                links.append(
                    f'<a class="cite" href="#source-{m.number}" title="{title}">{m.label}</a>'
                )
        return markupsafe.Markup(" ".join(links))

    def _title(self, name: str, article_id: str) -> str:
        key = (name, article_id)
        if key not in self._titles:
            self._titles[key] = str(markupsafe.escape(f"{name}: {article_id} characters "))
        return self._titles[key]


# --- templates ------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Whitespace runs (a multi-paragraph quote's newlines) as one space, for list items."""
    return " ".join(text.split())


# HTML's ``& < >`` as entities, and the characters that start Markdown markup mid-line
# (emphasis, code, links and images, GFM strike-through, the backslash itself)
# backslash-escaped, in one pass: no entity holds a markup character. (Line-start markup
# cannot occur: every piece of article text is put on one line after something of ours.)
_MD_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: f"\\{c}" for c in "\\`*_[]~"}
)
_MD_SPECIAL_RE = re.compile(r"[&<>\\`*_\[\]~]")  # whether a text needs ``_MD_ESCAPES``
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _md(text: str) -> str:
    """Untrusted text (a title, outlet, name, quote, error) as Markdown that shows it as
    written and runs nothing: one line, HTML's ``& < >`` as entities (a ``<script>`` or
    ``<img onerror=...>`` in an article stays text) and Markdown's markup characters
    backslash-escaped (no link, image or emphasis made by an article)."""
    line = _one_line(text)
    # Most text holds none of these characters: finding one is cheaper than translating.
    return line.translate(_MD_ESCAPES) if _MD_SPECIAL_RE.search(line) else line


def _visible(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return named.get(char, f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def _code(text: str) -> str:
    """Text (a file name, an id) as a Markdown code span: control characters such as a newline
    in a file name shown escaped (``\\n``), so the list it stands in stays whole; fenced
    with more backticks than it holds, so a backtick in it cannot end the span. Inside a code
    span nothing is markup, ``<script>`` included."""
    shown = _CONTROL_RE.sub(lambda m: _visible(m.group()), text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped (the text is already
    Markdown: escape untrusted parts with ``md`` first)."""
    return _one_line(text).replace("|", "\\|")


def _verbatim(text: str) -> markupsafe.Markup:
    """Article text for the review page, escaped, every character kept as the DOM will hold
    it: a carriage return as ``&#13;`` (HTML parsing turns a literal CR or CRLF into LF,
    which would shift every offset after it)."""
    return markupsafe.Markup(str(markupsafe.escape(text)).replace("\r", "&#13;"))


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer", "templates"),
        # The HTML page is escaped by Jinja; the Markdown template escapes every untrusted
        # value itself (the ``md`` and ``code`` filters).
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(one_line=_one_line, cell=_cell, md=_md, code=_code, verbatim=_verbatim)
    return env
