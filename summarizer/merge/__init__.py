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

from collections.abc import Callable, Sequence

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
from .stories import ArticleProfile, group_stories
from .summary import merge_summary

__all__ = ["ArticleProfile", "merge"]


def _extractions_by_article(
    articles: Sequence[Article], extractions: Sequence[ArticleExtraction]
) -> dict[str, ArticleExtraction]:
    known = {article.id for article in articles}
    if len(known) != len(articles):
        raise InternalError("two articles share one id; ids must be unique (please report this)")
    found: dict[str, ArticleExtraction] = {}
    for extraction in extractions:
        if extraction.article_id not in known:
            raise InternalError(
                f"an extraction names article {extraction.article_id!r}, which is not among "
                "the articles given to merge (please report this)"
            )
        if extraction.article_id in found:
            raise InternalError(
                f"article {extraction.article_id!r} has two extractions (please report this)"
            )
        found[extraction.article_id] = extraction
    return found


def _reports(
    articles: Sequence[Article], failures: Sequence[ArticleFailure], copies: dict[str, str]
) -> list[ArticleReport]:
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
            same_copy_as=copies.get(a.id),
        )
        for a in articles
    ]
    reports += [
        ArticleReport(id=f.id, path=f.path, status="failed", error=f.error) for f in failures
    ]
    return reports


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
    articles: list[Article],
    extractions: list[ArticleExtraction],
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
    caller has them (computed and cached where the articles were extracted); else merge
    computes them.
    """
    by_article = _extractions_by_article(articles, extractions)
    position = {article.id: i for i, article in enumerate(articles)}
    stories: list[Story] = []
    quotes: list[BriefQuote] = []
    casualties: list[CasualtyRow] = []
    stances: list[BriefStance] = []
    summary: list[SummaryLine] = []
    dropped = 0
    copies: dict[str, str] = {}
    for story in group_stories(articles, profiles):
        copies.update(story.copies)
        stories.append(
            Story(id=story.id, title=story.title, article_ids=[a.id for a in story.articles])
        )
        sources = [
            (
                position[a.id],
                a,
                by_article.get(a.id) or ArticleExtraction(article_id=a.id, backend=backend),
            )
            for a in story.articles
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

    usage = Usage()
    for extraction in extractions:
        usage = usage + extraction.usage
    reports = _reports(articles, failures, copies)
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
        dropped=dropped + sum(x.dropped for x in extractions),
        fallbacks=sum(len(x.fallbacks) for x in extractions),
        usage=usage,
    )
