"""Transport for the ``llm`` backend: one article's requests, retried, deadlined, explained.

instructor is patched on top of ``Transport.create`` / ``Transport.acreate`` instead of the
SDK's ``chat.completions.create``, so what instructor sees is either a completion or a final
``BackendError``; a validation re-ask is a new call here, with its own transport retries.

- Retried (tenacity, exponential backoff with full jitter): HTTP 429 (waiting what Retry-After
  says), 408, 409 and 5xx, timeouts and connection errors, and a 2xx whose body is not JSON
  (cut off by the server or a proxy: ``BadResponseError``), at most ``max_attempts`` times per
  request. The SDK's own retries are off (``max_retries=0``) so nothing retries twice.
- Deadline: one per article (``deadline`` seconds from the first request), shared by its
  re-asks; each request's timeout is cut to the time left, and a wait that would overrun it
  is not waited.
- ``json_schema`` mode on a server that does not take it (llama.cpp answers HTTP 500 to
  ``response_format: {"type": "json_schema"}``): the request is sent again at once as
  ``{"type": "json_object", "schema": ...}``, and the backend remembers to send that from then
  on. ``json`` mode always sends the schema with ``json_object``.
- Bounded, whatever the server does: the answer is read in pieces, and a request ends when
  the article's deadline passes even if the server keeps sending (one byte every two seconds
  resets any per-read timeout; the async path, which ``brief`` uses, bounds the whole request
  with ``asyncio.timeout``; the sync path runs it in a daemon thread waited for until the
  deadline, and checks the deadline between pieces of the body), and
  an answer larger than ``MAX_RESPONSE_BYTES`` (or announcing it by Content-Length) is cut off
  and not retried: a server streaming an endless body does not grow the process.
- Whatever still fails becomes a ``BackendError`` whose message says what to do.
- The API key never reaches a message or a log line from here: what the server said is
  quoted in errors, and some servers and proxies echo the key (or the Authorization header)
  back, so both are redacted (``redact``).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception
from tenacity.stop import stop_after_attempt, stop_base
from tenacity.wait import wait_base, wait_random_exponential

from ..errors import REDACTED as REDACTED  # re-exported: the redaction marker
from ..errors import BackendError
from ..errors import redact as _redact

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 409, 429})
# The largest answer read: a completion of max_output_tokens is tens of kilobytes.
MAX_RESPONSE_BYTES = 4_000_000
# After the deadline, how long the sync path still waits for a request's own (cleaner) error.
DEADLINE_GRACE = 0.25
MAX_BACKOFF = 30.0
BACKOFF_MULTIPLIER = 0.5


Create = Callable[..., ChatCompletion]
ACreate = Callable[..., Awaitable[ChatCompletion]]


@dataclass
class ServerQuirks:
    """What the backend has learnt about its server; shared by every article."""

    json_schema_unsupported: bool = False


class BadResponseError(openai.APIError):
    """A 2xx answer whose body is not JSON: a transport failure, not a model's answer.

    The SDK lets the ``json.JSONDecodeError`` through, which instructor would take for an
    invalid answer and re-ask (spending a re-ask, with no backoff, and reporting "still
    invalid" for an answer nobody received); as an ``APIError`` it is retried here instead.
    """


def redact(text: str, secret: str | None) -> str:
    """``text`` without ``secret`` and whatever ``summarizer.errors.redact`` removes (every
    registered secret, ``Bearer`` tokens, credentials in URLs): the one redaction."""
    return _redact(text, secret)


class ResponseTooLargeError(openai.APIError):
    """The answer is larger than ``MAX_RESPONSE_BYTES``: cut off, and not retried (a server
    sending without end would do it again)."""


def _server_message(error: openai.APIError) -> str:
    """What the server said, without the SDK's "Error code: ..." wrapping."""
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return error.message


def _status(error: BaseException) -> int | None:
    return error.status_code if isinstance(error, openai.APIStatusError) else None


def retry_after(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if it said."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        moment = email.utils.parsedate_to_datetime(value) if value.strip() else None
        return max(moment.timestamp() - time.time(), 0.0) if moment else None


def _rejects_json_schema(error: BaseException, kwargs: dict[str, Any]) -> bool:
    response_format = kwargs.get("response_format")
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return False
    if _status(error) not in (400, 422, 500):
        return False
    text = f"{getattr(error, 'message', '')} {getattr(error, 'body', '')}"
    return "json_schema" in text or "response_format" in text


def as_json_object(kwargs: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The request with ``response_format`` as ``json_object`` carrying the schema."""
    response_format = kwargs.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        schema = response_format.get("json_schema", {}).get("schema", schema)
    return {**kwargs, "response_format": {"type": "json_object", "schema": schema}}


class _Wait(wait_base):
    """Retry-After when the server says, else exponential backoff with full jitter."""

    def __init__(self) -> None:
        self._backoff = wait_random_exponential(multiplier=BACKOFF_MULTIPLIER, max=MAX_BACKOFF)

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        asked = retry_after(outcome.exception() if outcome else None)
        return asked if asked is not None else self._backoff(retry_state)


class _PastDeadline(stop_base):
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self._transport.time_left() <= retry_state.upcoming_sleep


class Transport:
    """One article's access to the server (a new one per article: the deadline is its own)."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        timeout: float,
        deadline: float,
        max_attempts: int,
        mode: str,
        schema: dict[str, Any],
        quirks: ServerQuirks,
        secret: str | None = None,
        create: Create | None = None,
        acreate: ACreate | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        asleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self._timeout = timeout
        self._deadline = deadline
        self._max_attempts = max_attempts
        self._mode = mode
        self._schema = schema
        self._quirks = quirks
        self._secret = secret
        self._create = create
        self._acreate = acreate
        self._clock = clock
        self._sleep = sleep
        self._asleep = asleep
        self._started: float | None = None
        self.attempts = 0

    # -- time --------------------------------------------------------------------------------

    def time_left(self) -> float:
        if self._started is None:
            return self._deadline
        return self._deadline - (self._clock() - self._started)

    def _request_timeout(self) -> float:
        if self._started is None:
            self._started = self._clock()
        left = self.time_left()
        if left <= 0:
            raise BackendError(
                f"no answer from {self.base_url} within the {self._deadline:g}s deadline for "
                "one article; raise `deadline` in summarizer.toml, or use a faster model or server"
            )
        return min(self._timeout, left)

    # -- requests ----------------------------------------------------------------------------

    def _adapt(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        if self._mode == "json" or (
            self._mode == "json_schema" and self._quirks.json_schema_unsupported
        ):
            return as_json_object(kwargs, self._schema)
        return kwargs

    def _transient(self, kwargs: dict[str, Any]) -> Callable[[BaseException], bool]:
        def transient(error: BaseException) -> bool:
            if _rejects_json_schema(error, kwargs):
                return False
            if isinstance(error, openai.APIConnectionError | BadResponseError):  # timeouts too
                return True
            status = _status(error)
            return status is not None and (status in RETRY_STATUSES or status >= 500)

        return transient

    def _policy(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        def before_sleep(state: RetryCallState) -> None:
            outcome = state.outcome
            log.info(
                "retrying %s in %.1fs after %s",
                self.base_url,
                state.upcoming_sleep,
                redact(str(outcome.exception()), self._secret) if outcome else "?",
            )

        return {
            "stop": stop_after_attempt(self._max_attempts) | _PastDeadline(self),
            "wait": _Wait(),
            "retry": retry_if_exception(self._transient(kwargs)),
            "before_sleep": before_sleep,
            "reraise": True,
        }

    def _bad_response(self, error: json.JSONDecodeError) -> BadResponseError:
        request = httpx2.Request("POST", f"{self.base_url}/chat/completions")
        return BadResponseError(f"the answer is not valid JSON ({error})", request, body=None)

    def _request(self) -> httpx2.Request:
        return httpx2.Request("POST", f"{self.base_url}/chat/completions")

    def _too_large(self, size: int) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"the answer is larger than {MAX_RESPONSE_BYTES:,} bytes ({size:,} read or announced)",
            self._request(),
            body=None,
        )

    def _past_deadline(self) -> openai.APITimeoutError:
        return openai.APITimeoutError(request=self._request())

    def _check_announced(self, response: httpx2.Response) -> None:
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
            raise self._too_large(int(length))

    def _add(self, body: bytearray, piece: bytes) -> None:
        body.extend(piece)
        if len(body) > MAX_RESPONSE_BYTES:
            raise self._too_large(len(body))
        if self.time_left() <= 0:
            raise self._past_deadline()

    def _send(self, kwargs: dict[str, Any]) -> ChatCompletion:
        assert self._create is not None
        self.attempts += 1
        timeout = self._request_timeout()
        try:
            streaming = getattr(
                getattr(self._create, "__self__", None), "with_streaming_response", None
            )
            if streaming is None:  # a stand-in for the SDK (tests): called as it is
                return self._create(**kwargs, timeout=timeout)
            return self._within_deadline(lambda: self._bounded(streaming, kwargs, timeout))
        except json.JSONDecodeError as error:
            raise self._bad_response(error) from error

    def _within_deadline(self, call: Callable[[], ChatCompletion]) -> ChatCompletion:
        """``call()`` in a daemon thread, waited for until the deadline: a server dripping its
        headers (where no read timeout expires) cannot hold the caller past it. The thread is
        left to end when the server does (it reads nothing more than the server sends)."""
        outcome: list[ChatCompletion | BaseException] = []
        done = threading.Event()

        def run() -> None:
            try:
                outcome.append(call())
            except BaseException as error:  # noqa: BLE001 - handed to the caller below
                outcome.append(error)
            finally:
                done.set()

        threading.Thread(target=run, name="summarizer-request", daemon=True).start()
        if not done.wait(max(self.time_left(), 0.0) + DEADLINE_GRACE):
            raise self._past_deadline()
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _bounded(self, streaming: Any, kwargs: dict[str, Any], timeout: float) -> ChatCompletion:
        with streaming.create(**kwargs, timeout=timeout) as response:
            http = response.http_response
            self._check_announced(http)
            body = bytearray()
            try:
                for piece in http.iter_bytes():
                    self._add(body, piece)
            except httpx2.TimeoutException as error:
                raise self._past_deadline() from error
            except httpx2.TransportError as error:
                raise openai.APIConnectionError(request=self._request()) from error
            http._content = bytes(body)  # what read() returns: parsed as the SDK parses
            return response.parse()  # type: ignore[no-any-return]

    async def _asend(self, kwargs: dict[str, Any]) -> ChatCompletion:
        assert self._acreate is not None
        self.attempts += 1
        timeout = self._request_timeout()
        try:
            async with asyncio.timeout(max(self.time_left(), 0.0)):
                return await self._abounded(kwargs, timeout)
        except TimeoutError as error:
            raise self._past_deadline() from error
        except json.JSONDecodeError as error:
            raise self._bad_response(error) from error

    async def _abounded(self, kwargs: dict[str, Any], timeout: float) -> ChatCompletion:
        assert self._acreate is not None
        streaming = getattr(
            getattr(self._acreate, "__self__", None), "with_streaming_response", None
        )
        if streaming is None:  # a stand-in for the SDK (tests): called as it is
            return await self._acreate(**kwargs, timeout=timeout)
        async with streaming.create(**kwargs, timeout=timeout) as response:
            http = response.http_response
            self._check_announced(http)
            body = bytearray()
            try:
                async for piece in http.aiter_bytes():
                    self._add(body, piece)
            except httpx2.TimeoutException as error:
                raise self._past_deadline() from error
            except httpx2.TransportError as error:
                raise openai.APIConnectionError(request=self._request()) from error
            http._content = bytes(body)
            return await response.parse()  # type: ignore[no-any-return]

    def create(self, **kwargs: Any) -> ChatCompletion:
        """``chat.completions.create`` with transport retries (what instructor calls)."""
        request = self._adapt(kwargs)
        try:
            try:
                return Retrying(sleep=self._sleep, **self._policy(request))(self._send, request)
            except openai.APIError as error:
                if not _rejects_json_schema(error, request):
                    raise
                self._switch_to_json_object(error)
                request = self._adapt(kwargs)
                return Retrying(sleep=self._sleep, **self._policy(request))(self._send, request)
        except openai.APIError as error:
            raise self.explain(error) from error

    async def acreate(self, **kwargs: Any) -> ChatCompletion:
        """The async twin of ``create``."""
        request = self._adapt(kwargs)
        options: dict[str, Any] = {"sleep": self._asleep} if self._asleep else {}
        try:
            try:
                return await AsyncRetrying(**options, **self._policy(request))(self._asend, request)
            except openai.APIError as error:
                if not _rejects_json_schema(error, request):
                    raise
                self._switch_to_json_object(error)
                request = self._adapt(kwargs)
                return await AsyncRetrying(**options, **self._policy(request))(self._asend, request)
        except openai.APIError as error:
            raise self.explain(error) from error

    def _switch_to_json_object(self, error: openai.APIError) -> None:
        log.warning(
            "%s does not take response_format json_schema (%s); sending json_object with the "
            "schema instead",
            self.base_url,
            _status(error),
        )
        self._quirks.json_schema_unsupported = True

    # -- errors ------------------------------------------------------------------------------

    def explain(self, error: openai.APIError) -> BackendError:
        """A BackendError that says what happened and what to do about it."""
        url = self.base_url
        tries = f"after {self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if isinstance(error, openai.APITimeoutError) and self.time_left() < self._timeout:
            # The article's deadline, not the request timeout, is what ran out (it cut the
            # last request short or left no time for another): raising `timeout` alone would
            # not help.
            message = (
                f"{url} did not answer in time ({tries}, timeout {self._timeout:g}s, "
                f"{self._deadline:g}s deadline for one article reached); raise `deadline` or "
                "`timeout` in summarizer.toml, or check that the server is not overloaded"
            )
        elif isinstance(error, openai.APITimeoutError):
            message = (
                f"{url} did not answer in time ({tries}, timeout {self._timeout:g}s); raise "
                "`timeout` in summarizer.toml, or check that the server is not overloaded"
            )
        elif isinstance(error, openai.APIConnectionError):
            message = f"cannot reach {url}: start the server or fix --base-url ({error})"
        elif isinstance(error, ResponseTooLargeError):
            message = (
                f"{url} sent an answer too large to be one completion: {error.message}; it "
                "was cut off and not retried: check that it is an OpenAI-compatible server"
            )
        elif isinstance(error, BadResponseError):
            message = (
                f"{url} sent a broken answer {tries}: {error.message}; check that it is an "
                "OpenAI-compatible server and that no proxy in between cuts responses"
            )
        elif isinstance(error, openai.NotFoundError):
            message = (
                f"model {self.model!r} not found on server {url} (HTTP 404); list models with "
                f"`curl {url.rstrip('/')}/models` and pass one with --model"
            )
        elif isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            message = (
                f"{url} refused the API key (HTTP {_status(error)}); set OPENAI_API_KEY or "
                "api_key in summarizer.toml"
            )
        elif isinstance(error, openai.RateLimitError):
            message = (
                f"{url} kept rate-limiting (HTTP 429) {tries}; wait and retry, or lower "
                "--concurrency"
            )
        elif isinstance(error, openai.BadRequestError):
            message = (
                f"{url} rejected the request (HTTP 400: {_server_message(error)}); if the "
                "article is longer than the model's context, give the server a larger context "
                "(llama.cpp: --n_ctx) or lower `max_output_tokens` in summarizer.toml"
            )
        elif isinstance(error, openai.APIStatusError):
            message = (
                f"{url} failed with HTTP {error.status_code} {tries}: {_server_message(error)}"
            )
        else:
            message = f"{url} failed: {error}"
        return BackendError(redact(message, self._secret), original=error)
