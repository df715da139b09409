"""Inputs: what a file, a URL or standard input holds, read by its kind and handed to the
reader for it (``summarizer.readers``: pages, feeds, mail, fetching); a text of URLs, one a
line, is a list of pages to fetch."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..models import ArticleFailure
from ..readers import Extracted
from ..readers.feeds import is_feed, parse_feed
from ..readers.fetch import Fetched, Fetcher
from ..readers.html import extract_page
from ..readers.mail import mbox_messages, read_message
from .decoding import (
    XML_START_RE,
    check_text,
    decode,
    decode_text,
    encoding_warning,
    html_evidence,
    looks_like_json,
    refuse_bytes,
)
from .files import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    SUPPORTED_SUFFIXES,
    WrittenBySummarizer,
    is_brief_record,
    is_brief_text,
    log_warning,
    read_bytes,
    regular_size,
    shown,
    too_big,
    written_reason,
)
from .raw import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGE_BYTES, RawArticle, Warn
from .records import from_record, json_lines, json_value, looks_like_jsonl


@dataclass(frozen=True)
class Reading:
    """How one load reads: where warnings go, the size limits, the fetcher for URLs."""

    warn: Warn
    max_bytes: int = DEFAULT_MAX_BYTES
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    fetcher: Fetcher | None = None


_URL_RE = re.compile(r"https?://[^\s<>\"]+\Z", re.IGNORECASE)
# What a server's Content-Type says the body is, as the suffix of a file of that kind.
_KIND_OF_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/rdf+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": "",
    "text/markdown": "",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "message/rfc822": ".eml",
}


def is_url(value: object) -> bool:
    """Whether a command-line input is an http(s) URL (fetched) rather than a path."""
    return isinstance(value, str) and bool(_URL_RE.match(value.strip()))


def _url_list(text: str) -> list[str] | None:
    """The URLs of a text that holds one URL a line and nothing else (blank lines and ``#``
    comments aside), or None."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and all(_URL_RE.match(line) for line in lines):
        return lines
    return None


def read_url_list(path: Path) -> list[str]:
    """The URLs of a list file (``--urls FILE``): one a line, blank lines and ``#`` comments
    skipped; InputError naming the first line that is not a URL."""
    where = shown(path)
    text = decode(read_bytes(path, where, DEFAULT_MAX_BYTES), where)
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _URL_RE.match(line):
            raise InputError(
                f"{where}:{number}: not an http:// or https:// URL ({line[:80]!r}); give one "
                "URL a line",
                path=where,
            )
        urls.append(line)
    if not urls:
        raise InputError(f"{where}: holds no URL; give one URL a line", path=where)
    return urls


def _raw(extracted: Extracted, article_id: str, where: str) -> RawArticle:
    return RawArticle(
        id=article_id,
        path=where,
        text=extracted.text,
        title=extracted.title,
        outlet=extracted.outlet,
        url=extracted.url,
        published=extracted.published,
    )


def _page(markup: str | bytes, article_id: str, where: str, url: str | None) -> RawArticle:
    """An HTML page's article (``readers.html``: trafilatura's main text and metadata)."""
    return _raw(extract_page(markup, where, url), article_id, where)


def _feed(
    data: bytes, article_id: str, where: str, reading: Reading
) -> list[RawArticle | ArticleFailure]:
    """Each entry of a feed as an article: its full content when the feed has it, else its
    page, fetched from its link. The entry's title and time win over the page's; the page's
    canonical URL and site name over the entry's link and the feed's title."""
    entries = parse_feed(data, where)
    items: list[RawArticle | ArticleFailure | None] = [None] * len(entries)
    pending: list[int] = []
    for index, entry in enumerate(entries):
        entry_id, at = f"{article_id}#{index + 1}", f"{where}#{index + 1}"
        try:
            if entry.content is not None:
                page = _page(f"<html><body>{entry.content}</body></html>", entry_id, at, None)
                items[index] = replace(
                    page,
                    title=entry.title or page.title,
                    published=entry.published,
                    url=entry.link,
                    outlet=entry.outlet,
                )
            elif entry.link is not None:
                pending.append(index)
            else:
                raise InputError(
                    f"{at}: the entry holds only a summary and no link to its article", path=at
                )
        except InputError as error:
            items[index] = ArticleFailure(id=entry_id, path=at, error=str(error))
    links = [str(entries[i].link) for i in pending]
    for index, outcome in zip(pending, fetch_all(links, reading), strict=True):
        entry_id, at = f"{article_id}#{index + 1}", f"{where}#{index + 1}"
        try:
            if isinstance(outcome, InputError):
                raise outcome
            found = _fetched(outcome, entry_id, at, reading, feeds=False)[0]
            if isinstance(found, RawArticle):
                entry = entries[index]
                found = replace(
                    found,
                    title=entry.title or found.title,
                    published=entry.published or found.published,
                    outlet=found.outlet or entry.outlet,
                )
            items[index] = found
        except InputError as error:
            items[index] = ArticleFailure(
                id=entry_id, path=at, error=f"{at}: its page could not be read: {error}"
            )
    return [item for item in items if item is not None]


def fetch_all(urls: list[str], reading: Reading) -> list[Fetched | InputError]:
    if reading.fetcher is None:
        return [
            InputError(f"{url}: not fetched (no fetcher: this reader reads files only)", path=url)
            for url in urls
        ]
    return reading.fetcher.fetch_all(urls)


def _fetched(
    fetched: Fetched, article_id: str, where: str, reading: Reading, *, feeds: bool = True
) -> list[RawArticle | ArticleFailure]:
    """The article(s) in a fetched body, read by what the server says it is."""
    kind = _KIND_OF_TYPE.get(fetched.content_type)
    if kind is None or (kind == ".xml" and not feeds):
        raise InputError(
            f"{where}: not a web page, a feed or text: the server sent {fetched.content_type} "
            f"({len(fetched.data):,} bytes); give the address of an article's page",
            path=where,
        )
    items = _from_bytes(
        fetched.data,
        article_id,
        where,
        kind,
        reading,
        url=fetched.final_url,
        charset=fetched.charset,
        urls=False,
    )
    return [
        replace(item, url=item.url or fetched.final_url) if isinstance(item, RawArticle) else item
        for item in items
    ]


def _urls(urls: list[str], article_id: str, reading: Reading) -> list[RawArticle | ArticleFailure]:
    """The articles at ``urls`` (a URL list file's), fetched concurrently, in order."""
    items: list[RawArticle | ArticleFailure] = []
    for number, (url, outcome) in enumerate(zip(urls, fetch_all(urls, reading), strict=True)):
        items += url_items(url, outcome, f"{article_id}#{number + 1}", reading)
    return items


def url_items(
    url: str, outcome: Fetched | InputError, article_id: str, reading: Reading
) -> list[RawArticle | ArticleFailure]:
    try:
        if isinstance(outcome, InputError):
            raise outcome
        return _fetched(outcome, article_id, url, reading)
    except InputError as error:
        return [ArticleFailure(id=article_id, path=url, error=str(error))]


def _from_bytes(
    data: bytes,
    article_id: str,
    where: str,
    kind: str,
    reading: Reading,
    *,
    url: str | None = None,
    charset: str | None = None,
    urls: bool = True,
) -> list[RawArticle | ArticleFailure]:
    """The article(s) in ``data``, read as ``kind`` (a file suffix; "" for text of unknown
    kind: standard input, a fetched text/plain). ``urls``: a text of URLs, one a line, is a
    list of articles to fetch (not for what was itself fetched)."""
    if kind in (".jsonl", ".eml", *HTML_SUFFIXES, *FEED_SUFFIXES):
        return _from_markup(data, article_id, where, kind, reading, url)
    text, encoding = decode_text(data, where, charset)
    notes = encoding_warning(encoding)
    for note in notes:
        reading.warn(f"{where}: {note}")
    if kind == ".json" or (kind == "" and looks_like_json(text)):
        record = json_value(text, where, "fix it")
        if is_brief_record(record):
            raise WrittenBySummarizer(written_reason(where, "a JSON brief"), path=where)
        return [replace(from_record(record, article_id, where, reading.warn), warnings=notes)]
    if is_brief_text(text):
        raise WrittenBySummarizer(written_reason(where, "its generator marker"), path=where)
    if html_evidence(text) is not None:
        return [_page(text, article_id, where, url)]
    if XML_START_RE.match(text) and is_feed(data):
        return _feed(data, article_id, where, reading)
    listed = _url_list(text) if urls else None
    if listed is not None:
        return _urls(listed, article_id, reading)
    if kind == "" and looks_like_jsonl(text):
        return json_lines(text.encode("utf-8"), article_id, where, reading.max_bytes, reading.warn)
    check_text(text, where)
    if looks_like_json(text):
        raise InputError(
            f"{where}: holds JSON, not plain text; rename it to .json (or .jsonl with one "
            "object per line)",
            path=where,
        )
    return [RawArticle(id=article_id, path=where, text=text, url=url, warnings=notes)]


def _from_markup(
    data: bytes, article_id: str, where: str, kind: str, reading: Reading, url: str | None
) -> list[RawArticle | ArticleFailure]:
    """The article(s) of a kind read from its bytes, not as text: JSON Lines (line by line), a
    message, a page, a feed."""
    if kind == ".jsonl":
        refuse_bytes(data, where)  # empty, binary, UTF-16: the whole file is not JSON Lines
        return json_lines(data, article_id, where, reading.max_bytes, reading.warn)
    if kind == ".eml":
        refuse_bytes(data, where)
        return [_raw(read_message(data, where), article_id, where)]
    refuse_bytes(data, where, encodings=True)
    if kind in FEED_SUFFIXES:
        return _feed(data, article_id, where, reading)
    if is_brief_text((data[:4096] + b"\n" + data[-4096:]).decode("utf-8", "replace")):
        raise WrittenBySummarizer(written_reason(where, "its generator marker"), path=where)
    return [_page(data, article_id, where, url)]


def _mbox(
    path: Path, article_id: str, where: str, reading: Reading
) -> list[RawArticle | ArticleFailure]:
    """Each message of a mailbox as an article (``file.mbox#N``)."""
    regular_size(path, where)
    items: list[RawArticle | ArticleFailure] = []
    for number, message in enumerate(mbox_messages(path, reading.max_page_bytes), start=1):
        message_id, at = f"{article_id}#{number}", f"{where}#{number}"
        try:
            if isinstance(message, InputError):
                raise InputError(f"{at}: {message}", path=at)
            items.append(_raw(read_message(message, at), message_id, at))
        except InputError as error:
            items.append(ArticleFailure(id=message_id, path=at, error=str(error)))
    if not items:
        raise InputError(
            f"{where}: no message in this mailbox (an mbox file starts each message with a "
            "'From ' line)",
            path=where,
        )
    return items


def read(
    path: Path,
    article_id: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    on_warning: Warn | None = None,
    fetcher: Fetcher | None = None,
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
) -> list[RawArticle | ArticleFailure]:
    """Read one file: one article (.txt, .md, .json, .html, .htm, .eml), one per line
    (.jsonl), per feed entry (.rss, .atom, .xml) or per message (.mbox); a .txt file holding
    only URLs, one a line, is a list of pages fetched with ``fetcher``.

    A whole-file problem raises InputError; a bad line, entry, message or URL becomes an
    ArticleFailure for that one only, and the others are still read. For JSON Lines the size
    limit applies to each line; pages, feeds and mailbox messages have ``max_page_bytes``.
    """
    return read_file(
        path, article_id, Reading(on_warning or log_warning, max_bytes, max_page_bytes, fetcher)
    )


def read_file(path: Path, article_id: str, reading: Reading) -> list[RawArticle | ArticleFailure]:
    """``read`` with its settings in ``reading``."""
    where = shown(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{where}: unsupported file type '{suffix}'; give the article as "
            f"{', '.join(SUPPORTED_SUFFIXES)}",
            path=where,
        )
    if suffix == ".mbox":
        return _mbox(path, article_id, where, reading)
    paged = suffix in (*HTML_SUFFIXES, *FEED_SUFFIXES, ".eml")
    limit = None if suffix == ".jsonl" else reading.max_page_bytes if paged else reading.max_bytes
    data = read_bytes(path, where, limit)
    kind = ".txt" if suffix == ".md" else suffix
    return _from_bytes(data, article_id, where, kind, reading)


def read_stdin(stream: BinaryIO | None, reading: Reading) -> list[RawArticle | ArticleFailure]:
    """One article (or JSON Lines, a page, a feed) from standard input, as ``stdin``."""
    source = stream if stream is not None else sys.stdin.buffer
    limit = max(reading.max_bytes, reading.max_page_bytes)
    data = source.read(limit + 1)
    if len(data) > limit:
        raise too_big("<stdin>", len(data), limit, "standard input (read so far)")
    return _from_bytes(data, "stdin", "<stdin>", "", reading)
