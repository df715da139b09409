"""The library's front door: files in, Briefing out (ingest -> extract -> merge).

``Summarizer`` holds resolved Settings and the backend; ``brief()`` and ``extract()`` are
one-call conveniences. One broken article never costs the brief: it is reported as failed,
with the reason, and the others go on. Files in a folder that are not articles (``.pdf``,
``.jpg``) are listed in the brief as skipped. Warnings that cost no article (a JSON field
ignored, a file skipped, an article that does not read as English for the rules backend, an
article with nothing left once page furniture is set aside) go to ``on_warning`` (default: the
``logging`` module), one line each, naming the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import errno
import logging
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from .cache import ExtractionCache
from .config import Settings, resolve
from .errors import (
    BackendError,
    InputError,
    OutputError,
    SummarizerError,
    UsageError,
    redact,
)
from .extract import Backend
from .extract.budget import article_budget
from .extract.rules import RulesBackend
from .ingest import Skipped, discover, english_share, is_brief_file, load
from .merge import merge
from .models import Article, ArticleExtraction, ArticleFailure, ArticleReport, Briefing

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
Warn = Callable[[str], None]
PathLike = str | Path
# Below this share of common English words, the rules backend (English patterns) is warned of.
ENGLISH_SHARE_MIN = 0.1


def make_backend(settings: Settings) -> Backend:
    """The backend the settings ask for (``auto``: llm when a key or base URL is set)."""
    if settings.resolved_backend == "rules":
        return RulesBackend()
    from .extract.llm import LLMBackend  # imported lazily: rules users never load openai

    return LLMBackend(settings, rules=RulesBackend())


MAX_WORKERS = 4  # worker processes for the rules backend
PARENT_POLL_SECONDS = 0.5  # how often a worker checks that its parent is alive (fallback)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _worker_start(parent: int) -> None:
    """Run first in each extraction worker: it dies with its parent.

    On Linux the kernel sends SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
    everywhere, a daemon thread checks every ``PARENT_POLL_SECONDS`` that the parent is still
    the same process and exits otherwise. Ctrl-C (SIGINT, sent to the whole process group) is
    left to the parent, which shuts the pool down; SIGTERM gets its default action again (the
    parent's handler is inherited through fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


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
    >>> briefing = Summarizer(backend="rules").brief(["fixtures/articles"])  # doctest: +SKIP
    """

    # From this many uncached articles on, a synchronous backend runs in worker processes
    # (below it, starting the pool costs more than it saves).
    parallel_threshold = 48

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        on_warning: Warn | None = None,
        **overrides: Any,
    ) -> None:
        self.settings = settings.model_copy(update=overrides) if settings else resolve(overrides)
        self.warn: Warn = on_warning or _log_warning
        self.backend = make_backend(self.settings)
        self.cache = ExtractionCache(self.settings.cache_dir, enabled=self.settings.use_cache)

    # -- one article -------------------------------------------------------------------------

    def extract_article(self, article: Article) -> ArticleExtraction:
        """Extract one parsed article, through the cache."""
        cached = self.cache.get(article, self.backend)
        if cached is not None:
            return cached
        with article_budget(self._budget(), _budget_what(self.backend, article)):
            extraction = self.backend.extract(article)
        self.cache.put(article, self.backend, extraction)
        return extraction

    def _budget(self) -> float | None:
        """The per-article wall-clock budget for a synchronous backend (the rules); an async
        backend (llm) keeps its own request deadline (``deadline``) instead."""
        return None if hasattr(self.backend, "aextract") else self.settings.article_seconds

    async def _aextract_article(self, article: Article) -> ArticleExtraction:
        cached = self.cache.get(article, self.backend)
        if cached is not None:
            return cached
        aextract = getattr(self.backend, "aextract", None)
        if aextract is None:
            extraction = await asyncio.to_thread(self.backend.extract, article)
        else:
            extraction = await aextract(article)
        self.cache.put(article, self.backend, extraction)
        return extraction

    def extract(self, path: PathLike) -> ArticleExtraction:
        """The extraction of one file (the first article of a JSON Lines file)."""
        for item in load([Path(path)], self.settings.max_article_bytes, on_warning=self.warn):
            if isinstance(item, ArticleFailure):
                raise InputError(item.error, path=item.path)
            self._check_readable(item)
            return self.extract_article(item)
        raise InputError(f"{path}: no article found", path=str(path))

    # -- many articles -----------------------------------------------------------------------

    def load(
        self, paths: Sequence[PathLike]
    ) -> tuple[list[Article], list[ArticleFailure], dict[str, list[str]]]:
        """Parse every input; the same text under two names is kept once (both paths listed)."""
        loaded = self._load(paths)
        return loaded.articles, loaded.failures, loaded.duplicates

    def _load(self, paths: Sequence[PathLike]) -> _Loaded:
        loaded = _Loaded()
        first_by_hash: dict[str, Article] = {}
        for item in load(
            [Path(p) for p in paths],
            self.settings.max_article_bytes,
            on_warning=self.warn,
            on_skipped=loaded.skip,
        ):
            if isinstance(item, ArticleFailure):
                loaded.failures.append(item)
                continue
            original = first_by_hash.get(item.sha256)
            if original is not None:
                loaded.duplicates.setdefault(original.id, []).append(item.path)
                continue
            first_by_hash[item.sha256] = item
            loaded.articles.append(item)
            self._check_readable(item)
        for skipped in loaded.skipped:
            self.warn(skipped.reason)
        return loaded

    def _check_readable(self, article: Article) -> None:
        """Warn of an article the brief will say little about (it is still used)."""
        if not article.sentences:
            self.warn(
                f"{article.path}: nothing left to read once page furniture is set aside "
                f"({len(article.excluded)} stretches excluded); check that it is an article"
            )
            return
        share = english_share(article)
        if (
            share is not None
            and share < ENGLISH_SHARE_MIN
            and self.settings.resolved_backend == "rules"
        ):
            self.warn(
                f"{article.path}: does not read as English ({share:.0%} common English words); "
                "the rules backend knows English attribution ('said', 'according to'), so "
                "expect quotes without speakers and few figures; an llm backend may do better"
            )

    def extract_all(
        self, articles: list[Article], progress: Progress | None = None
    ) -> tuple[list[ArticleExtraction], list[ArticleFailure]]:
        """Extract every article, input order kept: concurrently when the backend is async,
        in worker processes when a synchronous backend (rules) has many articles to do."""
        if hasattr(self.backend, "aextract"):
            outcomes = asyncio.run(self._extract_concurrently(articles, progress))
        else:
            outcomes = self._extract_in_processes(articles, progress)
        extractions = [o for o in outcomes if isinstance(o, ArticleExtraction)]
        failures = [o for o in outcomes if isinstance(o, ArticleFailure)]
        return extractions, failures

    def _extract_in_processes(
        self, articles: list[Article], progress: Progress | None
    ) -> list[ArticleExtraction | ArticleFailure]:
        outcomes: dict[int, ArticleExtraction | ArticleFailure] = {}
        misses: list[int] = []
        for index, article in enumerate(articles):
            cached = self.cache.get(article, self.backend)
            if cached is None:
                misses.append(index)
                continue
            outcomes[index] = cached
            if progress:
                progress(article.id)
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        todo = [articles[i] for i in misses]
        budget = self._budget()
        with contextlib.ExitStack() as stack:
            if workers > 1 and len(todo) >= self.parallel_threshold:
                stack.enter_context(_shut_down_on_sigterm())
                pool = stack.enter_context(
                    ProcessPoolExecutor(workers, initializer=_worker_start, initargs=(os.getpid(),))
                )
                # On an interrupt (Ctrl-C, SIGTERM) queued work is cancelled, not waited for.
                stack.callback(pool.shutdown, wait=True, cancel_futures=True)
                results = pool.map(
                    _extract_guarded, repeat(self.backend), todo, repeat(budget), chunksize=8
                )
            else:
                results = map(_extract_guarded, repeat(self.backend), todo, repeat(budget))
            for index, outcome in zip(misses, results, strict=True):
                outcomes[index] = outcome
                if isinstance(outcome, ArticleExtraction):
                    self.cache.put(articles[index], self.backend, outcome)
                if progress:
                    progress(articles[index].id)
        return [outcomes[i] for i in range(len(articles))]

    async def _extract_concurrently(
        self, articles: list[Article], progress: Progress | None
    ) -> list[ArticleExtraction | ArticleFailure]:
        semaphore = asyncio.Semaphore(self.settings.concurrency)

        async def one(article: Article) -> ArticleExtraction | ArticleFailure:
            async with semaphore:
                try:
                    return await self._aextract_article(article)
                except Exception as error:  # noqa: BLE001 - one article never costs the brief
                    return _failure(article, error)
                finally:
                    if progress:
                        progress(article.id)

        return list(await asyncio.gather(*(one(a) for a in articles)))

    def brief(self, paths: Sequence[PathLike], progress: Progress | None = None) -> Briefing:
        """The merged brief of every article under ``paths`` (see ``review``)."""
        return self.review(paths, progress)[0]

    def review(
        self, paths: Sequence[PathLike], progress: Progress | None = None
    ) -> tuple[Briefing, dict[str, str]]:
        """The merged brief of every article under ``paths``, and the text of each briefed
        article by id: what the review page (``render(briefing, "html", texts)``) shows beside
        the brief, so that every citation lands on its characters.

        Raises InputError when no article could be read at all, and BackendError when the
        backend failed on every article (an unreachable server, say): then there is nothing
        to brief. Otherwise failures are listed in the Briefing and the rest is merged.
        """
        loaded = self._load(paths)
        articles, failures = loaded.articles, loaded.failures
        if not articles:
            detail = "; ".join(f.error for f in failures[:3]) + (
                f"; and {len(failures) - 3} more" if len(failures) > 3 else ""
            )
            raise InputError(
                "no readable article in "
                + ", ".join(str(p) for p in paths)
                + (f": {detail}" if detail else "; give .txt, .md, .json or .jsonl files")
            )
        extractions, extract_failures = self.extract_all(articles, progress)
        if not extractions:
            raise BackendError(
                extract_failures[0].error if extract_failures else "the backend returned nothing"
            )
        extracted_ids = {e.article_id for e in extractions}
        kept = [a for a in articles if a.id in extracted_ids]
        briefing = merge(
            kept,
            extractions,
            failures + extract_failures,
            backend=self.backend.name,
            model=self.backend.model,
        )
        briefing = _with_skipped(_with_duplicates(briefing, loaded.duplicates), loaded.skipped)
        return briefing, {a.id: a.text for a in kept}

    def close(self) -> None:
        self.cache.close()


def _extract_guarded(
    backend: Backend, article: Article, budget: float | None = None
) -> ArticleExtraction | ArticleFailure:
    """One article's extraction, or its failure: one article's bug never costs the brief, nor
    does one that takes longer than ``budget`` seconds (``extract.budget``: a cooperative
    deadline the rules check in their loops, so it holds in a worker process as in this one).
    Module-level so worker processes can run it."""
    try:
        with article_budget(budget, _budget_what(backend, article)):
            return backend.extract(article)
    except Exception as error:  # noqa: BLE001 - one article never costs the brief
        return _failure(article, error)


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


@dataclass
class _Loaded:
    """What reading the inputs gave: articles, failures, duplicates and skipped files."""

    articles: list[Article] = field(default_factory=list)
    failures: list[ArticleFailure] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, item: Skipped) -> None:
        self.skipped.append(item)


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


def check_output(output: PathLike, paths: Sequence[PathLike]) -> Path | None:
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
    for path in paths:
        try:
            inputs = discover([Path(path)])
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


def brief(paths: Sequence[PathLike], **settings: Any) -> Briefing:
    """One brief of every article under ``paths``; ``settings`` are Settings fields."""
    summarizer = Summarizer(**settings)
    try:
        return summarizer.brief(paths)
    finally:
        summarizer.close()


def extract(path: PathLike, **settings: Any) -> ArticleExtraction:
    """The extraction of one article file; ``settings`` are Settings fields."""
    summarizer = Summarizer(**settings)
    try:
        return summarizer.extract(path)
    finally:
        summarizer.close()
