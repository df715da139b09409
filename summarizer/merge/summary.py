"""Summary: a story's lead, 3-5 sentences taken verbatim from its articles.

Candidates are the extractions' summary sentences. Each is scored by how central it is to
the story (cosine of its content words to the words of every article in the story) and how
early it stands in its article (news puts the facts first). Sentences are taken best first;
one that repeats a line already chosen (cosine >= ``DUPLICATE``) becomes another citation of
that line instead of a line of its own, so agreement across outlets shows as citations.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from ..models import Article, ArticleExtraction, SummaryLine, SummarySentence
from ..textutil import bag, cosine, words
from .grounding import cite, grounded, signature

LINES_MIN = 3
LINES_MAX = 5
DUPLICATE = 0.6
EARLY_HALF_LIFE = 5.0  # sentences; the position bonus halves this far into an article
SHORT_WORDS = 12
LONG_WORDS = 60


@dataclass
class _Candidate:
    order: int
    article: Article
    sentence: SummarySentence
    words: Counter[str]
    score: float


def _score(article: Article, sentence: SummarySentence, story: Counter[str]) -> float:
    starts = [s.start for s in article.sentences if not s.heading]
    position = bisect.bisect_right(starts, sentence.start) - 1
    early = 1.0 / (1.0 + max(position, 0) / EARLY_HALF_LIFE)
    n_words = len(words(sentence.text))
    length = min(1.0, n_words / SHORT_WORDS) * (0.7 if n_words > LONG_WORDS else 1.0)
    return cosine(bag([sentence.text]), story) * (0.5 + 0.5 * early) * length


def _is_heading(article: Article, sentence: SummarySentence) -> bool:
    return any(s.heading and s.start <= sentence.start < s.end for s in article.sentences)


def merge_summary(
    story: str,
    sources: list[tuple[int, Article, ArticleExtraction]],
    story_words: Counter[str],
) -> tuple[list[SummaryLine], int]:
    """The story's lead lines, best first; and how many summary sentences were dropped.

    ``story_words`` are the content words of every article in the story.
    """
    candidates: list[_Candidate] = []
    dropped = 0
    for order, article, extraction in sources:
        for sentence in extraction.summary:
            if not grounded(article, sentence.start, sentence.end, sentence.text):
                dropped += 1
                continue
            if _is_heading(article, sentence):
                continue
            score = _score(article, sentence, story_words)
            candidates.append(
                _Candidate(order, article, sentence, signature(sentence.text), score)
            )
    candidates.sort(key=lambda c: (-c.score, c.order, c.sentence.start, c.sentence.end))
    wanted = min(LINES_MAX, max(LINES_MIN, 2 + len(sources)))
    lines: list[list[_Candidate]] = []
    for candidate in candidates:
        twin = next(
            (line for line in lines if cosine(candidate.words, line[0].words) >= DUPLICATE), None
        )
        if twin is not None:
            if all((c.article.id, c.sentence.start) != (candidate.article.id,
                                                        candidate.sentence.start) for c in twin):
                twin.append(candidate)
        elif len(lines) < wanted:
            lines.append([candidate])
    out = []
    for line in lines:
        citations = [cite(c.article, c.sentence.start, c.sentence.end) for c in line]
        out.append(SummaryLine(story=story, text=citations[0].text, citations=citations))
    return out, dropped
