"""A short extractive summary: the sentences that best stand for the article, verbatim."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from itertools import accumulate

from ...models import Article, SummarySentence
from ...textutil import content_words_of, sentence_words
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
_LONGEST_START = max(len(start) for start in _CONTEXTLESS_STARTS)


def _opens_without_context(text: str) -> bool:
    """Whether ``text`` opens with a word that needs the sentence before ("He", "But").
    Only its first characters are folded: ``casefold`` maps each character on its own and
    never to fewer characters, so their folding starts the whole text's."""
    return text[:_LONGEST_START].casefold().startswith(_CONTEXTLESS_STARTS)


def summarize(article: Article, limit: int = MAX_SENTENCES) -> list[SummarySentence]:
    """Up to ``limit`` body sentences, best first by score, each a verbatim span.

    Score: how much of the article's own vocabulary a sentence carries (normalised by its
    length), a preference for early sentences (news puts the facts first), and penalties for
    sentences that cannot stand alone (opening pronouns) or are mostly quotation.
    """
    body = [s for s in article.sentences if not s.heading]
    texts = [article.slice(s) for s in body]
    # Each sentence's distinct content words, once: counted here, read again below.
    vocabularies = [set(content_words_of(sentence_words(text))) for text in texts]
    frequencies: Counter[str] = Counter()
    for vocabulary in vocabularies:
        frequencies.update(vocabulary)
    by_start = sorted((q.start, q.end - q.start) for q in article.quote_spans)
    starts = [start for start, _ in by_start]
    lengths = [0, *accumulate(length for _, length in by_start)]
    scored = []
    for index, (sentence, text, vocabulary) in enumerate(
        zip(body, texts, vocabularies, strict=True)
    ):
        check()
        n_words = len(text.split())
        if not 8 <= n_words <= 60 or not vocabulary:
            continue
        weight = sum(frequencies[w] for w in vocabulary) / (len(vocabulary) ** 0.5 * 3)
        weight *= 1.0 / (1.0 + 0.12 * index)
        if _opens_without_context(text):
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
