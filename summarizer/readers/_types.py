"""What a reader hands back to ingest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    """An article's text as a reader extracted it, with the metadata it found.

    ``published`` is ISO 8601 (a date, or a date and time with its offset).
    """

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
