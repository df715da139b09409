"""Loading: every command-line input (files, folders, URLs, standard input) read once, with
unique ids, each article segmented; bad input costs only itself."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..models import Article, ArticleFailure
from ..readers.fetch import Fetched, Fetcher
from . import segment as segmentation
from .files import WrittenBySummarizer, inputs_under, log_warning, shown
from .inputs import Reading, fetch_all, is_url, read_file, read_stdin, url_items
from .raw import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGE_BYTES,
    STDIN,
    RawArticle,
    Skipped,
    Warn,
)

log = logging.getLogger(__package__)  # the stage's logger, "summarizer.ingest"


def _unique(article_id: str, file: Path, used: set[str]) -> str:
    candidate = article_id
    if candidate in used:
        candidate = shown(file.as_posix())
    number = 2
    while candidate in used:
        candidate, number = f"{shown(file.as_posix())}~{number}", number + 1
    return candidate


def as_input(value: Path | str) -> Path | str:
    """A command-line input as ``load`` takes it: an http(s) URL or ``-`` (standard input)
    stays a string, anything else is a path."""
    if isinstance(value, str) and (value.strip() == STDIN or is_url(value)):
        return value.strip()
    return Path(value)


def load(
    paths: Sequence[Path | str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    on_warning: Warn | None = None,
    on_skipped: Callable[[Skipped], None] | None = None,
    fetcher: Fetcher | None = None,
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
    stdin: BinaryIO | None = None,
    segment: Callable[[RawArticle], Article] | None = None,
) -> Iterator[Article | ArticleFailure]:
    """Every article under ``paths``, parsed (``parse_raw``), or a failure naming the file and
    the fix: ``load_raw`` then segmentation, one article at a time.

    ``segment`` parses the articles in place of ``parse`` (the cache's ``parse``: the same
    Article, not segmented again for a text read before).
    """
    for item in load_raw(
        paths,
        max_bytes,
        on_warning=on_warning,
        on_skipped=on_skipped,
        fetcher=fetcher,
        max_page_bytes=max_page_bytes,
        stdin=stdin,
    ):
        yield item if isinstance(item, ArticleFailure) else parse_raw(item, segment)


def load_raw(
    paths: Sequence[Path | str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    on_warning: Warn | None = None,
    on_skipped: Callable[[Skipped], None] | None = None,
    fetcher: Fetcher | None = None,
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[RawArticle | ArticleFailure]:
    """Every article under ``paths`` as read, not yet segmented, or a failure naming the file
    and the fix (segmenting is per-article work, which the pipeline may run elsewhere).

    ``paths`` holds files and folders, http(s) URLs (strings, fetched with ``fetcher``, all
    of them at once up front) and ``"-"`` (standard input, or ``stdin``). Article ids are
    the file's path relative to the folder it was found in (the file name for files given
    directly; the URL for a URL; ``stdin``), with ``#N`` for line N of a JSON Lines file,
    entry N of a feed, message N of a mailbox or URL N of a list; when two paths give the
    same id, the later one is named by its path. A file or URL named twice is read once.
    """
    warn = on_warning or log_warning
    skipped = on_skipped or (lambda item: warn(item.reason))
    reading = Reading(warn, max_bytes, max_page_bytes, fetcher)
    roots = [as_input(p) for p in paths]
    addresses = list(dict.fromkeys(r for r in roots if isinstance(r, str) and r != STDIN))
    fetched = dict(zip(addresses, fetch_all(addresses, reading), strict=True))
    used: set[str] = set()
    seen: set[str] = set()
    for root in roots:
        if not isinstance(root, str):
            yield from _files(root, reading, used, seen, skipped)
        elif root not in seen:
            seen.add(root)
            yield from _not_files(root, fetched.get(root), stdin, reading, used, skipped)


def _files(
    root: Path,
    reading: Reading,
    used: set[str],
    seen: set[str],
    skipped: Callable[[Skipped], None],
) -> Iterator[RawArticle | ArticleFailure]:
    """The articles of the files under one path (a file read once, however often named), or
    failures of the path; ``used`` and ``seen`` (ids given, files read) grow."""
    for entry in inputs_under(root, skipped):
        if isinstance(entry, ArticleFailure):
            if entry.id in used:
                entry = entry.model_copy(update={"id": _unique(entry.id, Path(entry.path), used)})
            used.add(entry.id)
            yield entry
            continue
        file, article_id = entry
        key = os.path.realpath(file)
        if key in seen:
            continue
        seen.add(key)
        article_id = _unique(article_id, file, used)
        used.add(article_id)
        try:
            items = read_file(file, article_id, reading)
        except WrittenBySummarizer as written:
            skipped(Skipped(id=article_id, path=shown(file), reason=str(written)))
            continue
        except InputError as error:
            yield ArticleFailure(id=article_id, path=shown(file), error=str(error))
            continue
        for item in items:
            used.add(item.id)
            yield item


def _not_files(
    root: str,
    outcome: Fetched | InputError | None,
    stdin: BinaryIO | None,
    reading: Reading,
    used: set[str],
    skipped: Callable[[Skipped], None],
) -> Iterator[RawArticle | ArticleFailure]:
    """The articles of a URL (already fetched: ``outcome``) or of standard input."""
    where = "<stdin>" if root == STDIN else root
    try:
        if outcome is None:
            items = read_stdin(stdin, reading)
        else:
            items = url_items(root, outcome, root, reading)
    except WrittenBySummarizer as written:
        skipped(Skipped(id=where, path=where, reason=str(written)))
        return
    except InputError as error:
        items = [ArticleFailure(id="stdin", path=where, error=str(error))]
    for item in items:
        if item.id in used:
            number = 2
            while f"{item.id}~{number}" in used:
                number += 1
            item = (
                replace(item, id=f"{item.id}~{number}")
                if isinstance(item, RawArticle)
                else item.model_copy(update={"id": f"{item.id}~{number}"})
            )
        used.add(item.id)
        yield item


def parse_raw(
    raw: RawArticle, segment: Callable[[RawArticle], Article] | None = None
) -> Article | ArticleFailure:
    """``parse(raw)`` (or ``segment(raw)``), or a failure of this article only if segmentation
    hits a bug. The reader's warnings on the article (an encoding) go with it into the brief."""
    try:
        article = (segment or segmentation.parse)(raw)  # looked up here: one place to patch
    except Exception as error:
        log.exception("segmenting %s failed", raw.path)
        return ArticleFailure(
            id=raw.id,
            path=raw.path,
            error=f"{raw.path}: internal error while segmenting ({type(error).__name__}: "
            f"{error}); please report it with this file",
        )
    if raw.warnings:  # the reader's notes first, then what segmentation found
        article = article.model_copy(update={"warnings": [*raw.warnings, *article.warnings]})
    return article
