"""Page furniture: the lines (and line heads) that are not the article's text, marked as
``Excluded`` stretches by an ordered table of matchers, and a second story glued to the end."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..models import Excluded, ExclusionKind
from ..textutil import content_words, squared_norm, words
from .lines import Line, trimmed
from .sentences import ends_with_title

_TERMINAL = ".!?:;\"”’'…)"
TIMESTAMP_RE = re.compile(
    r"^\s*(?:last\s+)?(?:updated|published|posted|modified|date)\b[:\s]", re.IGNORECASE
)
META_PREFIX_RE = re.compile(
    r"^\s*(?:date|published|updated|posted)[:\s]+\d{4}-\d{2}-\d{2}(?:[T ][\d:]+Z?)?\s*",
    re.IGNORECASE,
)
# "LONDON: ", "ERBIL (Kurdistan24) - ", "PARIS (AFP) — " at the start of a paragraph.
DATELINE_RE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'\- ]{1,40}[A-Z.])(?:,\s*[A-Z][\w.]*(?:\s\d{1,2})?)?"
    r"(?:\s*\([^)]{1,40}\))?\s*(?::|-|—|–)\s+(?=[\"“‘A-Z0-9])"
)
_BYLINE_RE = re.compile(r"^\s*By\s+[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|and|de|van))*\s*$")
# Lines that point elsewhere: "Read more: ...", "Related: ...", "(Reporting by ...)".
_LINK_LINE_RE = re.compile(
    r"^\s*(?:\(?(?:reporting|writing|editing|additional reporting) by\b|"
    r"(?:read more|related|see also|also read|watch|listen|recommended|more on this)\s*[:|»›-]|"
    r"sign up\b)",
    re.IGNORECASE,
)
_UI_WORDS = frozenset(
    """share follow click tap enlarge print email comment comments subscribe login loading
    close menu search more next previous back video photo photos gallery caption copy link
    url advertisement sponsored""".split()
)
_CREDIT_RE = re.compile(r"\((?:[^()]{0,60})\)\s*$")
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:photo|photos|photograph|courtesy|file|via|images?|getty|afp|reuters|ap|epa|"
    r"anadolu|sana|pool|handout|credit)\b",
    re.IGNORECASE,
)
_CAPTION_OPEN_RE = re.compile(
    r"^\s*(?:this|a|an|the)?\s*(?:handout\s+|undated\s+|file\s+|drone\s+|general\s+|aerial\s+)?"
    r"(?:photo(?:graph)?|picture|image|view|screenshot|still)\b[^.]{0,120}?\b(?:shows|showing|taken)\b",
    re.IGNORECASE,
)


def _literal_head(phrase: str) -> str:
    """What every match of ``phrase`` (a pattern of ``_any_phrase``) holds in lower case: its
    text up to its first group, class or operator, less a letter made optional ("comments?"
    gives "comment", "log ?in" "log"); "" when that is nothing, or for an alternation (a head
    any text holds)."""
    cut = min((k for k, c in enumerate(phrase) if c in "?*+{()[]|.\\^$"), default=len(phrase))
    operator = phrase[cut : cut + 1]
    if operator == "|":
        return ""
    return (phrase[: cut - 1] if operator in ("?", "*", "{") else phrase[:cut]).lower()


def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``phrases`` (patterns, each opening with a letter) as whole words, in any case.
    Each is tried only where a word opens with one of their first letters: with IGNORECASE the
    engine has no quick test of an alternative's first letter, and would try every phrase at
    every word of the line."""
    firsts = "".join(sorted({phrase[0] for phrase in phrases}))
    return re.compile(rf"\b(?=[{firsts}])(?:{'|'.join(phrases)})\b", re.IGNORECASE)


# Words of the page speaking to its own reader: comment rules, sign-ups, cookies, sharing.
_READER_PHRASES = (
    "comments?",
    "our site",
    "this site",
    "our website",
    "newsletter",
    "subscribe",
    "sign up",
    "log ?in",
    "cookies?",
    "privacy policy",
    "terms of (?:use|service)",
    "all rights reserved",
    "copyright",
    "advertisement",
    "sponsored",
    "share this",
    "click here",
    "read more",
    "related articles?",
    "please be respectful",
    "community guidelines",
)
_READER_RE = _any_phrase(_READER_PHRASES)
_READER_HEADS = tuple(sorted({_literal_head(phrase) for phrase in _READER_PHRASES}))
# Letters that are no ASCII letter, yet which IGNORECASE matches to one ("ſ" to "s", the
# Kelvin sign to "k", dotted and dotless "i"), and which ``str.lower`` leaves apart from it.
_FOLDS_TO_ASCII_RE = re.compile("[\u0130\u0131\u017f\u212a]")
_YOU_RE = re.compile(r"\b(?:you|your|please)\b", re.IGNORECASE)
# A paragraph that addresses an AI model, not the reader: it opens with a role tag or with an
# order to drop earlier instructions. Only at the start of a paragraph, so an article that
# reports on prompt injection ('He typed "ignore previous instructions" and ...') is kept.
_INJECTION_RE = re.compile(
    r"^\s*(?:(?:SYSTEM|ASSISTANT|DEVELOPER|USER)\s*:|\[/?INST\]|<\|?(?:im_start|system)\|?>"
    r"|(?i:(?:please\s+)?(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|"
    r"of\s+)*(?:previous|prior|above|earlier|preceding|former|system|original)\s+"
    r"(?:instructions?|prompts?|directions|directives|rules|messages|context)\b"
    r"|(?:new|updated)\s+(?:system\s+)?instructions\s*:"
    r"|you\s+are\s+now\s+(?:in\s+)?(?:developer|dan|jailbreak|unrestricted)\b))"
)
_BULLET_RE = re.compile(r"^\s*[•\-*–]\s+")


def _is_headline_like(line: Line) -> bool:
    stripped = line.text.strip()
    return (
        3 <= line.n_words <= 25
        and stripped[0].isupper()
        and stripped[-1] not in ".!;:,"
        and not _BULLET_RE.match(stripped)
    )


def is_title_line(line: Line) -> bool:
    stripped = line.text.strip().lstrip("#").strip()
    return bool(stripped) and _is_headline_like(line) and not stripped.isupper()


def _is_caption(line: Line) -> bool:
    stripped = line.text.strip()
    credit = _CREDIT_RE.search(stripped)
    if credit and line.n_words >= 6:
        inner = credit.group()[1:-1].strip().rstrip(")").strip()
        if _CREDIT_WORDS_RE.search(inner) or (inner and inner.replace("/", " ").isupper()):
            return True
    return bool(_CAPTION_OPEN_RE.match(stripped)) and line.n_words >= 6


def _is_reader_boilerplate(line: Line) -> bool:
    text = line.text
    # Most lines hold none of the phrases' heads in lower case (substring tests, in C), and
    # then the pattern, tried at every word of the line, cannot match: not tried. A line with a
    # letter that IGNORECASE matches to an ASCII one but ``lower`` does not map to it is
    # tried as before.
    lowered = text.lower()
    if not any(head in lowered for head in _READER_HEADS) and not _FOLDS_TO_ASCII_RE.search(text):
        return False
    hits = len(_READER_RE.findall(text))
    return hits >= 2 or (hits >= 1 and bool(_YOU_RE.search(text)))


def _is_interface_line(line: Line, *, first: bool) -> bool:
    """A short line of page furniture ("Follow", "Short Url", "Share on X"), not a subhead
    ("Unions call national strike"): no more than two words, or up to four whose longer
    lower-case words are all interface vocabulary."""
    stripped = line.text.strip()
    if (
        line.n_words > 4
        or (first and is_title_line(line))
        or (stripped[-1] in _TERMINAL and line.n_words >= 3)
        or stripped.isupper()
        or ends_with_title(stripped)
    ):
        return False
    content = [w for w in words(stripped) if w[0].islower() and len(w) >= 4]
    return line.n_words <= 2 or all(w.casefold() in _UI_WORDS for w in content)


def _story_openings(lines: list[Line], body: list[bool]) -> set[int]:
    """The lines that open a story (``_second_story_start``) after at least three body lines:
    a headline-like line followed within a few lines by its own timestamp, a repeat of it, or
    a dateline. Whether the story is unrelated is not asked here."""
    openings: set[int] = set()
    kept = 0
    for i, line in enumerate(lines):
        if i >= 1 and body[i - 1]:
            kept += 1
        if i < 2 or kept < 3 or not _is_headline_like(line):
            continue
        if any(
            TIMESTAMP_RE.match(later.text)
            or later.text.strip() == line.text.strip()
            or DATELINE_RE.match(later.text)
            for later in lines[i + 1 : i + 6]
        ):
            openings.add(i)
    return openings


def _second_story_start(lines: list[Line], body: list[bool]) -> int | None:
    """Index of the line where an unrelated story glued to the end begins, if any.

    A story starts with a headline-like line followed within a few lines by its own
    timestamp, a repeat of that headline, or a dateline. It is unrelated when its words
    share little with what came before.
    """
    candidates = _story_openings(lines, body)
    if not candidates:  # most articles: no line's words need counting at all
        return None
    # The words before and after line i are kept as running counts, with their dot product
    # and squared norms: moving one line across costs its own words, so the whole scan is
    # linear in the text (recounting both sides at each candidate was quadratic). The counts
    # are integers, so the cosine is exactly what ``cosine(bag(before), bag(after))`` gives.
    counts = [Counter(content_words(line.text)) for line in lines]
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for count in counts:
        after.update(count)
    dot, before_norm2, after_norm2 = 0, 0, squared_norm(after)
    for i in range(len(lines)):
        if i >= 1:  # line i - 1 moves from after to before
            moved, keep = counts[i - 1], body[i - 1]
            for word, n in moved.items():
                a, b = after[word], before[word]
                after_norm2 += (a - n) ** 2 - a * a
                dot -= n * b
                after[word] = a - n
                if keep:
                    before_norm2 += (b + n) ** 2 - b * b
                    dot += n * (a - n)
                    before[word] = b + n
        if i not in candidates:
            continue
        alike = dot / math.sqrt(before_norm2 * after_norm2) if before_norm2 and after_norm2 else 0.0
        if alike < 0.2:
            return i
    return None


class Seen(NamedTuple):
    """One line as the matchers see it: where it stands, and whether an earlier line said the
    same (spaces and case aside)."""

    line: Line
    at: int  # the line's number, from 0
    repeat: bool


Covers = Callable[[Seen], int | None]
"""How many characters from a line's start are furniture (the whole line: ``len(text)``), or
None when the matcher does not apply."""


@dataclass(frozen=True)
class Matcher:
    """One kind of furniture: what it covers of a line, and how it is marked. ``final``: a
    match ends the line's turn (a dateline at the head of a paragraph does not: the rest of the
    line may still be furniture)."""

    covers: Covers
    kind: ExclusionKind
    reason: str
    final: bool = True


def _whole(test: Callable[[Seen], bool]) -> Covers:
    """A matcher of whole lines from a test of the line."""
    return lambda seen: len(seen.line.text) if test(seen) else None


def _date_stamp(seen: Seen) -> int | None:
    """ "Published: 2025-12-14 ..." at the head of the first line, text following it."""
    prefix = META_PREFIX_RE.match(seen.line.text)
    if seen.at != 0 or prefix is None or prefix.end() >= len(seen.line.text):
        return None
    return prefix.end()


def _dateline(seen: Seen) -> int | None:
    """ "PARIS (AFP) — " at the head of a paragraph of more than eight words."""
    found = DATELINE_RE.match(seen.line.text)
    if found is None or found.end() >= len(seen.line.text) or seen.line.n_words <= 8:
        return None
    return found.end()


def _is_injection(seen: Seen) -> bool:
    return bool(_INJECTION_RE.match(seen.line.text))


def _is_timestamp(seen: Seen) -> bool:
    return bool(TIMESTAMP_RE.match(seen.line.text)) and seen.line.n_words <= 8


def _is_byline(seen: Seen) -> bool:
    return bool(_BYLINE_RE.match(seen.line.text)) and seen.line.n_words <= 6


def _is_link_line(seen: Seen) -> bool:
    return bool(_LINK_LINE_RE.match(seen.line.text))


def _is_bare_dateline(seen: Seen) -> bool:
    """ "LONDON" alone on one of the first three lines."""
    stripped = seen.line.text.strip()
    return (
        stripped.isupper()
        and seen.line.n_words <= 3
        and seen.at <= 2
        and not any(c in stripped for c in ".!?")
    )


# Tried in this order on each line; the first final match ends the line's turn.
MATCHERS: tuple[Matcher, ...] = (
    Matcher(_date_stamp, "metadata", "date stamp"),
    Matcher(
        _whole(_is_injection),
        "boilerplate",
        "instructions addressed to an AI model, not article text",
    ),
    Matcher(_dateline, "metadata", "dateline", final=False),
    Matcher(_whole(_is_timestamp), "metadata", "timestamp line"),
    Matcher(_whole(_is_byline), "metadata", "byline"),
    Matcher(_whole(_is_link_line), "boilerplate", "link or credit line"),
    Matcher(_whole(_is_bare_dateline), "metadata", "dateline"),
    Matcher(_whole(lambda seen: seen.repeat), "boilerplate", "line repeated verbatim"),
    Matcher(_whole(lambda seen: _is_caption(seen.line)), "caption", "photo caption"),
    Matcher(
        _whole(lambda seen: _is_reader_boilerplate(seen.line)),
        "boilerplate",
        "addressed to the site's reader",
    ),
    Matcher(
        _whole(lambda seen: _is_interface_line(seen.line, first=seen.at == 0)),
        "boilerplate",
        "short interface line",
    ),
)


def _seen(lines: list[Line]) -> Iterator[Seen]:
    earlier: set[str] = set()
    for at, line in enumerate(lines):
        key = " ".join(line.text.split()).casefold()
        yield Seen(line, at, key in earlier)
        earlier.add(key)


def exclusions(text: str, lines: list[Line]) -> list[Excluded]:
    """The furniture of ``lines`` (``MATCHERS``, in order, on each line; a line fully covered
    is out of the body) and a second, unrelated story at the end, in text order."""
    excluded: list[Excluded] = []
    body = [True] * len(lines)
    for seen in _seen(lines):
        for matcher in MATCHERS:
            covered = matcher.covers(seen)
            if covered is None:
                continue
            start, end = trimmed(text, seen.line.start, seen.line.start + covered)
            excluded.append(
                Excluded(start=start, end=end, kind=matcher.kind, reason=matcher.reason)
            )
            body[seen.at] = body[seen.at] and covered < len(seen.line.text)
            if matcher.final:
                break
    story = _second_story_start(lines, body)
    if story is not None:
        excluded = [x for x in excluded if x.start < lines[story].start]
        s, e = trimmed(text, lines[story].start, len(text))
        excluded.append(
            Excluded(
                start=s, end=e, kind="off_topic", reason="an unrelated story appended to the page"
            )
        )
    return sorted(excluded, key=lambda x: x.start)
