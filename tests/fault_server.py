"""A real OpenAI-compatible HTTP server for fault-injection tests (starlette + uvicorn).

``FaultServer`` listens on 127.0.0.1 on a free port, in a background thread, and answers

- ``GET /v1/models``: one model, ``fake``;
- ``POST /v1/chat/completions``: a tool-call completion (or JSON content, when the request
  asks for ``response_format``) built from the article in the prompt. It reads the ``[S#]``
  sentences and ``[Q#] ... (in S#)`` quotations of the user message and answers with ids that
  exist and names written in the text: for each quotation the last run of capitalised words
  outside quotation marks in its sentence ("... Tom Barrack said" -> "Tom Barrack"), else
  null; for each sentence that says "killed" next to a number, that figure. No stances.

Faults, at ``Faults.rate``, chosen by a hash of (seed, article, n-th request for that
article), so the schedule does not depend on thread timing or on the order concurrent
articles arrive in:

- transport: ``429`` (with Retry-After), ``500``, ``503``, ``slow`` (no answer for
  ``slow_seconds``, longer than the client's timeout), ``cut_body`` (HTTP 200 whose JSON
  body stops half-way);
- content (HTTP 200): ``truncated`` (the answer's JSON cut off, ``finish_reason: length``),
  ``schema`` (JSON of the wrong shape), ``invented`` (speakers and actors not in the article,
  quotation and sentence ids that do not exist, a count absent from its sentence).

``fail_if_contains``: every request whose prompt contains that text answers HTTP 500,
always; ``slow_if_contains``: too slowly, always. ``first_request_fault``: that fault on
every article's first request. Every request is recorded (``FaultServer.exchanges``) with its
body, the fault it got and when it arrived and was answered (``time.monotonic``, the clock
the client uses).

Every loop is bounded: startup waits at most ``STARTUP_SECONDS``, a slow answer at most
``slow_seconds`` (it ends early when the client hangs up or the server stops), and
``stop()`` joins the thread with a timeout.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

MODEL = "fake"
STARTUP_SECONDS = 10.0
STOP_SECONDS = 10.0
POLL_SECONDS = 0.01

TRANSIENT = ("429", "500", "503", "slow")
GARBAGE = ("truncated", "schema", "invented")
INVENTED_NAME = "Zebulon Quuxworth"
INVENTED_ACTOR = "Ministry of Truthiness"
INVENTED_QUOTE_ID = 999
INVENTED_SENTENCE_ID = 998
INVENTED_COUNT = 987_654
PERMANENT_MESSAGE = "injected permanent failure"

_SENTENCE_RE = re.compile(r"^\[S(\d+)\] (.*)$", re.MULTILINE)
_QUOTE_RE = re.compile(r"^\[Q(\d+)\] .* \(in S(\d+)\)$", re.MULTILINE)
# A quotation in straight or curly marks (the prompt shows sentences on one line).
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")
_CAPITALISED = r"[A-Z][\w’'.-]*"
_NAME_RE = re.compile(rf"{_CAPITALISED}(?:\s+(?:al-|el-)?{_CAPITALISED})+")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_KILLED_RE = re.compile(
    r"\b(?:killed|killing)\b\D{0,40}?\b(\d+|one|two|three|four|five|six|ten)\b"
    r"|\b(\d+|one|two|three|four|five|six|ten)\b[^.]{0,40}?\b(?:killed|dead)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Faults:
    """What goes wrong, and how often (``rate`` of requests, ``kinds`` chosen evenly)."""

    rate: float = 0.0
    kinds: tuple[str, ...] = TRANSIENT
    seed: int = 0
    retry_after: float = 0.05
    slow_seconds: float = 2.0
    fail_if_contains: str | None = None  # HTTP 500, always, for prompts containing this
    slow_if_contains: str | None = None  # too slow, always, for prompts containing this
    first_request_fault: str | None = None  # this fault on every article's first request


@dataclass
class Exchange:
    """One request the server got, and what it did with it."""

    index: int
    article: str  # a short hash of the first user message: the same for an article's re-asks
    attempt: int  # the n-th request for this article, from 0
    body: dict[str, Any]
    fault: str | None
    received: float
    answered: float = 0.0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def _user_prompt(body: dict[str, Any]) -> str:
    for message in body.get("messages") or []:
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


def _draw(seed: int, article: str, attempt: int) -> tuple[float, int]:
    digest = hashlib.sha256(f"{seed}:{article}:{attempt}".encode()).digest()
    return int.from_bytes(digest[:4]) / 2**32, int.from_bytes(digest[4:8])


# --- answers built from the prompt ------------------------------------------------------------


def _speaker(sentence: str) -> str | None:
    outside = _QUOTED_RE.sub(" ", sentence)
    names = _NAME_RE.findall(outside)
    return names[-1].rstrip(".") if names else None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def good_answer(prompt: str) -> dict[str, Any]:
    """Valid labels for the article in ``prompt``: existing ids, names written in it."""
    sentences = {int(i): text for i, text in _SENTENCE_RE.findall(prompt)}
    quotes = [
        {"quote": int(q), "speaker": _speaker(sentences.get(int(s), ""))}
        for q, s in _QUOTE_RE.findall(prompt)
    ]
    casualties = []
    for index, text in sorted(sentences.items()):
        match = _KILLED_RE.search(_QUOTED_RE.sub(" ", text))
        if match:
            casualties.append(
                {
                    "sentence": index,
                    "status": "killed",
                    "count": _count(match.group(1) or match.group(2)),
                    "group": "people",
                    "reported_by": None,
                }
            )
    return {"quotes": quotes, "casualties": casualties, "stances": []}


def invented_answer(prompt: str) -> dict[str, Any]:
    """Ids that do not exist, names not in the article, a count absent from its sentence."""
    good = good_answer(prompt)
    quotes = [{"quote": q["quote"], "speaker": INVENTED_NAME} for q in good["quotes"]]
    quotes.append({"quote": INVENTED_QUOTE_ID, "speaker": INVENTED_NAME})
    casualties = [{**c, "count": INVENTED_COUNT} for c in good["casualties"]]
    casualties.append(
        {
            "sentence": INVENTED_SENTENCE_ID,
            "status": "killed",
            "count": 3,
            "group": "people",
            "reported_by": INVENTED_NAME,
        }
    )
    stances = [
        {"sentence": 0, "actor": INVENTED_ACTOR},
        {"sentence": INVENTED_SENTENCE_ID, "actor": INVENTED_NAME},
    ]
    return {"quotes": quotes, "casualties": casualties, "stances": stances}


SCHEMA_INVALID: dict[str, Any] = {
    "quotes": [{"quote": "the first one", "speaker": ["not", "a", "string"]}, "Q0"],
    "casualties": "none",
    "stances": [{"sentence": None}],
    "extra": True,
}


def completion(body: dict[str, Any], arguments: str, finish: str = "tool_calls") -> dict[str, Any]:
    """A chat completion carrying ``arguments`` as the request expects it (tool or content)."""
    tools = body.get("tools") or []
    prompt_chars = sum(len(str(m.get("content") or "")) for m in body.get("messages") or [])
    if tools:
        name = tools[0].get("function", {}).get("name", "ArticleLabels")
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_0",
                    "type": "function",
                    "function": {"name": name, "arguments": arguments},
                }
            ],
        }
    else:
        message = {"role": "assistant", "content": arguments}
        if finish == "tool_calls":
            finish = "stop"
    prompt_tokens = max(prompt_chars // 4, 1)
    completion_tokens = max(len(arguments) // 4, 1)
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", MODEL),
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "injected_fault", "code": status}},
        status_code=status,
        headers=headers,
    )


# --- the server -------------------------------------------------------------------------------


class FaultServer:
    """The app, its thread and its record of requests. ``with FaultServer(...) as server:``."""

    def __init__(self, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._per_article: dict[str, int] = {}
        self._stopping = threading.Event()
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.app = Starlette(
            routes=[
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
            ]
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FaultServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))  # a free port, held from here on: no probe-then-bind race
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="error",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fault-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"fault server did not start within {STARTUP_SECONDS:g}s")
            time.sleep(POLL_SECONDS)
        return self

    def stop(self) -> None:
        self._stopping.set()  # slow answers end now
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STOP_SECONDS)
            if self._thread.is_alive():  # pragma: no cover - a stuck server is a test failure
                raise RuntimeError(f"fault server did not stop within {STOP_SECONDS:g}s")
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what it saw -------------------------------------------------------------------------

    def requests_for(self, text: str) -> list[Exchange]:
        """The exchanges whose prompt contains ``text`` (an article's own words)."""
        with self._lock:
            return [e for e in self.exchanges if text in _user_prompt(e.body)]

    def faulted(self, *kinds: str) -> list[Exchange]:
        with self._lock:
            return [e for e in self.exchanges if e.fault is not None and e.fault in kinds]

    # -- handlers ----------------------------------------------------------------------------

    async def _models(self, request: Request) -> Response:
        return JSONResponse(
            {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "tests"}]}
        )

    def _record(self, body: dict[str, Any]) -> Exchange:
        prompt = _user_prompt(body)
        article = hashlib.sha256(prompt.encode()).hexdigest()[:12]
        faults = self.faults
        with self._lock:
            attempt = self._per_article.get(article, 0)
            self._per_article[article] = attempt + 1
            fault: str | None = None
            if faults.fail_if_contains is not None and faults.fail_if_contains in prompt:
                fault = "permanent"
            elif faults.slow_if_contains is not None and faults.slow_if_contains in prompt:
                fault = "slow"
            elif attempt == 0 and faults.first_request_fault is not None:
                fault = faults.first_request_fault
            else:
                chance, pick = _draw(faults.seed, article, attempt)
                if chance < faults.rate and faults.kinds:
                    fault = faults.kinds[pick % len(faults.kinds)]
            exchange = Exchange(
                index=len(self.exchanges),
                article=article,
                attempt=attempt,
                body=body,
                fault=fault,
                received=time.monotonic(),
            )
            self.exchanges.append(exchange)
        return exchange

    async def _chat(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "the request body is not JSON")
        if not isinstance(body, dict):
            return _error(400, "the request body is not a JSON object")
        exchange = self._record(body)
        response = await self._answer(request, body, exchange)
        exchange.status = response.status_code
        exchange.headers = {k.lower(): v for k, v in response.headers.items()}
        exchange.answered = time.monotonic()
        return response

    async def _answer(self, request: Request, body: dict[str, Any], exchange: Exchange) -> Response:
        fault = exchange.fault
        prompt = _user_prompt(body)
        if fault == "permanent":
            return _error(500, PERMANENT_MESSAGE)
        if fault == "429":
            retry_after = f"{self.faults.retry_after:g}"
            return _error(429, "rate limited (injected)", {"retry-after": retry_after})
        if fault in ("500", "503"):
            return _error(int(fault), f"injected HTTP {fault}")
        if fault == "slow":
            steps = int(self.faults.slow_seconds / POLL_SECONDS) + 1
            for _ in range(steps):  # bounded; ends when the client hangs up
                if self._stopping.is_set() or await request.is_disconnected():
                    break
                await asyncio.sleep(POLL_SECONDS)
        good = json.dumps(good_answer(prompt))
        if fault == "cut_body":
            whole = json.dumps(completion(body, good))
            return Response(whole[: len(whole) // 2], media_type="application/json")
        if fault == "truncated":
            return JSONResponse(completion(body, good[: max(len(good) * 2 // 3, 1)], "length"))
        if fault == "schema":
            return JSONResponse(completion(body, json.dumps(SCHEMA_INVALID)))
        if fault == "invented":
            return JSONResponse(completion(body, json.dumps(invented_answer(prompt))))
        return JSONResponse(completion(body, good))
