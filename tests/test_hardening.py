"""What a red team found, each a test that failed before its fix (issue "CI that passes on any
host, and what a red team found", items 2-6, 8-10)."""

from __future__ import annotations

from summarizer.ingest import RawArticle, parse
from summarizer.merge.names import NameResolver
from summarizer.merge.quotes import merge_quotes
from summarizer.models import Article, ArticleExtraction, Quote

# --- 10: quotes differing in a number are different quotes -----------------------------------


Sources = list[tuple[int, Article, ArticleExtraction]]


def _quoted_by_two_outlets(first: str, second: str) -> Sources:
    sources: Sources = []
    for order, said in enumerate([first, second]):
        text = f'The commander spoke on Monday. "{said}," Colonel Hana Idris said.\n'
        article = parse(RawArticle(id=f"{order}.txt", path=f"{order}.txt", text=text))
        start = article.text.index(said)
        quote = Quote(
            text=said,
            start=start,
            end=start + len(said),
            speaker="Hana Idris",
            fragment=False,
            attribution="explicit",
        )
        extraction = ArticleExtraction(article_id=article.id, backend="rules", quotes=[quote])
        sources.append((order, article, extraction))
    return sources


def test_quotes_differing_in_a_figure_are_not_one_quote_in_two_wordings() -> None:
    sources = _quoted_by_two_outlets(
        "We counted 28 wounded in sector 10", "We counted 22 wounded in sector 0"
    )
    quotes, dropped = merge_quotes("s1", sources, NameResolver(["Hana Idris"]))
    assert dropped == 0
    assert [q.text for q in quotes] == [
        "We counted 28 wounded in sector 10",
        "We counted 22 wounded in sector 0",
    ]
    assert not any(q.wordings_differ for q in quotes)


def test_a_quote_cut_short_still_joins_the_full_one() -> None:
    sources = _quoted_by_two_outlets(
        "We counted 28 wounded in sector 10 before dawn", "We counted 28 wounded in sector 10"
    )
    quotes, _ = merge_quotes("s1", sources, NameResolver(["Hana Idris"]))
    assert len(quotes) == 1 and len(quotes[0].citations) == 2
