"""Sentences: boundaries within a paragraph (abbreviations and titles aside, never inside a
quotation), and measures over an article's sentence words."""

from __future__ import annotations

import bisect
import re

from ..models import Article
from ..textutil import content_words, sentence_words
from .lines import trimmed

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sgt gen col lt capt maj cpl pvt adm cmdr gov sen rep rev st jr sr
    inc corp ltd co no vs etc e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n u.s.a e.u a.m p.m""".split()
)
TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sgt gen col lt capt maj cpl pvt adm cmdr gov sen rep rev st".split()
)
_SENTENCE_STARTERS = frozenset(
    "he she it they we i the a an in but this that his her its their there on at after when".split()
)
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9•])")


_NEXT_WORD_RE = re.compile(r"\s+[\"“]?(\w+)")


class Stabbing:
    """Whether a position lies strictly inside one of some spans (``s < at < e``): the spans by
    start, with the furthest end reached so far, so each question is one bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def strictly(self, at: int) -> bool:
        k = bisect.bisect_left(self.starts, at)  # the spans starting before ``at``
        return k > 0 and self.reach[k - 1] > at

    def covers(self, start: int, end: int) -> bool:
        """Whether one span holds ``[start, end)``: ``s <= start`` and ``end <= e``."""
        k = bisect.bisect_right(self.starts, start)  # the spans starting at or before it
        return k > 0 and self.reach[k - 1] >= end


def split_sentences(
    text: str, start: int, end: int, protected: list[tuple[int, int]] | Stabbing
) -> list[tuple[int, int]]:
    out = []
    cursor = start
    inside = protected if isinstance(protected, Stabbing) else Stabbing(protected)
    for match in _BOUNDARY_RE.finditer(text, start, end):
        cut = match.end()
        if inside.strictly(cut):
            continue
        # The last run of non-space characters up to the mark, from ``cursor`` on (what
        # ``(\S+)$`` finds in that stretch), read backwards from the mark: no copy of the
        # stretch per mark.
        first = match.start() + 1
        while first > cursor and not text[first - 1].isspace():
            first -= 1
        word = text[first : match.start() + 1]
        token = word.rstrip(".").casefold().lstrip("(\"“'‘") if word else ""
        if match.group() == "." and (token in _ABBREVIATIONS or len(token) == 1):
            following = _NEXT_WORD_RE.match(text, cut, end)
            next_word = following.group(1).casefold() if following else ""
            if token in TITLE_ABBREVIATIONS or next_word not in _SENTENCE_STARTERS:
                continue
        s, e = trimmed(text, cursor, cut)
        if s < e:
            out.append((s, e))
        cursor = cut
    s, e = trimmed(text, cursor, end)
    if s < e:
        out.append((s, e))
    return out


def ends_with_title(text: str) -> bool:
    """A line broken after a title ("Sgt.") continues on the next line."""
    last = text.split()[-1] if text.split() else ""
    return last.endswith(".") and last.rstrip(".").casefold() in TITLE_ABBREVIATIONS


_ENGLISH_WORDS = frozenset(
    """the of and to that is was for on with as by at from his her their its said says have has
    had it this which were are been after would will who not but they he she be or than when
    about over into also there what""".split()
)


def english_share(article: Article) -> float | None:
    """The share of the article's words that are common English function words (about a
    third in English news, under a tenth in other languages), or None below 40 words."""
    tokens: list[str] = []
    for sentence in article.sentences:
        tokens += sentence_words(article.slice(sentence))
    if len(tokens) < 40:
        return None
    # Folded and looked up in C (``map``), not word by word in Python: every article is asked.
    return sum(map(_ENGLISH_WORDS.__contains__, map(str.casefold, tokens))) / len(tokens)


def body_words(article: Article) -> list[str]:
    """Content words of the article's sentences (what is left once exclusions are out)."""
    return [w for s in article.sentences for w in content_words(article.slice(s))]
