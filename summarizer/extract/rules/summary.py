"""A short extractive summary: the sentences that best stand for the article, verbatim."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from itertools import accumulate

from ...models import Article, SummarySentence
from ...textutil import content_words
from ..budget import check

MAX_SENTENCES = 5
_CONTEXTLESS_STARTS = (
    "he ",
    "she ",
    "it ",
    "they ",
    "this ",
    "that ",
    "these ",
    "those ",
    "but ",
    "and ",
    "however",
    "meanwhile",
)


def summarize(article: Article, limit: int = MAX_SENTENCES) -> list[SummarySentence]:
    """Up to ``limit`` body sentences, best first by score, each a verbatim span.

    Score: how much of the article's own vocabulary a sentence carries (normalised by its
    length), a preference for early sentences (news puts the facts first), and penalties for
    sentences that cannot stand alone (opening pronouns) or are mostly quotation.
    """
    body = [s for s in article.sentences if not s.heading]
    body_words = [content_words(article.slice(s)) for s in body]  # once, read twice
    frequencies = Counter(w for words in body_words for w in set(words))
    by_start = sorted((q.start, q.end - q.start) for q in article.quote_spans)
    starts = [start for start, _ in by_start]
    lengths = [0, *accumulate(length for _, length in by_start)]
    scored = []
    for index, (sentence, words) in enumerate(zip(body, body_words, strict=True)):
        check()
        text = article.slice(sentence)
        n_words = len(text.split())
        if not 8 <= n_words <= 60 or not words:
            continue
        weight = sum(frequencies[w] for w in set(words)) / (len(set(words)) ** 0.5 * 3)
        weight *= 1.0 / (1.0 + 0.12 * index)
        if text.casefold().startswith(_CONTEXTLESS_STARTS):
            weight *= 0.4
        # Quoted characters of the quotations starting in the sentence: two bisections.
        first = bisect_left(starts, sentence.start)
        quoted = lengths[bisect_left(starts, sentence.end)] - lengths[first]
        if quoted > 0.5 * len(text):
            weight *= 0.5
        scored.append((weight, sentence.start, sentence.end))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
    return [
        SummarySentence(start=start, end=end, text=article.text[start:end], score=round(score, 4))
        for score, start, end in best
    ]
