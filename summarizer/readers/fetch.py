"""URLs over HTTP: bounded, polite, retried and cached on disk.

``Fetcher.fetch(url)`` returns the body of a page or a feed, or raises ``InputError`` saying
why not (the caller makes that a failed article). Nothing is fetched when this module is
imported or a ``Fetcher`` is made: the HTTP client and the cache open on the first fetch.

What bounds it, whatever a server does:

- **time**: ``timeout`` seconds to connect and between two reads, and ``deadline`` seconds
  for the whole URL (robots.txt, redirects, retries and the body included; checked between
  the chunks of the body, so a server trickling bytes is cut off);
- **size**: ``max_bytes`` per response, from ``Content-Length`` when it is sent and while
  streaming the body otherwise: past the limit the download stops;
- **redirects**: followed by hand, at most ``max_redirects``, each hop checked against its
  site's robots.txt and refused unless http(s);
- **concurrency**: ``fetch_all`` runs at most ``concurrency`` requests at once.

Politeness: a real User-Agent (``summarizer/<version>``) and each site's robots.txt honoured
for the agent ``summarizer`` (RFC 9309: a 4xx robots.txt allows everything, a 401/403 or 5xx
one disallows everything). Retries (``tenacity``): HTTP 429 and 5xx only, ``attempts`` times
in all, exponential backoff with jitter, a ``Retry-After`` of up to ``MAX_RETRY_AFTER``
seconds honoured; a timeout or a refused connection is not retried (the deadline holds).

Cache (``diskcache`` under ``<cache_dir>``, one entry per URL): a page that came with an
``ETag`` or ``Last-Modified`` is kept with them, and the next fetch of that URL asks with
``If-None-Match`` / ``If-Modified-Since``; a ``304 Not Modified`` is answered from the cache,
so a second morning run downloads nothing that did not change.
"""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.robotparser import RobotFileParser

import diskcache
import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_random_exponential

from .._version import __version__
from ..errors import InputError

USER_AGENT = f"summarizer/{__version__} (morning news brief; honours robots.txt)"
ROBOTS_AGENT = "summarizer"
MAX_RETRY_AFTER = 30.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536


@dataclass(frozen=True)
class Fetched:
    """A response body: ``url`` as asked, ``final_url`` after redirects, ``content_type``
    the media type alone (``text/html``), ``cached``: the body came from the cache after the
    server answered 304 Not Modified."""

    url: str
    final_url: str
    content_type: str
    charset: str | None
    data: bytes
    cached: bool = False


@dataclass(frozen=True)
class _Response:
    status: int
    location: str | None = None
    fetched: Fetched | None = None


class _Retryable(Exception):
    """HTTP 429 or 5xx: worth another attempt."""

    def __init__(self, status: int, reason: str, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    with contextlib.suppress(ValueError):
        return max(0.0, float(value))
    return None


def _media_type(header: str | None) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = header or "application/octet-stream"
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def check_url(url: str) -> urllib.parse.SplitResult:
    """The parts of an http(s) URL with a host, or InputError."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InputError(f"{url}: not a URL that can be fetched", path=url) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: only http:// and https:// URLs with a host are fetched", path=url)
    return parts


class Fetcher:
    """Fetches URLs within bounds, politely, through an on-disk cache (see the module)."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        timeout: float = 20.0,
        deadline: float = 60.0,
        max_bytes: int = 4_000_000,
        attempts: int = 3,
        concurrency: int = 4,
        max_redirects: int = 5,
        backoff: float = 1.0,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.attempts = attempts
        self.concurrency = concurrency
        self.max_redirects = max_redirects
        self.backoff = backoff
        self.user_agent = user_agent
        self._client: httpx.Client | None = None
        self._cache: diskcache.Cache | None = None
        self._robots: dict[str, RobotFileParser] = {}
        self._lock = threading.Lock()
        self._robots_lock = threading.Lock()
        self.downloads = 0  # responses whose body was downloaded (200)
        self.revalidated = 0  # 304 answers served from the cache

    # -- resources, opened on first use ------------------------------------------------------

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.timeout),
                    follow_redirects=False,
                    headers={"User-Agent": self.user_agent},
                )
            return self._client

    def _store(self) -> diskcache.Cache | None:
        if self.cache_dir is None:
            return None
        with self._lock:
            if self._cache is None:
                try:
                    self._cache = diskcache.Cache(str(self.cache_dir))
                except (OSError, diskcache.Timeout) as error:
                    raise InputError(
                        f"the page cache {self.cache_dir} cannot be used ({error}); pass "
                        "another --cache-dir, or --no-cache"
                    ) from None
            return self._cache

    def cached_pages(self) -> int:
        """How many pages the cache holds (0 without a cache, or before one was made)."""
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return 0
        store = self._store()
        return len(store) if store is not None else 0

    def clear(self) -> int:
        """Empty the page cache; the number of pages removed."""
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return 0
        store = self._store()
        return int(store.clear()) if store is not None else 0

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
            if self._cache is not None:
                self._cache.close()
                self._cache = None

    # -- fetching ----------------------------------------------------------------------------

    def fetch_all(self, urls: Sequence[str]) -> list[Fetched | InputError]:
        """Each URL's body or its InputError, in order, at most ``concurrency`` at once."""
        if not urls:
            return []

        def one(url: str) -> Fetched | InputError:
            try:
                return self.fetch(url)
            except InputError as error:
                return error

        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(urls))) as pool:
            return list(pool.map(one, urls))

    def fetch(self, url: str) -> Fetched:
        """The body at ``url`` after at most ``max_redirects`` redirects, or InputError."""
        end = time.monotonic() + self.deadline
        current = url
        for _ in range(self.max_redirects + 1):
            parts = check_url(current)
            self._check_robots(url, current, parts, end)
            response = self._get(url, current, end)
            if response.fetched is not None:
                return Fetched(
                    url=url,
                    final_url=current,
                    content_type=response.fetched.content_type,
                    charset=response.fetched.charset,
                    data=response.fetched.data,
                    cached=response.fetched.cached,
                )
            if response.location is None:
                raise InputError(
                    f"{url}: redirect (HTTP {response.status}) without a Location", path=url
                )
            current = urllib.parse.urljoin(current, response.location)
        raise InputError(
            f"{url}: more than {self.max_redirects} redirects (a redirect loop?); give the "
            "page's final address",
            path=url,
        )

    def _check_robots(
        self, url: str, current: str, parts: urllib.parse.SplitResult, end: float
    ) -> None:
        origin = f"{parts.scheme.lower()}://{parts.netloc}"
        with self._robots_lock:
            parser = self._robots.get(origin)
            if parser is None:
                parser = self._load_robots(url, origin, end)
                self._robots[origin] = parser
        if not parser.can_fetch(ROBOTS_AGENT, current):
            raise InputError(
                f"{url}: {origin}/robots.txt disallows fetching {current} for automated "
                "agents; not fetched (save the page by hand if you may read it)",
                path=url,
            )

    def _load_robots(self, url: str, origin: str, end: float) -> RobotFileParser:
        parser = RobotFileParser()
        try:
            response = self._get(url, f"{origin}/robots.txt", end, robots=True)
        except InputError as error:
            raise InputError(
                f"{url}: its site's robots.txt could not be read ({error}); not fetched",
                path=url,
            ) from None
        if response.fetched is not None:
            parser.parse(response.fetched.data.decode("utf-8", "replace").splitlines())
        elif response.status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
        else:  # 404 and other 4xx, or a redirect: no rules
            parser.parse([])
        return parser

    def _get(self, url: str, target: str, end: float, *, robots: bool = False) -> _Response:
        cached = self._cached(target)
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.get("etag"):
                headers["If-None-Match"] = str(cached["etag"])
            if cached.get("last_modified"):
                headers["If-Modified-Since"] = str(cached["last_modified"])
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(url, target, headers, cached, end, robots=robots)
        except _Retryable as error:
            raise InputError(
                f"{url}: {error} after {self.attempts} attempts; try again later", path=url
            ) from None
        except httpx.TimeoutException:
            raise InputError(
                f"{url}: timed out (no answer within {self.timeout:g} s); try again later",
                path=url,
            ) from None
        except httpx.HTTPError as error:
            raise InputError(
                f"{url}: cannot be fetched ({type(error).__name__}: {error}); check the address "
                "and the network",
                path=url,
            ) from None
        raise AssertionError("tenacity returns or raises")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        backoff = wait_random_exponential(multiplier=self.backoff, max=MAX_RETRY_AFTER)(state)
        after = error.retry_after if isinstance(error, _Retryable) else None
        return min(max(backoff, after or 0.0), MAX_RETRY_AFTER)

    def _once(
        self,
        url: str,
        target: str,
        headers: dict[str, str],
        cached: dict[str, Any] | None,
        end: float,
        *,
        robots: bool,
    ) -> _Response:
        if time.monotonic() > end:
            raise InputError(
                f"{url}: not fetched within {self.deadline:g} s (its deadline); try again later",
                path=url,
            )
        with self._http().stream("GET", target, headers=headers) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _Retryable(
                    status,
                    response.reason_phrase,
                    _retry_after(response.headers.get("retry-after")),
                )
            if status in _REDIRECTS:
                return _Response(status, location=response.headers.get("location"))
            if status == 304 and cached is not None:
                self.revalidated += 1
                return _Response(200, fetched=self._from_cache(target, cached))
            if status != 200:
                if robots:
                    return _Response(status)
                raise InputError(
                    f"{url}: HTTP {status} {response.reason_phrase} from {target}; check the "
                    "address",
                    path=url,
                )
            data = self._body(url, response, end)
        self.downloads += 1
        content_type, charset = _media_type(response.headers.get("content-type"))
        fetched = Fetched(target, target, content_type, charset, data)
        self._remember(target, response.headers, fetched)
        return _Response(200, fetched=fetched)

    def _body(self, url: str, response: httpx.Response, end: float) -> bytes:
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(url, f"{int(declared):,} bytes announced")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_big(url, f"more than {self.max_bytes:,} bytes sent")
            if time.monotonic() > end:
                raise InputError(
                    f"{url}: the page was still arriving after {self.deadline:g} s (its "
                    "deadline); stopped",
                    path=url,
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str, what: str) -> InputError:
        return InputError(
            f"{url}: too large ({what}; the limit for a page is {self.max_bytes:,} bytes, "
            "max_page_bytes in summarizer.toml); download stopped",
            path=url,
        )

    # -- the cache ---------------------------------------------------------------------------

    def _cached(self, target: str) -> dict[str, Any] | None:
        store = self._store()
        if store is None:
            return None
        try:
            entry = store.get(f"GET {target}")
        except Exception:  # noqa: BLE001 - a broken entry is a miss, never a failure
            return None
        if isinstance(entry, dict) and isinstance(entry.get("data"), bytes):
            return entry
        return None

    def _from_cache(self, target: str, entry: dict[str, Any]) -> Fetched:
        return Fetched(
            target,
            target,
            str(entry.get("content_type") or "application/octet-stream"),
            entry.get("charset") if isinstance(entry.get("charset"), str) else None,
            entry["data"],
            cached=True,
        )

    def _remember(self, target: str, headers: httpx.Headers, fetched: Fetched) -> None:
        etag, modified = headers.get("etag"), headers.get("last-modified")
        store = self._store()
        if store is None or not (etag or modified):
            return
        entry = {
            "etag": etag,
            "last_modified": modified,
            "content_type": fetched.content_type,
            "charset": fetched.charset,
            "data": fetched.data,
        }
        with contextlib.suppress(Exception):
            store.set(f"GET {target}", entry)
