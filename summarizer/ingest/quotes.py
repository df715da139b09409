"""Quotation marks: the inner spans of quotations (straight and curly, double and single,
over paragraphs), and warnings about marks that were not read."""

from __future__ import annotations

import re
from typing import NamedTuple

from .lines import trimmed

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‹"
_CLOSE_SINGLE = "’›"
_MAX_QUOTE_CHARS = 3000
# Every quotation mark ``find_quotes`` reads: the characters between them are skipped at once.
_MARK_RE = re.compile(
    "[" + re.escape(_OPEN_DOUBLE + _CLOSE_DOUBLE + _OPEN_SINGLE + _CLOSE_SINGLE + "\"'") + "]"
)


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The visible characters before and after ``text[i]`` (zero-width ones skipped)."""
    b = i - 1
    while b >= 0 and text[b] in _INVISIBLE:
        b -= 1
    a = i + 1
    while a < len(text) and text[a] in _INVISIBLE:
        a += 1
    return (text[b] if b >= 0 else " "), (text[a] if a < len(text) else " ")


def _can_open(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return (before.isspace() or before in "([{—–-/:,;") and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-…\"”'’")


def _is_apostrophe(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return before.isalnum() and after.isalnum()


class QuotePiece(NamedTuple):
    """The inner span of a quotation within one paragraph; ``previous`` links the pieces of a
    quotation that runs over several paragraphs (the index of the piece before, else None)."""

    start: int
    end: int
    previous: int | None = None


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuotePiece]:
    """Inner spans of quotations: straight and curly, double and single, over paragraphs.

    A double quotation still open at the end of a paragraph continues when the next paragraph
    opens with a quotation mark (the newspaper convention for multi-paragraph quotes); each
    paragraph's part is its own piece, linked to the part before, so no piece ever contains
    the re-opening mark. Single marks count only outside double quotes, and an apostrophe
    never closes a quote.
    """
    pieces: list[QuotePiece] = []
    carried: int | None = None  # index of the open piece carried from the previous paragraph

    def add(start: int, end: int, previous: int | None = None) -> int | None:
        if end - start > _MAX_QUOTE_CHARS or not text[start:end].strip():
            return None
        pieces.append(QuotePiece(start, end, previous))
        return len(pieces) - 1

    for index, (p_start, p_end) in enumerate(paragraphs):
        double_open: int | None = None
        single_open: int | None = None
        previous, carried = carried, None
        for mark in _MARK_RE.finditer(text, p_start, p_end):  # no other character does a thing
            i = mark.start()
            ch = text[i]
            if ch in _OPEN_DOUBLE or ch in _CLOSE_DOUBLE or ch == '"':
                if double_open is None:
                    if ch in _OPEN_DOUBLE or (ch == '"' and _can_open(text, i)):
                        double_open = i
                        single_open = None
                elif ch in _CLOSE_DOUBLE or (ch == '"' and _can_close(text, i)):
                    add(double_open + 1, i, previous)
                    double_open = previous = None
            elif double_open is None and ch in _OPEN_SINGLE + _CLOSE_SINGLE + "'":
                if single_open is None:
                    if (
                        (ch in _OPEN_SINGLE or ch in "'’")
                        and _can_open(text, i)
                        and not (_is_apostrophe(text, i))
                    ):
                        single_open = i
                elif (
                    (ch in _CLOSE_SINGLE or ch == "'")
                    and _can_close(text, i)
                    and not _is_apostrophe(text, i)
                ):
                    add(single_open + 1, i)
                    single_open = None
        following = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else None
        if (
            double_open is not None
            and following is not None
            and (text[following] in _OPEN_DOUBLE + '"')
        ):
            carried = add(double_open + 1, trimmed(text, double_open + 1, p_end)[1], previous)
    return pieces


_DOUBLE_MARK_RE = re.compile("[" + re.escape(_OPEN_DOUBLE + _CLOSE_DOUBLE + '"') + "]")


def quote_warnings(
    text: str, paragraphs: list[tuple[int, int]], pieces: list[QuotePiece]
) -> list[str]:
    """What the reader should know about quotation marks that were not read: marks with no
    quotation read at all, or marks that open or close nothing (a quotation there may be
    missing or cut). A straight mark after a digit is an inch mark, not a quotation mark."""
    used = {p.start - 1 for p in pieces} | {p.end for p in pieces}
    marks = stray = 0
    unbalanced = 0
    for start, end in paragraphs:
        here = [
            i
            for i in (m.start() for m in _DOUBLE_MARK_RE.finditer(text, start, end))
            if not (text[i] == '"' and text[i - 1 : i].isdigit())
        ]
        marks += len(here)
        unused = sum(1 for i in here if i not in used)
        stray += unused
        unbalanced += unused > 0
    if marks and not pieces:
        return [f"{marks} quotation mark{'s' if marks != 1 else ''} but no quotation read"]
    if stray:
        where = f"{unbalanced} paragraph{'s' if unbalanced != 1 else ''}"
        return [f"unbalanced quotation marks in {where}: a quotation there may be missing or cut"]
    return []
