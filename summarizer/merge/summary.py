"""Summary: a story's lead, 3-5 sentences taken verbatim from its articles.

Candidates are the extractions' summary sentences. Each is scored by how central it is to
the story (cosine of its content words to the words of every article in the story) and how
early it stands in its article (news puts the facts first). Lines are chosen best first, each
discounted by its overlap with the lines already chosen (maximal marginal relevance), so the
lead covers more than one angle. A sentence that repeats a chosen line (cosine >=
``DUPLICATE``) becomes another citation of that line instead of a line of its own, so
agreement across outlets shows as citations.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from ..models import Article, ArticleExtraction, SummaryLine, SummarySentence
from ..textutil import content_words_of, cosine, squared_norm, words
from .grounding import cite, grounded, signature

LINES_MIN = 3
LINES_MAX = 5
DUPLICATE = 0.6
REDUNDANCY = 0.5
POOL = 200  # the lead is chosen among this many best-scored sentences
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
    norm2: float  # squared_norm(words), computed once: a candidate is compared many times


def _score(
    starts: list[int],
    sentence: SummarySentence,
    story: Counter[str],
    story_norm2: float,
    known: dict[str, tuple[float, float]],
) -> float:
    """``starts``: where the article's body sentences start; ``story_norm2``: the squared
    norm of ``story``, computed once per story rather than once per sentence; ``known``: the
    story's texts already scored (their likeness to the story and their length factor), as
    outlets repeat sentences (wire copy)."""
    position = bisect.bisect_right(starts, sentence.start) - 1
    early = 1.0 / (1.0 + max(position, 0) / EARLY_HALF_LIFE)
    alike_length = known.get(sentence.text)
    if alike_length is None:
        tokens = words(sentence.text)  # split once for its length and its content words
        n_words = len(tokens)
        length = min(1.0, n_words / SHORT_WORDS) * (0.7 if n_words > LONG_WORDS else 1.0)
        alike = cosine(Counter(content_words_of(tokens)), story, story_norm2)
        alike_length = known[sentence.text] = (alike, length)
    alike, length = alike_length
    return alike * (0.5 + 0.5 * early) * length


def _is_heading(headings: list[tuple[int, int]], sentence: SummarySentence) -> bool:
    """``headings``: where the article's headings start and end."""
    return any(start <= sentence.start < end for start, end in headings)


def _where(candidate: _Candidate) -> tuple[str, int, int]:
    return (candidate.article.id, candidate.sentence.start, candidate.sentence.end)


def _choose(pool: list[_Candidate], wanted: int) -> list[_Candidate]:
    """Greedy maximal marginal relevance: the best score, less its overlap with lines chosen.

    A repeat of a chosen line (cosine >= ``DUPLICATE``) is never chosen: it becomes a
    citation. A line that only overlaps is discounted (``REDUNDANCY``), so the lead covers
    more than one angle of the story. ``pool`` is sorted best first; ties keep that order.
    Each candidate's overlap (its largest cosine with a line chosen) is brought up to date
    with each new line only, rather than recomputed against every line in every round; and
    as outlets carry the same sentence, each distinct wording is compared with it once.
    """
    chosen: list[_Candidate] = []
    # Chosen, or equal to a line chosen (an extraction listing one sentence twice).
    taken = [False] * len(pool)
    overlaps = [0.0] * len(pool)
    while len(chosen) < wanted:
        best: tuple[float, int] | None = None
        for i, (candidate, overlap) in enumerate(zip(pool, overlaps, strict=True)):
            if overlap >= DUPLICATE or taken[i]:
                continue
            value = candidate.score - REDUNDANCY * overlap
            if best is None or value > best[0]:
                best = (value, i)
        if best is None:
            break
        line = pool[best[1]]
        chosen.append(line)
        if len(chosen) == wanted:
            break
        taken = [
            done or c is line or (c.order == line.order and c == line)
            for c, done in zip(pool, taken, strict=True)
        ]
        alike: dict[str, float] = {}
        for i, (c, overlap) in enumerate(zip(pool, overlaps, strict=True)):
            if overlap < DUPLICATE:
                similarity = alike.get(c.sentence.text)
                if similarity is None:
                    similarity = alike[c.sentence.text] = cosine(
                        c.words, line.words, line.norm2, a_norm2=c.norm2
                    )
                overlaps[i] = max(overlap, similarity)
    return chosen


def _twin(
    candidate: _Candidate,
    leads: list[_Candidate],
    lines: list[dict[tuple[str, int, int], _Candidate]],
) -> dict[tuple[str, int, int], _Candidate] | None:
    """The citations of the first lead line ``candidate`` repeats (cosine >= ``DUPLICATE``),
    if any. It depends on the candidate's wording only, so the caller asks once a wording."""
    return next(
        (
            line
            for lead, line in zip(leads, lines, strict=True)
            if cosine(candidate.words, lead.words, lead.norm2, a_norm2=candidate.norm2) >= DUPLICATE
        ),
        None,
    )


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
    story_norm2 = squared_norm(story_words)
    known: dict[str, tuple[float, float]] = {}
    bags: dict[str, tuple[Counter[str], float]] = {}  # each wording's words, read once
    for order, article, extraction in sources:
        if not extraction.summary:
            continue
        starts: list[int] = []
        headings: list[tuple[int, int]] = []
        for s in article.sentences:
            if s.heading:
                headings.append((s.start, s.end))
            else:
                starts.append(s.start)
        for sentence in extraction.summary:
            if not grounded(article, sentence.start, sentence.end, sentence.text):
                dropped += 1
                continue
            if _is_heading(headings, sentence):
                continue
            score = _score(starts, sentence, story_words, story_norm2, known)
            read = bags.get(sentence.text)
            if read is None:
                bag_of = signature(sentence.text)
                read = bags[sentence.text] = (bag_of, squared_norm(bag_of))
            candidates.append(_Candidate(order, article, sentence, read[0], score, read[1]))
    candidates.sort(key=lambda c: (-c.score, c.order, c.sentence.start, c.sentence.end))
    wanted = min(LINES_MAX, max(LINES_MIN, 2 + len(sources)))
    leads = _choose(candidates[:POOL], wanted)
    lines: list[dict[tuple[str, int, int], _Candidate]] = [{_where(c): c} for c in leads]
    twins: dict[str, dict[tuple[str, int, int], _Candidate] | None] = {}
    for candidate in candidates:
        text = candidate.sentence.text
        if text in twins:
            twin = twins[text]
        else:
            twin = twins[text] = _twin(candidate, leads, lines)
        if twin is not None:
            twin.setdefault(_where(candidate), candidate)
    out = []
    for line in lines:
        citations = [cite(c.article, c.sentence.start, c.sentence.end) for c in line.values()]
        out.append(SummaryLine(story=story, text=citations[0].text, citations=citations))
    return out, dropped
