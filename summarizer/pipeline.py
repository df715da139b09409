"""The library's front door: files in, Briefing out (ingest -> extract -> merge).

``Summarizer`` holds resolved Settings and the backend; ``brief()`` and ``extract()`` are
one-call conveniences, ``abrief()`` and ``aextract()`` their coroutines for callers inside an
event loop. A Summarizer is a context manager (``with`` or ``async with``) that closes what it
opened: the cache, and the backend it made (the llm backend's HTTP client). Paths are one
``str`` or ``Path``, or any iterable of them: ``brief("articles/")`` is one folder.

One broken article never costs the brief: it is reported as failed, with the reason, and the
others go on. Files in a folder that are not articles (``.pdf``, ``.jpg``) are listed in the
brief as skipped. Warnings that cost no article (a JSON field ignored, a file skipped, an
article that does not read as English for the rules backend, an article with nothing left once
page furniture is set aside, ``auto`` falling back to the rules) go to ``on_warning`` (default:
the ``logging`` module), one line each, naming the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import json
import logging
import os
import pickle
import signal
import stat
import struct
import tempfile
import threading
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, cast, overload

from pydantic import BaseModel

from ._heap import LongLived
from ._workers import worker_start
from .cache import ExtractionCache, Store
from .config import BackendName, Settings, resolve
from .errors import (
    BackendError,
    InputError,
    InternalError,
    OutputError,
    SummarizerError,
    UsageError,
    redact,
)
from .extract import AsyncBackend, Backend
from .extract.budget import article_budget
from .extract.rules import RulesBackend
from .ingest import (
    STDIN,
    RawArticle,
    Skipped,
    discover,
    english_share,
    is_brief_file,
    is_url,
    load,
    load_raw,
    parse_raw,
)
from .merge import merge
from .merge.stories import ArticleProfile, profile
from .models import Article, ArticleExtraction, ArticleFailure, ArticleReport, Briefing
from .readers.fetch import Fetcher

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
Warn = Callable[[str], None]
PathLike = str | os.PathLike[str]
# What ``brief`` takes: one path, or any iterable of paths (a str is one path, never its
# characters).
Inputs = PathLike | Iterable[PathLike]
_T = TypeVar("_T")
# Below this share of common English words, the rules backend (English patterns) is warned of.
ENGLISH_SHARE_MIN = 0.1


def make_backend(settings: Settings) -> Backend:
    """The backend the settings ask for (``auto``: llm when a model and a key or base URL are
    set)."""
    if settings.resolved_backend == "rules":
        return RulesBackend()
    from .extract.llm import LLMBackend  # imported lazily: rules users never load openai

    return LLMBackend(settings, rules=RulesBackend())


def as_paths(paths: Inputs) -> list[Path | str]:
    """``paths`` as a list of inputs: one ``str`` or ``Path`` is one input (``brief("a/b")``
    does not iterate the characters of ``"a/b"``), an iterable is read once. URLs and ``-``
    stay strings (``Path`` would fold "https://" into "https:/")."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    elif isinstance(paths, bytes):
        raise UsageError("give paths as str or pathlib.Path, not bytes")
    return [p if isinstance(p, str) and (is_url(p) or p == STDIN) else Path(p) for p in paths]


def _checked_backend(backend: object) -> Backend:
    """A backend object given by the caller, or a UsageError naming what it lacks."""
    if isinstance(backend, Backend):
        return backend
    missing = [m for m in ("name", "model", "cache_key", "extract") if not hasattr(backend, m)]
    raise UsageError(
        f"backend={type(backend).__name__}(...) is not a backend: it lacks "
        f"{', '.join(missing)}; give 'auto', 'rules', 'llm', or an object with the members of "
        "summarizer.Backend (name, model, cache_key(), extract(article))"
    )


def _run(coroutine: Awaitable[_T]) -> _T:
    """Run a coroutine to its end from synchronous code, even when this thread already runs an
    event loop (a notebook, an async web handler calling ``brief()``): then in a thread of its
    own, with a loop of its own, as ``asyncio.run`` cannot nest."""

    async def main() -> _T:
        return await coroutine

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(1, thread_name_prefix="summarizer") as thread:
        return thread.submit(asyncio.run, main()).result()


MAX_WORKERS = 4  # worker processes for the rules backend


@contextlib.contextmanager
def _shut_down_on_sigterm() -> Iterator[None]:
    """While worker processes run: SIGTERM ends the parent as Ctrl-C does, by an exception
    (``SystemExit(143)``) that unwinds through the pool's shutdown (queued work cancelled,
    workers stopped) and the cache's close, instead of killing the parent outright and
    leaving its workers behind. Only the main thread can take signals; elsewhere it does
    nothing (the workers still die with the parent)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Summarizer:
    """Make briefs with one configuration.

    >>> from summarizer import Summarizer
    >>> with Summarizer(backend="rules") as summarizer:  # doctest: +SKIP
    ...     briefing = summarizer.brief("fixtures/articles")

    ``backend`` is ``"auto"``, ``"rules"``, ``"llm"`` or an object with the members of the
    ``Backend`` protocol (``summarizer.Backend``); other keyword arguments are Settings fields.
    ``close()`` (or leaving ``with`` / ``async with``) closes the cache and a backend this
    Summarizer made; a backend object passed in is the caller's to close.

    Past one machine: ``executor`` (any ``concurrent.futures.Executor``: a Dask client's
    ``get_executor()``, a process pool of your own) runs a synchronous backend's articles, and
    ``store`` (the ``summarizer.cache.Store`` protocol: ``get``/``set``/``delete`` of strings,
    e.g. a Redis client) replaces the on-disk cache, so extraction can be shared by machines
    (README, "Past one machine"). Both stay the caller's to shut.
    """

    # From this many uncached articles on, the rules backend runs in worker processes
    # (below it, starting the pool costs more than it saves).
    parallel_threshold = 48
    # From this many articles on, a run does not hold its articles and extractions as models
    # once made: it keeps each packed, as mapped, and makes it again when merge reads its
    # story (about a fourteenth of the memory, for about 0.25 ms an article).
    hold_models_below = 20_000

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backend: BackendName | Backend | None = None,
        on_warning: Warn | None = None,
        executor: Executor | None = None,
        store: Store | None = None,
        **overrides: Any,
    ) -> None:
        given = None if backend is None or isinstance(backend, str) else _checked_backend(backend)
        if isinstance(backend, str):
            overrides["backend"] = backend
        self.settings = settings.model_copy(update=overrides) if settings else resolve(overrides)
        self.warn: Warn = on_warning or _log_warning
        if given is None and self.settings.auto_note:
            self.warn(self.settings.auto_note)
        self.backend: Backend = given or make_backend(self.settings)
        self._owns_backend = given is None
        self.cache = ExtractionCache(
            self.settings.cache_dir, enabled=self.settings.use_cache, store=store
        )
        # Where a synchronous backend's articles run when given (a Dask or Ray executor, say:
        # anything with ``concurrent.futures.Executor.map``); the caller owns and shuts it.
        self.executor = executor
        # Opens nothing until the first URL; its cache of pages is beside the extractions'.
        self.fetcher = Fetcher(
            self.settings.cache_dir / "pages" if self.settings.use_cache else None,
            timeout=self.settings.fetch_timeout,
            deadline=3 * self.settings.fetch_timeout,
            max_bytes=self.settings.max_page_bytes,
        )

    # -- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the cache and, when this Summarizer made it, the backend (its HTTP client).
        Safe to call twice; worker processes and async clients are closed after each call."""
        try:
            if self._owns_backend:
                closing = getattr(self.backend, "close", None)
                if callable(closing):
                    closing()
        finally:
            self.cache.close()
            self.fetcher.close()

    async def aclose(self) -> None:
        """``close()`` for ``async with``: the same work, off the event loop."""
        await asyncio.to_thread(self.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- one article -------------------------------------------------------------------------

    def extract_article(self, article: Article) -> ArticleExtraction:
        """Extract one parsed article, through the cache."""
        batch = self._through_cache([article])
        for index, todo in batch.todo():
            with article_budget(self._budget(), _budget_what(self.backend, todo)):
                batch.done(index, _checked(self.backend, todo, self.backend.extract(todo)))
        return batch.extraction(0)

    def _budget(self) -> float | None:
        """The per-article wall-clock budget for a synchronous backend (the rules); an async
        backend (llm) keeps its own request deadline (``deadline``) instead."""
        return None if isinstance(self.backend, AsyncBackend) else self.settings.article_seconds

    async def _aextract_article(self, article: Article) -> ArticleExtraction:
        if not isinstance(self.backend, AsyncBackend):
            return await asyncio.to_thread(self.extract_article, article)
        batch = self._through_cache([article])
        for index, todo in batch.todo():
            batch.done(index, _checked(self.backend, todo, await self.backend.aextract(todo)))
        return batch.extraction(0)

    def _through_cache(
        self, articles: list[Article], progress: Progress | None = None
    ) -> _CachedBatch:
        """The one place extractions go through the cache (one article or many, synchronous,
        async or in worker processes): see ``_CachedBatch``."""
        return _CachedBatch(self.cache, self.backend, articles, progress)

    def extract(self, path: PathLike) -> ArticleExtraction:
        """The extraction of one file (the first article of a JSON Lines file).

        A folder is refused (UsageError): which of its files would be meant is not known."""
        return self.extract_article(self.read(path))

    async def aextract(self, path: PathLike) -> ArticleExtraction:
        """``extract()`` as a coroutine, for callers inside an event loop."""
        article = await asyncio.to_thread(self.read, path)
        return await self._aextract_article(article)

    def read(self, path: PathLike) -> Article:
        """One input as read and segmented (the first article of a JSON Lines file, a feed or
        a mailbox): its text is what every offset of its extraction indexes."""
        if os.path.isdir(path):
            raise UsageError(
                f"{os.fspath(path)} is a folder; extract reads one article file: name one of "
                "its files, or make the brief of the whole folder (summarizer brief)"
            )
        for item in load(
            as_paths(path),
            self.settings.max_article_bytes,
            on_warning=self.warn,
            fetcher=self.fetcher,
            max_page_bytes=self.settings.max_page_bytes,
            segment=self.cache.parse,
        ):
            if isinstance(item, ArticleFailure):
                raise InputError(item.error, path=item.path)
            self._check_readable(item)
            return item
        raise InputError(f"{os.fspath(path)}: no article found", path=os.fspath(path))

    # -- many articles -----------------------------------------------------------------------

    def load(
        self, paths: Inputs
    ) -> tuple[list[Article], list[ArticleFailure], dict[str, list[str]]]:
        """Parse every input; the same text under two names is kept once (both paths listed)."""
        loaded = self._load(paths)
        return loaded.articles, loaded.failures, loaded.duplicates

    def _load(self, paths: Inputs) -> _Loaded:
        loaded = _Loaded(paths=as_paths(paths))
        for raw in self._inputs(loaded):
            item = raw if isinstance(raw, ArticleFailure) else parse_raw(raw, self.cache.parse)
            if loaded.add(item):
                assert isinstance(item, Article)
                self._check_readable(item)
        return self._read(loaded)

    def _inputs(self, loaded: _Loaded) -> Iterator[RawArticle | ArticleFailure]:
        """Every input of ``loaded`` as read (``ingest.load_raw``), skipped files told to it."""
        return load_raw(
            loaded.paths,
            self.settings.max_article_bytes,
            on_warning=self.warn,
            on_skipped=loaded.skip,
            fetcher=self.fetcher,
            max_page_bytes=self.settings.max_page_bytes,
        )

    def _read(self, loaded: _Loaded) -> _Loaded:
        """Reading done: skipped files warned of, and counted in the log."""
        for skipped in loaded.skipped:
            self.warn(skipped.reason)
        log.info(
            "read %d articles (%d failed, %d skipped, %d duplicates)",
            loaded.read,
            len(loaded.failures),
            len(loaded.skipped),
            sum(len(paths) for paths in loaded.duplicates.values()),
        )
        return loaded

    def _check_readable(self, article: Article) -> None:
        """Warn of an article the brief will say little about (it is still used)."""
        warning = _readability(article, self.backend.name)
        if warning:
            self.warn(warning)

    def extract_all(
        self, articles: list[Article], progress: Progress | None = None
    ) -> tuple[list[ArticleExtraction], list[ArticleFailure]]:
        """Extract every article, input order kept: concurrently when the backend is async,
        in worker processes when the rules backend has many articles to do."""
        if isinstance(self.backend, AsyncBackend):
            outcomes = _run(self._extract_concurrently(articles, progress))
        else:
            outcomes = self._extract_in_processes(articles, progress)
        return _split(outcomes)

    async def aextract_all(
        self, articles: list[Article], progress: Progress | None = None
    ) -> tuple[list[ArticleExtraction], list[ArticleFailure]]:
        """``extract_all()`` as a coroutine: an async backend runs in the caller's event loop,
        a synchronous one in a thread (so the loop is never blocked)."""
        if isinstance(self.backend, AsyncBackend):
            outcomes = await self._extract_concurrently(articles, progress)
        else:
            outcomes = await asyncio.to_thread(self._extract_in_processes, articles, progress)
        return _split(outcomes)

    def _extract_in_processes(
        self, articles: list[Article], progress: Progress | None
    ) -> list[ArticleExtraction | ArticleFailure]:
        batch = self._through_cache(articles, progress)
        misses = [index for index, _ in batch.todo()]
        todo = [articles[i] for i in misses]
        budget = self._budget()
        with contextlib.ExitStack() as stack:
            # Only the rules go to worker processes: a caller's backend may hold state
            # (clients, locks, models) that does not survive pickling.
            if self.executor is not None and todo:
                results = self.executor.map(
                    _extract_guarded, repeat(self.backend), todo, repeat(budget)
                )
            elif (
                len(todo) >= self.parallel_threshold
                and isinstance(self.backend, RulesBackend)
                and (pool := self._pool(stack)) is not None
            ):
                results = pool.map(
                    _extract_guarded, repeat(self.backend), todo, repeat(budget), chunksize=8
                )
            else:
                results = map(_extract_guarded, repeat(self.backend), todo, repeat(budget))
            for index, outcome in zip(misses, results, strict=True):
                batch.done(index, outcome)
        return batch.outcomes()

    @staticmethod
    def _pool(stack: contextlib.ExitStack) -> ProcessPoolExecutor | None:
        """Worker processes for the rules, shut with ``stack`` (None on a one-CPU machine):
        each dies with this process, and on an interrupt (Ctrl-C, SIGTERM) queued work is
        cancelled, not waited for."""
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        if workers < 2:
            return None
        stack.enter_context(_shut_down_on_sigterm())
        pool = stack.enter_context(
            ProcessPoolExecutor(workers, initializer=worker_start, initargs=(os.getpid(),))
        )
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        return pool

    async def _extract_concurrently(
        self, articles: list[Article], progress: Progress | None
    ) -> list[ArticleExtraction | ArticleFailure]:
        semaphore = asyncio.Semaphore(self.settings.concurrency)
        backend = self.backend
        assert isinstance(backend, AsyncBackend)
        batch = self._through_cache(articles, progress)

        async def one(index: int, article: Article) -> None:
            async with semaphore:
                try:
                    outcome: ArticleExtraction | ArticleFailure = _checked(
                        backend, article, await backend.aextract(article)
                    )
                except Exception as error:  # noqa: BLE001 - one article never costs the brief
                    outcome = _failure(article, error)
                batch.done(index, outcome)

        await asyncio.gather(*(one(index, article) for index, article in batch.todo()))
        return batch.outcomes()

    def brief(self, paths: Inputs, progress: Progress | None = None) -> Briefing:
        """The merged brief of every article under ``paths`` (one path or several; see
        ``review``)."""
        return self._briefing(paths, progress, texts=False)[0]

    def review(
        self, paths: Inputs, progress: Progress | None = None
    ) -> tuple[Briefing, dict[str, str]]:
        """The merged brief of every article under ``paths``, and the text of each briefed
        article by id, as read (what citations index): what the review page
        (``render(briefing, "html", texts)``) shows beside the brief, so that every citation
        lands on its characters.

        Raises InputError when no article could be read at all, and BackendError when the
        backend failed on every article (an unreachable server, say): then there is nothing
        to brief. Otherwise failures are listed in the Briefing and the rest is merged.
        """
        return self._briefing(paths, progress, texts=True)

    def _briefing(
        self, paths: Inputs, progress: Progress | None, *, texts: bool
    ) -> tuple[Briefing, dict[str, str]]:
        """The Briefing, and (when ``texts``) the text of each article it briefs by id.

        A mapped run's texts are taken before merging: merge lets go of each article once
        its story is merged (``merge.Releasing``), which ``brief`` alone leaves to it."""
        if not self._maps_articles():
            loaded = _readable(self._load(paths))
            extracted = _extracted(loaded, *self.extract_all(loaded.articles, progress))
            return self._merged(loaded, *extracted), _texts(extracted[0]) if texts else {}
        loaded, articles, extractions, failures, profiles = self._map_articles(paths, progress)
        read = _texts(articles) if texts else {}
        return self._merged(loaded, articles, extractions, failures, profiles), read

    def _maps_articles(self) -> bool:
        """Whether every article's whole map (segment, extract, profile) runs as one job: for
        the rules backend with this process's own cache (an ``executor`` or a caller's
        ``store`` keeps the stages apart: they are the caller's, and may not cross processes)."""
        return (
            isinstance(self.backend, RulesBackend)
            and self.executor is None
            and not self.cache.shared
        )

    def _map_articles(self, paths: Inputs, progress: Progress | None) -> _Merging:
        """Read every input here, then map each article, in worker processes when there are
        many (``_map_sent``: parsed, extracted, profiled; forked as soon as there are enough
        to map, while this process is small), keeping input order, and keep what they
        mapped in the cache (``_Writes``). What stays here is reading files (cheap) and what
        needs them all: the same text under two names kept once, the warnings, the failures.

        Each article and extraction is kept packed, as mapped (``_Kept``); below
        ``hold_models_below`` articles each is made into a model once and held, from there
        on made again each time merge reads its story (about a fourteenth of the memory)."""
        loaded = _Loaded(paths=as_paths(paths))
        job = _ArticleJob(self.backend, self.cache.directory, self.cache.enabled, self._budget())
        pending: deque[RawArticle] = deque()
        keys: deque[str | None] = deque()  # each pending file's map key
        known: deque[bool] = deque()  # whether its map is kept: taken back below, as kept
        unmapped = 0
        with contextlib.ExitStack() as stack:
            # What the map keeps lives until merge: left out of the collector's scans as it
            # comes (at 100,000 articles, full collections walking it took a second).
            heap = stack.enter_context(LongLived())
            pool = None
            for item in self._inputs(loaded):
                if isinstance(item, ArticleFailure):
                    loaded.failures.append(item)
                    continue
                if not loaded.new_text(item):
                    continue
                key = self.cache.map_key(item, self.backend)
                pending.append(item)
                keys.append(key)
                known.append(key is not None and self.cache.has_mapped(key, item.id))
                unmapped += not known[-1]
                if unmapped == self.parallel_threshold and _picklable(job):
                    pool = self._pool(stack)
                    if pool is not None:
                        # Forked now, while this process holds few texts: forked once all are
                        # read, each worker would keep the texts this process lets go of as
                        # they are mapped (a copy of every page freed: 200 MB at 100,000).
                        pool.submit(os.getpid)
            kept = _Kept(hold=len(pending) < self.hold_models_below)
            todo = [raw for raw, seen in zip(pending, known, strict=True) if not seen]
            writes = _Writes(self.cache)
            if pool is not None:
                computed = pool.map(_map_in_worker, repeat(job), todo, chunksize=8)
            else:
                computed = map(_map_sent, repeat(self.cache), repeat(job), todo)
            del todo
            while pending:
                raw = pending.popleft()  # what the worker has done with is let go here
                key = keys.popleft()
                done = self._kept_map(key, raw, job) if known.popleft() else next(computed)
                if progress:
                    progress(raw.id)
                if isinstance(done, ArticleFailure):  # not segmented: a failure of reading
                    loaded.failures.append(done)
                    continue
                writes.add(key, done)
                if not loaded.add_head(done.head.sha256, raw.id, raw.path):
                    continue
                if done.head.warning:
                    self.warn(done.head.warning)
                if isinstance(done.extraction, ArticleFailure):
                    kept.failures.append(done.extraction)
                else:
                    kept.add(done.article, done.extraction, done.profile)
                    if len(kept) % _KEEP_EVERY == 0:
                        heap.keep()
        writes.flush()
        # Every file is read: the cache's databases are let go of until next used (each
        # holds up to about 100 MB of pages, which merge and its workers would carry).
        self.cache.close()
        _readable(self._read(loaded))
        return loaded, kept.articles(), kept.extractions(), kept.failures, kept.profiles()

    def _kept_map(self, key: str | None, raw: RawArticle, job: _ArticleJob) -> _Sent:
        """The map of a file mapped before, kept in the cache under ``key`` (``_record``); or,
        when it cannot be taken back after all (damaged, or let go of since it was looked
        up), the file mapped here."""
        kept = None
        if key is not None:
            kept = self.cache.mapped(key, raw.id, _record_reader(raw, self.backend.name))
        return _map_sent(self.cache, job, raw) if kept is None else kept

    async def abrief(self, paths: Inputs, progress: Progress | None = None) -> Briefing:
        """``brief()`` as a coroutine, for callers inside an event loop (``await``): the llm
        backend's requests run in the caller's loop; reading files, the rules and merging run
        in threads, so the loop stays free (``on_warning`` may then be called from one)."""
        loaded = _readable(await asyncio.to_thread(self._load, paths))
        extracted = await self.aextract_all(loaded.articles, progress)
        return await asyncio.to_thread(self._merged, loaded, *_extracted(loaded, *extracted))

    def _merged(
        self,
        loaded: _Loaded,
        articles: Sequence[Article],
        extractions: Sequence[ArticleExtraction],
        extract_failures: list[ArticleFailure],
        profiles: Sequence[ArticleProfile] | None = None,
    ) -> Briefing:
        """Merge the extracted ``articles`` (each with its extraction, in the same order; and
        its story profile when given), when there is at least one."""
        log.info(
            "extracted %d articles with the %s backend (%d failed)",
            len(extractions),
            self.backend.name,
            len(extract_failures),
        )
        if not extractions:
            raise BackendError(
                extract_failures[0].error if extract_failures else "the backend returned nothing"
            )
        briefing = merge(
            articles,
            extractions,
            loaded.failures + extract_failures,
            backend=self.backend.name,
            model=self.backend.model,
            profiles=profiles,
        )
        log.info(
            "merged into %d stories: %d quotes, %d figure rows, %d stances",
            len(briefing.stories),
            len(briefing.quotes),
            len(briefing.casualties),
            len(briefing.stances),
        )
        return _with_skipped(_with_duplicates(briefing, loaded.duplicates), loaded.skipped)


def _texts(articles: Sequence[Article]) -> dict[str, str]:
    """Each article's text as read, by id (what citations index)."""
    return {a.id: a.as_read for a in articles}


def _extracted(
    loaded: _Loaded, extractions: list[ArticleExtraction], failures: list[ArticleFailure]
) -> tuple[list[Article], list[ArticleExtraction], list[ArticleFailure]]:
    """The articles that were extracted, beside their extractions (in input order)."""
    by_id = {x.article_id: x for x in extractions}
    articles = [a for a in loaded.articles if a.id in by_id]
    return articles, [by_id[a.id] for a in articles], failures


def _readable(loaded: _Loaded) -> _Loaded:
    """``loaded``, or InputError when not one article could be read."""
    if loaded.read:
        return loaded
    failures = loaded.failures
    detail = "; ".join(f.error for f in failures[:3]) + (
        f"; and {len(failures) - 3} more" if len(failures) > 3 else ""
    )
    raise InputError(
        "no readable article in "
        + ", ".join(str(p) for p in loaded.paths)
        + (
            f": {detail}"
            if detail
            else "; give article files (.txt, .md, .json, .jsonl, .html, a feed, .eml, "
            ".mbox), URLs, or - for standard input"
        )
    )


def _split(
    outcomes: list[ArticleExtraction | ArticleFailure],
) -> tuple[list[ArticleExtraction], list[ArticleFailure]]:
    extractions = [o for o in outcomes if isinstance(o, ArticleExtraction)]
    failures = [o for o in outcomes if isinstance(o, ArticleFailure)]
    return extractions, failures


def _extract_guarded(
    backend: Backend, article: Article, budget: float | None = None
) -> ArticleExtraction | ArticleFailure:
    """One article's extraction, or its failure: one article's bug never costs the brief, nor
    does one that takes longer than ``budget`` seconds (``extract.budget``: a cooperative
    deadline the rules check in their loops, so it holds in a worker process as in this one).
    Module-level so worker processes can run it."""
    try:
        with article_budget(budget, _budget_what(backend, article)):
            return _checked(backend, article, backend.extract(article))
    except Exception as error:  # noqa: BLE001 - one article never costs the brief
        return _failure(article, error)


@dataclass(frozen=True)
class _ArticleJob:
    """What mapping an article needs besides the article (picklable: sent to workers)."""

    backend: Backend
    cache_dir: Path
    use_cache: bool
    budget: float | None


def _readability(article: Article, backend: str) -> str | None:
    """What to warn of an article the brief will say little about (it is still used)."""
    if not article.sentences:
        return (
            f"{article.path}: nothing left to read once page furniture is set aside "
            f"({len(article.excluded)} stretches excluded); check that it is an article"
        )
    share = english_share(article)
    if share is not None and share < ENGLISH_SHARE_MIN and backend == "rules":
        return (
            f"{article.path}: does not read as English ({share:.0%} common English words); "
            "the rules backend knows English attribution ('said', 'according to'), so "
            "expect quotes without speakers and few figures; an llm backend may do better"
        )
    return None


@dataclass(frozen=True)
class _Head:
    """What the parent needs of a mapped article besides its models: the hash of its text (the
    same text under two names is kept once) and the warning ``_readability`` gives."""

    sha256: str
    warning: str | None


@dataclass(frozen=True)
class _Mapped:
    """An article's whole map as the parent takes it, from a worker or from the cache: its
    head, story profile, and the article and its extraction as JSON, each compressed
    (``_pack``), which a run keeps as they are until merge reads them (pydantic reads JSON
    back several times faster than it unpickles models); or the extraction's failure.
    ``record`` and ``unwritten``: what the parent is to keep in the cache for it (the map,
    ``_record``; the extraction's entry, key and JSON), None and empty when it was taken from
    the cache."""

    head: _Head
    profile: ArticleProfile
    article: bytes
    extraction: bytes | ArticleFailure
    record: bytes | None = None
    unwritten: tuple[tuple[str, str], ...] = ()


_Sent = _Mapped | ArticleFailure  # an article's map, or the failure of its segmentation


def _map_sent(cache: ExtractionCache, job: _ArticleJob, raw: RawArticle) -> _Sent:
    """One article's whole map (``_Mapped``): segmented, extracted and profiled for story
    grouping (each a function of this article alone), the extraction read through ``cache``;
    or the failure of its segmentation. Nothing is written to the cache here: the parent
    writes what the map holds (``record``, ``unwritten``), many articles at once, from one
    process (a failure is not kept: it is tried again next time)."""
    article = parse_raw(raw)
    if isinstance(article, ArticleFailure):
        return article
    batch = _CachedBatch(cache, job.backend, [article], None, keep_json=True, write=False)
    for index, todo in batch.todo():
        batch.done(index, _extract_guarded(job.backend, todo, job.budget))
    outcome = batch.outcomes()[0]
    head = _Head(article.sha256, _readability(article, job.backend.name))
    found = profile(article)
    packed = _pack(article.model_dump_json())
    if isinstance(outcome, ArticleFailure):
        return _Mapped(head, found, packed, outcome)
    extraction = _pack(batch.json(0))
    record = _record(raw, head, found, packed, extraction) if cache.enabled else None
    return _Mapped(head, found, packed, extraction, record, tuple(batch.unwritten))


def _pack(json: str) -> bytes:
    """A model's JSON, compressed (``zlib`` at its fastest: 6.2 KB of JSON per generated 2 KB
    article and its extraction become 2.6 KB)."""
    return zlib.compress(json.encode("utf-8", "surrogatepass"), 1)


def _unpack(packed: bytes) -> bytes:
    """What ``_pack`` compressed; ValueError when it is not that."""
    try:
        return zlib.decompress(packed)
    except zlib.error as error:
        raise ValueError(f"not compressed ({error})") from None


# How many articles the map keeps between two freezes of what it keeps (``LongLived.keep``).
_KEEP_EVERY = 1_000


# How an article's map is kept in the cache (``_record``): a checksum of the rest, then the
# lengths of the first part (the head and the profile) and the article, then the three parts,
# each compressed; in the first, the length of the head before it.
_CHECKSUM_SIZE = 16
_LENGTHS = struct.Struct(">II")
_HEAD_LENGTH = struct.Struct(">I")


def _record(
    raw: RawArticle, head: _Head, found: ArticleProfile, article: bytes, extraction: bytes
) -> bytes:
    """How an article's whole map is kept in the cache: its head (the file's id and path, the
    text's hash, the warning) as JSON and its story profile (``ArticleProfile.to_bytes``),
    compressed together, then the article and the extraction as packed (``_pack``), so that
    a warm run keeps those two as they are; before them a checksum (``blake2b``) of
    everything after it, so that a record is taken back without uncompressing or validating
    its models (a run reads them once, in merge). About 11 KB of a generated article's map
    become about 4.5 KB, so that 100,000 fit in the store's size limit."""
    first = json.dumps([raw.id, raw.path, head.sha256, head.warning]).encode("utf-8")
    first_packed = zlib.compress(
        b"".join((_HEAD_LENGTH.pack(len(first)), first, found.to_bytes())), 1
    )
    body = b"".join((_LENGTHS.pack(len(first_packed), len(article)), first_packed, article))
    body += extraction
    return hashlib.blake2b(body, digest_size=_CHECKSUM_SIZE).digest() + body


def _record_head(packed: bytes) -> tuple[list[Any], ArticleProfile]:
    """A record's first part (``_record``): its head's fields and the profile; ValueError
    when it is not one."""
    first = _unpack(packed)
    if len(first) < _HEAD_LENGTH.size:
        raise ValueError("cut short")
    (size,) = _HEAD_LENGTH.unpack_from(first)
    fields = json.loads(first[_HEAD_LENGTH.size : _HEAD_LENGTH.size + size])
    if not isinstance(fields, list) or len(fields) != 4:
        raise ValueError("not a record's head")
    return fields, ArticleProfile.from_bytes(first[_HEAD_LENGTH.size + size :])


def _record_parts(record: bytes) -> tuple[bytes, bytes, bytes]:
    """A record's (``_record``) head, article and extraction, each compressed; ValueError when
    it is not one whole (cut short, changed, not a record)."""
    body = record[_CHECKSUM_SIZE:]
    if hashlib.blake2b(body, digest_size=_CHECKSUM_SIZE).digest() != record[:_CHECKSUM_SIZE]:
        raise ValueError("its checksum does not match")
    if len(body) < _LENGTHS.size:
        raise ValueError("cut short")
    first, article = _LENGTHS.unpack_from(body)
    at = _LENGTHS.size
    parts = body[at : at + first], body[at + first : at + first + article]
    return (*parts, body[at + first + article :])


def _record_reader(raw: RawArticle, backend: str) -> Callable[[bytes], _Mapped]:
    """What reads a kept map (``_record``) back for ``raw``, or raises ValueError: as it is
    when it was kept under the same id and path (the usual case: the same file again); else
    its models are made again with this file's id and path (and its warning, which names
    the path)."""

    def read(record: bytes) -> _Mapped:
        first, packed_article, packed_extraction = _record_parts(record)
        (kept_id, kept_path, sha256, warning), found = _record_head(first)
        if (kept_id, kept_path) == (raw.id, raw.path):
            return _Mapped(_Head(sha256, warning), found, packed_article, packed_extraction)
        article = Article.model_validate_json(_unpack(packed_article))
        article = article.model_copy(update={"id": raw.id, "path": raw.path})
        extraction = ArticleExtraction.model_validate_json(_unpack(packed_extraction))
        extraction = extraction.model_copy(update={"article_id": raw.id})
        return _Mapped(
            _Head(sha256, _readability(article, backend)),
            found,
            _pack(article.model_dump_json()),
            _pack(extraction.model_dump_json()),
        )

    return read


def _picklable(job: _ArticleJob) -> bool:
    """Whether ``job`` can go to a worker process: a backend patched in place (a test's
    wrapper, a caller's closure) cannot, and then the articles are mapped here instead of
    failing (or, on Python 3.11, hanging the pool's shutdown)."""
    try:
        pickle.dumps(job)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


_worker_caches: dict[tuple[Path, bool], ExtractionCache] = {}


def _map_in_worker(job: _ArticleJob, raw: RawArticle) -> _Sent:
    """``_map_sent`` in a worker process, with that process's own handle on the cache
    (opened once per process; diskcache is safe across processes, a handle is not)."""
    key = (job.cache_dir, job.use_cache)
    if key not in _worker_caches:
        _worker_caches[key] = ExtractionCache(job.cache_dir, enabled=job.use_cache)
    return _map_sent(_worker_caches[key], job, raw)


class _Writes:
    """What a mapped run writes to the cache (each new map, and its extraction's entry),
    written ``TOGETHER`` articles at a time (``ExtractionCache.put_all``), from the parent
    alone: worker processes writing each article apart spent a tenth of the map on it."""

    TOGETHER = 64

    def __init__(self, cache: ExtractionCache) -> None:
        self._cache = cache
        self._extractions: list[tuple[str, str]] = []
        self._maps: list[tuple[str, bytes]] = []

    def add(self, key: str | None, mapped: _Mapped) -> None:
        """Keep ``mapped`` under ``key`` (its map key, None where maps are not kept)."""
        if key is not None and mapped.record is not None:
            self._maps.append((key, mapped.record))
        self._extractions.extend(mapped.unwritten)
        if len(self._maps) >= self.TOGETHER or len(self._extractions) >= self.TOGETHER:
            self.flush()

    def flush(self) -> None:
        self._cache.put_all(self._extractions, self._maps)
        self._extractions, self._maps = [], []


_M = TypeVar("_M", Article, ArticleExtraction)
_V = TypeVar("_V", bound=BaseModel)


class _Lazy(Sequence[_M]):
    """Models kept in another form (``_items``), each made when asked for (``_made``)."""

    _items: list[Any]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> _M: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[_M]: ...
    def __getitem__(self, index: int | slice) -> _M | Sequence[_M]:
        if isinstance(index, slice):
            return [self._made(i) for i in range(len(self._items))[index]]
        return self._made(index)

    def _made(self, index: int) -> _M:
        raise NotImplementedError

    def _item(self, index: int) -> Any:
        item = self._items[index]
        if item is None:
            raise InternalError(f"item {index} was read after it was let go (please report this)")
        return item


class _Stored(_Lazy[_M]):
    """Models kept packed (``_pack``) as their worker or the cache gave them, and made again
    each time one is asked for: how a large run holds every article and extraction (merge
    reads them one story at a time)."""

    def __init__(self, model: type[_M], items: list[bytes]) -> None:
        self._model: type[_M] = model
        self._items = items

    def _made(self, index: int) -> _M:
        return self._model.model_validate_json(_unpack(self._item(index)))

    def part(self, indices: Sequence[int]) -> _Stored[_M]:
        """The items at ``indices`` as a ``_Stored`` of their own (``merge.Portable``: what a
        worker process is sent, as it is kept here)."""
        return _Stored(self._model, [self._item(i) for i in indices])

    def glance(self, index: int, view: type[_V]) -> _V:
        """The item at ``index`` read as ``view`` (``merge.Glancing``: some of its fields,
        made without the rest)."""
        return view.model_validate_json(_unpack(self._item(index)))

    def release(self, index: int) -> None:
        """Let go of the item at ``index`` for good (``merge.Releasing``: merge calls it
        once the article's story is merged); reading it again is a bug (``InternalError``).

        Only a large run's models are let go of so (``_Stored``, and its ``_Profiles``): a
        smaller run's (``_Made``) are held anyway, and freeing each model as its story is
        merged would move the cost of freeing them all (0.8 s at 10,000 articles) into
        merge, and copy the pages merge's forked worker shares with this process."""
        self._items[index] = None


# What merging a mapped run takes: what was read, the extracted articles with their
# extractions, the extraction failures, and the articles' story profiles.
_Merging = tuple[
    "_Loaded",
    Sequence[Article],
    Sequence[ArticleExtraction],
    list[ArticleFailure],
    list[ArticleProfile],
]


class _Made(_Lazy[_M]):
    """Models kept packed (``_pack``), each made when first asked for and then held: how a
    run below ``hold_models_below`` holds its articles and extractions. Merge asks for them
    while the stories are being found in worker processes (``stories``), so that making them
    (a fifth of a warm run's work) is done meanwhile, not before."""

    def __init__(self, model: type[_M], items: list[bytes]) -> None:
        self._model: type[_M] = model
        self._items = list(items)

    def _made(self, index: int) -> _M:
        item = self._item(index)
        if isinstance(item, bytes):
            item = self._items[index] = self._model.model_validate_json(_unpack(item))
        made: _M = item
        return made


class _Released:
    """What stands for a profile let go of (``_Profiles.release``): reading anything of it is
    a bug, told as one (``InternalError``), as ``_Stored`` tells a model read again."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        raise InternalError(
            f"a story profile's {name} was read after it was let go (please report this)"
        )


_RELEASED = cast(ArticleProfile, _Released())


class _Profiles(list[ArticleProfile]):
    """The articles' story profiles (a list: merge's hottest loops index it, so a profile let
    go of is replaced by ``_RELEASED`` rather than checked for at each read), which merge lets
    go of one by one (``merge.Releasing``) as their stories are merged."""

    def release(self, index: int) -> None:
        """Let go of the profile at ``index`` for good (reading it again: ``InternalError``)."""
        self[index] = _RELEASED


@dataclass
class _Kept:
    """The extracted articles of a mapped run, their extractions and profiles (in input
    order), and the extraction failures: packed as they were mapped, made into models when
    first asked for and held when ``hold`` (``_Made``), else made each time (``_Stored``)."""

    hold: bool
    failures: list[ArticleFailure] = field(default_factory=list)
    _profiles: list[ArticleProfile] = field(default_factory=list)
    _articles: list[bytes] = field(default_factory=list)
    _extractions: list[bytes] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self._profiles)

    def add(self, article: bytes, extraction: bytes, profile: ArticleProfile) -> None:
        self._profiles.append(profile)
        self._articles.append(article)
        self._extractions.append(extraction)

    def profiles(self) -> list[ArticleProfile]:
        # Let go of story by story where the models are too (``_Stored.release``).
        return self._profiles if self.hold else _Profiles(self._profiles)

    def articles(self) -> Sequence[Article]:
        return (_Made if self.hold else _Stored)(Article, self._articles)

    def extractions(self) -> Sequence[ArticleExtraction]:
        return (_Made if self.hold else _Stored)(ArticleExtraction, self._extractions)


def _checked(backend: Backend, article: Article, answer: object) -> ArticleExtraction:
    """A backend's answer, if it is this article's ArticleExtraction (a caller's backend may
    return anything); else a BackendError that fails this article only. Its items' offsets are
    checked at merge."""
    if not isinstance(answer, ArticleExtraction):
        raise BackendError(
            f"the {backend.name} backend returned {type(answer).__name__} for {article.path}, "
            "not an ArticleExtraction"
        )
    if answer.article_id != article.id:
        raise BackendError(
            f"the {backend.name} backend answered for article {answer.article_id!r} when "
            f"asked about {article.id!r}; set article_id=article.id"
        )
    return answer


def _budget_what(backend: Backend, article: Article) -> str:
    return f"{backend.name} extraction of {article.path} ({len(article.text):,} characters)"


def _failure(article: Article, error: Exception) -> ArticleFailure:
    """The brief's entry for an article whose extraction failed: the error's own message for
    ours, a request to report it for anything else (a bug)."""
    if isinstance(error, SummarizerError):
        return ArticleFailure(id=article.id, path=article.path, error=str(error))
    log.error("extracting %s failed", article.id, exc_info=error)
    return ArticleFailure(
        id=article.id,
        path=article.path,
        error=redact(
            f"internal error while extracting ({type(error).__name__}: {error}); "
            "please report it with this article"
        ),
    )


def _log_warning(message: str) -> None:
    log.warning("%s", message)


class _CachedBatch:
    """Extractions of ``articles`` through the cache, whatever runs the backend.

    Made, it reads the cache for every article (a hit is done at once, ``progress`` told);
    ``todo()`` is what is left, as (index, article); ``done(index, outcome)`` records an
    answer, puts an extraction in the cache (never a failure: it is tried again next time)
    and tells ``progress``; ``outcomes()`` is every answer in input order. The synchronous,
    async and worker-process paths differ only in how they compute ``todo()``. Each article is
    hashed for its key once (read, then written); with ``keep_json`` (a worker, which sends
    its extraction on as JSON) each extraction is made into JSON once, for the cache and for
    ``json()``. With ``write=False`` (a map worker, whose parent writes for it, many at once)
    ``done`` keeps each new entry in ``unwritten`` (key, JSON) instead of writing it.
    """

    def __init__(
        self,
        cache: ExtractionCache,
        backend: Backend,
        articles: list[Article],
        progress: Progress | None,
        *,
        keep_json: bool = False,
        write: bool = True,
    ) -> None:
        self._cache = cache
        self._write = write
        self.unwritten: list[tuple[str, str]] = []
        self._backend = backend
        self._articles = articles
        self._progress = progress
        self._keep_json = keep_json
        self._outcomes: dict[int, ArticleExtraction | ArticleFailure] = {}
        self._misses: list[int] = []
        self._keys: dict[int, str] = {}  # each miss's cache key, for ``done`` to write it
        self._json: dict[int, str] = {}  # with ``keep_json``: each extraction's JSON
        for index, article in enumerate(articles):
            key = cache.key(article, backend)
            cached = cache.get(article, backend, key)
            if cached is None:
                self._misses.append(index)
                if key is not None:
                    self._keys[index] = key
                continue
            self._outcomes[index] = cached
            if progress:
                progress(article.id)

    def todo(self) -> list[tuple[int, Article]]:
        return [(index, self._articles[index]) for index in self._misses]

    def done(self, index: int, outcome: ArticleExtraction | ArticleFailure) -> None:
        article = self._articles[index]
        self._outcomes[index] = outcome
        if isinstance(outcome, ArticleExtraction) and self._cache.enabled:
            key = self._keys.pop(index, None)
            dumped = self.json(index) if self._keep_json or not self._write else None
            if self._write:
                self._cache.put(article, self._backend, outcome, key=key, dumped=dumped)
            elif key is not None and dumped is not None:
                self.unwritten.append((key, dumped))
        if self._progress:
            self._progress(article.id)

    def json(self, index: int) -> str:
        """The JSON of article ``index``'s extraction (with ``keep_json``, made once: the cache
        keeps it, a worker sends it on)."""
        dumped = self._json.get(index)
        if dumped is None:
            dumped = self.extraction(index).model_dump_json()
            if self._keep_json:
                self._json[index] = dumped
        return dumped

    def outcomes(self) -> list[ArticleExtraction | ArticleFailure]:
        return [self._outcomes[i] for i in range(len(self._articles))]

    def extraction(self, index: int) -> ArticleExtraction:
        """The extraction of article ``index`` (the single-article paths raise on failure,
        so there it is always one)."""
        outcome = self._outcomes[index]
        assert isinstance(outcome, ArticleExtraction)
        return outcome


@dataclass
class _Loaded:
    """What reading the inputs gave: articles, failures, duplicates and skipped files."""

    paths: list[Path | str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    failures: list[ArticleFailure] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    first_by_hash: dict[str, str] = field(default_factory=dict)  # text's sha256 -> article id
    first_by_text: dict[bytes, str] = field(default_factory=dict)  # hash as read -> article id
    read: int = 0  # articles read (duplicates aside)

    def skip(self, item: Skipped) -> None:
        self.skipped.append(item)

    def new_text(self, raw: RawArticle) -> bool:
        """True for a text not read before (one read before is listed with the first, and
        not parsed or extracted again); ``add`` still compares the parsed texts."""
        digest = hashlib.blake2b(raw.text.encode("utf-8", "surrogatepass")).digest()
        original = self.first_by_text.setdefault(digest, raw.id)
        if original != raw.id:
            self.duplicates.setdefault(original, []).append(raw.path)
            return False
        return True

    def add(self, item: Article | ArticleFailure) -> bool:
        """Take one input's outcome; True when it is a new article (the same text under
        another name is kept once: its path is listed with the first)."""
        if isinstance(item, ArticleFailure):
            self.failures.append(item)
            return False
        if not self.add_head(item.sha256, item.id, item.path):
            return False
        self.articles.append(item)
        return True

    def add_head(self, sha256: str, article_id: str, path: str) -> bool:
        """``add`` of an article known by its text's hash, id and path."""
        original = self.first_by_hash.setdefault(sha256, article_id)
        if original != article_id:
            self.duplicates.setdefault(original, []).append(path)
            return False
        self.read += 1
        return True


def _with_skipped(briefing: Briefing, skipped: list[Skipped]) -> Briefing:
    """Skipped files go last, so the source numbers of the articles do not move."""
    if not skipped:
        return briefing
    taken = {report.id for report in briefing.articles}
    reports = list(briefing.articles)
    for item in skipped:
        article_id = item.id if item.id not in taken else item.path
        taken.add(article_id)
        reports.append(
            ArticleReport(id=article_id, path=item.path, status="skipped", error=item.reason)
        )
    return briefing.model_copy(update={"articles": reports})


def _with_duplicates(briefing: Briefing, duplicates: dict[str, list[str]]) -> Briefing:
    if not duplicates:
        return briefing
    reports: list[ArticleReport] = [
        report.model_copy(update={"also_paths": duplicates.get(report.id, [])})
        for report in briefing.articles
    ]
    return briefing.model_copy(update={"articles": reports})


# --- the output file ------------------------------------------------------------------------

STDOUT = "-"
_WRITE_ERRORS = {
    errno.ENOSPC: "disk full: free some space, or write elsewhere with -o",
    errno.EDQUOT: "disk quota exceeded: free some space, or write elsewhere with -o",
    errno.EROFS: "the file system is read-only: write elsewhere with -o",
    errno.EACCES: "permission denied: check that you may write in that folder, or write "
    "elsewhere with -o",
    errno.EPERM: "permission denied: check that you may write in that folder, or write "
    "elsewhere with -o",
    errno.ENOENT: "the folder does not exist: create it, or write elsewhere with -o",
    errno.EFBIG: "the file is too large for this file system: write elsewhere with -o",
    errno.EIO: "input/output error on the disk: check the device, or write elsewhere with -o",
}


def check_output(output: PathLike, paths: Inputs) -> Path | None:
    """Where the brief will go, checked before any work: ``None`` for standard output
    (``-``), else the file to write (a link resolved to its target).

    UsageError when it is a folder, when its folder does not exist, or when it names one of
    the input articles (writing there would destroy it). An earlier brief that summarizer
    wrote may be overwritten: it is never an input (ingest skips it).
    """
    if str(output) == STDOUT:
        return None
    given = Path(output)
    shown = os.fsencode(given).decode("utf-8", "replace")
    if os.path.isdir(given):
        raise UsageError(
            f"-o {shown} is a folder; give a file name such as {shown.rstrip('/')}/brief.md "
            "(or -o - for standard output)"
        )
    target = Path(os.path.realpath(given))
    if not os.path.isdir(target.parent):
        raise UsageError(
            f"-o {shown}: the folder {target.parent} does not exist; create it or choose "
            "another file"
        )
    if not os.path.lexists(target):
        return target
    for path in as_paths(paths):
        if isinstance(path, str):
            continue  # a URL or standard input: no file of ours to overwrite
        try:
            inputs = discover([path])
        except (SummarizerError, OSError):
            continue  # a missing input is reported by the brief
        for article in inputs:
            if _same_file(article, target) and not is_brief_file(target):
                raise UsageError(
                    f"-o {shown} is one of the input articles ({path}); writing the brief there "
                    "would destroy it: choose another output file"
                )
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_output(text: str, target: Path) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically: a temporary file in the same folder,
    flushed to disk, then renamed over the target, so a full disk, a crash or Ctrl-C leaves
    the old file whole (and no temporary file behind). A target that is not a regular file
    (``/dev/null``, a pipe) is written directly. OutputError names the real cause."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _output_error(target, error) from None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(target, "wb") as handle:
                handle.write(text.encode("utf-8"))
        except OSError as error:
            raise _output_error(target, error) from None
        return
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _default_mode())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise _output_error(target, error) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _output_error(target: Path, error: OSError) -> OutputError:
    cause = _WRITE_ERRORS.get(error.errno or 0)
    if cause is None:
        cause = f"{error.strerror or error}: check the folder exists and you may write there"
    return OutputError(f"cannot write {target}: {cause}; the old file, if any, is unchanged")


def brief(paths: Inputs, **settings: Any) -> Briefing:
    """One brief of every article under ``paths`` (a path, or several); ``settings`` are
    Settings fields, and ``backend`` may be a Backend object."""
    with Summarizer(**settings) as summarizer:
        return summarizer.brief(paths)


async def abrief(paths: Inputs, **settings: Any) -> Briefing:
    """``brief()`` as a coroutine: ``briefing = await abrief("articles/")`` inside an event
    loop (a web handler, a notebook, ``asyncio.run``)."""
    async with Summarizer(**settings) as summarizer:
        return await summarizer.abrief(paths)


def extract(path: PathLike, **settings: Any) -> ArticleExtraction:
    """The extraction of one article file; ``settings`` are Settings fields."""
    with Summarizer(**settings) as summarizer:
        return summarizer.extract(path)


async def aextract(path: PathLike, **settings: Any) -> ArticleExtraction:
    """``extract()`` as a coroutine."""
    async with Summarizer(**settings) as summarizer:
        return await summarizer.aextract(path)
