"""Metadata found in the text: when the article appeared, the outlet its dateline names, and
whether its first paragraph is a headline."""

from __future__ import annotations

import re

from ..models import Excluded
from ..textutil import words
from .furniture import DATELINE_RE, META_PREFIX_RE, TIMESTAMP_RE, is_title_line
from .lines import Line, trimmed
from .sentences import Stabbing, split_sentences

_MONTHS = {
    m[:3]: i
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        start=1,
    )
}
_ISO_TIME_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?")
_TIME_OF_DAY_RE = r"(?:\s*(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?)?"
_MONTH_FIRST_RE = re.compile(
    r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b,?" + _TIME_OF_DAY_RE,
    re.IGNORECASE,
)
_DAY_FIRST_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b,?" + _TIME_OF_DAY_RE,
    re.IGNORECASE,
)
_LEADING_TIME_RE = re.compile(r"^\D{0,40}?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)
# Lines that state when the article appeared: "Updated 10:15 a.m. Nov. 25, 2018",
# "Published: 2018-11-24", a bare date.
_DATE_LINE_MAX_WORDS = 12


def _clock(hour: str | None, minute: str | None, half: str | None) -> str:
    if hour is None or half is None:
        return ""
    h = int(hour) % 12 + (12 if half.casefold() == "p" else 0)
    return f"T{h:02d}:{int(minute or 0):02d}"


def parse_time(stated: str) -> str | None:
    """A stated date (and time) as ISO 8601 ("2018-11-25", "2018-11-25T10:15"), or None.

    Reads ISO stamps, "Nov. 25, 2018 10:15 a.m.", "25 November 2018", and a time of day
    written before the date ("10:15 a.m. Nov. 25, 2018"). Nothing is guessed: no year, no date.
    """
    iso = _ISO_TIME_RE.search(stated)
    if iso:
        year, month, day, hour, minute = iso.groups()
        clock = f"T{int(hour):02d}:{minute}" if hour is not None else ""
        return f"{year}-{month}-{day}{clock}"
    for pattern, month_at, day_at in ((_MONTH_FIRST_RE, 1, 2), (_DAY_FIRST_RE, 2, 1)):
        found = pattern.search(stated)
        if not found:
            continue
        month = _MONTHS.get(found.group(month_at)[:3].casefold())
        day = int(found.group(day_at))
        if month is None or not 1 <= day <= 31:
            continue
        clock = _clock(found.group(4), found.group(5), found.group(6))
        if not clock:
            before = _LEADING_TIME_RE.match(stated[: found.start()])
            clock = _clock(*before.groups()) if before else ""
        return f"{found.group(3)}-{month:02d}-{day:02d}{clock}"
    return None


def published_in_text(lines: list[Line]) -> str | None:
    """When the article says it appeared: a timestamp or date line near its top or end."""
    near = lines[:6] + lines[-3:]
    for line in near:
        if line.n_words > _DATE_LINE_MAX_WORDS:
            continue
        stamped = TIMESTAMP_RE.match(line.text) or META_PREFIX_RE.match(line.text)
        bare = not any(c.isalpha() for c in _MONTH_FIRST_RE.sub("", line.text).strip(" ,.|-"))
        if stamped or bare:
            when = parse_time(line.text)
            if when:
                return when
    return None


_DATELINE_OUTLET_RE = re.compile(r"\(([^()]{2,40})\)\s*(?::|-|—|–)\s*$")


def outlet_in_dateline(text: str, excluded: list[Excluded]) -> str | None:
    """The outlet a dateline names: "ERBIL (Kurdistan24) - " gives "Kurdistan24"."""
    for x in excluded[:6]:
        if x.kind != "metadata" or x.reason != "dateline":
            continue
        found = _DATELINE_OUTLET_RE.search(text[x.start : x.end])
        if found and found.group(1).strip()[:1].isupper():
            return " ".join(found.group(1).split())
    return None


# Words a lede opens with and a headline almost never does.
_LEDE_OPENERS = frozenset(
    """a an he she it they we i you there this these those when while after before as
    with if although though""".split()
)
_HEADLINE_MAX_WORDS = 16


def headline_paragraph(
    text: str,
    lines: list[Line],
    paragraphs: list[tuple[int, int]],
    protected: list[tuple[int, int]] | Stabbing,
) -> bool:
    """True when the first paragraph is a headline that ends with a full stop ("Three dead
    in workplace accident."): one short line, one sentence, not opening like a lede ("A man
    ...", "He ..."), followed by a longer paragraph."""
    if len(paragraphs) < 2 or not lines:
        return False
    start, end = paragraphs[0]
    first = text[start:end]
    n_words = len(words(first))
    if (
        "\n" in first
        or "\r" in first
        or not first.endswith(".")
        or first.endswith("..")
        or not 3 <= n_words <= _HEADLINE_MAX_WORDS
        or not first[:1].isupper()
        or first.isupper()
        or words(first)[0].casefold() in _LEDE_OPENERS
        or DATELINE_RE.match(first)
        or len(split_sentences(text, start, end, protected)) != 1
    ):
        return False
    return len(words(text[paragraphs[1][0] : paragraphs[1][1]])) > n_words


def title_in_text(
    text: str, lines: list[Line], paragraphs: list[tuple[int, int]], *, headline_first: bool
) -> str | None:
    """The title the text opens with: a first line that reads as a title (when it is the first
    paragraph's start; Markdown's ``#`` removed), else a headline paragraph."""
    if lines and paragraphs and is_title_line(lines[0]):
        first = text[paragraphs[0][0] : paragraphs[0][1]]
        if paragraphs[0][0] == trimmed(text, lines[0].start, lines[0].end)[0]:
            return first.lstrip("#").strip()
        return None
    if headline_first:
        return text[paragraphs[0][0] : paragraphs[0][1]]
    return None
