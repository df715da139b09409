"""Small text helpers shared by every stage: words, normalisation, lexical similarity."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself said says say told added according since while amid among upon per via
    mr mrs ms dr one two three four five six seven eight nine ten new year years day days
    monday tuesday wednesday thursday friday saturday sunday week last first""".split()
)

_QUOTE_TRANSLATION = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def words(text: str) -> list[str]:
    """Word tokens (letters and digits, inner apostrophes/hyphens/periods kept)."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=1024)
def sentence_words(text: str) -> tuple[str, ...]:
    """``words`` of one sentence, memoised for the sentences of the article at hand: its
    summary, its story profile and its English check each read every sentence's words, one
    after the other (an article has a few dozen sentences; the cache holds many articles')."""
    return tuple(WORD_RE.findall(text))


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form for comparing names and quotes.

    Pure and called millions of times on the same few thousand names, so it is memoised."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTE_TRANSLATION))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(w.casefold() for w in words(text))


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning: no stopwords, no short tokens, no bare numbers."""
    return content_words_of(words(text))


def content_words_of(tokens: Iterable[str]) -> list[str]:
    """``content_words`` of a text already split by ``words``."""
    known = _CONTENT_WORD
    if len(known) > _CONTENT_WORD_MAX:
        known.clear()
    out = []
    for w in tokens:
        lw = known.get(w, _UNSEEN)
        if lw is _UNSEEN:
            lw = known[w] = _content_word(w)
        if lw is not None:
            out.append(lw)
    return out


# What each distinct token is as a content word (None: not one). A text's words are read
# millions of times over a few tens of thousands of distinct tokens, so each is judged once.
_CONTENT_WORD: dict[str, str | None] = {}
_CONTENT_WORD_MAX = 500_000
_UNSEEN = ""  # no token is empty, and "" is never a content word


def word_key(word: str) -> str:
    """A word as words are compared: casefolded, a typographic apostrophe as a plain one, a
    possessive's "'s" dropped ("Ukraine’s" is "ukraine", "O’Brien" is "o'brien")."""
    key = word.casefold().replace("’", "'")
    return key[:-2] if key.endswith("'s") else key


def _content_word(w: str) -> str | None:
    lw = word_key(w)
    if len(lw) > 2 and lw not in STOPWORDS and not lw.replace(",", "").isdigit():
        return lw
    return None


def cosine(
    a: Counter[str],
    b: Counter[str],
    b_norm2: float | None = None,
    *,
    a_norm2: float | None = None,
) -> float:
    """Cosine similarity of two bags of words (0.0 when either is empty).

    ``b_norm2`` and ``a_norm2``, when given, are ``squared_norm(b)`` and ``squared_norm(a)``:
    for bags compared many times, so that each comparison costs what the smaller bag holds.
    The counts are integers, so the result does not depend on the order of the words.
    """
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(n * large[w] for w, n in small.items() if w in large)
    if b_norm2 is None:
        b_norm2 = squared_norm(b)
    if a_norm2 is None:
        a_norm2 = squared_norm(a)
    return dot / math.sqrt(a_norm2 * b_norm2)


def squared_norm(bag: Counter[str]) -> float:
    """The sum of the squared counts: a bag's squared length, for ``cosine``."""
    return sum(n * n for n in bag.values())


def bag(texts: Iterable[str]) -> Counter[str]:
    counter: Counter[str] = Counter()
    for text in texts:
        counter.update(content_words(text))
    return counter


def is_capitalized(word: str) -> bool:
    return bool(word) and word[0].isupper()


# --- counts as a reader sees them -------------------------------------------------------------
# Shared by merge (its notes: "2 per the ministry, which does not say who the dead were") and
# render (the figures tables), so both word a count and a status alike.

STATUS_NOUNS: dict[str, str] = {
    "killed": "dead",
    "wounded": "wounded",
    "missing": "missing",
    "detained": "detained",
}
_HEDGE_RE = re.compile(
    r"^(?:more than|over|at least|nearly|almost|about|around|approximately|roughly|some|"
    r"up to|as many as|fewer than|less than|under|at most|close to|upwards of|"
    r"in excess of|no fewer than|no less than|an estimated|estimated)\b"
)


def hedged(count_text: str) -> bool:
    """True when the count is stated with a hedge: "more than 53,000", "at least 41"."""
    return bool(_HEDGE_RE.match(fold(count_text)))


def count_label(count: int | None, count_text: str) -> str:
    """A count as a reader should see it: "at least 41", "53,000", "several", never ""."""
    stated = " ".join(count_text.split())
    stated = stated[:1].lower() + stated[1:]
    if count is None:
        return stated or "unspecified number"
    return stated if hedged(stated) else f"{count:,}"
