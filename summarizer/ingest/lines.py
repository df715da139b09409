"""The non-blank lines of a text, with their offsets: what furniture, metadata and
segmentation read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textutil import words


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def n_words(self) -> int:
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
