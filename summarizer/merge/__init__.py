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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .._heap import LongLived
from ..errors import InternalError
from ..models import (
    Article,
    ArticleExtraction,
    ArticleFailure,
    ArticleReport,
    Briefing,
    BriefQuote,
    BriefStance,
    CasualtyRow,
    Story,
    SummaryLine,
    Usage,
)
from .casualties import merge_casualties
from .names import NameResolver
from .quotes import fold_fragments, merge_quotes
from .stances import merge_stances
from .stories import ArticleProfile, StoryGroup, checked_profiles, same_copies, story_groups
from .summary import merge_summary

__all__ = ["ArticleProfile", "merge"]


def _reports(articles: Sequence[Article]) -> list[ArticleReport]:
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
    def of(cls, extractions: Sequence[ArticleExtraction], known: set[str]) -> _Extractions:
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

    Besides one pass each for the reports and the extractions' places, ``articles`` and
    ``extractions`` are read one story at a time, so they may be sequences that make each
    item when asked (the pipeline's, for a large run: not every article held as models).
    """
    profiles = checked_profiles(articles, profiles)
    with LongLived() as heap:
        # Stories are found from the profiles alone, in worker processes for a large folder,
        # while the articles and extractions are read here (which makes their models, when
        # they are sequences that make them when asked).
        groups = story_groups(profiles)
        with heap.making():
            reports = _reports(articles)
            found = _Extractions.of(extractions, {r.id for r in reports})
        return _merged(
            articles, extractions, failures, backend, model, profiles, groups, reports, found
        )


def _merged(
    articles: Sequence[Article],
    extractions: Sequence[ArticleExtraction],
    failures: list[ArticleFailure],
    backend: str,
    model: str | None,
    profiles: Sequence[ArticleProfile],
    groups: Iterator[StoryGroup],
    reports: list[ArticleReport],
    found: _Extractions,
) -> Briefing:
    """``merge`` once its stories are being found and the articles and extractions read."""
    stories: list[Story] = []
    quotes: list[BriefQuote] = []
    casualties: list[CasualtyRow] = []
    stances: list[BriefStance] = []
    summary: list[SummaryLine] = []
    dropped = 0
    copies: dict[str, str] = {}
    for story in groups:
        own = [articles[i] for i in story.members]
        copies.update(same_copies(own, [profiles[i] for i in story.members]))
        stories.append(Story(id=story.id, title=story.title, article_ids=[a.id for a in own]))
        sources = [
            (
                i,
                a,
                extractions[found.index[a.id]]
                if a.id in found.index
                else ArticleExtraction(article_id=a.id, backend=backend),
            )
            for i, a in zip(story.members, own, strict=True)
        ]
        names = NameResolver(
            [q.speaker for _, _, x in sources for q in x.quotes]
            + [s.actor for _, _, x in sources for s in x.stances]
            + [f.attributed_to for _, _, x in sources for f in x.casualties]
        )
        story_quotes, n_quotes = merge_quotes(story.id, sources, names)
        story_rows, n_figures = merge_casualties(story.id, sources, names)
        story_stances, n_stances = merge_stances(story.id, sources, names)
        story_lines, n_lines = merge_summary(story.id, sources, story.words)
        quotes += story_quotes
        casualties += story_rows
        stances += story_stances
        summary += story_lines
        dropped += n_quotes + n_figures + n_stances + n_lines

    reports = [
        r.model_copy(update={"same_copy_as": copies[r.id]}) if r.id in copies else r
        for r in reports
    ]
    reports += [
        ArticleReport(id=f.id, path=f.path, status="failed", error=f.error) for f in failures
    ]
    outlets = _outlets(reports)
    return Briefing(
        title=_title(stories, len(articles)),
        backend=backend,
        model=model,
        articles=reports,
        stories=stories,
        summary=summary,
        quotes=fold_fragments(
            [
                q.model_copy(update={"id": f"Q{i}", "outlets": outlets(q)})
                for i, q in enumerate(quotes, start=1)
            ]
        ),
        casualties=[
            r.model_copy(update={"id": f"C{i}"}) for i, r in enumerate(casualties, start=1)
        ],
        stances=[s.model_copy(update={"id": f"P{i}"}) for i, s in enumerate(stances, start=1)],
        dropped=dropped + found.dropped,
        fallbacks=found.fallbacks,
        usage=found.usage,
    )
