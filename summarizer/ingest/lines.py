"""The non-blank lines of a text, with their offsets: what furniture, metadata and
segmentation read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..textutil import words


@dataclass
class Line:
    start: int
    end: int
    text: str

    @cached_property
    def n_words(self) -> int:
        """Asked by several furniture matchers per line: counted once (the text never changes)."""
        return len(words(self.text))


def lines_of(text: str) -> list[Line]:
    out = []
    for match in re.finditer(r"[^\r\n]+", text):
        if match.group().strip():
            out.append(Line(match.start(), match.end(), match.group()))
    return out


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
