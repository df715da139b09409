"""Hard-wrapped text: which line breaks are soft, and the text read with them folded.

Copy saved from a terminal, forwarded by e-mail or pasted from a PDF arrives wrapped at 60-100
columns: a paragraph is several lines, and a quotation, a sentence or a name runs over a line
break. Everything after ingest reads a paragraph as one stretch of text, so the reading text
folds each *soft* break (one a wrapping program made) into a space, and keeps each *hard* one
(a blank line, the end of a paragraph) as it is.

Which breaks are soft is decided from the text alone:

- A line that stops in mid-sentence (no full stop, closing quotation mark or bracket) and is
  followed by a line opening in lower case continues on it, in any article: a paragraph does
  not end in the middle of a sentence, nor start with a lower-case word.
- A word broken after a hyphen ("well-" / "known") continues when the next line opens with a
  lower-case letter, or with any letter in wrapped copy.
- The article is **wrapped** when its lines are at most ``_MAX_WIDTH`` columns long and, of
  the lines followed by another line of the same block (no blank line between), at least
  ``_MIN_EVIDENCE`` and a quarter stop in mid-sentence and continue by the rules here. Copy
  with one paragraph per line ends nearly every line with a full stop, a closing quotation
  mark or a headline; wrapped copy ends most lines anywhere. In wrapped copy a break is also
  soft when the next line's first word would not have fitted on the line (the rule of every
  greedy wrapper: a line that stops short of the width ended its paragraph), so a line may end
  with a full stop or before a capital ("Minister Ada" / "Lorne") and still continue.
- A blank line, a list item ("- ", "1. ") or a line indented deeper than the article's lines
  always starts a new paragraph.

Each soft break, with the spaces that end its line and indent the next, becomes one space;
a word broken after a hyphen is joined: "well-" / "known" reads "well-known", and "gov-" /
"ernment" reads "government" when the article writes the joined word elsewhere and never with
the hyphen. The reading text is thus a little shorter than the text as read; the shifts say
where offsets part, and ``Article.to_source`` maps a span of the reading text back to the
characters as read, so a citation of a wrapped quote covers its line breaks.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_MIN_EVIDENCE = 2
_MAX_WIDTH = 120
_WRAPPED_SHARE = 0.25  # of the lines followed by another
_SENTENCE_END = ".!?…:;\"”’')]"
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[•*–\-]|\d{1,3}[.)])\s")
_LINE_RE = re.compile(r"[^\r\n]*(\r\n|\r|\n|$)")
_WORD_AFTER_HYPHEN_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Line:
    start: int  # first character
    end: int  # one past the last character before the line break
    stop: int  # one past the line break
    text: str


def _physical_lines(text: str) -> list[_Line]:
    out = []
    for match in _LINE_RE.finditer(text):
        if match.start() == match.end():
            break
        end = match.start(1)
        out.append(_Line(match.start(), end, match.end(), text[match.start() : end]))
    return out


def _width(pairs: list[tuple[_Line, _Line]], indent: str) -> int | None:
    """The wrapping width when the article is hard-wrapped, else None (see the module)."""
    if not pairs:
        return None
    width = max(len(a.text.rstrip()) for a, _ in pairs)
    if width > _MAX_WIDTH:
        return None
    wrapped = sum(
        1
        for a, b in pairs
        if _mid_sentence(a) and _continues(a, b, indent) and _soft(a, b, width, indent)
    )
    return width if wrapped >= max(_MIN_EVIDENCE, _WRAPPED_SHARE * len(pairs)) else None


def _mid_sentence(line: _Line) -> bool:
    return line.text.rstrip()[-1:] not in _SENTENCE_END


def _continues(line: _Line, following: _Line, indent: str) -> bool:
    """Whether ``following`` may continue ``line``'s paragraph: not blank, not a list item,
    not indented deeper than the article's lines are."""
    after = following.text
    return (
        bool(after.strip())
        and not _LIST_ITEM_RE.match(after)
        and len(after) - len(after.lstrip()) <= len(indent)
    )


def _soft(line: _Line, following: _Line, width: int | None, indent: str) -> bool:
    """Whether the break between ``line`` and ``following`` is soft (see the module)."""
    if not _continues(line, following, indent):
        return False
    stripped = line.text.rstrip()
    first = following.text.split()[0]
    lower = first[0].islower() or first[0] in ",;)"
    if _broken_word(stripped):
        return first[0].isalpha() and (first[0].islower() or width is not None)
    if _mid_sentence(line) and lower:
        return True
    return width is not None and len(stripped) + 1 + len(first) > width


def _broken_word(line: str) -> bool:
    """A line that ends in a word and a hyphen ("well-"), not in a dash ("said -", "--")."""
    return line.endswith("-") and line[-2:-1].isalpha()


def _indent(lines: list[_Line]) -> str:
    """The indentation most lines share (none, usually)."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.text.strip():
            lead = line.text[: len(line.text) - len(line.text.lstrip())]
            counts[lead] = counts.get(lead, 0) + 1
    return max(counts, key=lambda k: (counts[k], -len(k))) if counts else ""


def soft_breaks(text: str) -> list[tuple[_Line, _Line]]:
    """The pairs of consecutive lines joined by a soft break, in text order."""
    lines = _physical_lines(text)
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if a.text.strip() and b.text.strip()]
    indent = _indent(lines)
    width = _width(pairs, indent)
    return [(a, b) for a, b in pairs if _soft(a, b, width, indent)]


def unwrap(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The reading text and its shifts: each soft break (with the spaces around it) folded into
    one space, each word broken after a hyphen joined; from reading offset ``at`` on, the text
    as read is ``by`` characters further on, for each ``(at, by)``."""
    pairs = soft_breaks(text)
    if not pairs:
        return text, []
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []
    cursor = length = by = 0
    for line, following in pairs:
        cut = line.start + len(line.text.rstrip())
        resume = following.start + len(following.text) - len(following.text.lstrip())
        fold = " "
        if _broken_word(text[line.start : cut]):
            fold = ""
            if _joined_without_hyphen(text, line, following):
                cut -= 1
        pieces.append(text[cursor:cut] + fold)
        length += cut - cursor + len(fold)
        by += resume - cut - len(fold)
        shifts.append((length, by))
        cursor = resume
    pieces.append(text[cursor:])
    return "".join(pieces), shifts


def _joined_without_hyphen(text: str, line: _Line, following: _Line) -> bool:
    """Whether a word broken after a hyphen is one word ("gov-" / "ernment"), not a compound
    ("well-" / "known"): both parts lower case, and the article writes the joined word
    elsewhere while never writing it with the hyphen."""
    left = re.search(r"([^\W\d_]+)-\s*$", line.text)
    right = _WORD_AFTER_HYPHEN_RE.match(following.text.lstrip())
    if not left or not right:
        return False
    head, tail = left.group(1), right.group()
    if not (head.islower() and tail.islower()):
        return False
    joined = re.compile(rf"\b{re.escape(head + tail)}\b", re.IGNORECASE)
    hyphened = re.compile(rf"\b{re.escape(head)}-{re.escape(tail)}\b", re.IGNORECASE)
    return bool(joined.search(text)) and not hyphened.search(text)
