"""Property: whatever the text, every citation in the brief is exactly its source's characters."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.extract.rules import RulesBackend
from summarizer.ingest import RawArticle, parse
from summarizer.merge import merge
from summarizer.models import Article

WORDS = [
    "said",
    "he",
    "she",
    "President",
    "Anna",
    "Kowalski",
    "killed",
    "wounded",
    "two",
    "three",
    "soldiers",
    "civilians",
    "the",
    "attack",
    "vowed",
    "to",
    "will",
    "Minister",
    "according",
    "police",
    "a",
    "an",
    "envoy",
    "Reuters",
    "Sgt.",
    "U.S.",
    "were",
    "and",
]
MARKS = [
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    ",",
    ".",
    ":",
    "—",
    "\n",
    "\r\n",
    "\n\n",
    " ",
    "\u200b",
    "(AFP)",
    "Updated 2 min ago",
    "é",
    "ß",
    "🙂",
]

fragments = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(MARKS), st.text(min_size=1, max_size=6)
)
texts = st.lists(fragments, min_size=1, max_size=80).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_every_citation_is_the_exact_text_of_its_source(bodies: list[str]) -> None:
    articles: list[Article] = []
    for number, body in enumerate(bodies):
        if not body.strip():
            continue
        articles.append(parse(RawArticle(id=f"a{number}", path=f"a{number}.txt", text=body)))
    backend = RulesBackend()
    extractions = [backend.extract(a) for a in articles]
    for article, extraction in zip(articles, extractions, strict=True):
        for quote in extraction.quotes:
            assert article.text[quote.start : quote.end] == quote.text
        for stance in extraction.stances:
            assert article.text[stance.start : stance.end] == stance.position
    if not articles:
        return
    briefing = merge(articles, extractions, [], backend="rules", model=None)
    # Citations index the text as read; ``exact`` holds those characters where soft line
    # breaks were folded for reading (``text``: what is shown), else ``text`` is them.
    as_read = {a.id: a.as_read for a in articles}
    for citation in briefing.citations():
        exact = as_read[citation.article_id][citation.start : citation.end]
        assert exact == (citation.text if citation.exact is None else citation.exact)
        assert re.sub(r"[\s-]", "", exact) == re.sub(r"[\s-]", "", citation.text)
