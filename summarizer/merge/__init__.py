"""Merge: many ArticleExtractions to one Briefing.

Articles are first grouped into stories (``stories``), because quotes, figures and stances
are compared only within one event. Then, per story: speaker and actor names are resolved
(``names``), quotes from several outlets become one entry with every citation (``quotes``),
casualty figures become rows of who reported what (``casualties``), positions are grouped by
actor (``stances``) and a short lead is chosen (``summary``). Stories and names are both
disjoint sets, joined by the one union-find in ``unionfind``.

Every citation is made from the article text itself, ``text[start:end]``; an extracted item
whose offsets do not point at its own text, or that lies in a stretch ingest excluded, is
dropped and counted in ``Briefing.dropped``. The output depends only on the input: lists are
sorted and numbered in story order, and nothing reads the clock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, TypeAdapter

from .._fresh import FreshExecutor
from .._heap import LongLived, give_back
from ..errors import InternalError
from ..models import (
    Article,
    ArticleExtraction,
    ArticleFailure,
    ArticleHead,
    ArticleReport,
    Briefing,
    BriefQuote,
    BriefStance,
    CasualtyRow,
    ExtractionTotals,
    Story,
    SummaryLine,
    Usage,
)
from . import forked
from .casualties import merge_casualties
from .names import NameResolver
from .quotes import fold_fragments, merge_quotes
from .stances import merge_stances
from .stories import (
    ArticleProfile,
    PairScoring,
    checked_profiles,
    group,
    same_copies,
    story_group,
)
from .summary import merge_summary

__all__ = ["ArticleProfile", "Glancing", "Portable", "Releasing", "merge"]

PARALLEL_STORIES_FROM = 1_000  # articles: from this many on, stories are merged in two processes
# ... and from this many on, never with a forked worker (``_worker``): a large run's memory
# (inputs that are ``Portable`` go to a fresh one whatever their number).
PARALLEL_STORIES_BELOW = 20_000
# From this many articles on, merge's first pass waits for the pair workers to end: made
# meanwhile, what it makes (every article's report) lands on pages the workers share, each
# one then copied (at 100,000, about 450 MB more while they run), and the workers keep both
# CPUs busy anyway.
WAIT_FOR_PAIRS_FROM = 20_000
SENT_ARTICLES = 1_000  # about how many articles' stories a worker sends back at once


@runtime_checkable
class Releasing(Protocol):
    """A sequence that can let go of an item for good (``release``): how a caller hands merge
    inputs that merge may drop story by story (see ``merge``)."""

    def release(self, index: int) -> None:
        """Let go of the item at ``index``: it is not read again."""


_V = TypeVar("_V", bound=BaseModel)


@runtime_checkable
class Glancing(Protocol):
    """A sequence that can make some of an item's fields without the rest (``glance``): how a
    caller that keeps its inputs as JSON (the pipeline, for a large run) spares merge's first
    pass over them (``ArticleHead``, ``ExtractionTotals``) making every whole model, which
    costs about eight times as much (the models are made again story by story anyway)."""

    def glance(self, index: int, view: type[_V]) -> _V:
        """The item at ``index`` read as ``view`` (a model of some of its fields)."""


@runtime_checkable
class Portable(Protocol):
    """A sequence that can hand over some of its items compactly (``part``): how a caller
    that keeps its inputs as JSON (the pipeline, for a large run) lets merge send a share of
    the stories to a worker process that is not a fork of this one (``_fresh``), with only
    their own inputs, in the form they are kept in."""

    def part(self, indices: Sequence[int]) -> Sequence[Any]:
        """The items at ``indices``, in that order, as a sequence of their own, to be pickled."""


def _glanced(items: Sequence[Any], view: type[_V]) -> Iterable[Any]:
    """``items``, each as ``view`` where they are ``Glancing``, else as they are."""
    if isinstance(items, Glancing):
        return (items.glance(index, view) for index in range(len(items)))
    return items


def _reports(articles: Iterable[Article | ArticleHead]) -> list[ArticleReport]:
    """Each article's report (one pass over the articles: no text is kept), ids checked."""
    reports = [
        ArticleReport(
            id=a.id,
            path=a.path,
            status="ok",
            title=a.title,
            outlet=a.outlet,
            url=a.url,
            published=a.published,
            warnings=a.warnings,
            excluded=a.excluded,
        )
        for a in articles
    ]
    if len({r.id for r in reports}) != len(reports):
        raise InternalError("two articles share one id; ids must be unique (please report this)")
    return reports


@dataclass
class _Extractions:
    """Where each article's extraction is (one pass over the extractions: the models are
    read again story by story), and their totals."""

    index: dict[str, int] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    dropped: int = 0
    fallbacks: int = 0

    @classmethod
    def of(
        cls, extractions: Iterable[ArticleExtraction | ExtractionTotals], known: set[str]
    ) -> _Extractions:
        found = cls()
        for position, extraction in enumerate(extractions):
            if extraction.article_id not in known:
                raise InternalError(
                    f"an extraction names article {extraction.article_id!r}, which is not "
                    "among the articles given to merge (please report this)"
                )
            if extraction.article_id in found.index:
                raise InternalError(
                    f"article {extraction.article_id!r} has two extractions (please report this)"
                )
            found.index[extraction.article_id] = position
            found.usage = found.usage + extraction.usage
            found.dropped += extraction.dropped
            found.fallbacks += len(extraction.fallbacks)
        return found


def _outlets(reports: Sequence[ArticleReport]) -> Callable[[BriefQuote], int]:
    """How many outlets carry a quote (``BriefQuote.outlets``): a republished wire copy
    counts as the outlet that first ran it; an article without an outlet is one of its own."""
    outlet = {r.id: r.outlet or r.id for r in reports}
    first = {r.id: r.same_copy_as or r.id for r in reports}

    def count(quote: BriefQuote) -> int:
        return len({outlet.get(first.get(c.article_id, ""), c.article_id) for c in quote.citations})

    return count


def _title(stories: Sequence[Story], articles: int) -> str:
    """The story's own title when there is one story, else what the morning holds."""
    if not stories:
        return "Morning brief: no articles"
    if len(stories) == 1:
        return f"Morning brief: {stories[0].title}"
    return (
        f"Morning brief: {len(stories)} stories from {articles} "
        f"article{'s' if articles != 1 else ''}"
    )


def merge(
    articles: Sequence[Article],
    extractions: Sequence[ArticleExtraction],
    failures: list[ArticleFailure],
    *,
    backend: str,
    model: str | None,
    profiles: Sequence[ArticleProfile] | None = None,
) -> Briefing:
    """Merge per-article extractions into one sourced Briefing (see the module docstring).

    An article without an extraction contributes nothing but its report; an extraction for
    an article not given, or two for one article, is a bug upstream (``InternalError``).
    ``profiles``: each article's ``stories.profile``, in the order of ``articles``, when the
    caller has them (the pipeline computes them where it extracts).

    Besides one pass each for the reports and the extractions' places (which reads only the
    fields it needs of sequences that are ``Glancing``), ``articles`` and
    ``extractions`` are read one story at a time, so they may be sequences that make each
    item when asked (the pipeline's, for a large run: not every article held as models).
    A large run's candidate pairs are scored in processes forked from this one
    (``stories.PairScoring``), and its stories merged partly in another process, forked or
    fresh (``_worker``), to the same brief.

    Those of ``articles``, ``extractions`` and ``profiles`` that are ``Releasing`` are told
    when each item will not be read again (its story merged), so that a large run does not
    hold every article, extraction and profile until the brief is made: they are a third of
    the memory at the end of merge, when the brief is largest.
    """
    profiles = checked_profiles(articles, profiles)
    # What the caller let go of (a large run's texts, once mapped) is handed back to the
    # system before workers are forked below: this process would otherwise reuse those pages
    # while the workers run, and each page written is copied, the workers keeping the old.
    give_back()
    with LongLived() as heap:
        # Stories are found from the profiles alone, in worker processes for a large folder,
        # while the articles and extractions are read here (which makes their models, when
        # they are sequences that make them when asked and do not glance), below
        # ``WAIT_FOR_PAIRS_FROM`` articles.
        scoring = PairScoring(profiles)
        if len(articles) >= WAIT_FOR_PAIRS_FROM:
            scoring.wait()
        with heap.making():
            reports = _reports(_glanced(articles, ArticleHead))
            totals = _glanced(extractions, ExtractionTotals)
            found = _Extractions.of(totals, {r.id for r in reports})
        ids = [r.id for r in reports]
        inputs = _Inputs(articles, extractions, found.index, profiles, backend, ids)
        groups = group(profiles, scoring)
        give_back()  # the pairs, and the worker forked next inherits less
        merged = _merge_stories(groups, inputs, heap)
        return _briefing(merged, reports, found, failures, len(articles), backend, model)


@dataclass(frozen=True)
class _Inputs:
    """What merging one story reads: every article, extraction (at ``index`` by article id)
    and profile, and the backend an article without an extraction is credited to."""

    articles: Sequence[Article]
    extractions: Sequence[ArticleExtraction]
    index: dict[str, int]
    profiles: Sequence[ArticleProfile]
    backend: str
    ids: Sequence[str]  # each article's id, in the order of ``articles``

    @property
    def portable(self) -> bool:
        """Whether the articles and extractions can be handed over compactly (``Portable``)."""
        return isinstance(self.articles, Portable) and isinstance(self.extractions, Portable)

    def portion(self, groups: list[list[int]], part: list[int]) -> _Portion:
        """What a worker elsewhere merges the stories at positions ``part`` from: only their
        own articles, extractions and profiles (``Portable.part``), renumbered."""
        members = [i for k in part for i in groups[k]]
        local = {i: n for n, i in enumerate(members)}
        ids = [self.ids[i] for i in members]
        extracted = [article_id for article_id in ids if article_id in self.index]
        assert isinstance(self.articles, Portable) and isinstance(self.extractions, Portable)
        inputs = _Inputs(
            self.articles.part(members),
            self.extractions.part([self.index[article_id] for article_id in extracted]),
            {article_id: n for n, article_id in enumerate(extracted)},
            [self.profiles[i] for i in members],
            self.backend,
            ids,
        )
        return [k + 1 for k in part], [[local[i] for i in groups[k]] for k in part], inputs

    def release(self, merged: Iterable[tuple[list[int], _StoryMerged]]) -> None:
        """Let the inputs that are ``Releasing`` go of the articles of stories merged (their
        positions, and the story: its article ids, in the same order), their extractions and
        profiles too."""
        releasing = [x for x in (self.articles, self.profiles) if isinstance(x, Releasing)]
        extractions = self.extractions if isinstance(self.extractions, Releasing) else None
        for members, story in merged:
            for i, article_id in zip(members, story.story.article_ids, strict=True):
                for inputs in releasing:
                    inputs.release(i)
                if extractions is not None and article_id in self.index:
                    extractions.release(self.index[article_id])


class _StoryMerged(NamedTuple):
    """One story merged: its Story, items (in story order, not numbered yet), how many
    items were dropped, and its republished copies (article id -> first article's id)."""

    story: Story
    quotes: list[BriefQuote]
    rows: list[CasualtyRow]
    stances: list[BriefStance]
    lines: list[SummaryLine]
    dropped: int
    copies: dict[str, str]


# The stories a worker elsewhere merges: their numbers, members, and own inputs.
_Portion = tuple[list[int], list[list[int]], _Inputs]


# How a worker sends its stories back: as JSON, which pydantic reads back several times
# faster than it unpickles the models (and the models round-trip it exactly).
_SENT = TypeAdapter(list[_StoryMerged])


def _merge_story(number: int, members: list[int], inputs: _Inputs) -> _StoryMerged:
    """The ``number``-th story (from 1), of the articles at ``members``, merged: a function of
    its own articles alone, so that stories can be merged in any process."""
    story = story_group(number, members, inputs.profiles)
    own = [inputs.articles[i] for i in members]
    copies = same_copies(own, [inputs.profiles[i] for i in members])
    sources = [
        (
            i,
            a,
            inputs.extractions[inputs.index[a.id]]
            if a.id in inputs.index
            else ArticleExtraction(article_id=a.id, backend=inputs.backend),
        )
        for i, a in zip(members, own, strict=True)
    ]
    names = NameResolver(
        [q.speaker for _, _, x in sources for q in x.quotes]
        + [s.actor for _, _, x in sources for s in x.stances]
        + [f.attributed_to for _, _, x in sources for f in x.casualties]
    )
    quotes, n_quotes = merge_quotes(story.id, sources, names)
    rows, n_figures = merge_casualties(story.id, sources, names)
    stances, n_stances = merge_stances(story.id, sources, names)
    lines, n_lines = merge_summary(story.id, sources, story.words)
    return _StoryMerged(
        Story(id=story.id, title=story.title, article_ids=[a.id for a in own]),
        quotes,
        rows,
        stances,
        lines,
        n_quotes + n_figures + n_stances + n_lines,
        copies,
    )


# What a story-merging worker process was forked with (``_merge_stories``).
_forked_with: tuple[list[list[int]], _Inputs | None] = ([], None)


def _fork_with(groups: list[list[int]], inputs: _Inputs) -> None:
    global _forked_with  # the one way a forked worker is handed its data
    _forked_with = (groups, inputs)


def _merged_part(part: list[int]) -> bytes:
    """In a forked worker: the stories at positions ``part`` merged, as JSON."""
    groups, inputs = _forked_with
    assert inputs is not None  # set when the worker started
    return _SENT.dump_json([_merge_story(k + 1, groups[k], inputs) for k in part])


def _merged_portion(numbers: list[int], groups: list[list[int]], inputs: _Inputs) -> bytes:
    """In a fresh worker: the stories of a portion (``_Inputs.portion``) merged, as JSON."""
    stories = zip(numbers, groups, strict=True)
    return _SENT.dump_json([_merge_story(number, members, inputs) for number, members in stories])


def _shares(groups: list[list[int]]) -> tuple[list[int], list[int]]:
    """The stories (by position) split in two shares of about as many articles (each story,
    largest first, to the lighter share): here, and a worker's."""
    shares: tuple[list[int], list[int]] = ([], [])
    weights = [0, 0]
    for k, members in enumerate(groups):
        lighter = 0 if weights[0] <= weights[1] else 1
        shares[lighter].append(k)
        weights[lighter] += len(members)
    return shares


def _parts(share: list[int], groups: list[list[int]]) -> list[list[int]]:
    """``share`` (stories by position) cut, in order, into parts of about ``SENT_ARTICLES``
    articles (a story larger than that is a part of its own)."""
    parts: list[list[int]] = []
    weight = SENT_ARTICLES
    for k in share:
        if weight >= SENT_ARTICLES:
            parts.append([])
            weight = 0
        parts[-1].append(k)
        weight += len(groups[k])
    return parts


def _merge_stories(groups: list[list[int]], inputs: _Inputs, heap: LongLived) -> list[_StoryMerged]:
    """Every story merged, in story order. From ``PARALLEL_STORIES_FROM`` articles on, the
    stories are shared between this process and a worker (``_worker``; ``_shares``): each
    story is a function of its own articles, so it is the same wherever it is merged.

    The worker is sent its share in parts (``_parts``), so that it holds one part's stories
    at a time, not all of them, beside their JSON; should it fail on a part (or a story not
    go to JSON), that part is merged here. The inputs of each story merged here are let go
    of at once (``_Inputs.release``), and those of the worker's share once it is done (never
    in a forked worker: writing to what it shares with this process would copy it); what
    they held is handed back to the system every ``SENT_ARTICLES`` articles
    (``give_back``)."""
    mine, theirs = _shares(groups)
    pool = _worker(groups, inputs)
    if pool is None:
        mine, theirs = list(range(len(groups))), []
    merged: dict[int, _StoryMerged] = {}
    parts = _parts(theirs, groups)
    with contextlib.ExitStack() as stack:
        sending: list[Future[bytes]] = []
        if pool is not None:
            # Parts not started are cancelled when this ends early (Ctrl-C, an error here):
            # shut down with ``with``, the worker would merge all of its share first.
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            with contextlib.suppress(OSError):  # a part not sent is merged here
                sending.extend(_send(pool, groups, part, inputs) for part in parts)
        released = 0
        for k in mine:
            merged[k] = _merge_story(k + 1, groups[k], inputs)
            inputs.release([(groups[k], merged[k])])
            released += len(groups[k])
            if released >= SENT_ARTICLES:  # for the stories still to merge
                give_back()
                heap.keep()  # the stories merged so far, till the brief is made
                released = 0
        for part, future in zip(parts, sending, strict=False):
            with contextlib.suppress(Exception):  # the part is merged here instead
                merged.update(zip(part, _SENT.validate_json(future.result()), strict=True))
            heap.keep()
    for k in theirs:
        if k not in merged:
            merged[k] = _merge_story(k + 1, groups[k], inputs)
    inputs.release((groups[k], merged[k]) for k in theirs)
    give_back()  # for the brief
    return [merged[k] for k in range(len(groups))]


def _worker(groups: list[list[int]], inputs: _Inputs) -> Executor | None:
    """The process that merges a share of the stories (None: merge them all here, as with
    fewer than ``PARALLEL_STORIES_FROM`` articles or one CPU).

    Inputs that can be handed over compactly (``Portable``: a large run's, kept as JSON) go,
    a part at a time, to a fresh interpreter (``_fresh``), which holds only what it is sent.
    Others are read by a process forked with them in memory (``forked``), below
    ``PARALLEL_STORIES_BELOW`` articles only: what a forked worker shares with this process
    stays shared only until either writes to it, and merging writes to nearly every page
    (the inputs it lets go of, the stories it makes), so the worker comes to hold a copy of
    this process's memory (at 30,000 articles, 45% more than merging here alone)."""
    if len(inputs.articles) < PARALLEL_STORIES_FROM or (os.cpu_count() or 1) < 2:
        return None
    if inputs.portable:
        try:
            return FreshExecutor()
        except OSError:
            return None
    if len(inputs.articles) < PARALLEL_STORIES_BELOW:
        return forked.pool(1, _fork_with, (groups, inputs))
    return None


def _send(
    pool: Executor, groups: list[list[int]], part: list[int], inputs: _Inputs
) -> Future[bytes]:
    """The stories at positions ``part`` sent to the worker ``pool`` to merge: only their own
    inputs to a fresh one, their positions to a forked one (it has the inputs)."""
    if isinstance(pool, FreshExecutor):
        return pool.submit(_merged_portion, *inputs.portion(groups, part))
    return pool.submit(_merged_part, part)


def _briefing(
    merged: list[_StoryMerged],
    reports: list[ArticleReport],
    found: _Extractions,
    failures: list[ArticleFailure],
    n_articles: int,
    backend: str,
    model: str | None,
) -> Briefing:
    """The Briefing of the merged stories: items numbered in story order, each article's
    report with its copy, the failures listed."""
    stories = [m.story for m in merged]
    quotes = [q for m in merged for q in m.quotes]
    copies = {article: first for m in merged for article, first in m.copies.items()}
    reports = [
        r.model_copy(update={"same_copy_as": copies[r.id]}) if r.id in copies else r
        for r in reports
    ]
    reports += [
        ArticleReport(id=f.id, path=f.path, status="failed", error=f.error) for f in failures
    ]
    outlets = _outlets(reports)
    return Briefing(
        title=_title(stories, n_articles),
        backend=backend,
        model=model,
        articles=reports,
        stories=stories,
        summary=[line for m in merged for line in m.lines],
        quotes=fold_fragments(
            [
                q.model_copy(update={"id": f"Q{i}", "outlets": outlets(q)})
                for i, q in enumerate(quotes, start=1)
            ]
        ),
        casualties=[
            r.model_copy(update={"id": f"C{i}"})
            for i, r in enumerate((r for m in merged for r in m.rows), start=1)
        ],
        stances=[
            s.model_copy(update={"id": f"P{i}"})
            for i, s in enumerate((s for m in merged for s in m.stances), start=1)
        ],
        dropped=sum(m.dropped for m in merged) + found.dropped,
        fallbacks=found.fallbacks,
        usage=found.usage,
    )
