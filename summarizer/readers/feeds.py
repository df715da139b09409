"""RSS and Atom feeds (``feedparser``): each entry is an article.

An entry brings its title, link, publication time (``published``, else ``updated``, as ISO
8601 in UTC) and the feed's title as the outlet. Its text is its full content when the feed
carries it (``content:encoded``, Atom ``content``), read through the HTML path; an entry
with only a summary is a pointer, and ingest fetches its link to read the page itself.
feedparser is only ever given bytes, never a URL, so it fetches nothing on its own.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..errors import InputError


@dataclass(frozen=True)
class Entry:
    """One feed entry. ``content`` is HTML (or text) of the full article, when the feed has it."""

    title: str | None
    link: str | None
    published: str | None
    outlet: str | None
    content: str | None
    summary: str | None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _iso(parsed: Any) -> str | None:
    if not isinstance(parsed, time.struct_time):
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).isoformat()


def is_feed(data: bytes) -> bool:
    """Whether ``data`` parses as an RSS or Atom feed."""
    return bool(feedparser.parse(data).get("version"))


def parse_feed(data: bytes, where: str) -> list[Entry]:
    """The entries of the feed ``data``, in the feed's order; InputError when it is no feed or
    has no entry."""
    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise InputError(
            f"{where}: not an RSS or Atom feed{detail}; give a feed, a web page or article text",
            path=where,
        )
    outlet = _text(parsed.feed.get("title"))
    entries: list[Entry] = []
    for item in parsed.entries:
        contents = [c.get("value") for c in item.get("content", []) if c.get("value")]
        link = _text(item.get("link"))
        entries.append(
            Entry(
                title=_text(item.get("title")),
                link=link if link and link.startswith(("http://", "https://")) else None,
                published=_iso(item.get("published_parsed") or item.get("updated_parsed")),
                outlet=outlet,
                content="\n".join(contents) if contents else None,
                summary=item.get("summary") or None,
            )
        )
    if not entries:
        raise InputError(f"{where}: the feed holds no entry", path=where)
    return entries
