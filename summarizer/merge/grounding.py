"""Citations that point to exact characters, and the check every merged item passes first.

Merge never trusts an extraction's offsets blindly: an item whose span falls outside the
text, whose recorded text differs from ``text[start:end]``, or that overlaps a stretch ingest
marked as excluded (boilerplate, captions, an appended unrelated story) is left out of the
brief and counted as dropped. "Grounded or absent."
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from ..aliases import canonical_tokens
from ..models import Article, Citation
from ..textutil import STOPWORDS

_NUMBER_RE = re.compile(r"^[\d.,]+$")


def grounded(article: Article, start: int, end: int, text: str | None = None) -> bool:
    """True when ``[start, end)`` is a non-empty span of body text (and equals ``text``)."""
    if not 0 <= start < end <= len(article.text):
        return False
    if text is not None and article.text[start:end] != text:
        return False
    return not any(x.start < end and start < x.end for x in article.excluded)


def cite(article: Article, start: int, end: int) -> Citation:
    """A citation of ``[start, end)`` of the reading text: its offsets index the article as
    read, its ``text`` is by construction ``article.text[start:end]`` (soft line breaks folded),
    and ``exact`` holds the characters as read where they differ."""
    return Citation(**citation_fields(article, start, end))


def citation_fields(article: Article, start: int, end: int) -> dict[str, Any]:
    """``cite``'s fields, for a model that extends ``Citation`` (a casualty ``Figure``)
    without making and dumping a Citation first."""
    first, last = article.to_source(start, end)
    shown = article.text[start:end]
    exact = article.as_read[first:last]
    return {
        "article_id": article.id,
        "start": first,
        "end": last,
        "text": shown,
        "exact": None if exact == shown else exact,
    }


def signature(text: str) -> Counter[str]:
    """Content words with aliases unified, for comparing paraphrases across outlets."""
    # Outlets carry the same sentences (wire copy), so each distinct text is read once; the
    # caller gets its own Counter, in the same order.
    counter: Counter[str] = Counter()
    dict.update(counter, _signature(text))  # a plain copy: no Counter.update type checks
    return counter


@lru_cache(maxsize=8192)
def _signature(text: str) -> tuple[tuple[str, int], ...]:
    return tuple(
        Counter(
            t
            for t in canonical_tokens(text)
            if (len(t) > 2 or t.isupper()) and t not in STOPWORDS and not _NUMBER_RE.match(t)
        ).items()
    )
